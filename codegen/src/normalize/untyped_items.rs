//! `untyped-items`: a schema with `items` but no `type` is not an array
//! schema.
//!
//! JSON Schema applies `items` (and `minItems`, `maxItems`, `uniqueItems`)
//! to arrays only; a value of any other type is valid against such a schema.
//! typify reads the keyword as `type: array` and makes a `Vec`, which
//! rejects the objects an API sends: Slack's `objs_conversation` is
//! `{items: {anyOf: [..]}}`, and every `conversations.*` response carries
//! one as an object. The schema is rewritten to what it says,
//!
//! ```yaml
//! oneOf:
//!   - {type: array, items: .., minItems: ..}   # variant `Array(Vec<T>)`
//!   - {title: Other}                           # variant `Other(serde_json::Value)`
//! ```
//!
//! keeping its other keywords (description, `nullable`, ...) on the outer
//! schema. Each rewrite is reported with what to write in the spec instead:
//! `type: array` when only arrays are meant.
//!
//! Beside a `oneOf`/`anyOf` whose members all say their `type` (Slack's
//! `fields: {items: {type: object}, oneOf: [{type: object}, {type:
//! array}]}`, which typify made a `Vec` that rejects the object), the array
//! keywords move into the members that are arrays (an `items` they already
//! have is combined with `allOf`), where they constrain what they did.
//!
//! A schema that also has object keywords (`properties`, ...), a `$ref`, an
//! `enum` or another combinator is left as it is: its type is then not the
//! `items` keyword's alone. So is the schema of a parameter or a header:
//! the caller writes that value, and the `parameters` step has already
//! read it as the array it is meant to be.

use serde_json::{Map, Value, json};

use super::Normalized;
use crate::load::{join_index, join_key};
use crate::walk;

/// The keywords that only constrain arrays.
const ARRAY_KEYWORDS: [&str; 6] = [
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "additionalItems",
    "contains",
];

/// Keywords that say (or constrain) the type some other way.
const OTHER_TYPE_KEYWORDS: [&str; 12] = [
    "type",
    "$ref",
    "enum",
    "properties",
    "additionalProperties",
    "patternProperties",
    "required",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "discriminator",
];

/// Rewrite every schema whose only type keyword is `items`.
pub(super) fn rewrite(n: &mut Normalized) {
    let skipped = parameters_and_headers(&n.value);
    let (mut rewritten, mut moved) = (Vec::new(), Vec::new());
    walk::schemas_mut(&mut n.value, &mut |path, schema| {
        let Value::Object(s) = schema else { return };
        if !s.contains_key("items")
            || skipped.iter().any(|at| {
                path.strip_prefix(at.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
            })
        {
            return;
        }
        if into_typed_members(s) {
            moved.push(path.to_owned());
            return;
        }
        if OTHER_TYPE_KEYWORDS.iter().any(|k| s.contains_key(*k)) {
            return;
        }
        let mut array = Map::new();
        array.insert("type".into(), json!("array"));
        for key in ARRAY_KEYWORDS {
            if let Some(v) = s.shift_remove(key) {
                array.insert(key.into(), v);
            }
        }
        s.insert(
            "oneOf".into(),
            json!([Value::Object(array), {"title": "Other"}]),
        );
        rewritten.push(path.to_owned());
    });
    for path in moved {
        n.change(
            "untyped-items",
            format!(
                "{path}: `items` beside a union constrains its array members only; \
                 moved into them (write it there in the spec)"
            ),
        );
    }
    for path in rewritten {
        n.change(
            "untyped-items",
            format!(
                "{path}: `items` without `type: array` takes any value that is not an array too; \
                 generated as `Array(Vec<..>)` or `Other(serde_json::Value)` \
                 (write `type: array` in the spec if only arrays are meant)"
            ),
        );
    }
}

/// Move the array keywords of `s` into the members of its one `oneOf` or
/// `anyOf` that are arrays, when every member says its `type` and nothing
/// else beside the union says a type. Whether they moved.
fn into_typed_members(s: &mut Map<String, Value>) -> bool {
    let unions: Vec<&str> = ["oneOf", "anyOf"]
        .into_iter()
        .filter(|k| s.contains_key(*k))
        .collect();
    let [union] = unions.as_slice() else {
        return false;
    };
    let others = OTHER_TYPE_KEYWORDS
        .iter()
        .filter(|k| **k != *union)
        .any(|k| s.contains_key(*k));
    let Some(Value::Array(members)) = s.get(*union) else {
        return false;
    };
    let is_array = |m: &Value| match m.get("type") {
        Some(Value::String(t)) => Some(t == "array"),
        Some(Value::Array(ts)) => Some(ts.iter().any(|t| t == "array")),
        _ => None,
    };
    if others || members.is_empty() || members.iter().any(|m| is_array(m).is_none()) {
        return false;
    }
    let keywords: Vec<(String, Value)> = ARRAY_KEYWORDS
        .iter()
        .filter_map(|k| s.shift_remove(*k).map(|v| ((*k).to_owned(), v)))
        .collect();
    let Some(Value::Array(members)) = s.get_mut(*union) else {
        return false;
    };
    for member in members.iter_mut().filter(|m| is_array(m) == Some(true)) {
        let Value::Object(m) = member else { continue };
        for (key, value) in &keywords {
            match m.get(key) {
                None => {
                    m.insert(key.clone(), value.clone());
                }
                Some(Value::Object(own)) if key == "items" && own.is_empty() => {
                    m.insert(key.clone(), value.clone());
                }
                Some(own) if key == "items" && own != value => {
                    let both = json!({ "allOf": [own.clone(), value.clone()] });
                    m.insert(key.clone(), both);
                }
                Some(_) => {}
            }
        }
    }
    true
}

/// Where parameters and headers are defined (in the walk's path form):
/// `paths.<p>[.<method>].parameters[i]`, `..responses.<s>.headers.<h>`,
/// `components.parameters.<n>`, `components.headers.<n>`,
/// `components.responses.<r>.headers.<h>`.
fn parameters_and_headers(root: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let entries = |v: Option<&Value>| {
        v.and_then(Value::as_object)
            .into_iter()
            .flat_map(|m| m.keys().cloned())
            .collect::<Vec<_>>()
    };
    let headers_of = |responses: Option<&Value>, at: &str, out: &mut Vec<String>| {
        for status in entries(responses) {
            let headers = responses
                .and_then(|r| r.get(&status))
                .and_then(|r| r.get("headers"));
            let at = join_key(&join_key(at, &status), "headers");
            out.extend(entries(headers).iter().map(|h| join_key(&at, h)));
        }
    };
    let parameters_of = |holder: &Value, at: &str, out: &mut Vec<String>| {
        let count = holder
            .get("parameters")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        out.extend((0..count).map(|i| join_index(&join_key(at, "parameters"), i)));
    };
    if let Some(paths) = root.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let at = join_key("paths", path);
            parameters_of(item, &at, &mut out);
            for method in walk::METHODS {
                if let Some(op) = item.get(method) {
                    let at = join_key(&at, method);
                    parameters_of(op, &at, &mut out);
                    headers_of(op.get("responses"), &join_key(&at, "responses"), &mut out);
                }
            }
        }
    }
    let components = root.get("components");
    for kind in ["parameters", "headers"] {
        let at = join_key("components", kind);
        out.extend(
            entries(components.and_then(|c| c.get(kind)))
                .iter()
                .map(|name| join_key(&at, name)),
        );
    }
    headers_of(
        components.and_then(|c| c.get("responses")),
        "components.responses",
        &mut out,
    );
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::Normalized;

    fn run(value: serde_json::Value) -> Normalized {
        let mut n = Normalized {
            value,
            changes: Vec::new(),
            left_out: Vec::new(),
            problems: Vec::new(),
        };
        super::rewrite(&mut n);
        n
    }

    #[test]
    fn items_without_type_become_array_or_any_value() {
        let n = run(json!({
            "openapi": "3.0.3",
            "paths": {"/a": {
                "parameters": [{"name": "p", "in": "query", "schema": {"items": {"type": "string"}}}],
                "get": {
                    "parameters": [{"name": "q", "in": "query", "schema": {"items": {"type": "string"}}}],
                    "responses": {"200": {"description": "d", "headers": {"X-Q": {"schema": {"items": {"type": "string"}}}}}}
                }
            }},
            "components": {"schemas": {
                "Conversation": {
                    "description": "d",
                    "nullable": true,
                    "minItems": 1,
                    "items": {"items": {"type": "string"}}
                },
                "Typed": {"type": "array", "items": {"type": "string"}},
                "Object": {"properties": {"a": {"type": "string"}}, "items": {"type": "string"}}
            },
            "parameters": {"Ids": {"name": "ids", "in": "query", "schema": {"items": {"type": "string"}}}},
            "responses": {"Listed": {"description": "d", "headers": {"X-Ids": {"schema": {"items": {"type": "string"}}}}}}
            }
        }));
        let schemas = &n.value["components"]["schemas"];
        // The inner `items`-only schema is rewritten too (children first).
        assert_eq!(
            schemas["Conversation"],
            json!({
                "description": "d",
                "nullable": true,
                "oneOf": [
                    {"type": "array", "minItems": 1, "items": {"oneOf": [
                        {"type": "array", "items": {"type": "string"}},
                        {"title": "Other"}
                    ]}},
                    {"title": "Other"}
                ]
            })
        );
        assert_eq!(
            schemas["Typed"],
            json!({"type": "array", "items": {"type": "string"}}),
            "a typed array is left alone"
        );
        assert!(
            schemas["Object"].get("items").is_some() && schemas["Object"].get("oneOf").is_none(),
            "object keywords beside `items`: left alone"
        );
        let untouched = json!({"items": {"type": "string"}});
        assert_eq!(n.value["paths"]["/a"]["parameters"][0]["schema"], untouched);
        assert_eq!(
            n.value["paths"]["/a"]["get"]["parameters"][0]["schema"],
            untouched
        );
        assert_eq!(
            n.value["paths"]["/a"]["get"]["responses"]["200"]["headers"]["X-Q"]["schema"],
            untouched
        );
        assert_eq!(
            n.value["components"]["parameters"]["Ids"]["schema"],
            untouched
        );
        assert_eq!(
            n.value["components"]["responses"]["Listed"]["headers"]["X-Ids"]["schema"], untouched,
            "parameters and headers are the caller's arrays: left alone"
        );
        assert_eq!(n.changes.len(), 2, "{:?}", n.changes);
        assert!(
            n.changes
                .iter()
                .all(|c| c.step == "untyped-items" && c.what.contains("type: array")),
            "{:?}",
            n.changes
        );
        assert!(
            n.changes[1]
                .what
                .starts_with("components.schemas.Conversation:"),
            "{:?}",
            n.changes
        );
    }

    #[test]
    fn items_beside_a_union_of_typed_members_move_into_its_arrays() {
        let n = run(json!({
            "openapi": "3.0.3",
            "paths": {},
            "components": {"schemas": {
                "Fields": {
                    "nullable": true,
                    "items": {"type": "object"},
                    "oneOf": [{"type": "object"}, {"type": "array", "items": {}}]
                },
                "Untyped": {"items": {"type": "object"}, "oneOf": [{"type": "object"}, {"items": {}}]}
            }}
        }));
        let schemas = &n.value["components"]["schemas"];
        assert_eq!(
            schemas["Fields"],
            json!({"nullable": true, "oneOf": [{"type": "object"}, {"type": "array", "items": {"type": "object"}}]})
        );
        assert!(
            schemas["Untyped"].get("items").is_some(),
            "a member without a type: left alone"
        );
        assert!(
            n.changes
                .iter()
                .any(|c| c.what.starts_with("components.schemas.Fields:")),
            "{:?}",
            n.changes
        );
    }
}
