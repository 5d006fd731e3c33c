//! `enum-types`: enum values that their own schema rejects.
//!
//! An `enum` value must also validate against the rest of its schema (JSON
//! Schema applies every keyword): `type: string, enum: [1, 2]` admits no
//! instance at all, and typify refuses the whole spec on it ("unexpected
//! value type", "value does not conform to the given schema"). Real specs
//! write such enums often: YAML reads `enum: [True, False]` as booleans,
//! `enum: [1, 2]` as numbers, while `type` says string; a list of names
//! under `type: integer`; item values on the array itself.
//!
//! The schema's `type` is the stronger statement (it is what every value of
//! the field is), so each value is brought to it:
//!
//! | value | schema | becomes |
//! |---|---|---|
//! | a number or boolean | `string` | its JSON text (`1` -> `"1"`, `true` -> `"true"`) |
//! | a string of an integer or number | `integer`, `number` | that number (`"1"` -> `1`) |
//! | `"true"` / `"false"` | `boolean` | `true` / `false` |
//! | `null` | not `nullable` | the schema becomes `nullable` (the enum lists it) |
//! | anything else (`"created"` under `integer`, scalars under `array`, an object or array that its schema's `properties`/`items` reject, a string outside `minLength`/`maxLength`, a number outside `minimum`/`maximum`) | | removed |
//!
//! An enum left with no value is removed: the schema takes every value of
//! its type. Every change is reported with the place and the fix to make
//! in the spec (or in an overlay).

use serde_json::{Number, Value, json};

use super::Normalized;
use crate::load::join_key;
use crate::walk;

/// What happens to one enum value.
enum Fate {
    Keep,
    Become(Value),
    Remove,
}

/// Run the step.
pub(super) fn rewrite(n: &mut Normalized) {
    let mut changes = Vec::new();
    walk::schemas_mut(&mut n.value, &mut |path, schema| {
        let Some(Value::Array(values)) = schema.get("enum") else {
            return;
        };
        let ty = schema
            .get("type")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let nullable = schema.get("nullable") == Some(&json!(true));
        let mut kept = Vec::with_capacity(values.len());
        let mut make_nullable = false;
        let mut notes = Vec::new();
        for value in values {
            if value.is_null() {
                if !nullable {
                    make_nullable = true;
                    notes.push("null listed: made nullable".to_owned());
                }
                kept.push(Value::Null);
                continue;
            }
            match fate(schema, ty.as_deref(), value) {
                Fate::Keep => kept.push(value.clone()),
                Fate::Become(v) => {
                    notes.push(format!("{value} -> {v}"));
                    kept.push(v);
                }
                Fate::Remove => notes.push(format!("{value} removed")),
            }
        }
        if notes.is_empty() {
            return;
        }
        let at = join_key(path, "enum");
        let ty_name = ty.as_deref().unwrap_or("any");
        if kept.iter().all(Value::is_null) && kept.len() < values.len() {
            // Nothing of the type is listed: the schema takes any value of it.
            schema.as_object_mut().map(|s| s.shift_remove("enum"));
            changes.push(format!(
                "{at}: no value is a {ty_name}, enum removed ({}); fix: list values of type {ty_name}, or change the type",
                notes.join(", ")
            ));
            return;
        }
        kept.dedup();
        schema["enum"] = Value::Array(kept);
        if make_nullable {
            schema["nullable"] = json!(true);
        }
        changes.push(format!(
            "{at}: values that are not a {ty_name} ({}); fix: write them as {ty_name}s",
            notes.join(", ")
        ));
    });
    for c in changes {
        n.change("enum-types", c);
    }
}

/// What becomes of `value` in an enum of `schema` of type `ty`.
fn fate(schema: &Value, ty: Option<&str>, value: &Value) -> Fate {
    let converted = match (ty, value) {
        (None, _) => return Fate::Keep,
        (Some("string"), Value::String(_))
        | (Some("boolean"), Value::Bool(_))
        | (Some("object"), Value::Object(_))
        | (Some("array"), Value::Array(_)) => None,
        (Some("number"), Value::Number(_)) => None,
        (Some("integer"), Value::Number(x)) if x.is_i64() || x.is_u64() => None,
        (Some("integer"), Value::Number(x)) => match x.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(json!(f as i64)),
            _ => return Fate::Remove,
        },
        (Some("string"), Value::Number(_) | Value::Bool(_)) => Some(json!(value.to_string())),
        (Some("integer"), Value::String(s)) => match s.trim().parse::<i64>() {
            Ok(i) => Some(json!(i)),
            Err(_) => return Fate::Remove,
        },
        (Some("number"), Value::String(s)) => {
            match s.trim().parse::<f64>().ok().and_then(Number::from_f64) {
                Some(x) => Some(Value::Number(x)),
                None => return Fate::Remove,
            }
        }
        (Some("boolean"), Value::String(s)) => match s.as_str() {
            "true" => Some(json!(true)),
            "false" => Some(json!(false)),
            _ => return Fate::Remove,
        },
        // An unknown `type` is `validate`'s to report.
        (Some(t), _)
            if !matches!(
                t,
                "string" | "integer" | "number" | "boolean" | "object" | "array"
            ) =>
        {
            return Fate::Keep;
        }
        _ => return Fate::Remove,
    };
    let v = converted.as_ref().unwrap_or(value);
    if !within_bounds(schema, v) || !structure_fits(schema, v) {
        return Fate::Remove;
    }
    match converted {
        Some(c) => Fate::Become(c),
        None => Fate::Keep,
    }
}

/// Whether an object or array value validates against the rest of its
/// schema (`properties`, `additionalProperties`, `items`, ...): typify
/// writes such a value as a literal of the generated type, and one that
/// does not fit it is code that does not compile. Judged by the
/// `jsonschema` crate, the schema without `enum` and without OpenAPI's own
/// keywords; a schema with a `$ref` inside is not judged here (its target
/// is elsewhere) and keeps its values.
fn structure_fits(schema: &Value, v: &Value) -> bool {
    if !(v.is_object() || v.is_array()) {
        return true;
    }
    let text = schema.to_string();
    if text.contains("\"$ref\"") {
        return true;
    }
    let mut rest = schema.clone();
    if let Some(map) = rest.as_object_mut() {
        for key in [
            "enum",
            "nullable",
            "discriminator",
            "xml",
            "example",
            "readOnly",
            "writeOnly",
        ] {
            map.shift_remove(key);
        }
    }
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .build(&rest)
        .map_or(true, |validator| validator.is_valid(v))
}

/// Whether `v` keeps the schema's length and range bounds.
fn within_bounds(schema: &Value, v: &Value) -> bool {
    let bound = |k: &str| schema.get(k).and_then(Value::as_f64);
    match v {
        Value::String(s) => {
            let len = s.chars().count() as f64;
            bound("minLength").is_none_or(|m| len >= m)
                && bound("maxLength").is_none_or(|m| len <= m)
        }
        Value::Number(x) => {
            let Some(x) = x.as_f64() else { return true };
            let exclusive = |k: &str| schema.get(k) == Some(&json!(true));
            bound("minimum").is_none_or(|m| {
                if exclusive("exclusiveMinimum") {
                    x > m
                } else {
                    x >= m
                }
            }) && bound("maximum").is_none_or(|m| {
                if exclusive("exclusiveMaximum") {
                    x < m
                } else {
                    x <= m
                }
            })
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::config::Config;

    fn schema(yaml_schema: &str) -> (serde_json::Value, Vec<String>) {
        // A property, not a component: `nullable-components` moves a
        // component's nullability to its uses.
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    S: {{type: object, properties: {{p: {yaml_schema}}}}}\n"
        );
        let doc = crate::load::load_bytes(spec.as_bytes(), "t.yaml").unwrap();
        let n = super::super::normalize(&doc, &Config::default());
        let changes = n
            .changes
            .iter()
            .filter(|c| c.step == "enum-types")
            .map(|c| c.what.clone())
            .collect();
        (
            n.value["components"]["schemas"]["S"]["properties"]["p"].clone(),
            changes,
        )
    }

    #[test]
    fn values_are_brought_to_their_type() {
        // YAML 1.2 reads True/False as booleans.
        let (s, changes) =
            schema("{type: object, additionalProperties: {type: string}, enum: [{a: x}, {b: 3}]}");
        assert_eq!(s["enum"], json!([{"a": "x"}]), "{changes:?}");
        let (s, changes) = schema("{type: string, enum: [True, False, 1, 2.5, ok]}");
        assert_eq!(s["enum"], json!(["true", "false", "1", "2.5", "ok"]));
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert!(
            changes[0].contains("components.schemas.S.properties.p.enum"),
            "{changes:?}"
        );
        let (s, _) = schema("{type: integer, enum: ['1', 2, '3']}");
        assert_eq!(s["enum"], json!([1, 2, 3]));
        let (s, _) = schema("{type: number, enum: ['1.5', 2]}");
        assert_eq!(s["enum"], json!([1.5, 2]));
        let (s, _) = schema("{type: boolean, enum: ['true']}");
        assert_eq!(s["enum"], json!([true]));
    }

    #[test]
    fn values_that_cannot_be_of_the_type_are_removed() {
        let (s, changes) = schema("{type: integer, enum: [created, comment]}");
        assert!(s.get("enum").is_none(), "{s}");
        assert!(changes[0].contains("enum removed"), "{changes:?}");
        let (s, _) = schema("{type: array, items: {type: string}, enum: [a, b]}");
        assert!(s.get("enum").is_none(), "{s}");
        let (s, _) = schema("{type: string, maxLength: 2, enum: [ab, abc]}");
        assert_eq!(s["enum"], json!(["ab"]));
        let (s, _) = schema("{type: integer, minimum: 1, enum: [0, 1, 2]}");
        assert_eq!(s["enum"], json!([1, 2]));
    }

    #[test]
    fn listed_null_makes_the_schema_nullable_and_fitting_enums_stay() {
        let (s, _) = schema("{type: string, enum: [a, null]}");
        assert_eq!(s["nullable"], json!(true));
        assert_eq!(s["enum"], json!(["a", null]));
        let (s, changes) = schema("{type: string, enum: [a, b]}");
        assert_eq!(s["enum"], json!(["a", "b"]));
        assert!(changes.is_empty());
        let (s, changes) = schema("{enum: [a, 1, true]}");
        assert_eq!(s["enum"], json!(["a", 1, true]));
        assert!(changes.is_empty());
    }
}
