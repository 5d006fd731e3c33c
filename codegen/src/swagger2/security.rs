//! Step `security`: `securityDefinitions` -> `components.securitySchemes`.
//!
//! | Swagger 2.0 | OpenAPI 3.0 |
//! |---|---|
//! | `type: basic` | `type: http, scheme: basic` |
//! | `type: apiKey` | unchanged (`name`, `in`) |
//! | `type: oauth2, flow: implicit` | `flows.implicit: {authorizationUrl, scopes}` |
//! | `type: oauth2, flow: password` | `flows.password: {tokenUrl, scopes}` |
//! | `type: oauth2, flow: application` | `flows.clientCredentials: {tokenUrl, scopes}` |
//! | `type: oauth2, flow: accessCode` | `flows.authorizationCode: {authorizationUrl, tokenUrl, scopes}` |
//!
//! `description` and `x-` extensions are kept. Requirements (`security`)
//! read the same in both versions and are left as they are.

use serde_json::{Map, Value};

use super::{Cx, what};
use crate::load::join_key;

/// `components.securitySchemes`, when the document has `securityDefinitions`.
pub(crate) fn convert(cx: &mut Cx<'_>) -> Option<Map<String, Value>> {
    let defs = cx.root.get("securityDefinitions")?;
    let Some(defs) = defs.as_object() else {
        cx.error(
            "securityDefinitions",
            format!("`securityDefinitions` is {}, not a mapping", what(defs)),
            "make it a mapping from scheme names to security schemes",
        );
        return None;
    };
    cx.moved("components.securitySchemes", "securityDefinitions");
    let mut out = Map::new();
    for (name, def) in defs {
        let old = join_key("securityDefinitions", name);
        let new = join_key("components.securitySchemes", name);
        if let Some(scheme) = scheme(cx, def, &old, &new) {
            cx.moved(new, old);
            out.insert(name.clone(), scheme);
        }
    }
    Some(out)
}

/// One security scheme, converted.
fn scheme(cx: &mut Cx<'_>, def: &Value, old: &str, new: &str) -> Option<Value> {
    let Some(def) = def.as_object() else {
        cx.error(
            old,
            format!("the security scheme is {}, not a mapping", what(def)),
            "write `type: basic`, `apiKey` or `oauth2`",
        );
        return None;
    };
    let kind = def.get("type").and_then(Value::as_str);
    match kind {
        Some("apiKey") => {
            cx.count("apiKey securityDefinitions -> securitySchemes (unchanged)");
            Some(Value::Object(def.clone()))
        }
        Some("basic") => {
            let mut out = Map::new();
            for (k, v) in def {
                if k == "type" {
                    out.insert("type".to_owned(), "http".into());
                    out.insert("scheme".to_owned(), "basic".into());
                } else {
                    out.insert(k.clone(), v.clone());
                }
            }
            cx.count("basic securityDefinitions -> http basic securitySchemes");
            Some(Value::Object(out))
        }
        Some("oauth2") => oauth2(cx, def, old, new),
        Some(other) => {
            cx.error(
                &join_key(old, "type"),
                format!("unknown security scheme type `{other}`"),
                "Swagger 2.0 knows `basic`, `apiKey` and `oauth2`",
            );
            None
        }
        None => {
            cx.error(
                old,
                "a security scheme without `type`",
                "add `type: basic`, `apiKey` or `oauth2`",
            );
            None
        }
    }
}

/// An `oauth2` scheme: its one `flow` -> `flows.<flow>`.
fn oauth2(cx: &mut Cx<'_>, def: &Map<String, Value>, old: &str, new: &str) -> Option<Value> {
    let flow = def.get("flow").and_then(Value::as_str);
    let (name, urls): (&str, &[&str]) = match flow {
        Some("implicit") => ("implicit", &["authorizationUrl"]),
        Some("password") => ("password", &["tokenUrl"]),
        Some("application") => ("clientCredentials", &["tokenUrl"]),
        Some("accessCode") => ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
        Some(other) => {
            cx.error(
                &join_key(old, "flow"),
                format!("unknown oauth2 flow `{other}`"),
                "Swagger 2.0 knows `implicit`, `password`, `application` and `accessCode`",
            );
            return None;
        }
        None => {
            cx.error(
                old,
                "an oauth2 scheme without `flow`",
                "add `flow: implicit`, `password`, `application` or `accessCode`",
            );
            return None;
        }
    };
    let mut body = Map::new();
    let mut ok = true;
    for url in urls {
        match def.get(*url) {
            Some(Value::String(u)) => {
                body.insert((*url).to_owned(), Value::String(u.clone()));
            }
            _ => {
                ok = false;
                cx.error(
                    old,
                    format!(
                        "the oauth2 `{}` flow has no `{url}`",
                        flow.unwrap_or_default()
                    ),
                    &format!("add `{url}:` with the URL of the authorization server"),
                );
            }
        }
    }
    match def.get("scopes") {
        None => {
            body.insert("scopes".to_owned(), Value::Object(Map::new()));
        }
        Some(Value::Object(scopes)) => {
            let scopes: Map<String, Value> = scopes
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        Value::String(v.as_str().map_or_else(|| v.to_string(), str::to_owned)),
                    )
                })
                .collect();
            body.insert("scopes".to_owned(), Value::Object(scopes));
        }
        Some(other) => {
            ok = false;
            cx.error(
                &join_key(old, "scopes"),
                format!("`scopes` is {}, not a mapping", what(other)),
                "map each scope name to its description",
            );
        }
    }
    if !ok {
        return None;
    }
    let mut out = Map::new();
    for (k, v) in def {
        match k.as_str() {
            "authorizationUrl" | "tokenUrl" | "scopes" => {}
            "flow" => {
                let mut flows = Map::new();
                flows.insert(name.to_owned(), Value::Object(body.clone()));
                out.insert("flows".to_owned(), Value::Object(flows));
            }
            _ => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    cx.moved(format!("{new}.flows.{name}"), old);
    cx.count(&format!(
        "oauth2 {} flows -> flows.{name}",
        flow.unwrap_or_default()
    ));
    Some(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::super::tests::{doc, fails, typed, up};

    fn schemes(defs: Value) -> super::super::Upgraded {
        let mut d = doc(json!({}));
        d["securityDefinitions"] = defs;
        up(d)
    }

    #[test]
    fn every_kind() {
        let u = schemes(json!({
            "b": {"type": "basic", "description": "user and password"},
            "k": {"type": "apiKey", "in": "header", "name": "X-Key", "x-env": "KEY"},
            "i": {"type": "oauth2", "flow": "implicit", "authorizationUrl": "https://a/auth", "scopes": {"read": "Read"}},
            "p": {"type": "oauth2", "flow": "password", "tokenUrl": "https://a/token", "scopes": {}},
            "c": {"type": "oauth2", "flow": "application", "tokenUrl": "https://a/token"},
            "a": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a/auth", "tokenUrl": "https://a/token", "scopes": {"w": "Write"}, "x-y": true}
        }));
        let s = &u.value["components"]["securitySchemes"];
        assert_eq!(
            s["b"],
            json!({"type": "http", "scheme": "basic", "description": "user and password"})
        );
        assert_eq!(
            s["k"],
            json!({"type": "apiKey", "in": "header", "name": "X-Key", "x-env": "KEY"})
        );
        assert_eq!(
            s["i"],
            json!({"type": "oauth2", "flows": {"implicit": {"authorizationUrl": "https://a/auth", "scopes": {"read": "Read"}}}})
        );
        assert_eq!(
            s["p"],
            json!({"type": "oauth2", "flows": {"password": {"tokenUrl": "https://a/token", "scopes": {}}}})
        );
        assert_eq!(
            s["c"],
            json!({"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://a/token", "scopes": {}}}})
        );
        assert_eq!(
            s["a"],
            json!({"type": "oauth2", "flows": {"authorizationCode": {"authorizationUrl": "https://a/auth", "tokenUrl": "https://a/token", "scopes": {"w": "Write"}}}, "x-y": true})
        );
        assert!(u.value.get("securityDefinitions").is_none());
        assert_eq!(
            u.old_path("components.securitySchemes.b.scheme"),
            "securityDefinitions.b.scheme"
        );
        assert_eq!(
            u.old_path("components.securitySchemes.a.flows.authorizationCode.scopes"),
            "securityDefinitions.a.scopes"
        );
        assert!(
            u.changes
                .contains(&"1 basic securityDefinitions -> http basic securitySchemes".to_owned()),
            "{:?}",
            u.changes
        );
        assert!(
            u.changes
                .contains(&"1 oauth2 application flows -> flows.clientCredentials".to_owned())
        );
        let api = typed(&u);
        assert_eq!(api.components.map(|c| c.security_schemes.len()), Some(6));
    }

    #[test]
    fn broken_schemes_are_located() {
        let mut d = doc(json!({}));
        d["securityDefinitions"] = json!({
            "x": {"type": "digest"},
            "y": {"type": "oauth2", "flow": "implicit"},
            "z": {"type": "oauth2", "flow": "device", "tokenUrl": "u"},
            "w": {"in": "header"}
        });
        let e = fails(d);
        let paths: Vec<&str> = e.iter().filter_map(|d| d.path.as_deref()).collect();
        assert_eq!(
            paths,
            [
                "securityDefinitions.x.type",
                "securityDefinitions.y",
                "securityDefinitions.z.flow",
                "securityDefinitions.w"
            ]
        );
        assert!(e[1].message.contains("authorizationUrl"));
    }
}
