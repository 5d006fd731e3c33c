//! `disjoint-unions`: an `anyOf` whose members only overlap on `null` is a
//! nullable `oneOf`.
//!
//! typify makes an `anyOf` a struct of `#[serde(flatten)] Option<Member>`
//! fields, a shape made for objects that may match several members, which
//! takes no string, number, boolean or array. When the members cannot match
//! one value twice it reads the `anyOf` as a `oneOf` (an untagged enum), but
//! a member that admits `null` makes two members match `null`: Apideck's
//! custom field `value: anyOf: [string|null, number|null, boolean, array]`
//! became a struct that read no value at all. The rule: when the members'
//! JSON types are pairwise disjoint apart from `null` (`integer` counts as a
//! `number`), a valid value other than `null` matches exactly one member,
//! so the union is a `oneOf` of the members without their `nullable`, and
//! the union itself is nullable. Members are read through `$ref`s; a member
//! whose types are not known (no `type`, a combinator) leaves the union
//! alone, and so does an `anyOf` beside keywords of its own (`type`,
//! `properties`, `oneOf`). A union no member of which admits `null` is left
//! to typify, which already reads it so.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::Normalized;
use crate::walk;

/// Keywords beside `anyOf` that make it one constraint among others.
const OWN_KEYWORDS: [&str; 6] = ["type", "properties", "items", "oneOf", "allOf", "enum"];

/// Rewrite every `anyOf` whose members overlap only on `null` into a
/// nullable `oneOf`.
pub(super) fn rewrite(n: &mut Normalized) {
    let root = json!({ "components": n.value.get("components").cloned().unwrap_or(Value::Null) });
    let mut count = 0;
    walk::schemas_mut(&mut n.value, &mut |_, schema| {
        let Value::Object(s) = schema else { return };
        let Some(Value::Array(members)) = s.get("anyOf") else {
            return;
        };
        if members.len() < 2 || OWN_KEYWORDS.iter().any(|k| s.contains_key(*k)) {
            return;
        }
        let mut seen = BTreeSet::new();
        let mut nullable = false;
        for member in members {
            let Some((types, null)) = json_types(&root, member) else {
                return;
            };
            nullable |= null;
            if types.iter().any(|t| !seen.insert(*t)) {
                return;
            }
        }
        if !nullable {
            return;
        }
        let Some(Value::Array(mut members)) = s.shift_remove("anyOf") else {
            return;
        };
        for member in members.iter_mut() {
            if let Value::Object(m) = member {
                m.shift_remove("nullable");
            }
        }
        s.insert("oneOf".into(), Value::Array(members));
        s.insert("nullable".into(), json!(true));
        count += 1;
    });
    if count > 0 {
        n.change(
            "disjoint-unions",
            format!(
                "{count} `anyOf` unions whose members overlap only on `null` read as a nullable `oneOf` (one member per value)"
            ),
        );
    }
}

/// The JSON types a member admits (`integer` as `number`), and whether it
/// admits `null`; `None` when not known.
fn json_types(root: &Value, member: &Value) -> Option<(BTreeSet<&'static str>, bool)> {
    let null_ref = member.get("nullable") == Some(&json!(true));
    let member = walk::deref(root, member);
    if member.get("$ref").is_some() {
        return None;
    }
    let null = null_ref || member.get("nullable") == Some(&json!(true));
    let named = |t: &str| -> Option<&'static str> {
        Some(match t {
            "string" => "string",
            "integer" | "number" => "number",
            "boolean" => "boolean",
            "array" => "array",
            "object" => "object",
            _ => return None,
        })
    };
    let types = match member.get("type")? {
        Value::String(t) => BTreeSet::from([named(t)?]),
        Value::Array(ts) => {
            let mut set = BTreeSet::new();
            for t in ts.iter().filter_map(Value::as_str).filter(|t| *t != "null") {
                set.insert(named(t)?);
            }
            set
        }
        _ => return None,
    };
    if ["anyOf", "oneOf", "allOf", "not"]
        .iter()
        .any(|k| member.get(*k).is_some())
    {
        return None;
    }
    Some((types, null))
}
