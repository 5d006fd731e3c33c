//! What every generated client needs and progenitor does not provide,
//! written once:
//!
//! - [`client`]: `Client::builder()` and `Client::from_env()` for any spec
//!   ([`ClientBuilder`], [`Spec`], [`ConfigError`]);
//! - [`auth`]: credentials for every kind of security scheme ([`ApiKey`]
//!   never prints);
//! - [`hooks`]: what runs around every request (credentials, path check,
//!   retries, error bodies);
//! - [`retry`]: the retry policy;
//! - [`options`]: per-call overrides ([`RequestOptions`], `Client::with_options`);
//! - [`error`]: [`ApiError`], one error type for every failed call;
//! - [`pagination`]: cursor-paginated list operations as streams of items;
//! - [`sse`]: `text/event-stream` responses as typed items;
//! - [`multipart`]: `multipart/form-data` bodies with files;
//! - [`params`]: parameter styles progenitor cannot encode;
//! - [`webhooks`]: Standard Webhooks signatures, for the generated
//!   `webhooks` module;
//! - `de` and `ser`: what every generated struct's `Deserialize` and
//!   `Serialize` call, `builder` what every builder's setter calls (not
//!   for callers).
//!
//! The workspace's own client depends on this crate; a standalone crate made
//! by `cargo xtask generate --out DIR` gets this source copied into
//! `src/runtime/` (so it builds anywhere, with no path dependency). The
//! generated code refers to it as `crate::runtime`. So that the copy compiles
//! as a module, nothing here names `crate::`: modules refer to each other
//! through `super::`.

pub mod auth;
#[doc(hidden)]
pub mod builder;
pub mod client;
#[doc(hidden)]
pub mod de;
pub mod error;
pub mod hooks;
pub mod multipart;
pub mod options;
pub mod pagination;
pub mod params;
pub mod retry;
#[doc(hidden)]
pub mod ser;
pub mod sse;
pub mod webhooks;

pub use auth::{ApiKey, KeyLocation, MissingCredentials, Requirements, Scheme};
pub use client::{ClientBuilder, ClientState, ConfigError, GeneratedClient, Operation, Spec};
pub use error::{ApiError, ErrorBody};
pub use multipart::{FilePart, FormError};
pub use options::RequestOptions;
pub use pagination::{CursorPage, Paginated};
pub use retry::RetryPolicy;
pub use sse::{EventStream, StreamError};
