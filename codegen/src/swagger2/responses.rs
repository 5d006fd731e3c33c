//! Step `responses`: responses and their headers.
//!
//! | Swagger 2.0 | OpenAPI 3.0 |
//! |---|---|
//! | `schema` | `content.<media type>.schema`, one entry per media type of the operation's `produces` (else the top-level `produces`, else `application/json`) |
//! | no `schema` | no `content` (unless `examples` give some) |
//! | `examples: {<media type>: value}` | `content.<media type>.example` (an entry is added for a media type `produces` does not list) |
//! | `headers.<name>: {type, format, items, ...}` | `headers.<name>: {description, schema: {...}}` (a `collectionFormat` other than `csv` has no equivalent: reported) |
//! | no `description` | `description: ""` (3.0 requires one) |
//! | `$ref: '#/responses/X'` | `$ref: '#/components/responses/X'`, or, from an operation whose `produces` is not the top-level one, `X` inlined with the operation's media types (when it has a body) |
//!
//! Top-level `responses` become `components.responses`, with the top-level
//! `produces`.

use serde_json::{Map, Value};

use super::{Cx, parameters, schemas, what};
use crate::load::join_key;

/// `components.responses`, when the document has top-level `responses`.
pub(crate) fn components(cx: &mut Cx<'_>) -> Option<Map<String, Value>> {
    let responses = cx.root.get("responses")?;
    let Some(map) = responses.as_object() else {
        cx.error(
            "responses",
            format!(
                "the top-level `responses` is {}, not a mapping",
                what(responses)
            ),
            "make it a mapping from names to responses",
        );
        return None;
    };
    cx.moved("components.responses", "responses");
    let produces = cx.produces.clone();
    let mut out = Map::new();
    for (name, response) in map {
        let old = join_key("responses", name);
        let new = join_key("components.responses", name);
        if let Some(r) = one(cx, response, &produces, &old, &new) {
            out.insert(name.clone(), r);
        }
    }
    Some(out)
}

/// An operation's `responses` (the node at `old`), for these media types.
pub(crate) fn convert(
    cx: &mut Cx<'_>,
    responses: &Value,
    produces: &[String],
    old: &str,
    new: &str,
) -> Value {
    let Some(map) = responses.as_object() else {
        cx.error(
            old,
            format!("`responses` is {}, not a mapping", what(responses)),
            "map status codes to responses, e.g. `200: {description: OK}`",
        );
        return Value::Object(Map::new());
    };
    let mut out = Map::new();
    for (code, response) in map {
        if code.starts_with("x-") {
            out.insert(code.clone(), response.clone());
            continue;
        }
        if let Some(r) = one(
            cx,
            response,
            produces,
            &join_key(old, code),
            &join_key(new, code),
        ) {
            out.insert(code.clone(), r);
        }
    }
    Value::Object(out)
}

/// One response or response `$ref`.
fn one(
    cx: &mut Cx<'_>,
    response: &Value,
    produces: &[String],
    old: &str,
    new: &str,
) -> Option<Value> {
    let Some(obj) = response.as_object() else {
        cx.error(
            old,
            format!("the response is {}, not a mapping", what(response)),
            "write a response with at least a `description`",
        );
        return None;
    };
    if let Some(r) = obj.get("$ref") {
        let Some(r) = r.as_str() else {
            cx.error(
                &join_key(old, "$ref"),
                "`$ref` is not a string",
                "write `$ref: '#/responses/<name>'`",
            );
            return None;
        };
        if r.starts_with("#/") && !r.starts_with("#/responses/") {
            cx.error(
                &join_key(old, "$ref"),
                format!("`$ref: {r}` does not point at a response"),
                "point at a top-level response (`#/responses/<name>`), or write the response with its `schema`",
            );
            return None;
        }
        // Rule: a shared response's body takes the media types of the
        // operation that uses it. Swagger 2.0's `produces` of an operation
        // "overrides the produces definition at the Swagger Object", and a
        // top-level response only gives the schema; converted once with
        // the top-level `produces`, it would be read (and asked for) under
        // media types the operation never produces (gitea's `text/plain`
        // diffs came out as `application/json`). An operation whose
        // `produces` differs gets the response inlined with its own.
        if produces != cx.produces.as_slice()
            && let Some(name) = r.strip_prefix("#/responses/")
            && let Some((target, at)) = cx.top("responses", &super::decode_token(name))
            && (target.contains_key("schema") || target.contains_key("examples"))
        {
            cx.count("response $refs under an operation's own `produces` -> the response inlined with them");
            cx.moved(new, old);
            return Some(response_object(cx, target, produces, &at, new));
        }
        let mut out = obj.clone();
        if let Ok(new_ref) = schemas::rewrite_ref(cx, r) {
            if new_ref != r {
                cx.count("response $refs -> #/components/responses");
            }
            out.insert("$ref".to_owned(), Value::String(new_ref));
        }
        return Some(Value::Object(out));
    }
    Some(response_object(cx, obj, produces, old, new))
}

/// A response object.
fn response_object(
    cx: &mut Cx<'_>,
    obj: &Map<String, Value>,
    produces: &[String],
    old: &str,
    new: &str,
) -> Value {
    let examples = match obj.get("examples") {
        Some(Value::Object(e)) => e.clone(),
        _ => Map::new(),
    };
    let has_schema = obj.contains_key("schema");
    let content_at = join_key(new, "content");
    let content = |cx: &mut Cx<'_>| {
        let mut schema = obj.get("schema").cloned();
        if let Some(s) = &mut schema {
            schemas::upgrade(cx, s, &join_key(old, "schema"));
            cx.count("response schemas -> content");
        }
        let mut content = Map::new();
        if schema.is_some() {
            for media in produces {
                content.insert(media.clone(), Value::Object(Map::new()));
            }
        }
        for media in examples.keys() {
            if !content.contains_key(media) {
                content.insert(media.clone(), Value::Object(Map::new()));
            }
        }
        for (media, entry) in content.iter_mut() {
            let at = join_key(&content_at, media);
            if let (Some(s), Value::Object(entry)) = (&schema, &mut *entry) {
                entry.insert("schema".to_owned(), s.clone());
                cx.moved(join_key(&at, "schema"), join_key(old, "schema"));
            }
            if let (Some(example), Value::Object(entry)) = (examples.get(media), entry) {
                entry.insert("example".to_owned(), example.clone());
                cx.moved(
                    join_key(&at, "example"),
                    join_key(&join_key(old, "examples"), media),
                );
                cx.count("response examples -> content examples");
            }
        }
        Value::Object(content)
    };
    let mut out = Map::new();
    if !obj.contains_key("description") {
        out.insert("description".to_owned(), Value::String(String::new()));
        cx.count("responses without `description` -> `description: \"\"`");
    }
    for (key, value) in obj {
        match key.as_str() {
            "schema" => {
                out.insert("content".to_owned(), content(cx));
            }
            "examples" => {
                if !has_schema && !examples.is_empty() {
                    out.insert("content".to_owned(), content(cx));
                }
            }
            "headers" => {
                out.insert(
                    key.clone(),
                    headers(cx, value, &join_key(old, key), &join_key(new, key)),
                );
            }
            "description" if !value.is_string() => {
                let text = match value {
                    Value::Null => String::new(),
                    other => other.to_string(),
                };
                out.insert(key.clone(), Value::String(text));
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    Value::Object(out)
}

/// A response's `headers`.
fn headers(cx: &mut Cx<'_>, value: &Value, old: &str, new: &str) -> Value {
    let Some(map) = value.as_object() else {
        cx.error(
            old,
            format!("`headers` is {}, not a mapping", what(value)),
            "map header names to `{type: ..., description: ...}`",
        );
        return Value::Object(Map::new());
    };
    let mut out = Map::new();
    for (name, header) in map {
        let old = join_key(old, name);
        let new = join_key(new, name);
        let Some(h) = header.as_object() else {
            cx.error(
                &old,
                format!("the header is {}, not a mapping", what(header)),
                "write `{type: string}`",
            );
            continue;
        };
        if h.contains_key("$ref") {
            out.insert(name.clone(), header.clone());
            continue;
        }
        let (schema, format) = parameters::schema_of(cx, h, &old);
        if schema.get("type").and_then(Value::as_str) == Some("array")
            && let Some(f) = format.filter(|f| f != "csv")
        {
            cx.count(&format!(
                "`collectionFormat: {f}` in response headers (no 3.0 equivalent) -> csv"
            ));
        }
        let mut converted = Map::new();
        let mut schema = Some(schema);
        for (key, value) in h {
            if parameters::SCHEMA_KEYS.contains(&key.as_str())
                || key == "collectionFormat"
                || key == "schema"
            {
                if let Some(s) = schema.take() {
                    converted.insert("schema".to_owned(), s);
                }
            } else {
                converted.insert(key.clone(), value.clone());
            }
        }
        if let Some(s) = schema.take() {
            converted.insert("schema".to_owned(), s);
        }
        cx.moved(join_key(&new, "schema"), old);
        cx.count("response headers -> header objects with a schema");
        out.insert(name.clone(), Value::Object(converted));
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::super::tests::{doc, fails, typed, up};

    fn get(op: Value) -> super::super::Upgraded {
        up(doc(json!({"/p": {"get": op}})))
    }

    #[test]
    fn a_shared_response_takes_the_media_types_of_the_operation_using_it() {
        let mut d = doc(json!({
            "/diff": {"get": {"produces": ["text/plain"], "responses": {
                "200": {"$ref": "#/responses/string"},
                "404": {"$ref": "#/responses/notFound"}
            }}},
            "/json": {"get": {"responses": {"200": {"$ref": "#/responses/string"}}}}
        }));
        d["produces"] = json!(["application/json", "text/html"]);
        d["responses"] = json!({
            "string": {"description": "a string", "schema": {"type": "string"}},
            "notFound": {"description": "not found"}
        });
        let u = up(d);
        let diff = &u.value["paths"]["/diff"]["get"]["responses"];
        assert_eq!(
            diff["200"],
            json!({"description": "a string", "content": {"text/plain": {"schema": {"type": "string"}}}})
        );
        // No body: the same under any media type, so still shared.
        assert_eq!(
            diff["404"],
            json!({"$ref": "#/components/responses/notFound"})
        );
        // The top-level media types: shared.
        assert_eq!(
            u.value["paths"]["/json"]["get"]["responses"]["200"],
            json!({"$ref": "#/components/responses/string"})
        );
        assert_eq!(
            u.value["components"]["responses"]["string"]["content"],
            json!({"application/json": {"schema": {"type": "string"}}, "text/html": {"schema": {"type": "string"}}})
        );
    }

    #[test]
    fn schema_to_content_per_produces() {
        let u = get(json!({
            "produces": ["application/json", "text/csv"],
            "responses": {
                "200": {"description": "ok", "schema": {"$ref": "#/definitions/Pet"},
                        "examples": {"application/json": {"id": 1}, "application/xml": "<pet/>"}},
                "204": {"description": "none"},
                "default": {"description": "error", "schema": {"type": "file"}}
            }
        }));
        let r = &u.value["paths"]["/p"]["get"]["responses"];
        assert_eq!(
            r["200"],
            json!({"description": "ok", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}, "example": {"id": 1}},
                "text/csv": {"schema": {"$ref": "#/components/schemas/Pet"}},
                "application/xml": {"schema": {"$ref": "#/components/schemas/Pet"}, "example": "<pet/>"}
            }})
        );
        assert_eq!(r["204"], json!({"description": "none"}));
        assert_eq!(
            r["default"]["content"]["text/csv"]["schema"],
            json!({"type": "string", "format": "binary"})
        );
        assert!(u.value["paths"]["/p"]["get"].get("produces").is_none());
        assert_eq!(
            u.old_path("paths./p.get.responses.200.content.text/csv.schema"),
            "paths./p.get.responses.200.schema"
        );
        assert_eq!(
            u.old_path("paths./p.get.responses.200.content.application/json.example.id"),
            "paths./p.get.responses.200.examples.application/json.id"
        );
        typed(&u);
    }

    #[test]
    fn produces_fall_back_to_top_level_then_json() {
        let op = json!({"responses": {"200": {"description": "ok", "schema": {"type": "string"}}}});
        let u = get(op.clone());
        assert_eq!(
            u.value["paths"]["/p"]["get"]["responses"]["200"]["content"],
            json!({"application/json": {"schema": {"type": "string"}}})
        );
        let mut d = doc(json!({"/p": {"get": op}}));
        d["produces"] = json!(["text/plain"]);
        let u = up(d);
        assert_eq!(
            u.value["paths"]["/p"]["get"]["responses"]["200"]["content"],
            json!({"text/plain": {"schema": {"type": "string"}}})
        );
    }

    #[test]
    fn headers_and_missing_descriptions() {
        let u = get(json!({"responses": {"200": {
            "headers": {
                "X-Rate": {"type": "integer", "format": "int32", "description": "left"},
                "X-List": {"type": "array", "items": {"type": "string"}, "collectionFormat": "pipes"}
            }
        }}}));
        let r = &u.value["paths"]["/p"]["get"]["responses"]["200"];
        assert_eq!(r["description"], "");
        assert_eq!(
            r["headers"]["X-Rate"],
            json!({"schema": {"type": "integer", "format": "int32"}, "description": "left"})
        );
        assert_eq!(
            r["headers"]["X-List"],
            json!({"schema": {"type": "array", "items": {"type": "string"}}})
        );
        assert_eq!(
            u.old_path("paths./p.get.responses.200.headers.X-Rate.schema.format"),
            "paths./p.get.responses.200.headers.X-Rate.format"
        );
        assert!(
            u.changes
                .iter()
                .any(|c| c.contains("pipes") && c.contains("headers"))
        );
        typed(&u);
    }

    #[test]
    fn top_level_responses_and_refs() {
        let mut d =
            doc(json!({"/p": {"get": {"responses": {"404": {"$ref": "#/responses/NotFound"}}}}}));
        d["produces"] = json!(["application/problem+json"]);
        d["responses"] = json!({"NotFound": {"description": "missing", "schema": {"$ref": "#/definitions/Err"}}});
        d["definitions"] = json!({"Err": {"type": "object"}});
        let u = up(d);
        assert_eq!(
            u.value["paths"]["/p"]["get"]["responses"]["404"],
            json!({"$ref": "#/components/responses/NotFound"})
        );
        assert_eq!(
            u.value["components"]["responses"]["NotFound"],
            json!({"description": "missing", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Err"}}}})
        );
        assert_eq!(
            u.old_path("components.responses.NotFound.content.application/problem+json.schema"),
            "responses.NotFound.schema"
        );
        assert_eq!(
            u.old_path("components.responses.NotFound.description"),
            "responses.NotFound.description"
        );
        let keys: Vec<&String> = u.value["components"]
            .as_object()
            .map_or(Vec::new(), |m| m.keys().collect());
        assert_eq!(keys, ["responses", "schemas"]);
        typed(&u);
    }

    #[test]
    fn a_response_ref_must_point_at_a_response() {
        let e = fails(doc(
            json!({"/p": {"get": {"responses": {"200": {"$ref": "#/definitions/Pet"}, "400": 3}}}}),
        ));
        let paths: Vec<&str> = e.iter().filter_map(|d| d.path.as_deref()).collect();
        assert_eq!(
            paths,
            [
                "paths./p.get.responses.200.$ref",
                "paths./p.get.responses.400"
            ]
        );
    }
}
