//! Property tests: whatever is done to the seed spec, the pipeline returns
//! `Ok` or an error; it never panics (progenitor's own panics included).

use codegen::pipeline::{self, Target, WORKSPACE_SPEC};
use proptest::prelude::*;
use serde_json::{Value, json};
use workspace_tests::workspace_root;

fn seed() -> Value {
    let text = std::fs::read_to_string(workspace_root().join(WORKSPACE_SPEC)).unwrap();
    codegen::load::load_bytes(text.as_bytes(), "seed")
        .unwrap()
        .value
}

/// Every node's JSON pointer.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Object(m) => m.iter().for_each(|(k, c)| {
            pointers(
                c,
                format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                out,
            )
        }),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, c)| pointers(c, format!("{at}/{i}"), out)),
        _ => {}
    }
}

fn replacement(kind: u8, all: &[String]) -> Value {
    match kind % 9 {
        0 => Value::Null,
        1 => json!(-9223372036854775808i64),
        2 => json!("string"),
        3 => json!(true),
        4 => json!({}),
        5 => json!([]),
        6 => json!({"$ref": format!("#{}", all[usize::from(kind) % all.len()])}),
        7 => json!({"type": ["string", "null"]}),
        _ => json!({"anyOf": [{"type": "null"}, {"$ref": "#/components/schemas/Error"}]}),
    }
}

fn mutate(mut v: Value, edits: &[(usize, u8, bool)]) -> Value {
    for &(node, kind, delete) in edits {
        let mut all = Vec::new();
        pointers(&v, String::new(), &mut all);
        let target = all[node % all.len()].clone();
        if target.is_empty() {
            continue;
        }
        let (parent, key) = target.rsplit_once('/').unwrap();
        let new = replacement(kind, &all);
        match v.pointer_mut(parent) {
            Some(Value::Object(m)) if delete => {
                m.shift_remove(&key.replace("~1", "/").replace("~0", "~"));
            }
            Some(Value::Array(a)) if delete => {
                if let Ok(i) = key.parse::<usize>()
                    && i < a.len()
                {
                    a.remove(i);
                }
            }
            _ => {
                if let Some(slot) = v.pointer_mut(&target) {
                    *slot = new;
                }
            }
        }
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_specs_never_panic(edits in prop::collection::vec((any::<usize>(), any::<u8>(), any::<bool>()), 1..4)) {
        let dir = tempfile::tempdir().unwrap();
        let spec = dir.path().join("mutated.json");
        std::fs::write(&spec, serde_json::to_vec(&mutate(seed(), &edits)).unwrap()).unwrap();
        let target = Target::standalone(&spec, &dir.path().join("out"), "fuzzed").unwrap();
        // Either outcome is fine; a panic fails the test.
        let _ = pipeline::render(&target);
    }

    #[test]
    fn damaged_bytes_never_panic(cut in 0usize..3000, flips in prop::collection::vec((any::<usize>(), any::<u8>()), 0..6)) {
        let mut bytes = std::fs::read(workspace_root().join(WORKSPACE_SPEC)).unwrap();
        bytes.truncate(cut.min(bytes.len()));
        for (at, b) in flips {
            if !bytes.is_empty() {
                let i = at % bytes.len();
                bytes[i] = b;
            }
        }
        let _ = codegen::load::load_bytes(&bytes, "damaged.yaml");
    }
}
