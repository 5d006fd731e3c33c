//! Step `string-readers`.
//!
//! **Rule:** an enum of unit variants, each naming one JSON string, is read
//! from a string. serde's derive reads it as an enum instead: an enum of the
//! variant names with its own `Deserialize` impl and visitor (strings,
//! bytes and integer indexes), and an enum visitor, about a hundred lines an
//! enum. OpenAI's API has more than a thousand such enums, nearly all of one
//! value (`type: "message"`, the constants that tell union members apart;
//! enums of several values are opened by `refine`'s `open-enums`, which
//! reads them through `FromStr`). The derive is replaced by a `match` on the
//! index the runtime's `de::variant` finds; another string is serde's error
//! (`unknown variant`, with the expected values).
//!
//! Only enums whose every variant is a unit with at most a `rename` are
//! rewritten, and only without serde attributes of their own; anything else
//! keeps its derive. `Serialize` stays derived, and the renames stay where
//! the surface reads them.

use crate::items::module_mut;
use crate::refine::{derives, remove_derive, serde_metas, serde_str};

/// Replace the derived `Deserialize` of every such enum of `mod types`;
/// what it did (`None`: nothing).
pub fn string_readers(file: &mut syn::File) -> Option<String> {
    let items = module_mut(file, "types")?;
    let mut count = 0;
    crate::items::rewrite_each(items, |item| match item {
        syn::Item::Enum(e) => reader(e).inspect(|_| {
            remove_derive(&mut e.attrs, "Deserialize");
            count += 1;
        }),
        _ => None,
    });
    (count > 0)
        .then(|| format!("{count} enums of strings are read as a string (not serde's derive)"))
}

/// The `Deserialize` impl of `e`, if every variant is a unit naming a
/// string.
fn reader(e: &syn::ItemEnum) -> Option<syn::Item> {
    if !derives(&e.attrs).iter().any(|d| d == "Deserialize")
        || !e.generics.params.is_empty()
        || !serde_metas(&e.attrs).is_empty()
        || e.variants.is_empty()
    {
        return None;
    }
    let mut names = Vec::new();
    for v in &e.variants {
        if !matches!(v.fields, syn::Fields::Unit) || v.discriminant.is_some() {
            return None;
        }
        let metas = serde_metas(&v.attrs);
        let renamed = serde_str(&v.attrs, "rename");
        match (metas.len(), renamed) {
            (0, None) => names.push(v.ident.to_string()),
            (1, Some(wire)) => names.push(wire),
            _ => return None,
        }
    }
    let name = &e.ident;
    let last = e.variants.len() - 1;
    let arms = e.variants.iter().enumerate().map(|(i, v)| {
        let ident = &v.ident;
        if i == last {
            quote::quote!(_ => ::std::result::Result::Ok(Self::#ident),)
        } else {
            quote::quote!(#i => ::std::result::Result::Ok(Self::#ident),)
        }
    });
    Some(syn::parse_quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: ::serde::Deserializer<'de>,
            {
                match crate::runtime::de::variant(deserializer, &[#(#names),*])? {
                    #(#arms)*
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::{ToTokens, quote};

    #[test]
    fn unit_enums_of_strings_are_read_as_strings() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Copy)]
                pub enum Kind {
                    #[serde(rename = "message")]
                    Message,
                }
                #[derive(::serde::Deserialize, ::serde::Serialize)]
                pub enum Two { #[serde(rename = "a-b")] AB, Plain }
                #[derive(::serde::Deserialize)]
                #[serde(untagged)]
                pub enum Union { A(String), B(i64) }
                #[derive(::serde::Deserialize)]
                pub enum Payload { A(String) }
                #[derive(::serde::Deserialize)]
                pub enum Alias { #[serde(rename = "a", alias = "b")] A }
            }
        };
        let what = string_readers(&mut file);
        assert_eq!(
            what.as_deref(),
            Some("2 enums of strings are read as a string (not serde's derive)")
        );
        let code = file.to_token_stream().to_string();
        let kind = quote! {
            impl<'de> ::serde::Deserialize<'de> for Kind {
                fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
                where
                    D: ::serde::Deserializer<'de>,
                {
                    match crate::runtime::de::variant(deserializer, &["message"])? {
                        _ => ::std::result::Result::Ok(Self::Message),
                    }
                }
            }
        };
        assert!(code.contains(&kind.to_string()), "{code}");
        assert!(code.contains(r#"& ["a-b" , "Plain"]"#), "{code}");
        assert!(
            code.contains("0usize => :: std :: result :: Result :: Ok (Self :: AB)"),
            "{code}"
        );
        assert!(
            code.contains("# [derive (:: serde :: Serialize , Clone , Copy)]"),
            "{code}"
        );
        // The union, the payload enum and the alias keep their derive.
        assert_eq!(
            code.matches("derive (:: serde :: Deserialize)").count(),
            3,
            "{code}"
        );
    }
}
