//! `unsupported` (with consent in `codegen.toml`): what no stage can
//! generate (path parameters in `label`/`matrix` style, other query styles,
//! ...) is left out: an optional parameter where that suffices, else the
//! operation. Without consent, each is reported with the setting to use.

use serde_json::{Value, json};

use super::{BODY_TYPES, Normalized, media_types, op_name};
use crate::config::Config;
use crate::load::{Document, join_index, join_key};
use crate::walk::{self, OpAt};

/// What to do about something progenitor cannot generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Fix {
    /// Leave the whole operation out.
    DropOperation,
    /// Remove one optional parameter: `(on the operation (not the path item), index)`.
    DropParameter(bool, usize),
}

/// What in an operation progenitor cannot generate: `(path, reason, fix)`.
pub(super) fn unsupported_issues(root: &Value, op: &OpAt) -> Vec<(String, String, Fix)> {
    let mut out = Vec::new();
    let Some(o) = walk::operation(root, op) else {
        return out;
    };
    let item_at = join_key("paths", &op.path);
    let item = &root["paths"][&op.path];
    for (on_op, params) in [(false, item.get("parameters")), (true, o.get("parameters"))] {
        for (i, p) in params
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let at = join_index(
                &join_key(if on_op { &op.at } else { &item_at }, "parameters"),
                i,
            );
            let p = walk::deref(root, p);
            let name = p.get("name").and_then(Value::as_str).unwrap_or("?");
            let style = p.get("style").and_then(Value::as_str);
            let schema = p.get("schema").map(|s| walk::deref(root, s));
            let schema_type = schema.and_then(|s| s.get("type")).and_then(Value::as_str);
            let reason = match (p.get("in").and_then(Value::as_str), style) {
                (Some("cookie"), _) => Some(format!("cookie parameter `{name}` is not supported")),
                (Some("query"), Some(s)) if s != "form" => Some(format!(
                    "query parameter `{name}` has style `{s}`; only `form` is supported"
                )),
                (Some("path" | "header"), Some(s)) if s != "simple" => Some(format!(
                    "parameter `{name}` has style `{s}`; only `simple` is supported"
                )),
                (Some("header"), _) if schema_type == Some("array") => Some(format!(
                    "header parameter `{name}` is an array, which the generated code cannot send"
                )),
                (Some("query"), _)
                    if schema_type == Some("object") && p.get("required") != Some(&json!(true)) =>
                {
                    Some(format!(
                        "optional query parameter `{name}` is an object, which progenitor cannot generate"
                    ))
                }
                _ => None,
            };
            if let Some(reason) = reason {
                let fix = if p.get("required") == Some(&json!(true))
                    || p.get("in").and_then(Value::as_str) == Some("path")
                {
                    Fix::DropOperation
                } else {
                    Fix::DropParameter(on_op, i)
                };
                out.push((at, reason, fix));
            }
        }
    }
    if let Some(body) = o.get("requestBody").map(|b| walk::deref(root, b))
        && let Some(Value::Object(content)) = body.get("content")
    {
        let supported = content
            .keys()
            .any(|k| BODY_TYPES.iter().any(|t| k.starts_with(t)));
        if !supported && !content.is_empty() {
            let types = content.keys().cloned().collect::<Vec<_>>().join(", ");
            out.push((
                join_key(&op.at, "requestBody.content"),
                format!("request body type {types} is not supported"),
                Fix::DropOperation,
            ));
        }
    }
    out
}

/// `unsupported`: leave out what progenitor cannot generate: an optional
/// parameter where that suffices, else the operation.
pub(super) fn unsupported(n: &mut Normalized, doc: &Document, config: &Config) {
    for op in walk::operations(&n.value) {
        let issues = unsupported_issues(&n.value, &op);
        if issues.is_empty() {
            continue;
        }
        if !config.lossy.drop_unsupported_operations {
            for (at, reason, fix) in issues {
                let what = if fix == Fix::DropOperation {
                    "this operation"
                } else {
                    "this optional parameter"
                };
                n.problems.push(
                    doc.diagnostic(&media_types::without_copy_mark(&at), reason)
                        .operation(op_name(&op))
                        .hint(format!("set `lossy.drop_unsupported_operations = true` in codegen.toml to leave {what} out")),
                );
            }
            continue;
        }
        if let Some((_, reason, _)) = issues.iter().find(|(_, _, fix)| *fix == Fix::DropOperation) {
            n.change(
                "unsupported",
                format!("left out {}: {reason}", op_name(&op)),
            );
            n.remove_operation(&op, reason.clone());
            continue;
        }
        // Remove parameters from the highest index down, so indexes stay valid.
        let mut drops: Vec<(bool, usize, String)> = issues
            .into_iter()
            .filter_map(|(_, reason, fix)| match fix {
                Fix::DropParameter(on_op, i) => Some((on_op, i, reason)),
                Fix::DropOperation => None,
            })
            .collect();
        drops.sort_by_key(|d| std::cmp::Reverse(d.1));
        for (on_op, i, reason) in drops {
            let container = if on_op {
                walk::operation_mut(&mut n.value, &op).and_then(|o| o.get_mut("parameters"))
            } else {
                // A path-item parameter is shared by its operations: give this
                // operation its own list without it, overriding nothing else.
                None
            };
            match container {
                Some(Value::Array(params)) if i < params.len() => {
                    params.remove(i);
                    n.change("unsupported", format!("{}: dropped {reason}", op_name(&op)));
                }
                _ => {
                    n.change(
                        "unsupported",
                        format!("left out {}: {reason}", op_name(&op)),
                    );
                    n.remove_operation(&op, reason);
                    break;
                }
            }
        }
    }
}
