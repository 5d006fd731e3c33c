//! `ref-siblings`: in OpenAPI 3.1, what is written beside a `$ref` applies.
//!
//! **Rule (JSON Schema 2020-12 §8.2.3.1, which OpenAPI 3.1 schemas are):**
//! `$ref` is an applicator like any other, "applied alongside" the other
//! keywords of its schema; OpenAPI 3.0 and Swagger 2.0 ignore every
//! keyword beside a Reference Object. The generator reads schemas as 3.0
//! does, so in a 3.1 document the assertions beside a `$ref` (Lago's
//! `{$ref: AddOnBaseInput, required: [name, code]}`) were lost: the type
//! made the properties optional, and a request built with only what it
//! requires broke the spec. Each such schema becomes `allOf: [{$ref},
//! {the assertions}]`, which 3.0 reads the same way 3.1 read the original.
//!
//! What stays beside the `$ref`: annotations (`description`, `title`,
//! `default`, `example(s)`, `deprecated`, `readOnly`, `writeOnly`, `x-`
//! extensions), which assert nothing, and `type` and `nullable`, which the
//! `openapi-3.1` and `nullable-components` steps honour beside a `$ref`
//! already (`type: [object, "null"]` -> nullable); a `type` the target
//! does not have would make a schema no value meets, a defect of the spec.
//! 3.0 documents are left alone.

use serde_json::{Map, Value, json};

use super::Normalized;
use crate::walk;

/// Keywords that stay beside a `$ref`.
const STAY: [&str; 12] = [
    "$ref",
    "description",
    "title",
    "default",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "type",
    "nullable",
    "$comment",
];

/// Whether `root` is an OpenAPI 3.1 document.
fn is_31(root: &Value) -> bool {
    root.get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.1."))
}

/// `schema` as 3.1 reads it, in [`rewrite`]'s 3.0 form, when it is a
/// `$ref` with assertions beside it in the 3.1 document `root` (for what
/// reads the spec as vendored: the instance maker).
pub(crate) fn applied(root: &Value, schema: &Value) -> Option<Value> {
    if !is_31(root) {
        return None;
    }
    let mut wrapped = schema.clone();
    wrap(&mut wrapped).then_some(wrapped)
}

/// `ref-siblings` on a 3.1 document: reported once, with a count and the
/// first place.
pub(super) fn rewrite(n: &mut Normalized) {
    if !is_31(&n.value) {
        return;
    }
    let mut places: Vec<String> = Vec::new();
    walk::schemas_mut(&mut n.value, &mut |path, schema| {
        if wrap(schema) {
            places.push(path.to_owned());
        }
    });
    if let Some(first) = places.first() {
        n.change(
            "ref-siblings",
            format!(
                "{} schemas with assertions beside their `$ref` (first: {first}) -> `allOf: [$ref, assertions]`: OpenAPI 3.1 applies them",
                places.len()
            ),
        );
    }
}

/// Move the assertions beside `schema`'s `$ref` into an `allOf` with it.
fn wrap(schema: &mut Value) -> bool {
    let Value::Object(s) = schema else {
        return false;
    };
    if !s.get("$ref").is_some_and(Value::is_string) {
        return false;
    }
    let asserts = |k: &String| !STAY.contains(&k.as_str()) && !k.starts_with("x-");
    if !s.keys().any(asserts) {
        return false;
    }
    let taken = std::mem::take(s);
    let mut assertions = Map::new();
    let mut reference = Value::Null;
    for (key, value) in taken {
        if key == "$ref" {
            reference = json!({"$ref": value});
        } else if asserts(&key) {
            assertions.insert(key, value);
        } else {
            s.insert(key, value);
        }
    }
    s.insert(
        "allOf".to_owned(),
        Value::Array(vec![reference, Value::Object(assertions)]),
    );
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(version: &str) -> Value {
        json!({
            "openapi": version,
            "components": {"schemas": {
                "Base": {"type": "object", "properties": {"name": {"type": "string"}}},
                "Create": {"type": "object", "properties": {
                    "add_on": {"$ref": "#/components/schemas/Base", "required": ["name"], "description": "d", "x-a": 1},
                    "unit": {"$ref": "#/components/schemas/Base", "type": ["object", "null"], "description": "d"},
                    "plain": {"$ref": "#/components/schemas/Base"}
                }}
            }}
        })
    }

    #[test]
    fn assertions_beside_a_ref_apply_in_31_only() {
        let mut n = Normalized::of(doc("3.1.0"));
        rewrite(&mut n);
        let p = &n.value["components"]["schemas"]["Create"]["properties"];
        assert_eq!(
            p["add_on"],
            json!({"description": "d", "x-a": 1, "allOf": [
                {"$ref": "#/components/schemas/Base"}, {"required": ["name"]}
            ]})
        );
        // Annotations, `type` and plain references stay as written.
        assert_eq!(
            p["unit"],
            doc("3.1.0")["components"]["schemas"]["Create"]["properties"]["unit"]
        );
        assert_eq!(p["plain"], json!({"$ref": "#/components/schemas/Base"}));
        assert_eq!(n.changes.len(), 1);
        assert!(
            n.changes[0]
                .what
                .contains("components.schemas.Create.properties.add_on"),
            "{:?}",
            n.changes
        );
        // 3.0 ignores what is beside a `$ref`.
        let mut n = Normalized::of(doc("3.0.3"));
        rewrite(&mut n);
        assert_eq!(n.value, doc("3.0.3"));
        assert!(n.changes.is_empty());
    }
}
