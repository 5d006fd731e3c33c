//! Step `schemas`: `definitions` -> `components.schemas`, and the rules
//! every schema of the document goes through (`upgrade`), wherever it is
//! (definitions, body parameters, responses, and the schemas the other steps
//! build from parameters and headers):
//!
//! | Swagger 2.0 | OpenAPI 3.0 |
//! |---|---|
//! | `$ref: '#/definitions/X'` | `$ref: '#/components/schemas/X'` |
//! | `$ref: '#/parameters/X'` | `#/components/parameters/X`, or `#/components/requestBodies/X` for a body parameter (`.../schema` -> `.../content/<media type>/schema`) |
//! | `$ref: '#/responses/X'` | `#/components/responses/X` (`.../schema` -> `.../content/<media type>/schema`) |
//! | `x-nullable: true` | `nullable: true` (`x-nullable: false` dropped) |
//! | `type: file` | `type: string, format: binary` |
//! | `discriminator: prop` | `discriminator: {propertyName: prop}` |
//! | `x-discriminator-value: v` on a schema that extends (`allOf`) one with a discriminator | kept, and `v: '#/components/schemas/<it>'` added to the parent's `discriminator.mapping` |
//! | `items: [A]` / `items: [A, B]` / `items: []` (tuples, invalid in both) | `items: A` / `items: {anyOf: [A, B]}` / `items: {}` |
//! | `required: true` on a property (a common mistake) | the property's name added to the parent's `required` list |

use serde_json::{Map, Value, json};

use super::{Cx, decode_token, encode_token, parameters, rename_key, what};
use crate::load::{join_index, join_key};

/// `components.schemas`, when the document has `definitions`.
pub(crate) fn convert(cx: &mut Cx<'_>) -> Option<Map<String, Value>> {
    let definitions = cx.root.get("definitions")?;
    let Some(definitions) = definitions.as_object() else {
        cx.error(
            "definitions",
            format!("`definitions` is {}, not a mapping", what(definitions)),
            "make `definitions` a mapping from schema names to schemas",
        );
        return None;
    };
    cx.moved("components.schemas", "definitions");
    let mut schemas = Map::new();
    for (name, schema) in definitions {
        let mut schema = schema.clone();
        upgrade(cx, &mut schema, &join_key("definitions", name));
        schemas.insert(name.clone(), schema);
    }
    if !definitions.is_empty() {
        cx.changes
            .add("definitions -> components.schemas", definitions.len());
    }
    discriminator_mappings(cx, &mut schemas);
    Some(schemas)
}

/// Apply the schema rules to `schema` (a copy of the Swagger node at `old`)
/// and to every schema inside it.
pub(crate) fn upgrade(cx: &mut Cx<'_>, schema: &mut Value, old: &str) {
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    if let Some(Value::String(r)) = obj.get("$ref") {
        let r = r.clone();
        match rewrite_ref(cx, &r) {
            Ok(new) => {
                if new != r {
                    cx.count("$refs -> #/components");
                    obj.insert("$ref".to_owned(), Value::String(new));
                }
            }
            Err(message) => cx.error(
                &join_key(old, "$ref"),
                message,
                "point at a schema: the parameter's `schema` (`#/parameters/<name>/schema`) or a definition",
            ),
        }
    }
    if let Some(nullable) = obj.get("x-nullable") {
        match nullable {
            Value::Bool(true) => {
                rename_key(obj, "x-nullable", "nullable", Value::Bool(true));
                cx.count("x-nullable -> nullable");
                // 3.0 ignores what stands beside a `$ref`: wrap it
                if let Some(r) = obj.get("$ref").cloned() {
                    rename_key(obj, "$ref", "allOf", json!([{"$ref": r}]));
                    cx.count("x-nullable beside $ref -> allOf: [$ref], nullable: true");
                }
            }
            Value::Bool(false) => {
                obj.shift_remove("x-nullable");
            }
            _ => {}
        }
    }
    if obj.get("type").and_then(Value::as_str) == Some("file") {
        // `insert` on a key present keeps its place
        obj.insert("type".to_owned(), Value::String("string".to_owned()));
        let binary = Value::String("binary".to_owned());
        if obj.contains_key("format") {
            obj.insert("format".to_owned(), binary);
        } else {
            let at = obj
                .keys()
                .position(|k| k == "type")
                .map_or(obj.len(), |i| i + 1);
            obj.shift_insert(at, "format".to_owned(), binary);
        }
        cx.count("`type: file` -> `type: string, format: binary`");
    }
    if let Some(Value::String(prop)) = obj.get("discriminator") {
        let d = json!({"propertyName": prop});
        obj.insert("discriminator".to_owned(), d);
        cx.count("discriminator names -> discriminator objects");
    }
    if let Some(Value::Array(items)) = obj.get("items") {
        let one = match items.len() {
            0 => json!({}),
            1 => items[0].clone(),
            _ => json!({"anyOf": items}),
        };
        obj.insert("items".to_owned(), one);
        cx.count("`items` lists -> one `items` schema");
    }
    // `required: true` inside a property: into this schema's `required` list
    let mut newly_required = Vec::new();
    if let Some(Value::Object(props)) = obj.get_mut("properties") {
        for (name, prop) in props.iter_mut() {
            if let Some(p) = prop.as_object_mut()
                && let Some(Value::Bool(required)) = p.get("required")
            {
                if *required {
                    newly_required.push(name.clone());
                }
                p.shift_remove("required");
                cx.count("`required: true/false` on properties -> the parent's `required` list");
            }
        }
    }
    if obj.get("required").is_some_and(Value::is_boolean) {
        obj.shift_remove("required");
        cx.count("`required: true/false` on properties -> the parent's `required` list");
    }
    if !newly_required.is_empty() {
        let list = obj
            .entry("required")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = list {
            for name in newly_required {
                if !list.iter().any(|v| v.as_str() == Some(name.as_str())) {
                    list.push(Value::String(name));
                }
            }
        }
    }

    // what is inside
    if let Some(Value::Object(props)) = obj.get_mut("properties") {
        let at = join_key(old, "properties");
        for (name, prop) in props.iter_mut() {
            upgrade(cx, prop, &join_key(&at, name));
        }
    }
    for key in ["additionalProperties", "items", "not"] {
        if let Some(sub) = obj.get_mut(key) {
            upgrade(cx, sub, &join_key(old, key));
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(list)) = obj.get_mut(key) {
            let at = join_key(old, key);
            for (i, sub) in list.iter_mut().enumerate() {
                upgrade(cx, sub, &join_index(&at, i));
            }
        }
    }
}

/// A local `$ref` as it reads in the 3.0 document; others unchanged.
/// `Err` when it points at a body or formData parameter itself, which is no
/// longer a parameter in 3.0 (callers that take those handle them first).
pub(crate) fn rewrite_ref(cx: &Cx<'_>, r: &str) -> Result<String, String> {
    if let Some(rest) = r.strip_prefix("#/definitions/") {
        return Ok(format!("#/components/schemas/{rest}"));
    }
    if let Some(rest) = r.strip_prefix("#/securityDefinitions/") {
        return Ok(format!("#/components/securitySchemes/{rest}"));
    }
    if let Some(rest) = r.strip_prefix("#/responses/") {
        let (name, tail) = split_token(rest);
        let tail = schema_tail(tail).map_or_else(
            || tail.to_owned(),
            |t| format!("/content/{}/schema{t}", encode_token(&cx.produces[0])),
        );
        return Ok(format!("#/components/responses/{name}{tail}"));
    }
    if let Some(rest) = r.strip_prefix("#/parameters/") {
        let (name, tail) = split_token(rest);
        let found = cx.top_parameter(&decode_token(name));
        let place = found
            .as_ref()
            .and_then(|(p, _)| p.get("in"))
            .and_then(Value::as_str)
            .map(parameters::Place::of);
        return match place {
            Some(parameters::Place::Body) => {
                if tail.is_empty() {
                    return Err(format!(
                        "`$ref: {r}` points at a body parameter, which OpenAPI 3.0 makes a request body: it cannot be used here"
                    ));
                }
                let tail = schema_tail(tail).map_or_else(
                    || tail.to_owned(),
                    |t| format!("/content/{}/schema{t}", encode_token(&cx.consumes[0])),
                );
                Ok(format!("#/components/requestBodies/{name}{tail}"))
            }
            Some(parameters::Place::Form) => Err(format!(
                "`$ref: {r}` points at a formData parameter, which OpenAPI 3.0 makes a request body property: it can only be used in `parameters`"
            )),
            _ => {
                let first = tail
                    .trim_start_matches('/')
                    .split('/')
                    .next()
                    .unwrap_or_default();
                let tail = if parameters::SCHEMA_KEYS.contains(&first) {
                    format!("/schema{tail}")
                } else {
                    tail.to_owned()
                };
                Ok(format!("#/components/parameters/{name}{tail}"))
            }
        };
    }
    Ok(r.to_owned())
}

/// `Name/rest` -> (`Name`, `/rest`).
fn split_token(rest: &str) -> (&str, &str) {
    match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    }
}

/// What follows `/schema` when `tail` is `/schema` or `/schema/...`.
fn schema_tail(tail: &str) -> Option<&str> {
    let t = tail.strip_prefix("/schema")?;
    (t.is_empty() || t.starts_with('/')).then_some(t)
}

/// Swagger names the schema a discriminator value stands for with
/// `x-discriminator-value` on the subtype; 3.0 lists them in the parent's
/// `discriminator.mapping`.
fn discriminator_mappings(cx: &mut Cx<'_>, schemas: &mut Map<String, Value>) {
    let mut found: Vec<(String, String, String)> = Vec::new();
    for (name, schema) in schemas.iter() {
        let Some(value) = schema.get("x-discriminator-value") else {
            continue;
        };
        let value = value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_owned);
        for part in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(parent) = part
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            {
                found.push((decode_token(parent), value.clone(), name.clone()));
            }
        }
    }
    for (parent, value, child) in found {
        let Some(Value::Object(d)) = schemas
            .get_mut(&parent)
            .and_then(|p| p.get_mut("discriminator"))
        else {
            continue;
        };
        let mapping = d
            .entry("mapping")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(mapping) = mapping
            && !mapping.contains_key(&value)
        {
            let target = format!("#/components/schemas/{}", encode_token(&child));
            mapping.insert(value, Value::String(target));
            cx.count("x-discriminator-value -> discriminator.mapping entries");
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::super::tests::{doc, fails, typed, up};

    fn schemas(defs: Value) -> super::super::Upgraded {
        let mut d = doc(json!({}));
        d["definitions"] = defs;
        up(d)
    }

    #[test]
    fn definitions_and_refs() {
        let u = schemas(json!({
            "Pet": {"type": "object", "properties": {
                "owner": {"$ref": "#/definitions/Person"},
                "tags": {"type": "array", "items": {"$ref": "#/definitions/Tag"}},
                "meta": {"additionalProperties": {"$ref": "#/definitions/Tag/properties/name"}},
                "any": {"allOf": [{"$ref": "#/definitions/Person"}], "x-ext": {"$ref": "#/definitions/Keep"}}
            }},
            "Person": {"type": "object"},
            "Tag": {"type": "object", "properties": {"name": {"type": "string"}}}
        }));
        let s = &u.value["components"]["schemas"];
        assert_eq!(
            s["Pet"]["properties"]["owner"]["$ref"],
            "#/components/schemas/Person"
        );
        assert_eq!(
            s["Pet"]["properties"]["tags"]["items"]["$ref"],
            "#/components/schemas/Tag"
        );
        assert_eq!(
            s["Pet"]["properties"]["meta"]["additionalProperties"]["$ref"],
            "#/components/schemas/Tag/properties/name"
        );
        assert_eq!(
            s["Pet"]["properties"]["any"]["allOf"][0]["$ref"],
            "#/components/schemas/Person"
        );
        // extensions are not schemas
        assert_eq!(
            s["Pet"]["properties"]["any"]["x-ext"]["$ref"],
            "#/definitions/Keep"
        );
        assert!(u.value.get("definitions").is_none());
        assert_eq!(
            u.old_path("components.schemas.Pet.properties.owner"),
            "definitions.Pet.properties.owner"
        );
        assert!(
            u.changes
                .contains(&"3 definitions -> components.schemas".to_owned()),
            "{:?}",
            u.changes
        );
        typed(&u);
    }

    #[test]
    fn swagger_only_schema_keywords() {
        let u = schemas(json!({
            "A": {"type": "object", "x-nullable": true, "discriminator": "kind", "required": ["kind"], "properties": {
                "kind": {"type": "string"},
                "file": {"type": "file", "format": "x", "description": "d"},
                "n": {"type": "string", "x-nullable": false},
                "r": {"$ref": "#/definitions/A", "x-nullable": true, "description": "d"},
                "must": {"type": "string", "required": true},
                "may": {"type": "string", "required": false},
                "tuple": {"type": "array", "items": [{"type": "string"}, {"type": "integer"}]},
                "single": {"type": "array", "items": [{"type": "string"}]}
            }}
        }));
        let a = &u.value["components"]["schemas"]["A"];
        assert_eq!(a["nullable"], true);
        assert!(a.get("x-nullable").is_none());
        // key order kept: nullable where x-nullable was
        let keys: Vec<&String> = a.as_object().map_or(Vec::new(), |m| m.keys().collect());
        assert_eq!(
            keys,
            [
                "type",
                "nullable",
                "discriminator",
                "required",
                "properties"
            ]
        );
        assert_eq!(a["discriminator"], json!({"propertyName": "kind"}));
        assert_eq!(
            a["properties"]["file"],
            json!({"type": "string", "format": "binary", "description": "d"})
        );
        let keys: Vec<&String> = a["properties"]["file"]
            .as_object()
            .map_or(Vec::new(), |m| m.keys().collect());
        assert_eq!(keys, ["type", "format", "description"]);
        assert_eq!(a["properties"]["n"], json!({"type": "string"}));
        assert_eq!(
            a["properties"]["r"],
            json!({"allOf": [{"$ref": "#/components/schemas/A"}], "nullable": true, "description": "d"})
        );
        assert_eq!(a["required"], json!(["kind", "must"]));
        assert_eq!(a["properties"]["must"], json!({"type": "string"}));
        assert_eq!(a["properties"]["may"], json!({"type": "string"}));
        assert_eq!(
            a["properties"]["tuple"]["items"],
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}]})
        );
        assert_eq!(
            a["properties"]["single"]["items"],
            json!({"type": "string"})
        );
        assert!(
            u.changes.contains(&"2 x-nullable -> nullable".to_owned()),
            "{:?}",
            u.changes
        );
        typed(&u);
    }

    #[test]
    fn discriminator_values_become_a_mapping() {
        let u = schemas(json!({
            "Pet": {"type": "object", "discriminator": "petType", "properties": {"petType": {"type": "string"}}},
            "Cat": {"allOf": [{"$ref": "#/definitions/Pet"}, {"type": "object"}], "x-discriminator-value": "cat"},
            "Dog": {"allOf": [{"$ref": "#/definitions/Pet"}]}
        }));
        let pet = &u.value["components"]["schemas"]["Pet"];
        assert_eq!(
            pet["discriminator"],
            json!({"propertyName": "petType", "mapping": {"cat": "#/components/schemas/Cat"}})
        );
        typed(&u);
    }

    #[test]
    fn refs_to_parameters_and_responses_in_schemas() {
        let mut d = doc(json!({}));
        d["parameters"] = json!({
            "Body": {"in": "body", "name": "b", "schema": {"type": "object"}},
            "Q": {"in": "query", "name": "q", "type": "string", "enum": ["a"]}
        });
        d["responses"] = json!({"R": {"description": "r", "schema": {"type": "integer"}}});
        d["consumes"] = json!(["application/vnd.x+json"]);
        d["definitions"] = json!({"S": {"properties": {
            "b": {"$ref": "#/parameters/Body/schema"},
            "q": {"$ref": "#/parameters/Q/enum"},
            "r": {"$ref": "#/responses/R/schema"}
        }}});
        let u = up(d);
        let p = &u.value["components"]["schemas"]["S"]["properties"];
        assert_eq!(
            p["b"]["$ref"],
            "#/components/requestBodies/Body/content/application~1vnd.x+json/schema"
        );
        assert_eq!(p["q"]["$ref"], "#/components/parameters/Q/schema/enum");
        assert_eq!(
            p["r"]["$ref"],
            "#/components/responses/R/content/application~1json/schema"
        );
        for (name, pointer) in [("b", "b"), ("q", "q"), ("r", "r")] {
            let r = p[name]["$ref"]
                .as_str()
                .unwrap_or_default()
                .trim_start_matches('#');
            assert!(
                u.value.pointer(r).is_some(),
                "{pointer}: {r} does not resolve"
            );
        }
    }

    #[test]
    fn a_body_parameter_is_not_a_schema() {
        let mut d = doc(json!({}));
        d["parameters"] =
            json!({"Body": {"in": "body", "name": "b", "schema": {"type": "object"}}});
        d["definitions"] = json!({"S": {"properties": {"b": {"$ref": "#/parameters/Body"}}}});
        let e = fails(d);
        assert_eq!(e.len(), 1);
        assert_eq!(
            e[0].path.as_deref(),
            Some("definitions.S.properties.b.$ref")
        );
        assert!(e[0].message.contains("body parameter"), "{}", e[0].message);
        assert!(e[0].hint.as_deref().is_some_and(|h| h.contains("/schema")));
    }

    #[test]
    fn definitions_must_be_a_mapping() {
        let mut d = doc(json!({}));
        d["definitions"] = json!(["A"]);
        let e = fails(d);
        assert_eq!(e[0].path.as_deref(), Some("definitions"));
    }
}
