//! Helpers shared by the workspace tests. Generation itself is never
//! re-implemented here: tests call the same `codegen` functions as the xtask.

use std::path::{Path, PathBuf};

pub use codegen::pipeline::workspace_root;

/// A throw-away copy of the parts of the workspace that generation reads
/// and writes (`spec/` and `generated-client/`), so a test can break the
/// spec or regenerate without touching the real checkout.
pub struct ScratchWorkspace {
    dir: tempfile::TempDir,
}

impl ScratchWorkspace {
    /// Copy `spec/` and `generated-client/` (without `target/`) into a temp dir.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("create temp dir");
        let root = workspace_root();
        for sub in ["spec", "generated-client"] {
            copy_dir(&root.join(sub), &dir.path().join(sub));
        }
        ScratchWorkspace { dir }
    }

    /// A copy of the whole workspace (without build output, `.git` and
    /// `node_modules`), to build in: a test can change the spec, regenerate
    /// and compile the crates as a user's checkout would.
    pub fn whole() -> Self {
        let dir = tempfile::tempdir().expect("create temp dir");
        copy_dir(&workspace_root(), dir.path());
        ScratchWorkspace { dir }
    }

    /// The scratch root.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// The scratch copy of `spec/api-definition.yaml`.
    pub fn spec_path(&self) -> PathBuf {
        self.root().join(codegen::pipeline::WORKSPACE_SPEC)
    }

    /// Every file under `generated-client/`, with its bytes, sorted by path.
    pub fn client_snapshot(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut files = Vec::new();
        collect(&self.root().join("generated-client"), &mut files);
        files.sort();
        files
    }
}

impl Default for ScratchWorkspace {
    fn default() -> Self {
        Self::new()
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "target" || name == ".git" || name == "node_modules" {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(&name));
        } else {
            std::fs::copy(&path, to.join(&name)).unwrap();
        }
    }
}

fn collect(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            let bytes = std::fs::read(&path).unwrap();
            out.push((path, bytes));
        }
    }
}

/// Snapshot files that a test file asserts under computed names (one per
/// corpus case, say), for the unreferenced-snapshot check.
pub fn dynamic_snapshots(test_file_stem: &str) -> Vec<String> {
    match test_file_stem {
        "corpus" => corpus_cases()
            .iter()
            .map(|p| format!("corpus__{}.snap", case_name(p)))
            .collect(),
        _ => Vec::new(),
    }
}

/// The broken specs of `tests/corpus/`, sorted.
pub fn corpus_cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(workspace_root().join("tests/corpus"))
        .expect("tests/corpus")
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    cases
}

/// A corpus file's snapshot name: its file name with `.` as `_`.
pub fn case_name(path: &Path) -> String {
    path.file_name()
        .unwrap()
        .to_string_lossy()
        .replace('.', "_")
}

/// `../shared/specs`, when present beside the checkout. Tests that use it
/// skip (with a printed reason) when it is absent, except under `CI=true`,
/// where it is always there.
pub fn shared_specs() -> Option<PathBuf> {
    let dir = workspace_root().join("../shared/specs");
    if dir.is_dir() {
        return Some(dir);
    }
    skip(&format!(
        "{} not found (it ships beside the repo, not in it)",
        dir.display()
    ));
    None
}

/// The spec files (`.yaml`, `.json`) of `dir`, sorted.
pub fn spec_files(dir: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    paths.sort();
    paths
}

/// The `xtask` binary built beside the running test, if it was built
/// (`cargo test --workspace` builds it; under `CI=true` it must exist).
pub fn xtask_binary() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let bin = exe
        .parent()?
        .parent()?
        .join(format!("xtask{}", std::env::consts::EXE_SUFFIX));
    if bin.exists() {
        return Some(bin);
    }
    skip(&format!(
        "the exit-code check: {} not built (run `cargo test --workspace`)",
        bin.display()
    ));
    None
}

/// `http://127.0.0.1:<port>` where nothing listens (a port that was just
/// free), for connection errors.
pub fn closed_url() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    format!("http://127.0.0.1:{port}")
}

/// Skip part of a test for a missing prerequisite, saying why; under
/// `CI=true`, where every prerequisite is installed, fail instead.
pub fn skip(why: &str) {
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "required under CI=true: {why}"
    );
    eprintln!("skipped: {why}");
}

/// An effective `security`: alternatives of scheme names.
pub type Requirement = Vec<Vec<String>>;

/// Each operation's effective `security` by (`METHOD`, path) in a spec as
/// written: its own, else the spec's, else none (OpenAPI's rule, read here
/// independently of the generator).
pub fn effective_security(
    doc: &serde_json::Value,
) -> std::collections::BTreeMap<(String, String), Requirement> {
    let alternatives = |security: &serde_json::Value| -> Requirement {
        security
            .as_array()
            .into_iter()
            .flatten()
            .map(|a| {
                a.as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, _)| k.clone())
                    .collect()
            })
            .collect()
    };
    let top = doc.get("security");
    codegen::walk::operations(doc)
        .into_iter()
        .map(|op| {
            let own = doc["paths"][&op.path][&op.method].get("security");
            let security = own.or(top).map(alternatives).unwrap_or_default();
            ((op.method.to_ascii_uppercase(), op.path), security)
        })
        .collect()
}

/// The operations table of generated code (`spec_info::SPEC.operations`),
/// read from its text: (method name, HTTP method, path, security).
pub fn security_table(code: &str) -> Vec<(String, String, String, Requirement)> {
    let mut out = Vec::new();
    for block in code.split("crate::runtime::Operation {").skip(1) {
        let field = |name: &str| -> String {
            let key = format!("{name}: \"");
            let start = block.find(&key).map(|i| i + key.len());
            start
                .and_then(|s| block[s..].find('"').map(|e| block[s..s + e].to_owned()))
                .unwrap_or_default()
        };
        // `security: &[&["a", "b"], &["c"]]`, up to its closing bracket.
        let rest = block
            .split_once("security: ")
            .map(|(_, r)| r)
            .unwrap_or_default();
        let mut depth = 0;
        let end = rest
            .char_indices()
            .find_map(|(i, c)| {
                match c {
                    '[' => depth += 1,
                    ']' if depth == 1 => return Some(i + 1),
                    ']' => depth -= 1,
                    _ => {}
                }
                None
            })
            .unwrap_or(rest.len());
        // prettyplease ends a broken list with a comma; JSON does not.
        let text = rest[..end].replace('&', "");
        let mut json = String::with_capacity(text.len());
        for (i, c) in text.char_indices() {
            if c == ',' && text[i + 1..].trim_start().starts_with(']') {
                continue;
            }
            json.push(c);
        }
        let security = serde_json::from_str::<Requirement>(&json)
            .unwrap_or_else(|e| panic!("unreadable security `{}`: {e}", &rest[..end]));
        out.push((field("id"), field("method"), field("path"), security));
    }
    out
}

/// The surface read back from the code `rendered` writes is the surface it
/// was rendered with (read before the `trim` stage rewrote the code): the
/// change report compares a checked-in file's surface, read back, with a
/// new rendering's, so a difference here would be reported as an API
/// change that is not one. The first line that differs, if any.
pub fn surface_read_back_difference(rendered: &codegen::pipeline::Rendered) -> Option<String> {
    let read = match codegen::surface::extract(rendered.code()) {
        Ok(read) => read,
        Err(e) => return Some(format!("the written code does not parse: {e}")),
    };
    let (before, after) = (
        codegen::surface::render(&rendered.surface, "c"),
        codegen::surface::render(&read, "c"),
    );
    let mut lines = before.lines().zip(after.lines());
    match lines.find(|(b, a)| b != a) {
        Some((b, a)) => Some(format!(
            "the surface read back differs:\n  rendered: {b}\n  read:     {a}"
        )),
        None if before != after => Some("the surface read back differs in length".into()),
        None => None,
    }
}

/// Panics with [`surface_read_back_difference`]'s line, if any.
pub fn assert_surface_reads_back(rendered: &codegen::pipeline::Rendered) {
    if let Some(difference) = surface_read_back_difference(rendered) {
        panic!("{difference}");
    }
}
