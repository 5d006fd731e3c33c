//! Stage 3, **normalize**: rewrite what progenitor cannot take into what it
//! can. Each rewrite is a named step that reports what it changed.
//!
//! Steps that keep every bit of information run always:
//!
//! | step | rewrite |
//! |---|---|
//! | `references` | every `$ref` names a component: a percent-encoded fragment (`#/components/schemas/Foo%20Bar`) is decoded; a reference to any other place (`#/paths/~1orders/get/responses/404/content/application~1json/schema`, a component's property) makes that node a component of a free name (see [`references`]) |
//! | `type-names` | component schemas whose names make one Rust type name (`address` beside `Address`) are renamed to free ones (`address2`), every reference following (see [`type_names`]) |
//! | `operation-ids` | an operation without `operationId` gets one from its method and path (`GET /info.0.json` -> `get_info_0_json`), unique, reported (see [`operation_ids`]) |
//! | `openapi-3.1` | `openapi: 3.1.x` -> `3.0.3` (the schema rewrites also run on 3.0 documents, which sometimes use them); `type: [T, "null"]` -> `type: T, nullable: true`; `{type: "null"}` members of `anyOf`/`oneOf` -> `nullable: true`; `const` -> one-value `enum`; numeric `exclusiveMinimum`/`exclusiveMaximum` -> `minimum` + `true`; `examples` -> `example`; `webhooks`, `jsonSchemaDialect` dropped |
//! | `parameter-content` | a parameter given by `content` (one media type) instead of `schema`: a plain value takes that schema, a JSON-encoded one is the caller's JSON text (see [`parameter_schemas`]) |
//! | `path-required` | a path parameter not marked required is made required (OpenAPI: it MUST be) (see [`parameter_schemas`]) |
//! | `path-text` | a path parameter whose schema is not one scalar type (an object, an array, a union) takes the segment's text, described (see [`parameter_schemas`]) |
//! | `enum-types` | an `enum` value its own schema rejects (`type: string, enum: [1, true]`) is brought to the type (`"1"`, `"true"`) or removed, a listed `null` makes the schema nullable (see [`enum_types`]) |
//! | `integer-range` | integer bounds outside 64 bits (`-9223372036854776000`) clamped to `i64` |
//! | `string-unions` | a union whose members are all strings (`anyOf: [string, {string, enum}]`) -> one string enum, open to unlisted values (see [`string_unions`]) |
//! | `required-alternatives` | `anyOf`/`oneOf`/`not` members that only list `required` properties (exactly-one-of rules) are dropped: typify would make an enum no value fits (see [`required_alternatives`]) |
//! | `titles` | an inline schema's `title` that would name a type like a component or an earlier title is dropped (E0428 otherwise; see [`titles`]) |
//! | `server-defaults` | every `default` moves into the `description`: the server applies it, the client does not send it (see [`server_defaults`]); one that does not fit its schema is documented as such (`defaults`) |
//! | `media-types` | a request body progenitor cannot send (`multipart/form-data`, `application/sdp`, `+json`) is generated as one it can and marked for the `extend` stage; each media type of a body with several gets a method (`<id>_multipart`); file properties become `crate::runtime::FilePart` (see [`media_types`]) |
//! | `parameters` | `deepObject` and object query parameters, delimited arrays, array and object headers and cookies are handed to the `extend` stage, which adds their setters and encodes them by their `style` (see [`parameters`]) |
//! | `untyped-items` | a schema with `items` but no `type` (JSON Schema applies `items` to arrays only) -> `oneOf: [array, any value]`, not the `Vec` typify makes of it (see [`untyped_items`]) |
//! | `typify-limits` | schemas typify panics on, rewritten to ones that describe the same JSON: a `format` on an object/array/boolean removed, `allOf` beside an `enum` removed, enum values typify cannot name (`-created`/`+created`, `=`/`!=`) get placeholders and names made here, which `refine` turns back into the spec's values (see [`typify_limits`]) |
//! | `path-parameter-names` | a path parameter named unlike its template variable (`cert_id` for `{certificate_id}`) renamed to match; a template variable with no parameter at all declared as a required string |
//!
//! Steps that lose information run only when `codegen.toml` asks (see
//! [`crate::config`]); otherwise what they would fix is reported as an
//! error that names the setting:
//!
//! | step | setting | rewrite |
//! |---|---|---|
//! | `unsupported` | `lossy.drop_unsupported_operations` | multipart or other unsupported bodies, cookie or non-`form` query parameters, array header parameters, optional object query parameters: an optional parameter is dropped, otherwise the operation is left out |
//! | `collapse` | `lossy.collapse_types` | keep the JSON request body when there are several; keep one success and one error response type |
//! | `select` | `select.*` | keep only the selected operations; `prune_components` drops unused schemas |

use std::collections::{BTreeMap, BTreeSet};

mod enum_types;
pub mod media_types;
mod operation_ids;
mod parameter_schemas;
pub mod parameters;
mod references;
mod required_alternatives;
pub mod responses;
mod server_defaults;
mod string_unions;
mod titles;
mod type_names;
pub mod typify_limits;
mod untyped_items;

use serde_json::{Map, Value, json};

use crate::config::Config;
use crate::load::{Document, join_index, join_key};
use crate::walk::{self, OpAt};
use crate::{Diagnostic, timings};

/// One rewrite made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The step's name.
    pub step: &'static str,
    /// What it changed and where.
    pub what: String,
}

/// An operation that will not be generated, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// Its operationId (or path and method).
    pub operation: String,
    /// Why.
    pub reason: String,
}

/// The result of normalization.
#[derive(Debug, Clone)]
pub struct Normalized {
    /// The rewritten document.
    pub value: Value,
    /// Every rewrite made.
    pub changes: Vec<Change>,
    /// Operations left out (with the user's consent).
    pub left_out: Vec<LeftOut>,
    /// What could not be rewritten, or needs the user's consent.
    pub problems: Vec<Diagnostic>,
}

/// Content types progenitor can send as a request body.
const BODY_TYPES: [&str; 5] = [
    "application/json",
    "application/octet-stream",
    "application/x-www-form-urlencoded",
    "text/plain",
    "text/x-markdown",
];

/// Run every step on a copy of `doc`.
pub fn normalize(doc: &Document, config: &Config) -> Normalized {
    let mut n = Normalized {
        value: doc.value.clone(),
        changes: Vec::new(),
        left_out: Vec::new(),
        problems: Vec::new(),
    };
    timings::stage("references", || references::rewrite(&mut n));
    timings::stage("type-names", || type_names::rewrite(&mut n));
    timings::stage("operation-ids", || operation_ids::derive(&mut n));
    timings::stage("select", || select(&mut n, config));
    timings::stage("openapi-31", || openapi_31(&mut n));
    timings::stage("parameter-schemas", || parameter_schemas::rewrite(&mut n));
    timings::stage("enum-types", || enum_types::rewrite(&mut n));
    timings::stage("media-types", || media_types::rewrite(&mut n));
    timings::stage("parameters", || parameters::rewrite(&mut n));
    timings::stage("string-unions", || string_unions::rewrite(&mut n));
    timings::stage("required-alternatives", || {
        required_alternatives::rewrite(&mut n)
    });
    timings::stage("titles/dedupe", || titles::dedupe(&mut n));
    timings::stage("titles/free-derived-names", || {
        titles::free_derived_names(&mut n)
    });
    timings::stage("nullable-components", || nullable_components(&mut n));
    timings::stage("integer-range", || integer_range(&mut n));
    timings::stage("path-parameter-names", || path_parameter_names(&mut n, doc));
    timings::stage("unsupported", || unsupported(&mut n, doc, config));
    timings::stage("responses/default-as-errors", || {
        responses::default_as_errors(&mut n, &response_kind)
    });
    timings::stage("responses/default-as-success", || {
        responses::default_as_success(&mut n, &response_kind)
    });
    timings::stage("collapse", || collapse(&mut n, doc, config));
    timings::stage("defaults", || defaults(&mut n));
    timings::stage("server-defaults", || server_defaults::rewrite(&mut n));
    timings::stage("untyped-items", || untyped_items::rewrite(&mut n));
    timings::stage("typify-limits", || typify_limits::rewrite(&mut n));
    if config.select.prune_components {
        prune(&mut n);
    }
    n
}

/// The Rust type names the component schemas of `root` take: steps that
/// add a component allocate its name here, so no two components can make
/// one type (see [`crate::naming::Names`]).
pub(crate) fn component_type_names(root: &Value) -> crate::naming::Names {
    let keys = root
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|m| m.keys().map(String::as_str));
    crate::naming::Names::new(crate::naming::Case::Pascal, keys)
}

impl Normalized {
    /// Record a rewrite.
    pub fn change(&mut self, step: &'static str, what: impl Into<String>) {
        self.changes.push(Change {
            step,
            what: what.into(),
        });
    }

    /// Remove an operation (and its path item when it becomes empty).
    pub fn remove_operation(&mut self, op: &OpAt, reason: impl Into<String>) {
        if let Some(Value::Object(item)) = self
            .value
            .get_mut("paths")
            .and_then(|p| p.get_mut(&op.path))
        {
            item.shift_remove(&op.method);
            if !walk::METHODS.iter().any(|m| item.contains_key(*m)) {
                self.value["paths"]
                    .as_object_mut()
                    .map(|p| p.shift_remove(&op.path));
            }
        }
        self.left_out.push(LeftOut {
            operation: op_name(op),
            reason: reason.into(),
        });
    }
}

fn op_name(op: &OpAt) -> String {
    op.id
        .clone()
        .unwrap_or_else(|| format!("{} {}", op.method.to_uppercase(), op.path))
}

/// `select`: keep the configured operations only.
fn select(n: &mut Normalized, config: &Config) {
    let s = &config.select;
    if !s.is_active() && s.exclude_operations.is_empty() {
        return;
    }
    let mut dropped = Vec::new();
    for op in walk::operations(&n.value) {
        let tags = walk::operation(&n.value, &op)
            .and_then(|o| o.get("tags"))
            .and_then(Value::as_array);
        let has_tag = |t: &str| tags.is_some_and(|ts| ts.iter().any(|x| x.as_str() == Some(t)));
        let id = op.id.as_deref().unwrap_or_default();
        let chosen = !s.is_active()
            || s.tags.iter().any(|t| has_tag(t))
            || s.path_prefixes
                .iter()
                .any(|p| op.path.starts_with(p.as_str()))
            || s.operations.iter().any(|o| o == id);
        if !chosen || s.exclude_operations.iter().any(|o| o == id) {
            dropped.push(op);
        }
    }
    for op in &dropped {
        if let Some(Value::Object(item)) =
            n.value.get_mut("paths").and_then(|p| p.get_mut(&op.path))
        {
            item.shift_remove(&op.method);
        }
    }
    if let Some(Value::Object(paths)) = n.value.get_mut("paths") {
        paths.retain(|_, item| walk::METHODS.iter().any(|m| item.get(*m).is_some()));
    }
    if !dropped.is_empty() {
        n.change(
            "select",
            format!(
                "{} operations not selected by codegen.toml [select]",
                dropped.len()
            ),
        );
    }
}

/// `openapi-3.1`: OpenAPI 3.1 / JSON Schema 2020-12 -> OpenAPI 3.0.
fn openapi_31(n: &mut Normalized) {
    let is_31 = n
        .value
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.1."));
    // JSON Schema 2020-12 constructs also turn up in documents that say
    // 3.0 (the OpenAI 3.0.0 spec has `type: "null"`): the schema rewrites run
    // for every document; the version and top-level keys only for 3.1.
    if is_31 {
        n.value["openapi"] = json!("3.0.3");
    }
    for key in ["webhooks", "jsonSchemaDialect"]
        .into_iter()
        .filter(|_| is_31)
    {
        if n.value
            .as_object_mut()
            .and_then(|m| m.shift_remove(key))
            .is_some()
        {
            n.change(
                "openapi-3.1",
                format!("dropped `{key}` (not in OpenAPI 3.0)"),
            );
        }
    }
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    walk::schemas_mut(&mut n.value, &mut |_, schema| {
        let Value::Object(s) = schema else { return };
        // type: [T, "null"] -> type: T, nullable: true
        if let Some(Value::Array(types)) = s.get("type").cloned() {
            let non_null: Vec<Value> = types
                .iter()
                .filter(|t| t.as_str() != Some("null"))
                .cloned()
                .collect();
            let nullable = non_null.len() < types.len();
            match non_null.len() {
                0 => {
                    s.shift_remove("type");
                }
                1 => {
                    s.insert("type".into(), non_null[0].clone());
                }
                _ => {
                    s.shift_remove("type");
                    let any: Vec<Value> = non_null.iter().map(|t| json!({ "type": t })).collect();
                    s.insert("anyOf".into(), Value::Array(any));
                }
            }
            if nullable {
                s.insert("nullable".into(), json!(true));
            }
            *counts.entry("type arrays").or_default() += 1;
        }
        // {type: null} members of unions -> nullable
        for key in ["anyOf", "oneOf"] {
            let Some(Value::Array(members)) = s.get(key).cloned() else {
                continue;
            };
            // `{type: "null"}`, already rewritten (children come first) to
            // `{nullable: true, enum: [null]}`.
            let is_null = |m: &Value| {
                m.get("type").and_then(Value::as_str) == Some("null")
                    || m.get("enum") == Some(&json!([null]))
            };
            let kept: Vec<Value> = members.iter().filter(|m| !is_null(m)).cloned().collect();
            if kept.len() == members.len() {
                continue;
            }
            s.shift_remove(key);
            s.insert("nullable".into(), json!(true));
            match kept.len() {
                0 => {}
                1 => {
                    s.insert("allOf".into(), Value::Array(kept));
                }
                _ => {
                    s.insert(key.into(), Value::Array(kept));
                }
            }
            *counts.entry("null members of unions").or_default() += 1;
        }
        // allOf: [X, {nullable: true}]: typify reads nullability only on the
        // schema itself, not on a member; hoist it.
        if let Some(Value::Array(members)) = s.get("allOf").cloned() {
            let only_nullable = |m: &Value| {
                m.as_object().is_some_and(|o| {
                    o.get("nullable") == Some(&json!(true))
                        && o.keys().all(|k| k == "nullable" || k == "description")
                })
            };
            if members.len() > 1 && members.iter().any(only_nullable) {
                let kept: Vec<Value> = members.into_iter().filter(|m| !only_nullable(m)).collect();
                s.insert("allOf".into(), Value::Array(kept));
                s.insert("nullable".into(), json!(true));
                *counts.entry("nullable allOf members").or_default() += 1;
            }
        }
        if s.get("type").and_then(Value::as_str) == Some("null") {
            s.shift_remove("type");
            s.insert("nullable".into(), json!(true));
            s.insert("enum".into(), json!([null]));
            *counts.entry("null types").or_default() += 1;
        }
        if let Some(c) = s.shift_remove("const") {
            if !s.contains_key("enum") {
                s.insert("enum".into(), json!([c]));
            }
            *counts.entry("const").or_default() += 1;
        }
        for (ex, bound) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            if let Some(v @ Value::Number(_)) = s.get(ex).cloned() {
                s.insert(bound.into(), v);
                s.insert(ex.into(), json!(true));
                *counts.entry("numeric exclusive bounds").or_default() += 1;
            }
        }
        if let Some(Value::Array(examples)) = s.shift_remove("examples") {
            if !s.contains_key("example")
                && let Some(first) = examples.into_iter().next()
            {
                s.insert("example".into(), first);
            }
            *counts.entry("examples").or_default() += 1;
        }
    });
    let summary = counts
        .iter()
        .map(|(k, v)| format!("{v} {k}"))
        .collect::<Vec<_>>()
        .join(", ");
    if is_31 {
        n.change("openapi-3.1", format!("3.1.x -> 3.0.3 ({summary})"));
    } else if !counts.is_empty() {
        n.change(
            "openapi-3.1",
            format!("OpenAPI 3.1 schema constructs rewritten for 3.0 ({summary})"),
        );
    }
}

/// `nullable-components`: a component schema that is itself nullable makes
/// typify emit `struct X(Option<X>)` beside `struct X {..}` (E0428). Move the
/// nullability to where the schema is used: the definition loses
/// `nullable` (and a one-member `allOf` wrapper), and every
/// `$ref: '#/components/schemas/X'` becomes `{allOf: [$ref], nullable: true}`.
fn nullable_components(n: &mut Normalized) {
    let Some(Value::Object(schemas)) = n
        .value
        .get_mut("components")
        .and_then(|c| c.get_mut("schemas"))
    else {
        return;
    };
    let mut moved = Vec::new();
    for (name, schema) in schemas.iter_mut() {
        let Value::Object(s) = schema else { continue };
        if s.get("nullable") != Some(&json!(true)) {
            continue;
        }
        s.shift_remove("nullable");
        if let Some(Value::Array(members)) = s.get("allOf")
            && members.len() == 1
            && members[0].get("$ref").is_none()
            && let Value::Object(inner) = members[0].clone()
        {
            s.shift_remove("allOf");
            for (k, v) in inner {
                s.entry(k).or_insert(v);
            }
        }
        moved.push(format!("#/components/schemas/{name}"));
    }
    if moved.is_empty() {
        return;
    }
    let moved_set: BTreeSet<&String> = moved.iter().collect();
    fn rewrite(v: &mut Value, moved: &BTreeSet<&String>) {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref")
                    && moved.contains(r)
                    && map.len() == 1
                {
                    *v = json!({ "allOf": [{ "$ref": r.clone() }], "nullable": true });
                    return;
                }
                for child in map.values_mut() {
                    rewrite(child, moved);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|c| rewrite(c, moved)),
            _ => {}
        }
    }
    rewrite(&mut n.value, &moved_set);
    n.change(
        "nullable-components",
        format!(
            "{} nullable component schemas made nullable where used instead",
            moved.len()
        ),
    );
}

/// `integer-range`: integer bounds that do not fit `i64`.
fn integer_range(n: &mut Normalized) {
    let mut fixed = Vec::new();
    walk::schemas_mut(&mut n.value, &mut |path, schema| {
        if schema.get("type").and_then(Value::as_str) != Some("integer") {
            return;
        }
        for key in ["minimum", "maximum"] {
            let Some(v) = schema.get(key) else { continue };
            if v.as_i64().is_some() {
                continue;
            }
            let clamped = match v.as_f64() {
                Some(f) if f <= i64::MIN as f64 => i64::MIN,
                Some(f) if f >= i64::MAX as f64 => i64::MAX,
                Some(f) if key == "minimum" => f.ceil() as i64,
                Some(f) => f.floor() as i64,
                None => continue,
            };
            fixed.push(format!("{} {v} -> {clamped}", join_key(path, key)));
            schema[key] = json!(clamped);
        }
    });
    for f in fixed {
        n.change("integer-range", f);
    }
}

/// `path-parameter-names`: rename a lone mismatched path parameter.
fn path_parameter_names(n: &mut Normalized, doc: &Document) {
    // Planned on the document as it is (operations of one path share its
    // parameters), then written: no copy of the document to read from.
    let root = &n.value;
    let mut edits = Vec::new();
    for op in walk::operations(root) {
        let vars = template_variables(&op.path);
        let Some(o) = walk::operation(root, &op) else {
            continue;
        };
        let item = &root["paths"][&op.path];
        // (declared name, where: item or operation, index)
        let mut declared: Vec<(String, bool, usize)> = Vec::new();
        for (on_op, params) in [(false, item.get("parameters")), (true, o.get("parameters"))] {
            for (i, p) in params
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                let p = walk::deref(root, p);
                if p.get("in").and_then(Value::as_str) == Some("path")
                    && let Some(name) = p.get("name").and_then(Value::as_str)
                {
                    declared.push((name.to_owned(), on_op, i));
                }
            }
        }
        let names: BTreeSet<&str> = declared.iter().map(|d| d.0.as_str()).collect();
        let missing: Vec<&String> = vars
            .iter()
            .filter(|v| !names.contains(v.as_str()))
            .collect();
        let extra: Vec<&(String, bool, usize)> =
            declared.iter().filter(|d| !vars.contains(&d.0)).collect();
        match (missing.as_slice(), extra.as_slice()) {
            ([], []) => {}
            ([var], [(name, on_op, i)]) => {
                let container = if *on_op { o } else { item };
                let index = container.get("parameters").and_then(|ps| ps.get(*i));
                // Inline a referenced parameter before renaming our copy.
                let mut param = index.map_or(Value::Null, |p| walk::deref(root, p).clone());
                if !param.is_null() {
                    param["name"] = json!(var);
                }
                let change = format!(
                    "{}: parameter `{name}` renamed to `{var}` to match the path template",
                    op_name(&op)
                );
                edits.push((op, PathParamEdit::Rename(*on_op, *i, param, change)));
            }
            // Variables with no parameter at all (the spec forgot them): a
            // path segment is a string, so declare each as a required string.
            (missing, []) => {
                let missing: Vec<String> = missing.iter().map(|v| (*v).clone()).collect();
                edits.push((op, PathParamEdit::Declare(missing)));
            }
            (missing, extra) => {
                let mut problems = Vec::new();
                for var in missing {
                    problems.push(
                        doc.diagnostic(&join_key(&op.at, "parameters"), format!("the path template uses `{{{var}}}` but no path parameter is named `{var}`"))
                            .operation(op_name(&op))
                            .hint(format!("add a parameter `{{name: {var}, in: path, required: true, schema: {{type: string}}}}`")),
                    );
                }
                for (name, on_op, i) in extra {
                    let base = if *on_op {
                        op.at.clone()
                    } else {
                        join_key("paths", &op.path)
                    };
                    problems.push(
                        doc.diagnostic(
                            &join_index(&join_key(&base, "parameters"), *i),
                            format!(
                                "path parameter `{name}` does not appear in the path template `{}`",
                                op.path
                            ),
                        )
                        .operation(op_name(&op))
                        .hint(format!(
                            "add `{{{name}}}` to the path, or change the parameter's `in`"
                        )),
                    );
                }
                edits.push((op, PathParamEdit::Problems(problems)));
            }
        }
    }
    for (op, edit) in edits {
        match edit {
            PathParamEdit::Rename(on_op, i, param, change) => {
                let container = if on_op {
                    walk::operation_mut(&mut n.value, &op).and_then(|o| o.get_mut("parameters"))
                } else {
                    n.value["paths"]
                        .get_mut(&op.path)
                        .and_then(|it| it.get_mut("parameters"))
                };
                if let Some(slot) = container.and_then(|ps| ps.get_mut(i)) {
                    *slot = param;
                }
                n.change("path-parameter-names", change);
            }
            PathParamEdit::Declare(missing) => {
                if let Some(o) = walk::operation_mut(&mut n.value, &op) {
                    let params = o
                        .as_object_mut()
                        .map(|m| m.entry("parameters").or_insert_with(|| json!([])));
                    if let Some(Value::Array(params)) = params {
                        for var in &missing {
                            params.push(json!({"name": var, "in": "path", "required": true, "schema": {"type": "string"}}));
                        }
                    }
                }
                let names = missing
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                n.change("path-parameter-names", format!("{}: declared path parameter(s) {names} (string), used by the path template but not declared", op_name(&op)));
            }
            PathParamEdit::Problems(problems) => n.problems.extend(problems),
        }
    }
}

/// What [`path_parameter_names`] does to one operation.
enum PathParamEdit {
    /// Put this parameter (renamed) at `(on the operation, index)`.
    Rename(bool, usize, Value, String),
    /// Declare these path variables as string parameters.
    Declare(Vec<String>),
    /// Report these.
    Problems(Vec<Diagnostic>),
}

/// The `{name}` variables of a path template, in order.
pub fn template_variables(path: &str) -> Vec<String> {
    let mut vars = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        vars.push(after[..close].to_owned());
        rest = &after[close + 1..];
    }
    vars
}

/// What to do about something progenitor cannot generate.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Fix {
    /// Leave the whole operation out.
    DropOperation,
    /// Remove one optional parameter: `(on the operation (not the path item), index)`.
    DropParameter(bool, usize),
}

/// What in an operation progenitor cannot generate: `(path, reason, fix)`.
fn unsupported_issues(root: &Value, op: &OpAt) -> Vec<(String, String, Fix)> {
    let mut out = Vec::new();
    let Some(o) = walk::operation(root, op) else {
        return out;
    };
    let item_at = join_key("paths", &op.path);
    let item = &root["paths"][&op.path];
    for (on_op, params) in [(false, item.get("parameters")), (true, o.get("parameters"))] {
        for (i, p) in params
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let at = join_index(
                &join_key(if on_op { &op.at } else { &item_at }, "parameters"),
                i,
            );
            let p = walk::deref(root, p);
            let name = p.get("name").and_then(Value::as_str).unwrap_or("?");
            let style = p.get("style").and_then(Value::as_str);
            let schema = p.get("schema").map(|s| walk::deref(root, s));
            let schema_type = schema.and_then(|s| s.get("type")).and_then(Value::as_str);
            let reason = match (p.get("in").and_then(Value::as_str), style) {
                (Some("cookie"), _) => Some(format!("cookie parameter `{name}` is not supported")),
                (Some("query"), Some(s)) if s != "form" => Some(format!(
                    "query parameter `{name}` has style `{s}`; only `form` is supported"
                )),
                (Some("path" | "header"), Some(s)) if s != "simple" => Some(format!(
                    "parameter `{name}` has style `{s}`; only `simple` is supported"
                )),
                (Some("header"), _) if schema_type == Some("array") => Some(format!(
                    "header parameter `{name}` is an array, which the generated code cannot send"
                )),
                (Some("query"), _)
                    if schema_type == Some("object") && p.get("required") != Some(&json!(true)) =>
                {
                    Some(format!(
                        "optional query parameter `{name}` is an object, which progenitor cannot generate"
                    ))
                }
                _ => None,
            };
            if let Some(reason) = reason {
                let fix = if p.get("required") == Some(&json!(true))
                    || p.get("in").and_then(Value::as_str) == Some("path")
                {
                    Fix::DropOperation
                } else {
                    Fix::DropParameter(on_op, i)
                };
                out.push((at, reason, fix));
            }
        }
    }
    if let Some(body) = o.get("requestBody").map(|b| walk::deref(root, b))
        && let Some(Value::Object(content)) = body.get("content")
    {
        let supported = content
            .keys()
            .any(|k| BODY_TYPES.iter().any(|t| k.starts_with(t)));
        if !supported && !content.is_empty() {
            let types = content.keys().cloned().collect::<Vec<_>>().join(", ");
            out.push((
                join_key(&op.at, "requestBody.content"),
                format!("request body type {types} is not supported"),
                Fix::DropOperation,
            ));
        }
    }
    out
}

/// `unsupported`: leave out what progenitor cannot generate: an optional
/// parameter where that suffices, else the operation.
fn unsupported(n: &mut Normalized, doc: &Document, config: &Config) {
    for op in walk::operations(&n.value) {
        let issues = unsupported_issues(&n.value, &op);
        if issues.is_empty() {
            continue;
        }
        if !config.lossy.drop_unsupported_operations {
            for (at, reason, fix) in issues {
                let what = if fix == Fix::DropOperation {
                    "this operation"
                } else {
                    "this optional parameter"
                };
                n.problems.push(
                    doc.diagnostic(&media_types::without_copy_mark(&at), reason)
                        .operation(op_name(&op))
                        .hint(format!("set `lossy.drop_unsupported_operations = true` in codegen.toml to leave {what} out")),
                );
            }
            continue;
        }
        if let Some((_, reason, _)) = issues.iter().find(|(_, _, fix)| *fix == Fix::DropOperation) {
            n.change(
                "unsupported",
                format!("left out {}: {reason}", op_name(&op)),
            );
            n.remove_operation(&op, reason.clone());
            continue;
        }
        // Remove parameters from the highest index down, so indexes stay valid.
        let mut drops: Vec<(bool, usize, String)> = issues
            .into_iter()
            .filter_map(|(_, reason, fix)| match fix {
                Fix::DropParameter(on_op, i) => Some((on_op, i, reason)),
                Fix::DropOperation => None,
            })
            .collect();
        drops.sort_by_key(|d| std::cmp::Reverse(d.1));
        for (on_op, i, reason) in drops {
            let container = if on_op {
                walk::operation_mut(&mut n.value, &op).and_then(|o| o.get_mut("parameters"))
            } else {
                // A path-item parameter is shared by its operations: give this
                // operation its own list without it, overriding nothing else.
                None
            };
            match container {
                Some(Value::Array(params)) if i < params.len() => {
                    params.remove(i);
                    n.change("unsupported", format!("{}: dropped {reason}", op_name(&op)));
                }
                _ => {
                    n.change(
                        "unsupported",
                        format!("left out {}: {reason}", op_name(&op)),
                    );
                    n.remove_operation(&op, reason);
                    break;
                }
            }
        }
    }
}

/// The "type" of a response for progenitor: JSON schema, raw, or none.
fn response_kind(root: &Value, response: &Value) -> String {
    let r = walk::deref(root, response);
    match r.get("content").and_then(Value::as_object) {
        None => "none".to_owned(),
        Some(c) if c.is_empty() => "none".to_owned(),
        Some(c) => match c.iter().find(|(k, _)| k.starts_with("application/json")) {
            Some((_, mt)) => mt
                .get("schema")
                .map_or("json".to_owned(), |s| s.to_string()),
            None => "raw".to_owned(),
        },
    }
}

/// `collapse`: one request body type; one success and one error type.
fn collapse(n: &mut Normalized, doc: &Document, config: &Config) {
    let allowed = config.lossy.collapse_types;
    let hint = "set `lossy.collapse_types = true` in codegen.toml to keep one type (the JSON one, or the first)";
    // Planned on the document as it is, then written: no copy of the
    // document to read from.
    let mut types = component_type_names(&n.value);
    let root = &n.value;
    let mut edits: Vec<(OpAt, CollapseEdit)> = Vec::new();
    for op in walk::operations(root) {
        let Some(o) = walk::operation(root, &op) else {
            continue;
        };

        // Request body: several media types.
        if let Some(body) = o.get("requestBody").map(|b| walk::deref(root, b))
            && let Some(Value::Object(content)) = body.get("content")
            && content.len() > 1
        {
            let keep = content
                .keys()
                .find(|k| k.starts_with("application/json"))
                .or_else(|| {
                    content
                        .keys()
                        .find(|k| BODY_TYPES.iter().any(|t| k.starts_with(t)))
                })
                .cloned();
            let types = content.keys().cloned().collect::<Vec<_>>().join(", ");
            match (allowed, keep) {
                (true, Some(keep)) => {
                    let mut body = body.clone();
                    let kept: Map<String, Value> = content
                        .iter()
                        .filter(|(k, _)| **k == keep)
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect();
                    body["content"] = Value::Object(kept);
                    let change = format!("{}: request body {types} -> {keep}", op_name(&op));
                    edits.push((op.clone(), CollapseEdit::Body(body, change)));
                }
                _ => edits.push((
                    op.clone(),
                    CollapseEdit::Problem(
                    doc.diagnostic(
                        &join_key(&op.at, "requestBody.content"),
                        format!(
                            "the request body has several types ({types}); the generator takes one"
                        ),
                    )
                    .operation(op_name(&op))
                    .hint(hint),
                    ),
                )),
            }
        }

        // Responses: one kind among successes, one among errors.
        let Some(Value::Object(responses)) = o.get("responses") else {
            continue;
        };
        for (class, is_class) in [
            (
                "success",
                // 101 Switching Protocols is a success progenitor reads as
                // an upgraded connection.
                (|code: &str| code.starts_with('2') || code == "101") as fn(&str) -> bool,
            ),
            ("error", |code: &str| {
                code.starts_with('4') || code.starts_with('5') || code == "default"
            }),
        ] {
            let members: Vec<(&String, String)> = responses
                .iter()
                .filter(|(code, _)| is_class(code))
                .map(|(code, r)| {
                    let kind = if code == "101" {
                        "upgrade".to_owned()
                    } else {
                        response_kind(root, r)
                    };
                    (code, kind)
                })
                .collect();
            // progenitor ignores `default` when a 2XX range is present.
            let kinds: BTreeSet<&String> = members.iter().map(|(_, k)| k).collect();
            if kinds.len() <= 1 {
                continue;
            }
            // Keep the kind of the first JSON-typed member (else the first
            // that is not an upgrade: given 101, progenitor would send a
            // WebSocket handshake).
            let keep = members
                .iter()
                .find(|(_, k)| k != "none" && k != "raw" && k != "upgrade")
                .or_else(|| members.iter().find(|(_, k)| k != "upgrade"))
                .unwrap_or(&members[0])
                .1
                .clone();
            let dropped: Vec<String> = members
                .iter()
                .filter(|(_, k)| *k != keep)
                .map(|(c, _)| (*c).clone())
                .collect();
            if allowed {
                let change = format!(
                    "{}: {class} responses {} dropped (other body types); they arrive as undocumented responses",
                    op_name(&op),
                    dropped.join(", ")
                );
                edits.push((op.clone(), CollapseEdit::Drop(dropped, change)));
            } else if op.id.is_some() && !members.iter().any(|(code, _)| *code == "default") {
                let members: Vec<responses::Member> = members
                    .iter()
                    .map(|(code, kind)| ((*code).clone(), kind.clone()))
                    .collect();
                let several = responses::several(root, &op, class, &members, &keep, &mut types);
                edits.push((op.clone(), CollapseEdit::Several(several)));
            } else {
                edits.push((op.clone(), CollapseEdit::Problem(
                    doc.diagnostic(&join_key(&op.at, "responses"), format!("{class} responses have {} different body types ({}); the generator takes one", kinds.len(), members.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>().join(", ")))
                        .operation(op_name(&op))
                        .hint(hint),
                )));
            }
        }
    }
    for (op, edit) in edits {
        match edit {
            CollapseEdit::Body(body, change) => {
                if let Some(o) = walk::operation_mut(&mut n.value, &op) {
                    o["requestBody"] = body;
                }
                n.change("collapse", change);
            }
            CollapseEdit::Drop(dropped, change) => {
                if let Some(Value::Object(rs)) =
                    walk::operation_mut(&mut n.value, &op).and_then(|o| o.get_mut("responses"))
                {
                    for code in &dropped {
                        rs.shift_remove(code);
                    }
                }
                n.change("collapse", change);
            }
            CollapseEdit::Several(several) => several.apply(n, &op),
            CollapseEdit::Problem(problem) => n.problems.push(problem),
        }
    }
}

/// What [`collapse`] does to one operation (in the order planned).
enum CollapseEdit {
    /// Send this request body (one media type), with the change to report.
    Body(Value, String),
    /// Remove these responses (`lossy.collapse_types`).
    Drop(Vec<String>, String),
    /// Mark a class of responses as several (see [`responses::several`]).
    Several(responses::Several),
    /// Report this.
    Problem(Diagnostic),
}

/// `defaults`: defaults that typify would reject.
fn defaults(n: &mut Normalized) {
    // Planned on the document as it is, then written (no copy to read from).
    let mut misfits = std::collections::HashMap::new();
    walk::schemas(&n.value, &mut |path, schema| {
        if let Some(default) = schema.get("default")
            && schema.is_object()
            && let Some(reason) = default_problem(&n.value, schema, default)
        {
            misfits.insert(path.to_owned(), reason);
        }
    });
    let bad = misfits.len();
    if bad > 0 {
        walk::schemas_mut(&mut n.value, &mut |path, schema| {
            if let Some(reason) = misfits.remove(path)
                && let Value::Object(s) = schema
            {
                // Documented with the others (`server-defaults`), with the reason.
                s.insert(server_defaults::MISFIT.into(), json!(reason));
            }
        });
    }
    if bad > 0 {
        n.change(
            "defaults",
            format!(
                "{bad} defaults that do not fit their schema are documented as such (none is sent)"
            ),
        );
    }
}

/// Why `default` does not fit `schema`, if it does not.
fn default_problem(root: &Value, schema: &Value, default: &Value) -> Option<String> {
    if ["anyOf", "oneOf", "not"]
        .iter()
        .any(|k| schema.get(*k).is_some())
    {
        return None;
    }
    // allOf: the default must fit every member (progenitor's samples use
    // `allOf: [$ref]` with a default; that works).
    if let Some(Value::Array(members)) = schema.get("allOf") {
        return members.iter().find_map(|m| {
            let m = walk::deref(root, m);
            // Reached through allOf, a union is checked by its members: the
            // default must fit one of them (typify checks tagged unions so).
            match m.get("oneOf").or_else(|| m.get("anyOf")) {
                Some(Value::Array(variants)) => {
                    let fits = variants
                        .iter()
                        .any(|v| default_problem(root, walk::deref(root, v), default).is_none());
                    (!fits).then(|| format!("{default} matches no member of the union"))
                }
                _ => default_problem(root, m, default),
            }
        });
    }
    let schema = walk::deref(root, schema);
    if default.is_null() {
        return (schema.get("nullable") != Some(&json!(true)))
            .then(|| "is null but the schema is not nullable".to_owned());
    }
    if let Some(Value::Array(values)) = schema.get("enum")
        && !values.contains(default)
    {
        return Some(format!("{default} is not one of the enum values"));
    }
    let fits = match schema.get("type").and_then(Value::as_str) {
        Some("string") => default.is_string(),
        Some("integer") => default.is_i64() || default.is_u64(),
        Some("number") => default.is_number(),
        Some("boolean") => default.is_boolean(),
        Some("array") => default.is_array(),
        Some("object") => default.is_object(),
        _ => true,
    };
    (!fits).then(|| {
        format!(
            "{default} does not match type `{}`",
            schema["type"].as_str().unwrap_or("?")
        )
    })
}

/// `prune`: drop component schemas nothing kept refers to.
fn prune(n: &mut Normalized) {
    let removed = prune_unused(&mut n.value);
    if removed > 0 {
        n.change(
            "select",
            format!("pruned {removed} unused component schemas"),
        );
    }
}

/// Remove component schemas that nothing outside `components.schemas`
/// reaches (through any chain of `$ref`s); returns how many were removed.
pub fn prune_unused(value: &mut Value) -> usize {
    let mut reachable: BTreeSet<String> = BTreeSet::new();
    let mut queue: Vec<String> = Vec::new();
    let collect = |v: &Value, queue: &mut Vec<String>| {
        walk::visit(v, "", &mut |_, node| {
            if let Some(r) = node.get("$ref").and_then(Value::as_str) {
                queue.push(r.to_owned());
            }
        });
    };
    let mut roots = value.clone();
    if let Some(Value::Object(c)) = roots.get_mut("components") {
        c.shift_remove("schemas");
    }
    collect(&roots, &mut queue);
    while let Some(r) = queue.pop() {
        if reachable.insert(r.clone())
            && let Some(target) = walk::resolve(value, &r)
        {
            let target = target.clone();
            collect(&target, &mut queue);
        }
    }
    match value
        .get_mut("components")
        .and_then(|c| c.get_mut("schemas"))
    {
        Some(Value::Object(schemas)) => {
            let before = schemas.len();
            schemas.retain(|name, _| reachable.contains(&format!("#/components/schemas/{name}")));
            before - schemas.len()
        }
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_bytes;

    fn run(yaml: &str, config: &Config) -> Normalized {
        let doc = load_bytes(yaml.as_bytes(), "s.yaml").unwrap();
        normalize(&doc, config)
    }

    #[test]
    fn openapi_31_constructs_become_30() {
        let n = run(
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\nwebhooks: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        a: {type: [string, 'null']}\n        b: {anyOf: [{$ref: '#/components/schemas/B'}, {type: 'null'}]}\n        c: {const: x}\n        d: {type: number, exclusiveMinimum: 0}\n        e: {type: string, examples: [one, two]}\n    B: {type: string}\n",
            &Config::default(),
        );
        let a = &n.value["components"]["schemas"]["A"]["properties"];
        assert_eq!(n.value["openapi"], "3.0.3");
        assert!(n.value.get("webhooks").is_none());
        assert_eq!(a["a"], json!({"type": "string", "nullable": true}));
        assert_eq!(
            a["b"],
            json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/B"}]})
        );
        assert_eq!(a["c"], json!({"enum": ["x"]}));
        assert_eq!(
            a["d"],
            json!({"type": "number", "exclusiveMinimum": true, "minimum": 0})
        );
        assert_eq!(a["e"], json!({"type": "string", "example": "one"}));
        assert!(
            n.changes.iter().any(|c| c.step == "openapi-3.1"),
            "{:?}",
            n.changes
        );
        assert!(n.problems.is_empty());
    }

    #[test]
    fn nullable_components_become_nullable_uses() {
        let n = run(
            "openapi: 3.1.0\ncomponents:\n  schemas:\n    Prompt:\n      anyOf:\n        - {type: object, properties: {id: {type: string}}}\n        - {type: 'null'}\n    Req:\n      type: object\n      properties:\n        prompt: {$ref: '#/components/schemas/Prompt'}\n",
            &Config::default(),
        );
        let schemas = &n.value["components"]["schemas"];
        assert_eq!(
            schemas["Prompt"],
            json!({"type": "object", "properties": {"id": {"type": "string"}}})
        );
        assert_eq!(
            schemas["Req"]["properties"]["prompt"],
            json!({"allOf": [{"$ref": "#/components/schemas/Prompt"}], "nullable": true})
        );
    }

    #[test]
    fn integer_bounds_are_clamped() {
        let n = run(
            "openapi: 3.0.0\ncomponents:\n  schemas:\n    S: {type: integer, minimum: -9223372036854776000, maximum: 9223372036854776000}\n",
            &Config::default(),
        );
        assert_eq!(
            n.value["components"]["schemas"]["S"]["minimum"],
            json!(i64::MIN)
        );
        assert_eq!(
            n.value["components"]["schemas"]["S"]["maximum"],
            json!(i64::MAX)
        );
    }

    #[test]
    fn mismatched_path_parameter_is_renamed() {
        let n = run(
            "openapi: 3.0.0\npaths:\n  /c/{certificate_id}:\n    get:\n      operationId: get-cert\n      parameters: [{name: cert_id, in: path, required: true, schema: {type: string}}]\n      responses: {}\n",
            &Config::default(),
        );
        assert_eq!(
            n.value["paths"]["/c/{certificate_id}"]["get"]["parameters"][0]["name"],
            "certificate_id"
        );
        assert_eq!(
            n.changes[0].what,
            "get-cert: parameter `cert_id` renamed to `certificate_id` to match the path template"
        );
    }

    #[test]
    fn undeclared_path_variables_are_declared_as_strings() {
        let n = run(
            "openapi: 3.0.0\npaths:\n  /c/{certificate_id}:\n    delete:\n      operationId: deleteCertificate\n      responses: {}\n",
            &Config::default(),
        );
        assert!(n.problems.is_empty(), "{:?}", n.problems);
        assert_eq!(
            n.value["paths"]["/c/{certificate_id}"]["delete"]["parameters"],
            json!([{"name": "certificate_id", "in": "path", "required": true, "schema": {"type": "string"}}])
        );
    }

    /// A path parameter in `matrix` style: no generator path sends it.
    const MATRIX_PATH: &str = "openapi: 3.0.0\npaths:\n  /f/{id}:\n    post:\n      operationId: upload\n      parameters:\n        - {name: id, in: path, required: true, style: matrix, schema: {type: string}}\n      responses: {}\n";

    #[test]
    fn unsupported_operations_need_consent() {
        let n = run(MATRIX_PATH, &Config::default());
        assert_eq!(n.problems.len(), 1);
        let p = n.problems[0].to_string();
        assert!(p.starts_with("s.yaml:7:11: at `paths./f/{id}.post.parameters[0]` (operation `upload`): parameter `id` has style `matrix`; only `simple` is supported"), "{p}");
        assert!(p.contains("lossy.drop_unsupported_operations = true` in codegen.toml to leave this operation out"), "{p}");

        let mut config = Config::default();
        config.lossy.drop_unsupported_operations = true;
        let n = run(MATRIX_PATH, &config);
        assert!(n.problems.is_empty());
        assert_eq!(
            n.left_out,
            [LeftOut {
                operation: "upload".into(),
                reason: "parameter `id` has style `matrix`; only `simple` is supported".into()
            }]
        );
        assert!(n.value["paths"].get("/f/{id}").is_none());
    }

    const TWO_ERRORS: &str = "openapi: 3.0.0\npaths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '200': {description: ok}\n        '404': {description: x, content: {application/json: {schema: {$ref: '#/components/schemas/E1'}}}}\n        '429': {description: x, content: {application/json: {schema: {$ref: '#/components/schemas/E2'}}}}\ncomponents:\n  schemas:\n    E1: {type: object}\n    E2: {type: object}\n";

    #[test]
    fn optional_unsupported_parameters_are_dropped_not_the_operation() {
        // Styles OpenAPI does not define for a query (deepObject, object
        // and delimited query parameters and array headers are generated).
        let yaml = "openapi: 3.0.0\npaths:\n  /l:\n    get:\n      operationId: list\n      parameters:\n        - {name: a, in: query, schema: {type: string}}\n        - {name: m, in: query, style: matrix, schema: {type: string}}\n        - {name: h, in: query, style: label, schema: {type: string}}\n      responses: {}\n";
        let mut config = Config::default();
        config.lossy.drop_unsupported_operations = true;
        let n = run(yaml, &config);
        assert!(n.left_out.is_empty(), "{:?}", n.left_out);
        let params = n.value["paths"]["/l"]["get"]["parameters"]
            .as_array()
            .unwrap();
        assert_eq!(params.len(), 1);
        assert_eq!(params[0]["name"], "a");
        assert_eq!(
            n.changes.iter().filter(|c| c.step == "unsupported").count(),
            2
        );
    }

    #[test]
    fn several_error_types_become_one_enum_or_collapse() {
        let n = run(TWO_ERRORS, &Config::default());
        assert!(n.problems.is_empty(), "{:?}", n.problems);
        let op = &n.value["paths"]["/a"]["get"];
        assert!(op["responses"].get("429").is_none());
        assert_eq!(
            op[responses::MARKER]["error"],
            json!([
                {"status": "404", "kind": "json", "schema": {"$ref": "#/components/schemas/E1"}, "kept": true},
                {"status": "429", "kind": "json", "schema": {"$ref": "#/components/schemas/E2"}, "kept": false}
            ])
        );
        let mut config = Config::default();
        config.lossy.collapse_types = true;
        let n = run(TWO_ERRORS, &config);
        assert!(n.problems.is_empty());
        assert!(
            n.value["paths"]["/a"]["get"]["responses"]
                .get("429")
                .is_none()
        );
        assert!(
            n.value["paths"]["/a"]["get"]["responses"]
                .get("404")
                .is_some()
        );
    }

    #[test]
    fn invalid_defaults_are_documented_as_such_without_consent() {
        let yaml = "openapi: 3.0.0\ncomponents:\n  schemas:\n    S: {type: integer, default: 'x'}\n    U: {anyOf: [{type: string}], default: a}\n    Ok: {type: string, enum: [a, b], default: b}\n";
        let n = run(yaml, &Config::default());
        assert!(n.problems.is_empty(), "{:?}", n.problems);
        let schemas = &n.value["components"]["schemas"];
        assert_eq!(
            schemas["S"],
            json!({"type": "integer", "description": "Default: `\"x\"` (as the spec gives it: it \"x\" does not match type `integer`)."})
        );
        assert_eq!(schemas["U"]["description"], "Default: `\"a\"`.");
        assert_eq!(schemas["Ok"]["description"], "Default: `\"b\"`.");
        assert!(n.changes.iter().any(|c| c.step == "defaults"));
    }

    #[test]
    fn select_and_prune() {
        let mut config = Config::default();
        config.select.operations = vec!["a".into()];
        config.select.prune_components = true;
        let yaml = "openapi: 3.0.0\npaths:\n  /a:\n    get: {operationId: a, responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/A'}}}}}}\n  /b:\n    get: {operationId: b, responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/B'}}}}}}\ncomponents:\n  schemas:\n    A: {type: object, properties: {c: {$ref: '#/components/schemas/C'}}}\n    B: {type: string}\n    C: {type: string}\n";
        let n = run(yaml, &config);
        assert!(n.value["paths"].get("/b").is_none());
        let kept: Vec<&String> = n.value["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(kept, ["A", "C"]);
    }
}
