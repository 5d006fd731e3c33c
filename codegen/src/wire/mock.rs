//! Step `mock`: the spec Prism mocks, as the generated client reads it.
//!
//! **Rule: an integer format's range is a bound.** The OpenAPI Format
//! Registry gives `int8`, `int16`, `int32`, `uint8`, `uint16`, `uint32`
//! and `uint64` their ranges (`uint16`: 0 to 65535), and the generated
//! types hold them (`u16`); Prism's validator and faker know only `int32`
//! and `int64`, so its random responses carry values the format excludes
//! (Docker's `format: uint64` sizes came back negative). The mock spec
//! states each range as `minimum`/`maximum` beside its format, tightening
//! bounds the schema already has, never widening them: Prism then makes
//! and accepts only what the format allows.
//!
//! **Rule: a Swagger 2.0 body's media type is the one the conversion
//! chose.** Swagger 2.0 gives `consumes`/`produces` no default; the
//! `swagger2` stage sends and reads a body of an operation that names none
//! as `application/json`, and Prism, given no media type, refuses every
//! body ("No supported content types"). The mock spec states that choice
//! as the top-level `consumes`/`produces` when the document has none.
//!
//! **Rule: beside a `$ref`, OpenAPI 3.0 and Swagger 2.0 ignore every
//! keyword.** A Reference Object "cannot be extended with additional
//! properties and any properties added SHALL be ignored" (3.0; JSON
//! Reference in 2.0), and the generated types follow the reference; Prism
//! merges the siblings in (britbox's `{$ref: ItvChangeEmailRequest, type:
//! string}` made it ask for a string body). The mock spec of such a
//! document keeps, beside a `$ref`, only what the generated types read
//! there too: `nullable` (`nullable-components` honours it, as most tools
//! do) and annotations (3.1 documents, where JSON Schema 2020-12 applies
//! the siblings, are left as they are).
//!
//! The spec the crate is generated from, and its tests, are unchanged.

use serde_json::{Value, json};

/// `(format, minimum, maximum)` of the registry's bounded integer formats
/// (`int64`'s range is every integer Prism reads).
const RANGES: [(&str, i128, i128); 7] = [
    ("int8", i8::MIN as i128, i8::MAX as i128),
    ("int16", i16::MIN as i128, i16::MAX as i128),
    ("int32", i32::MIN as i128, i32::MAX as i128),
    ("uint8", 0, u8::MAX as i128),
    ("uint16", 0, u16::MAX as i128),
    ("uint32", 0, u32::MAX as i128),
    ("uint64", 0, u64::MAX as i128),
];

/// A Swagger 2.0 `doc` without a top-level `consumes` (`produces`) gets
/// `[application/json]`, the conversion's choice; returns whether it did.
pub fn swagger_default_media(doc: &mut Value) -> bool {
    if doc.get("swagger").and_then(Value::as_str) != Some("2.0") {
        return false;
    }
    let Some(map) = doc.as_object_mut() else {
        return false;
    };
    let mut added = false;
    for key in ["consumes", "produces"] {
        if !map.contains_key(key) {
            map.insert(key.to_owned(), json!(["application/json"]));
            added = true;
        }
    }
    added
}

/// Every integer schema of `doc` with a bounded format gets the format's
/// range as bounds; returns how many schemas it bounded.
pub fn bound_integer_formats(doc: &mut Value) -> usize {
    let mut count = 0;
    visit(doc, &mut count);
    count
}

fn visit(v: &mut Value, count: &mut usize) {
    match v {
        Value::Object(map) => {
            let format = map.get("format").and_then(Value::as_str);
            let integer = match map.get("type") {
                Some(Value::String(t)) => t == "integer",
                Some(Value::Array(ts)) => ts.iter().any(|t| t == "integer"),
                _ => false,
            };
            if integer
                && let Some(&(_, min, max)) = RANGES.iter().find(|(f, _, _)| Some(*f) == format)
            {
                let mut bounded = false;
                // 3.0's boolean `exclusiveMinimum` makes `minimum` exclusive:
                // a bound beside it is left as the spec says.
                if map.get("exclusiveMinimum").is_none()
                    && map
                        .get("minimum")
                        .and_then(Value::as_f64)
                        .is_none_or(|m| m < min as f64)
                {
                    map.insert("minimum".into(), number(min));
                    bounded = true;
                }
                if map.get("exclusiveMaximum").is_none()
                    && map
                        .get("maximum")
                        .and_then(Value::as_f64)
                        .is_none_or(|m| m > max as f64)
                {
                    map.insert("maximum".into(), number(max));
                    bounded = true;
                }
                *count += usize::from(bounded);
            }
            for child in map.values_mut() {
                visit(child, count);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|c| visit(c, count)),
        _ => {}
    }
}

/// What stays beside a `$ref` in the mock spec: what the client reads
/// there, and what asserts nothing.
const KEPT_BESIDE_REF: [&str; 6] = [
    "$ref",
    "nullable",
    "description",
    "summary",
    "title",
    "deprecated",
];

/// In an OpenAPI 3.0 or Swagger 2.0 `doc`, every object with a `$ref`
/// (but a path item, whose `$ref` may stand beside its operations) keeps
/// only the `$ref` and [`KEPT_BESIDE_REF`]; returns how many lost
/// keywords.
pub fn ignore_ref_siblings(doc: &mut Value) -> usize {
    let version = doc
        .get("openapi")
        .or_else(|| doc.get("swagger"))
        .and_then(Value::as_str)
        .unwrap_or("");
    if !(version.starts_with("3.0") || version.starts_with("2.")) {
        return 0;
    }
    fn go(v: &mut Value, path_item: bool, count: &mut usize) {
        match v {
            Value::Object(map) => {
                if !path_item && map.get("$ref").is_some_and(Value::is_string) {
                    let before = map.len();
                    map.retain(|k, _| KEPT_BESIDE_REF.contains(&k.as_str()) || k.starts_with("x-"));
                    if map.len() < before {
                        *count += 1;
                    }
                    return;
                }
                map.values_mut().for_each(|c| go(c, false, count));
            }
            Value::Array(items) => items.iter_mut().for_each(|c| go(c, false, count)),
            _ => {}
        }
    }
    let mut count = 0;
    let Some(top) = doc.as_object_mut() else {
        return 0;
    };
    for (key, v) in top.iter_mut() {
        match v {
            // The document's `paths` holds path items.
            Value::Object(items) if key == "paths" => {
                items
                    .values_mut()
                    .for_each(|item| go(item, true, &mut count));
            }
            v => go(v, false, &mut count),
        }
    }
    count
}

fn number(n: i128) -> Value {
    match (i64::try_from(n), u64::try_from(n)) {
        (Ok(i), _) => json!(i),
        (_, Ok(u)) => json!(u),
        _ => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_swagger_document_without_media_types_gets_the_conversions() {
        let mut doc = json!({"swagger": "2.0", "produces": ["text/plain"]});
        assert!(swagger_default_media(&mut doc));
        assert_eq!(doc["consumes"], json!(["application/json"]));
        assert_eq!(doc["produces"], json!(["text/plain"]));
        let mut openapi = json!({"openapi": "3.0.3"});
        assert!(!swagger_default_media(&mut openapi));
        assert!(openapi.get("consumes").is_none());
    }

    #[test]
    fn keywords_beside_a_ref_are_dropped_where_the_spec_ignores_them() {
        let body = json!({"$ref": "#/components/schemas/Req", "type": "string", "nullable": true});
        let item = json!({"$ref": "#/components/pathItems/P", "get": {"responses": {}}});
        let mut doc = json!({"openapi": "3.0.0",
            "paths": {"/p": item.clone(), "/q": {"post": {"requestBody": {"content": {
                "application/json": {"schema": body.clone()}}}}}}});
        assert_eq!(ignore_ref_siblings(&mut doc), 1);
        assert_eq!(
            doc["paths"]["/q"]["post"]["requestBody"]["content"]["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/Req", "nullable": true})
        );
        // A path item keeps what stands beside its `$ref`.
        assert_eq!(doc["paths"]["/p"], item);
        // 3.1 applies the siblings: left as written.
        let mut v31 = json!({"openapi": "3.1.0", "components": {"schemas": {"A": body.clone()}}});
        assert_eq!(ignore_ref_siblings(&mut v31), 0);
        assert_eq!(v31["components"]["schemas"]["A"], body);
    }

    #[test]
    fn integer_formats_bound_the_mock_and_tighten_only() {
        let mut doc = json!({"components": {"schemas": {
            "Size": {"type": "integer", "format": "uint64"},
            "Port": {"type": "integer", "format": "uint16", "minimum": 1, "maximum": 99999},
            "Count": {"type": "integer", "format": "int64"},
            "Text": {"type": "string", "format": "uint8"},
            "Open": {"type": "integer", "format": "uint8", "exclusiveMinimum": true, "minimum": 0}
        }}});
        assert_eq!(bound_integer_formats(&mut doc), 3);
        let s = &doc["components"]["schemas"];
        assert_eq!(s["Size"]["minimum"], 0);
        assert_eq!(s["Size"]["maximum"], u64::MAX);
        // A tighter bound of the spec's stays; a wider one is tightened.
        assert_eq!(s["Port"]["minimum"], 1);
        assert_eq!(s["Port"]["maximum"], 65535);
        assert!(s["Count"].get("minimum").is_none());
        assert!(s["Text"].get("minimum").is_none());
        assert_eq!(s["Open"]["minimum"], 0);
        assert_eq!(s["Open"]["maximum"], 255);
    }
}
