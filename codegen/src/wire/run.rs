//! Step `run`: the generated tests against Prism mocking the same spec.
//!
//! **Rule:** the spec's own validator judges, not ours. Prism (pinned in
//! `tests/prism`) mocks the spec the crate was generated from, as the user
//! vendored it (their overlays applied), with `--errors` (a request the
//! spec does not allow is an error, its violations named) and `-d`
//! (responses are random instances of the response schemas, so the client
//! must read what the spec allows, not only its examples). An operation
//! passes when each of its calls gets a documented success the client
//! reads.

use std::collections::BTreeMap;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::pipeline::{self, Target};
use crate::{Error, Mode};

/// How long Prism may take to listen on a spec.
const START_SECS: u64 = 600;

/// What [`run`] takes.
#[derive(Debug, Clone)]
pub struct Options {
    /// The spec.
    pub spec: PathBuf,
    /// Its `codegen.toml` (default: the one beside the spec).
    pub config: Option<PathBuf>,
    /// Overlays applied after the config's.
    pub overlays: Vec<PathBuf>,
    /// Where the crate is generated and the mock's spec written.
    pub work_dir: PathBuf,
    /// Cargo's target directory (shared: dependencies build once).
    pub target_dir: PathBuf,
    /// The Prism executable.
    pub prism: PathBuf,
    /// `Cargo.lock` to start from, so the build uses pinned versions.
    pub lockfile: Option<PathBuf>,
}

impl Options {
    /// The options for this workspace at `root`: the pinned Prism of
    /// `tests/prism`, the shared target directory, the workspace's
    /// `Cargo.lock`, and `target/wire/<spec file stem>` unless `work_dir`.
    pub fn in_workspace(
        root: &Path,
        spec: PathBuf,
        config: Option<PathBuf>,
        overlays: Vec<PathBuf>,
        work_dir: Option<PathBuf>,
    ) -> Self {
        let stem = spec
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        Options {
            work_dir: work_dir.unwrap_or_else(|| root.join("target/wire").join(stem)),
            spec,
            config,
            overlays,
            target_dir: root.join(pipeline::GENERATED_CRATES_TARGET_DIR),
            prism: root.join(PRISM),
            lockfile: Some(root.join("Cargo.lock")),
        }
    }
}

/// The pinned Prism, relative to the workspace root (`npm ci --prefix
/// tests/prism` installs it).
pub const PRISM: &str = "tests/prism/node_modules/.bin/prism";

/// One operation's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The client method.
    pub method: String,
    /// `GET /path`.
    pub route: String,
    /// Each failed call with what the server or client said; empty: passed.
    pub failures: Vec<(String, String)>,
    /// Each call Prism could not judge, with the limitation (never counted
    /// as passed).
    pub unjudged: Vec<(String, String)>,
    /// What the calls could not include (never counted as passed).
    pub gaps: Vec<String>,
}

impl Verdict {
    /// Every call passed, Prism judged them all, and nothing was left out.
    pub fn passed(&self) -> bool {
        self.failures.is_empty() && self.unjudged.is_empty() && self.gaps.is_empty()
    }

    /// A call failed, or the calls leave something out.
    pub fn failed(&self) -> bool {
        !self.failures.is_empty() || !self.gaps.is_empty()
    }
}

/// Every operation's verdict, and the final line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The spec, as named in messages.
    pub spec: String,
    /// One per operation, by client method.
    pub verdicts: Vec<Verdict>,
}

impl Report {
    /// Operations that passed.
    pub fn passed(&self) -> usize {
        self.verdicts.iter().filter(|v| v.passed()).count()
    }

    /// Operations that failed (a call failed, or something was not sent).
    pub fn failed(&self) -> usize {
        self.verdicts.iter().filter(|v| v.failed()).count()
    }

    /// One line per operation (`pass`, `FAIL` with each violation, or
    /// `not judged` with Prism's limitation), then `wire: P/T operations
    /// pass`.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for v in &self.verdicts {
            let word = if v.passed() {
                "pass"
            } else if v.failed() {
                "FAIL"
            } else {
                "not judged"
            };
            out.push_str(&format!("{word:<10} {} ({})\n", v.method, v.route));
            for (call, said) in &v.failures {
                out.push_str(&format!("           {call}: {said}\n"));
            }
            for (call, limitation) in &v.unjudged {
                out.push_str(&format!("           {call}: not judged: {limitation}\n"));
            }
            for gap in &v.gaps {
                out.push_str(&format!("           not sent: {gap}\n"));
            }
        }
        let unjudged = self.verdicts.len() - self.passed() - self.failed();
        out.push_str(&format!(
            "wire: {}/{} operations pass ({}; {} failed, {unjudged} not judged by Prism)\n",
            self.passed(),
            self.verdicts.len(),
            self.spec,
            self.failed(),
        ));
        out
    }
}

/// The crate's name in the work directory `dir`: `wire-<dir name>`.
///
/// **Rule: one name per work directory.** Every work directory is a
/// workspace of one member, `client`, built in one shared target dir;
/// cargo hashes a path member by its path in its workspace, so crates of
/// one name would share their test executable and fingerprints, and a
/// spec's run could start another spec's tests (a build it took as fresh).
fn crate_name(dir: &Path) -> String {
    let stem = crate::naming::package_stem(dir);
    if stem.is_empty() {
        "wire-client".to_owned()
    } else {
        format!("wire-{stem}")
    }
}

/// Generate the crate with its tests into `work_dir/client`, start Prism
/// on the spec, run each operation's tests against it, and judge each:
/// [`prepare`], then [`judge`].
pub fn run(opts: &Options) -> Result<Report, Error> {
    judge(opts, &prepare(opts)?)
}

/// What [`prepare`] wrote: the crate and the spec the mock serves.
#[derive(Debug)]
pub struct Prepared {
    /// The generated crate's directory (`work_dir/client`).
    pub client_dir: PathBuf,
    /// The spec Prism mocks (`work_dir/mock-spec.json`).
    pub mock_spec: PathBuf,
    /// The spec, as named in messages.
    pub spec: String,
    rendered: pipeline::Rendered,
}

/// Generate the crate with its tests into `work_dir/client` (a workspace
/// of its own, pinned by the lockfile) and write the spec the mock serves.
pub fn prepare(opts: &Options) -> Result<Prepared, Error> {
    let client_dir = opts.work_dir.join("client");
    let mut target = Target::standalone(&opts.spec, &client_dir, &crate_name(&opts.work_dir))?;
    if let Some(config) = &opts.config {
        target = target.with_config(config);
    }
    for overlay in &opts.overlays {
        target = target.with_overlay(overlay);
    }
    let rendered = pipeline::render(&target)?;
    crate::write::ensure_files(&client_dir, &rendered.files, Mode::Write)?;
    let workspace = "# @generated by codegen::wire\n[workspace]\nresolver = \"3\"\nmembers = [\"client\"]\n\n[profile.dev]\ndebug = false\n";
    crate::write::ensure_files(
        &opts.work_dir,
        &[(PathBuf::from("Cargo.toml"), workspace.to_owned())],
        Mode::Write,
    )?;
    if let Some(lock) = &opts.lockfile {
        std::fs::copy(lock, opts.work_dir.join("Cargo.lock")).map_err(|e| Error::io(lock, e))?;
    }
    // The spec as the user vendored it, their overlays applied: what the
    // crate promises to send.
    let mock_spec = opts.work_dir.join("mock-spec.json");
    let mut doc = pipeline::load_overlaid(&target)?;
    super::mock::bound_integer_formats(&mut doc.value);
    super::mock::swagger_default_media(&mut doc.value);
    super::mock::ignore_ref_siblings(&mut doc.value);
    let json = serde_json::to_string_pretty(&doc.value).map_err(|e| Error::Build(e.to_string()))?;
    std::fs::write(&mock_spec, json).map_err(|e| Error::io(&mock_spec, e))?;
    Ok(Prepared {
        client_dir,
        mock_spec,
        spec: target.spec_display,
        rendered,
    })
}

/// Build the prepared crate's tests as they are now, start Prism on its
/// spec, run each operation's tests, and judge each.
pub fn judge(opts: &Options, prepared: &Prepared) -> Result<Report, Error> {
    let Prepared {
        client_dir,
        mock_spec,
        rendered,
        ..
    } = prepared;
    let mock_spec = mock_spec.as_path();
    let exe = build_tests(&opts.target_dir, &client_dir.join("Cargo.toml"))?;
    let env = test_env(rendered)?;
    let mut prism = Prism::start(&opts.prism, mock_spec, true)?;
    // Each operation's calls, what they did, and the calls Prism stopped on.
    let mut ran = Vec::new();
    for op in &rendered.wire {
        let mut names = vec![
            format!("{}::required", op.method),
            format!("{}::all", op.method),
        ];
        if op.streams {
            names.push(format!("{}::stream", op.method));
        }
        let (mut results, crashed) = run_tests(&exe, &env, &mut prism, &names)?;
        // Prism stopped on one of these requests: a new one serves each
        // call alone, so the one it stops on is known (its limitation) and
        // the others are judged.
        let mut stopped_on = BTreeMap::new();
        if crashed.is_some() {
            prism = Prism::start(&opts.prism, mock_spec, true)?;
            for name in &names {
                let (alone, crashed) =
                    run_tests(&exe, &env, &mut prism, std::slice::from_ref(name))?;
                results.extend(alone);
                if let Some(error) = crashed {
                    stopped_on.insert(name.clone(), error);
                    prism = Prism::start(&opts.prism, mock_spec, true)?;
                }
            }
        }
        ran.push((op, names, results, stopped_on));
    }
    drop(prism);
    // Calls whose request Prism accepted but whose random response broke
    // the spec: again against Prism answering from the spec's examples and
    // schemas without chance (no `-d`).
    let again: Vec<String> = ran
        .iter()
        .flat_map(|(_, _, results, _)| results.iter())
        .filter(|(_, o)| {
            matches!(o, Outcome::Failed(said)
                if super::limits::response_broken(said) || super::limits::prism_threw(said).is_some())
        })
        .map(|(name, _)| name.clone())
        .collect();
    let mut dynamic_said = BTreeMap::new();
    if !again.is_empty() {
        let mut stable = Prism::start(&opts.prism, mock_spec, false)?;
        let (results, _) = run_tests(&exe, &env, &mut stable, &again)?;
        for (_, _, before, _) in &mut ran {
            for (name, outcome) in &results {
                if let Some(old) = before.get_mut(name) {
                    if let Outcome::Failed(said) = old {
                        dynamic_said.insert(name.clone(), said.clone());
                    }
                    *old = outcome.clone();
                }
            }
        }
    }
    // The spec's own validator, for fixed responses that break it and
    // bodies Prism rejects.
    let judge = std::fs::read_to_string(mock_spec)
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .map(|doc| crate::conformance::Judge::new(&doc));
    let mut verdicts = Vec::new();
    for (op, names, results, stopped_on) in ran {
        let mut verdict = Verdict {
            method: op.method.clone(),
            route: format!("{} {}", op.http_method, op.path),
            failures: Vec::new(),
            unjudged: Vec::new(),
            gaps: op.gaps.clone(),
        };
        for name in &names {
            let call = name.rsplit("::").next().unwrap_or(name).to_owned();
            let said = match results.get(name) {
                Some(Outcome::Passed) => continue,
                Some(Outcome::Failed(said)) => said.clone(),
                None => "the test did not run".to_owned(),
            };
            let crashed = stopped_on.get(name).map(String::as_str);
            let dynamic = dynamic_said.get(name).map(String::as_str);
            let fixed_broken = judge.as_ref().and_then(|judge| {
                super::limits::fixed_response_breaks_spec(judge, op, &said, dynamic)
            });
            if let Some(limitation) = fixed_broken {
                verdict.unjudged.push((call, limitation));
                continue;
            }
            match super::limits::limitation(op, &call, &said, crashed, dynamic) {
                Some(limitation) => verdict.unjudged.push((call, limitation)),
                None => {
                    let spec_says = judge
                        .as_ref()
                        .and_then(|judge| super::limits::body_breaks_spec(judge, op, &call));
                    let said = match spec_says {
                        Some(rule) => format!(
                            "{said} (the spec's own validator rejects this body too: {rule}; when no value can satisfy it, the spec needs an overlay)"
                        ),
                        None => match super::limits::path_parameter_outside_template(op, &said)
                            .or_else(|| {
                                judge.as_ref().and_then(|judge| {
                                    super::limits::parameter_admits_no_value(judge, op, &said)
                                        .or_else(|| {
                                            super::limits::parameter_value_breaks_spec(
                                                judge, op, &call, &said,
                                            )
                                        })
                                })
                            }) {
                            Some(why) => format!("{said} ({why})"),
                            None => said,
                        },
                    };
                    verdict.failures.push((call, said));
                }
            }
        }
        verdicts.push(verdict);
    }
    Ok(Report {
        spec: prepared.spec.clone(),
        verdicts,
    })
}

/// Run the tests `names` of the executable `exe` against `prism`; their
/// outcomes, and Prism's last error if it stopped meanwhile.
fn run_tests(
    exe: &Path,
    env: &str,
    prism: &mut Prism,
    names: &[String],
) -> Result<(BTreeMap<String, Outcome>, Option<String>), Error> {
    let ran = Command::new(exe)
        .arg("--exact")
        .args(names)
        .args(["--test-threads", "3"])
        .env(env, &prism.url)
        .output()
        .map_err(|e| Error::Build(format!("cannot run {}: {e}", exe.display())))?;
    let results = parse(&String::from_utf8_lossy(&ran.stdout));
    // A request Prism dropped is seen before its process has gone.
    let dropped = results
        .values()
        .any(|o| matches!(o, Outcome::Failed(s) if s.contains("error sending request")));
    let mut crashed = prism.stopped();
    let deadline = Instant::now() + Duration::from_secs(3);
    while dropped && crashed.is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
        crashed = prism.stopped();
    }
    Ok((results, crashed))
}

/// Build the crate's `operations` test (every feature) and return its
/// executable.
fn build_tests(target_dir: &Path, manifest: &Path) -> Result<PathBuf, Error> {
    let built = pipeline::cargo_for_generated(target_dir)
        .args([
            "test",
            "--all-features",
            "--test",
            "operations",
            "--no-run",
            "--message-format=json",
            "--manifest-path",
        ])
        .arg(manifest)
        .output()
        .map_err(|e| Error::Build(format!("cannot run cargo: {e}")))?;
    if !built.status.success() {
        return Err(Error::Build(format!(
            "the crate's tests do not build:\n{}",
            tail(&String::from_utf8_lossy(&built.stderr), 60)
        )));
    }
    String::from_utf8_lossy(&built.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["target"]["name"] == "operations")
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .ok_or_else(|| Error::Build("cargo built no `operations` test".to_owned()))
}

/// The variable the rendered tests read the server from.
fn test_env(rendered: &pipeline::Rendered) -> Result<String, Error> {
    let tests = rendered
        .files
        .iter()
        .find(|(p, _)| p == Path::new(crate::wire::TESTS_FILE))
        .ok_or_else(|| Error::Build("no tests were generated".to_owned()))?;
    tests
        .1
        .lines()
        .find_map(|l| l.trim().strip_prefix("pub const BASE_URL_ENV: &str = \""))
        .and_then(|rest| rest.strip_suffix("\";"))
        .map(str::to_owned)
        .ok_or_else(|| Error::Build("the tests name no server variable".to_owned()))
}

/// What one test did.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Passed,
    /// Its `wire: ` line (else the first line of its panic).
    Failed(String),
}

/// libtest's output -> each test's outcome.
fn parse(stdout: &str) -> BTreeMap<String, Outcome> {
    let mut out = BTreeMap::new();
    for line in stdout.lines() {
        if let Some(rest) = line.strip_prefix("test ")
            && let Some((name, result)) = rest.rsplit_once(" ... ")
        {
            let outcome = match result.trim() {
                "ok" => Outcome::Passed,
                "FAILED" => Outcome::Failed("failed".to_owned()),
                _ => continue,
            };
            out.insert(name.trim().to_owned(), outcome);
        }
    }
    // `---- name stdout ----` sections hold each failure's panic.
    let mut current: Option<String> = None;
    for line in stdout.lines() {
        if let Some(name) = line
            .strip_prefix("---- ")
            .and_then(|l| l.strip_suffix(" stdout ----"))
        {
            current = Some(name.to_owned());
            continue;
        }
        let Some(name) = &current else { continue };
        let said = if let Some(said) = line.strip_prefix("wire: ") {
            said.to_owned()
        } else {
            continue;
        };
        out.insert(name.clone(), Outcome::Failed(said));
        current = None;
    }
    out
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    let start = all.len().saturating_sub(lines);
    all[start..].join("\n") + "\n"
}

/// A Prism mock server, stopped when dropped.
pub struct Prism {
    child: Child,
    /// Its base URL.
    pub url: String,
    /// Its output.
    log: PathBuf,
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Prism {
    /// Prism mocking `spec` on a free loopback port, validating requests
    /// as errors and answering with random instances of the response
    /// schemas (`dynamic`) or with their examples and fixed instances;
    /// ready when it answers HTTP.
    pub fn start(bin: &Path, spec: &Path, dynamic: bool) -> Result<Self, Error> {
        if !bin.exists() {
            return Err(Error::Usage(format!(
                "{} not found: run `npm ci --prefix tests/prism` (needs Node.js)",
                bin.display()
            )));
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| Error::Build(format!("no free port: {e}")))?
            .port();
        let log = spec.with_extension(if dynamic {
            "prism.log"
        } else {
            "static.prism.log"
        });
        let log_file = std::fs::File::create(&log).map_err(|e| Error::io(&log, e))?;
        let err_file = log_file.try_clone().map_err(|e| Error::io(&log, e))?;
        let child = Command::new(bin)
            .args(["mock", "--errors", "--host", "127.0.0.1", "--port"])
            .arg(port.to_string())
            .args(dynamic.then_some("-d"))
            .arg(spec)
            .stdout(Stdio::from(log_file))
            .stderr(Stdio::from(err_file))
            .spawn()
            .map_err(|e| Error::Build(format!("cannot start {}: {e}", bin.display())))?;
        let mut prism = Prism {
            child,
            url: format!("http://127.0.0.1:{port}"),
            log: log.clone(),
        };
        // Prism reads and dereferences the whole spec before it listens:
        // seconds for most, minutes for the largest (Stripe's 7 MB took
        // past 120 s on two busy cores). Only a Prism that never starts
        // waits this long.
        let deadline = Instant::now() + Duration::from_secs(START_SECS);
        while !answers_http(port) {
            if let Ok(Some(status)) = prism.child.try_wait() {
                let said = std::fs::read_to_string(&log).unwrap_or_default();
                return Err(Error::Build(format!(
                    "Prism stopped ({status}) before serving {}:\n{}",
                    spec.display(),
                    tail(&said, 20)
                )));
            }
            if Instant::now() > deadline {
                return Err(Error::Build(format!(
                    "Prism did not answer HTTP on port {port} within {START_SECS} s"
                )));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        Ok(prism)
    }
}

impl Prism {
    /// `None` while it runs; once it has stopped, the error it printed
    /// last (a JavaScript exception's first line and where it was thrown).
    pub fn stopped(&mut self) -> Option<String> {
        match self.child.try_wait() {
            Ok(None) => None,
            _ => {
                let log = std::fs::read_to_string(&self.log).unwrap_or_default();
                let error = log
                    .lines()
                    .rfind(|l| l.contains("Error"))
                    .unwrap_or("no message")
                    .trim()
                    .to_owned();
                Some(error)
            }
        }
    }
}

/// Whether something on `port` answers an HTTP request (any status).
fn answers_http(port: u16) -> bool {
    use std::io::{Read, Write};
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    if stream
        .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut head = [0u8; 5];
    stream.read_exact(&mut head).is_ok() && &head == b"HTTP/"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_work_directory_builds_a_crate_of_its_own_name() {
        let a = crate_name(Path::new("target/wire/01-xkcd"));
        let b = crate_name(Path::new("target/wire/27-spotify"));
        assert_eq!(a, "wire-01-xkcd");
        assert_ne!(a, b);
        assert_eq!(crate_name(Path::new("/tmp/__")), "wire-client");
    }

    #[test]
    fn reads_libtest_output() {
        let out = "\nrunning 3 tests\ntest a::required ... ok\ntest a::all ... FAILED\ntest b::required ... ok\n\nfailures:\n\n---- a::all stdout ----\n\nthread 'a::all' panicked at tests/operations.rs:1:1:\nwire: 422 Unprocessable Entity: [{\"location\":[\"query\",\"q\"]}]\nnote: run with `RUST_BACKTRACE=1`\n";
        let parsed = parse(out);
        assert_eq!(parsed["a::required"], Outcome::Passed);
        assert_eq!(
            parsed["a::all"],
            Outcome::Failed(
                "422 Unprocessable Entity: [{\"location\":[\"query\",\"q\"]}]".to_owned()
            )
        );
        assert_eq!(parsed.len(), 3);
    }
}
