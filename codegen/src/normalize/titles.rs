//! `titles`: a `title` that would give two types one Rust name is dropped.
//!
//! typify names an inline schema after its `title`. When that name is
//! already a component's (`title: Phone number` inside `Contact`, beside
//! `components.schemas.PhoneNumber`) or another inline schema's (Slack
//! titles both the success and the error body of an operation
//! "conversations.invite error schema"), the crate gets two types of one
//! name (E0428) or one type for two shapes. The later title is removed, so
//! typify names that type from where it is used (`ContactPhoneNumbersItem`);
//! the description, and so the documentation, is kept. Titles of component
//! schemas themselves are never touched: their names come from their keys.

use std::collections::BTreeSet;

use serde_json::Value;

use super::Normalized;
use crate::naming::{Case, sanitize};
use crate::walk;

/// Drop every title whose type name is taken.
pub(super) fn dedupe(n: &mut Normalized) {
    let mut taken: BTreeSet<String> = n
        .value
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|s| s.keys().map(|k| name_key(k)).collect())
        .unwrap_or_default();
    let mut dropped = Vec::new();
    walk::schemas_mut(&mut n.value, &mut |path, schema| {
        let is_component = path
            .strip_prefix("components.schemas.")
            .is_some_and(|rest| !rest.contains(['.', '[']));
        if is_component {
            return;
        }
        let Value::Object(s) = schema else { return };
        let Some(title) = s.get("title").and_then(Value::as_str) else {
            return;
        };
        if !taken.insert(name_key(title)) {
            dropped.push(format!("{path}.title ({title:?})"));
            s.shift_remove("title");
        }
    });
    for what in dropped {
        n.change("titles", format!("dropped {what}: the name is taken"));
    }
}

/// An inline schema typify makes a type of its own for, named after where
/// it is (`Subscription` + `schedule` = `SubscriptionSchedule`), can get a
/// component's name (Stripe's `subscription_schedule`): E0428. Such a
/// schema of a component's property (or its array items) becomes a
/// component of a free name (`SubscriptionScheduleValue`) that the property
/// refers to (nullability stays on the property).
pub(super) fn free_derived_names(n: &mut Normalized) {
    let Some(Value::Object(schemas)) = n.value.pointer("/components/schemas") else {
        return;
    };
    let names: Vec<String> = schemas.keys().cloned().collect();
    let mut taken: BTreeSet<String> = names.iter().map(|k| name_key(k)).collect();
    walk::schemas_mut(&mut n.value, &mut |_, s| {
        if let Some(t) = s.get("title").and_then(Value::as_str) {
            taken.insert(name_key(t));
        }
    });
    let mut hoisted = Vec::new();
    for name in names {
        let parent = sanitize(&name, Case::Pascal);
        for site in property_sites(&n.value["components"]["schemas"][&name]) {
            let Some(Value::Object(props)) = n.value["components"]["schemas"][&name]
                .pointer_mut(&site)
                .and_then(|s| s.get_mut("properties"))
            else {
                continue;
            };
            for (prop, schema) in props.iter_mut() {
                let derived = format!("{parent}{}", sanitize(prop, Case::Pascal));
                let is_array = schema.get("type") == Some(&Value::from("array"));
                let (target, derived) = match schema.get("items") {
                    Some(items) if is_array && items.is_object() => {
                        (schema.get_mut("items"), format!("{derived}Item"))
                    }
                    _ => (Some(schema), derived),
                };
                let Some(target) = target else { continue };
                if !has_own_type(target)
                    || target.get("title").is_some()
                    || !taken.contains(&name_key(&derived))
                {
                    continue;
                }
                let mut k = 1;
                let new_name = loop {
                    let candidate = match k {
                        1 => format!("{derived}Value"),
                        k => format!("{derived}Value{k}"),
                    };
                    if taken.insert(name_key(&candidate)) {
                        break candidate;
                    }
                    k += 1;
                };
                let mut component = target.take();
                let nullable = component
                    .as_object_mut()
                    .and_then(|c| c.shift_remove("nullable"))
                    == Some(Value::Bool(true));
                let description = component.get("description").cloned();
                let reference =
                    serde_json::json!({"$ref": format!("#/components/schemas/{new_name}")});
                *target = if nullable {
                    serde_json::json!({"allOf": [reference], "nullable": true})
                } else {
                    reference
                };
                if let (Some(d), Value::Object(t)) = (description, &mut *target) {
                    t.insert("description".into(), d);
                }
                hoisted.push((
                    format!(
                        "components.schemas.{name}{}.properties.{prop}",
                        dotted(&site)
                    ),
                    new_name,
                    component,
                ));
            }
        }
    }
    for (at, new_name, component) in hoisted {
        n.change(
            "titles",
            format!(
                "{at} is the component {new_name} (the name typify would derive is a component's)"
            ),
        );
        n.value["components"]["schemas"][&new_name] = component;
    }
}

/// Where typify finds the properties of a component's struct, as JSON
/// pointers into the component: the component itself and, recursively,
/// each inline member of its `allOf` (typify merges those into the one
/// struct and names their properties' types after the component too: Box's
/// `SignRequestSignerInput: allOf [$ref, {properties: {validation}}]`).
fn property_sites(component: &Value) -> Vec<String> {
    let mut sites = Vec::new();
    let mut stack = vec![String::new()];
    while let Some(at) = stack.pop() {
        let Some(schema) = component.pointer(&at) else {
            continue;
        };
        if schema.get("properties").is_some() {
            sites.push(at.clone());
        }
        if let Some(Value::Array(members)) = schema.get("allOf") {
            for (i, m) in members.iter().enumerate().rev() {
                if m.get("$ref").is_none() {
                    stack.push(format!("{at}/allOf/{i}"));
                }
            }
        }
    }
    sites
}

/// A pointer of [`property_sites`] (`/allOf/1`) in the dotted form of
/// the report (`.allOf[1]`).
fn dotted(site: &str) -> String {
    site.split("/allOf/")
        .skip(1)
        .map(|i| format!(".allOf[{i}]"))
        .collect()
}

/// Whether typify makes a type of its own for `s` (not one it refers to).
fn has_own_type(s: &Value) -> bool {
    let members = |k: &str| {
        s.get(k).and_then(Value::as_array).map_or(0, |m| {
            m.iter()
                .filter(|m| m.get("type") != Some(&Value::from("null")))
                .count()
        })
    };
    s.get("$ref").is_none()
        && (s.get("enum").is_some()
            || s.get("properties").is_some()
            || members("anyOf") > 1
            || members("oneOf") > 1
            || members("allOf") > 1)
}

/// What typify's name for `s` compares as: letters and digits, lower case.
fn name_key(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::load::Document;
    use serde_json::json;

    #[test]
    fn a_title_naming_a_component_or_an_earlier_title_is_dropped() {
        let doc = Document::from_value(
            "t.json",
            json!({
                "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
                "components": {"schemas": {
                    "PhoneNumber": {"title": "Phone number", "type": "object", "properties": {"n": {"type": "string"}}},
                    "Contact": {"type": "object", "properties": {
                        "phone": {"title": "Phone number", "type": "string", "minLength": 1},
                        "a": {"title": "Shared", "type": "object", "properties": {"x": {"type": "string"}}},
                        "b": {"title": "Shared", "type": "object", "properties": {"y": {"type": "string"}}}
                    }}
                }}
            }),
        );
        let n = super::super::normalize(&doc, &Config::default());
        let s = &n.value["components"]["schemas"];
        assert_eq!(
            s["PhoneNumber"]["title"], "Phone number",
            "a component keeps its title"
        );
        let props = &s["Contact"]["properties"];
        assert!(props["phone"].get("title").is_none());
        assert_eq!(
            props["a"]["title"], "Shared",
            "the first inline title stays"
        );
        assert!(props["b"].get("title").is_none());
    }

    #[test]
    fn an_inline_type_named_like_a_component_gets_a_free_title() {
        let doc = Document::from_value(
            "t.json",
            json!({
                "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
                "components": {"schemas": {
                    "subscription_schedule": {"type": "object", "properties": {"id": {"type": "string"}}},
                    "subscription": {"type": "object", "properties": {
                        "schedule": {"anyOf": [{"type": "string"}, {"$ref": "#/components/schemas/subscription_schedule"}]},
                        "plan": {"anyOf": [{"type": "string"}, {"type": "integer"}]}
                    }}
                }}
            }),
        );
        let n = super::super::normalize(&doc, &Config::default());
        let schemas = &n.value["components"]["schemas"];
        let props = &schemas["subscription"]["properties"];
        assert_eq!(
            props["schedule"]["$ref"],
            "#/components/schemas/SubscriptionScheduleValue"
        );
        assert_eq!(
            schemas["SubscriptionScheduleValue"]["anyOf"][0]["type"],
            "string"
        );
        assert!(props["plan"].get("anyOf").is_some(), "no clash, untouched");
    }

    #[test]
    fn a_property_of_an_all_of_member_named_like_a_component_gets_a_free_name() {
        // Box: `SignRequestSignerInput: allOf [$ref, {properties: {validation: anyOf..}}]`
        // beside the component `SignRequestSignerInputValidation`.
        let doc = Document::from_value(
            "t.json",
            json!({
                "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
                "components": {"schemas": {
                    "Base": {"type": "object", "properties": {"id": {"type": "string"}}},
                    "InputValidation": {"type": "object", "properties": {"kind": {"type": "string"}}},
                    "Input": {"allOf": [
                        {"$ref": "#/components/schemas/Base"},
                        {"allOf": [{"properties": {"validation": {
                            "anyOf": [{"$ref": "#/components/schemas/InputValidation"}, {"type": "integer"}]
                        }}}]}
                    ]}
                }}
            }),
        );
        let n = super::super::normalize(&doc, &Config::default());
        let schemas = &n.value["components"]["schemas"];
        let validation = &schemas["Input"]["allOf"][1]["allOf"][0]["properties"]["validation"];
        assert_eq!(
            validation["$ref"],
            "#/components/schemas/InputValidationValue"
        );
        assert!(schemas["InputValidationValue"]["anyOf"].is_array());
        assert!(
            n.changes.iter().any(|c| c
                .what
                .contains("Input.allOf[1].allOf[0].properties.validation")),
            "{:?}",
            n.changes
        );
    }
}
