//! Stage `wire`: a test per operation, shipped in the generated crate, and
//! the run that calls each against an independent validator.
//!
//! Compiling is not working: a client works when every operation's request
//! is the one the spec describes. This stage writes `tests/operations.rs`
//! into the generated crate: per operation a call with only what the spec
//! requires and one with everything it defines (and, for an event stream,
//! the stream read to its end), each against the server named by
//! `<PREFIX>_TEST_BASE_URL`. [`run`] (`cargo xtask wire`) starts Prism
//! mocking the same spec with request validation as errors, runs the
//! tests, and gives one verdict per operation.
//!
//! | step | rule | file |
//! |---|---|---|
//! | `setters` | a test calls the client through the setters the generated builder has, with the types they take, read from the code | [`setters`] |
//! | `calls` | every operation is called with only what the spec requires and with everything it defines, each value an instance of its schema; what cannot be set is a reported gap | [`calls`] |
//! | `render` | the tests name only the crate's public API, read the server from one variable (skipped, saying why, when unset), give every scheme a credential, and fail with one line the run reads | [`render`] |
//! | `limits` | what Prism cannot judge is named per call (its crashes, event streams, form parts read as strings) and never counted as passed; the local-server tests cover each | [`limits`] |
//! | `mock` | Prism mocks the spec as vendored, with what the client holds stated where Prism would not know it (integer formats' ranges as bounds, a Swagger 2.0 body's media type) | [`mock`] |
//! | `run` | the spec's own validator judges: Prism mocks the spec the crate was generated from (`--errors`, `-d`); an operation passes when each of its calls does | [`run`] |

use serde_json::Value;

pub mod calls;
pub mod limits;
pub mod mock;
pub mod render;
pub mod run;
pub mod setters;

pub use run::{Verdict, run};

/// Where the tests go in the crate.
pub const TESTS_FILE: &str = "tests/operations.rs";

/// The tests of a generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tests {
    /// `tests/operations.rs`.
    pub source: String,
    /// The operations, with their calls and gaps.
    pub operations: Vec<calls::Operation>,
}

/// The variable the tests read the server from: the client's base-URL
/// variable with `TEST` before `BASE_URL` (`OPENAI_TEST_BASE_URL`).
pub fn base_url_env(client_base_url_env: &str) -> String {
    match client_base_url_env.strip_suffix("_BASE_URL") {
        Some(prefix) => format!("{prefix}_TEST_BASE_URL"),
        None => format!("{client_base_url_env}_TEST"),
    }
}

/// The tests of the crate `lib` (its name as a path) whose code is `file`
/// generated from `spec` (the document progenitor was given), with values
/// made from `source` (the spec as vendored, overlays applied).
pub fn tests(
    file: &syn::File,
    spec: &Value,
    source: &Value,
    lib: &str,
    env: &str,
    header: &str,
) -> Tests {
    let builders = setters::read(file, lib);
    let operations = calls::plan(spec, source, &builders);
    Tests {
        source: render::file(header, lib, env, &operations),
        operations,
    }
}
