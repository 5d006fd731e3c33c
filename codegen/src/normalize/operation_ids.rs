//! `operation-ids`: every operation gets an `operationId` that names a
//! Rust method of its own.
//!
//! **Given ids that make one method name** (`getUser` and `get_user`,
//! `list-items` and `list_items`: progenitor's `get_user` twice, E0592)
//! are told apart: the first keeps its id, each later one gets the first
//! free `<id>_2`, `<id>_3`, .. (free as a Rust name, see
//! [`crate::naming::Names`]); each rename is reported.
//!
//! **Ids that name a method the client has for itself** (`post`, `pre`,
//! `exec`: the hooks every `send()` calls as `client.post(..)`, which an
//! operation's method of that name would shadow; `new`, `baseurl`,
//! `client`, `api_version`, `inner`) are renamed the same way (`Post` ->
//! `Post_2`), and reported. (`builder` and `from_env` keep theirs: the
//! `connect` stage then offers the constructors on `ClientBuilder` only.)
//!
//! **A missing id** is derived from the method and path.
//!
//! Real specs often leave `operationId` out (xkcd, the NYT, CircleCI).
//! progenitor needs one per operation: it is the Rust method name. The name
//! is the method and the path's words in snake case, `GET /info.0.json` ->
//! `get_info_0_json`, `GET /{comicId}/info.0.json` ->
//! `get_comic_id_info_0_json`; it depends on nothing but the operation, so
//! it is stable across regenerations, and a name already taken (by a given
//! id or an earlier derived one) gets `_2`, `_3`, ... Nothing is lost; each
//! name is reported.

use serde_json::{Value, json};

use super::Normalized;
use crate::naming::{Case, Names};
use crate::walk;

/// Methods `Client` has whatever the spec says (progenitor's and the
/// runtime hooks'), which no operation may take.
pub const CLIENT_METHODS: [&str; 9] = [
    "new",
    "new_with_client",
    "baseurl",
    "client",
    "api_version",
    "inner",
    "pre",
    "exec",
    "post",
];

/// Name every operation that has no `operationId`, and tell apart given
/// ids that make one Rust method name.
pub(super) fn derive(n: &mut Normalized) {
    let ops = walk::operations(&n.value);
    let mut taken = Names::new(Case::Snake, CLIENT_METHODS);
    // First spellings are taken before any rename, so a rename never takes
    // the name of a later operation.
    let firsts: Vec<bool> = ops
        .iter()
        .map(|o| o.id.as_deref().is_some_and(|id| taken.take(id)))
        .collect();
    let mut renamed = Vec::new();
    for (op, _) in ops
        .iter()
        .zip(&firsts)
        .filter(|(o, first)| o.id.is_some() && !**first)
    {
        let id = op.id.as_deref().unwrap_or_default();
        let name = taken.allocate(id, "_");
        if let Some(Value::Object(o)) = walk::operation_mut(&mut n.value, op) {
            o.insert("operationId".into(), json!(name));
            renamed.push(format!(
                "{} {}: operationId `{id}` -> `{name}` (its Rust method name is another operation's)",
                op.method.to_uppercase(),
                op.path
            ));
        }
    }
    for what in renamed {
        n.change("operation-ids", what);
    }
    let mut named = Vec::new();
    for op in ops.iter().filter(|o| o.id.is_none()) {
        let name = taken.allocate(&derived_name(&op.method, &op.path), "_");
        if let Some(Value::Object(o)) = walk::operation_mut(&mut n.value, op) {
            o.insert("operationId".into(), json!(name));
            named.push(format!(
                "{} {} -> {name}",
                op.method.to_uppercase(),
                op.path
            ));
        }
    }
    for what in named {
        n.change("operation-ids", format!("named {what}"));
    }
}

/// `get` + `/users/{userId}/repos.json` -> `get_users_user_id_repos_json`.
pub fn derived_name(method: &str, path: &str) -> String {
    let mut words = vec![method.to_ascii_lowercase()];
    let mut word = String::new();
    let mut prev_lower = false;
    for c in path.chars() {
        if c.is_ascii_alphanumeric() {
            // camelCase -> camel_case
            if c.is_ascii_uppercase() && prev_lower && !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            word.push(c.to_ascii_lowercase());
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            prev_lower = false;
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    if words.len() == 1 {
        words.push("root".to_owned());
    }
    words.join("_")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::load::Document;

    #[test]
    fn names_come_from_method_and_path() {
        assert_eq!(derived_name("get", "/info.0.json"), "get_info_0_json");
        assert_eq!(
            derived_name("get", "/{comicId}/info.0.json"),
            "get_comic_id_info_0_json"
        );
        assert_eq!(derived_name("DELETE", "/"), "delete_root");
        assert_eq!(derived_name("post", "/v1/HTTPThings"), "post_v1_httpthings");
    }

    #[test]
    fn missing_ids_are_derived_unique_and_reported() {
        let doc = Document::from_value(
            "t.json",
            json!({
                "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
                "paths": {
                    "/a": {"get": {"responses": {}}, "post": {"operationId": "get_a", "responses": {}}},
                    "/a/": {"get": {"responses": {}}}
                }
            }),
        );
        let n = super::super::normalize(&doc, &Config::default());
        assert_eq!(n.value["paths"]["/a"]["get"]["operationId"], "get_a_2");
        assert_eq!(n.value["paths"]["/a/"]["get"]["operationId"], "get_a_3");
        assert_eq!(n.value["paths"]["/a"]["post"]["operationId"], "get_a");
        assert!(
            n.changes
                .iter()
                .any(|c| c.step == "operation-ids" && c.what == "named GET /a -> get_a_2")
        );
    }

    #[test]
    fn ids_of_the_clients_own_methods_are_renamed() {
        let doc = Document::from_value(
            "t.json",
            json!({
                "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
                "paths": {
                    "/a": {"post": {"operationId": "Post", "responses": {}},
                           "get": {"operationId": "exec", "responses": {}},
                           "put": {"operationId": "builder", "responses": {}}}
                }
            }),
        );
        let n = super::super::normalize(&doc, &Config::default());
        assert_eq!(n.value["paths"]["/a"]["post"]["operationId"], "Post_2");
        assert_eq!(n.value["paths"]["/a"]["get"]["operationId"], "exec_2");
        assert_eq!(n.value["paths"]["/a"]["put"]["operationId"], "builder");
    }

    #[test]
    fn given_ids_of_one_method_name_are_told_apart() {
        let doc = Document::from_value(
            "t.json",
            json!({
                "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
                "paths": {
                    "/a": {"get": {"operationId": "getUser", "responses": {}},
                           "post": {"operationId": "get_user", "responses": {}},
                           "put": {"operationId": "get_user_2", "responses": {}}}
                }
            }),
        );
        let n = super::super::normalize(&doc, &Config::default());
        assert_eq!(n.value["paths"]["/a"]["get"]["operationId"], "getUser");
        assert_eq!(n.value["paths"]["/a"]["put"]["operationId"], "get_user_2");
        assert_eq!(n.value["paths"]["/a"]["post"]["operationId"], "get_user_3");
        assert!(n.changes.iter().any(|c| c.step == "operation-ids" && c.what.contains("`get_user` -> `get_user_3`")));
    }
}
