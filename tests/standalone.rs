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

/// Operations named like the generated constructors (`builder`,
/// `from_env`) keep their methods; the constructors stay reachable through
/// `ClientBuilder::<Client>`.
#[test]
fn operations_named_like_the_constructors_compile() {
    let root = workspace_root();
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("clash.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: Clash, version: '1'}\nservers: [{url: 'https://example.com'}]\npaths:\n  /builder:\n    get:\n      operationId: builder\n      responses: {'204': {description: ok}}\n  /env:\n    get:\n      operationId: from_env\n      responses: {'204': {description: ok}}\n",
    )
    .unwrap();
    let out = dir.path().join("clash-client");
    let target = Target::standalone(&spec, &out, "clash-client").unwrap();
    assert_eq!(pipeline::run(&target, Mode::Write).unwrap().operations, 2);
    std::fs::write(
        out.join("src/use_it.rs"),
        "#[allow(dead_code)]\nfn use_it() -> Result<(), crate::ConfigError> {\n    let client = crate::ClientBuilder::<crate::Client>::new().build()?;\n    let _ = (client.builder(), client.from_env());\n    Ok(())\n}\n",
    )
    .unwrap();
    let lib = out.join("src/lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap() + "mod use_it;\n";
    std::fs::write(&lib, text).unwrap();
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
    let output = pipeline::cargo_for_generated(&root.join(pipeline::GENERATED_CRATES_TARGET_DIR))
        .args([
            "check",
            "--quiet",
            "--message-format=short",
            "--manifest-path",
        ])
        .arg(out.join("Cargo.toml"))
        .output()
        .expect("run cargo");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
