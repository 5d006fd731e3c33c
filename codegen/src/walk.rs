//! Helpers over the JSON form of an OpenAPI document, shared by validation
//! and normalization: operations, local references, and schema positions.

use serde_json::Value;

use crate::load::{join_index, join_key};

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

/// Follow a local reference (`#/components/schemas/A`). A `$ref` is a URI
/// whose fragment is a JSON pointer: the fragment is percent-decoded
/// (`%7B` -> `{`), then its tokens are unescaped by RFC 6901 (`~1` -> `/`,
/// `~0` -> `~`).
pub fn resolve<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    if pointer.contains('%') {
        let decoded = percent_encoding::percent_decode_str(pointer)
            .decode_utf8()
            .ok()?;
        return root.pointer(&decoded);
    }
    root.pointer(pointer)
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
    fn walk(v: &Value, path: &str, at: At, out: &mut Vec<(String, String)>) {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    out.push((path.to_owned(), r.clone()));
                }
                for (k, child) in map {
                    if !is_data(k, child, at) {
                        walk(child, &join_key(path, k), child_at(k, at), out);
                    }
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    walk(child, &join_index(path, i), At::Anywhere, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(root, "", At::Anywhere, &mut out);
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

/// Calls `f(path, value)` for every node, parents before children.
pub fn visit<'a>(v: &'a Value, path: &str, f: &mut dyn FnMut(&str, &'a Value)) {
    f(path, v);
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                visit(child, &join_key(path, k), f);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                visit(child, &join_index(path, i), f);
            }
        }
        _ => {}
    }
}

/// Calls `f(path, schema)` for every schema object in the document,
/// children before parents (so a parent sees its rewritten children).
/// Schemas are: `components.schemas.*`, every `schema` outside schemas, and,
/// inside a schema, `items`, `not`, `additionalProperties`, `properties.*`,
/// `patternProperties.*`, `allOf/anyOf/oneOf/prefixItems[*]`. Examples are
/// data and are not entered.
pub fn schemas_mut(root: &mut Value, f: &mut dyn FnMut(&str, &mut Value)) {
    fn outside(v: &mut Value, path: &str, f: &mut dyn FnMut(&str, &mut Value)) {
        if let Value::Object(map) = v {
            for (k, child) in map.iter_mut() {
                let p = join_key(path, k);
                match k.as_str() {
                    "example" | "examples" => {}
                    "schema" => inside(child, &p, f),
                    "schemas" if path == "components" => {
                        if let Value::Object(schemas) = child {
                            for (name, s) in schemas.iter_mut() {
                                inside(s, &join_key(&p, name), f);
                            }
                        }
                    }
                    _ => outside(child, &p, f),
                }
            }
        } else if let Value::Array(items) = v {
            for (i, child) in items.iter_mut().enumerate() {
                outside(child, &join_index(path, i), f);
            }
        }
    }
    fn inside(v: &mut Value, path: &str, f: &mut dyn FnMut(&str, &mut Value)) {
        if let Value::Object(map) = v {
            for (k, child) in map.iter_mut() {
                let p = join_key(path, k);
                match k.as_str() {
                    "items" | "not" | "additionalProperties" if child.is_object() => {
                        inside(child, &p, f)
                    }
                    "properties" | "patternProperties" => {
                        if let Value::Object(props) = child {
                            for (name, s) in props.iter_mut() {
                                inside(s, &join_key(&p, name), f);
                            }
                        }
                    }
                    "allOf" | "anyOf" | "oneOf" | "prefixItems" | "items" => {
                        if let Value::Array(items) = child {
                            for (i, s) in items.iter_mut().enumerate() {
                                inside(s, &join_index(&p, i), f);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        f(path, v);
    }
    outside(root, "", f);
}

#[cfg(test)]
mod tests {
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
