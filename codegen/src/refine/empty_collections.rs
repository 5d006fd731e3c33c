//! `keep-empty`: an empty array or map the API sends, or the caller sets,
//! is kept and sent.
//!
//! typify writes an optional array or map property as a bare `Vec<T>` /
//! `HashMap<K, V>` with `#[serde(default, skip_serializing_if =
//! "Vec::is_empty")]`: absent reads as empty, and empty is never written.
//! `[]` and `{}` are values (a PATCH that clears a list with `[]` is another
//! request than one that leaves it alone; `metadata: {}` is what the API
//! sent), so both directions lose them.
//!
//! Every such field becomes `Option<Vec<T>>` / `Option<HashMap<K, V>>`,
//! skipped only when `None`: absent stays absent, `[]` stays `[]`. Its
//! builder follows (the field and the setter's bound take the `Option`;
//! a caller's `Vec` still converts, `Option<T>: From<T>`), so
//! `.tags(vec![])` sends `"tags": []`. A required array is already always
//! written and is left alone, and so is a field the client code outside
//! `mod types` reads (progenitor's paginated streams).

use std::collections::HashSet;

use crate::generate::type_builders::Rewrite;

/// The collection types typify skips when empty.
const COLLECTIONS: [&str; 4] = ["Vec", "HashMap", "BTreeMap", "Map"];

/// Make every optional array and map field of `file`'s `mod types` an
/// `Option`, in the types and (also through `rewrites`, for the builders
/// formatted apart) their builders. How many fields.
pub fn keep(file: &mut syn::File, rewrites: &mut Vec<Rewrite>) -> usize {
    let read_elsewhere = super::fields_read_outside_types(file);
    let Some(items) = crate::items::module_mut(file, "types") else {
        return 0;
    };
    let mut plan = super::FieldPlan::new();
    for (owner, field) in super::named_fields_mut(items) {
        let read = field
            .ident
            .as_ref()
            .is_some_and(|i| read_elsewhere.contains(&i.to_string()));
        if !skipped_when_empty(&field.attrs) || !is_collection(&field.ty) || read {
            continue;
        }
        let ty = &field.ty;
        field.ty = syn::parse_quote!(::std::option::Option<#ty>);
        skip_when_none(&mut field.attrs);
        if let (Some(owner), Some(ident)) = (owner, &field.ident) {
            plan.entry(owner.to_string())
                .or_default()
                .insert(ident.to_string());
        }
    }
    let count = plan.values().map(HashSet::len).sum();
    if count == 0 {
        return 0;
    }
    super::PlannedBuilders {
        plan,
        field: super::option_in_result,
        setter: option_in_bound,
    }
    .apply(file, rewrites);
    count
}

/// Whether a `#[serde(skip_serializing_if = "..::is_empty")]` is present.
fn skipped_when_empty(attrs: &[syn::Attribute]) -> bool {
    super::serde_str(attrs, "skip_serializing_if")
        .is_some_and(|f| f.trim_end().ends_with("::is_empty"))
}

/// `Vec<..>`, `HashMap<..>`, `BTreeMap<..>`, `serde_json::Map<..>`.
fn is_collection(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| COLLECTIONS.contains(&s.ident.to_string().as_str())))
}

/// `skip_serializing_if = "..::is_empty"` -> `"::std::option::Option::is_none"`.
fn skip_when_none(attrs: &mut [syn::Attribute]) {
    use syn::punctuated::Punctuated;
    for attr in attrs.iter_mut().filter(|a| a.path().is_ident("serde")) {
        let Ok(metas) =
            attr.parse_args_with(Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated)
        else {
            continue;
        };
        let metas: Vec<syn::Meta> = metas
            .into_iter()
            .map(|m| match m {
                syn::Meta::NameValue(nv) if nv.path.is_ident("skip_serializing_if") => {
                    syn::parse_quote!(skip_serializing_if = "::std::option::Option::is_none")
                }
                other => other,
            })
            .collect();
        *attr = syn::parse_quote!(#[serde(#(#metas),*)]);
    }
}

/// The setter's `T: TryInto<T>` takes `Option<T>` (a caller's `T` still
/// converts: `Option<T>: From<T>`).
fn option_in_bound(f: &mut syn::ImplItemFn) {
    let Some(clause) = &mut f.sig.generics.where_clause else {
        return;
    };
    for predicate in clause.predicates.iter_mut() {
        let syn::WherePredicate::Type(p) = predicate else {
            continue;
        };
        for bound in p.bounds.iter_mut() {
            if let syn::TypeParamBound::Trait(t) = bound {
                super::wrap_in_option(&mut t.path, "TryInto");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    #[test]
    fn optional_collections_become_options_in_types_and_builders() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Thing {
                    pub name: ::std::string::String,
                    #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty", deserialize_with = "null_as_default")]
                    pub tags: ::std::vec::Vec<::std::string::String>,
                    #[serde(default, skip_serializing_if = ":: std :: collections :: HashMap::is_empty")]
                    pub meta: ::std::collections::HashMap<::std::string::String, ::std::string::String>,
                    pub ids: ::std::vec::Vec<i64>,
                }
                pub mod builder {
                    pub struct Thing {
                        name: ::std::result::Result<::std::string::String, ::std::string::String>,
                        tags: ::std::result::Result<::std::vec::Vec<::std::string::String>, ::std::string::String>,
                        ids: ::std::result::Result<::std::vec::Vec<i64>, ::std::string::String>,
                    }
                    impl Thing {
                        pub fn tags<T>(mut self, value: T) -> Self
                        where
                            T: ::std::convert::TryInto<::std::vec::Vec<::std::string::String>>,
                            T::Error: ::std::fmt::Display,
                        { self }
                        pub fn ids<T>(mut self, value: T) -> Self
                        where
                            T: ::std::convert::TryInto<::std::vec::Vec<i64>>,
                        { self }
                    }
                }
            }
        };
        let mut rewrites = Vec::new();
        assert_eq!(super::keep(&mut file, &mut rewrites), 2);
        assert_eq!(rewrites.len(), 1);
        let code = file.to_token_stream().to_string();
        assert!(code.contains("pub tags : :: std :: option :: Option < :: std :: vec :: Vec < :: std :: string :: String > >"), "{code}");
        assert!(
            code.contains(
                "pub meta : :: std :: option :: Option < :: std :: collections :: HashMap"
            ),
            "{code}"
        );
        assert!(code.contains("# [serde (default , skip_serializing_if = \"::std::option::Option::is_none\" , deserialize_with = \"null_as_default\")]"), "{code}");
        assert!(
            code.contains("pub ids : :: std :: vec :: Vec < i64 >"),
            "a required array is left alone: {code}"
        );
        assert!(code.contains("tags : :: std :: result :: Result < :: std :: option :: Option < :: std :: vec :: Vec"), "{code}");
        assert!(code.contains("T : :: std :: convert :: TryInto < :: std :: option :: Option < :: std :: vec :: Vec < :: std :: string :: String > > >"), "{code}");
        assert!(
            code.contains("T : :: std :: convert :: TryInto < :: std :: vec :: Vec < i64 > >"),
            "{code}"
        );
    }
}
