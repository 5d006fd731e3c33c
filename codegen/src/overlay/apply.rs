//! Step **apply**: one action on the spec: select its target nodes, then
//! merge into, append to, replace or remove each.

use serde_json::{Map, Value};
use serde_json_path::PathElement;

use super::{Action, Kind, Overlay};
use crate::{Error, load};

/// One step of a path to a node: a key of an object or an index of an array.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Seg {
    Key(String),
    Index(usize),
}

/// Apply `action` of `overlay` to `spec`; the spec paths it touched, in the
/// order the target selected them.
pub fn action(spec: &mut Value, overlay: &Overlay, action: &Action) -> Result<Vec<String>, Error> {
    let fail = |field: &str, message: String, hint: &str| {
        Error::Spec(vec![
            overlay
                .diagnostic(&format!("actions[{}].{field}", action.index), message)
                .hint(hint.to_owned()),
        ])
    };
    let i = action.index;
    let target = &action.target_text;
    let selected: Vec<Vec<Seg>> = action
        .target
        .query_located(spec)
        .locations()
        .map(|path| {
            path.iter()
                .map(|e| match e {
                    PathElement::Name(n) => Seg::Key((*n).to_owned()),
                    PathElement::Index(i) => Seg::Index(*i),
                })
                .collect()
        })
        .collect();
    if selected.is_empty() {
        return Err(fail(
            "target",
            format!("action {i}: target `{target}` selects nothing in the spec"),
            "the spec changed under this fix: correct the target, or delete the action if the spec no longer needs it",
        ));
    }
    let touched = selected.iter().map(|p| spec_path(p)).collect();
    let value = match &action.kind {
        Kind::Remove => {
            if selected.iter().any(Vec::is_empty) {
                return Err(fail(
                    "target",
                    format!(
                        "action {i}: target `{target}` selects the whole document, which cannot be removed"
                    ),
                    "select the nodes to remove inside the document",
                ));
            }
            // Deepest and last first, so that removing one node never moves
            // another that is still to be removed (array indices shift).
            let mut order = selected;
            order.sort();
            order.dedup();
            for path in order.iter().rev() {
                remove(spec, path);
            }
            return Ok(touched);
        }
        Kind::Update(value) => value.clone(),
        Kind::Copy { from, from_text } => {
            let found = from.query(spec).all();
            match found.as_slice() {
                [one] => (*one).clone(),
                _ => {
                    return Err(fail(
                        "copy",
                        format!(
                            "action {i}: `copy` `{from_text}` selects {} nodes; it must select exactly one",
                            found.len()
                        ),
                        "point `copy` at the one node to copy",
                    ));
                }
            }
        }
    };
    for path in &selected {
        let Some(node) = get_mut(spec, path) else {
            continue;
        };
        update(node, &value, &spec_path(path)).map_err(|message| {
            fail(
                "target",
                format!("action {i} (`{target}`): {message}"),
                "objects merge into objects, arrays into arrays, and a value replaces a value of another kind only when neither is an object or an array",
            )
        })?;
    }
    Ok(touched)
}

/// The node at `path`, if it is still there.
fn get_mut<'a>(mut node: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    for seg in path {
        node = match (node, seg) {
            (Value::Object(map), Seg::Key(k)) => map.get_mut(k)?,
            (Value::Array(items), Seg::Index(i)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(node)
}

/// Remove the node at `path` (not empty) from its parent, if it is there.
fn remove(spec: &mut Value, path: &[Seg]) {
    let Some((last, parent)) = path.split_last() else {
        return;
    };
    match (get_mut(spec, parent), last) {
        (Some(Value::Object(map)), Seg::Key(k)) => {
            map.shift_remove(k);
        }
        (Some(Value::Array(items)), Seg::Index(i)) if *i < items.len() => {
            items.remove(*i);
        }
        _ => {}
    }
}

/// `update` applied to one selected node: an object merges, an array
/// appends it, any other value is replaced by it.
fn update(node: &mut Value, update: &Value, at: &str) -> Result<(), String> {
    match (node, update) {
        (Value::Object(target), Value::Object(with)) => merge(target, with, at),
        (Value::Array(items), value) => {
            items.push(value.clone());
            Ok(())
        }
        (Value::Object(_), other) => Err(format!(
            "`{}` is an object; the update is {}, which cannot be merged into it",
            show(at),
            load::kind(other)
        )),
        (node, value) => {
            *node = value.clone();
            Ok(())
        }
    }
}

/// Merge `with` into `target`: new properties are added; objects merge
/// recursively, arrays are concatenated, other values replaced; an object
/// or array meeting a value of another kind is an error.
fn merge(
    target: &mut Map<String, Value>,
    with: &Map<String, Value>,
    at: &str,
) -> Result<(), String> {
    for (key, new) in with {
        let here = load::join_key(at, key);
        match (target.get_mut(key), new) {
            (None, _) => {
                target.insert(key.clone(), new.clone());
            }
            (Some(Value::Object(old)), Value::Object(new)) => merge(old, new, &here)?,
            (Some(Value::Array(old)), Value::Array(new)) => old.extend(new.iter().cloned()),
            (Some(old), new) if !is_container(old) && !is_container(new) => *old = new.clone(),
            (Some(old), new) => {
                return Err(format!(
                    "`{here}` is {} and the update gives {}: they cannot be merged",
                    load::kind(old),
                    load::kind(new)
                ));
            }
        }
    }
    Ok(())
}

fn is_container(v: &Value) -> bool {
    v.is_object() || v.is_array()
}

fn show(path: &str) -> &str {
    if path.is_empty() {
        "the document"
    } else {
        path
    }
}

/// A path as the spec's diagnostics write it: `components.schemas.A.required[0]`.
fn spec_path(path: &[Seg]) -> String {
    path.iter().fold(String::new(), |acc, seg| match seg {
        Seg::Key(k) => load::join_key(&acc, k),
        Seg::Index(i) => load::join_index(&acc, *i),
    })
}
