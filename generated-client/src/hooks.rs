//! progenitor's `ClientHooks` for the generated `Client`: credentials, the
//! header policy, a path check, and retries. The generated code calls these
//! around every request (`pre`, `exec`, `post`); nothing generated is edited.

use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};
use reqwest::{Request, Response};

use crate::retry::RetryPolicy;
use crate::{Client, ClientOptions, spec_info};

/// How many attempts produced a response (in `Response::extensions`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempts(pub u32);

impl ClientHooks<ClientOptions> for Client {
    async fn pre<E>(&self, request: &mut Request, info: &OperationInfo) -> Result<(), Error<E>> {
        let options = self.inner();
        if !options.send_api_version {
            request.headers_mut().remove("api-version");
        }
        check_path(self.baseurl(), request, info).map_err(Error::InvalidRequest)?;
        for scheme in spec_info::SECURITY_SCHEMES {
            if let Some(key) = options.credentials.get(scheme.name())
                && let Some((name, value)) = scheme.header(key)
            {
                request.headers_mut().insert(name, value);
            }
        }
        Ok(())
    }

    async fn exec(&self, mut request: Request, info: &OperationInfo) -> reqwest::Result<Response> {
        let policy = &self.inner().retry;
        let may_retry = policy.retries_method(request.method());
        let mut attempt = 1;
        loop {
            let next = (may_retry && attempt <= policy.max_retries)
                .then(|| request.try_clone())
                .flatten();
            let result = self.client().execute(request).await;
            let delay = match (&result, &next) {
                (Ok(r), Some(_)) if RetryPolicy::retries_status(r.status()) => {
                    policy.delay(attempt, Some(r.headers()))
                }
                (Err(e), Some(_)) if RetryPolicy::retries_error(e) => policy.delay(attempt, None),
                _ => return self.record(result, attempt, info),
            };
            drop(result);
            tokio::time::sleep(delay).await;
            request = next.expect("checked above");
            attempt += 1;
        }
    }

    async fn post<E>(
        &self,
        result: &reqwest::Result<Response>,
        info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        let attempts = self
            .inner()
            .attempts
            .lock()
            .map_or(None, |mut m| m.remove(&key(info)));
        match (result, attempts) {
            (Err(e), Some(n)) => Err(Error::Custom(format!("{e} (gave up after {n} attempts)"))),
            _ => Ok(()),
        }
    }
}

impl Client {
    fn record(
        &self,
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
                if attempts > 1
                    && let Ok(mut map) = self.inner().attempts.lock()
                {
                    map.insert(key(info), attempts);
                }
                Err(e)
            }
        }
    }
}

/// Identifies one call between its `exec` and `post` hooks: the generated
/// code passes the same `OperationInfo` (a local of that call) to both.
fn key(info: &OperationInfo) -> usize {
    std::ptr::from_ref(info) as usize
}

/// A path parameter must not change which endpoint is called. progenitor
/// percent-encodes `/`, `?`, `#` and `%`, but URL parsing still resolves `.`
/// and `..` segments; compare the final path with the operation's template.
fn check_path(baseurl: &str, request: &Request, info: &OperationInfo) -> Result<(), String> {
    let Some((_, _, template)) = spec_info::OPERATIONS
        .iter()
        .find(|(id, _, _)| *id == info.operation_id)
    else {
        return Ok(());
    };
    let base_path = reqwest::Url::parse(baseurl)
        .map(|u| u.path().trim_end_matches('/').to_owned())
        .unwrap_or_default();
    let path = request.url().path();
    if same_shape(&base_path, path, template) {
        Ok(())
    } else {
        Err(format!(
            "a path parameter of `{}` would change the request path (`{template}` became `{path}`): `.`, `..` and empty values are not allowed",
            info.operation_id
        ))
    }
}

/// Whether `path` (a request URL's path) is `template` under `base_path`,
/// each `{variable}` filled by one non-empty segment other than `.`/`..`.
fn same_shape(base_path: &str, path: &str, template: &str) -> bool {
    let Some(rest) = path.strip_prefix(base_path) else {
        return false;
    };
    // A template may carry a fixed query (`/responses?beta=true`).
    let template = template.split('?').next().unwrap_or(template);
    let actual: Vec<&str> = rest.split('/').collect();
    let expected: Vec<&str> = template.split('/').collect();
    actual.len() == expected.len()
        && actual.iter().zip(&expected).all(|(a, e)| {
            (e.starts_with('{') && !a.is_empty() && *a != "." && *a != "..") || a == e
        })
}

#[cfg(test)]
mod tests {
    use super::same_shape;

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
    }
}
