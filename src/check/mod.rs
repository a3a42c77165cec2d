//! Checks on a rendered tree, before anything is written: the spec files parse back into
//! the same spec, the spec is coherent, and the generated SQL and Python obey the platform
//! rules. One diagnostic model, rendered as text or JSON.

pub mod bundle;
pub mod load;
pub mod locate;
pub mod platform;
pub mod render;
pub mod rerun;
pub mod roundtrip;
pub mod spec_rules;
pub mod statements;
pub mod yaml_error;

use crate::render::RenderedFile;
use crate::spec::ProductSpec;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable code, e.g. `DPC013`; every code is listed in docs/diagnostics.md.
    pub code: &'static str,
    pub severity: Level,
    /// The file (relative to the product) the problem is in.
    pub file: String,
    /// Where in a YAML file, as a path (`tables.customers.schema.fields[2].name`).
    #[serde(skip)]
    pub path: Option<String>,
    /// 1-based line and column, when known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(code: &'static str, file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Level::Error,
            file: file.into(),
            path: None,
            line: None,
            column: None,
            message: message.into(),
            help: None,
        }
    }

    /// Points the diagnostic at a YAML path; the line and column are filled in by the locator.
    pub fn at(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    pub fn at_line(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn warning(mut self) -> Self {
        self.severity = Level::Warning;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Level::Error
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, ":{l}:{c}")?;
        }
        write!(f, ": {} {}", self.code, self.message)?;
        if let Some(path) = &self.path {
            write!(f, " (at {path})")?;
        }
        Ok(())
    }
}

pub fn render_text(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| format!("  {d}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every check on a spec alone (what `validate` runs on a product's spec files).
pub fn spec(spec: &ProductSpec) -> Vec<Diagnostic> {
    spec_with(spec, crate::access::of_spec(spec).ok().as_ref())
}

/// As [`spec`], given the spec's access matrix (None when the render model cannot be built;
/// the renderer reports that).
pub fn spec_with(spec: &ProductSpec, matrix: Option<&crate::access::Matrix>) -> Vec<Diagnostic> {
    let mut out = spec_rules::check(spec);
    if let Some(matrix) = matrix {
        out.extend(crate::access::policy::check_matrix(spec, matrix));
    }
    out
}

/// Every check on a rendered tree.
pub fn tree(spec: &ProductSpec, files: &[RenderedFile]) -> Vec<Diagnostic> {
    let mut out = self::spec(spec);
    out.extend(roundtrip::check(spec, files));
    out.extend(platform::check(spec, files));
    out
}
