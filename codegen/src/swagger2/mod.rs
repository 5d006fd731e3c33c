//! Swagger 2.0 -> OpenAPI 3.0.3, on the JSON form of the document.
//!
//! [`upgrade`] reads a Swagger 2.0 document and builds the OpenAPI 3.0.3
//! document that says the same, one step per part of the document, each in
//! its own file, run in this order:
//!
//! | step | file | rewrites |
//! |---|---|---|
//! | servers | `servers.rs` | `host` + `basePath` + `schemes` -> `servers` (one per scheme; a host without `schemes` -> `https`; no host -> `basePath` alone, or `/`); an operation's own `schemes` -> the operation's `servers` |
//! | security | `security.rs` | `securityDefinitions` -> `components.securitySchemes`: `basic` -> `{type: http, scheme: basic}`, `apiKey` unchanged, `oauth2` `flow` `implicit`/`password`/`application`/`accessCode` -> `flows.implicit`/`password`/`clientCredentials`/`authorizationCode` |
//! | schemas | `schemas.rs` | `definitions` -> `components.schemas`; in every schema: `$ref`s to `#/definitions`, `#/parameters`, `#/responses`, `#/securityDefinitions` -> their `#/components` places; `x-nullable` -> `nullable`; `type: file` -> `type: string, format: binary`; `discriminator: name` -> `{propertyName: name}`, `x-discriminator-value`s -> the parent's `discriminator.mapping`; `items: [..]` -> one schema; `required: true` on a property -> the parent's `required` list |
//! | parameters | `parameters.rs` | top-level `parameters` -> `components.parameters` (body ones -> `components.requestBodies`; formData ones are inlined where used); every non-body parameter: `type`/`format`/`items`/`enum`/`default`/bounds -> `schema`, `collectionFormat` -> `style`/`explode`, path parameters `required: true`, `allowEmptyValue` kept in query only |
//! | bodies | `bodies.rs` | `in: body` -> `requestBody` (one content entry per media type of `consumes`; its name -> `x-codegen-request-body-name`); `in: formData` -> a `requestBody` of an object with one property per parameter, `multipart/form-data` when a parameter is a file, else `application/x-www-form-urlencoded` |
//! | responses | `responses.rs` | top-level `responses` -> `components.responses`; a response `schema` -> `content` for each media type of `produces`; `examples` -> each content's `example`; `headers` -> header objects with a `schema`; a missing `description` -> `""` |
//! | paths | `paths.rs` | every path item and operation, with the three steps above; path-level body and formData parameters go to each operation; `consumes`/`produces` dropped once used |
//! | document | this file | `swagger` -> `openapi: 3.0.3`; `host`, `basePath`, `schemes`, `consumes`, `produces`, `definitions`, `parameters`, `responses`, `securityDefinitions` dropped once converted; everything else (`info`, `tags`, `externalDocs`, `security`, `x-` extensions) kept, in order |
//!
//! Key order is kept everywhere (a converted node takes the place of the one
//! it replaces). Each step reports what it changed ([`Upgraded::changes`])
//! and where each converted node came from ([`Upgraded::moved`]), so that a
//! problem found later in the 3.0 document can be shown in the Swagger file.
//! What cannot be converted is reported as located diagnostics, all of
//! them, not the first.

mod bodies;
mod parameters;
mod paths;
mod responses;
mod schemas;
mod security;
mod servers;

use serde_json::{Map, Value};

use crate::Diagnostic;
use crate::load::Document;

/// True when `value` is a Swagger 2.0 document (`swagger: "2.0"`; an
/// unquoted YAML `2.0`, read as a number, counts too).
pub fn is_swagger2(value: &serde_json::Value) -> bool {
    match value.get("swagger") {
        Some(Value::String(s)) => s.trim() == "2.0",
        Some(Value::Number(n)) => n.as_f64() == Some(2.0),
        _ => false,
    }
}

/// The converted document.
#[derive(Debug, Clone, PartialEq)]
pub struct Upgraded {
    /// The OpenAPI 3.0.3 document.
    pub value: serde_json::Value,
    /// What was converted, one line per kind of change, for the generation report
    /// (e.g. "12 definitions -> components.schemas", "3 body parameters -> requestBody").
    pub changes: Vec<String>,
    /// Where converted nodes came from, so errors found later can point at the
    /// Swagger file: (path prefix in the NEW document, path prefix in the OLD document),
    /// in the workspace's dotted path syntax. Use [`Upgraded::old_path`] to map a path.
    pub moved: Vec<(String, String)>,
}

impl Upgraded {
    /// The path in the Swagger document of the node at `new_path` in the
    /// converted one: the longest prefix of `new_path` in [`Upgraded::moved`]
    /// that ends at a segment boundary (`.`, `[` or the end) is replaced by
    /// its old path; with none, `new_path` itself.
    pub fn old_path(&self, new_path: &str) -> String {
        crate::load::file_path(&self.moved, new_path)
    }
}

/// The stage: a Swagger 2.0 document becomes the OpenAPI 3.0.3 document
/// that says the same (its `value`; `moved` and `converted` say where each
/// node came from and what was converted, so every later diagnostic points
/// into the Swagger file and the report lists the conversion). Any other
/// document passes unchanged. A document that cannot be converted is an
/// error with every problem located.
pub fn stage(mut doc: Document) -> Result<Document, crate::Error> {
    if !is_swagger2(&doc.value) {
        return Ok(doc);
    }
    let up = upgrade(&doc).map_err(crate::Error::Spec)?;
    doc.value = up.value;
    doc.moved = up.moved;
    doc.converted = up.changes;
    Ok(doc)
}

/// Convert. Problems that make conversion impossible (e.g. `paths` not a mapping, a
/// parameter without `in`, a `$ref` to a body parameter used where it cannot be) are
/// returned as located diagnostics, every one found. Never panics.
pub fn upgrade(doc: &crate::load::Document) -> Result<Upgraded, Vec<crate::Diagnostic>> {
    let Some(root) = doc.value.as_object() else {
        return Err(vec![
            doc.diagnostic(
                "",
                format!("the document is {}, not a mapping", what(&doc.value)),
            )
            .hint("a Swagger 2.0 document is a mapping with `swagger`, `info` and `paths`"),
        ]);
    };
    if !is_swagger2(&doc.value) {
        let found = root
            .get("swagger")
            .map_or("missing".to_owned(), |v| v.to_string());
        return Err(vec![
            doc.diagnostic(
                "swagger",
                format!("not a Swagger 2.0 document (`swagger` is {found})"),
            )
            .hint("only `swagger: \"2.0\"` documents are converted"),
        ]);
    }
    let mut cx = Cx::new(doc, root);
    cx.moved("openapi", "swagger");
    cx.note("swagger: 2.0 -> openapi: 3.0.3");

    let servers = servers::convert(&mut cx);
    let security_schemes = security::convert(&mut cx);
    let schemas = schemas::convert(&mut cx);
    let (parameters, request_bodies) = parameters::components(&mut cx);
    let responses = responses::components(&mut cx);
    let paths = paths::convert(&mut cx);

    if !cx.errors.is_empty() {
        // a top-level parameter used by many operations is reported once
        let mut seen: Vec<(Option<String>, String)> = Vec::new();
        cx.errors.retain(|d| {
            let key = (d.path.clone(), d.message.clone());
            let new = !seen.contains(&key);
            if new {
                seen.push(key);
            }
            new
        });
        return Err(cx.errors);
    }

    // components, in the order their Swagger sources appear
    let mut components = Map::new();
    for key in root.keys() {
        let parts: Vec<(&str, &Option<Map<String, Value>>)> = match key.as_str() {
            "definitions" => vec![("schemas", &schemas)],
            "parameters" => vec![
                ("parameters", &parameters),
                ("requestBodies", &request_bodies),
            ],
            "responses" => vec![("responses", &responses)],
            "securityDefinitions" => vec![("securitySchemes", &security_schemes)],
            _ => continue,
        };
        for (name, part) in parts {
            // an empty `definitions: {}` stays `schemas: {}`; the parameter
            // maps are split in two, and either may be left empty
            if let Some(map) = part
                && (!map.is_empty() || !matches!(name, "parameters" | "requestBodies"))
            {
                components.insert(name.to_owned(), Value::Object(map.clone()));
            }
        }
    }
    if root.contains_key("consumes") || root.contains_key("produces") {
        cx.note("top-level consumes/produces -> the media types of each request body and response");
    }

    let has_server_keys = ["host", "basePath", "schemes"]
        .iter()
        .any(|k| root.contains_key(*k));
    let mut servers = Some(servers);
    let mut components = (!components.is_empty()).then_some(components);
    let mut paths = Some(paths);
    let mut out = Map::new();
    out.insert("openapi".to_owned(), Value::String("3.0.3".to_owned()));
    for (key, value) in root {
        match key.as_str() {
            "swagger" | "consumes" | "produces" => {}
            "openapi" | "servers" | "components" => {
                cx.note(format!(
                    "`{key}` beside `swagger: 2.0` dropped (the converted one is kept)"
                ));
            }
            "info" => {
                out.insert(key.clone(), value.clone());
                if !has_server_keys && let Some(s) = servers.take() {
                    out.insert("servers".to_owned(), s);
                }
            }
            "host" | "basePath" | "schemes" => {
                if let Some(s) = servers.take() {
                    out.insert("servers".to_owned(), s);
                }
            }
            "definitions" | "parameters" | "responses" | "securityDefinitions" => {
                if let Some(c) = components.take() {
                    out.insert("components".to_owned(), Value::Object(c));
                }
            }
            "paths" => {
                if let Some(p) = paths.take() {
                    out.insert(key.clone(), p);
                }
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    if let Some(s) = servers.take() {
        out.shift_insert(1, "servers".to_owned(), s);
    }
    if let Some(p) = paths.take() {
        out.insert("paths".to_owned(), p);
    }
    if let Some(c) = components.take() {
        out.insert("components".to_owned(), Value::Object(c));
    }
    Ok(Upgraded {
        value: Value::Object(out),
        changes: cx.changes.lines(),
        moved: cx.moved,
    })
}

/// What every step reads and writes: the Swagger document, the top-level
/// media types, and what was changed, moved and found wrong.
pub(crate) struct Cx<'a> {
    /// The Swagger document, for located diagnostics.
    pub(crate) doc: &'a Document,
    /// Its top-level mapping.
    pub(crate) root: &'a Map<String, Value>,
    /// The top-level `consumes`, else `application/json`.
    pub(crate) consumes: Vec<String>,
    /// The top-level `produces`, else `application/json`.
    pub(crate) produces: Vec<String>,
    /// The operationId of the operation being converted, for diagnostics.
    pub(crate) operation: Option<String>,
    /// What was changed, counted by kind.
    pub(crate) changes: Changes,
    /// (new path, old path) of each converted node.
    pub(crate) moved: Vec<(String, String)>,
    /// What cannot be converted.
    pub(crate) errors: Vec<Diagnostic>,
}

impl<'a> Cx<'a> {
    fn new(doc: &'a Document, root: &'a Map<String, Value>) -> Self {
        let default = || vec!["application/json".to_owned()];
        Cx {
            doc,
            root,
            consumes: media_types(root.get("consumes")).unwrap_or_else(default),
            produces: media_types(root.get("produces")).unwrap_or_else(default),
            operation: None,
            changes: Changes::default(),
            moved: Vec::new(),
            errors: Vec::new(),
        }
    }

    /// Report a problem at `path` in the Swagger document.
    pub(crate) fn error(&mut self, path: &str, message: impl Into<String>, hint: &str) {
        let mut d = self.doc.diagnostic(path, message).hint(hint);
        if let Some(id) = &self.operation {
            d = d.operation(id.clone());
        }
        self.errors.push(d);
    }

    /// Record that the node at `new` in the 3.0 document came from `old`.
    pub(crate) fn moved(&mut self, new: impl Into<String>, old: impl Into<String>) {
        self.moved.push((new.into(), old.into()));
    }

    /// Count one change of this kind.
    pub(crate) fn count(&mut self, kind: &str) {
        self.changes.add(kind, 1);
    }

    /// Report a change that is not counted (said once).
    pub(crate) fn note(&mut self, line: impl Into<String>) {
        self.changes.note(line.into());
    }

    /// The top-level parameter `name` (decoded), followed through `$ref`s
    /// to other top-level parameters: the parameter and its path.
    pub(crate) fn top_parameter(&self, name: &str) -> Option<(&'a Map<String, Value>, String)> {
        self.top("parameters", name)
    }

    /// The entry `name` (decoded) of the top-level mapping `section`
    /// (`parameters`, `responses`), followed through `$ref`s to other
    /// entries of it: the entry and its path.
    pub(crate) fn top(
        &self,
        section: &str,
        name: &str,
    ) -> Option<(&'a Map<String, Value>, String)> {
        let entries = self.root.get(section)?.as_object()?;
        let prefix = format!("#/{section}/");
        let mut name = name.to_owned();
        for _ in 0..16 {
            let entry = entries.get(&name)?.as_object()?;
            match entry.get("$ref").and_then(Value::as_str) {
                Some(r) => name = decode_token(r.strip_prefix(prefix.as_str())?),
                None => return Some((entry, crate::load::join_key(section, &name))),
            }
        }
        None
    }
}

/// The change lines, one per kind, counted, in the order first seen.
#[derive(Debug, Default)]
pub(crate) struct Changes {
    lines: Vec<(String, Option<usize>)>,
}

impl Changes {
    fn add(&mut self, kind: &str, n: usize) {
        match self
            .lines
            .iter_mut()
            .find(|(k, c)| k == kind && c.is_some())
        {
            Some((_, Some(c))) => *c += n,
            _ => self.lines.push((kind.to_owned(), Some(n))),
        }
    }

    fn note(&mut self, line: String) {
        if !self.lines.iter().any(|(k, c)| *k == line && c.is_none()) {
            self.lines.push((line, None));
        }
    }

    fn lines(&self) -> Vec<String> {
        self.lines
            .iter()
            .map(|(kind, count)| match count {
                Some(n) => format!("{n} {kind}"),
                None => kind.clone(),
            })
            .collect()
    }
}

/// A `consumes`/`produces` list: its media types, or `None` when absent or
/// empty (then the next level's apply). A lone string is read as a list.
pub(crate) fn media_types(value: Option<&Value>) -> Option<Vec<String>> {
    let list: Vec<String> = match value? {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    };
    let mut unique: Vec<String> = Vec::new();
    for m in list {
        if !m.trim().is_empty() && !unique.contains(&m) {
            unique.push(m);
        }
    }
    (!unique.is_empty()).then_some(unique)
}

/// A JSON pointer token as the name it stands for: `%xx` decoded, then
/// `~1` -> `/` and `~0` -> `~`.
pub(crate) fn decode_token(token: &str) -> String {
    let decoded = percent_encoding::percent_decode_str(token).decode_utf8_lossy();
    crate::walk::unescape_token(&decoded)
}

/// A name as a JSON pointer token: `~` -> `~0`, `/` -> `~1`.
pub(crate) use crate::walk::escape_token as encode_token;

/// "a string", "a sequence", ... for messages.
pub(crate) use crate::load::kind as what;

/// Replace the entry `old` of `map` by `new: value`, at the same position.
pub(crate) fn rename_key(map: &mut Map<String, Value>, old: &str, new: &str, value: Value) {
    match map.keys().position(|k| k == old) {
        Some(i) => {
            map.shift_remove(old);
            map.shift_remove(new);
            let i = i.min(map.len());
            map.shift_insert(i, new.to_owned(), value);
        }
        None => {
            map.insert(new.to_owned(), value);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::json;

    /// Convert an inline document; panics (test only) on diagnostics.
    pub(crate) fn up(value: Value) -> Upgraded {
        let doc = Document::from_value("t.json", value);
        let u = match upgrade(&doc) {
            Ok(u) => u,
            Err(e) => panic!("conversion failed: {e:?}"),
        };
        for (new, old) in &u.moved {
            assert!(
                lookup(&u.value, new).is_some(),
                "moved: {new} is not in the new document"
            );
            assert!(
                lookup(&doc.value, old).is_some(),
                "moved: {old} is not in the old document"
            );
        }
        u
    }

    /// Convert an inline document that must fail; the diagnostics.
    pub(crate) fn fails(value: Value) -> Vec<Diagnostic> {
        let doc = Document::from_value("t.json", value);
        match upgrade(&doc) {
            Ok(u) => panic!("expected an error, got {:#}", u.value),
            Err(e) => e,
        }
    }

    /// A minimal Swagger document around `paths`.
    pub(crate) fn doc(paths: Value) -> Value {
        json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": paths})
    }

    /// The node at a dotted path (`paths./a.get.parameters[0]`); keys may
    /// hold dots themselves (`application/vnd.x+json`, `/pulls/{index}.patch`):
    /// every key that ends at a segment boundary is tried, longest first.
    pub(crate) fn lookup<'v>(v: &'v Value, path: &str) -> Option<&'v Value> {
        if path.is_empty() {
            return Some(v);
        }
        if let Some(rest) = path.strip_prefix('[') {
            let end = rest.find(']')?;
            let i: usize = rest[..end].parse().ok()?;
            let rest = &rest[end + 1..];
            return lookup(v.get(i)?, rest.strip_prefix('.').unwrap_or(rest));
        }
        let mut candidates: Vec<(&String, &Value)> = v
            .as_object()?
            .iter()
            .filter(|(k, _)| {
                path.strip_prefix(k.as_str()).is_some_and(|rest| {
                    rest.is_empty() || rest.starts_with('.') || rest.starts_with('[')
                })
            })
            .collect();
        candidates.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
        candidates.into_iter().find_map(|(k, child)| {
            let rest = &path[k.len()..];
            lookup(child, rest.strip_prefix('.').unwrap_or(rest))
        })
    }

    /// Every local `$ref` in `v` that does not resolve in `root`.
    fn dangling(root: &Value, v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("$ref")
                    && let Some(pointer) = r.strip_prefix('#')
                {
                    let pointer = percent_encoding::percent_decode_str(pointer).decode_utf8_lossy();
                    if root.pointer(&pointer).is_none() {
                        out.push(r.clone());
                    }
                }
                for (k, child) in m {
                    if !k.starts_with("x-") && k != "example" {
                        dangling(root, child, out);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|i| dangling(root, i, out)),
            _ => {}
        }
    }

    /// The converted document must be OpenAPI 3.0 as `openapiv3` reads it.
    pub(crate) fn typed(u: &Upgraded) -> openapiv3::OpenAPI {
        match serde_json::from_value::<openapiv3::OpenAPI>(u.value.clone()) {
            Ok(api) => api,
            Err(e) => panic!("not OpenAPI 3.0: {e}\n{:#}", u.value),
        }
    }

    #[test]
    fn detects_swagger2() {
        assert!(is_swagger2(&json!({"swagger": "2.0"})));
        assert!(is_swagger2(&json!({"swagger": 2.0})));
        assert!(!is_swagger2(&json!({"openapi": "3.0.3"})));
        assert!(!is_swagger2(&json!({"swagger": "1.2"})));
        assert!(!is_swagger2(&json!([1])));
    }

    #[test]
    fn top_level_keys_and_order() {
        let u = up(json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "host": "api.example.com",
            "basePath": "/v1",
            "schemes": ["https"],
            "consumes": ["application/json"],
            "produces": ["application/json"],
            "x-top": 1,
            "tags": [{"name": "a"}],
            "paths": {},
            "definitions": {"A": {"type": "string"}},
            "security": [{"k": []}],
            "securityDefinitions": {"k": {"type": "apiKey", "in": "header", "name": "K"}},
            "externalDocs": {"url": "https://docs"}
        }));
        let keys: Vec<&str> = u
            .value
            .as_object()
            .map_or(Vec::new(), |m| m.keys().map(String::as_str).collect());
        assert_eq!(
            keys,
            [
                "openapi",
                "info",
                "servers",
                "x-top",
                "tags",
                "paths",
                "components",
                "security",
                "externalDocs"
            ]
        );
        assert_eq!(u.value["openapi"], "3.0.3");
        let comps: Vec<&String> = u.value["components"]
            .as_object()
            .map_or(Vec::new(), |m| m.keys().collect());
        assert_eq!(comps, ["schemas", "securitySchemes"]);
        assert_eq!(u.changes[0], "swagger: 2.0 -> openapi: 3.0.3");
        assert!(
            u.changes
                .contains(&"1 definitions -> components.schemas".to_owned()),
            "{:?}",
            u.changes
        );
        typed(&u);
    }

    #[test]
    fn missing_paths_become_empty() {
        let u = up(json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}}));
        assert_eq!(u.value["paths"], json!({}));
        assert_eq!(u.value["servers"], json!([{"url": "/"}]));
        typed(&u);
    }

    #[test]
    fn refuses_other_documents() {
        let e = fails(json!({"swagger": "1.2", "paths": {}}));
        assert_eq!(e[0].path.as_deref(), Some("swagger"));
        let e = fails(json!({"openapi": "3.0.0", "paths": {}}));
        assert!(e[0].message.contains("not a Swagger 2.0"));
        let e = fails(json!(["x"]));
        assert!(e[0].message.contains("not a mapping"));
    }

    #[test]
    fn paths_must_be_a_mapping() {
        let e =
            fails(json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": [1]}));
        assert_eq!(e[0].path.as_deref(), Some("paths"));
        assert!(e[0].hint.is_some());
    }

    #[test]
    fn old_path_takes_the_longest_prefix_at_a_boundary() {
        let u = Upgraded {
            value: Value::Null,
            changes: Vec::new(),
            moved: vec![
                ("components.schemas".into(), "definitions".into()),
                (
                    "paths./p.get.parameters[1]".into(),
                    "paths./p.get.parameters[2]".into(),
                ),
                (
                    "paths./p.get.parameters[1].schema".into(),
                    "paths./p.get.parameters[2]".into(),
                ),
            ],
        };
        assert_eq!(
            u.old_path("components.schemas.Pet.properties.x"),
            "definitions.Pet.properties.x"
        );
        assert_eq!(
            u.old_path("paths./p.get.parameters[1].schema.items"),
            "paths./p.get.parameters[2].items"
        );
        assert_eq!(
            u.old_path("paths./p.get.parameters[1].name"),
            "paths./p.get.parameters[2].name"
        );
        // `[10]` is not `[1]` followed by more
        assert_eq!(
            u.old_path("paths./p.get.parameters[10]"),
            "paths./p.get.parameters[10]"
        );
        assert_eq!(u.old_path("info.title"), "info.title");
    }

    #[test]
    fn never_panics_on_odd_nodes() {
        let odd = [
            json!(null),
            json!(1),
            json!("x"),
            json!([]),
            json!([null, 1, "x", {"in": 3}]),
            json!({"$ref": 5}),
            json!({"in": "body"}),
            json!({"in": "formData", "name": 1}),
            json!({"in": "query", "name": "q", "type": "array", "items": [null, 1]}),
        ];
        for node in odd {
            for key in [
                "paths",
                "definitions",
                "parameters",
                "responses",
                "securityDefinitions",
                "host",
                "schemes",
                "consumes",
            ] {
                let mut d = doc(json!({}));
                d[key] = node.clone();
                let _ = upgrade(&Document::from_value("t.json", d));
            }
            let d = doc(json!({"/a": {"parameters": node.clone(), "get": {
                "parameters": [node.clone()],
                "responses": {"200": node.clone(), "400": {"description": "x", "schema": node.clone(), "headers": node.clone(), "examples": node.clone()}},
                "consumes": node.clone(), "produces": node.clone(), "schemes": node.clone()
            }, "post": node.clone()}}));
            let _ = upgrade(&Document::from_value("t.json", d));
        }
    }

    /// Every Swagger spec of the shared corpus converts, and `openapiv3`
    /// reads the result.
    #[test]
    fn shared_swagger_specs_convert() {
        let dir = std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/specs/swagger"
        ));
        let Ok(entries) = std::fs::read_dir(dir) else {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("{} is missing", dir.display());
            }
            eprintln!("skipped: {} does not exist", dir.display());
            return;
        };
        let mut files: Vec<std::path::PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        files.sort();
        assert!(!files.is_empty(), "no specs in {}", dir.display());
        let mut failures = Vec::new();
        for path in &files {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let doc = match crate::load::load_file(path, &name) {
                Ok(d) => d,
                Err(e) => {
                    failures.push(format!("{name}: load: {e}"));
                    continue;
                }
            };
            let upgraded = match upgrade(&doc) {
                Ok(u) => u,
                Err(e) => {
                    let lines: Vec<String> = e.iter().map(ToString::to_string).collect();
                    failures.push(format!("{name}: upgrade:\n  {}", lines.join("\n  ")));
                    continue;
                }
            };
            // every local `$ref` the Swagger file resolved still resolves
            let mut before = Vec::new();
            dangling(&doc.value, &doc.value, &mut before);
            let mut after = Vec::new();
            dangling(&upgraded.value, &upgraded.value, &mut after);
            if after.len() > before.len() {
                failures.push(format!("{name}: $refs that no longer resolve: {after:?}"));
            }
            // every `moved` entry names nodes that exist on both sides
            for (new, old) in &upgraded.moved {
                if lookup(&upgraded.value, new).is_none() || lookup(&doc.value, old).is_none() {
                    failures.push(format!(
                        "{name}: moved {new} <- {old}: a side does not exist"
                    ));
                }
            }
            for key in [
                "swagger",
                "host",
                "basePath",
                "schemes",
                "consumes",
                "produces",
                "definitions",
            ] {
                if upgraded.value.get(key).is_some() {
                    failures.push(format!("{name}: `{key}` left at the top level"));
                }
            }
            eprintln!("{name}: {}", upgraded.changes.join("; "));
            if let Err(e) = serde_json::from_value::<openapiv3::OpenAPI>(upgraded.value) {
                failures.push(format!("{name}: openapiv3: {e}"));
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} failed:\n{}",
            failures.len(),
            files.len(),
            failures.join("\n")
        );
        eprintln!("{} swagger specs converted", files.len());
    }
}
