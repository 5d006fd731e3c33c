//! `responses`: an operation whose success (or error) responses have
//! several body types. progenitor asserts one; it is given the statuses of
//! one type (the first JSON one), and the operation is marked
//! (`x-codegen-responses`) so that the `extend` stage makes `send()` return
//! an enum over every documented body, by status (`Status404(Error)`,
//! `Status429(RateLimitError)`, `Status204`, `Status101(reqwest::Upgraded)`
//! for a connection switched to another protocol). Inline schemas of the other
//! statuses become components (`<operationId>-<status>-response`), so each
//! variant has a named type. Nothing is lost; with `lossy.collapse_types`
//! the other statuses are dropped instead (see `collapse`).

use serde_json::{Map, Value, json};

use super::Normalized;
use crate::walk::{self, OpAt};

/// The operation extension read by the `extend` stage.
pub const MARKER: &str = "x-codegen-responses";

/// One documented status of a class: `(status, kind)` where kind is a JSON
/// schema (as text), `json`, `raw`, `none` (see `response_kind`) or
/// `upgrade` (101 Switching Protocols).
pub(super) type Member = (String, String);

/// How `class` (`success` or `error`) of `op` is marked as having several
/// body types; `keep` is the kind progenitor is given. Planned on `root`
/// (the document as the step found it), made by [`Several::apply`].
pub(super) fn several(
    root: &Value,
    op: &OpAt,
    class: &'static str,
    members: &[Member],
    keep: &str,
    types: &mut crate::naming::Names,
) -> Several {
    let id = op.id.clone().unwrap_or_default();
    let mut entries = Vec::new();
    let mut hoisted = Vec::new();
    for (status, kind) in members {
        let kept = kind == keep;
        let kind_name = match kind.as_str() {
            "none" | "raw" | "upgrade" => kind.clone(),
            _ => "json".to_owned(),
        };
        let mut schema = Value::Null;
        if kind_name == "json" {
            let response = walk::deref(
                root,
                &root["paths"][&op.path][&op.method]["responses"][status],
            );
            let s = response
                .get("content")
                .and_then(Value::as_object)
                .and_then(|c| c.iter().find(|(k, _)| k.starts_with("application/json")))
                .and_then(|(_, m)| m.get("schema"))
                .cloned()
                .unwrap_or(json!({}));
            schema = if s.get("$ref").is_some() || kept {
                s
            } else {
                let base: String = format!("{id}-{status}-response")
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                    .collect();
                let name = types.allocate(&base, "-");
                hoisted.push((name.clone(), s));
                json!({ "$ref": format!("#/components/schemas/{name}") })
            };
        }
        entries.push(json!({"status": status, "kind": kind_name, "schema": schema, "kept": kept}));
    }
    let dropped = members
        .iter()
        .filter(|(_, k)| k != keep)
        .map(|(s, _)| s.clone())
        .collect();
    let statuses: Vec<&str> = members.iter().map(|(s, _)| s.as_str()).collect();
    Several {
        class,
        entries,
        hoisted,
        dropped,
        change: format!(
            "{id}: {class} responses {} have several body types; send() returns one enum over them",
            statuses.join(", ")
        ),
    }
}

/// The edit [`several`] plans for one class of one operation.
pub(super) struct Several {
    class: &'static str,
    /// The marker's entries, one per status.
    entries: Vec<Value>,
    /// Inline schemas of other statuses, made components.
    hoisted: Vec<(String, Value)>,
    /// Statuses not given to progenitor.
    dropped: Vec<String>,
    change: String,
}

impl Several {
    /// Write the hoisted components, and the operation's responses and marker.
    pub(super) fn apply(self, n: &mut Normalized, op: &OpAt) {
        for (name, schema) in self.hoisted {
            n.value["components"]["schemas"][&name] = schema;
        }
        if let Some(o) = walk::operation_mut(&mut n.value, op) {
            if let Some(Value::Object(rs)) = o.get_mut("responses") {
                for status in &self.dropped {
                    rs.shift_remove(status);
                }
            }
            o[MARKER][self.class] = Value::Array(self.entries);
        }
        n.change("responses", self.change);
    }
}

/// progenitor counts a `default` response as a possible success: with a
/// `200` of one type and a `default` of another (an error body: Slack,
/// Spotify, ...) it has two success types and panics. Such a `default`
/// describes the errors, so it is given as `4XX` and `5XX` (statuses the
/// spec does not list already), which keeps its body for every error
/// status. `kind` tells a response's body type.
pub(super) fn default_as_errors(n: &mut Normalized, kind: &dyn Fn(&Value, &Value) -> String) {
    rewrite_defaults(
        n,
        "the `default` response is the error body of 4XX and 5XX statuses (its body differs from the success body)",
        &|root, responses, default| {
            let default_kind = kind(root, default);
            let differs = responses
                .iter()
                .any(|(code, r)| code.starts_with('2') && kind(root, r) != default_kind);
            if !differs || responses.contains_key("2XX") {
                return None;
            }
            let mut new: Map<String, Value> = responses
                .iter()
                .filter(|(code, _)| *code != "default")
                .map(|(code, r)| (code.clone(), r.clone()))
                .collect();
            for range in ["4XX", "5XX"] {
                new.entry(range.to_owned())
                    .or_insert_with(|| default.clone());
            }
            Some(new)
        },
    );
}

/// The other side of [`default_as_errors`]: an operation that lists no
/// success status (no `2xx`, `2XX` or `101`) can only describe its
/// successes with `default` ("OK" in the spec). progenitor reads `default`
/// as a success *and* an error; when a listed error status has another
/// body type (a `400` without a body beside a `default` with one), the
/// operation has two error types and cannot be generated. Such a `default`
/// is given as `2XX`: the successes keep its body, the listed error
/// statuses keep theirs, and any other status is an undocumented error.
pub(super) fn default_as_success(n: &mut Normalized, kind: &dyn Fn(&Value, &Value) -> String) {
    rewrite_defaults(
        n,
        "no success status is listed, so the `default` response is the success body (2XX); the listed error statuses keep theirs",
        &|root, responses, default| {
            let is_success = |code: &str| code.starts_with('2') || code == "101";
            if responses.keys().any(|c| is_success(c)) {
                return None;
            }
            let default_kind = kind(root, default);
            let conflict = responses.iter().any(|(code, r)| {
                (code.starts_with('4') || code.starts_with('5')) && kind(root, r) != default_kind
            });
            conflict.then(|| {
                responses
                    .iter()
                    .map(|(code, r)| {
                        let code = if code == "default" {
                            "2XX"
                        } else {
                            code.as_str()
                        };
                        (code.to_owned(), r.clone())
                    })
                    .collect()
            })
        },
    );
}

/// The new `responses` of a rule on `default`: given the document, an
/// operation's responses and its `default`, the map to replace them with.
type DefaultRule<'a> =
    dyn Fn(&Value, &Map<String, Value>, &Value) -> Option<Map<String, Value>> + 'a;

/// Apply `rule` to every operation with a `default` response, reporting
/// each rewrite with `what`. Planned on the document as it is, then
/// written: each rewrite touches only its operation's responses, and no
/// copy is made to read from.
fn rewrite_defaults(n: &mut Normalized, what: &str, rule: &DefaultRule<'_>) {
    let root = &n.value;
    let mut plan = Vec::new();
    for op in walk::operations(root) {
        let Some(Value::Object(responses)) =
            walk::operation(root, &op).and_then(|o| o.get("responses"))
        else {
            continue;
        };
        if let Some(default) = responses.get("default")
            && let Some(new) = rule(root, responses, default)
        {
            plan.push((op, new));
        }
    }
    for (op, new) in plan {
        if let Some(o) = walk::operation_mut(&mut n.value, &op) {
            o["responses"] = Value::Object(new);
        }
        n.change(
            "responses",
            format!("{}: {what}", op.id.as_deref().unwrap_or(&op.at)),
        );
    }
}

#[cfg(test)]
mod default_tests {
    use crate::config::Config;

    #[test]
    fn a_default_with_no_success_status_is_the_success() {
        let doc = crate::load::load_bytes(
            br#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /apps:
    get:
      operationId: list
      responses:
        "400": {description: bad}
        default:
          description: OK
          content: {"*/*": {schema: {type: object, properties: {a: {type: string}}}}}
"#,
            "t.yaml",
        )
        .unwrap();
        let n = super::super::normalize(&doc, &Config::default());
        assert!(n.problems.is_empty(), "{:?}", n.problems);
        let r = &n.value["paths"]["/apps"]["get"]["responses"];
        assert!(r.get("default").is_none(), "{r}");
        assert!(r["2XX"]["content"].is_object(), "{r}");
        assert_eq!(r["400"]["description"], "bad");
    }
}
