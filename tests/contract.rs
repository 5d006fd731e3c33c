//! Contract test: the generated client against Prism, a mock server that
//! validates every request against `spec/api-definition.yaml` (security
//! scheme included) and answers from the spec.
//!
//! Prism is installed by `npm ci --prefix tests/prism` (pinned in
//! `tests/prism/package-lock.json`; `.ci/run` does it). Without it the test
//! is skipped with a message, except under `CI=true`, where it fails.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use openai_admin_client::types::ErrorResponse;
use openai_admin_client::{ApiError, Client};
use workspace_tests::workspace_root;

struct Prism {
    child: Child,
    url: String,
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Start Prism on a free loopback port serving the workspace spec, or
/// explain why not.
fn start_prism() -> Option<Prism> {
    start_prism_for(&workspace_root().join("spec/api-definition.yaml"))
}

/// Start Prism serving `spec`.
fn start_prism_for(spec: &std::path::Path) -> Option<Prism> {
    let root = workspace_root();
    let bin = root.join("tests/prism/node_modules/.bin/prism");
    if !bin.exists() {
        let why = format!(
            "{} not found: run `npm ci --prefix tests/prism` (needs Node.js) to enable the Prism contract test",
            bin.display()
        );
        workspace_tests::skip(&why);
        return None;
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(&bin)
        .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()])
        .arg(spec)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
    let prism = Prism {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    // Ready when it answers HTTP, not when the port accepts a connection:
    // a request sent in between is dropped ("error sending request").
    let deadline = Instant::now() + Duration::from_secs(90);
    while !answers_http(port) {
        assert!(
            Instant::now() < deadline,
            "Prism did not answer HTTP on port {port} within 90 s"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    Some(prism)
}

/// Whether something on `port` answers an HTTP request (any status).
fn answers_http(port: u16) -> bool {
    use std::io::{Read, Write};
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    if stream
        .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut head = [0u8; 5];
    stream.read_exact(&mut head).is_ok() && &head == b"HTTP/"
}

fn example_binary() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let bin = exe
        .parent()?
        .parent()?
        .join("examples/delete_project_api_key");
    let bin = bin.with_extension(std::env::consts::EXE_EXTENSION);
    if bin.exists() {
        Some(bin)
    } else {
        let why = format!(
            "{} not built: run the tests with `cargo test --workspace`",
            bin.display()
        );
        workspace_tests::skip(&why);
        None
    }
}

/// The error of a delete that must fail.
async fn failed_delete(client: &Client) -> ApiError {
    let err = client
        .delete_project_api_key()
        .project_id("p")
        .key_id("k")
        .send()
        .await
        .unwrap_err();
    ApiError::from(err)
}

#[tokio::test(flavor = "multi_thread")]
async fn generated_client_honours_the_spec_contract() {
    let Some(prism) = start_prism() else { return };

    // A valid request (bearer key, path parameters): Prism answers 200 with
    // a body built from the schema, which must decode.
    let client = Client::builder()
        .api_key("sk-admin-contract")
        .base_url(&prism.url)
        .build()
        .unwrap();
    let deleted = client
        .delete_project_api_key()
        .project_id("proj_abc")
        .key_id("key_abc")
        .send()
        .await
        .unwrap_or_else(|e| panic!("Prism rejected the request: {e}"));
    assert_eq!(
        deleted.object.to_string(),
        "organization.project.api_key.deleted"
    );

    // Without the key, the client refuses before sending: the operation's
    // `security` needs `ApiKeyAuth`. Prism, which enforces the scheme,
    // agrees: the same request sent by hand gets 401.
    let anonymous = Client::builder().base_url(&prism.url).build().unwrap();
    let err = failed_delete(&anonymous).await;
    assert_eq!(err.status(), None, "{err}");
    assert!(
        err.to_string()
            .contains("needs credentials this client was not given: `ApiKeyAuth`"),
        "{err}"
    );
    let by_hand = reqwest::Client::new()
        .delete(format!(
            "{}/organization/projects/proj_abc/api_keys/key_abc",
            prism.url
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(by_hand.status().as_u16(), 401);

    // `Prefer: code=400` makes Prism answer the documented error: typed.
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "prefer",
        reqwest::header::HeaderValue::from_static("code=400"),
    );
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap();
    let client400 = Client::builder()
        .api_key("sk-admin-contract")
        .base_url(&prism.url)
        .http_client(http)
        .build()
        .unwrap();
    let err = failed_delete(&client400).await;
    match err.body::<ErrorResponse>() {
        Some(e) => {
            assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
            assert_eq!(err.message(), Some(e.error.message.as_str()));
        }
        None => panic!("expected the typed 400, got {err:?}"),
    }

    // The example, as a newcomer runs it.
    let Some(example) = example_binary() else {
        return;
    };
    let out = Command::new(&example)
        .args(["--base-url", &prism.url, "proj_abc", "key_abc"])
        .env("OPENAI_ADMIN_KEY", "sk-admin-contract")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["object"], "organization.project.api_key.deleted");

    let out = Command::new(&example)
        .args(["--base-url", &prism.url, "proj_abc", "key_abc"])
        .env_remove("OPENAI_ADMIN_KEY")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("OPENAI_ADMIN_KEY"), "{stderr}");
}

/// An upload as the generated code sends it satisfies Prism's validation of
/// the `multipart/form-data` body (the required file and enum parts): the
/// fixture crate against its own spec. (Prism reads repeated parts as one
/// string and JSON parts as text, so arrays and objects are checked
/// against wiremock in `tests/streams_uploads.rs` instead.)
#[tokio::test(flavor = "multi_thread")]
async fn an_upload_satisfies_the_multipart_contract() {
    use streams_uploads_client::{Client, FilePart, types::UploadPurpose};
    let spec = workspace_root().join("tests/specs/streams-uploads.yaml");
    let Some(prism) = start_prism_for(&spec) else {
        return;
    };
    // The standalone crate's own builder puts the key where the spec's
    // security scheme says; Prism refuses the upload otherwise.
    let client = Client::builder()
        .api_key("sk-test")
        .base_url(&prism.url)
        .build()
        .unwrap();
    let file = client
        .create_file()
        .body_map(|b| {
            b.file(FilePart::new("train.jsonl", b"{}\n".to_vec()))
                .purpose(UploadPurpose::FineTune)
        })
        .send()
        .await
        .unwrap_or_else(|e| panic!("Prism rejected the upload: {e:?}"));
    assert_eq!(file.status(), 200);
}
