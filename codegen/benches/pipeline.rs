//! Generation benchmarks (issue: "Benchmarks"): the whole pipeline on the
//! seed spec, its scaling over synthetic specs of 1..1000 operations, and
//! its overhead over bare progenitor + prettyplease on the same input; the
//! pathological cases: a spec of 300 operations one of which progenitor
//! fails on (the failing operation is found by bisection), and telnyx's
//! 1 MB spec (`../shared/specs/wide`, which took 72 s before).
//!
//! `cargo bench -p codegen` (or `cargo xtask bench`, which also measures
//! whole-process times and memory). Results: BENCHMARKS.md.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use codegen::pipeline::{self, Target};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use progenitor::{GenerationSettings, Generator, InterfaceStyle};

/// A spec with `n` operations shaped like the seed's (DELETE with two path
/// parameters, a 200 and a 400 response), each with its own schemas.
fn synthetic_spec(n: usize) -> String {
    let mut paths = String::new();
    let mut schemas = String::new();
    for i in 0..n {
        paths.push_str(&format!(
            "  /organization/projects/{{project_id}}/things{i}/{{key_id}}:\n    delete:\n      operationId: delete-thing-{i}\n      parameters:\n        - {{name: project_id, in: path, required: true, schema: {{type: string}}}}\n        - {{name: key_id, in: path, required: true, schema: {{type: string}}}}\n      responses:\n        '200':\n          description: ok\n          content: {{application/json: {{schema: {{$ref: '#/components/schemas/Thing{i}DeleteResponse'}}}}}}\n        '400':\n          description: error\n          content: {{application/json: {{schema: {{$ref: '#/components/schemas/ErrorResponse'}}}}}}\n"
        ));
        schemas.push_str(&format!(
            "    Thing{i}DeleteResponse:\n      type: object\n      required: [object, id, deleted]\n      properties:\n        object: {{type: string, enum: [organization.project.thing{i}.deleted]}}\n        id: {{type: string}}\n        deleted: {{type: boolean}}\n"
        ));
    }
    format!(
        "openapi: 3.0.0\ninfo: {{title: Synthetic, version: '1'}}\nservers: [{{url: 'https://api.example.com/v1'}}]\npaths:\n{paths}components:\n  schemas:\n{schemas}    ErrorResponse:\n      type: object\n      required: [error]\n      properties:\n        error:\n          type: object\n          required: [message, type]\n          properties:\n            message: {{type: string}}\n            type: {{type: string}}\n            code: {{type: string, nullable: true}}\n            param: {{type: string, nullable: true}}\n"
    )
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// What the workspace does: load, validate, normalize, generate, format,
/// and extract the API surface (`render` does all of it; no writing).
fn workspace_pipeline(target: &Target) -> usize {
    let rendered = pipeline::render(target).expect("pipeline");
    rendered.code().len() + rendered.surface.operations.len()
}

/// Bare progenitor on the same file: parse, generate tokens, prettyplease.
fn bare_progenitor(spec: &Path) -> usize {
    let text = std::fs::read_to_string(spec).unwrap();
    let api: openapiv3::OpenAPI = serde_yaml::from_str(&text).unwrap();
    let mut settings = GenerationSettings::default();
    settings.with_interface(InterfaceStyle::Builder);
    let tokens = Generator::new(&settings).generate_tokens(&api).unwrap();
    let file: syn::File = syn::parse2(tokens).unwrap();
    prettyplease::unparse(&file).len()
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let seed = workspace_root().join(pipeline::WORKSPACE_SPEC);
    let target_for =
        |spec: &Path| Target::standalone(spec, &dir.path().join("out"), "bench").unwrap();

    // 1 + 2: the pipeline vs bare progenitor, seed and synthetic sizes.
    let mut group = c.benchmark_group("generate");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    let mut inputs = vec![("seed".to_owned(), 1usize, seed.clone())];
    for n in [1usize, 10, 100, 1000] {
        let path = dir.path().join(format!("synthetic-{n}.yaml"));
        std::fs::write(&path, synthetic_spec(n)).unwrap();
        inputs.push((format!("synthetic-{n}"), n, path));
    }
    for (name, ops, path) in &inputs {
        let target = target_for(path);
        group.throughput(Throughput::Elements(*ops as u64));
        group.bench_with_input(BenchmarkId::new("workspace", name), &target, |b, t| {
            b.iter(|| black_box(workspace_pipeline(t)))
        });
        group.bench_with_input(BenchmarkId::new("bare-progenitor", name), path, |b, p| {
            b.iter(|| black_box(bare_progenitor(p)))
        });
    }
    group.finish();

    // Where the workspace's own time goes, stage by stage, on 1000 operations.
    let big = &inputs.last().expect("synthetic-1000").2;
    let config = codegen::config::Config::default();
    let doc = codegen::load::load_file(big, "synthetic-1000").unwrap();
    let normalized = codegen::normalize::normalize(&doc, &config);
    let mut stages = c.benchmark_group("stages-1000");
    stages
        .sample_size(10)
        .warm_up_time(Duration::from_millis(200))
        .measurement_time(Duration::from_secs(2));
    stages.bench_function("load", |b| {
        b.iter(|| black_box(codegen::load::load_file(big, "s").unwrap()))
    });
    stages.bench_function("validate", |b| {
        b.iter(|| black_box(codegen::validate::validate(&doc)))
    });
    stages.bench_function("normalize", |b| {
        b.iter(|| black_box(codegen::normalize::normalize(&doc, &config)))
    });
    stages.bench_function("to-openapi", |b| {
        b.iter(|| black_box(doc.to_openapi(&normalized.value).unwrap()))
    });
    stages.finish();

    // A spec progenitor fails on: the time to name the failing operation.
    let failing = dir.path().join("failing-300.yaml");
    let mut spec = synthetic_spec(300);
    let broken = "  /broken:\n    get:\n      operationId: broken\n      responses:\n        '200':\n          description: ok\n          content: {application/json: {schema: {type: object, properties: {a: {not: {enum: [1, a]}}}}}}\ncomponents:\n";
    spec = spec.replacen("components:\n", broken, 1);
    std::fs::write(&failing, spec).unwrap();
    let mut group = c.benchmark_group("pathological");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(1))
        .measurement_time(Duration::from_secs(1));
    let target = target_for(&failing);
    group.bench_function("failing-300", |b| {
        b.iter(|| {
            let err = pipeline::render(&target).expect_err("one operation fails");
            black_box(err.to_string().len())
        })
    });
    let telnyx = workspace_root().join("../shared/specs/wide/25-telnyx-com-2-0-0.yaml");
    if telnyx.exists() {
        let target = target_for(&telnyx);
        group.bench_function("telnyx", |b| {
            b.iter(|| black_box(workspace_pipeline(&target)))
        });
    }
    group.finish();

    // The whole OpenAI API, when ../shared/specs is beside the checkout.
    let openai = workspace_root().join("../shared/specs/openai-openapi-f85dbe2-3.1.0.yaml");
    if openai.exists() {
        let mut group = c.benchmark_group("openai-3.1");
        group
            .sample_size(10)
            .warm_up_time(Duration::from_millis(1))
            .measurement_time(Duration::from_secs(1));
        let mut target = target_for(&openai);
        target.config = Some(workspace_root().join("tests/specs/openai-full.codegen.toml"));
        group.throughput(Throughput::Elements(278));
        group.bench_function("workspace", |b| {
            b.iter(|| black_box(workspace_pipeline(&target)))
        });
        group.finish();
    } else {
        eprintln!("skipped openai-3.1: {} not found", openai.display());
    }
}

criterion_group!(pipeline_benches, benches);
criterion_main!(pipeline_benches);
