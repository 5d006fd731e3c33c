//! Stage `gate`: every Cargo feature of a generated crate compiles alone,
//! without warnings, and so does the crate with none; the features follow
//! the spec's tags.

use codegen::pipeline::{self, GENERATED_CRATES_TARGET_DIR};
use workspace_tests::workspace_root;

/// The features the fixture's manifest declares (`default` aside).
fn fixture_features() -> Vec<String> {
    let manifest =
        std::fs::read_to_string(workspace_root().join("fixtures/streams-uploads/Cargo.toml"))
            .unwrap();
    let table = manifest
        .split("[features]\n")
        .nth(1)
        .expect("the fixture declares features");
    table
        .lines()
        .filter_map(|l| l.split_once(" = "))
        .map(|(name, _)| name.to_owned())
        .filter(|name| name != "default")
        .collect()
}

/// `cargo check` of the fixture with only `features`; cargo's messages.
fn check(features: &[&str]) -> (bool, String) {
    let root = workspace_root();
    let mut command = pipeline::cargo_for_generated(&root.join(GENERATED_CRATES_TARGET_DIR));
    command.current_dir(&root).args([
        "check",
        "--quiet",
        "--message-format=short",
        "-p",
        "streams-uploads-client",
        "--no-default-features",
    ]);
    if !features.is_empty() {
        command.args(["--features", &features.join(",")]);
    }
    let output = command.output().expect("run cargo");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_features_are_the_tags() {
    let features = fixture_features();
    assert_eq!(
        features,
        [
            "accounts",
            "billing",
            "documents",
            "files",
            "pages",
            "reporting-tools",
            "streams",
            "untagged",
            "webhooks"
        ]
    );
    let code =
        std::fs::read_to_string(workspace_root().join("fixtures/streams-uploads/src/generated.rs"))
            .unwrap();
    // An operation of two tags compiles with either.
    assert!(
        code.contains(
            "#[cfg(any(feature = \"accounts\", feature = \"reporting-tools\"))]\n    pub fn list_reports"
        ),
        "list_reports is not gated by its two tags"
    );
    assert!(code.contains("#[cfg(feature = \"untagged\")]\n    pub fn create_call"));
}

#[test]
fn each_feature_alone_and_none_compile_without_warnings() {
    let features = fixture_features();
    let mut runs: Vec<Vec<&str>> = vec![Vec::new()];
    runs.extend(features.iter().map(|f| vec![f.as_str()]));
    for run in runs {
        let (ok, messages) = check(&run);
        assert!(ok, "features {run:?} do not compile:\n{messages}");
        assert!(
            !messages.contains("warning"),
            "features {run:?} compile with warnings:\n{messages}"
        );
    }
}

/// The whole OpenAI API: a sample of its features, each alone, builds
/// without warnings (slow: `--ignored`; CI runs it; the corpus command
/// checks the corpus crates).
#[test]
#[ignore]
fn a_sample_of_openai_features_builds_alone() {
    let Some(specs) = workspace_tests::shared_specs() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("openai-features");
    let target = codegen::pipeline::Target::standalone(
        &specs.join("openai-openapi-f85dbe2-3.1.0.yaml"),
        &out,
        "openai-features",
    )
    .unwrap();
    codegen::pipeline::run(&target, codegen::Mode::Write).unwrap();
    std::fs::copy(workspace_root().join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
    for feature in ["files", "embeddings", "webhooks"] {
        let started = std::time::Instant::now();
        let output =
            pipeline::cargo_for_generated(&workspace_root().join(GENERATED_CRATES_TARGET_DIR))
                .args([
                    "build",
                    "--quiet",
                    "--message-format=short",
                    "--no-default-features",
                    "--features",
                    feature,
                    "--manifest-path",
                ])
                .arg(out.join("Cargo.toml"))
                .output()
                .expect("run cargo");
        let messages = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "`{feature}` alone does not build:\n{messages}"
        );
        assert!(
            !messages.contains("warning"),
            "`{feature}` alone builds with warnings:\n{messages}"
        );
        eprintln!(
            "openai --features {feature}: built in {:.0?}",
            started.elapsed()
        );
    }
}
