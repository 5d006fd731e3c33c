//! Credentials. The spec's security schemes arrive as
//! [`crate::spec_info::SECURITY_SCHEMES`]; a key is attached to every request
//! by [`crate::hooks`], as a header marked sensitive.

use std::fmt;

use reqwest::header::{HeaderName, HeaderValue};

/// A security scheme from the spec that the client can satisfy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `type: http, scheme: bearer`: `Authorization: Bearer <key>`.
    Bearer {
        /// The scheme's name under `components.securitySchemes`.
        name: &'static str,
    },
    /// `type: apiKey, in: header`: `<header>: <key>`.
    Header {
        /// The scheme's name under `components.securitySchemes`.
        name: &'static str,
        /// The header that carries the key.
        header: &'static str,
    },
}

impl Scheme {
    /// The scheme's name in the spec.
    pub fn name(&self) -> &'static str {
        match self {
            Scheme::Bearer { name } | Scheme::Header { name, .. } => name,
        }
    }

    /// The header this scheme sets for `key`, marked sensitive so that
    /// `Debug` output of requests and headers never shows it.
    pub(crate) fn header(&self, key: &ApiKey) -> Option<(HeaderName, HeaderValue)> {
        let (name, value) = match self {
            Scheme::Bearer { .. } => (
                reqwest::header::AUTHORIZATION,
                format!("Bearer {}", key.expose()),
            ),
            Scheme::Header { header, .. } => (
                HeaderName::from_bytes(header.as_bytes()).ok()?,
                key.expose().to_owned(),
            ),
        };
        let mut value = HeaderValue::from_str(&value).ok()?;
        value.set_sensitive(true);
        Some((name, value))
    }
}

/// A secret credential. Its `Debug` and `Display` print `ApiKey(***)`; the
/// value is only read when a request header is built.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wrap a key.
    pub fn new(key: impl Into<String>) -> Self {
        ApiKey(key.into())
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// Whether a header can carry it (visible ASCII, no line breaks).
    pub(crate) fn is_valid(&self) -> bool {
        !self.0.is_empty() && HeaderValue::from_str(&self.0).is_ok()
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for ApiKey {
    fn from(key: String) -> Self {
        ApiKey(key)
    }
}

impl From<&str> for ApiKey {
    fn from(key: &str) -> Self {
        ApiKey(key.to_owned())
    }
}
