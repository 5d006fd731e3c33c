//! OpenAPI Overlays (stage `overlay`): the user's fixes to a vendor's spec,
//! applied before anything reads it, reviewed as a file of their own.
//!
//! - the fixture overlay (`tests/overlays/pets-fixes.yaml`: update, remove,
//!   a filter on an array element, copy) changes the generated API as it
//!   says;
//! - `[spec] overlays` of `codegen.toml` (relative to it) come first, then
//!   `--overlay`, in order;
//! - every error is located in the overlay (`file:line:column`, the
//!   action's index) and nothing is written;
//! - the header names each overlay with its hash: the same inputs give the
//!   same bytes, and a changed overlay makes the checked-in code stale.

use std::path::{Path, PathBuf};

use codegen::Mode;
use codegen::pipeline::{self, Target};
use codegen::surface::{Surface, TypeKind};
use workspace_tests::workspace_root;

const SPEC: &str = "tests/specs/overlay-pets.yaml";
const FIXES: &str = "tests/overlays/pets-fixes.yaml";

fn target(out: &Path) -> Target {
    let root = workspace_root();
    let mut t = Target::standalone(&root.join(SPEC), out, "pets").unwrap();
    t.spec_display = SPEC.to_owned();
    t
}

fn fields(surface: &Surface, ty: &str) -> Vec<(String, bool)> {
    match &surface.types[ty].kind {
        TypeKind::Struct(fields) => fields
            .iter()
            .map(|(name, f)| (name.clone(), f.required))
            .collect(),
        other => panic!("{ty} is {other:?}"),
    }
}

fn wire_values(surface: &Surface, ty: &str) -> Vec<String> {
    match &surface.types[ty].kind {
        TypeKind::Enum(variants) => variants.values().map(|v| v.wire.clone()).collect(),
        other => panic!("{ty} is {other:?}"),
    }
}

#[test]
fn the_fixture_overlay_changes_the_generated_api_as_it_says() {
    let dir = tempfile::tempdir().unwrap();
    let plain = pipeline::render(&target(dir.path())).unwrap();
    let fixed =
        pipeline::render(&target(dir.path()).with_overlay(&workspace_root().join(FIXES))).unwrap();

    // Without the overlay: the spec as the vendor wrote it.
    assert!(plain.surface.operations.contains_key("delete_pet"));
    assert!(!plain.surface.types.contains_key("PetSummary"));
    assert_eq!(
        fields(&plain.surface, "Pet"),
        [
            ("id", true),
            ("name", true),
            ("owner", true),
            ("status", false)
        ]
        .map(|(n, r)| (n.to_owned(), r))
    );

    // remove with a filter on an array element: `owner` is no longer required.
    // update of an object: `tag` is added.
    assert_eq!(
        fields(&fixed.surface, "Pet"),
        [
            ("id", true),
            ("name", true),
            ("owner", false),
            ("status", false),
            ("tag", false)
        ]
        .map(|(n, r)| (n.to_owned(), r))
    );
    // update of an array: the value is appended.
    let mut status = wire_values(&fixed.surface, "PetStatus");
    status.sort();
    assert_eq!(status, ["*", "available", "pending", "sold"]);
    // remove of an operation.
    assert!(!fixed.surface.operations.contains_key("delete_pet"));
    assert!(fixed.surface.operations.contains_key("get_pet"));
    // copy (1.1): the same shape under a second name.
    assert_eq!(
        fields(&fixed.surface, "PetSummary"),
        fields(&fixed.surface, "Pet")
    );
    // The report lists every action with the nodes it touched.
    let overlay_lines: Vec<_> = fixed
        .changes
        .iter()
        .filter(|c| c.step == "overlay")
        .map(|c| c.what.as_str())
        .collect();
    assert_eq!(overlay_lines.len(), 6, "{overlay_lines:#?}");
    assert!(
        overlay_lines[0].contains("action 0")
            && overlay_lines[0].contains("removed 1 node: `components.schemas.Pet.required[2]`"),
        "{}",
        overlay_lines[0]
    );
    assert!(
        overlay_lines[3].contains("removed 1 node: `paths./pets/{pet_id}.delete`"),
        "{}",
        overlay_lines[3]
    );
}

/// A scratch directory holding the fixture spec, a `codegen.toml` and overlays.
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn new(config: &str, overlays: &[(&str, &str)]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(workspace_root().join(SPEC), dir.path().join("api.yaml")).unwrap();
        std::fs::write(dir.path().join("codegen.toml"), config).unwrap();
        for (name, text) in overlays {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        Scratch { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn target(&self) -> Target {
        let mut t = Target::standalone(&self.path("api.yaml"), &self.path("out"), "pets").unwrap();
        t.spec_display = "api.yaml".to_owned();
        t
    }
}

const ADD_KIND: &str = "overlay: 1.0.0
info: {title: add kind, version: '1'}
actions:
  - target: $.components.schemas
    update:
      Kind: {type: string}
";

const KIND_REQUIRED: &str = "overlay: 1.0.0
info: {title: kind required, version: '1'}
actions:
  - target: $.components.schemas.Pet
    update:
      required: [kind]
      properties:
        kind: {$ref: '#/components/schemas/Kind'}
";

#[test]
fn config_overlays_come_first_relative_to_codegen_toml_then_the_command_lines() {
    let s = Scratch::new(
        "[spec]\noverlays = [\"fixes/add-kind.yaml\"]\n",
        &[
            ("fixes/add-kind.yaml", ADD_KIND),
            ("kind-required.yaml", KIND_REQUIRED),
        ],
    );
    // The second needs what the first added: the `Kind` schema.
    let target = s.target().with_overlay(&s.path("kind-required.yaml"));
    let outcome = pipeline::run(&target, Mode::Write).unwrap();
    assert_eq!(outcome.operations, 2);
    let code = std::fs::read_to_string(s.path("out/src/generated.rs")).unwrap();
    let header: Vec<&str> = code.lines().take(6).collect();
    assert!(
        header[2].starts_with("// Spec:      api.yaml (sha256 "),
        "{header:#?}"
    );
    assert!(
        header[3].starts_with("// Overlay:   fixes/add-kind.yaml (sha256 "),
        "{header:#?}"
    );
    assert!(
        header[4].starts_with("// Overlay:   kind-required.yaml (sha256 "),
        "{header:#?}"
    );
    assert!(
        header[0].contains("--overlay kind-required.yaml"),
        "{}",
        header[0]
    );
    let surface = pipeline::surface_of(&target).unwrap();
    assert!(fields(&surface, "Pet").contains(&("kind".to_owned(), true)));
    assert!(surface.types.contains_key("Kind"));

    // Applied the other way round, the second has nothing to refer to yet:
    // validation of the result blames it, in its own file.
    let s2 = Scratch::new(
        "[spec]\noverlays = [\"kind-required.yaml\"]\n",
        &[("kind-required.yaml", KIND_REQUIRED)],
    );
    let result = pipeline::run(&s2.target(), Mode::Write);
    let err = result.unwrap_err().to_string();
    assert!(err.contains("kind-required.yaml:4:"), "{err}");
    assert!(!s2.path("out").exists(), "nothing is written");
}

#[test]
fn the_same_overlays_give_the_same_bytes_and_a_changed_overlay_makes_the_code_stale() {
    let s = Scratch::new(
        "[spec]\noverlays = [\"fixes/add-kind.yaml\"]\n",
        &[("fixes/add-kind.yaml", ADD_KIND)],
    );
    pipeline::run(&s.target(), Mode::Write).unwrap();
    let first = std::fs::read(s.path("out/src/generated.rs")).unwrap();
    let again = pipeline::render(&s.target()).unwrap();
    assert_eq!(again.code().as_bytes(), first.as_slice());
    assert!(pipeline::run(&s.target(), Mode::Check).unwrap().is_fresh());

    // A comment only: the code is the same, the header's hash is not.
    std::fs::write(
        s.path("fixes/add-kind.yaml"),
        format!("# reviewed\n{ADD_KIND}"),
    )
    .unwrap();
    let check = pipeline::run(&s.target(), Mode::Check).unwrap();
    assert!(!check.is_fresh());
    assert!(
        check.diff().contains("// Overlay:   fixes/add-kind.yaml"),
        "{}",
        check.diff()
    );

    // Another fix: the code changes with it.
    std::fs::write(
        s.path("fixes/add-kind.yaml"),
        ADD_KIND.replace("Kind", "Breed"),
    )
    .unwrap();
    let check = pipeline::run(&s.target(), Mode::Check).unwrap();
    assert!(
        check.diff().contains("+    pub struct Breed("),
        "{}",
        check.diff()
    );
    assert_eq!(
        std::fs::read(s.path("out/src/generated.rs")).unwrap(),
        first,
        "--check writes nothing"
    );
}

/// Each broken overlay, the position its error names, and words it says.
const BROKEN: &[(&str, &str, &[&str])] = &[
    (
        "overlay: 2.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.info\n    update: {}\n",
        "bad.yaml:1:1:",
        &["overlay version \"2.0.0\" is not supported"],
    ),
    (
        "overlay: 1.1.0\ninfo: {title: t, version: '1'}\nactions: []\n",
        "bad.yaml:3:1:",
        &["`actions` must be a non-empty list"],
    ),
    (
        "overlay: 1.1.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.paths[?@.x == ]\n    remove: true\n",
        "bad.yaml:4:5:",
        &["actions[0].target", "not an RFC 9535 JSONPath"],
    ),
    (
        "overlay: 1.1.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.info\n    description: nothing to do\n",
        "bad.yaml:4:",
        &["action 0 does nothing"],
    ),
    (
        "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.info\n    copy: $.info\n",
        "bad.yaml:5:5:",
        &["`copy` is an Overlay 1.1 field"],
    ),
    (
        "overlay: 1.1.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.info\n    update: {x-a: 1}\n  - target: $.components.schemas.Nope\n    remove: true\n",
        "bad.yaml:6:5:",
        &["action 1", "`$.components.schemas.Nope` selects nothing"],
    ),
    (
        "overlay: 1.1.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.components\n    update:\n      schemas: [1]\n",
        "bad.yaml:4:5:",
        &[
            "action 0",
            "`components.schemas` is a mapping and the update gives a sequence",
        ],
    ),
    (
        "overlay: 1.1.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.info\n    copy: $..type\n",
        "bad.yaml:5:5:",
        &[
            "`copy` `$..type` selects",
            "nodes; it must select exactly one",
        ],
    ),
    (
        "overlay: 1.1.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.components.schemas.Pet.properties.owner\n    update: {$ref: '#/components/schemas/Owner'}\n",
        "bad.yaml:4:5:",
        &["action 0", "no longer valid", "#/components/schemas/Owner"],
    ),
    (
        "overlay: 1.1.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $\n    remove: true\n",
        "bad.yaml:4:5:",
        &["selects the whole document"],
    ),
];

#[test]
fn every_broken_overlay_is_an_error_located_in_the_overlay_and_nothing_is_written() {
    let mut wrong = Vec::new();
    for (text, at, words) in BROKEN {
        let s = Scratch::new("", &[("bad.yaml", text)]);
        let target = s.target().with_overlay(&s.path("bad.yaml"));
        let err = match pipeline::run(&target, Mode::Write) {
            Ok(_) => format!("no error for {text}"),
            Err(e) => e.to_string(),
        };
        if !err.starts_with(at) || !words.iter().all(|w| err.contains(w)) {
            wrong.push(format!("expected {at} and {words:?}, got: {err}"));
        }
        assert!(!s.path("out").exists(), "nothing is written: {err}");
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}
