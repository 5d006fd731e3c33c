//! Seeded structural mutations of real specs (issue 38): whatever is done
//! to a spec, generation succeeds or fails with errors that each carry
//! `file:line:column`, and never panics or aborts. A missing key is located
//! at its parent.
//!
//! Each case takes one spec of the corpus (small ones: every case runs the
//! whole pipeline), applies one mutation of a class below, writes it as
//! YAML and renders it. The classes, from the list:
//!
//! | class | what it does |
//! |---|---|
//! | `remove-key` | removes a key of a mapping |
//! | `retype-value` | replaces a value by one of another JSON type |
//! | `redirect-ref` | points a `$ref` at another (or the same) component |
//! | `clash-name` | adds a component named like another up to case and punctuation |
//! | `copy-subtree` | copies a schema into another schema's place |
//! | `inconsistent-schema` | a `type`, `enum`, `required` or `allOf` that contradicts the rest |
//! | `self-composition` | a component's `allOf`/`anyOf`/`oneOf` lists a reference to itself |
//!
//! `MUTATION_CASES` sets how many cases run (default 3000).

use std::collections::BTreeMap;

use codegen::Error;
use codegen::pipeline::{self, Target};
use proptest::prelude::RngExt;
use proptest::test_runner::{RngAlgorithm, TestRng};
use serde_json::{Value, json};
use workspace_tests::shared_specs;

const CLASSES: [&str; 7] = [
    "remove-key",
    "retype-value",
    "redirect-ref",
    "clash-name",
    "copy-subtree",
    "inconsistent-schema",
    "self-composition",
];

/// Small specs of every kind in the corpus: OpenAPI 3.0, 3.1, Swagger 2.0.
const SPECS: [&str; 10] = [
    "real/01-xkcd.yaml",
    "real/03-nytimes-article-search.yaml",
    "real/05-1password-events.yaml",
    "real/07-nexmo-sms.yaml",
    "real/15-here-positioning.yaml",
    "wide/09-remove-bg-1-0-0.yaml",
    "wide/17-bulksms-com-1-0-0.yaml",
    "swagger/02-who-hosts-this-com-0-0-1.yaml",
    "swagger/12-inpe-br-dados-abertos-1-0.yaml",
    "swagger/17-nrm-se-georg-2-1.yaml",
];

/// Every node's JSON pointer, with its value.
fn nodes<'a>(v: &'a Value, at: String, out: &mut Vec<(String, &'a Value)>) {
    out.push((at.clone(), v));
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                nodes(
                    c,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                nodes(c, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn pick<'a, T>(rng: &mut TestRng, items: &'a [T]) -> Option<&'a T> {
    (!items.is_empty()).then(|| &items[rng.random_range(0..items.len())])
}

/// Where schemas and references live in `doc`.
fn component_names(doc: &Value) -> Vec<String> {
    ["/components/schemas", "/definitions"]
        .iter()
        .filter_map(|p| doc.pointer(p).and_then(Value::as_object))
        .flat_map(|m| m.keys().cloned())
        .collect()
}

fn schemas_pointer(doc: &Value) -> &'static str {
    if doc.get("swagger").is_some() {
        "/definitions"
    } else {
        "/components/schemas"
    }
}

fn reference(doc: &Value, name: &str) -> String {
    format!(
        "#{}/{}",
        schemas_pointer(doc),
        name.replace('~', "~0").replace('/', "~1")
    )
}

/// Schema nodes: component schemas and what sits under schema keywords.
fn schema_pointers(doc: &Value) -> Vec<String> {
    let mut all = Vec::new();
    nodes(doc, String::new(), &mut all);
    all.into_iter()
        .filter(|(p, v)| {
            v.is_object()
                && (p.ends_with("/schema")
                    || p.contains("/properties/")
                    || p.ends_with("/items")
                    || p.rsplit_once('/').is_some_and(|(parent, _)| {
                        parent.ends_with("/schemas") || parent.ends_with("/definitions")
                    }))
        })
        .map(|(p, _)| p)
        .collect()
}

/// Apply one mutation of `class`; `false` when the spec has nothing it
/// applies to.
fn mutate(doc: &mut Value, class: &str, rng: &mut TestRng) -> bool {
    let mut all = Vec::new();
    nodes(doc, String::new(), &mut all);
    let all: Vec<(String, Value)> = all.into_iter().map(|(p, v)| (p, v.clone())).collect();
    let names = component_names(doc);
    match class {
        "remove-key" => {
            let keys: Vec<&String> = all
                .iter()
                .map(|(p, _)| p)
                .filter(|p| !p.is_empty())
                .collect();
            let Some(target) = pick(rng, &keys) else {
                return false;
            };
            let (parent, key) = target.rsplit_once('/').unwrap();
            let key = key.replace("~1", "/").replace("~0", "~");
            match doc.pointer_mut(parent) {
                Some(Value::Object(m)) => m.shift_remove(&key).is_some(),
                Some(Value::Array(a)) => key
                    .parse::<usize>()
                    .ok()
                    .filter(|&i| i < a.len())
                    .map(|i| a.remove(i))
                    .is_some(),
                _ => false,
            }
        }
        "retype-value" => {
            let Some((target, old)) = pick(rng, &all[1..]).cloned() else {
                return false;
            };
            let choices = [
                json!(null),
                json!(7),
                json!("text"),
                json!(true),
                json!([1]),
                json!({"k": 1}),
            ];
            let others: Vec<&Value> = choices
                .iter()
                .filter(|c| std::mem::discriminant(*c) != std::mem::discriminant(&old))
                .collect();
            let new = (*pick(rng, &others).unwrap()).clone();
            *doc.pointer_mut(&target).unwrap() = new;
            true
        }
        "redirect-ref" => {
            let refs: Vec<&String> = all
                .iter()
                .filter(|(p, _)| p.ends_with("/$ref"))
                .map(|(p, _)| p)
                .collect();
            let (Some(target), Some(name)) =
                (pick(rng, &refs).cloned(), pick(rng, &names).cloned())
            else {
                return false;
            };
            let r = reference(doc, &name);
            *doc.pointer_mut(target).unwrap() = json!(r);
            true
        }
        "clash-name" => {
            let Some(name) = pick(rng, &names).cloned() else {
                return false;
            };
            let variants = [
                name.to_uppercase(),
                name.to_lowercase(),
                format!("{name}_"),
                name.replace(['_', '-', '.'], ""),
            ];
            let clash = pick(rng, &variants).unwrap().clone();
            let at = schemas_pointer(doc);
            let copy = doc
                .pointer(&format!(
                    "{at}/{}",
                    name.replace('~', "~0").replace('/', "~1")
                ))
                .cloned()
                .unwrap();
            let copy = if rng.random_bool(0.5) {
                copy
            } else {
                json!({"type": "object", "properties": {"x": {"type": "integer"}}})
            };
            if let Some(Value::Object(m)) = doc.pointer_mut(at) {
                m.insert(clash, copy);
                return true;
            }
            false
        }
        "copy-subtree" => {
            let schemas = schema_pointers(doc);
            let (Some(from), Some(to)) =
                (pick(rng, &schemas).cloned(), pick(rng, &schemas).cloned())
            else {
                return false;
            };
            let value = doc.pointer(&from).cloned().unwrap();
            *doc.pointer_mut(&to).unwrap() = value;
            true
        }
        "inconsistent-schema" => {
            let schemas = schema_pointers(doc);
            let Some(target) = pick(rng, &schemas).cloned() else {
                return false;
            };
            let Some(Value::Object(s)) = doc.pointer_mut(&target) else {
                return false;
            };
            match rng.random_range(0..5) {
                0 => s.insert(
                    "type".into(),
                    json!(
                        ["string", "integer", "object", "array", "boolean"][rng.random_range(0..5)]
                    ),
                ),
                1 => s.insert("enum".into(), json!([1, "two", null, {"three": 3}])),
                2 => s.insert("required".into(), json!(["no_such_property", 5])),
                3 => s.insert(
                    "allOf".into(),
                    json!([{"type": "string"}, {"type": "integer"}]),
                ),
                _ => s.insert("type".into(), json!("flob")),
            };
            true
        }
        "self-composition" => {
            let Some(name) = pick(rng, &names).cloned() else {
                return false;
            };
            let r = reference(doc, &name);
            let at = format!(
                "{}/{}",
                schemas_pointer(doc),
                name.replace('~', "~0").replace('/', "~1")
            );
            let keyword = ["allOf", "anyOf", "oneOf"][rng.random_range(0..3)];
            let Some(Value::Object(s)) = doc.pointer_mut(&at) else {
                return false;
            };
            let members = s.entry(keyword).or_insert_with(|| json!([]));
            if let Value::Array(list) = members {
                list.push(json!({"$ref": r}));
                if rng.random_bool(0.5) {
                    list.push(json!({"allOf": [{"$ref": r}]}));
                }
            } else {
                *members = json!([{"$ref": r}]);
            }
            true
        }
        _ => unreachable!("unknown class {class}"),
    }
}

#[derive(Default, Debug)]
struct Tally {
    generated: usize,
    located_errors: usize,
}

#[test]
fn mutated_specs_generate_or_fail_with_located_errors() {
    let Some(shared) = shared_specs() else { return };
    let cases: usize = std::env::var("MUTATION_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let docs: Vec<(String, Value)> = SPECS
        .iter()
        .map(|s| {
            let text = std::fs::read(shared.join(s)).unwrap();
            // As written (a Swagger 2.0 document stays one).
            let value = codegen::load::load_bytes(&text, s).unwrap().value;
            (s.to_string(), value)
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let mut rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[38; 32]);
    let mut tally: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut unlocated = Vec::new();
    for case in 0..cases {
        let class = CLASSES[case % CLASSES.len()];
        let (name, original) = &docs[rng.random_range(0..docs.len())];
        let mut doc = original.clone();
        if !mutate(&mut doc, class, &mut rng) {
            continue;
        }
        let spec = dir.path().join(format!("case-{case}.yaml"));
        std::fs::write(&spec, codegen::load::to_yaml(&doc)).unwrap();
        let out = dir.path().join("out");
        let target = Target::standalone(&spec, &out, "mutated").unwrap();
        let result = std::panic::catch_unwind(|| pipeline::render(&target));
        let t = tally.entry(class).or_default();
        match result {
            Err(_) => panic!(
                "case {case} ({class} of {name}) panicked; its spec: {}",
                codegen::load::to_yaml(&doc)
            ),
            Ok(Ok(_)) => t.generated += 1,
            Ok(Err(Error::Spec(diagnostics))) => {
                t.located_errors += 1;
                for d in diagnostics.iter().filter(|d| d.location.is_none()) {
                    unlocated.push(format!("case {case} ({class} of {name}): {d}"));
                }
            }
            Ok(Err(other)) => unlocated.push(format!("case {case} ({class} of {name}): {other}")),
        }
        assert!(!out.exists(), "render wrote {}", out.display());
        let _ = std::fs::remove_file(&spec);
    }
    for (class, t) in &tally {
        println!(
            "{class:20} {} generate, {} get located errors",
            t.generated, t.located_errors
        );
    }
    assert!(
        unlocated.is_empty(),
        "{} errors without file:line:column:\n{}",
        unlocated.len(),
        unlocated.join("\n")
    );
    assert_eq!(tally.len(), CLASSES.len(), "every class ran: {tally:?}");
}
