//! The generated API surface, pinned, and the change report on real spec edits.

use std::path::Path;

use codegen::pipeline::{self, Baseline, Target};
use codegen::report::{Report, Severity};
use workspace_tests::workspace_root;

/// The document reviewers read: `tests/snapshots/surface__api_surface.snap`.
/// A spec change that changes the API fails here with a diff naming what
/// changed, until the snapshot is accepted (`cargo insta review`).
#[test]
fn api_surface() {
    let listing = pipeline::surface_listing(&Target::workspace(&workspace_root()))
        .unwrap_or_else(|e| panic!("{e}"));
    insta::assert_snapshot!("api_surface", listing);
}

#[test]
fn surface_names_the_operation_types_and_wire_names() {
    let listing = pipeline::surface_listing(&Target::workspace(&workspace_root())).unwrap();
    for expected in [
        "DELETE /organization/projects/{project_id}/api_keys/{key_id}",
        "-> client.delete_project_api_key(project_id, key_id) -> Result<ProjectApiKeyDeleteResponse, Error<ErrorResponse>>",
        "\"organization.project.api_key.deleted\"",
        "pub type_: String,  // \"type\", required",
        // Required but nullable: absent reads as `None`, so optional on the wire.
        "pub code: Option<String>,  // \"code\", optional",
    ] {
        assert!(
            listing.contains(expected),
            "missing `{expected}` in:\n{listing}"
        );
    }
}

/// The checked-in clients' surfaces, read back from their code, are the
/// surfaces they were rendered with, so `cargo xtask generate` reports no
/// change that is not one (the trim stage rewrites serde derives and
/// attributes after the surface is taken).
#[test]
fn surfaces_read_back_from_the_written_code() {
    for target in Target::checked_in(&workspace_root()) {
        let rendered = pipeline::render(&target).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            rendered.code().contains("crate::runtime::ser::object("),
            "a checked-in client has a struct written by the runtime"
        );
        workspace_tests::assert_surface_reads_back(&rendered);
    }
}

/// Every `.snap` file under `tests/snapshots/` belongs to a snapshot that a
/// test asserts, so a renamed or deleted test cannot leave a stale document
/// behind (what `cargo insta test --unreferenced=reject` checks).
#[test]
fn no_unreferenced_snapshots() {
    let tests_dir = workspace_root().join("tests");
    let mut referenced = Vec::new();
    for entry in std::fs::read_dir(&tests_dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let source = std::fs::read_to_string(&path).unwrap();
            for part in source.split("assert_snapshot!(\"").skip(1) {
                let name = part.split('"').next().unwrap();
                referenced.push(format!("{stem}__{name}.snap"));
            }
            referenced.extend(workspace_tests::dynamic_snapshots(&stem));
        }
    }
    for entry in std::fs::read_dir(tests_dir.join("snapshots")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !name.ends_with(".snap") {
            continue; // `.snap.new`: a pending change, not a document
        }
        assert!(
            referenced.contains(&name),
            "tests/snapshots/{name} is not asserted by any test: delete it"
        );
    }
}

/// Write `edit(seed spec)` to a temp file and report the change from the
/// vendored spec to it.
fn report_for(edit: impl Fn(&str) -> String) -> Report {
    let root = workspace_root();
    let seed = std::fs::read_to_string(root.join(pipeline::WORKSPACE_SPEC)).unwrap();
    let edited = edit(&seed);
    assert_ne!(seed, edited, "the edit must apply");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("edited.yaml");
    std::fs::write(&path, edited).unwrap();
    report_between(&root.join(pipeline::WORKSPACE_SPEC), &path)
}

fn report_between(old: &Path, new: &Path) -> Report {
    let mut target = Target::workspace(&workspace_root());
    target.spec = new.to_owned();
    let (report, _, _) =
        pipeline::diff(&target, &Baseline::Spec(old.to_owned())).unwrap_or_else(|e| panic!("{e}"));
    report
}

const DELETED_PROP: &str = "        deleted:\n          type: boolean\n";

#[test]
fn added_optional_property_is_additive() {
    let r = report_for(|s| {
        s.replace(
            DELETED_PROP,
            &format!("{DELETED_PROP}        redacted_value:\n          type: string\n"),
        )
    });
    assert!(
        r.has(
            Severity::Additive,
            "field `ProjectApiKeyDeleteResponse.redacted_value: Option<String>` added"
        ),
        "{r:#?}"
    );
    assert_eq!(r.verdict(), Some(Severity::Additive), "{r:#?}");
    assert_eq!(r.next_version("0.1.0").as_deref(), Some("0.1.1"));
}

#[test]
fn removed_property_is_breaking() {
    let r = report_for(|s| {
        s.replace(DELETED_PROP, "")
            .replace("        - deleted\n", "")
    });
    assert!(
        r.has(
            Severity::Breaking,
            "field `ProjectApiKeyDeleteResponse.deleted` removed"
        ),
        "{r:#?}"
    );
    assert_eq!(r.verdict(), Some(Severity::Breaking));
}

#[test]
fn changed_property_type_is_breaking() {
    let r = report_for(|s| s.replace(DELETED_PROP, "        deleted:\n          type: integer\n"));
    assert!(
        r.has(
            Severity::Breaking,
            "field `ProjectApiKeyDeleteResponse.deleted` type changed from `bool` to `i64`"
        ),
        "{r:#?}"
    );
}

#[test]
fn renamed_path_parameter_is_breaking() {
    let r = report_for(|s| {
        s.replace("{key_id}", "{api_key_id}")
            .replace("name: key_id", "name: api_key_id")
    });
    assert!(
        r.has(Severity::Breaking, "parameter `key_id` removed"),
        "{r:#?}"
    );
    assert!(
        r.has(
            Severity::Breaking,
            "required parameter `api_key_id: String` added"
        ),
        "{r:#?}"
    );
    assert!(r.has(Severity::Patch, "/api_keys/{api_key_id}`"), "{r:#?}");
}

#[test]
fn removed_operation_is_breaking_and_added_one_additive() {
    let second_op = "  /organization/projects/{project_id}/archive:\n    post:\n      operationId: archive-project\n      parameters:\n        - name: project_id\n          in: path\n          required: true\n          schema:\n            type: string\n      responses:\n        '200':\n          description: ok\ncomponents:\n";
    let root = workspace_root();
    let seed = std::fs::read_to_string(root.join(pipeline::WORKSPACE_SPEC)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let bigger = dir.path().join("bigger.yaml");
    std::fs::write(&bigger, seed.replace("components:\n", second_op)).unwrap();
    let seed_path = root.join(pipeline::WORKSPACE_SPEC);

    let removed = report_between(&bigger, &seed_path);
    assert!(
        removed.has(Severity::Breaking, "operation `archive_project` removed"),
        "{removed:#?}"
    );
    let added = report_between(&seed_path, &bigger);
    assert!(
        added.has(
            Severity::Additive,
            "operation `archive_project` added (POST /organization/projects/{project_id}/archive)"
        ),
        "{added:#?}"
    );
    assert_eq!(added.verdict(), Some(Severity::Additive));
}

/// A value added to an enum (of two or more values: those are open to
/// unlisted values already) is additive.
#[test]
fn added_enum_value_is_additive() {
    const VALUE: &str = "            - organization.project.api_key.deleted\n";
    let root = workspace_root();
    let seed = std::fs::read_to_string(root.join(pipeline::WORKSPACE_SPEC)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let two = dir.path().join("two.yaml");
    let three = dir.path().join("three.yaml");
    let with = |extra: &[&str]| {
        let added: String = extra
            .iter()
            .map(|v| format!("            - {v}\n"))
            .collect();
        seed.replace(VALUE, &format!("{VALUE}{added}"))
    };
    std::fs::write(&two, with(&["organization.project.api_key.archived"])).unwrap();
    std::fs::write(
        &three,
        with(&[
            "organization.project.api_key.archived",
            "organization.project.api_key.revoked",
        ]),
    )
    .unwrap();
    let r = report_between(&two, &three);
    assert!(
        r.has(
            Severity::Additive,
            "enum value `ProjectApiKeyDeleteResponseObject::OrganizationProjectApiKeyRevoked` added"
        ),
        "{r:#?}"
    );
    assert_eq!(r.verdict(), Some(Severity::Additive), "{r:#?}");
}

/// The issue's acceptance case: three breaking edits at once, each named.
#[test]
fn three_breaking_edits_are_each_named() {
    let r = report_for(|s| {
        s.replace("        id:\n          type: string\n", "")
            .replace("        - id\n", "")
            .replace(DELETED_PROP, "        deleted:\n          type: string\n")
            .replace("{key_id}", "{api_key_id}")
            .replace("name: key_id", "name: api_key_id")
    });
    assert!(
        r.has(
            Severity::Breaking,
            "field `ProjectApiKeyDeleteResponse.id` removed"
        ),
        "{r:#?}"
    );
    assert!(
        r.has(
            Severity::Breaking,
            "field `ProjectApiKeyDeleteResponse.deleted` type changed"
        ),
        "{r:#?}"
    );
    assert!(
        r.has(Severity::Breaking, "parameter `key_id` removed"),
        "{r:#?}"
    );
    assert_eq!(r.verdict(), Some(Severity::Breaking));
    let text = codegen::report::render(&r, "openai-admin-client", "0.1.0");
    assert!(
        text.contains("Verdict: breaking. Bump `openai-admin-client` from 0.1.0 to 0.2.0."),
        "{text}"
    );
}

/// An `Option` field serde reads as `None` when absent is optional on the
/// wire, and the report says so (it used to say "required").
#[test]
fn added_non_required_integer_is_listed_optional() {
    let r = report_for(|s| {
        s.replace(
            DELETED_PROP,
            &format!("{DELETED_PROP}        created_at:\n          type: integer\n"),
        )
    });
    assert!(
        r.has(
            Severity::Additive,
            "field `ProjectApiKeyDeleteResponse.created_at: Option<i64>` added (\"created_at\", optional, response type)"
        ),
        "{r:#?}"
    );
}

/// Old and new versions of a spec with a request body and a response.
fn request_response_spec(extra_request: &str, extra_response: &str) -> String {
    format!(
        r##"openapi: 3.0.3
info: {{title: t, version: "1"}}
paths:
  /things:
    post:
      operationId: create-thing
      requestBody:
        required: true
        content:
          application/json:
            schema: {{$ref: "#/components/schemas/NewThing"}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {{$ref: "#/components/schemas/Thing"}}
components:
  schemas:
    NewThing:
      type: object
      required: [name{extra_request}]
      properties:
        name: {{type: string}}
        color: {{type: string}}
    Thing:
      type: object
      required: [id{extra_response}]
      properties:
        id: {{type: string}}
        size: {{type: integer}}
"##
    )
}

/// Adding a required field: breaking in a request type, additive in a
/// response-only type.
#[test]
fn added_required_field_is_breaking_only_in_request_types() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.yaml");
    let new = dir.path().join("new.yaml");
    std::fs::write(&old, request_response_spec("", "")).unwrap();
    let added = |s: &str| {
        s.replace(
            "        color: {type: string}\n",
            "        color: {type: string}\n        shade: {type: string}\n",
        )
        .replace(
            "        size: {type: integer}\n",
            "        size: {type: integer}\n        weight: {type: integer}\n",
        )
        .replace("required: [name]", "required: [name, shade]")
        .replace("required: [id]", "required: [id, weight]")
    };
    std::fs::write(&new, added(&request_response_spec("", ""))).unwrap();
    let r = report_between(&old, &new);
    assert!(
        r.has(
            Severity::Breaking,
            "field `NewThing.shade: String` added (\"shade\", required, request type)"
        ),
        "{r:#?}"
    );
    assert!(
        r.has(
            Severity::Additive,
            "field `Thing.weight: i64` added (\"weight\", required, response type)"
        ),
        "{r:#?}"
    );
}

/// A success response that starts offering an event stream gives the
/// operation `send_stream()`: listed on the surface, additive in the report.
#[test]
fn added_event_stream_is_additive_and_listed() {
    const JSON_200: &str = "            application/json:\n              schema:\n                $ref: '#/components/schemas/ProjectApiKeyDeleteResponse'\n        '400':";
    let edit = |s: &str| {
        s.replace(
            JSON_200,
            &JSON_200.replace(
                "        '400':",
                "            text/event-stream:\n              schema:\n                $ref: '#/components/schemas/ProjectApiKeyDeleteResponse'\n        '400':",
            ),
        )
    };
    let r = report_for(edit);
    assert!(
        r.has(
            Severity::Additive,
            "operation `delete_project_api_key`: send_stream() added (events `ProjectApiKeyDeleteResponse`)"
        ),
        "{r:#?}"
    );
    assert_eq!(r.verdict(), Some(Severity::Additive), "{r:#?}");
    // And back: removing it is breaking.
    let root = workspace_root();
    let seed = std::fs::read_to_string(root.join(pipeline::WORKSPACE_SPEC)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let with = dir.path().join("with-stream.yaml");
    std::fs::write(&with, edit(&seed)).unwrap();
    let back = report_between(&with, &root.join(pipeline::WORKSPACE_SPEC));
    assert!(
        back.has(
            Severity::Breaking,
            "operation `delete_project_api_key`: send_stream() removed"
        ),
        "{back:#?}"
    );
}
