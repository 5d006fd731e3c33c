//! `cargo xtask bench`: runs the criterion benches, then measures what a
//! user waits for (whole processes) and peak memory. No pipeline logic here:
//! it only starts processes and reports medians.

use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use codegen::pipeline;

pub fn run(criterion: bool, runs: usize) -> ExitCode {
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
        consumer_builds(exe, &cargo, &root);
    }
    ExitCode::SUCCESS
}

/// What a consumer waits for: a debug build (or check) of a generated
/// crate alone, its dependencies already built, with all features and with
/// one; wall time and peak memory (the largest rustc, through `wait4`).
/// Builds one at a time, in one target dir beside the crates.
fn consumer_builds(exe: &Path, cargo: &str, root: &Path) {
    let specs = root.join("../shared/specs");
    let cases: [(&str, &str, &str, &[&str]); 3] = [
        ("openai-openapi-f85dbe2-3.1.0.yaml", "openai", "build", &[]),
        (
            "openai-openapi-f85dbe2-3.1.0.yaml",
            "openai",
            "build",
            &["--no-default-features", "--features", "files"],
        ),
        ("real/39-stripe.yaml", "stripe", "check", &[]),
    ];
    if !specs.is_dir() {
        println!("\n(skipped consumer builds: {} not found)", display(&specs));
        return;
    }
    println!("\n== consumer builds: the generated crate alone, dependencies built, one run each");
    let dir = tempfile::tempdir().expect("temp dir");
    let mut members = Vec::new();
    for (spec, name, _, _) in &cases {
        if members.contains(name) {
            continue;
        }
        let ok = Command::new(exe)
            .args(["generate", "--spec"])
            .arg(specs.join(spec))
            .arg("--out")
            .arg(dir.path().join(name))
            .args(["--name", name])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            println!("  {name}: generation failed");
            return;
        }
        members.push(*name);
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
    for (_, name, mode, args) in &cases {
        let run = |touch: bool| {
            if touch {
                let lib = dir.path().join(name).join("src/lib.rs");
                if let Ok(text) = std::fs::read_to_string(&lib) {
                    let _ = std::fs::write(&lib, text);
                }
            }
            let start = Instant::now();
            let child = Command::new(cargo)
                .current_dir(dir.path())
                .env("CARGO_TARGET_DIR", &target)
                .env("CARGO_INCREMENTAL", "0")
                .args([mode, "--quiet", "-p", name])
                .args(*args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn();
            child
                .map(wait_with_peak_rss)
                .map(|(ok, peak)| (ok, start.elapsed(), peak))
        };
        // The dependencies first (not measured), then the crate alone.
        if !matches!(run(false), Ok((true, _, _))) {
            println!("  cargo {mode} -p {name} {}: failed", args.join(" "));
            continue;
        }
        match run(true) {
            Ok((true, took, peak)) => println!(
                "  cargo {mode} -p {name} {}: {:.1} s, peak RSS {}",
                args.join(" "),
                took.as_secs_f64(),
                peak.map_or("not measurable".to_owned(), |kib| format!(
                    "{:.2} GiB",
                    kib as f64 / 1024.0 / 1024.0
                ))
            ),
            _ => println!("  cargo {mode} -p {name} {}: failed", args.join(" ")),
        }
    }
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
