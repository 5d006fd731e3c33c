//! `responses`: `send()` of an operation whose success (or error) statuses
//! have several body types returns an enum over them (see
//! [`crate::normalize::responses`]):
//!
//! ```ignore
//! pub enum DeleteEvalError { Status404(Error), Status429(RateLimitError) }
//! // send() -> Result<ResponseValue<DeleteEvalResponse>, Error<types::DeleteEvalError>>
//! ```
//!
//! The enum goes into `mod types`; each documented status gets a match arm
//! that reads its own body (JSON, none, a byte stream, or the upgraded
//! connection of a 101) and wraps it in
//! its variant, keeping the status and headers.

use std::collections::BTreeSet;

use quote::ToTokens;
use serde_json::Value;
use syn::visit_mut::VisitMut;

use crate::Error;

/// One documented status of a class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    status: String,
    kind: String,
    schema: Value,
    kept: bool,
}

/// The classes (`success`, `error`) of operation `o` with several types.
pub fn of(o: &Value) -> Vec<(String, Vec<Member>)> {
    let Some(Value::Object(marker)) = o.get(crate::normalize::responses::MARKER) else {
        return Vec::new();
    };
    marker
        .iter()
        .map(|(class, members)| {
            let members = members
                .as_array()
                .into_iter()
                .flatten()
                .map(|m| Member {
                    status: m["status"].as_str().unwrap_or("").to_owned(),
                    kind: m["kind"].as_str().unwrap_or("json").to_owned(),
                    schema: m["schema"].clone(),
                    kept: m["kept"].as_bool().unwrap_or(false),
                })
                .collect();
            (class.clone(), members)
        })
        .collect()
}

/// The match pattern of a status: `404u16`, `400u16..=499u16`.
fn pattern(status: &str) -> Option<syn::Pat> {
    if let Ok(code) = status.parse::<u16>() {
        return Some(syn::parse_quote!(#code));
    }
    let digit = status
        .strip_suffix("XX")
        .or_else(|| status.strip_suffix("xx"))?;
    let first: u16 = digit.parse().ok()?;
    let (low, high) = (first * 100, first * 100 + 99);
    Some(syn::parse_quote!(#low..=#high))
}

/// The variant name of a status: `Status404`, `Status4XX`.
fn variant(status: &str) -> syn::Ident {
    syn::Ident::new(
        &format!("Status{}", status.to_ascii_uppercase()),
        proc_macro2::Span::call_site(),
    )
}

/// Make `send()` of the builder `imp` return an enum for `class`, adding
/// the enum to `types` (`type_items`). `id` is the operationId.
pub fn rewrite(
    imp: &mut syn::ItemImpl,
    type_items: &mut Vec<syn::Item>,
    type_names: &mut BTreeSet<String>,
    class: &str,
    members: &[Member],
    id: &str,
) -> Result<String, Error> {
    let fail = |what: &str| Error::Generate {
        file: String::new(),
        message: format!("extend: cannot return every {class} body of `{id}`: {what}"),
    };
    let send = super::send_fn_mut(imp).ok_or_else(|| fail("no send()"))?;

    // The type progenitor gave the kept statuses, from the signature.
    let slot = result_slot(&mut send.sig.output, class == "error")
        .ok_or_else(|| fail("unexpected send() signature"))?;
    let kept_type = slot.clone();

    let base = format!(
        "{}{}",
        super::sanitize(id, super::Case::Pascal),
        if class == "error" { "Error" } else { "Success" }
    );
    let name = crate::naming::unique(type_names, &base, "");
    let enum_ident = syn::Ident::new(&name, proc_macro2::Span::call_site());
    *slot = syn::parse_quote!(types::#enum_ident);

    // The enum and the arms.
    let mut variants = Vec::new();
    let mut arms: Vec<syn::Arm> = Vec::new();
    let mut patterns = BTreeSet::new();
    let mut raw = false;
    for m in members {
        let pat = pattern(&m.status).ok_or_else(|| fail(&format!("status `{}`", m.status)))?;
        patterns.insert(pat.to_token_stream().to_string());
        let v = variant(&m.status);
        let doc = format!(" Status {}.", m.status);
        let (read, inner): (syn::Expr, Option<syn::Type>) = match m.kind.as_str() {
            "none" => (syn::parse_quote!(ResponseValue::empty(response)), None),
            // The connection, switched to the protocol the server named.
            "upgrade" => {
                raw = true;
                let upgrade = upgrade_expr();
                (
                    syn::parse_quote!(#upgrade?),
                    Some(syn::parse_quote!(::reqwest::Upgraded)),
                )
            }
            "raw" => {
                raw = true;
                (
                    syn::parse_quote!(ResponseValue::stream(response)),
                    Some(syn::parse_quote!(ByteStream)),
                )
            }
            _ => {
                let ty: syn::Type = if m.kept {
                    kept_type.clone()
                } else {
                    super::streams::item_type(&m.schema, type_names)
                };
                (
                    syn::parse_quote!(ResponseValue::<#ty>::from_response(response).await?),
                    Some(ty),
                )
            }
        };
        let value: syn::Expr = match &inner {
            Some(_) => syn::parse_quote!(types::#enum_ident::#v(v.into_inner())),
            None => syn::parse_quote!(types::#enum_ident::#v),
        };
        let wrapped: syn::Expr = if class == "error" {
            syn::parse_quote!(Err(Error::ErrorResponse(ResponseValue::new(#value, status, headers))))
        } else {
            syn::parse_quote!(Ok(ResponseValue::new(#value, status, headers)))
        };
        arms.push(syn::parse_quote! {
            #pat => {
                let v = #read;
                let status = v.status();
                let headers = v.headers().clone();
                #wrapped
            }
        });
        variants.push(match inner {
            Some(ty) => {
                let ty = in_types(ty);
                quote::quote!(#[doc = #doc] #v(#ty))
            }
            None => quote::quote!(#[doc = #doc] #v),
        });
    }
    // Specific statuses before ranges: `status-order` sorts every status
    // match, these arms included, once `extend` has made them all.

    let doc = format!(" The documented {class} bodies of `{id}`, by status.");
    // Serialized as the body it holds (`untagged`): `runtime::ApiError`
    // finds the API's message in it.
    let derives = if raw {
        quote::quote!()
    } else {
        quote::quote!(#[derive(Debug, Clone, ::serde::Serialize)] #[serde(untagged)])
    };
    type_items.push(syn::parse_quote! {
        #[doc = #doc]
        #derives
        #[non_exhaustive]
        pub enum #enum_ident { #(#variants),* }
    });
    if raw {
        // A byte stream or a connection has no `Debug` of its own, but the
        // enum needs one (`Error<E>` is `Debug` only when `E` is): those
        // variants show their name.
        type_items.push(debug_impl(&enum_ident, members));
    }

    let mut rewrite = Arms {
        patterns,
        arms: Some(arms),
    };
    rewrite.visit_block_mut(&mut send.block);
    if rewrite.arms.is_some() {
        return Err(fail("send() matches no status"));
    }
    Ok(name)
}

/// `Debug` for an enum with byte-stream or connection variants.
fn debug_impl(name: &syn::Ident, members: &[Member]) -> syn::Item {
    let arms = members.iter().map(|m| {
        let v = variant(&m.status);
        let text = v.to_string();
        match m.kind.as_str() {
            "none" => quote::quote!(Self::#v => f.write_str(#text)),
            "raw" | "upgrade" => {
                quote::quote!(Self::#v(_) => f.debug_tuple(#text).finish_non_exhaustive())
            }
            _ => quote::quote!(Self::#v(v) => f.debug_tuple(#text).field(v).finish()),
        }
    });
    syn::parse_quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self { #(#arms,)* }
            }
        }
    }
}

/// Reads a 101 response as the upgraded connection, as progenitor's
/// `ResponseValue::upgrade` does but without its `E: Debug` bound (an
/// error body that is a byte stream has no `Debug`).
fn upgrade_expr() -> syn::Expr {
    syn::parse_quote! {
        {
            let status = response.status();
            let headers = response.headers().clone();
            response
                .upgrade()
                .await
                .map(|inner| ResponseValue::new(inner, status, headers))
                .map_err(Error::InvalidUpgrade)
        }
    }
}

/// progenitor reads a 101 with `ResponseValue::upgrade(response).await`,
/// which needs `E: Debug`; where the error body is a byte stream that does
/// not compile. Each such `send()` among `items` reads it with
/// [`upgrade_expr`] instead; returns how many.
pub fn upgrades_with_stream_errors(items: &mut [syn::Item]) -> usize {
    struct Upgrades(usize);
    impl VisitMut for Upgrades {
        fn visit_expr_mut(&mut self, e: &mut syn::Expr) {
            syn::visit_mut::visit_expr_mut(self, e);
            let syn::Expr::Await(a) = e else { return };
            let syn::Expr::Call(call) = &*a.base else {
                return;
            };
            let is_upgrade = matches!(&*call.func, syn::Expr::Path(p)
                if p.path.segments.len() == 2
                    && p.path.segments[0].ident == "ResponseValue"
                    && p.path.segments[1].ident == "upgrade");
            if is_upgrade {
                *e = upgrade_expr();
                self.0 += 1;
            }
        }
    }
    let mut upgrades = Upgrades(0);
    for item in items {
        let syn::Item::Impl(imp) = item else { continue };
        let Some(send) = super::send_fn_mut(imp) else {
            continue;
        };
        let error =
            result_slot(&mut send.sig.output, true).map(|t| t.to_token_stream().to_string());
        if error.as_deref() == Some("ByteStream") {
            upgrades.visit_block_mut(&mut send.block);
        }
    }
    upgrades.0
}

/// The type in `send()`'s signature that `class` returns: `T` of
/// `Result<ResponseValue<T>, _>`, or `E` of `Result<_, Error<E>>`.
fn result_slot(output: &mut syn::ReturnType, error: bool) -> Option<&mut syn::Type> {
    let syn::Type::Path(wrapper) = super::result_arg(output, usize::from(error))? else {
        return None;
    };
    let syn::PathArguments::AngleBracketed(inner) =
        &mut wrapper.path.segments.last_mut()?.arguments
    else {
        return None;
    };
    match inner.args.first_mut()? {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    }
}

/// A type as named inside `mod types` (`types::X` -> `super::types::X`,
/// `ByteStream` -> `super::ByteStream`), at every depth: `Vec<types::X>`,
/// `Option<Box<types::X>>` and any other type the success or error body
/// has name the client's paths, which `mod types` reaches through `super`.
fn in_types(mut ty: syn::Type) -> syn::Type {
    struct InTypes;
    impl VisitMut for InTypes {
        fn visit_type_path_mut(&mut self, t: &mut syn::TypePath) {
            syn::visit_mut::visit_type_path_mut(self, t);
            let first = t.path.segments.first().map(|s| s.ident.to_string());
            let from_client = t.qself.is_none()
                && t.path.leading_colon.is_none()
                && match first.as_deref() {
                    Some("types") => t.path.segments.len() > 1,
                    Some("ByteStream") => t.path.segments.len() == 1,
                    _ => false,
                };
            if from_client {
                t.path.segments.insert(0, syn::parse_quote!(super));
            }
        }
    }
    InTypes.visit_type_mut(&mut ty);
    ty
}

/// Replaces the status arms of the class with the new ones, placed before
/// the catch-all arm.
struct Arms {
    patterns: BTreeSet<String>,
    arms: Option<Vec<syn::Arm>>,
}

impl VisitMut for Arms {
    fn visit_expr_match_mut(&mut self, m: &mut syn::ExprMatch) {
        syn::visit_mut::visit_expr_match_mut(self, m);
        if !super::status_order::is_status_match(m) {
            return;
        }
        let Some(arms) = self.arms.take() else {
            return;
        };
        m.arms
            .retain(|a| !self.patterns.contains(&a.pat.to_token_stream().to_string()));
        let at = m
            .arms
            .iter()
            .position(|a| matches!(a.pat, syn::Pat::Wild(_)))
            .unwrap_or(m.arms.len());
        for (k, arm) in arms.into_iter().enumerate() {
            m.arms.insert(at + k, arm);
        }
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    #[test]
    fn client_paths_are_reached_from_types_at_every_depth() {
        for (ty, expected) in [
            ("types::X", "super :: types :: X"),
            ("ByteStream", "super :: ByteStream"),
            (
                "::std::vec::Vec<types::ValidationError>",
                ":: std :: vec :: Vec < super :: types :: ValidationError >",
            ),
            (
                "Option<Box<types::A>>",
                "Option < Box < super :: types :: A > >",
            ),
            ("::serde_json::Value", ":: serde_json :: Value"),
            ("super::types::X", "super :: types :: X"),
        ] {
            let t: syn::Type = syn::parse_str(ty).unwrap();
            assert_eq!(
                super::in_types(t).to_token_stream().to_string(),
                expected,
                "{ty}"
            );
        }
    }
}
