//! `nullable-fields`: a required, nullable property may also be missing.
//!
//! typify marks a property that is both required and nullable with
//! `#[serde(deserialize_with = "Option::deserialize")]`, which makes serde
//! reject the object when the property is absent. APIs leave such
//! properties out all the time (OpenAI's `refusal`, `error`, `code`), and a
//! client gains nothing by failing on it: the field becomes
//! `#[serde(default)]`, so absent and `null` both read as `None`. It is
//! still written (as `null` when `None`), as the spec requires.
//!
//! An optional property (typify: `#[serde(default)]` on a `Vec`, a map or
//! another type with a `Default`) may also be `null`, as APIs send for
//! "not set": such a field reads `null` as its default (through
//! `null_as_default`, emitted once into `mod types`).
//!
//! A required property that is *not* nullable is left alone: a response
//! without it, or with `null` in it, is an error naming the field.

use syn::punctuated::Punctuated;

const OPTION_DESERIALIZE: &str = "::std::option::Option::deserialize";

/// The helper that optional non-`Option` fields deserialize through.
pub(crate) const NULL_AS_DEFAULT: &str = "null_as_default";

/// Rewrite the fields of every struct among `items`; returns how many.
pub fn may_be_missing(items: &mut Vec<syn::Item>) -> usize {
    let mut count = 0;
    let mut helper_used = false;
    for (_, field) in super::named_fields_mut(items) {
        for attr in field
            .attrs
            .iter_mut()
            .filter(|a| a.path().is_ident("serde"))
        {
            let Ok(metas) =
                attr.parse_args_with(Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated)
            else {
                continue;
            };
            let is_option_deserialize = |m: &syn::Meta| match m {
                syn::Meta::NameValue(nv) if nv.path.is_ident("deserialize_with") => {
                    crate::items::str_lit(&nv.value)
                        .is_some_and(|s| s.replace(' ', "") == OPTION_DESERIALIZE)
                }
                _ => false,
            };
            if !metas.iter().any(is_option_deserialize) {
                let bare_default = metas
                    .iter()
                    .any(|m| matches!(m, syn::Meta::Path(p) if p.is_ident("default")));
                let custom = metas
                    .iter()
                    .any(|m| m.path().is_ident("deserialize_with") || m.path().is_ident("with"));
                let is_option = matches!(&field.ty, syn::Type::Path(p)
                        if p.path.segments.last().is_some_and(|s| s.ident == "Option"));
                if bare_default && !custom && !is_option {
                    let mut metas: Vec<syn::Meta> = metas.into_iter().collect();
                    metas.push(syn::parse_quote!(deserialize_with = "null_as_default"));
                    *attr = syn::parse_quote!(#[serde(#(#metas),*)]);
                    helper_used = true;
                    count += 1;
                }
                continue;
            }
            let mut kept: Vec<syn::Meta> = metas
                .into_iter()
                .filter(|m| !is_option_deserialize(m))
                .collect();
            if !kept.iter().any(|m| m.path().is_ident("default")) {
                kept.insert(0, syn::parse_quote!(default));
            }
            *attr = syn::parse_quote!(#[serde(#(#kept),*)]);
            count += 1;
        }
    }
    if helper_used {
        let name = syn::Ident::new(NULL_AS_DEFAULT, proc_macro2::Span::call_site());
        items.push(syn::parse_quote! {
            /// Reads `null` as the type's default: an optional property the API
            /// sends as `null` means "not set".
            fn #name<'de, D, T>(deserializer: D) -> ::std::result::Result<T, D::Error>
            where
                D: ::serde::Deserializer<'de>,
                T: ::serde::Deserialize<'de> + ::std::default::Default,
            {
                let value: ::std::option::Option<T> = ::serde::Deserialize::deserialize(deserializer)?;
                ::std::result::Result::Ok(value.unwrap_or_default())
            }
        });
    }
    count
}
