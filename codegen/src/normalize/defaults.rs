//! `defaults`: a `default` that does not fit its schema is documented as
//! such (every default is documented, none is sent: see
//! [`super::server_defaults`]).

use serde_json::{Value, json};

use super::{Normalized, server_defaults};
use crate::walk::{self};

/// `defaults`: defaults that typify would reject.
pub(super) fn defaults(n: &mut Normalized) {
    // Planned on the document as it is, then written (no copy to read from).
    let mut misfits = std::collections::HashMap::new();
    walk::schemas(&n.value, &mut |path, schema| {
        if let Some(default) = schema.get("default")
            && schema.is_object()
            && let Some(reason) = default_problem(&n.value, schema, default)
        {
            misfits.insert(path.to_owned(), reason);
        }
    });
    let bad = misfits.len();
    if bad > 0 {
        walk::schemas_mut(&mut n.value, &mut |path, schema| {
            if let Some(reason) = misfits.remove(path)
                && let Value::Object(s) = schema
            {
                // Documented with the others (`server-defaults`), with the reason.
                s.insert(server_defaults::MISFIT.into(), json!(reason));
            }
        });
    }
    if bad > 0 {
        n.change(
            "defaults",
            format!(
                "{bad} defaults that do not fit their schema are documented as such (none is sent)"
            ),
        );
    }
}

/// Why `default` does not fit `schema`, if it does not.
pub(super) fn default_problem(root: &Value, schema: &Value, default: &Value) -> Option<String> {
    if ["anyOf", "oneOf", "not"]
        .iter()
        .any(|k| schema.get(*k).is_some())
    {
        return None;
    }
    // allOf: the default must fit every member (progenitor's samples use
    // `allOf: [$ref]` with a default; that works).
    if let Some(Value::Array(members)) = schema.get("allOf") {
        return members.iter().find_map(|m| {
            let m = walk::deref(root, m);
            // Reached through allOf, a union is checked by its members: the
            // default must fit one of them (typify checks tagged unions so).
            match m.get("oneOf").or_else(|| m.get("anyOf")) {
                Some(Value::Array(variants)) => {
                    let fits = variants
                        .iter()
                        .any(|v| default_problem(root, walk::deref(root, v), default).is_none());
                    (!fits).then(|| format!("{default} matches no member of the union"))
                }
                _ => default_problem(root, m, default),
            }
        });
    }
    let schema = walk::deref(root, schema);
    if default.is_null() {
        return (schema.get("nullable") != Some(&json!(true)))
            .then(|| "is null but the schema is not nullable".to_owned());
    }
    if let Some(Value::Array(values)) = schema.get("enum")
        && !values.contains(default)
    {
        return Some(format!("{default} is not one of the enum values"));
    }
    let fits = match schema.get("type").and_then(Value::as_str) {
        Some("string") => default.is_string(),
        Some("integer") => default.is_i64() || default.is_u64(),
        Some("number") => default.is_number(),
        Some("boolean") => default.is_boolean(),
        Some("array") => default.is_array(),
        Some("object") => default.is_object(),
        _ => true,
    };
    (!fits).then(|| {
        format!(
            "{default} does not match type `{}`",
            schema["type"].as_str().unwrap_or("?")
        )
    })
}
