//! `--schema-from FILE`: tables read from another description of them, replacing the domain
//! starter's. One file per format; [`FORMATS`] decides which one reads a file, so a new
//! format is a new file and one line in that list.

mod contract;
mod create_table;
mod csv;
mod odcs;
pub(crate) mod pii;

use crate::input::starter::StarterTable;
use crate::spec::contract::{Expectation, ExpectationKind, Field, Table, TableSchema};
use crate::spec::values::Severity;
use indexmap::IndexMap;
use std::path::{Path, PathBuf};

/// A file that cannot be imported: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}: {message}", file.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
pub(crate) struct ImportError {
    pub file: PathBuf,
    /// 1-based line, when the problem sits on one.
    pub line: Option<usize>,
    pub message: String,
}

/// What an import produced: the tables, and what the user should hear about.
#[derive(Debug, Clone, Default)]
pub(crate) struct Imported {
    pub tables: Vec<StarterTable>,
    pub notes: Vec<String>,
}

/// The file being read, for the format readers.
pub(crate) struct Source<'a> {
    pub path: &'a Path,
    pub text: &'a str,
}

impl Source<'_> {
    pub(crate) fn error(&self, line: Option<usize>, message: impl Into<String>) -> ImportError {
        ImportError {
            file: self.path.to_path_buf(),
            line,
            message: message.into(),
        }
    }

    /// The file name without its extension (`orders.csv` → `orders`).
    pub(crate) fn stem(&self) -> String {
        self.path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.path.display().to_string())
    }
}

/// One importable format.
struct Format {
    /// What the user calls it, for messages.
    name: &'static str,
    /// True when this format reads a file with this (lower-case) extension and text.
    claims: fn(extension: &str, text: &str) -> bool,
    read: fn(&Source) -> Result<Imported, ImportError>,
    /// Column names are the only hint of personal data in this format.
    infer_pii: bool,
}

/// Tried in order; the first that claims a file reads it. More specific formats come first.
const FORMATS: &[Format] = &[
    Format {
        name: "a Databricks CREATE TABLE file (.sql)",
        claims: create_table::claims,
        read: create_table::read,
        infer_pii: true,
    },
    Format {
        name: "a CSV file with a header (.csv)",
        claims: csv::claims,
        read: csv::read,
        infer_pii: true,
    },
    Format {
        name: "an ODCS data contract (.odcs.yaml)",
        claims: odcs::claims,
        read: odcs::read,
        infer_pii: false,
    },
    Format {
        name: "a dpc contract.yaml (.yaml)",
        claims: contract::claims,
        read: contract::read,
        infer_pii: false,
    },
];

/// The tables described by `path`: a `CREATE TABLE` file, a CSV with a header, or another
/// product's contract.yaml.
pub(crate) fn tables_from_file(path: &Path) -> Result<Vec<StarterTable>, ImportError> {
    import_file(path).map(|i| i.tables)
}

/// [`tables_from_file`] with the notes for the summary (PII inferred, clauses skipped).
pub(crate) fn import_file(path: &Path) -> Result<Imported, ImportError> {
    let text = crate::files::safe_read::read_text(path, crate::files::safe_read::TEXT_CAP)
        .map_err(|e| ImportError {
            file: path.to_path_buf(),
            line: None,
            message: format!("cannot read it: {e}"),
        })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let source = Source { path, text };
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let Some(format) = FORMATS.iter().find(|f| (f.claims)(&extension, text)) else {
        let known: Vec<&str> = FORMATS.iter().map(|f| f.name).collect();
        return Err(source.error(
            None,
            format!("cannot tell what it holds; expected {}", known.join(", ")),
        ));
    };
    let mut imported = (format.read)(&source)?;
    if imported.tables.is_empty() {
        return Err(source.error(None, "holds no table"));
    }
    for (i, t) in imported.tables.iter().enumerate() {
        if imported.tables[..i].iter().any(|o| o.name == t.name) {
            return Err(source.error(None, format!("table {} is defined twice", t.name)));
        }
    }
    if format.infer_pii {
        let inferred = pii::mark_by_name(&mut imported.tables);
        if !inferred.is_empty() {
            imported.notes.push(format!(
                "PII inferred from column names in {}: {}; check pii in contract.yaml",
                source.file_name(),
                inferred.join(", ")
            ));
        }
    }
    imported.notes.insert(
        0,
        format!(
            "schema imported from {}: {}",
            source.file_name(),
            imported
                .tables
                .iter()
                .map(|t| t.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    Ok(imported)
}

/// Unity Catalog rules for a table name, reported at `line`.
pub(crate) fn check_table_name(
    src: &Source,
    name: &str,
    line: Option<usize>,
) -> Result<(), ImportError> {
    crate::spec::name::check_uc_name("table name", name).map_err(|m| src.error(line, m))
}

/// Unity Catalog rules for a column name, and no column twice, reported at `line`.
pub(crate) fn check_column_name(
    src: &Source,
    table: &str,
    fields: &[Field],
    name: &str,
    line: Option<usize>,
) -> Result<(), ImportError> {
    crate::spec::name::check_uc_name("column name", name).map_err(|m| src.error(line, m))?;
    if fields.iter().any(|f| f.name.eq_ignore_ascii_case(name)) {
        return Err(src.error(
            line,
            format!("column {name} appears twice in table {table}"),
        ));
    }
    Ok(())
}

/// A table as dpc starts one from imported columns: its primary-key columns are required
/// and checked by not-null (and, for a one-column key, unique) expectations.
pub(crate) fn new_table(
    name: String,
    description: String,
    mut fields: Vec<Field>,
    primary_key: Vec<String>,
    clustered_by: Vec<String>,
    partitioned_by: Vec<String>,
) -> StarterTable {
    let mut quality_expectations = Vec::new();
    for key in &primary_key {
        if let Some(f) = fields.iter_mut().find(|f| &f.name == key) {
            f.nullable = false;
            f.primary_key = true;
        }
        quality_expectations.push(Expectation {
            name: format!("no_null_{key}"),
            kind: ExpectationKind::NotNull,
            column: key.clone(),
            pattern: None,
            values: None,
            min: None,
            max: None,
            severity: Severity::Critical,
        });
    }
    if let [key] = primary_key.as_slice() {
        quality_expectations.push(Expectation {
            name: format!("unique_{key}"),
            kind: ExpectationKind::Unique,
            column: key.clone(),
            pattern: None,
            values: None,
            min: None,
            max: None,
            severity: Severity::Critical,
        });
    }
    StarterTable {
        name,
        row_count: "unknown".into(),
        update_frequency: "Daily".into(),
        pii_categories: IndexMap::new(),
        contract: Table {
            description,
            schema: TableSchema { fields },
            primary_key,
            primary_key_guaranteed: false,
            partitioned_by,
            clustered_by,
            quality_expectations,
            deprecated: None,
        },
    }
}

/// A plain column: nullable, no constraints.
pub(crate) fn field(name: String, data_type: crate::spec::data_type::DataType) -> Field {
    Field {
        name,
        data_type,
        nullable: true,
        description: String::new(),
        primary_key: false,
        pii: false,
        masked_view: None,
        default: None,
        constraints: Vec::new(),
        deprecated: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn unknown_formats_name_what_is_expected() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "notes.txt", "hello");
        let err = tables_from_file(&path).unwrap_err();
        assert!(err.to_string().contains("notes.txt"), "{err}");
        assert!(err.to_string().contains(".csv"), "{err}");
    }

    #[test]
    fn missing_files_are_named() {
        let err = tables_from_file(Path::new("/nonexistent/x.sql")).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("/nonexistent/x.sql: cannot read"),
            "{err}"
        );
    }

    #[test]
    fn pii_is_inferred_and_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "people.csv", "id,email,city\n1,a@b.co,Paris\n");
        let imported = import_file(&path).unwrap();
        let t = &imported.tables[0];
        assert_eq!(
            t.pii_categories.get("email").map(String::as_str),
            Some("email")
        );
        assert!(t.contract.field("email").unwrap().pii);
        assert!(!t.contract.field("city").unwrap().pii);
        assert!(
            imported
                .notes
                .iter()
                .any(|n| n.contains("people.email (email)")),
            "{:?}",
            imported.notes
        );
    }
}
