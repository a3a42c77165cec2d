//! Data against the contract: `dpc sample` generates rows that keep every rule of the
//! contract, `dpc test` checks real files against the same rules.
//!
//! The flow: [`rules`] compiles a table's contract (types, nullability, constraints,
//! expectations, keys) into checks once; [`plan`] turns the same contract into value
//! generators; [`generate`] fills columnar [`batch::Batch`]es that [`write`] stores as CSV,
//! JSON Lines or Parquet. [`read`] streams files back into batches, [`eval`] runs the checks
//! over them and [`report`] prints the result.

pub(crate) mod batch;
pub mod compile;
pub(crate) mod eval;
pub mod generate;
pub(crate) mod inject;
pub(crate) mod nested;
pub(crate) mod parallel;
pub(crate) mod plan;
pub(crate) mod read;
pub(crate) mod regex_gen;
pub(crate) mod report;
pub(crate) mod rng;
pub(crate) mod sample_sync;
pub(crate) mod spark;
pub(crate) mod values;
pub(crate) mod words;
pub(crate) mod write;

use std::path::{Path, PathBuf};

/// Rows per batch: generation, writing, reading and checking all work in batches this size.
pub(crate) const BATCH_ROWS: usize = 16_384;

/// A data file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Comma-separated values with a header row; empty field = NULL.
    Csv,
    /// One JSON object per line.
    Jsonl,
    /// Apache Parquet, Snappy-compressed.
    Parquet,
}

impl Format {
    pub(crate) const ALL: [Format; 3] = [Format::Csv, Format::Jsonl, Format::Parquet];

    pub(crate) fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Jsonl => "jsonl",
            Format::Parquet => "parquet",
        }
    }

    pub(crate) fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Format::ALL.into_iter().find(|f| f.extension() == ext)
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.extension())
    }
}

/// Everything that stops `sample` or `test` before a result exists: bad input, not bad data.
/// Bad data is never an error; it is a counted failure in the report.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("{table}.{column}: {message}")]
    Column {
        table: String,
        column: String,
        message: String,
    },
    #[error("table {table}: {message}")]
    Table { table: String, message: String },
    #[error("cannot read {}: {message}", path.display())]
    Read { path: PathBuf, message: String },
    #[error("cannot write {}: {message}", path.display())]
    Write { path: PathBuf, message: String },
    #[error("{}: {message}", path.display())]
    Input { path: PathBuf, message: String },
    #[error("{0}")]
    Usage(String),
}

impl DataError {
    pub(crate) fn column(table: &str, column: &str, message: impl Into<String>) -> Self {
        DataError::Column {
            table: table.to_string(),
            column: column.to_string(),
            message: message.into(),
        }
    }

    pub(crate) fn read(path: &Path, message: impl std::fmt::Display) -> Self {
        DataError::Read {
            path: path.to_path_buf(),
            message: message.to_string(),
        }
    }

    pub(crate) fn write(path: &Path, message: impl std::fmt::Display) -> Self {
        DataError::Write {
            path: path.to_path_buf(),
            message: message.to_string(),
        }
    }
}
