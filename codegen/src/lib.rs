//! The OpenAPI -> Rust client pipeline behind `cargo xtask generate`.
//!
//! Each stage is one module, run in this order (see `ARCHITECTURE.md`):
//!
//! | stage     | module          | in -> out                                                  |
//! |-----------|-----------------|------------------------------------------------------------|
//! | load      | [`load`]        | file -> [`load::Document`] (JSON value, SHA-256, positions) |
//! | overlay   | [`overlay`]     | document + the user's OpenAPI Overlays -> document, located errors |
//! | validate  | [`validate`]    | document -> every unfixable problem, located               |
//! | normalize | [`normalize`]   | document -> document progenitor takes, changes reported    |
//! | generate  | [`generate`]    | `openapiv3::OpenAPI` -> `syn::File` (progenitor)           |
//! | format    | [`format`](mod@format) | `syn::File` -> Rust source with `@generated` header        |
//! | write     | [`write`](mod@write)   | source -> files on disk, or drift under `--check`          |
//! | surface   | [`surface`]     | generated code -> public API model and listing             |
//! | report    | [`report`]      | two surfaces -> breaking / additive / patch changes        |
//! | wire      | [`wire`]        | generated code + spec -> `tests/operations.rs`; run against Prism |
//!
//! Shared: [`diagnostic`] (located one-line errors), [`config`]
//! (`codegen.toml`), [`walk`] (operations, `$ref`s, schemas of a document).
//!
//! [`pipeline`] strings the stages together; the `xtask` binary and the
//! workspace tests both call it, so there is exactly one way to generate.

pub mod config;
pub mod conformance;
pub mod connect;
pub mod diagnostic;
pub mod examples;
pub mod extend;
pub mod format;
pub mod gate;
pub mod generate;
pub mod items;
pub mod load;
pub mod naming;
pub mod normalize;
pub mod overlay;
pub mod pipeline;
pub mod refine;
pub mod report;
pub mod runtime_copy;
pub mod stack;
pub mod surface;
pub mod swagger2;
pub mod timings;
pub mod trim;
pub mod validate;
pub mod walk;
pub mod wire;
pub mod write;

pub use diagnostic::{Diagnostic, Error};
pub use pipeline::{Layout, Outcome, Target};
pub use write::Mode;

/// The progenitor release this workspace is pinned to (`=` in `Cargo.toml`).
///
/// It is written into every generated header; a workspace test checks it
/// against `Cargo.lock`, so the header cannot claim a version we do not use.
pub const PROGENITOR_VERSION: &str = "0.15.1";
