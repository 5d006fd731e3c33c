//! `typify-limits`: schemas typify (0.8) panics on, rewritten to ones that
//! describe the same JSON and that it takes. Each rewrite is reported.
//!
//! * **`format` on an object, array, boolean, or a schema with no `type`**
//!   (Twilio's `{type: object, format: uri-map}`, Learnifier's
//!   `{format: string}`): typify stops with "invalid (or unexpected)
//!   schema". A format only describes strings and numbers: on another type
//!   it says nothing about the JSON, and on a schema of no type it only
//!   narrows the strings (or numbers) among the values it takes. It is
//!   removed: the schema takes what it took, strings unchecked.
//! * **`enum` beside `allOf`, `anyOf` or `oneOf`** (Discord's
//!   `{type: integer, enum: [10, 11, 12], allOf: [$ref: ChannelTypes]}`,
//!   GitHub's `{type: string, enum: [gh-pages, master], anyOf: [string,
//!   object]}`): typify reaches `unreachable!()` while merging, or makes a
//!   checked newtype over a union that cannot be compared (E0277). The
//!   enum lists every value the schema takes (JSON Schema applies every
//!   keyword), so the members, which can only rule values out, are
//!   removed.
//! * **Enum values typify cannot name** (Jira's `[-created, +created]` and
//!   `[=, !=, >, <, ..]`): typify names a variant after its value with the
//!   symbols dropped, finds two alike, and panics. Such an enum's values
//!   are replaced by placeholders (`x-codegen-value-7`), and the document
//!   records, under [`ENUM_VALUES`], each placeholder's value and the
//!   variant name made here: from `x-enum-varnames` / `x-enumNames` when
//!   the spec gives names, else the value with its symbols spelled out
//!   (`MinusCreated`, `PlusCreated`, `NotEq`, `GtEq`). The refine stage
//!   ([`crate::refine::enum_values`]) puts the values and names back into
//!   the generated code, so the wire format is the spec's.
//! * **A lower bound of zero on a length or a count** (`minLength: 0`,
//!   `minItems: 0`, `minProperties: 0`; Plaid): every value meets it, and
//!   typify still writes the check (`if value.chars().count() < 0usize`),
//!   which rustc warns about (`unused_comparisons`). The keyword constrains
//!   nothing, so it is removed.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::Normalized;
use crate::naming::{Case, sanitize, spell_symbols, unique};
use crate::walk;

/// The document extension that maps each placeholder to
/// `[wire value, variant name]`.
pub const ENUM_VALUES: &str = "x-codegen-enum-values";

/// The prefix of every placeholder value.
pub const PLACEHOLDER: &str = "x-codegen-value-";

/// Rewrite every schema typify cannot take.
pub(super) fn rewrite(n: &mut Normalized) {
    let mut formats = Vec::new();
    let mut enum_all_of = Vec::new();
    let mut renamed = Vec::new();
    let mut zero_bounds = 0usize;
    let mut values = Map::new();
    walk::schemas_mut(&mut n.value, &mut |path, schema| {
        let Value::Object(s) = schema else { return };
        for key in ["minLength", "minItems", "minProperties"] {
            if s.get(key).and_then(Value::as_f64) == Some(0.0) {
                s.shift_remove(key);
                zero_bounds += 1;
            }
        }
        if let Some(format) = pointless_format(s) {
            s.shift_remove("format");
            formats.push(format!("{path} ({format})"));
        }
        if ["allOf", "anyOf", "oneOf"]
            .iter()
            .any(|k| s.contains_key(*k))
            && let Some(Value::Array(listed)) = s.get("enum")
            && !listed.is_empty()
            && listed.iter().all(|v| !v.is_object() && !v.is_array())
        {
            for key in ["allOf", "anyOf", "oneOf"] {
                if s.shift_remove(key).is_some() {
                    enum_all_of.push(format!("{path} ({key})"));
                }
            }
        }
        if let Some(names) = names_needed(s) {
            let Some(Value::Array(listed)) = s.get_mut("enum") else {
                return;
            };
            for (value, name) in listed.iter_mut().zip(names) {
                let placeholder = format!("{PLACEHOLDER}{}", values.len() + 1);
                values.insert(placeholder.clone(), json!([value.clone(), name]));
                *value = json!(placeholder);
            }
            renamed.push(path.to_owned());
        }
    });
    for path in formats {
        n.change(
            "typify-limits",
            format!("{path}: a format on a schema that is not a string or number; removed"),
        );
    }
    for path in enum_all_of {
        n.change(
            "typify-limits",
            format!(
                "{path}: the enum lists every value, so the members beside it (which only restrict) are removed"
            ),
        );
    }
    if zero_bounds > 0 {
        n.change(
            "typify-limits",
            format!("{zero_bounds} lower bounds of 0 on a length or count (`minLength`, `minItems`, `minProperties`: every value meets them) removed"),
        );
    }
    for path in renamed {
        n.change(
            "typify-limits",
            format!("{path}: enum values that typify cannot name get names made here (the values are kept)"),
        );
    }
    if !values.is_empty()
        && let Value::Object(root) = &mut n.value
    {
        root.insert(ENUM_VALUES.into(), Value::Object(values));
    }
}

/// The `format` of a schema that is an object, an array, a boolean, or of
/// no type.
fn pointless_format(s: &Map<String, Value>) -> Option<String> {
    let format = s.get("format")?.as_str()?;
    let kind = s.get("type").and_then(Value::as_str);
    let not_scalar = matches!(kind, Some("object" | "array" | "boolean")) || kind.is_none();
    not_scalar.then(|| format.to_owned())
}

/// The variant names to give a string enum whose values typify would not
/// name apart (it tries the values as they are, then with each symbol as an
/// `X`, and panics); `None` when typify's names do.
fn names_needed(s: &Map<String, Value>) -> Option<Vec<String>> {
    let Some(Value::Array(listed)) = s.get("enum") else {
        return None;
    };
    let strings: Vec<&str> = listed.iter().filter_map(Value::as_str).collect();
    if strings.len() < 2 || strings.len() != listed.len() {
        return None;
    }
    let plain = |v: &&str| sanitize(v, Case::Pascal);
    let with_x = |v: &&str| {
        sanitize(
            &v.replace(
                |c: char| c == '_' || !unicode_ident::is_xid_continue(c),
                "X",
            ),
            Case::Pascal,
        )
    };
    if all_unique(strings.iter().map(plain)) || all_unique(strings.iter().map(with_x)) {
        return None;
    }
    let given = ["x-enum-varnames", "x-enumNames", "x-enum-names"]
        .iter()
        .find_map(|k| s.get(*k).and_then(Value::as_array))
        .filter(|names| names.len() == strings.len())
        .map(|names| {
            names
                .iter()
                .map(|n| n.as_str().unwrap_or(""))
                .collect::<Vec<_>>()
        });
    let mut taken = BTreeSet::new();
    Some(
        strings
            .iter()
            .enumerate()
            .map(|(i, value)| {
                let base = match given.as_ref().map(|g| g[i]) {
                    Some(name) if !name.trim().is_empty() => sanitize(name, Case::Pascal),
                    _ => sanitize(&spell_symbols(value), Case::Pascal),
                };
                unique(&mut taken, &base, "")
            })
            .collect(),
    )
}

fn all_unique(names: impl Iterator<Item = String>) -> bool {
    let mut seen = BTreeSet::new();
    names.into_iter().all(|n| seen.insert(n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn run(yaml: &str) -> Normalized {
        let doc = crate::load::load_bytes(yaml.as_bytes(), "t.yaml").unwrap();
        super::super::normalize(&doc, &Config::default())
    }

    #[test]
    fn a_lower_bound_of_zero_on_a_length_or_count_is_removed() {
        let n = run(r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Name: {type: string, minLength: 0, maxLength: 5}
    Tags: {type: array, items: {type: string, minLength: 1}, minItems: 0}
    Map: {type: object, minProperties: 0, additionalProperties: {type: string}}
"#);
        let s = &n.value["components"]["schemas"];
        assert!(s["Name"].get("minLength").is_none());
        assert_eq!(s["Name"]["maxLength"], 5);
        assert!(s["Tags"].get("minItems").is_none());
        assert_eq!(s["Tags"]["items"]["minLength"], 1, "a real bound stays");
        assert!(s["Map"].get("minProperties").is_none());
        assert!(
            n.changes
                .iter()
                .any(|c| c.what.starts_with("3 lower bounds of 0")),
            "{:?}",
            n.changes
        );
    }

    #[test]
    fn schemas_typify_cannot_take_are_rewritten() {
        let n = run(r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Account:
      type: object
      properties:
        links: {type: object, format: uri-map}
        surname: {format: string, description: untyped}
        created: {type: string, format: date-time}
        kind: {type: integer, enum: [10, 11], allOf: [{$ref: '#/components/schemas/Kind'}]}
    Kind: {type: integer, enum: [1, 10, 11]}
    Order: {type: string, enum: [-created, +created, name]}
    Operator: {type: string, enum: ['=', '!=', '>', '>=']}
    Named: {type: string, enum: ['<', '>'], x-enum-varnames: [Less, More]}
    Fine: {type: string, enum: [a-b, c]}
"#);
        let s = &n.value["components"]["schemas"];
        assert!(s["Account"]["properties"]["links"].get("format").is_none());
        assert!(
            s["Account"]["properties"]["surname"]
                .get("format")
                .is_none()
        );
        assert_eq!(s["Account"]["properties"]["created"]["format"], "date-time");
        assert!(s["Account"]["properties"]["kind"].get("allOf").is_none());
        assert_eq!(s["Account"]["properties"]["kind"]["enum"], json!([10, 11]));
        assert_eq!(s["Fine"]["enum"], json!(["a-b", "c"]));
        let values = &n.value[ENUM_VALUES];
        let of = |schema: &str, i: usize| {
            let placeholder = s[schema]["enum"][i].as_str().unwrap();
            assert!(placeholder.starts_with(PLACEHOLDER));
            values[placeholder].clone()
        };
        assert_eq!(of("Order", 0), json!(["-created", "MinusCreated"]));
        assert_eq!(of("Order", 1), json!(["+created", "PlusCreated"]));
        assert_eq!(of("Order", 2), json!(["name", "Name"]));
        assert_eq!(of("Operator", 1), json!(["!=", "NotEq"]));
        assert_eq!(of("Operator", 3), json!([">=", "GtEq"]));
        assert_eq!(of("Named", 0), json!(["<", "Less"]));
        assert_eq!(
            n.changes
                .iter()
                .filter(|c| c.step == "typify-limits")
                .count(),
            6
        );
    }
}
