//! The stages strung together: load -> validate -> generate -> format ->
//! write/check. The `xtask` and the workspace tests call [`run`] and nothing
//! else, so both always see the same output.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::{self, Config};
use crate::format::Provenance;
use crate::generate::Needs;
use crate::normalize::{self, Change, LeftOut, Normalized};
use crate::report::{self, Report};
use crate::surface::{self, Surface};
use crate::write::{FileReport, Mode, Status};
use crate::{Error, format, generate, load, overlay, timings, validate, walk, write};

/// Path of the vendored spec, relative to the workspace root.
pub const WORKSPACE_SPEC: &str = "spec/api-definition.yaml";
/// The client crate users depend on, relative to the workspace root.
pub const WORKSPACE_CLIENT_DIR: &str = "generated-client";
/// The one Cargo target directory (relative to the workspace root) shared by
/// every generated crate that tests and commands build: dependencies are
/// compiled once, never per crate.
pub const GENERATED_CRATES_TARGET_DIR: &str = "target/generated-crates";

/// `cargo`, set up to build a generated crate in `target_dir` (the shared
/// [`GENERATED_CRATES_TARGET_DIR`]). Incremental compilation is off: each
/// generated crate is built once, and its incremental cache would only fill
/// the disk (gigabytes per whole-API crate).
pub fn cargo_for_generated(target_dir: &Path) -> std::process::Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = std::process::Command::new(cargo);
    command
        .env("CARGO_TARGET_DIR", target_dir)
        .env("CARGO_INCREMENTAL", "0");
    command
}
/// The one generated file inside [`WORKSPACE_CLIENT_DIR`].
pub const WORKSPACE_GENERATED_FILE: &str = "src/generated.rs";

/// Standalone crates generated from specs of our own and checked in, so
/// that tests can use them like any user would: `(spec, crate directory,
/// crate name)`, relative to the workspace root.
pub const FIXTURES: [(&str, &str, &str); 1] = [(
    "tests/specs/streams-uploads.yaml",
    "fixtures/streams-uploads",
    "streams-uploads-client",
)];

/// What kind of crate to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layout {
    /// This workspace's `generated-client/`: only `src/generated.rs` is
    /// generated; `Cargo.toml`, `lib.rs` and the hand-written modules beside
    /// it are maintained by hand.
    Workspace,
    /// A crate of its own (`Cargo.toml`, `src/lib.rs`, `src/generated.rs`
    /// and the runtime's copy in `src/runtime/`), like
    /// `cargo progenitor` writes, for any spec.
    Standalone {
        /// The crate's name.
        name: String,
    },
}

impl Layout {
    /// Where the generated Rust code goes, relative to the crate directory.
    pub fn code_path(&self) -> &'static str {
        match self {
            Layout::Workspace => WORKSPACE_GENERATED_FILE,
            Layout::Standalone { .. } => "src/generated.rs",
        }
    }
}

/// One generation job: which spec, where to, in which layout.
#[derive(Debug, Clone)]
pub struct Target {
    /// The spec file to read.
    pub spec: PathBuf,
    /// How the spec is named in messages and headers (never absolute).
    pub spec_display: String,
    /// The crate directory to write.
    pub out_dir: PathBuf,
    /// How the crate directory is named in messages.
    pub out_display: String,
    /// What to write there.
    pub layout: Layout,
    /// The command that regenerates the output, for the header.
    pub command: String,
    /// `codegen.toml` to use; `None`: the one beside the spec, if any.
    pub config: Option<PathBuf>,
    /// Overlays given on the command line (`--overlay`), applied after the
    /// ones `[spec] overlays` of `codegen.toml` lists.
    pub overlays: Vec<PathBuf>,
}

impl Target {
    /// The workspace's own client: `spec/api-definition.yaml` ->
    /// `generated-client/src/generated.rs`.
    pub fn workspace(root: &Path) -> Self {
        Target {
            spec: root.join(WORKSPACE_SPEC),
            spec_display: WORKSPACE_SPEC.to_owned(),
            out_dir: root.join(WORKSPACE_CLIENT_DIR),
            out_display: WORKSPACE_CLIENT_DIR.to_owned(),
            layout: Layout::Workspace,
            command: "cargo xtask generate".to_owned(),
            config: None,
            overlays: Vec::new(),
        }
    }

    /// Use this `codegen.toml` instead of the one beside the spec (recorded
    /// in the command of the generated header).
    pub fn with_config(mut self, config: &Path) -> Self {
        self.command
            .push_str(&format!(" --config {}", display_name(config)));
        self.config = Some(config.to_owned());
        self
    }

    /// Every crate this workspace generates and checks in: its client, and
    /// the fixture crates whose behaviour the tests check (a standalone
    /// crate with event streams and uploads). `cargo xtask generate` writes
    /// them all; `--check` and `cargo test` check them all.
    pub fn checked_in(root: &Path) -> Vec<Self> {
        let mut targets = vec![Self::workspace(root)];
        for (spec, out, name) in FIXTURES {
            let mut t = Self::standalone(&root.join(spec), &root.join(out), name)
                .expect("fixture names are valid crate names");
            // Relative names, so the header does not depend on the checkout.
            t.spec_display = (*spec).to_owned();
            t.out_display = (*out).to_owned();
            t.command = format!("cargo xtask generate --spec {spec} --out {out} --name {name}");
            targets.push(t);
        }
        targets
    }

    /// A standalone crate named `name` in `out_dir`, from any spec.
    pub fn standalone(spec: &Path, out_dir: &Path, name: &str) -> Result<Self, Error> {
        validate_crate_name(name)?;
        let spec_display = display_name(spec);
        let out_display = display_name(out_dir);
        Ok(Target {
            spec: spec.to_owned(),
            command: format!(
                "cargo xtask generate --spec {spec_display} --out {out_display} --name {name}"
            ),
            spec_display,
            out_dir: out_dir.to_owned(),
            out_display,
            layout: Layout::Standalone {
                name: name.to_owned(),
            },
            config: None,
            overlays: Vec::new(),
        })
    }

    /// Apply this overlay too, after those already given (recorded in the
    /// command of the generated header).
    pub fn with_overlay(mut self, overlay: &Path) -> Self {
        self.command
            .push_str(&format!(" --overlay {}", display_name(overlay)));
        self.overlays.push(overlay.to_owned());
        self
    }

    /// The `codegen.toml` settings for this target (`--config`, else the
    /// file beside the spec, else defaults).
    pub fn config(&self) -> Result<Config, Error> {
        match &self.config {
            Some(path) => config::load_file(path),
            None => config::load_beside(&self.spec),
        }
    }

    /// Every overlay to apply, in order: `[spec] overlays` of the config
    /// (relative to the config file), then `--overlay`; each with the name
    /// messages and the header give it.
    fn overlay_files(&self, config: &Config) -> Vec<(PathBuf, String)> {
        let (dir, dir_display) = match &self.config {
            Some(path) => (
                path.parent().map(Path::to_owned).unwrap_or_default(),
                parent_display(&display_name(path)),
            ),
            None => (
                self.spec.parent().map(Path::to_owned).unwrap_or_default(),
                parent_display(&self.spec_display),
            ),
        };
        let listed = config.spec.overlays.iter().map(|entry| {
            let display = if dir_display.is_empty() || Path::new(entry).is_absolute() {
                entry.replace('\\', "/")
            } else {
                format!("{dir_display}/{}", entry.replace('\\', "/"))
            };
            (dir.join(entry), display)
        });
        let given = self.overlays.iter().map(|p| (p.clone(), display_name(p)));
        listed.chain(given).collect()
    }
}

/// The directory part of a display name (`spec/a.yaml` -> `spec`).
fn parent_display(display: &str) -> String {
    display
        .rsplit_once('/')
        .map(|(dir, _)| dir.to_owned())
        .unwrap_or_default()
}

/// What a run produced.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Operations generated.
    pub operations: usize,
    /// Types generated.
    pub types: usize,
    /// Each file written (or checked), with its diff against the disk.
    pub files: Vec<FileReport>,
    /// How the public API changed, when there was generated code before.
    pub report: Option<Report>,
    /// The crate's name and version (for the suggested version bump).
    pub crate_name: String,
    /// The crate's current version.
    pub crate_version: String,
    /// What normalization rewrote.
    pub changes: Vec<Change>,
    /// Operations left out, with the reason.
    pub left_out: Vec<LeftOut>,
}

impl Outcome {
    /// True when every file on disk already matched.
    pub fn is_fresh(&self) -> bool {
        self.files.iter().all(|f| f.status == Status::Unchanged)
    }

    /// Lines across all generated files.
    pub fn lines(&self) -> usize {
        self.files.iter().map(|f| f.lines).sum()
    }

    /// The diffs of all changed files, concatenated.
    pub fn diff(&self) -> String {
        self.files.iter().map(|f| f.diff.as_str()).collect()
    }
}

/// The workspace root (the directory holding the top-level `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen/ lives inside the workspace")
        .to_owned()
}

/// The files a target should contain, before anything is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// `(path relative to the crate directory, contents)`.
    pub files: Vec<(PathBuf, String)>,
    /// Operations generated.
    pub operations: usize,
    /// Types generated.
    pub types: usize,
    /// Which of `files` holds the Rust code.
    pub code_index: usize,
    /// The public API of that code.
    pub surface: Surface,
    /// What normalization rewrote.
    pub changes: Vec<Change>,
    /// Operations left out, with the reason.
    pub left_out: Vec<LeftOut>,
    /// Each operation's calls in the generated tests ([`crate::wire`]).
    pub wire: Vec<crate::wire::calls::Operation>,
}

impl Rendered {
    /// The generated Rust code.
    pub fn code(&self) -> &str {
        &self.files[self.code_index].1
    }

    /// The code's path relative to the crate directory.
    pub fn code_path(&self) -> &Path {
        &self.files[self.code_index].0
    }
}

/// Everything up to writing: the files `target` should contain.
pub fn render(target: &Target) -> Result<Rendered, Error> {
    render_loaded(target, load(target)?)
}

/// Stage 1 for `target`: its spec, read and parsed.
/// A Swagger 2.0 spec is converted to OpenAPI 3.0 here (stage
/// `swagger-2.0`, [`crate::swagger2`]), before validation.
///
/// The overlays (`[spec] overlays` in `codegen.toml`, then `--overlay`)
/// are applied first (stage `overlay`, [`crate::overlay`]), to the document
/// as the file has it: the user writes them against the vendor's file.
pub fn load(target: &Target) -> Result<load::Document, Error> {
    let doc = load_overlaid(target)?;
    timings::stage("swagger-2.0", || crate::swagger2::stage(doc))
}

/// The spec of `target` as its user vendored it, their overlays applied:
/// [`load`] before the Swagger 2.0 conversion (what a mock of the API
/// serves, `crate::wire`).
pub fn load_overlaid(target: &Target) -> Result<load::Document, Error> {
    let mut doc = timings::stage("load", || {
        load::load_file(&target.spec, &target.spec_display)
    })?;
    let files = target.overlay_files(&target.config()?);
    if !files.is_empty() {
        let overlays = files
            .iter()
            .map(|(path, display)| overlay::load_file(path, display))
            .collect::<Result<Vec<_>, _>>()?;
        let applied = timings::stage("overlay", || overlay::apply_all(&mut doc, &overlays))?;
        doc.overlays = overlays.iter().map(overlay::Overlay::source).collect();
        doc.overlaid = applied.iter().map(overlay::Applied::summary).collect();
    }
    Ok(doc)
}

/// [`render`], from the spec already loaded, on a thread with room for
/// deep specs ([`crate::stack`]).
fn render_loaded(target: &Target, doc: load::Document) -> Result<Rendered, Error> {
    crate::stack::run(|| render_on_this_thread(target, doc))
}

fn render_on_this_thread(target: &Target, doc: load::Document) -> Result<Rendered, Error> {
    let config = target.config()?;
    // Every problem at once: what no rewrite fixes, and what needs consent.
    // Validation and normalization only read the document: two cores, two threads.
    let (mut problems, mut normalized) = std::thread::scope(|s| {
        let validated = crate::stack::spawn(s, || timings::measured(|| validate::validate(&doc)));
        let normalized = timings::stage("normalize", || normalize::normalize(&doc, &config));
        let (problems, took) = validated
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        timings::record("validate", took);
        (problems, normalized)
    });
    problems.append(&mut normalized.problems);
    let overlaid = doc.overlaid.iter().map(|what| normalize::Change {
        step: "overlay",
        what: what.clone(),
    });
    let converted = doc.converted.iter().map(|what| normalize::Change {
        step: "swagger-2.0",
        what: what.clone(),
    });
    let converted = overlaid.chain(converted);
    normalized.changes.splice(0..0, converted);
    if !problems.is_empty() {
        return Err(Error::Spec(problems));
    }
    let connect = crate::connect::Settings::from_config(&config);
    let generated = generate_resilient(&doc, &mut normalized, &config, &connect)?;
    for r in &generated.refinements {
        normalized.change(r.step, r.what.clone());
    }
    let provenance = Provenance {
        command: &target.command,
        spec_path: &target.spec_display,
        spec_sha256: &doc.sha256,
        overlays: &doc.overlays,
    };
    let surface = match &generated.surface {
        Some(surface) => surface.clone(),
        None => timings::stage("surface", || surface::extract_file(&generated.file)),
    };
    let code = timings::stage("format", || match &generated.formatted {
        Some(body) => format::with_header(body, &provenance),
        None => format::format(&generated.file, &provenance),
    });
    let mut files = Vec::new();
    if let Layout::Standalone { name } = &target.layout {
        files.push((
            PathBuf::from("Cargo.toml"),
            standalone_manifest(name, &generated.needs, &generated.features, &provenance),
        ));
        files.push((
            PathBuf::from("src/lib.rs"),
            standalone_lib(&format::header(&provenance)),
        ));
        // The runtime is a module of the crate (see `runtime_copy`).
        files.extend(crate::runtime_copy::files(&format::header(&provenance)));
    }
    let code_index = files.len();
    files.push((PathBuf::from(target.layout.code_path()), code));
    let lib = match &target.layout {
        Layout::Standalone { name } => name.clone(),
        Layout::Workspace => crate_identity(target).0,
    }
    .replace('-', "_");
    let title = normalized.value["info"]["title"]
        .as_str()
        .unwrap_or_default();
    let env = crate::wire::base_url_env(&crate::connect::base_url_env(title, &config.client));
    let tests = timings::stage("wire", || {
        crate::wire::tests(
            &generated.file,
            &normalized.value,
            &doc.value,
            &lib,
            &env,
            &format::header(&provenance),
        )
    });
    files.push((PathBuf::from(crate::wire::TESTS_FILE), tests.source));
    if let Layout::Workspace = &target.layout {
        // The crate's manifest is hand-written but for its features (a
        // workspace without the crate's manifest has no features to keep).
        let path = target.out_dir.join("Cargo.toml");
        match std::fs::read_to_string(&path) {
            Ok(manifest) => files.push((
                PathBuf::from("Cargo.toml"),
                with_features(&manifest, &generated.features),
            )),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(path, e)),
        }
    }
    Ok(Rendered {
        files,
        operations: generated.operations,
        types: generated.types,
        code_index,
        surface,
        changes: normalized.changes,
        left_out: normalized.left_out,
        wire: tests.operations,
    })
}

/// Generate; when progenitor fails, find the operations it fails on (each
/// generated alone) and either name them or, with
/// `lossy.drop_failing_operations`, leave them out and generate the rest.
fn generate_resilient(
    doc: &load::Document,
    n: &mut Normalized,
    config: &Config,
    connect: &crate::connect::Settings,
) -> Result<generate::Generated, Error> {
    let api = timings::stage("openapiv3", || doc.to_openapi(&n.value))?;
    let extend = config.streams.extend_settings();
    let first_error =
        match generate::generate(&api, &n.value, &doc.display_path, Some(connect), &extend) {
            Ok(generated) => return Ok(generated),
            Err(e @ Error::Generate { .. }) => e,
            Err(e) => return Err(e),
        };
    let culprits = failing_operations(doc, &n.value);
    if culprits.is_empty() {
        return Err(first_error);
    }
    if !config.lossy.drop_failing_operations {
        return Err(Error::Spec(
            culprits
                .into_iter()
                .map(|(op, message)| {
                    doc.diagnostic(&normalize::media_types::without_copy_mark(&op.at), format!("progenitor cannot generate this operation: {message}"))
                        .operation(op.id.clone().unwrap_or_default())
                        .hint("fix the operation, or set `lossy.drop_failing_operations = true` in codegen.toml to leave it out")
                })
                .collect(),
        ));
    }
    for (op, message) in culprits {
        n.change(
            "failing",
            format!("left out {}: {message}", op.id.as_deref().unwrap_or(&op.at)),
        );
        n.remove_operation(&op, message);
    }
    let api = doc.to_openapi(&n.value)?;
    generate::generate(&api, &n.value, &doc.display_path, Some(connect), &extend)
}

/// Each operation progenitor fails on when generated without the others
/// (with only the component schemas it uses), with the error.
///
/// Found by bisection: a set of operations that generates has no culprit;
/// one that fails is split in halves, down to single operations. k failing
/// operations of n cost about 2k·log2(n) generations of shrinking parts of
/// the spec instead of n generations of one operation each (each of which
/// copies and prunes the whole document: on a spec of 1 MB and 322
/// operations, 70 s for one failure). An operation that fails only beside
/// another is not found, as before: the caller reports the first error.
fn failing_operations(
    doc: &load::Document,
    value: &serde_json::Value,
) -> Vec<(walk::OpAt, String)> {
    let mut out = Vec::new();
    let all = walk::operations(value);
    let mut pending: Vec<&[walk::OpAt]> = vec![&all];
    while let Some(ops) = pending.pop() {
        let Err(message) = generate_only(doc, value, ops) else {
            continue;
        };
        match ops {
            [] => {}
            [op] => out.push((op.clone(), message)),
            _ => {
                let (a, b) = ops.split_at(ops.len() / 2);
                // Depth first, second half pushed first: culprits come out
                // in document order.
                pending.push(b);
                pending.push(a);
            }
        }
    }
    out
}

/// Generate `value` with only the operations `ops` (and the component
/// schemas they use); the error, if any.
fn generate_only(
    doc: &load::Document,
    value: &serde_json::Value,
    ops: &[walk::OpAt],
) -> Result<(), String> {
    let mut only = value.clone();
    if let Some(serde_json::Value::Object(paths)) = only.get_mut("paths") {
        let keep: std::collections::BTreeSet<(&str, &str)> = ops
            .iter()
            .map(|op| (op.path.as_str(), op.method.as_str()))
            .collect();
        for (path, item) in paths.iter_mut() {
            if let serde_json::Value::Object(item) = item {
                item.retain(|k, _| {
                    !walk::METHODS.contains(&k.as_str())
                        || keep.contains(&(path.as_str(), k.as_str()))
                });
            }
        }
        paths.retain(|_, item| walk::METHODS.iter().any(|m| item.get(*m).is_some()));
    }
    normalize::prune_unused(&mut only);
    let result = doc.to_openapi(&only).and_then(|api| {
        generate::generate(
            &api,
            &only,
            &doc.display_path,
            None,
            &crate::extend::Settings::default(),
        )
    });
    match result {
        Ok(_) => Ok(()),
        Err(Error::Generate { message, .. }) => Err(message),
        Err(e) => Err(e.to_string()),
    }
}

/// Generate `target` and write it (or check it, under [`Mode::Check`]).
/// Nothing is written unless every stage succeeded.
pub fn run(target: &Target, mode: Mode) -> Result<Outcome, Error> {
    // The surface before and after, read before anything is written.
    let old_code = std::fs::read_to_string(target.out_dir.join(target.layout.code_path())).ok();
    // The old code's surface is needed only when the code changes, and
    // reading it (parsing the old file) takes as long as a quarter of the
    // generation on a large spec. When the old header names another spec
    // hash, the code will change: read the old surface on another core
    // while generating.
    let doc = load(target)?;
    let header = format::header(&Provenance {
        command: &target.command,
        spec_path: &target.spec_display,
        spec_sha256: &doc.sha256,
        overlays: &doc.overlays,
    });
    let speculate = old_code
        .as_deref()
        .is_some_and(|old| old.starts_with("// @generated") && !old.starts_with(&header))
        && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
    let (rendered, old_surface) = std::thread::scope(|s| {
        let old_surface = old_code
            .as_deref()
            .filter(|_| speculate)
            .map(|old| crate::stack::spawn(s, move || surface::extract(old)));
        let rendered = render_loaded(target, doc);
        let old_surface = old_surface.map(|h| {
            h.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        (rendered, old_surface)
    });
    let rendered = rendered?;
    let report = timings::stage("report", || match old_code {
        Some(old) if old != rendered.code() => {
            // Old code we cannot parse (hand-edited, say) has no surface to compare.
            old_surface
                .unwrap_or_else(|| surface::extract(&old))
                .ok()
                .map(|old| report::compare(&old, &rendered.surface))
        }
        Some(_) => Some(Report::default()),
        None => None,
    });
    let (crate_name, crate_version) = crate_identity(target);
    let files = timings::stage("write", || {
        write::ensure_files(&target.out_dir, &rendered.files, mode)
    })?;
    Ok(Outcome {
        operations: rendered.operations,
        types: rendered.types,
        files,
        report,
        crate_name,
        crate_version,
        changes: rendered.changes,
        left_out: rendered.left_out,
    })
}

/// The public API `target`'s spec produces (nothing is written).
pub fn surface_of(target: &Target) -> Result<Surface, Error> {
    Ok(render(target)?.surface)
}

/// The reviewers' listing of the API `target`'s spec produces.
pub fn surface_listing(target: &Target) -> Result<String, Error> {
    let (name, _) = crate_identity(target);
    Ok(surface::render(&surface_of(target)?, &name))
}

/// Where the "before" side of [`diff`] comes from.
#[derive(Debug, Clone)]
pub enum Baseline {
    /// The generated code currently on disk in the target's crate.
    CheckedIn,
    /// Another version of the spec (an older file, or one taken from git).
    Spec(PathBuf),
}

/// Compare the API `target`'s spec produces with a baseline, writing nothing.
pub fn diff(target: &Target, baseline: &Baseline) -> Result<(Report, String, String), Error> {
    let new = surface_of(target)?;
    let old = match baseline {
        Baseline::CheckedIn => {
            let path = target.out_dir.join(target.layout.code_path());
            let code = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            surface::extract(&code)?
        }
        Baseline::Spec(spec) => {
            let mut old = target.clone();
            old.spec = spec.clone();
            old.spec_display = display_name(spec);
            surface_of(&old)?
        }
    };
    let (name, version) = crate_identity(target);
    Ok((report::compare(&old, &new), name, version))
}

/// Name and version from the crate's `Cargo.toml` (`[package]` table),
/// falling back to the standalone name and `0.1.0`.
fn crate_identity(target: &Target) -> (String, String) {
    let manifest = std::fs::read_to_string(target.out_dir.join("Cargo.toml")).unwrap_or_default();
    let mut in_package = false;
    let (mut name, mut version) = (None, None);
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[package]";
            continue;
        }
        if !in_package {
            continue;
        }
        let value = |key: &str| {
            line.strip_prefix(key)
                .map(str::trim_start)
                .and_then(|l| l.strip_prefix('='))
                .map(|v| v.trim().trim_matches('"').to_owned())
        };
        name = name.or_else(|| value("name"));
        version = version.or_else(|| value("version"));
    }
    let fallback = match &target.layout {
        Layout::Standalone { name } => name.clone(),
        Layout::Workspace => WORKSPACE_CLIENT_DIR.to_owned(),
    };
    (
        name.unwrap_or(fallback),
        version.unwrap_or_else(|| "0.1.0".to_owned()),
    )
}

/// The crates generated code uses, for `needs`: progenitor's own, then
/// what typify and progenitor report (chrono, uuid, regress, futures; base64
/// and rand for websocket upgrades). A standalone manifest lists them; the
/// workspace client's hand-written `Cargo.toml` lists them all, so that any
/// spec compiles in it (a test checks it against this list).
pub fn code_dependencies(needs: &Needs) -> BTreeMap<String, crate::runtime_copy::Dependency> {
    use crate::runtime_copy::Dependency;
    let mut deps: BTreeMap<String, Dependency> = BTreeMap::new();
    let mut add = |name: &str, dep: Dependency| {
        deps.insert(name.to_owned(), dep);
    };
    add(
        "progenitor-client",
        Dependency::new(&format!("={}", crate::PROGENITOR_VERSION)),
    );
    add(
        "reqwest",
        Dependency::new("0.13")
            .no_default_features()
            .features(&["json", "query", "stream", "rustls"]),
    );
    add("serde", Dependency::new("1.0").features(&["derive"]));
    add("serde_json", Dependency::new("1.0"));
    if needs.chrono {
        add(
            "chrono",
            Dependency::new("0.4")
                .no_default_features()
                .features(&["serde"]),
        );
    }
    if needs.uuid {
        add("uuid", Dependency::new("1.0").features(&["serde", "v4"]));
    }
    if needs.regress {
        add("regress", Dependency::new("0.10"));
    }
    if needs.futures {
        add("futures", Dependency::new("0.3"));
    }
    if needs.websockets {
        add("base64", Dependency::new("0.22"));
        add("rand", Dependency::new("0.9"));
    }
    deps
}

/// Where the generated `[features]` table of a hand-written manifest begins
/// and ends.
const FEATURES_BEGIN: &str = "# @generated: the features `cargo xtask generate` writes from the spec's tags (stage `gate`); do not edit.\n";
const FEATURES_END: &str = "# @generated: end of the features.\n";

/// `manifest` with its generated features table replaced (or appended).
pub fn with_features(manifest: &str, features: &crate::gate::Features) -> String {
    let block = if features.all.is_empty() {
        String::new()
    } else {
        format!(
            "{FEATURES_BEGIN}{}{FEATURES_END}",
            features.manifest_table()
        )
    };
    match (manifest.find(FEATURES_BEGIN), manifest.find(FEATURES_END)) {
        (Some(a), Some(b)) if a < b => format!(
            "{}{block}{}",
            &manifest[..a],
            &manifest[b + FEATURES_END.len()..]
        ),
        _ if block.is_empty() => manifest.to_owned(),
        _ => format!("{}\n\n{block}", manifest.trim_end()),
    }
}

fn standalone_manifest(
    name: &str,
    needs: &Needs,
    features: &crate::gate::Features,
    p: &Provenance<'_>,
) -> String {
    let mut deps = code_dependencies(needs);
    crate::runtime_copy::add_dependencies(&mut deps);
    let lines: Vec<String> = deps
        .iter()
        .map(|(name, dep)| format!("{name} = {}", dep.render()))
        .collect();
    let header = format::header(p).replace("// ", "# ").replace("//", "#");
    format!(
        "{header}\n[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n{}\n\n{TEST_DEPENDENCIES}{}",
        lines.join("\n"),
        if features.all.is_empty() {
            String::new()
        } else {
            format!("\n{}", features.manifest_table())
        }
    )
}

/// What the generated tests (`tests/operations.rs`, [`crate::wire`]) use
/// beyond the crate's own dependencies.
pub const TEST_DEPENDENCIES: &str = "# The generated tests (tests/operations.rs).\n[dev-dependencies]\nfutures = \"0.3\"\ntokio = { version = \"1\", features = [\"macros\", \"rt\", \"rt-multi-thread\"] }\n";

/// `src/lib.rs` of a standalone crate: the generated code as a module that
/// `cargo fmt` and clippy leave alone (so the crate can sit in a workspace
/// that checks both), and the runtime.
fn standalone_lib(header: &str) -> String {
    format!(
        "{header}
//! A client generated by progenitor (`generated.rs`), with the runtime it
//! uses beyond progenitor (`runtime/`: auth, configuration, retries,
//! errors, pagination, event streams, multipart uploads).
//!
//! `Client::from_env()` or `Client::builder()` make a client; `?` turns any
//! method's error into [`ApiError`].

#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic)]
mod generated;
pub mod runtime;

pub use generated::*;
pub use runtime::{{
    ApiError, ApiKey, ClientBuilder, ConfigError, EventStream, FilePart, RequestOptions,
    RetryPolicy, StreamError,
}};
"
    )
}

fn validate_crate_name(name: &str) -> Result<(), Error> {
    let ok = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "`{name}` is not a valid crate name: use ASCII letters, digits, `-` and `_`, starting with a letter"
        )))
    }
}

/// A path as it may appear in a generated file: relative ones as given (with
/// `/`), absolute ones by file name only, so output does not depend on where
/// the checkout lives.
fn display_name(path: &Path) -> String {
    if path.is_absolute() {
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    } else {
        path.to_string_lossy().replace('\\', "/")
    }
}
