//! Broken specs (`tests/corpus/`, one file per case): each gives located,
//! actionable errors (pinned in `tests/snapshots/corpus__*.snap`), exit
//! code 1, and leaves the output crate untouched.

use std::process::Command;

use codegen::Mode;
use codegen::pipeline::{self, Target};
use workspace_tests::{case_name, corpus_cases, xtask_binary};

#[test]
fn broken_specs_give_located_errors_and_write_nothing() {
    let cases = corpus_cases();
    assert!(cases.len() >= 15, "the corpus is in tests/corpus");
    let xtask = xtask_binary();
    for case in cases {
        let file = case.file_name().unwrap().to_string_lossy().into_owned();
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir_all(out.join("src")).unwrap();
        std::fs::write(out.join("src/lib.rs"), "// precious\n").unwrap();

        let target = Target::standalone(&case, &out, "corpus").unwrap();
        let err = match pipeline::run(&target, Mode::Write) {
            Ok(_) => panic!("{file} was accepted"),
            Err(e) => e.to_string(),
        };
        for line in err.lines() {
            assert!(
                line.starts_with(&format!("{file}:")),
                "{file}: not located: {line}"
            );
        }
        insta::assert_snapshot!(case_name(&case), err);

        if let Some(xtask) = &xtask {
            let run = Command::new(xtask)
                .args(["generate", "--spec"])
                .arg(&case)
                .arg("--out")
                .arg(&out)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&run.stderr);
            assert_eq!(run.status.code(), Some(1), "{file}: {stderr}");
            assert!(
                stderr.ends_with("note: nothing was written\n"),
                "{file}: {stderr}"
            );
            assert!(
                !stderr.contains("thread '") && !stderr.contains("backtrace"),
                "{file}: {stderr}"
            );
        }
        assert_eq!(
            std::fs::read_to_string(out.join("src/lib.rs")).unwrap(),
            "// precious\n",
            "{file}"
        );
        assert!(!out.join("Cargo.toml").exists(), "{file}");
    }
}
