//! `parameters`: the parameters the `normalize` stage handed over (see
//! [`crate::normalize::parameters`]) become builder setters like
//! progenitor's own, and `send()` encodes them by their `style` with
//! `crate::runtime::params`: `deepObject` (`filter[gt]=1`), form objects,
//! delimited arrays, `simple` array and object headers (comma-joined), one
//! `Cookie` header for the cookie parameters.
//!
//! Each parameter adds to the builder: a field
//! (`Result<Option<T>, String>`, or `Result<T, String>` when required, as
//! progenitor's), its start value in `new()`, a setter taking anything
//! `TryInto<T>`, and in `send()` the check and the encoding, added to the
//! request before `.build()`. `T` is the generated type of the parameter's
//! schema.

use std::collections::BTreeSet;

use serde_json::Value;
use syn::visit_mut::VisitMut;

use crate::Error;

/// One handed-over parameter (an entry of `x-codegen-params`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    name: String,
    location: String,
    style: String,
    explode: bool,
    required: bool,
    schema: Value,
}

/// The handed-over parameters of operation `o`.
pub fn of(o: &Value) -> Vec<Param> {
    o.get(crate::normalize::parameters::MARKER)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| Param {
            name: p["name"].as_str().unwrap_or("").to_owned(),
            location: p["in"].as_str().unwrap_or("").to_owned(),
            style: p["style"].as_str().unwrap_or("form").to_owned(),
            explode: p["explode"].as_bool().unwrap_or(false),
            required: p["required"].as_bool().unwrap_or(false),
            schema: p["schema"].clone(),
        })
        .collect()
}

/// Add `params` to the builder `name` (struct and impl in `items`).
pub fn add(
    items: &mut [syn::Item],
    at: usize,
    params: &[Param],
    type_names: &BTreeSet<String>,
    id: &str,
) -> Result<(), Error> {
    let fail = |what: &str| Error::Generate {
        file: String::new(),
        message: format!("extend: cannot add parameters to the builder of `{id}`: {what}"),
    };
    let syn::Item::Impl(imp) = &items[at] else {
        return Err(fail("not an impl"));
    };
    let syn::Type::Path(self_ty) = &*imp.self_ty else {
        return Err(fail("not a named builder"));
    };
    let struct_name = self_ty
        .path
        .segments
        .last()
        .map(|s| s.ident.clone())
        .ok_or_else(|| fail("not a named builder"))?;
    let structure = items
        .iter_mut()
        .find_map(|item| match item {
            syn::Item::Struct(s) if s.ident == struct_name => Some(s),
            _ => None,
        })
        .ok_or_else(|| fail("no builder struct"))?;
    let syn::Fields::Named(fields) = &mut structure.fields else {
        return Err(fail("the builder struct has no named fields"));
    };
    let mut taken: BTreeSet<String> = fields
        .named
        .iter()
        .filter_map(|f| f.ident.as_ref().map(ToString::to_string))
        .collect();

    // Fields, start values, setters; then what `send()` does with them.
    let mut idents = Vec::new();
    let mut inits: Vec<syn::FieldValue> = Vec::new();
    let mut setters: Vec<syn::ImplItem> = Vec::new();
    for p in params {
        // A name a field already has (`body`, or a path parameter of the
        // same name) gets its symbols spelled out (`date_created_lt` for
        // `DateCreated<`) or else the location: `id_header`, never a clash.
        let base = super::sanitize(&p.name, super::Case::Snake);
        let spelled = super::sanitize(&crate::naming::spell_symbols(&p.name), super::Case::Snake);
        let ident = if !taken.contains(&base) {
            crate::naming::unique(&mut taken, &base, "")
        } else if !taken.contains(&spelled) {
            crate::naming::unique(&mut taken, &spelled, "")
        } else {
            crate::naming::unique(&mut taken, &format!("{base}_{}", p.location), "")
        };
        let ident = syn::Ident::new(&ident, proc_macro2::Span::call_site());
        let ty = simple_type(&p.schema)
            .unwrap_or_else(|| super::streams::item_type(&p.schema, type_names));
        let field_ty: syn::Type = if p.required {
            syn::parse_quote!(Result<#ty, String>)
        } else {
            syn::parse_quote!(Result<Option<#ty>, String>)
        };
        fields.named.push(syn::parse_quote!(#ident: #field_ty));
        let name = &p.name;
        let not_set = format!("{name} was not initialized");
        inits.push(if p.required {
            syn::parse_quote!(#ident: Err(#not_set.to_string()))
        } else {
            syn::parse_quote!(#ident: Ok(None))
        });
        let failed = format!("conversion for {name} failed");
        let doc = format!(
            " The {} parameter `{name}` (style `{}`{}).",
            p.location,
            p.style,
            if p.explode { ", exploded" } else { "" }
        );
        let wrap = if p.required {
            quote::quote!()
        } else {
            quote::quote!(.map(Some))
        };
        setters.push(syn::parse_quote! {
            #[doc = #doc]
            pub fn #ident<V>(mut self, value: V) -> Self
            where
                V: std::convert::TryInto<#ty>,
            {
                self.#ident = value.try_into() #wrap .map_err(|_| #failed.to_string());
                self
            }
        });
        idents.push((ident, p));
    }

    let syn::Item::Impl(imp) = &mut items[at] else {
        return Err(fail("not an impl"));
    };
    // `new()`: the start values.
    let new = imp
        .items
        .iter_mut()
        .find_map(|i| match i {
            syn::ImplItem::Fn(f) if f.sig.ident == "new" => Some(f),
            _ => None,
        })
        .ok_or_else(|| fail("no new()"))?;
    let mut added = false;
    for stmt in &mut new.block.stmts {
        if let syn::Stmt::Expr(syn::Expr::Struct(s), None) = stmt {
            s.fields.extend(inits.iter().cloned());
            added = true;
        }
    }
    if !added {
        return Err(fail("new() builds no Self { .. }"));
    }
    let position = imp
        .items
        .iter()
        .position(|i| matches!(i, syn::ImplItem::Fn(f) if f.sig.ident == "new"))
        .unwrap_or(0);
    for (k, setter) in setters.into_iter().enumerate() {
        imp.items.insert(position + 1 + k, setter);
    }

    // `send()`: take the fields, check them, encode them.
    let send = super::send_fn_mut(imp).ok_or_else(|| fail("no send()"))?;
    let stmts = &mut send.block.stmts;
    let destructure = stmts
        .iter()
        .position(|s| matches!(s, syn::Stmt::Local(l) if matches!(l.pat, syn::Pat::Struct(_))))
        .ok_or_else(|| fail("send() does not take the builder apart"))?;
    if let syn::Stmt::Local(local) = &mut stmts[destructure]
        && let syn::Pat::Struct(pat) = &mut local.pat
    {
        for (ident, _) in &idents {
            pat.fields.push(syn::FieldPat {
                attrs: Vec::new(),
                member: syn::Member::Named(ident.clone()),
                colon_token: None,
                pat: Box::new(syn::parse_quote!(#ident)),
            });
        }
    }
    for (k, (ident, _)) in idents.iter().enumerate() {
        stmts.insert(
            destructure + 1 + k,
            syn::parse_quote!(let #ident = #ident.map_err(Error::InvalidRequest)?;),
        );
    }
    let mut calls: Vec<proc_macro2::TokenStream> = Vec::new();
    let mut cookies = Vec::new();
    let p = quote::quote!(crate::runtime::params);
    for (ident, param) in &idents {
        let name = &param.name;
        let explode = param.explode;
        let (method, value): (&str, syn::Expr) = match (
            param.location.as_str(),
            param.style.as_str(),
        ) {
            ("query", "deepObject") => {
                ("query", syn::parse_quote!(#p::deep_object(#name, &#ident)))
            }
            ("query", "spaceDelimited") => (
                "query",
                syn::parse_quote!(#p::delimited(#name, &#ident, " ")),
            ),
            ("query", "pipeDelimited") => (
                "query",
                syn::parse_quote!(#p::delimited(#name, &#ident, "|")),
            ),
            ("query", _) => (
                "query",
                syn::parse_quote!(#p::form(#name, &#ident, #explode)),
            ),
            ("header", _) => (
                "headers",
                syn::parse_quote!(#p::header(#name, &#ident, #explode)),
            ),
            ("cookie", _) => {
                cookies.push(quote::quote!((#name, #p::value(#name, &#ident).map_err(Error::InvalidRequest)?)));
                continue;
            }
            (other, _) => return Err(fail(&format!("a parameter in `{other}`"))),
        };
        let value: syn::Expr = if method == "query" {
            syn::parse_quote!(&#value.map_err(Error::InvalidRequest)?)
        } else {
            syn::parse_quote!(#value.map_err(Error::InvalidRequest)?)
        };
        let method = syn::Ident::new(method, proc_macro2::Span::call_site());
        calls.push(quote::quote!(#method(#value)));
    }
    if !cookies.is_empty() {
        calls.push(quote::quote!(
            headers(#p::cookies(&[#(#cookies),*]).map_err(Error::InvalidRequest)?)
        ));
    }
    let mut before = super::BeforeBuild { calls, done: false };
    before.visit_block_mut(&mut send.block);
    if !before.done {
        return Err(fail("send() builds no request"));
    }
    Ok(())
}

/// The Rust type of a simple schema (see
/// [`crate::normalize::parameters::is_simple`]).
fn simple_type(schema: &Value) -> Option<syn::Type> {
    if !crate::normalize::parameters::is_simple(schema) {
        return None;
    }
    Some(match schema.get("type").and_then(Value::as_str)? {
        "string" => syn::parse_quote!(::std::string::String),
        "integer" => syn::parse_quote!(i64),
        "number" => syn::parse_quote!(f64),
        "boolean" => syn::parse_quote!(bool),
        "array" => {
            let items = simple_type(schema.get("items")?)?;
            syn::parse_quote!(::std::vec::Vec<#items>)
        }
        _ => return None,
    })
}
