//! Each operation's effective `security`, for `spec_info::SPEC`.
//!
//! The rule (OpenAPI 3, Security Requirement Object): an operation's own
//! `security` replaces the spec's top-level one; the list is alternatives
//! (any one will do), each entry the schemes that go together; `[]` (or
//! no `security` anywhere) means the operation takes no credentials. The
//! runtime's `auth::select` picks, per request, the alternative whose keys
//! the client holds, and sends those and no others.
//!
//! What the rule makes of a spec is reported (step `security`) where a
//! user may not expect it: operations that take no credentials because
//! the spec states no `security` for them although it defines schemes (a
//! vendor's omission, fixed with an overlay), and alternatives no client
//! can meet (a scheme the runtime cannot send, or one not defined).

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{OpenAPI, ReferenceOr, SecurityRequirement};
use quote::quote;

use crate::normalize::media_types::COPY_MARK;
use crate::refine::Refinement;
use crate::surface::Surface;

/// An effective `security`: alternatives of scheme names.
pub type Requirements = Vec<Vec<String>>;

/// Each operation of the document by (`METHOD`, path template as the
/// surface has it), with its effective `security` and whether it states
/// one itself or the spec does at the top level.
pub fn by_route(api: &OpenAPI) -> BTreeMap<(String, String), (Requirements, bool)> {
    let top = api.security.as_deref();
    let mut routes = BTreeMap::new();
    for (path, item) in &api.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        // The `media-types` step's copies of an operation share its path
        // (and its `security`) once the mark is gone.
        let path = path.split(COPY_MARK).next().unwrap_or(path);
        for (method, op) in item.iter() {
            let stated = op.security.is_some() || top.is_some();
            let effective = op.security.as_deref().or(top).unwrap_or_default();
            routes.insert(
                (method.to_ascii_uppercase(), path.to_owned()),
                (requirements(effective), stated),
            );
        }
    }
    routes
}

/// Alternatives as lists of scheme names, in the spec's order (scopes are
/// the token's business, not the client's).
fn requirements(security: &[SecurityRequirement]) -> Requirements {
    security
        .iter()
        .map(|alternative| alternative.keys().cloned().collect())
        .collect()
}

/// `security: &[&[..], ..]` of each operation of `surface`, by method name,
/// and what is worth reporting. `sendable` are the schemes the runtime can
/// put on a request (`spec_info::SPEC.schemes`).
pub fn table(
    api: &OpenAPI,
    surface: &Surface,
    sendable: &BTreeSet<String>,
) -> (BTreeMap<String, proc_macro2::TokenStream>, Vec<Refinement>) {
    let routes = by_route(api);
    let mut tokens = BTreeMap::new();
    let mut unstated = Vec::new();
    let mut unmet: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (id, op) in &surface.operations {
        let key = (op.http_method.clone(), op.path.clone());
        let (security, stated) = routes.get(&key).cloned().unwrap_or_default();
        if !stated && !sendable.is_empty() {
            unstated.push(id.as_str());
        }
        for scheme in security.iter().flatten() {
            if !sendable.contains(scheme) {
                unmet.entry(scheme.clone()).or_default().push(id);
            }
        }
        let alternatives = security.iter().map(|a| quote!(&[#(#a),*]));
        tokens.insert(id.clone(), quote!(&[#(#alternatives),*]));
    }
    let mut notes = Vec::new();
    if !unstated.is_empty() {
        let schemes: Vec<String> = sendable.iter().map(|s| format!("`{s}`")).collect();
        let example = sendable.iter().next().cloned().unwrap_or_default();
        notes.push(Refinement {
            step: "security",
            what: format!(
                "{} of {} operations take no credentials ({}): neither they nor the spec state `security`, though it defines {}; if the API needs a key, add it with an overlay (target `$`, update `{{security: [{{{example}: []}}]}}`)",
                unstated.len(),
                surface.operations.len(),
                sample(&unstated),
                schemes.join(", ")
            ),
        });
    }
    for (scheme, ops) in unmet {
        notes.push(Refinement {
            step: "security",
            what: format!(
                "{} operations accept `{scheme}`, a scheme this client cannot send (not in `components.securitySchemes`, or not bearer, basic, apiKey, OAuth2 or OpenID Connect): an alternative that needs it is never chosen ({})",
                ops.len(),
                sample(&ops)
            ),
        });
    }
    (tokens, notes)
}

/// The first few names, and how many more.
fn sample(names: &[&str]) -> String {
    const SHOWN: usize = 3;
    let shown: Vec<String> = names.iter().take(SHOWN).map(|n| format!("`{n}`")).collect();
    match names.len().saturating_sub(SHOWN) {
        0 => shown.join(", "),
        more => format!("{}, and {more} more", shown.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(value: serde_json::Value) -> OpenAPI {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn operation_security_replaces_the_top_level() {
        let api = api(serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "security": [{"project": []}],
            "paths": {
                "/a": {
                    "get": {"responses": {}},
                    "post": {"security": [{"admin": []}, {"key": [], "app": []}], "responses": {}},
                    "delete": {"security": [], "responses": {}},
                },
                "/a#codegen-media-multipart": {"put": {"security": [{}], "responses": {}}},
            },
        }));
        let routes = by_route(&api);
        let get = |m: &str, p: &str| routes[&(m.to_owned(), p.to_owned())].clone();
        assert_eq!(get("GET", "/a"), (vec![vec!["project".to_owned()]], true));
        assert_eq!(
            get("POST", "/a"),
            (
                vec![
                    vec!["admin".to_owned()],
                    vec!["key".to_owned(), "app".to_owned()]
                ],
                true
            )
        );
        assert_eq!(get("DELETE", "/a"), (vec![], true));
        assert_eq!(get("PUT", "/a"), (vec![vec![]], true));
    }

    #[test]
    fn no_security_anywhere_is_none_and_unstated() {
        let api = api(serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {}}}},
        }));
        assert_eq!(
            by_route(&api)[&("GET".to_owned(), "/a".to_owned())],
            (vec![], false)
        );
    }
}
