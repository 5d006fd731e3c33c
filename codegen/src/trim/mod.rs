//! Stage `trim`: remove generated code that costs compile time and serves
//! no caller. Each step is a rule that holds for any spec, not a list of
//! items; each says what it removed.
//!
//! | step | rule | file |
//! |---|---|---|
//! | `received-only-builders` | a type builder exists so a caller can construct a value to send; types only ever received (success and error bodies, events, webhook payloads) get none | [`builders`] |
//! | `map-readers` | a struct is read from a JSON object, which reaches only `visit_map`: serde's derive (a sequence visitor, a field-name enum with its own impl, a wrapper per `deserialize_with` field) is replaced by one map visitor calling `crate::runtime::de`, with the derive's behaviour | [`readers`] |
//! | `map-writers` | a struct is written as a JSON object, field by field: for a struct `map-readers` reads, serde's derive (a body generic over the serializer, built per struct) is replaced by one call to `crate::runtime::ser::object` with `(JSON name, value)` pairs, each value type-erased, with the derive's output; the struct then has no `#[serde]` attributes | [`writers`] |
//! | `string-readers` | an enum of unit variants, each naming a JSON string (OpenAI: the one-value constants that tell union members apart), is read from a string: serde's derive (a variant-name enum with its own impl, an enum visitor) is replaced by a `match` on `crate::runtime::de::variant` | [`strings`] |
//! | `setter-calls` | a builder's setter converts its value and keeps a message naming the field on failure: one generic runtime function (`crate::runtime::builder`) does both, each setter calls it instead of writing a closure and a `format!` | [`setters`] |
//! | `send-calls` | every operation's `send()` runs the client's hooks around its request the same way: progenitor's four statements (`pre`, `exec`, `post`, the transport error; three awaits per operation) are one call of the runtime's generic `hooks::send` | [`sends`] |
//! | `codegen-on-use` | a library compiles its non-generic functions to machine code whether called or not, an `#[inline]` one only where it is called: every monomorphic function the generator writes is marked, so a consumer compiles only the conversions and `send`s it calls | [`inline`] |
//!
//! Runs after `connect` (it reads the surface: which types a caller sends)
//! and before `format`. The type builders are formatted on the second core
//! (`generate::type_builders`), so each step returns the [`Rewrite`] that
//! applies it there too.

use crate::generate::type_builders::Rewrite;
use crate::refine::Refinement;
use crate::surface::Surface;

pub mod builders;
pub mod inline;
pub mod readers;
pub mod sends;
pub mod setters;
pub mod strings;
pub mod writers;

/// Run every step on `file` (the code with `types::builder` possibly left
/// empty), pushing the rewrite each step makes of the type builders onto
/// `rewrites`; what each step removed.
pub fn trim(
    file: &mut syn::File,
    surface: &Surface,
    rewrites: &mut Vec<Rewrite>,
) -> Vec<Refinement> {
    let mut notes = Vec::new();
    if let Some(what) = crate::timings::stage("received-only-builders", || {
        builders::received_only(file, surface, rewrites)
    }) {
        notes.push(Refinement {
            step: "received-only-builders",
            what,
        });
    }
    if let Some(what) = crate::timings::stage("map-readers", || readers::map_readers(file)) {
        notes.push(Refinement {
            step: "map-readers",
            what,
        });
    }
    if let Some(what) = crate::timings::stage("map-writers", || writers::map_writers(file)) {
        notes.push(Refinement {
            step: "map-writers",
            what,
        });
    }
    if let Some(what) = crate::timings::stage("string-readers", || strings::string_readers(file)) {
        notes.push(Refinement {
            step: "string-readers",
            what,
        });
    }
    let converted = crate::timings::stage("setter-calls", || setters::calls(file));
    rewrites.push(Box::new(|file: &mut syn::File| {
        setters::calls(file);
    }));
    if converted > 0 {
        notes.push(Refinement {
            step: "setter-calls",
            what: format!(
                "{converted} setters, and those of the type builders, convert their value with one runtime call"
            ),
        });
    }
    let sends = crate::timings::stage("send-calls", || sends::calls(file));
    if sends > 0 {
        notes.push(Refinement {
            step: "send-calls",
            what: format!(
                "{sends} sends run the client's hooks with one runtime call (`hooks::send`)"
            ),
        });
    }
    let marked = crate::timings::stage("codegen-on-use", || inline::mark(file));
    rewrites.push(Box::new(|file: &mut syn::File| {
        inline::mark(file);
    }));
    if marked > 0 {
        notes.push(Refinement {
            step: "codegen-on-use",
            what: format!(
                "{marked} monomorphic functions, and those of the type builders, are `#[inline]`: compiled to machine code where a caller uses them"
            ),
        });
    }
    notes
}
