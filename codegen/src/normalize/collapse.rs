//! `collapse` (with consent in `codegen.toml`, `lossy.collapse_types`):
//! one request body type, one success and one error type, instead of the
//! methods and enums the `extend` stage makes; without it, several
//! response body types are marked for `extend` (see [`super::responses`]).

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::{BODY_TYPES, Normalized, component_type_names, op_name, responses};
use crate::Diagnostic;
use crate::config::Config;
use crate::load::{Document, join_key};
use crate::walk::{self, OpAt};

/// The "type" of a response for progenitor: JSON schema, raw, or none.
pub(super) fn response_kind(root: &Value, response: &Value) -> String {
    let r = walk::deref(root, response);
    match r.get("content").and_then(Value::as_object) {
        None => "none".to_owned(),
        Some(c) if c.is_empty() => "none".to_owned(),
        Some(c) => match c.iter().find(|(k, _)| k.starts_with("application/json")) {
            Some((_, mt)) => mt
                .get("schema")
                .map_or("json".to_owned(), |s| s.to_string()),
            None => "raw".to_owned(),
        },
    }
}

/// `collapse`: one request body type; one success and one error type.
pub(super) fn collapse(n: &mut Normalized, doc: &Document, config: &Config) {
    let allowed = config.lossy.collapse_types;
    let hint = "set `lossy.collapse_types = true` in codegen.toml to keep one type (the JSON one, or the first)";
    // Planned on the document as it is, then written: no copy of the
    // document to read from.
    let mut types = component_type_names(&n.value);
    let root = &n.value;
    let mut edits: Vec<(OpAt, CollapseEdit)> = Vec::new();
    for op in walk::operations(root) {
        let Some(o) = walk::operation(root, &op) else {
            continue;
        };

        // Request body: several media types.
        if let Some(body) = o.get("requestBody").map(|b| walk::deref(root, b))
            && let Some(Value::Object(content)) = body.get("content")
            && content.len() > 1
        {
            let keep = content
                .keys()
                .find(|k| k.starts_with("application/json"))
                .or_else(|| {
                    content
                        .keys()
                        .find(|k| BODY_TYPES.iter().any(|t| k.starts_with(t)))
                })
                .cloned();
            let types = content.keys().cloned().collect::<Vec<_>>().join(", ");
            match (allowed, keep) {
                (true, Some(keep)) => {
                    let mut body = body.clone();
                    let kept: Map<String, Value> = content
                        .iter()
                        .filter(|(k, _)| **k == keep)
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect();
                    body["content"] = Value::Object(kept);
                    let change = format!("{}: request body {types} -> {keep}", op_name(&op));
                    edits.push((op.clone(), CollapseEdit::Body(body, change)));
                }
                _ => edits.push((
                    op.clone(),
                    CollapseEdit::Problem(
                    doc.diagnostic(
                        &join_key(&op.at, "requestBody.content"),
                        format!(
                            "the request body has several types ({types}); the generator takes one"
                        ),
                    )
                    .operation(op_name(&op))
                    .hint(hint),
                    ),
                )),
            }
        }

        // Responses: one kind among successes, one among errors.
        let Some(Value::Object(responses)) = o.get("responses") else {
            continue;
        };
        for (class, is_class) in [
            (
                "success",
                // 101 Switching Protocols is a success progenitor reads as
                // an upgraded connection.
                (|code: &str| code.starts_with('2') || code == "101") as fn(&str) -> bool,
            ),
            ("error", |code: &str| {
                code.starts_with('4') || code.starts_with('5') || code == "default"
            }),
        ] {
            let members: Vec<(&String, String)> = responses
                .iter()
                .filter(|(code, _)| is_class(code))
                .map(|(code, r)| {
                    let kind = if code == "101" {
                        "upgrade".to_owned()
                    } else {
                        response_kind(root, r)
                    };
                    (code, kind)
                })
                .collect();
            // progenitor ignores `default` when a 2XX range is present.
            let kinds: BTreeSet<&String> = members.iter().map(|(_, k)| k).collect();
            if kinds.len() <= 1 {
                continue;
            }
            // Keep the kind of the first JSON-typed member (else the first
            // that is not an upgrade: given 101, progenitor would send a
            // WebSocket handshake).
            let keep = members
                .iter()
                .find(|(_, k)| k != "none" && k != "raw" && k != "upgrade")
                .or_else(|| members.iter().find(|(_, k)| k != "upgrade"))
                .unwrap_or(&members[0])
                .1
                .clone();
            let dropped: Vec<String> = members
                .iter()
                .filter(|(_, k)| *k != keep)
                .map(|(c, _)| (*c).clone())
                .collect();
            if allowed {
                let change = format!(
                    "{}: {class} responses {} dropped (other body types); they arrive as undocumented responses",
                    op_name(&op),
                    dropped.join(", ")
                );
                edits.push((op.clone(), CollapseEdit::Drop(dropped, change)));
            } else if op.id.is_some() && !members.iter().any(|(code, _)| *code == "default") {
                let members: Vec<responses::Member> = members
                    .iter()
                    .map(|(code, kind)| ((*code).clone(), kind.clone()))
                    .collect();
                let several = responses::several(root, &op, class, &members, &keep, &mut types);
                edits.push((op.clone(), CollapseEdit::Several(several)));
            } else {
                edits.push((op.clone(), CollapseEdit::Problem(
                    doc.diagnostic(&join_key(&op.at, "responses"), format!("{class} responses have {} different body types ({}); the generator takes one", kinds.len(), members.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>().join(", ")))
                        .operation(op_name(&op))
                        .hint(hint),
                )));
            }
        }
    }
    for (op, edit) in edits {
        match edit {
            CollapseEdit::Body(body, change) => {
                if let Some(o) = walk::operation_mut(&mut n.value, &op) {
                    o["requestBody"] = body;
                }
                n.change("collapse", change);
            }
            CollapseEdit::Drop(dropped, change) => {
                if let Some(Value::Object(rs)) =
                    walk::operation_mut(&mut n.value, &op).and_then(|o| o.get_mut("responses"))
                {
                    for code in &dropped {
                        rs.shift_remove(code);
                    }
                }
                n.change("collapse", change);
            }
            CollapseEdit::Several(several) => several.apply(n, &op),
            CollapseEdit::Problem(problem) => n.problems.push(problem),
        }
    }
}

/// What [`collapse`] does to one operation (in the order planned).
pub(super) enum CollapseEdit {
    /// Send this request body (one media type), with the change to report.
    Body(Value, String),
    /// Remove these responses (`lossy.collapse_types`).
    Drop(Vec<String>, String),
    /// Mark a class of responses as several (see [`responses::several`]).
    Several(responses::Several),
    /// Report this.
    Problem(Diagnostic),
}
