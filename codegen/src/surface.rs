//! Stage 6, **surface**: the public API of generated code, as a structured
//! model ([`Surface`]) and as a stable, sorted listing for reviewers.
//!
//! The generated code is one macro-free file, so a `syn` walk sees all of it:
//!
//! * operations: each `Client` method returning `builder::X`, with the HTTP
//!   method and path from `X::send`'s doc, its parameters from `X`'s setters
//!   (required when `X::new` starts them as "was not initialized"), and the
//!   success and error types from `send`'s return type;
//! * types: every item of `mod types`, with fields (Rust type, wire name,
//!   required or optional), enum variants (wire names), derives and
//!   `#[non_exhaustive]`;
//! * webhooks: the variants of `webhooks::Event`, with their payload types.
//!
//! The listing borrows from Stainless's `api.md` (one line per operation),
//! the Azure SDK's `API.md` (Rust-like declarations) and api-extractor's
//! `.api.md` (a generated header; CI fails when it drifts).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use quote::ToTokens;

use crate::Error;

/// The public API of a generated client.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Surface {
    /// Operations by Rust method name.
    pub operations: BTreeMap<String, Operation>,
    /// Types by name.
    pub types: BTreeMap<String, TypeDecl>,
    /// The variants of `webhooks::Event` (one per webhook of the spec),
    /// each with its payload type.
    pub webhooks: BTreeMap<String, String>,
}

/// One client method.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Operation {
    /// `DELETE`, `GET`, ...
    pub http_method: String,
    /// The path template, e.g. `/organization/projects/{project_id}`.
    pub path: String,
    /// Parameters in the order the builder declares them.
    pub params: Vec<Param>,
    /// The success type (`()` when there is no body).
    pub success: String,
    /// The documented error type (`()` when none is documented).
    pub error: String,
    /// The event type of `send_stream()`, when the operation has one.
    pub stream: Option<String>,
    /// The Cargo features that compile it (stage `gate`), sorted.
    pub features: Vec<String>,
}

/// One operation parameter (a builder setter).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// The setter's name.
    pub name: String,
    /// The value's Rust type.
    pub ty: String,
    /// Whether `send()` fails without it.
    pub required: bool,
}

/// One type of the `types` module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeDecl {
    /// Derived traits, sorted.
    pub derives: Vec<String>,
    /// Whether the type is `#[non_exhaustive]`.
    pub non_exhaustive: bool,
    /// What kind of type it is.
    pub kind: TypeKind,
}

/// The shape of a type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeKind {
    /// A struct with named fields, by field name.
    Struct(BTreeMap<String, Field>),
    /// A tuple struct wrapping one or more types.
    Newtype(Vec<String>),
    /// An enum, variants by name.
    Enum(BTreeMap<String, Variant>),
    /// `pub type X = Y;`
    Alias(String),
}

/// A struct field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The Rust type.
    pub ty: String,
    /// The JSON property name.
    pub wire: String,
    /// Whether the property must be present in JSON: serde rejects an object
    /// without it (no `#[serde(default)]`, not an `Option` read as `None`).
    pub required: bool,
}

/// An enum variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// The JSON value (or tag) it stands for; `*` for an untagged variant
    /// (it takes any value its payload takes, e.g. an unlisted string).
    pub wire: String,
    /// The types it carries, if any (`(A, B)` or `{ a: A }`).
    pub payload: Option<String>,
}

impl Surface {
    /// The types a caller builds to send: those reachable from an
    /// operation's parameters (the request body included), through fields,
    /// variants, newtypes and aliases.
    pub fn request_types(&self) -> std::collections::BTreeSet<String> {
        self.reachable(
            self.operations
                .values()
                .flat_map(|op| op.params.iter().map(|p| p.ty.as_str())),
        )
    }

    /// The types the client reads: those reachable from success and error
    /// types, events and webhook payloads.
    pub fn response_types(&self) -> std::collections::BTreeSet<String> {
        self.reachable(
            self.operations
                .values()
                .flat_map(|op| {
                    [op.success.as_str(), op.error.as_str()]
                        .into_iter()
                        .chain(op.stream.as_deref())
                })
                .chain(self.webhooks.values().map(String::as_str)),
        )
    }

    fn reachable<'a>(
        &self,
        roots: impl Iterator<Item = &'a str>,
    ) -> std::collections::BTreeSet<String> {
        let mut seen = std::collections::BTreeSet::new();
        let mut todo: Vec<String> = roots.flat_map(type_names).collect();
        while let Some(name) = todo.pop() {
            let Some(decl) = self.types.get(&name) else {
                continue;
            };
            if !seen.insert(name) {
                continue;
            }
            let inner: Vec<&str> = match &decl.kind {
                TypeKind::Struct(fields) => fields.values().map(|f| f.ty.as_str()).collect(),
                TypeKind::Newtype(types) => types.iter().map(String::as_str).collect(),
                TypeKind::Enum(variants) => variants
                    .values()
                    .filter_map(|v| v.payload.as_deref())
                    .collect(),
                TypeKind::Alias(target) => vec![target.as_str()],
            };
            todo.extend(inner.into_iter().flat_map(type_names));
        }
        seen
    }
}

/// The identifiers in a type string (`Option<Vec<Foo>>` -> Option, Vec, Foo).
fn type_names(ty: &str) -> Vec<String> {
    ty.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Extract the surface of generated code (the text of `generated.rs`).
pub fn extract(code: &str) -> Result<Surface, Error> {
    let file = syn::parse_file(code).map_err(|e| Error::Format(e.to_string()))?;
    Ok(extract_file(&file))
}

/// Extract the surface of generated code already parsed.
pub fn extract_file(file: &syn::File) -> Surface {
    let mut surface = Surface::default();

    // builder struct name -> client method name
    let mut builders: BTreeMap<String, String> = BTreeMap::new();
    // client method name -> the features of its `#[cfg]`
    let mut features: BTreeMap<String, Vec<String>> = BTreeMap::new();
    // builder struct name -> its inherent impl blocks (indexed once: a
    // lookup per operation would make extraction quadratic)
    let mut builder_impls: BTreeMap<String, Vec<&syn::ItemImpl>> = BTreeMap::new();

    for item in &file.items {
        match item {
            syn::Item::Impl(imp) if type_name(&imp.self_ty) == "Client" && imp.trait_.is_none() => {
                for it in &imp.items {
                    if let syn::ImplItem::Fn(f) = it
                        && matches!(f.vis, syn::Visibility::Public(_))
                        && let syn::ReturnType::Type(_, ty) = &f.sig.output
                    {
                        let ret = type_string(ty);
                        if let Some(b) = ret.strip_prefix("builder::") {
                            let b = b.split('<').next().unwrap_or(b).to_owned();
                            builders.insert(b, f.sig.ident.to_string());
                            features.insert(f.sig.ident.to_string(), cfg_features(&f.attrs));
                        }
                    }
                }
            }
            syn::Item::Mod(m) if m.ident == "types" => {
                if let Some((_, items)) = &m.content {
                    for it in items {
                        if let Some((name, decl)) = type_decl(it) {
                            surface.types.insert(name, decl);
                        }
                    }
                    // A serde trait implemented by hand (the refine stage's
                    // tagged unions, the trim stage's readers and writers)
                    // is listed like a derived one.
                    for it in items {
                        if let syn::Item::Impl(imp) = it
                            && let Some((path, _)) = &imp.trait_
                            && let Some(last) = path.segments.last()
                            && (last.ident == "Deserialize" || last.ident == "Serialize")
                            && let Some(decl) = surface.types.get_mut(&type_name(&imp.self_ty))
                        {
                            let name = last.ident.to_string();
                            if !decl.derives.contains(&name) {
                                decl.derives.push(name);
                                decl.derives.sort();
                            }
                            if let (Some(read), TypeKind::Struct(fields)) =
                                (reader_fields(imp), &mut decl.kind)
                            {
                                for (ident, wire, required) in read {
                                    if let Some(field) = fields.get_mut(&ident) {
                                        field.required =
                                            required && !field.ty.starts_with("Option<");
                                        field.wire = wire;
                                    }
                                }
                            }
                        }
                    }
                }
            }
            syn::Item::Mod(m) if m.ident == "webhooks" => {
                for it in m.content.iter().flat_map(|(_, items)| items) {
                    if let syn::Item::Enum(e) = it
                        && e.ident == "Event"
                    {
                        for v in &e.variants {
                            let payload = match &v.fields {
                                syn::Fields::Unnamed(f) => f
                                    .unnamed
                                    .iter()
                                    .map(|f| type_string(&f.ty))
                                    .collect::<Vec<_>>()
                                    .join(", "),
                                _ => String::new(),
                            };
                            surface.webhooks.insert(v.ident.to_string(), payload);
                        }
                    }
                }
            }
            syn::Item::Mod(m) if m.ident == "builder" => {
                for it in m.content.iter().flat_map(|(_, items)| items) {
                    if let syn::Item::Impl(imp) = it
                        && imp.trait_.is_none()
                    {
                        builder_impls
                            .entry(type_name(&imp.self_ty))
                            .or_default()
                            .push(imp);
                    }
                }
            }
            _ => {}
        }
    }

    for (builder, method) in builders {
        let impls = builder_impls
            .get(&builder)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let mut op = operation(impls);
        op.features = features.remove(&method).unwrap_or_default();
        surface.operations.insert(method, op);
    }
    surface
}

/// The features named by an item's `#[cfg(..)]` attributes, sorted.
pub(crate) fn cfg_features(attrs: &[syn::Attribute]) -> Vec<String> {
    fn strings(tokens: proc_macro2::TokenStream, out: &mut Vec<String>) {
        for tree in tokens {
            match tree {
                proc_macro2::TokenTree::Group(g) => strings(g.stream(), out),
                proc_macro2::TokenTree::Literal(l) => {
                    let text = l.to_string();
                    if let Some(s) = text.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
                        out.push(s.to_owned());
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("cfg")) {
        if let syn::Meta::List(list) = &attr.meta {
            strings(list.tokens.clone(), &mut out);
        }
    }
    out.sort();
    out.dedup();
    out
}

fn operation(impls: &[&syn::ItemImpl]) -> Operation {
    let mut op = Operation::default();
    let mut required: BTreeMap<String, bool> = BTreeMap::new();
    for imp in impls {
        for it in &imp.items {
            let syn::ImplItem::Fn(f) = it else { continue };
            let name = f.sig.ident.to_string();
            match name.as_str() {
                "new" => {
                    // `field: Err("x was not initialized".to_string())` marks a required one.
                    let body = f.block.to_token_stream().to_string();
                    for part in body.split(',') {
                        if let Some((field, init)) = part.split_once(':') {
                            let field = field.trim().trim_start_matches("Self {").trim();
                            required.insert(field.to_owned(), init.contains("was not initialized"));
                        }
                    }
                }
                "send" => {
                    let doc = docs(&f.attrs);
                    if let Some(rest) = doc.split("Sends a `").nth(1) {
                        let mut parts = rest.split('`');
                        op.http_method = parts.next().unwrap_or_default().to_owned();
                        op.path = parts.nth(1).unwrap_or_default().to_owned();
                    }
                    if let syn::ReturnType::Type(_, ty) = &f.sig.output {
                        let ret = type_string(ty);
                        let (ok, err) = split_result(&ret);
                        op.success = strip_wrapper(&ok, "ResponseValue");
                        op.error = strip_wrapper(&err, "Error");
                    }
                }
                "send_stream" => {
                    // `Result<crate::runtime::EventStream<T>, Error<E>>`.
                    if let syn::ReturnType::Type(_, ty) = &f.sig.output {
                        let (ok, _) = split_result(&type_string(ty));
                        op.stream = ok
                            .split_once("EventStream<")
                            .and_then(|(_, rest)| rest.strip_suffix('>'))
                            .map(str::to_owned);
                    }
                }
                _ if matches!(f.vis, syn::Visibility::Public(_)) => {
                    // Setter: `fn name<V>(mut self, value: V) where V: TryInto<T>`.
                    let ty = f
                        .sig
                        .generics
                        .where_clause
                        .as_ref()
                        .map(|w| type_string_of_tokens(w.to_token_stream()))
                        .and_then(|w| {
                            // `V: TryInto<T>, <V as TryInto<T>>::Error: Display`: the
                            // first `TryInto<..>`, up to its matching `>`.
                            let inner = w.split_once("TryInto<")?.1;
                            let mut depth = 0usize;
                            let end = inner.char_indices().find_map(|(i, c)| match c {
                                '<' => {
                                    depth += 1;
                                    None
                                }
                                '>' if depth == 0 => Some(i),
                                '>' => {
                                    depth -= 1;
                                    None
                                }
                                _ => None,
                            })?;
                            Some(inner[..end].to_owned())
                        })
                        .unwrap_or_else(|| {
                            f.sig
                                .inputs
                                .iter()
                                .nth(1)
                                .map(|a| match a {
                                    syn::FnArg::Typed(t) => type_string(&t.ty),
                                    syn::FnArg::Receiver(_) => String::new(),
                                })
                                .unwrap_or_default()
                        });
                    op.params.push(Param {
                        name,
                        ty,
                        required: false,
                    });
                }
                _ => {}
            }
        }
    }
    for p in &mut op.params {
        p.required = required.get(&p.name).copied().unwrap_or(false);
    }
    op
}

fn type_decl(item: &syn::Item) -> Option<(String, TypeDecl)> {
    let (name, attrs, kind) = match item {
        syn::Item::Struct(s) if matches!(s.vis, syn::Visibility::Public(_)) => {
            let kind = match &s.fields {
                syn::Fields::Named(named) => TypeKind::Struct(
                    named
                        .named
                        .iter()
                        .map(|f| {
                            let name = f
                                .ident
                                .as_ref()
                                .map(ToString::to_string)
                                .unwrap_or_default();
                            let serde = serde_attrs(&f.attrs);
                            let wire = serde_value(&serde, "rename").unwrap_or_else(|| {
                                name.strip_prefix("r#").unwrap_or(&name).to_owned()
                            });
                            let ty = type_string(&f.ty);
                            (
                                name,
                                Field {
                                    required: required_on_wire(&serde, &ty),
                                    ty,
                                    wire,
                                },
                            )
                        })
                        .collect(),
                ),
                syn::Fields::Unnamed(u) => {
                    TypeKind::Newtype(u.unnamed.iter().map(|f| type_string(&f.ty)).collect())
                }
                syn::Fields::Unit => TypeKind::Newtype(Vec::new()),
            };
            (s.ident.to_string(), &s.attrs, kind)
        }
        syn::Item::Enum(e) => {
            let variants = e
                .variants
                .iter()
                .map(|v| {
                    let name = v.ident.to_string();
                    let serde = serde_attrs(&v.attrs);
                    let wire = if serde.iter().any(|s| s == "untagged") {
                        // An untagged variant takes any value its payload takes.
                        "*".to_owned()
                    } else {
                        serde_value(&serde, "rename").unwrap_or_else(|| name.clone())
                    };
                    let payload = match &v.fields {
                        syn::Fields::Unit => None,
                        fields => Some(fields_string(fields)),
                    };
                    (name, Variant { wire, payload })
                })
                .collect();
            (e.ident.to_string(), &e.attrs, TypeKind::Enum(variants))
        }
        syn::Item::Type(t) => (
            t.ident.to_string(),
            &t.attrs,
            TypeKind::Alias(type_string(&t.ty)),
        ),
        _ => return None,
    };
    let mut derives: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .flat_map(|a| {
            let list = a
                .meta
                .require_list()
                .map(|l| l.tokens.to_string())
                .unwrap_or_default();
            list.split(',')
                .map(|d| {
                    d.replace(' ', "")
                        .trim_start_matches("::")
                        .replace("serde::", "")
                })
                .filter(|d| !d.is_empty())
                .collect::<Vec<_>>()
        })
        .collect();
    derives.sort();
    let non_exhaustive = attrs.iter().any(|a| a.path().is_ident("non_exhaustive"));
    Some((
        name,
        TypeDecl {
            derives,
            non_exhaustive,
            kind,
        },
    ))
}

/// The fields a `Deserialize` written by the trim stage's `map-readers`
/// reads, as `(field, JSON name, whether it is read by `required`)`: the
/// JSON names are its `__FIELDS`, each field's value in the struct it
/// returns names its slot (`fN`, the `N`th name). `None` for any other impl.
/// A field read by `required` must be present unless it is an `Option`;
/// one read another way has a default. A struct whose serde attributes the
/// `map-writers` step removed has these facts only here.
pub(crate) fn reader_fields(imp: &syn::ItemImpl) -> Option<Vec<(String, String, bool)>> {
    use syn::visit::Visit;
    #[derive(Default)]
    struct Find {
        names: Option<Vec<String>>,
        values: Option<Vec<(String, syn::Expr)>>,
    }
    impl<'ast> Visit<'ast> for Find {
        fn visit_item_const(&mut self, c: &'ast syn::ItemConst) {
            if c.ident == "__FIELDS"
                && let syn::Expr::Reference(r) = &*c.expr
                && let syn::Expr::Array(a) = &*r.expr
            {
                self.names = a.elems.iter().map(crate::items::str_lit).collect();
            }
        }
        fn visit_expr_struct(&mut self, e: &'ast syn::ExprStruct) {
            let values = e.fields.iter().map(|f| match &f.member {
                syn::Member::Named(ident) => Some((ident.to_string(), f.expr.clone())),
                syn::Member::Unnamed(_) => None,
            });
            self.values = values.collect();
        }
    }
    let mut find = Find::default();
    find.visit_item_impl(imp);
    let (names, values) = (find.names?, find.values?);
    values
        .into_iter()
        .map(|(ident, expr)| {
            let (slot, required) = read_slot(&expr)?;
            Some((ident, names.get(slot)?.clone(), required))
        })
        .collect()
}

/// The slot (`fN`: `N`) a reader's field value is made from, and whether
/// it is made by `required(fN, ..)`: `required(fN, "name")?`,
/// `fN.unwrap_or_default()`, `fN.unwrap_or_else(path)` or `fN`.
fn read_slot(expr: &syn::Expr) -> Option<(usize, bool)> {
    match expr {
        syn::Expr::Path(p) => {
            let slot = p.path.get_ident()?.to_string();
            Some((slot.strip_prefix('f')?.parse().ok()?, false))
        }
        syn::Expr::Try(t) => read_slot(&t.expr),
        syn::Expr::MethodCall(m) => read_slot(&m.receiver),
        syn::Expr::Call(c) => {
            let syn::Expr::Path(f) = &*c.func else {
                return None;
            };
            let required = f.path.segments.last()?.ident == "required";
            Some((read_slot(c.args.first()?)?.0, required))
        }
        _ => None,
    }
}

/// Whether serde rejects an object without the field: not when the field
/// has a `default`, nor when it is an `Option` that serde reads as `None`
/// when absent (unless a `deserialize_with` takes that over, as typify does
/// for required nullable properties).
fn required_on_wire(serde: &[String], ty: &str) -> bool {
    let defaulted = serde
        .iter()
        .any(|s| s == "default" || s.starts_with("default="));
    let absent_is_none =
        ty.starts_with("Option<") && !serde.iter().any(|s| s.starts_with("deserialize_with="));
    !(defaulted || absent_is_none)
}

/// The comma-separated contents of every `#[serde(...)]`, spaces removed
/// outside string literals (a JSON name may have spaces: `"field name"`).
fn serde_attrs(attrs: &[syn::Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .filter_map(|a| a.meta.require_list().ok())
        .flat_map(|l| split_top_level(&l.tokens.to_string()))
        .map(|s| {
            let (mut in_str, mut escaped) = (false, false);
            s.chars()
                .filter(|&c| {
                    match c {
                        '"' if !escaped => in_str = !in_str,
                        _ => {}
                    }
                    escaped = in_str && c == '\\' && !escaped;
                    in_str || c != ' '
                })
                .collect()
        })
        .collect()
}

fn serde_value(attrs: &[String], key: &str) -> Option<String> {
    attrs.iter().find_map(|a| {
        let value = a.strip_prefix(&format!("{key}="))?;
        // The literal's value, escapes resolved (a JSON name may hold `"`).
        Some(
            syn::parse_str::<syn::LitStr>(value)
                .map(|lit| lit.value())
                .unwrap_or_else(|_| value.trim_matches('"').to_owned()),
        )
    })
}

fn split_top_level(s: &str) -> Vec<String> {
    let (mut out, mut cur, mut depth, mut in_str) = (Vec::new(), String::new(), 0i32, false);
    for c in s.chars() {
        match c {
            '"' => in_str = !in_str,
            '(' | '<' | '[' if !in_str => depth += 1,
            ')' | '>' | ']' if !in_str => depth -= 1,
            ',' if !in_str && depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    if !cur.trim().is_empty() {
        out.push(cur);
    }
    out
}

fn docs(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => crate::items::str_lit(&nv.value),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn type_name(ty: &syn::Type) -> String {
    crate::items::last_segment(ty).unwrap_or_default()
}

/// A type as a reviewer would write it: `Option<String>`, not
/// `::std::option::Option<::std::string::String>`.
/// A variant's payload, `(A, B)` or `{a: A, b: B}`, written field by field:
/// the punctuation prettyplease adds when it wraps a long variant (a trailing
/// comma) is layout, not API, so a file read back from disk gives the same
/// payload as the tree it was printed from.
fn fields_string(fields: &syn::Fields) -> String {
    let parts: Vec<String> = fields
        .iter()
        .map(|f| match &f.ident {
            Some(ident) => format!("{ident}:{}", type_string(&f.ty)),
            None => type_string(&f.ty),
        })
        .collect();
    match fields {
        syn::Fields::Named(_) => format!("{{{}}}", parts.join(", ")),
        _ => format!("({})", parts.join(", ")),
    }
}

pub fn type_string(ty: &syn::Type) -> String {
    type_string_of_tokens(ty.to_token_stream())
}

fn type_string_of_tokens(tokens: proc_macro2::TokenStream) -> String {
    // A trailing comma in generic arguments (`HashMap<K, V,>`, as
    // prettyplease writes long ones) is the same type: a file read back from
    // disk must give the surface of the tree it was printed from.
    let mut s = tokens
        .to_string()
        .replace(' ', "")
        .replace(",>", ">")
        .replace(',', ", ");
    for prefix in [
        "::std::option::",
        "::std::string::",
        "::std::vec::",
        "::std::collections::",
        "::std::num::",
        "::std::boxed::",
        "::std::convert::",
        "std::convert::",
        "::std::",
        "::serde_json::",
        "::chrono::",
        "::uuid::",
        "super::",
        "types::",
    ] {
        s = s.replace(prefix, "");
    }
    s
}

/// `Result<A, B>` -> (`A`, `B`).
fn split_result(s: &str) -> (String, String) {
    let inner = s
        .strip_prefix("Result<")
        .and_then(|r| r.strip_suffix('>'))
        .unwrap_or(s);
    let parts = split_top_level(inner);
    (
        parts
            .first()
            .map(|p| p.trim().to_owned())
            .unwrap_or_default(),
        parts
            .get(1)
            .map(|p| p.trim().to_owned())
            .unwrap_or_default(),
    )
}

/// `Wrapper<T>` -> `T`.
fn strip_wrapper(s: &str, wrapper: &str) -> String {
    s.strip_prefix(&format!("{wrapper}<"))
        .and_then(|r| r.strip_suffix('>'))
        .unwrap_or(s)
        .to_owned()
}

/// The listing reviewers read (and insta pins): sorted, one fact per line.
pub fn render(surface: &Surface, crate_name: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# API surface of `{crate_name}`\n# @generated from the generated code by `codegen::surface`; do not edit.\n"
    );
    let _ = writeln!(out, "## Operations ({})\n", surface.operations.len());
    for (name, op) in &surface.operations {
        let args = op
            .params
            .iter()
            .filter(|p| p.required)
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(out, "{} {}", op.http_method, op.path);
        let _ = writeln!(
            out,
            "    -> client.{name}({args}) -> Result<{}, Error<{}>>",
            op.success, op.error
        );
        if !op.features.is_empty() {
            let _ = writeln!(out, "    features: {}", op.features.join(", "));
        }
        if let Some(stream) = &op.stream {
            let _ = writeln!(
                out,
                "    -> client.{name}({args}).send_stream() -> Result<EventStream<{stream}>, Error<{}>>",
                op.error
            );
        }
        for p in &op.params {
            let _ = writeln!(
                out,
                "       .{}({}) {}",
                p.name,
                p.ty,
                if p.required { "required" } else { "optional" }
            );
        }
        out.push('\n');
    }
    if !surface.webhooks.is_empty() {
        let _ = writeln!(out, "## Webhooks ({})\n", surface.webhooks.len());
        for (variant, payload) in &surface.webhooks {
            let _ = writeln!(out, "webhooks::Event::{variant}({payload})");
        }
        out.push('\n');
    }
    let _ = writeln!(out, "## Types ({})\n", surface.types.len());
    for (name, decl) in &surface.types {
        if !decl.derives.is_empty() {
            let _ = writeln!(out, "#[derive({})]", decl.derives.join(", "));
        }
        if decl.non_exhaustive {
            let _ = writeln!(out, "#[non_exhaustive]");
        }
        match &decl.kind {
            TypeKind::Struct(fields) => {
                let _ = writeln!(out, "pub struct {name} {{");
                for (f, field) in fields {
                    let _ = writeln!(
                        out,
                        "    pub {f}: {},  // \"{}\", {}",
                        field.ty,
                        field.wire,
                        if field.required {
                            "required"
                        } else {
                            "optional"
                        }
                    );
                }
                let _ = writeln!(out, "}}");
            }
            TypeKind::Newtype(inner) => {
                let _ = writeln!(out, "pub struct {name}({});", inner.join(", "));
            }
            TypeKind::Enum(variants) => {
                let _ = writeln!(out, "pub enum {name} {{");
                for (v, variant) in variants {
                    let payload = variant.payload.as_deref().unwrap_or("");
                    let _ = writeln!(out, "    {v}{payload},  // \"{}\"", variant.wire);
                }
                let _ = writeln!(out, "}}");
            }
            TypeKind::Alias(target) => {
                let _ = writeln!(out, "pub type {name} = {target};");
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The payload of a variant the formatter wrapped (and gave a trailing
    /// comma) is the payload of the same variant on one line.
    #[test]
    fn variant_payload_ignores_layout() {
        let one_line = "pub mod types { pub enum E { A(X), B { x: Y, z: Vec<Z> } } }";
        let wrapped = "pub mod types { pub enum E { A(X,), B { x: Y, z: Vec<Z,>, } } }";
        let a = extract(one_line).unwrap();
        let b = extract(wrapped).unwrap();
        assert_eq!(a.types, b.types);
        let TypeKind::Enum(variants) = &a.types["E"].kind else {
            panic!("E is an enum");
        };
        assert_eq!(variants["A"].payload.as_deref(), Some("(X)"));
        assert_eq!(variants["B"].payload.as_deref(), Some("{x:Y, z:Vec<Z>}"));
    }

    /// A struct's JSON names and whether each is required read the same
    /// from serde's attributes and from the trim stage's reader, spaces and
    /// quotes in a name kept.
    #[test]
    fn wire_names_read_the_same_from_attributes_and_readers() {
        let code = r#"pub mod types {
            #[derive(::serde::Deserialize, ::serde::Serialize)]
            pub struct P {
                #[serde(rename = "field name", default, skip_serializing_if = "::std::option::Option::is_none")]
                pub field_name: Option<String>,
                #[serde(rename = "say \"hi\"")]
                pub say_hi: String,
                pub plain: Option<i64>,
                #[serde(default)]
                pub list: Vec<String>,
            }
        }"#;
        let derived = extract(code).unwrap();
        let TypeKind::Struct(fields) = &derived.types["P"].kind else {
            panic!("P is a struct");
        };
        assert_eq!(fields["field_name"].wire, "field name");
        assert_eq!(fields["say_hi"].wire, r#"say "hi""#);
        let required: Vec<bool> = fields.values().map(|f| f.required).collect();
        // field_name, list, plain, say_hi
        assert_eq!(required, [false, false, false, true]);
        let mut file = syn::parse_file(code).unwrap();
        crate::trim::readers::map_readers(&mut file);
        crate::trim::writers::map_writers(&mut file);
        let rewritten = quote::ToTokens::to_token_stream(&file).to_string();
        assert!(!rewritten.contains("serde ("), "{rewritten}");
        assert_eq!(extract_file(&file).types, derived.types);
    }
}
