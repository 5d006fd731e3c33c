//! Stage **overlay**: the user's fixes to a vendor's spec, applied to the
//! document as loaded, before anything reads it.
//!
//! An overlay is an [OpenAPI Overlay](https://spec.openapis.org/overlay/v1.1.0.html)
//! document (1.0.x or 1.1.x): a list of actions, each selecting nodes of
//! the spec with an RFC 9535 JSONPath `target` (filters included:
//! `$.components.schemas.Error.required[?@ == 'param']`) and then
//!
//! | field | what it does to each selected node |
//! |---|---|
//! | `update: V` | an object: `V`'s properties are merged in (objects recursively, arrays appended, other values replaced); an array: `V` is appended; any other value: replaced by `V` |
//! | `remove: true` | removed from the object or array that holds it |
//! | `copy: P` (1.1) | as `update`, with the value of the one node the JSONPath `P` selects |
//!
//! The user owns the overlay: it lives beside the spec (`[spec] overlays`
//! in `codegen.toml`, or `cargo xtask generate --overlay F`), survives
//! re-vendoring, and is reviewed as a diff. The generator never applies
//! anything the user did not write.
//!
//! Rules (each an error located in the overlay file, `file:line:column`,
//! with the action's index and target; nothing is written):
//! - a malformed overlay (not 1.0.x/1.1.x, no `actions`, an action with no
//!   `target`, or none of `update`/`remove`/`copy`, a JSONPath that does
//!   not parse);
//! - an action whose target selects nothing (the spec changed under the
//!   fix: say so rather than silently doing nothing);
//! - a merge of incompatible values (an object into an array, say), a
//!   `copy` that selects no node or several, removing the document itself;
//! - a result that is no longer a valid spec: each problem validation finds
//!   that the spec alone does not have is reported at the last action that
//!   touched the node.
//!
//! Steps, a file each: [`parse`] (the overlay document into [`Action`]s)
//! and [`apply`] (selecting, merging, removing, copying).

pub mod apply;
pub mod parse;

use serde_json::Value;

use crate::{Diagnostic, Error, load};

/// An overlay document, read and checked, ready to apply.
#[derive(Debug)]
pub struct Overlay {
    /// The overlay as read (text, positions, SHA-256 of its bytes).
    pub doc: load::Document,
    /// 1.0.x or 1.1.x.
    pub version: Version,
    /// The actions, in order.
    pub actions: Vec<Action>,
}

/// The Overlay Specification version a document declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// 1.0.x: `update` and `remove`.
    V1_0,
    /// 1.1.x: also `copy`.
    V1_1,
}

/// One action of an overlay.
#[derive(Debug)]
pub struct Action {
    /// Its index in `actions`.
    pub index: usize,
    /// The JSONPath selecting the nodes it changes.
    pub target: serde_json_path::JsonPath,
    /// The target as written.
    pub target_text: String,
    /// The action's `description`, if any.
    pub description: Option<String>,
    /// What it does.
    pub kind: Kind,
}

/// What an action does to each node its target selects.
#[derive(Debug)]
pub enum Kind {
    /// Merge (objects), append (arrays) or replace (other values).
    Update(Value),
    /// Remove the node from its parent.
    Remove,
    /// As `Update`, with the value of the one node this JSONPath selects.
    Copy {
        /// The JSONPath.
        from: serde_json_path::JsonPath,
        /// As written.
        from_text: String,
    },
}

impl Kind {
    /// The verb for reports.
    pub fn verb(&self) -> &'static str {
        match self {
            Kind::Update(_) => "updated",
            Kind::Remove => "removed",
            Kind::Copy { .. } => "copied into",
        }
    }
}

/// One action as applied: what the generation report lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The overlay file, as named in messages.
    pub overlay: String,
    /// The action's index.
    pub index: usize,
    /// Its target, as written.
    pub target: String,
    /// `updated`, `removed`, `copied into`.
    pub verb: &'static str,
    /// The nodes it touched, as spec paths (`components.schemas.Error`).
    pub touched: Vec<String>,
}

impl Applied {
    /// One line for the generation report.
    pub fn summary(&self) -> String {
        const SHOWN: usize = 4;
        let mut nodes = self
            .touched
            .iter()
            .take(SHOWN)
            .map(|p| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join(", ");
        if self.touched.len() > SHOWN {
            nodes.push_str(&format!(" and {} more", self.touched.len() - SHOWN));
        }
        format!(
            "{} action {} (`{}`): {} {} node{}: {nodes}",
            self.overlay,
            self.index,
            self.target,
            self.verb,
            self.touched.len(),
            if self.touched.len() == 1 { "" } else { "s" },
        )
    }
}

/// Where an overlay came from, for the generated header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The file as named in messages and the header (relative).
    pub display_path: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
}

impl Overlay {
    /// Its file and hash, for the header.
    pub fn source(&self) -> Source {
        Source {
            display_path: self.doc.display_path.clone(),
            sha256: self.doc.sha256.clone(),
        }
    }

    /// A diagnostic located at `path` of the overlay file.
    fn diagnostic(&self, path: &str, message: impl Into<String>) -> Diagnostic {
        self.doc.diagnostic(path, message)
    }
}

/// Read and check the overlay at `path` (`display` names it in messages).
pub fn load_file(path: &std::path::Path, display: &str) -> Result<Overlay, Error> {
    let doc = load::load_file(path, display)?;
    parse::parse(doc)
}

/// Apply `overlays` to `spec`, in order, each action in order. On an error
/// `spec` may be half changed: callers apply to their own copy and drop it.
///
/// After the last action, the result is validated; a problem the spec did
/// not have before is reported at the last action that touched its node.
pub fn apply_all(spec: &mut load::Document, overlays: &[Overlay]) -> Result<Vec<Applied>, Error> {
    if overlays.is_empty() {
        return Ok(Vec::new());
    }
    // Validation reads the document in place: no copy of a large spec.
    let before = problems(spec);
    let mut applied = Vec::new();
    for overlay in overlays {
        for action in &overlay.actions {
            let touched = apply::action(&mut spec.value, overlay, action)?;
            applied.push(Applied {
                overlay: overlay.doc.display_path.clone(),
                index: action.index,
                target: action.target_text.clone(),
                verb: action.kind.verb(),
                touched,
            });
        }
    }
    let after = problems(spec);
    let new: Vec<_> = after.into_iter().filter(|p| !before.contains(p)).collect();
    if new.is_empty() {
        return Ok(applied);
    }
    Err(Error::Spec(
        new.into_iter()
            .map(|(path, message)| blame(overlays, &applied, &path, &message))
            .collect(),
    ))
}

/// What validation finds in `doc`, as (path, message) pairs.
fn problems(doc: &load::Document) -> Vec<(String, String)> {
    crate::validate::validate(doc)
        .into_iter()
        .map(|d| (d.path.unwrap_or_default(), d.message))
        .collect()
}

/// The problem at spec path `path`, located at the last action that touched
/// that node, one of its ancestors or one of its descendants (else the last
/// action of all).
fn blame(overlays: &[Overlay], applied: &[Applied], path: &str, message: &str) -> Diagnostic {
    let related = |touched: &String| within(path, touched) || within(touched, path);
    let culprit = applied
        .iter()
        .rev()
        .find(|a| a.touched.iter().any(related))
        .or(applied.last())
        .expect("apply_all has at least one action when it blames one");
    let overlay = overlays
        .iter()
        .find(|o| o.doc.display_path == culprit.overlay)
        .expect("every applied action comes from an overlay");
    let at = if path.is_empty() {
        "the document"
    } else {
        path
    };
    overlay
        .diagnostic(
            &format!("actions[{}].target", culprit.index),
            format!(
                "action {} (`{}`) leaves a spec that is no longer valid: at `{at}`: {message}",
                culprit.index, culprit.target
            ),
        )
        .hint("change the action so that the result is a valid OpenAPI document")
}

/// Whether spec path `inner` is `outer` or lies under it.
fn within(inner: &str, outer: &str) -> bool {
    outer.is_empty()
        || inner
            .strip_prefix(outer)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}
