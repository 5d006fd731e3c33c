//! Client overhead per request: the generated client's
//! `delete_project_api_key` (builder, hooks, typed decode) vs a hand-written
//! reqwest DELETE with the same headers decoding the same type, both against
//! one local HTTP server on loopback. Results: BENCHMARKS.md.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use openai_admin_client::types::ProjectApiKeyDeleteResponse;
use openai_admin_client::{Client, RetryPolicy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const BODY: &str =
    r#"{"object":"organization.project.api_key.deleted","id":"key_abc","deleted":true}"#;
const KEY: &str = "sk-admin-bench";

/// A minimal keep-alive HTTP/1.1 server answering every request with BODY.
async fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                let mut pending = Vec::new();
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{BODY}",
                    BODY.len()
                );
                loop {
                    let Ok(n) = socket.read(&mut buf).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    pending.extend_from_slice(&buf[..n]);
                    // DELETE requests carry no body: one response per header block.
                    while let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
                        pending.drain(..end + 4);
                        if socket.write_all(response.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    format!("http://{addr}")
}

fn benches(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let base = runtime.block_on(serve());
    let http = reqwest::Client::new();
    let client = Client::builder()
        .api_key(KEY)
        .base_url(&base)
        .retry(RetryPolicy::none())
        .http_client(http.clone())
        .build()
        .unwrap();
    let url = format!("{base}/organization/projects/proj_abc/api_keys/key_abc");

    let mut group = c.benchmark_group("delete_project_api_key");
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .sample_size(50);
    group.bench_function("generated-client", |b| {
        b.to_async(&runtime).iter(|| async {
            let r = client
                .delete_project_api_key()
                .project_id("proj_abc")
                .key_id("key_abc")
                .send()
                .await
                .unwrap();
            black_box(r.into_inner())
        })
    });
    group.bench_function("hand-written-reqwest", |b| {
        b.to_async(&runtime).iter(|| async {
            let r = http
                .delete(&url)
                .header(reqwest::header::ACCEPT, "application/json")
                .bearer_auth(KEY)
                .send()
                .await
                .unwrap();
            let v: ProjectApiKeyDeleteResponse = r.json().await.unwrap();
            black_box(v)
        })
    });
    group.finish();
}

criterion_group!(client_benches, benches);
criterion_main!(client_benches);
