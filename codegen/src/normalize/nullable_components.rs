//! `nullable-components`: a nullable component schema makes typify emit two
//! types of one name (E0428); nullability moves to where it is used.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::Normalized;

/// Remove `null` from the `enum` of `s` when it lists other values too
/// (`enum: [null]` alone is left as it is); whether it did. typify reads a
/// listed `null` as nullability, so a schema whose nullability moves
/// elsewhere (`nullable-components`) or goes (`parameter-not-null`) must
/// not keep it.
pub(super) fn drop_listed_null(s: &mut serde_json::Map<String, Value>) -> bool {
    match s.get_mut("enum") {
        Some(Value::Array(values))
            if values.iter().any(Value::is_null) && values.iter().any(|v| !v.is_null()) =>
        {
            values.retain(|v| !v.is_null());
            true
        }
        _ => false,
    }
}

/// `nullable-components`: a component schema that itself accepts null makes
/// typify emit `struct X(Option<X>)` beside `struct X {..}` (E0428). The
/// rule covers every way a schema accepts null: once `openapi-3.1` and
/// `enum-types` have run, each is `nullable: true` (3.1's
/// `type: [string, 'null'], enum: [null, USD, ..]`, Lago's
/// `CurrencyOrNull`, included), and typify reads the `null` enum value left
/// beside it as nullability too.
/// Move the nullability to where the schema is used: the definition loses
/// `nullable`, its `null` enum value (and a one-member `allOf` wrapper),
/// and every `$ref: '#/components/schemas/X'` becomes
/// `{allOf: [$ref], nullable: true}`.
pub(super) fn nullable_components(n: &mut Normalized) {
    let Some(Value::Object(schemas)) = n
        .value
        .get_mut("components")
        .and_then(|c| c.get_mut("schemas"))
    else {
        return;
    };
    let mut moved = Vec::new();
    for (name, schema) in schemas.iter_mut() {
        let Value::Object(s) = schema else { continue };
        // `enum-types` has already made every schema that lists `null`
        // nullable, so `nullable` is the one mark to look for.
        if s.get("nullable") != Some(&json!(true)) {
            continue;
        }
        s.shift_remove("nullable");
        drop_listed_null(s);
        if let Some(Value::Array(members)) = s.get("allOf")
            && members.len() == 1
            && members[0].get("$ref").is_none()
            && let Value::Object(inner) = members[0].clone()
        {
            s.shift_remove("allOf");
            for (k, v) in inner {
                s.entry(k).or_insert(v);
            }
        }
        moved.push(format!("#/components/schemas/{name}"));
    }
    if moved.is_empty() {
        return;
    }
    let moved_set: BTreeSet<&String> = moved.iter().collect();
    /// The rule: null validates wherever a nullable component is referenced,
    /// so every reference is nullable, whatever stands beside the `$ref`
    /// (`description` is common) and when a one-member `allOf` wraps it.
    fn rewrite(v: &mut Value, moved: &BTreeSet<&String>) {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref")
                    && moved.contains(r)
                {
                    let r = r.clone();
                    map.shift_remove("$ref");
                    match map.get_mut("allOf") {
                        Some(Value::Array(members)) => members.push(json!({ "$ref": r })),
                        _ => {
                            map.insert("allOf".into(), json!([{ "$ref": r }]));
                        }
                    }
                    map.insert("nullable".into(), json!(true));
                    return;
                }
                if let Some(Value::Array(members)) = map.get("allOf")
                    && let [member] = members.as_slice()
                    && member.as_object().is_some_and(|m| m.len() == 1)
                    && let Some(Value::String(r)) = member.get("$ref")
                    && moved.contains(r)
                {
                    map.insert("nullable".into(), json!(true));
                    return;
                }
                // **Rule: null validates an `allOf` only when every member
                // takes it.** A moved component referenced as one member of
                // several (`allOf: [Base, {type: object}]`) adds no
                // nullability, so the reference stays as it is (marked
                // nullable, typify intersects null with an object: an enum
                // of no variants, which reads nothing); the `allOf` is
                // nullable when each member is.
                if let Some(Value::Array(members)) = map.get_mut("allOf")
                    && members.len() > 1
                {
                    let is_moved = |m: &Value| matches!(m.get("$ref"), Some(Value::String(r)) if moved.contains(r));
                    let all_nullable = members
                        .iter()
                        .all(|m| is_moved(m) || m.get("nullable") == Some(&Value::Bool(true)));
                    for member in members.iter_mut().filter(|m| !is_moved(m)) {
                        rewrite(member, moved);
                    }
                    if all_nullable {
                        map.insert("nullable".into(), json!(true));
                    }
                    for (_, child) in map.iter_mut().filter(|(k, _)| *k != "allOf") {
                        rewrite(child, moved);
                    }
                    return;
                }
                for child in map.values_mut() {
                    rewrite(child, moved);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|c| rewrite(c, moved)),
            _ => {}
        }
    }
    rewrite(&mut n.value, &moved_set);
    n.change(
        "nullable-components",
        format!(
            "{} nullable component schemas made nullable where used instead",
            moved.len()
        ),
    );
}
