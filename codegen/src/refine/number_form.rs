//! `number-form`: a whole number in a `number` property is written as an
//! integer.
//!
//! typify maps `type: number` to `f64`, and serde_json writes every `f64`
//! with a fraction: a caller's `temperature: 1` goes out as `1.0`, and a
//! value read as `2` is sent back as `2.0`. Both are the same JSON number,
//! but not the same text, and APIs (and their request signatures, caches
//! and logs) see the difference. `f64` and `Option<f64>` fields, and `f64`
//! payloads of enum variants, are written through `number_as_written`
//! (emitted once into `mod types`): a whole number within ±2^53 as an
//! integer, anything else as before. Reading is unchanged.

/// Rewrite every `f64` field and variant among `items`; returns how many.
pub fn as_written(items: &mut Vec<syn::Item>) -> usize {
    let mut count = 0;
    let (mut plain, mut optional) = (false, false);
    let mut mark = |field: &mut syn::Field| {
        let helper = match number_kind(&field.ty) {
            Some(Kind::Plain) => "number_as_written",
            Some(Kind::Optional) => "optional_number_as_written",
            None => return,
        };
        if has_custom_serialize(&field.attrs) {
            return;
        }
        field
            .attrs
            .push(syn::parse_quote!(#[serde(serialize_with = #helper)]));
        plain |= helper == "number_as_written";
        optional |= helper == "optional_number_as_written";
        count += 1;
    };
    for item in items.iter_mut() {
        if let syn::Item::Struct(syn::ItemStruct {
            fields: syn::Fields::Unnamed(tuple),
            ..
        }) = item
        {
            tuple.unnamed.iter_mut().for_each(&mut mark);
        }
    }
    super::named_fields_mut(items).for_each(|(_, f)| mark(f));
    for item in items.iter_mut() {
        let syn::Item::Enum(e) = item else { continue };
        for variant in e.variants.iter_mut() {
            let syn::Fields::Unnamed(fields) = &variant.fields else {
                continue;
            };
            if fields.unnamed.len() != 1
                || number_kind(&fields.unnamed[0].ty) != Some(Kind::Plain)
                || has_custom_serialize(&variant.attrs)
            {
                continue;
            }
            variant
                .attrs
                .push(syn::parse_quote!(#[serde(serialize_with = "number_as_written")]));
            plain = true;
            count += 1;
        }
    }
    if plain || optional {
        items.push(syn::parse_quote! {
            /// Writes a whole number as an integer (`1`, not `1.0`), any other
            /// number as before.
            fn number_as_written<S>(value: &f64, serializer: S) -> ::std::result::Result<S::Ok, S::Error>
            where
                S: ::serde::Serializer,
            {
                const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
                if value.fract() == 0.0 && value.abs() < EXACT {
                    serializer.serialize_i64(*value as i64)
                } else {
                    serializer.serialize_f64(*value)
                }
            }
        });
    }
    if optional {
        items.push(syn::parse_quote! {
            /// [`number_as_written`] for an optional number.
            fn optional_number_as_written<S>(
                value: &::std::option::Option<f64>,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error>
            where
                S: ::serde::Serializer,
            {
                match value {
                    ::std::option::Option::Some(v) => number_as_written(v, serializer),
                    ::std::option::Option::None => serializer.serialize_none(),
                }
            }
        });
    }
    count
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Plain,
    Optional,
}

fn number_kind(ty: &syn::Type) -> Option<Kind> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident == "f64" {
        return Some(Kind::Plain);
    }
    if last.ident != "Option" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(inner) if number_kind(inner) == Some(Kind::Plain) => {
            Some(Kind::Optional)
        }
        _ => None,
    }
}

fn has_custom_serialize(attrs: &[syn::Attribute]) -> bool {
    super::serde_metas(attrs)
        .iter()
        .any(|m| m.path().is_ident("serialize_with") || m.path().is_ident("with"))
}
