//! The optional `codegen.toml` beside a spec: which operations to generate,
//! and which lossy rewrites the user allows.
//!
//! ```toml
//! [spec]
//! overlays = ["overlays/fixes.yaml"]   # OpenAPI Overlays applied in order (relative to this file)
//!
//! [select]                      # all optional; empty means "everything"
//! tags = ["Projects"]           # keep operations with any of these tags
//! path_prefixes = ["/organization/"]
//! operations = ["delete-project-api-key"]   # operationIds to keep
//! exclude_operations = []                   # operationIds to leave out
//! prune_components = true       # drop schemas no kept operation uses
//!
//! [lossy]                       # each off by default; each change is reported
//! drop_unsupported_operations = true  # path parameters in matrix/label style, other query styles
//! collapse_types = true               # one request body type, one success and one error type per operation
//! drop_failing_operations = true      # operations progenitor fails or panics on
//!
//! [streams]
//! flag = "stream"   # the body property send_stream() sets to true ("" for none)
//!
//! [client]                      # all optional; defaults derive from info.title
//! name = "openai-admin-client"  # the standalone crate's name (--name wins)
//! api_key_env = "OPENAI_ADMIN_KEY"   # Client::from_env()'s key (default: <TITLE>_API_KEY)
//! base_url_env = "OPENAI_BASE_URL"   # its base URL override (default: <TITLE>_BASE_URL)
//! user_agent = "my-app/1.0"     # default: <crate name>/<crate version>
//!
//! [pagination]                  # cursor pagination (list operations get stream())
//! cursor_param = "after"        # the query parameter that takes the cursor
//! items = "data"                # the response's array of items
//! has_more = "has_more"         # the response's "more pages" flag
//! cursor_fields = ["last_id", "next"]  # the next cursor, the first present (else: the last item's `id`)
//! exclude_operations = []       # operationIds that keep no stream()
//! ```

use std::path::Path;

use serde::Deserialize;

use crate::{Diagnostic, Error};

/// The file name looked for beside the spec.
pub const FILE_NAME: &str = "codegen.toml";

/// Settings from `codegen.toml` (all default to off / everything).
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// The spec's own settings: the overlays applied to it.
    pub spec: SpecSettings,
    /// Which operations to generate.
    pub select: Select,
    /// Which information-losing rewrites are allowed.
    pub lossy: Lossy,
    /// How streaming calls are asked for.
    pub streams: Streams,
    /// The generated client's names and settings.
    pub client: ClientSettings,
    /// How list operations page.
    pub pagination: Pagination,
}

/// `[spec]`: what is done to the spec before anything reads it.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct SpecSettings {
    /// OpenAPI Overlay documents applied in order (stage `overlay`), paths
    /// relative to the `codegen.toml` that lists them.
    pub overlays: Vec<String>,
}

/// `[client]`: names the generated client uses. Empty means "derive it".
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct ClientSettings {
    /// The standalone crate's name, when `--name` is not given.
    pub name: String,
    /// The environment variable `Client::from_env()` reads the key from.
    pub api_key_env: String,
    /// The environment variable that overrides the base URL.
    pub base_url_env: String,
    /// The `User-Agent` header.
    pub user_agent: String,
}

/// `[pagination]`: the names cursor pagination is detected by.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Pagination {
    /// The query parameter that takes the cursor.
    pub cursor_param: String,
    /// The response property with the page's items (an array).
    pub items: String,
    /// The response property that says whether more pages follow.
    pub has_more: String,
    /// The response properties that may hold the next cursor (the first
    /// one present is used); when the response has none, the last item's
    /// `id` is the cursor.
    pub cursor_fields: Vec<String>,
    /// Operations that get no `stream()`.
    pub exclude_operations: Vec<String>,
}

impl Default for Pagination {
    fn default() -> Self {
        Self {
            cursor_param: "after".to_owned(),
            items: "data".to_owned(),
            has_more: "has_more".to_owned(),
            cursor_fields: vec!["last_id".to_owned(), "next".to_owned()],
            exclude_operations: Vec::new(),
        }
    }
}

/// Event streams (`send_stream()`).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Streams {
    /// The boolean body property `send_stream()` sets to `true`, when the
    /// body has it (OpenAI: `stream`); empty for APIs that are asked for a
    /// stream by the `Accept` header alone.
    pub flag: String,
}

impl Default for Streams {
    fn default() -> Self {
        Self {
            flag: "stream".to_owned(),
        }
    }
}

impl Streams {
    /// The settings of the `extend` stage.
    pub fn extend_settings(&self) -> crate::extend::Settings {
        crate::extend::Settings {
            stream_flag: (!self.flag.is_empty()).then(|| self.flag.clone()),
        }
    }
}

/// Operation selection.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Select {
    /// Keep operations carrying any of these tags.
    pub tags: Vec<String>,
    /// Keep operations whose path starts with any of these.
    pub path_prefixes: Vec<String>,
    /// Keep these operationIds.
    pub operations: Vec<String>,
    /// Leave these operationIds out.
    pub exclude_operations: Vec<String>,
    /// Drop component schemas that no kept operation uses.
    pub prune_components: bool,
}

/// Opt-ins for rewrites that lose information.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Lossy {
    /// Leave out operations using what progenitor cannot generate.
    pub drop_unsupported_operations: bool,
    /// No longer needed (accepted so existing files keep working): every
    /// default is documented, never sent, so one that does not fit its
    /// schema loses nothing.
    pub drop_invalid_defaults: bool,
    /// Keep one request body media type, and one success and one error
    /// response type, per operation.
    pub collapse_types: bool,
    /// Leave out operations progenitor fails or panics on.
    pub drop_failing_operations: bool,
}

impl Select {
    /// Whether any selection is configured.
    pub fn is_active(&self) -> bool {
        !(self.tags.is_empty() && self.path_prefixes.is_empty() && self.operations.is_empty())
    }
}

/// Read `codegen.toml` from `dir` if it exists; defaults otherwise.
pub fn load_beside(spec: &Path) -> Result<Config, Error> {
    let dir = spec.parent().unwrap_or(Path::new("."));
    let path = dir.join(FILE_NAME);
    match std::fs::read_to_string(&path) {
        Ok(text) => parse(&text, &path.to_string_lossy()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// Read a config file named explicitly (`--config`).
pub fn load_file(path: &Path) -> Result<Config, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse(&text, &path.to_string_lossy())
}

/// Parse a config, reporting errors with their position.
pub fn parse(text: &str, file: &str) -> Result<Config, Error> {
    toml::from_str(text).map_err(|e| {
        let mut d = Diagnostic::new(file, e.message().to_owned());
        if let Some(span) = e.span() {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
            d = d.located(line, column);
        }
        Error::Spec(vec![
            d.hint("see the keys documented in ARCHITECTURE.md (Configuration)"),
        ])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects_unknown_keys_with_position() {
        let c = parse(
            "[select]\ntags = [\"Projects\"]\n[lossy]\ncollapse_types = true\n",
            "c.toml",
        )
        .unwrap();
        assert_eq!(c.select.tags, ["Projects"]);
        assert!(c.lossy.collapse_types && !c.lossy.drop_invalid_defaults);
        let err = parse("[lossy]\ncollapse_type = true\n", "c.toml")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("c.toml:2:1:"), "{err}");
        assert!(err.contains("collapse_type"), "{err}");
    }
}
