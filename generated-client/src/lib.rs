//! Rust client for the API vendored in `spec/api-definition.yaml`.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use openai_admin_client::Client;
//!
//! // The key and base URL variables are set in spec/codegen.toml
//! // ([client]: OPENAI_ADMIN_KEY, OPENAI_BASE_URL).
//! let client = Client::from_env()?;
//! # let _ = client;
//! # Ok(())
//! # }
//! ```
//!
//! Everything here is generated into `generated.rs` by `cargo xtask
//! generate` (never edit it: edit the spec and regenerate) or comes from the
//! workspace's runtime crate (`client-runtime`: auth, configuration,
//! retries, [`ApiError`], pagination, event streams, uploads). This file
//! names nothing of the spec, so it survives any change of the spec.

// The generated module is formatted by prettyplease, not rustfmt, and is
// linted by its generator's tests, not ours.
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic)]
mod generated;

/// What generated code needs beyond progenitor, written once for every
/// client: the workspace's `client-runtime` crate (standalone crates get a
/// copy of its source as a module of the same name).
pub use client_runtime as runtime;
pub use client_runtime::{
    ApiError, ApiKey, ClientBuilder, ConfigError, EventStream, FilePart, RequestOptions,
    RetryPolicy, StreamError,
};

pub use generated::*;
