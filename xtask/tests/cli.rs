//! The `cargo xtask` binary as users run it: exit codes and messages.

use std::path::Path;
use std::process::{Command, Output};

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("run xtask")
}

fn workspace_spec() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../spec/api-definition.yaml")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn check_passes_on_the_checked_in_client() {
    let out = xtask(&["generate", "--check"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("1 operations"), "{stdout}");
    assert!(stdout.contains("nothing changed"), "{stdout}");
}

#[test]
fn standalone_crate_is_written_then_up_to_date() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("my-client");
    let out_arg = out_dir.to_string_lossy().into_owned();
    let spec = workspace_spec();

    let first = xtask(&["generate", "--spec", &spec, "--out", &out_arg]);
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(
        first.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(stdout.contains("Cargo.toml: created"), "{stdout}");
    assert!(stdout.contains("src/lib.rs: created"), "{stdout}");
    let manifest = std::fs::read_to_string(out_dir.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"my-client\""), "{manifest}");
    assert!(
        manifest.contains("progenitor-client = \"=0.15.1\""),
        "{manifest}"
    );

    let check = xtask(&["generate", "--check", "--spec", &spec, "--out", &out_arg]);
    assert!(check.status.success());
    assert!(String::from_utf8_lossy(&check.stdout).contains("nothing changed"));
}

#[test]
fn broken_spec_fails_with_one_located_line_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("broken.yaml");
    std::fs::write(&spec, "openapi: 3.0.0\ninfo: {title: t\npaths: {}\n").unwrap();
    let out_dir = dir.path().join("out");
    std::fs::create_dir_all(out_dir.join("src")).unwrap();
    std::fs::write(out_dir.join("src/lib.rs"), "// precious\n").unwrap();

    let out = xtask(&[
        "generate",
        "--spec",
        &spec.to_string_lossy(),
        "--out",
        &out_dir.to_string_lossy(),
        "--name",
        "x",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(lines[0].starts_with("error: broken.yaml:3:"), "{stderr}");
    assert_eq!(lines[1], "note: nothing was written");
    assert!(!stderr.contains("panicked") && !stderr.contains("backtrace"));
    assert_eq!(
        std::fs::read_to_string(out_dir.join("src/lib.rs")).unwrap(),
        "// precious\n"
    );
    assert!(!out_dir.join("Cargo.toml").exists());
}

#[test]
fn bad_crate_name_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = xtask(&[
        "generate",
        "--spec",
        &workspace_spec(),
        "--out",
        &dir.path().join("o").to_string_lossy(),
        "--name",
        "1 bad",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`1 bad` is not a valid crate name"));
}

#[test]
fn diff_reports_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.yaml");
    let seed = std::fs::read_to_string(workspace_spec()).unwrap();
    // The old spec lacked `deleted`: today's spec adds a required field.
    std::fs::write(
        &old,
        seed.replace("        deleted:\n          type: boolean\n", "")
            .replace("        - deleted\n", ""),
    )
    .unwrap();
    let out = xtask(&["diff", "--old-spec", &old.to_string_lossy()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("additive  field `ProjectApiKeyDeleteResponse.deleted: bool` added"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Verdict: additive. Bump `openai-admin-client` from 0.1.0 to 0.1.1."),
        "{stdout}"
    );

    let same = xtask(&["diff"]);
    assert!(String::from_utf8_lossy(&same.stdout).contains("API surface unchanged."));
}
