//! Event streams and uploads, as users call them, against a local server.
//!
//! The client is `fixtures/streams-uploads/`, generated (and checked in)
//! from `tests/specs/streams-uploads.yaml` by `cargo xtask generate`: a
//! standalone crate, with the runtime copied in, used as any user would.

use futures::StreamExt;
use streams_uploads_client::types::{self, EditRequestMultipartImage, UploadPurpose};
use streams_uploads_client::{Client, Error, FilePart, StreamError};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The test key (the spec's first scheme, `bearer`, the default of its
/// operations).
const KEY: &str = "sk-test";

/// A client with the bearer token, the credential most operations ask for.
fn keyed(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .api_key(KEY)
        .build()
        .unwrap()
}

fn sse(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.to_owned(), "text/event-stream")
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "one request expected");
    requests.remove(0)
}

#[tokio::test]
async fn chat_chunks_stream_as_typed_items_until_done() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/chat"))
        .and(header("accept", "text/event-stream"))
        .and(body_json(
            serde_json::json!({"model": "m", "messages": ["hi"], "stream": true}),
        ))
        .respond_with(sse(concat!(
            ": keep-alive\n\n",
            "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n",
            ": keep-alive\n\n",
            "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\n",
            "data: \"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":null}]}\n\n",
            "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
            "data: [DONE]\n\n",
            "data: {\"never\":\"read\"}\n\n",
        )))
        .expect(1)
        .mount(&server)
        .await;
    let client = keyed(&server.uri());
    let stream = client
        .create_chat()
        .body_map(|b| b.model("m").messages(vec!["hi".to_owned()]))
        .send_stream()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    let chunks: Vec<types::ChatChunk> = stream.map(Result::unwrap).collect().await;
    assert_eq!(chunks.len(), 3);
    let text: String = chunks
        .iter()
        .filter_map(|c| c.choices[0].delta.content.clone().flatten())
        .collect();
    assert_eq!(text, "Hello");
    assert_eq!(
        chunks[2].choices[0]
            .finish_reason
            .as_ref()
            .and_then(Option::as_ref)
            .map(|r| r.as_str()),
        Some("stop")
    );
}

#[tokio::test]
async fn send_still_reads_json() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/chat"))
        .and(header("accept", "application/json"))
        .and(body_json(serde_json::json!({"model": "m", "messages": []})))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "c", "text": "t"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let chat = keyed(&server.uri())
        .create_chat()
        .body_map(|b| b.model("m").messages(Vec::<String>::new()))
        .send()
        .await
        .unwrap();
    assert_eq!(chat.text, "t");
}

#[tokio::test]
async fn mid_stream_errors_and_bad_chunks_are_item_errors() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(sse(concat!(
            "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[]}\n\n",
            "data: {\"error\":{\"message\":\"overloaded\"}}\n\n",
            "event: error\ndata: {\"message\":\"late\"}\n\n",
            "data: {\"id\":\"c1\"}\n\n",
        )))
        .mount(&server)
        .await;
    let items: Vec<_> = keyed(&server.uri())
        .create_chat()
        .body_map(|b| b.model("m").messages(Vec::<String>::new()))
        .send_stream()
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(items.len(), 4);
    assert_eq!(items[0].as_ref().unwrap().id, "c1");
    assert!(matches!(&items[1], Err(StreamError::Api { data, .. }) if data.contains("overloaded")));
    assert!(matches!(&items[2], Err(StreamError::Api { event, .. }) if event == "error"));
    let err = items[3].as_ref().unwrap_err();
    assert!(
        err.to_string().contains("does not decode: missing field"),
        "{err}"
    );
    assert!(matches!(err, StreamError::Decode { data, .. } if data == "{\"id\":\"c1\"}"));
}

#[tokio::test]
async fn an_error_status_opens_no_stream_and_keeps_the_typed_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(
            serde_json::json!({"error": {"message": "bad model", "type": "invalid_request_error"}}),
        ))
        .mount(&server)
        .await;
    let err = keyed(&server.uri())
        .create_chat()
        .body_map(|b| b.model("nope").messages(Vec::<String>::new()))
        .send_stream()
        .await
        .unwrap_err();
    match err {
        Error::ErrorResponse(body) => assert_eq!(body.error.message, "bad model"),
        other => panic!("expected the typed error body, got {other:?}"),
    }
}

#[tokio::test]
async fn a_stream_without_a_flag_property_sends_the_body_as_built() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/speech"))
        .and(header("accept", "text/event-stream"))
        .and(body_json(serde_json::json!({"input": "hello"})))
        .respond_with(sse("data: {\"audio\":\"AAA=\"}\n\n"))
        .expect(1)
        .mount(&server)
        .await;
    let events: Vec<_> = keyed(&server.uri())
        .create_speech()
        .body_map(|b| b.input("hello"))
        .send_stream()
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].as_ref().unwrap().audio.as_deref(), Some("AAA="));
}

/// The parts of a multipart body, in order: `(headers, content)`.
fn parts(request: &Request) -> Vec<(String, String)> {
    let content_type = request
        .headers
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not multipart: {content_type}"));
    let body = String::from_utf8_lossy(&request.body).into_owned();
    body.split(&format!("--{boundary}"))
        .filter_map(|part| {
            let part = part.strip_prefix("\r\n")?;
            let (headers, content) = part.split_once("\r\n\r\n")?;
            Some((
                headers.to_owned(),
                content.strip_suffix("\r\n").unwrap_or(content).to_owned(),
            ))
        })
        .collect()
}

#[tokio::test]
async fn an_upload_arrives_as_multipart_with_file_name_type_bytes_and_fields() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/files"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            serde_json::json!({"id": "file-1", "filename": "data.jsonl", "bytes": 8}),
        ))
        .mount(&server)
        .await;
    let file = keyed(&server.uri())
        .create_file()
        .body_map(|b| {
            b.file(
                FilePart::new("data.jsonl", b"{\"a\":1}\n".to_vec())
                    .with_content_type("application/jsonl"),
            )
            .purpose(UploadPurpose::FineTune)
            .tags(vec!["x".to_owned(), "y".to_owned()])
            .attachments(vec![
                FilePart::new("a.png", b"PNG-A".to_vec()),
                FilePart::new("b.png", b"PNG-B".to_vec()),
            ])
            .metadata(
                [("k".to_owned(), "v".to_owned())]
                    .into_iter()
                    .collect::<std::collections::HashMap<_, _>>(),
            )
        })
        .send()
        .await
        .unwrap();
    assert_eq!(file.id, "file-1");
    let parts = parts(&only_request(&server).await);
    let has =
        |headers: &str, content: &str| parts.iter().any(|(h, c)| h == headers && c == content);
    assert!(
        has(
            "content-disposition: form-data; name=\"file\"; filename=\"data.jsonl\"\r\ncontent-type: application/jsonl",
            "{\"a\":1}\n"
        ) || has(
            "Content-Disposition: form-data; name=\"file\"; filename=\"data.jsonl\"\r\nContent-Type: application/jsonl",
            "{\"a\":1}\n"
        ),
        "{parts:#?}"
    );
    let named = |name: &str| -> Vec<&(String, String)> {
        parts
            .iter()
            .filter(|(h, _)| h.contains(&format!("name=\"{name}\"")))
            .collect()
    };
    assert_eq!(named("purpose")[0].1, "fine-tune");
    let tags: Vec<&str> = named("tags").iter().map(|(_, c)| c.as_str()).collect();
    assert_eq!(tags, ["x", "y"]);
    let attachments: Vec<&(String, String)> = named("attachments");
    assert_eq!(attachments.len(), 2);
    assert!(attachments[1].0.contains("filename=\"b.png\"") && attachments[1].1 == "PNG-B");
    // An object is JSON, with the content type the spec's `encoding` gives.
    let metadata = named("metadata")[0];
    assert!(
        metadata
            .0
            .to_ascii_lowercase()
            .contains("content-type: application/json")
    );
    assert_eq!(metadata.1, "{\"k\":\"v\"}");
    assert_eq!(parts.len(), 7, "{parts:#?}");
}

#[tokio::test]
async fn each_request_media_type_has_its_method() {
    let server = MockServer::start().await;
    let done = serde_json::json!({"id": "e", "filename": "x", "bytes": 1});
    Mock::given(method("POST"))
        .and(path("/edits/e1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(done))
        .expect(2)
        .mount(&server)
        .await;
    let client = keyed(&server.uri());
    // JSON keeps the operation's name ...
    client
        .create_edit()
        .edit_id("e1")
        .body_map(|b| b.prompt("p").image_url(Some("https://img".to_owned())))
        .send()
        .await
        .unwrap();
    // ... multipart gets `_multipart`, same path, a union of one or many files.
    client
        .create_edit_multipart()
        .edit_id("e1")
        .body_map(|b| {
            b.prompt("p")
                .image(Some(EditRequestMultipartImage::Array(vec![
                    FilePart::new("1.png", b"one".to_vec()),
                    FilePart::new("2.png", b"two".to_vec()),
                ])))
        })
        .send()
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].headers["content-type"], "application/json");
    let json: serde_json::Value = requests[0].body_json().unwrap();
    assert_eq!(
        json,
        serde_json::json!({"prompt": "p", "image_url": "https://img"})
    );
    let parts = parts(&requests[1]);
    let images: Vec<&str> = parts
        .iter()
        .filter(|(h, _)| h.contains("name=\"image\""))
        .map(|(_, c)| c.as_str())
        .collect();
    assert_eq!(images, ["one", "two"]);
}

#[tokio::test]
async fn other_media_types_carry_their_own_content_type() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/calls"))
        .and(header("content-type", "application/sdp"))
        .respond_with(ResponseTemplate::new(201).set_body_raw("v=0 answer", "application/sdp"))
        .expect(1)
        .mount(&server)
        .await;
    keyed(&server.uri())
        .create_call()
        .body("v=0 offer")
        .send()
        .await
        .unwrap();
    assert_eq!(only_request(&server).await.body, b"v=0 offer");
}

#[tokio::test]
async fn parameters_progenitor_cannot_send_are_encoded_by_their_style() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/jobs/j1/events"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!(["e1"])))
        .expect(1)
        .mount(&server)
        .await;
    let events = keyed(&server.uri())
        .list_job_events()
        .job_id("j1")
        .after("a1")
        .metadata(
            [("team".to_owned(), "x y".to_owned())]
                .into_iter()
                .collect::<std::collections::HashMap<_, _>>(),
        )
        .effective_at(types::ListJobEventsEffectiveAt::builder().gt(5).lte(9))
        .ids(vec![1, 2])
        .openai_beta(vec!["responses=v1".to_owned(), "x=2".to_owned()])
        .session("s1")
        .send()
        .await
        .unwrap();
    assert_eq!(events.into_inner(), ["e1"]);
    let request = only_request(&server).await;
    // deepObject `metadata[team]`, exploded form object, pipe-delimited array.
    assert_eq!(
        request.url.query(),
        Some("after=a1&metadata%5Bteam%5D=x+y&gt=5&lte=9&ids=1%7C2")
    );
    assert_eq!(request.headers["openai-beta"], "responses=v1,x=2");
    assert_eq!(request.headers["cookie"], "session=s1");
}

#[tokio::test]
async fn a_missing_required_cookie_is_an_invalid_request() {
    let err = keyed("http://127.0.0.1:9")
        .list_job_events()
        .job_id("j1")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m == "session was not initialized"),
        "{err:?}"
    );
}

#[tokio::test]
async fn several_response_bodies_come_back_as_one_enum_by_status() {
    use types::{DeleteFileError, DeleteFileSuccess};
    let server = MockServer::start().await;
    Mock::given(path("/files/f1"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"id": "f1", "filename": "a", "bytes": 1})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/files/f2"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(path("/files/f3"))
        .respond_with(
            ResponseTemplate::new(429).set_body_json(serde_json::json!({"retry_after": 7})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/files/f4"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(serde_json::json!({"error": {"message": "no such file"}})),
        )
        .mount(&server)
        .await;
    let client = keyed(&server.uri());
    let delete = |id: &'static str| client.delete_file().file_id(id).send();
    match delete("f1").await.unwrap().into_inner() {
        DeleteFileSuccess::Status200(file) => assert_eq!(file.id, "f1"),
        other => panic!("{other:?}"),
    }
    let gone = delete("f2").await.unwrap();
    assert_eq!(gone.status(), 204);
    assert!(matches!(gone.into_inner(), DeleteFileSuccess::Status204));
    match delete("f3").await.unwrap_err() {
        Error::ErrorResponse(r) => match r.into_inner() {
            DeleteFileError::Status429(body) => assert_eq!(body.retry_after, 7),
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    match delete("f4").await.unwrap_err() {
        Error::ErrorResponse(r) => match r.into_inner() {
            DeleteFileError::Status404(body) => assert_eq!(body.error.message, "no such file"),
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn form_bodies_are_encoded_by_their_encoding_styles() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/charges"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "ch_1"})))
        .expect(1)
        .mount(&server)
        .await;
    let charge = keyed(&server.uri())
        .create_charge()
        .body(
            types::CreateChargeBody::builder()
                .amount(100)
                .card(Some(
                    types::CreateChargeBodyCard::builder()
                        .number("4242".to_owned())
                        .try_into()
                        .unwrap(),
                ))
                .expand(vec!["customer".to_owned(), "invoice".to_owned()])
                .tags(vec!["a b".to_owned(), "c".to_owned()]),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(charge.id.as_deref(), Some("ch_1"));
    // deepObject nests and numbers (`card[number]`, `expand[0]`); the
    // default, exploded `form`, repeats the name.
    assert_eq!(
        String::from_utf8(only_request(&server).await.body).unwrap(),
        "amount=100&card%5Bnumber%5D=4242&expand%5B0%5D=customer&expand%5B1%5D=invoice&tags=a+b&tags=c"
    );
}

/// Every request body media type is sendable: an XML body is the caller's
/// text, another type (`application/x-msgpack`) the caller's bytes, each
/// under the spec's `Content-Type`; an `OPTIONS` operation sends `OPTIONS`.
#[tokio::test]
async fn any_media_type_and_method_is_sent_as_the_spec_says() {
    let server = MockServer::start().await;
    for content_type in ["application/xml", "application/x-msgpack"] {
        Mock::given(method("PUT"))
            .and(path("/documents/d1"))
            .and(header("content-type", content_type))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("OPTIONS"))
        .and(path("/documents/d1"))
        .respond_with(ResponseTemplate::new(204).insert_header("allow", "PUT, OPTIONS"))
        .expect(1)
        .mount(&server)
        .await;
    let client = keyed(&server.uri());
    client
        .put_document()
        .doc_id("d1")
        .body("<document><title>t</title></document>")
        .send()
        .await
        .unwrap();
    client
        .put_document_x_msgpack()
        .doc_id("d1")
        .body(vec![0x81u8, 0xa1, b'a', 0x01])
        .send()
        .await
        .unwrap();
    let allowed = client.document_options().doc_id("d1").send().await.unwrap();
    assert_eq!(allowed.status(), 204);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].body, b"<document><title>t</title></document>");
    assert_eq!(requests[1].body, [0x81u8, 0xa1, b'a', 0x01]);
    assert_eq!(requests[2].method.as_str(), "OPTIONS");
}

/// An open string enum reads a listed value as its variant and any other
/// string as `Other`, written back as sent; a value that is not a string is
/// an error that says a string was expected.
#[test]
fn open_enums_read_listed_and_unlisted_strings() {
    use types::ChatChunkChoicesItemFinishReason as Reason;
    let stop: Reason = serde_json::from_str(r#""stop""#).unwrap();
    assert_eq!(stop, Reason::Stop);
    let other: Reason = serde_json::from_str(r#""content_filter""#).unwrap();
    assert_eq!(other, Reason::Other("content_filter".to_owned()));
    assert_eq!(
        serde_json::to_string(&other).unwrap(),
        r#""content_filter""#
    );
    let error = serde_json::from_str::<Reason>("3").unwrap_err().to_string();
    assert!(error.contains("expected a string"), "{error}");
}

/// A struct reads its fields in any order and skips unknown ones; a
/// tri-state field keeps absent, `null` and a value apart; a missing or
/// doubled field is an error that names it.
#[test]
fn structs_read_their_fields_as_the_spec_says() {
    use types::ChatChunkChoicesItem as Choice;
    let choice: Choice = serde_json::from_str(
        r#"{"index":0,"extra":[1],"finish_reason":null,"delta":{"content":"hi"}}"#,
    )
    .unwrap();
    assert_eq!(choice.index, 0);
    assert_eq!(choice.finish_reason, Some(None));
    assert_eq!(choice.delta.content, Some(Some("hi".to_owned())));
    assert!(choice.delta.role.is_none());
    let absent: Choice = serde_json::from_str(r#"{"delta":{},"index":1}"#).unwrap();
    assert_eq!(absent.finish_reason, None);
    assert_eq!(
        serde_json::to_value(&absent).unwrap(),
        serde_json::json!({"delta": {}, "index": 1})
    );
    let missing = serde_json::from_str::<Choice>(r#"{"delta":{}}"#).unwrap_err();
    assert!(
        missing.to_string().starts_with("missing field `index`"),
        "{missing}"
    );
    let twice = serde_json::from_str::<Choice>(r#"{"index":1,"index":2,"delta":{}}"#).unwrap_err();
    assert!(
        twice.to_string().starts_with("duplicate field `index`"),
        "{twice}"
    );
    let wrong = serde_json::from_str::<Choice>(r#"{"index":"1","delta":{}}"#).unwrap_err();
    assert!(wrong.to_string().contains("expected i64"), "{wrong}");
}

/// A one-value enum (a constant: `object: chat.completion.chunk`) reads its
/// string, writes it back, and names what it expected when sent another.
#[test]
fn constants_read_their_one_string() {
    use types::ChatChunkObject as Object;
    let object: Object = serde_json::from_str(r#""chat.completion.chunk""#).unwrap();
    assert_eq!(object, Object::ChatCompletionChunk);
    assert_eq!(
        serde_json::to_string(&object).unwrap(),
        r#""chat.completion.chunk""#
    );
    let other = serde_json::from_str::<Object>(r#""chat.completion""#).unwrap_err();
    assert!(
        other
            .to_string()
            .starts_with("unknown variant `chat.completion`, expected `chat.completion.chunk`"),
        "{other}"
    );
}

/// Every kind of method returns a future a caller can spawn on a
/// multi-threaded runtime: `send()`, `send_stream()`, an upload's, a
/// paginated list's, all running the client's hooks through the runtime.
#[test]
fn method_futures_are_send() {
    fn spawnable<F: std::future::Future + Send>(_: &F) {}
    let client = keyed("http://127.0.0.1:9");
    spawnable(&client.create_chat().send());
    spawnable(&client.create_chat().send_stream());
    spawnable(&client.create_speech().send_stream());
    spawnable(&client.create_file().send());
    spawnable(&client.create_edit_multipart().send());
    spawnable(&client.list_items().send());
    spawnable(&client.delete_file().send());
}

/// A JSON object documented under the `*/*` media range reads as its type
/// (what `cargo xtask wire` cannot have judged: Prism serialises no object
/// for `*/*`).
#[tokio::test]
async fn a_response_under_a_media_range_reads_as_its_schema() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/summary"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"count":3}"#, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let summary = keyed(&server.uri()).get_summary().send().await.unwrap();
    assert_eq!(summary.count, Some(3));
}

/// An operation told apart from others of its URL by a `#fragment` in the
/// spec (the AWS JSON protocol) is sent to the URL without it (RFC 3986
/// §3.5: a fragment never reaches the server), with its target header
/// (what `cargo xtask wire` cannot have judged: Prism routes by the
/// fragment).
#[tokio::test]
async fn a_fragment_keyed_operation_is_sent_to_its_url_with_its_header() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/"))
        .and(header("x-amz-target", "Svc.Ping"))
        .and(body_json(serde_json::json!({"echo": "hi"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"echo": "hi"})))
        .expect(1)
        .mount(&server)
        .await;
    let pong = keyed(&server.uri())
        .ping()
        .x_amz_target(types::PingXAmzTarget::SvcPing)
        .body(types::PingBody::builder().echo("hi".to_owned()))
        .send()
        .await
        .unwrap();
    assert_eq!(pong.echo.as_deref(), Some("hi"));
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/");
    assert_eq!(request.url.fragment(), None);
}

/// An operation whose path key carries a query (`/rest?method=echo`) is
/// sent to that path with that query, its own parameters after it (what
/// `cargo xtask wire` cannot have judged: Prism routes the query as part of
/// the path).
#[tokio::test]
async fn a_path_key_with_a_query_sends_it_before_the_parameters() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/rest"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"text": "hi"})))
        .expect(1)
        .mount(&server)
        .await;
    let echo = keyed(&server.uri()).echo().text("hi").send().await.unwrap();
    assert_eq!(echo.text.as_deref(), Some("hi"));
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/rest");
    assert_eq!(request.url.query(), Some("method=echo&text=hi"));
}

/// A binary response (`application/octet-stream`) arrives as its bytes
/// (what `cargo xtask wire` cannot have judged: Prism has no serializer
/// for the media type).
#[tokio::test]
async fn a_binary_response_arrives_as_its_bytes() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/speech"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/octet-stream")
                .set_body_bytes(vec![0u8, 159, 146, 150]),
        )
        .expect(1)
        .mount(&server)
        .await;
    let audio = keyed(&server.uri())
        .create_speech()
        .body_map(|b| b.input("hello"))
        .send()
        .await
        .unwrap()
        .into_inner();
    let bytes: Vec<u8> = audio
        .into_inner()
        .map(|chunk| chunk.unwrap().to_vec())
        .concat()
        .await;
    assert_eq!(bytes, [0u8, 159, 146, 150]);
}
