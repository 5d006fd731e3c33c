//! Stage 5, **extend**: generate, into the same `@generated` file, what
//! progenitor cannot, reusing what it made: the builders (so every
//! parameter is handled the same way), the types typify made, and the
//! client's hooks (`pre`, `exec`, `post`: auth, retries, header policy), so
//! that every method of a client behaves alike.
//!
//! The `normalize` stage's `media-types` step gives progenitor a request body
//! it can send and marks the operation (`x-codegen-request`); this stage
//! rewrites each marked builder's `send()` to send what the spec says:
//!
//! | step | module | rewrite |
//! |---|---|---|
//! | `request-bodies` | [`bodies`] | a multipart body is sent as `multipart/form-data` (`crate::runtime::multipart::form`), file fields as file parts; a JSON, text or byte body with another media type (`application/sdp`) carries its own `Content-Type`; a method made for one media type of several loses the `#codegen-media-<kind>` its path was told apart by |
//! | `parameters` | [`parameters`] | a parameter progenitor cannot send (`deepObject`, object query, query array of objects, delimited, array header, cookie) gets a setter and is encoded by its `style` (`crate::runtime::params`) |
//! | `responses` | [`responses`] | an operation whose success or error statuses have several body types returns an enum over them from `send()` (`Status404(Error)`, `Status429(RateLimitError)`) |
//! | `methods` | [`methods`] | an `OPTIONS` or `TRACE` operation's request is built with `reqwest::Client::request(Method::OPTIONS, url)`: reqwest has no shortcut for them |
//! | `webhooks` | [`webhooks`] | the spec's webhooks (kept by `normalize`) become a `webhooks` module: `Event` (a variant per webhook, carrying its payload type), `unwrap(body, headers, secret)` (Standard Webhooks signature and timestamp checked, then parsed) and `parse(body)` |
//! | `status-order` | [`status_order`] | in every status match, exact statuses come before ranges (OpenAPI: the explicit code takes precedence), and no arm follows the catch-all |
//! | `event-streams` | [`streams`] | an operation whose success response offers `text/event-stream` gets `send_stream()` beside `send()`: the same request with `Accept: text/event-stream` (and `"stream": true` in a body that has that property), whose success is a [`crate::runtime`]`EventStream` of the event schema's type |
//!
//! The builders are found by the `OperationInfo { operation_id }` progenitor
//! writes into each `send()`; an operation whose builder is missing is an
//! error, never a silent omission.

pub mod bodies;
pub mod methods;
pub mod parameters;
pub mod responses;
pub mod status_order;
pub mod streams;
pub mod webhooks;

use std::collections::HashMap;

use serde_json::Value;
use syn::visit::Visit;

use crate::Error;
pub use crate::naming::{Case, sanitize};
use crate::normalize::media_types::MARKER;
use crate::refine::Refinement;
use crate::walk;

/// Settings of this stage (from `codegen.toml`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The boolean body property `send_stream()` sets to `true`; `None`
    /// sends the body as the caller built it.
    pub stream_flag: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            stream_flag: Some("stream".to_owned()),
        }
    }
}

/// Extend `file` (progenitor's output for `doc`, the normalized document).
pub fn extend(
    doc: &Value,
    file: &mut syn::File,
    settings: &Settings,
    rewrites: &mut Vec<crate::generate::type_builders::Rewrite>,
) -> Result<Vec<Refinement>, Error> {
    let mut type_names = type_names(file);
    let mut new_types: Vec<syn::Item> = Vec::new();
    let webhooks = webhooks::add(doc, file, &type_names);
    let Some(builder) = crate::items::module_mut(file, "builder") else {
        return Ok(webhooks.into_iter().collect());
    };
    let index = index_builders(builder);
    let mut bodies_done = 0;
    let mut streams_done = Vec::new();
    let mut fragments = Vec::new();
    let mut params_done = 0;
    let mut enums = Vec::new();
    for op in walk::operations(doc) {
        let Some(o) = walk::operation(doc, &op) else {
            continue;
        };
        let marker = o.get(MARKER);
        let stream = streams::event_schema(doc, o);
        let params = parameters::of(o);
        let several = responses::of(o);
        if marker.is_none() && stream.is_none() && params.is_empty() && several.is_empty() {
            continue;
        }
        let id = op.id.clone().unwrap_or_default();
        let snake = sanitize(&id, Case::Snake);
        let Some(&at) = index.get(&snake) else {
            return Err(Error::Generate {
                file: String::new(),
                message: format!(
                    "extend: no builder for operation `{id}` (looked for `OperationInfo {{ operation_id: \"{snake}\" }}`)"
                ),
            });
        };
        if !params.is_empty() {
            parameters::add(builder, at, &params, &type_names, &id)?;
            params_done += params.len();
        }
        let syn::Item::Impl(imp) = &mut builder[at] else {
            continue;
        };
        for (class, members) in &several {
            let name =
                responses::rewrite(imp, &mut new_types, &mut type_names, class, members, &id)?;
            enums.push(format!("{id} ({name})"));
        }
        let body = bodies::Body::of(doc, o);
        if let Some(stream) = stream {
            let item = streams::item_type(&stream, &type_names);
            let flag = settings
                .stream_flag
                .as_deref()
                .filter(|f| body.as_ref().is_some_and(|b| b.has_property(doc, f)));
            streams::add_send_stream(imp, &item, flag, body.as_ref(), &id)?;
            streams_done.push(format!(
                "{id} ({})",
                quote::ToTokens::to_token_stream(&item)
                    .to_string()
                    .replace(' ', "")
            ));
        }
        if let Some(body) = &body {
            bodies::rewrite(imp, body, &id)?;
            if body.media_type.is_some() || body.fragment.is_some() {
                bodies_done += 1;
            }
        }
        if let Some(fragment) = body.as_ref().and_then(|b| b.fragment.clone()) {
            fragments.push(fragment);
        }
    }
    let methods = methods::rewrite(builder);
    let ordered = status_order::order(builder);
    let upgrades = responses::upgrades_with_stream_errors(builder);
    if !new_types.is_empty() {
        crate::items::module_mut(file, "types")
            .ok_or_else(|| Error::Generate {
                file: String::new(),
                message: "extend: the code has no `mod types` for the response enums".to_owned(),
            })?
            .append(&mut new_types);
    }
    if !fragments.is_empty() {
        bodies::strip_fragments_from_docs(file, &fragments);
    }
    let file_variants = bodies::name_file_variants(file, rewrites);
    let mut out: Vec<Refinement> = webhooks.into_iter().collect();
    if bodies_done > 0 {
        out.push(Refinement {
            step: "request-bodies",
            what: format!(
                "{bodies_done} operations send their body's own media type (multipart, ...)"
            ),
        });
    }
    if !enums.is_empty() {
        out.push(Refinement {
            step: "responses",
            what: format!(
                "{} enums over several response bodies, returned by send(): {}",
                enums.len(),
                enums.join(", ")
            ),
        });
    }
    if upgrades > 0 {
        out.push(Refinement {
            step: "responses",
            what: format!("{upgrades} operations read a 101 without needing `Debug` of their byte-stream error body"),
        });
    }
    if methods > 0 {
        out.push(Refinement {
            step: "methods",
            what: format!("requests of methods reqwest has no shortcut for (OPTIONS, TRACE) built with `request`: {methods}"),
        });
    }
    if ordered > 0 {
        out.push(Refinement {
            step: "status-order",
            what: format!("{ordered} operations match a status before the range that contains it, and nothing after the catch-all"),
        });
    }
    if params_done > 0 {
        out.push(Refinement {
            step: "parameters",
            what: format!("{params_done} parameters progenitor cannot send get setters and are encoded by their style"),
        });
    }
    if file_variants > 0 {
        out.push(Refinement {
            step: "request-bodies",
            what: format!("{file_variants} unions name their file member `File`"),
        });
    }
    if !streams_done.is_empty() {
        out.push(Refinement {
            step: "event-streams",
            what: format!(
                "{} operations get send_stream(): {}",
                streams_done.len(),
                streams_done.join(", ")
            ),
        });
    }
    Ok(out)
}

/// The names of the items of `mod types`.
fn type_names(file: &mut syn::File) -> std::collections::BTreeSet<String> {
    crate::items::module_mut(file, "types")
        .into_iter()
        .flatten()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            syn::Item::Enum(e) => Some(e.ident.to_string()),
            syn::Item::Type(t) => Some(t.ident.to_string()),
            _ => None,
        })
        .collect()
}

/// Builder impls by the operation id their `send()` reports
/// (`OperationInfo { operation_id: "create_file" }`): index into `items`.
pub(crate) fn index_builders(items: &[syn::Item]) -> HashMap<String, usize> {
    struct Find(Option<String>);
    impl<'ast> Visit<'ast> for Find {
        fn visit_expr_struct(&mut self, e: &'ast syn::ExprStruct) {
            if e.path
                .segments
                .last()
                .is_some_and(|s| s.ident == "OperationInfo")
            {
                for field in &e.fields {
                    if let syn::Member::Named(name) = &field.member
                        && name == "operation_id"
                        && let Some(s) = crate::items::str_lit(&field.expr)
                    {
                        self.0 = Some(s);
                    }
                }
            }
            syn::visit::visit_expr_struct(self, e);
        }
    }
    let mut index = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        let syn::Item::Impl(imp) = item else { continue };
        let Some(send) = send_fn(imp) else { continue };
        let mut find = Find(None);
        find.visit_block(&send.block);
        if let Some(id) = find.0 {
            index.insert(id, i);
        }
    }
    index
}

/// The `send` method of a builder impl.
pub(crate) fn send_fn(imp: &syn::ItemImpl) -> Option<&syn::ImplItemFn> {
    imp.items.iter().find_map(|item| match item {
        syn::ImplItem::Fn(f) if f.sig.ident == "send" => Some(f),
        _ => None,
    })
}

/// The `send` method of a builder impl, mutably.
pub(crate) fn send_fn_mut(imp: &mut syn::ItemImpl) -> Option<&mut syn::ImplItemFn> {
    imp.items.iter_mut().find_map(|item| match item {
        syn::ImplItem::Fn(f) if f.sig.ident == "send" => Some(f),
        _ => None,
    })
}

/// `::reqwest::header::HeaderValue::from_static(value)`.
pub(crate) fn header_value(value: &str) -> syn::Expr {
    syn::parse_quote!(::reqwest::header::HeaderValue::from_static(#value))
}

/// Whether `e` is a path ending in `name` (`::reqwest::header::ACCEPT`).
pub(crate) fn is_path_to(e: &syn::Expr, name: &str) -> bool {
    matches!(e, syn::Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == name))
}

/// The type argument `index` of the `Result<_, _>` a method returns.
pub(crate) fn result_arg(output: &mut syn::ReturnType, index: usize) -> Option<&mut syn::Type> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let syn::Type::Path(result) = &mut **ty else {
        return None;
    };
    let syn::PathArguments::AngleBracketed(args) = &mut result.path.segments.last_mut()?.arguments
    else {
        return None;
    };
    match args.args.iter_mut().nth(index)? {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    }
}

/// Adds method calls (`query(&pairs)`, `header(ACCEPT, ..)`) to the request
/// a `send()` builds, just before its `.build()`. `done` tells whether
/// there was one.
pub(crate) struct BeforeBuild {
    /// The calls, each `method(args)`.
    pub calls: Vec<proc_macro2::TokenStream>,
    /// Whether they were added.
    pub done: bool,
}

impl syn::visit_mut::VisitMut for BeforeBuild {
    fn visit_expr_method_call_mut(&mut self, m: &mut syn::ExprMethodCall) {
        syn::visit_mut::visit_expr_method_call_mut(self, m);
        if !self.done && m.method == "build" && m.args.is_empty() {
            let mut receiver = (*m.receiver).clone();
            for call in &self.calls {
                receiver = syn::parse_quote!(#receiver.#call);
            }
            *m.receiver = receiver;
            self.done = true;
        }
    }
}
