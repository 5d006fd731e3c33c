//! Step `bodies`: `in: body` and `in: formData` parameters -> `requestBody`.
//!
//! | Swagger 2.0 | OpenAPI 3.0 |
//! |---|---|
//! | `in: body` with `schema` | `requestBody.content.<media type>.schema`, one entry per media type of the operation's `consumes` (else the top-level `consumes`, else `application/json`) but the form ones, which carry `formData` parameters (unless `consumes` lists only those); its `description`, `required` and `x-` extensions move to the `requestBody` |
//! | the body parameter's `name` | the operation's `x-codegen-request-body-name` (unless it has one) |
//! | `$ref` to a top-level body parameter | `requestBody: {$ref: '#/components/requestBodies/<name>'}` when the operation's media types are the top-level ones, else the body inlined with the operation's |
//! | `in: formData` parameters | one `requestBody` whose schema is an object with a property per parameter (its schema, as for other parameters, with its `description`) and a `required` list; `multipart/form-data` when a parameter is `type: file` (-> `type: string, format: binary`) or `consumes` lists it, else `application/x-www-form-urlencoded` (each of the two `consumes` lists, when it lists them) |
//! | `collectionFormat` of a form array | `encoding.<name>` `style`/`explode` under `application/x-www-form-urlencoded` (`multi` is the 3.0 default); multipart sends arrays as repeated parts (reported) |

use serde_json::{Map, Value, json};

use super::{Cx, parameters, schemas};
use crate::load::join_key;

const MULTIPART: &str = "multipart/form-data";
const URLENCODED: &str = "application/x-www-form-urlencoded";

/// Whether `media` is one of the two media types of `formData` parameters.
fn is_form(media: &str) -> bool {
    crate::examples::is_form_media(media)
}

/// A body or formData parameter as an operation uses it.
#[derive(Debug, Clone)]
pub struct Param<'a> {
    /// The parameter (the target, for a `$ref`).
    pub value: &'a Map<String, Value>,
    /// Where `value` is in the Swagger document.
    pub old: String,
    /// The top-level parameter's name, when the operation used a `$ref`.
    pub via: Option<String>,
    /// Where the operation (or path item) lists it.
    pub entry: String,
}

/// The `requestBody` of an operation at `new` with this body parameter.
pub(crate) fn body(cx: &mut Cx<'_>, param: &Param<'_>, consumes: &[String], new: &str) -> Value {
    cx.moved(new, param.entry.clone());
    if let Some(name) = &param.via
        && consumes == cx.consumes.as_slice()
    {
        cx.count("body parameter $refs -> requestBody $refs");
        return json!({"$ref": format!("#/components/requestBodies/{}", super::encode_token(name))});
    }
    cx.count("body parameters -> requestBody");
    build(cx, param.value, consumes, &param.old, new)
}

/// A body parameter (the node at `old`) as a request body at `new`.
pub(crate) fn build(
    cx: &mut Cx<'_>,
    param: &Map<String, Value>,
    consumes: &[String],
    old: &str,
    new: &str,
) -> Value {
    let mut schema = param.get("schema").cloned();
    if let Some(s) = &mut schema {
        schemas::upgrade(cx, s, &join_key(old, "schema"));
    } else {
        cx.count("body parameters without `schema` -> content of any value");
    }
    // Rule: a body parameter is not sent under a form media type. Swagger
    // 2.0's Parameter Object gives `application/x-www-form-urlencoded` and
    // `multipart/form-data` to `formData` parameters ("Form - Used to
    // describe the payload of an HTTP request when either ... is used as
    // the content type"), so an operation that lists them beside JSON in
    // `consumes` (a shared default) sends its body parameter under the
    // others. Only a `consumes` of nothing but form types keeps them.
    let not_form: Vec<String> = consumes.iter().filter(|m| !is_form(m)).cloned().collect();
    let consumes: &[String] = if not_form.is_empty() || not_form.len() == consumes.len() {
        consumes
    } else {
        cx.count("form media types of `consumes` left to formData parameters, not used for a body parameter");
        &not_form
    };
    let content = |cx: &mut Cx<'_>| {
        let mut content = Map::new();
        for media in consumes {
            let mut entry = Map::new();
            if let Some(s) = &schema {
                entry.insert("schema".to_owned(), s.clone());
                let at = join_key(&join_key(&join_key(new, "content"), media), "schema");
                cx.moved(at, join_key(old, "schema"));
            }
            content.insert(media.clone(), Value::Object(entry));
        }
        Value::Object(content)
    };
    let mut out = Map::new();
    let mut placed = false;
    for (key, value) in param {
        match key.as_str() {
            "description" | "required" => {
                out.insert(key.clone(), value.clone());
            }
            "schema" => {
                out.insert("content".to_owned(), content(cx));
                placed = true;
            }
            k if k.starts_with("x-") => {
                out.insert(key.clone(), value.clone());
            }
            _ => {}
        }
    }
    if !placed {
        out.insert("content".to_owned(), content(cx));
    }
    Value::Object(out)
}

/// The `requestBody` at `new` of an operation with these formData
/// parameters.
pub(crate) fn form(cx: &mut Cx<'_>, params: &[Param<'_>], consumes: &[String], new: &str) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut encoding = Map::new();
    let mut has_file = false;
    let mut sources = Vec::new();
    for param in params {
        let Some(name) = param.value.get("name").and_then(Value::as_str) else {
            cx.error(
                &param.old,
                "a formData parameter without `name`",
                "add the form field's `name`",
            );
            continue;
        };
        if param.via.is_some() {
            cx.count("formData parameter $refs inlined");
        }
        has_file |= param.value.get("type").and_then(Value::as_str) == Some("file");
        let (schema, format) = parameters::schema_of(cx, param.value, &param.old);
        let mut schema = match schema {
            Value::Object(s) => s,
            other => Map::from_iter([("allOf".to_owned(), json!([other]))]),
        };
        if let Some(d) = param.value.get("description") {
            schema.insert("description".to_owned(), d.clone());
        }
        let is_array = schema.get("type").and_then(Value::as_str) == Some("array");
        if is_array {
            let style = match format.as_deref().unwrap_or("csv") {
                "multi" => None,
                "ssv" => Some(json!({"style": "spaceDelimited", "explode": false})),
                "pipes" => Some(json!({"style": "pipeDelimited", "explode": false})),
                "tsv" => {
                    cx.count("`collectionFormat: tsv` (no 3.0 equivalent) -> csv (`style: form, explode: false`)");
                    Some(json!({"style": "form", "explode": false}))
                }
                _ => Some(json!({"style": "form", "explode": false})),
            };
            if let Some(style) = style {
                encoding.insert(name.to_owned(), style);
            }
        }
        if param.value.contains_key("allowEmptyValue") {
            cx.count("allowEmptyValue on formData dropped (3.0 allows it in query only)");
        }
        if param.value.get("required") == Some(&Value::Bool(true)) && !required.contains(&name) {
            required.push(name);
        }
        properties.insert(name.to_owned(), Value::Object(schema));
        sources.push((name.to_owned(), param.old.clone()));
    }

    let listed: Vec<&str> = consumes
        .iter()
        .map(String::as_str)
        .filter(|m| *m == MULTIPART || *m == URLENCODED)
        .collect();
    let media: Vec<&str> = if listed.is_empty() {
        vec![if has_file { MULTIPART } else { URLENCODED }]
    } else if has_file && !listed.contains(&MULTIPART) {
        cx.count("forms with a file but without multipart in consumes -> multipart/form-data");
        vec![MULTIPART]
    } else if has_file {
        vec![MULTIPART]
    } else {
        listed
    };
    if media.contains(&MULTIPART) && !encoding.is_empty() {
        cx.count("form arrays with a collectionFormat other than multi sent as repeated parts in multipart/form-data");
    }

    let mut schema = Map::new();
    schema.insert("type".to_owned(), json!("object"));
    schema.insert("properties".to_owned(), Value::Object(properties));
    if !required.is_empty() {
        schema.insert("required".to_owned(), json!(required));
    }
    let schema = Value::Object(schema);
    let mut content = Map::new();
    for m in &media {
        let mut entry = Map::new();
        entry.insert("schema".to_owned(), schema.clone());
        if *m == URLENCODED && !encoding.is_empty() {
            entry.insert("encoding".to_owned(), Value::Object(encoding.clone()));
        }
        content.insert((*m).to_owned(), Value::Object(entry));
        let at = join_key(&join_key(&join_key(new, "content"), m), "schema");
        for (name, old) in &sources {
            cx.moved(join_key(&join_key(&at, "properties"), name), old.clone());
        }
        cx.count(&format!("formData request bodies -> {m}"));
    }
    if let Some(first) = params.first() {
        cx.moved(new, first.entry.clone());
    }
    cx.changes.add(
        "formData parameters -> requestBody properties",
        sources.len(),
    );
    let mut out = Map::new();
    out.insert("content".to_owned(), Value::Object(content));
    if !required.is_empty() {
        out.insert("required".to_owned(), Value::Bool(true));
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::super::tests::{doc, fails, typed, up};

    fn post(op: Value) -> super::super::Upgraded {
        let mut op = op;
        op["responses"] = json!({"200": {"description": "ok"}});
        up(doc(json!({"/p": {"post": op}})))
    }

    #[test]
    fn body_with_two_media_types() {
        let u = post(json!({
            "consumes": ["application/json", "application/xml"],
            "parameters": [
                {"name": "q", "in": "query", "type": "string"},
                {"name": "pet", "in": "body", "description": "the pet", "required": true, "x-e": 1,
                 "schema": {"type": "object", "properties": {"photo": {"type": "file"}}}},
                {"name": "h", "in": "header", "type": "string"}
            ]
        }));
        let op = &u.value["paths"]["/p"]["post"];
        let schema = json!({"type": "object", "properties": {"photo": {"type": "string", "format": "binary"}}});
        assert_eq!(
            op["requestBody"],
            json!({"description": "the pet", "required": true, "x-e": 1, "content": {
                "application/json": {"schema": schema}, "application/xml": {"schema": schema}
            }})
        );
        assert_eq!(op["x-codegen-request-body-name"], "pet");
        assert_eq!(op["parameters"].as_array().map(Vec::len), Some(2));
        assert!(op.get("consumes").is_none());
        let keys: Vec<&String> = op.as_object().map_or(Vec::new(), |m| m.keys().collect());
        assert_eq!(
            keys,
            [
                "parameters",
                "requestBody",
                "responses",
                "x-codegen-request-body-name"
            ]
        );
        assert_eq!(
            u.old_path("paths./p.post.requestBody.content.application/xml.schema.properties.photo"),
            "paths./p.post.parameters[1].schema.properties.photo"
        );
        assert_eq!(
            u.old_path("paths./p.post.parameters[1].schema"),
            "paths./p.post.parameters[2]"
        );
        assert_eq!(
            u.old_path("paths./p.post.parameters[1]"),
            "paths./p.post.parameters[2]"
        );
        assert!(
            u.changes
                .contains(&"1 body parameters -> requestBody".to_owned()),
            "{:?}",
            u.changes
        );
        typed(&u);
    }

    #[test]
    fn a_body_parameter_is_not_sent_under_form_media_types() {
        let body = json!([{"name": "ids", "in": "body", "schema": {"type": "array", "items": {"type": "integer"}}}]);
        let u = post(json!({
            "consumes": ["application/json", "application/x-www-form-urlencoded", "multipart/form-data; charset=utf-8"],
            "parameters": body
        }));
        let content = &u.value["paths"]["/p"]["post"]["requestBody"]["content"];
        assert_eq!(
            content.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["application/json"]
        );
        // Only form types listed: nothing else to send it as, they stay.
        let u =
            post(json!({"consumes": ["application/x-www-form-urlencoded"], "parameters": body}));
        let content = &u.value["paths"]["/p"]["post"]["requestBody"]["content"];
        assert!(
            content.get("application/x-www-form-urlencoded").is_some(),
            "{content}"
        );
    }

    #[test]
    fn body_media_types_fall_back_to_top_level_then_json() {
        let body = json!([{"name": "b", "in": "body", "schema": {"type": "string"}}]);
        let u = post(json!({"parameters": body.clone()}));
        let content = &u.value["paths"]["/p"]["post"]["requestBody"]["content"];
        assert_eq!(
            content
                .as_object()
                .map(|c| c.keys().cloned().collect::<Vec<_>>()),
            Some(vec!["application/json".to_owned()])
        );

        let mut d = doc(
            json!({"/p": {"post": {"parameters": body, "consumes": [], "responses": {"200": {"description": "ok"}}}}}),
        );
        d["consumes"] = json!(["text/plain"]);
        let u = up(d);
        let content = &u.value["paths"]["/p"]["post"]["requestBody"]["content"];
        assert_eq!(
            content,
            &json!({"text/plain": {"schema": {"type": "string"}}})
        );
    }

    #[test]
    fn form_with_a_file_is_multipart() {
        let u = post(json!({
            "consumes": ["application/x-www-form-urlencoded"],
            "parameters": [
                {"name": "name", "in": "formData", "type": "string", "required": true, "description": "file name"},
                {"name": "id", "in": "query", "type": "integer"},
                {"name": "file", "in": "formData", "type": "file", "required": true},
                {"name": "tags", "in": "formData", "type": "array", "items": {"type": "string"}}
            ]
        }));
        let op = &u.value["paths"]["/p"]["post"];
        assert_eq!(
            op["requestBody"],
            json!({"content": {"multipart/form-data": {"schema": {"type": "object", "properties": {
                "name": {"type": "string", "description": "file name"},
                "file": {"type": "string", "format": "binary"},
                "tags": {"type": "array", "items": {"type": "string"}}
            }, "required": ["name", "file"]}}}, "required": true})
        );
        assert_eq!(
            op["parameters"],
            json!([{"name": "id", "in": "query", "schema": {"type": "integer"}}])
        );
        assert!(op.get("x-codegen-request-body-name").is_none());
        assert_eq!(
            u.old_path(
                "paths./p.post.requestBody.content.multipart/form-data.schema.properties.file"
            ),
            "paths./p.post.parameters[2]"
        );
        assert_eq!(
            u.old_path("paths./p.post.parameters[0]"),
            "paths./p.post.parameters[1]"
        );
        assert!(
            u.changes
                .iter()
                .any(|c| c.contains("file but without multipart")),
            "{:?}",
            u.changes
        );
        typed(&u);
    }

    #[test]
    fn form_without_a_file_is_urlencoded_with_encoding() {
        let u = post(json!({
            "parameters": [
                {"name": "a", "in": "formData", "type": "string"},
                {"name": "b", "in": "formData", "type": "array", "items": {"type": "integer"}, "collectionFormat": "pipes"},
                {"name": "c", "in": "formData", "type": "array", "items": {"type": "integer"}, "collectionFormat": "multi"}
            ]
        }));
        let body = &u.value["paths"]["/p"]["post"]["requestBody"];
        let form = &body["content"]["application/x-www-form-urlencoded"];
        assert_eq!(
            form["encoding"],
            json!({"b": {"style": "pipeDelimited", "explode": false}})
        );
        assert!(form["schema"].get("required").is_none());
        assert!(body.get("required").is_none());
        typed(&u);

        // both form media types listed, no file: both kept
        let u = post(json!({
            "consumes": ["multipart/form-data", "application/x-www-form-urlencoded", "application/json"],
            "parameters": [{"name": "a", "in": "formData", "type": "string"}]
        }));
        let content = &u.value["paths"]["/p"]["post"]["requestBody"]["content"];
        let keys: Vec<&String> = content
            .as_object()
            .map_or(Vec::new(), |m| m.keys().collect());
        assert_eq!(keys, [super::MULTIPART, super::URLENCODED]);
    }

    #[test]
    fn path_level_bodies_and_forms_go_to_each_operation() {
        let u = up(doc(json!({"/p": {
            "parameters": [{"name": "f", "in": "formData", "type": "string"}, {"name": "q", "in": "query", "type": "string"}],
            "post": {"parameters": [{"name": "g", "in": "formData", "type": "string"}], "responses": {"200": {"description": "ok"}}},
            "put": {"parameters": [{"name": "f", "in": "formData", "type": "integer"}], "responses": {"200": {"description": "ok"}}}
        }})));
        let item = &u.value["paths"]["/p"];
        assert_eq!(
            item["parameters"],
            json!([{"name": "q", "in": "query", "schema": {"type": "string"}}])
        );
        let post = &item["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]
            ["properties"];
        assert_eq!(
            post,
            &json!({"f": {"type": "string"}, "g": {"type": "string"}})
        );
        let put = &item["put"]["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]
            ["properties"];
        assert_eq!(put, &json!({"f": {"type": "integer"}}));
        assert_eq!(
            u.old_path("paths./p.parameters[0]"),
            "paths./p.parameters[1]"
        );
        assert_eq!(
            u.old_path("paths./p.post.requestBody.content.application/x-www-form-urlencoded.schema.properties.f"),
            "paths./p.parameters[0]"
        );
        typed(&u);
    }

    #[test]
    fn ref_to_a_body_parameter_with_other_media_types_is_inlined() {
        let mut d = doc(json!({"/p": {"post": {
            "consumes": ["application/xml"],
            "parameters": [{"$ref": "#/parameters/B"}, {"$ref": "#/parameters/F"}],
            "responses": {"200": {"description": "ok"}}
        }, "put": {
            "parameters": [{"$ref": "#/parameters/F"}],
            "responses": {"200": {"description": "ok"}}
        }}}));
        d["parameters"] = json!({
            "B": {"name": "b", "in": "body", "schema": {"type": "string"}},
            "F": {"name": "f", "in": "formData", "type": "file"}
        });
        let e = fails(d.clone());
        assert!(e[0].message.contains("both"), "{e:?}");
        d["paths"]["/p"]["post"]["parameters"] = json!([{"$ref": "#/parameters/B"}]);
        let u = up(d);
        let op = &u.value["paths"]["/p"]["post"];
        assert_eq!(
            op["requestBody"],
            json!({"content": {"application/xml": {"schema": {"type": "string"}}}})
        );
        assert_eq!(op["x-codegen-request-body-name"], "b");
        assert_eq!(
            u.old_path("paths./p.post.requestBody.content.application/xml.schema"),
            "parameters.B.schema"
        );
        let put = &u.value["paths"]["/p"]["put"];
        assert_eq!(
            put["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"]["f"],
            json!({"type": "string", "format": "binary"})
        );
        assert_eq!(
            u.old_path("paths./p.put.requestBody.content.multipart/form-data.schema.properties.f"),
            "parameters.F"
        );
        assert!(put.get("parameters").is_none());
        typed(&u);
    }

    #[test]
    fn two_bodies_are_an_error() {
        let e = fails(doc(json!({"/p": {"post": {
            "parameters": [{"name": "a", "in": "body", "schema": {}}, {"name": "b", "in": "body", "schema": {}}],
            "responses": {"200": {"description": "ok"}}
        }}})));
        assert_eq!(e[0].path.as_deref(), Some("paths./p.post.parameters[1]"));
    }
}
