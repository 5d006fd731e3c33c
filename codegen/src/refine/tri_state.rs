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
//! Which fields: the optional properties whose schema says `nullable`
//! (3.1's `type: [.., null]` and `null` members already read so by
//! `normalize`), of component schemas and of the request and response
//! bodies progenitor names after their operation (`<OperationId>Body`),
//! and of the inline objects typify names after their parent and property
//! (`<Parent><Property>`), found by the names typify gives them. A property
//! whose type cannot be found keeps today's `Option<T>`, and so does a
//! field the client code outside `mod types` reads (progenitor's streams
//! of dropshot-paginated lists read `page.next_page`).

use std::collections::{HashMap, HashSet};

use serde_json::Value;
use syn::visit_mut::VisitMut;

use crate::generate::type_builders::Rewrite;
use crate::naming::{Case, sanitize};
use crate::walk;

/// The deserializer of tri-state fields.
const PRESENT_OR_NULL: &str = "present_or_null";

/// `number-form`'s writer of an `Option<f64>` field.
const OPTIONAL_NUMBER: &str = "optional_number_as_written";

/// Rewrite the optional nullable fields of `file`'s `mod types` (and,
/// through `rewrites`, of their builders). How many.
pub fn rewrite(file: &mut syn::File, doc: &Value, rewrites: &mut Vec<Rewrite>) -> usize {
    let wanted = nullable_optionals(doc);
    if wanted.is_empty() {
        return 0;
    }
    let read_elsewhere = super::fields_read_outside_types(file);
    let Some(items) = super::types_items(file) else {
        return 0;
    };
    let mut plan = super::FieldPlan::new();
    let mut number_helper = false;
    for item in items.iter_mut() {
        let syn::Item::Struct(s) = item else { continue };
        let Some(wires) = wanted.get(&s.ident.to_string()) else {
            continue;
        };
        let syn::Fields::Named(fields) = &mut s.fields else {
            continue;
        };
        for field in fields.named.iter_mut() {
            let Some(ident) = &field.ident else { continue };
            let wire = super::serde_str(&field.attrs, "rename")
                .unwrap_or_else(|| ident.to_string().trim_start_matches("r#").to_owned());
            let skipped_when_none = super::serde_str(&field.attrs, "skip_serializing_if")
                .is_some_and(|f| f.replace(' ', "").ends_with("Option::is_none"));
            // What the rewrite rebuilds; a field with anything else
            // (another deserializer) is left alone. `number-form`'s writer
            // of `Option<f64>` is carried over to the extra `Option`.
            let metas = super::serde_metas(&field.attrs);
            let numbers = metas.iter().any(|m| matches!(m, syn::Meta::NameValue(nv)
                if nv.path.is_ident("serialize_with")
                    && super::serde_str(&field.attrs, "serialize_with").as_deref() == Some(OPTIONAL_NUMBER)));
            let known = metas.iter().all(|m| {
                ["rename", "default", "skip_serializing_if"]
                    .iter()
                    .any(|k| m.path().is_ident(k))
                    || (numbers && m.path().is_ident("serialize_with"))
            });
            if !wires.contains(&wire)
                || !skipped_when_none
                || !known
                || !is_option(&field.ty)
                || read_elsewhere.contains(&ident.to_string())
            {
                continue;
            }
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
            plan.entry(s.ident.to_string())
                .or_default()
                .insert(ident.to_string());
        }
    }
    let count = plan.values().map(HashSet::len).sum();
    if count == 0 {
        return 0;
    }
    let name = syn::Ident::new(PRESENT_OR_NULL, proc_macro2::Span::call_site());
    items.push(syn::parse_quote! {
        /// Reads a present property of a tri-state field: `null` is
        /// `Some(None)`, a value `Some(Some(v))` (absent is the default, `None`).
        fn #name<'de, D, T>(
            deserializer: D,
        ) -> ::std::result::Result<::std::option::Option<::std::option::Option<T>>, D::Error>
        where
            D: ::serde::Deserializer<'de>,
            T: ::serde::Deserialize<'de>,
        {
            <::std::option::Option<T> as ::serde::Deserialize>::deserialize(deserializer)
                .map(::std::option::Option::Some)
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

/// Type name (as typify gives it) -> JSON names of its optional nullable
/// properties.
fn nullable_optionals(doc: &Value) -> HashMap<String, HashSet<String>> {
    let mut out = HashMap::new();
    if let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") {
        for (name, schema) in schemas {
            collect(doc, &sanitize(name, Case::Pascal), schema, &mut out, 0);
        }
    }
    for op in walk::operations(doc) {
        let (Some(id), Some(operation)) = (&op.id, walk::operation(doc, &op)) else {
            continue;
        };
        let base = sanitize(id, Case::Pascal);
        let body = operation
            .get("requestBody")
            .map(|b| walk::deref(doc, b))
            .and_then(|b| b.get("content"))
            .and_then(Value::as_object)
            .and_then(|c| c.iter().find(|(m, _)| crate::examples::is_json_media(m)))
            .and_then(|(_, m)| m.get("schema"));
        if let Some(schema) = body.filter(|s| s.get("$ref").is_none()) {
            collect(doc, &format!("{base}Body"), schema, &mut out, 0);
        }
    }
    out
}

/// The optional nullable properties of `schema` (named `name`), with those
/// of its `allOf` members (typify makes one struct of them), and of the
/// inline objects of its properties (`<name><Property>`).
fn collect(
    doc: &Value,
    name: &str,
    schema: &Value,
    out: &mut HashMap<String, HashSet<String>>,
    depth: usize,
) {
    if depth > 6 {
        return;
    }
    let mut properties = Vec::new();
    let mut required = HashSet::new();
    gather(doc, schema, &mut properties, &mut required, 0);
    for (prop, p) in properties {
        if !required.contains(prop.as_str()) && p.get("nullable") == Some(&Value::Bool(true)) {
            out.entry(name.to_owned()).or_default().insert(prop.clone());
        }
        if p.get("$ref").is_none() && p.get("properties").is_some() {
            let inner = format!("{name}{}", sanitize(&prop, Case::Pascal));
            collect(doc, &inner, p, out, depth + 1);
        }
    }
}

/// The properties and required names of `schema` and its `allOf` members.
fn gather<'a>(
    doc: &'a Value,
    schema: &'a Value,
    properties: &mut Vec<(String, &'a Value)>,
    required: &mut HashSet<&'a str>,
    depth: usize,
) {
    if depth > 8 {
        return;
    }
    let schema = walk::deref(doc, schema);
    if let Some(Value::Object(own)) = schema.get("properties") {
        properties.extend(own.iter().map(|(k, v)| (k.clone(), v)));
    }
    if let Some(Value::Array(names)) = schema.get("required") {
        required.extend(names.iter().filter_map(Value::as_str));
    }
    if let Some(Value::Array(members)) = schema.get("allOf") {
        for member in members {
            gather(doc, member, properties, required, depth + 1);
        }
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
    use serde_json::json;

    #[test]
    fn optional_nullable_fields_are_tri_state_in_types_and_builders() {
        let doc = json!({
            "openapi": "3.0.3",
            "paths": {},
            "components": {"schemas": {"Session": {
                "type": "object",
                "required": ["kept"],
                "properties": {
                    "noise_reduction": {"type": "string", "nullable": true},
                    "kept": {"type": "string", "nullable": true},
                    "plain": {"type": "string"},
                }
            }}}
        });
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Session {
                    #[serde(default)]
                    pub kept: ::std::option::Option<::std::string::String>,
                    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
                    pub noise_reduction: ::std::option::Option<::std::string::String>,
                    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
                    pub plain: ::std::option::Option<::std::string::String>,
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
        assert_eq!(super::rewrite(&mut file, &doc, &mut rewrites), 1);
        let code = file.to_token_stream().to_string();
        assert!(code.contains("deserialize_with = \"present_or_null\")] pub noise_reduction : :: std :: option :: Option < :: std :: option :: Option < :: std :: string :: String > >"), "{code}");
        assert!(
            code.contains("pub plain : :: std :: option :: Option < :: std :: string :: String >"),
            "{code}"
        );
        assert!(
            code.contains("pub kept : :: std :: option :: Option < :: std :: string :: String >"),
            "required: two states suffice: {code}"
        );
        assert!(code.contains("noise_reduction : :: std :: result :: Result < :: std :: option :: Option < :: std :: option :: Option"), "{code}");
        assert!(
            code.contains(
                "value . try_into () . map (:: std :: option :: Option :: Some) . map_err"
            ),
            "{code}"
        );
        assert!(code.contains("fn present_or_null"), "{code}");
    }

    #[test]
    fn a_field_the_client_code_reads_keeps_its_type() {
        let doc = json!({"openapi": "3.0.3", "paths": {}, "components": {"schemas": {"Page": {
            "type": "object",
            "properties": {"next_page": {"type": "string", "nullable": true}}
        }}}});
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Page {
                    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
                    pub next_page: ::std::option::Option<::std::string::String>,
                }
            }
            pub mod builder {
                fn next(page: super::types::Page) -> ::std::option::Option<::std::string::String> { page.next_page }
            }
        };
        assert_eq!(super::rewrite(&mut file, &doc, &mut Vec::new()), 0);
    }
}
