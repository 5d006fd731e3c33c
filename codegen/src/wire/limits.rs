//! Step `limits`: what Prism cannot judge, named.
//!
//! **Rule:** a call Prism cannot judge is reported as such, with the
//! limitation, and never counted as passed; each limitation is one of
//! Prism's, recognised by what Prism itself answered, and the behaviour it
//! hides is covered by the workspace's local-server tests
//! (`tests/streams_uploads.rs`, `tests/client.rs`). Everything else Prism
//! rejects is a failure of the generated client.
//!
//! | limitation | recognised by | covered by |
//! |---|---|---|
//! | Prism stops on the request (an exception in its validator, e.g. an absent optional `simple` array header) | the process exited while serving the call | the parameter styles in `tests/client.rs` |
//! | Prism cannot serialise an object schema as a response of a media type that is not JSON (an event stream, `*/*`) | `NO_COMPLEX_OBJECT_TEXT` (its response serializer: the request was judged first and passed) | the SSE reader and the `*/*` response in `tests/streams_uploads.rs` |
//! | Prism does not match an `Accept: application/json` against a response documented under a media range (`*/*` admits every type, RFC 9110 §12.5.1) | `NOT_ACCEPTABLE`, or the spec's own 406, for an operation with a response under a range | the `*/*` response in `tests/streams_uploads.rs` |
//! | Prism holds an `Accept`, `Content-Type` or `Authorization` header parameter to its schema, which OpenAPI 3 says to ignore ("SHALL be ignored"; the client sends the body's media type) | every violation is of one of those headers | the `reserved-headers` step's tests and the media types in `tests/streams_uploads.rs` |
//! | Prism matches a path template's `#fragment` as part of the path, which no request carries (RFC 3986 §3.5: a fragment is not sent; the AWS specs tell operations of one URL apart by it and by their `X-Amz-Target` header) | `NO_PATH_MATCHED_ERROR` for an operation whose path has a `#` | the fragment-keyed operations in `tests/streams_uploads.rs` |
//! | Prism judges an optional parameter the call did not send (an absent `deepObject` parameter is read as `{}` and held to its `required`) | in the `required` call, every violation is of an optional parameter, which that call never sends | the `all` call, which sends it, and the `deepObject` encoder in `tests/client.rs` |
//! | Prism reads a `deepObject` parameter's array properties only from numbered keys (`filter[id][0]=1`), and each one absent as `[]`: OpenAPI leaves arrays in `deepObject` undefined, and the client repeats the key (`filter[id]=1&filter[id]=2`) | every violation is a `minItems` of a property nested in a query parameter, which only `deepObject` makes | the `deepObject` encoder's tests in `runtime/src/params.rs` (`deep_objects_nest_keys`) and `tests/streams_uploads.rs` |
//! | Prism reads an item of a query array of objects as a string: OpenAPI defines no form of an object inside a `form` array, and the client sends each item's JSON text (`mdfilters={"scope":..}`) | every violation is a numbered item of a query parameter that "must be object" or "must be array" | the `form` encoder's tests in `runtime/src/params.rs` (`form_objects_explode_or_join`) |
//! | Prism reads a body of any other media type (XML, msgpack, text) as a string | the body itself "must be" its schema's type, in a body neither JSON nor a form | the media types in `tests/streams_uploads.rs` |
//! | Prism's response breaks its spec (its faker misses a `oneOf`'s exclusivity, `maxProperties`, a required property; or throws, or finds the schema too complex), with random and with fixed responses | a 500 whose every violation is in the response, a `json-schema-faker` exception or `SCHEMA_TOO_COMPLEX`; the request was judged first and passed | the readers' round trip of schema instances (`cargo xtask conformance`) |
//! | Prism's fixed response (the spec's own example) breaks the spec too, after its random one did; or its random one breaks it unreported (its faker ends recursive schemas with `{}`) | the body the client could not read contradicts the operation's success schema, by the spec's own validator (`jsonschema`, as `cargo xtask conformance` judges examples) | the readers' round trip of schema instances (`cargo xtask conformance`), which lists the example as contradicting its spec |
//! | Prism's fixed response to a response with no schema, after its random one could not be made, is an empty body under a JSON media type (an Example Object without `value` is served so) | the random response broke the spec and the fixed body the client could not read is empty | the readers' round trip of schema instances (`cargo xtask conformance`) |
//! | Prism throws a JavaScript exception while serving the call (`TypeError: Cannot read properties of undefined`), with random responses and again with fixed ones | a 500 whose problem `type` is an exception's name | the parameter styles in `tests/client.rs`, the readers' round trip of schema instances |
//! | Prism writes response bodies of JSON, XML and text only (`application/octet-stream`, `*/*` with a schema) | `Cannot find serializer for <media type>` (its response serializer: the request was judged first and passed) | the binary response and the `*/*` response in `tests/streams_uploads.rs` |
//! | Prism routes a path key's query string (`/rest?method=echo`, which some specs write to tell operations of one path apart) as part of the path | `NO_PATH_MATCHED_ERROR` or `NO_METHOD_MATCHED_ERROR` for an operation whose path key has a `?` | the path key with a query in `tests/streams_uploads.rs` |
//! | Prism asks for a required query parameter whose name has `[` `]` by its percent-encoded name, and finds it in no request (raw or encoded: it parses brackets as nesting) | every violation is a `required` query property whose name has a `%` | the bracketed query names (`metadata%5Bteam%5D`) a local server reads in `tests/streams_uploads.rs` |
//! | Prism looks for an object property of a form by its name, which OpenAPI's default form style (`form`, exploded) does not send: each of the object's properties goes under its own name | every violation is a missing required body property that the call sent as an object, in a form body | the form encoder's styles in `tests/streams_uploads.rs` and `runtime::params` |
//! | Prism reads a Swagger 2.0 `in: body` parameter whose `consumes` lists only form media types as no body (Swagger 2.0 gives those to `formData` parameters); the client sends it under the media type listed | `No supported content types` for a call that sent the form body its spec documents | the multipart and form encoders in `tests/streams_uploads.rs` |
//! | Prism reads each `multipart/form-data` and `x-www-form-urlencoded` part as a string (repeated parts are not an array, a JSON part is not an object, `4` is not the number of an integer enum) | every violation, in a form body, is a body property that "must be" a type other than a string or an enum of numbers or booleans, or a union (and a `required` beside it) such a member fails | the multipart and form encoders in `tests/streams_uploads.rs` |

use std::collections::BTreeSet;

use serde_json::Value;

use super::calls::Operation;
use crate::conformance::Judge;
use crate::examples::{Example, Subject};

/// The Prism limitation that keeps `call` of `op` from being judged, from
/// what it `said` and, when Prism stopped while serving it, its last error.
///
/// `dynamic` is what the call got from Prism answering with random
/// responses, when it was run again against Prism answering without
/// chance because that response broke the spec.
pub fn limitation(
    op: &Operation,
    call: &str,
    said: &str,
    crashed: Option<&str>,
    dynamic: Option<&str>,
) -> Option<String> {
    if response_broken(said) {
        let first = first_violation;
        return Some(format!(
            "Prism accepted the request but made no response its spec allows, so the client's reading is not judged (random: {}; fixed: {})",
            dynamic.map(first).unwrap_or_else(|| "not tried".to_owned()),
            first(said),
        ));
    }
    if let Some(exception) = prism_threw(said) {
        return Some(format!(
            "Prism threw `{exception}` while serving this call, with random responses and with fixed ones, so it judged nothing"
        ));
    }
    if let Some(dynamic) = dynamic
        && let Some(at) = said.find(super::render::BODY_MARK)
        && said[at + super::render::BODY_MARK.len()..]
            .trim()
            .is_empty()
    {
        return Some(format!(
            "Prism accepted the request but made no response its spec allows: random: {}; fixed: an empty body under the JSON media type the spec documents (it serves an example without a `value` so), which no JSON reader takes",
            first_violation(dynamic)
        ));
    }
    if let Some(error) = crashed
        && said.contains("error sending request")
    {
        return Some(format!(
            "Prism stopped while serving this request ({error})"
        ));
    }
    if said.contains("NO_COMPLEX_OBJECT_TEXT") {
        let what = if call == "stream" {
            "an event stream"
        } else {
            "a response of a media type that is not JSON (`*/*`)"
        };
        return Some(format!(
            "Prism cannot serialise an object schema as {what} (\"Cannot serialise complex objects as text\"); it accepted the request"
        ));
    }
    if let Some(media) = no_serializer(said) {
        return Some(format!(
            "Prism cannot write a response body of the media type `{media}` (\"Cannot find serializer for {media}\"); it accepted the request"
        ));
    }
    // Its own 406, or the spec's 406 when the spec documents one.
    if (said.contains("NOT_ACCEPTABLE") || said.starts_with("406 "))
        && !op.response_ranges.is_empty()
    {
        return Some(format!(
            "Prism does not take `application/json` as a type of the media range `{}` the responses are documented under (RFC 9110 §12.5.1)",
            op.response_ranges.join("`, `")
        ));
    }
    if let Some(first) = every_violation(said, is_reserved_header) {
        return Some(format!(
            "Prism holds a header parameter OpenAPI 3 says to ignore to its schema ({first}); the client sends what the spec's body and security say"
        ));
    }
    if let Some(first) = every_violation(said, is_deep_array) {
        return Some(format!(
            "Prism reads a `deepObject` parameter's array property only from numbered keys (`name[property][0]`), and one absent as `[]` ({first}); OpenAPI leaves arrays in `deepObject` undefined, and the client repeats the key"
        ));
    }
    if let Some(first) = every_violation(said, is_structured_item) {
        return Some(format!(
            "Prism reads an item of a query array of objects as a string ({first}); OpenAPI defines no form of an object inside a `form` array, and the client sends each item's JSON text"
        ));
    }
    if (said.contains("NO_PATH_MATCHED_ERROR") || said.contains("NO_METHOD_MATCHED_ERROR"))
        && let Some((path, query)) = op.path.split_once('?')
    {
        return Some(format!(
            "the spec's path key carries the query `?{query}`, which the client sends to `{path}` and Prism routes as part of the path; a path key of OpenAPI is a path only, so an overlay that moves the query into parameters makes this operation judgeable"
        ));
    }
    if said.contains("NO_PATH_MATCHED_ERROR") && op.path.contains('#') {
        return Some(format!(
            "Prism matches the `#{}` fragment of the path as part of it, and no request carries a fragment (RFC 3986 §3.5)",
            op.path.split_once('#').map(|(_, f)| f).unwrap_or_default()
        ));
    }
    if call == "required"
        && let Some(found) = violations(said)
        && !found.is_empty()
        && let Some(names) = found
            .iter()
            .map(|v| unsent_parameter(op, v))
            .collect::<Option<Vec<&str>>>()
    {
        return Some(format!(
            "Prism judges the optional parameter `{}`, which this call does not send (it reads an absent `deepObject` parameter as `{{}}`)",
            names.join("`, `")
        ));
    }
    if let Some(first) = every_violation(said, is_encoded_name_missing) {
        return Some(format!(
            "Prism asks for the required query parameter by its percent-encoded name ({first}) and finds it in no request, raw or encoded: it parses `[` `]` in a query name as nesting"
        ));
    }
    let form = op.media.as_deref().is_some_and(super::calls::is_form);
    if form && said.contains("No supported content types") {
        return Some(format!(
            "Prism finds no media type for the `{}` body the spec documents: it reads a Swagger 2.0 `in: body` parameter under a `consumes` of only form media types as no body (Swagger 2.0 gives those to `formData` parameters), and the client sends the body under the one media type listed",
            op.media.as_deref().unwrap_or_default()
        ));
    }
    let json = op
        .media
        .as_deref()
        .is_none_or(crate::examples::is_json_media);
    let text = |v: &Value| {
        location(v)
            .into_iter()
            .filter(|l| *l != "request")
            .eq(["body"])
            // A union's members each fail on the string, and so the union.
            && ["type", "oneOf", "anyOf"].iter().any(|c| v["code"] == *c)
    };
    if !json
        && !form
        && let Some(first) = every_violation(said, text)
    {
        return Some(format!(
            "Prism reads an `{}` body as text, so it cannot hold it to its schema ({first})",
            op.media.as_deref().unwrap_or_default(),
        ));
    }
    if form
        && let Some(found) = violations(said)
        && !found.is_empty()
        && let Some(names) = found
            .iter()
            .map(|v| spread_object(op, call, v))
            .collect::<Option<Vec<&str>>>()
    {
        return Some(format!(
            "Prism looks for the form property `{}` by its name, and the client sent it as OpenAPI's default for an object in a form (`style: form, explode: true`) says: its properties, each under its own name",
            names.join("`, `")
        ));
    }
    if form
        && let Some(found) = violations(said)
        && !found.is_empty()
        && is_form_part_as_string(&found)
    {
        let props: BTreeSet<String> = found
            .iter()
            .filter_map(|v| {
                v["location"]
                    .as_array()?
                    .last()?
                    .as_str()
                    .map(str::to_owned)
            })
            .collect();
        let props: Vec<String> = props.into_iter().collect();
        return Some(format!(
            "Prism reads each {} part as a string, so it finds no array, object, number or null in `{}`",
            op.media.as_deref().unwrap_or_default(),
            props.join("`, `")
        ));
    }
    None
}

/// The first violation's message, when Prism reported violations and
/// every one is `of_kind`.
fn every_violation(said: &str, of_kind: impl Fn(&Value) -> bool) -> Option<String> {
    let found = violations(said)?;
    (!found.is_empty() && found.iter().all(of_kind))
        .then(|| found[0]["message"].as_str().unwrap_or_default().to_owned())
}

/// The value the setter `setter` was given in the call `call`
/// (`required`, else the every-argument one), read back as JSON.
fn sent(op: &Operation, call: &str, setter: &str) -> Option<Value> {
    let args = if call == "required" {
        &op.required
    } else {
        &op.all
    };
    args.iter()
        .find_map(|(s, arg)| match arg {
            super::calls::Arg::Json { json, .. } if s == setter => Some(json),
            _ => None,
        })
        .and_then(|json| serde_json::from_str(json).ok())
}

/// Where a violation is (`["request", "query", "sort"]`), in one form: Prism locates it under `request`
/// in the 400 it answers with from the spec (`["request", "header"]`) and
/// without it in its own 422 problem (`["header"]`).
fn location(v: &Value) -> Vec<&str> {
    let mut at: Vec<&str> = v["location"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if at
        .first()
        .is_some_and(|l| ["path", "query", "header", "cookie", "body"].contains(l))
    {
        at.insert(0, "request");
    }
    at
}

/// The name of the optional parameter `v` is located at, if it is one
/// (`["request", "query", "sort"]`).
fn unsent_parameter<'a>(op: &'a Operation, v: &Value) -> Option<&'a str> {
    let mut location = location(v);
    location.retain(|l| *l != "request");
    let [within, name, ..] = location.as_slice() else {
        return None;
    };
    op.optional
        .iter()
        .find(|(l, n)| l == within && n == name)
        .map(|(_, n)| n.as_str())
}

/// A `minItems` violation of a property nested in a query parameter
/// (`["request", "query", "filter", "id"]`): only `deepObject` nests.
fn is_deep_array(v: &Value) -> bool {
    v["code"] == "minItems" && matches!(location(v).as_slice(), ["request", "query", _, _, ..])
}

/// "Request query parameter mdfilters.0 must be object": a numbered item
/// of a query array read as a string.
fn is_structured_item(v: &Value) -> bool {
    let message = v["message"].as_str().unwrap_or_default();
    v["code"] == "type"
        && (message.ends_with("must be object") || message.ends_with("must be array"))
        && matches!(location(v).as_slice(), ["request", "query", _, index] if index.parse::<usize>().is_ok())
}

/// A violation of a header OpenAPI 3's Parameter Object says to ignore.
fn is_reserved_header(v: &Value) -> bool {
    let reserved = |name: &str| {
        crate::normalize::RESERVED_HEADERS.contains(&name.to_ascii_lowercase().as_str())
    };
    let message = v["message"].as_str().unwrap_or_default();
    match location(v).as_slice() {
        ["request", "header", name] => reserved(name),
        // "Request header must have required property 'authorization'"
        ["request", "header"] => {
            v["code"] == "required" && message.rsplit('\'').nth(1).is_some_and(reserved)
        }
        _ => false,
    }
}

/// "Request query must have required property 'filter%5btag%5d'": Prism
/// holds the request to the spec's parameter name percent-encoded, which no
/// query it parses has (it reads `filter[tag]` and `filter%5Btag%5D` alike
/// as `filter` nested).
fn is_encoded_name_missing(v: &Value) -> bool {
    let mut at = location(v);
    at.retain(|l| *l != "request");
    let message = v["message"].as_str().unwrap_or_default();
    at == ["query"]
        && v["code"] == "required"
        && message
            .rsplit('\'')
            .nth(1)
            .is_some_and(|name| name.contains('%'))
}

/// "Request body must have required property 'recipient'" when the body
/// `call` sent has `recipient` as an object of the default form style
/// (`form`, exploded): its properties went each under its own name, so no
/// form field is named `recipient`. The property's name, then.
fn spread_object<'a>(op: &Operation, call: &str, v: &'a Value) -> Option<&'a str> {
    let mut at = location(v);
    at.retain(|l| *l != "request");
    if at != ["body"] || v["code"] != "required" {
        return None;
    }
    let name = v["message"].as_str()?.rsplit('\'').nth(1)?;
    sent(op, call, "body")?
        .get(name)
        .is_some_and(|p| p.as_object().is_some_and(|o| !o.is_empty()))
        .then_some(name)
}

/// Whether Prism's reading of every form part as text explains each of
/// the violations `found` in a form body: a body property that "must be"
/// a type other than a string (`array`, `object`, `array,null`, or `null`
/// as a nullable union's member), an `enum` of numbers or booleans (`4`
/// read as `"4"`), and what such a member's failure makes of the unions
/// holding it (`oneOf`/`anyOf`, and a `required` beside the union: an
/// alternative the value was not meant for). At least one violation is of
/// the first two kinds; the client sends values its schemas accept.
fn is_form_part_as_string(found: &[Value]) -> bool {
    let in_body = |v: &Value| location(v).contains(&"body");
    let typed = |v: &Value| {
        let message = v["message"].as_str().unwrap_or_default();
        match v["code"].as_str() {
            Some("type") => message.rsplit_once("must be ").is_some_and(|(_, types)| {
                types.split(',').all(|t| {
                    ["array", "object", "null", "integer", "number", "boolean"].contains(&t.trim())
                })
            }),
            Some("enum") => message.rsplit_once(": ").is_some_and(|(_, values)| {
                values.split(',').all(|v| {
                    let v = v.trim();
                    v.parse::<f64>().is_ok() || v == "true" || v == "false"
                })
            }),
            _ => false,
        }
    };
    let union = |v: &Value| matches!(v["code"].as_str(), Some("oneOf" | "anyOf"));
    let unions: Vec<Vec<&str>> = found.iter().filter(|v| union(v)).map(location).collect();
    found.iter().any(|v| in_body(v) && typed(v))
        && found.iter().all(|v| {
            in_body(v)
                && (typed(v)
                    || union(v)
                    || (v["code"] == "required" && unions.contains(&location(v))))
        })
}

/// When the client could not read a body (`said`): whether the spec's own
/// validator rejects that body as the operation's success response, and
/// why. Then the response is not one the spec allows, and the client was
/// right to refuse it: Prism's fixed one after its random one broke the
/// spec (`dynamic`), or a random one whose break Prism did not report
/// (its faker stops recursive schemas with `{}`, leaving out their
/// required properties).
pub fn fixed_response_breaks_spec(
    judge: &Judge,
    op: &Operation,
    said: &str,
    dynamic: Option<&str>,
) -> Option<String> {
    let body = &said[said.find(super::render::BODY_MARK)? + super::render::BODY_MARK.len()..];
    let value: Value = serde_json::from_str(body).ok()?;
    let example = Example {
        at: format!("{} {}", op.http_method, op.path),
        operation_id: None,
        subject: Subject::Response {
            method: op.http_method.to_lowercase(),
            path: op.path.clone(),
            status: None,
        },
        value,
    };
    let rule = judge.contradiction(&example)?;
    Some(match dynamic {
        Some(dynamic) => format!(
            "Prism accepted the request but made no response its spec allows (random: {}; fixed, the spec's example: {rule}), so the client's reading is not judged",
            first_violation(dynamic)
        ),
        // Prism reported nothing of it: the spec's own validator tells.
        None => format!(
            "Prism accepted the request but its response breaks its spec (by the spec's own validator, {rule}), which the client refuses, so its reading is not judged"
        ),
    })
}

/// When a call failed: whether the body it sent is one the spec's own
/// validator rejects too (then the values, or the spec, are at fault, not
/// how the client sent them: e.g. a `oneOf` whose members every value
/// matches), and the rule it breaks.
pub fn body_breaks_spec(judge: &Judge, op: &Operation, call: &str) -> Option<String> {
    let value = sent(op, call, "body")?;
    judge.body_contradiction(&op.http_method.to_lowercase(), &op.path, &value)
}

/// When every violation is a parameter's value outside its `enum`, and
/// that parameter's schema (as vendored) rejects every value its `enum`
/// lists (`type: string, enum: [10, 20]`): no request can carry a value
/// the spec admits, so the spec is at fault, not the client. Says so per
/// parameter, with the rule.
pub fn parameter_admits_no_value(judge: &Judge, op: &Operation, said: &str) -> Option<String> {
    let found = violations(said)?;
    let method = op.http_method.to_lowercase();
    let rules = found
        .iter()
        .map(|v| {
            let mut at = location(v);
            at.retain(|l| *l != "request");
            let [within, name] = at.as_slice() else {
                return None;
            };
            if v["code"] != "enum" {
                return None;
            }
            let rule = judge.parameter_admits_no_listed_value(&method, &op.path, within, name)?;
            Some(format!("`{name}` ({within}): {rule}"))
        })
        .collect::<Option<Vec<String>>>()?;
    (!rules.is_empty()).then(|| {
        format!(
            "the spec: the schema of {} rejects every value its `enum` lists, so no request can pass; the generator reads the values as the schema's `type` says (reported by `enum-types`), and an overlay that makes them agree makes this operation judgeable",
            rules.join("; ")
        )
    })
}

/// When every error Prism found is in a parameter's value and the spec's
/// own validator rejects the value sent too (e.g. `oneOf: [{}, {}]`, whose
/// members every value matches): the spec admits no value, so the spec is
/// at fault, not how the client sent it. Says so per parameter, with the
/// rule.
pub fn parameter_value_breaks_spec(
    judge: &Judge,
    op: &Operation,
    call: &str,
    said: &str,
) -> Option<String> {
    let method = op.http_method.to_lowercase();
    let mut rules = BTreeSet::new();
    for v in violations(said)?
        .iter()
        .filter(|v| v["severity"] != "Warning")
    {
        let mut at = location(v);
        at.retain(|l| *l != "request");
        let [within, name, ..] = at.as_slice() else {
            return None;
        };
        let (.., setter) = op
            .setters
            .iter()
            .find(|(l, n, _)| l == within && n.eq_ignore_ascii_case(name))?;
        let value = sent(op, call, setter)?;
        let rule = judge.parameter_value_contradiction(&method, &op.path, within, name, &value)?;
        rules.insert(format!("`{name}` ({within}): {rule}"));
    }
    (!rules.is_empty()).then(|| {
        format!(
            "the spec's own validator rejects the value sent too: {}; when no value can satisfy the schema, the spec needs an overlay",
            rules.into_iter().collect::<Vec<_>>().join("; ")
        )
    })
}

/// When Prism finds a path parameter missing that the path template has no
/// variable for (`cert_id` beside `{certificate_id}`): no request can
/// carry it, so the spec admits none; says so, with the fix.
pub fn path_parameter_outside_template(op: &Operation, said: &str) -> Option<String> {
    let found = violations(said)?;
    let names: Vec<&str> = found
        .iter()
        .filter(|v| {
            v["location"]
                .as_array()
                .is_some_and(|l| l.last() == Some(&Value::from("path")))
        })
        .filter_map(|v| v["message"].as_str()?.rsplit('\'').nth(1))
        .filter(|name| !op.path.contains(&format!("{{{name}}}")))
        .collect();
    (!names.is_empty() && names.len() == found.len()).then(|| {
        format!(
            "the spec: its path template `{}` has no variable for the path parameter `{}`, so no request can carry it (the generator sends it as the template's variable and reports the rename; an overlay that renames it makes the spec one a server can be judged by)",
            op.path,
            names.join("`, `")
        )
    })
}

/// The first violation's message in what Prism said, or its first words.
fn first_violation(said: &str) -> String {
    violations(said)
        .and_then(|v| {
            v.first()
                .and_then(|v| v["message"].as_str())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| said.chars().take(160).collect())
}

/// The media type Prism has no serializer for (`Cannot find serializer for
/// application/octet-stream`): it writes JSON, XML and text only. Prism
/// makes the response after judging the request, so the request passed.
fn no_serializer(said: &str) -> Option<&str> {
    let rest =
        &said[said.find("Cannot find serializer for ")? + "Cannot find serializer for ".len()..];
    let end = rest.find(['"', ',', '}']).unwrap_or(rest.len());
    Some(rest[..end].trim())
}

/// Whether Prism accepted the request and then failed to make a response
/// its spec allows: a 500 whose every violation is in the response, or an
/// exception of its response faker. Prism judges the request first (with
/// `--errors` a violation is a 422 before any response is made), so the
/// request itself passed.
/// The JavaScript exception Prism answered with (a 500 whose problem
/// `type` is an exception's name, `TypeError`, not one of its error URLs),
/// and its message: Prism itself failed while serving the call.
pub fn prism_threw(said: &str) -> Option<String> {
    let body = said.strip_prefix("500 Internal Server Error: ")?;
    let problem: Value = serde_json::from_str(body).ok()?;
    let kind = problem["type"].as_str()?;
    let is_exception = kind.ends_with("Error")
        && kind.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && kind.chars().all(|c| c.is_ascii_alphanumeric());
    is_exception.then(|| format!("{kind}: {}", problem["title"].as_str().unwrap_or_default()))
}

pub fn response_broken(said: &str) -> bool {
    if !said.starts_with("500") {
        return false;
    }
    // Its faker's exceptions, and `-d` on a response with no schema.
    // `SCHEMA_TOO_COMPLEX`: its faker gave up on the schema.
    if said.contains("json-schema-faker")
        || said.contains("Tried to force a dynamic response")
        || said.contains("SCHEMA_TOO_COMPLEX")
    {
        return true;
    }
    violations(said).is_some_and(|found| {
        !found.is_empty() && found.iter().all(|v| v["location"][0] == "response")
    })
}

/// The violations in what Prism said: its `sl-violations` header (a JSON
/// array) or its problem document's `validation`, after the status.
///
/// A list too long for a header Prism cuts (`Too many violations! [..`):
/// then the violations it holds whole.
fn violations(said: &str) -> Option<Vec<Value>> {
    let json = &said[said.find(['[', '{'])?..];
    if said.contains("Too many violations! [") {
        let mut rest = &json[1..];
        let mut found = Vec::new();
        loop {
            rest = rest.trim_start_matches([',', ' ']);
            let mut values = serde_json::Deserializer::from_str(rest).into_iter::<Value>();
            match values.next() {
                Some(Ok(v)) => found.push(v),
                _ => break,
            }
            rest = &rest[values.byte_offset()..];
        }
        return Some(found);
    }
    match serde_json::from_str::<Value>(json).ok()? {
        Value::Array(list) => Some(list),
        Value::Object(problem) => problem.get("validation")?.as_array().cloned(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(media: Option<&str>) -> Operation {
        Operation {
            method: "m".into(),
            http_method: "POST".into(),
            path: "/p".into(),
            required: Vec::new(),
            all: Vec::new(),
            media: media.map(str::to_owned),
            streams: false,
            success: true,
            features: Vec::new(),
            optional: vec![("query".into(), "sort".into())],
            setters: vec![("query".into(), "id".into(), "id".into())],
            response_ranges: Vec::new(),
            gaps: Vec::new(),
        }
    }

    #[test]
    fn an_unsent_optional_parameter_is_prisms_only_in_the_required_call() {
        let said = r#"422 Unprocessable Entity: [{"location":["request","query","sort"],"severity":"Error","code":"required","message":"Request query parameter sort must have required property 'by'"}]"#;
        assert!(
            limitation(&op(None), "required", said, None, None)
                .unwrap()
                .contains("`sort`")
        );
        // The `all` call sends it: the violation is the client's.
        assert_eq!(limitation(&op(None), "all", said, None, None), None);
        // A required parameter's violation is the client's.
        let other = said.replace("sort", "limit");
        assert_eq!(limitation(&op(None), "required", &other, None, None), None);
    }

    #[test]
    fn a_form_body_prism_finds_no_media_type_for_is_prisms() {
        let said = r#"415 Unsupported Media Type: {"type":"https://stoplight.io/prism/errors#INVALID_CONTENT_TYPE","title":"Invalid content type","status":415,"detail":"No supported content types, but request included a non-empty body"}"#;
        let mut multipart = op(None);
        multipart.media = Some("multipart/form-data".into());
        assert!(
            limitation(&multipart, "all", said, None, None)
                .unwrap()
                .contains("`multipart/form-data` body")
        );
        // A body the spec does not document, or a JSON one: the client's.
        assert_eq!(limitation(&op(None), "all", said, None, None), None);
        multipart.media = Some("application/json".into());
        assert_eq!(limitation(&multipart, "all", said, None, None), None);
    }

    #[test]
    fn a_media_range_prism_does_not_negotiate_is_prisms() {
        let said = r#"406 Not Acceptable: {"type":"https://stoplight.io/prism/errors#NOT_ACCEPTABLE","detail":"Unable to find content for application/json"}"#;
        let mut ranged = op(None);
        ranged.response_ranges = vec!["*/*".into()];
        assert!(
            limitation(&ranged, "all", said, None, None)
                .unwrap()
                .contains("`*/*`")
        );
        // Documented as JSON, a 406 is the client's.
        assert_eq!(limitation(&op(None), "all", said, None, None), None);
    }

    #[test]
    fn an_ignored_header_prism_holds_to_its_schema_is_prisms() {
        let said = r#"400 Bad Request: [{"location":["request","header","content-type"],"severity":"Error","code":"enum","message":"Request header parameter content-type must be equal to one of the allowed values: application/x-tar"}]"#;
        assert!(
            limitation(&op(None), "all", said, None, None)
                .unwrap()
                .contains("content-type")
        );
        let other = said.replace("content-type", "x-registry-auth");
        assert_eq!(limitation(&op(None), "all", &other, None, None), None);
        let missing = r#"400 Bad Request: [{"location":["request","header"],"severity":"Error","code":"required","message":"Request header must have required property 'authorization'"}]"#;
        assert!(limitation(&op(None), "required", missing, None, None).is_some());
        // Prism's own 422 locates it without `request`: the same violation.
        let own = r#"422 Unprocessable Entity: {"type":"https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY","status":422,"validation":[{"location":["header"],"severity":"Error","code":"required","message":"Request header must have required property 'authorization'"}]}"#;
        assert!(limitation(&op(None), "required", own, None, None).is_some());
        assert_eq!(
            limitation(
                &op(None),
                "required",
                &own.replace("'authorization'", "'x-key'"),
                None,
                None
            ),
            None
        );
        let other = missing.replace("'authorization'", "'x-api-key'");
        assert_eq!(limitation(&op(None), "required", &other, None, None), None);
    }

    #[test]
    fn a_fixed_response_is_prisms_only_when_the_spec_rejects_it() {
        let spec = serde_json::json!({"openapi": "3.0.3", "paths": {"/p": {"post": {"responses": {"200": {
            "description": "ok",
            "content": {"application/json": {"schema": {
                "type": "object", "required": ["channel"], "properties": {"channel": {"type": "string"}}
            }}}
        }}}}}});
        let judge = Judge::new(&spec);
        let dynamic = r#"500: {"type":"x","title":"t","status":500,"validation":[{"location":["response","body"],"message":"boom"}]}"#;
        let said = |body: &str| {
            format!(
                "the client cannot read the response body (missing field `channel`); {}{body}",
                super::super::render::BODY_MARK
            )
        };
        let dynamic = Some(dynamic);
        let why = fixed_response_breaks_spec(&judge, &op(None), &said(r#"{"ok":true}"#), dynamic)
            .unwrap();
        assert!(why.contains("channel") && why.contains("boom"), "{why}");
        // A random response whose break Prism did not report: the spec's
        // validator tells.
        let why =
            fixed_response_breaks_spec(&judge, &op(None), &said(r#"{"ok":true}"#), None).unwrap();
        assert!(why.contains("channel"), "{why}");
        // A body the spec allows that the client cannot read is the client's.
        for dynamic in [dynamic, None] {
            assert_eq!(
                fixed_response_breaks_spec(&judge, &op(None), &said(r#"{"channel":"c"}"#), dynamic),
                None
            );
        }
    }

    #[test]
    fn a_deep_object_array_prism_reads_as_empty_is_prisms() {
        let said = r#"422 Unprocessable Entity: [{"location":["request","query","filter","id"],"severity":"Error","code":"minItems","message":"Request query parameter filter.id must NOT have fewer than 1 items"}]"#;
        assert!(
            limitation(&op(None), "all", said, None, None)
                .unwrap()
                .contains("deepObject")
        );
        // A top-level array parameter's `minItems` is the client's.
        let top = r#"400 Bad Request: [{"location":["request","query","ids"],"severity":"Error","code":"minItems","message":"Request query parameter ids must NOT have fewer than 1 items"}]"#;
        assert_eq!(limitation(&op(None), "all", top, None, None), None);
    }

    #[test]
    fn an_object_item_of_a_query_array_read_as_text_is_prisms() {
        let said = r#"400 Bad Request: [{"location":["request","query","mdfilters","0"],"severity":"Error","code":"type","message":"Request query parameter mdfilters.0 must be object"}]"#;
        assert!(limitation(&op(None), "all", said, None, None).is_some());
        // The parameter itself of the wrong type is the client's.
        let whole = r#"400 Bad Request: [{"location":["request","query","mdfilters"],"severity":"Error","code":"type","message":"Request query parameter mdfilters must be array"}]"#;
        assert_eq!(limitation(&op(None), "all", whole, None, None), None);
    }

    #[test]
    fn a_parameter_value_the_spec_rejects_is_named() {
        // Members every value matches: no value satisfies `oneOf`.
        let spec = serde_json::json!({"openapi": "3.0.3", "paths": {"/p": {"post": {
            "parameters": [{"in": "query", "name": "id", "required": true,
                "schema": {"oneOf": [{}, {}]}}],
            "responses": {"200": {"description": "ok"}}
        }}}});
        let judge = Judge::new(&spec);
        let mut sent = op(None);
        sent.path = "/p".into();
        sent.required = vec![(
            "id".into(),
            super::super::calls::Arg::Json {
                ty: "String".into(),
                json: "\"text\"".into(),
            },
        )];
        let said = r#"400 Bad Request: [{"location":["request","query","id"],"severity":"Error","code":"oneOf","message":"Request query parameter id must match exactly one schema in oneOf"},{"location":["request","query","id"],"severity":"Warning","code":"deprecated","message":"deprecated"}]"#;
        let named = parameter_value_breaks_spec(&judge, &sent, "required", said).unwrap();
        assert!(named.contains("`id` (query)"), "{named}");
        // A schema that takes the value: the violation is the client's.
        let plain = serde_json::json!({"openapi": "3.0.3", "paths": {"/p": {"post": {
            "parameters": [{"in": "query", "name": "id", "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok"}}
        }}}});
        assert_eq!(
            parameter_value_breaks_spec(&Judge::new(&plain), &sent, "required", said),
            None
        );
        // A violation of a parameter the call does not set is not named.
        let other = said.replace("\"id\"]", "\"other\"]");
        assert_eq!(
            parameter_value_breaks_spec(&judge, &sent, "required", &other),
            None
        );
    }

    #[test]
    fn a_body_the_spec_rejects_is_named() {
        // Members every object matches: no body satisfies `oneOf`.
        let spec = serde_json::json!({"openapi": "3.0.3", "paths": {"/p": {"post": {
            "requestBody": {"content": {"application/json": {"schema": {"oneOf": [
                {"properties": {"cursor": {"type": "string"}}},
                {"properties": {"limit": {"type": "number"}}}
            ]}}}},
            "responses": {"200": {"description": "ok"}}
        }}}});
        let judge = Judge::new(&spec);
        let mut call = op(None);
        call.required = vec![(
            "body".into(),
            super::super::calls::Arg::Json {
                ty: "B".into(),
                json: r#"{"cursor":"c"}"#.into(),
            },
        )];
        assert!(
            body_breaks_spec(&judge, &call, "required")
                .unwrap()
                .contains("oneOf")
        );
        // A body it takes is the client's to explain.
        let spec_ok = serde_json::json!({"openapi": "3.0.3", "paths": {"/p": {"post": {
            "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
            "responses": {"200": {"description": "ok"}}
        }}}});
        assert_eq!(
            body_breaks_spec(&Judge::new(&spec_ok), &call, "required"),
            None
        );
        // A form body is an instance of its schema too: an array whose
        // `enum` lists only strings admits no value.
        let form = serde_json::json!({"openapi": "3.0.3", "paths": {"/p": {"post": {
            "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {
                "properties": {"goals[]": {"type": "array", "enum": ["a"], "items": {"type": "string"}}}
            }}}},
            "responses": {"200": {"description": "ok"}}
        }}}});
        call.required = vec![(
            "body".into(),
            super::super::calls::Arg::Json {
                ty: "B".into(),
                json: r#"{"goals[]":"a"}"#.into(),
            },
        )];
        assert!(
            body_breaks_spec(&Judge::new(&form), &call, "required")
                .unwrap()
                .contains("goals[]")
        );
    }

    #[test]
    fn an_object_spread_in_a_form_is_prisms() {
        let said = r#"422 Unprocessable Entity: [{"location":["request","body"],"severity":"Error","code":"required","message":"Request body must have required property 'recipient'"}]"#;
        let mut form = op(Some("application/x-www-form-urlencoded"));
        let body = |json: &str| {
            vec![(
                "body".to_owned(),
                super::super::calls::Arg::Json {
                    ty: "B".into(),
                    json: json.into(),
                },
            )]
        };
        form.all = body(r#"{"recipient":{"clientId":"c"}}"#);
        assert!(
            limitation(&form, "all", said, None, None)
                .unwrap()
                .contains("`recipient`")
        );
        // Not sent, or sent as text: the client's.
        form.all = body(r#"{"recipient":"c"}"#);
        assert_eq!(limitation(&form, "all", said, None, None), None);
        form.all = body(r#"{}"#);
        assert_eq!(limitation(&form, "all", said, None, None), None);
    }

    #[test]
    fn an_exception_prism_throws_is_prisms() {
        // What Prism 5 answered on orthanc's `GET /peers/{id}/configuration`.
        let said = r#"500 Internal Server Error: {"type":"TypeError","title":"Cannot read properties of undefined (reading 'items')","status":500,"detail":""}"#;
        assert!(
            limitation(&op(None), "all", said, None, None)
                .unwrap()
                .contains("TypeError: Cannot read")
        );
        // One of its own problems is not an exception.
        let own = r#"500 Internal Server Error: {"type":"https://stoplight.io/prism/errors#UNKNOWN","title":"t","status":500}"#;
        assert_eq!(prism_threw(own), None);
    }

    #[test]
    fn an_empty_fixed_response_after_a_broken_random_one_is_prisms() {
        let empty = "the client cannot read the response body (EOF while parsing a value at line 1 column 0); the body: ";
        let dynamic = r#"500 Internal Server Error: {"type":"https://stoplight.io/prism/errors#NO_RESPONSE_DEFINED","detail":"Tried to force a dynamic response"}"#;
        assert!(
            limitation(&op(None), "all", empty, None, Some(dynamic))
                .unwrap()
                .contains("empty body")
        );
        // An empty body Prism served at once is the client's to explain.
        assert_eq!(limitation(&op(None), "all", empty, None, None), None);
        // So is a body with something in it.
        let full = format!("{empty}{{\"a\":1}}");
        assert_eq!(
            limitation(&op(None), "all", &full, None, Some(dynamic)),
            None
        );
    }

    #[test]
    fn a_bracketed_query_name_prism_cannot_find_is_prisms() {
        // What Prism 5 answers to `?filter[tag]=a`, `?filter%5Btag%5D=a` and
        // `?filter%5btag%5d=a` alike (captured).
        let said = r#"422 Unprocessable Entity: {"type":"x","title":"t","status":422,"validation":[{"location":["query"],"severity":"Error","code":"required","message":"Request query must have required property 'filter%5btag%5d'"}]}"#;
        assert!(
            limitation(&op(None), "required", said, None, None)
                .unwrap()
                .contains("percent-encoded name")
        );
        // A required parameter of a plain name not sent is the client's.
        let plain = said.replace("filter%5btag%5d", "tag");
        assert_eq!(limitation(&op(None), "required", &plain, None, None), None);
    }

    #[test]
    fn a_parameter_whose_schema_rejects_its_own_enum_is_the_specs() {
        // What Prism 5 answers to `?sev=10` (captured).
        let said = r#"422 Unprocessable Entity: {"type":"x","title":"t","status":422,"validation":[{"location":["query","sev"],"severity":"Error","code":"enum","message":"Request query parameter sev must be equal to one of the allowed values: 10, 20"}]}"#;
        let spec = |schema: serde_json::Value| {
            Judge::new(
                &serde_json::json!({"openapi": "3.0.3", "paths": {"/p": {"post": {
                    "parameters": [{"in": "query", "name": "sev", "schema": schema}],
                    "responses": {"200": {"description": "ok"}}
                }}}}),
            )
        };
        // `type: string` and integer members: nothing satisfies both.
        let why = parameter_admits_no_value(
            &spec(serde_json::json!({"type": "string", "enum": [10, 20]})),
            &op(None),
            said,
        )
        .unwrap();
        assert!(why.contains("`sev` (query)"), "{why}");
        // Members the schema takes: the value sent is the client's.
        assert_eq!(
            parameter_admits_no_value(
                &spec(serde_json::json!({"type": "string", "enum": ["10", "20"]})),
                &op(None),
                said,
            ),
            None
        );
        // One member it takes is enough for a request to pass.
        assert_eq!(
            parameter_admits_no_value(
                &spec(serde_json::json!({"type": "string", "enum": [10, "20"]})),
                &op(None),
                said,
            ),
            None
        );
    }

    #[test]
    fn a_path_parameter_outside_its_template_is_the_specs() {
        let said = r#"422 Unprocessable Entity: {"type":"x","title":"t","status":422,"validation":[{"location":["path"],"severity":"Error","code":"required","message":"Request path must have required property 'cert_id'"}]}"#;
        let mut get = op(None);
        get.path = "/certificates/{certificate_id}".into();
        assert!(
            path_parameter_outside_template(&get, said)
                .unwrap()
                .contains("`cert_id`")
        );
        get.path = "/certificates/{cert_id}".into();
        assert_eq!(path_parameter_outside_template(&get, said), None);
    }

    #[test]
    fn a_fragment_path_prism_cannot_route_is_prisms() {
        let said = r#"404 Not Found: {"type":"https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR","title":"Route not resolved, no path matched"}"#;
        let mut fragment = op(None);
        fragment.path = "/#X-Amz-Target=Svc.Op".into();
        assert!(
            limitation(&fragment, "all", said, None, None)
                .unwrap()
                .contains("X-Amz-Target")
        );
        // Any other path Prism does not find is the client's.
        assert_eq!(limitation(&op(None), "all", said, None, None), None);
    }

    #[test]
    fn form_parts_read_as_strings_are_prisms() {
        let said = r#"400 Bad Request: [{"location":["request","body","tags"],"severity":"Error","code":"type","message":"Request body property tags must be array"}]"#;
        let multipart = op(Some("multipart/form-data"));
        assert!(
            limitation(&multipart, "all", said, None, None)
                .unwrap()
                .contains("`tags`")
        );
        // The same violation of a JSON body is the client's.
        assert_eq!(
            limitation(&op(Some("application/json")), "all", said, None, None),
            None
        );
        // Another violation beside it makes the call a failure.
        let mixed = r#"422 Unprocessable Entity: {"validation":[{"location":["body","tags"],"code":"type","message":"Request body property tags must be array"},{"location":["query","limit"],"code":"type","message":"must be integer"}]}"#;
        assert_eq!(limitation(&multipart, "all", mixed, None, None), None);
        // A nullable type, a nullable union and an integer-tagged union:
        // what reading each part as text makes of them.
        let nullable = r#"422 Unprocessable Entity: [{"location":["request","body","embeds"],"code":"type","message":"Request body property embeds must be array,null"},{"location":["request","body","poll"],"code":"type","message":"Request body property poll must be object"},{"location":["request","body","poll"],"code":"type","message":"Request body property poll must be null"},{"location":["request","body","poll"],"code":"oneOf","message":"Request body property poll must match exactly one schema in oneOf"}]"#;
        assert!(limitation(&multipart, "all", nullable, None, None).is_some());
        let tagged = r#"422 Unprocessable Entity: [{"location":["request","body"],"code":"required","message":"Request body must have required property 'data'"},{"location":["request","body","type"],"code":"enum","message":"Request body property type must be equal to one of the allowed values: 4, 5"},{"location":["request","body"],"code":"anyOf","message":"Request body must match a schema in anyOf"}]"#;
        assert!(limitation(&multipart, "all", tagged, None, None).is_some());
        // A required property missing outside any union, a string enum, a
        // string type, or a union alone: the client's.
        let missing = tagged.replace(r#""code":"anyOf""#, r#""code":"x""#);
        assert_eq!(limitation(&multipart, "all", &missing, None, None), None);
        let words = tagged.replace("values: 4, 5", "values: a, b");
        assert_eq!(limitation(&multipart, "all", &words, None, None), None);
        let text = said.replace("must be array", "must be string");
        assert_eq!(limitation(&multipart, "all", &text, None, None), None);
        let union = r#"422 Unprocessable Entity: [{"location":["request","body","poll"],"code":"oneOf","message":"Request body property poll must match exactly one schema in oneOf"}]"#;
        assert_eq!(limitation(&multipart, "all", union, None, None), None);
    }

    #[test]
    fn a_crash_needs_the_process_gone() {
        let said = "the client: Communication Error: error sending request for url (http://x/)";
        assert_eq!(limitation(&op(None), "required", said, None, None), None);
        assert!(limitation(&op(None), "required", said, Some("TypeError: x"), None).is_some());
    }

    #[test]
    fn a_response_prism_breaks_is_not_the_clients() {
        let broken = r#"500 Internal Server Error: Too many violations! [{"location":["response","body","data","0"],"code":"required","message":"Response body property data.0 must have required property 'id'"}]"#;
        assert!(response_broken(broken));
        let why = limitation(&op(None), "all", broken, None, Some(broken)).unwrap();
        assert!(why.contains("must have required property 'id'"), "{why}");
        // A violation of the request beside it is the client's.
        let mixed = r#"500 Internal Server Error: [{"location":["response","body"],"code":"type","message":"x"},{"location":["request","query","q"],"code":"type","message":"y"}]"#;
        assert!(!response_broken(mixed));
        // Cut short by Prism: the whole violations are read.
        let cut = r#"500 Internal Server Error: Too many violations! [{"location":["response","body"],"code":"type","message":"x"},{"location":["resp"#;
        assert!(response_broken(cut));
        assert!(!response_broken(
            r#"422 Unprocessable Entity: [{"location":["response"]}]"#
        ));
    }

    #[test]
    fn a_media_type_prism_cannot_write_is_prisms() {
        let said = r#"500 Internal Server Error: {"type":"https://stoplight.io/prism/errors#UNKNOWN","title":"Cannot find serializer for application/octet-stream","status":500,"detail":""}"#;
        let why = limitation(&op(None), "all", said, None, None).unwrap();
        assert!(why.contains("`application/octet-stream`"), "{why}");
        assert!(why.contains("it accepted the request"), "{why}");
        // Another 500 is not.
        let other = r#"500 Internal Server Error: {"type":"https://stoplight.io/prism/errors#UNKNOWN","title":"boom","status":500}"#;
        assert_eq!(limitation(&op(None), "all", other, None, None), None);
    }

    #[test]
    fn a_schema_too_complex_for_prisms_faker_is_a_broken_response() {
        let said = r#"500: {"type":"https://stoplight.io/prism/errors#SCHEMA_TOO_COMPLEX","title":"Schema too complex","status":500,"detail":"Unable to generate body for response."}"#;
        assert!(response_broken(said));
    }

    #[test]
    fn a_query_in_a_path_key_prism_cannot_route_is_named() {
        let said = r#"404 Not Found: {"type":"https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR","title":"Route not resolved, no path matched","status":404}"#;
        let mut keyed = op(None);
        keyed.path = "/rest?method=flickr.test.echo".into();
        let why = limitation(&keyed, "all", said, None, None).unwrap();
        assert!(why.contains("`?method=flickr.test.echo`"), "{why}");
        let said = said.replace("NO_PATH_MATCHED_ERROR", "NO_METHOD_MATCHED_ERROR");
        assert!(limitation(&keyed, "all", &said, None, None).is_some());
        // A path without a query that Prism cannot route is the client's.
        assert_eq!(limitation(&op(None), "all", &said, None, None), None);
    }
}
