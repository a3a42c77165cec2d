//! Checks on a rendered tree, before anything is written: the spec files parse back into
//! the same spec, the spec is coherent, and the generated SQL and Python obey the platform
//! rules. One diagnostic model, rendered as text or JSON.

pub mod platform;
pub mod roundtrip;
pub mod spec_rules;
pub mod statements;

use crate::render::RenderedFile;
use crate::spec::ProductSpec;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable code, e.g. `DPC013`.
    pub code: &'static str,
    /// The file (relative to the product) the problem is in.
    pub file: String,
    pub message: String,
}

impl Diagnostic {
    pub fn new(code: &'static str, file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            file: file.into(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} {}", self.file, self.code, self.message)
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
    spec_rules::check(spec)
}

/// Every check on a rendered tree.
pub fn tree(spec: &ProductSpec, files: &[RenderedFile]) -> Vec<Diagnostic> {
    let mut out = spec_rules::check(spec);
    out.extend(roundtrip::check(spec, files));
    out.extend(platform::check(spec, files));
    out
}
