//! `type-names`: component schemas whose names make one Rust type name.
//!
//! typify names each component schema's type after its key, in Pascal
//! case: `address` and `Address`, `phone_number` and `PhoneNumber`,
//! `Error` and `error` are one type name each (E0428, two types of one
//! name). Spec authors do write such pairs (a JSON:API resource and its
//! wrapper, an old and a new spelling). The first of each group keeps its
//! name; each later one gets the first free name of the form `<name>2`,
//! `<name>3`, .. ([`crate::naming::Names`] decides "free" by the Rust
//! name, so the new name cannot collide either), and every `$ref` to it,
//! or into it, and every discriminator mapping naming it follows. Each
//! rename is reported.

use serde_json::Value;

use super::Normalized;
use super::references::{reference, tokens};
use crate::naming::{Case, Names};
use crate::walk;

/// Run the step.
pub(super) fn rewrite(n: &mut Normalized) {
    let Some(Value::Object(schemas)) = n.value.pointer("/components/schemas") else {
        return;
    };
    let keys: Vec<String> = schemas.keys().cloned().collect();
    let mut types = Names::new(Case::Pascal, []);
    // Every first spelling is taken before any rename is made, so a
    // rename never takes a name a later component has.
    let keepers: Vec<bool> = keys.iter().map(|k| types.take(k)).collect();
    let renames: Vec<(String, String)> = keys
        .iter()
        .zip(&keepers)
        .filter(|(_, keep)| !**keep)
        .map(|(k, _)| (k.clone(), types.allocate(k, "")))
        .collect();
    if renames.is_empty() {
        return;
    }
    if let Some(Value::Object(schemas)) = n.value.pointer_mut("/components/schemas") {
        let old = std::mem::take(schemas);
        for (k, v) in old {
            let k = renames
                .iter()
                .find(|(from, _)| *from == k)
                .map_or(k, |(_, to)| to.clone());
            schemas.insert(k, v);
        }
    }
    let moved = |r: &str| -> Option<String> {
        let t = tokens(r)?;
        if t.len() < 3 || t[0] != "components" || t[1] != "schemas" {
            return None;
        }
        let (_, to) = renames.iter().find(|(from, _)| *from == t[2])?;
        let mut t = t;
        t[2] = to.clone();
        Some(reference(&t))
    };
    walk::references_mut(&mut n.value, &mut |r| {
        if let Some(new) = moved(r) {
            *r = new;
        }
    });
    walk::schemas_mut(&mut n.value, &mut |_, schema| {
        if let Some(Value::Object(mapping)) = schema
            .get_mut("discriminator")
            .and_then(|d| d.get_mut("mapping"))
        {
            for target in mapping.values_mut() {
                if let Some(new) = target.as_str().and_then(moved) {
                    *target = Value::String(new);
                }
            }
        }
    });
    for (from, to) in renames {
        n.change(
            "type-names",
            format!(
                "components.schemas.{from} renamed {to}: its Rust type name is another component's"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::config::Config;

    #[test]
    fn names_of_one_rust_type_are_made_distinct() {
        let doc = crate::load::load_bytes(
            br##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      operationId: get
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/address"}
components:
  schemas:
    Address: {type: object, properties: {street: {type: string}}}
    address: {type: object, properties: {data: {$ref: "#/components/schemas/Address"}, more: {$ref: "#/components/schemas/address/properties/data"}}}
    address2: {type: string}
    Pet:
      oneOf: [{$ref: "#/components/schemas/Address"}, {$ref: "#/components/schemas/address"}]
      discriminator: {propertyName: kind, mapping: {a: "#/components/schemas/address"}}
"##,
            "t.yaml",
        )
        .unwrap();
        let n = super::super::normalize(&doc, &Config::default());
        assert!(n.problems.is_empty(), "{:?}", n.problems);
        let schemas = n.value["components"]["schemas"].as_object().unwrap();
        // `address2` is a spec name and keeps it; the renamed one skips it.
        assert!(schemas.contains_key("Address") && schemas.contains_key("address2"));
        assert!(
            schemas.contains_key("address3"),
            "{:?}",
            schemas.keys().collect::<Vec<_>>()
        );
        assert!(!schemas.contains_key("address"));
        let r = &n.value["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(r, &json!({"$ref": "#/components/schemas/address3"}));
        assert_eq!(
            n.value["components"]["schemas"]["Pet"]["discriminator"]["mapping"]["a"],
            "#/components/schemas/address3"
        );
        let names: std::collections::BTreeSet<String> = schemas
            .keys()
            .map(|k| crate::naming::sanitize(k, crate::naming::Case::Pascal))
            .collect();
        assert_eq!(
            names.len(),
            schemas.len(),
            "every component has its own type name"
        );
    }
}
