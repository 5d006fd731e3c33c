//! Step `servers`: `host` + `basePath` + `schemes` -> `servers`.
//!
//! One server per scheme, `{scheme}://{host}{basePath}`. Swagger lets
//! `schemes` default to the scheme the document was fetched with, which a
//! generated client does not know: a host without `schemes` gets `https`
//! (reported). Without a host the URL is relative, `basePath` alone or `/`.
//! An operation's own `schemes`, when they differ from the document's,
//! become the operation's `servers`.

use serde_json::{Value, json};

use super::{Cx, what};

/// The document's `servers`.
pub(crate) fn convert(cx: &mut Cx<'_>) -> Value {
    let root = cx.root;
    let from = ["host", "basePath", "schemes"]
        .into_iter()
        .find(|k| root.contains_key(*k))
        .unwrap_or("swagger");
    cx.moved("servers", from);
    let schemes = schemes(cx, root.get("schemes"), "schemes");
    let urls = urls(cx, &schemes);
    if from != "swagger" {
        let list: Vec<&str> = urls.iter().map(String::as_str).collect();
        cx.note(format!(
            "host/basePath/schemes -> servers: {}",
            list.join(", ")
        ));
    }
    Value::Array(urls.into_iter().map(|url| json!({"url": url})).collect())
}

/// An operation's `schemes` as its own `servers`, or `None` when they are
/// the document's (or unreadable).
pub(crate) fn operation(cx: &mut Cx<'_>, value: &Value, old: &str, new: &str) -> Option<Value> {
    let root = cx.root;
    let own = schemes(cx, Some(value), old);
    let global = schemes(cx, root.get("schemes"), "schemes");
    if own.is_empty() || own == global || !root.contains_key("host") {
        return None;
    }
    cx.moved(new, old);
    cx.count("operation schemes -> operation servers");
    let urls = urls(cx, &own);
    Some(Value::Array(
        urls.into_iter().map(|url| json!({"url": url})).collect(),
    ))
}

/// The schemes listed at `value` (lower case, each once).
fn schemes(cx: &mut Cx<'_>, value: Option<&Value>, at: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    match value {
        None => {}
        Some(Value::Array(items)) => {
            for item in items {
                if let Some(s) = item.as_str() {
                    let s = s.trim().to_ascii_lowercase();
                    if !s.is_empty() && !out.contains(&s) {
                        out.push(s);
                    }
                }
            }
        }
        Some(Value::String(s)) => out.push(s.trim().to_ascii_lowercase()),
        Some(other) => cx.error(
            at,
            format!("`schemes` is {}, not a sequence", what(other)),
            "list the schemes, e.g. `schemes: [https]`",
        ),
    }
    out
}

/// The server URLs for these schemes.
fn urls(cx: &mut Cx<'_>, schemes: &[String]) -> Vec<String> {
    let root = cx.root;
    let base = match root.get("basePath") {
        None => String::new(),
        Some(Value::String(b)) => {
            let b = b.trim().trim_end_matches('/');
            if b.is_empty() || b.starts_with('/') {
                b.to_owned()
            } else {
                format!("/{b}")
            }
        }
        Some(other) => {
            cx.error(
                "basePath",
                format!("`basePath` is {}, not a string", what(other)),
                "write the path prefix of every operation, e.g. `basePath: /v1`",
            );
            String::new()
        }
    };
    let host = match root.get("host") {
        None => None,
        Some(Value::String(h)) if h.trim().is_empty() => None,
        Some(Value::String(h)) => Some(h.trim().trim_end_matches('/').to_owned()),
        Some(other) => {
            cx.error(
                "host",
                format!("`host` is {}, not a string", what(other)),
                "write the host name (and port), e.g. `host: api.example.com`",
            );
            None
        }
    };
    let Some(host) = host else {
        return vec![if base.is_empty() {
            "/".to_owned()
        } else {
            base
        }];
    };
    if host.contains("://") {
        return vec![format!("{host}{base}")];
    }
    if schemes.is_empty() {
        cx.note("no `schemes`: https assumed for the server URL");
        return vec![format!("https://{host}{base}")];
    }
    schemes
        .iter()
        .map(|s| format!("{s}://{host}{base}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::super::tests::{doc, typed, up};

    fn servers(extra: Value) -> (Value, Vec<String>) {
        let mut d = doc(json!({}));
        if let (Some(d), Some(extra)) = (d.as_object_mut(), extra.as_object()) {
            for (k, v) in extra {
                d.insert(k.clone(), v.clone());
            }
        }
        let u = up(d);
        typed(&u);
        (u.value["servers"].clone(), u.changes)
    }

    #[test]
    fn one_server_per_scheme() {
        let (s, changes) = servers(
            json!({"host": "api.x.com:8443", "basePath": "/v2/", "schemes": ["https", "http"]}),
        );
        assert_eq!(
            s,
            json!([{"url": "https://api.x.com:8443/v2"}, {"url": "http://api.x.com:8443/v2"}])
        );
        assert!(changes.contains(&"host/basePath/schemes -> servers: https://api.x.com:8443/v2, http://api.x.com:8443/v2".to_owned()));
    }

    #[test]
    fn host_without_schemes_is_https() {
        let (s, changes) = servers(json!({"host": "api.x.com"}));
        assert_eq!(s, json!([{"url": "https://api.x.com"}]));
        assert!(changes.iter().any(|c| c.contains("https assumed")));
    }

    #[test]
    fn base_path_alone_or_slash() {
        assert_eq!(
            servers(json!({"basePath": "api"})).0,
            json!([{"url": "/api"}])
        );
        assert_eq!(servers(json!({"basePath": "/"})).0, json!([{"url": "/"}]));
        assert_eq!(servers(json!({})).0, json!([{"url": "/"}]));
        assert_eq!(
            servers(json!({"schemes": ["http"]})).0,
            json!([{"url": "/"}])
        );
    }

    #[test]
    fn operation_schemes_become_operation_servers() {
        let mut d = doc(json!({"/a": {
            "get": {"schemes": ["wss"], "responses": {"200": {"description": "ok"}}},
            "put": {"schemes": ["https"], "responses": {"200": {"description": "ok"}}}
        }}));
        d["host"] = json!("h");
        d["schemes"] = json!(["https"]);
        let u = up(d);
        assert_eq!(
            u.value["paths"]["/a"]["get"]["servers"],
            json!([{"url": "wss://h"}])
        );
        assert!(u.value["paths"]["/a"]["get"].get("schemes").is_none());
        assert!(u.value["paths"]["/a"]["put"].get("servers").is_none());
        assert_eq!(
            u.old_path("paths./a.get.servers[0]"),
            "paths./a.get.schemes[0]"
        );
        assert_eq!(u.old_path("servers[0].url"), "host[0].url");
        typed(&u);
    }
}
