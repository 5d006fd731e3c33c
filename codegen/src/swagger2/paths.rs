//! Step `paths`: every path item and operation.
//!
//! A path item keeps its non-body parameters (converted by
//! `super::parameters`); its body and formData parameters apply to each of
//! its operations, which may override them (a body by their own body, a form
//! field by one of the same name). Each operation:
//!
//! - `parameters`: non-body ones converted in place, in order (`$ref`s to
//!   top-level ones rewritten); body and formData ones taken out and made the
//!   `requestBody` (`super::bodies`), placed after `parameters`. The new
//!   index of each remaining parameter is mapped to its old one in `moved`.
//! - `consumes`/`produces` (else the top-level ones, else
//!   `application/json`) give the request body's and responses' media
//!   types, then are dropped.
//! - `responses` -> `super::responses`; none -> `responses: {}` (reported).
//! - `schemes` -> `servers` (`super::servers`).
//! - everything else (`operationId`, `tags`, `summary`, `description`,
//!   `deprecated`, `security`, `externalDocs`, `x-` extensions) kept.

use serde_json::{Map, Value, json};

use super::bodies::{self, Param};
use super::parameters::{self, Place};
use super::{Cx, decode_token, media_types, responses, schemas, servers, what};
use crate::load::{join_index, join_key};

/// The HTTP methods a path item can hold.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The document's `paths`.
pub(crate) fn convert(cx: &mut Cx<'_>) -> Value {
    let root = cx.root;
    let Some(paths) = root.get("paths") else {
        cx.note("no `paths` -> `paths: {}`");
        return Value::Object(Map::new());
    };
    let Some(paths) = paths.as_object() else {
        cx.error(
            "paths",
            format!("`paths` is {}, not a mapping", what(paths)),
            "map each path (`/pets/{id}`) to its operations",
        );
        return Value::Object(Map::new());
    };
    let mut out = Map::new();
    for (path, item) in paths {
        let converted = if path.starts_with("x-") {
            item.clone()
        } else {
            path_item(cx, item, &join_key("paths", path))
        };
        out.insert(path.clone(), converted);
    }
    Value::Object(out)
}

/// A parameter list, sorted by where each parameter goes.
#[derive(Debug, Default)]
struct Listed<'a> {
    /// The non-body parameters, converted.
    params: Vec<Value>,
    /// The body parameter.
    body: Option<Param<'a>>,
    /// The formData parameters.
    forms: Vec<Param<'a>>,
}

fn path_item<'a>(cx: &mut Cx<'a>, item: &'a Value, at: &str) -> Value {
    let Some(obj) = item.as_object() else {
        cx.error(
            at,
            format!("the path item is {}, not a mapping", what(item)),
            "map HTTP methods to operations",
        );
        return Value::Object(Map::new());
    };
    if obj.contains_key("$ref") {
        // not converted: rejected later, as in 3.0 documents
        return item.clone();
    }
    let shared = match obj.get("parameters") {
        Some(list) => listed(cx, list, &join_key(at, "parameters")),
        None => Listed::default(),
    };
    let mut out = Map::new();
    for (key, value) in obj {
        if key == "parameters" {
            if !shared.params.is_empty() {
                out.insert(key.clone(), Value::Array(shared.params.clone()));
            }
        } else if METHODS.contains(&key.as_str()) {
            let op = operation(cx, value, &shared, &join_key(at, key));
            out.insert(key.clone(), op);
        } else {
            out.insert(key.clone(), value.clone());
        }
    }
    out.into()
}

/// Sort and convert the parameter list at `at` (the same path in both
/// documents).
fn listed<'a>(cx: &mut Cx<'a>, list: &'a Value, at: &str) -> Listed<'a> {
    let mut out = Listed::default();
    let Some(items) = list.as_array() else {
        cx.error(
            at,
            format!("`parameters` is {}, not a sequence", what(list)),
            "list the parameters, each with `name` and `in`",
        );
        return out;
    };
    for (i, item) in items.iter().enumerate() {
        let entry = join_index(at, i);
        let Some(obj) = item.as_object() else {
            cx.error(
                &entry,
                format!("the parameter is {}, not a mapping", what(item)),
                "write a parameter with `name` and `in`",
            );
            continue;
        };
        let (target, target_at, via) = match obj.get("$ref") {
            None => (obj, entry.clone(), None),
            Some(r) => {
                let Some((target, target_at, name)) = resolve(cx, r, &join_key(&entry, "$ref"))
                else {
                    continue;
                };
                (target, target_at, Some(name))
            }
        };
        let Some(location) = target.get("in").and_then(Value::as_str) else {
            parameters::missing_in(cx, &target_at);
            continue;
        };
        match Place::of(location) {
            Place::Body => {
                if out.body.is_some() {
                    cx.error(
                        &entry,
                        "a second body parameter",
                        "a request has one body: describe it with one body parameter whose schema has both parts",
                    );
                    continue;
                }
                out.body = Some(Param {
                    value: target,
                    old: target_at,
                    via,
                    entry,
                });
            }
            Place::Form => out.forms.push(Param {
                value: target,
                old: target_at,
                via,
                entry,
            }),
            Place::Parameter => {
                let new = join_index(at, out.params.len());
                let converted = match via {
                    Some(_) => {
                        let mut obj = obj.clone();
                        if let Some(Value::String(r)) = obj.get("$ref")
                            && let Ok(new_ref) = schemas::rewrite_ref(cx, r)
                        {
                            obj.insert("$ref".to_owned(), Value::String(new_ref));
                        }
                        Value::Object(obj)
                    }
                    None => parameters::convert(cx, obj, &entry, &new),
                };
                cx.moved(new, entry);
                out.params.push(converted);
            }
            Place::Unknown => parameters::unknown_in(cx, &target_at, location),
        }
    }
    out
}

/// The top-level parameter a parameter `$ref` (at `at`) points at: the
/// parameter, its path and its name; `None` once reported.
fn resolve<'a>(
    cx: &mut Cx<'a>,
    r: &Value,
    at: &str,
) -> Option<(&'a Map<String, Value>, String, String)> {
    let Some(r) = r.as_str() else {
        cx.error(
            at,
            "`$ref` is not a string",
            "write `$ref: '#/parameters/<name>'`",
        );
        return None;
    };
    let Some(name) = r.strip_prefix("#/parameters/") else {
        let (message, hint) = if r.starts_with('#') {
            (
                format!("`$ref: {r}` does not point at a parameter"),
                "point at a top-level parameter: `#/parameters/<name>`",
            )
        } else {
            (
                format!(
                    "`$ref: {r}` points into another file; its `in` must be known to convert it"
                ),
                "copy the parameter into the top-level `parameters` and point at it there",
            )
        };
        cx.error(at, message, hint);
        return None;
    };
    let name = decode_token(name);
    match cx.top_parameter(&name) {
        Some((target, target_at)) => Some((target, target_at, name)),
        None => {
            cx.error(
                at,
                format!("`$ref: {r}` points at no top-level parameter"),
                "define it under the top-level `parameters`, or fix the name",
            );
            None
        }
    }
}

fn operation<'a>(cx: &mut Cx<'a>, op: &'a Value, shared: &Listed<'a>, at: &str) -> Value {
    let Some(obj) = op.as_object() else {
        cx.error(
            at,
            format!("the operation is {}, not a mapping", what(op)),
            "write an operation with its `responses`",
        );
        return Value::Object(Map::new());
    };
    cx.operation = obj
        .get("operationId")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let consumes = media_types(obj.get("consumes")).unwrap_or_else(|| cx.consumes.clone());
    let produces = media_types(obj.get("produces")).unwrap_or_else(|| cx.produces.clone());
    let own = match obj.get("parameters") {
        Some(list) => listed(cx, list, &join_key(at, "parameters")),
        None => Listed::default(),
    };

    let body = own.body.clone().or_else(|| shared.body.clone());
    let name_of = |p: &Param<'_>| {
        p.value
            .get("name")
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let mut forms: Vec<Param<'a>> = shared
        .forms
        .iter()
        .filter(|s| !own.forms.iter().any(|o| name_of(o) == name_of(s)))
        .cloned()
        .collect();
    forms.extend(own.forms.iter().cloned());
    let new_body = join_key(at, "requestBody");
    let mut request_body = match (&body, forms.is_empty()) {
        (Some(_), false) => {
            cx.error(
                at,
                "the operation has both a body parameter and formData parameters",
                "a request has one body: keep the body parameter or the form fields",
            );
            None
        }
        (Some(b), true) => Some(bodies::body(cx, b, &consumes, &new_body)),
        (None, false) => Some(bodies::form(cx, &forms, &consumes, &new_body)),
        (None, true) => None,
    };
    let body_name = body
        .as_ref()
        .and_then(|b| b.value.get("name"))
        .and_then(Value::as_str);

    let mut out = Map::new();
    for (key, value) in obj {
        match key.as_str() {
            "parameters" => {
                if !own.params.is_empty() {
                    out.insert(key.clone(), Value::Array(own.params.clone()));
                }
                if let Some(rb) = request_body.take() {
                    out.insert("requestBody".to_owned(), rb);
                }
            }
            "consumes" | "produces" => {}
            "schemes" => {
                if let Some(s) =
                    servers::operation(cx, value, &join_key(at, key), &join_key(at, "servers"))
                {
                    out.insert("servers".to_owned(), s);
                }
            }
            "responses" => {
                if let Some(rb) = request_body.take() {
                    out.insert("requestBody".to_owned(), rb);
                }
                let path = join_key(at, key);
                out.insert(
                    key.clone(),
                    responses::convert(cx, value, &produces, &path, &path),
                );
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    if let Some(rb) = request_body.take() {
        out.insert("requestBody".to_owned(), rb);
    }
    if !out.contains_key("responses") {
        out.insert("responses".to_owned(), json!({}));
        cx.count("operations without `responses` -> `responses: {}`");
    }
    if let Some(name) = body_name
        && !out.contains_key("x-codegen-request-body-name")
    {
        out.insert(
            "x-codegen-request-body-name".to_owned(),
            Value::String(name.to_owned()),
        );
    }
    cx.operation = None;
    out.into()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::tests::{doc, fails, typed, up};

    #[test]
    fn operation_fields_are_kept() {
        let u = up(doc(json!({"/p": {
            "x-item": 1,
            "get": {
                "tags": ["a"], "summary": "s", "description": "d", "operationId": "getP", "deprecated": true,
                "security": [{"k": ["r"]}], "externalDocs": {"url": "https://d"}, "x-op": {"$ref": "#/definitions/X"},
                "produces": ["application/json"],
                "responses": {"200": {"description": "ok"}}
            },
            "delete": {}
        }, "x-paths": {"keep": true}})));
        assert_eq!(
            u.value["paths"]["/p"]["get"],
            json!({
                "tags": ["a"], "summary": "s", "description": "d", "operationId": "getP", "deprecated": true,
                "security": [{"k": ["r"]}], "externalDocs": {"url": "https://d"}, "x-op": {"$ref": "#/definitions/X"},
                "responses": {"200": {"description": "ok"}}
            })
        );
        assert_eq!(u.value["paths"]["/p"]["x-item"], 1);
        assert_eq!(u.value["paths"]["/p"]["delete"], json!({"responses": {}}));
        assert_eq!(u.value["paths"]["x-paths"], json!({"keep": true}));
        typed(&u);
    }

    #[test]
    fn parameter_refs_that_cannot_be_converted() {
        let e = fails(doc(json!({"/p": {"get": {
            "parameters": [{"$ref": "#/definitions/X"}, {"$ref": "other.yaml#/parameters/X"}, {"$ref": 1}],
            "responses": {}
        }}})));
        let paths: Vec<&str> = e.iter().filter_map(|d| d.path.as_deref()).collect();
        assert_eq!(
            paths,
            [
                "paths./p.get.parameters[0].$ref",
                "paths./p.get.parameters[1].$ref",
                "paths./p.get.parameters[2].$ref"
            ]
        );
        assert!(e[1].message.contains("another file"));
    }

    #[test]
    fn percent_encoded_parameter_refs() {
        let mut d = doc(
            json!({"/p": {"get": {"parameters": [{"$ref": "#/parameters/page%20size"}], "responses": {}}}}),
        );
        d["parameters"] = json!({"page size": {"name": "size", "in": "query", "type": "integer"}});
        let u = up(d);
        assert_eq!(
            u.value["paths"]["/p"]["get"]["parameters"][0]["$ref"],
            "#/components/parameters/page%20size"
        );
        assert_eq!(
            u.value["components"]["parameters"]["page size"]["schema"],
            json!({"type": "integer"})
        );
    }
}
