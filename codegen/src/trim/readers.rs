//! Step `map-readers`.
//!
//! **Rule:** a generated struct is read from a JSON object, and a JSON
//! object reaches a `Deserialize` impl only through `visit_map`. serde's
//! derive writes, per struct, a sequence visitor (for formats that write
//! structs as arrays), an enum of the field names with its own
//! `Deserialize` impl and visitor, and a wrapper type with a third impl per
//! `deserialize_with` field: about 200 lines a struct, and on OpenAI's API
//! three quarters of all the code the compiler expanded. Each struct's
//! derive of `Deserialize` is replaced by one map visitor that matches the
//! key's index and calls the shared functions of the runtime's `de` module
//! (`crate::runtime::de`), which behave as the derive does: duplicate,
//! missing and (under `deny_unknown_fields`) unknown fields are serde's
//! errors, an absent `Option` is `None`, unknown fields are skipped.
//!
//! Only what this reader knows is rewritten, so the rule holds by
//! construction: a struct keeps its derive unless its fields are named, it
//! has no generics, its own serde attributes are at most
//! `deny_unknown_fields`, and each field's are among `rename`, `default`
//! (with or without a path), the serializing ones, and the readers the
//! `refine` stage writes (`present_or_null`, `null_as_default`, both with
//! `default`). `Serialize` stays derived, with its attributes, and the
//! attributes the surface reads (wire names, `default`) stay; a rewritten
//! field loses its `deserialize_with`, and the readers' helper functions are
//! removed once nothing names them.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::items::module_mut;
use crate::refine::{derives, remove_derive, serde_metas};

/// `refine`'s reader of a tri-state field: the field is its own slot.
const PRESENT_OR_NULL: &str = crate::refine::tri_state::PRESENT_OR_NULL;
/// `refine`'s reader of a field whose `null` is its default.
const NULL_AS_DEFAULT: &str = crate::refine::nullable::NULL_AS_DEFAULT;

/// How one field is read and what it is when absent.
enum Read {
    /// Read its type; absent: `None` for an `Option`, else `missing field`.
    Required,
    /// Read its type; absent: `Default::default()` (or the path's value).
    Default(Option<syn::ExprPath>),
    /// A tri-state field (`Option<Option<T>>`, `default`): read the inner
    /// type into the field itself; absent stays `None`.
    Present,
    /// `null` or absent is the default (`default`).
    NullAsDefault,
}

/// Replace the derived `Deserialize` of every struct of `mod types` this
/// step can read; what it did (`None`: nothing).
pub fn map_readers(file: &mut syn::File) -> Option<String> {
    let items = module_mut(file, "types")?;
    let mut count = 0;
    crate::items::rewrite_each(items, |item| match item {
        syn::Item::Struct(s) => reader(s).inspect(|_| {
            remove_derive(&mut s.attrs, "Deserialize");
            for field in s.fields.iter_mut() {
                drop_reader_attr(&mut field.attrs);
            }
            count += 1;
        }),
        _ => None,
    });
    if count == 0 {
        return None;
    }
    for helper in [PRESENT_OR_NULL, NULL_AS_DEFAULT] {
        if !names_reader(items, helper) {
            items.retain(|item| !matches!(item, syn::Item::Fn(f) if f.sig.ident == helper));
        }
    }
    Some(format!(
        "{count} structs are read by one map visitor (not serde's derive)"
    ))
}

/// Remove `deserialize_with` from a field read here: the reader does its
/// work, and the `cfg` of the helper it names (`gate` follows every name a
/// type mentions) must come from the types that still call it.
fn drop_reader_attr(attrs: &mut Vec<syn::Attribute>) {
    attrs.retain_mut(|attr| {
        if !attr.path().is_ident("serde") {
            return true;
        }
        let metas = serde_metas(std::slice::from_ref(attr));
        let kept: Vec<&syn::Meta> = metas
            .iter()
            .filter(|m| !m.path().is_ident("deserialize_with"))
            .collect();
        if kept.len() != metas.len() {
            *attr = syn::parse_quote!(#[serde(#(#kept),*)]);
        }
        !kept.is_empty()
    });
}

/// The `Deserialize` impl of `s`, if this step can read it.
fn reader(s: &syn::ItemStruct) -> Option<syn::Item> {
    if !derives(&s.attrs).iter().any(|d| d == "Deserialize") || !s.generics.params.is_empty() {
        return None;
    }
    let syn::Fields::Named(named) = &s.fields else {
        return None;
    };
    let mut deny_unknown = false;
    for meta in serde_metas(&s.attrs) {
        match meta {
            syn::Meta::Path(p) if p.is_ident("deny_unknown_fields") => deny_unknown = true,
            _ => return None,
        }
    }
    let mut fields = Vec::new();
    for field in &named.named {
        fields.push((field.ident.clone()?, &field.ty, field_read(field)?));
    }
    let name = &s.ident;
    let wire: Vec<String> = named.named.iter().map(wire_name).collect();
    let slots: Vec<syn::Ident> = (0..fields.len()).map(|i| format_ident!("f{i}")).collect();
    let declare = fields
        .iter()
        .zip(&slots)
        .map(|((_, ty, read), slot)| match read {
            Read::Present => quote!(let mut #slot: #ty = ::std::option::Option::None;),
            _ => quote!(let mut #slot: ::std::option::Option<#ty> = ::std::option::Option::None;),
        });
    let arms = fields.iter().zip(&slots).zip(&wire).enumerate().map(
        |(i, (((_, _, read), slot), wire))| {
            let function = match read {
                Read::NullAsDefault => quote!(default_if_null),
                _ => quote!(value),
            };
            quote!(#i => crate::runtime::de::#function(&mut map, &mut #slot, #wire),)
        },
    );
    let values = fields
        .iter()
        .zip(&slots)
        .zip(&wire)
        .map(|(((ident, _, read), slot), wire)| {
            let value: TokenStream = match read {
                Read::Required => quote!(crate::runtime::de::required(#slot, #wire)?),
                Read::Default(None) | Read::NullAsDefault => quote!(#slot.unwrap_or_default()),
                Read::Default(Some(path)) => quote!(#slot.unwrap_or_else(#path)),
                Read::Present => quote!(#slot),
            };
            quote!(#ident: #value,)
        });
    let expecting = format!("struct {name}");
    let type_name = name.to_string();
    Some(syn::parse_quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: ::serde::Deserializer<'de>,
            {
                const __FIELDS: &[&str] = &[#(#wire),*];
                struct __Reader;
                impl<'de> ::serde::de::Visitor<'de> for __Reader {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<A>(self, mut map: A) -> ::std::result::Result<#name, A::Error>
                    where
                        A: ::serde::de::MapAccess<'de>,
                    {
                        #(#declare)*
                        while let ::std::option::Option::Some(index) =
                            crate::runtime::de::next_key(&mut map, __FIELDS, #deny_unknown)?
                        {
                            match index {
                                #(#arms)*
                                _ => ::std::result::Result::Ok(()),
                            }?;
                        }
                        ::std::result::Result::Ok(#name { #(#values)* })
                    }
                }
                deserializer.deserialize_struct(#type_name, __FIELDS, __Reader)
            }
        }
    })
}

/// How `field` is read, if its serde attributes are all known here.
fn field_read(field: &syn::Field) -> Option<Read> {
    let mut default: Option<Option<syn::ExprPath>> = None;
    let mut with: Option<String> = None;
    for meta in serde_metas(&field.attrs) {
        let key = meta.path().get_ident()?.to_string();
        match (key.as_str(), &meta) {
            ("default", syn::Meta::Path(_)) => default = Some(None),
            ("default", syn::Meta::NameValue(nv)) => {
                default = Some(Some(
                    syn::parse_str(&crate::items::str_lit(&nv.value)?).ok()?,
                ))
            }
            ("deserialize_with", syn::Meta::NameValue(nv)) => {
                with = Some(crate::items::str_lit(&nv.value)?)
            }
            ("rename" | "skip_serializing_if" | "serialize_with", syn::Meta::NameValue(_)) => {}
            _ => return None,
        }
    }
    match (with.as_deref(), default) {
        (None, None) => Some(Read::Required),
        (None, Some(path)) => Some(Read::Default(path)),
        (Some(PRESENT_OR_NULL), Some(None)) => Some(Read::Present),
        (Some(NULL_AS_DEFAULT), Some(None)) => Some(Read::NullAsDefault),
        _ => None,
    }
}

/// The JSON name of a named field: its `rename`, else its Rust name.
pub(crate) fn wire_name(field: &syn::Field) -> String {
    crate::refine::serde_str(&field.attrs, "rename").unwrap_or_else(|| {
        let ident = field
            .ident
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        ident.strip_prefix("r#").map(str::to_owned).unwrap_or(ident)
    })
}

/// Whether a field of a type of `items` that still derives `Deserialize`
/// names `helper` as its reader.
fn names_reader(items: &[syn::Item], helper: &str) -> bool {
    let names = |fields: &syn::Fields| {
        fields.iter().any(|f| {
            crate::refine::serde_str(&f.attrs, "deserialize_with").as_deref() == Some(helper)
        })
    };
    let derived = |attrs: &[syn::Attribute]| derives(attrs).iter().any(|d| d == "Deserialize");
    items.iter().any(|item| match item {
        syn::Item::Struct(s) => derived(&s.attrs) && names(&s.fields),
        syn::Item::Enum(e) => derived(&e.attrs) && e.variants.iter().any(|v| names(&v.fields)),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn run(types: TokenStream) -> (Option<String>, String) {
        let mut file: syn::File = syn::parse_quote!(pub mod types { #types });
        let what = map_readers(&mut file);
        (what, file.to_token_stream().to_string())
    }

    #[test]
    fn known_structs_get_a_map_reader_and_keep_serialize() {
        let (what, code) = run(quote! {
            #[derive(::serde::Deserialize, ::serde::Serialize, Clone)]
            #[serde(deny_unknown_fields)]
            pub struct Pet {
                pub name: String,
                #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
                pub type_: Option<String>,
                #[serde(default, deserialize_with = "present_or_null")]
                pub owner: Option<Option<String>>,
                #[serde(default, deserialize_with = "null_as_default")]
                pub toys: Vec<String>,
                #[serde(default = "defaults::legs")]
                pub legs: i64,
            }
            fn present_or_null() {}
            fn null_as_default() {}
        });
        assert_eq!(
            what.as_deref(),
            Some("1 structs are read by one map visitor (not serde's derive)")
        );
        assert!(
            code.contains("# [derive (:: serde :: Serialize , Clone)]"),
            "{code}"
        );
        assert!(
            code.contains("impl < 'de > :: serde :: Deserialize < 'de > for Pet"),
            "{code}"
        );
        assert!(
            code.contains(r#"& ["name" , "type" , "owner" , "toys" , "legs"]"#),
            "{code}"
        );
        assert!(
            code.contains("next_key (& mut map , __FIELDS , true) ?"),
            "{code}"
        );
        assert!(
            code.contains(
                "let mut f2 : Option < Option < String > > = :: std :: option :: Option :: None"
            ),
            "{code}"
        );
        assert!(
            code.contains(r#"3usize => crate :: runtime :: de :: default_if_null (& mut map , & mut f3 , "toys") ,"#),
            "{code}"
        );
        assert!(
            code.contains("f4 . unwrap_or_else (defaults :: legs)"),
            "{code}"
        );
        assert!(code.contains(r#"required (f0 , "name") ?"#), "{code}");
        // Nothing names the readers any more.
        assert!(!code.contains("deserialize_with"), "{code}");
        assert!(code.contains("# [serde (default)] pub owner"), "{code}");
        assert!(!code.contains("fn present_or_null"), "{code}");
        assert!(!code.contains("fn null_as_default"), "{code}");
    }

    #[test]
    fn what_the_reader_does_not_know_keeps_the_derive() {
        let (what, code) = run(quote! {
            #[derive(::serde::Deserialize)]
            #[serde(transparent)]
            pub struct Id { pub value: String }
            #[derive(::serde::Deserialize)]
            pub struct Flat { #[serde(flatten)] pub rest: Map }
            #[derive(::serde::Deserialize)]
            pub struct Other { #[serde(deserialize_with = "present_or_null")] pub x: Option<Option<i64>> }
            #[derive(::serde::Deserialize)]
            pub struct Tuple(pub String);
            #[derive(::serde::Deserialize)]
            pub enum E { A }
            fn present_or_null() {}
        });
        assert_eq!(what, None);
        assert_eq!(
            code.matches("derive (:: serde :: Deserialize)").count(),
            5,
            "{code}"
        );
        assert!(code.contains("fn present_or_null"), "{code}");
    }
}
