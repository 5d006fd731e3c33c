//! Step `render`: `tests/operations.rs`, the crate's test per operation.
//!
//! **Rule:** the tests are the crate's own: they name only its public API
//! (`Client::builder()`, the builders' setters, `types`), read the server
//! from one environment variable and skip, saying why, when it is unset;
//! give the client a credential for every security scheme the spec
//! defines (the runtime sends each operation only those it asks for); and
//! fail with one line `wire: <status>: <what the server said>`, which
//! `cargo xtask wire` reads. Each operation's tests compile with its
//! Cargo features.

use std::fmt::Write as _;

use super::calls::{Arg, Operation};

/// The test file: `header` first, then the harness and one module per
/// operation; `lib` is the crate's name as a path, `env` the variable
/// that names the server.
pub fn file(header: &str, lib: &str, env: &str, operations: &[Operation]) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "//! One test per operation of the spec and per call: `required` sends only
//! what the spec requires, `all` every parameter and body property it
//! defines, the values made from the spec's schemas. They call the server
//! named by `{env}` (a mock that validates requests, like Prism, or a
//! staging server) and are skipped when it is unset:
//!
//! ```text
//! cargo xtask wire --spec <spec>              # against Prism, one line per operation
//! {env}=http://127.0.0.1:4010 cargo test --test operations
//! ```
"
    );
    out.push_str(&harness(lib, env));
    for op in operations {
        let cfg = cfg(&op.features);
        let _ = write!(
            out,
            "\n/// `{} {}`.\n{cfg}#[rustfmt::skip]\nmod {} {{\n",
            op.http_method, op.path, op.method
        );
        for gap in &op.gaps {
            let _ = writeln!(out, "    //! Not sent: {gap}.");
        }
        out.push_str("    use super::harness;\n");
        let judge = if op.success {
            "judge"
        } else {
            "judge_documented"
        };
        for (name, call) in [("required", &op.required), ("all", &op.all)] {
            let _ = write!(
                out,
                "\n    #[tokio::test]\n    async fn {name}() {{\n        let Some(client) = harness::client() else {{ return }};\n        let result = client\n            .{}()\n",
                op.method
            );
            write_args(&mut out, call);
            let _ = writeln!(
                out,
                "            .send()\n            .await;\n        harness::{judge}(result).await;\n    }}"
            );
        }
        if op.streams {
            let _ = write!(
                out,
                "\n    #[tokio::test]\n    async fn stream() {{\n        let Some(client) = harness::client() else {{ return }};\n        let result = client\n            .{}()\n",
                op.method
            );
            write_args(&mut out, &op.all);
            let _ = writeln!(
                out,
                "            .send_stream()\n            .await;\n        harness::judge_stream(result).await;\n    }}"
            );
        }
        out.push_str("}\n");
    }
    // Laid out like the crate's code; what does not parse (nothing should)
    // is left as written, for the compiler to name.
    let body = syn::parse_file(&out)
        .map(|file| prettyplease::unparse(&file))
        .unwrap_or(out);
    format!("{header}\n{body}")
}

fn write_args(out: &mut String, call: &[(String, Arg)]) {
    for (setter, arg) in call {
        let value = match arg {
            Arg::Json { ty, json } => format!(
                "harness::value::<{ty}>({}, {})",
                literal(setter),
                literal(json)
            ),
            Arg::Bytes => "b\"wire\".to_vec()".to_owned(),
        };
        let _ = writeln!(out, "            .{setter}({value})");
    }
}

/// The test module's `#[cfg]` (the operation's features), or nothing.
fn cfg(features: &[String]) -> String {
    if features.is_empty() {
        return String::new();
    }
    let set = features.iter().cloned().collect();
    format!("#[cfg({})]\n", crate::gate::cfg::any_of(&set))
}

fn literal(s: &str) -> String {
    proc_macro2::Literal::string(s).to_string()
}

/// What precedes the body a test's client could not read, in its failure
/// line (the run reads the body after it).
pub const BODY_MARK: &str = "the body: ";

/// The module every test uses: the client, the values, the verdict.
fn harness(lib: &str, env: &str) -> String {
    let body = format!(
        r#"//! What the operation tests share: the client, the values, the verdict.

use {lib} as client;
use client::runtime::GeneratedClient;

/// The variable naming the server the tests call.
pub const BASE_URL_ENV: &str = "{env}";

/// The credential given for every security scheme (`user:password` for
/// HTTP basic; a token or key for the others).
const CREDENTIAL: &str = "wire-user:wire-password";

/// A client of the server `{env}` names, with a credential for every
/// scheme the spec defines and no retries; `None` (the test skipped, and
/// why printed) when it is unset.
pub fn client() -> Option<client::Client> {{
    let url = match std::env::var(BASE_URL_ENV) {{
        Ok(url) if !url.is_empty() => url,
        _ => {{
            eprintln!(
                "skipped: {{BASE_URL_ENV}} is not set (the server to call: `cargo xtask wire` starts a Prism mock and sets it)"
            );
            return None;
        }}
    }};
    let mut builder = client::Client::builder().base_url(url).max_retries(0);
    for scheme in <client::Client as GeneratedClient>::SPEC.schemes {{
        builder = builder.credential(scheme.name(), CREDENTIAL);
    }}
    Some(builder.build().expect("the test client builds"))
}}

/// `json` read as the type a setter takes.
pub fn value<T: serde::de::DeserializeOwned>(setter: &str, json: &str) -> T {{
    serde_json::from_str(json).unwrap_or_else(|e| {{
        panic!("wire: the value of `{{setter}}` does not read as its type: {{e}}: {{json}}")
    }})
}}

/// Passes when the server answered with a response the spec documents
/// for success and the client read it; else fails with one line naming
/// the status and what the server said (a validating mock puts the
/// violations in `sl-violations` or the body).
/// (Error bodies of any type, JSON or bytes: the client's own `Display`.)
pub async fn judge<T, E>(
    result: Result<client::ResponseValue<T>, client::Error<E>>,
) where
    client::Error<E>: std::fmt::Display,
{{
    let failure = match result {{
        Ok(_) => return,
        Err(client::Error::ErrorResponse(response)) => {{
            let (status, said) = (response.status(), said(response.headers()));
            format!("{{status}}: {{}}", said.unwrap_or_else(|| client::Error::ErrorResponse(response).to_string()))
        }}
        Err(client::Error::UnexpectedResponse(response)) => {{
            let status = response.status();
            let said = said(response.headers());
            let body = response.text().await.unwrap_or_default();
            format!("{{status}}: {{}}", said.unwrap_or(body))
        }}
        // A body that is not the documented one but an RFC 9457 problem
        // document (a validating mock's own error, e.g. Prism's 500 when
        // its response faker fails): its status and what it says.
        Err(client::Error::InvalidResponsePayload(bytes, e)) => match problem(&bytes) {{
            Some(status) => format!("{{status}}: {{}}", String::from_utf8_lossy(&bytes)),
            None => format!(
                "the client cannot read the response body ({{e}}); {BODY_MARK}{{}}",
                String::from_utf8_lossy(&bytes)
            ),
        }},
        Err(e) => format!("the client: {{e}}"),
    }};
    panic!("wire: {{}}", failure.replace('\n', " "));
}}

/// [`judge`] for an operation that documents no success response: a
/// documented error the client read, with no violation reported, is the
/// spec's answer to a valid request.
#[allow(dead_code, reason = "only operations without a success response call it")]
pub async fn judge_documented<T, E>(
    result: Result<client::ResponseValue<T>, client::Error<E>>,
) where
    client::Error<E>: std::fmt::Display,
{{
    match result {{
        Err(client::Error::ErrorResponse(response)) if said(response.headers()).is_none() => {{}}
        other => judge(other).await,
    }}
}}

/// [`judge`] for an event stream: it opens, and every event reads.
#[allow(dead_code, reason = "only operations with an event stream call it")]
pub async fn judge_stream<T: serde::de::DeserializeOwned, E>(
    result: Result<client::runtime::EventStream<T>, client::Error<E>>,
) where
    client::Error<E>: std::fmt::Display,
{{
    use futures::StreamExt as _;
    match result {{
        Ok(mut events) => {{
            while let Some(event) = events.next().await {{
                if let Err(e) = event {{
                    panic!("wire: an event does not read: {{}}", e.to_string().replace('\n', " "));
                }}
            }}
        }}
        Err(e) => judge::<(), E>(Err(e)).await,
    }}
}}

/// The `status` of an RFC 9457 problem document (`type`, `title`,
/// `status`), if `body` is one.
fn problem(body: &[u8]) -> Option<u64> {{
    let doc: serde_json::Value = serde_json::from_slice(body).ok()?;
    doc.get("type")?.as_str()?;
    doc.get("title")?.as_str()?;
    doc.get("status")?.as_u64()
}}

/// The violations a validating mock reports in its `sl-violations` header.
fn said(headers: &reqwest::header::HeaderMap) -> Option<String> {{
    headers
        .get("sl-violations")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}}
"#
    );
    let indented: String = body
        .lines()
        .map(|l| {
            if l.is_empty() {
                "\n".to_owned()
            } else {
                format!("    {l}\n")
            }
        })
        .collect();
    // prettyplease formats the file, not rustfmt (`cargo fmt` in the
    // user's workspace must leave it as generated).
    format!("\n#[rustfmt::skip]\nmod harness {{\n{indented}}}\n")
}
