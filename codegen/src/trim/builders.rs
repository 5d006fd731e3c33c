//! Step `received-only-builders`.
//!
//! **Rule:** a type builder (`types::builder::X`, reached by
//! `types::X::builder()`) exists so that a caller can construct a value to
//! send. A type no request reaches (through parameters and bodies, their
//! fields, variants, newtypes and aliases: [`Surface::request_types`]) is
//! only ever received: success and error bodies, stream events, webhook
//! payloads. Its builder is removed, with the `builder()` that returns it.
//! On OpenAI's API that is most builders, and the builders were 43% of the
//! generated lines.
//!
//! A received value is still made from JSON (`serde_json::from_value`),
//! which is how a test builds one for a mock.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::generate::type_builders::Rewrite;
use crate::items::{item_name, last_segment, module, module_mut};
use crate::surface::Surface;

/// Remove the builders of types only received, in `file` and (through the
/// rewrite pushed onto `rewrites`) in the type builders formatted on the
/// other core; what was removed (`None`: nothing).
pub fn received_only(
    file: &mut syn::File,
    surface: &Surface,
    rewrites: &mut Vec<Rewrite>,
) -> Option<String> {
    let sent = surface.request_types();
    let with_builder = builder_owners(file);
    let received: BTreeSet<String> = with_builder
        .iter()
        .filter(|name| !sent.contains(*name))
        .cloned()
        .collect();
    if received.is_empty() {
        return None;
    }
    let removed = received.len();
    let kept = with_builder.len() - removed;
    let received = Arc::new(received);
    remove(file, &received);
    rewrites.push(Box::new(move |file: &mut syn::File| {
        remove(file, &received)
    }));
    Some(format!(
        "{removed} builders of types only received are removed ({kept} kept, for the types a caller sends)"
    ))
}

/// The types of `file` that have a `builder()` constructor.
fn builder_owners(file: &syn::File) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for item in module(file, "types").into_iter().flatten() {
        if let syn::Item::Impl(imp) = item
            && imp.trait_.is_none()
            && imp.items.iter().any(is_builder_fn)
            && let Some(name) = last_segment(&imp.self_ty)
        {
            out.insert(name);
        }
    }
    out
}

fn is_builder_fn(item: &syn::ImplItem) -> bool {
    matches!(item, syn::ImplItem::Fn(f) if f.sig.ident == "builder" && f.sig.inputs.is_empty())
}

/// Remove `X::builder()` and every item of `types::builder` about `X`, for
/// each `X` of `names`.
fn remove(file: &mut syn::File, names: &BTreeSet<String>) {
    let Some(items) = module_mut(file, "types") else {
        return;
    };
    items.retain_mut(|item| match item {
        syn::Item::Impl(imp)
            if imp.trait_.is_none()
                && last_segment(&imp.self_ty).is_some_and(|n| names.contains(&n)) =>
        {
            imp.items.retain(|it| !is_builder_fn(it));
            !imp.items.is_empty()
        }
        _ => true,
    });
    for item in items.iter_mut() {
        if let syn::Item::Mod(m) = item
            && m.ident == "builder"
            && let Some((_, builders)) = &mut m.content
        {
            // Every item of the module is the builder struct `X` or an impl
            // whose self type is `X` or `super::X`.
            builders.retain(|item| match item_name(item) {
                Some(name) => !names.contains(&name),
                None => true,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_builders_of_sent_types_stay() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Sent { pub inner: Inner }
                impl Sent { pub fn builder() -> builder::Sent { Default::default() } }
                pub struct Inner { pub x: i64 }
                impl Inner { pub fn builder() -> builder::Inner { Default::default() } }
                pub struct Received { pub x: i64 }
                impl Received {
                    pub fn builder() -> builder::Received { Default::default() }
                    pub fn other(&self) {}
                }
                pub mod builder {
                    pub struct Sent;
                    impl From<super::Sent> for Sent { }
                    pub struct Inner;
                    impl TryFrom<Inner> for super::Inner { }
                    pub struct Received;
                    impl Default for Received { }
                    impl TryFrom<Received> for super::Received { }
                }
            }
        };
        let mut surface = Surface::default();
        surface.operations.insert(
            "send".into(),
            crate::surface::Operation {
                params: vec![crate::surface::Param {
                    name: "body".into(),
                    ty: "types::Sent".into(),
                    required: true,
                }],
                success: "types::Received".into(),
                ..Default::default()
            },
        );
        let decl = |fields: &[(&str, &str)]| crate::surface::TypeDecl {
            derives: vec![],
            non_exhaustive: false,
            kind: crate::surface::TypeKind::Struct(
                fields
                    .iter()
                    .map(|(n, t)| {
                        (
                            n.to_string(),
                            crate::surface::Field {
                                ty: t.to_string(),
                                wire: n.to_string(),
                                required: true,
                            },
                        )
                    })
                    .collect(),
            ),
        };
        surface
            .types
            .insert("Sent".into(), decl(&[("inner", "Inner")]));
        surface.types.insert("Inner".into(), decl(&[("x", "i64")]));
        surface
            .types
            .insert("Received".into(), decl(&[("x", "i64")]));
        let mut rewrites = Vec::new();
        let what = received_only(&mut file, &surface, &mut rewrites).unwrap();
        assert_eq!(
            what,
            "1 builders of types only received are removed (2 kept, for the types a caller sends)"
        );
        let text = quote::quote!(#file).to_string();
        assert!(!text.contains("builder :: Received"), "{text}");
        assert!(!text.contains("struct Received ;"), "{text}");
        assert!(text.contains("pub fn other"), "{text}");
        assert!(
            text.contains("builder :: Sent") && text.contains("builder :: Inner"),
            "{text}"
        );
        assert_eq!(rewrites.len(), 1);
    }
}
