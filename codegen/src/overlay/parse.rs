//! Step **parse**: an overlay document into [`Action`]s, every problem
//! located in the overlay file.

use serde_json::Value;

use super::{Action, Kind, Overlay, Version};
use crate::{Diagnostic, Error, load};

/// Check `doc` as an Overlay 1.0.x or 1.1.x document and read its actions.
/// Every problem is reported, not the first.
pub fn parse(doc: load::Document) -> Result<Overlay, Error> {
    let mut problems = Vec::new();
    let problem = |path: &str, message: String, hint: &str| -> Diagnostic {
        doc.diagnostic(path, message).hint(hint.to_owned())
    };
    let version = match doc.value.get("overlay") {
        Some(Value::String(v)) if is_version(v, "1.0") => Some(Version::V1_0),
        Some(Value::String(v)) if is_version(v, "1.1") => Some(Version::V1_1),
        Some(other) => {
            problems.push(problem(
                "overlay",
                format!("overlay version {other} is not supported"),
                "write `overlay: 1.0.0` or `overlay: 1.1.0`",
            ));
            None
        }
        None => {
            problems.push(problem(
                "",
                "this is not an overlay document: it has no `overlay` version".to_owned(),
                "an overlay starts with `overlay: 1.1.0`, `info` (title, version) and `actions`",
            ));
            None
        }
    };
    match doc.value.get("info") {
        Some(Value::Object(info))
            if ["title", "version"]
                .iter()
                .all(|k| info.get(*k).is_some_and(Value::is_string)) => {}
        _ => problems.push(problem(
            "info",
            "`info` must hold a `title` and a `version` (strings)".to_owned(),
            "add `info: {title: ..., version: ...}`",
        )),
    }
    let mut actions = Vec::new();
    match doc.value.get("actions") {
        Some(Value::Array(list)) if !list.is_empty() => {
            for (index, raw) in list.iter().enumerate() {
                match action(&doc, index, raw, version) {
                    Ok(a) => actions.push(a),
                    Err(mut d) => problems.append(&mut d),
                }
            }
        }
        _ => problems.push(problem(
            "actions",
            "`actions` must be a non-empty list".to_owned(),
            "list the changes under `actions`, each with a `target`",
        )),
    }
    match version {
        Some(version) if problems.is_empty() => Ok(Overlay {
            doc,
            version,
            actions,
        }),
        _ => Err(Error::Spec(problems)),
    }
}

/// `v` is `major.minor.patch` of the given `major.minor`.
fn is_version(v: &str, major_minor: &str) -> bool {
    v.strip_prefix(major_minor)
        .and_then(|rest| rest.strip_prefix('.'))
        .is_some_and(|patch| !patch.is_empty() && patch.bytes().all(|b| b.is_ascii_digit()))
}

/// Action `index`, or its problems.
fn action(
    doc: &load::Document,
    index: usize,
    raw: &Value,
    version: Option<Version>,
) -> Result<Action, Vec<Diagnostic>> {
    let at = format!("actions[{index}]");
    let field = |name: &str| format!("{at}.{name}");
    let Value::Object(map) = raw else {
        return Err(vec![
            doc.diagnostic(
                &at,
                format!("action {index} is {}, not a mapping", load::kind(raw)),
            )
            .hint("each action is a mapping with `target` and `update`, `remove` or `copy`"),
        ]);
    };
    let mut problems = Vec::new();
    let path = |key: &str,
                problems: &mut Vec<Diagnostic>|
     -> Option<(serde_json_path::JsonPath, String)> {
        match map.get(key) {
            Some(Value::String(text)) => match serde_json_path::JsonPath::parse(text) {
                Ok(p) => Some((p, text.clone())),
                Err(e) => {
                    problems.push(
                        doc.diagnostic(
                            &field(key),
                            format!(
                                "action {index}: `{key}` is not an RFC 9535 JSONPath: {} (at character {} of `{text}`)",
                                e.message(),
                                e.position() + 1
                            ),
                        )
                        .hint("a JSONPath starts with `$`; quote names with other characters: `$.paths['/pets/{id}']`"),
                    );
                    None
                }
            },
            Some(other) => {
                problems.push(doc.diagnostic(
                    &field(key),
                    format!(
                        "action {index}: `{key}` is {}, not a JSONPath string",
                        load::kind(other)
                    ),
                ));
                None
            }
            None => None,
        }
    };
    let target = path("target", &mut problems);
    if target.is_none() && !map.contains_key("target") {
        problems.push(
            doc.diagnostic(&at, format!("action {index} has no `target`"))
                .hint("add `target: $.components.schemas.Name` (a JSONPath)"),
        );
    }
    let description = match map.get("description") {
        Some(Value::String(d)) => Some(d.clone()),
        _ => None,
    };
    let remove = match map.get("remove") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            problems.push(doc.diagnostic(
                &field("remove"),
                format!(
                    "action {index}: `remove` is {}, not a boolean",
                    load::kind(other)
                ),
            ));
            false
        }
    };
    let copy = path("copy", &mut problems);
    if map.contains_key("copy") && version == Some(Version::V1_0) {
        problems.push(
            doc.diagnostic(
                &field("copy"),
                format!("action {index}: `copy` is an Overlay 1.1 field"),
            )
            .hint("declare `overlay: 1.1.0`"),
        );
    }
    // The precedence the specification gives: `remove` first, then
    // `update`, then `copy`.
    let kind = if remove {
        Some(Kind::Remove)
    } else if let Some(update) = map.get("update") {
        Some(Kind::Update(update.clone()))
    } else {
        copy.map(|(from, from_text)| Kind::Copy { from, from_text })
    };
    if kind.is_none() && problems.is_empty() {
        problems.push(
            doc.diagnostic(&at, format!("action {index} does nothing: it has no `update`, no `copy` and no `remove: true`"))
                .hint("say what to do with the nodes the target selects"),
        );
    }
    match (target, kind) {
        (Some((target, target_text)), Some(kind)) if problems.is_empty() => Ok(Action {
            index,
            target,
            target_text,
            description,
            kind,
        }),
        _ => Err(problems),
    }
}
