//! The whole OpenAI API (`../shared/specs`), and progenitor's own sample
//! specs: the pipeline must take them whole, with no settings, and must not
//! do worse than progenitor alone.

use codegen::pipeline::{self, Target};
use workspace_tests::{shared_specs, workspace_root};

/// progenitor's sample specs (`../shared/specs/progenitor/<name>.json`).
const PROGENITOR_SAMPLES: [&str; 7] = [
    "buildomat",
    "cli-gen",
    "keeper",
    "nexus",
    "param-collision",
    "param-overrides",
    "propolis-server",
];

fn render(spec: &std::path::Path, config: Option<&str>) -> pipeline::Rendered {
    let dir = tempfile::tempdir().unwrap();
    let mut target = Target::standalone(spec, &dir.path().join("out"), "full").unwrap();
    target.config = config.map(|c| workspace_root().join(c));
    pipeline::render(&target).unwrap_or_else(|e| panic!("{}:\n{e}", spec.display()))
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

#[test]
fn progenitor_samples_generate_as_progenitor_does() {
    let Some(specs) = shared_specs() else { return };
    for name in PROGENITOR_SAMPLES {
        let r = render(&specs.join(format!("progenitor/{name}.json")), None);
        assert!(r.operations > 0, "{name}");
        assert!(r.left_out.is_empty(), "{name}: {:?}", r.left_out);
    }
}

// That the generated OpenAI crates compile is checked by building them:
// `tests/conformance.rs` (`openai_*_examples_conform`, run by `.ci/run`)
// builds both and runs their documented examples through them.

/// progenitor's own sample specs give crates that compile on their own: the
/// manifest lists what the generator reports the code uses (`nexus` and
/// `propolis-server` have websocket operations, which need `base64` and
/// `rand`). `#[ignore]`d (a few minutes of `cargo check`); `.ci/run` runs it.
#[test]
#[ignore = "slow: checks seven generated crates; run with --ignored (CI does)"]
fn progenitor_samples_compile() {
    let Some(specs) = shared_specs() else { return };
    let root = workspace_root();
    // Outside this workspace (cargo would take the crates for members).
    let dir = tempfile::tempdir().unwrap();
    let mut failed = Vec::new();
    for name in PROGENITOR_SAMPLES {
        let out = dir.path().join(name);
        let target =
            Target::standalone(&specs.join(format!("progenitor/{name}.json")), &out, name).unwrap();
        pipeline::run(&target, codegen::Mode::Write).unwrap_or_else(|e| panic!("{name}: {e}"));
        std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
        let status = std::process::Command::new(env!("CARGO"))
            .args([
                "check",
                "--quiet",
                "--message-format=short",
                "--manifest-path",
            ])
            .arg(out.join("Cargo.toml"))
            .env(
                "CARGO_TARGET_DIR",
                root.join(codegen::pipeline::GENERATED_CRATES_TARGET_DIR),
            )
            .status()
            .expect("run cargo");
        if !status.success() {
            failed.push(name);
        }
    }
    assert!(failed.is_empty(), "do not compile: {failed:?}");
}
