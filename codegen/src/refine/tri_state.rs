//! `tri-state`: an optional, nullable property is absent, `null` or a value.
//!
//! typify writes it as `Option<T>`, skipped when `None`: `null` reads as
//! `None` and is then not written, so `{"noise_reduction": null}` (turn it
//! off) and `{}` (leave it as it is) are one request, and a response's
//! `null` is lost when it is sent back. PATCH semantics need all three, as
//! openapi-generator and openapi-to-rust give them.
//!
//! Such a field becomes `Option<Option<T>>`: `None` absent (skipped),
//! `Some(None)` `null`, `Some(Some(v))` a value; reading goes through
//! `present_or_null` (emitted once into `mod types`), so a present `null`
//! is `Some(None)`. The builder's setter keeps its argument
//! (`TryInto<Option<T>>`): `.field(v)` sends `v`, `.field(None)` sends
//! `null`, not calling it sends nothing.
//!
//! An optional property whose only value is `null` (`type: "null"`; Discord
//! marks a role by the presence of `premium_subscriber: null`) has two
//! states, absent and `null`: typify's `()` wrote `null` for both, and it
//! becomes `Option<()>` the same way.
//!
//! Which fields: those whose doc carries `normalize`'s mark
//! ([`crate::normalize::tri_state_marks::MARK`]), which it puts on every
//! optional property whose schema says `nullable` (3.1's `type: [.., null]`
//! and `null` members already read so), so the field is found wherever
//! typify puts it: a struct, an inline type named by a title or an array
//! item, a struct-like enum variant (which has no builder). Every mark is
//! removed from the docs here. A field whose serde attributes say anything
//! else keeps today's `Option<T>`, and so does a field the client code
//! outside `mod types` reads (progenitor's streams of dropshot-paginated
//! lists read `page.next_page`).

use std::collections::HashSet;

use syn::visit_mut::VisitMut;

use crate::generate::type_builders::Rewrite;
use crate::normalize::tri_state_marks::MARK;

/// The deserializer of tri-state fields.
pub(crate) const PRESENT_OR_NULL: &str = "present_or_null";

/// `number-form`'s writer of an `Option<f64>` field.
const OPTIONAL_NUMBER: &str = "optional_number_as_written";

/// Rewrite the optional nullable fields of `file`'s `mod types` (and,
/// through `rewrites`, of their builders). How many.
pub fn rewrite(file: &mut syn::File, rewrites: &mut Vec<Rewrite>) -> usize {
    let read_elsewhere = super::fields_read_outside_types(file);
    let mut plan = super::FieldPlan::new();
    let mut number_helper = false;
    let mut variant_fields = 0;
    let Some(items) = crate::items::module_mut(file, "types") else {
        return 0;
    };
    for (owner, field) in super::named_fields_mut(items) {
        let Some(ident) = &field.ident else { continue };
        let skipped_when_none = super::serde_str(&field.attrs, "skip_serializing_if")
            .is_some_and(|f| f.replace(' ', "").ends_with("Option::is_none"));
        // What the rewrite rebuilds; a field with anything else
        // (another deserializer) is left alone. `number-form`'s writer
        // of `Option<f64>` is carried over to the extra `Option`.
        let metas = super::serde_metas(&field.attrs);
        let numbers = metas.iter().any(|m| matches!(m, syn::Meta::NameValue(nv)
            if nv.path.is_ident("serialize_with")
                && super::serde_str(&field.attrs, "serialize_with").as_deref() == Some(OPTIONAL_NUMBER)));
        // typify boxes a recursive type (`Box<Option<T>>`) and writes its
        // `None` as `null`; `nullable-fields` reads `null` through
        // `null_as_default`. It becomes `Option<Box<Option<T>>>` too.
        let boxed = !skipped_when_none && is_boxed_option(&field.ty);
        // An optional property whose one value is `null` (`type: "null"`,
        // Discord's role tags: present means yes) is typify's `()`, written
        // as `null` when absent: it becomes `Option<()>`, absent or `null`.
        let unit = matches!(&field.ty, syn::Type::Tuple(t) if t.elems.is_empty())
            && metas.iter().any(|m| m.path().is_ident("default"));
        let known = metas.iter().all(|m| {
            ["rename", "default", "skip_serializing_if"]
                .iter()
                .any(|k| m.path().is_ident(k))
                || (numbers && m.path().is_ident("serialize_with"))
                || ((boxed || unit)
                    && m.path().is_ident("deserialize_with")
                    && super::serde_str(&field.attrs, "deserialize_with").as_deref()
                        == Some(super::nullable::NULL_AS_DEFAULT))
        });
        let tri_state =
            marked(&field.attrs) && (boxed || skipped_when_none && is_option(&field.ty));
        if !(tri_state || unit) || !known || read_elsewhere.contains(&ident.to_string()) {
            continue;
        }
        let ident = ident.to_string();
        let ty = &field.ty;
        field.ty = syn::parse_quote!(::std::option::Option<#ty>);
        let rename = super::serde_str(&field.attrs, "rename");
        field.attrs.retain(|a| !a.path().is_ident("serde"));
        let mut rebuilt: Vec<syn::Meta> = Vec::new();
        if let Some(r) = rename {
            rebuilt.push(syn::parse_quote!(rename = #r));
        }
        rebuilt.push(syn::parse_quote!(default));
        rebuilt.push(syn::parse_quote!(
            skip_serializing_if = "::std::option::Option::is_none"
        ));
        rebuilt.push(syn::parse_quote!(deserialize_with = "present_or_null"));
        if numbers {
            rebuilt.push(syn::parse_quote!(
                serialize_with = "nullable_number_as_written"
            ));
            number_helper = true;
        }
        field.attrs.push(syn::parse_quote!(#[serde(#(#rebuilt),*)]));
        match owner {
            Some(owner) => {
                plan.entry(owner.to_string()).or_default().insert(ident);
            }
            None => variant_fields += 1,
        }
    }
    Unmark.visit_file_mut(file);
    let Some(items) = crate::items::module_mut(file, "types") else {
        return 0;
    };
    let count = plan.values().map(HashSet::len).sum::<usize>() + variant_fields;
    if count == 0 {
        return 0;
    }
    // A boxed field no longer reads through `null_as_default`; an unused
    // helper would be a warning in the generated crate.
    let null_as_default = super::nullable::NULL_AS_DEFAULT;
    if !super::named_fields_mut(items).any(|(_, f)| {
        super::serde_str(&f.attrs, "deserialize_with").as_deref() == Some(null_as_default)
    }) {
        items.retain(|item| !matches!(item, syn::Item::Fn(f) if f.sig.ident == null_as_default));
    }
    let name = syn::Ident::new(PRESENT_OR_NULL, proc_macro2::Span::call_site());
    items.push(syn::parse_quote! {
        /// Reads a present property of a tri-state field (`T` is an
        /// `Option<..>` or a `Box<Option<..>>`): `null` is `Some(None)`, a
        /// value `Some(Some(v))` (absent is the default, `None`).
        fn #name<'de, D, T>(
            deserializer: D,
        ) -> ::std::result::Result<::std::option::Option<T>, D::Error>
        where
            D: ::serde::Deserializer<'de>,
            T: ::serde::Deserialize<'de>,
        {
            <T as ::serde::Deserialize>::deserialize(deserializer).map(::std::option::Option::Some)
        }
    });
    if number_helper {
        items.push(syn::parse_quote! {
            /// Writes a tri-state number: `null`, or the number as written.
            fn nullable_number_as_written<S>(
                value: &::std::option::Option<::std::option::Option<f64>>,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error>
            where
                S: ::serde::Serializer,
            {
                match value {
                    ::std::option::Option::Some(inner) => optional_number_as_written(inner, serializer),
                    ::std::option::Option::None => serializer.serialize_none(),
                }
            }
        });
    }
    super::PlannedBuilders {
        plan,
        field: super::option_in_result,
        setter: some_in_setter,
    }
    .apply(file, rewrites);
    count
}

fn is_option(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Option"))
}

/// `Box<Option<T>>`.
fn is_boxed_option(ty: &syn::Type) -> bool {
    let syn::Type::Path(p) = ty else { return false };
    let Some(last) = p.path.segments.last().filter(|s| s.ident == "Box") else {
        return false;
    };
    matches!(&last.arguments, syn::PathArguments::AngleBracketed(a)
        if matches!(a.args.first(), Some(syn::GenericArgument::Type(inner)) if is_option(inner)))
}

/// Whether a doc attribute carries `normalize`'s mark.
fn marked(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .any(|a| doc_text(a).is_some_and(|d| d.contains(MARK)))
}

/// The text of a `#[doc = ".."]`.
fn doc_text(attr: &syn::Attribute) -> Option<String> {
    match &attr.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("doc") => crate::items::str_lit(&nv.value),
        _ => None,
    }
}

/// Removes `normalize`'s mark from every doc (typify also writes an inline
/// object's description on its type), and a doc that was only the mark.
struct Unmark;

impl Unmark {
    fn strip(attrs: &mut Vec<syn::Attribute>) {
        attrs.retain_mut(|attr| {
            let Some(text) = doc_text(attr).filter(|t| t.contains(MARK)) else {
                return true;
            };
            let text = text.replace(MARK, "");
            let text = text.trim_end();
            if text.trim().is_empty() {
                return false;
            }
            *attr = syn::parse_quote!(#[doc = #text]);
            true
        });
    }
}

impl VisitMut for Unmark {
    fn visit_field_mut(&mut self, f: &mut syn::Field) {
        Self::strip(&mut f.attrs);
        syn::visit_mut::visit_field_mut(self, f);
    }
    fn visit_variant_mut(&mut self, v: &mut syn::Variant) {
        Self::strip(&mut v.attrs);
        syn::visit_mut::visit_variant_mut(self, v);
    }
    fn visit_item_struct_mut(&mut self, s: &mut syn::ItemStruct) {
        Self::strip(&mut s.attrs);
        syn::visit_mut::visit_item_struct_mut(self, s);
    }
    fn visit_item_enum_mut(&mut self, e: &mut syn::ItemEnum) {
        Self::strip(&mut e.attrs);
        syn::visit_mut::visit_item_enum_mut(self, e);
    }
    fn visit_item_type_mut(&mut self, t: &mut syn::ItemType) {
        Self::strip(&mut t.attrs);
        syn::visit_mut::visit_item_type_mut(self, t);
    }
    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        Self::strip(&mut f.attrs);
        syn::visit_mut::visit_impl_item_fn_mut(self, f);
    }
}

/// The setter wraps what it is given in `Some`: `.field(v)` sends `v`,
/// `.field(None)` sends `null`.
fn some_in_setter(f: &mut syn::ImplItemFn) {
    SomeAfterTryInto.visit_block_mut(&mut f.block);
}

/// `value.try_into()` -> `value.try_into().map(Some)` in a setter.
struct SomeAfterTryInto;

impl VisitMut for SomeAfterTryInto {
    fn visit_expr_mut(&mut self, e: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, e);
        if let syn::Expr::MethodCall(call) = e
            && call.method == "try_into"
            && call.args.is_empty()
        {
            let inner = call.clone();
            *e = syn::parse_quote!(#inner.map(::std::option::Option::Some));
        }
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    #[test]
    fn optional_nullable_fields_are_tri_state_in_types_and_builders() {
        // `normalize` marked the optional nullable properties' docs.
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Session {
                    #[serde(default)]
                    pub kept: ::std::option::Option<::std::string::String>,
                    #[doc = "Turn it off.\n\nx-codegen-tri-state"]
                    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
                    pub noise_reduction: ::std::option::Option<::std::string::String>,
                    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
                    pub plain: ::std::option::Option<::std::string::String>,
                    #[doc = "x-codegen-tri-state"]
                    #[serde(default, deserialize_with = "null_as_default")]
                    pub parent: ::std::boxed::Box<::std::option::Option<Session>>,
                    #[serde(default, deserialize_with = "null_as_default")]
                    pub premium: (),
                    pub always: (),
                }
                fn null_as_default() {}
                #[doc = "x-codegen-tri-state"]
                pub enum Truncation {
                    Ratio {
                        #[doc = "x-codegen-tri-state"]
                        #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
                        ratio: ::std::option::Option<i64>,
                    },
                }
                pub mod builder {
                    pub struct Session {
                        noise_reduction: ::std::result::Result<::std::option::Option<::std::string::String>, ::std::string::String>,
                        plain: ::std::result::Result<::std::option::Option<::std::string::String>, ::std::string::String>,
                    }
                    impl Session {
                        pub fn noise_reduction<T>(mut self, value: T) -> Self
                        where T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>, T::Error: ::std::fmt::Display,
                        { self.noise_reduction = value.try_into().map_err(|e| format!("{e}")); self }
                    }
                }
            }
        };
        let mut rewrites = Vec::new();
        assert_eq!(super::rewrite(&mut file, &mut rewrites), 4);
        let code = file.to_token_stream().to_string();
        assert!(code.contains("deserialize_with = \"present_or_null\")] pub noise_reduction : :: std :: option :: Option < :: std :: option :: Option < :: std :: string :: String > >"), "{code}");
        assert!(
            code.contains(
                "ratio : :: std :: option :: Option < :: std :: option :: Option < i64 > >"
            ),
            "a struct-like variant's field too: {code}"
        );
        assert!(
            code.contains("pub plain : :: std :: option :: Option < :: std :: string :: String >"),
            "{code}"
        );
        assert!(
            code.contains("pub kept : :: std :: option :: Option < :: std :: string :: String >"),
            "not marked: two states suffice: {code}"
        );
        assert!(code.contains("noise_reduction : :: std :: result :: Result < :: std :: option :: Option < :: std :: option :: Option"), "{code}");
        assert!(
            code.contains(
                "value . try_into () . map (:: std :: option :: Option :: Some) . map_err"
            ),
            "{code}"
        );
        assert!(code.contains("fn present_or_null"), "{code}");
        assert!(code.contains("deserialize_with = \"present_or_null\")] pub parent : :: std :: option :: Option < :: std :: boxed :: Box < :: std :: option :: Option < Session > > >"), "a boxed recursive field too: {code}");
        assert!(code.contains("deserialize_with = \"present_or_null\")] pub premium : :: std :: option :: Option < () >"), "an optional null-only property: absent or null: {code}");
        assert!(
            code.contains("pub always : ()"),
            "a required one is always null: {code}"
        );
        assert!(
            !code.contains("fn null_as_default"),
            "no longer used: {code}"
        );
        assert!(!code.contains(super::MARK), "every mark is removed: {code}");
        assert!(code.contains("# [doc = \"Turn it off.\"]"), "{code}");
    }

    #[test]
    fn a_field_the_client_code_reads_keeps_its_type() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Page {
                    #[doc = "x-codegen-tri-state"]
                    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
                    pub next_page: ::std::option::Option<::std::string::String>,
                }
            }
            pub mod builder {
                fn next(page: super::types::Page) -> ::std::option::Option<::std::string::String> { page.next_page }
            }
        };
        assert_eq!(super::rewrite(&mut file, &mut Vec::new()), 0);
        assert!(!file.to_token_stream().to_string().contains(super::MARK));
    }
}
