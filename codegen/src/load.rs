//! Stage 1, **load**: read a spec file and parse it into [`openapiv3::OpenAPI`].
//!
//! This is the only module that knows which YAML library we use
//! (`serde_yaml`, deprecated upstream but named by the mission): swapping it
//! means changing this file and nothing else.
//!
//! Parsing goes through `serde_path_to_error`, so a document that is valid
//! YAML but not a valid OpenAPI document is reported with the path of the
//! node that failed (`paths./a.delete.responses.200`) as well as the line and
//! column the parser gives.

use std::path::Path;

use openapiv3::OpenAPI;
use sha2::{Digest, Sha256};

use crate::{Diagnostic, Error};

/// A spec file, read and parsed.
#[derive(Debug, Clone)]
pub struct Spec {
    /// How the file is named in messages and in the generated header.
    pub display_path: String,
    /// The file's text, exactly as read.
    pub text: String,
    /// Lower-case hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// The parsed document.
    pub api: OpenAPI,
}

/// Read `path` from disk and parse it; `display_path` names it in messages.
pub fn load_file(path: &Path, display_path: &str) -> Result<Spec, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    load_bytes(&bytes, display_path)
}

/// Parse a spec held in memory. JSON is recognised by its first character
/// (`{`); anything else is read as YAML.
pub fn load_bytes(bytes: &[u8], display_path: &str) -> Result<Spec, Error> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_column(bytes, e.valid_up_to());
        Error::Spec(vec![
            Diagnostic::new(display_path, "the file is not valid UTF-8")
                .located(line, column)
                .hint("OpenAPI documents must be UTF-8; re-encode the file"),
        ])
    })?;
    let api = parse(text, display_path).map_err(|d| Error::Spec(vec![*d]))?;
    Ok(Spec {
        display_path: display_path.to_owned(),
        text: text.to_owned(),
        sha256: sha256_hex(bytes),
        api,
    })
}

/// Errors are boxed only to keep `Result` small.
fn parse(text: &str, file: &str) -> Result<OpenAPI, Box<Diagnostic>> {
    if text.trim().is_empty() {
        return Err(Box::new(
            Diagnostic::new(file, "the file is empty")
                .hint("put an OpenAPI 3.0 document (YAML or JSON) here"),
        ));
    }
    if text.trim_start().starts_with('{') {
        let mut de = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let (line, column) = (inner.line(), inner.column());
            let d = Diagnostic::new(file, strip_position(&inner.to_string())).at(path);
            Box::new(if line > 0 { d.located(line, column) } else { d })
        })
    } else {
        // Syntax first, so a syntax error is never reported as a type error.
        let value: serde_yaml::Value =
            serde_yaml::from_str(text).map_err(|e| Box::new(yaml_diagnostic(file, "", &e)))?;
        let de = serde_yaml::Deserializer::from_str(text);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            // `openapiv3` flattens the maps under `paths` and `responses`, which
            // hides the failing entry from the path tracker: look inside.
            if let Some((deeper, message)) = drill(&value, &path) {
                let d = Diagnostic::new(file, message).at(deeper);
                return Box::new(match inner.location() {
                    Some(loc) => d.located(loc.line(), loc.column()),
                    None => d,
                });
            }
            Box::new(yaml_diagnostic(file, &path, &inner))
        })
    }
}

fn yaml_diagnostic(file: &str, path: &str, e: &serde_yaml::Error) -> Diagnostic {
    let mut message = strip_position(&e.to_string());
    // serde_yaml prefixes its own (shallower) path: `paths: invalid type...`.
    if let Some(rest) = message.strip_prefix(&format!("{path}: ")) {
        message = rest.to_owned();
    }
    let d = Diagnostic::new(file, message).at(path);
    match e.location() {
        Some(loc) => d.located(loc.line(), loc.column()),
        None => d,
    }
}

/// Re-check the entries of a flattened map one by one to find the one that
/// failed: returns its full path and the error.
fn drill(root: &serde_yaml::Value, path: &str) -> Option<(String, String)> {
    use openapiv3::{PathItem, Response};
    use serde_yaml::Value;

    fn first_error<T: serde::de::DeserializeOwned>(
        map: &Value,
        prefix: &str,
    ) -> Option<(String, String)> {
        for (key, child) in map.as_mapping()? {
            let key = key
                .as_str()
                .map_or_else(|| format!("{key:?}"), str::to_owned);
            if key.starts_with("x-") || child.get("$ref").is_some() {
                continue;
            }
            if let Err(e) = serde_path_to_error::deserialize::<_, T>(child.clone()) {
                let sub = e.path().to_string();
                let at = if sub == "." || sub.is_empty() {
                    format!("{prefix}.{key}")
                } else {
                    format!("{prefix}.{key}.{sub}")
                };
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
    // `paths./a.get.responses` failed: look at each response in turn.
    if let Some(op_path) = at.strip_suffix(".responses") {
        let item_key = paths
            .as_mapping()?
            .keys()
            .filter_map(Value::as_str)
            .find(|k| op_path.starts_with(&format!("paths.{k}.")))?;
        let method = &op_path[format!("paths.{item_key}.").len()..];
        let responses = paths.get(item_key)?.get(method)?.get("responses")?;
        if let Some(found) = first_error::<Response>(responses, &at) {
            return Some(found);
        }
    }
    Some((at, message))
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

#[cfg(test)]
mod tests {
    use super::*;

    const SEED_OPERATION: &str = "openapi: 3.0.0\ninfo:\n  title: t\n  version: '1'\npaths: {}\n";

    #[test]
    fn parses_yaml_and_json_alike() {
        let yaml = load_bytes(SEED_OPERATION.as_bytes(), "a.yaml").unwrap();
        let json = load_bytes(
            br#"{"openapi":"3.0.0","info":{"title":"t","version":"1"},"paths":{}}"#,
            "a.json",
        )
        .unwrap();
        assert_eq!(yaml.api, json.api);
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
    fn type_error_names_the_path() {
        let text = "openapi: 3.0.0\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a:\n    get:\n      responses: 7\n";
        let err = load_bytes(text.as_bytes(), "s.yaml")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("at `paths./a.get.responses`: invalid type: integer `7`"),
            "{err}"
        );
        assert!(err.starts_with("s.yaml:6:"), "{err}");
        let text = "openapi: 3.0.0\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a:\n    get:\n      responses:\n        '200': {content: 3}\n";
        let err = load_bytes(text.as_bytes(), "s.yaml")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("at `paths./a.get.responses.200.content`"),
            "{err}"
        );
    }

    #[test]
    fn json_error_is_located() {
        let err = load_bytes(b"{\n  \"openapi\": 3\n}", "s.json")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("s.json:2:"), "{err}");
        assert!(err.contains("`openapi`"), "{err}");
    }

    #[test]
    fn non_utf8_and_empty_are_errors() {
        let err = load_bytes(b"openapi: \xff\n", "x.yaml")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("x.yaml:1:10: the file is not valid UTF-8"),
            "{err}"
        );
        let err = load_bytes(b"  \n", "e.yaml").unwrap_err().to_string();
        assert!(err.contains("the file is empty"), "{err}");
    }
}
