//! Helpers over the JSON form of an OpenAPI document, shared by validation
//! and normalization: operations, local references, and schema positions.

use serde_json::Value;

use crate::load::join_key;

/// The HTTP methods a path item may hold.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Where an operation sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpAt {
    /// The path template (key under `paths`).
    pub path: String,
    /// The lower-case method.
    pub method: String,
    /// `paths.<path>.<method>`.
    pub at: String,
    /// Its operationId, if any.
    pub id: Option<String>,
}

/// Every operation, in document order.
pub fn operations(root: &Value) -> Vec<OpAt> {
    let mut out = Vec::new();
    let Some(paths) = root.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for method in METHODS {
            if let Some(op) = item.get(method) {
                out.push(OpAt {
                    path: path.clone(),
                    method: method.to_owned(),
                    at: join_key(&join_key("paths", path), method),
                    id: op
                        .get("operationId")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                });
            }
        }
    }
    out
}

/// The operation object at `op`.
pub fn operation<'a>(root: &'a Value, op: &OpAt) -> Option<&'a Value> {
    root.get("paths")?.get(&op.path)?.get(&op.method)
}

/// The operation object at `op`, mutably.
pub fn operation_mut<'a>(root: &'a mut Value, op: &OpAt) -> Option<&'a mut Value> {
    root.get_mut("paths")?
        .get_mut(&op.path)?
        .get_mut(&op.method)
}

/// Every response of every operation, as written (a `$ref` not followed):
/// `(operation, status, response)`.
pub fn responses(root: &Value) -> Vec<(OpAt, &String, &Value)> {
    let mut out = Vec::new();
    for op in operations(root) {
        let Some(Value::Object(responses)) = operation(root, &op).and_then(|o| o.get("responses"))
        else {
            continue;
        };
        for (status, response) in responses {
            out.push((op.clone(), status, response));
        }
    }
    out
}

/// Follow a local reference (`#/components/schemas/A`). A `$ref` is a URI
/// whose fragment is a JSON pointer: the fragment is percent-decoded
/// (`%7B` -> `{`), then its tokens are unescaped by RFC 6901 (`~1` -> `/`,
/// `~0` -> `~`).
pub fn resolve<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    root.pointer(&reference_pointer(reference)?)
}

/// The JSON pointer a local reference names (`#/components/schemas/A%20B`
/// -> `/components/schemas/A B`); `None` for a reference to another document.
pub fn reference_pointer(reference: &str) -> Option<std::borrow::Cow<'_, str>> {
    let pointer = reference.strip_prefix('#')?;
    if pointer.contains('%') {
        return percent_encoding::percent_decode_str(pointer)
            .decode_utf8()
            .ok();
    }
    Some(std::borrow::Cow::Borrowed(pointer))
}

/// `reference` with its fragment percent-decoded (the form progenitor,
/// which matches component names as written, understands).
pub fn decoded_reference(reference: &str) -> Option<String> {
    if !reference.starts_with('#') || !reference.contains('%') {
        return None;
    }
    percent_encoding::percent_decode_str(reference)
        .decode_utf8()
        .ok()
        .map(|d| d.into_owned())
}

/// Where a walk for references is: the `examples` map of a media type or
/// parameter holds Example objects, whose `value` is data.
#[derive(Clone, Copy, PartialEq, Eq)]
enum At {
    Anywhere,
    ExamplesMap,
    Example,
}

/// Whether the value under `key` is data, where a `$ref` is just a
/// property: examples, defaults, enum values, constants and extensions.
fn is_data(key: &str, value: &Value, at: At) -> bool {
    key.starts_with("x-")
        || matches!(key, "example" | "default" | "enum" | "const")
        || (key == "examples" && value.is_array())
        || (at == At::Example && key == "value")
}

/// Where the child under `key` is.
fn child_at(key: &str, at: At) -> At {
    match at {
        At::ExamplesMap => At::Example,
        _ if key == "examples" => At::ExamplesMap,
        _ => At::Anywhere,
    }
}

/// Every `$ref` where OpenAPI allows one (not inside data: see
/// [`is_data`]), with the path of the object holding it.
pub fn references(root: &Value) -> Vec<(String, String)> {
    fn walk(v: &Value, path: &mut String, at: At, out: &mut Vec<(String, String)>) {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    out.push((path.clone(), r.clone()));
                }
                for (k, child) in map {
                    if !is_data(k, child, at) {
                        let len = push_key(path, k);
                        walk(child, path, child_at(k, at), out);
                        path.truncate(len);
                    }
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    let len = push_index(path, i);
                    walk(child, path, At::Anywhere, out);
                    path.truncate(len);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(root, &mut String::new(), At::Anywhere, &mut out);
    out
}

/// Calls `f` on every `$ref` string where OpenAPI allows one.
pub fn references_mut(root: &mut Value, f: &mut dyn FnMut(&mut String)) {
    fn walk(v: &mut Value, at: At, f: &mut dyn FnMut(&mut String)) {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get_mut("$ref") {
                    f(r);
                }
                for (k, child) in map.iter_mut() {
                    if !is_data(k, child, at) {
                        walk(child, child_at(k, at), f);
                    }
                }
            }
            Value::Array(items) => {
                for child in items {
                    walk(child, At::Anywhere, f);
                }
            }
            _ => {}
        }
    }
    walk(root, At::Anywhere, f);
}

/// Follow `$ref`s (at most 32) to the object they end at.
pub fn deref<'a>(root: &'a Value, mut v: &'a Value) -> &'a Value {
    for _ in 0..32 {
        match v
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| resolve(root, r))
        {
            Some(next) => v = next,
            None => break,
        }
    }
    v
}

/// A Parameter Object's schema: its `schema`, else the `schema` of its one
/// `content` entry (OpenAPI 3: a parameter has exactly one of the two).
pub fn parameter_schema(p: &Value) -> Option<&Value> {
    p.get("schema").or_else(|| {
        p.get("content")?
            .as_object()?
            .values()
            .next()?
            .get("schema")
    })
}

/// Calls `f(path, value)` for every node, parents before children.
pub fn visit<'a>(v: &'a Value, path: &str, f: &mut dyn FnMut(&str, &'a Value)) {
    fn go<'a>(v: &'a Value, path: &mut String, f: &mut dyn FnMut(&str, &'a Value)) {
        f(path, v);
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    let len = push_key(path, k);
                    go(child, path, f);
                    path.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    let len = push_index(path, i);
                    go(child, path, f);
                    path.truncate(len);
                }
            }
            _ => {}
        }
    }
    go(v, &mut path.to_owned(), f);
}

/// What the value under a key holds, for the schema walkers.
enum Holds {
    /// Not schemas, and nothing that holds any (data, or other keywords).
    Nothing,
    /// Outside schemas: may hold schemas further down.
    Outside,
    /// A schema.
    Schema,
    /// A map of schemas (`properties`, `components.schemas`).
    SchemaMap,
    /// A list of schemas (`allOf`, `anyOf`, `oneOf`, `prefixItems`, `items`).
    SchemaList,
}

/// What `key` holds outside schemas (`parent`: the path of its object).
fn outside_holds(parent: &str, key: &str) -> Holds {
    match key {
        "example" | "examples" => Holds::Nothing,
        "schema" => Holds::Schema,
        "schemas" if parent == "components" => Holds::SchemaMap,
        _ => Holds::Outside,
    }
}

/// What `key` (holding `value`) holds inside a schema.
fn inside_holds(key: &str, value: &Value) -> Holds {
    match key {
        "items" | "not" | "additionalProperties" if value.is_object() => Holds::Schema,
        "properties" | "patternProperties" => Holds::SchemaMap,
        "allOf" | "anyOf" | "oneOf" | "prefixItems" | "items" => Holds::SchemaList,
        _ => Holds::Nothing,
    }
}

/// A dotted path (`paths./x.get.parameters[0]`) kept in one buffer as a
/// walk goes down: a segment is pushed before a child and cut after it, so
/// no node costs an allocation. `push_*` return the length to cut back to.
fn push_key(path: &mut String, key: &str) -> usize {
    let len = path.len();
    if len > 0 {
        path.push('.');
    }
    path.push_str(key);
    len
}

/// A name as a JSON pointer token (RFC 6901): `~` -> `~0`, `/` -> `~1`.
pub fn escape_token(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// A JSON pointer token as the name it stands for (RFC 6901): `~1` -> `/`,
/// then `~0` -> `~`.
pub fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

fn push_index(path: &mut String, index: usize) -> usize {
    use std::fmt::Write as _;
    let len = path.len();
    let _ = write!(path, "[{index}]");
    len
}

/// Calls `f(path, schema)` for every schema object in the document,
/// children before parents (so a parent sees its rewritten children).
/// Schemas are: `components.schemas.*`, every `schema` outside schemas, and,
/// inside a schema, `items`, `not`, `additionalProperties`, `properties.*`,
/// `patternProperties.*`, `allOf/anyOf/oneOf/prefixItems[*]`. Examples are
/// data and are not entered.
pub fn schemas_mut(root: &mut Value, f: &mut dyn FnMut(&str, &mut Value)) {
    type F<'f> = dyn FnMut(&str, &mut Value) + 'f;
    fn held(holds: Holds, v: &mut Value, path: &mut String, f: &mut F<'_>) {
        match (holds, v) {
            (Holds::Nothing, _) => {}
            (Holds::Outside, v) => outside(v, path, f),
            (Holds::Schema, v) => inside(v, path, f),
            (Holds::SchemaMap, Value::Object(map)) => {
                for (name, s) in map.iter_mut() {
                    let len = push_key(path, name);
                    inside(s, path, f);
                    path.truncate(len);
                }
            }
            (Holds::SchemaList, Value::Array(items)) => {
                for (i, s) in items.iter_mut().enumerate() {
                    let len = push_index(path, i);
                    inside(s, path, f);
                    path.truncate(len);
                }
            }
            _ => {}
        }
    }
    fn outside(v: &mut Value, path: &mut String, f: &mut F<'_>) {
        if let Value::Object(map) = v {
            for (k, child) in map.iter_mut() {
                let holds = outside_holds(path, k);
                let len = push_key(path, k);
                held(holds, child, path, f);
                path.truncate(len);
            }
        } else if let Value::Array(items) = v {
            for (i, child) in items.iter_mut().enumerate() {
                let len = push_index(path, i);
                outside(child, path, f);
                path.truncate(len);
            }
        }
    }
    fn inside(v: &mut Value, path: &mut String, f: &mut F<'_>) {
        if let Value::Object(map) = v {
            for (k, child) in map.iter_mut() {
                let holds = inside_holds(k, child);
                let len = push_key(path, k);
                held(holds, child, path, f);
                path.truncate(len);
            }
        }
        f(path, v);
    }
    outside(root, &mut String::new(), f);
}

/// [`schemas_mut`] without changing anything: the same schemas, in the same
/// order. A step that must read the whole document while it decides (to
/// follow a `$ref`) plans its rewrites here, then makes them with
/// `schemas_mut`, rather than copying the document to read from.
pub fn schemas<'a>(root: &'a Value, f: &mut dyn FnMut(&str, &'a Value)) {
    type F<'a, 'f> = dyn FnMut(&str, &'a Value) + 'f;
    fn held<'a>(holds: Holds, v: &'a Value, path: &mut String, f: &mut F<'a, '_>) {
        match (holds, v) {
            (Holds::Nothing, _) => {}
            (Holds::Outside, v) => outside(v, path, f),
            (Holds::Schema, v) => inside(v, path, f),
            (Holds::SchemaMap, Value::Object(map)) => {
                for (name, s) in map {
                    let len = push_key(path, name);
                    inside(s, path, f);
                    path.truncate(len);
                }
            }
            (Holds::SchemaList, Value::Array(items)) => {
                for (i, s) in items.iter().enumerate() {
                    let len = push_index(path, i);
                    inside(s, path, f);
                    path.truncate(len);
                }
            }
            _ => {}
        }
    }
    fn outside<'a>(v: &'a Value, path: &mut String, f: &mut F<'a, '_>) {
        if let Value::Object(map) = v {
            for (k, child) in map {
                let holds = outside_holds(path, k);
                let len = push_key(path, k);
                held(holds, child, path, f);
                path.truncate(len);
            }
        } else if let Value::Array(items) = v {
            for (i, child) in items.iter().enumerate() {
                let len = push_index(path, i);
                outside(child, path, f);
                path.truncate(len);
            }
        }
    }
    fn inside<'a>(v: &'a Value, path: &mut String, f: &mut F<'a, '_>) {
        if let Value::Object(map) = v {
            for (k, child) in map {
                let holds = inside_holds(k, child);
                let len = push_key(path, k);
                held(holds, child, path, f);
                path.truncate(len);
            }
        }
        f(path, v);
    }
    outside(root, &mut String::new(), f);
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_parameters_schema_is_its_own_or_its_contents() {
        let own = serde_json::json!({"schema": {"type": "integer"}});
        assert_eq!(super::parameter_schema(&own), Some(&own["schema"]));
        let content = serde_json::json!({"content": {"*/*": {"schema": {"format": "uuid"}}}});
        assert_eq!(
            super::parameter_schema(&content),
            Some(&content["content"]["*/*"]["schema"])
        );
        assert_eq!(super::parameter_schema(&serde_json::json!({})), None);
    }

    use super::*;
    use serde_json::json;

    #[test]
    fn references_are_uri_fragments_and_data_holds_none() {
        let doc = json!({
            "paths": {"/users/{id}": {"get": {"responses": {"200": {
                "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/A%20B"},
                    "example": {"$ref": "not a reference"},
                    "examples": {"one": {"$ref": "#/components/examples/One"},
                                 "two": {"value": {"$ref": "data"}}}
                }}
            }}}}},
            "components": {
                "schemas": {"A B": {"type": "object", "default": {"$ref": "data"},
                                    "x-links": {"$ref": "data"}, "enum": [{"$ref": "data"}]}},
                "examples": {"One": {"value": 1}}
            }
        });
        let found: Vec<String> = references(&doc).into_iter().map(|(_, r)| r).collect();
        assert_eq!(
            found,
            ["#/components/schemas/A%20B", "#/components/examples/One"]
        );
        assert_eq!(
            resolve(&doc, "#/components/schemas/A%20B").unwrap()["type"],
            "object"
        );
        assert_eq!(
            resolve(&doc, "#/paths/~1users~1%7Bid%7D/get").map(|g| g.is_object()),
            Some(true)
        );
        assert_eq!(
            decoded_reference("#/components/schemas/A%20B").as_deref(),
            Some("#/components/schemas/A B")
        );
    }

    #[test]
    fn finds_schemas_children_first_and_skips_examples() {
        let mut doc = json!({
            "components": {"schemas": {"A": {"properties": {"b": {"type": "string"}}}}},
            "paths": {"/x": {"get": {"parameters": [{"schema": {"items": {"type": "integer"}}}],
                "responses": {"200": {"content": {"application/json": {"schema": {"type": "object"}, "example": {"schema": 1}}}}}}}}
        });
        let mut seen = Vec::new();
        schemas_mut(&mut doc, &mut |p, _| seen.push(p.to_owned()));
        let mut read = Vec::new();
        schemas(&doc, &mut |p, _| read.push(p.to_owned()));
        assert_eq!(read, seen, "the reading walk finds the same schemas");
        assert_eq!(
            seen,
            [
                "components.schemas.A.properties.b",
                "components.schemas.A",
                "paths./x.get.parameters[0].schema.items",
                "paths./x.get.parameters[0].schema",
                "paths./x.get.responses.200.content.application/json.schema",
            ]
        );
    }
}
