//! [`ApiError`]: one error type for every failed call of every operation.
//!
//! Generated methods return `progenitor_client::Error<E>`, where `E` is the
//! operation's documented error body. `?` (or `.map_err(ApiError::from)`)
//! turns it into an `ApiError`, with no await: the `exec` hook has already
//! read the body of every error response ([`ErrorBytes`]), so nothing is
//! left to fetch. Its `Display` gives the status, the API's message and the
//! request id; the typed body stays reachable through [`ApiError::body`].
//!
//! ```ignore
//! async fn delete(client: &Client) -> Result<(), ApiError> {
//!     client.delete_thing().id("t1").send().await?;
//!     Ok(())
//! }
//! ```

use std::any::Any;
use std::fmt;

use bytes::Bytes;
use progenitor_client::Error;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::hooks::Attempts;

/// The longest body text kept in an error.
const MAX_BODY: usize = 4096;

/// The headers that carry a request id, in the order they are looked for.
const REQUEST_ID_HEADERS: [&str; 5] = [
    "x-request-id",
    "request-id",
    "x-amzn-requestid",
    "x-amz-request-id",
    "x-github-request-id",
];

/// The body of an error response, as the `exec` hook read it (a response
/// extension): the response itself still has it to be parsed.
#[derive(Debug, Clone)]
pub struct ErrorBytes(pub Bytes);

/// An operation's typed error body: what [`ApiError`] keeps of it. The
/// generator implements it for each error body type of the spec (as JSON
/// where the type is serializable); the runtime for `()` and byte streams.
pub trait ErrorBody: Any + Send + Sync {
    /// The body as JSON, to find the API's message in.
    fn to_json(&self) -> Option<serde_json::Value>;
}

impl ErrorBody for () {
    fn to_json(&self) -> Option<serde_json::Value> {
        None
    }
}

impl ErrorBody for progenitor_client::ByteStream {
    fn to_json(&self) -> Option<serde_json::Value> {
        None
    }
}

impl ErrorBody for serde_json::Value {
    fn to_json(&self) -> Option<serde_json::Value> {
        Some(self.clone())
    }
}

impl ErrorBody for String {
    fn to_json(&self) -> Option<serde_json::Value> {
        Some(serde_json::Value::String(self.clone()))
    }
}

impl<T: serde::Serialize + Send + Sync + 'static> ErrorBody for Vec<T> {
    fn to_json(&self) -> Option<serde_json::Value> {
        serde_json::to_value(self).ok()
    }
}

impl ErrorBody for serde_json::Map<String, serde_json::Value> {
    fn to_json(&self) -> Option<serde_json::Value> {
        Some(serde_json::Value::Object(self.clone()))
    }
}

/// Why a call failed.
#[non_exhaustive]
pub enum ApiError {
    /// The server answered with an error status.
    Status {
        /// The HTTP status.
        status: StatusCode,
        /// The API's message, when the body has one (`error.message`,
        /// `message`, `detail`, ...).
        message: Option<String>,
        /// The body as JSON, or its text (truncated).
        body: Body,
        /// The request id the server gave (`x-request-id` and the like).
        request_id: Option<String>,
        /// Attempts made, when known (more than 1: retries were exhausted).
        attempts: Option<u32>,
        /// The operation's typed error body, when the status is documented.
        typed: Option<Box<dyn Any + Send + Sync>>,
    },
    /// A success status whose body is not what the spec describes.
    Decode {
        /// The HTTP status, when known.
        status: Option<StatusCode>,
        /// What did not match.
        message: String,
        /// The body (truncated).
        body: String,
    },
    /// The request could not be completed: connection refused, timeout, TLS.
    Transport {
        /// What happened.
        message: String,
        /// Whether a timeout expired.
        timeout: bool,
        /// Attempts made, when retried.
        attempts: Option<u32>,
    },
    /// The request was not sent: a parameter is missing or unusable, or
    /// the operation needs credentials the client was not given.
    InvalidRequest(String),
}

/// An error response body.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// A JSON body.
    Json(serde_json::Value),
    /// Any other body, as text (truncated).
    Text(String),
    /// No body.
    Empty,
}

impl ApiError {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            ApiError::Status { status, .. } => Some(*status),
            ApiError::Decode { status, .. } => *status,
            _ => None,
        }
    }

    /// The operation's typed error body, when the status is documented and
    /// `T` is its type (e.g. `types::ErrorResponse`).
    pub fn body<T: 'static>(&self) -> Option<&T> {
        match self {
            ApiError::Status {
                typed: Some(typed), ..
            } => typed.downcast_ref(),
            _ => None,
        }
    }

    /// The API's message, when it gave one.
    pub fn message(&self) -> Option<&str> {
        match self {
            ApiError::Status { message, .. } => message.as_deref(),
            _ => None,
        }
    }

    /// The request id the server gave.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            ApiError::Status { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// Attempts made, when the call was retried or known to be tried once.
    pub fn attempts(&self) -> Option<u32> {
        match self {
            ApiError::Status { attempts, .. } | ApiError::Transport { attempts, .. } => *attempts,
            _ => None,
        }
    }
}

impl<E: ErrorBody> From<Error<E>> for ApiError {
    fn from(error: Error<E>) -> ApiError {
        match error {
            Error::ErrorResponse(value) => {
                let status = value.status();
                let request_id = request_id(value.headers());
                let typed = value.into_inner();
                let body = typed.to_json().map_or(Body::Empty, Body::Json);
                ApiError::Status {
                    status,
                    message: api_message(&body),
                    body,
                    request_id,
                    attempts: None,
                    typed: Some(Box::new(typed)),
                }
            }
            Error::UnexpectedResponse(response) => {
                let status = response.status();
                let request_id = request_id(response.headers());
                let attempts = response.extensions().get::<Attempts>().map(|a| a.0);
                let bytes = response
                    .extensions()
                    .get::<ErrorBytes>()
                    .map(|b| b.0.clone())
                    .unwrap_or_default();
                let body = body_of(&bytes);
                if status.is_success() {
                    return ApiError::Decode {
                        status: Some(status),
                        message: "the response status is not documented in the spec".to_owned(),
                        body: truncate(&String::from_utf8_lossy(&bytes)),
                    };
                }
                ApiError::Status {
                    status,
                    message: api_message(&body),
                    body,
                    request_id,
                    attempts,
                    typed: None,
                }
            }
            Error::InvalidResponsePayload(bytes, e) => ApiError::Decode {
                status: None,
                message: e.to_string(),
                body: truncate(&String::from_utf8_lossy(&bytes)),
            },
            Error::CommunicationError(e)
            | Error::ResponseBodyError(e)
            | Error::InvalidUpgrade(e) => ApiError::Transport {
                timeout: e.is_timeout(),
                message: error_chain(&e),
                attempts: None,
            },
            Error::InvalidRequest(message) => ApiError::InvalidRequest(message),
            Error::Custom(message) => match super::hooks::GaveUp::parse(&message) {
                Some(gave_up) => ApiError::Transport {
                    timeout: gave_up.timeout,
                    message: gave_up.message.to_owned(),
                    attempts: Some(gave_up.attempts),
                },
                None => ApiError::Transport {
                    timeout: false,
                    message,
                    attempts: None,
                },
            },
        }
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Status {
                status,
                message,
                body,
                request_id,
                attempts,
                typed,
            } => f
                .debug_struct("Status")
                .field("status", status)
                .field("message", message)
                .field("body", body)
                .field("request_id", request_id)
                .field("attempts", attempts)
                .field("typed", &typed.is_some())
                .finish(),
            ApiError::Decode {
                status,
                message,
                body,
            } => f
                .debug_struct("Decode")
                .field("status", status)
                .field("message", message)
                .field("body", body)
                .finish(),
            ApiError::Transport {
                message,
                timeout,
                attempts,
            } => f
                .debug_struct("Transport")
                .field("message", message)
                .field("timeout", timeout)
                .field("attempts", attempts)
                .finish(),
            ApiError::InvalidRequest(m) => f.debug_tuple("InvalidRequest").field(m).finish(),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Status {
                status,
                message,
                body,
                request_id,
                attempts,
                ..
            } => {
                write!(f, "HTTP {status}")?;
                if let Some(n) = attempts.filter(|n| *n > 1) {
                    write!(f, " after {n} attempts")?;
                }
                if let Some(id) = request_id {
                    write!(f, " (request id {id})")?;
                }
                match (message, body) {
                    (Some(m), _) => write!(f, ": {m}"),
                    (None, Body::Json(json)) => write!(f, ": {}", truncate(&json.to_string())),
                    (None, Body::Text(t)) => write!(f, ": {t}"),
                    (None, Body::Empty) => write!(f, " with an empty body"),
                }
            }
            ApiError::Decode { message, body, .. } => {
                write!(f, "unexpected response body: {message}; body: {body}")
            }
            ApiError::Transport {
                message, attempts, ..
            } => {
                write!(f, "request failed: {message}")?;
                match attempts {
                    Some(n) if *n > 1 => write!(f, " (gave up after {n} attempts)"),
                    _ => Ok(()),
                }
            }
            ApiError::InvalidRequest(message) => write!(f, "invalid request: {message}"),
        }
    }
}

impl std::error::Error for ApiError {}

fn request_id(headers: &HeaderMap) -> Option<String> {
    REQUEST_ID_HEADERS
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok())
        .map(str::to_owned)
}

fn body_of(bytes: &[u8]) -> Body {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        Body::Empty
    } else if let Ok(json) = serde_json::from_slice(bytes) {
        Body::Json(json)
    } else {
        Body::Text(truncate(&String::from_utf8_lossy(bytes)))
    }
}

/// The message an error body carries, in the shapes APIs use:
/// `{"error": {"message": ..}}` (OpenAI, Stripe), `{"message": ..}`,
/// `{"error": ".."}` (Slack), `{"error_description": ..}` (OAuth),
/// `{"detail": ..}` / `{"title": ..}` (RFC 9457), `{"errors": [{"message": ..}]}`.
fn api_message(body: &Body) -> Option<String> {
    let Body::Json(json) = body else {
        return None;
    };
    let text = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_str()).map(str::to_owned);
    text(json.pointer("/error/message"))
        .or_else(|| text(json.get("message")))
        .or_else(|| text(json.get("error_description")))
        .or_else(|| text(json.get("error")))
        .or_else(|| text(json.get("detail")))
        .or_else(|| text(json.pointer("/errors/0/message")))
        .or_else(|| text(json.get("title")))
}

pub(crate) fn truncate(text: &str) -> String {
    let text = text.trim();
    match text.char_indices().nth(MAX_BODY) {
        Some((i, _)) => format!("{}… ({} bytes)", &text[..i], text.len()),
        None => text.to_owned(),
    }
}

/// reqwest's message with its causes ("error sending request: connection
/// refused"), without the URL (a query credential would show in it).
pub(crate) fn error_chain(e: &reqwest::Error) -> String {
    let mut message = match e.url() {
        Some(url) => e.to_string().replace(&format!(" for url ({url})"), ""),
        None => e.to_string(),
    };
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_in_the_shapes_apis_use() {
        for (body, message) in [
            (r#"{"error":{"message":"bad key","type":"x"}}"#, "bad key"),
            (r#"{"message":"Not Found"}"#, "Not Found"),
            (r#"{"ok":false,"error":"invalid_auth"}"#, "invalid_auth"),
            (r#"{"title":"Bad","detail":"no such id"}"#, "no such id"),
            (r#"{"errors":[{"message":"first"}]}"#, "first"),
        ] {
            assert_eq!(
                api_message(&body_of(body.as_bytes())).as_deref(),
                Some(message)
            );
        }
        assert_eq!(api_message(&body_of(b"plain text")), None);
        assert_eq!(body_of(b"  \n"), Body::Empty);
    }

    #[test]
    fn typed_bodies_stay_reachable() {
        let error = ApiError::Status {
            status: StatusCode::BAD_REQUEST,
            message: Some("m".into()),
            body: Body::Empty,
            request_id: Some("req_1".into()),
            attempts: Some(3),
            typed: Some(Box::new(42u8)),
        };
        assert_eq!(error.body::<u8>(), Some(&42));
        assert_eq!(error.body::<u16>(), None);
        assert_eq!(
            error.to_string(),
            "HTTP 400 Bad Request after 3 attempts (request id req_1): m"
        );
    }
}
