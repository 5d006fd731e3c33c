//! `any-of`: each member of an `anyOf` reads the whole input.
//!
//! typify makes an `anyOf` of objects a struct of
//! `#[serde(flatten)] Option<Member>` fields (`subtype_0`, `subtype_1`,
//! ..): every member that matches is kept, as `anyOf` means. But serde's
//! flatten hands the input's properties out one member after another, and
//! a member takes the properties it declares *before* it knows whether it
//! matches: when it then fails (a tag of another member, a required
//! property missing), what it took is gone for the members after it.
//! Discord's invite body lost `temporary`, OpenAI's audio format its
//! `type`. Writing it back, flattened members that share a property write
//! it twice.
//!
//! The rule: each member reads the whole input on its own; the members
//! that match are kept, and a value no member matches is an error naming
//! the type and each member's reason (an `anyOf` needs one). Written back,
//! the matching members' objects are merged into one (a member that is not
//! an object is written as it is). The derived `Deserialize` and
//! `Serialize` of every struct whose fields are all such members are
//! replaced; its fields, builder and API are unchanged.

/// Rewrite every such struct among `items`; returns how many.
pub fn each_member_reads_all(items: &mut Vec<syn::Item>) -> usize {
    let mut impls = Vec::new();
    for item in items.iter_mut() {
        let syn::Item::Struct(s) = item else { continue };
        let derives = super::derives(&s.attrs);
        if !derives.iter().any(|d| d == "Deserialize")
            || !derives.iter().any(|d| d == "Serialize")
            || !s.generics.params.is_empty()
        {
            continue;
        }
        let Some(members) = members(s) else { continue };
        super::remove_derive(&mut s.attrs, "Deserialize");
        super::remove_derive(&mut s.attrs, "Serialize");
        // `#[serde(..)]` needs the derives; the impls below do its work.
        s.attrs.retain(|a| !a.path().is_ident("serde"));
        for field in s.fields.iter_mut() {
            field.attrs.retain(|a| !a.path().is_ident("serde"));
        }
        impls.extend(impls_for(&s.ident, &members));
    }
    let count = impls.len() / 2;
    items.extend(impls);
    count
}

/// `(field, member type)` of every field, when each is typify's flattened
/// optional member (`#[serde(flatten, skip_serializing_if = ..)]
/// subtype_N: Option<T>`), and there are two or more.
fn members(s: &syn::ItemStruct) -> Option<Vec<(syn::Ident, syn::Type)>> {
    let syn::Fields::Named(fields) = &s.fields else {
        return None;
    };
    if fields.named.len() < 2 {
        return None;
    }
    fields
        .named
        .iter()
        .map(|f| {
            let ident = f.ident.clone()?;
            let flatten = super::serde_metas(&f.attrs)
                .iter()
                .any(|m| matches!(m, syn::Meta::Path(p) if p.is_ident("flatten")));
            if !flatten || !ident.to_string().starts_with("subtype_") {
                return None;
            }
            Some((ident, option_inner(&f.ty)?.clone()))
        })
        .collect()
}

/// `T` of `Option<T>`.
fn option_inner(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last().filter(|s| s.ident == "Option")?;
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(inner) => Some(inner),
        _ => None,
    }
}

fn impls_for(name: &syn::Ident, members: &[(syn::Ident, syn::Type)]) -> [syn::Item; 2] {
    let fields: Vec<&syn::Ident> = members.iter().map(|(f, _)| f).collect();
    let types = members.iter().map(|(_, t)| t);
    let labels = members.iter().map(|(_, t)| quote::quote!(#t).to_string());
    let deserialize = syn::parse_quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: ::serde::Deserializer<'de>,
            {
                use ::serde::de::Error as _;
                let value: ::serde_json::Value = ::serde::Deserialize::deserialize(deserializer)?;
                let mut errors: ::std::vec::Vec<::std::string::String> = ::std::vec::Vec::new();
                let out = Self {
                    #(
                        #fields: match <#types as ::serde::Deserialize>::deserialize(&value) {
                            ::std::result::Result::Ok(member) => ::std::option::Option::Some(member),
                            ::std::result::Result::Err(e) => {
                                errors.push(::std::format!("{}: {}", #labels, e));
                                ::std::option::Option::None
                            }
                        },
                    )*
                };
                if #(out.#fields.is_none())&&* {
                    return ::std::result::Result::Err(D::Error::custom(::std::format!(
                        "no member of {} matches ({})",
                        ::std::stringify!(#name),
                        errors.join("; ")
                    )));
                }
                ::std::result::Result::Ok(out)
            }
        }
    };
    let serialize = syn::parse_quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error>
            where
                S: ::serde::Serializer,
            {
                use ::serde::ser::Error as _;
                let mut merged = ::serde_json::Map::new();
                #(
                    if let ::std::option::Option::Some(member) = &self.#fields {
                        match ::serde_json::to_value(member).map_err(S::Error::custom)? {
                            ::serde_json::Value::Object(object) => merged.extend(object),
                            other => return ::serde::Serialize::serialize(&other, serializer),
                        }
                    }
                )*
                ::serde::Serialize::serialize(&merged, serializer)
            }
        }
    };
    [deserialize, serialize]
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    #[test]
    fn each_member_of_an_any_of_reads_the_whole_input() {
        let mut file: syn::File = syn::parse_quote! {
            mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default)]
                pub struct Invite {
                    #[serde(flatten, skip_serializing_if = "::std::option::Option::is_none")]
                    pub subtype_0: ::std::option::Option<GroupInvite>,
                    #[serde(flatten, skip_serializing_if = "::std::option::Option::is_none")]
                    pub subtype_1: ::std::option::Option<GuildInvite>,
                }
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default)]
                pub struct Mixed {
                    #[serde(flatten, skip_serializing_if = "::std::option::Option::is_none")]
                    pub subtype_0: ::std::option::Option<GroupInvite>,
                    pub name: ::std::string::String,
                }
            }
        };
        let items = crate::items::module_mut(&mut file, "types").unwrap();
        assert_eq!(
            super::each_member_reads_all(items),
            1,
            "only the struct of members"
        );
        let code = file.to_token_stream().to_string();
        assert!(
            code.contains("# [derive (Clone , Debug , Default)] pub struct Invite"),
            "{code}"
        );
        assert!(
            code.contains("< GroupInvite as :: serde :: Deserialize > :: deserialize (& value)")
                && code.contains(
                    "< GuildInvite as :: serde :: Deserialize > :: deserialize (& value)"
                ),
            "each member reads the whole value: {code}"
        );
        assert!(code.contains("no member of"), "{code}");
        assert!(
            code.contains(
                "pub struct Invite { pub subtype_0 : :: std :: option :: Option < GroupInvite > ,"
            ),
            "no serde attributes without the derives: {code}"
        );
        assert!(code.contains("merged . extend (object)"), "{code}");
        assert!(
            code.contains("# [derive (:: serde :: Deserialize , :: serde :: Serialize , Clone , Debug , Default)] pub struct Mixed"),
            "{code}"
        );
    }
}
