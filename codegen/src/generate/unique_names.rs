//! `unique-names`: the generated code is checked for two items of one name
//! before anything is written.
//!
//! The rule: in every module, no two items share a name in one namespace
//! (types: struct, enum, union, type alias, trait, module; values: fn,
//! const, static and the constructors of tuple and unit structs), no struct
//! has two fields of one name, no enum two variants of one name, and no
//! type two inherent methods of one name (E0428, E0124, E0204-class, E0592).
//! Every name our stages make comes from [`crate::naming::Names`]; the
//! normalize steps `type-names`, `titles` and `nullable-components` keep
//! typify's derived names apart. This check is what makes "no two names
//! collide" hold by construction for whatever is left: a name typify or
//! progenitor chose that collides stops generation with an error naming
//! the item (and the component schema of that name, if there is one), so a
//! crate that cannot compile is never written.

use std::collections::{BTreeMap, BTreeSet};

use crate::Error;

/// One collision: the module, the namespace and the name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collision {
    /// `types`, `builder`, or `` for the crate root.
    pub module: String,
    /// What kind of name (`type`, `value`, `field of X`, `variant of X`,
    /// `method of X`).
    pub namespace: String,
    /// The name written twice.
    pub name: String,
}

/// Every collision in `file`, in the order found.
pub fn collisions(file: &syn::File) -> Vec<Collision> {
    let mut out = Vec::new();
    check_module(&file.items, "", &mut out);
    out
}

fn check_module(items: &[syn::Item], path: &str, out: &mut Vec<Collision>) {
    let mut types = BTreeSet::new();
    let mut values = BTreeSet::new();
    let mut methods: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut nested = Vec::new();
    let mut found = |namespace: &str, name: String| {
        out.push(Collision {
            module: path.to_owned(),
            namespace: namespace.to_owned(),
            name,
        })
    };
    for item in items {
        let (ty, value) = match item {
            syn::Item::Struct(s) => {
                let mut fields = BTreeSet::new();
                for f in s.fields.iter().filter_map(|f| f.ident.as_ref()) {
                    if !fields.insert(f.to_string()) {
                        found(&format!("field of {}", s.ident), f.to_string());
                    }
                }
                let constructor = !matches!(s.fields, syn::Fields::Named(_));
                (Some(&s.ident), constructor.then_some(&s.ident))
            }
            syn::Item::Enum(e) => {
                let mut variants = BTreeSet::new();
                for v in &e.variants {
                    if !variants.insert(v.ident.to_string()) {
                        found(&format!("variant of {}", e.ident), v.ident.to_string());
                    }
                }
                (Some(&e.ident), None)
            }
            syn::Item::Union(u) => (Some(&u.ident), None),
            syn::Item::Type(t) => (Some(&t.ident), None),
            syn::Item::Trait(t) => (Some(&t.ident), None),
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    nested.push((inner, m.ident.to_string()));
                }
                (Some(&m.ident), None)
            }
            syn::Item::Fn(f) => (None, Some(&f.sig.ident)),
            syn::Item::Const(c) => (None, Some(&c.ident)),
            syn::Item::Static(s) => (None, Some(&s.ident)),
            syn::Item::Impl(imp) if imp.trait_.is_none() => {
                let Some(self_ty) = crate::items::last_segment(&imp.self_ty) else {
                    continue;
                };
                let names = methods.entry(self_ty.clone()).or_default();
                for f in imp.items.iter().filter_map(|i| match i {
                    syn::ImplItem::Fn(f) => Some(&f.sig.ident),
                    _ => None,
                }) {
                    if !names.insert(f.to_string()) {
                        found(&format!("method of {self_ty}"), f.to_string());
                    }
                }
                (None, None)
            }
            _ => (None, None),
        };
        if let Some(ty) = ty
            && !types.insert(ty.to_string())
        {
            found("type", ty.to_string());
        }
        if let Some(value) = value
            && !values.insert(value.to_string())
        {
            found("value", value.to_string());
        }
    }
    for (inner, name) in nested {
        let inner_path = match path {
            "" => name,
            p => format!("{p}::{name}"),
        };
        check_module(inner, &inner_path, out);
    }
}

/// [`collisions`] as the error generation stops with; `components` maps
/// each component schema's Rust name to its key, so a collision is also
/// named by the schema it most likely comes from.
pub fn check(
    file: &syn::File,
    spec_file: &str,
    components: &BTreeMap<String, String>,
) -> Result<(), Error> {
    let found = collisions(file);
    if found.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = found
        .iter()
        .map(|c| {
            let module = if c.module.is_empty() {
                "the crate root".to_owned()
            } else {
                format!("`{}`", c.module)
            };
            let schema = components
                .get(&c.name)
                .map(|key| format!(" (the schema `#/components/schemas/{key}` is named so)"))
                .unwrap_or_default();
            format!(
                "two items named `{}` ({}) in {module}{schema}",
                c.name, c.namespace
            )
        })
        .collect();
    Err(Error::Generate {
        file: spec_file.to_owned(),
        message: format!(
            "the generated code would not compile: {}; nothing was written (hint: give the \
             inline schema that should have another name a `title` with an overlay, and \
             report the spec: no name the generator chooses should collide)",
            lines.join("; ")
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_items_of_one_name_in_a_namespace_are_found_in_every_module() {
        let file: syn::File = syn::parse_quote! {
            pub struct Root;
            pub fn root() {}
            pub mod types {
                pub struct Pet { pub name: String }
                pub struct PetName(pub Option<PetName>);
                pub enum PetName { A, B, A }
                pub struct Clash { pub a: u8, pub a: u8 }
                // A struct with named fields has no constructor: no clash.
                pub fn Pet() {}
                // A tuple struct's constructor is a value.
                pub fn PetName() {}
                impl Pet { pub fn name(&self) {} }
                impl Pet { pub fn name(&self) {} }
                impl Clone for Pet { fn clone(&self) -> Self { todo!() } }
                pub mod builder {
                    pub struct Pet;
                    pub struct Pet;
                }
            }
        };
        let found: Vec<(String, String, String)> = collisions(&file)
            .into_iter()
            .map(|c| (c.module, c.namespace, c.name))
            .collect();
        let expect = |m: &str, ns: &str, n: &str| (m.to_owned(), ns.to_owned(), n.to_owned());
        assert_eq!(
            found,
            vec![
                expect("types", "variant of PetName", "A"),
                expect("types", "type", "PetName"),
                expect("types", "field of Clash", "a"),
                expect("types", "value", "PetName"),
                expect("types", "method of Pet", "name"),
                expect("types::builder", "type", "Pet"),
                expect("types::builder", "value", "Pet"),
            ]
        );
    }

    #[test]
    fn a_collision_is_an_error_naming_the_item_and_its_schema() {
        let file: syn::File = syn::parse_quote! {
            pub mod types {
                pub enum CurrencyOrNull { Usd }
                pub struct CurrencyOrNull(pub Option<CurrencyOrNull>);
            }
        };
        let components =
            BTreeMap::from([("CurrencyOrNull".to_owned(), "CurrencyOrNull".to_owned())]);
        let Err(Error::Generate { file: f, message }) = check(&file, "lago.yaml", &components)
        else {
            panic!("a collision must be an error");
        };
        assert_eq!(f, "lago.yaml");
        assert!(
            message.contains("two items named `CurrencyOrNull` (type) in `types`"),
            "{message}"
        );
        assert!(
            message.contains("#/components/schemas/CurrencyOrNull"),
            "{message}"
        );
        assert!(message.contains("nothing was written"), "{message}");
        let fine: syn::File = syn::parse_quote! { pub mod types { pub struct A; pub struct B; } };
        assert!(check(&fine, "x.yaml", &components).is_ok());
    }
}
