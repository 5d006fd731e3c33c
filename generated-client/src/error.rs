//! [`ApiError`]: one error type that says what happened, for any status.
//!
//! Operations return `progenitor_client::Error<types::ErrorResponse>`: the
//! documented 400 is typed, anything else arrives as a raw response. Turn it
//! into an `ApiError` with [`ApiError::from_error`] (it reads the body):
//!
//! ```no_run
//! # async fn run(client: openai_admin_client::Client) {
//! use openai_admin_client::ApiError;
//! match client.delete_project_api_key().project_id("p").key_id("k").send().await {
//!     Ok(deleted) => println!("{}", deleted.id),
//!     Err(e) => eprintln!("{}", ApiError::from_error(e).await),
//! }
//! # }
//! ```

use std::fmt;

use progenitor_client::Error;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::hooks::Attempts;
use crate::types::ErrorResponse;

/// The longest body text kept in an error.
const MAX_BODY: usize = 4096;

/// Why a call failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum ApiError {
    /// The server answered with a non-success status.
    Status {
        /// The HTTP status.
        status: StatusCode,
        /// The body: the API's error object when it is one.
        body: ErrorBody,
        /// The `x-request-id` header, for OpenAI support.
        request_id: Option<String>,
        /// Attempts made (more than 1 when retries were exhausted).
        attempts: u32,
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
        /// What happened (with the number of attempts, if retried).
        message: String,
        /// Whether a timeout expired.
        timeout: bool,
    },
    /// The request was not sent: a parameter is missing or unusable.
    InvalidRequest(String),
}

/// An error response body.
#[derive(Debug, Clone)]
pub enum ErrorBody {
    /// The API's error object (`{"error": {...}}`).
    Api(ErrorResponse),
    /// Anything else, as text (truncated).
    Text(String),
    /// No body.
    Empty,
}

impl ApiError {
    /// Classify a failed call, reading the body of an unexpected response.
    pub async fn from_error(error: Error<ErrorResponse>) -> ApiError {
        match error {
            Error::ErrorResponse(value) => ApiError::Status {
                status: value.status(),
                request_id: request_id(value.headers()),
                attempts: 1,
                body: ErrorBody::Api(value.into_inner()),
            },
            Error::UnexpectedResponse(response) => {
                let status = response.status();
                let request_id = request_id(response.headers());
                let attempts = response.extensions().get::<Attempts>().map_or(1, |a| a.0);
                let bytes = response.bytes().await.unwrap_or_default();
                let body = if bytes.iter().all(u8::is_ascii_whitespace) {
                    ErrorBody::Empty
                } else if let Ok(api) = serde_json::from_slice::<ErrorResponse>(&bytes) {
                    ErrorBody::Api(api)
                } else {
                    ErrorBody::Text(truncate(&String::from_utf8_lossy(&bytes)))
                };
                if status.is_success() {
                    return ApiError::Decode {
                        status: Some(status),
                        message: "the response status is not documented in the spec".to_owned(),
                        body: match body {
                            ErrorBody::Text(t) => t,
                            _ => String::from_utf8_lossy(&bytes).into_owned(),
                        },
                    };
                }
                ApiError::Status {
                    status,
                    body,
                    request_id,
                    attempts,
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
            },
            Error::InvalidRequest(message) => ApiError::InvalidRequest(message),
            Error::Custom(message) => ApiError::Transport {
                timeout: message.contains("timed out"),
                message,
            },
        }
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            ApiError::Status { status, .. } => Some(*status),
            ApiError::Decode { status, .. } => *status,
            _ => None,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Status {
                status,
                body,
                request_id,
                attempts,
            } => {
                write!(f, "HTTP {status}")?;
                if *attempts > 1 {
                    write!(f, " after {attempts} attempts")?;
                }
                if let Some(id) = request_id {
                    write!(f, " (request id {id})")?;
                }
                match body {
                    ErrorBody::Api(e) => {
                        write!(f, ": {} ({}", e.error.message, e.error.type_)?;
                        if let Some(code) = &e.error.code {
                            write!(f, ", code {code}")?;
                        }
                        if let Some(param) = &e.error.param {
                            write!(f, ", param {param}")?;
                        }
                        write!(f, ")")
                    }
                    ErrorBody::Text(t) => write!(f, ": {t}"),
                    ErrorBody::Empty => write!(f, " with an empty body"),
                }
            }
            ApiError::Decode { message, body, .. } => {
                write!(f, "unexpected response body: {message}; body: {body}")
            }
            ApiError::Transport { message, .. } => write!(f, "request failed: {message}"),
            ApiError::InvalidRequest(message) => write!(f, "invalid request: {message}"),
        }
    }
}

impl std::error::Error for ApiError {}

fn request_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

fn truncate(text: &str) -> String {
    let text = text.trim();
    match text.char_indices().nth(MAX_BODY) {
        Some((i, _)) => format!("{}… ({} bytes)", &text[..i], text.len()),
        None => text.to_owned(),
    }
}

/// reqwest's message with its causes ("error sending request: connection refused").
fn error_chain(e: &reqwest::Error) -> String {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}
