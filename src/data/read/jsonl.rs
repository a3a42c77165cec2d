//! JSON Lines: one object per line. A key a line lacks is NULL; a column no line has is
//! missing. Numbers keep their exact text (decimals are not rounded through floats).

use super::{BatchSource, Layout};
use crate::data::batch::{Batch, Column};
use crate::data::compile::ColumnInfo;
use crate::data::values::Kind;
use crate::data::{BATCH_ROWS, DataError};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

pub(crate) struct JsonlSource {
    path: PathBuf,
    reader: BufReader<File>,
    line: Vec<u8>,
    columns: Vec<ColumnInfo>,
    seen: Vec<bool>,
    extra: BTreeSet<String>,
    any_line: bool,
    next_row: u64,
    total: u64,
    position: u64,
}

impl JsonlSource {
    pub(crate) fn open(path: &Path, columns: &[ColumnInfo]) -> Result<JsonlSource, DataError> {
        let file =
            crate::files::safe_read::open_regular(path).map_err(|e| DataError::read(path, e))?;
        let total = file.metadata().map(|m| m.len()).unwrap_or(0);
        Ok(JsonlSource {
            path: path.to_path_buf(),
            reader: BufReader::with_capacity(1 << 20, file),
            line: Vec::new(),
            columns: columns.to_vec(),
            seen: vec![false; columns.len()],
            extra: BTreeSet::new(),
            any_line: false,
            next_row: 0,
            total,
            position: 0,
        })
    }
}

/// Appends one JSON value to a column of `kind`.
fn push_json(col: &mut Column, info: &ColumnInfo, raw: &RawValue) {
    let text = raw.get().trim();
    let first = text.as_bytes().first().copied().unwrap_or(b'n');
    if text == "null" {
        col.push_null();
        return;
    }
    let as_string = || serde_json::from_str::<Cow<str>>(text).ok();
    match (info.kind, first) {
        (Kind::Nested, b'[' | b'{') => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(v) if crate::data::nested::conforms(&info.data_type, &v) => {
                col.push_bytes(text.as_bytes())
            }
            _ => col.push_invalid(text),
        },
        (Kind::Nested, _) => col.push_invalid(text),
        (Kind::Text | Kind::Date | Kind::Timestamp | Kind::Binary, b'"') => match as_string() {
            Some(s) if !s.is_empty() || info.kind == Kind::Text => col.push_text(s.as_bytes()),
            Some(_) => col.push_null(),
            None => col.push_invalid(text),
        },
        // Spark reads a number or boolean into a STRING column as its text.
        (Kind::Text, b't' | b'f' | b'-' | b'0'..=b'9') => col.push_text(text.as_bytes()),
        (Kind::Int { .. } | Kind::Decimal { .. } | Kind::Float { .. }, b'-' | b'0'..=b'9') => {
            col.push_text(text.as_bytes())
        }
        (Kind::Decimal { .. } | Kind::Float { .. }, b'"') => match as_string() {
            Some(s) => col.push_text(s.as_bytes()),
            None => col.push_invalid(text),
        },
        (Kind::Bool, b't' | b'f') => col.push_text(text.as_bytes()),
        _ => {
            let shown = as_string().map_or_else(|| text.to_string(), Cow::into_owned);
            col.push_invalid(&shown);
        }
    }
}

impl BatchSource for JsonlSource {
    fn next_batch(&mut self, mut spare: Option<Batch>) -> Result<Option<Batch>, DataError> {
        let mut cols: Vec<Option<Column>> = self
            .columns
            .iter()
            .enumerate()
            .map(|(ci, c)| Some(Column::reuse(&mut spare, ci, c.kind, BATCH_ROWS)))
            .collect();
        let mut malformed = Vec::new();
        let mut rows = 0;
        while rows < BATCH_ROWS {
            self.line.clear();
            let n = self
                .reader
                .read_until(b'\n', &mut self.line)
                .map_err(|e| DataError::read(&self.path, e))?;
            if n == 0 {
                break;
            }
            self.position += n as u64;
            if self.line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            self.any_line = true;
            let parsed: Option<HashMap<Cow<str>, &RawValue>> =
                serde_json::from_slice(&self.line).ok();
            match parsed {
                Some(map) => {
                    for key in map.keys() {
                        if !self.columns.iter().any(|c| c.name == *key) {
                            self.extra.insert(key.to_string());
                        }
                    }
                    for (ci, info) in self.columns.iter().enumerate() {
                        let Some(Some(col)) = cols.get_mut(ci) else {
                            continue;
                        };
                        match map.get(info.name.as_str()) {
                            Some(raw) => {
                                self.seen[ci] = true;
                                push_json(col, info, raw);
                            }
                            None => col.push_null(),
                        }
                    }
                }
                None => {
                    malformed.push(rows);
                    for col in cols.iter_mut().flatten() {
                        col.push_null();
                    }
                }
            }
            rows += 1;
        }
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
        Layout {
            missing: if self.any_line {
                self.columns
                    .iter()
                    .zip(&self.seen)
                    .filter(|(_, s)| !**s)
                    .map(|(c, _)| c.name.clone())
                    .collect()
            } else {
                self.columns.iter().map(|c| c.name.clone()).collect()
            },
            extra: self.extra.iter().cloned().collect(),
            stored_types: Vec::new(),
            empty: !self.any_line,
        }
    }
}
