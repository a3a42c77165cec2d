//! CSV: a header row, then records; an empty field is NULL, any other field is parsed as
//! the column's type (see [`crate::data::values`]).

use super::{BatchSource, Layout, match_columns};
use crate::data::batch::{Batch, Column};
use crate::data::compile::ColumnInfo;
use crate::data::values::Kind;
use crate::data::{BATCH_ROWS, DataError};
use std::fs::File;
use std::path::{Path, PathBuf};

/// A nested value is JSON of the column's type.
fn push_nested(col: &mut Column, info: &ColumnInfo, field: &[u8]) {
    match serde_json::from_slice::<serde_json::Value>(field) {
        Ok(v) if crate::data::nested::conforms(&info.data_type, &v) => col.push_bytes(field),
        _ => col.push_invalid(&String::from_utf8_lossy(field)),
    }
}

pub(crate) struct CsvSource {
    path: PathBuf,
    reader: csv::Reader<File>,
    record: csv::ByteRecord,
    columns: Vec<ColumnInfo>,
    index: Vec<Option<usize>>,
    width: usize,
    layout: Layout,
    next_row: u64,
    total: u64,
    position: u64,
}

impl CsvSource {
    pub(crate) fn open(path: &Path, columns: &[ColumnInfo]) -> Result<CsvSource, DataError> {
        let file =
            crate::files::safe_read::open_regular(path).map_err(|e| DataError::read(path, e))?;
        let total = file.metadata().map(|m| m.len()).unwrap_or(0);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(1 << 20)
            .from_reader(file);
        let mut record = csv::ByteRecord::new();
        let has_header = reader
            .read_byte_record(&mut record)
            .map_err(|e| DataError::read(path, e))?;
        let names: Vec<String> = record
            .iter()
            .map(|f| {
                String::from_utf8_lossy(f)
                    .trim_start_matches('\u{feff}')
                    .to_string()
            })
            .collect();
        // Spark renames both copies of a repeated column, so neither is the contract's.
        if let Some((i, dup)) = names
            .iter()
            .enumerate()
            .find(|(i, n)| names[..*i].iter().any(|o| o.eq_ignore_ascii_case(n)))
        {
            return Err(DataError::Input {
                path: path.to_path_buf(),
                message: format!(
                    "the header repeats column {} (field {}); Spark renames both copies, so neither matches the contract",
                    crate::lang::printable::printable(dup),
                    i + 1
                ),
            });
        }
        // One header field holding another delimiter: not comma-separated.
        if names.len() == 1 && columns.len() > 1 {
            let delimiter = [';', '\t', '|'].into_iter().find(|d| names[0].contains(*d));
            if let Some(d) = delimiter {
                return Err(DataError::Input {
                    path: path.to_path_buf(),
                    message: format!(
                        "the header is one field holding {:?}: the file looks {}-separated; dpc reads comma-separated CSV",
                        d,
                        d.escape_default()
                    ),
                });
            }
        }
        let (index, mut layout) = match_columns(&names, columns);
        layout.empty = !has_header;
        Ok(CsvSource {
            path: path.to_path_buf(),
            reader,
            record,
            columns: columns.to_vec(),
            index,
            width: names.len(),
            layout,
            next_row: 0,
            total,
            position: 0,
        })
    }
}

impl BatchSource for CsvSource {
    fn next_batch(&mut self, mut spare: Option<Batch>) -> Result<Option<Batch>, DataError> {
        if self.layout.empty {
            return Ok(None);
        }
        let mut cols: Vec<Option<Column>> = self
            .columns
            .iter()
            .zip(&self.index)
            .enumerate()
            .map(|(ci, (c, i))| i.map(|_| Column::reuse(&mut spare, ci, c.kind, BATCH_ROWS)))
            .collect();
        let mut malformed = Vec::new();
        let mut rows = 0;
        while rows < BATCH_ROWS {
            let more = self
                .reader
                .read_byte_record(&mut self.record)
                .map_err(|e| DataError::read(&self.path, e))?;
            if !more {
                break;
            }
            let shaped = self.record.len() == self.width;
            if !shaped {
                malformed.push(rows);
            }
            for ((col, idx), info) in cols.iter_mut().zip(&self.index).zip(&self.columns) {
                let (Some(col), Some(i)) = (col.as_mut(), idx) else {
                    continue;
                };
                match self.record.get(*i).filter(|_| shaped) {
                    Some([]) => col.push_null(),
                    Some(field) if info.kind == Kind::Nested => push_nested(col, info, field),
                    Some(field) => col.push_text(field),
                    None => col.push_null(),
                }
            }
            rows += 1;
        }
        self.position = self.reader.position().byte();
        if rows == 0 {
            return Ok(None);
        }
        let batch = Batch {
            first_row: self.next_row,
            rows,
            columns: cols,
            malformed,
        };
        self.next_row += rows as u64;
        Ok(Some(batch))
    }

    fn position(&self) -> u64 {
        self.position
    }

    fn total(&self) -> u64 {
        self.total
    }

    fn layout(&self) -> Layout {
        self.layout.clone()
    }
}
