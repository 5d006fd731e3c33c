//! `tri-state-marks`: an optional, nullable property says so in the field
//! typify makes of it.
//!
//! `refine`'s `tri-state` makes such a field `Option<Option<T>>` (absent,
//! `null`, a value). typify writes an optional nullable property exactly as
//! an optional one (`Option<T>`), and names the type that holds it by rules
//! of its own (`<Parent><Property>`, `..Item`, a title, a struct-like enum
//! variant), so finding the field by predicting that name misses some. The
//! property's own `description`, which typify writes as the field's doc,
//! carries [`MARK`] instead: wherever typify puts the property, the mark
//! is on it, and `refine` removes every mark it reads.

use serde_json::{Value, json};

use super::Normalized;
use crate::walk;

/// What marks an optional nullable property's description.
pub const MARK: &str = "x-codegen-tri-state";

/// Mark every optional nullable property of every object schema. Not
/// reported: `refine`'s `tri-state` reports what the marks became.
pub(super) fn mark(n: &mut Normalized) {
    walk::schemas_mut(&mut n.value, &mut |_, schema| {
        let Some(Value::Object(props)) = schema.get("properties") else {
            return;
        };
        let required: Vec<String> = match schema.get("required") {
            Some(Value::Array(names)) => names
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        };
        let marked: Vec<String> = props
            .iter()
            .filter(|(name, p)| !required.contains(name) && p.get("nullable") == Some(&json!(true)))
            .map(|(name, _)| name.clone())
            .collect();
        for name in marked {
            let Some(Value::Object(p)) =
                schema.pointer_mut(&format!("/properties/{}", walk::escape_token(&name)))
            else {
                continue;
            };
            let description = match p.get("description").and_then(Value::as_str) {
                Some(d) if d.contains(MARK) => continue,
                Some(d) => format!("{}\n\n{MARK}", d.trim_end()),
                None => MARK.to_owned(),
            };
            p.insert("description".into(), Value::String(description));
        }
    });
}
