//! `reserved-headers`: header parameters OpenAPI 3 says to ignore.
//!
//! **Rule (OpenAPI 3.0.3 and 3.1, Parameter Object, `name`):** "If `in` is
//! `header` and the `name` field is `Accept`, `Content-Type` or
//! `Authorization`, the parameter definition SHALL be ignored." The client
//! sets each from the spec itself: `Content-Type` from the request body's
//! media type, `Accept` from the responses', `Authorization` from the
//! operation's `security`. A setter for one would send a second,
//! conflicting header (a `Content-Type: value` beside a JSON body is a body
//! no server reads), so the definitions are removed and each removal is
//! reported. Header names are case-insensitive (RFC 9110 §5.1).
//!
//! Swagger 2.0 has no such rule (an `Authorization` header parameter is how
//! many Swagger 2.0 APIs take their key), so a converted Swagger document
//! keeps them.

use serde_json::Value;

use super::{Normalized, op_name};
use crate::load::Document;
use crate::walk;

/// The header names whose parameter definitions OpenAPI 3 ignores
/// (lower case).
pub const RESERVED: [&str; 3] = ["accept", "content-type", "authorization"];

/// Whether `param` (dereferenced) is a header the spec says to ignore.
fn reserved(root: &Value, param: &Value) -> Option<String> {
    let p = walk::deref(root, param);
    if p.get("in").and_then(Value::as_str) != Some("header") {
        return None;
    }
    let name = p.get("name").and_then(Value::as_str)?;
    RESERVED
        .contains(&name.to_ascii_lowercase().as_str())
        .then(|| name.to_owned())
}

/// Parameters to remove from one list.
struct Removal {
    path: String,
    /// The operation's method, or `None`: the path item's list.
    method: Option<String>,
    /// Their indexes in the list.
    at: Vec<usize>,
    /// Their names, as the spec spells them.
    names: Vec<String>,
}

/// `reserved-headers`: drop `Accept`, `Content-Type` and `Authorization`
/// header parameters of an OpenAPI 3 document, reported per operation (or
/// per path item, for the parameters its operations share).
pub(super) fn rewrite(n: &mut Normalized, doc: &Document) {
    if !doc.moved.is_empty() || !doc.converted.is_empty() {
        return; // converted from Swagger 2.0
    }
    let root = &n.value;
    // Planned, then written.
    let mut removals: Vec<Removal> = Vec::new();
    let mut plan = |path: &str, method: Option<&str>, list: Option<&Value>| {
        let (mut at, mut names) = (Vec::new(), Vec::new());
        for (i, p) in list
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            if let Some(name) = reserved(root, p) {
                at.push(i);
                names.push(name);
            }
        }
        if !at.is_empty() {
            removals.push(Removal {
                path: path.to_owned(),
                method: method.map(str::to_owned),
                at,
                names,
            });
        }
    };
    for (path, item) in root
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        plan(path, None, item.get("parameters"));
    }
    for op in walk::operations(root) {
        let params = walk::operation(root, &op).and_then(|o| o.get("parameters"));
        plan(&op.path, Some(&op.method), params);
    }
    let ops = walk::operations(root);
    for Removal {
        path,
        method,
        at,
        names,
    } in removals
    {
        let item = &mut n.value["paths"][&path];
        let list = match &method {
            Some(m) => item[m].get_mut("parameters"),
            None => item.get_mut("parameters"),
        };
        if let Some(Value::Array(list)) = list {
            for i in at.iter().rev() {
                list.remove(*i);
            }
        }
        // An `Authorization` the spec gives no scheme for: say how to send it.
        let secured = |security: Option<&Value>| {
            security
                .and_then(Value::as_array)
                .is_some_and(|alternatives| !alternatives.is_empty())
        };
        let op_security = method
            .as_ref()
            .and_then(|m| n.value["paths"][&path][m].get("security"));
        let asks = match op_security {
            Some(s) => secured(Some(s)),
            None => secured(n.value.get("security")),
        };
        let hint = if !asks
            && names
                .iter()
                .any(|h| h.eq_ignore_ascii_case("authorization"))
        {
            "; it asks for no credential (`security`): if it needs this one, name the scheme in its `security` with an overlay"
        } else {
            ""
        };
        let whom = match &method {
            Some(m) => ops
                .iter()
                .find(|o| o.path == path && &o.method == m)
                .map(op_name)
                .unwrap_or_default(),
            None => format!("every operation of `{path}`"),
        };
        n.change(
            "reserved-headers",
            format!(
                "{whom}: header parameter `{}` ignored, as OpenAPI 3 requires: the client sets it from the spec (the body's media type, the responses', the security){hint}",
                names.join("`, `")
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::load;

    fn normalized(text: &str) -> super::super::Normalized {
        let doc = load::load_bytes(text.as_bytes(), "t.yaml").unwrap();
        let doc = crate::swagger2::stage(doc).unwrap();
        super::super::normalize(&doc, &Config::default())
    }

    #[test]
    fn accept_content_type_and_authorization_headers_are_ignored() {
        let n = normalized(
            r#"
openapi: 3.0.0
info: {title: t, version: "1"}
components:
  parameters:
    auth: {name: Authorization, in: header, required: true, schema: {type: string}}
paths:
  /a:
    parameters:
      - {name: accept, in: header, schema: {type: string}}
    put:
      operationId: putA
      parameters:
        - $ref: '#/components/parameters/auth'
        - {name: Content-Type, in: header, schema: {type: string}}
        - {name: X-Trace, in: header, schema: {type: string}}
        - {name: Authorization, in: query, schema: {type: string}}
      requestBody:
        content: {application/json: {schema: {type: object}}}
      responses: {'200': {description: ok}}
"#,
        );
        let a = &n.value["paths"]["/a"];
        assert_eq!(a["parameters"], serde_json::json!([]), "{a}");
        let kept: Vec<&str> = a["put"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        // Another header, and a query parameter of a reserved name, stay.
        assert_eq!(kept, ["X-Trace", "Authorization"]);
        let said: Vec<&str> = n
            .changes
            .iter()
            .filter(|c| c.step == "reserved-headers")
            .map(|c| c.what.as_str())
            .collect();
        assert_eq!(said.len(), 2, "{said:?}");
        assert!(
            said.iter()
                .any(|s| s.contains("`Authorization`, `Content-Type`")),
            "{said:?}"
        );
    }

    #[test]
    fn a_swagger_document_keeps_its_authorization_header() {
        let n = normalized(
            r#"
swagger: "2.0"
info: {title: t, version: "1"}
paths:
  /a:
    get:
      operationId: getA
      parameters:
        - {name: Authorization, in: header, required: true, type: string}
      responses: {'200': {description: ok}}
"#,
        );
        assert_eq!(
            n.value["paths"]["/a"]["get"]["parameters"][0]["name"],
            "Authorization"
        );
    }
}
