//! Errors and located diagnostics, shared by every stage.
//!
//! A [`Diagnostic`] renders as one line in the `file:line:column: message`
//! form that editors and terminals turn into links:
//!
//! ```text
//! spec/api-definition.yaml:14:3: at `paths./a.get.responses`: invalid type: ... (hint: ...)
//! ```

use std::fmt;
use std::path::PathBuf;

/// One problem in a spec, with everything needed to find and fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The spec file, as the user named it (or relative to the workspace).
    pub file: String,
    /// 1-based line and column, where the parser reported one.
    pub location: Option<(usize, usize)>,
    /// The path of the offending node, e.g. `paths./a/{id}.get.parameters[0]`.
    pub path: Option<String>,
    /// The operation concerned, when there is one.
    pub operation: Option<String>,
    /// What is wrong.
    pub message: String,
    /// What to change, when we can say.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with a message and nothing else yet.
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            location: None,
            path: None,
            operation: None,
            message: message.into(),
            hint: None,
        }
    }

    /// Attach the path of the offending node (empty paths are dropped).
    pub fn at(mut self, path: impl Into<String>) -> Self {
        let path = path.into();
        if !path.is_empty() && path != "." {
            self.path = Some(path);
        }
        self
    }

    /// Attach a 1-based line and column.
    pub fn located(mut self, line: usize, column: usize) -> Self {
        self.location = Some((line, column));
        self
    }

    /// Attach the operationId concerned.
    pub fn operation(mut self, operation_id: impl Into<String>) -> Self {
        self.operation = Some(operation_id.into());
        self
    }

    /// Attach advice on what to change.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some((line, column)) = self.location {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ":")?;
        if let Some(path) = &self.path {
            write!(f, " at `{path}`")?;
        }
        if let Some(op) = &self.operation {
            write!(f, " (operation `{op}`)")?;
        }
        if self.path.is_some() || self.operation.is_some() {
            write!(f, ":")?;
        }
        // Keep the whole diagnostic on one line, whatever the parser said.
        let message = self
            .message
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        write!(f, " {message}")?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

/// Everything that can stop the pipeline. None of these is a panic: each
/// renders as a short message meant for the person who ran the command.
#[derive(Debug)]
pub enum Error {
    /// A file could not be read or written.
    Io {
        /// The file or directory concerned.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The spec is unusable; every problem found is listed.
    Spec(Vec<Diagnostic>),
    /// progenitor rejected (or panicked on) a spec that passed validation.
    Generate {
        /// The spec file.
        file: String,
        /// What progenitor said.
        message: String,
    },
    /// The generated tokens were not valid Rust (a generator bug, not the user's).
    Format(String),
    /// The command was asked for something it cannot do (e.g. a bad crate name).
    Usage(String),
    /// A generated crate did not build, or a program built from it failed
    /// (conformance); the message carries cargo's first error.
    Build(String),
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Spec(diagnostics) => {
                for (i, d) in diagnostics.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{d}")?;
                }
                Ok(())
            }
            Error::Generate { file, message } => write!(
                f,
                "{file}: progenitor {} could not generate a client: {message}",
                crate::PROGENITOR_VERSION
            ),
            Error::Usage(message) => write!(f, "{message}"),
            Error::Build(message) => write!(f, "{message}"),
            Error::Format(message) => write!(
                f,
                "internal error: the generated code is not valid Rust ({message}); please report this with the spec"
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
