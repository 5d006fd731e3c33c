//! The driver's tests: each step through [`super::normalize`].

use super::*;
use crate::load::load_bytes;
use serde_json::json;

fn run(yaml: &str, config: &Config) -> Normalized {
    let doc = load_bytes(yaml.as_bytes(), "s.yaml").unwrap();
    normalize(&doc, config)
}

#[test]
fn openapi_31_constructs_become_30() {
    let n = run(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\nwebhooks: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      required: [a, b]\n      properties:\n        a: {type: [string, 'null']}\n        b: {anyOf: [{$ref: '#/components/schemas/B'}, {type: 'null'}]}\n        c: {const: x}\n        d: {type: number, exclusiveMinimum: 0}\n        e: {type: string, examples: [one, two]}\n    B: {type: string}\n",
        &Config::default(),
    );
    let a = &n.value["components"]["schemas"]["A"]["properties"];
    assert_eq!(n.value["openapi"], "3.0.3");
    assert!(n.value.get("webhooks").is_none());
    assert_eq!(a["a"], json!({"type": "string", "nullable": true}));
    assert_eq!(
        a["b"],
        json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/B"}]})
    );
    assert_eq!(a["c"], json!({"enum": ["x"]}));
    assert_eq!(
        a["d"],
        json!({"type": "number", "exclusiveMinimum": true, "minimum": 0})
    );
    assert_eq!(a["e"], json!({"type": "string", "example": "one"}));
    assert!(
        n.changes.iter().any(|c| c.step == "openapi-3.1"),
        "{:?}",
        n.changes
    );
    assert!(n.problems.is_empty());
}

#[test]
fn no_parameter_schema_accepts_null() {
    // Box's `x-rep-hints: {type: string, nullable: true}` header was typed
    // `Option<Option<String>>` and formatted with `Display` (E0599); a
    // nullable component used by a parameter gets `nullable` back from
    // `nullable-components`, which is why the rule runs after it.
    let n = run(
        "openapi: 3.0.3\npaths:\n  /f/{id}:\n    get:\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string, nullable: true}}\n        - {name: x-rep-hints, in: header, schema: {type: string, nullable: true}}\n        - {name: kind, in: query, schema: {$ref: '#/components/schemas/Kind'}}\n        - {name: order, in: query, schema: {type: string, enum: [asc, desc, null]}}\n      responses:\n        '200': {description: ok}\ncomponents:\n  schemas:\n    Kind: {type: string, nullable: true, enum: [a, b]}\n",
        &Config::default(),
    );
    let params = &n.value["paths"]["/f/{id}"]["get"]["parameters"];
    for i in 0..4 {
        assert!(
            params[i]["schema"].get("nullable").is_none(),
            "parameter {i}: {}",
            params[i]
        );
    }
    assert_eq!(params[3]["schema"]["enum"], json!(["asc", "desc"]));
    assert_eq!(
        params[2]["schema"]["allOf"],
        json!([{"$ref": "#/components/schemas/Kind"}])
    );
    let reported = n
        .changes
        .iter()
        .filter(|c| c.step == "parameter-not-null")
        .count();
    assert_eq!(reported, 4, "{:?}", n.changes);
}

#[test]
fn a_component_with_a_null_enum_value_is_nullable_where_used() {
    // Lago's `CurrencyOrNull`: typify read the `null` value as nullability
    // and wrote `struct CurrencyOrNull(Option<CurrencyOrNull>)` beside the
    // enum (E0428).
    let n = run(
        "openapi: 3.1.0\ncomponents:\n  schemas:\n    CurrencyOrNull:\n      type: [string, 'null']\n      enum: [null, USD, EUR]\n    Req:\n      type: object\n      properties:\n        currency: {$ref: '#/components/schemas/CurrencyOrNull'}\n",
        &Config::default(),
    );
    let schemas = &n.value["components"]["schemas"];
    assert_eq!(
        schemas["CurrencyOrNull"],
        json!({"type": "string", "enum": ["USD", "EUR"]})
    );
    let currency = &schemas["Req"]["properties"]["currency"];
    assert_eq!(
        currency["allOf"],
        json!([{"$ref": "#/components/schemas/CurrencyOrNull"}])
    );
    assert_eq!(currency["nullable"], json!(true));
}

#[test]
fn nullable_components_become_nullable_uses() {
    let n = run(
        "openapi: 3.1.0\ncomponents:\n  schemas:\n    Prompt:\n      anyOf:\n        - {type: object, properties: {id: {type: string}}}\n        - {type: 'null'}\n    Req:\n      type: object\n      required: [prompt, described, wrapped]\n      properties:\n        prompt: {$ref: '#/components/schemas/Prompt'}\n        described: {$ref: '#/components/schemas/Prompt', description: d}\n        wrapped: {allOf: [{$ref: '#/components/schemas/Prompt'}], description: d}\n",
        &Config::default(),
    );
    let schemas = &n.value["components"]["schemas"];
    assert_eq!(
        schemas["Prompt"],
        json!({"type": "object", "properties": {"id": {"type": "string"}}})
    );
    assert_eq!(
        schemas["Req"]["properties"]["prompt"],
        json!({"allOf": [{"$ref": "#/components/schemas/Prompt"}], "nullable": true})
    );
    // Whatever stands beside the reference, null still validates there.
    assert_eq!(
        schemas["Req"]["properties"]["described"],
        json!({"description": "d", "allOf": [{"$ref": "#/components/schemas/Prompt"}], "nullable": true})
    );
    assert_eq!(
        schemas["Req"]["properties"]["wrapped"],
        json!({"allOf": [{"$ref": "#/components/schemas/Prompt"}], "description": "d", "nullable": true})
    );
}

#[test]
fn a_nullable_component_among_all_of_members_adds_no_null() {
    // Plaid's `ExternalPaymentScheduleRequest`, Docker's `Swarm`: null
    // validates an `allOf` only when every member takes it.
    let n = run(
        "openapi: 3.0.0\ncomponents:\n  schemas:\n    Base: {type: object, nullable: true, properties: {a: {type: string}}}\n    Req:\n      allOf: [{$ref: '#/components/schemas/Base'}, {type: object}]\n      required: [a]\n    Both:\n      allOf: [{$ref: '#/components/schemas/Base'}, {type: object, nullable: true}]\n",
        &Config::default(),
    );
    let schemas = &n.value["components"]["schemas"];
    assert_eq!(
        schemas["Req"]["allOf"],
        json!([{"$ref": "#/components/schemas/Base"}, {"type": "object"}])
    );
    assert!(schemas["Req"].get("nullable").is_none());
    assert_eq!(schemas["Both"]["nullable"], json!(true));
}

#[test]
fn integer_bounds_are_clamped() {
    let n = run(
        "openapi: 3.0.0\ncomponents:\n  schemas:\n    S: {type: integer, minimum: -9223372036854776000, maximum: 9223372036854776000}\n",
        &Config::default(),
    );
    assert_eq!(
        n.value["components"]["schemas"]["S"]["minimum"],
        json!(i64::MIN)
    );
    assert_eq!(
        n.value["components"]["schemas"]["S"]["maximum"],
        json!(i64::MAX)
    );
}

#[test]
fn mismatched_path_parameter_is_renamed() {
    let n = run(
        "openapi: 3.0.0\npaths:\n  /c/{certificate_id}:\n    get:\n      operationId: get-cert\n      parameters: [{name: cert_id, in: path, required: true, schema: {type: string}}]\n      responses: {}\n",
        &Config::default(),
    );
    assert_eq!(
        n.value["paths"]["/c/{certificate_id}"]["get"]["parameters"][0]["name"],
        "certificate_id"
    );
    assert_eq!(
        n.changes[0].what,
        "get-cert: parameter `cert_id` renamed to `certificate_id` to match the path template"
    );
}

#[test]
fn undeclared_path_variables_are_declared_as_strings() {
    let n = run(
        "openapi: 3.0.0\npaths:\n  /c/{certificate_id}:\n    delete:\n      operationId: deleteCertificate\n      responses: {}\n",
        &Config::default(),
    );
    assert!(n.problems.is_empty(), "{:?}", n.problems);
    assert_eq!(
        n.value["paths"]["/c/{certificate_id}"]["delete"]["parameters"],
        json!([{"name": "certificate_id", "in": "path", "required": true, "schema": {"type": "string"}}])
    );
}

/// A path parameter in `matrix` style: no generator path sends it.
const MATRIX_PATH: &str = "openapi: 3.0.0\npaths:\n  /f/{id}:\n    post:\n      operationId: upload\n      parameters:\n        - {name: id, in: path, required: true, style: matrix, schema: {type: string}}\n      responses: {}\n";

#[test]
fn unsupported_operations_need_consent() {
    let n = run(MATRIX_PATH, &Config::default());
    assert_eq!(n.problems.len(), 1);
    let p = n.problems[0].to_string();
    assert!(p.starts_with("s.yaml:7:11: at `paths./f/{id}.post.parameters[0]` (operation `upload`): parameter `id` has style `matrix`; only `simple` is supported"), "{p}");
    assert!(
        p.contains(
            "lossy.drop_unsupported_operations = true` in codegen.toml to leave this operation out"
        ),
        "{p}"
    );

    let mut config = Config::default();
    config.lossy.drop_unsupported_operations = true;
    let n = run(MATRIX_PATH, &config);
    assert!(n.problems.is_empty());
    assert_eq!(
        n.left_out,
        [LeftOut {
            operation: "upload".into(),
            reason: "parameter `id` has style `matrix`; only `simple` is supported".into()
        }]
    );
    assert!(n.value["paths"].get("/f/{id}").is_none());
}

const TWO_ERRORS: &str = "openapi: 3.0.0\npaths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '200': {description: ok}\n        '404': {description: x, content: {application/json: {schema: {$ref: '#/components/schemas/E1'}}}}\n        '429': {description: x, content: {application/json: {schema: {$ref: '#/components/schemas/E2'}}}}\ncomponents:\n  schemas:\n    E1: {type: object}\n    E2: {type: object}\n";

#[test]
fn optional_unsupported_parameters_are_dropped_not_the_operation() {
    // Styles OpenAPI does not define for a query (deepObject, object
    // and delimited query parameters and array headers are generated).
    let yaml = "openapi: 3.0.0\npaths:\n  /l:\n    get:\n      operationId: list\n      parameters:\n        - {name: a, in: query, schema: {type: string}}\n        - {name: m, in: query, style: matrix, schema: {type: string}}\n        - {name: h, in: query, style: label, schema: {type: string}}\n      responses: {}\n";
    let mut config = Config::default();
    config.lossy.drop_unsupported_operations = true;
    let n = run(yaml, &config);
    assert!(n.left_out.is_empty(), "{:?}", n.left_out);
    let params = n.value["paths"]["/l"]["get"]["parameters"]
        .as_array()
        .unwrap();
    assert_eq!(params.len(), 1);
    assert_eq!(params[0]["name"], "a");
    assert_eq!(
        n.changes.iter().filter(|c| c.step == "unsupported").count(),
        2
    );
}

#[test]
fn several_error_types_become_one_enum_or_collapse() {
    let n = run(TWO_ERRORS, &Config::default());
    assert!(n.problems.is_empty(), "{:?}", n.problems);
    let op = &n.value["paths"]["/a"]["get"];
    assert!(op["responses"].get("429").is_none());
    assert_eq!(
        op[responses::MARKER]["error"],
        json!([
            {"status": "404", "kind": "json", "schema": {"$ref": "#/components/schemas/E1"}, "kept": true},
            {"status": "429", "kind": "json", "schema": {"$ref": "#/components/schemas/E2"}, "kept": false}
        ])
    );
    let mut config = Config::default();
    config.lossy.collapse_types = true;
    let n = run(TWO_ERRORS, &config);
    assert!(n.problems.is_empty());
    assert!(
        n.value["paths"]["/a"]["get"]["responses"]
            .get("429")
            .is_none()
    );
    assert!(
        n.value["paths"]["/a"]["get"]["responses"]
            .get("404")
            .is_some()
    );
}

#[test]
fn invalid_defaults_are_documented_as_such_without_consent() {
    let yaml = "openapi: 3.0.0\ncomponents:\n  schemas:\n    S: {type: integer, default: 'x'}\n    U: {anyOf: [{type: string}], default: a}\n    Ok: {type: string, enum: [a, b], default: b}\n";
    let n = run(yaml, &Config::default());
    assert!(n.problems.is_empty(), "{:?}", n.problems);
    let schemas = &n.value["components"]["schemas"];
    assert_eq!(
        schemas["S"],
        json!({"type": "integer", "description": "Default: `\"x\"` (as the spec gives it: it \"x\" does not match type `integer`)."})
    );
    assert_eq!(schemas["U"]["description"], "Default: `\"a\"`.");
    assert_eq!(schemas["Ok"]["description"], "Default: `\"b\"`.");
    assert!(n.changes.iter().any(|c| c.step == "defaults"));
}

#[test]
fn select_and_prune() {
    let mut config = Config::default();
    config.select.operations = vec!["a".into()];
    config.select.prune_components = true;
    let yaml = "openapi: 3.0.0\npaths:\n  /a:\n    get: {operationId: a, responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/A'}}}}}}\n  /b:\n    get: {operationId: b, responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/B'}}}}}}\ncomponents:\n  schemas:\n    A: {type: object, properties: {c: {$ref: '#/components/schemas/C'}}}\n    B: {type: string}\n    C: {type: string}\n";
    let n = run(yaml, &config);
    assert!(n.value["paths"].get("/b").is_none());
    let kept: Vec<&String> = n.value["components"]["schemas"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(kept, ["A", "C"]);
}

#[test]
fn a_union_of_any_string_and_named_ones_is_an_open_enum_even_with_one_name() {
    let n = run(
        "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Currency:\n      anyOf: [{type: string}, {type: string, enum: [USD]}]\n    Interval:\n      anyOf: [{type: string}, {$ref: '#/components/schemas/Named'}]\n    Named: {type: string, enum: [month, year]}\n    Tag: {type: string, enum: [message]}\n",
        &Config::default(),
    );
    let schemas = &n.value["components"]["schemas"];
    // One name and any other string: marked, so `open-enums` opens it.
    assert_eq!(
        schemas["Currency"],
        json!({"type": "string", "enum": ["USD", crate::refine::open_enums::OPEN_MARK]})
    );
    // Through a `$ref`, with two names: open like every string enum.
    assert_eq!(
        schemas["Interval"],
        json!({"type": "string", "enum": ["month", "year"]})
    );
    // A one-value enum alone is a constant (a tag): left as it is.
    assert_eq!(
        schemas["Tag"],
        json!({"type": "string", "enum": ["message"]})
    );
}

#[test]
fn optional_nullable_properties_are_marked_for_tri_state() {
    let n = run(
        "openapi: 3.1.0\ncomponents:\n  schemas:\n    S:\n      type: object\n      required: [kept]\n      properties:\n        kept: {type: [string, 'null']}\n        off: {type: [string, 'null'], description: Turn it off.}\n        items: {type: array, items: {type: object, properties: {deep: {type: [integer, 'null']}}}}\n        plain: {type: string}\n",
        &Config::default(),
    );
    let props = &n.value["components"]["schemas"]["S"]["properties"];
    let mark = super::tri_state_marks::MARK;
    assert_eq!(
        props["off"]["description"],
        json!(format!("Turn it off.\n\n{mark}"))
    );
    assert_eq!(
        props["items"]["items"]["properties"]["deep"]["description"],
        json!(mark),
        "at any depth"
    );
    assert!(
        props["kept"].get("description").is_none(),
        "required: not marked"
    );
    assert!(
        props["plain"].get("description").is_none(),
        "not nullable: not marked"
    );
}

#[test]
fn an_any_of_overlapping_only_on_null_is_a_nullable_one_of() {
    let n = run(
        "openapi: 3.0.3\ncomponents:\n  schemas:\n    Tags: {type: array, items: {type: string}}\n    F:\n      type: object\n      required: [value, objects, numbers, own, exclusive]\n      properties:\n        value:\n          anyOf:\n            - {type: string, nullable: true}\n            - {type: number, nullable: true}\n            - {type: boolean}\n            - {$ref: '#/components/schemas/Tags'}\n        objects: {anyOf: [{type: object, nullable: true, properties: {a: {type: string}}}, {type: object, nullable: true, properties: {b: {type: string}}}]}\n        numbers: {anyOf: [{type: integer, nullable: true}, {type: number}]}\n        own: {type: object, anyOf: [{type: string, nullable: true}, {type: boolean, nullable: true}]}\n        exclusive: {anyOf: [{type: string}, {type: boolean}]}\n",
        &Config::default(),
    );
    let props = &n.value["components"]["schemas"]["F"]["properties"];
    assert_eq!(
        props["value"],
        json!({"oneOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}, {"$ref": "#/components/schemas/Tags"}], "nullable": true}),
        "disjoint (through the $ref): one member per value; null moves to the union"
    );
    assert!(
        props["objects"].get("anyOf").is_some(),
        "two objects may both match: left alone"
    );
    assert!(
        props["numbers"].get("anyOf").is_some(),
        "an integer is a number: left alone"
    );
    assert!(
        props["own"].get("anyOf").is_some(),
        "beside keywords of its own: left alone"
    );
    assert!(n.changes.iter().any(|c| c.step == "disjoint-unions"));
}
