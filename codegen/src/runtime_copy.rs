//! The runtime (`runtime/`, crate `client-runtime`) as a standalone crate
//! gets it: its source files copied into `src/runtime/` (tests left out),
//! and its dependencies, read from its own `Cargo.toml`. The workspace's
//! client depends on the crate itself; both refer to it as `crate::runtime`.
//! One copy of the source exists in the repository; the generator embeds it
//! at build time, so a standalone crate needs nothing from this workspace.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// `(file name, source)` of the runtime, `lib.rs` first.
const SOURCES: [(&str, &str); 15] = [
    ("lib.rs", include_str!("../../runtime/src/lib.rs")),
    ("auth.rs", include_str!("../../runtime/src/auth.rs")),
    ("builder.rs", include_str!("../../runtime/src/builder.rs")),
    ("client.rs", include_str!("../../runtime/src/client.rs")),
    ("de.rs", include_str!("../../runtime/src/de.rs")),
    ("error.rs", include_str!("../../runtime/src/error.rs")),
    ("hooks.rs", include_str!("../../runtime/src/hooks.rs")),
    (
        "multipart.rs",
        include_str!("../../runtime/src/multipart.rs"),
    ),
    (
        "pagination.rs",
        include_str!("../../runtime/src/pagination.rs"),
    ),
    ("options.rs", include_str!("../../runtime/src/options.rs")),
    ("params.rs", include_str!("../../runtime/src/params.rs")),
    ("retry.rs", include_str!("../../runtime/src/retry.rs")),
    ("ser.rs", include_str!("../../runtime/src/ser.rs")),
    ("sse.rs", include_str!("../../runtime/src/sse.rs")),
    ("webhooks.rs", include_str!("../../runtime/src/webhooks.rs")),
];

const MANIFEST: &str = include_str!("../../runtime/Cargo.toml");

/// The runtime's files for a standalone crate: `(path in the crate, text)`,
/// each under `header` (the `@generated` lines).
pub fn files(header: &str) -> Vec<(PathBuf, String)> {
    SOURCES
        .iter()
        .map(|(name, source)| {
            let path = match *name {
                "lib.rs" => PathBuf::from("src/runtime/mod.rs"),
                other => PathBuf::from("src/runtime").join(other),
            };
            let text = format!(
                "{header}// A copy of runtime/src/{name} of the generator's workspace.\n\n{}\n",
                without_tests(source).trim_end()
            );
            (path, text)
        })
        .collect()
}

/// The source without its `#[cfg(test)] mod tests` (by convention the last
/// item of a runtime file): the tests need dev-dependencies and run in
/// the workspace.
fn without_tests(source: &str) -> &str {
    match source.find("\n#[cfg(test)]\nmod tests {") {
        Some(at) => &source[..=at],
        None => source,
    }
}

/// One dependency of a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    /// The version requirement.
    pub version: String,
    /// Whether default features are on.
    pub default_features: bool,
    /// Features turned on.
    pub features: BTreeSet<String>,
}

impl Dependency {
    /// A dependency with default features and no others.
    pub fn new(version: &str) -> Self {
        Self {
            version: version.to_owned(),
            default_features: true,
            features: BTreeSet::new(),
        }
    }

    /// The same with `features` on.
    pub fn features(mut self, features: &[&str]) -> Self {
        self.features
            .extend(features.iter().map(|f| (*f).to_owned()));
        self
    }

    /// The same without default features.
    pub fn no_default_features(mut self) -> Self {
        self.default_features = false;
        self
    }

    /// The manifest line's value: `"1.0"` or `{ version = .., .. }`.
    pub fn render(&self) -> String {
        if self.default_features && self.features.is_empty() {
            return format!("\"{}\"", self.version);
        }
        let mut parts = vec![format!("version = \"{}\"", self.version)];
        if !self.default_features {
            parts.push("default-features = false".to_owned());
        }
        if !self.features.is_empty() {
            let list: Vec<String> = self.features.iter().map(|f| format!("\"{f}\"")).collect();
            parts.push(format!("features = [{}]", list.join(", ")));
        }
        format!("{{ {} }}", parts.join(", "))
    }
}

/// Add the runtime's dependencies to `deps`, merging features (and turning
/// default features off only when both sides do).
pub fn add_dependencies(deps: &mut BTreeMap<String, Dependency>) {
    let manifest: toml::Table = toml::from_str(MANIFEST).expect("runtime/Cargo.toml parses");
    let Some(toml::Value::Table(list)) = manifest.get("dependencies") else {
        return;
    };
    for (name, spec) in list {
        let dep = match spec {
            toml::Value::String(version) => Dependency::new(version),
            toml::Value::Table(t) => {
                let mut dep =
                    Dependency::new(t.get("version").and_then(|v| v.as_str()).unwrap_or("*"));
                dep.default_features = t
                    .get("default-features")
                    .and_then(toml::Value::as_bool)
                    .unwrap_or(true);
                if let Some(toml::Value::Array(features)) = t.get("features") {
                    dep.features.extend(
                        features
                            .iter()
                            .filter_map(|f| f.as_str().map(str::to_owned)),
                    );
                }
                dep
            }
            _ => continue,
        };
        match deps.get_mut(name) {
            Some(existing) => {
                existing.features.extend(dep.features);
                existing.default_features |= dep.default_features;
            }
            None => {
                deps.insert(name.clone(), dep);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_leave_tests_out_and_refer_to_no_crate_paths() {
        for (path, text) in files("// @generated\n") {
            assert!(text.starts_with("// @generated\n"), "{}", path.display());
            assert!(!text.contains("#[cfg(test)]"), "{}", path.display());
            // The copy is a module: `crate::` would name the client crate.
            let code = text.lines().filter(|l| !l.trim_start().starts_with("//"));
            assert!(
                !code.clone().any(|l| l.contains("crate::")),
                "{}",
                path.display()
            );
        }
    }

    /// Every source file of the runtime is copied: a module left out
    /// would compile in the workspace and not in a standalone crate.
    #[test]
    fn every_runtime_file_is_copied() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/src");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".rs"))
            .collect();
        on_disk.sort();
        let mut copied: Vec<String> = SOURCES.iter().map(|(n, _)| (*n).to_owned()).collect();
        copied.sort();
        assert_eq!(copied, on_disk);
    }

    #[test]
    fn dependencies_merge_features() {
        let mut deps = BTreeMap::new();
        deps.insert(
            "reqwest".to_owned(),
            Dependency::new("0.13")
                .no_default_features()
                .features(&["json"]),
        );
        add_dependencies(&mut deps);
        let reqwest = &deps["reqwest"];
        assert!(!reqwest.default_features);
        assert!(reqwest.features.contains("json") && reqwest.features.contains("multipart"));
        assert!(deps.contains_key("eventsource-stream"));
    }
}
