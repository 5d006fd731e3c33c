//! Credentials and the security schemes that carry them.
//!
//! The generator lists a spec's `components.securitySchemes` as
//! [`Scheme`]s (in the generated `spec_info::SPEC`), and each operation's
//! effective `security` as [`Requirements`]. Before each request the `pre`
//! hook ([`super::hooks`]) picks the credentials that operation asks for
//! ([`select`]) and puts only those on it: a key never reaches an operation
//! that did not ask for it, and an operation whose every alternative lacks
//! a key fails before anything is sent ([`MissingCredentials`]). Every scheme of OpenAPI 3 has a form here: HTTP
//! bearer and basic, an API key in a header, the query string or a cookie,
//! and OAuth2 / OpenID Connect, whose access token the caller obtains and
//! the client sends as a bearer token.

use std::fmt;

use reqwest::Request;
use reqwest::header::{HeaderName, HeaderValue};

/// Where an API key goes (`in:` of an `apiKey` scheme).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// A security scheme from the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `type: http, scheme: bearer`, and `oauth2` / `openIdConnect` (the
    /// caller supplies the access token): `Authorization: Bearer <key>`.
    Bearer {
        /// The scheme's name under `components.securitySchemes`.
        name: &'static str,
    },
    /// `type: http, scheme: basic`: the key is `user:password`, sent as
    /// `Authorization: Basic <base64>`.
    Basic {
        /// The scheme's name under `components.securitySchemes`.
        name: &'static str,
    },
    /// `type: apiKey`: the key under `param` in a header, the query or a cookie.
    ApiKey {
        /// The scheme's name under `components.securitySchemes`.
        name: &'static str,
        /// Where the key goes.
        location: KeyLocation,
        /// The header, query parameter or cookie name.
        param: &'static str,
    },
}

impl Scheme {
    /// The scheme's name in the spec.
    pub fn name(&self) -> &'static str {
        match self {
            Scheme::Bearer { name } | Scheme::Basic { name } | Scheme::ApiKey { name, .. } => name,
        }
    }

    /// The query parameter that carries the key, for a query `apiKey`
    /// scheme (its value is hidden wherever a URL is shown).
    pub fn query_param(&self) -> Option<&'static str> {
        match self {
            Scheme::ApiKey {
                location: KeyLocation::Query,
                param,
                ..
            } => Some(param),
            _ => None,
        }
    }

    /// Put `key` on `request` as this scheme says. Headers are marked
    /// sensitive, so `Debug` output of requests and headers never shows them.
    ///
    /// **Rule: one name, one value.** When the request already carries the
    /// name an API key scheme sends (the spec also declares it as a
    /// parameter of the operation, and the caller set it), the caller's
    /// value stands and the key is not added: a second `store_key` pair
    /// would make the query an array the spec does not describe.
    pub fn apply(&self, key: &ApiKey, request: &mut Request) {
        let header = |name: HeaderName, value: String| {
            let mut value = HeaderValue::from_str(&value).ok()?;
            value.set_sensitive(true);
            Some((name, value))
        };
        let set = match self {
            Scheme::Bearer { .. } => header(
                reqwest::header::AUTHORIZATION,
                format!("Bearer {}", key.expose()),
            ),
            Scheme::Basic { .. } => header(
                reqwest::header::AUTHORIZATION,
                format!("Basic {}", base64_encode(key.expose().as_bytes())),
            ),
            Scheme::ApiKey {
                location: KeyLocation::Header,
                param,
                ..
            } => HeaderName::from_bytes(param.as_bytes())
                .ok()
                .filter(|name| !request.headers().contains_key(name))
                .and_then(|name| header(name, key.expose().to_owned())),
            Scheme::ApiKey {
                location: KeyLocation::Query,
                param,
                ..
            } => {
                if !request.url().query_pairs().any(|(k, _)| k == *param) {
                    request
                        .url_mut()
                        .query_pairs_mut()
                        .append_pair(param, key.expose());
                }
                None
            }
            Scheme::ApiKey {
                location: KeyLocation::Cookie,
                param,
                ..
            } => {
                let pair = format!("{param}={}", key.expose());
                let existing = request
                    .headers()
                    .get(reqwest::header::COOKIE)
                    .map(|v| v.to_str().unwrap_or_default().to_owned());
                let set = existing.as_deref().is_some_and(|cookies| {
                    cookies
                        .split(';')
                        .any(|c| c.trim().split('=').next() == Some(*param))
                });
                match existing {
                    _ if set => None,
                    Some(v) => header(reqwest::header::COOKIE, format!("{v}; {pair}")),
                    None => header(reqwest::header::COOKIE, pair),
                }
            }
        };
        if let Some((name, value)) = set {
            request.headers_mut().insert(name, value);
        }
    }
}

/// An operation's effective `security` (OpenAPI: the operation's own
/// `security` replaces the spec's): a list of alternatives, any one of
/// which will do (OR), each the names of the schemes it needs together
/// (AND). An empty list (`security: []`, or no `security` anywhere) takes
/// no credentials; an empty alternative (`{}`) makes credentials optional.
pub type Requirements = &'static [&'static [&'static str]];

/// The schemes whose credentials go on a request of an operation that
/// requires `security`, given which schemes the client `has` a key for:
///
/// - no requirement: none;
/// - the first alternative with schemes, all of which the client has;
/// - none, when an alternative is empty (credentials optional) and no
///   other is complete;
/// - otherwise [`MissingCredentials`], naming what the operation accepts.
///
/// An empty alternative is tried last wherever the spec lists it: the
/// spec accepts either, and a caller who gave a key means it to be used.
pub fn select(
    operation: &'static str,
    security: Requirements,
    has: impl Fn(&str) -> bool,
) -> Result<&'static [&'static str], MissingCredentials> {
    if security.is_empty() {
        return Ok(&[]);
    }
    if let Some(chosen) = security
        .iter()
        .find(|alternative| !alternative.is_empty() && alternative.iter().all(|s| has(s)))
    {
        return Ok(chosen);
    }
    if security.iter().any(|alternative| alternative.is_empty()) {
        return Ok(&[]);
    }
    Err(MissingCredentials {
        operation,
        accepted: security,
    })
}

/// An operation needs credentials the client was not given. Returned
/// before anything is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MissingCredentials {
    /// The operation (the `Client` method's name).
    pub operation: &'static str,
    /// What it accepts (its effective `security`).
    pub accepted: Requirements,
}

impl fmt::Display for MissingCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` needs credentials this client was not given: ",
            self.operation
        )?;
        for (i, alternative) in self.accepted.iter().enumerate() {
            if i > 0 {
                f.write_str(" or ")?;
            }
            for (j, scheme) in alternative.iter().enumerate() {
                if j > 0 {
                    f.write_str(" and ")?;
                }
                write!(f, "`{scheme}`")?;
            }
        }
        let example = self
            .accepted
            .first()
            .and_then(|a| a.first())
            .copied()
            .unwrap_or_default();
        write!(
            f,
            " (give a key with `Client::builder().credential(\"{example}\", key)`)"
        )
    }
}

impl std::error::Error for MissingCredentials {}

/// Standard base64 with padding (RFC 4648), for basic credentials.
fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A secret credential. Its `Debug` and `Display` print `ApiKey(***)`; the
/// value is read only when a request is built.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wrap a key.
    pub fn new(key: impl Into<String>) -> Self {
        ApiKey(key.into())
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// Whether a header can carry it (visible ASCII, no line breaks).
    pub(crate) fn is_valid(&self) -> bool {
        !self.0.is_empty() && HeaderValue::from_str(&self.0).is_ok()
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for ApiKey {
    fn from(key: String) -> Self {
        ApiKey(key)
    }
}

impl From<&str> for ApiKey {
    fn from(key: &str) -> Self {
        ApiKey(key.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> Request {
        Request::new(
            reqwest::Method::GET,
            "http://localhost/x?a=1".parse().unwrap(),
        )
    }

    #[test]
    fn every_scheme_places_its_key() {
        let key = ApiKey::new("s3cret");
        let mut r = request();
        Scheme::Bearer { name: "b" }.apply(&key, &mut r);
        assert_eq!(r.headers()["authorization"], "Bearer s3cret");
        assert!(r.headers()["authorization"].is_sensitive());

        let mut r = request();
        Scheme::Basic { name: "basic" }.apply(&ApiKey::new("user:pw"), &mut r);
        assert_eq!(r.headers()["authorization"], "Basic dXNlcjpwdw==");

        let mut r = request();
        let header = Scheme::ApiKey {
            name: "h",
            location: KeyLocation::Header,
            param: "X-Api-Key",
        };
        header.apply(&key, &mut r);
        assert_eq!(r.headers()["x-api-key"], "s3cret");

        let mut r = request();
        let query = Scheme::ApiKey {
            name: "q",
            location: KeyLocation::Query,
            param: "api_key",
        };
        query.apply(&key, &mut r);
        assert_eq!(r.url().query(), Some("a=1&api_key=s3cret"));
        assert_eq!(query.query_param(), Some("api_key"));

        let mut r = request();
        r.headers_mut()
            .insert("cookie", HeaderValue::from_static("theme=dark"));
        let cookie = Scheme::ApiKey {
            name: "c",
            location: KeyLocation::Cookie,
            param: "session",
        };
        cookie.apply(&key, &mut r);
        assert_eq!(r.headers()["cookie"], "theme=dark; session=s3cret");
    }

    #[test]
    fn a_name_the_caller_set_keeps_its_value() {
        let key = ApiKey::new("s3cret");
        let query = Scheme::ApiKey {
            name: "q",
            location: KeyLocation::Query,
            param: "a",
        };
        let mut r = request();
        query.apply(&key, &mut r);
        assert_eq!(r.url().query(), Some("a=1"));

        let header = Scheme::ApiKey {
            name: "h",
            location: KeyLocation::Header,
            param: "X-Api-Key",
        };
        let mut r = request();
        r.headers_mut()
            .insert("x-api-key", HeaderValue::from_static("mine"));
        header.apply(&key, &mut r);
        assert_eq!(r.headers()["x-api-key"], "mine");

        let cookie = Scheme::ApiKey {
            name: "c",
            location: KeyLocation::Cookie,
            param: "session",
        };
        let mut r = request();
        r.headers_mut().insert(
            "cookie",
            HeaderValue::from_static("theme=dark; session=mine"),
        );
        cookie.apply(&key, &mut r);
        assert_eq!(r.headers()["cookie"], "theme=dark; session=mine");
    }

    #[test]
    fn select_follows_or_and_and_none() {
        let has = |names: &'static [&'static str]| move |s: &str| names.contains(&s);
        // No requirement: nothing, whatever the client holds.
        assert_eq!(select("op", &[], has(&["a"])), Ok(&[][..]));
        // OR: the first complete alternative.
        const OR: Requirements = &[&["admin"], &["project"]];
        assert_eq!(
            select("op", OR, has(&["project", "admin"])),
            Ok(&["admin"][..])
        );
        assert_eq!(select("op", OR, has(&["project"])), Ok(&["project"][..]));
        // AND: all of an alternative or none of it.
        const AND: Requirements = &[&["key", "app"], &["token"]];
        assert_eq!(
            select("op", AND, has(&["key", "app"])),
            Ok(&["key", "app"][..])
        );
        assert_eq!(
            select("op", AND, has(&["key", "token"])),
            Ok(&["token"][..])
        );
        let err = select("op", AND, has(&["key"])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`op` needs credentials this client was not given: `key` and `app` or `token` \
             (give a key with `Client::builder().credential(\"key\", key)`)"
        );
        // Optional credentials: used when held, else none.
        const OPTIONAL: Requirements = &[&[], &["key"]];
        assert_eq!(select("op", OPTIONAL, has(&["key"])), Ok(&["key"][..]));
        assert_eq!(select("op", OPTIONAL, has(&[])), Ok(&[][..]));
    }

    #[test]
    fn keys_never_print() {
        let key = ApiKey::new("s3cret");
        assert_eq!(format!("{key:?} {key}"), "ApiKey(***) ***");
        assert!(!ApiKey::new("a\nb").is_valid());
    }
}
