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

/// A spec whose one response is `S0`, each `Si` the `allOf` of `Si+1` and a
/// property of its own: `depth` levels of composition, no cycle.
fn composition_chain(depth: usize) -> String {
    let mut s = String::from(
        "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: get_a\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/S0'}\ncomponents:\n  schemas:\n",
    );
    for i in 0..depth {
        s.push_str(&format!(
            "    S{i}: {{allOf: [{{$ref: '#/components/schemas/S{}'}}, {{type: object, properties: {{p{i}: {{type: string}}}}}}]}}\n",
            i + 1
        ));
    }
    s.push_str(&format!(
        "    S{depth}: {{type: object, properties: {{last: {{type: string}}}}}}\n"
    ));
    s
}

fn generate_into(dir: &Path, spec: &str, envs: &[(&str, &str)]) -> Output {
    let path = dir.join("spec.yaml");
    std::fs::write(&path, spec).unwrap();
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["generate", "--spec"])
        .arg(&path)
        .arg("--out")
        .arg(dir.join("out"))
        .args(["--name", "deep"])
        .envs(envs.iter().copied())
        .output()
        .expect("run xtask")
}

#[test]
fn a_deep_spec_fits_and_a_stack_overflow_is_an_error_not_an_abort() {
    let dir = tempfile::tempdir().unwrap();
    let spec = composition_chain(300);
    // Deep but finite: generation has room for it.
    let out = generate_into(dir.path(), &spec, &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_dir_all(dir.path().join("out")).unwrap();
    // With too little room, the overflow is reported: exit 1, a message
    // that says what to do, nothing written.
    let out = generate_into(dir.path(), &spec, &[("CODEGEN_STACK_MIB", "1")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("error: generation ran out of stack (in stage `"),
        "{stderr}"
    );
    assert!(
        stderr.contains("CODEGEN_STACK_MIB=4") && stderr.contains("note: nothing was written"),
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("error: generation ran out of stack").count(),
        1,
        "one report, whole: {stderr}"
    );
    assert!(!stderr.contains("fatal runtime error"), "{stderr}");
    assert!(!dir.path().join("out").exists());
}

#[test]
fn a_schema_listing_itself_means_its_other_members_and_other_cycles_are_located() {
    let dir = tempfile::tempdir().unwrap();
    let head = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: get_a\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Error'}\ncomponents:\n  schemas:\n";
    // `Error: allOf [Error, X]` is X: generated, the removal reported.
    let own = format!(
        "{head}    Error:\n      allOf:\n        - $ref: '#/components/schemas/Error'\n        - {{type: object, properties: {{code: {{type: string}}}}}}\n"
    );
    let out = generate_into(dir.path(), &own, &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(
            "self-members           components.schemas.Error.allOf[0]: `Error` lists itself"
        ),
        "{stdout}"
    );
    let code = std::fs::read_to_string(dir.path().join("out/src/generated.rs")).unwrap();
    assert!(code.contains("pub struct Error {"), "no Error struct");
    std::fs::remove_dir_all(dir.path().join("out")).unwrap();

    // Through another schema, the meaning is not clear: refused, located.
    let mutual = format!(
        "{head}    Error: {{oneOf: [{{type: string}}, {{$ref: '#/components/schemas/Other'}}]}}\n    Other: {{allOf: [{{$ref: '#/components/schemas/Error'}}]}}\n"
    );
    let out = generate_into(dir.path(), &mutual, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("error: spec.yaml:15:38: at `components.schemas.Error.oneOf[1].$ref`: schema `#/components/schemas/Error` contains itself through composition alone"),
        "{stderr}"
    );
    assert!(!dir.path().join("out").exists());
}
