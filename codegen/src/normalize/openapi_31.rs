//! `openapi-3.1`: OpenAPI 3.1 / JSON Schema 2020-12 constructs rewritten
//! for 3.0 (type arrays with `null`, `null` members of unions, `const`,
//! numeric exclusive bounds, `examples`; on 3.1 documents also the version
//! and the 3.1-only top-level keys). The schema rewrites run on 3.0
//! documents too, which sometimes use them.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::Normalized;
use crate::walk::{self};

/// `openapi-3.1`: OpenAPI 3.1 / JSON Schema 2020-12 -> OpenAPI 3.0.
pub(super) fn openapi_31(n: &mut Normalized) {
    let is_31 = n
        .value
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.1."));
    // JSON Schema 2020-12 constructs also turn up in documents that say
    // 3.0 (the OpenAI 3.0.0 spec has `type: "null"`): the schema rewrites run
    // for every document; the version and top-level keys only for 3.1.
    if is_31 {
        n.value["openapi"] = json!("3.0.3");
    }
    // `webhooks` were taken by the `webhooks` step.
    for key in ["webhooks", "jsonSchemaDialect"]
        .into_iter()
        .filter(|_| is_31)
    {
        if n.value
            .as_object_mut()
            .and_then(|m| m.shift_remove(key))
            .is_some()
        {
            n.change(
                "openapi-3.1",
                format!("dropped `{key}` (not in OpenAPI 3.0)"),
            );
        }
    }
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    walk::schemas_mut(&mut n.value, &mut |_, schema| {
        let Value::Object(s) = schema else { return };
        // type: [T, "null"] -> type: T, nullable: true
        if let Some(Value::Array(types)) = s.get("type").cloned() {
            let non_null: Vec<Value> = types
                .iter()
                .filter(|t| t.as_str() != Some("null"))
                .cloned()
                .collect();
            let nullable = non_null.len() < types.len();
            match non_null.len() {
                0 => {
                    s.shift_remove("type");
                }
                1 => {
                    s.insert("type".into(), non_null[0].clone());
                }
                _ => {
                    s.shift_remove("type");
                    let any: Vec<Value> = non_null.iter().map(|t| json!({ "type": t })).collect();
                    s.insert("anyOf".into(), Value::Array(any));
                }
            }
            if nullable {
                s.insert("nullable".into(), json!(true));
            }
            *counts.entry("type arrays").or_default() += 1;
        }
        // {type: null} members of unions -> nullable
        for key in ["anyOf", "oneOf"] {
            let Some(Value::Array(members)) = s.get(key).cloned() else {
                continue;
            };
            // `{type: "null"}`, already rewritten (children come first) to
            // `{nullable: true, enum: [null]}`.
            let is_null = |m: &Value| {
                m.get("type").and_then(Value::as_str) == Some("null")
                    || m.get("enum") == Some(&json!([null]))
            };
            let kept: Vec<Value> = members.iter().filter(|m| !is_null(m)).cloned().collect();
            if kept.len() == members.len() {
                continue;
            }
            s.shift_remove(key);
            s.insert("nullable".into(), json!(true));
            match kept.len() {
                0 => {}
                1 => {
                    s.insert("allOf".into(), Value::Array(kept));
                }
                _ => {
                    s.insert(key.into(), Value::Array(kept));
                }
            }
            *counts.entry("null members of unions").or_default() += 1;
        }
        // allOf: [X, {nullable: true}]: typify reads nullability only on the
        // schema itself, not on a member; hoist it.
        if let Some(Value::Array(members)) = s.get("allOf").cloned() {
            let only_nullable = |m: &Value| {
                m.as_object().is_some_and(|o| {
                    o.get("nullable") == Some(&json!(true))
                        && o.keys().all(|k| k == "nullable" || k == "description")
                })
            };
            if members.len() > 1 && members.iter().any(only_nullable) {
                let kept: Vec<Value> = members.into_iter().filter(|m| !only_nullable(m)).collect();
                s.insert("allOf".into(), Value::Array(kept));
                s.insert("nullable".into(), json!(true));
                *counts.entry("nullable allOf members").or_default() += 1;
            }
        }
        if s.get("type").and_then(Value::as_str) == Some("null") {
            s.shift_remove("type");
            s.insert("nullable".into(), json!(true));
            s.insert("enum".into(), json!([null]));
            *counts.entry("null types").or_default() += 1;
        }
        if let Some(c) = s.shift_remove("const") {
            if !s.contains_key("enum") {
                s.insert("enum".into(), json!([c]));
            }
            *counts.entry("const").or_default() += 1;
        }
        for (ex, bound) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            if let Some(v @ Value::Number(_)) = s.get(ex).cloned() {
                s.insert(bound.into(), v);
                s.insert(ex.into(), json!(true));
                *counts.entry("numeric exclusive bounds").or_default() += 1;
            }
        }
        if let Some(Value::Array(examples)) = s.shift_remove("examples") {
            if !s.contains_key("example")
                && let Some(first) = examples.into_iter().next()
            {
                s.insert("example".into(), first);
            }
            *counts.entry("examples").or_default() += 1;
        }
    });
    let summary = counts
        .iter()
        .map(|(k, v)| format!("{v} {k}"))
        .collect::<Vec<_>>()
        .join(", ");
    if is_31 {
        n.change("openapi-3.1", format!("3.1.x -> 3.0.3 ({summary})"));
    } else if !counts.is_empty() {
        n.change(
            "openapi-3.1",
            format!("OpenAPI 3.1 schema constructs rewritten for 3.0 ({summary})"),
        );
    }
}
