//! Building a generated `Client`: credentials, base URL, timeouts, retries,
//! configuration from the environment.
//!
//! What depends on the spec arrives as one generated value, [`Spec`] (its
//! servers, security schemes, operations and the settings of
//! `codegen.toml`'s `[client]` table); the generated `Client` implements
//! [`GeneratedClient`], so `Client::builder()` is a [`ClientBuilder`] of it.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use super::auth::{ApiKey, Requirements, Scheme};
use super::options::RequestOptions;
use super::retry::RetryPolicy;

/// Default whole-request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// What the spec (and `codegen.toml`) says about reaching the API.
#[derive(Debug)]
pub struct Spec {
    /// `info.title`.
    pub title: &'static str,
    /// The first server's URL, its variables at their defaults (empty when
    /// the spec gives no absolute URL).
    pub default_base_url: &'static str,
    /// `components.securitySchemes`, in the spec's order.
    pub schemes: &'static [Scheme],
    /// Every operation, sorted by [`Operation::id`].
    pub operations: &'static [Operation],
    /// The variable [`ClientBuilder::from_env`] reads the key from.
    pub api_key_env: &'static str,
    /// The variable that overrides the base URL.
    pub base_url_env: &'static str,
    /// The `User-Agent` header.
    pub user_agent: &'static str,
}

impl Spec {
    /// The operation whose method is `id` (`OperationInfo::operation_id`).
    pub fn operation(&self, id: &str) -> Option<&'static Operation> {
        let operations = self.operations;
        operations
            .binary_search_by(|op| op.id.cmp(id))
            .ok()
            .map(|i| &operations[i])
    }

    /// The scheme named `name` in `components.securitySchemes`, when the
    /// runtime can send it.
    pub fn scheme(&self, name: &str) -> Option<&'static Scheme> {
        self.schemes.iter().find(|s| s.name() == name)
    }
}

/// One operation of the spec, as the hooks need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The `Client` method's name, as in `OperationInfo::operation_id`.
    pub id: &'static str,
    /// The HTTP method.
    pub method: &'static str,
    /// The path template.
    pub path: &'static str,
    /// The operation's effective `security` (its own, else the spec's):
    /// alternatives, any one of which will do, each the names of the
    /// schemes it needs together. Empty: the operation takes no
    /// credentials. See [`super::auth::select`].
    pub security: Requirements,
}

/// Implemented by each generated `Client`.
pub trait GeneratedClient: Sized {
    /// The spec it was generated from.
    const SPEC: &'static Spec;
    /// The client, from its parts.
    fn from_parts(base_url: &str, http: reqwest::Client, state: ClientState) -> Self;
}

/// Settings the generated `Client` carries (progenitor's `inner` value) and
/// the hooks read.
#[derive(Clone)]
pub struct ClientState {
    pub(crate) spec: &'static Spec,
    /// Key per security scheme name.
    pub(crate) credentials: BTreeMap<&'static str, ApiKey>,
    pub(crate) retry: RetryPolicy,
    pub(crate) send_api_version: bool,
    pub(crate) user_agent: String,
    /// Per-call overrides (`Client::with_options`).
    pub(crate) options: RequestOptions,
}

impl ClientState {
    /// No credentials, the default retry policy and user agent.
    pub fn new(spec: &'static Spec) -> Self {
        ClientState {
            spec,
            credentials: BTreeMap::new(),
            retry: RetryPolicy::default(),
            send_api_version: false,
            user_agent: spec.user_agent.to_owned(),
            options: RequestOptions::default(),
        }
    }

    /// The same settings with `options` over the current ones (what the
    /// generated `Client::with_options` stores in its clone).
    pub fn with_options(&self, options: &RequestOptions) -> Self {
        ClientState {
            options: options.over(&self.options),
            ..self.clone()
        }
    }

    /// The retry policy.
    pub fn retry(&self) -> &RetryPolicy {
        &self.retry
    }
}

impl fmt::Debug for ClientState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientState")
            .field("api", &self.spec.title)
            .field("credentials", &self.credentials)
            .field("retry", &self.retry)
            .field("send_api_version", &self.send_api_version)
            .field("user_agent", &self.user_agent)
            .field("options", &self.options)
            .finish()
    }
}

/// A configuration problem found while building a client.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// A required environment variable is unset or empty.
    MissingEnv(&'static str),
    /// The key cannot be sent in an HTTP header.
    InvalidApiKey,
    /// No security scheme of the spec has this name.
    UnknownScheme {
        /// The name given.
        name: String,
        /// The spec's schemes.
        known: Vec<&'static str>,
    },
    /// The base URL does not parse as an absolute http(s) URL.
    InvalidBaseUrl(String),
    /// The spec names no absolute server URL and none was given.
    NoBaseUrl {
        /// The variable that can give one.
        env: &'static str,
    },
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
            ConfigError::UnknownScheme { name, known } => write!(
                f,
                "the spec has no security scheme `{name}` (it has: {})",
                known.join(", ")
            ),
            ConfigError::InvalidBaseUrl(url) => write!(
                f,
                "`{url}` is not a valid base URL (expected an absolute http(s) URL, e.g. https://api.example.com/v1)"
            ),
            ConfigError::NoBaseUrl { env } => write!(
                f,
                "the spec gives no absolute server URL: call .base_url(..) or set {env}"
            ),
            ConfigError::Http(message) => write!(f, "cannot build the HTTP client: {message}"),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Builds a generated client. Defaults: the spec's first server URL, a 60 s
/// timeout, [`RetryPolicy::default`], no `api-version` header.
pub struct ClientBuilder<C> {
    state: ClientState,
    api_key: Option<ApiKey>,
    unknown_scheme: Option<String>,
    base_url: Option<String>,
    timeout: Option<Duration>,
    http: Option<reqwest::Client>,
    client: PhantomData<fn() -> C>,
}

impl<C: GeneratedClient> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder {
            state: ClientState::new(C::SPEC),
            api_key: None,
            unknown_scheme: None,
            base_url: None,
            timeout: None,
            http: None,
            client: PhantomData,
        }
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("state", &self.state)
            .field("api_key", &self.api_key)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl<C: GeneratedClient> ClientBuilder<C> {
    /// A builder with the defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder configured from the environment: the key from
    /// [`Spec::api_key_env`] (required when the spec has a security scheme),
    /// the base URL from [`Spec::base_url_env`] when set.
    pub fn from_env() -> Result<Self, ConfigError> {
        let spec = C::SPEC;
        let var = |name: &str| {
            std::env::var(name)
                .ok()
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let mut builder = Self::new();
        match var(spec.api_key_env) {
            Some(key) => builder = builder.api_key(key),
            None if !spec.schemes.is_empty() => {
                return Err(ConfigError::MissingEnv(spec.api_key_env));
            }
            None => {}
        }
        if let Some(url) = var(spec.base_url_env) {
            builder = builder.base_url(url);
        }
        Ok(builder)
    }

    /// The key for the spec's first security scheme.
    pub fn api_key(mut self, key: impl Into<ApiKey>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// The key for the security scheme named `scheme` in the spec (for
    /// `http` basic: `user:password`; for OAuth2: the access token).
    pub fn credential(mut self, scheme: &str, key: impl Into<ApiKey>) -> Self {
        match self.state.spec.schemes.iter().find(|s| s.name() == scheme) {
            Some(s) => {
                self.state.credentials.insert(s.name(), key.into());
            }
            None => self.unknown_scheme = Some(scheme.to_owned()),
        }
        self
    }

    /// Where requests go, e.g. `https://api.example.com/v1` or a local mock.
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
        self.state.retry = policy;
        self
    }

    /// Shorthand: the number of retries, other settings as they are.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.state.retry.max_retries = retries;
        self
    }

    /// Use this `reqwest::Client` (proxies, TLS roots, pools are yours).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// The `User-Agent` header (default: the crate's name and version, or
    /// `[client] user_agent` of `codegen.toml`).
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.state.user_agent = agent.into();
        self
    }

    /// Send progenitor's `api-version: <spec version>` header. Off by
    /// default: specs define no such header.
    pub fn send_api_version_header(mut self, send: bool) -> Self {
        self.state.send_api_version = send;
        self
    }

    /// Check the settings and build the client.
    pub fn build(self) -> Result<C, ConfigError> {
        let mut state = self.state;
        if let Some(name) = self.unknown_scheme {
            return Err(ConfigError::UnknownScheme {
                name,
                known: state.spec.schemes.iter().map(Scheme::name).collect(),
            });
        }
        if let Some(key) = self.api_key
            && let Some(scheme) = state.spec.schemes.first()
        {
            state.credentials.entry(scheme.name()).or_insert(key);
        }
        if state.credentials.values().any(|k| !k.is_valid()) {
            return Err(ConfigError::InvalidApiKey);
        }
        let base_url = match self.base_url {
            Some(url) => url,
            None if state.spec.default_base_url.is_empty() => {
                return Err(ConfigError::NoBaseUrl {
                    env: state.spec.base_url_env,
                });
            }
            None => state.spec.default_base_url.to_owned(),
        };
        match reqwest::Url::parse(&base_url) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => {}
            _ => return Err(ConfigError::InvalidBaseUrl(base_url)),
        }
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
                .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
                .build()
                .map_err(|e| ConfigError::Http(e.to_string()))?,
        };
        Ok(C::from_parts(base_url.trim_end_matches('/'), http, state))
    }
}
