//! Stage 5, **write / check**: make files on disk match what was generated,
//! or, under `--check`, report how they differ without touching anything.
//!
//! Modelled on rust-analyzer's `ensure_file_contents`: one function serves
//! both the `xtask` (which writes) and the tests (which check), so "the
//! checked-in client is stale" means the same thing everywhere.
//!
//! Writing is atomic: every file is first written in full to a temporary
//! file beside its destination, and only when all of them are ready are
//! they renamed into place. An error before that point leaves the output
//! directory exactly as it was.

use std::path::{Path, PathBuf};

use crate::Error;

/// Write the files, or only compare them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Replace files whose contents differ.
    Write,
    /// Change nothing; report differences.
    Check,
}

/// What happened (or, under [`Mode::Check`], would happen) to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Already up to date.
    Unchanged,
    /// Did not exist.
    Created,
    /// Existed with other contents.
    Updated,
}

/// One generated file and how it compares with the disk.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// Path relative to the output root.
    pub path: PathBuf,
    /// Created, updated or unchanged.
    pub status: Status,
    /// Under [`Mode::Check`], the unified diff from the old to the new
    /// contents (empty when unchanged, and always under [`Mode::Write`]).
    pub diff: String,
    /// Lines in the new contents.
    pub lines: usize,
}

/// Make each `(relative path, contents)` under `root` match, per `mode`.
pub fn ensure_files(
    root: &Path,
    files: &[(PathBuf, String)],
    mode: Mode,
) -> Result<Vec<FileReport>, Error> {
    let mut reports = Vec::with_capacity(files.len());
    for (rel, contents) in files {
        let path = root.join(rel);
        let old = match std::fs::read(&path) {
            Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(Error::io(path, e)),
        };
        let status = match &old {
            Some(old) if old == contents => Status::Unchanged,
            Some(_) => Status::Updated,
            None => Status::Created,
        };
        // Only a check shows the diff; a write would make it for nothing
        // (a line diff of the whole OpenAI client takes seconds).
        let diff = match (mode, status) {
            (Mode::Check, Status::Updated | Status::Created) => {
                unified_diff(rel, old.as_deref().unwrap_or(""), contents)
            }
            _ => String::new(),
        };
        reports.push(FileReport {
            path: rel.clone(),
            status,
            diff,
            lines: contents.lines().count(),
        });
    }

    if mode == Mode::Write {
        // Stage every changed file first, then rename them all into place.
        let mut staged = Vec::new();
        for ((rel, contents), report) in files.iter().zip(&reports) {
            if report.status == Status::Unchanged {
                continue;
            }
            let path = root.join(rel);
            let dir = path.parent().unwrap_or(root);
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            let mut tmp = tempfile::Builder::new()
                .prefix(".generating-")
                .tempfile_in(dir)
                .map_err(|e| Error::io(dir, e))?;
            std::io::Write::write_all(&mut tmp, contents.as_bytes())
                .map_err(|e| Error::io(tmp.path(), e))?;
            staged.push((tmp, path));
        }
        for (tmp, path) in staged {
            tmp.persist(&path).map_err(|e| Error::io(&path, e.error))?;
        }
    }
    Ok(reports)
}

/// A unified diff with `a/` and `b/` headers, as `git diff` prints them.
pub fn unified_diff(path: &Path, old: &str, new: &str) -> String {
    let name = path.to_string_lossy().replace('\\', "/");
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_reports_without_writing_and_write_applies() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.rs"), "one\ntwo\n").unwrap();
        let files = vec![
            (PathBuf::from("a.rs"), "one\nthree\n".to_owned()),
            (PathBuf::from("src/b.rs"), "b\n".to_owned()),
        ];

        let checked = ensure_files(dir.path(), &files, Mode::Check).unwrap();
        assert_eq!(checked[0].status, Status::Updated);
        assert!(
            checked[0].diff.contains("-two\n+three\n"),
            "{}",
            checked[0].diff
        );
        assert_eq!(checked[1].status, Status::Created);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.rs")).unwrap(),
            "one\ntwo\n"
        );
        assert!(!dir.path().join("src").exists());

        ensure_files(dir.path(), &files, Mode::Write).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.rs")).unwrap(),
            "one\nthree\n"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("src/b.rs")).unwrap(),
            "b\n"
        );

        let again = ensure_files(dir.path(), &files, Mode::Check).unwrap();
        assert!(
            again
                .iter()
                .all(|r| r.status == Status::Unchanged && r.diff.is_empty())
        );
        // No temporary files are left behind.
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| n.to_string_lossy().starts_with(".generating-"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
}
