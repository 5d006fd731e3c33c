//! `field-names`: struct fields of one Rust name.
//!
//! typify names each property's field after the property, in snake case,
//! and never tells two apart: `_id` and `id` (a document id beside a
//! record id), `prefs_background` and `prefs/background`, or a property
//! `extra` beside the `extra` field typify adds for `additionalProperties`,
//! are one field name twice (E0124), in the type and in its builder.
//!
//! Each later field of a name gets the first free name of the struct
//! (`id_2`, by [`crate::naming::Names`]); a renamed field of a type that
//! (de)serializes keeps its JSON name (`#[serde(rename = "id")]` when it
//! had none). The builder's field, its setter (`id_2()`), and the
//! conversions between type and builder follow. typify writes the fields
//! of a type, of its builder, of their struct literals and the setters in
//! one order, so the k-th field of a name is the k-th everywhere: the
//! rename is by name and position, in every struct and impl of that
//! struct's name, in `mod types` and `mod types::builder` alike.

use std::collections::HashMap;

use syn::visit_mut::VisitMut;

use crate::generate::type_builders::Rewrite;
use crate::naming::{Case, Names};

/// Tell apart the fields of every struct of `file`'s `mod types` that has
/// two of one name; renames are also pushed to `rewrites` (for the type
/// builders formatted apart). How many fields were renamed.
pub fn distinct(file: &mut syn::File, rewrites: &mut Vec<Rewrite>) -> usize {
    let Some(items) = crate::items::module_mut(file, "types") else {
        return 0;
    };
    let mut plan: Plan = HashMap::new();
    for item in items.iter() {
        let syn::Item::Struct(s) = item else { continue };
        let syn::Fields::Named(fields) = &s.fields else {
            continue;
        };
        let idents: Vec<String> = fields
            .named
            .iter()
            .filter_map(|f| f.ident.as_ref().map(ToString::to_string))
            .collect();
        let mut names = Names::new(Case::Snake, []);
        let firsts: Vec<bool> = idents.iter().map(|i| names.take(i)).collect();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let mut renames = Vec::new();
        for (ident, first) in idents.iter().zip(firsts) {
            let k = seen.entry(ident.as_str()).or_insert(0);
            if !first {
                renames.push(((ident.clone(), *k), names.allocate(ident, "_")));
            }
            *k += 1;
        }
        if !renames.is_empty() {
            plan.insert(s.ident.to_string(), renames);
        }
    }
    let count = plan.values().map(Vec::len).sum();
    if count == 0 {
        return 0;
    }
    let mut fields = Fields(plan);
    fields.visit_file_mut(file);
    rewrites.push(Box::new(move |file| fields.clone().visit_file_mut(file)));
    count
}

/// Struct name -> `((field, occurrence), new name)`.
type Plan = HashMap<String, Vec<((String, usize), String)>>;

#[derive(Clone)]
struct Fields(Plan);

/// Whether the attributes derive serde's `Serialize` or `Deserialize`.
fn is_serde(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .any(|a| {
            let text = quote::ToTokens::to_token_stream(a).to_string();
            text.contains("Deserialize") || text.contains("Serialize")
        })
}

/// The new name of the `k`-th occurrence of `name`, if it is renamed.
fn renamed<'a>(renames: &'a [((String, usize), String)], name: &str, k: usize) -> Option<&'a str> {
    renames
        .iter()
        .find(|((n, i), _)| n == name && *i == k)
        .map(|(_, new)| new.as_str())
}

/// Renames `.old` field accesses to `.new` (inside one field's value).
struct Accesses<'a> {
    old: &'a str,
    new: &'a str,
}

impl VisitMut for Accesses<'_> {
    fn visit_expr_field_mut(&mut self, e: &mut syn::ExprField) {
        syn::visit_mut::visit_expr_field_mut(self, e);
        if let syn::Member::Named(m) = &e.member
            && m == self.old
        {
            e.member = syn::Member::Named(syn::Ident::new(self.new, m.span()));
        }
    }
}

/// Renames the fields of struct literals and the setters of one impl.
struct InImpl<'a> {
    renames: &'a [((String, usize), String)],
}

impl VisitMut for InImpl<'_> {
    fn visit_expr_struct_mut(&mut self, e: &mut syn::ExprStruct) {
        syn::visit_mut::visit_expr_struct_mut(self, e);
        let mut seen: HashMap<String, usize> = HashMap::new();
        for field in e.fields.iter_mut() {
            let syn::Member::Named(m) = &field.member else {
                continue;
            };
            let name = m.to_string();
            let k = seen.entry(name.clone()).or_insert(0);
            if let Some(new) = renamed(self.renames, &name, *k) {
                let span = m.span();
                // `id: value.id?` -> `id_2: value.id_2?`; a shorthand
                // `id` becomes `id_2: id_2` of no binding: written out.
                field.colon_token.get_or_insert_with(Default::default);
                Accesses { old: &name, new }.visit_expr_mut(&mut field.expr);
                field.member = syn::Member::Named(syn::Ident::new(new, span));
            }
            *k += 1;
        }
    }
}

impl VisitMut for Fields {
    fn visit_item_struct_mut(&mut self, s: &mut syn::ItemStruct) {
        let Some(renames) = self.0.get(&s.ident.to_string()) else {
            return;
        };
        let serde = is_serde(&s.attrs);
        let syn::Fields::Named(fields) = &mut s.fields else {
            return;
        };
        let mut seen: HashMap<String, usize> = HashMap::new();
        for field in fields.named.iter_mut() {
            let Some(ident) = &field.ident else { continue };
            let name = ident.to_string();
            let k = seen.entry(name.clone()).or_insert(0);
            if let Some(new) = renamed(renames, &name, *k) {
                if serde && super::serde_str(&field.attrs, "rename").is_none() {
                    field
                        .attrs
                        .push(syn::parse_quote!(#[serde(rename = #name)]));
                }
                field.ident = Some(syn::Ident::new(new, ident.span()));
            }
            *k += 1;
        }
    }

    fn visit_item_impl_mut(&mut self, imp: &mut syn::ItemImpl) {
        let Some(renames) = crate::items::last_segment(&imp.self_ty).and_then(|t| self.0.get(&t))
        else {
            return;
        };
        let mut seen: HashMap<String, usize> = HashMap::new();
        for item in imp.items.iter_mut() {
            if let syn::ImplItem::Fn(f) = item {
                let name = f.sig.ident.to_string();
                let k = seen.entry(name.clone()).or_insert(0);
                if let Some(new) = renamed(renames, &name, *k) {
                    // A setter: `fn id(mut self, ..) { self.id = ..; self }`.
                    f.sig.ident = syn::Ident::new(new, f.sig.ident.span());
                    Accesses { old: &name, new }.visit_block_mut(&mut f.block);
                }
                *k += 1;
            }
        }
        InImpl { renames }.visit_item_impl_mut(imp);
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    #[test]
    fn fields_of_one_name_are_told_apart_everywhere() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                pub struct Doc {
                    #[serde(rename = "_id")]
                    pub id: Option<String>,
                    pub id: ::serde_json::Value,
                    pub id_2: i64,
                }
                impl Doc {
                    pub fn builder() -> builder::Doc { Default::default() }
                }
                pub mod builder {
                    pub struct Doc {
                        id: Result<Option<String>, String>,
                        id: Result<::serde_json::Value, String>,
                        id_2: Result<i64, String>,
                    }
                    impl Default for Doc {
                        fn default() -> Self {
                            Self { id: Ok(Default::default()), id: Err("no value".into()), id_2: Err("no value".into()) }
                        }
                    }
                    impl Doc {
                        pub fn id<T>(mut self, value: T) -> Self { self.id = value.try_into(); self }
                        pub fn id<T>(mut self, value: T) -> Self { self.id = value.try_into(); self }
                        pub fn id_2<T>(mut self, value: T) -> Self { self.id_2 = value.try_into(); self }
                    }
                    impl TryFrom<Doc> for super::Doc {
                        type Error = String;
                        fn try_from(value: Doc) -> Result<Self, String> {
                            Ok(Self { id: value.id?, id: value.id?, id_2: value.id_2? })
                        }
                    }
                    impl From<super::Doc> for Doc {
                        fn from(value: super::Doc) -> Self {
                            Self { id: Ok(value.id), id: Ok(value.id), id_2: Ok(value.id_2) }
                        }
                    }
                }
            }
        };
        let mut rewrites = Vec::new();
        assert_eq!(super::distinct(&mut file, &mut rewrites), 1);
        assert_eq!(rewrites.len(), 1);
        let text = file.to_token_stream().to_string();
        // The type: the second `id` is `id_3` (`id_2` is taken), JSON `id`.
        assert!(
            text.contains("# [serde (rename = \"id\")] pub id_3 : :: serde_json :: Value"),
            "{text}"
        );
        assert!(
            text.contains("id_3 : Result < :: serde_json :: Value , String >"),
            "{text}"
        );
        assert!(
            text.contains("id_3 : Err (\"no value\" . into ())"),
            "{text}"
        );
        assert!(text.contains("pub fn id_3 < T > (mut self , value : T) -> Self { self . id_3 = value . try_into () ; self }"), "{text}");
        assert!(text.contains("id_3 : value . id_3 ?"), "{text}");
        assert!(text.contains("id_3 : Ok (value . id_3)"), "{text}");
        // The first `id` keeps its name everywhere.
        assert!(text.contains("id : value . id ?"), "{text}");
        // Nothing is a duplicate any more: parse as a crate would.
        let count = text.matches("pub fn id <").count();
        assert_eq!(count, 1, "{text}");
    }
}
