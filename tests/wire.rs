//! The wire check judges: a generated crate's own tests, run against Prism
//! mocking the spec (`codegen::wire`, `cargo xtask wire`), pass for the
//! client as generated and fail, naming the parameter, when its serializer
//! is broken.
//!
//! Needs Prism (`npm ci --prefix tests/prism`); without it the test is
//! skipped with a message, except under `CI=true`, where it fails.

use codegen::wire::run::{self, Options};
use workspace_tests::workspace_root;

/// The runtime's `form` style, not exploded: items joined by commas
/// (`colors=red,red`). The break joins them by `|`, a style the spec does
/// not give the parameter.
const COMMA_JOIN: &str = r#"(value, _) => vec![(name.to_owned(), joined(value, ",", false))],"#;
const PIPE_JOIN: &str = r#"(value, _) => vec![(name.to_owned(), joined(value, "|", false))],"#;

#[test]
fn a_broken_query_serializer_fails_the_generated_tests() {
    let root = workspace_root();
    if !root.join(run::PRISM).exists() {
        workspace_tests::skip("Prism is not installed: run `npm ci --prefix tests/prism`");
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let opts = Options::in_workspace(
        &root,
        root.join("tests/specs/wire-styles.yaml"),
        None,
        Vec::new(),
        Some(work.path().to_path_buf()),
    );
    let prepared = run::prepare(&opts).expect("the crate is generated");

    // As generated: both operations pass, every call judged.
    let report = run::judge(&opts, &prepared).expect("the tests run");
    print!("{}", report.render());
    assert_eq!(report.verdicts.len(), 2, "{}", report.render());
    assert_eq!(report.passed(), 2, "{}", report.render());

    // The runtime copy's non-exploded `form` style broken: the operation
    // with such a parameter fails, and the verdict names the parameter;
    // the other still passes.
    let params = prepared.client_dir.join("src/runtime/params.rs");
    let code = std::fs::read_to_string(&params).expect("the runtime copy");
    assert!(
        code.contains(COMMA_JOIN),
        "the runtime's form style changed: update this test's break"
    );
    std::fs::write(&params, code.replace(COMMA_JOIN, PIPE_JOIN)).expect("write");
    let broken = run::judge(&opts, &prepared).expect("the tests run");
    print!("{}", broken.render());
    let list = broken
        .verdicts
        .iter()
        .find(|v| v.method == "list_items")
        .expect("list_items judged");
    assert!(list.failed(), "{}", broken.render());
    assert!(
        list.failures
            .iter()
            .all(|(_, said)| said.starts_with("422") && said.contains("colors")),
        "{}",
        broken.render()
    );
    assert_eq!(broken.passed(), 1, "{}", broken.render());
    assert!(broken.render().ends_with(&format!(
        "wire: 1/2 operations pass ({}; 1 failed, 0 not judged by Prism)\n",
        prepared.spec
    )));
}
