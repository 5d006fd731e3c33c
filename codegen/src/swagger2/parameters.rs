//! Step `parameters`: non-body parameters, and the top-level `parameters`.
//!
//! A Swagger parameter carries its type itself; a 3.0 parameter has a
//! `schema`:
//!
//! | Swagger 2.0 | OpenAPI 3.0 |
//! |---|---|
//! | `type`, `format`, `items`, `enum`, `default`, `minimum`, `maximum`, `exclusive*`, `*Length`, `pattern`, `*Items`, `uniqueItems`, `multipleOf`, `x-nullable` | the same in `schema` (at the place of the first), through the schema rules (`super::schemas::upgrade`) |
//! | no `type` | `schema: {type: string}` (reported) |
//! | `collectionFormat` of an array (default `csv`) in `query` | `csv`: `style: form, explode: false`; `ssv`: `spaceDelimited`; `pipes`: `pipeDelimited`; `multi`: `style: form, explode: true`; `tsv`: no 3.0 equivalent, read as `csv` (reported) |
//! | `collectionFormat` in `path`/`header` | `style: simple` (only `csv` has an equivalent; others reported) |
//! | `in: path` | `required: true` |
//! | `allowEmptyValue` | kept in `query` only (3.0 has it nowhere else) |
//!
//! Top-level `parameters` become `components.parameters`; body ones become
//! `components.requestBodies` (see `super::bodies`); formData ones have no
//! place in 3.0 components and are inlined where operations use them.

use serde_json::{Map, Value, json};

use super::{Cx, bodies, schemas, what};
use crate::load::join_key;

/// Where a parameter goes, by its `in`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// `in: body`: the request body.
    Body,
    /// `in: formData`: a property of a form request body.
    Form,
    /// `query`, `header`, `path` (and `cookie`, from 3.0): a parameter.
    Parameter,
    /// Anything else: an error.
    Unknown,
}

impl Place {
    /// The place of a parameter with this `in`.
    pub fn of(location: &str) -> Place {
        match location {
            "body" => Place::Body,
            "formData" => Place::Form,
            "query" | "header" | "path" | "cookie" => Place::Parameter,
            _ => Place::Unknown,
        }
    }
}

/// The keys of a Swagger parameter, header or items object that go to its
/// 3.0 `schema`.
pub const SCHEMA_KEYS: [&str; 17] = [
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
];

/// One map of `components` (`parameters`, `requestBodies`).
type Components = Map<String, Value>;

/// `components.parameters` and `components.requestBodies`, from the
/// top-level `parameters`.
pub(crate) fn components(cx: &mut Cx<'_>) -> (Option<Components>, Option<Components>) {
    let Some(params) = cx.root.get("parameters") else {
        return (None, None);
    };
    let Some(params) = params.as_object() else {
        cx.error(
            "parameters",
            format!(
                "the top-level `parameters` is {}, not a mapping",
                what(params)
            ),
            "make it a mapping from names to parameters",
        );
        return (None, None);
    };
    let mut parameters = Map::new();
    let mut bodies = Map::new();
    for (name, param) in params {
        let old = join_key("parameters", name);
        let Some(obj) = param.as_object() else {
            cx.error(
                &old,
                format!("the parameter is {}, not a mapping", what(param)),
                "write a parameter with `name` and `in`",
            );
            continue;
        };
        if let Some(r) = obj.get("$ref") {
            let Some(r) = r.as_str() else {
                cx.error(
                    &join_key(&old, "$ref"),
                    "`$ref` is not a string",
                    "write `$ref: '#/parameters/<name>'`",
                );
                continue;
            };
            let place = cx
                .top_parameter(name)
                .and_then(|(p, _)| p.get("in").and_then(Value::as_str))
                .map(Place::of);
            match place {
                Some(Place::Form) => {}
                Some(Place::Body) => {
                    let target = r.strip_prefix("#/parameters/").unwrap_or(r);
                    bodies.insert(
                        name.clone(),
                        json!({"$ref": format!("#/components/requestBodies/{target}")}),
                    );
                    cx.moved(join_key("components.requestBodies", name), old);
                }
                _ => match schemas::rewrite_ref(cx, r) {
                    Ok(new) => {
                        parameters.insert(name.clone(), json!({"$ref": new}));
                    }
                    Err(message) => cx.error(
                        &join_key(&old, "$ref"),
                        message,
                        "point at another parameter",
                    ),
                },
            }
            continue;
        }
        let Some(location) = obj.get("in").and_then(Value::as_str) else {
            missing_in(cx, &old);
            continue;
        };
        match Place::of(location) {
            Place::Body => {
                let new = join_key("components.requestBodies", name);
                let consumes = cx.consumes.clone();
                let body = bodies::build(cx, obj, &consumes, &old, &new);
                cx.moved(new, old);
                cx.count("body parameters -> components.requestBodies");
                bodies.insert(name.clone(), body);
            }
            Place::Form => cx.count(
                "top-level formData parameters inlined where used (3.0 has no form parameters)",
            ),
            Place::Parameter => {
                let new = join_key("components.parameters", name);
                let converted = convert(cx, obj, &old, &new);
                parameters.insert(name.clone(), converted);
            }
            Place::Unknown => unknown_in(cx, &old, location),
        }
    }
    if !parameters.is_empty() {
        cx.moved("components.parameters", "parameters");
    }
    (Some(parameters), Some(bodies))
}

/// Report a parameter without `in`.
pub(crate) fn missing_in(cx: &mut Cx<'_>, at: &str) {
    cx.error(
        at,
        "a parameter without `in`",
        "add `in: query`, `header`, `path`, `formData` or `body`",
    );
}

/// Report a parameter with an unknown `in`.
pub(crate) fn unknown_in(cx: &mut Cx<'_>, at: &str, location: &str) {
    cx.error(
        &join_key(at, "in"),
        format!("unknown parameter location `in: {location}`"),
        "Swagger 2.0 parameters are `in: query`, `header`, `path`, `formData` or `body`",
    );
}

/// A non-body parameter (the Swagger node at `old`) as a 3.0 parameter at
/// `new`.
pub(crate) fn convert(cx: &mut Cx<'_>, param: &Map<String, Value>, old: &str, new: &str) -> Value {
    let location = param.get("in").and_then(Value::as_str).unwrap_or("query");
    if !param.get("name").is_some_and(Value::is_string) {
        cx.error(
            old,
            "a parameter without `name`",
            "add the parameter's `name`",
        );
    }
    let (schema, collection_format) = schema_of(cx, param, old);
    let is_array = schema.get("type").and_then(Value::as_str) == Some("array");
    let style = style(cx, location, is_array, collection_format.as_deref());
    let mut out = Map::new();
    let mut schema = Some(schema);
    for (key, value) in param {
        if SCHEMA_KEYS.contains(&key.as_str()) || key == "collectionFormat" || key == "schema" {
            if let Some(s) = schema.take() {
                for (k, v) in &style {
                    out.insert((*k).to_owned(), v.clone());
                }
                out.insert("schema".to_owned(), s);
            }
            continue;
        }
        match key.as_str() {
            "required" if location == "path" => {
                if value != &Value::Bool(true) {
                    cx.count("path parameters without `required: true` -> required");
                }
                out.insert(key.clone(), Value::Bool(true));
            }
            "allowEmptyValue" if location != "query" => {
                cx.count("allowEmptyValue outside query dropped (3.0 allows it in query only)");
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    if let Some(s) = schema.take() {
        for (k, v) in &style {
            out.insert((*k).to_owned(), v.clone());
        }
        out.insert("schema".to_owned(), s);
    }
    if location == "path" && !out.contains_key("required") {
        let at = out
            .keys()
            .position(|k| k == "in")
            .map_or(out.len(), |i| i + 1);
        out.shift_insert(at, "required".to_owned(), Value::Bool(true));
        cx.count("path parameters without `required: true` -> required");
    }
    cx.moved(join_key(new, "schema"), old);
    cx.count("non-body parameters: type/format/items/... -> schema");
    Value::Object(out)
}

/// The 3.0 schema of a Swagger parameter, header or items object (the node
/// at `old`), and its `collectionFormat`.
pub(crate) fn schema_of(
    cx: &mut Cx<'_>,
    param: &Map<String, Value>,
    old: &str,
) -> (Value, Option<String>) {
    // `schema` on a non-body parameter is not Swagger, but it says what is meant
    let mut schema = match param.get("schema") {
        Some(Value::Object(s)) if !param.contains_key("type") => {
            cx.count("`schema` on non-body parameters kept");
            s.clone()
        }
        _ => Map::new(),
    };
    for (key, value) in param {
        if !SCHEMA_KEYS.contains(&key.as_str()) {
            continue;
        }
        let value = if key == "items" {
            items(cx, value)
        } else {
            value.clone()
        };
        schema.insert(key.clone(), value);
    }
    if !schema.contains_key("type") && !schema.contains_key("$ref") && param.get("schema").is_none()
    {
        let rest = std::mem::take(&mut schema);
        schema.insert("type".to_owned(), Value::String("string".to_owned()));
        schema.extend(rest);
        cx.count("parameters or headers without `type` -> string");
    }
    let mut schema = Value::Object(schema);
    schemas::upgrade(cx, &mut schema, old);
    let collection_format = param
        .get("collectionFormat")
        .and_then(Value::as_str)
        .map(str::to_owned);
    (schema, collection_format)
}

/// A Swagger items object as a schema: a `collectionFormat` of nested
/// arrays has no 3.0 equivalent and is dropped.
fn items(cx: &mut Cx<'_>, value: &Value) -> Value {
    let Some(obj) = value.as_object() else {
        return value.clone();
    };
    let is_array = obj.get("type").and_then(Value::as_str) == Some("array");
    let mut out = Map::new();
    for (key, v) in obj {
        match key.as_str() {
            "collectionFormat" => {
                if is_array {
                    cx.count("collectionFormat of nested arrays dropped (no 3.0 equivalent)");
                }
            }
            "items" => {
                out.insert(key.clone(), items(cx, v));
            }
            _ => {
                out.insert(key.clone(), v.clone());
            }
        }
    }
    Value::Object(out)
}

/// `style`/`explode` for an array parameter in `location` with this
/// `collectionFormat` (Swagger's default is `csv`).
fn style(
    cx: &mut Cx<'_>,
    location: &str,
    is_array: bool,
    format: Option<&str>,
) -> Vec<(&'static str, Value)> {
    if !is_array {
        return Vec::new();
    }
    let format = format.unwrap_or("csv");
    let (style, explode) = match (location, format) {
        ("query" | "cookie", "csv") => ("form", false),
        ("query", "ssv") => ("spaceDelimited", false),
        ("query", "pipes") => ("pipeDelimited", false),
        ("query", "multi") => ("form", true),
        ("query", "tsv") => {
            cx.count("`collectionFormat: tsv` (no 3.0 equivalent) -> csv (`style: form, explode: false`)");
            ("form", false)
        }
        ("path" | "header", "csv") => ("simple", false),
        ("path" | "header", other) => {
            cx.count(&format!("`collectionFormat: {other}` in path/header (no 3.0 equivalent) -> csv (`style: simple`)"));
            ("simple", false)
        }
        (_, other) => {
            cx.count(&format!(
                "`collectionFormat: {other}` in {location} (no 3.0 equivalent) -> csv"
            ));
            ("form", false)
        }
    };
    cx.count(&format!(
        "`collectionFormat: {format}` -> `style: {style}, explode: {explode}`"
    ));
    if style == "simple" {
        vec![("style", json!(style))]
    } else {
        vec![("style", json!(style)), ("explode", json!(explode))]
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::super::tests::{doc, fails, typed, up};

    fn get(params: Value) -> super::super::Upgraded {
        up(doc(
            json!({"/p/{id}": {"get": {"parameters": params, "responses": {"200": {"description": "ok"}}}}}),
        ))
    }

    #[test]
    fn type_and_bounds_move_to_schema() {
        let u = get(json!([
            {"name": "id", "in": "path", "type": "integer", "format": "int64", "minimum": 1, "description": "the id"},
            {"name": "q", "in": "query", "required": false, "type": "string", "enum": ["a", "b"], "default": "a", "x-nullable": true, "allowEmptyValue": true},
            {"name": "X-H", "in": "header", "type": "string", "pattern": "^x", "allowEmptyValue": true}
        ]));
        let p = &u.value["paths"]["/p/{id}"]["get"]["parameters"];
        assert_eq!(
            p[0],
            json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "format": "int64", "minimum": 1}, "description": "the id"})
        );
        assert_eq!(
            p[1],
            json!({"name": "q", "in": "query", "required": false, "schema": {"type": "string", "enum": ["a", "b"], "default": "a", "nullable": true}, "allowEmptyValue": true})
        );
        assert_eq!(
            p[2],
            json!({"name": "X-H", "in": "header", "schema": {"type": "string", "pattern": "^x"}})
        );
        assert_eq!(
            u.old_path("paths./p/{id}.get.parameters[1].schema.enum"),
            "paths./p/{id}.get.parameters[1].enum"
        );
        assert!(
            u.changes
                .contains(&"1 path parameters without `required: true` -> required".to_owned()),
            "{:?}",
            u.changes
        );
        typed(&u);
    }

    #[test]
    fn collection_formats() {
        let arr = |name: &str, location: &str, cf: Option<&str>| {
            let mut p =
                json!({"name": name, "in": location, "type": "array", "items": {"type": "string"}});
            if let Some(cf) = cf {
                p["collectionFormat"] = json!(cf);
            }
            if location == "path" {
                p["required"] = json!(true);
            }
            p
        };
        let u = get(json!([
            arr("a", "query", None),
            arr("b", "query", Some("csv")),
            arr("c", "query", Some("ssv")),
            arr("d", "query", Some("pipes")),
            arr("e", "query", Some("multi")),
            arr("f", "query", Some("tsv")),
            arr("id", "path", Some("csv")),
            arr("h", "header", None),
            arr("i", "header", Some("pipes")),
            {"name": "j", "in": "query", "type": "string", "collectionFormat": "multi"}
        ]));
        let p = &u.value["paths"]["/p/{id}"]["get"]["parameters"];
        let style = |i: usize| (p[i].get("style").cloned(), p[i].get("explode").cloned());
        assert_eq!(style(0), (Some(json!("form")), Some(json!(false))));
        assert_eq!(style(1), (Some(json!("form")), Some(json!(false))));
        assert_eq!(
            style(2),
            (Some(json!("spaceDelimited")), Some(json!(false)))
        );
        assert_eq!(style(3), (Some(json!("pipeDelimited")), Some(json!(false))));
        assert_eq!(style(4), (Some(json!("form")), Some(json!(true))));
        assert_eq!(style(5), (Some(json!("form")), Some(json!(false))));
        assert_eq!(style(6), (Some(json!("simple")), None));
        assert_eq!(style(7), (Some(json!("simple")), None));
        assert_eq!(style(8), (Some(json!("simple")), None));
        assert_eq!(style(9), (None, None));
        assert!(p[0].get("collectionFormat").is_none());
        assert_eq!(
            p[0]["schema"],
            json!({"type": "array", "items": {"type": "string"}})
        );
        assert!(
            u.changes
                .iter()
                .any(|c| c.contains("tsv") && c.contains("no 3.0 equivalent")),
            "{:?}",
            u.changes
        );
        assert!(
            u.changes
                .iter()
                .any(|c| c.contains("`collectionFormat: pipes` in path/header"))
        );
        let api = typed(&u);
        let op = api
            .paths
            .paths
            .get("/p/{id}")
            .and_then(|p| p.as_item())
            .and_then(|i| i.get.clone());
        assert_eq!(op.map(|o| o.parameters.len()), Some(10));
    }

    #[test]
    fn nested_items_and_missing_type() {
        let u = get(json!([
            {"name": "m", "in": "query", "type": "array", "collectionFormat": "pipes",
             "items": {"type": "array", "collectionFormat": "csv", "items": {"type": "integer", "x-nullable": true}}},
            {"name": "n", "in": "query"}
        ]));
        let p = &u.value["paths"]["/p/{id}"]["get"]["parameters"];
        assert_eq!(
            p[0]["schema"],
            json!({"type": "array", "items": {"type": "array", "items": {"type": "integer", "nullable": true}}})
        );
        assert_eq!(p[1]["schema"], json!({"type": "string"}));
        assert!(
            u.changes
                .iter()
                .any(|c| c.contains("nested arrays dropped"))
        );
        assert!(
            u.changes
                .iter()
                .any(|c| c.contains("without `type` -> string"))
        );
    }

    #[test]
    fn top_level_parameters_and_refs() {
        let mut d = doc(
            json!({"/p": {"parameters": [{"$ref": "#/parameters/Limit"}], "get": {
                "parameters": [{"$ref": "#/parameters/Body"}, {"$ref": "#/parameters/Q"}, {"$ref": "#/parameters/Alias"}],
                "responses": {"200": {"description": "ok"}}
            }}}),
        );
        d["parameters"] = json!({
            "Limit": {"name": "limit", "in": "query", "type": "integer"},
            "Q": {"name": "q", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"},
            "Body": {"name": "pet", "in": "body", "required": true, "schema": {"$ref": "#/definitions/Pet"}},
            "Alias": {"$ref": "#/parameters/Limit"},
            "F": {"name": "f", "in": "formData", "type": "string"}
        });
        d["definitions"] = json!({"Pet": {"type": "object"}});
        let u = up(d);
        let c = &u.value["components"];
        assert_eq!(
            c["parameters"]["Limit"],
            json!({"name": "limit", "in": "query", "schema": {"type": "integer"}})
        );
        assert_eq!(c["parameters"]["Q"]["explode"], true);
        assert_eq!(
            c["parameters"]["Alias"],
            json!({"$ref": "#/components/parameters/Limit"})
        );
        assert!(c["parameters"].get("F").is_none());
        assert!(c["parameters"].get("Body").is_none());
        assert_eq!(
            c["requestBodies"]["Body"],
            json!({"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}})
        );
        let op = &u.value["paths"]["/p"]["get"];
        assert_eq!(
            op["parameters"],
            json!([{"$ref": "#/components/parameters/Q"}, {"$ref": "#/components/parameters/Alias"}])
        );
        assert_eq!(
            op["requestBody"],
            json!({"$ref": "#/components/requestBodies/Body"})
        );
        assert_eq!(op["x-codegen-request-body-name"], "pet");
        assert_eq!(
            u.value["paths"]["/p"]["parameters"],
            json!([{"$ref": "#/components/parameters/Limit"}])
        );
        // moved: shifted indexes and the components
        assert_eq!(
            u.old_path("paths./p.get.parameters[0]"),
            "paths./p.get.parameters[1]"
        );
        assert_eq!(
            u.old_path("paths./p.get.parameters[1]"),
            "paths./p.get.parameters[2]"
        );
        assert_eq!(
            u.old_path("paths./p.get.requestBody"),
            "paths./p.get.parameters[0]"
        );
        assert_eq!(
            u.old_path("components.parameters.Q.schema.items"),
            "parameters.Q.items"
        );
        assert_eq!(
            u.old_path("components.requestBodies.Body.content.application/json.schema"),
            "parameters.Body.schema"
        );
        assert_eq!(
            u.old_path("components.requestBodies.Body.required"),
            "parameters.Body.required"
        );
        typed(&u);
    }

    #[test]
    fn broken_parameters_are_located() {
        let e = fails(doc(json!({"/p": {"get": {
            "parameters": [
                {"name": "a", "type": "string"},
                {"name": "b", "in": "somewhere", "type": "string"},
                {"$ref": "#/parameters/Nope"},
                {"in": "query", "type": "string"},
                "x"
            ],
            "operationId": "getP",
            "responses": {"200": {"description": "ok"}}
        }}})));
        let paths: Vec<&str> = e.iter().filter_map(|d| d.path.as_deref()).collect();
        assert_eq!(
            paths,
            [
                "paths./p.get.parameters[0]",
                "paths./p.get.parameters[1].in",
                "paths./p.get.parameters[2].$ref",
                "paths./p.get.parameters[3]",
                "paths./p.get.parameters[4]"
            ]
        );
        assert!(e[0].message.contains("without `in`"));
        assert!(
            e.iter()
                .all(|d| d.operation.as_deref() == Some("getP") && d.hint.is_some())
        );
    }
}
