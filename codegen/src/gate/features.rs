//! Step `features`: which features each operation belongs to.
//!
//! **Rule:** an operation belongs to the feature of each of its tags, the
//! tag's name in kebab-case (`Vector stores` -> `vector-stores`); an
//! operation without tags to `untagged`. Tags with the same kebab-case form
//! share a feature. The webhooks module belongs to `webhooks`, and the
//! types no operation or webhook uses to `other-types`. No feature is
//! named `default` (Cargo's own): a tag of that name becomes `default-tag`.

use std::collections::{BTreeMap, BTreeSet};

use crate::surface::Surface;

/// The feature of the webhooks module.
pub const WEBHOOKS: &str = "webhooks";
/// The feature of the types no operation or webhook uses.
pub const OTHER_TYPES: &str = "other-types";
/// The feature of operations without tags.
pub const UNTAGGED: &str = "untagged";

/// The feature a tag names: kebab-case of its ASCII letters and digits.
pub fn feature_name(tag: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in tag.chars() {
        if c.is_ascii_alphanumeric() {
            // `VectorStores` -> `vector-stores`, as a word break.
            if c.is_ascii_uppercase() && prev_lower && !out.ends_with('-') {
                out.push('-');
            }
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            out.push(c.to_ascii_lowercase());
        } else {
            prev_lower = false;
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    match out.as_str() {
        "" => format!("tag-{:08x}", fnv(tag)),
        "default" => "default-tag".to_owned(),
        _ => out,
    }
}

/// A stable short hash, for a tag with no ASCII letter or digit.
fn fnv(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// Each client method's features, from its operation's tags in `doc`.
pub fn of_operations(
    doc: &serde_json::Value,
    surface: &Surface,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut tags: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for op in crate::walk::operations(doc) {
        let path = op
            .path
            .split(crate::normalize::media_types::COPY_MARK)
            .next()
            .unwrap_or(&op.path)
            .to_owned();
        let names: BTreeSet<String> = doc
            .pointer(&format!(
                "/paths/{}/{}/tags",
                op.path.replace('~', "~0").replace('/', "~1"),
                op.method
            ))
            .and_then(serde_json::Value::as_array)
            .map(|tags| {
                tags.iter()
                    .filter_map(serde_json::Value::as_str)
                    .map(feature_name)
                    .collect()
            })
            .unwrap_or_default();
        tags.entry((op.method.to_ascii_uppercase(), path))
            .or_default()
            .extend(names);
    }
    surface
        .operations
        .iter()
        .map(|(method, op)| {
            let mut features = tags
                .get(&(op.http_method.clone(), op.path.clone()))
                .cloned()
                .unwrap_or_default();
            if features.is_empty() {
                features.insert(UNTAGGED.to_owned());
            }
            (method.clone(), features)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_become_kebab_case_features() {
        assert_eq!(feature_name("Vector stores"), "vector-stores");
        assert_eq!(feature_name("VectorStores"), "vector-stores");
        assert_eq!(feature_name("Audit Logs"), "audit-logs");
        assert_eq!(feature_name("  user/profile  "), "user-profile");
        assert_eq!(feature_name("v2Beta"), "v2-beta");
        assert_eq!(feature_name("default"), "default-tag");
        assert_eq!(feature_name("Default"), "default-tag");
        assert!(feature_name("日本").starts_with("tag-"));
        assert_ne!(feature_name("日本"), feature_name("中文"));
    }
}
