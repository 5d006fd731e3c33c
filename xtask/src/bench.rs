//! `cargo xtask bench`: runs the criterion benches, then measures what a
//! user waits for (whole processes) and peak memory. No pipeline logic here:
//! it only starts processes and reports medians.

use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use codegen::pipeline;

pub fn run(criterion: bool, runs: usize, builds: usize) -> ExitCode {
    let root = pipeline::workspace_root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    if criterion {
        println!("== cargo bench --workspace --benches (criterion)");
        let ok = Command::new(&cargo)
            .current_dir(&root)
            .args(["bench", "--workspace", "--benches"])
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("error: cargo bench failed");
            return ExitCode::FAILURE;
        }
    }

    println!("\n== whole-process wall time, median of {runs} runs (seed spec)");
    let check = median(runs, || {
        Command::new(&cargo)
            .current_dir(&root)
            .args(["xtask", "generate", "--check"])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    });
    report("cargo xtask generate --check", check);
    let exe = std::env::current_exe().ok();
    if let Some(exe) = &exe {
        let direct = median(runs, || {
            Command::new(exe)
                .args(["generate", "--check"])
                .stdout(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        });
        report("xtask binary: generate --check", direct);
    }
    let has_cargo_progenitor = Command::new(&cargo)
        .args(["progenitor", "--help"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if has_cargo_progenitor {
        let out = tempfile::tempdir().expect("temp dir");
        let progenitor = median(runs, || {
            Command::new(&cargo)
                .args(["progenitor", "-i"])
                .arg(root.join(pipeline::WORKSPACE_SPEC))
                .arg("-o")
                .arg(out.path())
                .args(["-n", "seed", "-v", "0.1.0", "--interface", "builder"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        });
        report("cargo progenitor (same spec)", progenitor);
    } else {
        println!("  cargo progenitor: not installed (cargo install cargo-progenitor), skipped");
    }

    let largest = root.join("../shared/specs/openai-openapi-f85dbe2-3.1.0.yaml");
    match (&exe, largest.exists()) {
        (Some(exe), true) => {
            println!("\n== the whole OpenAI API (3.1.0, 288 operations), one run");
            let out = tempfile::tempdir().expect("temp dir");
            let start = Instant::now();
            let child = Command::new(exe)
                .args(["generate", "--spec"])
                .arg(&largest)
                .arg("--out")
                .arg(out.path().join("openai"))
                .arg("--name")
                .arg("openai")
                .arg("--config")
                .arg(root.join("tests/specs/openai-full.codegen.toml"))
                .stdout(Stdio::null())
                .spawn();
            match child.map(wait_with_peak_rss) {
                Ok((true, peak)) => {
                    println!("  wall time: {:.2} s", start.elapsed().as_secs_f64());
                    match peak {
                        Some(kib) => println!("  peak RSS: {:.0} MiB", kib as f64 / 1024.0),
                        None => println!("  peak RSS: not measurable on this platform"),
                    }
                }
                _ => println!("  generation failed"),
            }
        }
        _ => println!(
            "\n(skipped the whole OpenAI API: {} not found)",
            display(&largest)
        ),
    }
    if let Some(exe) = &exe {
        consumer_builds(exe, &cargo, &root, builds);
    }
    ExitCode::SUCCESS
}

/// One build a consumer waits for: a generated crate, the command, its
/// feature flags.
struct Consumer {
    spec: &'static str,
    name: &'static str,
    mode: &'static str,
    args: &'static [&'static str],
}

/// What a consumer waits for: a debug build (or check) of a generated
/// crate alone, its dependencies already built, with all features and with
/// one; wall time and peak memory (the largest rustc, through `wait4`).
/// The settings are the workspace's own for generated crates (no
/// incremental cache, line tables only), set here so that the caller's
/// environment changes nothing. Beside each build with all features, when
/// `openapi-to-rust` is installed (on `PATH`, or the binary named by
/// `OPENAPI_TO_RUST`), the same build of its crate for the same spec (it
/// has no features): the anchor, measured in the same run. Builds one at a
/// time, in one target dir beside the crates; with several `rounds`, every
/// crate once per round (so ours and the anchor's alternate) and the
/// median.
fn consumer_builds(exe: &Path, cargo: &str, root: &Path, rounds: usize) {
    const OPENAI: &str = "openai-openapi-f85dbe2-3.1.0.yaml";
    const STRIPE: &str = "real/39-stripe.yaml";
    let ours = [
        Consumer {
            spec: OPENAI,
            name: "openai",
            mode: "build",
            args: &[],
        },
        Consumer {
            spec: OPENAI,
            name: "openai",
            mode: "build",
            args: &["--no-default-features", "--features", "files"],
        },
        Consumer {
            spec: STRIPE,
            name: "stripe",
            mode: "check",
            args: &[],
        },
    ];
    let specs = root.join("../shared/specs");
    if !specs.is_dir() {
        println!("\n(skipped consumer builds: {} not found)", display(&specs));
        return;
    }
    let anchor = anchor_generator();
    println!(
        "\n== consumer builds: the generated crate alone, dependencies built, {} round(s)",
        rounds.max(1)
    );
    match &anchor {
        Some((_, version)) => println!("  anchor: {version}"),
        None => println!(
            "  anchor: openapi-to-rust not found (cargo install openapi-to-rust --version 0.23.0, \
             or OPENAPI_TO_RUST=path), skipped"
        ),
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let mut members: Vec<String> = Vec::new();
    let mut builds: Vec<(String, &Consumer)> = Vec::new();
    for case in &ours {
        let mut crates = vec![(case.name.to_owned(), false)];
        if anchor.is_some() && case.args.is_empty() {
            crates.push((format!("o2r-{}", case.name), true));
        }
        for (name, is_anchor) in crates {
            if !members.contains(&name) {
                let out = dir.path().join(&name);
                let generated = match &anchor {
                    Some((bin, _)) if is_anchor => {
                        anchor_crate(bin, &specs.join(case.spec), &out, &name)
                    }
                    _ => Command::new(exe)
                        .args(["generate", "--spec"])
                        .arg(specs.join(case.spec))
                        .arg("--out")
                        .arg(&out)
                        .args(["--name", &name])
                        .stdout(Stdio::null())
                        .stderr(Stdio::null())
                        .status()
                        .is_ok_and(|s| s.success()),
                };
                if !generated {
                    println!("  {name}: generation failed");
                    continue;
                }
                members.push(name.clone());
            }
            builds.push((name, case));
        }
    }
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
        members
            .iter()
            .map(|m| format!("{m:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = std::fs::write(dir.path().join("Cargo.toml"), manifest);
    let _ = std::fs::copy(root.join("Cargo.lock"), dir.path().join("Cargo.lock"));
    let target = root.join(pipeline::GENERATED_CRATES_TARGET_DIR);
    // The dependencies of every crate first (not measured: the crate's
    // root emptied), then the rounds (the root written back, which also
    // makes it newer than its last build).
    let mut measured = Vec::new();
    for (name, case) in builds {
        let lib = dir.path().join(&name).join("src/lib.rs");
        let what = format!("cargo {} -p {name} {}", case.mode, case.args.join(" "));
        let Ok(text) = std::fs::read_to_string(&lib) else {
            println!("  {what}: no src/lib.rs");
            continue;
        };
        let deps = consumer_build(cargo, dir.path(), &target, &name, case, &lib, "");
        // The root back at once: another build of the same crate reads it.
        if std::fs::write(&lib, &text).is_err() || !matches!(deps, Some((true, _, _))) {
            println!("  {what}: failed");
            continue;
        }
        measured.push((what, name, case, lib, text, Vec::new()));
    }
    for _ in 0..rounds.max(1) {
        for (what, name, case, lib, text, runs) in &mut measured {
            match consumer_build(cargo, dir.path(), &target, name, case, lib, text) {
                Some((true, took, peak)) => runs.push((took, peak)),
                _ => println!("  {what}: failed"),
            }
        }
    }
    for (what, _, _, _, _, mut runs) in measured {
        if runs.is_empty() {
            continue;
        }
        runs.sort_by_key(|(took, _)| *took);
        let (took, _) = runs[runs.len() / 2];
        let peak = runs.iter().filter_map(|(_, peak)| *peak).max();
        let all = runs
            .iter()
            .map(|(t, _)| format!("{:.1}", t.as_secs_f64()))
            .collect::<Vec<_>>()
            .join(", ");
        println!(
            "  {what}: {:.1} s (median of {}: {all} s), peak RSS {}",
            took.as_secs_f64(),
            runs.len(),
            peak.map_or("not measurable".to_owned(), |kib| format!(
                "{:.2} GiB",
                kib as f64 / 1024.0 / 1024.0
            ))
        );
    }
}

/// One build of crate `name` with `root` as its `src/lib.rs`: whether it
/// succeeded, its wall time and peak memory (KiB).
fn consumer_build(
    cargo: &str,
    workspace: &Path,
    target: &Path,
    name: &str,
    case: &Consumer,
    lib: &Path,
    root: &str,
) -> Option<(bool, Duration, Option<u64>)> {
    std::fs::write(lib, root).ok()?;
    let start = Instant::now();
    let child = Command::new(cargo)
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_PROFILE_DEV_DEBUG", "line-tables-only")
        .args([case.mode, "--quiet", "-p", name])
        .args(case.args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let (ok, peak) = wait_with_peak_rss(child);
    Some((ok, start.elapsed(), peak))
}

/// The anchor generator, if installed: its binary and `--version`.
fn anchor_generator() -> Option<(std::path::PathBuf, String)> {
    let bin = std::env::var_os("OPENAPI_TO_RUST")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| "openapi-to-rust".into());
    let out = Command::new(&bin).arg("--version").output().ok()?;
    out.status.success().then(|| {
        let version = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        (bin, version)
    })
}

/// The anchor's crate for `spec` in `out`, laid out as its output asks:
/// its modules under `src/api` (`pub mod api;` at the root) and the
/// dependencies of its `REQUIRED_DEPS.toml` fragment.
fn anchor_crate(bin: &Path, spec: &Path, out: &Path, name: &str) -> bool {
    let api = out.join("src/api");
    let ok = Command::new(bin)
        .arg("generate")
        .arg(spec)
        .arg("--output-dir")
        .arg(&api)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let Ok(deps) = std::fs::read_to_string(api.join("REQUIRED_DEPS.toml")) else {
        return false;
    };
    let manifest = format!(
        "[package]\nname = {name:?}\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n{deps}"
    );
    ok && std::fs::write(out.join("Cargo.toml"), manifest).is_ok()
        && std::fs::write(out.join("src/lib.rs"), "pub mod api;\n").is_ok()
}

fn display(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// Median wall time of `runs` runs of `f` (which must succeed).
fn median(runs: usize, mut f: impl FnMut() -> bool) -> Option<Duration> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        if !f() {
            return None;
        }
        times.push(start.elapsed());
    }
    times.sort();
    Some(times[times.len() / 2])
}

fn report(what: &str, median: Option<Duration>) {
    match median {
        Some(d) => println!("  {what}: {:.1} ms", d.as_secs_f64() * 1000.0),
        None => println!("  {what}: failed"),
    }
}

/// Wait for `child`; whether it succeeded, and its own peak resident set
/// size in KiB (from `wait4`, so no other process is counted).
#[cfg(unix)]
fn wait_with_peak_rss(child: std::process::Child) -> (bool, Option<u64>) {
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: wait4 writes only the status and the struct we hand it; the
    // child is ours and has not been waited for.
    let (rc, usage) = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        let rc = libc::wait4(pid, &mut status, 0, &mut usage);
        (rc, usage)
    };
    if rc != pid {
        return (false, None);
    }
    let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    // Linux reports KiB.
    (ok, u64::try_from(usage.ru_maxrss).ok())
}

#[cfg(not(unix))]
fn wait_with_peak_rss(mut child: std::process::Child) -> (bool, Option<u64>) {
    (child.wait().is_ok_and(|s| s.success()), None)
}
