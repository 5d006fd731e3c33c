//! What runs around every request of every generated method: progenitor's
//! `pre`, `exec` and `post` hooks. The generated `impl ClientHooks for
//! Client` calls these three functions and nothing else, so every operation,
//! `send_stream()` and every upload gets the same credentials, header
//! policy, path check, retries and error bodies.

use std::cell::Cell;
use std::fmt;

use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::{Request, Response};

use super::auth;
use super::client::{ClientState, Operation};
use super::error::{ErrorBytes, error_chain};
use super::options::IDEMPOTENCY_HEADER;
use super::retry::RetryPolicy;

/// How many attempts produced a response (in `Response::extensions`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempts(pub u32);

/// What every generated `send()` does between building its request and
/// reading the response: the client's `pre`, `exec` and `post` hooks, in
/// progenitor's order, as one call (codegen's `trim` stage, step
/// `send-calls`, rewrites each operation's four statements into it), so an
/// operation's future awaits one future here, not three of its own.
pub async fn send<C, E>(
    client: &C,
    mut request: Request,
    info: &OperationInfo,
) -> Result<Response, Error<E>>
where
    C: ClientHooks<ClientState> + ClientInfo<ClientState>,
{
    client.pre(&mut request, info).await?;
    let result = client.exec(request, info).await;
    client.post(&result, info).await?;
    Ok(result?)
}

/// Before sending: the credentials the operation's `security` asks for
/// and no others ([`auth::select`]; an error naming the schemes it accepts
/// when the client has none of them), the user agent, no `api-version`
/// header unless asked for, and the path check.
#[allow(clippy::result_large_err, reason = "progenitor's hook signature")]
pub fn pre<E>(
    state: &ClientState,
    baseurl: &str,
    request: &mut Request,
    info: &OperationInfo,
) -> Result<(), Error<E>> {
    if !state.send_api_version {
        request.headers_mut().remove("api-version");
    }
    apply_options(state, request).map_err(Error::InvalidRequest)?;
    if let Ok(agent) = HeaderValue::from_str(&state.user_agent) {
        request
            .headers_mut()
            .insert(reqwest::header::USER_AGENT, agent);
    }
    let Some(operation) = state.spec.operation(info.operation_id) else {
        // Every method the generator writes has an entry; a call under
        // another name gets no credentials rather than every one.
        return Ok(());
    };
    check_path(baseurl, request, operation).map_err(Error::InvalidRequest)?;
    let chosen = auth::select(operation.id, operation.security, |name| {
        state.credentials.contains_key(name)
    })
    .map_err(|e| Error::InvalidRequest(e.to_string()))?;
    for name in chosen {
        if let (Some(scheme), Some(key)) = (state.spec.scheme(name), state.credentials.get(name)) {
            scheme.apply(key, request);
        }
    }
    Ok(())
}

/// Sending, with retries ([`RetryPolicy`]): connection errors and the
/// statuses it names are tried again after a backoff, on methods it allows
/// (with an idempotency key when it has a header for one). The body of an
/// error response is read here, once, and kept in the response's extensions
/// ([`ErrorBytes`]) so that `ApiError::from` needs no await; the response
/// still has it for the generated code to parse. A successful response
/// carries [`Attempts`].
pub async fn exec(
    state: &ClientState,
    http: &reqwest::Client,
    mut request: Request,
    info: &OperationInfo,
) -> reqwest::Result<Response> {
    let policy = &state.retry;
    let max_retries = state.options.max_retries.unwrap_or(policy.max_retries);
    add_idempotency_key(policy, max_retries, &mut request);
    // A request under the caller's idempotency key is safe to repeat.
    let may_retry =
        policy.retries_method(request.method()) || state.options.idempotency_key.is_some();
    let mut attempt = 1;
    loop {
        let next = (may_retry && attempt <= max_retries)
            .then(|| request.try_clone())
            .flatten();
        let result = match http.execute(request).await {
            Ok(response) if response.status().as_u16() >= 400 => read_error_body(response).await,
            other => other,
        };
        let delay = match (&result, &next) {
            (Ok(r), Some(_)) if retries_response(policy, r) => {
                policy.delay(attempt, Some(r.headers()))
            }
            (Err(e), Some(_)) if RetryPolicy::retries_error(e) => policy.delay(attempt, None),
            _ => return record(result, attempt, info),
        };
        drop(result);
        tokio::time::sleep(delay).await;
        request = next.expect("checked above");
        attempt += 1;
    }
}

/// After sending: a transport error that exhausted its retries becomes an
/// error that says how many attempts were made ([`GaveUp`]).
#[allow(clippy::result_large_err, reason = "progenitor's hook signature")]
pub fn post<E>(result: &reqwest::Result<Response>, info: &OperationInfo) -> Result<(), Error<E>> {
    let gave_up = GAVE_UP.take();
    match (result, gave_up) {
        (Err(e), Some((call, attempts))) if call == call_id(info) => {
            let message = error_chain(e);
            Err(Error::Custom(
                GaveUp {
                    attempts,
                    timeout: e.is_timeout(),
                    message: &message,
                }
                .to_string(),
            ))
        }
        _ => Ok(()),
    }
}

thread_local! {
    /// The attempts of a call whose transport error exhausted its retries,
    /// handed from its `exec` to its `post`. The generated code calls `post`
    /// right after `exec` returns, in the same poll of the same future: no
    /// other task runs on this thread in between, so the slot set at the end
    /// of `exec` is taken by that call's `post` and nobody else (the call's
    /// `OperationInfo` address is checked too), and `post` always empties it.
    /// Nothing outlives the call, unlike a map shared by all calls.
    static GAVE_UP: Cell<Option<(usize, u32)>> = const { Cell::new(None) };
}

fn call_id(info: &OperationInfo) -> usize {
    std::ptr::from_ref(info) as usize
}

fn record(
    result: reqwest::Result<Response>,
    attempts: u32,
    info: &OperationInfo,
) -> reqwest::Result<Response> {
    match result {
        Ok(mut response) => {
            response.extensions_mut().insert(Attempts(attempts));
            Ok(response)
        }
        Err(e) => {
            GAVE_UP.set((attempts > 1).then(|| (call_id(info), attempts)));
            Err(e)
        }
    }
}

/// The overrides of `Client::with_options` ([`super::options::RequestOptions`]): its
/// headers, its timeout, its idempotency key (in the policy's header, or
/// `Idempotency-Key`).
fn apply_options(state: &ClientState, request: &mut Request) -> Result<(), String> {
    let options = &state.options;
    if let Some(problem) = &options.invalid {
        return Err(problem.clone());
    }
    for (name, value) in &options.headers {
        request.headers_mut().insert(name.clone(), value.clone());
    }
    if let Some(timeout) = options.timeout {
        *request.timeout_mut() = Some(timeout);
    }
    if let Some(key) = &options.idempotency_key {
        let header = state
            .retry
            .idempotency_header
            .as_deref()
            .unwrap_or(IDEMPOTENCY_HEADER);
        if let Ok(name) = HeaderName::from_bytes(header.as_bytes()) {
            request.headers_mut().insert(name, key.clone());
        }
    }
    Ok(())
}

/// A retryable status, unless its body makes it final (a used-up quota).
fn retries_response(policy: &RetryPolicy, response: &Response) -> bool {
    RetryPolicy::retries_status(response.status())
        && !response
            .extensions()
            .get::<ErrorBytes>()
            .is_some_and(|b| response.status().as_u16() == 429 && policy.is_final_body(&b.0))
}

/// Read an error response's body and give back a response that still has it.
async fn read_error_body(response: Response) -> reqwest::Result<Response> {
    let status = response.status();
    let version = response.version();
    let headers = response.headers().clone();
    let bytes = response.bytes().await?;
    let mut rebuilt = http::Response::new(bytes.clone());
    *rebuilt.status_mut() = status;
    *rebuilt.version_mut() = version;
    *rebuilt.headers_mut() = headers;
    rebuilt.extensions_mut().insert(ErrorBytes(bytes));
    Ok(Response::from(rebuilt))
}

/// A request the policy retries only under an idempotency key gets one
/// (unless the caller set it), the same on every attempt.
fn add_idempotency_key(policy: &RetryPolicy, max_retries: u32, request: &mut Request) {
    let Some(header) = &policy.idempotency_header else {
        return;
    };
    if request.method().is_idempotent() || max_retries == 0 {
        return;
    }
    let Ok(name) = HeaderName::from_bytes(header.as_bytes()) else {
        return;
    };
    if !request.headers().contains_key(&name) {
        let key = format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..));
        if let Ok(value) = HeaderValue::from_str(&key) {
            request.headers_mut().insert(name, value);
        }
    }
}

/// A transport error after retries: `gave up after N attempts: <message>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GaveUp<'a> {
    /// Attempts made.
    pub attempts: u32,
    /// Whether the last one timed out.
    pub timeout: bool,
    /// What went wrong the last time.
    pub message: &'a str,
}

const GAVE_UP_PREFIX: &str = "gave up after ";

impl<'a> GaveUp<'a> {
    /// Read back what [`GaveUp`]'s `Display` wrote (progenitor's
    /// `Error::Custom` carries only a string).
    pub fn parse(text: &'a str) -> Option<GaveUp<'a>> {
        let rest = text.strip_prefix(GAVE_UP_PREFIX)?;
        let (attempts, rest) = rest.split_once(" attempts")?;
        let (timeout, message) = match rest.strip_prefix(" (timed out): ") {
            Some(message) => (true, message),
            None => (false, rest.strip_prefix(": ")?),
        };
        Some(GaveUp {
            attempts: attempts.parse().ok()?,
            timeout,
            message,
        })
    }
}

impl fmt::Display for GaveUp<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{GAVE_UP_PREFIX}{} attempts", self.attempts)?;
        if self.timeout {
            f.write_str(" (timed out)")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A path parameter must not change which endpoint is called. progenitor
/// percent-encodes `/`, `?`, `#` and `%`, but URL parsing still resolves `.`
/// and `..` segments; compare the final path with the operation's template.
fn check_path(baseurl: &str, request: &Request, operation: &Operation) -> Result<(), String> {
    let template = operation.path;
    let base_path = reqwest::Url::parse(baseurl)
        .map(|u| u.path().trim_end_matches('/').to_owned())
        .unwrap_or_default();
    let path = request.url().path();
    if same_shape(&base_path, path, template) {
        Ok(())
    } else {
        Err(format!(
            "a path parameter of `{}` would change the request path (`{template}` became `{path}`): `.`, `..` and empty values are not allowed",
            operation.id
        ))
    }
}

/// Whether `path` (a request URL's path) is `template` under `base_path`,
/// each `{variable}` filled by one non-empty segment other than `.`/`..`.
fn same_shape(base_path: &str, path: &str, template: &str) -> bool {
    let Some(rest) = path.strip_prefix(base_path) else {
        return false;
    };
    // A template may carry a fixed query (`/responses?beta=true`) or a
    // fragment the generator uses to tell apart media types.
    let template = template.split(['?', '#']).next().unwrap_or(template);
    let actual: Vec<&str> = rest.split('/').collect();
    let expected: Vec<&str> = template.split('/').collect();
    actual.len() == expected.len()
        && actual
            .iter()
            .zip(&expected)
            .all(|(a, e)| (e.contains('{') && !a.is_empty() && *a != "." && *a != "..") || a == e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_shapes() {
        let t = "/organization/projects/{project_id}/api_keys/{key_id}";
        assert!(same_shape("", "/organization/projects/p/api_keys/k", t));
        assert!(same_shape(
            "/v1",
            "/v1/organization/projects/p%2Fx/api_keys/k",
            t
        ));
        assert!(!same_shape("/v1", "/organization/projects/p/api_keys/k", t));
        assert!(!same_shape("", "/organization/api_keys/k", t));
        assert!(!same_shape("", "/organization/projects//api_keys/k", t));
        assert!(same_shape(
            "",
            "/responses/r1/cancel",
            "/responses/{response_id}/cancel?beta=true"
        ));
        assert!(same_shape("", "/files/f.json", "/files/{name}.json"));
    }

    #[test]
    fn gave_up_reads_back() {
        for timeout in [false, true] {
            let text = GaveUp {
                attempts: 3,
                timeout,
                message: "error sending request: connection refused",
            }
            .to_string();
            let back = GaveUp::parse(&text).unwrap();
            assert_eq!((back.attempts, back.timeout), (3, timeout));
            assert_eq!(back.message, "error sending request: connection refused");
        }
        assert_eq!(GaveUp::parse("something else"), None);
    }
}
