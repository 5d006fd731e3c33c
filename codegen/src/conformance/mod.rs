//! **Conformance**: do the generated types accept what the API documents?
//!
//! Compiling is not working. This stage takes every example a spec documents
//! ([`crate::examples`]), finds the generated Rust type each one is an
//! example of (from the [`Surface`]), and checks it in a small program built
//! against the generated crate:
//!
//! * a response example (or a schema example) must deserialize into its type;
//! * a request example must deserialize into the body type **and serialize
//!   back to equal JSON**: what was absent stays absent (no schema defaults
//!   injected), numbers keep their form (`2` stays `2`).
//!
//! [`plan`] decides what to check (pure, tested here); [`runner_crate`]
//! writes the checking program; [`run`] generates the client, builds and
//! runs the program in a work directory, and returns a [`Report`] that
//! [`render`] prints: pass/total, then every failure with its JSON path and
//! the reason. A [`Judge`] (a JSON Schema validator of the spec's own
//! schema) splits the failures: an example that contradicts its own spec
//! (and which rule it breaks), or one the spec allows, which makes the
//! failure a bug of the generated types.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

mod fixes;
pub mod instances;

pub use fixes::{Fix, Fixes};

/// The seed of the generated instances (the same seed, the same payloads).
pub const INSTANCE_SEED: u64 = 20_261_202;

/// What marks a generated instance's `at`.
const GENERATED: &str = "#generated/";

use crate::examples::{self, Example, Subject};
use crate::pipeline::{self, Target};
use crate::surface::{Surface, TypeKind};
use crate::{Error, Mode};

/// One example, matched with the Rust type that must take it.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// Where the example is in the spec.
    pub at: String,
    /// The Rust type, relative to the crate's `types` module
    /// (`CreateImageRequest`, `Vec<Model>`).
    pub ty: String,
    /// A request body: it must also serialize back to the same JSON.
    pub round_trip: bool,
    /// The example.
    pub value: Value,
}

/// An example that is not checked, and why (no JSON type to check it
/// against: an empty or binary body, an untyped value, an operation left out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unchecked {
    /// Where the example is in the spec.
    pub at: String,
    /// Why it is not checked.
    pub reason: String,
}

/// What to check: the cases, and the examples left unchecked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    /// Examples with a type to check them against.
    pub cases: Vec<Case>,
    /// Examples without one.
    pub unchecked: Vec<Unchecked>,
}

/// Match each example with the generated type it is an example of. `root`
/// is the spec: a response example of one status whose schema is a named
/// component is checked against that component's type (an operation's one
/// error type may stand for several statuses).
pub fn plan(root: &Value, examples: &[Example], surface: &Surface) -> Plan {
    let mut plan = Plan::default();
    for example in examples {
        let target = match &example.subject {
            Subject::Request { method, path } => operation(surface, method, path)
                .ok_or_else(|| {
                    format!(
                        "no operation {} {path} was generated",
                        method.to_uppercase()
                    )
                })
                .and_then(|op| {
                    op.params
                        .iter()
                        .find(|p| p.name == "body")
                        .map(|p| p.ty.clone())
                        .ok_or_else(|| "the operation takes no JSON body".to_owned())
                })
                .map(|ty| (ty, true)),
            Subject::Response {
                method,
                path,
                status,
            } => operation(surface, method, path)
                .ok_or_else(|| {
                    format!(
                        "no operation {} {path} was generated",
                        method.to_uppercase()
                    )
                })
                .map(|op| {
                    let named = status
                        .as_deref()
                        .and_then(|s| response_component(root, method, path, s))
                        .and_then(|name| schema_type(surface, &name));
                    let success = status.as_deref().is_none_or(|s| s.starts_with('2'));
                    let ty = if success { &op.success } else { &op.error };
                    (named.unwrap_or_else(|| ty.clone()), false)
                }),
            Subject::Schema { name } => schema_type(surface, name)
                .ok_or_else(|| format!("no type for schema `{name}`"))
                .map(|ty| (ty, false)),
        };
        match target.and_then(|(ty, round_trip)| checkable(surface, &ty).map(|ty| (ty, round_trip)))
        {
            Ok((ty, round_trip)) => plan.cases.push(Case {
                at: example.at.clone(),
                ty,
                round_trip,
                value: example.value.clone(),
            }),
            Err(reason) => plan.unchecked.push(Unchecked {
                at: example.at.clone(),
                reason,
            }),
        }
    }
    plan
}

/// The component schema named by `$ref` as the JSON body of the response
/// `status` of `method path`, if it is one.
fn response_component(root: &Value, method: &str, path: &str, status: &str) -> Option<String> {
    let response = root
        .get("paths")?
        .get(path)?
        .get(method)?
        .get("responses")?
        .get(status)?;
    let response = crate::walk::deref(root, response);
    let (_, media) = response
        .get("content")?
        .as_object()?
        .iter()
        .find(|(media, _)| examples::is_json_media(media))?;
    let reference = media.get("schema")?.get("$ref")?.as_str()?;
    reference
        .strip_prefix("#/components/schemas/")
        .map(crate::walk::unescape_token)
}

fn operation<'a>(
    surface: &'a Surface,
    method: &str,
    path: &str,
) -> Option<&'a crate::surface::Operation> {
    surface
        .operations
        .values()
        .find(|op| op.path == path && op.http_method.eq_ignore_ascii_case(method))
}

/// The generated type of `components.schemas.<name>`: typify names it by
/// the schema's name in PascalCase; compare letters and digits only.
fn schema_type(surface: &Surface, name: &str) -> Option<String> {
    let key = |s: &str| {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect::<String>()
    };
    let wanted = key(name);
    let mut found = surface.types.keys().filter(|t| key(t) == wanted);
    match (found.next(), found.next()) {
        (Some(one), None) => Some(one.clone()),
        _ => None,
    }
}

/// A type the checking program can name: a type of `types`, or a `Vec` of
/// one. Anything else (no body, a byte stream, an untyped JSON value) has no
/// schema to hold the example to.
fn checkable(surface: &Surface, ty: &str) -> Result<String, String> {
    let inner = ty
        .strip_prefix("Vec<")
        .and_then(|t| t.strip_suffix('>'))
        .unwrap_or(ty);
    match surface.types.get(inner) {
        // An alias of an untyped value accepts anything: nothing to check.
        Some(decl) if matches!(&decl.kind, TypeKind::Alias(a) if a.contains("Value")) => {
            Err(format!("`{ty}` is untyped JSON"))
        }
        // An enum over several documented bodies is chosen by status, not
        // read from JSON: its variants' types are checked by their schemas.
        Some(decl)
            if !matches!(decl.kind, TypeKind::Alias(_))
                && !decl.derives.iter().any(|d| d.ends_with("Deserialize")) =>
        {
            Err(format!(
                "`{ty}` is not read from JSON (an enum over several documented bodies)"
            ))
        }
        Some(_) => Ok(ty.to_owned()),
        None if ty == "()" => Err("the operation documents no body here".to_owned()),
        None => Err(format!("`{ty}` is not a generated schema type")),
    }
}

/// One example that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// Where the example is in the spec.
    pub at: String,
    /// The type it was checked against.
    pub ty: String,
    /// What went wrong (with the JSON path inside the example).
    pub reason: String,
    /// Which rule of its own spec the example breaks, as a JSON Schema
    /// validator of the spec's schema finds it; `None`: the spec allows the
    /// example, so the generated type is what is wrong.
    pub contradiction: Option<String>,
}

/// The outcome of checking one spec.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The spec, as named in messages.
    pub spec: String,
    /// Examples checked.
    pub checked: usize,
    /// Examples that passed.
    pub passed: usize,
    /// Examples that failed.
    pub failures: Vec<Failure>,
    /// Examples with no type to check them against.
    pub unchecked: Vec<Unchecked>,
    /// Generated instances checked ([`instances`]): each must deserialize
    /// and serialize back unchanged.
    pub instances_checked: usize,
    /// Those that did.
    pub instances_passed: usize,
    /// Those that did not.
    pub instance_failures: Vec<Failure>,
}

impl Report {
    /// Share of checked examples that pass, in percent.
    pub fn percent(&self) -> f64 {
        if self.checked == 0 {
            100.0
        } else {
            self.passed as f64 * 100.0 / self.checked as f64
        }
    }

    /// Failures whose example agrees with its spec: the generated types'
    /// fault, each one a bug.
    pub fn type_failures(&self) -> impl Iterator<Item = &Failure> {
        self.failures.iter().filter(|f| f.contradiction.is_none())
    }

    /// Examples that agree with their spec (passed, or failed with no
    /// contradiction found).
    pub fn valid_examples(&self) -> usize {
        self.passed + self.type_failures().count()
    }
}

/// The report as reviewers read it (and as the tests pin it).
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Conformance of {}: {} of {} examples pass ({:.1}%)",
        report.spec,
        report.passed,
        report.checked,
        report.percent()
    );
    let _ = writeln!(
        out,
        "# Of the {} examples that agree with their spec, {} pass.",
        report.valid_examples(),
        report.passed
    );
    if report.instances_checked > 0 {
        let _ = writeln!(
            out,
            "# Instances generated from the schemas: {} of {} round-trip unchanged ({:.1}%)",
            report.instances_passed,
            report.instances_checked,
            report.instances_passed as f64 * 100.0 / report.instances_checked as f64
        );
    }
    let types: Vec<&Failure> = report.type_failures().collect();
    let _ = writeln!(
        out,
        "\n## Failures of the generated types ({}): the spec allows the example\n",
        types.len()
    );
    for f in types {
        let _ = writeln!(out, "{}\n    as {}: {}", f.at, f.ty, f.reason);
    }
    let contradictions: Vec<&Failure> = report
        .failures
        .iter()
        .filter(|f| f.contradiction.is_some())
        .collect();
    let _ = writeln!(
        out,
        "\n## Examples that contradict their own spec ({})\n",
        contradictions.len()
    );
    for f in contradictions {
        let _ = writeln!(
            out,
            "{}\n    as {}: {}\n    spec: {}",
            f.at,
            f.ty,
            f.reason,
            f.contradiction.as_deref().unwrap_or_default()
        );
    }
    if report.instances_checked > 0 {
        let _ = writeln!(
            out,
            "\n## Generated instances that do not round-trip ({})\n",
            report.instance_failures.len()
        );
        for f in &report.instance_failures {
            let _ = writeln!(out, "{}\n    as {}: {}", f.at, f.ty, f.reason);
        }
    }
    let unchecked: Vec<&Unchecked> = report
        .unchecked
        .iter()
        .filter(|u| !u.at.contains(GENERATED))
        .collect();
    let _ = writeln!(out, "\n## Not checked ({})\n", unchecked.len());
    for u in unchecked {
        let _ = writeln!(out, "{}: {}", u.at, u.reason);
    }
    out
}

/// Where [`run`] works and builds.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// A directory for the generated client and the checking program.
    pub dir: PathBuf,
    /// Cargo's target directory (share one across runs: the dependencies
    /// are built once).
    pub target_dir: PathBuf,
    /// `Cargo.lock` to start from, so every build uses the same versions.
    pub lockfile: Option<PathBuf>,
}

/// Generate a standalone client for `spec` (with `config`, if any) into
/// `ws.dir/client`, build the checking program against it, run it, and
/// report.
/// `overlays` are applied after those `[spec] overlays` of the config lists
/// (as `cargo xtask generate --overlay` does).
pub fn run(
    spec: &Path,
    config: Option<&Path>,
    overlays: &[PathBuf],
    ws: &Workspace,
) -> Result<Report, Error> {
    let job = Job {
        spec: spec.to_owned(),
        config: config.map(Path::to_owned),
        overlays: overlays.to_vec(),
    };
    let prepared = prepare(&job, &ws.dir, "conformance-client", true)?;
    if let Some(lock) = &ws.lockfile {
        for dir in [ws.dir.join("client"), prepared.runner_dir.clone()] {
            std::fs::copy(lock, dir.join("Cargo.lock")).map_err(|e| Error::io(lock, e))?;
        }
    }
    let output = crate::pipeline::cargo_for_generated(&ws.target_dir)
        .args(["run", "--quiet", "--manifest-path"])
        .arg(prepared.runner_dir.join("Cargo.toml"))
        .arg("--")
        .arg(&prepared.cases_path)
        .output()
        .map_err(cannot_run_cargo)?;
    if !output.status.success() {
        return Err(build_error(&prepared.display, &output.stderr));
    }
    prepared.report(&String::from_utf8_lossy(&output.stdout))
}

/// One spec to check with [`run_many`]: what [`run`] takes.
#[derive(Debug, Clone)]
pub struct Job {
    /// The spec.
    pub spec: PathBuf,
    /// Its `codegen.toml`, if any.
    pub config: Option<PathBuf>,
    /// Overlays applied after the config's.
    pub overlays: Vec<PathBuf>,
}

/// [`run`] for many specs at once: each client and checking program is
/// written under `ws.dir/<index>-<spec stem>/`, all of them are members of one
/// Cargo workspace at `ws.dir` built by one `cargo build`, so both cores
/// work (rustc checks one large crate on one core) and the dependencies are
/// resolved once. The reports come back in the order of `jobs`; a spec that
/// does not generate or build is an `Err` naming it, and the others are
/// still checked.
pub fn run_many(jobs: &[Job], ws: &Workspace) -> Vec<Result<Report, Error>> {
    let prepared = prepare_all(jobs, ws);
    let members: Vec<String> = prepared
        .iter()
        .flatten()
        .map(|p| {
            format!(
                "{:?}",
                p.runner_dir.strip_prefix(&ws.dir).unwrap_or(&p.runner_dir)
            )
        })
        .collect();
    // A failure of the whole batch is every job's.
    let all_fail = |e: Error| -> Vec<Result<Report, Error>> {
        let message = e.to_string();
        jobs.iter()
            .map(|_| Err(Error::Build(message.clone())))
            .collect()
    };
    if let Err(e) = write_batch_workspace(ws, &members) {
        return all_fail(e);
    }
    let build = |args: &[&str]| {
        crate::pipeline::cargo_for_generated(&ws.target_dir)
            .args(["build", "--quiet", "--message-format=short", "--bins"])
            .args(args)
            .arg("--manifest-path")
            .arg(ws.dir.join("Cargo.toml"))
            .output()
    };
    let all_built = match build(&["--workspace", "--keep-going"]) {
        Ok(output) => output.status.success(),
        Err(e) => return all_fail(cannot_run_cargo(e)),
    };
    prepared
        .into_iter()
        .map(|p| {
            let p = p?;
            if !all_built {
                // Which program failed: each one on its own (only taken
                // when the whole build failed; the rest is already built).
                let output = build(&["--package", &p.program]).map_err(cannot_run_cargo)?;
                if !output.status.success() {
                    return Err(build_error(&p.display, &output.stderr));
                }
            }
            let binary = ws.target_dir.join("debug").join(format!(
                "{}{}",
                p.program,
                std::env::consts::EXE_SUFFIX
            ));
            let output = std::process::Command::new(&binary)
                .arg(&p.cases_path)
                .output()
                .map_err(|e| Error::io(&binary, e))?;
            if !output.status.success() {
                return Err(Error::Build(format!(
                    "the conformance program of {} failed: {}",
                    p.display,
                    String::from_utf8_lossy(&output.stderr)
                )));
            }
            p.report(&String::from_utf8_lossy(&output.stdout))
        })
        .collect()
}

/// [`prepare`] for each of `jobs`, in their order: on every core, each
/// thread taking the next job (generating a client and its cases is work
/// of its own per spec). Job `i` is prepared in `ws.dir/<i>-<spec stem>`:
/// the index makes the directory, and the program and client names made
/// from it, unique even for two specs of one file name.
fn prepare_all(jobs: &[Job], ws: &Workspace) -> Vec<Result<Prepared, Error>> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut out = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(job) = jobs.get(i) else { break out };
            let stem = job
                .spec
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let dir = ws.dir.join(format!("{i:02}-{stem}"));
            let client = format!("{}-client", runner_name(&dir));
            out.push((i, prepare(job, &dir, &client, false)));
        }
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut done: Vec<(usize, Result<Prepared, Error>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.min(jobs.len()))
            .map(|_| scope.spawn(work))
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, p)| p).collect()
}

/// The manifest of [`run_many`]'s workspace (and its lockfile).
fn write_batch_workspace(ws: &Workspace, members: &[String]) -> Result<(), Error> {
    let manifest = format!(
        "# @generated by codegen::conformance\n[workspace]\nresolver = \"3\"\nmembers = [{}]\n\n{RUNNER_PROFILE}",
        members.join(", ")
    );
    crate::write::ensure_files(
        &ws.dir,
        &[(PathBuf::from("Cargo.toml"), manifest)],
        Mode::Write,
    )?;
    if let Some(lock) = &ws.lockfile {
        std::fs::copy(lock, ws.dir.join("Cargo.lock")).map_err(|e| Error::io(lock, e))?;
    }
    Ok(())
}

/// The build profile of the checking programs: no debug info (the
/// generated crates are large and only their answers are read).
const RUNNER_PROFILE: &str = "[profile.dev]\ndebug = false\n";

/// A client generated and its checking program written, not yet built.
struct Prepared {
    /// The spec, as reports name it.
    display: String,
    examples: Vec<Example>,
    judge: Judge,
    plan: Plan,
    /// How many of `plan.cases` are generated instances (the last ones).
    instances_checked: usize,
    runner_dir: PathBuf,
    cases_path: PathBuf,
    /// The checking program's package (and binary) name.
    program: String,
}

/// Generate the client of `job` into `dir/client` as crate `client_crate`
/// and write its checking program into `dir/runner` (a workspace of its own
/// when `standalone`, else a member of [`run_many`]'s) with its cases.
fn prepare(job: &Job, dir: &Path, client_crate: &str, standalone: bool) -> Result<Prepared, Error> {
    let client_dir = dir.join("client");
    let target = target(
        &job.spec,
        job.config.as_deref(),
        &job.overlays,
        &client_dir,
        client_crate,
    )?;
    let rendered = pipeline::render(&target)?;
    let doc = pipeline::load(&target)?;
    let examples = examples::collect(&doc.value);
    let mut plan = plan(&doc.value, &examples, &rendered.surface);
    let judge = Judge::new(&doc.value);
    // Payloads made from the schemas: every one must come back unchanged.
    let instances = instances::generate(&doc.value, &judge, INSTANCE_SEED);
    let mut generated = self::plan(&doc.value, &instances, &rendered.surface);
    for case in &mut generated.cases {
        case.round_trip = true;
    }
    let instances_checked = generated.cases.len();
    plan.cases.append(&mut generated.cases);
    crate::write::ensure_files(&client_dir, &rendered.files, Mode::Write)?;

    let runner_dir = dir.join("runner");
    let program = runner_name(dir);
    let mut files = runner_crate(&program, client_crate, "../client", &plan.cases);
    // Every operation is callable and its error converts into the
    // runtime's `ApiError` with `?`: type-checked when the program builds.
    files[1].1.push_str(&errors_example(
        &client_crate.replace('-', "_"),
        rendered.surface.operations.keys(),
    ));
    if standalone {
        files[0]
            .1
            .push_str(&format!("\n{RUNNER_PROFILE}\n[workspace]\n"));
    }
    crate::write::ensure_files(&runner_dir, &files, Mode::Write)?;
    let cases_path = runner_dir.join("cases.json");
    let cases: Vec<(&str, &str, bool, &Value)> = plan
        .cases
        .iter()
        .map(|c| (c.at.as_str(), c.ty.as_str(), c.round_trip, &c.value))
        .collect();
    let json = serde_json::to_string(&cases).map_err(|e| Error::Build(e.to_string()))?;
    std::fs::write(&cases_path, json).map_err(|e| Error::io(&cases_path, e))?;
    Ok(Prepared {
        display: target.spec_display,
        examples,
        judge,
        plan,
        instances_checked,
        runner_dir,
        cases_path,
        program,
    })
}

/// The error of a cargo that could not be started.
fn cannot_run_cargo(e: std::io::Error) -> Error {
    Error::Build(format!("cannot run cargo: {e}"))
}

/// The error of a client (or checking program) that does not build.
fn build_error(spec_display: &str, stderr: &[u8]) -> Error {
    let stderr = String::from_utf8_lossy(stderr);
    let first_error = stderr
        .lines()
        .find(|l| l.starts_with("error"))
        .unwrap_or("(no error line)");
    let shown: Vec<&str> = stderr.lines().take(60).collect();
    Error::Build(format!(
        "the client generated from {spec_display} (or its checking program) does not build: {first_error}\n{}",
        shown.join("\n")
    ))
}

impl Prepared {
    /// The report, from what the checking program printed.
    fn report(self, stdout: &str) -> Result<Report, Error> {
        let Prepared {
            display,
            examples,
            judge,
            plan,
            instances_checked,
            ..
        } = self;
        let mut report = Report {
            spec: display,
            checked: plan.cases.len() - instances_checked,
            unchecked: plan.unchecked,
            instances_checked,
            ..Report::default()
        };
        for line in stdout.lines() {
            let (at, ty, error): (String, String, Option<String>) = serde_json::from_str(line)
                .map_err(|e| {
                    Error::Build(format!(
                        "unexpected output of the conformance program: {e}: {line}"
                    ))
                })?;
            if at.contains(GENERATED) {
                match error {
                    None => report.instances_passed += 1,
                    Some(reason) => report.instance_failures.push(Failure {
                        at,
                        ty,
                        reason,
                        contradiction: None,
                    }),
                }
                continue;
            }
            match error {
                None => report.passed += 1,
                Some(reason) => {
                    let verdict = examples
                        .iter()
                        .find(|e| e.at == at)
                        .map(|e| judge.verdict(e))
                        .unwrap_or(Verdict::Agrees);
                    let (reason, contradiction) = match verdict {
                        Verdict::Contradicts(rule) => (reason, Some(rule)),
                        Verdict::Agrees => (reason, None),
                        // Counted against the types: nothing shows the example is wrong.
                        Verdict::Unknown(why) => (
                            format!("{reason} (the spec could not judge it: {why})"),
                            None,
                        ),
                    };
                    report.failures.push(Failure {
                        at,
                        ty,
                        reason,
                        contradiction,
                    })
                }
            }
        }
        let answered = report.passed
            + report.failures.len()
            + report.instances_passed
            + report.instance_failures.len();
        if answered != report.checked + report.instances_checked {
            return Err(Error::Build(format!(
                "the conformance program answered for {answered} of {} cases",
                report.checked + report.instances_checked
            )));
        }
        Ok(report)
    }
}

/// The generation target of the client checked for `spec`.
fn target(
    spec: &Path,
    config: Option<&Path>,
    overlays: &[PathBuf],
    client_dir: &Path,
    client_crate: &str,
) -> Result<Target, Error> {
    let mut target = Target::standalone(spec, client_dir, client_crate)?;
    if let Some(config) = config {
        target = target.with_config(config);
    }
    for overlay in overlays {
        target = target.with_overlay(overlay);
    }
    Ok(target)
}

/// The overlay that makes `spec` (with `config`'s and the given overlays
/// applied) agree with its own documented examples, as YAML for the user to
/// review, and the fixes it holds ([`Fixes`]). Nothing is generated or
/// built: the spec's own schemas judge the examples.
pub fn examples_overlay(
    spec: &Path,
    config: Option<&Path>,
    overlays: &[PathBuf],
) -> Result<(String, Fixes), Error> {
    let target = target(spec, config, overlays, Path::new("."), "conformance-client")?;
    let doc = pipeline::load(&target)?;
    if !doc.moved.is_empty() {
        return Err(Error::Spec(vec![
            crate::Diagnostic::new(
                &doc.display_path,
                "an overlay is written against the document as the file has it, and this Swagger 2.0 file is checked as its OpenAPI 3 conversion",
            )
            .hint("vendor the spec as OpenAPI 3 (swagger2openapi converts it), then write the overlay"),
        ]));
    }
    let judge = Judge::new(&doc.value);
    let fixes = Fixes::find(&judge, &examples::collect(&doc.value));
    // The file's name only: the same overlay wherever the spec is read from.
    let name = doc
        .display_path
        .rsplit('/')
        .next()
        .unwrap_or(&doc.display_path);
    let yaml = format!(
        "# Written by `cargo xtask conformance --write-overlay`: the changes to\n\
         # {name} that its own documented examples need. Review it, keep it\n\
         # beside the spec and list it in codegen.toml ([spec] overlays);\n\
         # nothing applies it until you do.\n{}",
        crate::load::to_yaml(&fixes.overlay(&doc.value, name)),
    );
    Ok((yaml, fixes))
}

/// Decides whether an example agrees with its own spec, with a JSON Schema
/// validator (the `jsonschema` crate) of the subject's schema: OpenAPI 3.1
/// schemas are JSON Schema 2020-12; 3.0 schemas are read as draft 4 with
/// `nullable: true` made `anyOf [schema, null]` (in either version, since
/// 3.1 documents use it too).
pub struct Judge {
    components: Value,
    root: Value,
    draft: jsonschema::Draft,
}

impl Judge {
    /// A judge for the document `root`.
    pub fn new(root: &Value) -> Self {
        let is_31 = root
            .get("openapi")
            .and_then(Value::as_str)
            .is_some_and(|v| v.starts_with("3.1"));
        let draft = if is_31 {
            jsonschema::Draft::Draft202012
        } else {
            jsonschema::Draft::Draft4
        };
        let mut components = root.get("components").cloned().unwrap_or(Value::Null);
        as_json_schema(&mut components, draft);
        Judge {
            components,
            root: root.clone(),
            draft,
        }
    }

    /// The schema an example is an example of.
    fn subject_schema(&self, example: &Example) -> Option<Value> {
        let root = &self.root;
        let json_schema = |holder: &Value| -> Option<Value> {
            let holder = crate::walk::deref(root, holder);
            holder
                .get("content")?
                .as_object()?
                .iter()
                .find(|(media, _)| examples::is_json_media(media))
                .and_then(|(_, m)| m.get("schema").cloned())
        };
        let operation = |method: &str, path: &str| root.get("paths")?.get(path)?.get(method);
        match &example.subject {
            Subject::Request { method, path } => {
                json_schema(operation(method, path)?.get("requestBody")?)
            }
            Subject::Response {
                method,
                path,
                status: Some(status),
            } => json_schema(operation(method, path)?.get("responses")?.get(status)?),
            Subject::Response {
                method,
                path,
                status: None,
            } => operation(method, path)?
                .get("responses")?
                .as_object()?
                .iter()
                .filter(|(status, _)| status.starts_with('2'))
                .find_map(|(_, r)| json_schema(r)),
            Subject::Schema { name } => {
                let pointer = format!("#/components/schemas/{}", crate::walk::escape_token(name));
                Some(serde_json::json!({ "$ref": pointer }))
            }
        }
    }

    /// Which rule of the spec `example` breaks; `None` when it agrees with
    /// its schema (or no schema could be built to tell).
    pub fn verdict(&self, example: &Example) -> Verdict {
        let validator = match self.validator(example) {
            Ok(v) => v,
            Err(why) => return Verdict::Unknown(why),
        };
        match validator.iter_errors(&example.value).next() {
            None => Verdict::Agrees,
            Some(error) => Verdict::Contradicts(located(&error)),
        }
    }
}

impl Judge {
    /// A validator of the schema `example` is an example of: the subject's
    /// schema as `allOf/0` beside the spec's `components` (read as JSON
    /// Schema); `Err` says why there is none.
    fn validator(&self, example: &Example) -> Result<jsonschema::Validator, String> {
        let Some(schema) = self.subject_schema(example) else {
            return Err("no JSON schema documented for it".to_owned());
        };
        self.validator_of(schema)
    }

    /// A validator of `schema` (OpenAPI's form), beside the spec's
    /// `components`.
    fn validator_of(&self, mut schema: Value) -> Result<jsonschema::Validator, String> {
        as_json_schema(&mut schema, self.draft);
        let mut wrapped = serde_json::Map::new();
        wrapped.insert("allOf".into(), Value::Array(vec![schema]));
        wrapped.insert("components".into(), self.components.clone());
        jsonschema::options()
            .with_draft(self.draft)
            .build(&Value::Object(wrapped))
            .map_err(|e| format!("the schema does not compile as JSON Schema: {e}"))
    }
}

impl Judge {
    /// When the schema of the parameter `name` in `location` (`query`,
    /// `header`, `path`, `cookie`) of the operation at `method path` lists
    /// values (`enum`) and rejects every one of them: the rule that rejects
    /// the first. Then the schema admits no value the `enum` offers (e.g.
    /// `type: string, enum: [10, 20]`: JSON Schema applies both keywords),
    /// so no request can pass a validator that holds it to the spec; the
    /// generator reads such values as its `type` says (`normalize`'s
    /// `enum-types`, reported), and an overlay is the fix.
    pub fn parameter_admits_no_listed_value(
        &self,
        method: &str,
        path: &str,
        location: &str,
        name: &str,
    ) -> Option<String> {
        let schema = self.parameter_schema(method, path, location, name)?;
        let listed = crate::walk::deref(&self.root, schema)
            .get("enum")?
            .as_array()?;
        let validator = self.validator_of(schema.clone()).ok()?;
        let mut rules = listed
            .iter()
            .map(|value| validator.iter_errors(value).next().map(|e| e.to_string()));
        let first = rules.next()??;
        rules.all(|r| r.is_some()).then_some(first)
    }

    /// The rule the schema of the parameter `name` in `location` of the
    /// operation at `method path` breaks with `value`, if it does.
    pub fn parameter_value_contradiction(
        &self,
        method: &str,
        path: &str,
        location: &str,
        name: &str,
        value: &Value,
    ) -> Option<String> {
        let schema = self.parameter_schema(method, path, location, name)?;
        let validator = self.validator_of(schema.clone()).ok()?;
        let error = validator.iter_errors(value).next()?;
        Some(error.to_string())
    }

    /// The rule the request body schema of the operation at `method path`
    /// breaks with `value`, if it does: its JSON media type's schema, else
    /// a form's (`x-www-form-urlencoded`, `multipart/form-data`: its
    /// properties are the parts, so the value is an instance of it too).
    pub fn body_contradiction(&self, method: &str, path: &str, value: &Value) -> Option<String> {
        let root = &self.root;
        let body = root
            .get("paths")?
            .get(path)?
            .get(method)?
            .get("requestBody")?;
        let content = crate::walk::deref(root, body).get("content")?.as_object()?;
        let schema = content
            .iter()
            .find(|(media, _)| examples::is_json_media(media))
            .or_else(|| {
                content
                    .iter()
                    .find(|(media, _)| examples::is_form_media(media))
            })
            .and_then(|(_, m)| m.get("schema"))?;
        let validator = self.validator_of(schema.clone()).ok()?;
        let error = validator.iter_errors(value).next()?;
        Some(located(&error))
    }

    /// The schema of a parameter (the operation's, else its path item's;
    /// header names compared as HTTP does, without case).
    fn parameter_schema(
        &self,
        method: &str,
        path: &str,
        location: &str,
        name: &str,
    ) -> Option<&Value> {
        let root = &self.root;
        let item = root.get("paths")?.get(path)?;
        let op = item.get(method)?;
        [op, item]
            .into_iter()
            .filter_map(|holder| holder.get("parameters")?.as_array())
            .flatten()
            .map(|p| crate::walk::deref(root, p))
            .find(|p| {
                p["in"] == location
                    && p["name"].as_str().is_some_and(|n| {
                        n == name || (location == "header" && n.eq_ignore_ascii_case(name))
                    })
            })
            .and_then(crate::walk::parameter_schema)
    }
}

/// A validation error as a rule broken at a place: "at `/a/0`: ..." (`/`
/// for the value itself).
fn located(error: &jsonschema::ValidationError<'_>) -> String {
    let path = error.instance_path().to_string();
    let path = if path.is_empty() {
        "/".to_owned()
    } else {
        path
    };
    format!("at `{path}`: {error}")
}

/// Whether an example agrees with its own spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The spec's schema takes it.
    Agrees,
    /// The spec's schema rejects it: which rule, where.
    Contradicts(String),
    /// No verdict (no schema, or one a validator cannot compile), and why.
    Unknown(String),
}

/// An OpenAPI schema as the JSON Schema draft `draft` reads it: `nullable`
/// becomes a `null` alternative, and exclusive bounds take the draft's
/// form (OpenAPI 3.1 documents still carry 3.0's boolean ones, and 3.0
/// documents 3.1's numeric ones).
fn as_json_schema(v: &mut Value, draft: jsonschema::Draft) {
    nullable_as_null(v);
    exclusive_bounds(v, draft == jsonschema::Draft::Draft4);
}

fn exclusive_bounds(v: &mut Value, boolean_form: bool) {
    match v {
        Value::Object(map) => {
            for (exclusive, bound) in [
                ("exclusiveMinimum", "minimum"),
                ("exclusiveMaximum", "maximum"),
            ] {
                match (map.get(exclusive).cloned(), boolean_form) {
                    (Some(Value::Bool(flag)), false) => {
                        map.shift_remove(exclusive);
                        if flag && let Some(b) = map.shift_remove(bound) {
                            map.insert(exclusive.into(), b);
                        }
                    }
                    (Some(n @ Value::Number(_)), true) => {
                        map.insert(bound.into(), n);
                        map.insert(exclusive.into(), Value::Bool(true));
                    }
                    _ => {}
                }
            }
            map.values_mut()
                .for_each(|c| exclusive_bounds(c, boolean_form));
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|c| exclusive_bounds(c, boolean_form)),
        _ => {}
    }
}

impl Judge {
    /// Which rule of the spec `example` breaks; `None` when it agrees with
    /// its schema or no verdict could be reached.
    pub fn contradiction(&self, example: &Example) -> Option<String> {
        match self.verdict(example) {
            Verdict::Contradicts(rule) => Some(rule),
            Verdict::Agrees | Verdict::Unknown(_) => None,
        }
    }
}

/// OpenAPI's `nullable: true` in JSON Schema terms: `anyOf [schema, null]`.
fn nullable_as_null(v: &mut Value) {
    match v {
        Value::Object(map) => {
            // `allOf: [X, {nullable: true}]`: the member is the parent's.
            if let Some(Value::Array(members)) = map.get_mut("allOf") {
                let only_nullable = |m: &Value| {
                    m.as_object().is_some_and(|o| {
                        o.get("nullable") == Some(&Value::Bool(true))
                            && o.keys().all(|k| k == "nullable" || k == "description")
                    })
                };
                if members.len() > 1 && members.iter().any(only_nullable) {
                    members.retain(|m| !only_nullable(m));
                    map.insert("nullable".into(), Value::Bool(true));
                }
            }
            for child in map.values_mut() {
                nullable_as_null(child);
            }
            if map.get("nullable") == Some(&Value::Bool(true)) {
                map.shift_remove("nullable");
                let inner = Value::Object(std::mem::take(map));
                map.insert(
                    "anyOf".into(),
                    serde_json::json!([inner, { "type": "null" }]),
                );
            }
        }
        Value::Array(items) => items.iter_mut().for_each(nullable_as_null),
        _ => {}
    }
}

/// `conformance-<work dir name>`, as a package name (`[a-z0-9-]`).
fn runner_name(dir: &Path) -> String {
    format!("conformance-{}", crate::naming::package_stem(dir))
}

/// The checking program `name`: a crate depending on the generated client
/// at `client_path` (relative to the program's directory), with one
/// monomorphic check per type the cases use. Programs share one target
/// directory, where a binary is named after its package: each spec's
/// program needs its own `name`, or two runs would run each other's.
pub fn runner_crate(
    name: &str,
    client_crate: &str,
    client_path: &str,
    cases: &[Case],
) -> Vec<(PathBuf, String)> {
    let lib = client_crate.replace('-', "_");
    let manifest = format!(
        "# @generated by codegen::conformance\n[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n{client_crate} = {{ path = \"{client_path}\" }}\nserde = \"1.0\"\nserde_json = {{ version = \"1.0\", features = [\"preserve_order\"] }}\nserde_path_to_error = \"0.1\"\n"
    );
    let types: BTreeSet<&str> = cases.iter().map(|c| c.ty.as_str()).collect();
    let mut arms = String::new();
    for ty in types {
        let rust = match ty.strip_prefix("Vec<").and_then(|t| t.strip_suffix('>')) {
            Some(inner) => format!("Vec<{lib}::types::{inner}>"),
            None => format!("{lib}::types::{ty}"),
        };
        let _ = writeln!(
            arms,
            "        {ty:?} => check::<{rust}>(value, round_trip),"
        );
    }
    let main = format!("{RUNNER_HEAD}{arms}{RUNNER_TAIL}");
    vec![
        (PathBuf::from("Cargo.toml"), manifest),
        (PathBuf::from("src/main.rs"), main),
    ]
}

/// Rust code that calls every operation (`client.<op>().send().await?`)
/// of the crate `lib` in a function returning the runtime's `ApiError`:
/// never run (a builder without its required parameters still
/// type-checks), it makes the compiler check that every operation is
/// callable and that its error converts with `?`.
pub fn errors_example<'a>(lib: &str, operations: impl IntoIterator<Item = &'a String>) -> String {
    let calls: String = operations
        .into_iter()
        .map(|op| format!("    client.{op}().send().await?;\n"))
        .collect();
    format!(
        "\n#[allow(dead_code, unreachable_code, unused_variables)]\n\
         async fn every_operation(client: &{lib}::Client) -> Result<(), {lib}::ApiError> {{\n\
         {calls}    Ok(())\n}}\n"
    )
}

const RUNNER_HEAD: &str = r#"// @generated by codegen::conformance: checks documented examples against
// the generated types. Reads `[[at, type, round_trip, value], ..]`, prints
// one JSON line `[at, type, error-or-null]` per example.
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Debug builds of deep types (Stripe's expandable objects nest untagged
/// unions many levels down) need more stack than a main thread has: the
/// checks run on a thread with a large one (only what is used is mapped).
const STACK: usize = 1 << 30;

fn main() {
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(run)
        .expect("start the checking thread")
        .join()
        .expect("the checking thread");
}

fn run() {
    let path = std::env::args().nth(1).expect("usage: conformance-runner CASES.json");
    let text = std::fs::read_to_string(path).expect("read cases");
    let cases: Vec<(String, String, bool, Value)> = serde_json::from_str(&text).expect("parse cases");
    for (at, ty, round_trip, value) in cases {
        let result = dispatch(&ty, &value, round_trip);
        let line = serde_json::to_string(&(at, ty, result.err())).expect("write result");
        println!("{line}");
    }
}

/// Deserialize as a client does (from the text), and for a request body
/// serialize back and compare.
fn check<T: DeserializeOwned + Serialize>(value: &Value, round_trip: bool) -> Result<(), String> {
    let text = value.to_string();
    let de = &mut serde_json::Deserializer::from_str(&text);
    let parsed: T = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        let at = if path == "." { String::new() } else { format!("at `{path}`: ") };
        format!("{at}{inner}")
    })?;
    if round_trip {
        let back = serde_json::to_value(&parsed).map_err(|e| format!("cannot serialize: {e}"))?;
        if let Some(difference) = first_difference(value, &back, "") {
            return Err(format!("does not serialize back unchanged: {difference}"));
        }
    }
    Ok(())
}

fn first_difference(sent: &Value, back: &Value, path: &str) -> Option<String> {
    match (sent, back) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a {
                let p = format!("{path}.{k}");
                match b.get(k) {
                    None => return Some(format!("`{p}` was dropped")),
                    Some(w) => {
                        if let Some(d) = first_difference(v, w, &p) {
                            return Some(d);
                        }
                    }
                }
            }
            b.iter()
                .find(|(k, _)| !a.contains_key(*k))
                .map(|(k, v)| format!("`{path}.{k}` was added ({v})"))
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (v, w))| first_difference(v, w, &format!("{path}[{i}]"))),
        _ if sent == back => None,
        _ => Some(format!(
            "`{}` was {sent}, came back as {back}",
            if path.is_empty() { "." } else { path }
        )),
    }
}

fn dispatch(ty: &str, value: &Value, round_trip: bool) -> Result<(), String> {
    match ty {
"#;

const RUNNER_TAIL: &str = r#"        other => Err(format!("no check for type {other}")),
    }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surface::{Operation, Param, TypeDecl};
    use serde_json::json;

    fn surface() -> Surface {
        let mut s = Surface::default();
        s.operations.insert(
            "make".into(),
            Operation {
                http_method: "POST".into(),
                path: "/a".into(),
                params: vec![Param {
                    name: "body".into(),
                    ty: "MakeRequest".into(),
                    required: true,
                }],
                success: "Made".into(),
                error: "ErrorResponse".into(),
                stream: None,
                features: Vec::new(),
            },
        );
        for name in ["MakeRequest", "Made", "ErrorResponse", "ChatModel"] {
            s.types.insert(
                name.into(),
                TypeDecl {
                    derives: vec!["Deserialize".into(), "Serialize".into()],
                    non_exhaustive: true,
                    kind: TypeKind::Newtype(vec![]),
                },
            );
        }
        s
    }

    #[test]
    fn matches_examples_with_types() {
        let ex = |at: &str, subject: Subject| Example {
            at: at.into(),
            operation_id: None,
            subject,
            value: json!({}),
        };
        let request = Subject::Request {
            method: "post".into(),
            path: "/a".into(),
        };
        let response = |status: Option<&str>| Subject::Response {
            method: "post".into(),
            path: "/a".into(),
            status: status.map(Into::into),
        };
        let p = plan(
            &Value::Null,
            &[
                ex("r", request),
                ex("ok", response(None)),
                ex("bad", response(Some("400"))),
                ex(
                    "s",
                    Subject::Schema {
                        name: "chat_model".into(),
                    },
                ),
                ex(
                    "gone",
                    Subject::Schema {
                        name: "Missing".into(),
                    },
                ),
                ex(
                    "other",
                    Subject::Request {
                        method: "get".into(),
                        path: "/a".into(),
                    },
                ),
            ],
            &surface(),
        );
        let cases: Vec<(&str, &str, bool)> = p
            .cases
            .iter()
            .map(|c| (c.at.as_str(), c.ty.as_str(), c.round_trip))
            .collect();
        assert_eq!(
            cases,
            [
                ("r", "MakeRequest", true),
                ("ok", "Made", false),
                ("bad", "ErrorResponse", false),
                ("s", "ChatModel", false),
            ]
        );
        assert_eq!(p.unchecked.len(), 2);
        assert!(
            p.unchecked[1].reason.contains("GET /a"),
            "{:?}",
            p.unchecked
        );
    }

    #[test]
    fn a_status_with_its_own_component_is_checked_against_it() {
        let root = json!({"paths": {"/a": {"post": {"responses": {
            "404": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Made"}}}},
            "500": {"content": {"application/json": {"schema": {"type": "object"}}}}
        }}}}});
        let ex = |status: &str| Example {
            at: status.into(),
            operation_id: None,
            subject: Subject::Response {
                method: "post".into(),
                path: "/a".into(),
                status: Some(status.into()),
            },
            value: json!({}),
        };
        let p = plan(&root, &[ex("404"), ex("500")], &surface());
        let types: Vec<&str> = p.cases.iter().map(|c| c.ty.as_str()).collect();
        // 404 names its own schema; 500's inline one falls back to the error type.
        assert_eq!(types, ["Made", "ErrorResponse"]);
    }

    #[test]
    fn the_runner_names_each_type_once() {
        let case = |ty: &str| Case {
            at: String::new(),
            ty: ty.into(),
            round_trip: false,
            value: Value::Null,
        };
        let files = runner_crate(
            "conformance-my-api",
            "my-api",
            "../client",
            &[case("A"), case("Vec<A>"), case("A")],
        );
        let main = &files[1].1;
        assert_eq!(main.matches("check::<my_api::types::A>").count(), 1);
        assert_eq!(main.matches("check::<Vec<my_api::types::A>>").count(), 1);
        assert!(files[0].1.contains("my-api = { path = \"../client\" }"));
        assert!(files[0].1.contains("name = \"conformance-my-api\""));
        assert_eq!(
            runner_name(Path::new("/x/openai-openapi-f85dbe2-3.1.0")),
            "conformance-openai-openapi-f85dbe2-3-1-0"
        );
    }
}
