//! What every generated client needs and progenitor does not provide, written
//! once: reading `text/event-stream` responses as typed items ([`sse`]) and
//! sending `multipart/form-data` bodies with files ([`multipart`]) and
//! encoding parameters progenitor cannot ([`params`]).
//!
//! The workspace's own client depends on this crate; a standalone crate made
//! by `cargo xtask generate --out DIR` gets this source copied into
//! `src/runtime/` (so it builds anywhere, with no path dependency). The
//! generated code refers to it as `crate::runtime`. So that the copy compiles
//! as a module, nothing here names `crate::`: modules refer to each other
//! through `super::`.

pub mod multipart;
pub mod params;
pub mod sse;

pub use multipart::{FilePart, FormError};
pub use sse::{EventStream, StreamError};
