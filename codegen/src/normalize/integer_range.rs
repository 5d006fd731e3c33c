//! `integer-range`: integer bounds outside 64 bits are clamped to `i64`.

use serde_json::{Value, json};

use super::Normalized;
use crate::load::join_key;
use crate::walk::{self};

/// `integer-range`: integer bounds that do not fit `i64`.
pub(super) fn integer_range(n: &mut Normalized) {
    let mut fixed = Vec::new();
    walk::schemas_mut(&mut n.value, &mut |path, schema| {
        if schema.get("type").and_then(Value::as_str) != Some("integer") {
            return;
        }
        for key in ["minimum", "maximum"] {
            let Some(v) = schema.get(key) else { continue };
            if v.as_i64().is_some() {
                continue;
            }
            let clamped = match v.as_f64() {
                Some(f) if f <= i64::MIN as f64 => i64::MIN,
                Some(f) if f >= i64::MAX as f64 => i64::MAX,
                Some(f) if key == "minimum" => f.ceil() as i64,
                Some(f) => f.floor() as i64,
                None => continue,
            };
            fixed.push(format!("{} {v} -> {clamped}", join_key(path, key)));
            schema[key] = json!(clamped);
        }
    });
    for f in fixed {
        n.change("integer-range", f);
    }
}
