//! `required-alternatives`: `anyOf`/`oneOf`/`not` that only list required
//! properties are constraints on an object, not alternative types.
//!
//! `{properties: {image_url, file_id}, anyOf: [{required: [image_url]},
//! {required: [file_id]}], not: {required: [image_url, file_id]}}` says
//! "exactly one of the two". typify reads the members as types and emits an
//! enum with no variants, which no value can ever deserialize into. The
//! members are dropped (the properties stay, optional), so the type takes
//! every valid value; the rule itself stays in the description, which the
//! spec already words ("Provide exactly one of ..."), and the server
//! enforces it.

use serde_json::Value;

use super::Normalized;
use crate::walk;

/// Drop every constraint-only combinator of an object schema.
pub(super) fn rewrite(n: &mut Normalized) {
    let mut count = 0;
    walk::schemas_mut(&mut n.value, &mut |_, schema| {
        let Value::Object(s) = schema else { return };
        if !s.contains_key("properties") {
            return;
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(Value::Array(members)) = s.get(key)
                && !members.is_empty()
                && members.iter().all(only_required)
            {
                s.shift_remove(key);
                count += 1;
            }
        }
        if s.get("not").is_some_and(only_required) {
            s.shift_remove("not");
            count += 1;
        }
    });
    if count > 0 {
        n.change(
            "required-alternatives",
            format!("{count} `anyOf`/`oneOf`/`not` that only list required properties left to the server"),
        );
    }
}

/// `{required: [..]}` (with at most a description or title).
fn only_required(member: &Value) -> bool {
    member.as_object().is_some_and(|m| {
        m.contains_key("required")
            && m.keys()
                .all(|k| matches!(k.as_str(), "required" | "description" | "title"))
    })
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::load::Document;
    use serde_json::json;

    #[test]
    fn exactly_one_of_two_properties_keeps_both_optional() {
        let doc = Document::from_value(
            "t.json",
            json!({
                "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
                "components": {"schemas": {"Ref": {
                    "type": "object",
                    "properties": {"url": {"type": "string"}, "id": {"type": "string"}},
                    "anyOf": [{"required": ["url"]}, {"required": ["id"]}],
                    "not": {"required": ["url", "id"]}
                }}}
            }),
        );
        let n = super::super::normalize(&doc, &Config::default());
        assert_eq!(
            n.value["components"]["schemas"]["Ref"],
            json!({"type": "object", "properties": {"url": {"type": "string"}, "id": {"type": "string"}}})
        );
    }
}
