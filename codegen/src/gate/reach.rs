//! Step `reach`: the features that need each item of `mod types`.
//!
//! **Rule:** an item of `mod types` (a type, its impls and builder, a serde
//! helper function) is needed by a feature when an operation of that
//! feature names it, or names an item that names it, through any path in
//! the code: fields, variants, impls, `#[serde(with = "..")]` helpers,
//! macro arguments. Names are over-approximated (any path segment that is
//! an item's name counts, except in an absolute path, `::std::..` or
//! `crate::runtime::..`, which names an item only after `types`), which can
//! only keep an item compiled, never leave a needed one out. An impl for a
//! type `mod types` does not define (`impl From<Pet> for HashMap<..>`) is
//! gated by the types it names. An item no operation and no webhook reaches (a
//! component schema nothing uses) belongs to the feature `other-types`,
//! and so does all it names.

use std::collections::{BTreeMap, BTreeSet};

use syn::visit::Visit;

use crate::items::item_name;

/// The items of `mod types` with their nodes, nested modules included
/// (`builder`, helpers) but not `error`, which everything uses.
pub fn types_items(file: &syn::File) -> Vec<(&syn::Item, Option<String>)> {
    let mut out = Vec::new();
    for item in &file.items {
        if let syn::Item::Mod(m) = item
            && m.ident == "types"
        {
            collect(m, &mut out);
        }
    }
    // An impl for a type `mod types` does not define (`impl From<Pet> for
    // HashMap<..>`) is no node of its own: it compiles with the types it
    // names (`cfg::gate_types` gates it by them), not with whatever names
    // the foreign type.
    let defined: BTreeSet<String> = out
        .iter()
        .filter(|(item, _)| !matches!(item, syn::Item::Impl(_)))
        .filter_map(|(_, name)| name.clone())
        .collect();
    for (item, name) in &mut out {
        if matches!(item, syn::Item::Impl(_)) && name.as_ref().is_some_and(|n| !defined.contains(n))
        {
            *name = None;
        }
    }
    out
}

fn collect<'a>(m: &'a syn::ItemMod, out: &mut Vec<(&'a syn::Item, Option<String>)>) {
    for item in m.content.iter().flat_map(|(_, items)| items) {
        match item {
            syn::Item::Mod(inner) if inner.ident == "error" => {}
            syn::Item::Mod(inner) => collect(inner, out),
            _ => out.push((item, item_name(item))),
        }
    }
}

/// Every name a piece of code mentions: path segments, identifiers in
/// macro arguments, and the paths in `#[serde(..)]` strings.
#[derive(Default)]
pub struct Names {
    pub names: BTreeSet<String>,
    /// Only the segment after `types` (and `builder`) counts: for code
    /// outside `mod types`, where other modules' names would be noise.
    pub after_types: bool,
    /// An identifier's text, written here to look it up: most names an
    /// item mentions it has mentioned before (`std`, `String`, `serde`),
    /// and a new `String` for each would be most of this step's time.
    text: String,
}

impl Names {
    pub fn of_item(item: &syn::Item, after_types: bool) -> BTreeSet<String> {
        let mut n = Names {
            after_types,
            ..Names::default()
        };
        n.visit_item(item);
        n.names
    }

    /// The names a function of `impl Client` mentions (its body included).
    pub fn of_fn(f: &syn::ImplItemFn) -> BTreeSet<String> {
        let mut n = Names {
            after_types: true,
            ..Names::default()
        };
        n.visit_impl_item_fn(f);
        n.names
    }

    fn tokens(&mut self, tokens: proc_macro2::TokenStream) {
        for tree in tokens {
            match tree {
                proc_macro2::TokenTree::Ident(i) if !self.after_types => self.insert(&i),
                proc_macro2::TokenTree::Group(g) => self.tokens(g.stream()),
                proc_macro2::TokenTree::Literal(l) => {
                    // `"present_or_null"`, `"super::defaults::x"`.
                    let text = l.to_string();
                    if let Some(s) = text.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
                        let segments: Vec<&str> = s.split("::").collect();
                        let absolute = matches!(segments.first(), Some(&"" | &"crate"));
                        self.segments(absolute, &segments);
                    }
                }
                _ => {}
            }
        }
    }

    /// Insert `name`'s text, allocating only for a name not seen yet.
    fn insert(&mut self, name: impl std::fmt::Display) {
        use std::fmt::Write;
        self.text.clear();
        let _ = write!(self.text, "{name}");
        if !self.names.contains(self.text.as_str()) {
            self.names.insert(self.text.clone());
        }
    }

    /// The names a path mentions, from its segments (`absolute`: it starts
    /// with `::` or `crate`).
    fn segments<S: Segment>(&mut self, absolute: bool, segments: &[S]) {
        // An absolute path (`::std::..`, `crate::runtime::de::value`) names
        // an item of `mod types` only through its `types` segment: the
        // runtime's and std's names are not the generated helpers' names.
        if self.after_types || absolute {
            if let Some(i) = segments.iter().position(|s| s.is("types")) {
                let mut rest = &segments[i + 1..];
                if rest.first().is_some_and(|s| s.is("builder")) {
                    rest = &rest[1..];
                }
                if let Some(name) = rest.first() {
                    self.insert(name);
                }
            }
        } else {
            for s in segments.iter().filter(|s| !s.is("")) {
                self.insert(s);
            }
        }
    }
}

/// A path segment: a piece of a `#[serde]` string, or an identifier of the
/// code (read without a `String` of its own).
trait Segment: std::fmt::Display {
    fn is(&self, text: &str) -> bool;
}

impl Segment for &str {
    fn is(&self, text: &str) -> bool {
        *self == text
    }
}

impl Segment for &proc_macro2::Ident {
    fn is(&self, text: &str) -> bool {
        *self == text
    }
}

impl<'ast> Visit<'ast> for Names {
    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<&proc_macro2::Ident> = path.segments.iter().map(|s| &s.ident).collect();
        let absolute =
            path.leading_colon.is_some() || segments.first().is_some_and(|s| s.is("crate"));
        self.segments(absolute, &segments);
        syn::visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.tokens(mac.tokens.clone());
        syn::visit::visit_macro(self, mac);
    }

    fn visit_attribute(&mut self, attr: &'ast syn::Attribute) {
        if attr.path().is_ident("serde")
            && let syn::Meta::List(list) = &attr.meta
        {
            self.tokens(list.tokens.clone());
        }
    }
}

/// For each node of `mod types`, the features that need it (the set may
/// be [`super::features::OTHER_TYPES`]). `ops` maps each client method to
/// its features, `builders` each operation builder ([`operation_builders`]).
pub fn reach(
    file: &syn::File,
    ops: &BTreeMap<String, BTreeSet<String>>,
    builders: &BTreeMap<String, BTreeSet<String>>,
    webhooks: bool,
) -> BTreeMap<String, BTreeSet<String>> {
    let items = types_items(file);
    let nodes: BTreeSet<String> = items.iter().filter_map(|(_, n)| n.clone()).collect();
    let mut edges: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (item, node) in &items {
        if let Some(node) = node
            && let Some(node) = nodes.get(node)
        {
            let names = Names::of_item(item, false);
            edges
                .entry(node.as_str())
                .or_default()
                .extend(names.into_iter().filter(|n| n != node && nodes.contains(n)));
        }
    }
    let mut reach: BTreeMap<String, BTreeSet<String>> =
        nodes.iter().map(|n| (n.clone(), BTreeSet::new())).collect();
    let seed = |names: BTreeSet<String>,
                features: &BTreeSet<String>,
                reach: &mut BTreeMap<String, BTreeSet<String>>| {
        for name in names {
            if let Some(set) = reach.get_mut(&name) {
                set.extend(features.iter().cloned());
            }
        }
    };
    for (names, features) in roots(file, ops, builders, webhooks) {
        seed(names, &features, &mut reach);
    }
    propagate(&mut reach, &edges);
    // What nothing reaches (schemas no operation uses) has a feature of
    // its own, and so has all it names.
    let orphans: BTreeSet<String> = reach
        .iter()
        .filter(|(_, f)| f.is_empty())
        .map(|(n, _)| n.clone())
        .collect();
    if !orphans.is_empty() {
        seed(
            orphans,
            &BTreeSet::from([super::features::OTHER_TYPES.to_owned()]),
            &mut reach,
        );
        propagate(&mut reach, &edges);
    }
    reach
}

/// Push each node's features along its edges until nothing changes.
fn propagate(
    reach: &mut BTreeMap<String, BTreeSet<String>>,
    edges: &BTreeMap<&str, BTreeSet<String>>,
) {
    let mut work: Vec<String> = reach.keys().cloned().collect();
    while let Some(node) = work.pop() {
        let Some(targets) = edges.get(node.as_str()) else {
            continue;
        };
        let features = reach[&node].clone();
        for t in targets {
            let set = reach.get_mut(t).expect("edges point at nodes");
            let before = set.len();
            set.extend(features.iter().cloned());
            if set.len() != before {
                work.push(t.clone());
            }
        }
    }
}

/// The names each operation's code (its client method, builder and the
/// builder's impls) and the webhooks module mention, with their features.
fn roots(
    file: &syn::File,
    ops: &BTreeMap<String, BTreeSet<String>>,
    builders: &BTreeMap<String, BTreeSet<String>>,
    webhooks: bool,
) -> Vec<(BTreeSet<String>, BTreeSet<String>)> {
    let mut out = Vec::new();
    for item in &file.items {
        match item {
            syn::Item::Impl(imp) if is_client_impl(imp) => {
                for it in &imp.items {
                    if let syn::ImplItem::Fn(f) = it
                        && let Some(features) = ops.get(&f.sig.ident.to_string())
                    {
                        out.push((Names::of_fn(f), features.clone()));
                    }
                }
            }
            syn::Item::Mod(m) if m.ident == "builder" => {
                for it in m.content.iter().flat_map(|(_, items)| items) {
                    if let Some(features) = item_name(it).and_then(|n| builders.get(&n)) {
                        out.push((Names::of_item(it, true), features.clone()));
                    }
                }
            }
            // `impl builder::ListFiles<'_> { .. }` outside the module.
            syn::Item::Impl(imp) => {
                if let Some(features) = operation_impl(imp, builders) {
                    out.push((Names::of_item(item, true), features.clone()));
                }
            }
            syn::Item::Mod(m) if m.ident == "webhooks" && webhooks => {
                out.push((
                    Names::of_item(item, true),
                    BTreeSet::from([super::features::WEBHOOKS.to_owned()]),
                ));
            }
            _ => {}
        }
    }
    out
}

/// `impl Client { .. }`.
pub fn is_client_impl(imp: &syn::ItemImpl) -> bool {
    imp.trait_.is_none() && matches!(&*imp.self_ty, syn::Type::Path(p) if p.path.is_ident("Client"))
}

/// Each operation builder's name (`builder::CreateFile`) with its
/// operation's features, from the client methods that return them.
pub fn operation_builders(
    file: &syn::File,
    ops: &BTreeMap<String, BTreeSet<String>>,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for item in &file.items {
        if let syn::Item::Impl(imp) = item
            && is_client_impl(imp)
        {
            for it in &imp.items {
                if let syn::ImplItem::Fn(f) = it
                    && let Some(features) = ops.get(&f.sig.ident.to_string())
                    && let syn::ReturnType::Type(_, ty) = &f.sig.output
                    && let syn::Type::Path(p) = &**ty
                    && p.path.segments.len() == 2
                    && p.path.segments[0].ident == "builder"
                {
                    out.insert(p.path.segments[1].ident.to_string(), features.clone());
                }
            }
        }
    }
    out
}

/// The features of an impl outside `mod builder` of an operation's builder
/// (`impl builder::ListFiles<'_>`).
pub fn operation_impl<'a>(
    imp: &syn::ItemImpl,
    builders: &'a BTreeMap<String, BTreeSet<String>>,
) -> Option<&'a BTreeSet<String>> {
    match &*imp.self_ty {
        syn::Type::Path(p)
            if p.path.segments.len() == 2 && p.path.segments[0].ident == "builder" =>
        {
            builders.get(&p.path.segments[1].ident.to_string())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Relative paths and `#[serde]` strings name the generated helpers and
    /// types; an absolute path names them only through `types`.
    #[test]
    fn absolute_paths_name_only_what_follows_types() {
        let item: syn::Item = syn::parse_quote! {
            fn read(x: ::std::option::Option<Pet>) {
                #[serde(deserialize_with = "present_or_null")]
                let _ = crate::runtime::de::null_as_default(super::defaults::legs, crate::types::Owner);
            }
        };
        let names = Names::of_item(&item, false);
        for name in ["Pet", "present_or_null", "defaults", "legs", "Owner"] {
            assert!(names.contains(name), "{name}: {names:?}");
        }
        for name in ["null_as_default", "runtime", "std", "Option"] {
            assert!(!names.contains(name), "{name}: {names:?}");
        }
    }

    /// An impl for a foreign type is no node: it is gated by what it names.
    #[test]
    fn impls_for_foreign_types_are_no_nodes() {
        let file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Pet;
                impl From<Pet> for ::std::collections::HashMap<String, String> {}
                impl From<String> for Pet {}
            }
        };
        let names: Vec<Option<String>> = types_items(&file).into_iter().map(|(_, n)| n).collect();
        assert_eq!(names, [Some("Pet".into()), None, Some("Pet".into())]);
    }
}
