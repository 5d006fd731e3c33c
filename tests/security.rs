//! Each request carries exactly the credentials its operation's `security`
//! asks for, against a local server.
//!
//! The client is `fixtures/streams-uploads/` (see `tests/streams_uploads.rs`):
//! its spec's schemes are `bearer` (the top-level requirement), `queryKey`
//! (an API key in the query) and `appId` (an API key in a header); its
//! operations inherit the top-level requirement (`bearer`) or state their
//! own: `getStatus` `security: []`, `listReports` `queryKey` AND `appId`,
//! OR `bearer`, `getProfile` an empty alternative OR `appId`.

use futures::StreamExt;
use streams_uploads_client::types::UploadPurpose;
use streams_uploads_client::{Client, Error, FilePart};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const BEARER: &str = "sk-bearer";
const QUERY_KEY: &str = "q-secret";
const APP_ID: &str = "app-secret";

/// A client holding the keys of `schemes` (each scheme's own key).
fn holding(server: &MockServer, schemes: &[&str]) -> Client {
    let mut builder = Client::builder().base_url(server.uri());
    for scheme in schemes {
        let key = match *scheme {
            "bearer" => BEARER,
            "queryKey" => QUERY_KEY,
            "appId" => APP_ID,
            other => panic!("no scheme {other}"),
        };
        builder = builder.credential(scheme, key);
    }
    builder.build().unwrap()
}

const ALL: &[&str] = &["bearer", "queryKey", "appId"];

/// Which of the three credentials a request carried, each where its scheme
/// puts it.
fn carried(request: &Request) -> Vec<&'static str> {
    let mut found = Vec::new();
    if request
        .headers
        .get("authorization")
        .map(|v| v.to_str().unwrap())
        == Some(&format!("Bearer {BEARER}"))
    {
        found.push("bearer");
    }
    if request
        .url
        .query_pairs()
        .any(|(k, v)| k == "api_key" && v == QUERY_KEY)
    {
        found.push("queryKey");
    }
    if request.headers.get("x-app-id").map(|v| v.to_str().unwrap()) == Some(APP_ID) {
        found.push("appId");
    }
    // Nothing else carries a key: no other header or query value has one.
    let text = format!("{:?} {}", request.headers, request.url);
    for key in [BEARER, QUERY_KEY, APP_ID] {
        let places = text.matches(key).count();
        assert!(places <= 1, "{key} sent twice: {text}");
    }
    found
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

#[tokio::test]
async fn an_operation_inheriting_the_top_level_requirement_gets_only_that_key() {
    let server = server().await;
    let client = holding(&server, ALL);
    client.delete_file().file_id("f1").send().await.ok();
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(carried(&sent[0]), ["bearer"]);
}

#[tokio::test]
async fn a_public_operation_gets_no_key_whatever_the_client_holds() {
    let server = server().await;
    holding(&server, ALL).get_status().send().await.unwrap();
    holding(&server, &[]).get_status().send().await.unwrap();
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 2);
    for request in &sent {
        assert_eq!(carried(request), [] as [&str; 0]);
        assert!(request.headers.get("authorization").is_none());
    }
}

#[tokio::test]
async fn an_and_requirement_sends_all_its_keys_or_the_next_alternative() {
    let server = server().await;
    // Both alternatives complete: the first, both of its keys, no bearer.
    holding(&server, ALL).list_reports().send().await.unwrap();
    // The AND incomplete (no app id): the bearer alternative.
    holding(&server, &["queryKey", "bearer"])
        .list_reports()
        .send()
        .await
        .unwrap();
    // Only the bearer token.
    holding(&server, &["bearer"])
        .list_reports()
        .send()
        .await
        .unwrap();
    let sent = requests(&server).await;
    let carried: Vec<_> = sent.iter().map(carried).collect();
    assert_eq!(
        carried,
        [vec!["queryKey", "appId"], vec!["bearer"], vec!["bearer"]]
    );
}

#[tokio::test]
async fn an_operation_whose_every_alternative_lacks_a_key_fails_before_sending() {
    let server = server().await;
    let err = holding(&server, &["queryKey"])
        .list_reports()
        .send()
        .await
        .unwrap_err();
    let Error::InvalidRequest(message) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        message,
        "`list_reports` needs credentials this client was not given: `queryKey` and `appId` or `bearer` \
         (give a key with `Client::builder().credential(\"queryKey\", key)`)"
    );
    assert!(!format!("{err} {err:?}").contains(QUERY_KEY));
    // A client without keys: every secured operation, streams and uploads
    // too, fails the same way.
    let bare = Client::new(&server.uri());
    let err = bare.delete_file().file_id("f1").send().await.unwrap_err();
    assert!(err.to_string().contains("`bearer`"), "{err}");
    let mut items = Box::pin(bare.list_items().stream());
    let err = items.next().await.unwrap().unwrap_err();
    assert!(err.to_string().contains("`bearer`"), "{err}");
    assert!(requests(&server).await.is_empty(), "nothing was sent");
}

#[tokio::test]
async fn optional_credentials_are_sent_when_held_and_not_required() {
    let server = server().await;
    holding(&server, ALL).get_profile().send().await.unwrap();
    holding(&server, &["bearer"])
        .get_profile()
        .send()
        .await
        .unwrap();
    let sent = requests(&server).await;
    assert_eq!(carried(&sent[0]), ["appId"]);
    assert_eq!(carried(&sent[1]), [] as [&str; 0]);
}

/// Streams, uploads and pagination go through the same hook as `send()`.
#[tokio::test]
async fn streams_uploads_and_pages_carry_only_their_operations_key() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/items"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                serde_json::json!({"object": "list", "data": [], "has_more": false}),
            ),
        )
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(400))
        .mount(&server)
        .await;
    let client = holding(&server, ALL);
    let items: Vec<_> = client.list_items().stream().collect().await;
    assert!(items.is_empty());
    client
        .create_file()
        .body_map(|b| {
            b.file(FilePart::new("a.txt", b"hi".to_vec()))
                .purpose(UploadPurpose::FineTune)
        })
        .send()
        .await
        .ok();
    client
        .create_chat()
        .body_map(|b| b.model("m").messages(vec!["hi".to_owned()]))
        .send_stream()
        .await
        .ok();
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 3, "{sent:?}");
    for request in &sent {
        assert_eq!(carried(request), ["bearer"], "{}", request.url);
    }
}
