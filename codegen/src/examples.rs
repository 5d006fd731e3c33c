//! Examples a spec documents, for the conformance check
//! ([`crate::conformance`]): every JSON value the spec says the API sends or
//! accepts, with where it was found and what it is an example of.
//!
//! Sources, in document order:
//!
//! | where                                                   | what it is           |
//! |---------------------------------------------------------|----------------------|
//! | `requestBody.content.<json>.example` / `.examples.*.value` | a request body    |
//! | `responses.<status>.content.<json>.example` / `.examples.*.value` | a response body |
//! | `components.schemas.<name>.example` / `.examples[*]`    | a value of a schema  |
//! | `x-oaiMeta.examples[*].response` (OpenAI, a JSON string) | a success response  |
//! | `x-oaiMeta.examples[*].request.curl` (`-d '{..}'`)      | a request body       |
//!
//! Only JSON media types count (`application/json`, `*+json`). An OpenAI
//! response string that is not JSON (an event stream, say) or a curl call
//! without a JSON `-d` body is not an example of a JSON value and is skipped.

use serde_json::Value;

use crate::load::{join_index, join_key};
use crate::walk;

/// What an example is an example of.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Subject {
    /// The request body of the operation at `method path`.
    Request {
        /// Lower-case HTTP method.
        method: String,
        /// Path template.
        path: String,
    },
    /// A response body of the operation at `method path`.
    Response {
        /// Lower-case HTTP method.
        method: String,
        /// Path template.
        path: String,
        /// The status code (`200`, `4XX`, `default`); `None`: the success
        /// response (OpenAI's `x-oaiMeta` examples do not say).
        status: Option<String>,
    },
    /// A value of `components.schemas.<name>`.
    Schema {
        /// The schema's name.
        name: String,
    },
}

/// One documented example.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// Where it is in the spec (`paths./a.post.x-oaiMeta.examples[0].response`).
    pub at: String,
    /// The operation's id, when the example belongs to an operation.
    pub operation_id: Option<String>,
    /// What it is an example of.
    pub subject: Subject,
    /// The example value.
    pub value: Value,
}

/// Every example of `root` (a whole OpenAPI document as JSON).
pub fn collect(root: &Value) -> Vec<Example> {
    let mut out = Vec::new();
    for op in walk::operations(root) {
        let Some(operation) = walk::operation(root, &op) else {
            continue;
        };
        let mut push = |at: String, subject: Subject, value: Value| {
            out.push(Example {
                at,
                operation_id: op.id.clone(),
                subject,
                value,
            })
        };
        let request = || Subject::Request {
            method: op.method.clone(),
            path: op.path.clone(),
        };
        let response = |status: Option<&str>| Subject::Response {
            method: op.method.clone(),
            path: op.path.clone(),
            status: status.map(str::to_owned),
        };
        if let Some(body) = operation.get("requestBody") {
            let body = walk::deref(root, body);
            let at = join_key(&op.at, "requestBody");
            for (at, value) in media_examples(root, body, &at) {
                push(at, request(), value);
            }
        }
        if let Some(Value::Object(responses)) = operation.get("responses") {
            for (status, response_obj) in responses {
                let at = join_key(&join_key(&op.at, "responses"), status);
                for (at, value) in media_examples(root, walk::deref(root, response_obj), &at) {
                    push(at, response(Some(status)), value);
                }
            }
        }
        if let Some(meta) = operation.get("x-oaiMeta").and_then(|m| m.get("examples")) {
            let at = join_key(&join_key(&op.at, "x-oaiMeta"), "examples");
            let list: Vec<(String, &Value)> = match meta {
                Value::Array(items) => items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (join_index(&at, i), v))
                    .collect(),
                other => vec![(at, other)],
            };
            for (at, example) in list {
                if let Some(value) = example
                    .get("response")
                    .and_then(Value::as_str)
                    .and_then(parse_json_text)
                {
                    push(join_key(&at, "response"), response(None), value);
                }
                if let Some(value) = example
                    .get("request")
                    .and_then(|r| r.get("curl"))
                    .and_then(Value::as_str)
                    .and_then(curl_json_body)
                {
                    push(
                        join_key(&join_key(&at, "request"), "curl"),
                        request(),
                        value,
                    );
                }
            }
        }
    }
    if let Some(Value::Object(schemas)) = root.pointer("/components/schemas") {
        for (name, schema) in schemas {
            let at = join_key("components.schemas", name);
            let subject = || Subject::Schema { name: name.clone() };
            if let Some(value) = schema.get("example") {
                out.push(Example {
                    at: join_key(&at, "example"),
                    operation_id: None,
                    subject: subject(),
                    value: value.clone(),
                });
            }
            // OpenAPI 3.1 / JSON Schema: `examples` is an array of values.
            if let Some(Value::Array(values)) = schema.get("examples") {
                for (i, value) in values.iter().enumerate() {
                    out.push(Example {
                        at: join_index(&join_key(&at, "examples"), i),
                        operation_id: None,
                        subject: subject(),
                        value: value.clone(),
                    });
                }
            }
        }
    }
    out
}

/// Whether a media type is a form (`x-www-form-urlencoded`,
/// `multipart/form-data`): its body is its schema's properties as parts.
pub fn is_form_media(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or("").trim();
    essence.eq_ignore_ascii_case("application/x-www-form-urlencoded")
        || essence.eq_ignore_ascii_case("multipart/form-data")
}

/// Whether a media type carries JSON.
pub fn is_json_media(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or("").trim();
    essence.eq_ignore_ascii_case("application/json")
        || essence.to_ascii_lowercase().ends_with("+json")
}

/// The `example` and `examples.*.value` of every JSON media type under
/// `holder.content` (a request body or a response object).
fn media_examples(root: &Value, holder: &Value, at: &str) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let Some(Value::Object(content)) = holder.get("content") else {
        return out;
    };
    for (media, object) in content {
        if !is_json_media(media) {
            continue;
        }
        let at = join_key(&join_key(at, "content"), media);
        if let Some(value) = object.get("example") {
            out.push((join_key(&at, "example"), value.clone()));
        }
        if let Some(Value::Object(examples)) = object.get("examples") {
            for (name, example) in examples {
                // An Example Object (possibly by `$ref`); `externalValue`
                // points outside the document and is not followed.
                if let Some(value) = walk::deref(root, example).get("value") {
                    out.push((
                        join_key(&join_key(&join_key(&at, "examples"), name), "value"),
                        value.clone(),
                    ));
                }
            }
        }
    }
    out
}

/// A JSON object or array written as text (OpenAI's response examples).
/// Anything else (an event stream, a binary placeholder) is not a JSON body.
fn parse_json_text(text: &str) -> Option<Value> {
    let trimmed = text.trim();
    if !(trimmed.starts_with('{') || trimmed.starts_with('[')) {
        return None;
    }
    serde_json::from_str(trimmed).ok()
}

/// The JSON body of a curl command line: the argument of `-d`, `--data`,
/// `--data-raw` or `--data-binary`, quoted with `'` (as the shell reads it:
/// up to the next `'`) or `"` (with `\"` escapes). `None` when there is no
/// such argument or it is not a JSON object or array.
pub fn curl_json_body(command: &str) -> Option<Value> {
    const FLAGS: [&str; 4] = ["--data-binary", "--data-raw", "--data", "-d"];
    let mut rest = command;
    while let Some(pos) = rest.find(['-']) {
        let here = &rest[pos..];
        let flag = FLAGS.iter().find(|f| {
            here.starts_with(**f)
                && here[f.len()..].starts_with(|c: char| c.is_whitespace() || c == '=')
        });
        let Some(flag) = flag else {
            rest = &here[1..];
            continue;
        };
        let arg = here[flag.len()..].trim_start_matches(|c: char| c.is_whitespace() || c == '=');
        let body = if let Some(quoted) = arg.strip_prefix('\'') {
            quoted.find('\'').map(|end| quoted[..end].to_owned())
        } else if let Some(quoted) = arg.strip_prefix('"') {
            let mut body = String::new();
            let mut chars = quoted.chars();
            let mut closed = false;
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        if let Some(next) = chars.next() {
                            if !matches!(next, '"' | '\\' | '$' | '`') {
                                body.push('\\');
                            }
                            body.push(next);
                        }
                    }
                    '"' => {
                        closed = true;
                        break;
                    }
                    c => body.push(c),
                }
            }
            closed.then_some(body)
        } else {
            None
        };
        if let Some(value) = body.as_deref().and_then(parse_json_text) {
            return Some(value);
        }
        rest = &here[flag.len()..];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn curl_bodies() {
        let cmd = "curl https://x/v1/a \\\n  -H \"Content-Type: application/json\" \\\n  -d '{\n \"a\": [1, 2]\n }'";
        assert_eq!(curl_json_body(cmd), Some(json!({"a": [1, 2]})));
        assert_eq!(
            curl_json_body(r#"curl x --data "{\"b\": \"c\"}""#),
            Some(json!({"b": "c"}))
        );
        // A form upload is not a JSON body.
        assert_eq!(curl_json_body("curl x -F file=@a.txt -F purpose=x"), None);
        assert_eq!(curl_json_body("curl x -d 'not json'"), None);
        assert_eq!(curl_json_body("curl -X DELETE x"), None);
    }

    #[test]
    fn collects_every_source() {
        let doc = json!({
            "paths": {"/a": {"post": {
                "operationId": "make",
                "requestBody": {"content": {
                    "application/json": {"example": {"x": 1}},
                    "multipart/form-data": {"example": {"no": 1}}
                }},
                "responses": {"200": {"content": {"application/json": {
                    "examples": {"one": {"value": {"y": 2}}, "two": {"$ref": "#/components/examples/E"}}
                }}}},
                "x-oaiMeta": {"examples": [
                    {"request": {"curl": "curl x -d '{\"z\": 3}'"}, "response": "{\"w\": 4}"},
                    {"response": "data: {}\n\ndata: [DONE]"}
                ]}
            }}},
            "components": {
                "examples": {"E": {"value": {"y": 3}}},
                "schemas": {"S": {"example": "s", "examples": ["t"]}}
            }
        });
        let found: Vec<(String, Value)> =
            collect(&doc).into_iter().map(|e| (e.at, e.value)).collect();
        assert_eq!(
            found,
            [
                (
                    "paths./a.post.requestBody.content.application/json.example".to_owned(),
                    json!({"x": 1})
                ),
                (
                    "paths./a.post.responses.200.content.application/json.examples.one.value"
                        .to_owned(),
                    json!({"y": 2})
                ),
                (
                    "paths./a.post.responses.200.content.application/json.examples.two.value"
                        .to_owned(),
                    json!({"y": 3})
                ),
                (
                    "paths./a.post.x-oaiMeta.examples[0].response".to_owned(),
                    json!({"w": 4})
                ),
                (
                    "paths./a.post.x-oaiMeta.examples[0].request.curl".to_owned(),
                    json!({"z": 3})
                ),
                ("components.schemas.S.example".to_owned(), json!("s")),
                ("components.schemas.S.examples[0]".to_owned(), json!("t")),
            ]
        );
    }
}
