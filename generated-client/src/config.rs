//! Building a [`Client`]: credentials, base URL, timeouts, retries.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::auth::{ApiKey, Scheme};
use crate::retry::RetryPolicy;
use crate::{Client, spec_info};

/// The environment variable [`Client::from_env`] reads the key from.
pub const API_KEY_ENV: &str = "OPENAI_ADMIN_KEY";
/// The environment variable that overrides the base URL.
pub const BASE_URL_ENV: &str = "OPENAI_BASE_URL";
/// Default whole-request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// Settings the generated `Client` carries (its `inner` value) and the hooks
/// read. Build it through [`ClientBuilder`].
#[derive(Clone, Default)]
pub struct ClientOptions {
    /// Key per security scheme name.
    pub(crate) credentials: BTreeMap<&'static str, ApiKey>,
    pub(crate) retry: RetryPolicy,
    pub(crate) send_api_version: bool,
    /// Attempts made by requests that failed in transport, handed from the
    /// `exec` hook to the `post` hook of the same call (keyed by the address
    /// of that call's `OperationInfo`).
    pub(crate) attempts: Arc<Mutex<HashMap<usize, u32>>>,
}

impl fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientOptions")
            .field("credentials", &self.credentials)
            .field("retry", &self.retry)
            .field("send_api_version", &self.send_api_version)
            .finish_non_exhaustive()
    }
}

/// A configuration problem found while building a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// A required environment variable is unset or empty.
    MissingEnv(&'static str),
    /// The key cannot be sent in an HTTP header.
    InvalidApiKey,
    /// No security scheme of the spec has this name.
    UnknownScheme(String),
    /// The base URL does not parse as an absolute http(s) URL.
    InvalidBaseUrl(String),
    /// reqwest could not build its client (TLS set-up, say).
    Http(String),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::MissingEnv(var) => {
                write!(f, "{var} is not set: export {var}=<your key> and try again")
            }
            ConfigError::InvalidApiKey => f.write_str(
                "the API key contains characters an HTTP header cannot carry (a line break?)",
            ),
            ConfigError::UnknownScheme(name) => {
                let known: Vec<_> = spec_info::SECURITY_SCHEMES
                    .iter()
                    .map(Scheme::name)
                    .collect();
                write!(
                    f,
                    "the spec has no security scheme `{name}` (it has: {})",
                    known.join(", ")
                )
            }
            ConfigError::InvalidBaseUrl(url) => {
                write!(
                    f,
                    "`{url}` is not a valid base URL (expected e.g. https://api.openai.com/v1)"
                )
            }
            ConfigError::Http(message) => write!(f, "cannot build the HTTP client: {message}"),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Builds a [`Client`]. Defaults: the spec's first server URL, a 60 s
/// timeout, [`RetryPolicy::default`], no `api-version` header.
#[derive(Debug, Default)]
pub struct ClientBuilder {
    options: ClientOptions,
    api_key: Option<ApiKey>,
    unknown_scheme: Option<String>,
    base_url: Option<String>,
    timeout: Option<Duration>,
    http: Option<reqwest::Client>,
}

impl ClientBuilder {
    /// The key for the spec's security scheme (the first, when it has several).
    pub fn api_key(mut self, key: impl Into<ApiKey>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// The key for the security scheme named `scheme` in the spec.
    pub fn credential(mut self, scheme: &str, key: impl Into<ApiKey>) -> Self {
        match spec_info::SECURITY_SCHEMES
            .iter()
            .find(|s| s.name() == scheme)
        {
            Some(s) => {
                self.options.credentials.insert(s.name(), key.into());
            }
            None => self.unknown_scheme = Some(scheme.to_owned()),
        }
        self
    }

    /// Where requests go, e.g. `https://api.openai.com/v1` or a local mock.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Whole-request timeout (connect, send, receive). Ignored with
    /// [`ClientBuilder::http_client`]: configure that client instead.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Retry policy; [`RetryPolicy::none`] turns retries off.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.options.retry = policy;
        self
    }

    /// Shorthand: the number of retries, other settings as they are.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.options.retry.max_retries = retries;
        self
    }

    /// Use this `reqwest::Client` (proxies, TLS roots, pools are yours).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Send progenitor's `api-version: <spec version>` header. Off by
    /// default: the OpenAI spec defines no such header.
    pub fn send_api_version_header(mut self, send: bool) -> Self {
        self.options.send_api_version = send;
        self
    }

    /// Check the settings and build the client.
    pub fn build(self) -> Result<Client, ConfigError> {
        let mut options = self.options;
        if let Some(name) = self.unknown_scheme {
            return Err(ConfigError::UnknownScheme(name));
        }
        if let Some(key) = self.api_key
            && let Some(scheme) = spec_info::SECURITY_SCHEMES.first()
        {
            options.credentials.entry(scheme.name()).or_insert(key);
        }
        if options.credentials.values().any(|k| !k.is_valid()) {
            return Err(ConfigError::InvalidApiKey);
        }
        let base_url = self
            .base_url
            .unwrap_or_else(|| spec_info::DEFAULT_BASE_URL.to_owned());
        match reqwest::Url::parse(&base_url) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => {}
            _ => return Err(ConfigError::InvalidBaseUrl(base_url)),
        }
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
                .connect_timeout(Duration::from_secs(10))
                .build()
                .map_err(|e| ConfigError::Http(e.to_string()))?,
        };
        Ok(Client::new_with_client(
            base_url.trim_end_matches('/'),
            http,
            options,
        ))
    }
}

impl Client {
    /// Start configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment: the key from
    /// `OPENAI_ADMIN_KEY` (required), the base URL from `OPENAI_BASE_URL`
    /// (default: the spec's server, `https://api.openai.com/v1`).
    pub fn from_env() -> Result<Client, ConfigError> {
        Self::builder_from_env()?.build()
    }

    /// [`Client::from_env`], but returns the builder for further settings.
    pub fn builder_from_env() -> Result<ClientBuilder, ConfigError> {
        let key = std::env::var(API_KEY_ENV)
            .ok()
            .filter(|k| !k.trim().is_empty())
            .ok_or(ConfigError::MissingEnv(API_KEY_ENV))?;
        let mut builder = Client::builder().api_key(key.trim());
        if let Ok(url) = std::env::var(BASE_URL_ENV)
            && !url.trim().is_empty()
        {
            builder = builder.base_url(url.trim());
        }
        Ok(builder)
    }
}
