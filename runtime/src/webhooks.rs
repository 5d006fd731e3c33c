//! Webhook deliveries: verified with the Standard Webhooks scheme, then
//! parsed into the generated `webhooks::Event`.
//!
//! The scheme (<https://www.standardwebhooks.com/>, used by OpenAI, Svix,
//! Resend and others): a delivery carries `webhook-id`, `webhook-timestamp`
//! (Unix seconds) and `webhook-signature`, a space-separated list of
//! `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">` (several while a
//! secret is rotated; any one may match). The secret is `whsec_<base64
//! key>` (the prefix optional). A delivery is accepted when one signature
//! matches (compared in constant time) and the timestamp is within
//! [`TOLERANCE`] of now, so a captured delivery cannot be replayed later.
//!
//! The generated `webhooks` module of each crate whose spec declares
//! webhooks (OpenAPI 3.1 `webhooks`, or `x-webhooks` in 3.0) calls
//! [`verify`] and then its own `parse`, which picks the webhook by the
//! payload's discriminating property ([`discriminator`]) and reads the
//! body as that webhook's type ([`read`]).

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use hmac::{KeyInit as _, Mac as _};

pub use http::HeaderMap;

/// How far a delivery's timestamp may be from now, either way.
pub const TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// The delivery's id header.
pub const ID_HEADER: &str = "webhook-id";
/// The delivery's timestamp header (Unix seconds).
pub const TIMESTAMP_HEADER: &str = "webhook-timestamp";
/// The delivery's signatures header.
pub const SIGNATURE_HEADER: &str = "webhook-signature";

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// Why a delivery was refused or could not be read. Its `Display` says
/// which check failed; it never contains the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// A required header is missing (or not visible ASCII).
    MissingHeader(&'static str),
    /// The timestamp header is not a number of seconds.
    InvalidTimestamp(String),
    /// The timestamp is further from now than [`TOLERANCE`]: a replayed or
    /// delayed delivery, or a clock that is off.
    StaleTimestamp {
        /// Seconds between the timestamp and now (negative: in the future).
        age_seconds: i64,
    },
    /// The secret is not `whsec_<base64>` or base64.
    InvalidSecret,
    /// No signature of the header matches the body under this secret: the
    /// body or headers were changed, or the secret is not this endpoint's.
    SignatureMismatch,
    /// The body is not JSON, or does not fit the webhook's schema.
    InvalidBody {
        /// The webhook the body was read as, when one was chosen.
        webhook: Option<&'static str>,
        /// Where in the body (a JSON path, `.` for the whole), and what.
        message: String,
    },
    /// The body fits none of the spec's webhooks.
    UnknownEvent {
        /// The discriminating value the body carries, if any.
        value: Option<String>,
    },
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::MissingHeader(name) => {
                write!(f, "the delivery has no `{name}` header")
            }
            WebhookError::InvalidTimestamp(value) => write!(
                f,
                "the `{TIMESTAMP_HEADER}` header `{value}` is not a number of seconds"
            ),
            WebhookError::StaleTimestamp { age_seconds } if *age_seconds < 0 => write!(
                f,
                "the delivery's timestamp is {}s in the future (more than the {}s allowed): check this machine's clock",
                -age_seconds,
                TOLERANCE.as_secs()
            ),
            WebhookError::StaleTimestamp { age_seconds } => write!(
                f,
                "the delivery's timestamp is {age_seconds}s old (more than the {}s allowed): a replayed or delayed delivery",
                TOLERANCE.as_secs()
            ),
            WebhookError::InvalidSecret => f.write_str(
                "the webhook secret is not `whsec_<base64>`: copy it as the API's dashboard shows it",
            ),
            WebhookError::SignatureMismatch => f.write_str(
                "no signature matches: the body or its headers were changed, or the secret is not this endpoint's",
            ),
            WebhookError::InvalidBody { webhook, message } => match webhook {
                Some(name) => write!(f, "the `{name}` payload does not fit its schema: {message}"),
                None => write!(f, "the delivery's body is not JSON: {message}"),
            },
            WebhookError::UnknownEvent { value: Some(value) } => {
                write!(f, "the spec declares no webhook for `{value}`")
            }
            WebhookError::UnknownEvent { value: None } => {
                f.write_str("the body fits none of the spec's webhooks")
            }
        }
    }
}

impl std::error::Error for WebhookError {}

/// Check a delivery's signature and timestamp (against the clock now).
pub fn verify(body: &[u8], headers: &HeaderMap, secret: &str) -> Result<(), WebhookError> {
    verify_at(body, headers, secret, SystemTime::now())
}

/// [`verify`] against the clock at `now`.
pub fn verify_at(
    body: &[u8],
    headers: &HeaderMap,
    secret: &str,
    now: SystemTime,
) -> Result<(), WebhookError> {
    let header = |name: &'static str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .ok_or(WebhookError::MissingHeader(name))
    };
    let id = header(ID_HEADER)?;
    let timestamp = header(TIMESTAMP_HEADER)?;
    let signatures = header(SIGNATURE_HEADER)?;
    let seconds: i64 = timestamp
        .parse()
        .map_err(|_| WebhookError::InvalidTimestamp(timestamp.to_owned()))?;
    let now = match now.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
    };
    let age_seconds = now.saturating_sub(seconds);
    if age_seconds.unsigned_abs() > TOLERANCE.as_secs() {
        return Err(WebhookError::StaleTimestamp { age_seconds });
    }
    let key = secret_key(secret)?;
    let matches = signatures
        .split_whitespace()
        .filter_map(|s| s.strip_prefix("v1,"))
        .filter_map(|s| base64::engine::general_purpose::STANDARD.decode(s).ok())
        .any(|signature| {
            let mut mac = keyed(&key);
            mac.update(id.as_bytes());
            mac.update(b".");
            mac.update(timestamp.as_bytes());
            mac.update(b".");
            mac.update(body);
            // `verify_slice` compares in constant time.
            mac.verify_slice(&signature).is_ok()
        });
    if matches {
        Ok(())
    } else {
        Err(WebhookError::SignatureMismatch)
    }
}

/// The `webhook-signature` value (`v1,<base64>`) of a delivery: what the
/// sender computes, for tests of a handler and for relaying deliveries.
pub fn sign(id: &str, timestamp: i64, body: &[u8], secret: &str) -> Result<String, WebhookError> {
    let key = secret_key(secret)?;
    let mut mac = keyed(&key);
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    let signature = mac.finalize().into_bytes();
    Ok(format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(signature)
    ))
}

/// The key bytes of a `whsec_<base64>` secret (the prefix optional).
fn secret_key(secret: &str) -> Result<Vec<u8>, WebhookError> {
    let encoded = secret.trim();
    let encoded = encoded.strip_prefix("whsec_").unwrap_or(encoded);
    base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .ok()
        .filter(|key| !key.is_empty())
        .ok_or(WebhookError::InvalidSecret)
}

fn keyed(key: &[u8]) -> HmacSha256 {
    HmacSha256::new_from_slice(key).expect("HMAC takes a key of any length")
}

/// The body as JSON, for [`discriminator`].
pub fn json(body: &[u8]) -> Result<serde_json::Value, WebhookError> {
    serde_json::from_slice(body).map_err(|e| WebhookError::InvalidBody {
        webhook: None,
        message: e.to_string(),
    })
}

/// The string at `property` of a JSON object, if any.
pub fn discriminator<'a>(value: &'a serde_json::Value, property: &str) -> Option<&'a str> {
    value.get(property)?.as_str()
}

/// The body read as `webhook`'s payload type; an error names the field
/// that does not fit.
pub fn read<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
    webhook: &'static str,
) -> Result<T, WebhookError> {
    serde_path_to_error::deserialize(value).map_err(|e| WebhookError::InvalidBody {
        webhook: Some(webhook),
        message: format!("at `{}`: {}", e.path(), e.inner()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::{HeaderMap, HeaderValue};

    // The Standard Webhooks reference vector (its spec and libraries'
    // tests): this secret, id, timestamp and body sign to this value.
    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const TIMESTAMP: i64 = 1614265330;
    const BODY: &[u8] = br#"{"test": 2432232314}"#;
    const SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    fn headers(signature: &str, timestamp: i64) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(ID_HEADER, HeaderValue::from_static(ID));
        h.insert(TIMESTAMP_HEADER, timestamp.to_string().parse().unwrap());
        h.insert(SIGNATURE_HEADER, signature.parse().unwrap());
        h
    }

    fn at(seconds: i64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds as u64)
    }

    #[test]
    fn the_reference_vector_signs_and_verifies() {
        assert_eq!(sign(ID, TIMESTAMP, BODY, SECRET).unwrap(), SIGNATURE);
        let h = headers(SIGNATURE, TIMESTAMP);
        assert_eq!(verify_at(BODY, &h, SECRET, at(TIMESTAMP)), Ok(()));
        // The prefix is optional.
        let bare = SECRET.strip_prefix("whsec_").unwrap();
        assert_eq!(verify_at(BODY, &h, bare, at(TIMESTAMP + 10)), Ok(()));
    }

    #[test]
    fn any_of_several_signatures_may_match() {
        let h = headers(&format!("v1,Zm9v v2,abc {SIGNATURE} v1,YmFy"), TIMESTAMP);
        assert_eq!(verify_at(BODY, &h, SECRET, at(TIMESTAMP)), Ok(()));
    }

    #[test]
    fn each_failure_says_which() {
        let now = at(TIMESTAMP);
        let h = headers(SIGNATURE, TIMESTAMP);
        assert_eq!(
            verify_at(br#"{"test": 2432232315}"#, &h, SECRET, now),
            Err(WebhookError::SignatureMismatch)
        );
        assert_eq!(
            verify_at(BODY, &h, "whsec_AAAAAAAAAAAAAAAAAAAAAAAA", now),
            Err(WebhookError::SignatureMismatch)
        );
        assert_eq!(
            verify_at(BODY, &h, "whsec_not base64!", now),
            Err(WebhookError::InvalidSecret)
        );
        assert_eq!(
            verify_at(BODY, &h, SECRET, at(TIMESTAMP + 301)),
            Err(WebhookError::StaleTimestamp { age_seconds: 301 })
        );
        assert_eq!(
            verify_at(BODY, &h, SECRET, at(TIMESTAMP - 301)),
            Err(WebhookError::StaleTimestamp { age_seconds: -301 })
        );
        for name in [ID_HEADER, TIMESTAMP_HEADER, SIGNATURE_HEADER] {
            let mut h = h.clone();
            h.remove(name);
            assert_eq!(
                verify_at(BODY, &h, SECRET, now),
                Err(WebhookError::MissingHeader(name))
            );
        }
        let mut h = h.clone();
        h.insert(TIMESTAMP_HEADER, HeaderValue::from_static("yesterday"));
        let err = verify_at(BODY, &h, SECRET, now).unwrap_err();
        assert_eq!(err, WebhookError::InvalidTimestamp("yesterday".to_owned()));
        assert!(!err.to_string().contains("MfKQ9r8"));
    }

    #[test]
    fn bodies_are_read_with_the_failing_field_named() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code, reason = "read, not used")]
        struct Payload {
            data: Data,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code, reason = "read, not used")]
        struct Data {
            id: String,
        }
        let value = json(br#"{"type": "a.b", "data": {"id": 7}}"#).unwrap();
        assert_eq!(discriminator(&value, "type"), Some("a.b"));
        let err = read::<Payload>(value, "a_b").unwrap_err();
        assert_eq!(
            err.to_string(),
            "the `a_b` payload does not fit its schema: at `data.id`: invalid type: integer `7`, expected a string"
        );
        assert!(json(b"not json").is_err());
    }
}
