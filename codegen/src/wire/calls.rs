//! Step `calls`: each operation's two calls, with values made from the
//! spec's own schemas.
//!
//! **Rule:** every operation is called twice, once with only what the spec
//! requires (required parameters, the body's required properties) and once
//! with everything it defines (every parameter, every property); each
//! value is an instance of its schema ([`crate::conformance::instances`]:
//! formats, patterns, enums, bounds; `readOnly` properties are not sent).
//! A parameter the test cannot set (no setter of its name) or a value no
//! schema instance can be made for is a gap, reported, never dropped
//! silently.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::setters::Builder;
use crate::conformance::instances;
use crate::naming::{Case, sanitize, spell_symbols};
use crate::walk;

/// A value given to a setter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// JSON read into the setter's type `ty`.
    Json {
        /// The Rust type the setter takes.
        ty: String,
        /// The value, as JSON text.
        json: String,
    },
    /// Raw bytes (a binary body).
    Bytes,
}

/// One call: the setters, in order, with their values.
pub type Call = Vec<(String, Arg)>;

/// The two calls of one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// The client method.
    pub method: String,
    /// `GET`, `POST`, ..
    pub http_method: String,
    /// The path template.
    pub path: String,
    /// Only what the spec requires.
    pub required: Call,
    /// Everything the spec defines.
    pub all: Call,
    /// The request body's media type, if it has one.
    pub media: Option<String>,
    /// The builder has `send_stream()`.
    pub streams: bool,
    /// The spec documents a success (`2XX`) response; when it documents
    /// none, a documented error status the server answers with is the
    /// spec's own answer to a valid request.
    pub success: bool,
    /// The Cargo features the operation compiles with.
    pub features: Vec<String>,
    /// Its optional parameters, `(in, name)`: the `required` call sends
    /// none of them.
    pub optional: Vec<(String, String)>,
    /// Each parameter a call sets, `(in, name, setter)`.
    pub setters: Vec<(String, String, String)>,
    /// The media ranges (`*/*`, `application/*`) its responses are
    /// documented under, in the spec as vendored.
    pub response_ranges: Vec<String>,
    /// What the calls cannot include, and why.
    pub gaps: Vec<String>,
}

/// A parameter of an operation as the calls need it.
struct Param<'a> {
    name: &'a str,
    location: &'a str,
    required: bool,
    schema: Option<&'a Value>,
    /// The setter names it may have, in the generator's order of choice.
    candidates: Vec<String>,
}

/// The calls of every operation of `root` (the document progenitor was
/// given) that has a builder in `builders`, by client method.
///
/// **Rule: values follow the spec as vendored.** The document progenitor
/// is given has been rewritten (`normalize`: unions of bare `required`s
/// dropped, media types copied, parameters handed over); the server
/// judges by the spec itself, so each value is made from the schema of
/// the same parameter or body in `source` (the spec, overlays applied),
/// and from `root`'s only where `source` has no such place.
pub fn plan(root: &Value, source: &Value, builders: &BTreeMap<String, Builder>) -> Vec<Operation> {
    let mut out = Vec::new();
    for op in walk::operations(root) {
        let Some(operation) = walk::operation(root, &op) else {
            continue;
        };
        let Some(id) = op.id.as_deref() else { continue };
        let method = sanitize(id, Case::Snake);
        let Some(builder) = builders.get(&method) else {
            continue;
        };
        let path = op
            .path
            .split(crate::normalize::media_types::COPY_MARK)
            .next()
            .unwrap_or(&op.path)
            .to_owned();
        let mut calls = Operation {
            method,
            http_method: op.method.to_uppercase(),
            path,
            required: Vec::new(),
            all: Vec::new(),
            media: None,
            streams: builder.streams,
            success: documents_success(operation),
            features: builder.features.clone(),
            optional: Vec::new(),
            setters: Vec::new(),
            response_ranges: Vec::new(),
            gaps: Vec::new(),
        };
        let vendored = source["paths"][&calls.path].get(&op.method);
        calls.response_ranges = vendored
            .and_then(|v| v.get("responses"))
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|r| r.values())
            .filter_map(|r| walk::deref(source, r).get("content")?.as_object())
            .flat_map(|c| c.keys())
            .filter(|k| k.contains('*'))
            .cloned()
            .collect();
        calls.response_ranges.sort();
        calls.response_ranges.dedup();
        let vendored_params = vendored
            .map(|v| parameters(source, &calls.path, v))
            .unwrap_or_default();
        let mut used: BTreeSet<String> = BTreeSet::new();
        for p in parameters(root, &op.path, operation) {
            let (schema_root, schema) = match vendored_params
                .iter()
                .find(|v| v.name == p.name && v.location == p.location)
            {
                Some(v) => (source, v.schema),
                None => (root, p.schema),
            };
            let Some(setter) = p
                .candidates
                .iter()
                .find(|c| builder.setters.contains_key(*c) && !used.contains(*c))
                .cloned()
            else {
                calls.gaps.push(format!(
                    "{} parameter `{}`: the builder has no setter for it",
                    p.location, p.name
                ));
                continue;
            };
            used.insert(setter.clone());
            calls
                .setters
                .push((p.location.to_owned(), p.name.to_owned(), setter.clone()));
            if !p.required {
                calls
                    .optional
                    .push((p.location.to_owned(), p.name.to_owned()));
            }
            let ty = &builder.setters[&setter];
            let schema = schema.cloned().unwrap_or(Value::Bool(true));
            for (full, call) in [(false, &mut calls.required), (true, &mut calls.all)] {
                if !full && !p.required {
                    continue;
                }
                // **Rule: a required parameter is on the wire.** An empty
                // list is undefined in RFC 6570 and so not sent at all
                // (`form`, `simple`, every style): a required array
                // parameter gets the items of the every-argument value.
                let value = instances::to_send(schema_root, &schema, full).map(|v| match v {
                    Value::Array(items) if items.is_empty() && p.required => {
                        instances::to_send(schema_root, &schema, true)
                            .unwrap_or(Value::Array(items))
                    }
                    v => v,
                });
                let value = value.map(|v| unambiguous_text(schema_root, &schema, v, full));
                match value.map(|v| stated_text(walk::deref(schema_root, &schema), v)) {
                    Some(v) => {
                        call.push((setter.clone(), json_arg(ty, &as_text(ty, p.location, v))))
                    }
                    None => calls.gaps.push(format!(
                        "{} parameter `{}`: no value of its schema could be made",
                        p.location, p.name
                    )),
                }
            }
        }
        if let Some(ty) = builder
            .setters
            .get("body")
            .filter(|_| !used.contains("body"))
        {
            let content = operation
                .get("requestBody")
                .map(|b| walk::deref(root, b))
                .and_then(|b| b.get("content"))
                .and_then(Value::as_object)
                .and_then(|c| c.iter().next());
            // What is sent: the `media-types` step's marker keeps the
            // spec's media type where progenitor is given another.
            let marked = operation
                .get(crate::normalize::media_types::MARKER)
                .and_then(|m| m.get("media_type"))
                .and_then(Value::as_str);
            calls.media = marked
                .map(str::to_owned)
                .or_else(|| content.map(|(media, _)| media.clone()));
            let vendored_schema = vendored
                .and_then(|v| v.get("requestBody"))
                .map(|b| walk::deref(source, b))
                .and_then(|b| {
                    b.get("content")?
                        .get(calls.media.as_deref()?)?
                        .get("schema")
                });
            let (root, schema) = match vendored_schema {
                Some(schema) => (source, Some(schema)),
                None => (root, content.and_then(|(_, m)| m.get("schema"))),
            };
            if is_bytes(ty) {
                calls.required.push(("body".to_owned(), Arg::Bytes));
                calls.all.push(("body".to_owned(), Arg::Bytes));
            } else {
                let schema = schema.cloned().unwrap_or(Value::Bool(true));
                let required_body = operation
                    .get("requestBody")
                    .map(|b| walk::deref(root, b))
                    .and_then(|b| b.get("required"))
                    == Some(&Value::Bool(true));
                let form = calls.media.as_deref().is_some_and(is_form);
                let full_value = instances::to_send(root, &schema, true);
                for (full, call) in [(false, &mut calls.required), (true, &mut calls.all)] {
                    let value = if full {
                        full_value.clone()
                    } else {
                        instances::to_send(root, &schema, false).map(|v| {
                            if required_body && form {
                                at_least_one_part(v, full_value.as_ref())
                            } else {
                                v
                            }
                        })
                    };
                    match value {
                        Some(v) => {
                            call.push(("body".to_owned(), json_arg(ty, &as_text_body(ty, v))))
                        }
                        None => calls
                            .gaps
                            .push("the body: no value of its schema could be made".to_owned()),
                    }
                }
            }
        }
        calls.gaps.sort();
        calls.gaps.dedup();
        out.push(calls);
    }
    out.sort_by(|a, b| a.method.cmp(&b.method));
    out
}

/// The operation documents a `2XX` response (or only `default`, which
/// covers success).
fn documents_success(operation: &Value) -> bool {
    let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
        return true;
    };
    responses.keys().any(|k| k.starts_with('2')) || responses.keys().all(|k| k == "default")
}

/// A form media type: its body is its properties as parts.
pub(super) fn is_form(media: &str) -> bool {
    media.starts_with("multipart/form-data")
        || media.starts_with("application/x-www-form-urlencoded")
}

/// **Rule: a required form body has a part.** A form with no properties
/// encodes as nothing (`x-www-form-urlencoded`: an empty body;
/// `multipart`: RFC 2046 requires at least one body part), which is no
/// body at all; so when the spec requires the body and none of its
/// properties, the required-arguments call sends the first property of
/// the every-argument call.
fn at_least_one_part(minimal: Value, full: Option<&Value>) -> Value {
    match (&minimal, full) {
        (Value::Object(m), Some(Value::Object(f))) if m.is_empty() => f
            .iter()
            .next()
            .map(|(k, v)| Value::Object([(k.clone(), v.clone())].into_iter().collect()))
            .unwrap_or(minimal),
        _ => minimal,
    }
}

/// **Rule: a text body is text.** A body the client takes as a string (a
/// media type it does not encode, like XML, is the caller's text) gets the
/// instance as JSON text when the schema's instance is not a string.
fn as_text_body(ty: &str, v: Value) -> Value {
    let text = is_text(ty);
    match v {
        Value::String(_) => v,
        v if text => Value::String(v.to_string()),
        v => v,
    }
}

/// **Rule: a parameter the client takes as text gets the text the spec's
/// value is sent as.** A path parameter whose schema is no one scalar type
/// takes a string (`normalize`'s `path-text`), its `simple` form: a
/// scalar's plain text (`1`), an array's items joined by `,`, an object's
/// keys and values so; a parameter of JSON content its JSON text.
fn as_text(ty: &str, location: &str, v: Value) -> Value {
    fn simple(v: &Value) -> String {
        match v {
            Value::String(s) => s.clone(),
            Value::Array(items) => items.iter().map(simple).collect::<Vec<_>>().join(","),
            Value::Object(map) => map
                .iter()
                .flat_map(|(k, v)| [k.clone(), simple(v)])
                .collect::<Vec<_>>()
                .join(","),
            v => v.to_string(),
        }
    }
    match v {
        Value::String(_) => v,
        v if location == "path" && is_text(ty) => Value::String(simple(&v)),
        v => as_text_body(ty, v),
    }
}

/// **Rule: a parameter's scalar is sent as its schema's `type` says.** On
/// the wire a scalar is its text, so an instance of another JSON type (an
/// enum member the spec writes as `true` under `type: string`, or as
/// `"false"` under `type: boolean`) is the same bytes as the stated type's
/// value of that text, which the setter's type reads; whether the value
/// is one the schema admits is the server's judgement, not the call's.
fn stated_text(schema: &Value, v: Value) -> Value {
    let stated = schema.get("type").and_then(Value::as_str);
    match (stated, v) {
        (Some("string"), v @ (Value::Bool(_) | Value::Number(_))) => Value::String(v.to_string()),
        (Some("boolean"), Value::String(t)) if t == "true" || t == "false" => {
            Value::Bool(t == "true")
        }
        (Some("integer" | "number"), Value::String(t)) => match t.parse::<serde_json::Number>() {
            Ok(n) if stated == Some("number") || n.is_i64() || n.is_u64() => Value::Number(n),
            _ => Value::String(t),
        },
        (_, v) => v,
    }
}

/// **Rule: a parameter's value is text on the wire, so a union's value is
/// one whose text only one member reads.** `oneOf: [integer, string]`
/// sent as `1` is the text `1`, which a server reading the text takes as
/// either member (and `oneOf` then as neither); a member's instance that
/// is text no number or boolean reads as is sent instead, when there is
/// one.
fn unambiguous_text(root: &Value, schema: &Value, v: Value, full: bool) -> Value {
    if !matches!(v, Value::Number(_) | Value::Bool(_)) {
        return v;
    }
    let Some(members) = walk::deref(root, schema)
        .get("oneOf")
        .and_then(Value::as_array)
    else {
        return v;
    };
    let plain_text = |m: &Value| match m {
        Value::String(t) => t.parse::<f64>().is_err() && t != "true" && t != "false",
        _ => false,
    };
    members
        .iter()
        .filter_map(|m| instances::to_send(root, m, full))
        .find(plain_text)
        .unwrap_or(v)
}

/// The setter takes a `String`.
fn is_text(ty: &str) -> bool {
    matches!(
        ty.replace(' ', "").as_str(),
        "String" | "::std::string::String" | "std::string::String"
    )
}

fn json_arg(ty: &str, v: &Value) -> Arg {
    Arg::Json {
        ty: ty.to_owned(),
        json: v.to_string(),
    }
}

fn is_bytes(ty: &str) -> bool {
    ty.replace(' ', "").ends_with("reqwest::Body")
}

/// The parameters of an operation: those of its path item that it does not
/// override, its own, then those the `normalize` stage handed over to the
/// `extend` stage (`x-codegen-params`), each with the setter names the
/// generator may have given it.
fn parameters<'a>(root: &'a Value, path: &str, operation: &'a Value) -> Vec<Param<'a>> {
    let list = |v: Option<&'a Value>| -> Vec<&'a Value> {
        v.and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|p| walk::deref(root, p))
            .collect()
    };
    let own = list(operation.get("parameters"));
    let key = |p: &Value| (p.get("name").cloned(), p.get("in").cloned());
    let shared: Vec<&Value> = list(root["paths"][path].get("parameters"))
        .into_iter()
        .filter(|s| !own.iter().any(|p| key(p) == key(s)))
        .collect();
    let kept = shared.into_iter().chain(own).map(|p| {
        let name = p.get("name").and_then(Value::as_str).unwrap_or("");
        Param {
            name,
            location: p.get("in").and_then(Value::as_str).unwrap_or(""),
            required: p.get("required") == Some(&Value::Bool(true)),
            schema: walk::parameter_schema(p),
            candidates: vec![sanitize(name, Case::Snake)],
        }
    });
    let handed = list(operation.get(crate::normalize::parameters::MARKER))
        .into_iter()
        .map(|p| {
            let name = p.get("name").and_then(Value::as_str).unwrap_or("");
            let location = p.get("in").and_then(Value::as_str).unwrap_or("");
            let base = sanitize(name, Case::Snake);
            Param {
                name,
                location,
                required: p.get("required") == Some(&Value::Bool(true)),
                schema: walk::parameter_schema(p),
                // The `extend` stage's choice: the name, its symbols spelled
                // out, or the name and the location.
                candidates: vec![
                    base.clone(),
                    sanitize(&spell_symbols(name), Case::Snake),
                    sanitize(&format!("{base}_{location}"), Case::Snake),
                ],
            }
        });
    kept.chain(handed).collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{as_text, stated_text, unambiguous_text};

    #[test]
    fn a_union_parameter_gets_text_only_one_member_reads() {
        let root = json!({"components": {"schemas": {
            "Id": {"type": "integer", "minimum": 1},
            "Slug": {"type": "string", "pattern": "^[a-z]+$"}
        }}});
        let union = json!({"oneOf": [
            {"$ref": "#/components/schemas/Id"}, {"$ref": "#/components/schemas/Slug"}
        ]});
        let sent = unambiguous_text(&root, &union, json!(1), true);
        let text = sent.as_str().expect("the string member's instance");
        assert!(text.parse::<f64>().is_err(), "{text}");
        // Text already, or no union: as made.
        assert_eq!(
            unambiguous_text(&root, &union, json!("ab"), true),
            json!("ab")
        );
        let id = json!({"$ref": "#/components/schemas/Id"});
        assert_eq!(unambiguous_text(&root, &id, json!(1), true), json!(1));
    }

    #[test]
    fn a_string_parameters_scalar_instance_is_its_text() {
        let string = json!({"type": "string", "enum": [true, false]});
        assert_eq!(stated_text(&string, json!(true)), json!("true"));
        assert_eq!(stated_text(&string, json!(10)), json!("10"));
        assert_eq!(stated_text(&string, json!("s")), json!("s"));
        // And the other way: text under `type: boolean` or `integer`.
        let boolean = json!({"type": "boolean", "enum": ["false", "true"]});
        assert_eq!(stated_text(&boolean, json!("false")), json!(false));
        assert_eq!(stated_text(&boolean, json!(true)), json!(true));
        let integer = json!({"type": "integer"});
        assert_eq!(stated_text(&integer, json!("10")), json!(10));
        assert_eq!(stated_text(&integer, json!("1.5")), json!("1.5"));
        assert_eq!(
            stated_text(&json!({"type": "number"}), json!("1.5")),
            json!(1.5)
        );
    }

    #[test]
    fn a_path_parameter_taken_as_text_gets_its_simple_form() {
        let text = "::std::string::String";
        // `oneOf: [integer, string]`, an array, an object: `path-text`.
        assert_eq!(as_text(text, "path", json!(1)), json!("1"));
        assert_eq!(as_text(text, "path", json!([1, 2])), json!("1,2"));
        assert_eq!(
            as_text(text, "path", json!({"a": 1, "b": "x"})),
            json!("a,1,b,x")
        );
        // A string is itself; a typed setter takes the value as it is.
        assert_eq!(as_text(text, "path", json!("s")), json!("s"));
        assert_eq!(as_text("i64", "path", json!(1)), json!(1));
        // Elsewhere a text setter is JSON content: its JSON text.
        assert_eq!(as_text(text, "query", json!({"a": 1})), json!("{\"a\":1}"));
    }
}
