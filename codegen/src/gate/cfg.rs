//! Step `cfg`: the `#[cfg]` attributes.
//!
//! **Rule:** an operation's client method, its builder and the builder's
//! impls compile with the operation's features; an item of `mod types`
//! with the features that reach it ([`super::reach`]); the webhooks module
//! with `webhooks`; and any other item (a trait impl for a type, outside
//! `mod types`) with the conjunction of the `cfg`s of the types it names.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::reach::{self, Names};
use crate::generate::type_builders::Rewrite;

/// The `#[cfg]` for an item any of whose `features` it compiles with.
pub fn any_of(features: &BTreeSet<String>) -> String {
    let list: Vec<String> = features
        .iter()
        .map(|f| format!("feature = \"{f}\""))
        .collect();
    match list.as_slice() {
        [one] => one.clone(),
        _ => format!("any({})", list.join(", ")),
    }
}

/// The `#[cfg]` for an item that names items gated by each of `sets`
/// (`None`: nothing gated is named). A set that holds another adds nothing.
fn all_of(sets: &[&BTreeSet<String>]) -> Option<String> {
    let mut distinct: Vec<&BTreeSet<String>> = Vec::new();
    for s in sets {
        if !distinct.contains(s) {
            distinct.push(s);
        }
    }
    let minimal: Vec<&BTreeSet<String>> = distinct
        .iter()
        .filter(|s| !distinct.iter().any(|o| o.is_subset(s) && o.len() < s.len()))
        .copied()
        .collect();
    match minimal.as_slice() {
        [] => None,
        [one] => Some(any_of(one)),
        _ => Some(format!(
            "all({})",
            minimal
                .iter()
                .map(|s| any_of(s))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

fn attr(cfg: &str) -> syn::Attribute {
    let text = format!("#[cfg({cfg})]");
    syn::parse::Parser::parse_str(syn::Attribute::parse_outer, &text)
        .ok()
        .and_then(|mut a| a.pop())
        .expect("a cfg made of feature names parses")
}

fn attrs_mut(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    Some(match item {
        syn::Item::Struct(i) => &mut i.attrs,
        syn::Item::Enum(i) => &mut i.attrs,
        syn::Item::Type(i) => &mut i.attrs,
        syn::Item::Fn(i) => &mut i.attrs,
        syn::Item::Const(i) => &mut i.attrs,
        syn::Item::Static(i) => &mut i.attrs,
        syn::Item::Impl(i) => &mut i.attrs,
        syn::Item::Mod(i) => &mut i.attrs,
        syn::Item::Use(i) => &mut i.attrs,
        syn::Item::Trait(i) => &mut i.attrs,
        syn::Item::Macro(i) => &mut i.attrs,
        _ => return None,
    })
}

/// The `cfg` of an item by the gated nodes it names.
fn by_names(
    names: &BTreeSet<String>,
    gated: &BTreeMap<String, BTreeSet<String>>,
) -> Option<String> {
    let sets: Vec<&BTreeSet<String>> = names.iter().filter_map(|n| gated.get(n)).collect();
    all_of(&sets)
}

/// Gate the items of `mod types` (and, by a rewrite, its builders).
fn gate_types(items: &mut [syn::Item], gated: &BTreeMap<String, BTreeSet<String>>) {
    for item in items.iter_mut() {
        if let syn::Item::Mod(m) = item {
            if m.ident != "error"
                && let Some((_, inner)) = &mut m.content
            {
                gate_types(inner, gated);
            }
            continue;
        }
        let cfg = match crate::items::item_name(item) {
            Some(node) if gated.contains_key(&node) => gated.get(&node).map(any_of),
            // A type, helper or builder every tag needs.
            Some(_) if !matches!(item, syn::Item::Impl(_)) => None,
            _ => by_names(&Names::of_item(item, false), gated),
        };
        if let Some(cfg) = cfg
            && let Some(attrs) = attrs_mut(item)
        {
            attrs.push(attr(&cfg));
        }
    }
}

/// Apply the step: `gated` maps each node of `mod types` that does not
/// compile always to its features; `ops` and `builders` give each client
/// method's and operation builder's.
pub fn apply(
    file: &mut syn::File,
    ops: &BTreeMap<String, BTreeSet<String>>,
    builders: &BTreeMap<String, BTreeSet<String>>,
    gated: &BTreeMap<String, BTreeSet<String>>,
    webhooks: bool,
    rewrites: &mut Vec<Rewrite>,
) {
    for item in &mut file.items {
        match item {
            syn::Item::Mod(m) if m.ident == "types" => {
                if let Some((_, items)) = &mut m.content {
                    gate_types(items, gated);
                }
            }
            syn::Item::Mod(m) if m.ident == "builder" => {
                for it in m.content.iter_mut().flat_map(|(_, items)| items) {
                    // The module's imports serve the gated items only.
                    if let syn::Item::Use(u) = it {
                        if !u.attrs.iter().any(|a| a.path().is_ident("allow")) {
                            u.attrs.push(syn::parse_quote!(#[allow(unused_imports)]));
                        }
                        continue;
                    }
                    let cfg = match crate::items::item_name(it).and_then(|n| builders.get(&n)) {
                        Some(features) => Some(any_of(features)),
                        None => by_names(&Names::of_item(it, true), gated),
                    };
                    if let Some(cfg) = cfg
                        && let Some(attrs) = attrs_mut(it)
                    {
                        attrs.push(attr(&cfg));
                    }
                }
            }
            syn::Item::Mod(m) if m.ident == "webhooks" && webhooks => {
                m.attrs.push(attr(&format!(
                    "feature = \"{}\"",
                    super::features::WEBHOOKS
                )));
            }
            syn::Item::Impl(imp) if reach::is_client_impl(imp) => {
                for it in &mut imp.items {
                    if let syn::ImplItem::Fn(f) = it {
                        let cfg = match ops.get(&f.sig.ident.to_string()) {
                            Some(features) => Some(any_of(features)),
                            None => by_names(&Names::of_fn(f), gated),
                        };
                        if let Some(cfg) = cfg {
                            f.attrs.push(attr(&cfg));
                        }
                    }
                }
            }
            syn::Item::Mod(_) => {}
            other => {
                // `impl builder::ListFiles<'_>` outside the module is its
                // operation's; anything else needs all it names.
                let own = match &*other {
                    syn::Item::Impl(imp) => reach::operation_impl(imp, builders).map(any_of),
                    _ => None,
                };
                if let Some(cfg) = own.or_else(|| by_names(&Names::of_item(other, true), gated))
                    && let Some(attrs) = attrs_mut(other)
                {
                    attrs.push(attr(&cfg));
                }
            }
        }
    }
    let gated = Arc::new(gated.clone());
    rewrites.push(Box::new(move |file: &mut syn::File| {
        for item in &mut file.items {
            if let syn::Item::Mod(m) = item
                && m.ident == "types"
                && let Some((_, items)) = &mut m.content
            {
                for item in items.iter_mut() {
                    if let syn::Item::Mod(b) = item
                        && b.ident == "builder"
                        && let Some((_, inner)) = &mut b.content
                    {
                        gate_types(inner, &gated);
                    }
                }
            }
        }
    }));
}
