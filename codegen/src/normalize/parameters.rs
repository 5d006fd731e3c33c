//! `parameters`: parameters progenitor cannot serialize are handed to the
//! `extend` stage, which adds their setters to the builder and encodes them
//! as their `style` says (`crate::runtime::params`). Nothing is dropped.
//!
//! Handed over: `deepObject` and object query parameters, `spaceDelimited`
//! and `pipeDelimited` arrays, array and object headers, cookies, and a
//! parameter whose Rust name another already has (`DateCreated<` beside
//! `DateCreated`: its setter is `date_created_lt`). Each
//! leaves the operation's `parameters` (a path-level one is first copied
//! into each operation of the path, which then own their lists) and is
//! listed in the operation's `x-codegen-params`:
//! `{name, in, style, explode, required, schema}`. A schema that is not a
//! `$ref` becomes a component (`<operationId><Name>`) so the setter takes a
//! named generated type.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::Normalized;
use crate::walk;

/// The operation extension read by the `extend` stage.
pub const MARKER: &str = "x-codegen-params";

/// A schema the `extend` stage names with a Rust type of its own (a
/// string, number, integer or boolean without an `enum`, or an array of
/// those); any other inline schema becomes a component.
pub fn is_simple(schema: &Value) -> bool {
    match schema.get("type").and_then(Value::as_str) {
        Some("string" | "integer" | "number" | "boolean") => schema.get("enum").is_none(),
        Some("array") => schema
            .get("items")
            .is_some_and(|items| items.get("$ref").is_none() && is_simple(items)),
        _ => false,
    }
}

/// Whether progenitor cannot send parameter `p` (dereferenced).
fn handed_over(root: &Value, p: &Value) -> bool {
    let schema = p.get("schema").map(|s| walk::deref(root, s));
    let kind = schema.and_then(|s| s.get("type")).and_then(Value::as_str);
    let is_object = kind == Some("object")
        || (kind.is_none()
            && schema.is_some_and(|s| {
                s.get("properties").is_some() || s.get("additionalProperties").is_some()
            }));
    let style = p.get("style").and_then(Value::as_str);
    // progenitor sends a query array only exploded (`ids=1&ids=2`, `form`'s
    // default); `explode: false` (`ids=1,2`) is the runtime's. Found by
    // Prism rejecting `colors=red&colors=red` (`tests/wire.rs`).
    let is_array = kind == Some("array") || schema.is_some_and(|s| s.get("items").is_some());
    let unexploded = p.get("explode") == Some(&Value::Bool(false));
    // progenitor's query serializer sends scalars and arrays of scalars;
    // an array of objects (Box's `mdfilters`) fails as the request is
    // built ("builder error"), so it is the runtime's too.
    let structured_items = schema
        .and_then(|s| s.get("items"))
        .is_some_and(|items| structured(root, items, 0));
    match p.get("in").and_then(Value::as_str) {
        Some("cookie") => schema.is_some(),
        Some("query") => {
            matches!(
                style,
                Some("deepObject" | "spaceDelimited" | "pipeDelimited")
            ) || is_object
                || (is_array && (unexploded || structured_items))
        }
        Some("header") => kind == Some("array") || is_object,
        _ => false,
    }
}

/// A schema whose values are not scalars: an object or an array, or a
/// composition with such a member (references followed, 8 deep at most).
fn structured(root: &Value, schema: &Value, depth: usize) -> bool {
    let s = walk::deref(root, schema);
    if depth > 8 {
        return false;
    }
    matches!(
        s.get("type").and_then(Value::as_str),
        Some("object" | "array")
    ) || ["properties", "additionalProperties", "items"]
        .iter()
        .any(|k| s.get(*k).is_some())
        || ["allOf", "oneOf", "anyOf"].iter().any(|k| {
            s.get(*k)
                .and_then(Value::as_array)
                .is_some_and(|members| members.iter().any(|m| structured(root, m, depth + 1)))
        })
}

/// What makes a parameter itself (OpenAPI): its name and location.
fn param_key(root: &Value, p: &Value) -> (Option<Value>, Option<Value>) {
    let d = walk::deref(root, p);
    (d.get("name").cloned(), d.get("in").cloned())
}

/// The builder field progenitor makes for parameter `p`.
fn rust_name(p: &Value) -> String {
    let name = p.get("name").and_then(Value::as_str).unwrap_or("");
    crate::naming::sanitize(name, crate::naming::Case::Snake)
}

/// Run the step.
pub(super) fn rewrite(n: &mut Normalized) {
    push_down_path_parameters(n);
    let mut taken = super::component_type_names(&n.value);
    for op in walk::operations(&n.value) {
        let id = op.id.clone().unwrap_or_default();
        let mut kept = Vec::new();
        let mut moved = Vec::new();
        let mut new_schemas = Vec::new();
        let mut changes = Vec::new();
        // Read from the document as it is, write after.
        let root = &n.value;
        let Some(Value::Array(params)) =
            walk::operation(root, &op).and_then(|o| o.get("parameters"))
        else {
            continue;
        };
        // The Rust names progenitor gives the parameters it keeps: one that
        // another already has (`DateCreated<` beside `DateCreated`) would be
        // a second field of that name, so it is handed over (and named
        // there).
        let key = |p: &Value| param_key(root, p);
        let mut rust_names: BTreeSet<String> = match root["paths"][&op.path].get("parameters") {
            Some(Value::Array(shared)) => shared
                .iter()
                .filter(|s| !params.iter().any(|p| key(p) == key(s)))
                .map(|p| rust_name(walk::deref(root, p)))
                .collect(),
            _ => BTreeSet::new(),
        };
        // Path parameters claim their names first: the generated code can
        // take over a query, header or cookie parameter, not a path one
        // (`account_id` in the query beside `{accountId}` in the path).
        let is_path = |d: &Value| d.get("in").and_then(Value::as_str) == Some("path");
        for p in params {
            let d = walk::deref(root, p);
            if is_path(d) {
                rust_names.insert(rust_name(d));
            }
        }
        for p in params {
            let d = walk::deref(root, p);
            let clash = !is_path(d) && !handed_over(root, d) && !rust_names.insert(rust_name(d));
            if !handed_over(root, d) && !clash {
                kept.push(p.clone());
                continue;
            }
            let name = d
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            let location = d.get("in").and_then(Value::as_str).unwrap_or("").to_owned();
            let style = d.get("style").and_then(Value::as_str).map_or_else(
                || {
                    if location == "header" {
                        "simple"
                    } else {
                        "form"
                    }
                    .to_owned()
                },
                str::to_owned,
            );
            // OpenAPI: `explode` defaults to true for `form`, false otherwise.
            let explode = d
                .get("explode")
                .and_then(Value::as_bool)
                .unwrap_or(style == "form");
            let schema = d.get("schema").cloned().unwrap_or(json!({}));
            let schema = if schema.get("$ref").is_some() || is_simple(&schema) {
                schema
            } else {
                let base: String = format!("{id}-{name}")
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                    .collect();
                let component = taken.allocate(&base, "");
                new_schemas.push((component.clone(), schema));
                json!({ "$ref": format!("#/components/schemas/{component}") })
            };
            changes.push(format!(
                "{id}: {location} parameter `{name}` (style `{style}`) is encoded by the generated code"
            ));
            moved.push(json!({
                "name": name,
                "in": location,
                "style": style,
                "explode": explode,
                "required": d.get("required").and_then(Value::as_bool).unwrap_or(false),
                "schema": schema,
            }));
        }
        if moved.is_empty() {
            continue;
        }
        for change in changes {
            n.change("parameters", change);
        }
        for (name, schema) in new_schemas {
            n.value["components"]["schemas"][&name] = schema;
        }
        if let Some(o) = walk::operation_mut(&mut n.value, &op) {
            o["parameters"] = Value::Array(kept);
            o[MARKER] = Value::Array(moved);
        }
    }
}

/// A path item whose own `parameters` include one to hand over, or one
/// whose Rust name an operation's own parameter has, gives each
/// of its operations a copy (an operation's parameter of the same name and
/// location wins, as OpenAPI says) and keeps none itself.
fn push_down_path_parameters(n: &mut Normalized) {
    // Planned on the document as it is (a `$ref` may lead anywhere), then
    // written: no copy of the document to read from.
    let root = &n.value;
    // (path, [(method, its parameters with the path item's)])
    type Plan<'a> = Vec<(String, Vec<(&'a str, Vec<Value>)>)>;
    let mut plan: Plan<'_> = Vec::new();
    for (path, item) in root
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let Some(Value::Array(shared)) = item.get("parameters") else {
            continue;
        };
        let key = |p: &Value| param_key(root, p);
        // A shared parameter whose Rust name an operation's own parameter
        // also has (a shared query `metrics` beside the operation's path
        // `{metrics:.*}`) is one of two fields of one name unless the
        // operation owns both and one is handed over.
        let clashes = walk::METHODS.iter().any(|method| {
            let own = item
                .get(*method)
                .and_then(|o| o.get("parameters"))
                .and_then(Value::as_array);
            own.into_iter().flatten().any(|q| {
                shared.iter().any(|p| {
                    key(p) != key(q)
                        && rust_name(walk::deref(root, p)) == rust_name(walk::deref(root, q))
                })
            })
        });
        if !clashes
            && !shared
                .iter()
                .any(|p| handed_over(root, walk::deref(root, p)))
        {
            continue;
        }
        let mut methods = Vec::new();
        for method in walk::METHODS {
            let Some(Value::Object(o)) = item.get(method) else {
                continue;
            };
            let own: &[Value] = match o.get("parameters") {
                Some(Value::Array(own)) => own,
                _ => &[],
            };
            let mut all: Vec<Value> = shared
                .iter()
                .filter(|p| !own.iter().any(|q| key(q) == key(p)))
                .cloned()
                .collect();
            all.extend(own.iter().cloned());
            methods.push((method, all));
        }
        plan.push((path.clone(), methods));
    }
    for (path, methods) in plan {
        let Some(Value::Object(item)) = n.value["paths"].get_mut(&path) else {
            continue;
        };
        item.shift_remove("parameters");
        for (method, all) in methods {
            if let Some(Value::Object(o)) = item.get_mut(method) {
                o.insert("parameters".into(), Value::Array(all));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    /// The `name`s of a list of parameters.
    fn names(list: &Value) -> Vec<&str> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect()
    }

    /// A query parameter and a path parameter of one Rust name: the path
    /// one keeps its name (the generated code cannot take over a path
    /// parameter), the query one is handed over, whether it is the
    /// operation's own or shared by the path item.
    #[test]
    fn path_parameters_keep_their_rust_names() {
        let doc = crate::load::load_bytes(
            br#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /accounts/{accountId}/{metrics:.*}:
    parameters:
      - {name: metrics, in: query, schema: {type: string}}
    get:
      operationId: getAccount
      parameters:
        - {name: account_id, in: query, required: true, schema: {type: integer}}
        - {name: accountId, in: path, required: true, schema: {type: string}}
        - {name: "metrics:.*", in: path, required: true, schema: {type: string}}
      responses: {"200": {description: ok}}
"#,
            "t.yaml",
        )
        .unwrap();
        let n = super::super::normalize(&doc, &Config::default());
        assert!(n.problems.is_empty(), "{:?}", n.problems);
        let op = &n.value["paths"]["/accounts/{accountId}/{metrics:.*}"]["get"];
        let kept = names(&op["parameters"]);
        assert_eq!(kept, ["accountId", "metrics:.*"]);
        let moved = names(&op[MARKER]);
        assert_eq!(moved, ["metrics", "account_id"]);
    }

    #[test]
    fn unsendable_parameters_are_handed_over_with_named_schemas() {
        let doc = crate::load::load_bytes(
            br#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /jobs/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
      - {name: beta, in: header, schema: {type: array, items: {type: string}}}
    get:
      operationId: listJobs
      parameters:
        - {name: metadata, in: query, style: deepObject, schema: {type: object, additionalProperties: {type: string}}}
        - {name: at, in: query, schema: {type: object, properties: {gt: {type: integer}}}}
        - {name: filters, in: query, schema: {type: array, items: {type: object, properties: {k: {type: string}}}}}
        - {name: after, in: query, schema: {type: string}}
        - {name: sid, in: cookie, required: true, schema: {type: string}}
        - {name: DateCreated, in: query, schema: {type: string}}
        - {name: DateCreated<, in: query, schema: {type: string}}
      responses: {"200": {description: ok}}
"#,
            "t.yaml",
        )
        .unwrap();
        let n = super::super::normalize(&doc, &Config::default());
        assert!(n.problems.is_empty(), "{:?}", n.problems);
        let op = &n.value["paths"]["/jobs/{id}"]["get"];
        assert_eq!(names(&op["parameters"]), ["id", "after", "DateCreated"]);
        assert!(n.value["paths"]["/jobs/{id}"].get("parameters").is_none());
        let moved = op[MARKER].as_array().unwrap();
        assert_eq!(moved.len(), 6);
        assert_eq!(moved[5]["name"], "DateCreated<");
        // An array of objects: progenitor's serializer cannot build it.
        assert_eq!(moved[3]["name"], "filters");
        assert_eq!(
            moved[0],
            json!({"name": "beta", "in": "header", "style": "simple", "explode": false, "required": false,
                   "schema": {"type": "array", "items": {"type": "string"}}})
        );
        assert_eq!(moved[1]["style"], "deepObject");
        assert_eq!(moved[2]["style"], "form");
        assert_eq!(moved[2]["explode"], true);
        assert_eq!(moved[4]["required"], true);
        // Only what is not a plain string, number or array of those is named.
        assert_eq!(
            moved[2]["schema"],
            json!({"$ref": "#/components/schemas/listJobs-at"})
        );
        assert_eq!(
            n.value["components"]["schemas"]["listJobs-metadata"],
            json!({"type": "object", "additionalProperties": {"type": "string"}})
        );
    }
}
