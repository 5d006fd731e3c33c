//! `string-unions`: a union whose members are all strings becomes one
//! string schema.
//!
//! `model: anyOf: [{type: string}, {type: string, enum: [gpt-4o, ..]}]`
//! means "one of these, or any other string". typify cannot tell the
//! members apart and emits a struct of `#[serde(flatten)] Option<String>`
//! fields, which serde can neither read from nor write to a JSON string.
//! The union is rewritten to `{type: string, enum: [every listed value]}`
//! (no `enum` when a member has none and nothing is listed); the `refine`
//! stage then opens every string enum to other values, so "any other
//! string" is kept, and sent back unchanged (also when only one value is
//! named: the enum then carries `open_enums::OPEN_MARK`, which that step
//! removes, so it is not taken for a one-value constant). Members given by `$ref` are
//! followed; a member that is not a plain string (an object, an array, a
//! number, a nested union) leaves the union alone.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::Normalized;
use crate::walk;

/// Rewrite every union of strings in the document.
pub(super) fn rewrite(n: &mut Normalized) {
    let mut count = 0;
    // A union may name another union of strings by `$ref`; each pass sees
    // the previous pass's rewrites, until nothing changes (bounded: a pass
    // that rewrites nothing ends it, and each pass removes unions).
    for _ in 0..8 {
        let before = count;
        count += pass(n);
        if count == before {
            break;
        }
    }
    if count > 0 {
        n.change(
            "string-unions",
            format!("{count} unions of strings became one string enum (open to unlisted values)"),
        );
    }
}

fn pass(n: &mut Normalized) -> usize {
    let targets = member_targets(&n.value);
    let mut count = 0;
    walk::schemas_mut(&mut n.value, &mut |_, schema| {
        let Value::Object(s) = schema else { return };
        for key in ["anyOf", "oneOf"] {
            let Some(Value::Array(members)) = s.get(key) else {
                continue;
            };
            let Some((values, open, nullable)) = union_of_strings(&targets, members) else {
                continue;
            };
            s.shift_remove(key);
            s.insert("type".into(), json!("string"));
            if !values.is_empty() || !open {
                let mut values = values;
                // "Any string, one of them named": an enum of one value
                // would be a constant (a tag) and stay closed; the mark
                // tells `refine`'s `open-enums` to open it and is removed there.
                if open && values.len() == 1 {
                    values.push(json!(crate::refine::open_enums::OPEN_MARK));
                }
                s.insert("enum".into(), Value::Array(values));
            }
            if nullable {
                s.insert("nullable".into(), json!(true));
            }
            count += 1;
        }
    });
    count
}

/// Keywords that make a schema more than a plain string.
const STRUCTURAL: [&str; 7] = [
    "properties",
    "items",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "additionalProperties",
];

/// What each `$ref` member of a union leads to, as the pass starts, where
/// that is a plain schema (one with no [`STRUCTURAL`] keyword): the only
/// targets [`union_of_strings`] can take. Read before the pass rewrites
/// anything, so a pass decides on the document as it found it, without a
/// copy of the whole document to read from.
fn member_targets(root: &Value) -> HashMap<String, Value> {
    let mut targets = HashMap::new();
    walk::schemas(root, &mut |_, schema| {
        for key in ["anyOf", "oneOf"] {
            let Some(Value::Array(members)) = schema.get(key) else {
                continue;
            };
            for member in members {
                let Some(r) = member.get("$ref").and_then(Value::as_str) else {
                    continue;
                };
                if targets.contains_key(r) {
                    continue;
                }
                let target = walk::deref(root, member);
                if let Value::Object(t) = target
                    && !STRUCTURAL.iter().any(|k| t.contains_key(*k))
                {
                    targets.insert(r.to_owned(), target.clone());
                }
            }
        }
    });
    targets
}

/// For members that are all plain strings: the listed values (in order,
/// once each), whether some member takes any string, and whether some
/// member is nullable.
/// A `$ref` member is read from `targets` (one not there leads to no plain
/// schema: the union is left alone).
fn union_of_strings(
    targets: &HashMap<String, Value>,
    members: &[Value],
) -> Option<(Vec<Value>, bool, bool)> {
    if members.len() < 2 {
        return None;
    }
    let mut values: Vec<Value> = Vec::new();
    let (mut open, mut nullable) = (false, false);
    for member in members {
        let m = match member.get("$ref").and_then(Value::as_str) {
            Some(r) => targets.get(r)?,
            None => member,
        };
        let Value::Object(m) = m else { return None };
        if STRUCTURAL.iter().any(|k| m.contains_key(*k)) {
            return None;
        }
        let enum_values = m.get("enum").and_then(Value::as_array);
        match m.get("type").and_then(Value::as_str) {
            Some("string") => {}
            // `const` members arrive as one-value enums without a type.
            None if enum_values.is_some() => {}
            _ => return None,
        }
        nullable |= m.get("nullable") == Some(&json!(true));
        match enum_values {
            Some(list) => {
                for v in list {
                    match v {
                        Value::String(_) if !values.contains(v) => values.push(v.clone()),
                        Value::String(_) => {}
                        Value::Null => nullable = true,
                        _ => return None,
                    }
                }
            }
            None => open = true,
        }
    }
    Some((values, open, nullable))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::load::Document;

    fn run(doc: Value) -> Value {
        let doc = Document::from_value("t.json", doc);
        let n = super::super::normalize(&doc, &Config::default());
        assert!(n.problems.is_empty(), "{:?}", n.problems);
        n.value
    }

    #[test]
    fn a_string_or_listed_strings_becomes_one_enum() {
        let v = run(json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {
                "Model": {"type": "string", "enum": ["a", "b"]},
                "Req": {"type": "object", "properties": {
                    "model": {"description": "d", "anyOf": [{"type": "string"}, {"$ref": "#/components/schemas/Model"}, {"type": "string", "enum": ["b", "c"]}]},
                    "free": {"oneOf": [{"type": "string"}, {"type": "string", "format": "date-time"}]},
                    "mixed": {"anyOf": [{"type": "string"}, {"type": "integer"}]}
                }}
            }}
        }));
        let props = &v["components"]["schemas"]["Req"]["properties"];
        assert_eq!(
            props["model"],
            json!({"description": "d", "type": "string", "enum": ["a", "b", "c"]})
        );
        assert_eq!(props["free"], json!({"type": "string"}));
        assert!(
            props["mixed"].get("enum").is_none() && props["mixed"].get("type").is_none(),
            "not all strings: not a string enum"
        );
    }
}
