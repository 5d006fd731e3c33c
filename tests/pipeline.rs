//! The generation pipeline, end to end, on the vendored spec.

use codegen::pipeline::{self, Target};
use codegen::report::Severity;
use codegen::write::Status;
use codegen::{Error, Mode};
use workspace_tests::{ScratchWorkspace, workspace_root};

/// `cargo test` fails when `generated-client/` is stale: the same check as
/// `cargo xtask generate --check`, through the same function.
#[test]
fn checked_in_client_matches_the_spec() {
    let outcome = pipeline::run(&Target::workspace(&workspace_root()), Mode::Check)
        .unwrap_or_else(|e| panic!("generation failed:\n{e}"));
    assert!(
        outcome.is_fresh(),
        "generated-client/ does not match spec/api-definition.yaml; run `cargo xtask generate`.\n{}",
        outcome.diff()
    );
    assert_eq!(outcome.operations, 1);
}

/// The same for the fixture crates (`cargo xtask generate` writes them too).
#[test]
fn checked_in_fixtures_match_their_specs() {
    let root = workspace_root();
    for target in Target::checked_in(&root).into_iter().skip(1) {
        let outcome = pipeline::run(&target, Mode::Check)
            .unwrap_or_else(|e| panic!("generation of {} failed:\n{e}", target.out_display));
        assert!(
            outcome.is_fresh(),
            "{} does not match {}; run `cargo xtask generate`.\n{}",
            target.out_display,
            target.spec_display,
            outcome.diff()
        );
    }
}

/// Same spec, same bytes: twice in one process, and from a copy of the
/// workspace somewhere else on disk.
#[test]
fn output_is_deterministic_and_location_independent() {
    let here = pipeline::render(&Target::workspace(&workspace_root())).unwrap();
    let again = pipeline::render(&Target::workspace(&workspace_root())).unwrap();
    let scratch = ScratchWorkspace::new();
    let elsewhere = pipeline::render(&Target::workspace(scratch.root())).unwrap();
    assert_eq!(here, again);
    assert_eq!(here, elsewhere);
    let code = &here.files[0].1;
    assert!(code.starts_with("// @generated"), "header first");
    assert!(!code.contains('\r'), "LF line endings only");
    assert!(
        !code.contains(&*workspace_root().to_string_lossy()),
        "no absolute paths"
    );
}

#[test]
fn header_records_spec_hash_and_generator() {
    let root = workspace_root();
    let files = pipeline::render(&Target::workspace(&root)).unwrap().files;
    let spec = std::fs::read(root.join(pipeline::WORKSPACE_SPEC)).unwrap();
    let header: String = files[0].1.lines().take(8).collect::<Vec<_>>().join("\n");
    assert!(
        header.contains(&codegen::load::sha256_hex(&spec)),
        "{header}"
    );
    assert!(header.contains("spec/api-definition.yaml"), "{header}");
    assert!(header.contains("cargo xtask generate"), "{header}");
    assert!(header.contains("progenitor 0.15.1"), "{header}");
    assert!(header.contains("DO NOT EDIT"), "{header}");
}

/// The version written into headers is the version Cargo.lock resolves.
#[test]
fn header_version_matches_the_lockfile() {
    let lock = std::fs::read_to_string(workspace_root().join("Cargo.lock")).unwrap();
    for package in ["progenitor", "progenitor-client", "progenitor-impl"] {
        let entry = format!(
            "name = \"{package}\"\nversion = \"{}\"",
            codegen::PROGENITOR_VERSION
        );
        assert!(lock.contains(&entry), "Cargo.lock lacks `{entry}`");
    }
}

/// Editing the spec makes the check fail until regenerated; regenerating
/// then makes it pass, and the new field is in the code.
#[test]
fn a_spec_edit_is_caught_then_regenerated() {
    let scratch = ScratchWorkspace::new();
    let spec = std::fs::read_to_string(scratch.spec_path()).unwrap();
    let edited = spec.replace(
        "        deleted:\n          type: boolean\n",
        "        deleted:\n          type: boolean\n        redacted_value:\n          type: string\n",
    );
    assert_ne!(spec, edited, "the edit applies");
    std::fs::write(scratch.spec_path(), edited).unwrap();

    let target = Target::workspace(scratch.root());
    let stale = pipeline::run(&target, Mode::Check).unwrap();
    assert!(!stale.is_fresh());
    assert_eq!(stale.files[0].status, Status::Updated);
    assert!(
        stale
            .diff()
            .contains("pub redacted_value: ::std::option::Option<"),
        "{}",
        stale.diff()
    );

    // The old code's surface is read beside the generation (its header names
    // the old spec's hash); the report must be the same as read after it.
    let report = stale.report.as_ref().expect("old code exists: a report");
    assert!(
        report.has(
            Severity::Additive,
            "field `ProjectApiKeyDeleteResponse.redacted_value: Option<String>` added"
        ),
        "{report:#?}"
    );

    let written = pipeline::run(&target, Mode::Write).unwrap();
    assert!(!written.is_fresh());
    let fresh = pipeline::run(&target, Mode::Check).unwrap();
    assert!(fresh.is_fresh(), "{}", fresh.diff());
    let again = pipeline::run(&target, Mode::Write).unwrap();
    assert!(again.is_fresh(), "a second generate changes nothing");
}

/// A YAML syntax error: one located line, and the client stays byte-identical.
#[test]
fn a_broken_spec_changes_nothing() {
    let scratch = ScratchWorkspace::new();
    let before = scratch.client_snapshot();
    let spec = std::fs::read_to_string(scratch.spec_path()).unwrap();
    std::fs::write(
        scratch.spec_path(),
        spec.replace("  schemas:\n", "  schemas: [\n"),
    )
    .unwrap();

    let err = pipeline::run(&Target::workspace(scratch.root()), Mode::Write).unwrap_err();
    assert!(matches!(err, Error::Spec(_)), "{err:?}");
    let message = err.to_string();
    assert!(!message.contains('\n'), "one line: {message}");
    assert!(
        message.starts_with("spec/api-definition.yaml:"),
        "names the file: {message}"
    );
    let position: Vec<&str> = message.splitn(4, ':').collect();
    assert!(
        position[1].parse::<usize>().is_ok() && position[2].parse::<usize>().is_ok(),
        "line and column: {message}"
    );
    assert_eq!(
        scratch.client_snapshot(),
        before,
        "generated-client/ untouched"
    );
}

/// The vendored spec is the YAML between the fences of the seed page, byte
/// for byte. The page lives in `../shared`, which a plain checkout may lack.
#[test]
fn vendored_spec_is_the_seed_page_yaml() {
    let root = workspace_root();
    let seed = root.join("../shared/seeds/000_7adae01b88f18c3d.txt");
    let Ok(page) = std::fs::read(&seed) else {
        workspace_tests::skip(&format!(
            "{} not found (it ships beside the repo, not in it)",
            seed.display()
        ));
        return;
    };
    let open = find(&page, b"````yaml").expect("opening fence");
    let start = open + find(&page[open..], b"\n").unwrap() + 1;
    let end = start + find(&page[start..], b"````").expect("closing fence");
    let vendored = std::fs::read(root.join(pipeline::WORKSPACE_SPEC)).unwrap();
    assert!(
        vendored == page[start..end],
        "spec/api-definition.yaml differs from the seed page"
    );
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
