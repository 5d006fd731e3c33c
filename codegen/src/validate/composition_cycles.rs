//! Rule: **a schema must not contain itself through composition alone.**
//!
//! A schema that reaches itself through `$ref` and `allOf`/`anyOf`/`oneOf`/
//! `not` with no object property, array item or map value on the way
//! (`A: {allOf: [{$ref: A}, ...]}`, or `A: allOf [B]` with `B: anyOf [A]`)
//! describes no finite type: resolving it never ends. typify (and every
//! step that merges `allOf`) would recurse until the stack overflows, which
//! aborts the process with no message. Recursion *under* a property or an
//! item is an ordinary recursive type (a tree) and is not a cycle here.
//!
//! Where the meaning is clear, `normalize` rewrites instead of refusing: a
//! schema listing its own reference as a direct `allOf` or `anyOf` member
//! means the other members (`A = A ∧ X` and `A = A ∨ X` are both `X`),
//! so those members are skipped here and removed by `self-members`. Every
//! other cycle is reported, located at its first reference, with the chain.
//!
//! Pure reference chains (`A: {$ref: B}`, `B: {$ref: A}`) are reported by
//! the reference check of [`super::validate`] and not again here.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::Diagnostic;
use crate::load::{Document, join_index, join_key};
use crate::walk;

/// Keywords whose members are the schema itself, combined: no value nests.
const COMPOSITIONS: [&str; 3] = ["allOf", "anyOf", "oneOf"];

/// One step of a chain: the `$ref` at `at` (a document path) names `target`.
#[derive(Debug, Clone)]
struct Edge {
    at: String,
    target: String,
    /// Whether the step goes through a composition keyword (not only a
    /// schema that is a bare `$ref`).
    composed: bool,
}

/// The direct members of `schema`'s `allOf`/`anyOf` that are only a
/// reference to `own` (the pointer `schema` itself sits at): what the
/// `self-members` rewrite removes.
pub fn is_self_member(root: &Value, own: &str, keyword: &str, member: &Value) -> bool {
    matches!(keyword, "allOf" | "anyOf")
        && member.as_object().is_some_and(|m| m.len() == 1)
        && member
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(walk::reference_pointer)
            .is_some_and(|p| p == own)
        && root.pointer(own).is_some()
}

/// The references `schema` (at document path `path`, JSON pointer `own`)
/// reaches without passing a property, an item or a map value.
/// `top`: `schema` is the node at `own` itself (its direct members are the
/// ones `self-members` may remove).
fn edges(root: &Value, own: &str, schema: &Value, path: &str, top: bool, out: &mut Vec<Edge>) {
    let Some(map) = schema.as_object() else {
        return;
    };
    if let Some(target) = map
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(walk::reference_pointer)
    {
        out.push(Edge {
            at: join_key(path, "$ref"),
            target: target.into_owned(),
            composed: !top,
        });
    }
    for keyword in COMPOSITIONS {
        if let Some(Value::Array(members)) = map.get(keyword) {
            for (i, member) in members.iter().enumerate() {
                // Only the schema's own top-level members are rewritten.
                if top && is_self_member(root, own, keyword, member) {
                    continue;
                }
                let at = join_index(&join_key(path, keyword), i);
                edges(root, own, member, &at, false, out);
            }
        }
    }
    if let Some(not) = map.get("not") {
        edges(root, own, not, &join_key(path, "not"), false, out);
    }
}

/// The document path (`components.schemas.A`) of a JSON pointer, with
/// sequence indices where the document has sequences.
fn document_path(root: &Value, pointer: &str) -> Option<String> {
    let mut path = String::new();
    let mut node = root;
    for token in pointer.split('/').skip(1) {
        let token = walk::unescape_token(token);
        match node {
            Value::Object(map) => {
                node = map.get(&token)?;
                path = join_key(&path, &token);
            }
            Value::Array(items) => {
                let i: usize = token.parse().ok()?;
                node = items.get(i)?;
                path = join_index(&path, i);
            }
            _ => return None,
        }
    }
    Some(path)
}

/// Report every cycle of composition in `doc`.
pub(super) fn check(doc: &Document, out: &mut Vec<Diagnostic>) {
    let root = &doc.value;
    // Every schema a reference names is a node; its edges are found once.
    let mut graph: BTreeMap<String, Vec<Edge>> = BTreeMap::new();
    let mut pending: Vec<String> = walk::references(root)
        .into_iter()
        .filter_map(|(_, r)| walk::reference_pointer(&r).map(|p| p.into_owned()))
        .collect();
    while let Some(pointer) = pending.pop() {
        if graph.contains_key(&pointer) {
            continue;
        }
        let mut found = Vec::new();
        if let (Some(schema), Some(path)) = (root.pointer(&pointer), document_path(root, &pointer))
        {
            edges(root, &pointer, schema, &path, true, &mut found);
        }
        pending.extend(found.iter().map(|e| e.target.clone()));
        graph.insert(pointer, found);
    }

    // Depth-first from every node, without recursion (a chain of thousands
    // of components must not overflow here either): a back edge to a node
    // on the current chain closes a cycle.
    let mut done: BTreeSet<&str> = BTreeSet::new();
    let mut reported: BTreeSet<Vec<String>> = BTreeSet::new();
    for start in graph.keys() {
        if done.contains(start.as_str()) {
            continue;
        }
        // (node, index of the next edge to follow, edge that led here)
        let mut stack: Vec<(&str, usize, Option<&Edge>)> = vec![(start, 0, None)];
        while let Some(top) = stack.last_mut() {
            let (node, next) = (top.0, top.1);
            let Some(edge) = graph.get(node).and_then(|e| e.get(next)) else {
                done.insert(node);
                stack.pop();
                continue;
            };
            top.1 += 1;
            if let Some(i) = stack.iter().position(|(n, _, _)| *n == edge.target) {
                let mut chain: Vec<&Edge> = stack[i + 1..].iter().filter_map(|s| s.2).collect();
                chain.push(edge);
                report(doc, stack[i].0, &chain, &mut reported, out);
            } else if !done.contains(edge.target.as_str()) && graph.contains_key(&edge.target) {
                stack.push((edge.target.as_str(), 0, Some(edge)));
            }
        }
    }
}

fn report(
    doc: &Document,
    start: &str,
    chain: &[&Edge],
    reported: &mut BTreeSet<Vec<String>>,
    out: &mut Vec<Diagnostic>,
) {
    if !chain.iter().any(|e| e.composed) {
        return; // a pure reference cycle: reported by the reference check
    }
    // One report per cycle, whichever node the search entered it by.
    let mut key: Vec<String> = chain.iter().map(|e| e.at.clone()).collect();
    key.sort();
    if !reported.insert(key) {
        return;
    }
    let names: Vec<String> = std::iter::once(format!("#{start}"))
        .chain(chain.iter().map(|e| format!("{} -> #{}", e.at, e.target)))
        .collect();
    let first = chain[0];
    out.push(
        doc.diagnostic(
            &first.at,
            format!(
                "schema `#{start}` contains itself through composition alone, with no property or item between: {}",
                names.join(", ")
            ),
        )
        .hint(
            "no finite value has this type; put the recursion under a property or an array item, \
             or remove one of these references (in an overlay: an action whose `target` is the member, with `remove: true`)",
        ),
    );
}

#[cfg(test)]
mod tests {
    use crate::load::load_bytes;

    fn found(schemas: &str) -> Vec<String> {
        let yaml = format!(
            "openapi: 3.0.0\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}"
        );
        let doc = load_bytes(yaml.as_bytes(), "s.yaml").unwrap();
        let mut out = Vec::new();
        super::check(&doc, &mut out);
        out.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_direct_all_of_or_any_of_self_member_is_left_to_the_rewrite() {
        let f = found(
            "    A: {allOf: [{$ref: '#/components/schemas/A'}, {type: object}]}\n    B: {anyOf: [{$ref: '#/components/schemas/B'}, {type: string}]}\n",
        );
        assert_eq!(f, Vec::<String>::new());
    }

    #[test]
    fn cycles_through_composition_are_located_once_each() {
        let f = found(concat!(
            "    A: {oneOf: [{$ref: '#/components/schemas/A'}, {type: string}]}\n",
            "    B: {allOf: [{$ref: '#/components/schemas/C'}]}\n",
            "    C: {anyOf: [{type: string}, {allOf: [{$ref: '#/components/schemas/B'}]}]}\n",
            "    D: {not: {$ref: '#/components/schemas/D'}}\n",
        ));
        assert_eq!(f.len(), 3, "{f:#?}");
        assert!(
            f[0].starts_with("s.yaml:6:18: at `components.schemas.A.oneOf[0].$ref`: schema `#/components/schemas/A` contains itself"),
            "{f:#?}"
        );
        assert!(
            f[1].contains("components.schemas.B.allOf[0].$ref -> #/components/schemas/C, components.schemas.C.anyOf[1].allOf[0].$ref -> #/components/schemas/B"),
            "{f:#?}"
        );
        assert!(f[2].contains("components.schemas.D.not.$ref"), "{f:#?}");
        assert!(f.iter().all(|d| d.contains("hint: no finite value")));
    }

    #[test]
    fn recursion_under_a_property_or_an_item_is_a_tree_not_a_cycle() {
        let f = found(concat!(
            "    Node: {allOf: [{type: object, properties: {kids: {type: array, items: {$ref: '#/components/schemas/Node'}}}}]}\n",
            "    Map: {oneOf: [{type: object, additionalProperties: {$ref: '#/components/schemas/Map'}}, {type: string}]}\n",
        ));
        assert_eq!(f, Vec::<String>::new());
    }

    #[test]
    fn a_long_acyclic_chain_does_not_exhaust_the_stack() {
        // 20 000 components, each the `allOf` of the next: deep, but finite.
        let mut schemas = String::new();
        for i in 0..20_000 {
            schemas.push_str(&format!(
                "    S{i}: {{allOf: [{{$ref: '#/components/schemas/S{}'}}]}}\n",
                i + 1
            ));
        }
        schemas.push_str("    S20000: {type: string}\n");
        assert_eq!(found(&schemas), Vec::<String>::new());
        // Closing it makes one cycle, reported once.
        let closed = schemas.replace(
            "S20000: {type: string}",
            "S20000: {allOf: [{$ref: '#/components/schemas/S0'}]}",
        );
        assert_eq!(found(&closed).len(), 1);
    }
}
