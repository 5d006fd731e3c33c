//! `references`: every `$ref` names a component, as progenitor and typify
//! require (`#/components/<kind>/<name>`).
//!
//! A `$ref` is a URI whose fragment is a JSON pointer to *any* node of the
//! document. Two rules make every such reference one progenitor reads:
//!
//! * **Decoded**: a percent-encoded fragment (`#/components/schemas/Foo%20Bar`)
//!   is decoded; progenitor matches component names as written.
//! * **Hoisted**: a reference to any other place (a schema defined inside
//!   another operation's response, `#/paths/~1orders/get/responses/404/content/application~1json/schema`;
//!   a property of a component, `#/components/schemas/A/properties/b`; a
//!   parameter of another operation) refers to what is defined there. That
//!   node becomes a component of its kind (schemas, parameters, responses,
//!   request bodies, headers, examples) under a free name derived from
//!   where it was; the place it was defined refers to the new component,
//!   and so does every reference to it. A reference into a hoisted node is
//!   rewritten to point into the component and hoisted in turn, so the
//!   rule holds for pointers of any depth. A reference to a node that is
//!   itself a `$ref` points at that reference's target instead.
//!
//! Nothing is lost: each node keeps its content and every place that used
//! it uses the same type. Unresolvable references are left to `validate`,
//! which reports them.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::Normalized;
use crate::naming::{Case, Names};
use crate::walk;

/// Run both rules.
pub(super) fn rewrite(n: &mut Normalized) {
    decode(n);
    hoist(n);
}

/// Percent-encoded fragments decoded.
fn decode(n: &mut Normalized) {
    let mut count = 0;
    walk::references_mut(&mut n.value, &mut |r| {
        if let Some(decoded) = walk::decoded_reference(r) {
            *r = decoded;
            count += 1;
        }
    });
    if count > 0 {
        n.change(
            "references",
            format!("{count} percent-encoded references decoded"),
        );
    }
}

/// The RFC 6901 tokens of a local reference's pointer (`#/a/b~1c` ->
/// `[a, b/c]`), or `None` for an external one.
pub(super) fn tokens(reference: &str) -> Option<Vec<String>> {
    let pointer = reference.strip_prefix('#')?;
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    let pointer = pointer.strip_prefix('/')?;
    Some(pointer.split('/').map(walk::unescape_token).collect())
}

/// `#/` + tokens, escaped.
pub(super) fn reference(tokens: &[String]) -> String {
    let mut out = String::from("#");
    for t in tokens {
        out.push('/');
        out.push_str(&walk::escape_token(t));
    }
    out
}

/// The component kinds OpenAPI 3.0 defines that references may name.
const KINDS: [&str; 6] = [
    "schemas",
    "parameters",
    "responses",
    "requestBodies",
    "headers",
    "examples",
];

/// Whether tokens name a component itself: `components/<kind>/<name>`.
fn is_component(tokens: &[String]) -> bool {
    tokens.len() == 3 && tokens[0] == "components" && KINDS.contains(&tokens[1].as_str())
}

/// The component kind of the node at `tokens`, from where it sits: a
/// parameter list entry, a response, a request body, a header, an example;
/// anything else is a schema (a `schema`, a property, an item, a member).
fn kind_of(tokens: &[String]) -> &'static str {
    let n = tokens.len();
    let parent = |k: usize| (n > k).then(|| tokens[n - 1 - k].as_str());
    if tokens.last().is_some_and(|t| t == "requestBody") {
        return "requestBodies";
    }
    // Inside a schema, `properties/parameters` is a property named so.
    let in_schema = tokens.iter().any(|t| {
        matches!(
            t.as_str(),
            "schema" | "properties" | "items" | "allOf" | "anyOf" | "oneOf"
        )
    }) || (n >= 2 && tokens[0] == "components" && tokens[1] == "schemas");
    if in_schema {
        return "schemas";
    }
    match parent(1) {
        Some("parameters") if tokens[n - 1].parse::<usize>().is_ok() => "parameters",
        Some("responses") => "responses",
        Some("headers") => "headers",
        Some("examples") => "examples",
        _ => "schemas",
    }
}

/// A name for the node at `tokens`, from where it was: the operation's id
/// (or method and path) and the keys below it that say what it is
/// (`get-orders-404`, `A-b`).
fn base_name(root: &Value, tokens: &[String]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut rest = tokens;
    if tokens.len() >= 3 && tokens[0] == "paths" && walk::METHODS.contains(&tokens[2].as_str()) {
        let op = &root["paths"][&tokens[1]][&tokens[2]];
        match op.get("operationId").and_then(Value::as_str) {
            Some(id) => parts.push(id.to_owned()),
            None => {
                parts.push(tokens[2].clone());
                parts.push(tokens[1].clone());
            }
        }
        rest = &tokens[3..];
    } else if tokens.len() >= 2 && tokens[0] == "paths" {
        parts.push(tokens[1].clone());
        rest = &tokens[2..];
    } else if tokens.len() >= 3 && tokens[0] == "components" {
        parts.push(tokens[2].clone());
        rest = &tokens[3..];
    }
    for t in rest {
        let noise = t.contains('/')
            || matches!(
                t.as_str(),
                "content" | "schema" | "properties" | "responses" | "requestBody"
            );
        if !noise {
            parts.push(t.clone());
        }
    }
    let name: String = parts
        .join("-")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let name = name.trim_matches('-').to_owned();
    if name.is_empty() { "Node".into() } else { name }
}

/// References to places that are not components become references to
/// components made of those places.
fn hoist(n: &mut Normalized) {
    let mut hoisted = Vec::new();
    let mut redirected = 0;
    // Each round handles the shortest pointer not naming a component;
    // pointers into it are then rewritten to point into the component.
    // Bounded: every round removes one non-component target or ends.
    let mut seen: BTreeSet<String> = BTreeSet::new();
    loop {
        let target = walk::references(&n.value)
            .into_iter()
            .filter_map(|(_, r)| tokens(&r).map(|t| (r, t)))
            .filter(|(r, t)| !is_component(t) && !seen.contains(r))
            .filter(|(r, _)| walk::resolve(&n.value, r).is_some())
            .min_by_key(|(r, t)| (t.len(), r.clone()));
        let Some((target, target_tokens)) = target else {
            break;
        };
        seen.insert(target.clone());
        let node = walk::resolve(&n.value, &target)
            .cloned()
            .unwrap_or_default();
        // A reference to a reference: point at its target.
        if let Some(next) = node.get("$ref").and_then(Value::as_str)
            && node.as_object().is_some_and(|o| o.len() == 1)
        {
            let next = next.to_owned();
            walk::references_mut(&mut n.value, &mut |r| {
                if *r == target {
                    *r = next.clone();
                    redirected += 1;
                }
            });
            continue;
        }
        // The document or a path item: not something a component can be
        // (`validate` reports a path item by `$ref`).
        if target_tokens.len() < 3 && target_tokens.first().is_none_or(|t| t == "paths") {
            continue;
        }
        let kind = kind_of(&target_tokens);
        // Names of every kind are given out as Rust type names: schemas
        // become types, and the others are named apart all the same.
        let mut taken = Names::new(
            Case::Pascal,
            n.value["components"][kind]
                .as_object()
                .into_iter()
                .flat_map(|m| m.keys().map(String::as_str)),
        );
        let name = taken.allocate(&base_name(&n.value, &target_tokens), "-");
        let new_tokens = vec!["components".to_owned(), kind.to_owned(), name.clone()];
        let new_ref = reference(&new_tokens);
        // Move the node: the component holds it, its place refers to it.
        let pointer = target.trim_start_matches('#').to_owned();
        if let Some(place) = n.value.pointer_mut(&pointer) {
            *place = json!({ "$ref": new_ref });
        }
        insert_component(&mut n.value, kind, &name, node);
        // Every reference to it, or into it, follows.
        walk::references_mut(&mut n.value, &mut |r| {
            if let Some(t) = tokens(r)
                && t.starts_with(&target_tokens)
            {
                let mut moved = new_tokens.clone();
                moved.extend_from_slice(&t[target_tokens.len()..]);
                *r = reference(&moved);
            }
        });
        hoisted.push(format!("{target} -> {new_ref}"));
    }
    if redirected > 0 {
        n.change(
            "references",
            format!("{redirected} references to a reference point at its target"),
        );
    }
    for h in hoisted {
        n.change(
            "references",
            format!("{h} (a reference to a place that is not a component names one)"),
        );
    }
}

/// `components.<kind>.<name> = node`, creating the maps as needed.
fn insert_component(root: &mut Value, kind: &str, name: &str, node: Value) {
    let Some(doc) = root.as_object_mut() else {
        return;
    };
    let components = doc.entry("components").or_insert_with(|| json!({}));
    let Some(components) = components.as_object_mut() else {
        return;
    };
    let kinds = components.entry(kind).or_insert_with(|| json!({}));
    if let Some(kinds) = kinds.as_object_mut() {
        kinds.insert(name.to_owned(), node);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::config::Config;

    fn run(yaml: &str) -> super::Normalized {
        let doc = crate::load::load_bytes(yaml.as_bytes(), "t.yaml").unwrap();
        super::super::normalize(&doc, &Config::default())
    }

    #[test]
    fn references_into_paths_and_components_name_components() {
        let n = run(r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /orders:
    get:
      operationId: get-orders
      responses:
        "404":
          description: no
          content:
            application/json:
              schema:
                type: object
                properties:
                  reason: {oneOf: [{type: string}, {allOf: [{type: object, properties: {code: {type: integer}}}]}]}
  /returns:
    get:
      operationId: get-returns
      parameters:
        - $ref: "#/paths/~1items/get/parameters/0"
      responses:
        "404":
          description: no
          content:
            application/json:
              schema: {$ref: "#/paths/~1orders/get/responses/404/content/application~1json/schema"}
        "500":
          description: no
          content:
            application/json:
              schema: {$ref: "#/paths/~1orders/get/responses/404/content/application~1json/schema/properties/reason/oneOf/1/allOf/0"}
  /items:
    get:
      operationId: get-items
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/A/properties/b"}
components:
  schemas:
    A: {type: object, properties: {b: {type: string}}}
"##);
        assert!(n.problems.is_empty(), "{:?}", n.problems);
        let v = &n.value;
        // Every reference now names a component, and resolves.
        for (_, r) in crate::walk::references(v) {
            let t = super::tokens(&r).unwrap();
            assert!(super::is_component(&t), "{r}");
            assert!(crate::walk::resolve(v, &r).is_some(), "{r}");
        }
        let schemas = &v["components"]["schemas"];
        assert_eq!(schemas["get-orders-404"]["type"], "object");
        // The place of definition and the user share the component.
        assert_eq!(
            v["paths"]["/orders"]["get"]["responses"]["404"]["content"]["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/get-orders-404"})
        );
        assert_eq!(
            v["paths"]["/returns"]["get"]["responses"]["404"]["content"]["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/get-orders-404"})
        );
        // A pointer into the hoisted schema is hoisted in turn.
        // (The 500 body differs from the 404 one: the `responses` step
        // lists it in the operation's marker.)
        let deep =
            v["paths"]["/returns"]["get"]["x-codegen-responses"]["error"][1]["schema"]["$ref"]
                .as_str()
                .unwrap_or_else(|| panic!("{:#}", v["paths"]["/returns"]));
        let deep_schema = crate::walk::resolve(v, deep).unwrap();
        assert_eq!(deep_schema["properties"]["code"]["type"], "integer");
        // A property of a component.
        assert_eq!(schemas["A-b"], json!({"type": "string"}));
        assert_eq!(
            schemas["A"]["properties"]["b"],
            json!({"$ref": "#/components/schemas/A-b"})
        );
        // A parameter of another operation becomes a component parameter.
        assert_eq!(
            v["components"]["parameters"]["get-items-parameters-0"]["name"],
            "limit"
        );
        assert!(n.changes.iter().any(|c| c.step == "references"));
    }

    #[test]
    fn component_references_are_left_alone() {
        let n = run(r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    A: {type: object, properties: {b: {$ref: "#/components/schemas/B"}}}
    B: {type: string}
"##);
        assert!(
            n.changes.iter().all(|c| c.step != "references"),
            "{:?}",
            n.changes
        );
    }
}
