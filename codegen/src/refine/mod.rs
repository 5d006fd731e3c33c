//! Stage 4, **refine**: rewrite the types progenitor (typify) generated so
//! that they accept what APIs really send, as long-lived SDKs do. Each
//! rewrite is a named step working on the `syn` tree of `mod types`, and
//! each reports how many items it changed:
//!
//! | step | module | rewrite |
//! |---|---|---|
//! | `field-names` | [`field_names`] | struct fields of one Rust name (`_id` and `id`) are told apart (`id_2`), keeping their JSON names; builders and conversions follow |
//! | `enum-values` | [`enum_values`] | the enums whose values typify cannot name (given placeholders by `normalize`'s `typify-limits`) get the spec's values back, with names made for them |
//! | `open-enums` | [`open_enums`] | every string enum gets a last variant `Other(String)` (`#[serde(untagged)]`) that takes and writes back any value the spec does not list; `Copy` is dropped, `Display`/`FromStr` cover it, `as_str()` is added; `Deserialize` reads a `String` and parses it (no untagged buffering) |
//! | `tagged-unions` | [`tagged_unions`] | an untagged union of structs that one constant property tells apart (`type: message`) is read by that property: no member shadows another, errors name the member |
//! | `union-order` | [`union_order`] | the variants of an untagged union are tried from specific to general (objects with more required properties, .., strings, free-form values last), so none shadows another |
//! | `complete-unions` | [`complete_unions`] | an untagged union of newtypes takes the first member that deserializes **and** serializes back to the input, so none drops what a later one declares (then the first that deserializes) |
//! | `any-of` | [`any_of`] | typify's struct of an `anyOf` (`#[serde(flatten)] subtype_N: Option<Member>`) reads the whole input into each member (flatten hands properties to one member after another, and a member that fails has taken them), keeps those that match, fails naming each member when none does, and writes the matching members merged |
//! | `number-form` | [`number_form`] | `f64` fields and variants write a whole number as an integer (`1`, not `1.0`), so a number goes out as the caller wrote it |
//! | `unicode-patterns` | [`patterns`] | a string `pattern` typify compiles with `regress::Regex::new` is compiled with ECMA-262's `u` flag when it can be, so `\\p{L}` is a letter, as JSON Schema validators read it |
//! | `nullable-fields` | [`nullable`] | a required but nullable property (`Option<T>` with typify's `deserialize_with = Option::deserialize`) may also be missing: it becomes `#[serde(default)]`; an optional property that is not an `Option` (`Vec`, map) reads `null` as its default |
//! | `keep-empty` | [`empty_collections`] | an optional array or map field is an `Option<Vec<..>>` / `Option<HashMap<..>>`, skipped only when `None`: `[]` and `{}` are read and sent back, absent stays absent (types and builders) |
//! | `tri-state` | [`tri_state`] | an optional nullable property is `Option<Option<T>>`: absent, `null` and a value are three states, read and sent as such; the builder's setter sends `null` for `None` |
//!
//! What typify gets wrong at the schema level (unions of strings, defaults
//! injected into requests) is rewritten before generation, in
//! [`crate::normalize`]; what can only be seen in the generated tokens is
//! rewritten here.

pub mod any_of;
pub mod complete_unions;
pub mod empty_collections;
pub mod enum_values;
pub mod field_names;
pub mod nullable;
pub mod number_form;
pub mod open_enums;
pub mod patterns;
pub mod tagged_unions;
pub mod tri_state;
pub mod union_order;

/// One refinement made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refinement {
    /// The step's name.
    pub step: &'static str,
    /// What it changed.
    pub what: String,
}

/// A step: its name, the rewrite, and how to say what it changed.
type Step = (&'static str, fn(&mut Vec<syn::Item>) -> usize, &'static str);

/// The steps, in order (the tag and order steps see the opened enums).
const STEPS: [Step; 8] = [
    (
        "open-enums",
        open_enums::open,
        "string enums take values the spec does not list (`Other(String)`)",
    ),
    (
        "tagged-unions",
        tagged_unions::read_by_tag,
        "unions are read by their tag property, not by trying each member",
    ),
    (
        "union-order",
        |items| union_order::specific_first(items),
        "untagged unions try their members from specific to general",
    ),
    (
        "complete-unions",
        complete_unions::keep_complete,
        "untagged unions keep the member that reads the whole input",
    ),
    (
        "any-of",
        any_of::each_member_reads_all,
        "`anyOf` structs read the whole input into each member",
    ),
    (
        "number-form",
        number_form::as_written,
        "number fields write whole numbers as integers",
    ),
    (
        "unicode-patterns",
        |items| patterns::unicode(items),
        "string patterns are read with Unicode semantics (`\\p{L}`)",
    ),
    (
        "nullable-fields",
        nullable::may_be_missing,
        "nullable fields may be missing, optional ones null",
    ),
];

/// Run every step on the generated file (`doc`: the normalized document);
/// renames made across the file are also pushed to `rewrites` (for the
/// type builders, formatted apart: [`crate::generate::type_builders`]).
pub fn refine(
    file: &mut syn::File,
    doc: &serde_json::Value,
    rewrites: &mut Vec<crate::generate::type_builders::Rewrite>,
) -> Vec<Refinement> {
    let fields = crate::timings::stage("field-names", || field_names::distinct(file, rewrites));
    let restored = enum_values::restore(file, doc, rewrites);
    let mut done: Vec<Refinement> = Vec::new();
    if fields > 0 {
        done.push(Refinement {
            step: "field-names",
            what: format!("{fields} fields of a name another field of their struct has are renamed (JSON names kept)"),
        });
    }
    if restored > 0 {
        done.push(Refinement {
            step: "enum-values",
            what: format!("{restored} enum values typify cannot name are named here"),
        });
    }
    let Some(items) = crate::items::module_mut(file, "types") else {
        return done;
    };
    done.extend(STEPS.iter().filter_map(|(step, run, what)| {
        let count = crate::timings::stage(step, || run(items));
        (count > 0).then(|| Refinement {
            step,
            what: format!("{count} {what}"),
        })
    }));
    // Last: it changes field types, in the builders too.
    let kept = crate::timings::stage("keep-empty", || empty_collections::keep(file, rewrites));
    if kept > 0 {
        done.push(Refinement {
            step: "keep-empty",
            what: format!(
                "{kept} optional array and map fields keep `[]` and `{{}}` (`Option<Vec<..>>`)"
            ),
        });
    }
    let tri = crate::timings::stage("tri-state", || tri_state::rewrite(file, rewrites));
    if tri > 0 {
        done.push(Refinement {
            step: "tri-state",
            what: format!(
                "{tri} optional nullable fields are absent, `null` or a value (`Option<Option<T>>`)"
            ),
        });
    }
    done
}

/// The names of the fields the generated code outside `mod types` reads
/// (`page.next_page` in progenitor's paginated streams): a rewrite that
/// changes a field's type leaves these alone, or that code would not
/// compile.
pub(crate) fn fields_read_outside_types(file: &syn::File) -> std::collections::HashSet<String> {
    struct Reads(std::collections::HashSet<String>);
    impl<'ast> syn::visit::Visit<'ast> for Reads {
        fn visit_expr_field(&mut self, e: &'ast syn::ExprField) {
            // `self.x` is a builder's own field (its parameters), not a type's.
            let on_self = matches!(&*e.base, syn::Expr::Path(p) if p.path.is_ident("self"));
            if let (syn::Member::Named(name), false) = (&e.member, on_self) {
                self.0.insert(name.to_string());
            }
            syn::visit::visit_expr_field(self, e);
        }
    }
    let mut reads = Reads(Default::default());
    for item in &file.items {
        match item {
            syn::Item::Mod(m) if m.ident == "types" => {}
            other => syn::visit::Visit::visit_item(&mut reads, other),
        }
    }
    reads.0
}

/// Struct name -> the fields a rewrite changed (by Rust name).
pub(crate) type FieldPlan = std::collections::HashMap<String, std::collections::HashSet<String>>;

/// What a rewrite that changes field types does to the type builders
/// (`types::builder`): `field` on each planned field of a builder struct,
/// `setter` on each planned setter. [`PlannedBuilders::apply`] runs it here
/// and sends it to the builders formatted apart.
#[derive(Clone)]
pub(crate) struct PlannedBuilders {
    pub plan: FieldPlan,
    pub field: fn(&mut syn::Field),
    pub setter: fn(&mut syn::ImplItemFn),
}

impl PlannedBuilders {
    /// Rewrite `file`'s type builders, and push the same rewrite for those
    /// formatted on the other thread.
    pub(crate) fn apply(
        self,
        file: &mut syn::File,
        rewrites: &mut Vec<crate::generate::type_builders::Rewrite>,
    ) {
        visit_type_builders(file, &mut self.clone());
        rewrites.push(Box::new(move |file| {
            syn::visit_mut::VisitMut::visit_file_mut(&mut self.clone(), file)
        }));
    }

    fn planned(&self, name: &syn::Ident) -> Option<&std::collections::HashSet<String>> {
        self.plan.get(&name.to_string())
    }
}

impl syn::visit_mut::VisitMut for PlannedBuilders {
    fn visit_item_struct_mut(&mut self, s: &mut syn::ItemStruct) {
        let (Some(fields), syn::Fields::Named(named)) =
            (self.planned(&s.ident).cloned(), &mut s.fields)
        else {
            return;
        };
        for field in named.named.iter_mut() {
            if field
                .ident
                .as_ref()
                .is_some_and(|i| fields.contains(&i.to_string()))
            {
                (self.field)(field);
            }
        }
    }

    fn visit_item_impl_mut(&mut self, imp: &mut syn::ItemImpl) {
        let syn::Type::Path(self_ty) = &*imp.self_ty else {
            return;
        };
        let fields = match self_ty.path.segments.last() {
            Some(last) if imp.trait_.is_none() => self.planned(&last.ident).cloned(),
            _ => None,
        };
        let Some(fields) = fields else { return };
        for item in imp.items.iter_mut() {
            if let syn::ImplItem::Fn(f) = item
                && fields.contains(&f.sig.ident.to_string())
            {
                (self.setter)(f);
            }
        }
    }
}

/// A builder field `Result<T, String>` becomes `Result<Option<T>, String>`.
pub(crate) fn option_in_result(field: &mut syn::Field) {
    if let syn::Type::Path(p) = &mut field.ty {
        wrap_in_option(&mut p.path, "Result");
    }
}

/// The first generic argument of `path` (when its last segment is
/// `segment`) wrapped in `Option`: `Result<T, E>` -> `Result<Option<T>, E>`.
pub(crate) fn wrap_in_option(path: &mut syn::Path, segment: &str) {
    let Some(last) = path.segments.last_mut().filter(|s| s.ident == segment) else {
        return;
    };
    let syn::PathArguments::AngleBracketed(args) = &mut last.arguments else {
        return;
    };
    if let Some(syn::GenericArgument::Type(inner)) = args.args.first_mut() {
        let wrapped: syn::Type = syn::parse_quote!(::std::option::Option<#inner>);
        *inner = wrapped;
    }
}

/// Run `visitor` over `mod types::builder` of `file` only (the other
/// modules hold operation builders that may share a type's name).
pub(crate) fn visit_type_builders(
    file: &mut syn::File,
    visitor: &mut impl syn::visit_mut::VisitMut,
) {
    let Some(items) = crate::items::module_mut(file, "types") else {
        return;
    };
    for item in items.iter_mut() {
        if let syn::Item::Mod(m) = item
            && m.ident == "builder"
        {
            visitor.visit_item_mod_mut(m);
        }
    }
}

/// Every named field serde reads and writes among `items`, with the struct
/// that has it: a struct's fields, and a struct-like enum variant's (typify
/// makes `oneOf` members inline objects as `Variant { .. }`), whose struct
/// is `None` (a variant has no builder). The data rules (numbers as
/// written, `[]` and `{}` kept, `null` kept) hold for every field JSON
/// passes through, so every step that rewrites fields walks them here.
pub(crate) fn named_fields_mut(
    items: &mut [syn::Item],
) -> impl Iterator<Item = (Option<&syn::Ident>, &mut syn::Field)> {
    items.iter_mut().flat_map(|item| {
        let fields: Box<dyn Iterator<Item = (Option<&syn::Ident>, &mut syn::Field)>> = match item {
            syn::Item::Struct(syn::ItemStruct {
                ident,
                fields: syn::Fields::Named(fields),
                ..
            }) => {
                let ident = &*ident;
                Box::new(fields.named.iter_mut().map(move |f| (Some(ident), f)))
            }
            syn::Item::Enum(e) => Box::new(
                e.variants
                    .iter_mut()
                    .filter_map(|v| match &mut v.fields {
                        syn::Fields::Named(fields) => Some(fields.named.iter_mut()),
                        _ => None,
                    })
                    .flatten()
                    .map(|f| (None, f)),
            ),
            _ => Box::new(std::iter::empty()),
        };
        fields
    })
}

/// The `key = "value"` and bare `key` entries of every `#[serde(..)]`.
pub(crate) fn serde_metas(attrs: &[syn::Attribute]) -> Vec<syn::Meta> {
    use syn::punctuated::Punctuated;
    attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .filter_map(|a| {
            a.parse_args_with(Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated)
                .ok()
        })
        .flatten()
        .collect()
}

/// The string value of `#[serde(key = "value")]`, if present.
pub(crate) fn serde_str(attrs: &[syn::Attribute], key: &str) -> Option<String> {
    serde_metas(attrs).into_iter().find_map(|m| match m {
        syn::Meta::NameValue(nv) if nv.path.is_ident(key) => crate::items::str_lit(&nv.value),
        _ => None,
    })
}

/// The last path segment of each derived trait.
pub(crate) fn derives(attrs: &[syn::Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .filter_map(|a| {
            a.parse_args_with(
                syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
            )
            .ok()
        })
        .flatten()
        .filter_map(|p| p.segments.last().map(|s| s.ident.to_string()))
        .collect()
}

/// Remove the derive of trait `name` (by its last path segment).
pub(crate) fn remove_derive(attrs: &mut [syn::Attribute], name: &str) {
    use syn::punctuated::Punctuated;
    for attr in attrs.iter_mut().filter(|a| a.path().is_ident("derive")) {
        let Ok(paths) =
            attr.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
        else {
            continue;
        };
        let kept: Vec<&syn::Path> = paths
            .iter()
            .filter(|p| p.segments.last().is_none_or(|s| s.ident != name))
            .collect();
        *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
    }
}
