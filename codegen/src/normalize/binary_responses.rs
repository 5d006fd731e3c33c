//! `binary-responses`: a response body of octets is read as octets.
//!
//! **Rule (OpenAPI 3.0.3, Data Types: `format: binary` is "any sequence of
//! octets"; Swagger 2.0, Response Object: `type: file` is a file):** a
//! response whose schema is `{type: string, format: binary}` is the body's
//! bytes, whatever media type it is listed under. Listed under
//! `application/json` (Swagger 2.0 files converted with an operation's
//! `produces: [application/json]`, Docker's log streams), the generator
//! would read the body as a JSON string, and a real server's file (a JSON
//! export, an image) is no JSON string: the client failed on every
//! response. Such an entry is moved to `application/octet-stream` (its
//! schema and examples with it), so the method returns the body as a byte
//! stream; when the response lists `application/octet-stream` already, the
//! JSON entry is removed. Each move is reported with its location.

use serde_json::{Map, Value};

use super::Normalized;
use crate::load::join_key;
use crate::walk;

/// Where octets go.
const OCTETS: &str = "application/octet-stream";

/// Whether `media` is one the generator reads as JSON (progenitor's test).
fn read_as_json(media: &str) -> bool {
    media == "application/json" || media.starts_with("application/json;")
}

/// Whether `schema` (dereferenced) is a string of octets.
fn is_octets(root: &Value, schema: &Value) -> bool {
    let s = walk::deref(root, schema);
    s.get("type").and_then(Value::as_str) == Some("string")
        && s.get("format").and_then(Value::as_str) == Some("binary")
}

/// The JSON media keys of `response` whose schema is octets.
fn octet_keys(root: &Value, response: &Value) -> Vec<String> {
    response
        .get("content")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(media, entry)| {
            read_as_json(media) && entry.get("schema").is_some_and(|s| is_octets(root, s))
        })
        .map(|(media, _)| media.clone())
        .collect()
}

/// `binary-responses` on every response of every operation and component.
pub(super) fn rewrite(n: &mut Normalized) {
    // Planned (where, which keys), then written.
    let mut plan: Vec<(Vec<String>, String, Vec<String>)> = Vec::new();
    let root = &n.value;
    for (op, status, response) in walk::responses(root) {
        let keys = octet_keys(root, response);
        if !keys.is_empty() {
            let at = join_key(&join_key(&op.at, "responses"), status);
            let pointer = vec![
                "paths".to_owned(),
                op.path.clone(),
                op.method.clone(),
                "responses".to_owned(),
                status.clone(),
            ];
            plan.push((pointer, at, keys));
        }
    }
    if let Some(Value::Object(shared)) = root.pointer("/components/responses") {
        for (name, response) in shared {
            let keys = octet_keys(root, response);
            if !keys.is_empty() {
                let pointer = vec![
                    "components".to_owned(),
                    "responses".to_owned(),
                    name.clone(),
                ];
                plan.push((pointer, join_key("components.responses", name), keys));
            }
        }
    }
    for (pointer, at, keys) in plan {
        let mut node = &mut n.value;
        for key in &pointer {
            node = &mut node[key.as_str()];
        }
        let Some(Value::Object(content)) = node.get_mut("content") else {
            continue;
        };
        for key in keys {
            if content.contains_key(OCTETS) {
                content.shift_remove(&key);
                n.changes.push(super::Change {
                    step: "binary-responses",
                    what: format!("{at}: the `{key}` body of `format: binary` removed beside `{OCTETS}`: the body is read as bytes"),
                });
            } else {
                rename(content, &key);
                n.changes.push(super::Change {
                    step: "binary-responses",
                    what: format!("{at}: the `{key}` body of `format: binary` listed as `{OCTETS}`: the body is read as bytes, not as a JSON string"),
                });
            }
        }
    }
}

/// Put `content[key]` under [`OCTETS`] at its place.
fn rename(content: &mut Map<String, Value>, key: &str) {
    let taken = std::mem::take(content);
    for (media, entry) in taken {
        let media = if media == key {
            OCTETS.to_owned()
        } else {
            media
        };
        content.insert(media, entry);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn octets_under_json_are_read_as_bytes_and_other_bodies_stay() {
        let file = json!({"type": "string", "format": "binary"});
        let mut n = Normalized::of(json!({
            "paths": {"/export": {"get": {"responses": {
                "200": {"description": "a file", "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/File"}},
                    "text/plain": {"schema": file}
                }},
                "201": {"description": "a string", "content": {"application/json": {"schema": {"type": "string"}}}},
                "202": {"description": "both", "content": {
                    "application/json; charset=utf-8": {"schema": file},
                    "application/octet-stream": {"schema": file}
                }},
                "404": {"$ref": "#/components/responses/Gone"}
            }}}},
            "components": {
                "schemas": {"File": file},
                "responses": {"Gone": {"description": "gone", "content": {"application/json": {"schema": file}}}}
            }
        }));
        rewrite(&mut n);
        let r = &n.value["paths"]["/export"]["get"]["responses"];
        let keys = |v: &Value| {
            v["content"]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect::<Vec<_>>()
        };
        assert_eq!(keys(&r["200"]), [OCTETS, "text/plain"]);
        assert_eq!(
            r["200"]["content"][OCTETS]["schema"]["$ref"],
            "#/components/schemas/File"
        );
        assert_eq!(keys(&r["201"]), ["application/json"]);
        assert_eq!(keys(&r["202"]), [OCTETS]);
        assert_eq!(keys(&n.value["components"]["responses"]["Gone"]), [OCTETS]);
        assert_eq!(n.changes.len(), 3);
        assert!(
            n.changes[0]
                .what
                .starts_with("paths./export.get.responses.200: the `application/json` body")
        );
    }
}
