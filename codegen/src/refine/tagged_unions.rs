//! `tagged-unions`: an untagged union whose members a property tells apart
//! is read by that property.
//!
//! typify turns `oneOf: [$ref: A, $ref: B, ..]` into an untagged enum of
//! newtype variants. serde then tries each member in turn and takes the
//! first that parses: a member with few required properties shadows the
//! ones after it (dropping their fields), and a value no member takes
//! fails with "data did not match any variant", which names nothing.
//!
//! When every member is a struct with a constant property of the same wire
//! name (`type: const: message`, OpenAI's and most APIs' discriminator) and
//! the constants differ, the derived `Deserialize` is replaced by one that
//! reads the value, looks at that property and parses the one member it
//! names, so nothing shadows anything and an error names the member and the
//! field. A value without the property falls back to trying each member in
//! order, as before. Serialization is unchanged (each member writes its own
//! constant).

use std::collections::HashMap;

/// Rewrite every such union among `items`; returns how many.
pub fn read_by_tag(items: &mut Vec<syn::Item>) -> usize {
    let constants = one_value_enums(items);
    let structs = struct_constants(items, &constants);
    let mut impls = Vec::new();
    for item in items.iter_mut() {
        let syn::Item::Enum(e) = item else { continue };
        if !is_untagged(&e.attrs) {
            continue;
        }
        let Some((tag, members)) = tag_of(e, &structs) else {
            continue;
        };
        super::remove_derive(&mut e.attrs, "Deserialize");
        impls.push(deserialize_impl(&e.ident, &tag, &members));
    }
    let count = impls.len();
    items.extend(impls);
    count
}

/// Name of every enum with exactly one unit variant -> its wire value.
fn one_value_enums(items: &[syn::Item]) -> HashMap<String, String> {
    items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Enum(e) if e.variants.len() == 1 => {
                let v = e.variants.first()?;
                if !matches!(v.fields, syn::Fields::Unit) {
                    return None;
                }
                let wire =
                    super::serde_str(&v.attrs, "rename").unwrap_or_else(|| v.ident.to_string());
                Some((e.ident.to_string(), wire))
            }
            _ => None,
        })
        .collect()
}

/// Struct name -> (wire name of a required constant property -> its value).
fn struct_constants(
    items: &[syn::Item],
    constants: &HashMap<String, String>,
) -> HashMap<String, HashMap<String, String>> {
    let mut out = HashMap::new();
    for item in items {
        let syn::Item::Struct(s) = item else { continue };
        let syn::Fields::Named(fields) = &s.fields else {
            continue;
        };
        let mut found = HashMap::new();
        for f in &fields.named {
            let syn::Type::Path(p) = &f.ty else { continue };
            let Some(ty) = p.path.get_ident() else {
                continue;
            };
            let Some(value) = constants.get(&ty.to_string()) else {
                continue;
            };
            // Only a property serde requires: a defaulted one may be absent.
            if !super::serde_metas(&f.attrs).is_empty()
                && super::serde_metas(&f.attrs)
                    .iter()
                    .any(|m| !m.path().is_ident("rename"))
            {
                continue;
            }
            let wire = super::serde_str(&f.attrs, "rename").unwrap_or_else(|| {
                f.ident
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default()
            });
            found.insert(wire, value.clone());
        }
        if !found.is_empty() {
            out.insert(s.ident.to_string(), found);
        }
    }
    out
}

fn is_untagged(attrs: &[syn::Attribute]) -> bool {
    super::serde_metas(attrs)
        .iter()
        .any(|m| matches!(m, syn::Meta::Path(p) if p.is_ident("untagged")))
}

/// The tag property and `(variant, value)` of each member, when every
/// variant wraps one struct and one property tells them all apart.
fn tag_of(
    e: &syn::ItemEnum,
    structs: &HashMap<String, HashMap<String, String>>,
) -> Option<(String, Vec<(syn::Ident, String)>)> {
    if e.variants.len() < 2 {
        return None;
    }
    let mut members = Vec::new();
    for v in &e.variants {
        let syn::Fields::Unnamed(fields) = &v.fields else {
            return None;
        };
        if fields.unnamed.len() != 1 {
            return None;
        }
        let syn::Type::Path(p) = &fields.unnamed[0].ty else {
            return None;
        };
        let name = p.path.get_ident()?.to_string();
        members.push((v.ident.clone(), structs.get(&name)?));
    }
    let candidates: Vec<&String> = {
        let mut c: Vec<&String> = members[0].1.keys().collect();
        c.sort_by_key(|k| (k.as_str() != "type", k.as_str() != "object", k.to_string()));
        c
    };
    for tag in candidates {
        let values: Option<Vec<(syn::Ident, String)>> = members
            .iter()
            .map(|(v, consts)| consts.get(tag).map(|value| (v.clone(), value.clone())))
            .collect();
        let Some(values) = values else { continue };
        let mut distinct: Vec<&String> = values.iter().map(|(_, v)| v).collect();
        distinct.sort();
        distinct.dedup();
        if distinct.len() == values.len() {
            return Some((tag.clone(), values));
        }
    }
    None
}

fn deserialize_impl(name: &syn::Ident, tag: &str, members: &[(syn::Ident, String)]) -> syn::Item {
    let variants: Vec<&syn::Ident> = members.iter().map(|(v, _)| v).collect();
    let values: Vec<&String> = members.iter().map(|(_, t)| t).collect();
    let expected = values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ");
    syn::parse_quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: ::serde::Deserializer<'de>,
            {
                use ::serde::de::Error as _;
                let value: ::serde_json::Value = ::serde::Deserialize::deserialize(deserializer)?;
                let tag = value.get(#tag).and_then(::serde_json::Value::as_str).map(str::to_owned);
                match tag.as_deref() {
                    #(
                        ::std::option::Option::Some(#values) => ::serde_json::from_value(value)
                            .map(Self::#variants)
                            .map_err(|e| D::Error::custom(::std::format!("{} `{}`: {}", #tag, #values, e))),
                    )*
                    ::std::option::Option::Some(other) => ::std::result::Result::Err(D::Error::custom(
                        ::std::format!("unknown {} `{}`, expected one of {}", #tag, other, #expected),
                    )),
                    ::std::option::Option::None => {
                        #(
                            if let ::std::result::Result::Ok(v) = ::serde_json::from_value(value.clone()) {
                                return ::std::result::Result::Ok(Self::#variants(v));
                            }
                        )*
                        ::std::result::Result::Err(D::Error::custom(::std::format!(
                            "no `{}` property and no member of {} matches", #tag, ::std::stringify!(#name)
                        )))
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    #[test]
    fn a_union_of_tagged_structs_is_read_by_its_tag() {
        let mut file: syn::File = syn::parse_quote! {
            mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                #[serde(untagged)]
                pub enum Shape { Circle(Circle), Square(Square) }
                pub struct Circle { #[serde(rename = "type")] pub type_: CircleType, pub radius: f64 }
                pub struct Square { #[serde(rename = "type")] pub type_: SquareType, pub side: f64 }
                pub enum CircleType { #[serde(rename = "circle")] Circle }
                pub enum SquareType { #[serde(rename = "square")] Square }
                #[derive(::serde::Deserialize, ::serde::Serialize)]
                #[serde(untagged)]
                pub enum Loose { A(Circle), B(String) }
            }
        };
        let items = crate::items::module_mut(&mut file, "types").unwrap();
        assert_eq!(
            super::read_by_tag(items),
            1,
            "only the union of tagged structs"
        );
        let code = file.to_token_stream().to_string();
        assert!(
            code.contains("impl < 'de > :: serde :: Deserialize < 'de > for Shape"),
            "{code}"
        );
        assert!(
            code.contains("Some (\"circle\")") && code.contains("Some (\"square\")"),
            "{code}"
        );
        assert!(
            code.contains("derive (:: serde :: Serialize , Clone , Debug)"),
            "{code}"
        );
    }
}
