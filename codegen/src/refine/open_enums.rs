//! `open-enums`: string enums that accept values the spec does not list.
//!
//! APIs add enum values (a new model, a new status) long before a client is
//! regenerated. typify's string enums reject any value they do not know,
//! failing the whole response. Here every string enum of `mod types` (unit
//! variants only, each naming one JSON string, at least two of them: a
//! one-value enum is a constant that tells union members apart) gets one
//! more variant, last and `#[serde(untagged)]`:
//!
//! ```ignore
//! /// A value the spec does not list, kept as sent.
//! #[serde(untagged)]
//! Other(String),
//! ```
//!
//! `Other` serializes as the bare string, so an unknown value survives a
//! round trip. A caller can also send a value the spec does not list yet.
//! The enum stops being `Copy`; its `Display` and `FromStr` cover `Other`
//! (parsing never fails), and `as_str()` gives the wire value of any variant.
//!
//! **Read as a string, then matched** (rule: an open string enum's
//! `Deserialize` is its `FromStr`). serde's derive cannot express "any
//! other string" except through an untagged variant, and an enum with one
//! untagged variant is read by buffering the input into serde's `Content`
//! and trying the tagged variants, then the untagged one: a visitor per
//! enum, a field enum per enum and the buffering, about ten times the code
//! of reading a `String` and matching it. A spec has a thousand or more of
//! these enums (OpenAI: 1,864), so the derive was a large share of every
//! user's compile time. The derive of `Deserialize` is replaced by an impl
//! that reads a `String` and parses it; a non-string is an error that says a
//! string was expected. `Serialize` stays derived (one `match`; it also keeps
//! each variant's `#[serde(rename)]`, which the surface reads).

use quote::format_ident;

/// The name of the added variant (or, when a listed value already took it,
/// the first free one of these).
const OTHER_NAMES: [&str; 3] = ["Other", "OtherValue", "UnlistedValue"];

/// The value `normalize`'s `string-unions` adds to an enum of one named
/// value that also takes any other string (`anyOf: [string, {enum: [USD]}]`):
/// without it the enum would be read as a constant and stay closed. Its
/// variant is removed here, and the enum opened.
pub const OPEN_MARK: &str = "x-codegen-open-enum";

/// Open every string enum among `items`; returns how many were opened.
pub fn open(items: &mut Vec<syn::Item>) -> usize {
    let mut opened = Vec::new();
    for item in items.iter_mut() {
        if let syn::Item::Enum(e) = item
            && let Some(mut values) = string_values(e)
        {
            if let Some(mark) = values.iter().position(|(_, wire)| wire == OPEN_MARK) {
                let (ident, _) = values.remove(mark);
                e.variants = std::mem::take(&mut e.variants)
                    .into_iter()
                    .filter(|v| v.ident != ident)
                    .collect();
            }
            let taken = |n: &&str| e.variants.iter().any(|v| v.ident == n);
            let Some(other) = OTHER_NAMES.iter().find(|n| !taken(n)) else {
                continue;
            };
            let other = format_ident!("{other}");
            super::remove_derive(&mut e.attrs, "Copy");
            super::remove_derive(&mut e.attrs, "Deserialize");
            e.variants.push(syn::parse_quote! {
                /// A value the spec does not list, kept as sent.
                #[serde(untagged)]
                #other(::std::string::String)
            });
            opened.push((e.ident.clone(), values, other));
        }
    }
    let count = opened.len();
    // The trait impls of each type, found in one pass (a spec has
    // thousands of enums and tens of thousands of items).
    let mut impls: std::collections::HashMap<String, Vec<usize>> = Default::default();
    for (i, item) in items.iter().enumerate() {
        if let syn::Item::Impl(imp) = item
            && imp.trait_.is_some()
            && let syn::Type::Path(self_ty) = &*imp.self_ty
            && let Some(ident) = self_ty.path.get_ident()
        {
            impls.entry(ident.to_string()).or_default().push(i);
        }
    }
    let mut added = std::collections::HashMap::new();
    for (name, values, other) in opened {
        let own = impls.get(&name.to_string()).map_or(&[][..], Vec::as_slice);
        let block = rewrite_impls(items, own, &name, &values, &other);
        added.insert(name, block);
    }
    // Each enum's `as_str` and `Deserialize` impls right after the enum.
    crate::items::rewrite_each(items, |item| match item {
        syn::Item::Enum(e) => added.remove(&e.ident).into_iter().flatten(),
        _ => None.into_iter().flatten(),
    });
    count
}

/// `(variant, wire value)` of an enum whose variants are all units naming
/// a string, with serde derives and no enum-level serde representation.
fn string_values(e: &syn::ItemEnum) -> Option<Vec<(syn::Ident, String)>> {
    let derives = super::derives(&e.attrs);
    let has = |d: &str| derives.iter().any(|x| x == d);
    if !has("Serialize") || !has("Deserialize") || e.variants.is_empty() {
        return None;
    }
    if !super::serde_metas(&e.attrs).is_empty() {
        return None;
    }
    // A one-value enum is a constant (`type: const: function`): it tells
    // the members of a union apart, and opening it would let every member
    // match every value.
    if e.variants.len() < 2 {
        return None;
    }
    e.variants
        .iter()
        .map(|v| {
            if !matches!(v.fields, syn::Fields::Unit) {
                return None;
            }
            let metas = super::serde_metas(&v.attrs);
            let only_rename = metas
                .iter()
                .all(|m| matches!(m, syn::Meta::NameValue(nv) if nv.path.is_ident("rename")));
            if !only_rename {
                return None;
            }
            let wire = super::serde_str(&v.attrs, "rename").unwrap_or_else(|| v.ident.to_string());
            Some((v.ident.clone(), wire))
        })
        .collect()
}

/// Replace typify's `Display` and `FromStr` of `name` (among the items at
/// `own`, the trait impls of `name`) with ones that cover the `other`
/// variant, and add `as_str`.
/// Returns the new impls to place after the enum: `as_str`, and
/// `Deserialize` through `FromStr`.
fn rewrite_impls(
    items: &mut [syn::Item],
    own: &[usize],
    name: &syn::Ident,
    values: &[(syn::Ident, String)],
    other: &syn::Ident,
) -> [syn::Item; 2] {
    let variants: Vec<&syn::Ident> = values.iter().map(|(v, _)| v).collect();
    let wires: Vec<&String> = values.iter().map(|(_, w)| w).collect();
    let mut from_str = false;
    for &i in own {
        let item = &mut items[i];
        let syn::Item::Impl(imp) = item else { continue };
        let syn::Type::Path(self_ty) = &*imp.self_ty else {
            continue;
        };
        if !self_ty.path.is_ident(name) {
            continue;
        }
        let Some((trait_path, _)) = &imp.trait_ else {
            continue;
        };
        let Some(last) = trait_path.segments.last() else {
            continue;
        };
        if last.ident == "Display" {
            *item = syn::parse_quote! {
                impl ::std::fmt::Display for #name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(self.as_str())
                    }
                }
            };
        } else if last.ident == "FromStr" {
            from_str = true;
            let err = imp.items.iter().find_map(|i| match i {
                syn::ImplItem::Type(t) if t.ident == "Err" => Some(t.ty.clone()),
                _ => None,
            });
            let err = err.unwrap_or_else(|| syn::parse_quote!(::std::convert::Infallible));
            *item = syn::parse_quote! {
                impl ::std::str::FromStr for #name {
                    type Err = #err;
                    fn from_str(value: &str) -> ::std::result::Result<Self, #err> {
                        ::std::result::Result::Ok(match value {
                            #(#wires => Self::#variants,)*
                            other => Self::#other(other.to_owned()),
                        })
                    }
                }
            };
        }
    }
    // `Deserialize` parses; an enum typify gave no `FromStr` gets one.
    let parse: Option<syn::ImplItem> = (!from_str).then(|| {
        syn::parse_quote! {
            fn parse(value: &str) -> ::std::result::Result<Self, ::std::convert::Infallible> {
                ::std::result::Result::Ok(match value {
                    #(#wires => Self::#variants,)*
                    other => Self::#other(other.to_owned()),
                })
            }
        }
    });
    let as_str: syn::Item = syn::parse_quote! {
        impl #name {
            /// The value as it goes over the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #wires,)*
                    Self::#other(value) => value.as_str(),
                }
            }
            #parse
        }
    };
    let parse: syn::Expr = if from_str {
        syn::parse_quote!(value.parse())
    } else {
        syn::parse_quote!(Self::parse(&value))
    };
    let deserialize: syn::Item = syn::parse_quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: ::serde::Deserializer<'de>,
            {
                let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                #parse.map_err(::serde::de::Error::custom)
            }
        }
    };
    [as_str, deserialize]
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    #[test]
    fn string_enums_of_two_or_more_values_take_any_value() {
        let mut file: syn::File = syn::parse_quote! {
            mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Copy, Debug)]
                pub enum Status { #[serde(rename = "ready")] Ready, #[serde(rename = "failed")] Failed }
                impl ::std::fmt::Display for Status {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { match *self { Self::Ready => f.write_str("ready"), Self::Failed => f.write_str("failed") } }
                }
                impl ::std::str::FromStr for Status {
                    type Err = self::error::ConversionError;
                    fn from_str(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> { match value { "ready" => Ok(Self::Ready), _ => Err("invalid value".into()) } }
                }
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Copy, Debug)]
                pub enum Kind { #[serde(rename = "thing")] Thing }
            }
        };
        let items = crate::items::module_mut(&mut file, "types").unwrap();
        assert_eq!(
            super::open(items),
            1,
            "a one-value enum is a constant, left closed"
        );
        let code = file.to_token_stream().to_string();
        assert!(
            code.contains("# [serde (untagged)] Other (:: std :: string :: String)"),
            "{code}"
        );
        assert!(
            code.contains("derive (:: serde :: Serialize , Clone , Debug)"),
            "Copy and the derived Deserialize are gone: {code}"
        );
        assert!(
            code.contains("impl < 'de > :: serde :: Deserialize < 'de > for Status")
                && code.contains("value . parse () . map_err"),
            "Status is read through its FromStr: {code}"
        );
        assert!(
            code.contains("other => Self :: Other (other . to_owned ())"),
            "{code}"
        );
        assert!(
            code.contains("Self :: Other (value) => value . as_str ()"),
            "{code}"
        );
        assert!(!code.contains("invalid value"), "{code}");
    }

    #[test]
    fn a_one_value_enum_marked_open_is_opened_and_the_mark_removed() {
        let mut file: syn::File = syn::parse_quote! {
            mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Copy, Debug)]
                pub enum Currency { #[serde(rename = "USD")] Usd, #[serde(rename = "x-codegen-open-enum")] XCodegenOpenEnum }
                impl ::std::fmt::Display for Currency {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { match *self { Self::Usd => f.write_str("USD"), Self::XCodegenOpenEnum => f.write_str("x-codegen-open-enum") } }
                }
            }
        };
        let items = crate::items::module_mut(&mut file, "types").unwrap();
        assert_eq!(super::open(items), 1);
        let code = file.to_token_stream().to_string();
        assert!(!code.contains("XCodegenOpenEnum"), "{code}");
        assert!(!code.contains(super::OPEN_MARK), "{code}");
        assert!(
            code.contains("pub enum Currency { # [serde (rename = \"USD\")] Usd ,")
                && code.contains("# [serde (untagged)] Other (:: std :: string :: String) }"),
            "{code}"
        );
        assert!(
            code.contains("fn parse (value : & str)")
                && code.contains("Self :: parse (& value) . map_err"),
            "an enum without FromStr is read through a parse of its own: {code}"
        );
    }
}
