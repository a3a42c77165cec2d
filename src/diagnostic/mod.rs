//! One diagnostic model (code, severity, file, position, message, help) for every check and
//! the spec loader, rendered for people or for machines (`render`).

pub mod code;
pub(crate) mod render;

pub use code::Code;

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
    pub code: Code,
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
    pub(crate) fn new(code: Code, file: impl Into<String>, message: impl Into<String>) -> Self {
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
    pub(crate) fn at(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    pub(crate) fn at_line(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub(crate) fn warning(mut self) -> Self {
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

/// Fills in the line and column of every diagnostic that names a YAML path.
pub(crate) fn fill<'a>(diagnostics: &mut [Diagnostic], text_of: impl Fn(&str) -> Option<&'a str>) {
    for d in diagnostics.iter_mut().filter(|d| d.line.is_none()) {
        if let (Some(path), Some(text)) = (&d.path, text_of(&d.file))
            && let Some((line, column)) = crate::lang::yaml_locate::locate(text, path)
        {
            d.line = Some(line);
            d.column = Some(column);
        }
    }
}

pub(crate) fn render_text(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| match &d.help {
            Some(help) => format!("  {d}\n    help: {help}"),
            None => format!("  {d}"),
        })
        .collect::<Vec<_>>()
        .join("\n")
}
