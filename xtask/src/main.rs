//! `cargo xtask`: the command-line layer over the `codegen` library.
//!
//! It parses arguments, calls [`codegen::pipeline::run`] and prints the
//! result. All behaviour lives in `codegen`, where the tests use it too.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod bench;

// Generation builds and frees millions of small token and tree nodes; the
// system allocator spent about a fifth of `generate`'s time on them
// (BENCHMARKS.md, section 6).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use codegen::pipeline::{self, Baseline, Target};
use codegen::write::Status;
use codegen::{Mode, Outcome};

/// Longest diff printed under `--check`; the rest is summarised.
const MAX_DIFF_LINES: usize = 400;

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Workspace automation for the generated OpenAPI client"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the client from the spec (by default spec/api-definition.yaml
    /// -> generated-client/src/generated.rs).
    Generate {
        /// Change nothing: exit 1 with a diff if the checked-in code is stale.
        #[arg(long)]
        check: bool,
        /// Generate a standalone crate from this spec instead (JSON or YAML).
        #[arg(long, requires = "out", value_name = "PATH")]
        spec: Option<PathBuf>,
        /// Directory of the standalone crate to write (with --spec).
        #[arg(long, requires = "spec", value_name = "DIR")]
        out: Option<PathBuf>,
        /// Name of the standalone crate [default: `[client] name` of codegen.toml, else the --out directory's name].
        #[arg(long, requires = "spec", value_name = "CRATE")]
        name: Option<String>,
        /// Settings file [default: codegen.toml beside the spec, if present].
        #[arg(long, value_name = "PATH")]
        config: Option<PathBuf>,
        /// An OpenAPI Overlay (1.0 or 1.1) to apply to the spec before
        /// generating; repeatable, applied in order, after the overlays
        /// `[spec] overlays` of codegen.toml lists.
        #[arg(long, value_name = "PATH")]
        overlay: Vec<PathBuf>,
        /// Print how long each stage of the pipeline took (to stderr).
        #[arg(long)]
        timings: bool,
    },
    /// Run the benchmarks: criterion (`cargo bench`), then whole-process
    /// timings of `cargo xtask generate --check` (and `cargo progenitor` when
    /// installed), and peak memory on the largest spec. See BENCHMARKS.md.
    Bench {
        /// Skip `cargo bench`; only the whole-process measurements.
        #[arg(long)]
        no_criterion: bool,
        /// Runs per whole-process measurement.
        #[arg(long, default_value_t = 11)]
        runs: usize,
        /// Rounds of the consumer builds (each crate once per round, ours
        /// and the anchor's alternating); the median is reported.
        #[arg(long, default_value_t = 1)]
        builds: usize,
    },
    /// Check a spec's documented examples against the client it generates:
    /// response examples must deserialize into their types, request examples
    /// must also serialize back unchanged. Prints pass/total and every
    /// failure; exits 1 when an example fails.
    Conformance {
        /// The spec [default: spec/api-definition.yaml].
        #[arg(long, value_name = "PATH")]
        spec: Option<PathBuf>,
        /// Settings file [default: codegen.toml beside the spec, if present].
        #[arg(long, value_name = "PATH")]
        config: Option<PathBuf>,
        /// Work directory for the client and the checking program
        /// [default: target/conformance/<spec file stem>].
        #[arg(long, value_name = "DIR")]
        work_dir: Option<PathBuf>,
        /// An OpenAPI Overlay to apply to the spec first (repeatable, in
        /// order, after those codegen.toml lists).
        #[arg(long, value_name = "PATH")]
        overlay: Vec<PathBuf>,
        /// Write the overlay that makes the spec agree with its own
        /// documented examples to this file (one action per rule an example
        /// breaks, each naming the examples), then check with it applied.
        #[arg(long, value_name = "PATH")]
        write_overlay: Option<PathBuf>,
    },
    /// Call every operation of a spec on the wire: generate its crate with
    /// its tests (tests/operations.rs), start Prism mocking the same spec
    /// (request validation as errors, dynamic responses), run the tests,
    /// and print one line per operation, then `wire: P/T operations pass`.
    /// Exits 1 when any operation fails.
    Wire {
        /// The spec (JSON or YAML) [default: spec/api-definition.yaml].
        #[arg(long, value_name = "PATH")]
        spec: Option<PathBuf>,
        /// Settings file [default: codegen.toml beside the spec, if present].
        #[arg(long, value_name = "PATH")]
        config: Option<PathBuf>,
        /// An OpenAPI Overlay to apply first (repeatable, in order, after
        /// those codegen.toml lists); Prism mocks the spec with them applied.
        #[arg(long, value_name = "PATH")]
        overlay: Vec<PathBuf>,
        /// Work directory for the crate [default: target/wire/<spec file stem>].
        #[arg(long, value_name = "DIR")]
        work_dir: Option<PathBuf>,
    },
    /// Report how a spec change affects the client's API (breaking or
    /// additive), writing nothing. Without options: the checked-in client vs
    /// what spec/api-definition.yaml generates now.
    Diff {
        /// Compare with the spec as it was at this git revision.
        #[arg(long, value_name = "GIT-REV", conflicts_with = "old_spec")]
        base: Option<String>,
        /// Compare with this older spec file.
        #[arg(long, value_name = "PATH")]
        old_spec: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    codegen::stack::report_overflow_as_error();
    let Cli { command } = Cli::parse();
    match command {
        Command::Generate {
            check,
            spec,
            out,
            name,
            config,
            overlay,
            timings,
        } => {
            if timings {
                codegen::timings::enable();
            }
            let code = codegen::timings::stage("total", || {
                generate(check, spec, out, name, config, overlay)
            });
            if timings {
                print_timings();
            }
            code
        }
        Command::Diff { base, old_spec } => diff(base, old_spec),
        Command::Bench {
            no_criterion,
            runs,
            builds,
        } => bench::run(!no_criterion, runs, builds),
        Command::Conformance {
            spec,
            config,
            work_dir,
            overlay,
            write_overlay,
        } => conformance(spec, config, work_dir, overlay, write_overlay),
        Command::Wire {
            spec,
            config,
            overlay,
            work_dir,
        } => wire(spec, config, overlay, work_dir),
    }
}

fn wire(
    spec: Option<PathBuf>,
    config: Option<PathBuf>,
    overlays: Vec<PathBuf>,
    work_dir: Option<PathBuf>,
) -> ExitCode {
    let root = pipeline::workspace_root();
    let spec = spec.unwrap_or_else(|| root.join(pipeline::WORKSPACE_SPEC));
    let opts = codegen::wire::run::Options::in_workspace(&root, spec, config, overlays, work_dir);
    match codegen::wire::run(&opts) {
        Ok(report) => {
            print!("{}", report.render());
            // A call Prism cannot judge is reported, never passed, but is
            // not the client's failure.
            if report.failed() == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => fail(&e),
    }
}

fn conformance(
    spec: Option<PathBuf>,
    config: Option<PathBuf>,
    work_dir: Option<PathBuf>,
    mut overlays: Vec<PathBuf>,
    write_overlay: Option<PathBuf>,
) -> ExitCode {
    let root = pipeline::workspace_root();
    let spec = spec.unwrap_or_else(|| root.join(pipeline::WORKSPACE_SPEC));
    let stem = spec
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ws = codegen::conformance::Workspace {
        dir: work_dir.unwrap_or_else(|| root.join("target/conformance").join(stem)),
        target_dir: root.join(pipeline::GENERATED_CRATES_TARGET_DIR),
        lockfile: Some(root.join("Cargo.lock")),
    };
    if let Some(out) = write_overlay {
        let (yaml, fixes) =
            match codegen::conformance::examples_overlay(&spec, config.as_deref(), &overlays) {
                Ok(written) => written,
                Err(e) => return fail(&e),
            };
        if let Err(e) = std::fs::write(&out, yaml) {
            eprintln!("error: cannot write {}: {e}", out.display());
            return ExitCode::FAILURE;
        }
        println!(
            "{}: {} actions for {} examples",
            out.display(),
            fixes.fixes.len(),
            fixes
                .fixes
                .values()
                .flatten()
                .collect::<std::collections::BTreeSet<_>>()
                .len()
        );
        if !fixes.unfixed.is_empty() {
            println!("not fixed by an overlay ({}):", fixes.unfixed.len());
            for (at, rule) in &fixes.unfixed {
                println!("  {at}: {rule}");
            }
        }
        overlays.push(out);
    }
    match codegen::conformance::run(&spec, config.as_deref(), &overlays, &ws) {
        Ok(report) => {
            print!("{}", codegen::conformance::render(&report));
            if report.failures.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => fail(&e),
    }
}

fn diff(base: Option<String>, old_spec: Option<PathBuf>) -> ExitCode {
    let root = pipeline::workspace_root();
    let target = Target::workspace(&root);
    // Keeps a spec taken from git alive until the comparison is done.
    let mut _from_git = None;
    let baseline = match (base, old_spec) {
        (_, Some(path)) => Baseline::Spec(path),
        (Some(rev), None) => match spec_at_revision(&root, &rev) {
            Ok(file) => {
                let path = file.path().to_owned();
                _from_git = Some(file);
                Baseline::Spec(path)
            }
            Err(message) => {
                eprintln!("error: {message}");
                return ExitCode::FAILURE;
            }
        },
        (None, None) => Baseline::CheckedIn,
    };
    match pipeline::diff(&target, &baseline) {
        Ok((report, name, version)) => {
            print!("{}", codegen::report::render(&report, &name, &version));
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

/// `git show REV:spec/api-definition.yaml`, into a temporary file.
fn spec_at_revision(root: &std::path::Path, rev: &str) -> Result<tempfile::NamedTempFile, String> {
    let out = std::process::Command::new("git")
        .current_dir(root)
        .args(["show", &format!("{rev}:{}", pipeline::WORKSPACE_SPEC)])
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "git could not read {} at `{rev}`: {}",
            pipeline::WORKSPACE_SPEC,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let mut file = tempfile::Builder::new()
        .suffix(".yaml")
        .tempfile()
        .map_err(|e| format!("cannot create a temporary file: {e}"))?;
    std::io::Write::write_all(&mut file, &out.stdout)
        .map_err(|e| format!("cannot write a temporary file: {e}"))?;
    Ok(file)
}

fn generate(
    check: bool,
    spec: Option<PathBuf>,
    out: Option<PathBuf>,
    name: Option<String>,
    config: Option<PathBuf>,
    overlays: Vec<PathBuf>,
) -> ExitCode {
    let mut target = match (spec, out) {
        (None, None) if config.is_none() && overlays.is_empty() => {
            // Everything checked in: the client and the fixture crates.
            let mode = if check { Mode::Check } else { Mode::Write };
            let mut code = ExitCode::SUCCESS;
            for target in Target::checked_in(&pipeline::workspace_root()) {
                let result = match pipeline::run(&target, mode) {
                    Ok(outcome) => report(&target, &outcome, mode),
                    Err(e) => fail(&e),
                };
                if result != ExitCode::SUCCESS {
                    code = result;
                }
            }
            return code;
        }
        (Some(spec), Some(out)) => {
            // --name, else `[client] name` of codegen.toml, else the directory's name.
            let configured = match &config {
                Some(path) => codegen::config::load_file(path),
                None => codegen::config::load_beside(&spec),
            };
            let configured = match configured {
                Ok(c) => c.client.name,
                Err(e) => return fail(&e),
            };
            let name = name
                .or_else(|| (!configured.is_empty()).then_some(configured))
                .unwrap_or_else(|| {
                    out.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default()
                });
            match Target::standalone(&spec, &out, &name) {
                Ok(target) => target,
                Err(e) => return fail(&e),
            }
        }
        _ => Target::workspace(&pipeline::workspace_root()),
    };
    if let Some(config) = &config {
        target = target.with_config(config);
    }
    for overlay in &overlays {
        target = target.with_overlay(overlay);
    }
    let mode = if check { Mode::Check } else { Mode::Write };
    match pipeline::run(&target, mode) {
        Ok(outcome) => report(&target, &outcome, mode),
        Err(e) => fail(&e),
    }
}

/// The stages' wall times, as `codegen::timings` recorded them.
fn print_timings() {
    for (stage, took) in codegen::timings::take() {
        eprintln!("{stage:>20} {:>9.3} s", took.as_secs_f64());
    }
}

fn report(target: &Target, outcome: &Outcome, mode: Mode) -> ExitCode {
    let out_dir = &target.out_display;
    for file in &outcome.files {
        let state = match (&file.status, mode) {
            (Status::Unchanged, _) => "up to date",
            (Status::Created, Mode::Write) => "created",
            (Status::Updated, Mode::Write) => "updated",
            (Status::Created, Mode::Check) => "missing",
            (Status::Updated, Mode::Check) => "stale",
        };
        println!(
            "{out_dir}/{}: {state} ({} lines)",
            file.path.display(),
            file.lines
        );
    }
    if !outcome.changes.is_empty() {
        println!("normalized ({} rewrites):", outcome.changes.len());
        for c in &outcome.changes {
            println!("  {:<22} {}", c.step, c.what);
        }
    }
    if !outcome.left_out.is_empty() {
        println!("left out ({} operations):", outcome.left_out.len());
        for l in &outcome.left_out {
            println!("  {}: {}", l.operation, l.reason);
        }
    }
    println!(
        "{}: {} operations, {} types, {} lines{}",
        target.spec_display,
        outcome.operations,
        outcome.types,
        outcome.lines(),
        if outcome.is_fresh() {
            ", nothing changed"
        } else if mode == Mode::Write {
            ", client changed"
        } else {
            ""
        }
    );
    if let Some(report) = outcome.report.as_ref().filter(|_| !outcome.is_fresh()) {
        print!(
            "{}",
            codegen::report::render(report, &outcome.crate_name, &outcome.crate_version)
        );
    }
    if mode == Mode::Check && !outcome.is_fresh() {
        let diff = outcome.diff();
        let lines: Vec<&str> = diff.lines().collect();
        for line in lines.iter().take(MAX_DIFF_LINES) {
            println!("{line}");
        }
        if lines.len() > MAX_DIFF_LINES {
            println!("... {} more diff lines", lines.len() - MAX_DIFF_LINES);
        }
        eprintln!(
            "error: the generated client does not match {}; run `{}` and commit the result",
            target.spec_display, target.command
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn fail(error: &codegen::Error) -> ExitCode {
    for line in error.to_string().lines() {
        eprintln!("error: {line}");
    }
    if !matches!(error, codegen::Error::Io { .. }) {
        eprintln!("note: nothing was written");
    }
    ExitCode::FAILURE
}
