//! `server-defaults`: a schema's `default` is what the *server* assumes
//! when a value is absent; it moves into the documentation.
//!
//! typify turns `default: 1` into `#[serde(default = "..")]` on a field that
//! is then always serialized, so every request carries every default the
//! caller never set (`temperature: 1.0`, `top_p: 1.0`), and a type that
//! cannot tell "absent" from "the default" changes what is sent. A client
//! should send what the caller set, nothing more. Each `default` is
//! removed and its value appended to the schema's `description`
//! ("Default: `1`."), so the field becomes optional and the value stays
//! documented on the field.

use serde_json::{Value, json};

use super::Normalized;
use crate::walk;

/// Set by the `defaults` step on a schema whose `default` does not fit it:
/// why (documented with the default, then removed).
pub(super) const MISFIT: &str = "x-codegen-default-misfit";

/// Move every `default` into its schema's description.
pub(super) fn rewrite(n: &mut Normalized) {
    let mut count = 0;
    walk::schemas_mut(&mut n.value, &mut |_, schema| {
        let Value::Object(s) = schema else { return };
        let Some(default) = s.shift_remove("default") else {
            return;
        };
        let note = match s.shift_remove(MISFIT).as_ref().and_then(Value::as_str) {
            Some(reason) => format!("Default: `{default}` (as the spec gives it: it {reason})."),
            None => format!("Default: `{default}`."),
        };
        let description = match s.get("description").and_then(Value::as_str) {
            Some(d) if !d.trim().is_empty() => format!("{}\n\n{note}", d.trim_end()),
            _ => note,
        };
        s.insert("description".into(), json!(description));
        count += 1;
    });
    if count > 0 {
        n.change(
            "server-defaults",
            format!("{count} defaults documented instead of sent (the server applies them)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::load::Document;

    #[test]
    fn defaults_move_into_descriptions() {
        let doc = Document::from_value(
            "t.json",
            json!({
                "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
                "components": {"schemas": {"Req": {"type": "object", "properties": {
                    "t": {"type": "number", "default": 1, "description": "Temperature."},
                    "n": {"type": "integer", "default": 2}
                }}}}
            }),
        );
        let n = super::super::normalize(&doc, &Config::default());
        let props = &n.value["components"]["schemas"]["Req"]["properties"];
        assert_eq!(
            props["t"],
            json!({"type": "number", "description": "Temperature.\n\nDefault: `1`."})
        );
        assert_eq!(
            props["n"],
            json!({"type": "integer", "description": "Default: `2`."})
        );
        assert!(n.changes.iter().any(|c| c.step == "server-defaults"));
    }
}
