//! The corpus of real specs: the 20 public APIs of `../shared/specs/real`,
//! progenitor's 7 sample specs (`../shared/specs/progenitor`), 40 OpenAPI 3
//! specs drawn at random from APIs.guru (`../shared/specs/wide`) and 20
//! Swagger 2.0 ones drawn the same way (`../shared/specs/swagger`). Each
//! must generate, with no `codegen.toml`, every operation it documents, and
//! give a crate that compiles, in which `?` turns every operation's error
//! into the runtime's `ApiError`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use codegen::pipeline::{self, GENERATED_CRATES_TARGET_DIR, Target, workspace_root};
use workspace_tests::{shared_specs, spec_files};

/// The corpus: the specs it was first tuned on (real ones, then
/// progenitor's samples), then those drawn at random, never tuned to.
const CORPUS: [&str; 4] = ["real", "progenitor", "wide", "swagger"];

/// The corpus whose crates [`every_corpus_crate_compiles`] checks: all but
/// `real`, whose 20 crates the slow conformance run
/// (`tests/conformance.rs`) already builds with the same `?` example
/// (`codegen::conformance::errors_example`) in its checking programs; a
/// crate of theirs that did not build would change its pinned summary.
const CHECKED_HERE: [&str; 3] = ["progenitor", "wide", "swagger"];

/// The corpus specs of `dirs`, sorted by directory, then name.
fn corpus(specs: &Path, dirs: &[&str]) -> Vec<PathBuf> {
    dirs.iter()
        .flat_map(|dir| spec_files(&specs.join(dir)))
        .collect()
}

/// A crate name for a spec file: `39-stripe.yaml` -> `corpus_39_stripe`.
fn crate_name(spec: &Path) -> String {
    let stem = spec.file_stem().unwrap().to_string_lossy();
    let stem: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("corpus_{}", stem.to_ascii_lowercase())
}

/// Every corpus spec generates, with no settings, every operation it
/// documents, and nothing is left out; the surface read back from its code
/// is the one it was rendered with. Prints a line per spec.
#[test]
fn every_corpus_spec_generates_every_operation() {
    let Some(specs) = shared_specs() else { return };
    let corpus = corpus(&specs, &CORPUS);
    assert_eq!(
        corpus.len(),
        87,
        "20 real specs, 7 progenitor samples, 40 drawn OpenAPI 3 and 20 Swagger 2.0 specs"
    );
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let (mut generated, mut documented, mut checked_security) = (0, 0, 0);
    for spec in &corpus {
        let name = spec.file_name().unwrap().to_string_lossy().into_owned();
        let target =
            Target::standalone(spec, &dir.path().join(crate_name(spec)), "corpus").unwrap();
        // Swagger 2.0 specs are counted as converted (the same operations).
        let doc = pipeline::load(&target).unwrap();
        let total = codegen::walk::operations(&doc.value).len();
        let start = Instant::now();
        match pipeline::render(&target) {
            Ok(r) => {
                // Each operation's table entry has the spec's effective
                // `security`, read from the spec as written.
                let expected = workspace_tests::effective_security(&doc.value);
                for (id, method, path, security) in workspace_tests::security_table(r.code()) {
                    checked_security += 1;
                    match expected.get(&(method.clone(), path.clone())) {
                        Some(e) if *e == security => {}
                        other => failures.push(format!(
                            "{name}: {id} ({method} {path}): security {security:?}, the spec says {other:?}"
                        )),
                    }
                }
                if let Some(difference) = workspace_tests::surface_read_back_difference(&r) {
                    failures.push(format!("{name}: {difference}"));
                }
                println!(
                    "{name}: {} of {total} operations, {} types, {} lines, {:.1} s",
                    r.operations,
                    r.types,
                    r.code().lines().count(),
                    start.elapsed().as_secs_f64()
                );
                generated += r.operations;
                documented += total;
                if r.operations != total || !r.left_out.is_empty() {
                    failures.push(format!(
                        "{name}: {} of {total} operations; left out: {:?}",
                        r.operations, r.left_out
                    ));
                }
            }
            Err(e) => {
                let first: String = e.to_string().chars().take(400).collect();
                failures.push(format!("{name}: {first}"));
            }
        }
    }
    println!(
        "corpus: {generated} of {documented} operations; {checked_security} operations carry the spec's security"
    );
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Every crate of the corpus compiles, with an example that turns the
/// error of every operation's `send()` into the runtime's `ApiError` with
/// `?`: progenitor's samples and the drawn specs (`wide`, `swagger`: 60
/// specs no rule was written for; the real ones: see [`CHECKED_HERE`]),
/// generated into one temporary workspace and checked at once (`cargo
/// check --workspace --keep-going`), so both cores work, the dependencies
/// are checked once, and every failing crate is named. No crate may warn
/// about its own code.
/// `#[ignore]`d: 67 crates, 2 million lines; `.ci/run` runs it.
#[test]
#[ignore = "slow: checks 67 generated crates; run with --ignored (CI does)"]
fn every_corpus_crate_compiles() {
    let Some(specs) = shared_specs() else { return };
    let root = workspace_root();
    let dir = tempfile::tempdir().unwrap();
    let mut members = Vec::new();
    for spec in corpus(&specs, &CHECKED_HERE) {
        let (name, _) = generate_crate(&spec, dir.path());
        members.push(format!("{name:?}"));
    }
    std::fs::write(
        dir.path().join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .unwrap();
    std::fs::copy(root.join("Cargo.lock"), dir.path().join("Cargo.lock")).unwrap();
    let start = Instant::now();
    let output = cargo_check(dir.path(), &["--workspace", "--keep-going"]);
    println!(
        "{} corpus crates: cargo check {:.0} s",
        members.len(),
        start.elapsed().as_secs_f64()
    );
    assert!(output.status.success(), "{}", error_lines(&output, 40));
    // No generated crate warns about its own code (`src/`): a warning there
    // is generated code that says something other than it means (an
    // unreachable status arm, a bound every value meets).
    let stderr = String::from_utf8_lossy(&output.stderr);
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("warning") && l.contains("/src/"))
        .take(40)
        .collect();
    assert!(
        warnings.is_empty(),
        "generated crates warn:\n{}",
        warnings.join("\n")
    );
}

/// The standalone crate of `spec`, written into `dir` under its crate
/// name, with the `?` example of every operation: `(name, directory)`.
fn generate_crate(spec: &Path, dir: &Path) -> (String, PathBuf) {
    let name = crate_name(spec);
    let out = dir.join(&name);
    let target = Target::standalone(spec, &out, &name).unwrap();
    pipeline::run(&target, codegen::Mode::Write)
        .unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
    write_errors_example(&out, &name);
    (name, out)
}

/// `cargo check` of the library and examples of the crate (or workspace)
/// in `dir`, with `args`, in the shared target dir of generated crates.
fn cargo_check(dir: &Path, args: &[&str]) -> std::process::Output {
    pipeline::cargo_for_generated(&workspace_root().join(GENERATED_CRATES_TARGET_DIR))
        .args(["check", "--quiet", "--message-format=short"])
        .args(args)
        .args(["--lib", "--examples", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .output()
        .expect("run cargo")
}

/// The first `n` lines of cargo's output that mention an error.
fn error_lines(output: &std::process::Output, n: usize) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("error"))
        .take(n)
        .collect();
    errors.join("\n")
}

/// `examples/errors.rs`: `?` from every operation's `send()` into
/// `ApiError` (type-checked, never run: a builder without its required
/// parameters still type-checks).
fn write_errors_example(out: &Path, name: &str) {
    let code = std::fs::read_to_string(out.join("src/generated.rs")).unwrap();
    let surface = codegen::surface::extract(&code).unwrap();
    let example = format!(
        "{}\nfn main() {{\n    let _ = every_operation;\n}}\n",
        codegen::conformance::errors_example(name, surface.operations.keys())
    );
    std::fs::create_dir_all(out.join("examples")).unwrap();
    std::fs::write(out.join("examples/errors.rs"), example).unwrap();
}
