//! Checks on a rendered tree, before anything is written: the spec files parse back into
//! the same spec, the spec is coherent, and the generated SQL and Python obey the platform
//! rules, as diagnostics (`crate::diagnostic`).

pub mod bundle;
pub(crate) mod platform;
pub(crate) mod preflight;
pub(crate) mod principals;
pub mod rerun;
pub(crate) mod roundtrip;
pub(crate) mod spec_rules;

use crate::diagnostic::Diagnostic;
use crate::render::RenderedFile;
use crate::spec::ProductSpec;

/// Every check on a spec alone (what `validate` runs on a product's spec files).
pub fn spec(spec: &ProductSpec) -> Vec<Diagnostic> {
    spec_with(spec, crate::access::of_spec(spec).ok().as_ref())
}

/// As [`spec`], given the spec's access matrix (None when the render model cannot be built;
/// the renderer reports that).
pub(crate) fn spec_with(
    spec: &ProductSpec,
    matrix: Option<&crate::access::Matrix>,
) -> Vec<Diagnostic> {
    let mut out = spec_rules::check(spec);
    out.extend(principals::check(spec));
    out.extend(crate::spec::settings::check(
        &spec.settings,
        spec,
        crate::spec::settings::FROM_PRODUCT,
    ));
    if let Some(matrix) = matrix {
        out.extend(crate::access::policy_check::check_matrix(spec, matrix));
    }
    out
}

/// Every check on a rendered tree.
pub fn tree(spec: &ProductSpec, files: &[RenderedFile]) -> Vec<Diagnostic> {
    let mut out = self::spec(spec);
    out.extend(roundtrip::check(spec, files));
    out.extend(platform::check(spec, files));
    out.extend(preflight::check(spec, files));
    out
}
