//! When and how long to wait before trying a request again.

use std::time::{Duration, SystemTime};

use reqwest::{Method, StatusCode, header::HeaderMap};

/// Retry policy. The default: 2 retries (3 attempts), backoff from 500 ms
/// doubling up to 8 s with full jitter, `Retry-After` honoured up to 60 s,
/// idempotent methods only (GET, HEAD, OPTIONS, PUT, DELETE, TRACE).
///
/// Retried: transport errors (connection refused or reset, timeouts) and the
/// statuses 408, 409, 429 and 5xx; not a 429 whose body says the quota is
/// used up ([`RetryPolicy::final_codes`]: waiting will not help).
///
/// POST and PATCH are retried when [`RetryPolicy::idempotency_header`] is
/// set: each such request then carries a key in that header (one the caller
/// set, or a random one), the same on every attempt, so an API that supports
/// idempotency keys (`Idempotency-Key`) performs it once.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 disables retrying).
    pub max_retries: u32,
    /// Backoff before the first retry; doubled for each further one.
    pub initial_backoff: Duration,
    /// Upper bound of the computed backoff.
    pub max_backoff: Duration,
    /// Upper bound of a server's `Retry-After`; longer waits are cut to it.
    pub max_retry_after: Duration,
    /// Also retry POST and PATCH (which may not be safe to repeat).
    pub retry_non_idempotent: bool,
    /// The header carrying an idempotency key (e.g. `Idempotency-Key`):
    /// with it, POST and PATCH are retried, under the same key.
    pub idempotency_header: Option<String>,
    /// Error codes that make a 429 final: when the body's `code` or `type`
    /// (at the top or under `error`) is one of them, it is not retried.
    pub final_codes: Vec<String>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            retry_non_idempotent: false,
            idempotency_header: None,
            final_codes: vec!["insufficient_quota".to_owned()],
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// The same policy with this many retries.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The same policy sending idempotency keys in `header`, which makes
    /// POST and PATCH retryable.
    pub fn idempotency_header(mut self, header: impl Into<String>) -> Self {
        self.idempotency_header = Some(header.into());
        self
    }

    /// The same policy retrying POST and PATCH without idempotency keys.
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = retry;
        self
    }

    /// Whether requests with this method may be retried.
    pub fn retries_method(&self, method: &Method) -> bool {
        self.retry_non_idempotent || self.idempotency_header.is_some() || method.is_idempotent()
    }

    /// Whether an error body makes its status final: one of
    /// [`RetryPolicy::final_codes`] as `code` or `type`, at the top or
    /// under `error` (OpenAI's `{"error": {"code": "insufficient_quota"}}`).
    pub fn is_final_body(&self, body: &[u8]) -> bool {
        let Ok(json) = serde_json::from_slice::<serde_json::Value>(body) else {
            return false;
        };
        let mut codes = [json.get("error").unwrap_or(&serde_json::Value::Null), &json]
            .into_iter()
            .flat_map(|o| [o.get("code"), o.get("type")])
            .flatten()
            .filter_map(serde_json::Value::as_str);
        codes.any(|c| self.final_codes.iter().any(|f| f == c))
    }

    /// Whether a response with this status is worth retrying.
    pub fn retries_status(status: StatusCode) -> bool {
        matches!(status.as_u16(), 408 | 409 | 429) || status.is_server_error()
    }

    /// Whether a transport error is worth retrying.
    pub fn retries_error(error: &reqwest::Error) -> bool {
        error.is_connect() || error.is_timeout() || error.is_request()
    }

    /// The wait before retry number `retry` (1-based): the server's
    /// `Retry-After` when it gave one (capped), else exponential backoff with
    /// full jitter (a random duration between zero and the backoff).
    pub fn delay(&self, retry: u32, headers: Option<&HeaderMap>) -> Duration {
        if let Some(wait) = headers.and_then(retry_after) {
            return wait.min(self.max_retry_after);
        }
        let exp = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(retry.saturating_sub(1)))
            .min(self.max_backoff);
        exp.mul_f64(fastrand::f64())
    }
}

/// The server's requested wait: `retry-after-ms` (OpenAI), or `Retry-After`
/// as seconds or an HTTP date.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(ms) = text("retry-after-ms").and_then(|v| v.parse::<f64>().ok())
        && ms.is_finite()
        && ms >= 0.0
    {
        return Some(Duration::from_secs_f64(ms / 1000.0));
    }
    let value = text("retry-after")?;
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn retry_after_forms() {
        let mut h = HeaderMap::new();
        assert_eq!(retry_after(&h), None);
        h.insert("retry-after", HeaderValue::from_static("3"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(3)));
        h.insert("retry-after-ms", HeaderValue::from_static("250"));
        assert_eq!(retry_after(&h), Some(Duration::from_millis(250)));
        let mut past = HeaderMap::new();
        past.insert(
            "retry-after",
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&past), Some(Duration::ZERO));
    }

    #[test]
    fn backoff_is_capped_and_jittered() {
        let p = RetryPolicy::default();
        for retry in 1..20 {
            assert!(p.delay(retry, None) <= p.max_backoff);
        }
        let mut h = HeaderMap::new();
        h.insert("retry-after", HeaderValue::from_static("3600"));
        assert_eq!(p.delay(1, Some(&h)), p.max_retry_after);
    }

    #[test]
    fn methods_and_statuses() {
        let p = RetryPolicy::default();
        assert!(p.retries_method(&Method::DELETE));
        assert!(!p.retries_method(&Method::POST));
        let keyed = RetryPolicy::default().idempotency_header("Idempotency-Key");
        assert!(keyed.retries_method(&Method::POST));
        assert!(p.is_final_body(br#"{"error":{"code":"insufficient_quota","message":"m"}}"#));
        assert!(p.is_final_body(br#"{"type":"insufficient_quota"}"#));
        assert!(!p.is_final_body(br#"{"error":{"code":"rate_limit_exceeded"}}"#));
        assert!(!p.is_final_body(b"not json"));
        for s in [408, 409, 429, 500, 503] {
            assert!(RetryPolicy::retries_status(
                StatusCode::from_u16(s).unwrap()
            ));
        }
        for s in [200, 400, 401, 404] {
            assert!(!RetryPolicy::retries_status(
                StatusCode::from_u16(s).unwrap()
            ));
        }
    }
}
