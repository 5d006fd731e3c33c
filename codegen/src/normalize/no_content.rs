//! `no-content`: a status that carries no body is read as having none.
//!
//! **Rule (RFC 9110 §15.3.5, §15.3.6, §15.4.5):** a `204 No Content` "cannot
//! contain content", a `205 Reset Content` server "MUST NOT generate
//! content", and a `304 Not Modified` "cannot contain content". A spec that
//! documents a body under one of them (Jira's 45 `204`s with
//! `application/json: {schema: {}}`) describes what no server sends: the
//! client read the empty body as JSON and failed on every success. Such a
//! response loses its `content` (its description and headers stay); one
//! given by a `$ref` to a shared response with content is written out
//! without it, the shared one left as it is for its other uses. Each is
//! reported with its location.

use serde_json::Value;

use super::Normalized;
use crate::load::join_key;
use crate::walk;

/// The statuses that carry no body.
const BODILESS: [&str; 3] = ["204", "205", "304"];

/// Whether `response` (dereferenced) documents a body.
fn has_content(response: &Value) -> bool {
    response
        .get("content")
        .and_then(Value::as_object)
        .is_some_and(|c| !c.is_empty())
}

/// `no-content` on every operation.
pub(super) fn rewrite(n: &mut Normalized) {
    // Planned (operation, status, the response without its content), then
    // written.
    let mut plan: Vec<(walk::OpAt, String, Value)> = Vec::new();
    let root = &n.value;
    for (op, status, response) in walk::responses(root) {
        if !BODILESS.contains(&status.as_str()) {
            continue;
        }
        let target = walk::deref(root, response);
        if !has_content(target) {
            continue;
        }
        let mut without = target.clone();
        if let Value::Object(r) = &mut without {
            r.shift_remove("content");
        }
        plan.push((op, status.clone(), without));
    }
    for (op, status, without) in plan {
        n.value["paths"][op.path.as_str()][op.method.as_str()]["responses"][status.as_str()] =
            without;
        let at = join_key(&join_key(&op.at, "responses"), &status);
        n.change(
            "no-content",
            format!("{at}: the body documented under `{status}` removed: a {status} response carries none (RFC 9110)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn bodiless_statuses_lose_their_content_and_shared_responses_stay() {
        let mut n = Normalized::of(json!({
            "paths": {"/vote": {"post": {"responses": {
                "204": {"description": "voted", "headers": {"X-A": {"schema": {"type": "string"}}},
                        "content": {"application/json": {"schema": {}}}},
                "304": {"$ref": "#/components/responses/Same"},
                "200": {"$ref": "#/components/responses/Same"},
                "205": {"description": "reset"}
            }}}},
            "components": {"responses": {"Same": {"description": "same", "content": {"application/json": {"schema": {}}}}}}
        }));
        rewrite(&mut n);
        let r = &n.value["paths"]["/vote"]["post"]["responses"];
        assert_eq!(
            r["204"],
            json!({"description": "voted", "headers": {"X-A": {"schema": {"type": "string"}}}})
        );
        assert_eq!(r["304"], json!({"description": "same"}));
        assert_eq!(r["200"], json!({"$ref": "#/components/responses/Same"}));
        assert_eq!(r["205"], json!({"description": "reset"}));
        assert!(n.value["components"]["responses"]["Same"]["content"].is_object());
        assert_eq!(n.changes.len(), 2);
    }
}
