//! Stage `gate`: a Cargo feature per tag, so a consumer compiles only the
//! operations it uses and the types they reach.
//!
//! | step | rule | file |
//! |---|---|---|
//! | `features` | each operation belongs to the features of its tags (kebab-case; `untagged` for none); webhooks to `webhooks`; `default` enables all | [`features`] |
//! | `reach` | a type is needed by the features of the operations (and webhooks) that reach it, through any code that names it: fields, impls, serde helpers; types nothing reaches by `other-types` | [`reach`] |
//! | `cfg` | every operation item gets `#[cfg]` of its features; every other item the `#[cfg]` of what it names; types every tag reaches stay ungated | [`cfg`] |
//!
//! It holds by construction that an item compiled names only items
//! compiled: a type's features include those of every type that reaches it
//! (`reach` propagates along every name), and an item outside a type gets
//! the conjunction of the `cfg`s of all it names. And nothing compiled goes
//! unused: a type is compiled only with a feature whose operation reaches it.
//!
//! Runs after `trim` and before `format`. The type builders are gated on
//! the second core through a [`Rewrite`].

use std::collections::{BTreeMap, BTreeSet};

use crate::generate::type_builders::Rewrite;
use crate::refine::Refinement;
use crate::surface::Surface;

pub mod cfg;
pub mod features;
pub mod reach;

/// The features of one generated crate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Features {
    /// Every feature (what `default` enables), sorted.
    pub all: BTreeSet<String>,
    /// Each client method's features.
    pub operations: BTreeMap<String, BTreeSet<String>>,
}

impl Features {
    /// The `[features]` table of a crate's manifest.
    pub fn manifest_table(&self) -> String {
        let mut out = String::from("[features]\n");
        let all: Vec<String> = self.all.iter().map(|f| format!("\"{f}\"")).collect();
        out.push_str(&format!("default = [{}]\n", all.join(", ")));
        for f in &self.all {
            out.push_str(&format!("{f} = []\n"));
        }
        out
    }
}

/// Gate `file`'s operations and types by feature; the features and what
/// was done.
pub fn gate(
    doc: &serde_json::Value,
    file: &mut syn::File,
    surface: &Surface,
    rewrites: &mut Vec<Rewrite>,
) -> (Features, Vec<Refinement>) {
    let ops = features::of_operations(doc, surface);
    let webhooks = !surface.webhooks.is_empty();
    let mut all: BTreeSet<String> = ops.values().flatten().cloned().collect();
    let tags = all.clone();
    if webhooks {
        all.insert(features::WEBHOOKS.to_owned());
    }
    if all.is_empty() {
        return (Features::default(), Vec::new());
    }
    let builders = reach::operation_builders(file, &ops);
    let reached = crate::timings::stage("reach", || reach::reach(file, &ops, &builders, webhooks));
    if reached.values().any(|f| f.contains(features::OTHER_TYPES)) {
        all.insert(features::OTHER_TYPES.to_owned());
    }
    let gated: BTreeMap<String, BTreeSet<String>> = reached
        .into_iter()
        .filter(|(_, features)| !features.is_superset(&tags))
        .collect();
    let types_gated = gated.len();
    crate::timings::stage("cfg", || {
        cfg::apply(file, &ops, &builders, &gated, webhooks, rewrites)
    });
    let count = ops.len();
    let notes = vec![Refinement {
        step: "features",
        what: format!(
            "{} features ({}); {} operations and {types_gated} types and helpers compile only with the features that reach them",
            all.len(),
            all.iter().cloned().collect::<Vec<_>>().join(", "),
            count
        ),
    }];
    (
        Features {
            all,
            operations: ops,
        },
        notes,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn op(method: &str, path: &str) -> crate::surface::Operation {
        crate::surface::Operation {
            http_method: method.into(),
            path: path.into(),
            ..Default::default()
        }
    }

    /// The `#[cfg]` of the item whose tokens start with `start`.
    fn cfg_of(file: &syn::File, start: &str) -> Option<String> {
        let text = file.to_token_stream().to_string();
        let at = text
            .find(start)
            .unwrap_or_else(|| panic!("no `{start}` in {text}"));
        let before = &text[..at];
        let cfg = before.rfind("# [cfg (")?;
        // Only the attributes right before the item count.
        let between = &before[cfg..];
        (!between.contains(';') && !between.contains('}'))
            .then(|| between.split(")]").next().unwrap_or("").to_owned() + ")")
    }

    #[test]
    fn operations_and_the_types_they_reach_are_gated_by_tag() {
        let doc = serde_json::json!({
            "paths": {
                "/files": {"get": {"tags": ["Files"]}},
                "/models": {"get": {"tags": ["Models"]}},
                "/both": {"get": {}}
            }
        });
        let mut surface = Surface::default();
        surface
            .operations
            .insert("list_files".into(), op("GET", "/files"));
        surface
            .operations
            .insert("list_models".into(), op("GET", "/models"));
        surface.operations.insert("both".into(), op("GET", "/both"));
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct FileList { pub data: Vec<File>, #[serde(serialize_with = "as_written")] pub n: f64 }
                pub struct File { pub shared: Shared }
                pub struct ModelList { pub shared: Shared }
                pub struct Shared { pub x: i64 }
                pub struct Unused { pub shared: Shared }
                impl ::std::convert::From<&FileList> for FileList { fn from(v: &FileList) -> Self { v.clone() } }
                fn as_written<S>(x: &f64, s: S) {}
                pub mod error { pub struct ConversionError; }
            }
            pub struct Client;
            impl Client {
                pub fn new() -> Self { Client }
                pub fn list_files(&self) -> builder::ListFiles<'_> { builder::ListFiles::new(self) }
                pub fn list_models(&self) -> builder::ListModels<'_> { builder::ListModels::new(self) }
                pub fn both(&self) -> builder::Both<'_> { builder::Both::new(self) }
            }
            pub mod builder {
                use super::types;
                pub struct ListFiles<'a> { client: &'a super::Client }
                impl<'a> ListFiles<'a> { pub async fn send(self) -> types::FileList { todo!() } }
                pub struct ListModels<'a> { client: &'a super::Client }
                impl<'a> ListModels<'a> { pub async fn send(self) -> types::ModelList { todo!() } }
                pub struct Both<'a> { client: &'a super::Client }
            }
            impl crate::runtime::CursorPage for types::FileList { }
        };
        let mut rewrites = Vec::new();
        let (features, notes) = gate(&doc, &mut file, &surface, &mut rewrites);
        assert_eq!(
            features.all.iter().map(String::as_str).collect::<Vec<_>>(),
            ["files", "models", "other-types", "untagged"]
        );
        assert_eq!(notes.len(), 1);
        let files = "feature = \"files\"";
        assert_eq!(
            cfg_of(&file, "pub fn list_files").unwrap(),
            format!("# [cfg ({files})")
        );
        assert_eq!(
            cfg_of(&file, "pub struct ListFiles").unwrap(),
            format!("# [cfg ({files})")
        );
        assert_eq!(
            cfg_of(&file, "impl < 'a > ListFiles").unwrap(),
            format!("# [cfg ({files})")
        );
        assert_eq!(
            cfg_of(&file, "pub struct FileList").unwrap(),
            format!("# [cfg ({files})")
        );
        assert_eq!(
            cfg_of(&file, "pub struct File {").unwrap(),
            format!("# [cfg ({files})")
        );
        // The serde helper only `FileList` names, through a string.
        assert_eq!(
            cfg_of(&file, "fn as_written").unwrap(),
            format!("# [cfg ({files})")
        );
        // Impls of a type, inside `mod types` and out.
        assert_eq!(
            cfg_of(&file, "impl :: std :: convert :: From").unwrap(),
            format!("# [cfg ({files})")
        );
        assert_eq!(
            cfg_of(&file, "impl crate :: runtime :: CursorPage").unwrap(),
            format!("# [cfg ({files})")
        );
        // Reached by two tags and by a type nothing uses: any of them.
        assert_eq!(
            cfg_of(&file, "pub struct Shared").unwrap(),
            "# [cfg (any (feature = \"files\" , feature = \"models\" , feature = \"other-types\"))"
        );
        assert_eq!(
            cfg_of(&file, "pub struct Unused").unwrap(),
            "# [cfg (feature = \"other-types\")"
        );
        // Not gated: the constructor, the error type.
        assert_eq!(cfg_of(&file, "pub fn new"), None);
        assert_eq!(cfg_of(&file, "pub struct ConversionError"), None);
        assert_eq!(
            cfg_of(&file, "pub fn both").unwrap(),
            "# [cfg (feature = \"untagged\")"
        );
    }

    #[test]
    fn types_every_tag_reaches_stay_ungated() {
        let doc = serde_json::json!({"paths": {"/a": {"get": {"tags": ["A"]}}}});
        let mut surface = Surface::default();
        surface.operations.insert("get_a".into(), op("GET", "/a"));
        let mut file: syn::File = syn::parse_quote! {
            pub mod types { pub struct A { pub x: i64 } }
            pub struct Client;
            impl Client { pub fn get_a(&self) -> builder::GetA<'_> { todo!() } }
            pub mod builder { pub struct GetA<'a> { body: types::A, c: &'a () } }
        };
        gate(&doc, &mut file, &surface, &mut Vec::new());
        assert_eq!(cfg_of(&file, "pub struct A"), None);
        assert_eq!(
            cfg_of(&file, "pub fn get_a").unwrap(),
            "# [cfg (feature = \"a\")"
        );
    }
}
