//! `cargo xtask generate --spec PATH --out DIR` writes a crate that compiles
//! on its own, outside this workspace.

use codegen::Mode;
use codegen::pipeline::{self, Target, WORKSPACE_SPEC};
use workspace_tests::workspace_root;

#[test]
fn standalone_crate_compiles_on_its_own() {
    let root = workspace_root();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("seed-client");
    let target = Target::standalone(&root.join(WORKSPACE_SPEC), &out, "seed-client").unwrap();
    let outcome = pipeline::run(&target, Mode::Write).unwrap();
    assert_eq!(outcome.operations, 1);

    // Resolve the same versions as the workspace, and keep the build cache in
    // the workspace's target dir so reruns are incremental.
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
    let status = pipeline::cargo_for_generated(&root.join(pipeline::GENERATED_CRATES_TARGET_DIR))
        .args(["check", "--quiet", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .status()
        .expect("run cargo");
    assert!(status.success(), "the standalone crate does not compile");
}
