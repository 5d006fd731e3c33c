//! Stage 1, **load**: read a spec file into a JSON value, and later into
//! [`openapiv3::OpenAPI`].
//!
//! This is the only module that knows which YAML libraries we use:
//! `serde_yaml` (deprecated upstream but named by the mission) parses, and
//! `yaml-rust2`'s event parser finds the line and column of a node when a
//! diagnostic needs one. Swapping either means changing this file only.
//!
//! The document travels through validation and normalization as a
//! `serde_json::Value` (key order preserved), so that OpenAPI 3.1 documents,
//! which `openapiv3` cannot read, can be rewritten before the typed parse.
//! The typed parse goes through `serde_path_to_error`, so a node that is not
//! what OpenAPI expects is reported with its path and position.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::OnceLock;

use openapiv3::OpenAPI;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use sha2::{Digest, Sha256};

use crate::{Diagnostic, Error};

/// A spec file, read and parsed into a JSON value.
#[derive(Debug)]
pub struct Document {
    /// How the file is named in messages and in the generated header.
    pub display_path: String,
    /// The file's text, exactly as read.
    pub text: String,
    /// Lower-case hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// The parsed document.
    pub value: Value,
    /// When `value` is not the document the file holds but its conversion
    /// (a Swagger 2.0 file as OpenAPI 3.0): where its nodes are in the
    /// file, as `(path in value, path in the file)` prefixes (see
    /// [`file_path`]). Empty otherwise.
    pub moved: Vec<(String, String)>,
    /// What the conversion changed, for the generation report.
    pub converted: Vec<String>,
    /// The overlays applied to `value` (stage `overlay`), for the header.
    pub overlays: Vec<crate::overlay::Source>,
    /// What they changed, for the generation report.
    pub overlaid: Vec<String>,
    positions: OnceLock<HashMap<String, (usize, usize)>>,
}

/// Read `path` from disk and parse it; `display_path` names it in messages.
pub fn load_file(path: &Path, display_path: &str) -> Result<Document, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    load_bytes(&bytes, display_path)
}

/// Parse a spec held in memory. JSON is recognised by its first character
/// (`{`); anything else is read as YAML.
pub fn load_bytes(bytes: &[u8], display_path: &str) -> Result<Document, Error> {
    let one = |d: Diagnostic| Error::Spec(vec![d]);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_column(bytes, e.valid_up_to());
        one(Diagnostic::new(display_path, "the file is not valid UTF-8")
            .located(line, column)
            .hint("OpenAPI documents must be UTF-8; re-encode the file"))
    })?;
    if text.trim().is_empty() {
        return Err(one(Diagnostic::new(display_path, "the file is empty")
            .hint("put an OpenAPI 3.0 or 3.1 document (YAML or JSON) here")));
    }
    let value = if text.trim_start().starts_with('{') {
        serde_json::from_str::<Value>(text).map_err(|e| {
            one(
                Diagnostic::new(display_path, strip_position(&e.to_string()))
                    .located(e.line(), e.column()),
            )
        })?
    } else {
        if let Some((line, column)) = too_deep(text, MAX_FLOW_DEPTH) {
            return Err(one(Diagnostic::new(
                display_path,
                format!("flow collections nested deeper than {MAX_FLOW_DEPTH} levels"),
            )
            .located(line, column)
            .hint("flatten the structure; real OpenAPI documents nest far less")));
        }
        let de = serde_yaml::Deserializer::from_str(text);
        AnyValue::deserialize(de)
            .map(|v| v.0)
            .map_err(|e| one(yaml_diagnostic(display_path, "", &e, bytes)))?
    };
    if !value.is_object() {
        return Err(one(Diagnostic::new(
            display_path,
            format!("the document is {}, not a mapping", kind(&value)),
        )
        .hint(
            "an OpenAPI document is a mapping with `openapi`, `info` and `paths`",
        )));
    }
    Ok(Document {
        display_path: display_path.to_owned(),
        text: text.to_owned(),
        sha256: sha256_hex(bytes),
        value,
        moved: Vec::new(),
        converted: Vec::new(),
        overlays: Vec::new(),
        overlaid: Vec::new(),
        positions: OnceLock::new(),
    })
}

impl Document {
    /// A document built in memory (tests, benchmarks): no source positions.
    pub fn from_value(display_path: &str, value: Value) -> Self {
        let text = serde_json::to_string(&value).unwrap_or_default();
        Document {
            display_path: display_path.to_owned(),
            sha256: sha256_hex(text.as_bytes()),
            text,
            value,
            moved: Vec::new(),
            converted: Vec::new(),
            overlays: Vec::new(),
            overlaid: Vec::new(),
            positions: OnceLock::new(),
        }
    }

    /// Line and column (1-based) of the node at `path`
    /// (`paths./a.get.parameters[0]`), or of its nearest ancestor found.
    /// A path in a converted document is looked up where it came from.
    pub fn locate(&self, path: &str) -> Option<(usize, usize)> {
        let positions = self.positions.get_or_init(|| index_positions(&self.text));
        let path = file_path(&self.moved, path);
        let mut path = path.as_str();
        loop {
            if let Some(&p) = positions.get(path) {
                return Some(p);
            }
            if path.is_empty() {
                return None;
            }
            // A node that is not there (a missing key) is located at its
            // nearest ancestor that is, the document itself at the last.
            path = path.rfind(['.', '[']).map_or("", |cut| &path[..cut]);
        }
    }

    /// A diagnostic for the node at `path`, located in the file (and named
    /// as the file has it, when the document was converted).
    pub fn diagnostic(&self, path: &str, message: impl Into<String>) -> Diagnostic {
        let path = file_path(&self.moved, path);
        let path = path.as_str();
        let d = Diagnostic::new(&self.display_path, message).at(path);
        match self.locate(path) {
            Some((line, column)) => d.located(line, column),
            None => d,
        }
    }

    /// The typed document. Run after normalization: a node that still does
    /// not fit OpenAPI 3.0 is reported with its path and position.
    pub fn to_openapi(&self, value: &Value) -> Result<OpenAPI, Error> {
        // Read plainly first; only a document that fails is read again with
        // its path tracked, for the error (tracking costs every valid one).
        if let Ok(api) = OpenAPI::deserialize(value) {
            return Ok(api);
        }
        serde_path_to_error::deserialize::<_, OpenAPI>(value).map_err(|e| {
            let path = e.path().to_string();
            let message = e.into_inner().to_string();
            let (path, message) = drill(value, &path).unwrap_or((path, message));
            Error::Spec(vec![self.diagnostic(&path, message)])
        })
    }
}

/// Where the node at `path` of a converted document is in the file:
/// the longest prefix of `path` in `moved` that ends at a segment boundary
/// (`.`, `[` or the end) is replaced by its file path; with none (or no
/// conversion), `path` itself.
pub fn file_path(moved: &[(String, String)], path: &str) -> String {
    let mut best: Option<&(String, String)> = None;
    for entry in moved {
        let Some(rest) = path.strip_prefix(entry.0.as_str()) else {
            continue;
        };
        let boundary = rest.is_empty() || rest.starts_with('.') || rest.starts_with('[');
        if boundary && best.is_none_or(|b| b.0.len() < entry.0.len()) {
            best = Some(entry);
        }
    }
    match best {
        Some((new, old)) => format!("{old}{}", &path[new.len()..]),
        None => path.to_owned(),
    }
}

/// Segment of a path: a mapping key or a sequence index.
pub fn join_key(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// Segment of a path: a sequence index.
pub fn join_index(path: &str, index: usize) -> String {
    format!("{path}[{index}]")
}

/// What a value is, for messages: "a string", "a sequence", ...
pub(crate) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a sequence",
        Value::Object(_) => "a mapping",
    }
}

fn yaml_diagnostic(file: &str, path: &str, e: &serde_yaml::Error, bytes: &[u8]) -> Diagnostic {
    let mut message = strip_position(&e.to_string());
    if let Some(rest) = message.strip_prefix(&format!("{path}: ")) {
        message = rest.to_owned();
    }
    // libyaml's reader errors ("control characters are not allowed") give
    // a byte offset in the message and no mark: locate that offset.
    let offset = message.rfind(" at position ").and_then(|i| {
        let n = message[i + " at position ".len()..]
            .trim_end()
            .parse::<usize>()
            .ok()?;
        Some((i, n))
    });
    if let Some((i, n)) = offset {
        message.truncate(i);
        let (line, column) = line_column(bytes, n);
        let d = Diagnostic::new(file, message)
            .at(path)
            .located(line, column);
        return if d.to_string().contains("control characters") {
            d.hint("YAML allows only printable characters: remove it, or write it as an escape (`\\u009f`) in a double-quoted string")
        } else {
            d
        };
    }
    let d = Diagnostic::new(file, message).at(path);
    match e.location() {
        Some(loc) => d.located(loc.line(), loc.column()),
        None => d,
    }
}

/// `openapiv3` flattens the maps under `paths` and `responses`, which hides
/// the failing entry from the path tracker: re-check the entries one by one.
fn drill(root: &Value, path: &str) -> Option<(String, String)> {
    use openapiv3::{PathItem, Response};

    fn first_error<T: serde::de::DeserializeOwned>(
        map: &Value,
        prefix: &str,
    ) -> Option<(String, String)> {
        for (key, child) in map.as_object()? {
            if key.starts_with("x-") || child.get("$ref").is_some() {
                continue;
            }
            if let Err(e) = serde_path_to_error::deserialize::<_, T>(child) {
                let sub = e.path().to_string();
                let at = join_key(prefix, key);
                let at = if sub == "." { at } else { join_key(&at, &sub) };
                return Some((at, e.into_inner().to_string()));
            }
        }
        None
    }

    if path != "paths" {
        return None;
    }
    let paths = root.get("paths")?;
    let (at, message) = first_error::<PathItem>(paths, "paths")?;
    if let Some(op_path) = at.strip_suffix(".responses") {
        for (key, item) in paths.as_object()? {
            let Some(method) = op_path.strip_prefix(&format!("paths.{key}.")) else {
                continue;
            };
            if let Some(responses) = item.get(method).and_then(|op| op.get("responses"))
                && let Some(found) = first_error::<Response>(responses, &at)
            {
                return Some(found);
            }
        }
    }
    Some((at, message))
}

/// Deeper `[`/`{` nesting than this is refused before parsing: libyaml takes
/// time quadratic in the depth of flow collections (100 000 levels: minutes),
/// and serde_yaml would refuse more than 128 levels afterwards anyway.
const MAX_FLOW_DEPTH: usize = 1000;

/// Position where flow-collection nesting first exceeds `max`, skipping
/// quoted strings and comments. Brackets inside plain scalars count too,
/// which can only make this stricter; the limit is far above real documents.
///
/// It runs on every YAML spec before parsing, so it jumps with `memchr`
/// (built optimised even in the dev profile) to the bytes that matter
/// rather than decoding every character: a quote or `#` that may open a
/// quoted scalar or a comment, and, inside a flow collection, brackets.
fn too_deep(text: &str, max: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut depth = 0usize;
    let mut i = 0;
    while i < n {
        // Up to the next byte that may open a quoted scalar or a comment,
        // only brackets matter; outside any flow collection, only an
        // opening one.
        let end = memchr::memchr3(b'"', b'\'', b'#', &bytes[i..]).map_or(n, |j| i + j);
        while i < end {
            if depth == 0 {
                match memchr::memchr2(b'[', b'{', &bytes[i..end]) {
                    Some(j) => i += j,
                    None => break,
                }
            }
            match bytes[i] {
                b'[' | b'{' => {
                    depth += 1;
                    if depth > max {
                        return Some(char_position(text, i));
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
            i += 1;
        }
        if end == n {
            break;
        }
        i = end;
        // A quote opens a quoted scalar only where a scalar can start (not
        // the apostrophe in `don't`); `#` opens a comment after whitespace.
        i = match bytes[i] {
            b'"' if scalar_starts(bytes, i) => double_quoted_end(bytes, i + 1),
            b'\'' if scalar_starts(bytes, i) => single_quoted_end(bytes, i + 1),
            b'#' if i == 0
                || text[..i]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_whitespace) =>
            {
                memchr::memchr(b'\n', &bytes[i..]).map_or(n, |j| i + j)
            }
            _ => i + 1,
        };
    }
    None
}

/// Whether a scalar can start at byte `i` (the start, or after a space,
/// a line break or flow/block punctuation).
fn scalar_starts(bytes: &[u8], i: usize) -> bool {
    i == 0
        || matches!(
            bytes[i - 1],
            b' ' | b'\t' | b'\n' | b':' | b'[' | b'{' | b',' | b'-' | b'?'
        )
}

/// The byte after the `"` that closes a double-quoted scalar whose text
/// starts at `i` (`\` escapes the next character).
fn double_quoted_end(bytes: &[u8], mut i: usize) -> usize {
    while let Some(j) = memchr::memchr2(b'"', b'\\', &bytes[i.min(bytes.len())..]) {
        if bytes[i + j] == b'"' {
            return i + j + 1;
        }
        i += j + 2;
    }
    bytes.len()
}

/// The byte after the `'` that closes a single-quoted scalar whose text
/// starts at `i` (`''` is an escaped quote).
fn single_quoted_end(bytes: &[u8], mut i: usize) -> usize {
    while let Some(j) = memchr::memchr(b'\'', &bytes[i..]) {
        if bytes.get(i + j + 1) == Some(&b'\'') {
            i += j + 2;
        } else {
            return i + j + 1;
        }
    }
    bytes.len()
}

/// 1-based line and column, in characters, of byte `i` of `text`
/// ([`line_column`] counts the column in bytes).
fn char_position(text: &str, i: usize) -> (usize, usize) {
    let (line, byte_column) = line_column(text.as_bytes(), i);
    let line_start = i + 1 - byte_column;
    (line, text[line_start..i].chars().count() + 1)
}

/// Both parsers append ` at line L column C` to their messages; we report the
/// position in front instead, so drop the suffix.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) if message[i..].contains(" column ") => message[..i].to_owned(),
        _ => message.to_owned(),
    }
}

/// 1-based line and column of byte `offset`.
fn line_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    (line, offset - line_start + 1)
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A JSON value deserialized from YAML, accepting what `serde_json::Value`
/// refuses: integers beyond 64 bits (kept as floats; normalization clamps
/// them) and non-string mapping keys (`200:` becomes `"200"`).
struct AnyValue(Value);

impl<'de> Deserialize<'de> for AnyValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(AnyVisitor).map(AnyValue)
    }
}

struct AnyVisitor;

impl<'de> Visitor<'de> for AnyVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| float(v as f64), |i| Value::Number(i.into())))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        Ok(u64::try_from(v).map_or_else(|_| float(v as f64), |i| Value::Number(i.into())))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(AnyVisitor)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(AnyValue(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(AnyValue(key)) = map.next_key()? {
            let key = match key {
                Value::String(s) => s,
                Value::Null => "null".to_owned(),
                other => other.to_string(),
            };
            let AnyValue(value) = map.next_value()?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

fn float(v: f64) -> Value {
    Number::from_f64(v).map_or(Value::Null, Value::Number)
}

/// Position of every node, by path, from `yaml-rust2`'s event stream.
/// Mapping entries are located at their key.
fn index_positions(text: &str) -> HashMap<String, (usize, usize)> {
    use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
    use yaml_rust2::scanner::Marker;

    enum Frame {
        Map { path: String, key: Option<String> },
        Seq { path: String, next: usize },
    }
    struct Receiver {
        stack: Vec<Frame>,
        out: HashMap<String, (usize, usize)>,
    }
    impl Receiver {
        /// The path of the node about to start, or `None` when it is a key.
        fn node_path(&mut self, mark: Marker, scalar: Option<&str>) -> Option<String> {
            match self.stack.last_mut() {
                None => Some(String::new()),
                Some(Frame::Map { path, key }) => match key.take() {
                    Some(k) => Some(join_key(path, &k)),
                    None => {
                        let k = scalar.unwrap_or("?").to_owned();
                        let at = (mark.line(), mark.col() + 1);
                        if path.is_empty() {
                            // The document is where its first key is: a
                            // missing top-level key is reported there.
                            self.out.entry(String::new()).or_insert(at);
                        }
                        self.out.entry(join_key(path, &k)).or_insert(at);
                        *key = Some(k);
                        None
                    }
                },
                Some(Frame::Seq { path, next }) => {
                    let p = join_index(path, *next);
                    *next += 1;
                    self.out
                        .entry(p.clone())
                        .or_insert((mark.line(), mark.col() + 1));
                    Some(p)
                }
            }
        }
    }
    impl MarkedEventReceiver for Receiver {
        fn on_event(&mut self, ev: Event, mark: Marker) {
            match ev {
                Event::Scalar(s, ..) => {
                    self.node_path(mark, Some(&s));
                }
                Event::Alias(_) => {
                    self.node_path(mark, Some("*alias"));
                }
                Event::MappingStart(..) => {
                    if let Some(path) = self.node_path(mark, None) {
                        self.stack.push(Frame::Map { path, key: None });
                    }
                }
                Event::SequenceStart(..) => {
                    if let Some(path) = self.node_path(mark, None) {
                        self.stack.push(Frame::Seq { path, next: 0 });
                    }
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    self.stack.pop();
                }
                _ => {}
            }
        }
    }
    let mut receiver = Receiver {
        stack: Vec::new(),
        out: HashMap::new(),
    };
    // yaml-rust2's columns are 0-based. A document serde_yaml accepted
    // parses here too; if not, we simply have fewer positions.
    let _ = Parser::new_from_str(text).load(&mut receiver, false);
    receiver.out
}

/// `value` as YAML, for the files this workspace writes for users to review
/// (the overlay `cargo xtask conformance --write-overlay` writes). YAML is
/// read and written in this module only.
pub fn to_yaml(value: &Value) -> String {
    serde_yaml::to_string(value).unwrap_or_else(|e| {
        // A JSON value always has a YAML form; keep a readable fallback.
        format!(
            "# {e}\n{}",
            serde_json::to_string_pretty(value).unwrap_or_default()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_yaml_and_json_alike() {
        let yaml = load_bytes(
            b"openapi: 3.0.0\ninfo:\n  title: t\n  version: '1'\npaths: {}\n",
            "a.yaml",
        )
        .unwrap();
        let json = load_bytes(
            br#"{"openapi":"3.0.0","info":{"title":"t","version":"1"},"paths":{}}"#,
            "a.json",
        )
        .unwrap();
        assert_eq!(yaml.value, json.value);
        assert_eq!(yaml.sha256.len(), 64);
    }

    #[test]
    fn syntax_error_is_located() {
        let err = load_bytes(b"openapi: 3.0.0\ninfo: {title: t\n", "bad.yaml").unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("bad.yaml:3:1: "), "{text}");
        assert!(!text.contains('\n'), "one line: {text}");
    }

    #[test]
    fn big_integers_and_integer_keys_load() {
        let doc = load_bytes(b"a: -9223372036854776000\nb:\n  200: ok\n", "x.yaml").unwrap();
        assert!(doc.value["a"].as_f64().unwrap() < -9.2e18);
        assert_eq!(doc.value["b"]["200"], "ok");
    }

    #[test]
    fn nodes_are_located_by_path() {
        let text = "openapi: 3.0.0\npaths:\n  /a:\n    get:\n      parameters:\n        - name: x\n        - name: y\n";
        let doc = load_bytes(text.as_bytes(), "s.yaml").unwrap();
        assert_eq!(doc.locate("paths./a.get"), Some((4, 5)));
        assert_eq!(
            doc.locate("paths./a.get.parameters[1]").map(|p| p.0),
            Some(7)
        );
        assert_eq!(doc.locate("paths./a.get.parameters[1].name"), Some((7, 11)));
        assert_eq!(
            doc.locate("paths./a.get.parameters[1].missing")
                .map(|p| p.0),
            Some(7),
            "nearest ancestor"
        );
    }

    #[test]
    fn typed_errors_name_the_path_and_position() {
        let text = "openapi: 3.0.0\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a:\n    get:\n      responses:\n        '200': {content: 3}\n";
        let doc = load_bytes(text.as_bytes(), "s.yaml").unwrap();
        let err = doc.to_openapi(&doc.value).unwrap_err().to_string();
        assert!(err.starts_with("s.yaml:9:"), "{err}");
        assert!(
            err.contains("at `paths./a.get.responses.200.content`"),
            "{err}"
        );
    }

    #[test]
    fn non_utf8_empty_and_non_mappings_are_errors() {
        let err = load_bytes(b"openapi: \xff\n", "x.yaml")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("x.yaml:1:10: the file is not valid UTF-8"),
            "{err}"
        );
        let err = load_bytes(b"  \n", "e.yaml").unwrap_err().to_string();
        assert!(err.contains("the file is empty"), "{err}");
        let err = load_bytes(b"- a\n- b\n", "l.yaml").unwrap_err().to_string();
        assert!(
            err.contains("the document is a sequence, not a mapping"),
            "{err}"
        );
    }

    #[test]
    fn alias_bombs_and_deep_nesting_are_errors_not_crashes() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..9 {
            let prev = if i == 0 {
                "a".to_owned()
            } else {
                format!("b{}", i - 1)
            };
            bomb.push_str(&format!("b{i}: &b{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        assert!(load_bytes(bomb.as_bytes(), "bomb.yaml").is_err());
        let deep = format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        assert!(load_bytes(deep.as_bytes(), "deep.yaml").is_err());
        let deep_json = format!("{{\"a\": {}{}}}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(load_bytes(deep_json.as_bytes(), "deep.json").is_err());
    }

    #[test]
    fn nesting_skips_quoted_scalars_and_comments() {
        // Brackets in quoted scalars and comments do not count; `don't`
        // opens no quote; `''` and `\"` stay inside their scalars.
        let skipped = "a: \"[[[\\\"[[\"\nb: 'it''s [[[' # [[[\nc: don't [x]\n# {{{\n";
        assert_eq!(too_deep(skipped, 1), None);
        // The position is 1-based, in characters (`é` is two bytes).
        assert_eq!(too_deep("a: [x]\nbé: [[y]]\n", 1), Some((2, 6)));
        assert_eq!(too_deep("a: \"x\\\ny\"\n[[", 1), Some((3, 2)));
        // Closing brackets at the top level are ignored, not counted below zero.
        assert_eq!(too_deep("a: ]]] [[", 1), Some((1, 9)));
        assert_eq!(too_deep("[]".repeat(5).as_str(), 1), None);
    }
}
