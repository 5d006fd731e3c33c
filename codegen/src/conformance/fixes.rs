//! Step **fixes**: the overlay that makes a spec agree with its own
//! documented examples (`cargo xtask conformance --write-overlay OUT`).
//!
//! A documented example that its spec's schema rejects is evidence that the
//! spec is wrong (the API sends it). The generated types follow the spec,
//! so the fix belongs in the spec, and the user owns it: this step writes an
//! OpenAPI Overlay ([`crate::overlay`]) that they review as a diff, keep
//! beside the spec and list in `codegen.toml`. Nothing is applied unless
//! they do.
//!
//! One action per rule an example breaks, found by the same JSON Schema
//! validator as [`Judge::verdict`], at the schema that states the rule:
//!
//! | the example | the action |
//! |---|---|
//! | a response or schema example leaves out a required property | `remove` it from that schema's `required` (`required[?@ == 'name']`); a request example is not evidence against the spec |
//! | has `null` where the schema takes none | `update: {nullable: true}` on that schema |
//! | has a value its `enum` does not list | `update: value` on the `enum` (appends it); never on a one-value enum, which is a tag |
//! | fails every member of a `oneOf`/`anyOf` | the fixes of the member that needs fewest, when all of its are above and none is an enum value (a value a member's enum does not list says the example is of another member) |
//!
//! Each action's `description` names the examples that need it. A rule of
//! any other kind (a wrong type, a pattern) is listed as not fixed: no
//! rule-free rewrite says what the API meant.

use std::collections::BTreeMap;

use jsonschema::error::ValidationErrorKind;
use serde_json::{Value, json};

use super::Judge;
use crate::examples::{Example, Subject};
use crate::walk;

/// One change to the spec that an example needs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fix {
    /// The schema at this JSON pointer no longer requires `property`.
    NotRequired {
        /// The schema.
        schema: String,
        /// The property.
        property: String,
    },
    /// The schema at this JSON pointer also takes `null`.
    Nullable {
        /// The schema.
        schema: String,
    },
    /// The schema at this JSON pointer also lists this enum value.
    EnumValue {
        /// The schema.
        schema: String,
        /// The value, as JSON text (ordered, comparable).
        value: String,
    },
}

/// The overlay for a spec's examples, and what it cannot fix.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fixes {
    /// Each fix, with the examples (their `at`) that need it.
    pub fixes: BTreeMap<Fix, Vec<String>>,
    /// Examples whose contradiction no action fixes: `(at, rule)`.
    pub unfixed: Vec<(String, String)>,
}

impl Fixes {
    /// Find the fixes every example of `examples` needs to agree with
    /// `root` (the spec the [`Judge`] was made for).
    pub fn find(judge: &Judge, examples: &[Example]) -> Self {
        let mut out = Fixes::default();
        for example in examples {
            // Only an example its spec rejects needs a fix.
            if !matches!(judge.verdict(example), super::Verdict::Contradicts(_)) {
                continue;
            }
            let (fixes, unfixed) = judge.fixes(example);
            for fix in fixes {
                let users = out.fixes.entry(fix).or_default();
                if !users.contains(&example.at) {
                    users.push(example.at.clone());
                }
            }
            out.unfixed
                .extend(unfixed.into_iter().map(|rule| (example.at.clone(), rule)));
        }
        out
    }

    /// The overlay document (1.1.0): one action per fix, in a stable order.
    pub fn overlay(&self, root: &Value, spec: &str) -> Value {
        let actions: Vec<Value> = self
            .fixes
            .iter()
            .map(|(fix, users)| action(root, fix, users))
            .collect();
        json!({
            "overlay": "1.1.0",
            "info": {
                "title": format!("What the documented examples of {spec} need"),
                "version": "1.0.0",
            },
            "actions": actions,
        })
    }
}

/// The overlay action for `fix`, described by the examples that need it.
fn action(root: &Value, fix: &Fix, users: &[String]) -> Value {
    let examples = users
        .iter()
        .map(|u| format!("`{u}`"))
        .collect::<Vec<_>>()
        .join(", ");
    match fix {
        Fix::NotRequired { schema, property } => json!({
            "target": format!("{}.required[?@ == {}]", json_path(root, schema), quote(property)),
            "description": format!("`{property}` is not always sent: left out by {examples}"),
            "remove": true,
        }),
        Fix::Nullable { schema } => json!({
            "target": json_path(root, schema),
            "description": format!("may be null: null in {examples}"),
            "update": { "nullable": true },
        }),
        Fix::EnumValue { schema, value } => {
            let value: Value = serde_json::from_str(value).unwrap_or(Value::Null);
            json!({
                "target": format!("{}.enum", json_path(root, schema)),
                "description": format!("also takes {value}: sent in {examples}"),
                "update": value,
            })
        }
    }
}

impl Judge {
    /// The fixes that make `example` agree with its spec (none when it
    /// does), and the rules it breaks that no fix covers.
    pub fn fixes(&self, example: &Example) -> (Vec<Fix>, Vec<String>) {
        let validator = match self.validator(example) {
            Ok(v) => v,
            Err(why) => return (Vec::new(), vec![why]),
        };
        let Some(subject) = self.subject_pointer(example) else {
            return (
                Vec::new(),
                vec!["no JSON schema documented for it".to_owned()],
            );
        };
        let request = matches!(example.subject, Subject::Request { .. });
        let (mut fixes, mut unfixed) = (Vec::new(), Vec::new());
        for error in validator.iter_errors(&example.value) {
            match self.fixes_for(&error, &subject, request, false) {
                Ok(f) => fixes.extend(f),
                Err(rule) => unfixed.push(rule),
            }
        }
        fixes.sort();
        fixes.dedup();
        (fixes, unfixed)
    }

    /// The fixes for one validation error (recursively into unions).
    fn fixes_for(
        &self,
        error: &jsonschema::ValidationError<'_>,
        subject: &str,
        request: bool,
        in_union: bool,
    ) -> Result<Vec<Fix>, String> {
        let keyword_at = || self.spec_pointer(error.schema_path().as_str(), subject);
        let unfixable = || {
            let path = error.instance_path().to_string();
            format!(
                "at `{}`: {error}",
                if path.is_empty() { "/" } else { &path }
            )
        };
        let schema_of = |keyword: &str| -> Result<String, String> {
            keyword_at()
                .and_then(|p| p.strip_suffix(&format!("/{keyword}")).map(str::to_owned))
                .ok_or_else(unfixable)
        };
        match error.kind() {
            // A request example that leaves out a required property shows
            // what a caller wrote, not what the API sends: the example may
            // be the wrong one, and the spec is not changed for it.
            ValidationErrorKind::Required { .. } if request => Err(format!(
                "{} (a request example: not taken as evidence against the spec)",
                unfixable()
            )),
            ValidationErrorKind::Required { property } => Ok(vec![Fix::NotRequired {
                schema: schema_of("required")?,
                property: property.as_str().ok_or_else(unfixable)?.to_owned(),
            }]),
            ValidationErrorKind::Type { .. } if error.instance().is_null() => {
                Ok(vec![Fix::Nullable {
                    schema: schema_of("type")?,
                }])
            }
            // A one-value enum is a tag (`type: message`): a value it does
            // not list says the example is of another member, never that
            // the tag takes more values.
            // Inside a union, a value an enum does not list says the same
            // (`type: function` is not a web-search tool): that member is
            // not the one, whatever else it would need.
            ValidationErrorKind::Enum { options }
                if in_union || options.as_array().is_some_and(|o| o.len() < 2) =>
            {
                Err(unfixable())
            }
            ValidationErrorKind::Enum { .. } => Ok(vec![Fix::EnumValue {
                schema: schema_of("enum")?,
                value: error.instance().to_string(),
            }]),
            ValidationErrorKind::AnyOf { context }
            | ValidationErrorKind::OneOfNotValid { context } => {
                // The member that needs the fewest fixes, all of them known.
                context
                    .iter()
                    .filter_map(|member| {
                        let mut fixes = Vec::new();
                        for e in member {
                            fixes.extend(self.fixes_for(e, subject, request, true).ok()?);
                        }
                        Some(fixes)
                    })
                    .min_by_key(Vec::len)
                    .ok_or_else(unfixable)
            }
            _ => Err(unfixable()),
        }
    }

    /// The pointer in the spec of the keyword at `schema_path` (a location
    /// in the schema [`Judge::validator`] builds): the subject's schema is
    /// `/allOf/0` there, components are where the spec has them, and the
    /// `anyOf: [schema, null]` that `nullable` became is read through.
    fn spec_pointer(&self, schema_path: &str, subject: &str) -> Option<String> {
        let (mut pointer, rest) = if let Some(rest) = schema_path.strip_prefix("/allOf/0") {
            (subject.to_owned(), rest)
        } else if schema_path.starts_with("/components/") {
            (String::new(), schema_path)
        } else {
            return None;
        };
        let mut node = self.root.pointer(&pointer)?;
        let mut tokens = rest.split('/').skip(1).peekable();
        // Whether this node's `anyOf: [node, null]` wrap was read through.
        let mut unwrapped = false;
        while let Some(token) = tokens.next() {
            if !unwrapped && token == "anyOf" && is_nullable(node) {
                match tokens.next() {
                    Some("0") => {
                        unwrapped = true;
                        continue;
                    }
                    // The `null` member, or the wrap itself: no node of the spec.
                    _ => return None,
                }
            }
            let key = walk::unescape_token(token);
            match node {
                Value::Array(items) => node = items.get(token.parse::<usize>().ok()?)?,
                Value::Object(map) => match map.get(&key) {
                    // `allOf` with a member that only said `nullable`: the
                    // validator saw the list without it.
                    Some(Value::Array(members))
                        if key == "allOf" && members.iter().any(only_nullable) =>
                    {
                        let Some(index) = tokens.next() else {
                            return Some(format!("{pointer}/allOf"));
                        };
                        let (orig, member) = members
                            .iter()
                            .enumerate()
                            .filter(|(_, m)| !only_nullable(m))
                            .nth(index.parse::<usize>().ok()?)?;
                        pointer.push_str(&format!("/allOf/{orig}"));
                        node = member;
                        unwrapped = false;
                        continue;
                    }
                    Some(next) => node = next,
                    None => {
                        return tokens
                            .peek()
                            .is_none()
                            .then(|| format!("{pointer}/{token}"));
                    }
                },
                _ => return None,
            }
            pointer.push('/');
            pointer.push_str(token);
            unwrapped = false;
        }
        Some(pointer)
    }

    /// The spec pointer of the schema an example is an example of (as
    /// [`Judge::subject_schema`] finds it).
    fn subject_pointer(&self, example: &Example) -> Option<String> {
        let root = &self.root;
        let follow = |mut pointer: String| -> Option<String> {
            for _ in 0..32 {
                let reference = root.pointer(&pointer)?.get("$ref").and_then(Value::as_str);
                match reference.and_then(walk::reference_pointer) {
                    Some(next) => pointer = next.into_owned(),
                    None => break,
                }
            }
            Some(pointer)
        };
        let json_schema = |holder: String| -> Option<String> {
            let holder = follow(holder)?;
            let (media, m) = root
                .pointer(&holder)?
                .get("content")?
                .as_object()?
                .iter()
                .find(|(media, _)| crate::examples::is_json_media(media))?;
            m.get("schema")?;
            Some(format!(
                "{holder}/content/{}/schema",
                walk::escape_token(media)
            ))
        };
        let operation =
            |method: &str, path: &str| format!("/paths/{}/{method}", walk::escape_token(path));
        match &example.subject {
            Subject::Request { method, path } => {
                json_schema(format!("{}/requestBody", operation(method, path)))
            }
            Subject::Response {
                method,
                path,
                status: Some(status),
            } => json_schema(format!(
                "{}/responses/{}",
                operation(method, path),
                walk::escape_token(status)
            )),
            Subject::Response {
                method,
                path,
                status: None,
            } => {
                let responses = format!("{}/responses", operation(method, path));
                root.pointer(&responses)?
                    .as_object()?
                    .keys()
                    .filter(|status| status.starts_with('2'))
                    .find_map(|status| {
                        json_schema(format!("{responses}/{}", walk::escape_token(status)))
                    })
            }
            Subject::Schema { name } => {
                Some(format!("/components/schemas/{}", walk::escape_token(name)))
            }
        }
    }
}

/// `nullable: true`, or an `allOf` member that says only that (the judge
/// wraps both as `anyOf: [schema, null]`).
fn is_nullable(node: &Value) -> bool {
    node.get("nullable") == Some(&Value::Bool(true))
        || node
            .get("allOf")
            .and_then(Value::as_array)
            .is_some_and(|m| m.len() > 1 && m.iter().any(only_nullable))
}

fn only_nullable(m: &Value) -> bool {
    m.as_object().is_some_and(|o| {
        o.get("nullable") == Some(&Value::Bool(true))
            && o.keys().all(|k| k == "nullable" || k == "description")
    })
}

/// A JSON pointer of `root` as an RFC 9535 JSONPath: names as
/// `.name` where the shorthand allows, else `['name']`; array indices as
/// `[i]`.
fn json_path(root: &Value, pointer: &str) -> String {
    let mut out = String::from("$");
    let mut node = Some(root);
    for token in pointer.split('/').skip(1) {
        let key = walk::unescape_token(token);
        match node {
            Some(Value::Array(items)) => {
                out.push_str(&format!("[{token}]"));
                node = token.parse::<usize>().ok().and_then(|i| items.get(i));
            }
            _ => {
                let shorthand = key
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_alphabetic() || c == '_')
                    && key.chars().all(|c| c.is_alphanumeric() || c == '_');
                if shorthand {
                    out.push('.');
                    out.push_str(&key);
                } else {
                    out.push_str(&format!("[{}]", quote(&key)));
                }
                node = node.and_then(|n| n.get(&key));
            }
        }
    }
    out
}

/// A JSONPath string literal (single quotes).
fn quote(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}
