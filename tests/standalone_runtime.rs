//! The runtime in a standalone crate (`fixtures/streams-uploads`, generated
//! from `tests/specs/streams-uploads.yaml` with its own copy of the runtime)
//! against a real HTTP server on loopback (wiremock): credentials per
//! scheme, pagination, retries with idempotency keys, final 429s, and
//! errors reached by one `?`.

use std::time::Duration;

use futures::StreamExt;
use streams_uploads_client::types::Error as ApiErrorBody;
use streams_uploads_client::{ApiError, Client, RequestOptions, RetryPolicy};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "sk-standalone-SECRET-42";

fn quick(max_retries: u32) -> RetryPolicy {
    let mut policy = RetryPolicy::default().max_retries(max_retries);
    policy.initial_backoff = Duration::from_millis(1);
    policy.max_backoff = Duration::from_millis(5);
    policy
}

fn client(server: &MockServer, policy: RetryPolicy) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .retry(policy)
        .build()
        .unwrap()
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

fn page(ids: &[&str], has_more: bool) -> ResponseTemplate {
    let data: Vec<_> = ids.iter().map(|id| serde_json::json!({"id": id})).collect();
    ResponseTemplate::new(200)
        .set_body_json(serde_json::json!({"object": "list", "data": data, "has_more": has_more}))
}

async fn paged_server() -> MockServer {
    let server = MockServer::start().await;
    for (after, ids, more) in [("b", &["c", "d"][..], true), ("d", &["e"][..], false)] {
        Mock::given(method("GET"))
            .and(path("/items"))
            .and(query_param("after", after))
            .respond_with(page(ids, more))
            .with_priority(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path("/items"))
        .respond_with(page(&["a", "b"], true))
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

/// One `?` from any generated method into the runtime's error type.
async fn list_first_page(client: &Client) -> Result<usize, ApiError> {
    Ok(client.list_items().send().await?.data.len())
}

#[tokio::test]
async fn paginated_lists_stream_every_item_fetching_pages_lazily() {
    let server = paged_server().await;
    let client = client(&server, quick(0));
    let ids: Vec<String> = client
        .list_items()
        .limit(2)
        .stream()
        .map(|item| item.unwrap().id)
        .collect()
        .await;
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 3, "stops when has_more is false");
    assert_eq!(requests[1].url.query(), Some("after=b&limit=2"));
    assert_eq!(requests[2].url.query(), Some("after=d&limit=2"));

    // Taking the first page's items fetches nothing more.
    let server = paged_server().await;
    let client = self::client(&server, quick(0));
    let first: Vec<_> = Box::pin(client.list_items().stream())
        .take(2)
        .collect()
        .await;
    assert_eq!(first.len(), 2);
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn a_page_that_fails_ends_the_stream_with_its_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(query_param("after", "b"))
        .respond_with(ResponseTemplate::new(500).set_body_string("down"))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(page(&["a", "b"], true))
        .with_priority(2)
        .mount(&server)
        .await;
    let items: Vec<_> = client(&server, quick(0))
        .list_items()
        .stream()
        .collect()
        .await;
    assert_eq!(items.len(), 3);
    let err = ApiError::from(items.into_iter().nth(2).unwrap().unwrap_err());
    assert_eq!(err.to_string(), "HTTP 500 Internal Server Error: down");
}

#[tokio::test]
async fn a_used_up_quota_is_final_other_429s_are_retried() {
    let quota =
        r#"{"error":{"message":"You exceeded your current quota","type":"insufficient_quota"}}"#;
    let rate = r#"{"error":{"message":"Rate limit reached","type":"requests"}}"#;
    for (body, attempts) in [(quota, 1), (rate, 3)] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(
                ResponseTemplate::new(429)
                    .set_body_raw(body, "application/json")
                    .insert_header("x-request-id", "req_429"),
            )
            .mount(&server)
            .await;
        let err = list_first_page(&client(&server, quick(2)))
            .await
            .unwrap_err();
        assert_eq!(received(&server).await.len(), attempts, "{body}");
        // The documented 429 body is typed, and its message is in Display.
        let typed = err.body::<ApiErrorBody>().expect("typed 429 body");
        assert!(err.to_string().contains(&typed.error.message), "{err}");
        assert_eq!(err.request_id(), Some("req_429"));
        assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    }
}

#[tokio::test]
async fn posts_are_retried_only_under_one_idempotency_key() {
    async fn server() -> MockServer {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "ch_1"})),
            )
            .with_priority(2)
            .mount(&server)
            .await;
        server
    }
    let charge = |client: Client| async move {
        client
            .create_charge()
            .body_map(|b| b.amount(100))
            .send()
            .await
            .map(|r| r.into_inner().id)
    };

    let plain = server().await;
    let err = ApiError::from(charge(client(&plain, quick(2))).await.unwrap_err());
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(received(&plain).await.len(), 1, "POST is not idempotent");

    let keyed = server().await;
    let policy = quick(2).idempotency_header("Idempotency-Key");
    let id = charge(client(&keyed, policy)).await.unwrap();
    assert_eq!(id.as_deref(), Some("ch_1"));
    let requests = received(&keyed).await;
    assert_eq!(requests.len(), 2);
    let keys: Vec<_> = requests
        .iter()
        .map(|r| r.headers.get("idempotency-key").unwrap().clone())
        .collect();
    assert_eq!(keys[0], keys[1], "the same key on every attempt");
    assert!(keys[0].len() >= 16);
}

#[tokio::test]
async fn each_scheme_gets_its_key_and_none_leaks() {
    let server = paged_server().await;
    let client = Client::builder()
        .credential("queryKey", KEY)
        .credential("appId", "app-1")
        .api_key("sk-bearer")
        .base_url(server.uri())
        .build()
        .unwrap();
    // `list_items` asks for the bearer token (the spec's default) only.
    client.list_items().send().await.unwrap();
    let r = &received(&server).await[0];
    assert_eq!(r.headers.get("authorization").unwrap(), "Bearer sk-bearer");
    assert_eq!(r.url.query(), None);
    assert!(
        r.headers
            .get("user-agent")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("streams-uploads-client/")
    );
    assert!(!format!("{client:?}").contains(KEY));
    // `list_reports` asks for the query key and the app id first.
    client.list_reports().send().await.ok();
    let r = &received(&server).await[1];
    assert_eq!(r.url.query(), Some(format!("api_key={KEY}").as_str()));
    assert_eq!(r.headers.get("x-app-id").unwrap(), "app-1");
    assert!(r.headers.get("authorization").is_none());

    // A transport error names neither the key nor the URL that carries it.
    let client = Client::builder()
        .credential("queryKey", KEY)
        .credential("appId", "app-1")
        .base_url(workspace_tests::closed_url())
        .retry(quick(2))
        .build()
        .unwrap();
    let err = ApiError::from(client.list_reports().send().await.unwrap_err());
    assert_eq!(err.attempts(), Some(3), "{err:?}");
    let text = format!("{err} {err:?}");
    assert!(!text.contains(KEY), "{text}");
    assert!(text.contains("gave up after 3 attempts"), "{text}");
}

#[tokio::test]
async fn builder_errors_name_the_problem() {
    let err = Client::builder()
        .credential("nope", KEY)
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the spec has no security scheme `nope` (it has: bearer, queryKey, appId)"
    );
    // The spec's server is the default base URL.
    let client = Client::builder().build().unwrap();
    assert_eq!(
        streams_uploads_client::ClientInfo::baseurl(&client),
        "https://api.example.com/v1"
    );
}

/// `with_options`: a clone whose requests use the overrides; the original
/// client keeps its settings.
#[tokio::test]
async fn with_options_overrides_one_clones_requests_only() {
    let server = MockServer::start().await;
    Mock::given(path("/status"))
        .respond_with(ResponseTemplate::new(204).set_delay(Duration::from_millis(400)))
        .mount(&server)
        .await;
    Mock::given(path("/files/f1"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    Mock::given(path("/items"))
        .respond_with(page(&["a"], false))
        .mount(&server)
        .await;
    let base = client(&server, quick(2));

    // The timeout fires for the clone's call only.
    let hurried = base.with_options(
        RequestOptions::new()
            .timeout(Duration::from_millis(50))
            .max_retries(0),
    );
    let err = ApiError::from(hurried.get_status().send().await.unwrap_err());
    assert!(err.to_string().contains("timed out"), "{err}");
    base.get_status().send().await.unwrap();

    // Headers: on every request of the clone, pages included, not on the
    // original's; later `with_options` add to earlier ones.
    let traced = base
        .with_options(RequestOptions::new().header("x-trace", "t1"))
        .with_options(RequestOptions::new().header("x-team", "core"));
    let items: Vec<_> = traced.list_items().stream().collect().await;
    assert_eq!(items.len(), 1);
    base.list_items().send().await.unwrap();
    let sent = received(&server).await;
    let pages: Vec<_> = sent.iter().filter(|r| r.url.path() == "/items").collect();
    assert_eq!(pages[0].headers["x-trace"], "t1");
    assert_eq!(pages[0].headers["x-team"], "core");
    assert!(pages[1].headers.get("x-trace").is_none());
    // The clone keeps the credentials.
    assert_eq!(pages[0].headers["authorization"], format!("Bearer {KEY}"));

    // Retries: none for the clone, the policy's for the original.
    let before = received(&server).await.len();
    let once = base.with_options(RequestOptions::new().max_retries(0));
    once.delete_file().file_id("f1").send().await.unwrap_err();
    assert_eq!(received(&server).await.len() - before, 1);
    base.delete_file().file_id("f1").send().await.unwrap_err();
    assert_eq!(received(&server).await.len() - before, 1 + 3);
}

/// An idempotency key makes a POST retryable, the same key on every
/// attempt.
#[tokio::test]
async fn an_idempotency_key_is_sent_and_makes_a_post_retryable() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let keyed =
        client(&server, quick(1)).with_options(RequestOptions::new().idempotency_key("order-17"));
    keyed
        .create_chat()
        .body_map(|b| b.model("m").messages(vec!["hi".to_owned()]))
        .send()
        .await
        .unwrap_err();
    let sent = received(&server).await;
    assert_eq!(sent.len(), 2, "retried once under the key");
    for r in &sent {
        assert_eq!(r.headers["idempotency-key"], "order-17");
    }
    // A header no request can carry fails before sending, saying which.
    let bad = client(&server, quick(0)).with_options(RequestOptions::new().header("x\nbad", "v"));
    let err = bad.get_status().send().await.unwrap_err();
    assert!(err.to_string().contains("the header `x\nbad`"), "{err}");
}
