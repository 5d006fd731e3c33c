//! `event-streams`: `send_stream()` for operations whose success response
//! offers `text/event-stream`.
//!
//! `send_stream()` is progenitor's `send()` with four changes, so that it
//! takes the same parameters and runs the same hooks (auth, retries: a
//! retry can only happen before the response, so never after the first
//! event):
//!
//! * `Accept: text/event-stream` (replacing `application/json`, or added);
//! * the body's boolean `stream` property (configurable) set to `true`,
//!   when the body has one;
//! * each success status returns `crate::runtime::EventStream::<T>::new(response)`,
//!   where `T` is the generated type of the event schema (`serde_json::Value`
//!   when the schema is not a named component); error statuses are read as
//!   `send()` reads them;
//! * the return type: `Result<EventStream<T>, Error<E>>`, `E` as in `send()`.

use std::collections::BTreeSet;

use serde_json::Value;
use syn::visit_mut::VisitMut;

use super::bodies::{self, Body};
use super::{BeforeBuild, header_value, is_path_to, result_arg};
use crate::Error;
use crate::walk;

/// The media type of an event stream.
pub const EVENT_STREAM: &str = "text/event-stream";

/// The schema of the first success response that offers an event stream
/// (`{}` when it gives none).
pub fn event_schema(doc: &Value, o: &Value) -> Option<Value> {
    let responses = o.get("responses")?.as_object()?;
    responses
        .iter()
        .filter(|(code, _)| code.starts_with('2'))
        .find_map(|(_, r)| {
            let media = walk::deref(doc, r).get("content")?.get(EVENT_STREAM)?;
            Some(
                media
                    .get("schema")
                    .cloned()
                    .unwrap_or(Value::Object(Default::default())),
            )
        })
}

/// The Rust type of one event: the component's type, else a JSON value.
pub fn item_type(schema: &Value, type_names: &BTreeSet<String>) -> syn::Type {
    let named = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
        .map(|name| super::sanitize(name, super::Case::Pascal))
        .filter(|name| type_names.contains(name));
    match named {
        Some(name) => {
            let ident = syn::Ident::new(&name, proc_macro2::Span::call_site());
            syn::parse_quote!(types::#ident)
        }
        None => syn::parse_quote!(::serde_json::Value),
    }
}

/// Add `send_stream()` to a builder impl, after `send()`.
pub fn add_send_stream(
    imp: &mut syn::ItemImpl,
    item: &syn::Type,
    flag: Option<&str>,
    body: Option<&Body>,
    id: &str,
) -> Result<(), Error> {
    let fail = |what: &str| Error::Generate {
        file: String::new(),
        message: format!("extend: cannot make send_stream() for `{id}`: {what}"),
    };
    let position = imp
        .items
        .iter()
        .position(|i| matches!(i, syn::ImplItem::Fn(f) if f.sig.ident == "send"))
        .ok_or_else(|| fail("no send()"))?;
    let syn::ImplItem::Fn(send) = &imp.items[position] else {
        return Err(fail("no send()"));
    };
    let mut f = send.clone();
    f.sig.ident = syn::Ident::new("send_stream", f.sig.ident.span());
    let flag_doc = match flag {
        Some(flag) => format!(" with `\"{flag}\": true` in the body"),
        None => String::new(),
    };
    let doc = format!(
        " and reads its `text/event-stream` response{flag_doc}: a stream of items, each an event's data decoded, ending at `[DONE]` or at the end of the body; an error event, undecodable data or a dropped connection is an item error."
    );
    f.attrs.push(syn::parse_quote!(#[doc = ""]));
    f.attrs.push(syn::parse_quote!(#[doc = #doc]));

    // The return type: `Result<EventStream<T>, Error<E>>`.
    let ok = result_arg(&mut f.sig.output, 0)
        .ok_or_else(|| fail("send() does not return a Result<_, _>"))?;
    *ok = syn::parse_quote!(crate::runtime::EventStream<#item>);

    let mut stream = Stream {
        accept: false,
        arms: 0,
    };
    stream.visit_block_mut(&mut f.block);
    if !stream.accept {
        let accept = header_value(EVENT_STREAM);
        BeforeBuild {
            calls: vec![quote::quote!(header(::reqwest::header::ACCEPT, #accept))],
            done: false,
        }
        .visit_block_mut(&mut f.block);
    }
    if stream.arms == 0 {
        return Err(fail("no success status in send()"));
    }
    if let Some(body) = body {
        bodies::rewrite_fn(&mut f, body, flag).map_err(|what| fail(&what))?;
    }
    imp.items.insert(position + 1, syn::ImplItem::Fn(f));
    Ok(())
}

struct Stream {
    accept: bool,
    arms: usize,
}

/// Whether an arm's body is `Err(..)` (possibly in a block).
fn is_err(e: &syn::Expr) -> bool {
    match e {
        syn::Expr::Call(c) => is_path_to(&c.func, "Err"),
        syn::Expr::Block(b) => match b.block.stmts.last() {
            Some(syn::Stmt::Expr(e, None)) => is_err(e),
            _ => false,
        },
        _ => false,
    }
}

impl VisitMut for Stream {
    fn visit_expr_mut(&mut self, e: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, e);
        match e {
            syn::Expr::MethodCall(m)
                if m.method == "header"
                    && m.args.first().is_some_and(|a| is_path_to(a, "ACCEPT")) =>
            {
                if let Some(value) = m.args.iter_mut().nth(1) {
                    *value = header_value(EVENT_STREAM);
                    self.accept = true;
                }
            }
            // `match response.status().as_u16() { .. }`: the statuses.
            syn::Expr::Match(m) if super::status_order::is_status_match(m) => {
                for arm in &mut m.arms {
                    if !is_err(&arm.body) {
                        *arm.body =
                            syn::parse_quote!(Ok(crate::runtime::EventStream::new(response)));
                        self.arms += 1;
                    }
                }
            }
            _ => {}
        }
    }
}
