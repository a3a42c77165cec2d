//! Streams a data file into batches of the contract's columns. Readers never fail on bad
//! data: a value that is not of the column's type becomes an invalid cell, a record of the
//! wrong shape a malformed row, a missing column is reported. Only I/O stops them.

pub(crate) mod csv;
pub(crate) mod jsonl;
pub(crate) mod parquet;

use super::batch::Batch;
use super::compile::ColumnInfo;
use super::{DataError, Format};
use std::path::Path;

/// How the file's columns line up with the contract's.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub(crate) struct Layout {
    /// Contract columns the file does not have.
    pub missing: Vec<String>,
    /// File columns the contract does not have.
    pub extra: Vec<String>,
    /// Columns whose stored type is not the contract's: (column, what the file holds).
    pub stored_types: Vec<(String, String)>,
    /// The file has no header (or no bytes) at all.
    pub empty: bool,
}

/// A reader of one table's file.
pub(crate) trait BatchSource: Send {
    /// The next batch, or `None` at the end; `spare` is a used batch whose buffers to reuse.
    fn next_batch(&mut self, spare: Option<Batch>) -> Result<Option<Batch>, DataError>;
    /// Progress so far, in [`BatchSource::total`]'s unit (bytes or rows).
    fn position(&self) -> u64;
    fn total(&self) -> u64;
    /// The column layout (complete once the file is read: JSON Lines learns it as it goes).
    fn layout(&self) -> Layout;
}

pub(crate) fn open(
    path: &Path,
    format: Format,
    columns: &[ColumnInfo],
) -> Result<Box<dyn BatchSource>, DataError> {
    Ok(match format {
        Format::Csv => Box::new(csv::CsvSource::open(path, columns)?),
        Format::Jsonl => Box::new(jsonl::JsonlSource::open(path, columns)?),
        Format::Parquet => Box::new(parquet::ParquetSource::open(path, columns)?),
    })
}

/// Maps contract columns to file columns by name (exact, else ignoring case, as Spark
/// resolves columns); returns the file index of each contract column and the layout.
pub(crate) fn match_columns(
    file: &[String],
    columns: &[ColumnInfo],
) -> (Vec<Option<usize>>, Layout) {
    let mut used = vec![false; file.len()];
    let mut index = Vec::with_capacity(columns.len());
    let mut layout = Layout::default();
    for c in columns {
        let found = file.iter().position(|f| *f == c.name).or_else(|| {
            file.iter()
                .enumerate()
                .position(|(i, f)| !used[i] && f.eq_ignore_ascii_case(&c.name))
        });
        if let Some(i) = found {
            used[i] = true;
        } else {
            layout.missing.push(c.name.clone());
        }
        index.push(found);
    }
    layout.extra = file
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(f, _)| f.clone())
        .collect();
    (index, layout)
}
