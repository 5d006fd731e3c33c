//! `self-members`: a component schema that lists its own reference as a
//! direct `allOf` or `anyOf` member means its other members: `A = A ∧ X`
//! and `A = A ∨ X` are both satisfied by exactly `X` (the least solution),
//! so the member is removed and the removal reported. Left in, it is a
//! cycle no generator can resolve (typify recurses until the stack
//! overflows). Every other cycle through composition is refused, located,
//! by `validate` (see [`crate::validate::composition_cycles`]).

use serde_json::Value;

use super::Normalized;
use crate::load::{join_index, join_key};
use crate::validate::composition_cycles::is_self_member;
use crate::walk;

/// `self-members`: remove each component's references to itself from its
/// own `allOf`/`anyOf`.
pub(super) fn rewrite(n: &mut Normalized) {
    let names: Vec<String> = n
        .value
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let mut removed = Vec::new();
    for name in names {
        let own = format!("/components/schemas/{}", walk::escape_token(&name));
        for keyword in ["allOf", "anyOf"] {
            let Some(Value::Array(members)) = n.value.pointer(&own).and_then(|s| s.get(keyword))
            else {
                continue;
            };
            let drop: Vec<usize> = members
                .iter()
                .enumerate()
                .filter(|(_, m)| is_self_member(&n.value, &own, keyword, m))
                .map(|(i, _)| i)
                .collect();
            if drop.is_empty() {
                continue;
            }
            let schema = n.value.pointer_mut(&own).expect("looked up above");
            let path = join_key(&join_key("components.schemas", &name), keyword);
            if let Some(Value::Array(members)) = schema.get_mut(keyword) {
                for &i in drop.iter().rev() {
                    members.remove(i);
                    removed.push(format!(
                        "{}: `{name}` lists itself; it means its other members",
                        join_index(&path, i)
                    ));
                }
                if members.is_empty() {
                    schema.as_object_mut().map(|m| m.remove(keyword));
                }
            }
        }
    }
    for r in removed {
        n.change("self-members", r);
    }
}
