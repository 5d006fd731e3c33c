//! The runtime serves any spec, not only today's:
//!
//! - `generated-client/` still compiles, with no hand-written file edited,
//!   after its spec is replaced by a real public spec and regenerated (in a
//!   copy of the whole workspace);
//! - crates generated from real specs with other security schemes (a bearer
//!   token, an API key in the query, API keys in headers) authenticate,
//!   retry and report errors like `generated-client/` does: each is built
//!   with a small program that calls one of its operations against a local
//!   server (slow: `#[ignore]`d in everyday runs, CI runs it);
//! - every operation gets exactly the credentials its own `security` asks
//!   for, on the wire, in crates from specs whose operations ask for
//!   different ones (the whole OpenAI API's admin and project keys, `[]`,
//!   AND and OR requirements): the expectation is computed here from the
//!   spec as written, not from the generator's table; and where the spec
//!   declares webhooks (OpenAI's 16), a signed delivery of each, made from
//!   its payload schema, is verified and parsed into its variant, and bad
//!   deliveries are refused, each saying why.

use std::collections::BTreeMap;
use std::path::Path;

use codegen::Mode;
use codegen::pipeline::{self, GENERATED_CRATES_TARGET_DIR, Target};
use wiremock::{Mock, MockServer, ResponseTemplate};
use workspace_tests::{
    Requirement, ScratchWorkspace, effective_security, shared_specs, workspace_root,
};

/// A spec whose names share nothing with today's (no `ErrorResponse`, no
/// bearer scheme: API keys in headers).
const SWAP_SPEC: &str = "real/25-apideck-crm.yaml";

#[test]
fn the_workspace_client_depends_on_every_crate_generated_code_may_use() {
    let all = codegen::generate::Needs {
        chrono: true,
        uuid: true,
        regress: true,
        serde_json: true,
        futures: true,
        websockets: true,
    };
    let manifest =
        std::fs::read_to_string(workspace_root().join("generated-client/Cargo.toml")).unwrap();
    for name in pipeline::code_dependencies(&all).keys() {
        assert!(
            manifest
                .lines()
                .any(|l| l.starts_with(&format!("{name} ")) || l.starts_with(&format!("{name}."))),
            "generated-client/Cargo.toml lacks `{name}`"
        );
    }
}

#[test]
fn generated_client_survives_its_spec_being_replaced() {
    let Some(specs) = shared_specs() else { return };
    let scratch = ScratchWorkspace::whole();
    std::fs::copy(specs.join(SWAP_SPEC), scratch.spec_path()).unwrap();
    // The manifest is hand-written but for its generated features table.
    let hand_written = |root: &Path| {
        ["generated-client/src/lib.rs", "generated-client/Cargo.toml"].map(|f| {
            let text = std::fs::read_to_string(root.join(f)).unwrap();
            match (
                text.find("# @generated: the features"),
                text.find("# @generated: end of the features."),
            ) {
                (Some(a), Some(b)) => format!("{}{}", &text[..a], &text[b..]),
                _ => text,
            }
        })
    };
    let before = hand_written(scratch.root());

    let outcome = pipeline::run(&Target::workspace(scratch.root()), Mode::Write).unwrap();
    assert!(outcome.operations > 30, "{} operations", outcome.operations);
    assert_eq!(
        hand_written(scratch.root()),
        before,
        "no hand-written file edited"
    );
    let code =
        std::fs::read_to_string(scratch.root().join("generated-client/src/generated.rs")).unwrap();
    assert!(
        code.contains("param: \"x-apideck-app-id\""),
        "the new spec's schemes"
    );
    assert!(!code.contains("delete_project_api_key"));

    let output = pipeline::cargo_for_generated(&workspace_root().join(GENERATED_CRATES_TARGET_DIR))
        .args([
            "check",
            "--quiet",
            "--message-format=short",
            "-p",
            "openai-admin-client",
            "--all-targets",
        ])
        .current_dir(scratch.root())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "generated-client/ does not compile on {SWAP_SPEC}:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A real spec, the credentials the probe gives (scheme name, key), and
/// where each key must arrive: (`header:<name>` with its value, or `query:<name>`).
struct Case {
    spec: &'static str,
    credentials: &'static [(&'static str, &'static str)],
    expect: &'static [(&'static str, &'static str)],
}

const CASES: &[Case] = &[
    Case {
        spec: "real/05-1password-events.yaml",
        credentials: &[("jwtsa", "jwt-SECRET")],
        expect: &[("header:authorization", "Bearer jwt-SECRET")],
    },
    Case {
        spec: "real/11-circleci.yaml",
        credentials: &[("apikey", "circle-SECRET")],
        expect: &[("query:circle-token", "circle-SECRET")],
    },
    // The operations' own `security` names `apiKey` alone: the app id the
    // top level also requires goes as the operations' header parameter.
    Case {
        spec: "real/25-apideck-crm.yaml",
        credentials: &[
            ("apiKey", "Bearer apideck-SECRET"),
            ("applicationId", "app-SECRET"),
        ],
        expect: &[("header:authorization", "Bearer apideck-SECRET")],
    },
];

#[tokio::test(flavor = "multi_thread")]
#[ignore = "slow: builds three generated crates; run with --ignored (CI does)"]
async fn real_spec_crates_authenticate_retry_and_report_errors() {
    let Some(specs) = shared_specs() else { return };
    let dir = tempfile::tempdir().unwrap();
    for case in CASES {
        let spec = specs.join(case.spec);
        let name = "probe-client";
        let out = dir.path().join(spec.file_stem().unwrap());
        pipeline::run(&Target::standalone(&spec, &out, name).unwrap(), Mode::Write).unwrap();
        let code = std::fs::read_to_string(out.join("src/generated.rs")).unwrap();
        let surface = codegen::surface::extract(&code).unwrap();
        // A GET the probe can call: the fewest required parameters, all strings.
        let (operation, op) = surface
            .operations
            .iter()
            .filter(|(_, op)| op.http_method == "GET")
            .filter(|(_, op)| op.params.iter().all(|p| !p.required || p.ty == "String"))
            .min_by_key(|(_, op)| op.params.iter().filter(|p| p.required).count())
            .unwrap_or_else(|| panic!("{}: no GET with only string parameters", case.spec));
        let required: Vec<&str> = op
            .params
            .iter()
            .filter(|p| p.required)
            .map(|p| p.name.as_str())
            .collect();
        write_probe(&out, operation, &required, case.credentials);

        let server = MockServer::start().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(
                ResponseTemplate::new(503)
                    .set_body_raw(r#"{"message":"down for maintenance"}"#, "application/json")
                    .insert_header("x-request-id", "req-probe"),
            )
            .mount(&server)
            .await;
        let output =
            pipeline::cargo_for_generated(&workspace_root().join(GENERATED_CRATES_TARGET_DIR))
                .args(["run", "--quiet", "--example", "probe", "--manifest-path"])
                .arg(out.join("Cargo.toml"))
                .arg("--")
                .arg(server.uri())
                .output()
                .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{}: the probe failed:\n{}",
            case.spec,
            String::from_utf8_lossy(&output.stderr)
        );
        let requests = server.received_requests().await.unwrap();
        assert_eq!(requests.len(), 3, "{}: 503 is retried twice", case.spec);
        for r in &requests {
            for (place, value) in case.expect {
                let got = match place.split_once(':').unwrap() {
                    ("header", h) => r.headers.get(h).map(|v| v.to_str().unwrap().to_owned()),
                    (_, q) => r
                        .url
                        .query_pairs()
                        .find(|(k, _)| k == q)
                        .map(|(_, v)| v.into_owned()),
                };
                assert_eq!(
                    got.as_deref(),
                    Some(*value),
                    "{} {operation}: {place}",
                    case.spec
                );
            }
        }
        assert!(stdout.contains("HTTP 503"), "{}: {stdout}", case.spec);
        assert!(stdout.contains("req-probe"), "{}: {stdout}", case.spec);
        for (_, key) in case.credentials {
            assert!(
                !stdout.contains(key),
                "{}: a key leaked: {stdout}",
                case.spec
            );
        }
        // No request carried a credential the operation did not ask for.
        let expected: Vec<&str> = case.expect.iter().map(|(_, v)| *v).collect();
        for r in &requests {
            let seen = format!("{:?} {}", r.headers, r.url);
            for (_, key) in case.credentials {
                assert!(
                    expected.iter().any(|e| e.contains(key)) || !seen.contains(key),
                    "{}: {key} sent to {operation}",
                    case.spec
                );
            }
        }
        println!("{}: {operation}: {}", case.spec, stdout.trim());
    }
}

/// `examples/probe.rs`: builds the client with `credentials` and fast
/// retries, calls `operation` (each of `required` set to `"x"`), and prints
/// `ok` or the `ApiError` (after one `?`) with its Debug form.
fn write_probe(out: &Path, operation: &str, required: &[&str], credentials: &[(&str, &str)]) {
    let credentials: String = credentials
        .iter()
        .map(|(scheme, key)| format!(".credential({scheme:?}, {key:?})"))
        .collect();
    let arguments: String = required.iter().map(|p| format!(".{p}(\"x\")")).collect();
    let program = format!(
        r#"use std::time::Duration;
use probe_client::{{ApiError, Client, RetryPolicy}};

async fn call(client: &Client) -> Result<(), ApiError> {{
    client.{operation}(){arguments}.send().await?;
    Ok(())
}}

#[tokio::main]
async fn main() {{
    let url = std::env::args().nth(1).unwrap();
    let mut retry = RetryPolicy::default().max_retries(2);
    retry.initial_backoff = Duration::from_millis(1);
    retry.max_backoff = Duration::from_millis(5);
    let client = Client::builder().base_url(url){credentials}.retry(retry).build().unwrap();
    match call(&client).await {{
        Ok(()) => println!("ok"),
        Err(e) => println!("{{e}} / {{e:?}}"),
    }}
}}
"#
    );
    add_probe(out, "probe", &program);
}

/// Specs whose operations ask for different credentials: OpenAI's admin
/// key (119 operations) beside its project key; public operations
/// (`security: []`) beside keyed ones; OR of an API key and a bearer
/// token; AND of two API keys; AND of two OAuth2 schemes.
const SECURITY_SPECS: &[&str] = &[
    "real/13-hubapi-crm.yaml",
    "real/15-here-positioning.yaml",
    "real/19-googleapis-fitness.yaml",
    "wide/24-api2cart-com-1-1.yaml",
    "openai-openapi-f85dbe2-3.1.0.yaml",
];

/// An operation to call: its method name and the setters of its required
/// parameters (`.name("x")`).
type Call<'a> = (&'a String, String);

/// A value of a parameter's Rust type the probe can write, if any.
fn sample_value(ty: &str) -> Option<&'static str> {
    match ty {
        "String" => Some("\"x\""),
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" => Some("1"),
        "f32" | "f64" => Some("1.0"),
        "bool" => Some("true"),
        _ => None,
    }
}

/// Operations called per distinct `security` of a spec.
const SAMPLE: usize = 5;

/// Where a scheme puts its key, as the spec says.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Place {
    Bearer,
    Basic,
    Header(String),
    Query(String),
    Cookie(String),
}

impl Place {
    /// Whether `request` carries `key` there.
    fn carries(&self, request: &wiremock::Request, key: &str) -> bool {
        use base64::Engine as _;
        let header = |name: &str| {
            request
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        match self {
            Place::Bearer => header("authorization") == Some(format!("Bearer {key}")),
            Place::Basic => {
                let encoded = base64::engine::general_purpose::STANDARD.encode(key);
                header("authorization") == Some(format!("Basic {encoded}"))
            }
            Place::Header(name) => header(name) == Some(key.to_owned()),
            Place::Query(name) => request
                .url
                .query_pairs()
                .any(|(k, v)| k == name.as_str() && v == key),
            Place::Cookie(name) => header("cookie")
                .is_some_and(|c| c.split("; ").any(|pair| pair == format!("{name}={key}"))),
        }
    }
}

/// The schemes a client can send, with their places, from the spec as
/// written.
fn places(doc: &serde_json::Value) -> BTreeMap<String, Place> {
    let schemes = doc
        .pointer("/components/securitySchemes")
        .and_then(|s| s.as_object())
        .cloned()
        .unwrap_or_default();
    schemes
        .into_iter()
        .filter_map(|(name, scheme)| {
            let text = |key: &str| scheme.get(key).and_then(|v| v.as_str()).unwrap_or_default();
            let place = match (text("type"), text("scheme").to_ascii_lowercase().as_str()) {
                ("http", "bearer") | ("oauth2" | "openIdConnect", _) => Place::Bearer,
                ("http", "basic") => Place::Basic,
                ("apiKey", _) => match text("in") {
                    "header" => Place::Header(text("name").to_ascii_lowercase()),
                    "query" => Place::Query(text("name").to_owned()),
                    _ => Place::Cookie(text("name").to_owned()),
                },
                _ => return None,
            };
            Some((name, place))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "slow: builds a crate of the whole OpenAI API and four others; run with --ignored (CI does)"]
async fn each_operation_gets_exactly_its_credentials_and_webhooks_are_verified() {
    let Some(specs) = shared_specs() else { return };
    let dir = tempfile::tempdir().unwrap();
    for spec_name in SECURITY_SPECS {
        let spec = specs.join(spec_name);
        let out = dir.path().join(spec.file_stem().unwrap());
        let target = Target::standalone(&spec, &out, "probe-client").unwrap();
        pipeline::run(&target, Mode::Write).unwrap();
        let doc = pipeline::load(&target).unwrap().value;
        let places = places(&doc);
        let security = effective_security(&doc);
        let code = std::fs::read_to_string(out.join("src/generated.rs")).unwrap();
        let surface = codegen::surface::extract(&code).unwrap();

        // Up to SAMPLE operations per distinct requirement, each callable
        // with string parameters only.
        let mut by_requirement: BTreeMap<&Requirement, Vec<Call>> = BTreeMap::new();
        let mut operations = BTreeMap::new();
        // Methods without a body first: a call with `"x"` for every
        // required parameter goes out.
        let mut candidates: Vec<_> = surface.operations.iter().collect();
        candidates.sort_by_key(|(name, op)| {
            (
                !matches!(op.http_method.as_str(), "GET" | "DELETE" | "HEAD"),
                *name,
            )
        });
        for (name, op) in candidates {
            let route = (op.http_method.clone(), op.path.clone());
            let requirement = security
                .get(&route)
                .unwrap_or_else(|| panic!("{spec_name}: {route:?} is not in the spec"));
            *operations.entry(requirement).or_insert(0) += 1;
            let arguments: Option<String> = op
                .params
                .iter()
                .filter(|p| p.required)
                .map(|p| Some(format!(".{}({})", p.name, sample_value(&p.ty)?)))
                .collect();
            let Some(arguments) = arguments else { continue };
            let group = by_requirement.entry(requirement).or_default();
            if group.len() < SAMPLE {
                group.push((name, arguments));
            }
        }

        // Every scheme the client can send, each with a key of its own.
        let keys: BTreeMap<&String, String> = places
            .iter()
            .enumerate()
            .map(|(i, (name, place))| {
                let key = match place {
                    Place::Basic => format!("user{i}:SECRET{i}"),
                    _ => format!("SECRET{i}-key"),
                };
                (name, key)
            })
            .collect();
        let calls: Vec<(&String, &String, &Requirement)> = by_requirement
            .iter()
            .flat_map(|(requirement, ops)| {
                ops.iter()
                    .map(move |(name, required)| (*name, required, *requirement))
            })
            .collect();
        write_calls_probe(
            &out,
            &calls
                .iter()
                .map(|(n, a, _)| (n.as_str(), a.as_str()))
                .collect::<Vec<_>>(),
            &keys
                .iter()
                .map(|(s, k)| (s.as_str(), k.as_str()))
                .collect::<Vec<_>>(),
        );

        let server = MockServer::start().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(404))
            .mount(&server)
            .await;
        let output =
            pipeline::cargo_for_generated(&workspace_root().join(GENERATED_CRATES_TARGET_DIR))
                .args(["run", "--quiet", "--example", "probe", "--manifest-path"])
                .arg(out.join("Cargo.toml"))
                .arg("--")
                .arg(server.uri())
                .output()
                .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{spec_name}: the probe failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let requests = server.received_requests().await.unwrap();
        let mut requests = requests.iter();
        let mut checked: BTreeMap<&Requirement, usize> = BTreeMap::new();
        for ((name, _, requirement), line) in calls.iter().zip(stdout.lines()) {
            // The client holds every key: the first alternative with
            // schemes it can send; none for `[]` or an empty alternative.
            let chosen = requirement
                .iter()
                .find(|a| !a.is_empty() && a.iter().all(|s| keys.contains_key(s)));
            let public = requirement.is_empty() || requirement.iter().any(Vec::is_empty);
            let refused = line.contains("needs credentials this client was not given");
            assert_eq!(
                refused,
                chosen.is_none() && !public,
                "{spec_name} {name} ({requirement:?}): {line}"
            );
            if !line.ends_with(": sent") {
                // Refused as above, or not sendable with `"x"` for every
                // parameter (a body it needs): nothing went out.
                continue;
            }
            let request = requests.next().unwrap();
            let chosen: Vec<&String> = chosen.into_iter().flatten().collect();
            for (scheme, key) in &keys {
                let carried = places[*scheme].carries(request, key);
                if chosen.contains(scheme) {
                    // Two schemes of one alternative in one place (two
                    // OAuth2 flows): one of them.
                    let shared = chosen.iter().any(|o| {
                        o != scheme
                            && places[*o] == places[*scheme]
                            && places[*o].carries(request, &keys[*o])
                    });
                    assert!(
                        carried || shared,
                        "{spec_name} {name} ({requirement:?}): `{scheme}` missing: {:?} {}",
                        request.headers,
                        request.url
                    );
                } else {
                    assert!(
                        !carried,
                        "{spec_name} {name} ({requirement:?}): `{scheme}` sent, not asked for"
                    );
                }
            }
            *checked.entry(requirement).or_default() += 1;
        }
        assert!(
            requests.next().is_none(),
            "{spec_name}: more requests than calls"
        );
        assert_eq!(
            checked.len(),
            by_requirement.len(),
            "{spec_name}: every requirement checked on the wire: {stdout}"
        );
        let summary: Vec<String> = by_requirement
            .keys()
            .map(|r| format!("{r:?}: {} of {} operations", checked[r], operations[r]))
            .collect();
        println!(
            "{spec_name}: credentials as asked, on the wire: {}",
            summary.join("; ")
        );
        if doc.get("webhooks").is_some() || doc.get("x-webhooks").is_some() {
            check_webhooks(spec_name, &doc, &out);
        }
    }
}

/// The secret the webhook deliveries are signed with.
const WEBHOOK_SECRET: &str = "whsec_dGhlLWVuZHBvaW50cy1zZWNyZXQta2V5";

/// A delivery for the probe: the body, its three headers (`None`: left
/// out), the secret to verify with, and what `webhooks::unwrap` must give
/// (`ok <Variant>` or `err <message start>`).
fn case(
    body: &str,
    timestamp: i64,
    signed_body: &str,
    secret: &str,
    leave_out: Option<&str>,
    expect: String,
) -> serde_json::Value {
    use base64::Engine as _;
    use hmac::{KeyInit as _, Mac as _};
    let key = base64::engine::general_purpose::STANDARD
        .decode(secret.trim_start_matches("whsec_"))
        .unwrap();
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("msg_1.{timestamp}.{signed_body}").as_bytes());
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    let mut headers = serde_json::json!({
        "webhook-id": "msg_1",
        "webhook-timestamp": timestamp.to_string(),
        "webhook-signature": format!("v1,{signature}"),
    });
    if let Some(name) = leave_out {
        headers.as_object_mut().unwrap().remove(name);
    }
    serde_json::json!({"body": body, "headers": headers, "expect": expect})
}

/// The spec's webhooks: a delivery of each, made from its payload schema
/// (the conformance instances, so the spec accepts it) and signed here, is
/// verified and parsed into its variant; a tampered body, a wrong secret,
/// a stale timestamp and each missing header are refused, each saying so.
fn check_webhooks(spec_name: &str, doc: &serde_json::Value, out: &Path) {
    // Each webhook as an operation, so the instance maker reads it.
    let mut pseudo = doc.clone();
    let mut paths = serde_json::Map::new();
    for key in ["webhooks", "x-webhooks"] {
        for (name, item) in doc
            .get(key)
            .and_then(|w| w.as_object())
            .into_iter()
            .flatten()
        {
            let Some(body) = item.get("post").and_then(|op| op.get("requestBody")) else {
                continue;
            };
            paths.insert(
                format!("/{name}"),
                serde_json::json!({"post": {"operationId": name, "requestBody": body, "responses": {}}}),
            );
        }
    }
    let count = paths.len();
    pseudo["paths"] = serde_json::Value::Object(paths);
    let judge = codegen::conformance::Judge::new(&pseudo);
    let mut bodies: BTreeMap<String, String> = BTreeMap::new();
    for example in codegen::conformance::instances::generate(&pseudo, &judge, 7) {
        let name = example.operation_id.clone().unwrap();
        bodies
            .entry(name)
            .or_insert_with(|| serde_json::to_string(&example.value).unwrap());
    }
    assert_eq!(
        bodies.len(),
        count,
        "{spec_name}: an instance of every webhook"
    );
    let pascal = |name: &str| -> String {
        name.split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| w[..1].to_ascii_uppercase() + &w[1..])
            .collect()
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let mut cases: Vec<serde_json::Value> = bodies
        .iter()
        .map(|(name, body)| {
            case(
                body,
                now,
                body,
                WEBHOOK_SECRET,
                None,
                format!("ok {}", pascal(name)),
            )
        })
        .collect();
    let (_, body) = bodies.iter().next().unwrap();
    // One byte more (still JSON): the signature no longer matches.
    let tampered = format!("{body} ");
    let refusals = [
        case(
            &tampered,
            now,
            body,
            WEBHOOK_SECRET,
            None,
            "err no signature matches".into(),
        ),
        case(
            body,
            now,
            body,
            "whsec_d3Jvbmcta2V5",
            None,
            "err no signature matches".into(),
        ),
        case(
            body,
            now - 600,
            body,
            WEBHOOK_SECRET,
            None,
            "err the delivery's timestamp is".into(),
        ),
        case(
            body,
            now,
            body,
            WEBHOOK_SECRET,
            Some("webhook-id"),
            "err the delivery has no `webhook-id` header".into(),
        ),
        case(
            body,
            now,
            body,
            WEBHOOK_SECRET,
            Some("webhook-timestamp"),
            "err the delivery has no `webhook-timestamp` header".into(),
        ),
        case(
            body,
            now,
            body,
            WEBHOOK_SECRET,
            Some("webhook-signature"),
            "err the delivery has no `webhook-signature` header".into(),
        ),
    ];
    let verified = cases.len();
    cases.extend(refusals);
    let file = out.join("deliveries.json");
    std::fs::write(&file, serde_json::to_string(&cases).unwrap()).unwrap();
    add_probe(
        out,
        "webhooks",
        &format!(
            r#"use probe_client::webhooks;

fn main() {{
    let cases: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(std::env::args().nth(1).unwrap()).unwrap()).unwrap();
    for case in cases {{
        let headers: std::collections::HashMap<String, String> =
            serde_json::from_value(case["headers"].clone()).unwrap();
        let headers = webhooks::HeaderMap::try_from(&headers).unwrap();
        match webhooks::unwrap(case["body"].as_str().unwrap().as_bytes(), &headers, {WEBHOOK_SECRET:?}) {{
            Ok(event) => println!("ok {{}}", format!("{{event:?}}").split('(').next().unwrap()),
            Err(e) => println!("err {{e}}"),
        }}
    }}
}}
"#
        ),
    );
    let output = pipeline::cargo_for_generated(&workspace_root().join(GENERATED_CRATES_TARGET_DIR))
        .args(["run", "--quiet", "--example", "webhooks", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .arg("--")
        .arg(&file)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{spec_name}: the webhooks probe failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), cases.len(), "{spec_name}: {stdout}");
    for (case, line) in cases.iter().zip(&lines) {
        let expect = case["expect"].as_str().unwrap();
        assert!(
            line.starts_with(expect),
            "{spec_name}: expected `{expect}`, got `{line}`"
        );
    }
    println!(
        "{spec_name}: {verified} of {count} webhooks verified and parsed into their variants; {} refusals named",
        cases.len() - verified
    );
}

/// `examples/probe.rs`: a client holding every key of `credentials`, no
/// retries, that calls each operation (with its setters) in order and
/// prints a line per call: `sent` or the error.
fn write_calls_probe(out: &Path, calls: &[(&str, &str)], credentials: &[(&str, &str)]) {
    let credentials: String = credentials
        .iter()
        .map(|(scheme, key)| format!(".credential({scheme:?}, {key:?})"))
        .collect();
    let calls: String = calls
        .iter()
        .map(|(operation, arguments)| {
            format!(
                "    match client.{operation}(){arguments}.send().await {{\n        \
                 Err(Error::InvalidRequest(m)) => println!(\"{operation}: {{}}\", m.replace('\\n', \" \")),\n        \
                 _ => println!(\"{operation}: sent\"),\n    }}\n"
            )
        })
        .collect();
    let program = format!(
        r#"use probe_client::{{Client, Error, RetryPolicy}};

#[tokio::main]
async fn main() {{
    let url = std::env::args().nth(1).unwrap();
    let client = Client::builder().base_url(url){credentials}.retry(RetryPolicy::none()).build().unwrap();
{calls}}}
"#
    );
    add_probe(out, "probe", &program);
}

/// `program` as the crate's `examples/<name>.rs`, with tokio and the
/// workspace's lock file (the versions CI tested).
fn add_probe(out: &Path, name: &str, program: &str) {
    std::fs::create_dir_all(out.join("examples")).unwrap();
    std::fs::write(out.join(format!("examples/{name}.rs")), program).unwrap();
    let manifest = out.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest).unwrap();
    if text.contains("[dev-dependencies]") {
        return;
    }
    text.push_str("\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n");
    std::fs::write(&manifest, text).unwrap();
    std::fs::copy(workspace_root().join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
}
