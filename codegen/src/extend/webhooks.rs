//! `webhooks`: a `webhooks` module at the crate's root for the webhooks the
//! `normalize` stage kept (`x-codegen-webhooks`, see
//! [`crate::normalize::webhooks`]):
//!
//! - `Event`, one variant per webhook (its name in UpperCamelCase, from a
//!   [`Names`] allocator so that no two collide), carrying the payload's
//!   generated type (the JSON value when the payload is not a component);
//! - `unwrap(body, headers, secret)`: the Standard Webhooks signature and
//!   timestamp checked (`crate::runtime::webhooks::verify`), then `parse`;
//! - `parse(body)`: the body read as the webhook it belongs to. When every
//!   payload has a string property fixed to one value of its own (`type:
//!   {const: "batch.completed"}`), that property picks the webhook (the
//!   [`discriminator`]); otherwise each payload type is tried in the
//!   spec's order, the first that reads the body wins.

use std::fmt::Write as _;

use serde_json::Value;
use syn::parse_quote;

use super::streams::item_type;
use crate::naming::{Case, Names, sanitize};
use crate::normalize::webhooks::KEY;
use crate::refine::Refinement;
use crate::walk;

/// One kept webhook.
struct Webhook {
    name: String,
    variant: syn::Ident,
    payload: syn::Type,
    description: String,
    schema: Option<Value>,
}

/// Add the module to `file`; what was added, for the report.
pub fn add(
    doc: &Value,
    file: &mut syn::File,
    type_names: &std::collections::BTreeSet<String>,
) -> Option<Refinement> {
    let listed = doc.get(KEY)?.as_array()?;
    if listed.is_empty() {
        return None;
    }
    let mut variants = Names::new(Case::Pascal, []);
    let hooks: Vec<Webhook> = listed
        .iter()
        .map(|entry| {
            let name = entry["name"].as_str().unwrap_or_default().to_owned();
            let variant = variants.allocate(&sanitize(&name, Case::Pascal), "");
            let schema = entry.get("schema").filter(|s| !s.is_null()).cloned();
            Webhook {
                variant: syn::Ident::new(
                    &sanitize(&variant, Case::Pascal),
                    proc_macro2::Span::call_site(),
                ),
                payload: from_submodule(item_type(
                    schema.as_ref().unwrap_or(&Value::Null),
                    type_names,
                )),
                description: entry["description"]
                    .as_str()
                    .unwrap_or_default()
                    .trim()
                    .to_owned(),
                schema,
                name,
            }
        })
        .collect();
    let property = discriminator(doc, &hooks);
    let variants = hooks.iter().map(|h| {
        let (variant, payload) = (&h.variant, &h.payload);
        let doc_line = match h.description.is_empty() {
            true => format!(" `{}`.", h.name),
            false => format!(" `{}`: {}", h.name, h.description),
        };
        quote::quote! {
            #[doc = #doc_line]
            #variant(#payload)
        }
    });
    let names = hooks.iter().map(|h| {
        let (variant, name) = (&h.variant, &h.name);
        quote::quote!(Event::#variant(_) => #name)
    });
    let read = |h: &Webhook| {
        let (variant, name) = (&h.variant, &h.name);
        quote::quote!(crate::runtime::webhooks::read(value, #name).map(Event::#variant))
    };
    let parse_body = match &property {
        Some((property, values)) => {
            let arms = hooks.iter().zip(values).map(|(h, value)| {
                let read = read(h);
                quote::quote!(Some(#value) => #read,)
            });
            quote::quote! {
                let found = crate::runtime::webhooks::discriminator(&value, #property).map(str::to_owned);
                match found.as_deref() {
                    #(#arms)*
                    _ => Err(crate::runtime::webhooks::WebhookError::UnknownEvent { value: found }),
                }
            }
        }
        None => {
            let tries = hooks.iter().map(|h| {
                let (variant, payload) = (&h.variant, &h.payload);
                quote::quote! {
                    if let Ok(event) = ::serde_json::from_value::<#payload>(value.clone()) {
                        return Ok(Event::#variant(event));
                    }
                }
            });
            quote::quote! {
                #(#tries)*
                Err(crate::runtime::webhooks::WebhookError::UnknownEvent { value: None })
            }
        }
    };
    let dispatch = match &property {
        Some((property, _)) => format!(
            "The webhook is the one whose payload's `{property}` the body carries."
        ),
        None => "Each webhook's payload type is tried in the spec's order; the first that reads the body wins.".to_owned(),
    };
    let item: syn::Item = parse_quote! {
        /// The requests the API sends to your endpoints (the spec's
        /// webhooks): verify a delivery and read it as its event.
        ///
        /// ```ignore
        /// let event = webhooks::unwrap(&body, &headers, &secret)?;
        /// match event {
        ///     webhooks::Event::BatchCompleted(e) => { /* ... */ }
        ///     other => println!("{} ignored", other.name()),
        /// }
        /// ```
        pub mod webhooks {
            pub use crate::runtime::webhooks::{HeaderMap, WebhookError, sign, TOLERANCE};

            /// A delivery, by webhook.
            #[derive(Debug, Clone)]
            #[non_exhaustive]
            pub enum Event {
                #(#variants,)*
            }

            impl Event {
                /// The webhook's name in the spec.
                pub fn name(&self) -> &'static str {
                    match self {
                        #(#names,)*
                    }
                }
            }

            /// Verify a delivery (the Standard Webhooks signature over
            /// `webhook-id`, `webhook-timestamp` and the body, under
            /// `secret`, `whsec_<base64>`; the timestamp within
            /// [`TOLERANCE`] of now), then read it ([`parse`]). `body` is
            /// the request's bytes exactly as received.
            pub fn unwrap(body: &[u8], headers: &HeaderMap, secret: &str) -> Result<Event, WebhookError> {
                crate::runtime::webhooks::verify(body, headers, secret)?;
                parse(body)
            }

            /// Read a delivery's body as its event, **without verifying
            /// it**: for tests and for bodies verified elsewhere. Anyone
            /// can send a request to your endpoint; use [`unwrap`].
            #[doc = #dispatch]
            pub fn parse(body: &[u8]) -> Result<Event, WebhookError> {
                let value = crate::runtime::webhooks::json(body)?;
                #parse_body
            }
        }
    };
    file.items.push(item);
    // Tried in order, a payload type an earlier webhook has already
    // takes every body the later one would: say so, the user can give
    // each payload a constant with an overlay.
    let mut shadowed = Vec::new();
    if property.is_none() {
        let mut seen: Vec<String> = Vec::new();
        for h in &hooks {
            let ty = quote::ToTokens::to_token_stream(&h.payload).to_string();
            if seen.contains(&ty) {
                shadowed.push(format!("`{}`", h.variant));
            }
            seen.push(ty);
        }
    }
    let listed: Vec<String> = hooks
        .iter()
        .map(|h| {
            format!(
                "{} ({})",
                h.variant,
                quote::ToTokens::to_token_stream(&h.payload)
                    .to_string()
                    .replace(' ', "")
            )
        })
        .collect();
    let mut what = format!(
        "{} webhooks in `webhooks::Event`, {}: {}",
        hooks.len(),
        match &property {
            Some((p, _)) => format!("told apart by `{p}`"),
            None => "tried in order".to_owned(),
        },
        listed.join(", ")
    );
    if !shadowed.is_empty() {
        let _ = write!(
            what,
            "; {} share an earlier webhook's payload type and nothing in the schemas tells them apart, so `parse` returns the earlier one: to tell them apart, give each payload a property fixed to its own value (`type: {{const: ..}}`) with an overlay",
            shadowed.join(", ")
        );
    }
    Some(Refinement {
        step: "webhooks",
        what,
    })
}

/// The property that tells the webhooks apart, with each webhook's value:
/// a string property every payload fixes to one value (`const`, or an
/// `enum` of one), each payload a different value. `type` is preferred,
/// then the first in name order.
fn discriminator(doc: &Value, hooks: &[Webhook]) -> Option<(String, Vec<String>)> {
    let fixed: Vec<std::collections::BTreeMap<String, String>> = hooks
        .iter()
        .map(|h| {
            let schema = walk::deref(doc, h.schema.as_ref().unwrap_or(&Value::Null));
            schema
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .filter_map(|(name, property)| {
                    let property = walk::deref(doc, property);
                    let value = match property.get("enum").and_then(Value::as_array) {
                        Some(values) if values.len() == 1 => values[0].as_str(),
                        _ => property.get("const").and_then(Value::as_str),
                    }?;
                    Some((name.clone(), value.to_owned()))
                })
                .collect()
        })
        .collect();
    let first = fixed.first()?;
    let mut candidates: Vec<&String> = first
        .keys()
        .filter(|p| {
            let values: Vec<Option<&String>> = fixed.iter().map(|f| f.get(*p)).collect();
            let distinct: std::collections::BTreeSet<_> = values.iter().flatten().collect();
            values.iter().all(Option::is_some) && distinct.len() == values.len()
        })
        .collect();
    candidates.sort_by_key(|p| (p.as_str() != "type", p.as_str()));
    let property = candidates.first()?;
    let values = fixed.iter().map(|f| f[*property].clone()).collect();
    Some(((*property).clone(), values))
}

/// `types::X` as `mod webhooks` names it (`super::types::X`).
fn from_submodule(ty: syn::Type) -> syn::Type {
    match ty {
        syn::Type::Path(p) if p.path.segments.first().is_some_and(|s| s.ident == "types") => {
            parse_quote!(super::#p)
        }
        other => other,
    }
}
