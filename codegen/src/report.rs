//! The change report: what a spec change does to users of the generated
//! crate, item by item, each change classified by Rust semver rules.
//!
//! The rules follow cargo-semver-checks' lints:
//!
//! | change | class |
//! |---|---|
//! | operation, type, field, enum variant, parameter removed | breaking |
//! | parameter, field or newtype type changed; success/error type changed | breaking |
//! | `send_stream()` added (the spec offers `text/event-stream`) / removed or its event type changed | additive / breaking |
//! | required parameter added; optional parameter became required | breaking |
//! | field added to / variant added to a type that is **not** `#[non_exhaustive]` | breaking (struct literals, exhaustive `match`) |
//! | required field added to a type callers send (reachable from a parameter or request body); a field of one became required | breaking (their builders now fail at `build()`) |
//! | required field added to a type only read from responses | additive (serde reads it; nobody builds it) |
//! | `#[non_exhaustive]` added, derive removed | breaking |
//! | operation, type, optional parameter added | additive |
//! | field or variant added to a `#[non_exhaustive]` type; derive added | additive |
//! | HTTP method or path of an operation, wire name of a field or variant | patch (same Rust API, different requests) |

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use crate::surface::{Field, Surface, TypeDecl, TypeKind, Variant};

/// How a change affects code that uses the crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Same Rust API; requests or responses on the wire differ.
    Patch,
    /// New API; existing code keeps compiling and working.
    Additive,
    /// Existing code may stop compiling or start failing.
    Breaking,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Patch => "patch",
            Severity::Additive => "additive",
            Severity::Breaking => "breaking",
        })
    }
}

/// One classified change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Its class.
    pub severity: Severity,
    /// What changed, in one line, naming the item.
    pub what: String,
}

/// Every change between two surfaces.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// In order: operations, then types; each sorted by name.
    pub changes: Vec<Change>,
}

impl Report {
    /// The most severe change, if anything changed.
    pub fn verdict(&self) -> Option<Severity> {
        self.changes.iter().map(|c| c.severity).max()
    }

    /// Whether any change has this severity and mentions `needle`.
    pub fn has(&self, severity: Severity, needle: &str) -> bool {
        self.changes
            .iter()
            .any(|c| c.severity == severity && c.what.contains(needle))
    }

    /// The version the crate should get, from `current` (`x.y.z`), per the
    /// verdict: on 0.x a breaking change bumps the minor version, otherwise
    /// the major; an additive change the next lower component.
    pub fn next_version(&self, current: &str) -> Option<String> {
        let verdict = self.verdict()?;
        let mut parts: Vec<u64> = current
            .split('.')
            .map(|p| {
                p.split(['-', '+'])
                    .next()
                    .unwrap_or("0")
                    .parse()
                    .unwrap_or(0)
            })
            .collect();
        parts.resize(3, 0);
        let (major, minor, patch) = (parts[0], parts[1], parts[2]);
        let next = match (verdict, major) {
            (Severity::Breaking, 0) => (0, minor + 1, 0),
            (Severity::Breaking, _) => (major + 1, 0, 0),
            (Severity::Additive, 0) => (0, minor, patch + 1),
            (Severity::Additive, _) => (major, minor + 1, 0),
            (Severity::Patch, _) => (major, minor, patch + 1),
        };
        Some(format!("{}.{}.{}", next.0, next.1, next.2))
    }

    fn push(&mut self, severity: Severity, what: String) {
        self.changes.push(Change { severity, what });
    }
}

/// Compare two surfaces.
pub fn compare(old: &Surface, new: &Surface) -> Report {
    let mut r = Report::default();
    for (variant, change) in pair(&old.webhooks, &new.webhooks) {
        match change {
            (Some(_), None) => r.push(
                Severity::Breaking,
                format!("webhook `Event::{variant}` removed"),
            ),
            (None, Some(payload)) => r.push(
                Severity::Additive,
                format!("webhook `Event::{variant}({payload})` added"),
            ),
            (Some(a), Some(b)) if a != b => r.push(
                Severity::Breaking,
                format!("webhook `Event::{variant}`: payload type changed from `{a}` to `{b}`"),
            ),
            _ => {}
        }
    }
    compare_features(&mut r, old, new);
    for (name, change) in pair(&old.operations, &new.operations) {
        match change {
            (Some(_), None) => r.push(Severity::Breaking, format!("operation `{name}` removed")),
            (None, Some(op)) => r.push(
                Severity::Additive,
                format!("operation `{name}` added ({} {})", op.http_method, op.path),
            ),
            (Some(a), Some(b)) => {
                if (a.http_method.as_str(), a.path.as_str())
                    != (b.http_method.as_str(), b.path.as_str())
                {
                    r.push(
                        Severity::Patch,
                        format!(
                            "operation `{name}`: request changed from `{} {}` to `{} {}`",
                            a.http_method, a.path, b.http_method, b.path
                        ),
                    );
                }
                let pa: BTreeMap<_, _> = a.params.iter().map(|p| (p.name.clone(), p)).collect();
                let pb: BTreeMap<_, _> = b.params.iter().map(|p| (p.name.clone(), p)).collect();
                for (p, change) in pair(&pa, &pb) {
                    match change {
                        (Some(_), None) => r.push(
                            Severity::Breaking,
                            format!("operation `{name}`: parameter `{p}` removed"),
                        ),
                        (None, Some(x)) if x.required => r.push(
                            Severity::Breaking,
                            format!(
                                "operation `{name}`: required parameter `{p}: {}` added",
                                x.ty
                            ),
                        ),
                        (None, Some(x)) => r.push(
                            Severity::Additive,
                            format!(
                                "operation `{name}`: optional parameter `{p}: {}` added",
                                x.ty
                            ),
                        ),
                        (Some(x), Some(y)) => {
                            if x.ty != y.ty {
                                r.push(
                                    Severity::Breaking,
                                    format!("operation `{name}`: parameter `{p}` type changed from `{}` to `{}`", x.ty, y.ty),
                                );
                            }
                            if !x.required && y.required {
                                r.push(
                                    Severity::Breaking,
                                    format!("operation `{name}`: parameter `{p}` became required"),
                                );
                            } else if x.required && !y.required {
                                r.push(
                                    Severity::Additive,
                                    format!("operation `{name}`: parameter `{p}` became optional"),
                                );
                            }
                        }
                        (None, None) => {}
                    }
                }
                match (&a.stream, &b.stream) {
                    (None, Some(t)) => r.push(
                        Severity::Additive,
                        format!("operation `{name}`: send_stream() added (events `{t}`)"),
                    ),
                    (Some(_), None) => r.push(
                        Severity::Breaking,
                        format!("operation `{name}`: send_stream() removed"),
                    ),
                    (Some(x), Some(y)) if x != y => r.push(
                        Severity::Breaking,
                        format!("operation `{name}`: event type changed from `{x}` to `{y}`"),
                    ),
                    _ => {}
                }
                for (what, x, y) in [
                    ("success", &a.success, &b.success),
                    ("error", &a.error, &b.error),
                ] {
                    if x != y {
                        r.push(
                            Severity::Breaking,
                            format!("operation `{name}`: {what} type changed from `{x}` to `{y}`"),
                        );
                    }
                }
            }
            (None, None) => {}
        }
    }
    let new_requests = new.request_types();
    for (name, change) in pair(&old.types, &new.types) {
        match change {
            (Some(_), None) => r.push(Severity::Breaking, format!("type `{name}` removed")),
            (None, Some(_)) => r.push(Severity::Additive, format!("type `{name}` added")),
            (Some(a), Some(b)) => {
                let sent = new_requests.contains(name.as_str());
                compare_type(&mut r, name, a, b, sent)
            }
            (None, None) => {}
        }
    }
    r
}

/// `sent`: callers build values of the type (it is part of a request), so a
/// newly required field breaks them; in a response-only type it does not.
fn compare_type(r: &mut Report, name: &str, a: &TypeDecl, b: &TypeDecl, sent: bool) {
    let role = if sent {
        "request type"
    } else {
        "response type"
    };
    if !a.non_exhaustive && b.non_exhaustive {
        r.push(
            Severity::Breaking,
            format!("type `{name}` became #[non_exhaustive]"),
        );
    }
    for d in a.derives.iter().filter(|d| !b.derives.contains(d)) {
        r.push(
            Severity::Breaking,
            format!("type `{name}` no longer derives `{d}`"),
        );
    }
    for d in b.derives.iter().filter(|d| !a.derives.contains(d)) {
        r.push(
            Severity::Additive,
            format!("type `{name}` now derives `{d}`"),
        );
    }
    // Adding to a type users can build or match exhaustively breaks them.
    let added = if b.non_exhaustive {
        Severity::Additive
    } else {
        Severity::Breaking
    };
    match (&a.kind, &b.kind) {
        (TypeKind::Struct(fa), TypeKind::Struct(fb)) => {
            for (f, change) in pair(fa, fb) {
                match change {
                    (Some(_), None) => {
                        r.push(Severity::Breaking, format!("field `{name}.{f}` removed"))
                    }
                    (None, Some(Field { ty, wire, required })) => r.push(
                        if *required && sent {
                            Severity::Breaking
                        } else {
                            added
                        },
                        format!(
                            "field `{name}.{f}: {ty}` added (\"{wire}\", {}, {role})",
                            if *required { "required" } else { "optional" }
                        ),
                    ),
                    (Some(x), Some(y)) => {
                        if x.ty != y.ty {
                            r.push(
                                Severity::Breaking,
                                format!(
                                    "field `{name}.{f}` type changed from `{}` to `{}`",
                                    x.ty, y.ty
                                ),
                            );
                        }
                        if x.wire != y.wire {
                            r.push(
                                Severity::Patch,
                                format!(
                                    "field `{name}.{f}` wire name changed from \"{}\" to \"{}\"",
                                    x.wire, y.wire
                                ),
                            );
                        }
                        if !x.required && y.required && x.ty == y.ty {
                            r.push(
                                if sent {
                                    Severity::Breaking
                                } else {
                                    Severity::Patch
                                },
                                format!("field `{name}.{f}` is now required in JSON ({role})"),
                            );
                        } else if x.required && !y.required && x.ty == y.ty {
                            r.push(
                                Severity::Patch,
                                format!("field `{name}.{f}` is now optional in JSON"),
                            );
                        }
                    }
                    (None, None) => {}
                }
            }
        }
        (TypeKind::Enum(va), TypeKind::Enum(vb)) => {
            for (v, change) in pair(va, vb) {
                match change {
                    (Some(_), None) => r.push(
                        Severity::Breaking,
                        format!("enum value `{name}::{v}` removed"),
                    ),
                    (None, Some(Variant { wire, .. })) => r.push(
                        added,
                        format!("enum value `{name}::{v}` added (\"{wire}\")"),
                    ),
                    (Some(x), Some(y)) => {
                        if x.payload != y.payload {
                            r.push(
                                Severity::Breaking,
                                format!(
                                    "enum variant `{name}::{v}` payload changed from `{}` to `{}`",
                                    x.payload.as_deref().unwrap_or("()"),
                                    y.payload.as_deref().unwrap_or("()")
                                ),
                            );
                        }
                        if x.wire != y.wire {
                            r.push(
                                Severity::Patch,
                                format!("enum value `{name}::{v}` wire name changed from \"{}\" to \"{}\"", x.wire, y.wire),
                            );
                        }
                    }
                    (None, None) => {}
                }
            }
        }
        (x, y) if x != y => r.push(
            Severity::Breaking,
            format!(
                "type `{name}` changed from `{}` to `{}`",
                shape(x),
                shape(y)
            ),
        ),
        _ => {}
    }
}

fn shape(kind: &TypeKind) -> String {
    match kind {
        TypeKind::Struct(_) => "struct".to_owned(),
        TypeKind::Enum(_) => "enum".to_owned(),
        TypeKind::Newtype(inner) => format!("struct({})", inner.join(", ")),
        TypeKind::Alias(t) => format!("type = {t}"),
    }
}

/// An entry before and after: `None` where it does not exist.
type Both<'a, V> = (Option<&'a V>, Option<&'a V>);

/// Walk two sorted maps together: `(key, (old, new))`.
fn pair<'a, K: Ord, V>(a: &'a BTreeMap<K, V>, b: &'a BTreeMap<K, V>) -> Vec<(&'a K, Both<'a, V>)> {
    let mut keys: Vec<&K> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .map(|k| (k, (a.get(k), b.get(k))))
        .collect()
}

/// The report as printed by `cargo xtask generate` and `cargo xtask diff`.
pub fn render(report: &Report, crate_name: &str, current_version: &str) -> String {
    let mut out = String::new();
    if report.changes.is_empty() {
        out.push_str("API surface unchanged.\n");
        return out;
    }
    let _ = writeln!(out, "API changes ({}):", report.changes.len());
    for c in &report.changes {
        let _ = writeln!(out, "  {:<8}  {}", c.severity, c.what);
    }
    if let (Some(verdict), Some(next)) = (report.verdict(), report.next_version(current_version)) {
        let _ = writeln!(
            out,
            "Verdict: {verdict}. Bump `{crate_name}` from {current_version} to {next}."
        );
    }
    out
}

/// Features (stage `gate`): a new one is additive; a removed one, or an
/// operation that moves to other features, breaks a consumer who enables
/// only some (`default-features = false`).
fn compare_features(r: &mut Report, old: &Surface, new: &Surface) {
    let all = |s: &Surface| -> std::collections::BTreeSet<String> {
        s.operations
            .values()
            .flat_map(|op| op.features.iter().cloned())
            .collect()
    };
    let (before, after) = (all(old), all(new));
    for f in after.difference(&before) {
        r.push(Severity::Additive, format!("feature `{f}` added"));
    }
    if before.is_empty() {
        // Code from before features: every operation compiled always.
        return;
    }
    for f in before.difference(&after) {
        r.push(Severity::Breaking, format!("feature `{f}` removed"));
    }
    for (name, change) in pair(&old.operations, &new.operations) {
        if let (Some(a), Some(b)) = change
            && a.features != b.features
        {
            r.push(
                Severity::Breaking,
                format!(
                    "operation `{name}` moved from feature `{}` to `{}` (breaking for consumers without default features)",
                    a.features.join("`, `"),
                    b.features.join("`, `")
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(severity: Severity) -> Report {
        Report {
            changes: vec![Change {
                severity,
                what: String::new(),
            }],
        }
    }

    #[test]
    fn features_added_removed_and_moved() {
        let surface = |ops: &[(&str, &[&str])]| Surface {
            operations: ops
                .iter()
                .map(|(name, features)| {
                    (
                        (*name).to_owned(),
                        crate::surface::Operation {
                            features: features.iter().map(|f| (*f).to_owned()).collect(),
                            ..Default::default()
                        },
                    )
                })
                .collect(),
            ..Default::default()
        };
        let said = |r: &Report| -> Vec<(Severity, String)> {
            r.changes
                .iter()
                .map(|c| (c.severity, c.what.clone()))
                .collect()
        };
        let old = surface(&[("list_files", &["files"]), ("list_models", &["models"])]);
        // A new tag is additive.
        let new = surface(&[
            ("list_files", &["files"]),
            ("list_models", &["models"]),
            ("list_users", &["users"]),
        ]);
        let r = compare(&old, &new);
        assert!(said(&r).contains(&(Severity::Additive, "feature `users` added".into())));
        assert_eq!(r.verdict(), Some(Severity::Additive));
        // An operation moving to another tag breaks consumers without defaults.
        let new = surface(&[("list_files", &["uploads"]), ("list_models", &["models"])]);
        let r = compare(&old, &new);
        assert!(said(&r).contains(&(
            Severity::Breaking,
            "operation `list_files` moved from feature `files` to `uploads` (breaking for consumers without default features)".into()
        )));
        assert!(said(&r).contains(&(Severity::Breaking, "feature `files` removed".into())));
        // Code from before features: only additions.
        let r = compare(
            &surface(&[("list_files", &[])]),
            &surface(&[("list_files", &["files"])]),
        );
        assert_eq!(
            said(&r),
            vec![(Severity::Additive, "feature `files` added".into())]
        );
    }

    #[test]
    fn version_bumps_follow_the_verdict() {
        assert_eq!(
            report(Severity::Breaking).next_version("0.1.3").as_deref(),
            Some("0.2.0")
        );
        assert_eq!(
            report(Severity::Additive).next_version("0.1.3").as_deref(),
            Some("0.1.4")
        );
        assert_eq!(
            report(Severity::Breaking).next_version("1.2.3").as_deref(),
            Some("2.0.0")
        );
        assert_eq!(
            report(Severity::Additive).next_version("1.2.3").as_deref(),
            Some("1.3.0")
        );
        assert_eq!(
            report(Severity::Patch).next_version("1.2.3").as_deref(),
            Some("1.2.4")
        );
        assert_eq!(Report::default().next_version("1.2.3"), None);
    }
}
