//! `media-types`: request bodies progenitor cannot send, made into ones it
//! can, with a marker that tells the `extend` stage what to send instead.
//! Nothing is lost: every media type of every body stays callable.
//!
//! * **Several media types** (`multipart/form-data` and `application/json`):
//!   progenitor takes one body per operation. The operation keeps its name
//!   and its JSON body (else its first); each other media type becomes a
//!   copy of the operation named `<operationId>_<kind>` (`create_image_edit_multipart`),
//!   under the same path with a `#codegen-media-<kind>` fragment that keeps the copy's
//!   key unique (a fragment never reaches the server; `extend` removes it
//!   from the generated URL and docs anyway).
//! * **`multipart/form-data`**: sent by progenitor as a form it can
//!   generate (`application/x-www-form-urlencoded`), whose `send()`
//!   `extend` rewrites to send multipart. File properties (`format: binary`,
//!   or 3.1's `contentMediaType`), also as array items or union members,
//!   become `$ref`s to [`FILE_PART_SCHEMA`], which the generator maps to
//!   `crate::runtime::FilePart`. The spec's `encoding` content types are
//!   kept in the marker. A body schema that other bodies also use is copied
//!   (`<Name>Multipart`) so only the multipart body gets file parts.
//! * **Every other media type** is sendable, with its own `Content-Type`:
//!   `+json` as JSON; textual ones (`text/*`, XML, YAML, CSV, `+xml`) as
//!   the caller's text; anything else (an image, `application/dicom`,
//!   `application/x-msgpack`) as the caller's bytes. The caller serializes
//!   (typed XML is not generated); the schema stays in the docs.
//!
//! The marker is the operation's `x-codegen-request` extension:
//! `{media_type, encoding: [[property, content type], ...], fragment}`.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use super::Normalized;
use crate::naming::{Case, Names};
use crate::walk::{self, OpAt};

/// The component every file property refers to after this step.
pub const FILE_PART_SCHEMA: &str = "XCodegenFilePart";

/// The operation extension read by the `extend` stage.
pub const MARKER: &str = "x-codegen-request";

/// What tells the path of a method made for another media type apart:
/// `/images/edits#codegen-media-multipart`. (A plain `#` will not do: AWS
/// specs put `#X-Amz-Target=..` in their paths.)
pub const COPY_MARK: &str = "#codegen-media-";

/// `paths./x#codegen-media-text.post` -> `paths./x.post`: where a method
/// made for another media type comes from in the spec as written.
pub fn without_copy_mark(at: &str) -> String {
    let mark = COPY_MARK;
    match at.find(mark) {
        Some(start) => {
            let rest = &at[start + mark.len()..];
            let end = rest.find('.').map_or(at.len(), |i| start + mark.len() + i);
            format!("{}{}", &at[..start], &at[end..])
        }
        None => at.to_owned(),
    }
}

/// How progenitor will send a media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Send {
    /// As it is (progenitor supports it).
    Native,
    /// As `multipart/form-data` (via a form body).
    Multipart,
    /// As JSON, with its own content type.
    Json,
    /// As text, with its own content type.
    Text,
    /// As bytes, with its own content type.
    Bytes,
}

/// A media type without its parameters, lower case (media types are
/// case-insensitive): `Text/Plain; charset=utf-8` -> `text/plain`.
fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Whether `schema` (dereferenced) describes an object or an array.
fn is_structured(schema: &Value) -> bool {
    matches!(
        schema.get("type").and_then(Value::as_str),
        Some("object" | "array")
    ) || schema.get("properties").is_some()
        || schema.get("allOf").is_some()
}

/// Takes the media type's `encoding` (property -> Encoding object) out.
fn take_encoding(media: &mut Value) -> Map<String, Value> {
    match media
        .as_object_mut()
        .and_then(|m| m.shift_remove("encoding"))
    {
        Some(Value::Object(encoding)) => encoding,
        _ => Map::new(),
    }
}

/// How `media_type` with `schema` can be sent.
fn classify(root: &Value, media_type: &str, schema: Option<&Value>) -> Send {
    let essence = essence(media_type);
    let schema = schema.map(|s| walk::deref(root, s));
    let is_string = schema.and_then(|s| s.get("type")) == Some(&json!("string"));
    // An object or array schema under a text or byte media type is JSON
    // the API takes under that name (Docker's `text/plain` specs).
    let is_structured = schema.is_some_and(is_structured);
    match essence.as_str() {
        "application/json" | "application/x-www-form-urlencoded" => Send::Native,
        "application/octet-stream" | "text/plain" | "text/x-markdown" if !is_structured => {
            Send::Native
        }
        "multipart/form-data" => Send::Multipart,
        e if e.ends_with("+json") || e.ends_with("/json") => Send::Json,
        _ if is_string && schema.is_some_and(|s| is_binary(root, s)) => Send::Bytes,
        "application/octet-stream" | "text/plain" | "text/x-markdown" => Send::Json,
        // Any other media type (XML, YAML, CSV, `application/x-jsonnet`,
        // `application/dicom`, ...): the caller serializes the body and it
        // is sent as given, under the spec's `Content-Type`. Textual types
        // take text, the rest bytes; the schema stays in the docs.
        e if is_textual(e) || is_string => Send::Text,
        _ => Send::Bytes,
    }
}

/// Whether a media type (its essence, lower case) is text a caller writes
/// as a string: `text/*`, XML, YAML, CSV and the like (`+xml`, `+yaml`
/// suffixes included). Anything else is sent as bytes.
fn is_textual(essence: &str) -> bool {
    let subtype = essence.rsplit('/').next().unwrap_or(essence);
    let suffix = subtype.rsplit('+').next().unwrap_or(subtype);
    essence.starts_with("text/")
        || matches!(
            suffix,
            "xml" | "yaml" | "x-yaml" | "csv" | "javascript" | "ecmascript" | "graphql" | "sql"
        )
}

/// The media type progenitor is given for a kind.
fn native_type(send: Send) -> Option<&'static str> {
    match send {
        Send::Multipart => Some("application/x-www-form-urlencoded"),
        Send::Json => Some("application/json"),
        Send::Text => Some("text/plain"),
        Send::Bytes => Some("application/octet-stream"),
        Send::Native => None,
    }
}

/// A short name for a media type: the suffix of an operation copy.
fn kind_name(media_type: &str) -> String {
    let essence = essence(media_type);
    let name = match essence.as_str() {
        "multipart/form-data" => "multipart",
        "application/json" => "json",
        "application/x-www-form-urlencoded" => "form",
        "application/octet-stream" => "bytes",
        "text/plain" => "text",
        "*/*" => "any",
        other if other.ends_with("/*") => &other[..other.len() - 2],
        other => other.rsplit('/').next().unwrap_or(other),
    };
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// Whether `schema` (followed through `$ref`) is a file: a binary string.
fn is_binary(root: &Value, schema: &Value) -> bool {
    let s = walk::deref(root, schema);
    s.get("type") == Some(&json!("string"))
        && (s.get("format") == Some(&json!("binary"))
            || (s.get("contentMediaType").is_some() && s.get("contentEncoding").is_none()))
}

/// Run the step.
pub(super) fn rewrite(n: &mut Normalized) {
    stray_encodings(n);
    schemaless_json_responses(n);
    ranged_json_responses(n);
    split(n);
    // Component names, kept up to date as this step adds some.
    let mut taken = super::component_type_names(&n.value);
    let mut refs = RefCounts::default();
    for op in walk::operations(&n.value) {
        mark(n, &op, &mut taken, &mut refs);
        name_event_schema(n, &op, &mut taken, &mut refs);
    }
    #[cfg(test)]
    if let Some(kept) = &refs.0 {
        assert_eq!(
            kept,
            &RefCounts::count(&n.value),
            "reference counts kept up to date"
        );
    }
}

/// OpenAPI: a Media Type's `encoding` "SHALL only apply to" multipart and
/// `application/x-www-form-urlencoded` request bodies. Anywhere else (a
/// JSON body, a response) it means nothing, and progenitor panics on it;
/// it is removed and reported, so the spec can be fixed.
fn stray_encodings(n: &mut Normalized) {
    let mut removed = Vec::new();
    let form = |media_type: &str| {
        let e = essence(media_type);
        e.starts_with("multipart/") || e == "application/x-www-form-urlencoded"
    };
    let mut strip = |at: String, content: &mut Value, is_body: bool| {
        let Some(content) = content.as_object_mut() else {
            return;
        };
        for (media_type, media) in content.iter_mut() {
            if is_body && form(media_type) {
                continue;
            }
            if let Some(m) = media.as_object_mut()
                && m.shift_remove("encoding").is_some()
            {
                removed.push(format!("{at}.content.{media_type}"));
            }
        }
    };
    let ops = walk::operations(&n.value);
    for op in ops {
        let Some(Value::Object(o)) = walk::operation_mut(&mut n.value, &op) else {
            continue;
        };
        if let Some(content) = o.get_mut("requestBody").and_then(|b| b.get_mut("content")) {
            strip(format!("{}.requestBody", op.at), content, true);
        }
        if let Some(Value::Object(responses)) = o.get_mut("responses") {
            for (status, r) in responses.iter_mut() {
                if let Some(content) = r.get_mut("content") {
                    strip(format!("{}.responses.{status}", op.at), content, false);
                }
            }
        }
    }
    for (kind, is_body) in [("requestBodies", true), ("responses", false)] {
        if let Some(Value::Object(items)) =
            n.value.get_mut("components").and_then(|c| c.get_mut(kind))
        {
            for (name, item) in items.iter_mut() {
                if let Some(content) = item.get_mut("content") {
                    strip(format!("components.{kind}.{name}"), content, is_body);
                }
            }
        }
    }
    for at in removed {
        n.change(
            "media-types",
            format!("{at}: `encoding` removed (it applies to multipart and form bodies only)"),
        );
    }
}

/// How many `$ref`s point at each target, across the whole document (data
/// too: a plain walk). Whether a multipart body's component is shared
/// decides if it is copied; the counts are taken once, on first need, and
/// every edit of this step after that takes out the references of what it
/// replaces and adds those of what it writes, so the document is walked
/// once, not once per multipart body.
#[derive(Default)]
struct RefCounts(Option<HashMap<String, usize>>);

impl RefCounts {
    fn count(root: &Value) -> HashMap<String, usize> {
        let mut counts = HashMap::new();
        tally(root, &mut counts, true);
        counts
    }

    /// The number of `$ref`s to `reference` in `root`, the document as it
    /// is now.
    fn get(&mut self, root: &Value, reference: &str) -> usize {
        let counts = self.0.get_or_insert_with(|| Self::count(root));
        counts.get(reference).copied().unwrap_or(0)
    }

    /// `value` is about to be replaced or edited.
    fn remove(&mut self, value: &Value) {
        if let Some(counts) = &mut self.0 {
            tally(value, counts, false);
        }
    }

    /// `value` has been written.
    fn add(&mut self, value: &Value) {
        if let Some(counts) = &mut self.0 {
            tally(value, counts, true);
        }
    }
}

fn tally(value: &Value, counts: &mut HashMap<String, usize>, add: bool) {
    match value {
        Value::Object(map) => {
            if let Some(target) = map.get("$ref").and_then(Value::as_str) {
                if add {
                    *counts.entry(target.to_owned()).or_default() += 1;
                } else if let Some(n) = counts.get_mut(target) {
                    *n -= 1;
                    if *n == 0 {
                        counts.remove(target);
                    }
                }
            }
            for v in map.values() {
                tally(v, counts, add);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| tally(v, counts, add)),
        _ => {}
    }
}

/// An inline `text/event-stream` schema of a success response becomes a
/// component (`<operationId>StreamEvent`), so its events get a type of
/// their own instead of a JSON value.
fn name_event_schema(n: &mut Normalized, op: &OpAt, taken: &mut Names, refs: &mut RefCounts) {
    let Some(id) = op.id.clone() else { return };
    let Some(Value::Object(responses)) =
        walk::operation_mut(&mut n.value, op).and_then(|o| o.get_mut("responses"))
    else {
        return;
    };
    let mut named = Vec::new();
    for (code, response) in responses.iter_mut() {
        let Some(schema) = response
            .get_mut("content")
            .and_then(|c| c.get_mut("text/event-stream"))
            .and_then(|m| m.get_mut("schema"))
        else {
            continue;
        };
        if !code.starts_with('2') || schema.get("$ref").is_some() || !schema.is_object() {
            continue;
        }
        let base: String = format!("{id}StreamEvent")
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let name = taken.allocate(&base, "");
        let inline = std::mem::replace(
            schema,
            json!({ "$ref": format!("#/components/schemas/{name}") }),
        );
        // The schema moves (its references stay); the `$ref` is new.
        refs.add(schema);
        named.push((name, inline));
    }
    for (name, schema) in named {
        n.value["components"]["schemas"][&name] = schema;
        n.change(
            "media-types",
            format!("{id}: the inline event-stream schema is named {name}"),
        );
    }
}

/// A JSON response media type with no `schema` (only examples) is any
/// JSON value: progenitor stops at it otherwise.
fn schemaless_json_responses(n: &mut Normalized) {
    let mut count = 0;
    for op in walk::operations(&n.value) {
        let Some(Value::Object(responses)) =
            walk::operation_mut(&mut n.value, &op).and_then(|o| o.get_mut("responses"))
        else {
            continue;
        };
        for response in responses.values_mut() {
            let Some(Value::Object(content)) = response.get_mut("content") else {
                continue;
            };
            for (media_type, media) in content.iter_mut() {
                if media_type.starts_with("application/json")
                    && let Value::Object(m) = media
                    && !m.contains_key("schema")
                {
                    m.insert("schema".into(), json!({}));
                    count += 1;
                }
            }
        }
    }
    if count > 0 {
        n.change(
            "media-types",
            format!("{count} JSON responses without a schema are read as any JSON value"),
        );
    }
}

/// Whether a body under `media_type`, of the schema `media` gives, is
/// JSON: the range admits JSON (`*/*`, `application/*`) and the schema is
/// structured (an object, an array, `allOf`) or a JSON scalar other than a
/// string.
fn json_in_range(root: &Value, media_type: &str, media: &Value) -> bool {
    let essence = essence(media_type);
    let schema = media.get("schema").map(|s| walk::deref(root, s));
    matches!(essence.as_str(), "*/*" | "application/*")
        && schema.is_some_and(|s| {
            is_structured(s)
                || matches!(
                    s.get("type").and_then(Value::as_str),
                    Some("integer" | "number" | "boolean")
                )
        })
}

/// **Rule: a response under a media range is read as JSON when its schema
/// is.** A response documented as `*/*` (or `application/*`) with an
/// object, array or number schema is that JSON: the client asks for and
/// reads `application/json`, a type of the range, as its type, instead of
/// handing the caller bytes (the request side is [`wildcard`]).
fn ranged_json_responses(n: &mut Normalized) {
    let mut renamed = Vec::new();
    for op in walk::operations(&n.value) {
        let root = &n.value;
        let Some(responses) = walk::operation(root, &op)
            .and_then(|o| o.get("responses"))
            .and_then(Value::as_object)
        else {
            continue;
        };
        for (status, response) in responses {
            let Some(content) = response.get("content").and_then(Value::as_object) else {
                continue;
            };
            if content.keys().any(|k| essence(k) == "application/json") {
                continue;
            }
            if let Some((media_type, _)) = content.iter().find(|(k, m)| json_in_range(root, k, m)) {
                renamed.push((op.clone(), status.clone(), media_type.clone()));
            }
        }
    }
    for (op, status, media_type) in renamed {
        let Some(Value::Object(content)) = walk::operation_mut(&mut n.value, &op)
            .and_then(|o| o.get_mut("responses"))
            .and_then(|r| r.get_mut(&status))
            .and_then(|r| r.get_mut("content"))
        else {
            continue;
        };
        let old = std::mem::take(content);
        *content = old
            .into_iter()
            .map(|(k, v)| {
                if k == media_type {
                    ("application/json".to_owned(), v)
                } else {
                    (k, v)
                }
            })
            .collect();
        let name = op.id.clone().unwrap_or_else(|| op.at.clone());
        n.change(
            "media-types",
            format!("{name}: the {status} response under the media range {media_type} is read as application/json"),
        );
    }
}

/// One operation per request media type.
fn split(n: &mut Normalized) {
    // Method names are given out by their Rust form: `update-config_json`
    // (text/json) and `update-config___json` (application/*+json) would be
    // one method `update_config_json`.
    let ops = walk::operations(&n.value);
    let mut ids = Names::new(Case::Snake, ops.iter().filter_map(|op| op.id.as_deref()));
    for op in ops {
        let root = &n.value;
        let Some(o) = walk::operation(root, &op) else {
            continue;
        };
        let Some(mut body) = o.get("requestBody").map(|b| walk::deref(root, b).clone()) else {
            continue;
        };
        let Some(Value::Object(all)) = body.get("content") else {
            continue;
        };
        // **Rule: a media range beside a JSON type of the same schema adds
        // nothing.** A `Content-Type` cannot name a range; a JSON range
        // (`*/*`, `application/*`, `application/*+json`: ASP.NET lists the
        // last beside `application/json` and `text/json`) whose schema is
        // that of a listed `application/json` is that body, not a method
        // of its own.
        let json_schema = all
            .iter()
            .find(|(k, _)| essence(k) == "application/json")
            .map(|(_, m)| m.get("schema"));
        let folded: Vec<String> = all
            .iter()
            .filter(|(k, m)| {
                let e = essence(k);
                matches!(e.as_str(), "*/*" | "application/*" | "application/*+json")
                    && json_schema.is_some_and(|s| s == m.get("schema"))
            })
            .map(|(k, _)| k.clone())
            .collect();
        let content: Map<String, Value> = all
            .iter()
            .filter(|(k, _)| !folded.contains(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if !folded.is_empty() {
            body["content"] = Value::Object(content.clone());
            if let Some(id) = &op.id {
                n.change(
                    "media-types",
                    format!(
                        "{id}: the body under {} is its application/json body (same schema), sent as that",
                        folded.join(", ")
                    ),
                );
            }
            if content.len() < 2
                && let Some(o) = walk::operation_mut(&mut n.value, &op)
            {
                o["requestBody"] = body;
                continue;
            }
        }
        if content.len() < 2 {
            continue;
        }
        let root = &n.value;
        let Some(o) = walk::operation(root, &op) else {
            continue;
        };
        let keep = content
            .keys()
            .position(|k| k.starts_with("application/json"))
            .unwrap_or(0);
        let Some(id) = op.id.clone() else { continue };
        let o = o.clone();
        let path_item = n.value["paths"][&op.path].clone();
        for (i, (media_type, media)) in content.iter().enumerate() {
            let mut only = body.clone();
            only["content"] = Value::Object(Map::from_iter([(media_type.clone(), media.clone())]));
            if i == keep {
                if let Some(o) = walk::operation_mut(&mut n.value, &op) {
                    o["requestBody"] = only;
                }
                continue;
            }
            let kind = kind_name(media_type);
            let copy_id = ids.allocate(&format!("{id}_{kind}"), "");
            let mut copy = o.clone();
            copy["operationId"] = json!(copy_id);
            copy["requestBody"] = only;
            let fragment = format!("{COPY_MARK}{kind}");
            copy[MARKER] = json!({ "fragment": fragment });
            let mut item = Map::new();
            if let Some(params) = path_item.get("parameters") {
                item.insert("parameters".into(), params.clone());
            }
            item.insert(op.method.clone(), copy);
            if let Some(Value::Object(paths)) = n.value.get_mut("paths") {
                paths.insert(format!("{}{fragment}", op.path), Value::Object(item));
            }
            n.change(
                "media-types",
                format!("{id}: the {media_type} body is sent by a method of its own, {copy_id}"),
            );
        }
    }
}

/// What [`mark`] changes in one operation, planned from the document before
/// anything is written (so no copy of the document is needed).
struct Edit {
    /// The operation's new `requestBody`.
    body: Value,
    /// `(media type, encoding)` for the marker, when the body is sent as
    /// something other than what progenitor is given.
    marker: Option<(String, Vec<Value>)>,
    /// `[property, style, explode]` of a form body's properties.
    styles: Vec<Value>,
    /// A component to add or replace (a multipart body with file parts).
    component: Option<(String, Value)>,
    /// Whether the body has file parts (needs [`FILE_PART_SCHEMA`]).
    files: bool,
    /// What to report.
    change: Option<String>,
}

/// Give progenitor a body it can send and record what to send instead.
fn mark(n: &mut Normalized, op: &OpAt, taken: &mut Names, refs: &mut RefCounts) {
    let Some(edit) = plan(&n.value, op, taken, refs) else {
        return;
    };
    if let Some((name, schema)) = edit.component {
        let slot = &mut n.value["components"]["schemas"][&name];
        refs.remove(slot);
        refs.add(&schema);
        *slot = schema;
    }
    if edit.files {
        let schemas = &mut n.value["components"]["schemas"];
        if schemas.get(FILE_PART_SCHEMA).is_none() {
            schemas[FILE_PART_SCHEMA] = json!({
                "type": "string",
                "format": "binary",
                "description": "A file sent as a multipart part (`crate::runtime::FilePart`)."
            });
        }
    }
    let Some(o) = walk::operation_mut(&mut n.value, op) else {
        return;
    };
    refs.remove(o);
    o["requestBody"] = edit.body;
    if let Some((media_type, encoding)) = edit.marker {
        let marker = o
            .as_object_mut()
            .map(|o| o.entry(MARKER).or_insert_with(|| json!({})));
        if let Some(marker) = marker {
            marker["media_type"] = json!(media_type);
            marker["encoding"] = Value::Array(encoding);
            if !edit.styles.is_empty() {
                marker["styles"] = Value::Array(edit.styles);
            }
        }
    }
    refs.add(o);
    if let Some(change) = edit.change {
        n.change("media-types", change);
    }
}

/// Plan [`mark`]'s edit of `op`, if its body needs one.
fn plan(root: &Value, op: &OpAt, taken: &mut Names, refs: &mut RefCounts) -> Option<Edit> {
    let o = walk::operation(root, op)?;
    let body = walk::deref(root, o.get("requestBody")?);
    let Some(Value::Object(content)) = body.get("content") else {
        return None;
    };
    if content.len() != 1 {
        return None;
    }
    let (media_type, media) = content.iter().next()?;
    if let Some(edit) = wildcard(root, body, op, media_type, media) {
        return Some(edit);
    }
    let send = classify(root, media_type, media.get("schema"));
    // progenitor takes a text body only as a plain `{type: string}` and a
    // byte body only as `{type: string, format: binary}`; a `format: base64`
    // or a pattern on the string only describes it.
    let essence = essence(media_type);
    let plain = match (send, essence.as_str()) {
        (Send::Text, _) | (Send::Native, "text/plain" | "text/x-markdown") => {
            Some(json!({"type": "string"}))
        }
        (Send::Bytes, _) | (Send::Native, "application/octet-stream") => {
            Some(json!({"type": "string", "format": "binary"}))
        }
        _ => None,
    };
    let schema = media.get("schema").map(|s| walk::deref(root, s));
    // A body sent as the caller's text or bytes takes a plain string
    // whatever its schema describes (an XML document, a YAML object, a
    // schema with no type, none at all): structured schemas under text or
    // byte types were classified as JSON above.
    let needs_plain = plain.as_ref().is_some_and(|p| schema != Some(p));
    if needs_plain && send == Send::Native {
        let mut media = media.clone();
        media["schema"] = plain.unwrap_or_default();
        let mut new_body = body.clone();
        new_body["content"][media_type] = media;
        return Some(Edit {
            body: new_body,
            marker: None,
            styles: Vec::new(),
            component: None,
            files: false,
            change: None,
        });
    }
    if send == Send::Native && essence == "application/x-www-form-urlencoded" {
        return Some(form(body, op, media_type, media));
    }
    let native = native_type(send)?;
    let mut media = media.clone();
    if needs_plain && let Some(plain) = plain {
        media["schema"] = plain;
    }
    let mut encoding = Vec::new();
    for (property, e) in take_encoding(&mut media) {
        if let Some(ct) = e.get("contentType").and_then(Value::as_str) {
            encoding.push(json!([property, ct]));
        }
    }
    let mut component = None;
    let mut files = false;
    if send == Send::Multipart
        && let Some(schema) = media.get("schema").cloned()
    {
        let (schema, count, new_component) = file_parts(root, schema, op, taken, refs);
        media["schema"] = schema;
        files = count > 0;
        component = new_component;
    }
    let mut new_body = body.clone();
    new_body["content"] = Value::Object(Map::from_iter([(native.to_owned(), media)]));
    let name = op.id.clone().unwrap_or_else(|| op.at.clone());
    Some(Edit {
        body: new_body,
        marker: Some((media_type.clone(), encoding)),
        styles: Vec::new(),
        component,
        files,
        change: Some(format!(
            "{name}: the {media_type} body is generated as {native} and sent as {media_type}"
        )),
    })
}

/// A form body: progenitor encodes it with `serde_urlencoded`, which takes
/// no nested object or array (and panics on an `encoding`), so the
/// `extend` stage sends it with `crate::runtime::params::form_body`, by
/// the `style` and `explode` the spec's `encoding` gives each property
/// (Stripe's `deepObject`: `card[number]=..`, `expand[0]=..`). The marker's
/// `styles` lists them: `[[property, style, explode], ...]`.
fn form(body: &Value, op: &OpAt, media_type: &str, media: &Value) -> Edit {
    let mut media = media.clone();
    let mut styles = Vec::new();
    for (property, e) in take_encoding(&mut media) {
        let style = e.get("style").and_then(Value::as_str).unwrap_or("form");
        let explode = e
            .get("explode")
            .and_then(Value::as_bool)
            .unwrap_or(style == "form");
        styles.push(json!([property, style, explode]));
    }
    let mut new_body = body.clone();
    new_body["content"] = Value::Object(Map::from_iter([(media_type.to_owned(), media)]));
    let name = op.id.clone().unwrap_or_else(|| op.at.clone());
    let change = (!styles.is_empty()).then(|| {
        format!(
            "{name}: the form body is encoded by the generated code, with the `encoding` styles of {} properties",
            styles.len()
        )
    });
    Edit {
        body: new_body,
        marker: Some((media_type.to_owned(), Vec::new())),
        styles,
        component: None,
        files: false,
        change,
    }
}

/// A body under a media range (`*/*`, `image/*`) is sent with a media type
/// of that range: JSON when the schema is structured (and the range admits
/// it), else bytes, as `application/octet-stream` (the type that stands for
/// any bytes). A `Content-Type` header cannot name a range.
fn wildcard(
    root: &Value,
    body: &Value,
    op: &OpAt,
    media_type: &str,
    media: &Value,
) -> Option<Edit> {
    let essence = essence(media_type);
    if !essence.contains('*') {
        return None;
    }
    let json = json_in_range(root, media_type, media);
    let mut media = media.clone();
    let concrete = if json {
        "application/json"
    } else {
        media["schema"] = json!({"type": "string", "format": "binary"});
        "application/octet-stream"
    };
    let mut new_body = body.clone();
    new_body["content"] = Value::Object(Map::from_iter([(concrete.to_owned(), media)]));
    let name = op.id.clone().unwrap_or_else(|| op.at.clone());
    Some(Edit {
        body: new_body,
        marker: None,
        styles: Vec::new(),
        component: None,
        files: false,
        change: Some(format!(
            "{name}: the body under the media range {media_type} is sent as {concrete}"
        )),
    })
}

/// The multipart body schema with its file properties referring to
/// [`FILE_PART_SCHEMA`], how many there are, and the component to write
/// when the body is a component: rewritten in place, or copied
/// (`<Name>Multipart`, a name not in `taken`) when other bodies or schemas
/// use it.
fn file_parts(
    root: &Value,
    schema: Value,
    op: &OpAt,
    taken: &mut Names,
    refs: &mut RefCounts,
) -> (Value, usize, Option<(String, Value)>) {
    let target = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
        .map(str::to_owned);
    let Some(name) = target else {
        let mut schema = schema;
        let files = replace_files(root, &mut schema);
        return (schema, files, None);
    };
    let Some(component) = root["components"]["schemas"].get(&name).cloned() else {
        return (schema, 0, None);
    };
    let mut rewritten = component.clone();
    let files = replace_files(root, &mut rewritten);
    if files == 0 {
        return (schema, 0, None);
    }
    let reference = format!("#/components/schemas/{name}");
    let uses = refs.get(root, &reference);
    let own = uses <= 1 && !op.path.contains(COPY_MARK);
    let new_name = if own {
        name
    } else {
        taken.allocate(&format!("{name}Multipart"), "")
    };
    (
        json!({ "$ref": format!("#/components/schemas/{new_name}") }),
        files,
        Some((new_name, rewritten)),
    )
}

/// Replace the file schemas among the properties of `schema` (and of its
/// `allOf` members), in array items and in union members.
fn replace_files(root: &Value, schema: &mut Value) -> usize {
    let mut count = 0;
    if let Some(Value::Object(props)) = schema.get_mut("properties") {
        for prop in props.values_mut() {
            count += replace_file(root, prop);
        }
    }
    if let Some(Value::Array(members)) = schema.get_mut("allOf") {
        for member in members {
            if member.get("$ref").is_none() {
                count += replace_files(root, member);
            }
        }
    }
    count
}

fn replace_file(root: &Value, schema: &mut Value) -> usize {
    if is_binary(root, schema) {
        let mut file = json!({ "$ref": format!("#/components/schemas/{FILE_PART_SCHEMA}") });
        if schema.get("nullable") == Some(&json!(true)) {
            file = json!({ "allOf": [file], "nullable": true });
        }
        *schema = file;
        return 1;
    }
    let mut count = 0;
    if let Some(items) = schema.get_mut("items").filter(|i| i.is_object()) {
        count += replace_file(root, items);
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(members)) = schema.get_mut(key) {
            for member in members {
                count += replace_file(root, member);
            }
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn run(yaml: &str) -> Normalized {
        let doc = crate::load::load_bytes(yaml.as_bytes(), "t.yaml").unwrap();
        super::super::normalize(&doc, &Config::default())
    }

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /files:
    post:
      operationId: createFile
      requestBody:
        content:
          multipart/form-data:
            schema: {$ref: '#/components/schemas/Upload'}
            encoding:
              meta: {contentType: application/json}
      responses: {"200": {description: ok}}
  /edits/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
    post:
      operationId: createEdit
      requestBody:
        content:
          multipart/form-data:
            schema: {$ref: '#/components/schemas/Edit'}
          application/json:
            schema: {$ref: '#/components/schemas/Edit'}
      responses: {"200": {description: ok}}
  /calls:
    post:
      operationId: createCall
      requestBody:
        content:
          application/sdp:
            schema: {type: string}
      responses: {"200": {description: ok}}
components:
  schemas:
    Upload:
      type: object
      required: [file]
      properties:
        file: {type: string, format: binary}
        images: {type: array, items: {type: string, format: binary}}
        meta: {type: object}
        purpose: {type: string}
    Edit:
      type: object
      properties:
        image:
          anyOf:
            - {type: string, format: binary}
            - {$ref: '#/components/schemas/Ref'}
    Ref:
      type: object
      properties:
        id: {type: string}
"#;

    #[test]
    fn multipart_bodies_are_marked_with_file_parts() {
        let n = run(SPEC);
        assert!(n.problems.is_empty(), "{:?}", n.problems);
        let v = &n.value;
        let file = json!({"$ref": "#/components/schemas/XCodegenFilePart"});
        let upload = &v["components"]["schemas"]["Upload"]["properties"];
        assert_eq!(upload["file"], file);
        assert_eq!(upload["images"]["items"], file);
        assert_eq!(upload["meta"], json!({"type": "object"}));
        let op = &v["paths"]["/files"]["post"];
        assert_eq!(
            op[MARKER],
            json!({"media_type": "multipart/form-data", "encoding": [["meta", "application/json"]]})
        );
        let content = op["requestBody"]["content"].as_object().unwrap();
        assert_eq!(
            content.keys().collect::<Vec<_>>(),
            ["application/x-www-form-urlencoded"]
        );
        assert!(
            content["application/x-www-form-urlencoded"]
                .get("encoding")
                .is_none()
        );
    }

    #[test]
    fn responses_under_a_media_range_are_read_as_json_when_their_schema_is() {
        let n = run(r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /info:
    get:
      operationId: info
      responses:
        "200":
          description: ok
          content: {"*/*": {schema: {type: object, properties: {n: {type: integer}}}}}
        "400":
          description: bad
          content: {"*/*": {schema: {type: string}}}
  /image:
    get:
      operationId: image
      responses:
        "200":
          description: ok
          content: {"image/*": {schema: {type: object}}}
"#);
        let info = &n.value["paths"]["/info"]["get"]["responses"];
        assert!(
            info["200"]["content"]["application/json"].is_object(),
            "{info}"
        );
        // Text stays as it is; a range that admits no JSON too.
        assert!(info["400"]["content"]["*/*"].is_object(), "{info}");
        let image = &n.value["paths"]["/image"]["get"]["responses"]["200"]["content"];
        assert!(image["image/*"].is_object(), "{image}");
    }

    #[test]
    fn media_ranges_are_sent_as_json_or_bytes() {
        let n = run(r#"
openapi: 3.0.0
info: {title: t, version: '1'}
paths:
  /columns:
    put:
      operationId: setColumns
      requestBody:
        content:
          '*/*': {schema: {type: array, items: {type: string}}}
          multipart/form-data: {schema: {type: object, properties: {columns: {type: string}}}}
      responses: {'200': {description: ok}}
  /avatar:
    post:
      operationId: storeAvatar
      requestBody:
        content:
          '*/*': {schema: {}}
      responses: {'200': {description: ok}}
"#);
        let v = &n.value;
        let columns = &v["paths"]["/columns"]["put"]["requestBody"]["content"];
        assert_eq!(columns["application/json"]["schema"]["type"], "array");
        assert!(columns.get("*/*").is_none());
        let copy = &v["paths"]["/columns#codegen-media-multipart"]["put"];
        assert_eq!(copy["operationId"], "setColumns_multipart");
        let avatar = &v["paths"]["/avatar"]["post"]["requestBody"]["content"];
        assert_eq!(
            avatar["application/octet-stream"]["schema"],
            json!({"type": "string", "format": "binary"})
        );
        assert!(n.left_out.is_empty());
        assert_eq!(kind_name("*/*"), "any");
        assert_eq!(kind_name("image/*"), "image");
    }

    #[test]
    fn each_media_type_gets_a_method() {
        let n = run(SPEC);
        let v = &n.value;
        // The JSON body keeps the operation; the shared schema is not touched.
        let json_op = &v["paths"]["/edits/{id}"]["post"];
        assert_eq!(json_op["operationId"], "createEdit");
        assert!(json_op.get(MARKER).is_none());
        assert_eq!(
            v["components"]["schemas"]["Edit"]["properties"]["image"]["anyOf"][0],
            json!({"type": "string", "format": "binary"})
        );
        // The multipart body is a copy with its own schema and the path parameters.
        let copy = &v["paths"]["/edits/{id}#codegen-media-multipart"];
        assert_eq!(copy["parameters"][0]["name"], "id");
        assert_eq!(copy["post"]["operationId"], "createEdit_multipart");
        assert_eq!(copy["post"][MARKER]["fragment"], "#codegen-media-multipart");
        assert_eq!(
            copy["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"],
            json!({"$ref": "#/components/schemas/EditMultipart"})
        );
        assert_eq!(
            v["components"]["schemas"]["EditMultipart"]["properties"]["image"]["anyOf"][0],
            json!({"$ref": "#/components/schemas/XCodegenFilePart"})
        );
        // Other media types are sent as text with their own type.
        let call = &v["paths"]["/calls"]["post"];
        assert_eq!(call[MARKER]["media_type"], "application/sdp");
        assert!(call["requestBody"]["content"].get("text/plain").is_some());
        assert!(n.left_out.is_empty());
    }

    #[test]
    fn structured_text_bodies_are_json_and_schemaless_responses_any_json() {
        let n = run(r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /configs/{id}/update:
    post:
      operationId: update
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      requestBody:
        content:
          text/plain:
            schema: {type: object, properties: {name: {type: string}}}
          application/xml:
            schema: {type: object}
      responses:
        "200":
          description: ok
          content:
            application/json:
              examples: {a: {value: {x: 1}}}
"#);
        let op = &n.value["paths"]["/configs/{id}/update"]["post"];
        assert_eq!(op[MARKER]["media_type"], "text/plain");
        assert!(
            op["requestBody"]["content"]
                .get("application/json")
                .is_some()
        );
        assert_eq!(
            op["responses"]["200"]["content"]["application/json"]["schema"],
            json!({})
        );
        // The XML copy is sent as the caller's text under its own type.
        assert!(n.problems.is_empty(), "{:?}", n.problems);
        let xml = &n.value["paths"]["/configs/{id}/update#codegen-media-xml"]["post"];
        assert_eq!(xml[MARKER]["media_type"], "application/xml");
        assert_eq!(
            xml["requestBody"]["content"]["text/plain"]["schema"],
            json!({"type": "string"})
        );
    }

    /// Every media type is sendable: textual ones as text, others as bytes,
    /// whatever the schema describes (the rule, not a list of vendors).
    #[test]
    fn every_media_type_is_sent_as_text_or_bytes() {
        for (media_type, schema, sent_as, plain) in [
            (
                "application/xml",
                r#"{type: object}"#,
                "text/plain",
                json!({"type": "string"}),
            ),
            (
                "text/xml",
                r##"{$ref: "#/components/schemas/Obj"}"##,
                "text/plain",
                json!({"type": "string"}),
            ),
            (
                "application/x-yaml",
                r#"{type: object}"#,
                "text/plain",
                json!({"type": "string"}),
            ),
            (
                "application/vnd.api+xml",
                r#"{type: array, items: {}}"#,
                "text/plain",
                json!({"type": "string"}),
            ),
            (
                "text/csv",
                r#"{type: string}"#,
                "text/plain",
                json!({"type": "string"}),
            ),
            (
                "application/x-jsonnet",
                r#"{type: object}"#,
                "application/octet-stream",
                json!({"type": "string", "format": "binary"}),
            ),
            (
                "application/dicom",
                r#"{}"#,
                "application/octet-stream",
                json!({"type": "string", "format": "binary"}),
            ),
            (
                "application/x-msgpack",
                r#"{type: array}"#,
                "application/octet-stream",
                json!({"type": "string", "format": "binary"}),
            ),
        ] {
            let n = run(&format!(
                r#"
openapi: 3.0.3
info: {{title: t, version: "1"}}
paths:
  /x:
    post:
      operationId: send
      requestBody:
        content:
          {media_type}:
            schema: {schema}
      responses:
        "204": {{description: ok}}
components:
  schemas:
    Obj: {{type: object, properties: {{a: {{type: string}}}}}}
"#
            ));
            assert!(n.problems.is_empty(), "{media_type}: {:?}", n.problems);
            let op = &n.value["paths"]["/x"]["post"];
            assert_eq!(op[MARKER]["media_type"], media_type);
            assert_eq!(
                op["requestBody"]["content"][sent_as]["schema"], plain,
                "{media_type}"
            );
        }
    }
}
