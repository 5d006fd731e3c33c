//! Stage 3, **normalize**: rewrite what progenitor cannot take into what it
//! can. Each rewrite is a named step that reports what it changed.
//!
//! Steps that keep every bit of information run always:
//!
//! | step | rewrite |
//! |---|---|
//! | `webhooks` | the requests the API sends its users (3.1 `webhooks`, 3.0 `x-webhooks`), which progenitor reads neither of, are listed at the root (`x-codegen-webhooks`: name, description, payload schema as a component reference; an inline payload becomes a component) for `extend`'s `webhooks` module (see [`webhooks`]) |
//! | `references` | every `$ref` names a component: a percent-encoded fragment (`#/components/schemas/Foo%20Bar`) is decoded; a reference to any other place (`#/paths/~1orders/get/responses/404/content/application~1json/schema`, a component's property) makes that node a component of a free name (see [`references`]) |
//! | `self-members` | a component listing its own reference as a direct `allOf`/`anyOf` member (`A: allOf [A, X]`) means its other members (`X`): the member is removed (see [`self_members`]); any other cycle through composition is refused by `validate` |
//! | `type-names` | component schemas whose names make one Rust type name (`address` beside `Address`) are renamed to free ones (`address2`), every reference following (see [`type_names`]) |
//! | `operation-ids` | an operation without `operationId` gets one from its method and path (`GET /info.0.json` -> `get_info_0_json`), unique, reported (see [`operation_ids`]) |
//! | `reserved-headers` | `Accept`, `Content-Type` and `Authorization` header parameters of an OpenAPI 3 document are removed, as its Parameter Object says ("SHALL be ignored"): the client sets them from the body, the responses and `security` (see [`reserved_headers`]) |
//! | `ref-siblings` | in a 3.1 document, assertions beside a `$ref` (`{$ref: Base, required: [name]}`), which JSON Schema 2020-12 applies and 3.0 ignores -> `allOf: [{$ref}, {assertions}]`; annotations, `type` and `nullable` stay beside it (see [`ref_siblings`]) |
//! | `openapi-3.1` | `openapi: 3.1.x` -> `3.0.3` (the schema rewrites also run on 3.0 documents, which sometimes use them); `type: [T, "null"]` -> `type: T, nullable: true`; `{type: "null"}` members of `anyOf`/`oneOf` -> `nullable: true`; `const` -> one-value `enum`; numeric `exclusiveMinimum`/`exclusiveMaximum` -> `minimum` + `true`; `examples` -> `example`; `jsonSchemaDialect` dropped |
//! | `parameter-content` | a parameter given by `content` (one media type) instead of `schema`: a plain value takes that schema, a JSON-encoded one is the caller's JSON text (see [`parameter_schemas`]) |
//! | `path-required` | a path parameter not marked required is made required (OpenAPI: it MUST be) (see [`parameter_schemas`]) |
//! | `path-text` | a path parameter whose schema is not one scalar type (an object, an array, a union) takes the segment's text, described (see [`parameter_schemas`]) |
//! | `enum-types` | an `enum` value its own schema rejects (`type: string, enum: [1, true]`) is brought to the type (`"1"`, `"true"`) or removed, a listed `null` makes the schema nullable (see [`enum_types`]) |
//! | `integer-range` | integer bounds outside 64 bits (`-9223372036854776000`) clamped to `i64` |
//! | `string-unions` | a union whose members are all strings (`anyOf: [string, {string, enum}]`) -> one string enum, open to unlisted values (see [`string_unions`]) |
//! | `disjoint-unions` | an `anyOf` whose members' JSON types overlap only on `null` (`anyOf: [string|null, number|null, boolean, array]`) -> a nullable `oneOf`: one member matches each value, and typify makes an enum that takes it, not a struct of flattened members that takes no scalar (see [`disjoint_unions`]) |
//! | `required-alternatives` | `anyOf`/`oneOf`/`not` members that only list `required` properties (exactly-one-of rules) are dropped: typify would make an enum no value fits (see [`required_alternatives`]) |
//! | `titles` | an inline schema's `title` that would name a type like a component or an earlier title is dropped (E0428 otherwise; see [`titles`]) |
//! | `nullable-components` | a component schema that accepts null (`nullable`, or `null` among its `enum` values) is made nullable where it is used instead (typify wrote `struct X(Option<X>)` beside `X`: E0428), but not as one `allOf` member of several: null validates an `allOf` only when every member takes it (see [`nullable_components`]) |
//! | `parameter-not-null` | no parameter's schema accepts null (`nullable` and a `null` enum value removed): a value on the wire is text, and absence is `required: false` (see [`parameter_schemas`]) |
//! | `server-defaults` | every `default` moves into the `description`: the server applies it, the client does not send it (see [`server_defaults`]); one that does not fit its schema is documented as such (`defaults`) |
//! | `media-types` | a request body progenitor cannot send (`multipart/form-data`, `application/sdp`, `+json`) is generated as one it can and marked for the `extend` stage; each media type of a body with several gets a method (`<id>_multipart`); file properties become `crate::runtime::FilePart` (see [`media_types`]) |
//! | `binary-responses` | a response body of `format: binary` listed under `application/json` is listed under `application/octet-stream`: the method returns its bytes, not a JSON string no file is (see [`binary_responses`]) |
//! | `no-content` | a body documented under `204`, `205` or `304`, which RFC 9110 says carry none, is removed: the method reads no body (see [`no_content`]) |
//! | `parameters` | `deepObject` and object query parameters, delimited arrays, query arrays of objects, array and object headers and cookies are handed to the `extend` stage, which adds their setters and encodes them by their `style` (see [`parameters`]) |
//! | `untyped-items` | a schema with `items` but no `type` (JSON Schema applies `items` to arrays only) -> `oneOf: [array, any value]`, not the `Vec` typify makes of it (see [`untyped_items`]) |
//! | `typify-limits` | schemas typify panics on, rewritten to ones that describe the same JSON: a `format` on an object/array/boolean removed, `allOf` beside an `enum` removed, enum values typify cannot name (`-created`/`+created`, `=`/`!=`) get placeholders and names made here, which `refine` turns back into the spec's values (see [`typify_limits`]) |
//! | `tri-state-marks` | an optional nullable property's `description` carries a mark, so `refine`'s `tri-state` finds the field typify makes of it wherever typify puts it (see [`tri_state_marks`]) |
//! | `path-parameter-names` | a path parameter named unlike its template variable (`cert_id` for `{certificate_id}`) renamed to match; a template variable with no parameter at all declared as a required string |
//!
//! Steps that lose information run only when `codegen.toml` asks (see
//! [`crate::config`]); otherwise what they would fix is reported as an
//! error that names the setting:
//!
//! | step | setting | rewrite |
//! |---|---|---|
//! | `unsupported` | `lossy.drop_unsupported_operations` | multipart or other unsupported bodies, cookie or non-`form` query parameters, array header parameters, optional object query parameters: an optional parameter is dropped, otherwise the operation is left out |
//! | `collapse` | `lossy.collapse_types` | keep the JSON request body when there are several; keep one success and one error response type |
//! | `select` | `select.*` | keep only the selected operations; `prune_components` drops unused schemas |

mod binary_responses;
mod collapse;
mod defaults;
mod disjoint_unions;
mod enum_types;
mod integer_range;
pub mod media_types;
mod no_content;
mod nullable_components;
mod openapi_31;
mod operation_ids;
mod parameter_schemas;
pub mod parameters;
mod path_parameters;
pub(crate) mod ref_siblings;
mod references;
mod required_alternatives;
mod reserved_headers;
pub use reserved_headers::RESERVED as RESERVED_HEADERS;
pub mod responses;
mod select;
mod self_members;
mod server_defaults;
mod string_unions;
mod titles;
pub(crate) mod tri_state_marks;
mod type_names;
pub mod typify_limits;
mod unsupported;
mod untyped_items;
pub mod webhooks;

#[cfg(test)]
mod tests;

pub use select::prune_unused;

use serde_json::Value;

use crate::config::Config;
use crate::load::Document;
use crate::walk::{self, OpAt};
use crate::{Diagnostic, timings};

/// One rewrite made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The step's name.
    pub step: &'static str,
    /// What it changed and where.
    pub what: String,
}

/// An operation that will not be generated, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// Its operationId (or path and method).
    pub operation: String,
    /// Why.
    pub reason: String,
}

/// The result of normalization.
#[derive(Debug, Clone)]
pub struct Normalized {
    /// The rewritten document.
    pub value: Value,
    /// Every rewrite made.
    pub changes: Vec<Change>,
    /// Operations left out (with the user's consent).
    pub left_out: Vec<LeftOut>,
    /// What could not be rewritten, or needs the user's consent.
    pub problems: Vec<Diagnostic>,
}

/// Content types progenitor can send as a request body.
const BODY_TYPES: [&str; 5] = [
    "application/json",
    "application/octet-stream",
    "application/x-www-form-urlencoded",
    "text/plain",
    "text/x-markdown",
];

/// A step: its name (as reported and timed) and the rewrite.
type Step = (&'static str, fn(&mut Normalized, &Document, &Config));

/// Every step, in the order they run. Names first (references, types,
/// operations), so that later steps see the components and ids they keep;
/// then schema and parameter rewrites; then what needs consent; then the
/// rewrites that make typify take the schemas.
const STEPS: [Step; 34] = [
    ("webhooks", |n, _, _| webhooks::keep(n)),
    ("references", |n, _, _| references::rewrite(n)),
    ("self-members", |n, _, _| self_members::rewrite(n)),
    ("type-names", |n, _, _| type_names::rewrite(n)),
    ("operation-ids", |n, _, _| operation_ids::derive(n)),
    ("select", |n, _, c| select::select(n, c)),
    ("reserved-headers", |n, d, _| {
        reserved_headers::rewrite(n, d)
    }),
    ("ref-siblings", |n, _, _| ref_siblings::rewrite(n)),
    ("openapi-3.1", |n, _, _| openapi_31::openapi_31(n)),
    ("parameter-schemas", |n, _, _| parameter_schemas::rewrite(n)),
    ("enum-types", |n, _, _| enum_types::rewrite(n)),
    ("media-types", |n, _, _| media_types::rewrite(n)),
    ("binary-responses", |n, _, _| binary_responses::rewrite(n)),
    ("no-content", |n, _, _| no_content::rewrite(n)),
    ("parameters", |n, _, _| parameters::rewrite(n)),
    ("string-unions", |n, _, _| string_unions::rewrite(n)),
    ("disjoint-unions", |n, _, _| disjoint_unions::rewrite(n)),
    ("required-alternatives", |n, _, _| {
        required_alternatives::rewrite(n)
    }),
    ("titles/dedupe", |n, _, _| titles::dedupe(n)),
    ("titles/free-derived-names", |n, _, _| {
        titles::free_derived_names(n)
    }),
    ("nullable-components", |n, _, _| {
        nullable_components::nullable_components(n)
    }),
    ("parameter-not-null", |n, _, _| {
        parameter_schemas::not_null(n)
    }),
    ("integer-range", |n, _, _| integer_range::integer_range(n)),
    ("path-parameter-names", |n, d, _| {
        path_parameters::path_parameter_names(n, d)
    }),
    ("unsupported", |n, d, c| unsupported::unsupported(n, d, c)),
    ("responses/default-as-errors", |n, _, _| {
        responses::default_as_errors(n, &collapse::response_kind)
    }),
    ("responses/default-as-success", |n, _, _| {
        responses::default_as_success(n, &collapse::response_kind)
    }),
    ("collapse", |n, d, c| collapse::collapse(n, d, c)),
    ("defaults", |n, _, _| defaults::defaults(n)),
    ("server-defaults", |n, _, _| server_defaults::rewrite(n)),
    ("untyped-items", |n, _, _| untyped_items::rewrite(n)),
    ("typify-limits", |n, _, _| typify_limits::rewrite(n)),
    ("tri-state-marks", |n, _, _| tri_state_marks::mark(n)),
    ("prune", |n, _, c| {
        if c.select.prune_components {
            select::prune(n)
        }
    }),
];

/// Run every step of [`STEPS`] on a copy of `doc`.
pub fn normalize(doc: &Document, config: &Config) -> Normalized {
    let mut n = Normalized {
        value: doc.value.clone(),
        changes: Vec::new(),
        left_out: Vec::new(),
        problems: Vec::new(),
    };
    for (name, step) in STEPS {
        timings::stage(name, || step(&mut n, doc, config));
    }
    n
}

/// The Rust type names the component schemas of `root` take: steps that
/// add a component allocate its name here, so no two components can make
/// one type (see [`crate::naming::Names`]).
pub(crate) fn component_type_names(root: &Value) -> crate::naming::Names {
    let keys = root
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|m| m.keys().map(String::as_str));
    crate::naming::Names::new(crate::naming::Case::Pascal, keys)
}

#[cfg(test)]
impl Normalized {
    /// `value` before any step ran: what a step's tests start from.
    pub(crate) fn of(value: Value) -> Self {
        Normalized {
            value,
            changes: Vec::new(),
            left_out: Vec::new(),
            problems: Vec::new(),
        }
    }
}

impl Normalized {
    /// Record a rewrite.
    pub fn change(&mut self, step: &'static str, what: impl Into<String>) {
        self.changes.push(Change {
            step,
            what: what.into(),
        });
    }

    /// Remove an operation (and its path item when it becomes empty).
    pub fn remove_operation(&mut self, op: &OpAt, reason: impl Into<String>) {
        if let Some(Value::Object(item)) = self
            .value
            .get_mut("paths")
            .and_then(|p| p.get_mut(&op.path))
        {
            item.shift_remove(&op.method);
            if !walk::METHODS.iter().any(|m| item.contains_key(*m)) {
                self.value["paths"]
                    .as_object_mut()
                    .map(|p| p.shift_remove(&op.path));
            }
        }
        self.left_out.push(LeftOut {
            operation: op_name(op),
            reason: reason.into(),
        });
    }
}

fn op_name(op: &OpAt) -> String {
    op.id
        .clone()
        .unwrap_or_else(|| format!("{} {}", op.method.to_uppercase(), op.path))
}
