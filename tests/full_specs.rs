//! The whole OpenAI API (`../shared/specs`): the pipeline must take it
//! whole, with no settings.

use codegen::pipeline::{self, Target};
use workspace_tests::{shared_specs, workspace_root};

fn render(spec: &std::path::Path, config: Option<&str>) -> pipeline::Rendered {
    let dir = tempfile::tempdir().unwrap();
    let mut target = Target::standalone(spec, &dir.path().join("out"), "full").unwrap();
    target.config = config.map(|c| workspace_root().join(c));
    let rendered = pipeline::render(&target).unwrap_or_else(|e| panic!("{}:\n{e}", spec.display()));
    workspace_tests::assert_surface_reads_back(&rendered);
    rendered
}

/// Every operation of the whole OpenAI API, with no `codegen.toml`: no
/// lossy step, nothing left out, uploads, event streams, every parameter.
#[test]
fn openai_31_generates_all_288_operations_with_no_settings() {
    let Some(specs) = shared_specs() else { return };
    let r = render(&specs.join("openai-openapi-f85dbe2-3.1.0.yaml"), None);
    assert_eq!(r.operations, 288);
    assert!(r.left_out.is_empty(), "{:?}", r.left_out);
    // The 7 streaming operations (and the multipart form of one of them).
    assert_eq!(r.code().matches("pub async fn send_stream(").count(), 8);
    for step in ["media-types", "parameters", "responses", "event-streams"] {
        assert!(r.changes.iter().any(|c| c.step == step), "{step}");
    }
}

#[test]
fn openai_30_generates_all_148_operations_with_no_settings() {
    let Some(specs) = shared_specs() else { return };
    let r = render(&specs.join("openai-openapi-498c71d-3.0.0.yaml"), None);
    assert_eq!(r.operations, 148);
    assert!(r.left_out.is_empty(), "{:?}", r.left_out);
}

// progenitor's own sample specs are part of the corpus: `tests/real_specs.rs`
// generates each (every operation) and compiles the crates.
