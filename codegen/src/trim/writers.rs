//! Step `map-writers`.
//!
//! **Rule:** a generated struct is written as a JSON object, field by
//! field. serde's derive writes, per struct, a body generic over the
//! serializer that counts the fields it will write and then writes each
//! one through that serializer: the compiler builds and checks it once per
//! struct, thousands of times on a large spec. Each struct's derive of
//! `Serialize` is replaced by one call to the runtime's `ser::object`
//! (`crate::runtime::ser`) with the struct's fields as `(JSON name, value)`
//! pairs, each value a type-erased reference, so the struct's own code is a
//! list, and the generic writing is compiled once. The output is the
//! derive's: fields in order, under their `rename`, skipped when their
//! `skip_serializing_if` says so.
//!
//! Only what this writer knows is rewritten, so the rule holds by
//! construction: a struct keeps its derive unless its fields are named, it
//! has no generics, it is read by `map-readers` (so no serde derive is left
//! to need its attributes), its own serde attributes are at most
//! `deny_unknown_fields`, and each field's are among `rename`, `default`
//! (with or without a path) and `skip_serializing_if`. A rewritten struct
//! then derives neither serde trait and loses its `#[serde]` attributes:
//! its JSON names and defaults are in its reader and writer, where the
//! surface reads them.

use quote::quote;

use crate::items::module_mut;
use crate::refine::{derives, remove_derive, serde_metas};

/// Replace the derived `Serialize` of every struct of `mod types` this step
/// can write; what it did (`None`: nothing).
pub fn map_writers(file: &mut syn::File) -> Option<String> {
    let items = module_mut(file, "types")?;
    let read: std::collections::BTreeSet<String> = items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(imp) if is_map_reader(imp) => crate::items::last_segment(&imp.self_ty),
            _ => None,
        })
        .collect();
    let mut count = 0;
    crate::items::rewrite_each(items, |item| match item {
        syn::Item::Struct(s) if read.contains(&s.ident.to_string()) => writer(s).inspect(|_| {
            remove_derive(&mut s.attrs, "Serialize");
            s.attrs.retain(|a| !a.path().is_ident("serde"));
            for field in s.fields.iter_mut() {
                field.attrs.retain(|a| !a.path().is_ident("serde"));
            }
            count += 1;
        }),
        _ => None,
    });
    (count > 0)
        .then(|| format!("{count} structs are written by one runtime call (not serde's derive)"))
}

/// Whether `imp` is a `Deserialize` impl written by `map-readers` (it
/// names the field list `__FIELDS` the surface reads).
pub(crate) fn is_map_reader(imp: &syn::ItemImpl) -> bool {
    let is_deserialize = imp
        .trait_
        .as_ref()
        .and_then(|(path, _)| path.segments.last())
        .is_some_and(|s| s.ident == "Deserialize");
    is_deserialize && crate::surface::reader_fields(imp).is_some()
}

/// The `Serialize` impl of `s`, if this step can write it.
fn writer(s: &syn::ItemStruct) -> Option<syn::Item> {
    let derived = derives(&s.attrs);
    if !derived.iter().any(|d| d == "Serialize")
        || derived.iter().any(|d| d == "Deserialize")
        || !s.generics.params.is_empty()
    {
        return None;
    }
    let syn::Fields::Named(named) = &s.fields else {
        return None;
    };
    for meta in serde_metas(&s.attrs) {
        match meta {
            syn::Meta::Path(p) if p.is_ident("deny_unknown_fields") => {}
            _ => return None,
        }
    }
    let mut fields = Vec::new();
    for field in &named.named {
        let ident = field.ident.as_ref()?;
        let mut skip: Option<syn::ExprPath> = None;
        for meta in serde_metas(&field.attrs) {
            let key = meta.path().get_ident()?.to_string();
            match (key.as_str(), &meta) {
                ("default", syn::Meta::Path(_) | syn::Meta::NameValue(_)) => {}
                ("rename", syn::Meta::NameValue(nv)) => {
                    crate::items::str_lit(&nv.value)?;
                }
                ("skip_serializing_if", syn::Meta::NameValue(nv)) => {
                    skip = Some(syn::parse_str(&crate::items::str_lit(&nv.value)?).ok()?)
                }
                _ => return None,
            }
        }
        // The name the reader reads it under.
        let wire = crate::trim::readers::wire_name(field);
        fields.push(match skip {
            None => quote!((#wire, ::std::option::Option::Some(&self.#ident)),),
            Some(skip) => quote!((#wire, crate::runtime::ser::unless(&self.#ident, #skip)),),
        });
    }
    let name = &s.ident;
    let type_name = name.to_string();
    Some(syn::parse_quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error>
            where
                S: ::serde::Serializer,
            {
                crate::runtime::ser::object(serializer, #type_name, &[#(#fields)*])
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn run(types: proc_macro2::TokenStream) -> (Option<String>, String) {
        let mut file: syn::File = syn::parse_quote!(pub mod types { #types });
        crate::trim::readers::map_readers(&mut file);
        let what = map_writers(&mut file);
        (what, file.to_token_stream().to_string())
    }

    #[test]
    fn read_structs_are_written_by_the_runtime_and_lose_serde_attributes() {
        let (what, code) = run(quote! {
            #[derive(::serde::Deserialize, ::serde::Serialize, Clone)]
            #[serde(deny_unknown_fields)]
            pub struct Pet {
                pub name: String,
                #[serde(rename = "type", default, skip_serializing_if = "::std::option::Option::is_none")]
                pub type_: Option<String>,
                #[serde(default = "defaults::legs")]
                pub legs: i64,
                pub r#ref: String,
            }
        });
        assert_eq!(
            what.as_deref(),
            Some("1 structs are written by one runtime call (not serde's derive)")
        );
        assert!(code.contains("# [derive (Clone)]"), "{code}");
        assert!(!code.contains("serde ("), "{code}");
        assert!(
            code.contains("impl :: serde :: Serialize for Pet"),
            "{code}"
        );
        assert!(
            code.contains(r#"crate :: runtime :: ser :: object (serializer , "Pet" , & [("name" , :: std :: option :: Option :: Some (& self . name)) , ("type" , crate :: runtime :: ser :: unless (& self . type_ , :: std :: option :: Option :: is_none)) , ("legs" , :: std :: option :: Option :: Some (& self . legs)) , ("ref" , :: std :: option :: Option :: Some (& self . r#ref)) ,])"#),
            "{code}"
        );
        // The reader still knows the JSON names and the deny.
        assert!(
            code.contains(r#"& ["name" , "type" , "legs" , "ref"]"#),
            "{code}"
        );
        assert!(code.contains("__FIELDS , true"), "{code}");
    }

    #[test]
    fn what_the_writer_does_not_know_keeps_the_derive() {
        let (what, code) = run(quote! {
            // Not read by `map-readers` (a reader it does not know).
            #[derive(::serde::Deserialize, ::serde::Serialize)]
            pub struct Flat { #[serde(flatten)] pub rest: Map }
            // Read by the map reader, written by a helper.
            #[derive(::serde::Deserialize, ::serde::Serialize)]
            pub struct Number { #[serde(serialize_with = "as_written")] pub n: f64 }
            // Only written.
            #[derive(::serde::Serialize)]
            pub struct Sent { pub a: String }
        });
        assert_eq!(what, None);
        assert_eq!(code.matches(":: serde :: Serialize").count(), 3, "{code}");
        assert!(code.contains("serialize_with"), "{code}");
    }
}
