//! Stage 2, **validate**: find what no rewrite can fix, before anything
//! else runs, and report every problem at once with its location.
//!
//! Checked here, on the document as written: the OpenAPI version, that
//! operationIds are unique, that every `$ref` is local, resolves
//! and is not a cycle of references, that no schema contains itself through
//! composition alone ([`composition_cycles`]), and that schema `type`s are
//! known.
//! What *can* be fixed (OpenAPI 3.1 constructs, a renamed path parameter,
//! and, with the user's consent, unsupported operations) is the job of
//! [`crate::normalize`], which reports what it cannot fix in the same form.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::Diagnostic;
use crate::load::{Document, join_key};
use crate::walk;

pub mod composition_cycles;

/// Types JSON Schema knows (`null` only in OpenAPI 3.1).
const TYPES: [&str; 7] = [
    "string", "number", "integer", "boolean", "array", "object", "null",
];

/// Every problem found in `doc`, in document order. Empty means "go ahead".
pub fn validate(doc: &Document) -> Vec<Diagnostic> {
    let root = &doc.value;
    let mut out = Vec::new();

    // A Swagger 2.0 document has been converted by now (`swagger2`); any
    // other `swagger` version is not one this workspace reads.
    if let Some(v) = root.get("swagger") {
        let v = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
        out.push(
            doc.diagnostic("swagger", format!("unsupported Swagger version `{v}`"))
                .hint("Swagger 2.0 and OpenAPI 3.0.x and 3.1.x are supported; convert it to one of them"),
        );
    } else {
        match root.get("openapi").and_then(Value::as_str) {
            Some(v) if v.starts_with("3.0.") || v.starts_with("3.1.") => {}
            Some(v) => out.push(
                doc.diagnostic("openapi", format!("unsupported OpenAPI version `{v}`"))
                    .hint("OpenAPI 3.0.x and 3.1.x are supported"),
            ),
            None => out.push(
                doc.diagnostic("openapi", "no `openapi` version string")
                    .hint("start the document with `openapi: 3.0.3`"),
            ),
        }
    }
    if let Some(paths) = root.get("paths")
        && !paths.is_object()
    {
        out.push(doc.diagnostic(
            "paths",
            "`paths` must be a mapping of path templates to path items",
        ));
    }

    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for op in walk::operations(root) {
        // An operation without an operationId is named by `normalize`
        // (`operation-ids`); only given ids must be unique.
        match &op.id {
            None => {}
            Some(id) => {
                if let Some(first) = seen.get(id) {
                    out.push(
                        doc.diagnostic(
                            &join_key(&op.at, "operationId"),
                            format!("operationId `{id}` is already used at `{first}`"),
                        )
                        .operation(id.clone())
                        .hint("operationIds must be unique: rename one of them"),
                    );
                } else {
                    seen.insert(id.clone(), op.at.clone());
                }
            }
        }
        if let Some(Value::Object(item)) = root.get("paths").and_then(|p| p.get(&op.path))
            && item.contains_key("$ref")
        {
            out.push(
                doc.diagnostic(
                    &join_key("paths", &op.path),
                    "path items given by `$ref` are not supported",
                )
                .hint("inline the path item"),
            );
        }
    }

    // References (where OpenAPI allows them; examples and extensions are
    // data): local, resolvable, not a cycle of references.
    walk::visit(root, "", &mut |path, v| {
        if let (Some(Value::Object(_)), true) = (Some(v), path.contains("schema")) {
            check_type(doc, path, v, &mut out);
        }
    });
    let refs = walk::references(root);
    for (path, r) in &refs {
        let at = join_key(path, "$ref");
        if !r.starts_with('#') {
            out.push(
                doc.diagnostic(&at, format!("external reference `{r}` is not supported"))
                    .hint("bundle the spec into one file first (e.g. `redocly bundle`)"),
            );
        } else if walk::resolve(root, r).is_none() {
            out.push(
                doc.diagnostic(&at, format!("reference `{r}` does not resolve"))
                    .hint("point it at an existing entry, e.g. `#/components/schemas/<Name>`"),
            );
        } else if let Some(cycle) = ref_cycle(root, r) {
            out.push(doc.diagnostic(&at, format!("reference cycle: {}", cycle.join(" -> ")))
                .hint("a schema must not be only a reference to itself; give one of them a definition"));
        }
    }
    composition_cycles::check(doc, &mut out);
    out
}

/// A chain of pure references that comes back to where it started.
fn ref_cycle(root: &Value, start: &str) -> Option<Vec<String>> {
    let mut chain = vec![start.to_owned()];
    let mut seen = BTreeSet::from([start.to_owned()]);
    let mut current = walk::resolve(root, start)?;
    while let Some(next) = current.get("$ref").and_then(Value::as_str) {
        chain.push(next.to_owned());
        if !seen.insert(next.to_owned()) {
            return Some(chain);
        }
        current = walk::resolve(root, next)?;
    }
    None
}

fn check_type(doc: &Document, path: &str, v: &Value, out: &mut Vec<Diagnostic>) {
    // Only schema objects: those under a `schema`/`schemas` key carry `type`
    // as a keyword, not as a property name (properties live in `properties`).
    if path.ends_with(".properties")
        || [".example", ".default", ".enum", ".const", ".x-"]
            .iter()
            .any(|k| path.contains(k))
    {
        return;
    }
    let bad = match v.get("type") {
        None => None,
        Some(Value::String(t)) if TYPES.contains(&t.as_str()) => None,
        Some(Value::Array(ts))
            if ts
                .iter()
                .all(|t| t.as_str().is_some_and(|t| TYPES.contains(&t))) =>
        {
            None
        }
        Some(Value::Object(_)) => None, // a property named `type` in an example or a map
        Some(other) => Some(other.to_string()),
    };
    if let Some(t) = bad {
        out.push(
            doc.diagnostic(&join_key(path, "type"), format!("unknown schema type {t}"))
                .hint("use one of string, number, integer, boolean, array, object"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_bytes;

    fn diagnostics(yaml: &str) -> Vec<String> {
        let doc = load_bytes(yaml.as_bytes(), "s.yaml").unwrap();
        validate(&doc).iter().map(ToString::to_string).collect()
    }

    const HEAD: &str = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\n";

    #[test]
    fn reports_every_problem_located() {
        let yaml = format!(
            "{HEAD}paths:\n  /a:\n    get:\n      responses: {{}}\n    post:\n      operationId: x\n      responses: {{}}\n  /b:\n    get:\n      operationId: x\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Missing'}}\ncomponents:\n  schemas:\n    A: {{$ref: '#/components/schemas/B'}}\n    B: {{$ref: '#/components/schemas/A'}}\n    C: {{type: strin}}\n    D: {{$ref: 'other.yaml#/D'}}\n"
        );
        let found = diagnostics(&yaml);
        let expect = [
            "s.yaml:12:7: at `paths./b.get.operationId` (operation `x`): operationId `x` is already used at `paths./a.post`",
            "reference `#/components/schemas/Missing` does not resolve",
            "reference cycle: #/components/schemas/B -> #/components/schemas/A -> #/components/schemas/B",
            "s.yaml:23:9: at `components.schemas.C.type`: unknown schema type \"strin\"",
            "external reference `other.yaml#/D` is not supported",
        ];
        for e in expect {
            assert!(
                found.iter().any(|f| f.contains(e)),
                "missing {e:?} in {found:#?}"
            );
        }
    }

    #[test]
    fn rejects_swagger_and_unknown_versions() {
        let found = diagnostics("swagger: '1.2'\ninfo: {title: t, version: '1'}\npaths: {}\n");
        assert!(
            found[0].contains("unsupported Swagger version `1.2`"),
            "{found:?}"
        );
        // A missing key is located at its parent: here the document.
        let found = diagnostics("# a comment\ninfo: {title: t, version: '1'}\npaths: {}\n");
        assert!(
            found[0].starts_with("s.yaml:2:1: at `openapi`: no `openapi` version string"),
            "{found:?}"
        );
        let found = diagnostics("openapi: 4.0.0\npaths: {}\n");
        assert!(
            found[0].starts_with("s.yaml:1:1: at `openapi`: unsupported OpenAPI version `4.0.0`"),
            "{found:?}"
        );
    }

    #[test]
    fn the_seed_spec_is_valid() {
        let doc = crate::load::load_file(
            &crate::pipeline::workspace_root().join(crate::pipeline::WORKSPACE_SPEC),
            "seed",
        )
        .unwrap();
        assert_eq!(validate(&doc), Vec::new());
    }
}
