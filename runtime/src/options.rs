//! Per-call options: `client.with_options(RequestOptions::new()...)` gives
//! a clone of the client (it shares the connection pool) whose every
//! request, `send()`, `send_stream()`, uploads and the pages of `stream()`
//! alike, uses these overrides; the original client is unchanged.

use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};

/// Overrides for the requests of one `with_options` client. Unset options
/// keep the client's settings.
#[derive(Clone, Default)]
pub struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) idempotency_key: Option<HeaderValue>,
    pub(crate) invalid: Option<String>,
}

/// The header an idempotency key goes in when the retry policy names none.
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";

impl RequestOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whole-request timeout for these requests (each attempt), instead of
    /// the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// An extra header on every request (replacing one of that name the
    /// generated code sets). A name or value no header can carry makes
    /// each request fail before sending, saying which.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        match (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            (Ok(name), Ok(value)) => self.headers.push((name, value)),
            _ => {
                self.invalid = Some(format!(
                    "the header `{name}` of RequestOptions cannot be sent (a name or value with characters HTTP headers cannot carry)"
                ));
            }
        }
        self
    }

    /// Retries after the first attempt, instead of the policy's.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// The idempotency key of these requests, in the retry policy's
    /// idempotency header (`Idempotency-Key` when it names none). A POST or
    /// PATCH with a key is retried like an idempotent request: the server
    /// performs it once.
    pub fn idempotency_key(mut self, key: &str) -> Self {
        match HeaderValue::from_str(key) {
            Ok(value) => self.idempotency_key = Some(value),
            Err(_) => {
                self.invalid = Some(
                    "the idempotency key of RequestOptions cannot be sent in a header".to_owned(),
                );
            }
        }
        self
    }

    /// These options over `base` (later calls of `with_options` add to
    /// earlier ones: headers accumulate, the rest is replaced when set).
    pub(crate) fn over(&self, base: &RequestOptions) -> RequestOptions {
        let mut merged = base.clone();
        merged.timeout = self.timeout.or(base.timeout);
        merged.max_retries = self.max_retries.or(base.max_retries);
        merged.idempotency_key = self
            .idempotency_key
            .clone()
            .or_else(|| base.idempotency_key.clone());
        merged.headers.extend(self.headers.iter().cloned());
        merged.invalid = self.invalid.clone().or_else(|| base.invalid.clone());
        merged
    }
}

impl fmt::Debug for RequestOptions {
    /// Header values are not printed: a caller may pass a credential.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("headers", &headers)
            .field("max_retries", &self.max_retries)
            .field("idempotency_key", &self.idempotency_key.is_some())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_options_override_and_headers_accumulate() {
        let first = RequestOptions::new()
            .timeout(Duration::from_secs(1))
            .header("x-a", "1")
            .max_retries(5);
        let second = RequestOptions::new().header("x-b", "2").max_retries(0);
        let merged = second.over(&first);
        assert_eq!(merged.timeout, Some(Duration::from_secs(1)));
        assert_eq!(merged.max_retries, Some(0));
        let names: Vec<&str> = merged.headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["x-a", "x-b"]);
    }

    #[test]
    fn header_values_never_print() {
        let options = RequestOptions::new()
            .header("x-secret", "s3cret")
            .idempotency_key("k1");
        let text = format!("{options:?}");
        assert!(text.contains("x-secret") && !text.contains("s3cret") && !text.contains("k1"));
        assert!(
            RequestOptions::new()
                .header("bad\nname", "v")
                .invalid
                .is_some()
        );
    }
}
