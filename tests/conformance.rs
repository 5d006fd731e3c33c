//! Conformance: the generated types take what the spec documents.
//!
//! Each test generates a client, builds a checking program against it
//! (`codegen::conformance`, the same code as `cargo xtask conformance`) and
//! runs every documented example through it: response and schema examples
//! must deserialize, request examples must also serialize back unchanged.
//! The reports of the large specs are pinned with insta
//! (`tests/snapshots/conformance__*.snap`): every remaining failure is
//! listed there with its JSON path and the rule of the spec it breaks.

use std::path::{Path, PathBuf};

use codegen::conformance::{self, Job, Report, Workspace};
use codegen::pipeline::{GENERATED_CRATES_TARGET_DIR, workspace_root};
use workspace_tests::shared_specs;

fn check(spec: &Path, config: Option<&Path>) -> Report {
    conformance::run(spec, config, &[], &workspace(spec))
        .unwrap_or_else(|e| panic!("{}:\n{e}", spec.display()))
}

/// The same work directory as `cargo xtask conformance` uses
/// (`target/conformance/<spec stem>`): files are only rewritten when they
/// change, so a crate whose spec did not change is not rebuilt.
fn workspace(spec: &Path) -> Workspace {
    let stem = spec.file_stem().unwrap().to_string_lossy().into_owned();
    workspace_in(workspace_root().join("target/conformance").join(stem))
}

/// Work in `dir`, building in the shared target dir of generated crates
/// with this workspace's `Cargo.lock`.
fn workspace_in(dir: PathBuf) -> Workspace {
    let root = workspace_root();
    Workspace {
        dir,
        target_dir: root.join(GENERATED_CRATES_TARGET_DIR),
        lockfile: Some(root.join("Cargo.lock")),
    }
}

/// Open enums, unions of strings, nullable fields that are missing, no
/// injected defaults, numbers that keep their form (`ratio: 1`), a union
/// read by its tag (`shapes`) and one whose loose member must not shadow the
/// strict one (`extra`), and one example that does contradict its spec and
/// must be reported as such.
#[test]
fn sample_examples_conform_and_a_contradiction_is_reported() {
    let spec = workspace_root().join("tests/specs/conformance-sample.yaml");
    let report = check(&spec, None);
    let text = conformance::render(&report);
    println!("{text}");
    assert_eq!(report.checked, 8, "{text}");
    assert_eq!(report.passed, 7, "{text}");
    let [failure] = report.failures.as_slice() else {
        panic!("{text}")
    };
    assert!(failure.at.contains("missing_id"), "{text}");
    assert_eq!(failure.ty, "Thing");
    assert!(failure.reason.contains("missing field `id`"), "{text}");
    // The spec's own schema rejects the example: it is the example's fault.
    let rule = failure.contradiction.as_deref().unwrap_or_default();
    assert!(rule.contains("\"id\" is a required property"), "{text}");
    assert_eq!(report.type_failures().count(), 0, "{text}");

    // The overlay `--write-overlay` writes: an action per rule an example
    // breaks (the lenient types read some of them anyway: an unlisted enum
    // value, a missing nullable field), each naming its examples; with it
    // applied, every example passes.
    let (yaml, fixes) = conformance::examples_overlay(&spec, None, &[]).unwrap();
    assert_eq!(fixes.unfixed, [], "{yaml}");
    assert_eq!(fixes.fixes.len(), 4, "{yaml}");
    let users = &fixes.fixes[&conformance::Fix::NotRequired {
        schema: "/components/schemas/Thing".into(),
        property: "id".into(),
    }];
    assert!(users[0].contains("missing_id"), "{users:?}");
    assert!(
        yaml.contains("- target: $.components.schemas.Thing.required[?@ == 'id']\n"),
        "{yaml}"
    );
    let dir = tempfile::tempdir().unwrap();
    let overlay = dir.path().join("fixes.yaml");
    std::fs::write(&overlay, &yaml).unwrap();
    let fixed = conformance::run(&spec, None, &[overlay], &workspace(&spec)).unwrap();
    assert_eq!(
        (fixed.checked, fixed.passed),
        (8, 8),
        "{}",
        conformance::render(&fixed)
    );
}

/// [`conformance::run_many`] (one workspace, one build, as the slow
/// conformance runs use it) reports each spec as [`conformance::run`] does
/// alone, in the order given, even for two specs of one file name, and a
/// spec that cannot be generated is an error naming it while the others
/// are still checked.
#[test]
fn many_specs_in_one_build_report_as_each_alone() {
    let root = workspace_root();
    let dir = tempfile::tempdir().unwrap();
    // Another spec under the first one's file name.
    let namesake = dir.path().join("same-name/conformance-sample.yaml");
    std::fs::create_dir_all(namesake.parent().unwrap()).unwrap();
    std::fs::copy(root.join("tests/specs/overlay-pets.yaml"), &namesake).unwrap();
    let specs = [
        root.join("tests/specs/conformance-sample.yaml"),
        root.join("tests/specs/no-such-spec.yaml"),
        namesake,
    ];
    let jobs: Vec<Job> = specs
        .iter()
        .map(|spec| Job {
            spec: spec.clone(),
            config: None,
            overlays: Vec::new(),
        })
        .collect();
    let ws = workspace_in(dir.path().join("many"));
    let reports = conformance::run_many(&jobs, &ws);
    assert_eq!(reports.len(), 3);
    let missing = reports[1]
        .as_ref()
        .expect_err("a missing spec is an error")
        .to_string();
    assert!(missing.contains("no-such-spec.yaml"), "{missing}");
    for i in [0, 2] {
        let many = reports[i].as_ref().unwrap_or_else(|e| panic!("{e}"));
        // In a directory of its own: the test above checks the sample in
        // `workspace()`'s at the same time.
        let alone_ws = workspace_in(dir.path().join(format!("alone-{i}")));
        let alone = conformance::run(&specs[i], None, &[], &alone_ws).unwrap();
        assert!(
            many.checked + many.instances_checked > 0,
            "{}",
            conformance::render(many)
        );
        assert_eq!(conformance::render(many), conformance::render(&alone));
    }
}

/// The overlays checked in beside the OpenAI conformance snapshots
/// (`tests/overlays/openai-*.examples.yaml`) are what `cargo xtask
/// conformance --write-overlay` writes for each spec today: regenerated
/// and compared, so a change of the rules or of the spec shows as a diff.
#[test]
fn the_checked_in_example_overlays_are_what_write_overlay_writes() {
    let Some(specs) = shared_specs() else { return };
    let mut stale = Vec::new();
    for (spec, overlay) in OPENAI {
        let (yaml, _) = conformance::examples_overlay(&specs.join(spec), None, &[]).unwrap();
        let path = workspace_root().join(overlay);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(yaml.as_str()) {
            if std::env::var_os("UPDATE_OVERLAYS").is_some() {
                std::fs::write(&path, &yaml).unwrap();
            }
            stale.push(overlay);
        }
    }
    assert!(
        stale.is_empty(),
        "{stale:?} differ from what --write-overlay writes now; rerun with UPDATE_OVERLAYS=1 and review the diff"
    );
}

/// The OpenAI specs and the overlays their examples need.
const OPENAI: [(&str, &str); 2] = [
    (
        "openai-openapi-f85dbe2-3.1.0.yaml",
        "tests/overlays/openai-3.1.0.examples.yaml",
    ),
    (
        "openai-openapi-498c71d-3.0.0.yaml",
        "tests/overlays/openai-3.0.0.examples.yaml",
    ),
];

/// The OpenAI reports: of the examples that agree with their spec, at least
/// 99% must pass (the snapshot pins exactly which do not); examples that
/// contradict it are listed with the rule they break.
fn assert_openai(spec: &str, report: &Report) {
    let text = conformance::render(report);
    println!("{}", text.lines().next().unwrap_or_default());
    let valid = report.valid_examples().max(1);
    assert!(
        report.passed * 100 >= valid * 99,
        "{spec}: {} of {valid} valid examples pass\n{text}",
        report.passed
    );
}

/// The whole OpenAI API (3.1.0 and the 3.0.0 the seed page was cut from),
/// generated with no settings and the overlay its examples need (checked
/// in, reviewed: see the test above), and every real public spec in
/// `../shared/specs/real`, generated with no `codegen.toml` (every
/// operation): each client is built and its documented examples and the
/// instances generated from its schemas are checked (a spec that documents
/// no examples is still checked on its instances). A spec this workspace
/// could not generate or build would be listed as such. The summaries and
/// every failure are pinned.
///
/// All 22 crates are built by one `cargo build` of one workspace
/// ([`conformance::run_many`]), so both cores work. Slow, so `#[ignore]`d
/// in everyday runs; `.ci/run` runs it.
#[test]
#[ignore = "slow: builds the generated OpenAI crates and one crate per real spec; run with --ignored (CI does)"]
fn openai_and_real_specs_examples_conform() {
    let Some(specs) = shared_specs() else { return };
    let mut jobs: Vec<Job> = OPENAI
        .iter()
        .map(|(spec, overlay)| Job {
            spec: specs.join(spec),
            config: None,
            overlays: vec![workspace_root().join(overlay)],
        })
        .collect();
    let mut real = Vec::new();
    for path in workspace_tests::spec_files(&specs.join("real")) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if codegen::load::load_file(&path, &name).is_err() {
            real.push((name, None));
            continue;
        }
        real.push((name, Some(jobs.len())));
        jobs.push(Job {
            spec: path,
            config: None,
            overlays: Vec::new(),
        });
    }
    let ws = workspace_in(workspace_root().join("target/conformance-all"));
    let mut reports: Vec<Option<Result<Report, codegen::Error>>> =
        conformance::run_many(&jobs, &ws)
            .into_iter()
            .map(Some)
            .collect();

    for (i, (spec, _)) in OPENAI.iter().enumerate() {
        let report = reports[i]
            .take()
            .unwrap()
            .unwrap_or_else(|e| panic!("{spec}:\n{e}"));
        assert_openai(spec, &report);
        let text = conformance::render(&report);
        // Literal names: `no_unreferenced_snapshots` finds them in the source.
        if spec.ends_with("3.1.0.yaml") {
            insta::assert_snapshot!("openai-3.1.0", text);
        } else {
            insta::assert_snapshot!("openai-3.0.0", text);
        }
    }

    let mut summary = String::new();
    let mut details = String::new();
    for (name, job) in real {
        let Some(job) = job else {
            summary.push_str(&format!("{name}: does not load\n"));
            continue;
        };
        match reports[job].take().unwrap() {
            Ok(report) => {
                summary.push_str(&format!(
                    "{name}: {} of {} examples pass, {} not checked; {} of {} instances round-trip\n",
                    report.passed,
                    report.checked,
                    report.unchecked.len(),
                    report.instances_passed,
                    report.instances_checked
                ));
                details.push_str(&conformance::render(&report));
                details.push('\n');
            }
            Err(e) => {
                let first = e.to_string();
                let first = first.lines().next().unwrap_or_default();
                let first: String = first.chars().take(160).collect();
                summary.push_str(&format!("{name}: not checked: {first}\n"));
            }
        }
    }
    println!("{summary}");
    insta::assert_snapshot!("real-specs", format!("{summary}\n{details}"));
}
