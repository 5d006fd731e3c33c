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

/// Follow a local reference (`#/components/schemas/A`).
pub fn resolve<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    root.pointer(pointer)
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
