//! `select` (with consent in `codegen.toml`): keep only the operations
//! `[select]` names (by tag, path prefix, operationId, exclusions); `prune`:
//! drop component schemas nothing kept refers to.

use std::collections::BTreeSet;

use serde_json::Value;

use super::Normalized;
use crate::config::Config;
use crate::walk::{self};

/// `select`: keep the configured operations only.
pub(super) fn select(n: &mut Normalized, config: &Config) {
    let s = &config.select;
    if !s.is_active() && s.exclude_operations.is_empty() {
        return;
    }
    let mut dropped = Vec::new();
    for op in walk::operations(&n.value) {
        let tags = walk::operation(&n.value, &op)
            .and_then(|o| o.get("tags"))
            .and_then(Value::as_array);
        let has_tag = |t: &str| tags.is_some_and(|ts| ts.iter().any(|x| x.as_str() == Some(t)));
        let id = op.id.as_deref().unwrap_or_default();
        let chosen = !s.is_active()
            || s.tags.iter().any(|t| has_tag(t))
            || s.path_prefixes
                .iter()
                .any(|p| op.path.starts_with(p.as_str()))
            || s.operations.iter().any(|o| o == id);
        if !chosen || s.exclude_operations.iter().any(|o| o == id) {
            dropped.push(op);
        }
    }
    for op in &dropped {
        if let Some(Value::Object(item)) =
            n.value.get_mut("paths").and_then(|p| p.get_mut(&op.path))
        {
            item.shift_remove(&op.method);
        }
    }
    if let Some(Value::Object(paths)) = n.value.get_mut("paths") {
        paths.retain(|_, item| walk::METHODS.iter().any(|m| item.get(*m).is_some()));
    }
    if !dropped.is_empty() {
        n.change(
            "select",
            format!(
                "{} operations not selected by codegen.toml [select]",
                dropped.len()
            ),
        );
    }
}

/// `prune`: drop component schemas nothing kept refers to.
pub(super) fn prune(n: &mut Normalized) {
    let removed = prune_unused(&mut n.value);
    if removed > 0 {
        n.change(
            "select",
            format!("pruned {removed} unused component schemas"),
        );
    }
}

/// Remove component schemas that nothing outside `components.schemas`
/// reaches (through any chain of `$ref`s); returns how many were removed.
pub fn prune_unused(value: &mut Value) -> usize {
    let mut reachable: BTreeSet<String> = BTreeSet::new();
    let mut queue: Vec<String> = Vec::new();
    let collect = |v: &Value, queue: &mut Vec<String>| {
        walk::visit(v, "", &mut |_, node| {
            if let Some(r) = node.get("$ref").and_then(Value::as_str) {
                queue.push(r.to_owned());
            }
        });
    };
    let mut roots = value.clone();
    if let Some(Value::Object(c)) = roots.get_mut("components") {
        c.shift_remove("schemas");
    }
    collect(&roots, &mut queue);
    while let Some(r) = queue.pop() {
        if reachable.insert(r.clone())
            && let Some(target) = walk::resolve(value, &r)
        {
            let target = target.clone();
            collect(&target, &mut queue);
        }
    }
    match value
        .get_mut("components")
        .and_then(|c| c.get_mut("schemas"))
    {
        Some(Value::Object(schemas)) => {
            let before = schemas.len();
            schemas.retain(|name, _| reachable.contains(&format!("#/components/schemas/{name}")));
            before - schemas.len()
        }
        _ => 0,
    }
}
