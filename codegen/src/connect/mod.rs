//! **connect**: joins the generated `Client` to the runtime, the same way for
//! every layout. progenitor ignores `servers` and `securitySchemes`; the
//! runtime (`runtime/`: auth, configuration, retries, errors) is written
//! once for any spec. What only the spec knows is generated here:
//!
//! - `spec_info::SPEC`, a `runtime::Spec`: the title, the first server URL
//!   (variables at their defaults), the security schemes, each operation's
//!   method, path and effective `security` ([`security`]), and the names of `codegen.toml`'s `[client]` table
//!   (environment variables, user agent) or their defaults from the title;
//! - `impl runtime::GeneratedClient for Client` and `Client::builder()` /
//!   `Client::from_env()`;
//! - `impl ClientHooks for Client`, three calls into `runtime::hooks`
//!   (progenitor is told to expect it, so it runs around every method);
//! - `Client::new(base_url)`: progenitor's `new` takes the inner value too;
//!   it gets `ClientState::new` (no credentials, default retries);
//! - `impl runtime::ErrorBody` for each documented error body type, so `?`
//!   turns any method's error into `runtime::ApiError`;
//! - [`pagination`]: `stream()` on the builders of cursor-paginated list
//!   operations.

pub mod pagination;
pub mod security;

use std::collections::BTreeSet;

use openapiv3::{APIKeyLocation, OpenAPI, ReferenceOr, SecurityScheme};
use quote::{format_ident, quote};

use crate::surface::Surface;

/// The type progenitor stores in `Client` (its `inner`).
pub const STATE_TYPE: &str = "crate::runtime::ClientState";

/// What `codegen.toml` says about the client: `[client]` (names; empty:
/// derived from the spec's title) and `[pagination]`.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// `[client]`.
    pub client: crate::config::ClientSettings,
    /// `[pagination]`.
    pub pagination: crate::config::Pagination,
}

impl Settings {
    /// From the `[client]` and `[pagination]` tables.
    pub fn from_config(config: &crate::config::Config) -> Self {
        Settings {
            client: config.client.clone(),
            pagination: config.pagination.clone(),
        }
    }
}

/// Add the items above to `file` (progenitor's output after `extend`), and
/// return its surface and what is worth reporting ([`security`]). What this
/// stage adds (trait impls, `Client` constructors, `stream()` outside `mod
/// builder`) is not part of the surface, so the pipeline uses this one
/// rather than read the file again.
pub fn connect(
    api: &OpenAPI,
    file: &mut syn::File,
    settings: &Settings,
) -> (Surface, Vec<crate::refine::Refinement>) {
    let surface = crate::surface::extract_file(file);
    let (spec, notes) = spec_const(api, &surface, &settings.client);
    let error_bodies = error_body_impls(&surface);
    let pages = pagination::impls(file, &surface, &settings.pagination);
    let constructors = constructors(&surface);
    file.items.push(syn::parse_quote! {
        /// What the spec says about reaching the API, for the runtime.
        pub mod spec_info {
            /// The spec's servers, security schemes, operations and the
            /// client's names (`codegen.toml`'s `[client]`).
            pub const SPEC: crate::runtime::Spec = #spec;
        }
    });
    let items: syn::File = syn::parse_quote! {
        impl crate::runtime::GeneratedClient for Client {
            const SPEC: &'static crate::runtime::Spec = &spec_info::SPEC;
            fn from_parts(
                base_url: &str,
                http: reqwest::Client,
                state: crate::runtime::ClientState,
            ) -> Self {
                Self::new_with_client(base_url, http, state)
            }
        }

        #constructors

        impl progenitor_client::ClientHooks<crate::runtime::ClientState> for Client {
            async fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                info: &progenitor_client::OperationInfo,
            ) -> Result<(), progenitor_client::Error<E>> {
                use progenitor_client::ClientInfo as _;
                crate::runtime::hooks::pre(self.inner(), self.baseurl(), request, info)
            }

            async fn exec(
                &self,
                request: reqwest::Request,
                info: &progenitor_client::OperationInfo,
            ) -> reqwest::Result<reqwest::Response> {
                use progenitor_client::ClientInfo as _;
                crate::runtime::hooks::exec(self.inner(), self.client(), request, info).await
            }

            async fn post<E>(
                &self,
                result: &reqwest::Result<reqwest::Response>,
                info: &progenitor_client::OperationInfo,
            ) -> Result<(), progenitor_client::Error<E>> {
                crate::runtime::hooks::post(result, info)
            }
        }

        #(#error_bodies)*

        #(#pages)*
    };
    file.items.extend(items.items);
    new_without_state(file);
    (surface, notes)
}

/// `Client::builder()`, `Client::from_env()` and `with_options(..)`, each unless an operation
/// of the spec already has that method name (progenitor gives every
/// operation a method of `Client`); `runtime::ClientBuilder::<Client>`
/// offers both under any spec.
fn constructors(surface: &Surface) -> proc_macro2::TokenStream {
    let free = |name: &str| !surface.operations.contains_key(name);
    let builder = free("builder").then(|| {
        quote! {
            /// Configure a client: `.base_url(..)`, `.api_key(..)`,
            /// `.credential(scheme, key)`, `.timeout(..)`, `.retry(..)`,
            /// `.http_client(..)`, then `.build()`.
            pub fn builder() -> crate::runtime::ClientBuilder<Self> {
                crate::runtime::ClientBuilder::new()
            }
        }
    });
    let from_env = free("from_env").then(|| {
        quote! {
            /// A client configured from the environment (the key and base URL
            /// variables of `spec_info::SPEC`).
            pub fn from_env() -> Result<Self, crate::runtime::ConfigError> {
                crate::runtime::ClientBuilder::from_env()?.build()
            }
        }
    });
    let with_options = free("with_options").then(|| {
        quote! {
            /// A clone of this client (sharing its connection pool) whose
            /// requests use `options` over its settings: a timeout,
            /// headers, retries, an idempotency key. This client is
            /// unchanged.
            pub fn with_options(&self, options: crate::runtime::RequestOptions) -> Self {
                Self::new_with_client(
                    &self.baseurl,
                    self.client.clone(),
                    self.inner.with_options(&options),
                )
            }
        }
    });
    quote! {
        impl Client {
            #builder
            #from_env
            #with_options
        }
    }
}

/// `runtime::Spec { .. }` for this spec, and the notes of [`security`].
fn spec_const(
    api: &OpenAPI,
    surface: &Surface,
    settings: &crate::config::ClientSettings,
) -> (proc_macro2::TokenStream, Vec<crate::refine::Refinement>) {
    let title = &api.info.title;
    let base_url = default_base_url(api);
    let (sendable, schemes): (BTreeSet<String>, Vec<_>) = schemes(api).into_iter().unzip();
    let (security, notes) = security::table(api, surface, &sendable);
    // Sorted by method name (the surface's order): the runtime looks
    // operations up by binary search.
    let operations = surface.operations.iter().map(|(id, op)| {
        let (method, path) = (&op.http_method, &op.path);
        let security = &security[id];
        quote!(crate::runtime::Operation {
            id: #id,
            method: #method,
            path: #path,
            security: #security,
        })
    });
    let prefix = env_prefix(title);
    let api_key_env = if settings.api_key_env.is_empty() {
        format!("{prefix}_API_KEY")
    } else {
        settings.api_key_env.clone()
    };
    let base_url_env = base_url_env(title, settings);
    let user_agent = if settings.user_agent.is_empty() {
        quote!(concat!(
            env!("CARGO_PKG_NAME"),
            "/",
            env!("CARGO_PKG_VERSION")
        ))
    } else {
        let agent = &settings.user_agent;
        quote!(#agent)
    };
    let spec = quote! {
        crate::runtime::Spec {
            title: #title,
            default_base_url: #base_url,
            schemes: &[#(#schemes),*],
            operations: &[#(#operations),*],
            api_key_env: #api_key_env,
            base_url_env: #base_url_env,
            user_agent: #user_agent,
        }
    };
    (spec, notes)
}

/// The first server's URL with each `{variable}` at its default; empty when
/// it is not absolute (a relative URL has no host to call).
pub fn default_base_url(api: &OpenAPI) -> String {
    let Some(server) = api.servers.first() else {
        return String::new();
    };
    let mut url = server.url.clone();
    for (name, variable) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    if url.starts_with("http://") || url.starts_with("https://") {
        url.trim_end_matches('/').to_owned()
    } else {
        String::new()
    }
}

/// The variable that overrides the base URL: `[client] base_url_env`,
/// else `<TITLE>_BASE_URL`.
pub fn base_url_env(title: &str, settings: &crate::config::ClientSettings) -> String {
    if settings.base_url_env.is_empty() {
        format!("{}_BASE_URL", env_prefix(title))
    } else {
        settings.base_url_env.clone()
    }
}

/// `SCREAMING_SNAKE` of the title's words, a trailing `API` dropped:
/// "OpenAI API" -> `OPENAI`, "Slack Web API" -> `SLACK_WEB`.
pub fn env_prefix(title: &str) -> String {
    let mut words: Vec<String> = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_uppercase)
        .collect();
    if words.len() > 1 && words.last().is_some_and(|w| w == "API") {
        words.pop();
    }
    match words.first() {
        None => "API".to_owned(),
        Some(first) if first.starts_with(|c: char| c.is_ascii_digit()) => {
            format!("API_{}", words.join("_"))
        }
        Some(_) => words.join("_"),
    }
}

/// The security schemes as `runtime::Scheme`s: those the top-level
/// `security` requires first (the first is `.api_key(..)`'s), then the rest
/// in the spec's order. OAuth2 and OpenID Connect take the access token the
/// caller obtained, as a bearer token; HTTP schemes other than bearer and
/// basic (digest, ...) have no entry. Each with its name.
fn schemes(api: &OpenAPI) -> Vec<(String, proc_macro2::TokenStream)> {
    let Some(components) = &api.components else {
        return Vec::new();
    };
    let required: Vec<&String> = api
        .security
        .iter()
        .flatten()
        .flat_map(|requirement| requirement.keys())
        .collect();
    let mut names: Vec<&String> = Vec::new();
    for name in required
        .into_iter()
        .chain(components.security_schemes.keys())
    {
        if components.security_schemes.contains_key(name) && !names.contains(&name) {
            names.push(name);
        }
    }
    names
        .into_iter()
        .filter_map(|name| {
            let ReferenceOr::Item(scheme) = &components.security_schemes[name] else {
                return None;
            };
            let tokens = match scheme {
                SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("bearer") => {
                    quote!(crate::runtime::Scheme::Bearer { name: #name })
                }
                SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("basic") => {
                    quote!(crate::runtime::Scheme::Basic { name: #name })
                }
                SecurityScheme::HTTP { .. } => return None,
                SecurityScheme::APIKey {
                    location,
                    name: param,
                    ..
                } => {
                    let location = match location {
                        APIKeyLocation::Header => quote!(Header),
                        APIKeyLocation::Query => quote!(Query),
                        APIKeyLocation::Cookie => quote!(Cookie),
                    };
                    quote!(crate::runtime::Scheme::ApiKey {
                        name: #name,
                        location: crate::runtime::KeyLocation::#location,
                        param: #param,
                    })
                }
                SecurityScheme::OAuth2 { .. } | SecurityScheme::OpenIDConnect { .. } => {
                    quote!(crate::runtime::Scheme::Bearer { name: #name })
                }
            };
            Some((name.clone(), tokens))
        })
        .collect()
}

/// `impl runtime::ErrorBody` for each error body type of `types` that an
/// operation documents (the runtime implements it for `()`, byte streams,
/// strings, vectors and JSON values): as JSON when the type is serializable.
/// The surface names types without their `types::` path.
fn error_body_impls(surface: &Surface) -> Vec<proc_macro2::TokenStream> {
    let names: BTreeSet<&str> = surface
        .operations
        .values()
        .map(|op| op.error.as_str())
        .filter(|name| surface.types.contains_key(*name))
        .collect();
    names
        .into_iter()
        .map(|name| {
            let serializable = surface
                .types
                .get(name)
                .is_some_and(|t| t.derives.iter().any(|d| d.ends_with("Serialize")));
            let ident = format_ident!("{name}");
            let body = if serializable {
                quote!(::serde_json::to_value(self).ok())
            } else {
                quote!(None)
            };
            quote! {
                impl crate::runtime::ErrorBody for types::#ident {
                    fn to_json(&self) -> Option<::serde_json::Value> {
                        #body
                    }
                }
            }
        })
        .collect()
}

/// progenitor's `Client::new(baseurl, inner)` becomes `Client::new(baseurl)`,
/// the inner value a `ClientState` with no credentials.
fn new_without_state(file: &mut syn::File) {
    for item in &mut file.items {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some()
            || !matches!(&*imp.self_ty, syn::Type::Path(p) if p.path.is_ident("Client"))
        {
            continue;
        }
        for member in &mut imp.items {
            let syn::ImplItem::Fn(f) = member else {
                continue;
            };
            if f.sig.ident != "new" || f.sig.inputs.len() != 2 {
                continue;
            }
            f.sig.inputs.pop();
            let punctuated = std::mem::take(&mut f.sig.inputs);
            f.sig.inputs = punctuated.into_pairs().map(|p| p.into_value()).collect();
            f.block.stmts.insert(
                0,
                syn::parse_quote!(let inner = crate::runtime::ClientState::new(&spec_info::SPEC);),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_prefixes_from_titles() {
        assert_eq!(env_prefix("OpenAI API"), "OPENAI");
        assert_eq!(env_prefix("Slack Web API"), "SLACK_WEB");
        assert_eq!(env_prefix("Docker Engine API"), "DOCKER_ENGINE");
        assert_eq!(env_prefix("1Password Events API"), "API_1PASSWORD_EVENTS");
        assert_eq!(env_prefix("xkcd"), "XKCD");
        assert_eq!(env_prefix("API"), "API");
        assert_eq!(env_prefix("—"), "API");
    }

    #[test]
    fn base_urls_take_variable_defaults() {
        let api: OpenAPI = serde_json::from_value(serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "servers": [{"url": "https://{region}.example.com/{v}/", "variables": {
                "region": {"default": "eu"}, "v": {"default": "v2"}}}],
        }))
        .unwrap();
        assert_eq!(default_base_url(&api), "https://eu.example.com/v2");
        let relative: OpenAPI = serde_json::from_value(serde_json::json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "servers": [{"url": "/api"}],
        }))
        .unwrap();
        assert_eq!(default_base_url(&relative), "");
    }
}
