//! `request-bodies`: send each body as its media type says.
//!
//! progenitor was given a body it can send (see
//! [`crate::normalize::media_types`]); here its `send()` is rewritten:
//!
//! * multipart: `.form_urlencoded(&body)?` becomes
//!   `.multipart(crate::runtime::multipart::form(&body, encoding, flag)..?)`;
//! * JSON of another media type (`application/merge-patch+json`): a
//!   `Content-Type` header is set before `.json(&body)` (which then keeps it);
//! * text or bytes of another media type (`application/sdp`): the
//!   `Content-Type` progenitor wrote is replaced;
//! * a method made for one media type of several: the `#codegen-media-<kind>` its path
//!   carried is removed from the URL and the docs.

use serde_json::Value;
use syn::visit_mut::VisitMut;

use super::{header_value, is_path_to};
use crate::Error;
use crate::normalize::media_types::MARKER;
use crate::walk;

/// An operation's request body, as the generated code sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    /// The media type progenitor was given (`application/json`, ...).
    pub native: String,
    /// Its schema.
    pub schema: Option<Value>,
    /// The media type to send instead, when it differs.
    pub media_type: Option<String>,
    /// `(property, content type)` from the spec's `encoding`.
    pub encoding: Vec<(String, String)>,
    /// `(property, style, explode)` of a form body, from its `encoding`.
    pub styles: Vec<(String, String, bool)>,
    /// The `#codegen-media-<kind>` that told this operation's path apart.
    pub fragment: Option<String>,
}

impl Body {
    /// The body of operation `o` (normalized), if it has one.
    pub fn of(doc: &Value, o: &Value) -> Option<Self> {
        let marker = o.get(MARKER);
        let fragment = marker
            .and_then(|m| m.get("fragment"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let body = o.get("requestBody").map(|b| walk::deref(doc, b));
        let (native, media) = body
            .and_then(|b| b.get("content"))
            .and_then(Value::as_object)
            .and_then(|c| c.iter().next())
            .map(|(k, v)| (k.clone(), v))?;
        let media_type = marker
            .and_then(|m| m.get("media_type"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let encoding = marker
            .and_then(|m| m.get("encoding"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|pair| {
                Some((
                    pair.get(0)?.as_str()?.to_owned(),
                    pair.get(1)?.as_str()?.to_owned(),
                ))
            })
            .collect();
        let styles = marker
            .and_then(|m| m.get("styles"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|s| {
                Some((
                    s.get(0)?.as_str()?.to_owned(),
                    s.get(1)?.as_str()?.to_owned(),
                    s.get(2)?.as_bool()?,
                ))
            })
            .collect();
        Some(Self {
            native,
            schema: media.get("schema").cloned(),
            media_type,
            encoding,
            styles,
            fragment,
        })
    }

    /// Whether the body is sent as `multipart/form-data`.
    pub fn is_multipart(&self) -> bool {
        self.media_type
            .as_deref()
            .is_some_and(|m| m.starts_with("multipart/form-data"))
    }

    /// Whether the body is sent as `application/x-www-form-urlencoded`.
    pub fn is_form(&self) -> bool {
        self.media_type
            .as_deref()
            .is_some_and(|m| m.starts_with("application/x-www-form-urlencoded"))
    }

    /// Whether the body is sent with `.json(&body)`.
    fn is_json(&self) -> bool {
        self.native.starts_with("application/json")
    }

    /// Whether the body's schema (followed through `$ref` and `allOf`) has
    /// a property `name`.
    pub fn has_property(&self, doc: &Value, name: &str) -> bool {
        fn has(doc: &Value, schema: &Value, name: &str, depth: usize) -> bool {
            let s = walk::deref(doc, schema);
            depth < 16
                && (s.get("properties").and_then(|p| p.get(name)).is_some()
                    || s.get("allOf")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .any(|m| has(doc, m, name, depth + 1)))
        }
        self.schema.as_ref().is_some_and(|s| has(doc, s, name, 0))
    }
}

/// Rewrite the builder's `send()` for `body`.
pub fn rewrite(imp: &mut syn::ItemImpl, body: &Body, id: &str) -> Result<(), Error> {
    let send = super::send_fn_mut(imp).ok_or_else(|| missing(id, "send()"))?;
    rewrite_fn(send, body, None).map_err(|what| missing(id, &what))
}

fn missing(id: &str, what: &str) -> Error {
    Error::Generate {
        file: String::new(),
        message: format!("extend: the builder of `{id}` has no {what} to rewrite"),
    }
}

/// Rewrite one send method (`send` or `send_stream`) for `body`; `flag`
/// names a boolean property to send as `true`. The error names what was not
/// found.
pub fn rewrite_fn(f: &mut syn::ImplItemFn, body: &Body, flag: Option<&str>) -> Result<(), String> {
    if let Some(fragment) = &body.fragment {
        StripFragment(fragment).visit_impl_item_fn_mut(f);
    }
    let mut rewrite = Rewrite {
        body,
        flag,
        done: false,
    };
    rewrite.visit_block_mut(&mut f.block);
    let needed =
        body.is_multipart() || body.media_type.is_some() || (flag.is_some() && body.is_json());
    if needed && !rewrite.done {
        return Err(format!(
            "request body call for {}",
            body.media_type.as_deref().unwrap_or(&body.native)
        ));
    }
    Ok(())
}

struct Rewrite<'a> {
    body: &'a Body,
    flag: Option<&'a str>,
    done: bool,
}

impl VisitMut for Rewrite<'_> {
    fn visit_expr_mut(&mut self, e: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, e);
        let body = self.body;
        match e {
            // progenitor was given a form body for both: its
            // `.form_urlencoded(&body)?` becomes the real encoding.
            syn::Expr::Try(t) if body.is_multipart() || body.is_form() => {
                let syn::Expr::MethodCall(m) = &*t.expr else {
                    return;
                };
                if m.method != "form_urlencoded" {
                    return;
                }
                let receiver = &m.receiver;
                *e = if body.is_multipart() {
                    let (names, types): (Vec<&str>, Vec<&str>) = body
                        .encoding
                        .iter()
                        .map(|(p, ct)| (p.as_str(), ct.as_str()))
                        .unzip();
                    let flag = match self.flag {
                        Some(flag) => quote::quote!(Some(#flag)),
                        None => quote::quote!(None),
                    };
                    syn::parse_quote! {
                        #receiver.multipart(
                            crate::runtime::multipart::form(&body, &[#((#names, #types)),*], #flag)
                                .map_err(|e| Error::InvalidRequest(e.to_string()))?,
                        )
                    }
                } else {
                    let content_type = header_value("application/x-www-form-urlencoded");
                    let styles = body
                        .styles
                        .iter()
                        .map(|(p, style, explode)| quote::quote!((#p, #style, #explode)));
                    syn::parse_quote! {
                        #receiver
                            .header(::reqwest::header::CONTENT_TYPE, #content_type)
                            .body(
                                crate::runtime::params::form_body(&body, &[#(#styles),*])
                                    .map_err(Error::InvalidRequest)?,
                            )
                    }
                };
                self.done = true;
            }
            syn::Expr::MethodCall(m) if m.method == "json" && body.is_json() => {
                if let Some(flag) = self.flag {
                    m.args = syn::parse_quote!(
                        &crate::runtime::sse::streaming_body(&body, #flag).map_err(Error::InvalidRequest)?
                    );
                    self.done = true;
                }
                if let Some(media_type) = &body.media_type {
                    let receiver = &m.receiver;
                    let value = header_value(media_type);
                    m.receiver = syn::parse_quote!(
                        #receiver.header(::reqwest::header::CONTENT_TYPE, #value)
                    );
                    self.done = true;
                }
            }
            syn::Expr::MethodCall(m)
                if m.method == "header"
                    && !body.is_multipart()
                    && !body.is_json()
                    && m.args
                        .first()
                        .is_some_and(|a| is_path_to(a, "CONTENT_TYPE")) =>
            {
                if let (Some(media_type), Some(value)) =
                    (&body.media_type, m.args.iter_mut().nth(1))
                {
                    *value = header_value(media_type);
                    self.done = true;
                }
            }
            _ => {}
        }
    }
}

/// Removes `#codegen-media-<kind>` from every string literal and doc of a method, also
/// inside macros (the URL is a `format!` argument).
struct StripFragment<'a>(&'a str);

impl StripFragment<'_> {
    fn tokens(&mut self, tokens: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
        use proc_macro2::{Group, TokenTree};
        tokens
            .into_iter()
            .map(|tree| match tree {
                TokenTree::Group(g) => {
                    let mut new = Group::new(g.delimiter(), self.tokens(g.stream()));
                    new.set_span(g.span());
                    TokenTree::Group(new)
                }
                TokenTree::Literal(lit) => {
                    let mut lit_str = syn::Lit::new(lit.clone());
                    if let syn::Lit::Str(s) = &mut lit_str {
                        self.visit_lit_str_mut(s);
                        if let syn::Lit::Str(s) = lit_str {
                            return TokenTree::Literal(s.token());
                        }
                    }
                    TokenTree::Literal(lit)
                }
                other => other,
            })
            .collect()
    }
}

impl VisitMut for StripFragment<'_> {
    fn visit_lit_str_mut(&mut self, lit: &mut syn::LitStr) {
        let value = lit.value();
        if value.contains(self.0) {
            *lit = syn::LitStr::new(&value.replace(self.0, ""), lit.span());
        }
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        mac.tokens = self.tokens(std::mem::take(&mut mac.tokens));
    }
}

/// Remove each `#codegen-media-<kind>` from the docs of the client and its
/// builders (their docs name the path; `mod types` holds only the spec's
/// descriptions): only where it ends a path, "`/x#codegen-media-<kind>`".
pub fn strip_fragments_from_docs(file: &mut syn::File, fragments: &[String]) {
    struct Docs<'a>(&'a [String]);
    impl VisitMut for Docs<'_> {
        fn visit_item_mod_mut(&mut self, m: &mut syn::ItemMod) {
            if m.ident != "types" {
                syn::visit_mut::visit_item_mod_mut(self, m);
            }
        }
        fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
            if !attr.path().is_ident("doc") {
                return;
            }
            if let syn::Meta::NameValue(nv) = &mut attr.meta
                && let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(lit),
                    ..
                }) = &mut nv.value
            {
                let mut value = lit.value();
                if !value.contains(crate::normalize::media_types::COPY_MARK) {
                    return;
                }
                for fragment in self.0 {
                    value = value.replace(&format!("{fragment}`"), "`");
                }
                *lit = syn::LitStr::new(&value, lit.span());
            }
        }
    }
    Docs(fragments).visit_file_mut(file);
}

/// A union member that is a file is named after the schema the
/// `media-types` step made (`XCodegenFilePart`); call it `File` (or
/// `FilePart` where an enum has a `File` already). Returns how many
/// enums were renamed (the rename is pushed to `rewrites`, for code
/// formatted apart).
pub fn name_file_variants(
    file: &mut syn::File,
    rewrites: &mut Vec<crate::generate::type_builders::Rewrite>,
) -> usize {
    use crate::normalize::media_types::FILE_PART_SCHEMA;
    let mut enums = 0;
    let mut file_taken = false;
    for item in &file.items {
        if let syn::Item::Mod(m) = item
            && let Some((_, items)) = &m.content
        {
            for item in items {
                if let syn::Item::Enum(e) = item
                    && e.variants.iter().any(|v| v.ident == FILE_PART_SCHEMA)
                {
                    enums += 1;
                    file_taken |= e.variants.iter().any(|v| v.ident == "File");
                }
            }
        }
    }
    if enums == 0 {
        return 0;
    }
    struct Rename(&'static str);
    impl VisitMut for Rename {
        fn visit_ident_mut(&mut self, ident: &mut proc_macro2::Ident) {
            if ident == FILE_PART_SCHEMA {
                *ident = proc_macro2::Ident::new(self.0, ident.span());
            }
        }
    }
    let name = if file_taken { "FilePart" } else { "File" };
    Rename(name).visit_file_mut(file);
    rewrites.push(Box::new(move |file| Rename(name).visit_file_mut(file)));
    enums
}
