//! `union-order`: the members of an untagged union are tried so that none
//! shadows another.
//!
//! serde tries an untagged enum's variants in declaration order and keeps
//! the first that parses. typify declares them in the spec's order, so a
//! member that takes more (an object with fewer required properties, any
//! number before integers, a free-form map) can win over the member the
//! value was meant for, and fields are lost. Variants are reordered
//! (stably) from specific to general: objects with more required
//! properties first, then other named types, arrays, integers, other
//! numbers, booleans, strings, and free-form values last. Unions read by
//! their tag (`tagged-unions`) are not affected: they never guess.

use std::collections::HashMap;

/// Reorder every untagged enum among `items`; returns how many changed.
pub fn specific_first(items: &mut [syn::Item]) -> usize {
    let required = required_counts(items);
    let mut count = 0;
    for item in items.iter_mut() {
        let syn::Item::Enum(e) = item else { continue };
        let untagged = super::serde_metas(&e.attrs)
            .iter()
            .any(|m| matches!(m, syn::Meta::Path(p) if p.is_ident("untagged")));
        if !untagged {
            continue;
        }
        let variants: Vec<syn::Variant> = e.variants.iter().cloned().collect();
        let mut ranked: Vec<(usize, (u8, std::cmp::Reverse<usize>), syn::Variant)> = variants
            .into_iter()
            .enumerate()
            .map(|(i, v)| (i, rank(&v, &required), v))
            .collect();
        ranked.sort_by_key(|(i, r, _)| (*r, *i));
        if ranked.iter().enumerate().all(|(pos, (i, _, _))| pos == *i) {
            continue;
        }
        e.variants = ranked.into_iter().map(|(_, _, v)| v).collect();
        count += 1;
    }
    count
}

/// Struct name -> how many of its fields serde requires.
fn required_counts(items: &[syn::Item]) -> HashMap<String, usize> {
    items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some((s.ident.to_string(), required_fields(&s.fields))),
            _ => None,
        })
        .collect()
}

fn required_fields(fields: &syn::Fields) -> usize {
    fields
        .iter()
        .filter(|f| {
            let metas = super::serde_metas(&f.attrs);
            let defaulted = metas.iter().any(|m| m.path().is_ident("default"));
            let option = last_ident(&f.ty).is_some_and(|i| i == "Option");
            !defaulted && !option
        })
        .count()
}

fn last_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// (class, more required fields first): lower sorts first.
fn rank(v: &syn::Variant, required: &HashMap<String, usize>) -> (u8, std::cmp::Reverse<usize>) {
    use std::cmp::Reverse;
    match &v.fields {
        syn::Fields::Unit => (0, Reverse(0)),
        syn::Fields::Named(_) => (1, Reverse(required_fields(&v.fields))),
        syn::Fields::Unnamed(f) if f.unnamed.len() == 1 => {
            let ty = &f.unnamed[0].ty;
            let name = last_ident(ty).unwrap_or_default();
            match name.as_str() {
                "Value" | "Map" | "HashMap" | "BTreeMap" => (9, Reverse(0)),
                "String" => (7, Reverse(0)),
                "bool" => (6, Reverse(0)),
                "f64" | "f32" => (5, Reverse(0)),
                "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "NonZeroU64"
                | "NonZeroI64" | "NonZeroU32" => (4, Reverse(0)),
                "Vec" => (3, Reverse(0)),
                _ => match required.get(&name) {
                    Some(n) => (1, Reverse(*n)),
                    None => (2, Reverse(0)),
                },
            }
        }
        syn::Fields::Unnamed(_) => (2, Reverse(0)),
    }
}
