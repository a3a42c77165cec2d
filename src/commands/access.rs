//! `dpc access PRODUCT_DIR`: the access matrix (principal × table × column → clear, masked
//! or none) computed from the same model the SQL is rendered from, and the policy checks.

use crate::access::{self, Matrix, matrix::Via};
use crate::check;
use crate::cli::{AccessArgs, OutputFormat};
use crate::diagnostic::Diagnostic;
use crate::error::DpcError;
use crate::render::RenderError;
use crate::spec::load;
use crate::spec::{PRODUCT_FILE, ProductSpec};
use serde::Serialize;
use std::path::Path;

/// Reads a product's spec and runs its checks, as every command that reads a spec does
/// first; a missing product is a usage error, a spec that cannot be read or fails a check
/// is reported with its diagnostics and fails (exit 1). The access policy checks are left
/// to the caller (`access` reports them with its matrix; `consumers` changes what they
/// judge).
pub(crate) fn load_product(dir: &Path) -> Result<(load::Loaded, ProductSpec), DpcError> {
    read_product(dir).map_err(|(report, e)| {
        eprint!("{report}");
        e
    })
}

/// [`load_product`] that hands back the diagnostics it would print (the report text, as
/// `validate` prints it) with the error, for a caller that reads many products at once and
/// prints their reports in order.
pub(crate) fn read_product(dir: &Path) -> Result<(load::Loaded, ProductSpec), (String, DpcError)> {
    read_product_with_matrix(dir).map(|(loaded, spec, _)| (loaded, spec))
}

/// The access matrix of a spec, or why its render model cannot be built.
pub(crate) type SpecMatrix = Result<Matrix, crate::render::model::ModelError>;

/// [`read_product`] that also hands back the access matrix its checks computed, so a caller
/// that needs it does not build the render model a second time.
pub(crate) fn read_product_with_matrix(
    dir: &Path,
) -> Result<(load::Loaded, ProductSpec, SpecMatrix), (String, DpcError)> {
    if !dir.join(PRODUCT_FILE).is_file() {
        return Err((
            String::new(),
            DpcError::NotAProduct {
                dir: dir.to_path_buf(),
            },
        ));
    }
    let mut loaded = load::load(dir);
    match loaded.spec.take() {
        Some(spec) => {
            let matrix = access::of_spec(&spec);
            let errors: Vec<Diagnostic> = check::spec_with(&spec, matrix.as_ref().ok())
                .into_iter()
                .filter(|d| d.is_error() && !access::policy_check::CODES.contains(&d.code))
                .collect();
            if errors.is_empty() {
                return Ok((loaded, spec, matrix));
            }
            let error = blame(dir, &errors, DpcError::SpecHasErrors { dir: dir.into() });
            Err((loaded.report(dir, &errors), error))
        }
        None => {
            let error = blame(
                dir,
                &loaded.diagnostics,
                DpcError::SpecUnreadable { dir: dir.into() },
            );
            Err((loaded.report(dir, &loaded.diagnostics), error))
        }
    }
}

/// What stops a product: its folder's dpc.yaml when every error is there (an input error,
/// exit 2), else `spec_error`.
pub(crate) fn blame(dir: &Path, diagnostics: &[Diagnostic], spec_error: DpcError) -> DpcError {
    let errors: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.is_error()).collect();
    let only_settings = !errors.is_empty()
        && errors
            .iter()
            .all(|d| d.file == crate::spec::settings::FROM_PRODUCT);
    if only_settings {
        DpcError::SettingsBroken { dir: dir.into() }
    } else {
        spec_error
    }
}

/// The access policy diagnostics of a product: the spec's and the SQL on disk's.
pub(crate) fn policy_diagnostics(dir: &Path, spec: &ProductSpec) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = check::spec(spec)
        .into_iter()
        .filter(|d| access::policy_check::CODES.contains(&d.code))
        .collect();
    out.extend(access::policy_check::expired(spec));
    let on_disk = super::validate::derived_on_disk(dir);
    out.extend(access::policy_check::check_sql(spec, &on_disk));
    out
}

#[derive(Serialize)]
struct Report<'a> {
    #[serde(flatten)]
    matrix: &'a Matrix,
    diagnostics: Vec<Diagnostic>,
}

pub(crate) fn run(args: &AccessArgs) -> Result<(), DpcError> {
    let dir = &args.product_dir;
    let (loaded, spec) = load_product(dir)?;
    let matrix = access::of_spec(&spec).map_err(RenderError::from)?;
    let mut diagnostics = policy_diagnostics(dir, &spec);
    crate::diagnostic::fill(&mut diagnostics, |f| loaded.text(f));
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    match args.format {
        OutputFormat::Json => {
            let report = Report {
                matrix: &matrix,
                diagnostics: diagnostics.clone(),
            };
            println!(
                "{}",
                crate::lang::printable::json(
                    &serde_json::to_string_pretty(&report).unwrap_or_default()
                )
            );
        }
        OutputFormat::Text => {
            print!(
                "{}",
                crate::lang::printable::printable(&text(&spec, &matrix))
            );
            print!("{}", loaded.report(dir, &diagnostics));
            if errors == 0 {
                println!(
                    "{}: the access model meets the {} policy",
                    dir.display(),
                    matrix.sensitivity
                );
            }
        }
    }
    if errors > 0 {
        return Err(DpcError::AccessPolicy {
            dir: dir.to_path_buf(),
            errors,
        });
    }
    Ok(())
}

/// `text` padded with spaces to `width` characters. `format!`'s `{:<w$}` panics for widths
/// over 65,535, and a name can be that long.
fn pad(text: &str, width: usize) -> String {
    let len = text.chars().count();
    let mut s = String::with_capacity(text.len() + width.saturating_sub(len));
    s.push_str(text);
    s.extend(std::iter::repeat_n(' ', width.saturating_sub(len)));
    s
}

/// One block per table: a row per column, a column per principal.
fn text(spec: &ProductSpec, matrix: &Matrix) -> String {
    let mut s = format!(
        "{} ({} data, {}): who reads what\n",
        matrix.product,
        matrix.sensitivity,
        matrix.masking.as_str().replace('_', " ")
    );
    s.push_str("principals:\n");
    for p in &matrix.principals {
        let role = serde_json::to_value(p.role)
            .ok()
            .and_then(|v| v.as_str().map(|r| r.replace('_', " ")))
            .unwrap_or_default();
        s.push_str(&format!(
            "  {} ({}, {role})\n",
            p.name,
            p.kind.as_str().replace('_', " ")
        ));
    }
    for t in &matrix.tables {
        s.push('\n');
        s.push_str(&t.table);
        if let Some(v) = &t.view {
            s.push_str(&format!(" (readers get the masked view {v})"));
        }
        if let Some(groups) = &t.row_filter {
            s.push_str(&format!(" (row filter: rows for {})", groups.join(", ")));
        }
        s.push('\n');
        let pii = |c: &str| {
            spec.contract
                .tables
                .get(&t.table)
                .and_then(|tb| tb.field(c))
                .is_some_and(|f| f.pii)
        };
        let columns: Vec<String> = t
            .readers
            .first()
            .map(|r| {
                r.columns
                    .keys()
                    .map(|c| {
                        if pii(c) {
                            format!("{c} [pii]")
                        } else {
                            c.clone()
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let first = columns
            .iter()
            .map(String::len)
            .chain([3])
            .max()
            .unwrap_or(3);
        let widths: Vec<usize> = t
            .readers
            .iter()
            .map(|r| r.principal.chars().count().max(7))
            .collect();
        let row = |label: &str, cells: Vec<String>| {
            let mut line = format!("  {}", pad(label, first));
            for (cell, w) in cells.iter().zip(&widths) {
                line.push_str(&format!("  {}", pad(cell, *w)));
            }
            line.trim_end().to_string() + "\n"
        };
        s.push_str(&row(
            "",
            t.readers.iter().map(|r| r.principal.clone()).collect(),
        ));
        s.push_str(&row(
            "via",
            t.readers
                .iter()
                .map(|r| match (r.via, r.rows_filtered) {
                    (_, true) => "no rows".to_string(),
                    (Via::None, _) => "-".to_string(),
                    (v, _) => serde_json::to_value(v)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                })
                .collect(),
        ));
        for (i, label) in columns.iter().enumerate() {
            s.push_str(&row(
                label,
                t.readers
                    .iter()
                    .map(|r| {
                        r.columns
                            .get_index(i)
                            .map_or("none", |(_, a)| a.as_str())
                            .to_string()
                    })
                    .collect(),
            ));
        }
    }
    s.push('\n');
    s
}
