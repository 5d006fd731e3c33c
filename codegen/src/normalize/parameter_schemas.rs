//! Parameters whose schema progenitor cannot take, two rules:
//!
//! **`parameter-content`**: a parameter described by `content` instead of
//! `schema`.
//!
//! OpenAPI 3.0 lets a parameter give its schema under `content`, a map of
//! exactly one media type (`content: {"*/*": {schema: {type: string}}}`,
//! `content: {application/json: {schema: {type: object}}}`); progenitor
//! reads only `schema` and refuses the operation. The value on the wire is
//! the value serialized in that media type, so:
//!
//! * when that serialization is the value's plain text (any media type but
//!   JSON; under JSON, a number, an integer or a boolean, whose JSON text
//!   is their text), the media type's `schema` becomes the parameter's;
//! * otherwise (JSON of a string, an object, an array, or of no type) the
//!   parameter takes a string: the caller passes the JSON text, as for a
//!   body of a media type the generator does not serialize. The description
//!   says so and names the schema.
//!
//! **`path-text`**: a path parameter whose schema is not one scalar type:
//! an object (`{version}` typed as a `Version` struct), an array
//! (`{ids}`: `1,2,3`), a union (`{id_or_slug}`: `oneOf: [integer,
//! string]`). A path segment is text; progenitor formats it with
//! `Display`, which only scalars and string enums have (and asserts on a
//! struct). Its value is the segment's text (OpenAPI's `simple` style:
//! `1,2,3` for an array, `key,value,...` for an object): the parameter
//! takes a string, its description names the schema.
//!
//! **`path-required`**: a path parameter not marked `required: true`
//! (OpenAPI: it MUST be; progenitor asserts it) is made required: the path
//! cannot be formed without a value.
//!
//! **`parameter-not-null`** ([`not_null`], run after `nullable-components`):
//! no parameter's schema accepts null; a value on the wire is text.
//!
//! Every rewrite is reported; no parameter is dropped.

use serde_json::{Map, Value, json};

use super::Normalized;
use crate::load::{join_index, join_key};
use crate::walk;

/// Run the step on every parameter object: components, path items and
/// operations.
pub(super) fn rewrite(n: &mut Normalized) {
    let places = parameter_places(&n.value);
    let mut changes = Vec::new();
    for (at, tokens) in places {
        let Some(Value::Object(p)) = n.value.pointer_mut(&tokens) else {
            continue;
        };
        if let Some(change) = rewrite_one(p) {
            changes.push(("parameter-content", format!("{at}: {change}")));
        }
        if p.get("in").and_then(Value::as_str) == Some("path")
            && p.get("required") != Some(&json!(true))
        {
            p.insert("required".into(), json!(true));
            changes.push((
                "path-required",
                format!("{at}: a path parameter is required (OpenAPI: it MUST be)"),
            ));
        }
        let Some(p) = n.value.pointer(&tokens) else {
            continue;
        };
        let object = (p.get("in").and_then(Value::as_str) == Some("path"))
            .then(|| p.get("schema"))
            .flatten()
            .filter(|s| !is_scalar(walk::deref(&n.value, s)))
            .map(|s| match s.get("$ref").and_then(Value::as_str) {
                Some(r) => r.rsplit('/').next().unwrap_or(r).to_owned(),
                None => kind_of(walk::deref(&n.value, s)),
            });
        if let Some(described) = object
            && let Some(Value::Object(p)) = n.value.pointer_mut(&tokens)
        {
            let note =
                format!("The path segment's text: a {described} in OpenAPI's `simple` style.");
            let description = match p.get("description").and_then(Value::as_str) {
                Some(d) if !d.is_empty() => format!("{d}\n\n{note}"),
                _ => note,
            };
            p.insert("description".into(), json!(description));
            p.insert("schema".into(), json!({"type": "string"}));
            changes.push((
                "path-text",
                format!("{at}: the path parameter is a {described}; it takes the segment's text"),
            ));
        }
    }
    for (step, c) in changes {
        n.change(step, c);
    }
}

/// (path for messages, JSON pointer) of every parameter object:
/// components, path items and operations.
fn parameter_places(value: &Value) -> Vec<(String, String)> {
    let mut places: Vec<(String, String)> = Vec::new();
    let pointer = |tokens: &[&str]| -> String {
        tokens
            .iter()
            .map(|t| format!("/{}", walk::escape_token(t)))
            .collect()
    };
    if let Some(Value::Object(params)) = value.pointer("/components/parameters") {
        for name in params.keys() {
            places.push((
                join_key("components.parameters", name),
                pointer(&["components", "parameters", name]),
            ));
        }
    }
    if let Some(Value::Object(paths)) = value.get("paths") {
        for (path, item) in paths {
            let Value::Object(item) = item else { continue };
            for (key, holder) in item {
                let list = if key == "parameters" {
                    Some(holder)
                } else if walk::METHODS.contains(&key.as_str()) {
                    holder.get("parameters")
                } else {
                    None
                };
                for (i, _) in list
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .enumerate()
                {
                    let i_text = i.to_string();
                    let tokens = if key == "parameters" {
                        pointer(&["paths", path, key, &i_text])
                    } else {
                        pointer(&["paths", path, key, "parameters", &i_text])
                    };
                    let at = if key == "parameters" {
                        join_index(&join_key(&join_key("paths", path), "parameters"), i)
                    } else {
                        join_index(
                            &join_key(&join_key(&join_key("paths", path), key), "parameters"),
                            i,
                        )
                    };
                    places.push((at, tokens));
                }
            }
        }
    }
    places
}

/// **`parameter-not-null`**: a parameter's schema does not accept null.
///
/// A parameter's value on the wire is text (a path segment, a query
/// value, a header, a cookie), and null has no text: RFC 6570, whose
/// expansion OpenAPI's styles follow, treats an undefined value as absent.
/// What a `nullable` parameter schema can mean is that the parameter may
/// be absent, which `required: false` already says. progenitor typed such a
/// parameter `Option<Option<T>>` and formatted the inner `Option` into the
/// request (Box's `x-rep-hints` header: E0599, `Option<String>` is not
/// `Display`). So every parameter schema loses `nullable` (also the one
/// `nullable-components` puts beside a `$ref`, which is why this runs after
/// it) and a `null` among its `enum` values. Reported per parameter.
pub(super) fn not_null(n: &mut Normalized) {
    let mut changes = Vec::new();
    for (at, tokens) in parameter_places(&n.value) {
        let Some(Value::Object(schema)) = n
            .value
            .pointer_mut(&tokens)
            .and_then(|p| p.get_mut("schema"))
        else {
            continue;
        };
        let nullable = schema.shift_remove("nullable").is_some();
        let null_value = super::nullable_components::drop_listed_null(schema);
        if nullable || null_value {
            changes.push(format!(
                "{at}: a parameter's value is text and cannot be null; {} removed",
                match (nullable, null_value) {
                    (true, true) => "`nullable` and the `null` enum value",
                    (true, false) => "`nullable`",
                    _ => "the `null` enum value",
                }
            ));
        }
    }
    for what in changes {
        n.change("parameter-not-null", what);
    }
}

/// Whether a (dereferenced) schema is one scalar type, which the generated
/// code can format as a path segment: a string, integer, number or boolean
/// (an enum of them included), not a union, array or object. A schema
/// with no type and no structure takes any value: left as it is.
fn is_scalar(schema: &Value) -> bool {
    let union = ["oneOf", "anyOf", "allOf", "not"]
        .iter()
        .any(|k| schema.get(*k).is_some());
    match schema.get("type").and_then(Value::as_str) {
        Some("string" | "integer" | "number" | "boolean") => !union,
        Some(_) => false,
        None => {
            !union
                && schema.get("properties").is_none()
                && schema.get("additionalProperties").is_none()
                && schema.get("items").is_none()
        }
    }
}

/// What a schema that is not a scalar is, in a description.
fn kind_of(schema: &Value) -> String {
    if ["oneOf", "anyOf"].iter().any(|k| schema.get(*k).is_some()) {
        "union".to_owned()
    } else {
        schema
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("object")
            .to_owned()
    }
}

/// Rewrite one parameter object; what changed.
fn rewrite_one(p: &mut Map<String, Value>) -> Option<String> {
    if p.contains_key("schema") {
        return None;
    }
    let Some(Value::Object(content)) = p.get("content") else {
        return None;
    };
    let (media_type, media) = content.iter().next()?;
    let media_type = media_type.clone();
    let schema = media.get("schema").cloned().unwrap_or_else(|| json!({}));
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let is_json = essence == "application/json" || essence.ends_with("+json");
    let ty = schema.get("type").and_then(Value::as_str);
    let plain = !is_json || matches!(ty, Some("integer" | "number" | "boolean"));
    p.shift_remove("content");
    if plain {
        p.insert("schema".into(), schema);
        return Some(format!("the {media_type} schema is the parameter's"));
    }
    let described = match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => r.rsplit('/').next().unwrap_or(r).to_owned(),
        None => ty.unwrap_or("any value").to_owned(),
    };
    let note = format!("The value is the JSON text of a {described} ({media_type}).");
    let description = match p.get("description").and_then(Value::as_str) {
        Some(d) if !d.is_empty() => format!("{d}\n\n{note}"),
        _ => note,
    };
    p.insert("description".into(), json!(description));
    p.insert("schema".into(), json!({"type": "string"}));
    Some(format!(
        "the {media_type} value ({described}) is taken as its JSON text"
    ))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::config::Config;

    #[test]
    fn content_parameters_get_a_schema() {
        let doc = crate::load::load_bytes(
            br##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /r/{id}:
    parameters:
      - {name: id, in: path, required: true, content: {"*/*": {schema: {type: string, format: uuid}}}}
    get:
      operationId: get
      parameters:
        - {name: filter, in: query, content: {application/json: {schema: {type: object, properties: {a: {type: string}}}}}}
        - {name: n, in: query, content: {application/json: {schema: {type: integer}}}}
        - $ref: "#/components/parameters/P"
      responses:
        "204": {description: ok}
components:
  parameters:
    P: {name: p, in: header, content: {text/plain: {schema: {type: string}}}}
"##,
            "t.yaml",
        )
        .unwrap();
        let n = super::super::normalize(&doc, &Config::default());
        assert!(n.problems.is_empty(), "{:?}", n.problems);
        let v = &n.value;
        let item = &v["paths"]["/r/{id}"];
        assert_eq!(
            item["parameters"][0]["schema"],
            json!({"type": "string", "format": "uuid"})
        );
        assert!(item["parameters"][0].get("content").is_none());
        let params = &item["get"]["parameters"];
        assert_eq!(params[0]["schema"], json!({"type": "string"}));
        assert!(
            params[0]["description"]
                .as_str()
                .unwrap()
                .contains("JSON text of a object")
        );
        assert_eq!(params[1]["schema"], json!({"type": "integer"}));
        assert_eq!(
            v["components"]["parameters"]["P"]["schema"],
            json!({"type": "string"})
        );
        let count = n
            .changes
            .iter()
            .filter(|c| c.step == "parameter-content")
            .count();
        assert_eq!(count, 4, "{:?}", n.changes);
    }

    #[test]
    fn object_path_parameters_take_the_segment_text() {
        let doc = crate::load::load_bytes(
            br##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /plugins/{id}/{version}/{ids}/{slug}/{n}:
    delete:
      operationId: uninstall
      parameters:
        - {name: id, in: path, schema: {type: string, nullable: true}}
        - {name: version, in: path, required: true, schema: {$ref: "#/components/schemas/Version"}}
        - {name: ids, in: path, required: true, schema: {type: array, items: {type: integer}}}
        - {name: slug, in: path, required: true, schema: {oneOf: [{type: integer}, {type: string}]}}
        - {name: n, in: path, required: true, schema: {type: integer, enum: [1, 2]}}
      responses:
        "204": {description: ok}
components:
  schemas:
    Version: {type: object, properties: {Major: {type: integer}}}
"##,
            "t.yaml",
        )
        .unwrap();
        let n = super::super::normalize(&doc, &Config::default());
        let params =
            &n.value["paths"]["/plugins/{id}/{version}/{ids}/{slug}/{n}"]["delete"]["parameters"];
        assert_eq!(params[0]["schema"], json!({"type": "string"}));
        assert_eq!(params[0]["required"], json!(true));
        assert_eq!(params[1]["schema"], json!({"type": "string"}));
        assert!(
            params[1]["description"]
                .as_str()
                .unwrap()
                .contains("Version")
        );
        assert_eq!(
            n.changes.iter().filter(|c| c.step == "path-text").count(),
            3
        );
        for i in [2, 3] {
            assert_eq!(params[i]["schema"], json!({"type": "string"}), "{i}");
        }
        assert!(params[2]["description"].as_str().unwrap().contains("array"));
        assert!(params[3]["description"].as_str().unwrap().contains("union"));
        assert_eq!(
            params[4]["schema"],
            json!({"type": "integer", "enum": [1, 2]})
        );
    }
}
