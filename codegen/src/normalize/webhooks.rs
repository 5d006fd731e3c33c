//! `webhooks`: the requests the API sends to its users (OpenAPI 3.1
//! `webhooks`; `x-webhooks`, the extension 3.0 specs use for the same) are
//! kept for the `extend` stage's `webhooks` module. progenitor reads
//! neither, so each webhook's operation is listed at the document's root
//! under [`KEY`]: its name, its description, and its JSON payload schema as
//! a reference to a component (an inline payload becomes a component of a
//! free name, `<Name>Webhook`, so that typify makes its type), and
//! `webhooks` / `x-webhooks` are removed. A webhook whose path item holds
//! several operations gives one entry each (`<name>_<method>`); one with no
//! JSON payload gets no schema (its event carries the JSON value).

use serde_json::{Value, json};

use super::{Normalized, component_type_names};
use crate::naming::{Case, sanitize};
use crate::walk;

/// Where the kept webhooks are listed, at the document's root.
pub const KEY: &str = "x-codegen-webhooks";

/// `webhooks`.
pub(super) fn keep(n: &mut Normalized) {
    let Some(root) = n.value.as_object_mut() else {
        return;
    };
    let mut declared = Vec::new();
    for key in ["webhooks", "x-webhooks"] {
        if let Some(Value::Object(hooks)) = root.shift_remove(key) {
            // `x-` keys are extensions of the map, not webhooks.
            declared.extend(
                hooks
                    .into_iter()
                    .filter(|(name, _)| !name.starts_with("x-"))
                    .map(|(name, item)| (key, name, item)),
            );
        }
    }
    if declared.is_empty() {
        return;
    }
    let mut names = component_type_names(&n.value);
    let mut kept = Vec::new();
    let mut lifted = Vec::new();
    let mut skipped = Vec::new();
    for (key, name, item) in declared {
        let item = walk::deref(&n.value, &item).clone();
        let operations = operations_of(&n.value, &item);
        if operations.is_empty() {
            skipped.push(format!("`{key}.{name}`"));
            continue;
        }
        for (method, op) in &operations {
            let (method, op) = (*method, op);
            let entry_name = match operations.len() {
                1 => name.clone(),
                _ => format!("{name}_{method}"),
            };
            let schema = payload_schema(&n.value, op).map(|schema| {
                if schema
                    .get("$ref")
                    .and_then(Value::as_str)
                    .is_some_and(|r| r.starts_with("#/components/schemas/"))
                {
                    return json!({"$ref": schema["$ref"]});
                }
                let component = names.allocate(
                    &sanitize(&format!("{entry_name} webhook"), Case::Pascal),
                    "",
                );
                lifted.push((component.clone(), schema));
                json!({"$ref": format!("#/components/schemas/{component}")})
            });
            let description = op
                .get("description")
                .or_else(|| op.get("summary"))
                .cloned()
                .unwrap_or(Value::Null);
            kept.push(json!({
                "name": entry_name,
                "from": format!("{key}.{name}.{method}"),
                "description": description,
                "schema": schema,
            }));
        }
    }
    if !skipped.is_empty() {
        n.change(
            "webhooks",
            format!(
                "{} declared webhooks have no operation (not a path item, nor a map of them) and are left out: {}",
                skipped.len(),
                skipped.join(", ")
            ),
        );
    }
    if kept.is_empty() {
        return;
    }
    let count = kept.len();
    let listed: Vec<String> = kept
        .iter()
        .filter_map(|k| k["name"].as_str())
        .map(|n| format!("`{n}`"))
        .collect();
    for (component, schema) in &lifted {
        if !n.value["components"].is_object() {
            n.value["components"] = json!({});
        }
        if !n.value["components"]["schemas"].is_object() {
            n.value["components"]["schemas"] = json!({});
        }
        n.value["components"]["schemas"][component] = schema.clone();
    }
    n.value[KEY] = Value::Array(kept);
    n.change(
        "webhooks",
        format!(
            "{count} webhooks kept for the `webhooks` module: {}",
            listed.join(", ")
        ),
    );
    for (component, _) in lifted {
        n.change(
            "webhooks",
            format!("an inline webhook payload became the component `{component}`"),
        );
    }
}

/// The operations of a webhook: those of its path item, or, when it is a
/// map of runtime expressions to path items (the shape of a Callback
/// Object, which some `x-webhooks` use: `{"{$request.body#/callback}":
/// {post: ..}}`), those of each.
fn operations_of(root: &Value, item: &Value) -> Vec<(&'static str, Value)> {
    let direct: Vec<(&'static str, Value)> = walk::METHODS
        .iter()
        .filter_map(|m| Some((*m, item.get(*m)?.clone())))
        .collect();
    if !direct.is_empty() {
        return direct;
    }
    item.as_object()
        .into_iter()
        .flatten()
        .flat_map(|(_, inner)| {
            let inner = walk::deref(root, inner);
            walk::METHODS
                .iter()
                .filter_map(|m| Some((*m, inner.get(*m)?.clone())))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The JSON schema of an operation's request body, if it has one.
fn payload_schema(root: &Value, op: &Value) -> Option<Value> {
    let body = walk::deref(root, op.get("requestBody")?);
    let content = body.get("content")?.as_object()?;
    let media = content.get("application/json").or_else(|| {
        content
            .iter()
            .find(|(media, _)| media.ends_with("+json") || media.ends_with("/json"))
            .map(|(_, m)| m)
    })?;
    media.get("schema").cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhooks_are_listed_and_inline_payloads_become_components() {
        let mut n = Normalized::of(json!({
            "openapi": "3.1.0",
            "paths": {},
            "components": {"schemas": {
                "Done": {"type": "object"},
                "PingWebhook": {"type": "string"},
            }},
            "webhooks": {
                "done": {"post": {"description": "Finished.", "requestBody": {"content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Done"}}}}}},
                "ping": {"post": {"requestBody": {"content": {
                    "application/json": {"schema": {"type": "object", "properties": {"at": {"type": "integer"}}}}}}}},
            },
            "x-webhooks": {
                "legacy": {"put": {}, "delete": {}},
                "callback": {"{$request.body#/url}": {"post": {"requestBody": {"content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Done"}}}}}}},
                "broken": true,
                "x-sdk-exclude": true,
            },
        }));
        keep(&mut n);
        assert!(n.value.get("webhooks").is_none());
        assert!(n.value.get("x-webhooks").is_none());
        let kept = &n.value[KEY];
        assert_eq!(kept[0]["name"], "done");
        assert_eq!(kept[0]["description"], "Finished.");
        assert_eq!(kept[0]["schema"]["$ref"], "#/components/schemas/Done");
        // `PingWebhook` is taken: the lifted payload gets a free name.
        assert_eq!(
            kept[1]["schema"]["$ref"],
            "#/components/schemas/PingWebhook2"
        );
        assert_eq!(
            n.value["components"]["schemas"]["PingWebhook2"]["properties"]["at"]["type"],
            "integer"
        );
        assert_eq!(kept[2]["name"], "legacy_put");
        assert_eq!(kept[3]["name"], "legacy_delete");
        assert!(kept[3]["schema"].is_null());
        assert_eq!(kept[4]["name"], "callback");
        assert_eq!(kept[4]["schema"]["$ref"], "#/components/schemas/Done");
        assert_eq!(kept.as_array().unwrap().len(), 5);
        // The one left out is said, then what was kept and lifted.
        assert!(n.changes[0].what.contains("`x-webhooks.broken`"));
        assert_eq!(n.changes.len(), 3);
    }
}
