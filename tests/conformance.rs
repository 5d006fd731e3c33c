//! Conformance: the generated types take what the spec documents.
//!
//! Each test generates a client, builds a checking program against it
//! (`codegen::conformance`, the same code as `cargo xtask conformance`) and
//! runs every documented example through it: response and schema examples
//! must deserialize, request examples must also serialize back unchanged.
//! The reports of the large specs are pinned with insta
//! (`tests/snapshots/conformance__*.snap`): every remaining failure is
//! listed there with its JSON path and the rule of the spec it breaks.

use std::path::Path;

use codegen::conformance::{self, Report, Workspace};
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
    let root = workspace_root();
    let stem = spec.file_stem().unwrap().to_string_lossy().into_owned();
    Workspace {
        dir: root.join("target/conformance").join(stem),
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

fn openai(spec: &str) -> Option<Report> {
    let specs = shared_specs()?;
    // The whole API, as generated with no settings, with the overlay its
    // examples need (checked in, reviewed: see the test above).
    let (_, overlay) = OPENAI.iter().find(|(s, _)| *s == spec)?;
    let path = specs.join(spec);
    let report = conformance::run(
        &path,
        None,
        &[workspace_root().join(overlay)],
        &workspace(&path),
    )
    .unwrap_or_else(|e| panic!("{spec}:\n{e}"));
    let text = conformance::render(&report);
    println!("{}", text.lines().next().unwrap_or_default());
    // Examples that contradict their spec are listed with the rule they
    // break; of those that agree with it, at least 99% must pass (the
    // snapshot pins exactly which do not).
    let valid = report.valid_examples().max(1);
    assert!(
        report.passed * 100 >= valid * 99,
        "{spec}: {} of {valid} valid examples pass\n{text}",
        report.passed
    );
    Some(report)
}

/// The whole OpenAI API (3.1.0): at least 95% of the documented examples
/// pass, and every failure is pinned with its reason. Slow (builds the
/// generated crate), so `#[ignore]`d in everyday runs; `.ci/run` runs it.
#[test]
#[ignore = "slow: builds the generated OpenAI crate; run with --ignored (CI does)"]
fn openai_31_examples_conform() {
    if let Some(report) = openai("openai-openapi-f85dbe2-3.1.0.yaml") {
        insta::assert_snapshot!("openai-3.1.0", conformance::render(&report));
    }
}

/// The OpenAI 3.0.0 spec the seed page was cut from, likewise.
#[test]
#[ignore = "slow: builds the generated OpenAI crate; run with --ignored (CI does)"]
fn openai_30_examples_conform() {
    if let Some(report) = openai("openai-openapi-498c71d-3.0.0.yaml") {
        insta::assert_snapshot!("openai-3.0.0", conformance::render(&report));
    }
}

/// Every real public spec in `../shared/specs/real`: generated with no
/// `codegen.toml` (every operation), built, and its documented examples and
/// the instances generated from its schemas checked (a spec that documents
/// no examples is still checked on its instances). A spec this workspace could not generate or build
/// would be listed as such. The summary and every failure are pinned.
#[test]
#[ignore = "slow: builds one crate per real spec; run with --ignored (CI does)"]
fn real_specs_examples_conform() {
    let Some(specs) = shared_specs() else { return };
    let paths = workspace_tests::spec_files(&specs.join("real"));
    let mut summary = String::new();
    let mut details = String::new();
    for path in paths {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if codegen::load::load_file(&path, &name).is_err() {
            summary.push_str(&format!("{name}: does not load\n"));
            continue;
        }
        match conformance::run(&path, None, &[], &workspace(&path)) {
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
