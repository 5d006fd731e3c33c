//! `complete-unions`: an untagged union keeps the member that reads the
//! whole input.
//!
//! serde's `#[serde(untagged)]` takes the first member that deserializes.
//! A struct member ignores properties it does not declare, so an earlier
//! member with fewer properties reads an object meant for a later one and
//! silently drops the rest: `{"type": "apply_patch", "allowed_callers": [..]}`
//! comes back without `allowed_callers`. Ordering the members
//! (`union-order`) lowers the odds; it cannot rule it out.
//!
//! The rule: of the members that deserialize, the first whose value
//! serializes back to the input is taken; only when none does (the input
//! has what no member declares) is the first that deserialized taken, as
//! before. The derived `Deserialize` of every untagged enum of newtype
//! members that `tagged-unions` left (no tag tells its members apart) is
//! replaced by one that reads the value once and tries the members so. A
//! value no member takes fails with each member's error.

/// Rewrite every such union among `items`; returns how many.
pub fn keep_complete(items: &mut Vec<syn::Item>) -> usize {
    let mut impls = Vec::new();
    for item in items.iter_mut() {
        let syn::Item::Enum(e) = item else { continue };
        let derives = super::derives(&e.attrs);
        if !derives.iter().any(|d| d == "Deserialize") || !derives.iter().any(|d| d == "Serialize")
        {
            continue;
        }
        let untagged = super::serde_metas(&e.attrs)
            .iter()
            .any(|m| matches!(m, syn::Meta::Path(p) if p.is_ident("untagged")));
        if !untagged || !e.generics.params.is_empty() || e.variants.len() < 2 {
            continue;
        }
        let Some(members) = newtype_members(e) else {
            continue;
        };
        super::remove_derive(&mut e.attrs, "Deserialize");
        impls.push(deserialize_impl(&e.ident, &members));
    }
    let count = impls.len();
    items.extend(impls);
    count
}

/// `(variant, payload type)` of each variant, when all wrap one value and
/// carry no serde attributes of their own.
fn newtype_members(e: &syn::ItemEnum) -> Option<Vec<(syn::Ident, syn::Type)>> {
    e.variants
        .iter()
        .map(|v| match &v.fields {
            syn::Fields::Unnamed(f)
                if f.unnamed.len() == 1 && super::serde_metas(&v.attrs).is_empty() =>
            {
                Some((v.ident.clone(), f.unnamed[0].ty.clone()))
            }
            _ => None,
        })
        .collect()
}

fn deserialize_impl(name: &syn::Ident, members: &[(syn::Ident, syn::Type)]) -> syn::Item {
    let variants = members.iter().map(|(v, _)| v);
    let types = members.iter().map(|(_, t)| t);
    let labels = members.iter().map(|(v, _)| v.to_string());
    syn::parse_quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: ::serde::Deserializer<'de>,
            {
                use ::serde::de::Error as _;
                let value: ::serde_json::Value = ::serde::Deserialize::deserialize(deserializer)?;
                let mut first: ::std::option::Option<Self> = ::std::option::Option::None;
                let mut errors: ::std::vec::Vec<::std::string::String> = ::std::vec::Vec::new();
                #(
                    match ::serde_json::from_value::<#types>(value.clone()) {
                        ::std::result::Result::Ok(member) => {
                            let member = Self::#variants(member);
                            if ::serde_json::to_value(&member).is_ok_and(|back| back == value) {
                                return ::std::result::Result::Ok(member);
                            }
                            first.get_or_insert(member);
                        }
                        ::std::result::Result::Err(e) => errors.push(::std::format!("{}: {}", #labels, e)),
                    }
                )*
                first.ok_or_else(|| {
                    D::Error::custom(::std::format!(
                        "no member of {} matches ({})",
                        ::std::stringify!(#name),
                        errors.join("; ")
                    ))
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    #[test]
    fn untagged_unions_of_newtypes_try_for_the_member_that_keeps_everything() {
        let mut file: syn::File = syn::parse_quote! {
            mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                #[serde(untagged)]
                pub enum Tool { Small(Small), Big(Big) }
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                pub enum Closed { A, B }
                #[derive(::serde::Serialize, Clone, Debug)]
                #[serde(untagged)]
                pub enum Written { A(String), B(i64) }
            }
        };
        let items = crate::items::module_mut(&mut file, "types").unwrap();
        assert_eq!(
            super::keep_complete(items),
            1,
            "only the untagged union that derives both"
        );
        let code = file.to_token_stream().to_string();
        assert!(
            code.contains("impl < 'de > :: serde :: Deserialize < 'de > for Tool"),
            "{code}"
        );
        assert!(
            code.contains("from_value :: < Small >") && code.contains("from_value :: < Big >"),
            "{code}"
        );
        assert!(code.contains("back == value"), "{code}");
        assert!(
            code.contains("# [derive (:: serde :: Serialize , Clone , Debug)] # [serde (untagged)] pub enum Tool"),
            "{code}"
        );
    }
}
