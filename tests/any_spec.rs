//! The runtime serves any spec, not only today's:
//!
//! - `generated-client/` still compiles, with no hand-written file edited,
//!   after its spec is replaced by a real public spec and regenerated (in a
//!   copy of the whole workspace);
//! - crates generated from real specs with other security schemes (a bearer
//!   token, an API key in the query, API keys in headers) authenticate,
//!   retry and report errors like `generated-client/` does: each is built
//!   with a small program that calls one of its operations against a local
//!   server (slow: `#[ignore]`d in everyday runs, CI runs it).

use std::path::Path;

use codegen::Mode;
use codegen::pipeline::{self, GENERATED_CRATES_TARGET_DIR, Target};
use wiremock::{Mock, MockServer, ResponseTemplate};
use workspace_tests::{ScratchWorkspace, shared_specs, workspace_root};

/// A spec whose names share nothing with today's (no `ErrorResponse`, no
/// bearer scheme: API keys in headers).
const SWAP_SPEC: &str = "real/25-apideck-crm.yaml";

#[test]
fn the_workspace_client_depends_on_every_crate_generated_code_may_use() {
    let all = codegen::generate::Needs {
        chrono: true,
        uuid: true,
        regress: true,
        serde_json: true,
        futures: true,
        websockets: true,
    };
    let manifest =
        std::fs::read_to_string(workspace_root().join("generated-client/Cargo.toml")).unwrap();
    for name in pipeline::code_dependencies(&all).keys() {
        assert!(
            manifest
                .lines()
                .any(|l| l.starts_with(&format!("{name} ")) || l.starts_with(&format!("{name}."))),
            "generated-client/Cargo.toml lacks `{name}`"
        );
    }
}

#[test]
fn generated_client_survives_its_spec_being_replaced() {
    let Some(specs) = shared_specs() else { return };
    let scratch = ScratchWorkspace::whole();
    std::fs::copy(specs.join(SWAP_SPEC), scratch.spec_path()).unwrap();
    let hand_written = |root: &Path| {
        ["generated-client/src/lib.rs", "generated-client/Cargo.toml"]
            .map(|f| std::fs::read(root.join(f)).unwrap())
    };
    let before = hand_written(scratch.root());

    let outcome = pipeline::run(&Target::workspace(scratch.root()), Mode::Write).unwrap();
    assert!(outcome.operations > 30, "{} operations", outcome.operations);
    assert_eq!(
        hand_written(scratch.root()),
        before,
        "no hand-written file edited"
    );
    let code =
        std::fs::read_to_string(scratch.root().join("generated-client/src/generated.rs")).unwrap();
    assert!(
        code.contains("param: \"x-apideck-app-id\""),
        "the new spec's schemes"
    );
    assert!(!code.contains("delete_project_api_key"));

    let output = pipeline::cargo_for_generated(&workspace_root().join(GENERATED_CRATES_TARGET_DIR))
        .args([
            "check",
            "--quiet",
            "--message-format=short",
            "-p",
            "openai-admin-client",
            "--all-targets",
        ])
        .current_dir(scratch.root())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "generated-client/ does not compile on {SWAP_SPEC}:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A real spec, the credentials the probe gives (scheme name, key), and
/// where each key must arrive: (`header:<name>` with its value, or `query:<name>`).
struct Case {
    spec: &'static str,
    credentials: &'static [(&'static str, &'static str)],
    expect: &'static [(&'static str, &'static str)],
}

const CASES: &[Case] = &[
    Case {
        spec: "real/05-1password-events.yaml",
        credentials: &[("jwtsa", "jwt-SECRET")],
        expect: &[("header:authorization", "Bearer jwt-SECRET")],
    },
    Case {
        spec: "real/11-circleci.yaml",
        credentials: &[("apikey", "circle-SECRET")],
        expect: &[("query:circle-token", "circle-SECRET")],
    },
    Case {
        spec: "real/25-apideck-crm.yaml",
        credentials: &[
            ("apiKey", "Bearer apideck-SECRET"),
            ("applicationId", "app-1"),
        ],
        expect: &[
            ("header:authorization", "Bearer apideck-SECRET"),
            ("header:x-apideck-app-id", "app-1"),
        ],
    },
];

#[tokio::test(flavor = "multi_thread")]
#[ignore = "slow: builds three generated crates; run with --ignored (CI does)"]
async fn real_spec_crates_authenticate_retry_and_report_errors() {
    let Some(specs) = shared_specs() else { return };
    let dir = tempfile::tempdir().unwrap();
    for case in CASES {
        let spec = specs.join(case.spec);
        let name = "probe-client";
        let out = dir.path().join(spec.file_stem().unwrap());
        pipeline::run(&Target::standalone(&spec, &out, name).unwrap(), Mode::Write).unwrap();
        let code = std::fs::read_to_string(out.join("src/generated.rs")).unwrap();
        let surface = codegen::surface::extract(&code).unwrap();
        // A GET the probe can call: the fewest required parameters, all strings.
        let (operation, op) = surface
            .operations
            .iter()
            .filter(|(_, op)| op.http_method == "GET")
            .filter(|(_, op)| op.params.iter().all(|p| !p.required || p.ty == "String"))
            .min_by_key(|(_, op)| op.params.iter().filter(|p| p.required).count())
            .unwrap_or_else(|| panic!("{}: no GET with only string parameters", case.spec));
        let required: Vec<&str> = op
            .params
            .iter()
            .filter(|p| p.required)
            .map(|p| p.name.as_str())
            .collect();
        write_probe(&out, operation, &required, case.credentials);

        let server = MockServer::start().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(
                ResponseTemplate::new(503)
                    .set_body_raw(r#"{"message":"down for maintenance"}"#, "application/json")
                    .insert_header("x-request-id", "req-probe"),
            )
            .mount(&server)
            .await;
        let output =
            pipeline::cargo_for_generated(&workspace_root().join(GENERATED_CRATES_TARGET_DIR))
                .args(["run", "--quiet", "--example", "probe", "--manifest-path"])
                .arg(out.join("Cargo.toml"))
                .arg("--")
                .arg(server.uri())
                .output()
                .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{}: the probe failed:\n{}",
            case.spec,
            String::from_utf8_lossy(&output.stderr)
        );
        let requests = server.received_requests().await.unwrap();
        assert_eq!(requests.len(), 3, "{}: 503 is retried twice", case.spec);
        for r in &requests {
            for (place, value) in case.expect {
                let got = match place.split_once(':').unwrap() {
                    ("header", h) => r.headers.get(h).map(|v| v.to_str().unwrap().to_owned()),
                    (_, q) => r
                        .url
                        .query_pairs()
                        .find(|(k, _)| k == q)
                        .map(|(_, v)| v.into_owned()),
                };
                assert_eq!(
                    got.as_deref(),
                    Some(*value),
                    "{} {operation}: {place}",
                    case.spec
                );
            }
        }
        assert!(stdout.contains("HTTP 503"), "{}: {stdout}", case.spec);
        assert!(stdout.contains("req-probe"), "{}: {stdout}", case.spec);
        for (_, key) in case.credentials {
            assert!(
                !stdout.contains(key),
                "{}: a key leaked: {stdout}",
                case.spec
            );
        }
        println!("{}: {operation}: {}", case.spec, stdout.trim());
    }
}

/// `examples/probe.rs`: builds the client with `credentials` and fast
/// retries, calls `operation` (each of `required` set to `"x"`), and prints
/// `ok` or the `ApiError` (after one `?`) with its Debug form.
fn write_probe(out: &Path, operation: &str, required: &[&str], credentials: &[(&str, &str)]) {
    let credentials: String = credentials
        .iter()
        .map(|(scheme, key)| format!(".credential({scheme:?}, {key:?})"))
        .collect();
    let arguments: String = required.iter().map(|p| format!(".{p}(\"x\")")).collect();
    let program = format!(
        r#"use std::time::Duration;
use probe_client::{{ApiError, Client, RetryPolicy}};

async fn call(client: &Client) -> Result<(), ApiError> {{
    client.{operation}(){arguments}.send().await?;
    Ok(())
}}

#[tokio::main]
async fn main() {{
    let url = std::env::args().nth(1).unwrap();
    let mut retry = RetryPolicy::default().max_retries(2);
    retry.initial_backoff = Duration::from_millis(1);
    retry.max_backoff = Duration::from_millis(5);
    let client = Client::builder().base_url(url){credentials}.retry(retry).build().unwrap();
    match call(&client).await {{
        Ok(()) => println!("ok"),
        Err(e) => println!("{{e}} / {{e:?}}"),
    }}
}}
"#
    );
    std::fs::create_dir_all(out.join("examples")).unwrap();
    std::fs::write(out.join("examples/probe.rs"), program).unwrap();
    let manifest = out.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest).unwrap();
    text.push_str("\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n");
    std::fs::write(&manifest, text).unwrap();
    std::fs::copy(workspace_root().join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
}
