//! JSON Lines: one object per row, keys in contract order. Numbers and booleans are JSON
//! numbers and booleans (decimals written exactly), dates and timestamps strings, binary
//! base64, nested values JSON, NULL `null`.

use crate::data::batch::{Batch, Data, INVALID, NULL};
use crate::data::compile::ColumnInfo;
use crate::data::values::{self, Kind};

/// Appends `s` as a JSON string.
pub(crate) fn string(out: &mut Vec<u8>, s: &[u8]) {
    out.push(b'"');
    for &c in s {
        match c {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            c if c < 0x20 => out.extend_from_slice(format!("\\u{c:04x}").as_bytes()),
            c => out.push(c),
        }
    }
    out.push(b'"');
}

/// Appends the rows of a batch to `out`.
pub(crate) fn encode_into(columns: &[ColumnInfo], batch: &Batch, out: &mut Vec<u8>) {
    use base64::Engine;
    let keys: Vec<Vec<u8>> = columns
        .iter()
        .map(|c| {
            let mut k = Vec::new();
            string(&mut k, c.name.as_bytes());
            k.push(b':');
            k
        })
        .collect();
    out.reserve(batch.rows * (columns.len() * 16 + 32));
    for row in 0..batch.rows {
        out.push(b'{');
        for (ci, info) in columns.iter().enumerate() {
            let Some(Some(col)) = batch.columns.get(ci) else {
                continue;
            };
            if ci > 0 {
                out.push(b',');
            }
            out.extend_from_slice(&keys[ci]);
            match col.cells[row] {
                NULL => {
                    out.extend_from_slice(b"null");
                    continue;
                }
                INVALID => {
                    string(out, col.display(row).as_bytes());
                    continue;
                }
                _ => {}
            }
            match &col.data {
                Data::Bool(d) => out.extend_from_slice(if d[row] { b"true" } else { b"false" }),
                Data::Int(d) => values::write_int(out, d[row]),
                Data::Float(d) if d[row].is_finite() => values::write_float(out, d[row]),
                Data::Float(d) => {
                    let mut t = Vec::new();
                    values::write_float(&mut t, d[row]);
                    string(out, &t);
                }
                Data::Decimal(d) => {
                    let scale = match info.kind {
                        Kind::Decimal { scale, .. } => scale,
                        _ => 0,
                    };
                    values::write_decimal(out, d[row], scale);
                }
                Data::Date(d) => {
                    out.push(b'"');
                    values::write_date(out, d[row]);
                    out.push(b'"');
                }
                Data::Timestamp(d) => {
                    out.push(b'"');
                    values::write_timestamp(out, d[row]);
                    out.push(b'"');
                }
                Data::Bytes(b) => match info.kind {
                    Kind::Binary => {
                        let text = base64::engine::general_purpose::STANDARD.encode(b.get(row));
                        string(out, text.as_bytes());
                    }
                    Kind::Nested => out.extend_from_slice(b.get(row)),
                    _ => string(out, b.get(row)),
                },
            }
        }
        out.extend_from_slice(b"}\n");
    }
}
