//! Step **instances**: payloads made from the spec's own schemas, for specs
//! that document few examples (most real ones).
//!
//! For every operation's JSON request body and JSON success response, a few
//! instances are made from its schema (following `$ref`s, merging `allOf`):
//!
//! - `required`: only the required properties, the first member of each
//!   union, no optional value;
//! - `full`: every property, one item per array, one entry per map;
//! - `random-<i>`: seeded choices of union members, optional properties,
//!   array lengths and, where the schema allows it, `null`.
//!
//! Each is kept only when the [`Judge`](super::Judge)'s JSON Schema
//! validator accepts it: an instance the spec rejects proves nothing about
//! the types. Every kept instance must deserialize into its type **and
//! serialize back unchanged**, responses included: a client that reads a
//! response and sends it back (or logs, caches, forwards it) must lose
//! nothing. The same seed makes the same instances.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Map, Value, json};

use super::Judge;
use crate::examples::{Example, Subject};
use crate::walk;

/// Random instances per body, beside `required` and `full`.
pub const RANDOM_PER_BODY: usize = 3;

/// The key, in a schema [`Maker::with_siblings`] merged, of the properties
/// to leave out (the ones only `oneOf`'s other members require).
const OMIT: &str = "x-instances-omit";

/// How deep a made instance nests (recursive schemas stop here).
const MAX_DEPTH: usize = 8;

/// The instances of every JSON request body and success response of
/// `root` that its own schemas accept, as examples (`at`:
/// `<body>#generated/<kind>`).
pub fn generate(root: &Value, judge: &Judge, seed: u64) -> Vec<Example> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = Vec::new();
    for op in walk::operations(root) {
        let Some(operation) = walk::operation(root, &op) else {
            continue;
        };
        let mut bodies = Vec::new();
        if let Some(schema) = operation
            .get("requestBody")
            .and_then(|b| json_schema(root, b))
        {
            bodies.push((
                format!("{}.requestBody", op.at),
                Subject::Request {
                    method: op.method.clone(),
                    path: op.path.clone(),
                },
                schema,
            ));
        }
        if let Some(Value::Object(responses)) = operation.get("responses") {
            for (status, response) in responses {
                if !status.starts_with('2') {
                    continue;
                }
                if let Some(schema) = json_schema(root, response) {
                    bodies.push((
                        format!("{}.responses.{status}", op.at),
                        Subject::Response {
                            method: op.method.clone(),
                            path: op.path.clone(),
                            status: Some(status.clone()),
                        },
                        schema,
                    ));
                }
            }
        }
        for (at, subject, schema) in bodies {
            let mut kinds = vec![
                ("required".to_owned(), Mode::Required),
                ("full".to_owned(), Mode::Full),
            ];
            kinds.extend((0..RANDOM_PER_BODY).map(|i| (format!("random-{i}"), Mode::Random)));
            let mut made: Vec<Example> = Vec::new();
            for (kind, mode) in kinds {
                let Some(value) = (Maker {
                    root,
                    rng: &mut rng,
                    mode,
                    sending: false,
                    all_of_member: false,
                })
                .make(schema, 0) else {
                    continue;
                };
                if made.iter().any(|e| e.value == value) {
                    continue;
                }
                made.push(Example {
                    at: format!("{at}#generated/{kind}"),
                    operation_id: op.id.clone(),
                    subject: subject.clone(),
                    value,
                });
            }
            // One validator per body (compiling the spec's schemas is the
            // expensive part), then each instance the schema accepts.
            let Some(first) = made.first() else { continue };
            let Ok(validator) = judge.validator(first) else {
                continue;
            };
            out.extend(made.into_iter().filter(|e| validator.is_valid(&e.value)));
        }
    }
    out
}

/// The JSON schema of a request body or response (after `$ref`s).
fn json_schema<'a>(root: &'a Value, holder: &'a Value) -> Option<&'a Value> {
    walk::deref(root, holder)
        .get("content")?
        .as_object()?
        .iter()
        .find(|(media, _)| crate::examples::is_json_media(media))
        .and_then(|(_, m)| m.get("schema"))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Required,
    Full,
    Random,
}

struct Maker<'a, 'r> {
    root: &'a Value,
    rng: &'r mut ChaCha8Rng,
    mode: Mode,
    /// The instance is sent in a request: `readOnly` properties are left
    /// out (OpenAPI: they SHOULD NOT be sent).
    sending: bool,
    /// The schema being made is a member of an `allOf`, which makes the
    /// required properties no member declares itself ([`Maker::all_of`]).
    all_of_member: bool,
}

/// An instance of `schema` for a request: with `full`, every property
/// (one item per array, one entry per map), else only the required ones;
/// the first member of each union; `readOnly` properties left out. The
/// same schema gives the same instance.
pub fn to_send(root: &Value, schema: &Value, full: bool) -> Option<Value> {
    let mut rng = ChaCha8Rng::seed_from_u64(super::INSTANCE_SEED);
    Maker {
        root,
        rng: &mut rng,
        mode: if full { Mode::Full } else { Mode::Required },
        sending: true,
        all_of_member: false,
    }
    .make(schema, 0)
}

impl Maker<'_, '_> {
    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p)
    }

    /// An instance of `schema`, or `None` when none can be made here.
    fn make(&mut self, schema: &Value, depth: usize) -> Option<Value> {
        let all_of_member = std::mem::take(&mut self.all_of_member);
        if depth > MAX_DEPTH {
            return None;
        }
        // In a 3.1 document, what is beside a `$ref` applies too.
        if let Some(applied) = crate::normalize::ref_siblings::applied(self.root, schema) {
            self.all_of_member = all_of_member;
            return self.make(&applied, depth + 1);
        }
        let schema = walk::deref(self.root, schema);
        let Value::Object(s) = schema else {
            // `true` / `{}`-like: any value.
            return Some(json!("value"));
        };
        let nullable = s.get("nullable") == Some(&Value::Bool(true))
            || type_names(s).iter().any(|t| t == "null");
        if nullable && self.mode == Mode::Random && self.chance(0.2) {
            return Some(Value::Null);
        }
        if let Some(c) = s.get("const") {
            return Some(c.clone());
        }
        if let Some(Value::Array(values)) = s.get("enum") {
            let values: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
            return match self.mode {
                Mode::Random if !values.is_empty() => {
                    let i = self.rng.random_range(0..values.len());
                    Some(values[i].clone())
                }
                _ => values.first().map(|v| (*v).clone()),
            };
        }
        if let Some(Value::Array(members)) = s.get("allOf") {
            return self.all_of(s, members, depth);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(members)) = s.get(key) {
                let members: Vec<&Value> = members
                    .iter()
                    .filter(|m| walk::deref(self.root, m).get("type") != Some(&json!("null")))
                    .collect();
                if members.is_empty() {
                    return Some(Value::Null);
                }
                let i = match self.mode {
                    Mode::Random => self.rng.random_range(0..members.len()),
                    _ => 0,
                };
                let member = walk::deref(self.root, members[i]);
                if let Some(merged) = self.with_siblings(s, key, member, &members) {
                    return self.make(&merged, depth + 1);
                }
                return self.make(members[i], depth + 1);
            }
        }
        // `type: "null"` alone: its one value.
        if type_names(s) == ["null"] {
            return Some(Value::Null);
        }
        let ty = type_names(s).into_iter().find(|t| t != "null").or_else(|| {
            if s.contains_key("properties") || s.contains_key("additionalProperties") {
                Some("object".to_owned())
            } else if s.contains_key("items") {
                Some("array".to_owned())
            } else {
                None
            }
        });
        match ty.as_deref() {
            Some("object") => self.object(s, depth, all_of_member),
            Some("array") => {
                let min = s.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
                let n = match self.mode {
                    Mode::Required => min,
                    Mode::Full => min.max(1),
                    Mode::Random => min.max(self.rng.random_range(0..3)),
                };
                let items = s.get("items").cloned().unwrap_or(json!({}));
                let mut out = Vec::new();
                for _ in 0..n {
                    out.push(self.make(&items, depth + 1)?);
                }
                Some(Value::Array(out))
            }
            Some("string") => Some(Value::String(self.matching(s).unwrap_or_else(|| string(s)))),
            Some("integer") => Some(json!(number(s, 1.0).round() as i64)),
            // **Rule: an integer format makes a number an integer**
            // (`type: number, format: int32`: the Format Registry's
            // integer formats take integers only).
            Some("number") if integer_format(s) => Some(json!(number(s, 1.0).round() as i64)),
            Some("number") => Some(number_value(number(s, 1.5))),
            Some("boolean") => Some(Value::Bool(self.mode != Mode::Random || self.chance(0.5))),
            _ => Some(json!("value")),
        }
    }

    /// An object of `s`: its properties, entries of its
    /// `additionalProperties`, and (unless it is an `allOf` member) the
    /// required properties it does not declare.
    fn object(
        &mut self,
        s: &Map<String, Value>,
        depth: usize,
        all_of_member: bool,
    ) -> Option<Value> {
        let required: Vec<&str> = s
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let omitted = |name: &str| {
            s.get(OMIT)
                .and_then(Value::as_array)
                .is_some_and(|o| o.iter().any(|n| n == name))
        };
        let mut out = Map::new();
        if let Some(Value::Object(properties)) = s.get("properties") {
            for (name, schema) in properties {
                let is_required = required.contains(&name.as_str());
                if !is_required && omitted(name) {
                    continue;
                }
                if self.sending
                    && walk::deref(self.root, schema).get("readOnly") == Some(&Value::Bool(true))
                {
                    continue;
                }
                let include = is_required
                    || match self.mode {
                        Mode::Required => false,
                        Mode::Full => true,
                        Mode::Random => self.chance(0.5),
                    };
                if !include {
                    continue;
                }
                match self.make(schema, depth + 1) {
                    Some(v) => {
                        out.insert(name.clone(), v);
                    }
                    None if is_required => return None,
                    None => {}
                }
            }
        }
        let declared: Vec<&Map<String, Value>> = s
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .collect();
        if !all_of_member
            && !self.undeclared_required(
                &required,
                &declared,
                s.get("additionalProperties"),
                &mut out,
                depth,
            )
        {
            return None;
        }
        let extra = match s.get("additionalProperties") {
            Some(Value::Object(extra)) if !s.contains_key("properties") => {
                Some(Value::Object(extra.clone()))
            }
            _ => None,
        };
        if let Some(extra) = extra {
            let entries = match self.mode {
                Mode::Required => 0,
                Mode::Full => 1,
                Mode::Random => self.rng.random_range(0..3),
            };
            for i in 0..entries {
                if let Some(v) = self.make(&extra, depth + 1) {
                    out.insert(format!("key{i}"), v);
                }
            }
        }
        // `not: {required: [a, b]}`: not all of them together; the last
        // optional one present goes.
        if let Some(Value::Array(together)) = s
            .get("not")
            .map(|n| walk::deref(self.root, n))
            .and_then(|n| n.get("required"))
            && !together.is_empty()
            && together
                .iter()
                .all(|n| n.as_str().is_some_and(|n| out.contains_key(n)))
            && let Some(drop) = together
                .iter()
                .rev()
                .filter_map(Value::as_str)
                .find(|n| !required.contains(n))
        {
            out.remove(drop);
        }
        Some(Value::Object(out))
    }

    /// **Rule: a union constrains the schema beside it.** JSON Schema's
    /// keywords all apply to the one instance, so in `{properties: {a, b},
    /// oneOf: [{required: [a]}, {required: [b]}]}` the chosen member adds
    /// its `required` (and properties) to its siblings', and for `oneOf`
    /// the properties only the other members require are left out, so the
    /// instance matches exactly one member. `None` when the member stands
    /// alone (its siblings hold no object shape and it has a shape of its
    /// own): then it is the instance's schema.
    fn with_siblings(
        &self,
        s: &Map<String, Value>,
        key: &str,
        member: &Value,
        members: &[&Value],
    ) -> Option<Value> {
        let Value::Object(m) = member else {
            return None;
        };
        let shaped = |o: &Map<String, Value>| {
            [
                "type",
                "properties",
                "items",
                "allOf",
                "oneOf",
                "anyOf",
                "enum",
                "const",
            ]
            .iter()
            .any(|k| o.contains_key(*k))
        };
        let siblings_shape = s.contains_key("properties") || s.contains_key("required");
        if !siblings_shape && shaped(m) {
            return None;
        }
        let names = |o: &Map<String, Value>, k: &str| -> Vec<Value> {
            o.get(k)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        let mut merged = s.clone();
        merged.remove(key);
        let mut required = names(&merged, "required");
        for r in names(m, "required") {
            if !required.contains(&r) {
                required.push(r);
            }
        }
        for (k, v) in m {
            match (k.as_str(), merged.get_mut(k)) {
                ("required", _) => {}
                ("properties", Some(Value::Object(own))) => {
                    if let Value::Object(add) = v {
                        own.extend(add.clone());
                    }
                }
                (_, Some(_)) => {}
                (_, None) => {
                    merged.insert(k.clone(), v.clone());
                }
            }
        }
        if key == "oneOf" {
            let omit: Vec<Value> = members
                .iter()
                .map(|o| walk::deref(self.root, o))
                .filter(|o| !std::ptr::eq(*o, member))
                .filter_map(Value::as_object)
                .flat_map(|o| names(o, "required"))
                .filter(|n| !required.contains(n))
                .collect();
            merged.insert(OMIT.to_owned(), Value::Array(omit));
        }
        if !required.is_empty() {
            merged.insert("required".to_owned(), Value::Array(required));
        }
        Some(Value::Object(merged))
    }

    /// `allOf`: the members' objects merged (their own instances, each made
    /// as an object), or the one member's instance.
    ///
    /// **Rule: `allOf`'s `required` spans its members.** A property one
    /// member requires and another defines (`allOf: [Props, {required:
    /// [model]}]`) must be in the instance: every member is made with the
    /// `required` of all of them (a name a member does not define is
    /// ignored by it).
    fn all_of(&mut self, s: &Map<String, Value>, members: &[Value], depth: usize) -> Option<Value> {
        let mut merged = Map::new();
        let mut other = None;
        let mut own = s.clone();
        own.remove("allOf");
        let own = Value::Object(own);
        let has_own = own.get("properties").is_some();
        let all: Vec<&Value> = members.iter().chain(has_own.then_some(&own)).collect();
        let mut required: Vec<Value> = Vec::new();
        for member in all.iter().map(|m| walk::deref(self.root, m)).chain([&own]) {
            for name in member
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if !required.contains(name) {
                    required.push(name.clone());
                }
            }
        }
        let mut constrained = false;
        for member in all {
            if !constrains(walk::deref(self.root, member)) {
                continue;
            }
            constrained = true;
            let member = match walk::deref(self.root, member) {
                Value::Object(m) if !required.is_empty() => {
                    let mut m = m.clone();
                    m.insert("required".to_owned(), Value::Array(required.clone()));
                    Value::Object(m)
                }
                m => m.clone(),
            };
            self.all_of_member = true;
            match self.make(&member, depth + 1)? {
                Value::Object(m) => merged.extend(m),
                v => {
                    other.get_or_insert(v);
                }
            }
        }
        if other.is_none() && constrained {
            // The required properties no member declares, once for all.
            let declared: Vec<&Map<String, Value>> = members
                .iter()
                .chain([&own])
                .filter_map(|m| walk::deref(self.root, m).get("properties")?.as_object())
                .collect();
            let names: Vec<&str> = required.iter().filter_map(Value::as_str).collect();
            if !self.undeclared_required(&names, &declared, None, &mut merged, depth) {
                return None;
            }
        }
        match other {
            Some(v) if merged.is_empty() => Some(v),
            None if !constrained => Some(json!("value")),
            _ => Some(Value::Object(merged)),
        }
    }

    /// **Rule: a required property is required whether or not `properties`
    /// declares it** (JSON Schema's `required` names keys, `properties`
    /// only constrains the ones it lists). Each of `required` that no map
    /// of `declared` lists and `out` lacks is added, held to `extra` (the
    /// object's `additionalProperties`: any value when absent; none can be
    /// made when it is `false`, and `false` is returned). Specs do this by
    /// a typo (`required: [jurisdictionalFilter]` beside a property
    /// `jurisdictionalFilters`), and the generated type then requires both.
    fn undeclared_required(
        &mut self,
        required: &[&str],
        declared: &[&Map<String, Value>],
        extra: Option<&Value>,
        out: &mut Map<String, Value>,
        depth: usize,
    ) -> bool {
        for name in required {
            if out.contains_key(*name) || declared.iter().any(|d| d.contains_key(*name)) {
                continue;
            }
            let value = match extra {
                Some(Value::Bool(false)) => return false,
                Some(extra @ Value::Object(_)) => self.make(extra, depth + 1),
                _ => Some(json!("value")),
            };
            match value {
                Some(v) => {
                    out.insert((*name).to_owned(), v);
                }
                None => return false,
            }
        }
        true
    }
}

/// **Rule: an `allOf` member of annotations only adds no value.** A
/// member that only says `description`, `title`, `example`, .. (`allOf:
/// [{$ref: MergeStrategy}, {description: ..}]`) admits every value; the
/// instance is the constraining members' (else `"value"` would replace
/// the `$ref`'s enum value).
fn constrains(schema: &Value) -> bool {
    const ANNOTATIONS: [&str; 11] = [
        "description",
        "title",
        "example",
        "examples",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "externalDocs",
        "xml",
        "$comment",
    ];
    match schema {
        Value::Object(m) => m
            .keys()
            .any(|k| !ANNOTATIONS.contains(&k.as_str()) && !k.starts_with("x-")),
        Value::Bool(b) => !b,
        _ => true,
    }
}

/// The `type` of a schema as a list (3.1 allows an array of types).
fn type_names(s: &Map<String, Value>) -> Vec<String> {
    match s.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

impl Maker<'_, '_> {
    /// A string that matches the schema's `pattern` and its length bounds,
    /// when the pattern reads as a regex `rand_regex` can sample (no
    /// look-around, no back-references, anchors only at its ends) and a few
    /// samples give one.
    ///
    /// **Rule: an instance matches its pattern as the client reads it.**
    /// Each sample is checked with the engine the generated types use
    /// (`regress`, ECMA-262 with `u`): the sampler's Unicode tables are
    /// not regress's (a letter of a newer Unicode version is `\p{L}` to
    /// one only), and a sample only one of them takes is not an instance.
    fn matching(&mut self, s: &Map<String, Value>) -> Option<String> {
        let full = s.get("pattern").and_then(Value::as_str)?;
        let client = regress::Regex::with_flags(full, "u").ok();
        let pattern = full;
        // A sample of the pattern between its anchors matches it anchored
        // (`rand_regex` takes no anchors; JSON Schema's are searched for).
        let pattern = pattern.strip_prefix('^').unwrap_or(pattern);
        let pattern = match pattern.strip_suffix('$') {
            Some(inner) if !inner.ends_with('\\') => inner,
            _ => pattern,
        };
        let regex = rand_regex::Regex::compile(&ecma_classes(pattern), 8).ok()?;
        let min = s.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
        let max = s
            .get("maxLength")
            .and_then(Value::as_u64)
            .unwrap_or(u64::MAX) as usize;
        (0..8)
            .map(|_| rand::Rng::sample::<String, _>(&mut *self.rng, &regex))
            .find(|text| {
                (min..=max).contains(&text.chars().count())
                    && client.as_ref().is_none_or(|r| r.find(text).is_some())
            })
    }
}

/// A string its schema takes: by `format`, padded to `minLength`.
/// **Rule: a schema's `pattern` is an ECMA-262 regular expression**
/// (JSON Schema; the generated types check it with `regress`): `\d` and
/// `\w` are ASCII (`[0-9]`, `[A-Za-z0-9_]`), not Unicode's digits and
/// letters as in the sampler's syntax. Rewritten before sampling, inside
/// and outside character classes.
fn ecma_classes(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut in_class = false;
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(next) = chars.next() else {
                    out.push(c);
                    break;
                };
                let (inside, outside) = match next {
                    'd' => ("0-9", "[0-9]"),
                    'D' => ("[^0-9]", "[^0-9]"),
                    'w' => ("A-Za-z0-9_", "[A-Za-z0-9_]"),
                    'W' => ("[^A-Za-z0-9_]", "[^A-Za-z0-9_]"),
                    _ => {
                        out.push(c);
                        out.push(next);
                        continue;
                    }
                };
                out.push_str(if in_class { inside } else { outside });
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                // A `]` first in the class (or after `^`) is a literal.
                let rest = chars.as_str();
                let lead = if rest.starts_with("^]") {
                    2
                } else if rest.starts_with(']') {
                    1
                } else {
                    0
                };
                out.push_str(&rest[..lead]);
                for _ in 0..lead {
                    chars.next();
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

fn string(s: &Map<String, Value>) -> String {
    let text = match s.get("format").and_then(Value::as_str) {
        Some("date-time") => "2024-01-02T03:04:05Z",
        Some("date") => "2024-01-02",
        Some("time") => "03:04:05Z",
        Some("uuid") => "0b6f5c1e-8d1a-4c8e-9d3e-2f7a4b5c6d7e",
        Some("email") => "someone@example.com",
        Some("uri") | Some("url") => "https://example.com/a",
        Some("ipv4") => "192.0.2.1",
        Some("ipv6") => "2001:db8::1",
        Some("byte") => "aGVsbG8=",
        Some("hostname") => "example.com",
        _ => "text",
    };
    let mut text = text.to_owned();
    let min = s.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    while text.chars().count() < min {
        text.push('x');
    }
    if let Some(max) = s.get("maxLength").and_then(Value::as_u64) {
        text = text.chars().take(max as usize).collect();
    }
    text
}

/// A number its bounds take (`preferred` when they allow it).
/// Whether the schema's `format` is one of the registry's integer formats.
fn integer_format(s: &Map<String, Value>) -> bool {
    matches!(
        s.get("format").and_then(Value::as_str),
        Some("int8" | "int16" | "int32" | "int64" | "uint8" | "uint16" | "uint32" | "uint64")
    )
}

fn number(s: &Map<String, Value>, preferred: f64) -> f64 {
    let min = s.get("minimum").and_then(Value::as_f64);
    let max = s.get("maximum").and_then(Value::as_f64);
    match (min, max) {
        (Some(lo), _) if preferred < lo => lo,
        (_, Some(hi)) if preferred > hi => hi,
        _ => preferred,
    }
}

fn number_value(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        json!(n as i64)
    } else {
        json!(n)
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use serde_json::json;

    use super::{Maker, Mode, to_send};

    fn make(schema: serde_json::Value) -> serde_json::Value {
        make_in(Mode::Full, schema)
    }

    fn make_in(mode: Mode, schema: serde_json::Value) -> serde_json::Value {
        let root = json!({});
        let mut rng = ChaCha8Rng::seed_from_u64(super::super::INSTANCE_SEED);
        Maker {
            root: &root,
            rng: &mut rng,
            mode,
            sending: false,
            all_of_member: false,
        }
        .make(&schema, 0)
        .unwrap()
    }

    #[test]
    fn strings_match_their_pattern() {
        let snowflake = make(json!({"type": "string", "pattern": "^(0|[1-9][0-9]*)$"}));
        let text = snowflake.as_str().unwrap();
        assert!(
            regress::Regex::new("^(0|[1-9][0-9]*)$")
                .unwrap()
                .find(text)
                .is_some(),
            "{text}"
        );
        let bounded =
            make(json!({"type": "string", "pattern": "^[a-z]+$", "minLength": 2, "maxLength": 4}));
        assert!(
            (2..=4).contains(&bounded.as_str().unwrap().len()),
            "{bounded}"
        );
        // A pattern no sampler reads (look-ahead): the plain string, which
        // the validator then keeps or drops.
        assert_eq!(
            make(json!({"type": "string", "pattern": "^(?=a)a$"})),
            json!("text")
        );
    }

    #[test]
    fn a_union_constrains_the_properties_beside_it() {
        let props = json!({"a": {"type": "string"}, "b": {"type": "string"}});
        // `oneOf` of `required`s: exactly one of them, full or not.
        let one = make(json!({"type": "object", "properties": props,
            "oneOf": [{"required": ["a"]}, {"required": ["b"]}]}));
        assert_eq!(one, json!({"a": "text"}));
        // `anyOf` with `not` both: the chosen one's requirement holds and
        // the pair is broken up.
        let any = make(json!({"type": "object", "properties": props,
            "anyOf": [{"required": ["b"]}, {"required": ["a"]}],
            "not": {"required": ["a", "b"]}}));
        assert_eq!(any, json!({"b": "text"}));
        // A member with a shape of its own beside no object shape is the
        // instance's schema, as before.
        assert_eq!(
            make(json!({"oneOf": [{"type": "integer", "minimum": 3}, {"type": "string"}]})),
            json!(3)
        );
    }

    #[test]
    fn a_31_ref_takes_the_required_list_beside_it() {
        let root = json!({"openapi": "3.1.0", "components": {"schemas": {
            "Base": {"type": "object", "properties": {"name": {"type": "string"}, "code": {"type": "string"}}}
        }}});
        let schema = json!({"$ref": "#/components/schemas/Base", "required": ["name"]});
        assert_eq!(
            to_send(&root, &schema, false),
            Some(json!({"name": "text"}))
        );
        // 3.0 ignores it.
        let mut root30 = root.clone();
        root30["openapi"] = json!("3.0.3");
        assert_eq!(to_send(&root30, &schema, false), Some(json!({})));
    }

    #[test]
    fn all_of_requires_across_its_members() {
        let made = make_in(
            Mode::Required,
            json!({"allOf": [
                {"type": "object", "properties": {"model": {"type": "string"}}},
                {"type": "object", "properties": {"input": {"type": "string"}},
                 "required": ["model", "input"]}
            ]}),
        );
        assert_eq!(made, json!({"model": "text", "input": "text"}));
    }

    #[test]
    fn unicode_class_samples_match_as_the_client_reads_them() {
        // amazonaws-translate's identifiers: `\p{L}` of the sampler's
        // Unicode tables is not always `\p{L}` of regress's.
        let pattern = r"^([\p{L}\p{Z}\p{N}_.:/=+\-%@]*)$";
        let client = regress::Regex::with_flags(pattern, "u").unwrap();
        let schema = json!({"type": "string", "pattern": pattern, "maxLength": 32});
        let root = json!({});
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut maker = Maker {
            root: &root,
            rng: &mut rng,
            mode: Mode::Random,
            sending: false,
            all_of_member: false,
        };
        for _ in 0..300 {
            let v = maker.make(&schema, 0).unwrap();
            let text = v.as_str().unwrap();
            assert!(client.find(text).is_some(), "{text:?}");
        }
    }

    #[test]
    fn an_integer_format_makes_a_number_an_integer() {
        assert_eq!(make(json!({"type": "number", "format": "int32"})), json!(1));
        assert_eq!(make(json!({"type": "number"})), json!(1.5));
        assert_eq!(make(json!({"type": "null"})), serde_json::Value::Null);
    }

    #[test]
    fn annotation_members_of_all_of_add_no_value() {
        let v = make(json!({"allOf": [
            {"type": "string", "enum": ["OVERWRITE"]},
            {"description": "The merge strategy."}
        ]}));
        assert_eq!(v, json!("OVERWRITE"));
        let v = make(json!({"allOf": [
            {"type": "integer", "minimum": 5},
            {"title": "t", "x-kind": "count"}
        ]}));
        assert_eq!(v, json!(5));
    }

    #[test]
    fn pattern_classes_are_ecma_ascii() {
        assert_eq!(super::ecma_classes(r"\d{7,15}"), "[0-9]{7,15}");
        assert_eq!(super::ecma_classes(r"[\w.-]+@\\d"), r"[A-Za-z0-9_.-]+@\\d");
        assert_eq!(super::ecma_classes(r"[^\D]"), "[^[^0-9]]");
        let phone = make(json!({"type": "string", "pattern": r"\d{7,15}"}));
        assert!(
            phone.as_str().unwrap().bytes().all(|b| b.is_ascii_digit()),
            "{phone}"
        );
    }

    #[test]
    fn required_properties_no_schema_declares_are_made() {
        // A typo in `required`: both keys are required, the undeclared one
        // takes any value.
        let schema = json!({"type": "object", "required": ["name", "filter"],
            "properties": {"name": {"type": "string"}, "filters": {"type": "array"}}});
        let v = make_in(Mode::Required, schema);
        assert_eq!(v, json!({"name": "text", "filter": "value"}));
        // Held to `additionalProperties`; none with `false`.
        let typed = json!({"type": "object", "required": ["n"], "additionalProperties": {"type": "integer"}});
        assert_eq!(make_in(Mode::Required, typed), json!({"n": 1}));
        let closed = json!({"type": "object", "required": ["n"], "additionalProperties": false,
            "properties": {"m": {"type": "string"}}});
        assert_eq!(super::to_send(&json!({}), &closed, false), None);
        // In an `allOf`, a name one member declares is that member's.
        let v = make_in(
            Mode::Required,
            json!({"allOf": [
                {"type": "object", "properties": {"n": {"type": "integer"}}},
                {"type": "object", "required": ["n", "extra"], "properties": {"m": {"type": "string"}}}
            ]}),
        );
        assert_eq!(v, json!({"n": 1, "extra": "value"}));
    }
}
