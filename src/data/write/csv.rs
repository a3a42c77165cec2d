//! CSV as the generated PySpark tests read it: a header of contract column names, RFC 4180
//! quoting (`""` inside quoted fields), empty field = NULL, nested values as JSON, binary as
//! base64, timestamps `YYYY-MM-DD HH:MM:SS`, dates `YYYY-MM-DD`.

use crate::data::batch::{Batch, Data, INVALID, NULL};
use crate::data::compile::ColumnInfo;
use crate::data::values::{self, Kind};

fn needs_quotes(v: &[u8]) -> bool {
    v.is_empty()
        || v.iter().any(|&c| matches!(c, b',' | b'"' | b'\n' | b'\r'))
        || v.first().is_some_and(u8::is_ascii_whitespace)
        || v.last().is_some_and(u8::is_ascii_whitespace)
}

/// Appends a text field, quoted when it must be.
pub(crate) fn field(out: &mut Vec<u8>, v: &[u8]) {
    if needs_quotes(v) {
        out.push(b'"');
        for &c in v {
            if c == b'"' {
                out.push(b'"');
            }
            out.push(c);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(v);
    }
}

pub(crate) fn header(columns: &[ColumnInfo]) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, c) in columns.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        field(&mut out, c.name.as_bytes());
    }
    out.push(b'\n');
    out
}

/// The rows of a batch (no header).
pub(crate) fn encode(columns: &[ColumnInfo], batch: &Batch) -> Vec<u8> {
    let mut out = Vec::with_capacity(batch.rows * (columns.len() * 16 + 32));
    encode_into(columns, batch, &mut out);
    out
}

/// Appends the rows of a batch to `out`.
pub(crate) fn encode_into(columns: &[ColumnInfo], batch: &Batch, out: &mut Vec<u8>) {
    use base64::Engine;
    out.reserve(batch.rows * (columns.len() * 16 + 32));
    let mut scratch = String::new();
    for row in 0..batch.rows {
        for (ci, info) in columns.iter().enumerate() {
            if ci > 0 {
                out.push(b',');
            }
            let Some(Some(col)) = batch.columns.get(ci) else {
                continue;
            };
            match col.cells[row] {
                NULL => continue,
                INVALID => {
                    let text = col.display(row);
                    field(out, text.as_bytes());
                    continue;
                }
                _ => {}
            }
            match &col.data {
                Data::Bool(d) => out.extend_from_slice(if d[row] { b"true" } else { b"false" }),
                Data::Int(d) => values::write_int(out, d[row]),
                Data::Float(d) => values::write_float(out, d[row]),
                Data::Decimal(d) => {
                    let scale = match info.kind {
                        Kind::Decimal { scale, .. } => scale,
                        _ => 0,
                    };
                    values::write_decimal(out, d[row], scale);
                }
                Data::Date(d) => values::write_date(out, d[row]),
                Data::Timestamp(d) => values::write_timestamp(out, d[row]),
                Data::Bytes(b) if info.kind == Kind::Binary => {
                    scratch.clear();
                    base64::engine::general_purpose::STANDARD
                        .encode_string(b.get(row), &mut scratch);
                    field(out, scratch.as_bytes());
                }
                Data::Bytes(b) => field(out, b.get(row)),
            }
        }
        out.push(b'\n');
    }
}
