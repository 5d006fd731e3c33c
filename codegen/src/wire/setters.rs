//! Step `setters`: each operation's builder, read from the generated code.
//!
//! **Rule:** a test calls the client the way a user does, through the
//! setters the generated builder has, with the types those setters take.
//! Both are read from the code (the client method returning
//! `builder::<Name>`, the builder's `pub fn <setter><V>(self, value: V)`
//! and the bound `V: TryInto<T>` or `V: Into<T>`), never re-derived from
//! the spec, so whatever names the generator gave, the test uses.

use std::collections::BTreeMap;

use quote::ToTokens;
use syn::visit_mut::VisitMut;

/// One operation's builder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Builder {
    /// Setter name -> the Rust type its value converts to, as the test
    /// names it (paths into the crate made absolute: `lib::types::X`).
    pub setters: BTreeMap<String, String>,
    /// The builder has `send_stream()` (an event-stream operation).
    pub streams: bool,
    /// The `#[cfg]` features of the client method, for the test.
    pub features: Vec<String>,
}

/// Every operation's builder by client method name; `lib` is the crate's
/// name as a path (`openai_admin_client`).
pub fn read(file: &syn::File, lib: &str) -> BTreeMap<String, Builder> {
    let mut by_struct: BTreeMap<String, String> = BTreeMap::new();
    let mut features: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for item in &file.items {
        if let syn::Item::Impl(imp) = item
            && imp.trait_.is_none()
            && last_ident(&imp.self_ty).as_deref() == Some("Client")
        {
            for it in &imp.items {
                if let syn::ImplItem::Fn(f) = it
                    && matches!(f.vis, syn::Visibility::Public(_))
                    && let syn::ReturnType::Type(_, ty) = &f.sig.output
                    && let syn::Type::Path(p) = &**ty
                    && p.path.segments.len() == 2
                    && p.path.segments[0].ident == "builder"
                {
                    let method = f.sig.ident.to_string();
                    features.insert(method.clone(), crate::surface::cfg_features(&f.attrs));
                    by_struct.insert(p.path.segments[1].ident.to_string(), method);
                }
            }
        }
    }
    let mut out: BTreeMap<String, Builder> = BTreeMap::new();
    let builder_items = file.items.iter().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "builder" => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    });
    for item in builder_items.into_iter().flatten() {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() {
            continue;
        }
        let Some(method) = last_ident(&imp.self_ty).and_then(|s| by_struct.get(&s)) else {
            continue;
        };
        let builder = out.entry(method.clone()).or_default();
        builder.features = features.get(method).cloned().unwrap_or_default();
        for it in &imp.items {
            let syn::ImplItem::Fn(f) = it else { continue };
            if !matches!(f.vis, syn::Visibility::Public(_)) {
                continue;
            }
            let name = f.sig.ident.to_string();
            if name == "send_stream" {
                builder.streams = true;
            }
            if let Some(ty) = setter_type(&f.sig) {
                builder.setters.insert(name, absolute(ty, lib));
            }
        }
    }
    out
}

/// `T` of a setter `fn name<V>(mut self, value: V) -> Self where V:
/// TryInto<T>` (or `Into<T>`); `None` for anything else (`body_map`'s
/// closure, `send`).
fn setter_type(sig: &syn::Signature) -> Option<syn::Type> {
    if sig.generics.params.len() != 1 || sig.inputs.len() != 2 {
        return None;
    }
    let syn::GenericParam::Type(param) = &sig.generics.params[0] else {
        return None;
    };
    let bounds = param.bounds.iter().chain(
        sig.generics
            .where_clause
            .iter()
            .flat_map(|w| &w.predicates)
            .filter_map(|p| match p {
                syn::WherePredicate::Type(t) if is_ident(&t.bounded_ty, &param.ident) => {
                    Some(&t.bounds)
                }
                _ => None,
            })
            .flatten(),
    );
    for bound in bounds {
        let syn::TypeParamBound::Trait(t) = bound else {
            continue;
        };
        let last = t.path.segments.last()?;
        if last.ident != "TryInto" && last.ident != "Into" {
            continue;
        }
        if let syn::PathArguments::AngleBracketed(args) = &last.arguments
            && let Some(syn::GenericArgument::Type(ty)) = args.args.first()
        {
            return Some(ty.clone());
        }
    }
    None
}

fn is_ident(ty: &syn::Type, ident: &syn::Ident) -> bool {
    matches!(ty, syn::Type::Path(p) if p.qself.is_none() && p.path.is_ident(ident))
}

fn last_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// `ty` as code outside the crate names it: `types::X` (the builder
/// module's import), `super::X` and `crate::X` become `lib::..`.
fn absolute(mut ty: syn::Type, lib: &str) -> String {
    struct Paths<'a>(&'a str);
    impl VisitMut for Paths<'_> {
        fn visit_path_mut(&mut self, path: &mut syn::Path) {
            if path.leading_colon.is_none()
                && let Some(first) = path.segments.first()
            {
                let first = first.ident.to_string();
                let lib = syn::Ident::new(self.0, proc_macro2::Span::call_site());
                match first.as_str() {
                    "types" => path.segments.insert(0, lib.into()),
                    "super" | "crate" => path.segments[0] = lib.into(),
                    _ => {}
                }
            }
            syn::visit_mut::visit_path_mut(self, path);
        }
    }
    Paths(lib).visit_type_mut(&mut ty);
    ty.to_token_stream().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_setters_and_their_types() {
        let file: syn::File = syn::parse_quote! {
            impl Client {
                #[cfg(feature = "things")]
                pub fn get_thing(&self) -> builder::GetThing<'_> { builder::GetThing::new(self) }
            }
            pub mod builder {
                use super::types;
                impl<'a> GetThing<'a> {
                    pub fn new(client: &'a super::Client) -> Self { todo!() }
                    pub fn id<V>(mut self, value: V) -> Self
                    where
                        V: std::convert::TryInto<::std::string::String>,
                    { self }
                    pub fn body<V>(mut self, value: V) -> Self
                    where
                        V: std::convert::TryInto<types::Thing>,
                    { self }
                    pub fn raw<B: Into<reqwest::Body>>(mut self, value: B) -> Self { self }
                    pub fn body_map<F>(mut self, f: F) -> Self
                    where
                        F: std::ops::FnOnce(types::builder::Thing) -> types::builder::Thing,
                    { self }
                    pub async fn send_stream(self) {}
                }
            }
        };
        let builders = read(&file, "lib_x");
        let b = &builders["get_thing"];
        assert!(b.streams);
        assert_eq!(b.features, ["things"]);
        let setters: Vec<(&str, String)> = b
            .setters
            .iter()
            .map(|(k, v)| (k.as_str(), v.replace(' ', "")))
            .collect();
        assert_eq!(
            setters,
            [
                ("body", "lib_x::types::Thing".to_owned()),
                ("id", "::std::string::String".to_owned()),
                ("raw", "reqwest::Body".to_owned()),
            ]
        );
    }
}
