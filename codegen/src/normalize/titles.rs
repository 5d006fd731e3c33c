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
}
