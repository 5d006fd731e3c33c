//! The generated client against a real HTTP server on loopback (wiremock):
//! requests, decoding, errors, timeouts, retries. Nothing of ours is mocked.

use std::time::Duration;

use openai_admin_client::runtime::error::Body;
use openai_admin_client::types::{ErrorResponse, ProjectApiKeyDeleteResponseObject};
use openai_admin_client::{ApiError, Client, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "sk-admin-test-SECRET-1234";
const OK_BODY: &str =
    r#"{"object":"organization.project.api_key.deleted","id":"key_abc","deleted":true}"#;

/// Fast retries, so tests of retrying take milliseconds.
fn quick_retries(max_retries: u32) -> RetryPolicy {
    let mut policy = RetryPolicy::default().max_retries(max_retries);
    policy.initial_backoff = Duration::from_millis(1);
    policy.max_backoff = Duration::from_millis(5);
    policy
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .retry(quick_retries(2))
        .build()
        .unwrap()
}

async fn delete(
    client: &Client,
    project: &str,
    key: &str,
) -> Result<openai_admin_client::types::ProjectApiKeyDeleteResponse, ApiError> {
    let deleted = client
        .delete_project_api_key()
        .project_id(project)
        .key_id(key)
        .send()
        .await?;
    Ok(deleted.into_inner())
}

/// One `?` turns the method's error into the runtime's `ApiError`.
/// A server answering every DELETE with the documented 200.
async fn ok_server() -> MockServer {
    let server = MockServer::start().await;
    respond_always(
        &server,
        ResponseTemplate::new(200).set_body_raw(OK_BODY, "application/json"),
    )
    .await;
    server
}

async fn respond_always(server: &MockServer, response: ResponseTemplate) {
    Mock::given(method("DELETE"))
        .respond_with(response)
        .mount(server)
        .await;
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

#[tokio::test]
async fn sends_exactly_the_documented_request() {
    let server = ok_server().await;

    let deleted = delete(&client(&server), "proj_1", "key_1").await.unwrap();
    assert_eq!(deleted.id, "key_abc");
    assert!(deleted.deleted);
    assert_eq!(
        deleted.object,
        ProjectApiKeyDeleteResponseObject::OrganizationProjectApiKeyDeleted
    );

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.method.as_str(), "DELETE");
    assert_eq!(r.url.path(), "/organization/projects/proj_1/api_keys/key_1");
    assert_eq!(r.url.query(), None);
    assert_eq!(
        r.headers.get("authorization").unwrap(),
        &format!("Bearer {KEY}")
    );
    assert_eq!(r.headers.get("accept").unwrap(), "application/json");
    assert!(
        r.headers.get("api-version").is_none(),
        "the spec defines no api-version header"
    );
    assert!(r.body.is_empty());
}

#[tokio::test]
async fn api_version_header_only_on_request() {
    let server = ok_server().await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .send_api_version_header(true)
        .build()
        .unwrap();
    delete(&client, "p", "k").await.unwrap();
    assert_eq!(
        received(&server).await[0]
            .headers
            .get("api-version")
            .unwrap(),
        "2.3.0"
    );
}

#[tokio::test]
async fn base_url_path_prefix_is_kept() {
    let server = ok_server().await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(format!("{}/v1/", server.uri()))
        .build()
        .unwrap();
    delete(&client, "p", "k").await.unwrap();
    assert_eq!(
        received(&server).await[0].url.path(),
        "/v1/organization/projects/p/api_keys/k"
    );
}

#[tokio::test]
async fn path_parameters_cannot_change_the_path() {
    let server = ok_server().await;
    let client = client(&server);
    let tricky = [
        "a/b", "../x", "a?b=c", "a#frag", "100%", "a b", "ключ", "é/../..",
    ];
    for value in tricky {
        delete(&client, value, "k").await.unwrap();
    }
    let requests = received(&server).await;
    assert_eq!(requests.len(), tricky.len());
    for (value, r) in tricky.iter().zip(&requests) {
        let segments: Vec<_> = r.url.path_segments().unwrap().collect();
        assert_eq!(segments.len(), 5, "{value:?} -> {}", r.url);
        assert_eq!(segments[0], "organization");
        assert_eq!(segments[3], "api_keys");
        let decoded = percent_decode(segments[2]);
        assert_eq!(&decoded, value, "{}", r.url);
        assert_eq!(r.url.query(), None, "{value:?}");
        assert_eq!(r.url.fragment(), None, "{value:?}");
    }

    // Values that URL parsing would resolve away are refused before sending.
    for value in ["..", ".", ""] {
        match delete(&client, value, "k").await {
            Err(ApiError::InvalidRequest(m)) => {
                assert!(m.contains("would change the request path"), "{m}")
            }
            other => panic!("{value:?}: {other:?}"),
        }
    }
    assert_eq!(
        received(&server).await.len(),
        tricky.len(),
        "nothing more was sent"
    );
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() + 1 {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[tokio::test]
async fn documented_400_is_typed_with_nulls_and_unknown_fields() {
    let server = MockServer::start().await;
    let body = r#"{"error":{"message":"bad key id","type":"invalid_request_error","param":null,"code":null,"extra":1},"also":"ignored"}"#;
    respond_always(
        &server,
        ResponseTemplate::new(400)
            .set_body_raw(body, "application/json")
            .insert_header("x-request-id", "req_400"),
    )
    .await;
    let err = delete(&client(&server), "p", "k").await.unwrap_err();
    match &err {
        ApiError::Status {
            status,
            body: Body::Json(json),
            request_id,
            message,
            ..
        } => {
            let e = err.body::<ErrorResponse>().expect("the typed 400 body");
            assert_eq!(status.as_u16(), 400);
            assert_eq!(message.as_deref(), Some("bad key id"));
            assert_eq!(json["error"]["type"], "invalid_request_error");
            assert_eq!(e.error.message, "bad key id");
            assert_eq!(e.error.type_, "invalid_request_error");
            assert_eq!(e.error.code, None);
            assert_eq!(e.error.param, None);
            assert_eq!(request_id.as_deref(), Some("req_400"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "HTTP 400 Bad Request (request id req_400): bad key id"
    );
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn undocumented_statuses_keep_status_body_and_request_id() {
    let cases: [(u16, &str, &str); 5] = [
        (
            401,
            r#"{"error":{"message":"Incorrect API key","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"#,
            "application/json",
        ),
        (404, "<html><body>Not Found</body></html>", "text/html"),
        (404, "", "text/plain"),
        (
            500,
            r#"{"error":{"message":"boom","type":"server_error","param":null,"code":null}}"#,
            "application/json",
        ),
        (500, "", "text/plain"),
    ];
    for (status, body, content_type) in cases {
        let server = MockServer::start().await;
        respond_always(
            &server,
            ResponseTemplate::new(status)
                .set_body_raw(body, content_type)
                .insert_header("x-request-id", "req_x"),
        )
        .await;
        let err = delete(&client(&server), "p", "k").await.unwrap_err();
        let ApiError::Status {
            status: got,
            body: parsed,
            request_id,
            attempts,
            message,
            ..
        } = &err
        else {
            panic!("{status}: {err:?}");
        };
        assert_eq!(got.as_u16(), status);
        assert_eq!(request_id.as_deref(), Some("req_x"));
        match (content_type, parsed) {
            ("application/json", Body::Json(e)) => {
                assert_eq!(message.as_deref(), e["error"]["message"].as_str())
            }
            ("text/html", Body::Text(t)) => assert!(t.contains("Not Found")),
            ("text/plain", Body::Empty) => {}
            other => panic!("{status} {other:?}"),
        }
        // 5xx are retried (2 retries), 4xx are not.
        let expected_attempts = if status >= 500 { 3 } else { 1 };
        assert_eq!(*attempts, Some(expected_attempts), "{status}");
        assert_eq!(received(&server).await.len(), expected_attempts as usize);
        let text = err.to_string();
        assert!(text.starts_with(&format!("HTTP {status}")), "{text}");
        assert!(!text.contains(KEY));
    }
}

#[tokio::test]
async fn bodies_that_do_not_match_the_spec_are_decode_errors() {
    for body in [
        r#"{"object":"organization.project.deleted","id":"k","deleted":true}"#,
        r#"{"object":"organization.project.api_key.deleted","id":"k""#,
        r#"{"object":"organization.project.api_key.deleted","deleted":true}"#,
    ] {
        let server = MockServer::start().await;
        respond_always(
            &server,
            ResponseTemplate::new(200).set_body_raw(body, "application/json"),
        )
        .await;
        match delete(&client(&server), "p", "k").await {
            Err(ApiError::Decode {
                message, body: got, ..
            }) => {
                assert!(!message.is_empty());
                assert_eq!(got, body);
            }
            other => panic!("{body}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn slow_server_times_out() {
    let server = MockServer::start().await;
    respond_always(
        &server,
        ResponseTemplate::new(200)
            .set_body_raw(OK_BODY, "application/json")
            .set_delay(Duration::from_secs(5)),
    )
    .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .timeout(Duration::from_millis(200))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    match delete(&client, "p", "k").await {
        Err(ApiError::Transport {
            timeout, message, ..
        }) => {
            assert!(timeout, "{message}");
            assert!(!message.contains(KEY));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn connection_refused_is_retried_then_reported_with_attempts() {
    let client = Client::builder()
        .api_key(KEY)
        .base_url(workspace_tests::closed_url())
        .retry(quick_retries(2))
        .build()
        .unwrap();
    match delete(&client, "p", "k").await {
        Err(e @ ApiError::Transport { .. }) => {
            assert_eq!(e.attempts(), Some(3), "{e:?}");
            let text = e.to_string();
            assert!(text.ends_with("(gave up after 3 attempts)"), "{text}");
            assert!(!text.contains(KEY));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn retry_after_is_honoured_then_success() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/organization/projects/p/api_keys/k"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(OK_BODY, "application/json"))
        .with_priority(2)
        .mount(&server)
        .await;
    let started = std::time::Instant::now();
    let deleted = delete(&client(&server), "p", "k").await.unwrap();
    assert_eq!(deleted.id, "key_abc");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    // The second attempt waited for Retry-After (1 s), not the 1 ms backoff.
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        requests[1].headers.get("authorization").unwrap(),
        &format!("Bearer {KEY}")
    );
}

#[tokio::test]
async fn gives_up_after_the_configured_attempts() {
    let server = MockServer::start().await;
    respond_always(
        &server,
        ResponseTemplate::new(503).set_body_raw("overloaded", "text/plain"),
    )
    .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .retry(quick_retries(4))
        .build()
        .unwrap();
    let err = delete(&client, "p", "k").await.unwrap_err();
    assert!(
        matches!(
            err,
            ApiError::Status {
                attempts: Some(5),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "HTTP 503 Service Unavailable after 5 attempts: overloaded"
    );
    assert_eq!(received(&server).await.len(), 5);

    let server = MockServer::start().await;
    respond_always(&server, ResponseTemplate::new(503)).await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    delete(&client, "p", "k").await.unwrap_err();
    assert_eq!(received(&server).await.len(), 1, "retries off");
}

#[test]
fn the_key_never_shows_in_debug_output() {
    let client = Client::builder()
        .api_key(KEY)
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    let debug = format!("{client:?} {:?}", Client::builder().api_key(KEY));
    assert!(!debug.contains(KEY), "{debug}");
    assert!(debug.contains("ApiKey(***)"), "{debug}");
}

#[test]
fn configuration_errors_are_clear() {
    let err = Client::builder().api_key("a\nb").build().unwrap_err();
    assert!(err.to_string().contains("cannot carry"), "{err}");
    let err = Client::builder()
        .api_key(KEY)
        .base_url("not a url")
        .build()
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("`not a url` is not a valid base URL"),
        "{err}"
    );
    let err = Client::builder()
        .credential("Nope", KEY)
        .build()
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("no security scheme `Nope` (it has: ApiKeyAuth)"),
        "{err}"
    );
    assert!(!err.to_string().contains(KEY));
}

/// `Client::new` holds no key: a call of an operation whose `security`
/// asks for one fails before anything is sent, naming the scheme.
#[tokio::test]
async fn new_gives_a_client_without_credentials_whose_secured_calls_fail_before_sending() {
    let server = MockServer::start().await;
    respond_always(
        &server,
        ResponseTemplate::new(200).set_body_raw(OK_BODY, "application/json"),
    )
    .await;
    let client = Client::new(&server.uri());
    let err = delete(&client, "p", "k").await.unwrap_err();
    assert!(
        err.to_string().contains(
            "`delete_project_api_key` needs credentials this client was not given: `ApiKeyAuth`"
        ),
        "{err}"
    );
    assert!(received(&server).await.is_empty(), "nothing was sent");
}
