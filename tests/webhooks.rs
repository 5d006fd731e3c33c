//! Webhook deliveries as a user's endpoint receives them: signed here with
//! the Standard Webhooks scheme (written out below, independently of the
//! runtime), verified and parsed by the generated `webhooks` module.
//!
//! The client is `fixtures/streams-uploads/` (see `tests/streams_uploads.rs`):
//! its spec (3.0, so `x-webhooks`) declares `item_created` (payload the
//! component `ItemCreatedEvent`) and `item.deleted` (an inline payload),
//! each with a `type` fixed to its own value.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use hmac::{KeyInit as _, Mac as _};
use streams_uploads_client::webhooks::{self, Event, HeaderMap, WebhookError};

/// A secret as a dashboard shows it: `whsec_` and the base64 of the key.
const SECRET: &str = "whsec_c2VjcmV0LWtleS1vZi10aGlzLWVuZHBvaW50";

const CREATED: &str = r#"{"type":"item.created","data":{"id":"it_1"}}"#;
const DELETED: &str = r#"{"type":"item.deleted","id":"it_2"}"#;

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` under `secret`.
fn signature(id: &str, timestamp: i64, body: &str, secret: &str) -> String {
    let key = base64::engine::general_purpose::STANDARD
        .decode(secret.trim_start_matches("whsec_"))
        .unwrap();
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    let bytes = mac.finalize().into_bytes();
    format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// The headers of a delivery of `body` signed with `secret` at `timestamp`.
fn delivery(body: &str, secret: &str, timestamp: i64) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("webhook-id", "msg_1".parse().unwrap());
    headers.insert("webhook-timestamp", timestamp.to_string().parse().unwrap());
    headers.insert(
        "webhook-signature",
        signature("msg_1", timestamp, body, secret).parse().unwrap(),
    );
    headers
}

#[test]
fn a_valid_delivery_of_each_webhook_is_its_event() {
    let headers = delivery(CREATED, SECRET, now());
    match webhooks::unwrap(CREATED.as_bytes(), &headers, SECRET).unwrap() {
        Event::ItemCreated(event) => assert_eq!(event.data.id, "it_1"),
        other => panic!("{other:?}"),
    }
    let headers = delivery(DELETED, SECRET, now());
    let event = webhooks::unwrap(DELETED.as_bytes(), &headers, SECRET).unwrap();
    assert_eq!(event.name(), "item.deleted");
    match event {
        Event::ItemDeleted(event) => assert_eq!(event.id, "it_2"),
        other => panic!("{other:?}"),
    }
    // The runtime signs as the test does (for users' own handler tests).
    assert_eq!(
        webhooks::sign("msg_1", 1_700_000_000, CREATED.as_bytes(), SECRET).unwrap(),
        signature("msg_1", 1_700_000_000, CREATED, SECRET)
    );
}

#[test]
fn rotated_secrets_and_a_bare_key_are_accepted() {
    let mut headers = delivery(CREATED, SECRET, now());
    let old = signature("msg_1", now(), CREATED, "whsec_b2xkLWtleQ==");
    let both = format!("{old} {}", headers["webhook-signature"].to_str().unwrap());
    headers.insert("webhook-signature", both.parse().unwrap());
    let bare = SECRET.trim_start_matches("whsec_");
    assert!(webhooks::unwrap(CREATED.as_bytes(), &headers, bare).is_ok());
}

#[test]
fn tampering_a_wrong_secret_a_stale_timestamp_and_a_missing_header_are_each_named() {
    let headers = delivery(CREATED, SECRET, now());
    let tampered = CREATED.replace("it_1", "it_9");
    let err = webhooks::unwrap(tampered.as_bytes(), &headers, SECRET).unwrap_err();
    assert_eq!(err, WebhookError::SignatureMismatch);
    assert!(err.to_string().contains("no signature matches"), "{err}");

    let err = webhooks::unwrap(CREATED.as_bytes(), &headers, "whsec_b3RoZXIta2V5").unwrap_err();
    assert_eq!(err, WebhookError::SignatureMismatch);

    let stale = delivery(CREATED, SECRET, now() - 600);
    let err = webhooks::unwrap(CREATED.as_bytes(), &stale, SECRET).unwrap_err();
    assert!(
        matches!(err, WebhookError::StaleTimestamp { age_seconds } if age_seconds >= 600),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("s old (more than the 300s allowed)"),
        "{err}"
    );

    for name in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
        let mut headers = headers.clone();
        headers.remove(name);
        let err = webhooks::unwrap(CREATED.as_bytes(), &headers, SECRET).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("the delivery has no `{name}` header")
        );
    }

    let err = webhooks::unwrap(CREATED.as_bytes(), &headers, "not a secret").unwrap_err();
    assert_eq!(err, WebhookError::InvalidSecret);
    assert!(
        !err.to_string().contains("c2VjcmV0"),
        "the secret leaked: {err}"
    );
}

#[test]
fn bodies_that_fit_no_webhook_or_break_the_schema_say_where() {
    let err = webhooks::parse(br#"{"type":"item.moved","id":"x"}"#).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the spec declares no webhook for `item.moved`"
    );
    let err = webhooks::parse(br#"{"type":"item.created","data":{"id":7}}"#).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the `item_created` payload does not fit its schema: at `data.id`: invalid type: integer `7`, expected a string"
    );
    let err = webhooks::parse(b"<xml/>").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("the delivery's body is not JSON"),
        "{err}"
    );
}
