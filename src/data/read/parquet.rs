//! Parquet: columns are matched by name and their stored types checked against the
//! contract's. A compatible type is converted (INT32 for BIGINT, any timestamp unit, a
//! decimal of another scale); a value the contract type cannot hold, or any value of an
//! incompatible column (text where the contract says INT), is a type failure of its row.

use super::{BatchSource, Layout, match_columns};
use crate::data::batch::{Batch, Column};
use crate::data::compile::ColumnInfo;
use crate::data::values::{self, Kind, MICROS_PER_DAY};
use crate::data::{BATCH_ROWS, DataError};
use crate::spec::data_type::DataType;
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Decimal128Type, Float32Type, Float64Type, Int8Type, Int16Type,
    Int32Type, Int64Type, TimestampMicrosecondType, TimestampMillisecondType,
    TimestampNanosecondType, TimestampSecondType, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType as Arrow, TimeUnit};
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use std::path::{Path, PathBuf};

pub(crate) struct ParquetSource {
    path: PathBuf,
    reader: Option<ParquetRecordBatchReader>,
    columns: Vec<ColumnInfo>,
    present: Vec<bool>,
    layout: Layout,
    next_row: u64,
    total: u64,
}

impl ParquetSource {
    pub(crate) fn open(path: &Path, columns: &[ColumnInfo]) -> Result<ParquetSource, DataError> {
        let file =
            crate::files::safe_read::open_regular(path).map_err(|e| DataError::read(path, e))?;
        let empty = file.metadata().map(|m| m.len() == 0).unwrap_or(false);
        if empty {
            return Ok(ParquetSource {
                path: path.to_path_buf(),
                reader: None,
                columns: columns.to_vec(),
                present: vec![false; columns.len()],
                layout: Layout {
                    missing: columns.iter().map(|c| c.name.clone()).collect(),
                    empty: true,
                    ..Layout::default()
                },
                next_row: 0,
                total: 0,
            });
        }
        let builder = ParquetRecordBatchReaderBuilder::try_new(file)
            .map_err(|e| DataError::read(path, format!("not a readable Parquet file: {e}")))?;
        let total = builder.metadata().file_metadata().num_rows().max(0) as u64;
        let fields = builder.schema().fields().clone();
        let names: Vec<String> = fields.iter().map(|f| f.name().clone()).collect();
        let (index, mut layout) = match_columns(&names, columns);
        for (c, i) in columns.iter().zip(&index) {
            if let Some(i) = i {
                let stored = fields[*i].data_type();
                if !compatible(&c.data_type, stored) {
                    layout
                        .stored_types
                        .push((c.name.clone(), stored.to_string()));
                }
            }
        }
        let roots: Vec<usize> = index.iter().flatten().copied().collect();
        let mask = ProjectionMask::roots(builder.parquet_schema(), roots);
        let reader = builder
            .with_batch_size(BATCH_ROWS)
            .with_projection(mask)
            .build()
            .map_err(|e| DataError::read(path, e))?;
        Ok(ParquetSource {
            path: path.to_path_buf(),
            reader: Some(reader),
            columns: columns.to_vec(),
            present: index.iter().map(Option::is_some).collect(),
            layout,
            next_row: 0,
            total,
        })
    }
}

impl BatchSource for ParquetSource {
    fn next_batch(&mut self, mut spare: Option<Batch>) -> Result<Option<Batch>, DataError> {
        let Some(reader) = self.reader.as_mut() else {
            return Ok(None);
        };
        let rb: RecordBatch = match reader.next() {
            None => return Ok(None),
            Some(r) => r.map_err(|e| DataError::read(&self.path, e))?,
        };
        let rows = rb.num_rows();
        let schema = rb.schema();
        let columns = self
            .columns
            .iter()
            .zip(&self.present)
            .enumerate()
            .map(|(ci, (info, present))| {
                if !present {
                    return None;
                }
                let array = schema
                    .fields()
                    .iter()
                    .position(|f| f.name().eq_ignore_ascii_case(&info.name))
                    .map(|i| rb.column(i).clone())?;
                let mut col = Column::reuse(&mut spare, ci, info.kind, rows);
                convert(array.as_ref(), info, &mut col);
                Some(col)
            })
            .collect();
        let batch = Batch {
            first_row: self.next_row,
            rows,
            columns,
            malformed: Vec::new(),
        };
        self.next_row += rows as u64;
        Ok(Some(batch))
    }

    fn position(&self) -> u64 {
        self.next_row
    }

    fn total(&self) -> u64 {
        self.total
    }

    fn layout(&self) -> Layout {
        self.layout.clone()
    }
}

/// Whether a stored type converts to the contract type without failing every value.
fn compatible(t: &DataType, stored: &Arrow) -> bool {
    let kind = Kind::of(t);
    let int = stored.is_integer();
    match kind {
        Kind::Bool => *stored == Arrow::Boolean,
        Kind::Int { .. } => int,
        Kind::Float { .. } => stored.is_floating() || int,
        Kind::Decimal { .. } => matches!(stored, Arrow::Decimal128(..)) || int,
        Kind::Date => matches!(stored, Arrow::Date32 | Arrow::Date64),
        Kind::Timestamp => matches!(stored, Arrow::Timestamp(..) | Arrow::Date32),
        Kind::Text => matches!(stored, Arrow::Utf8 | Arrow::LargeUtf8 | Arrow::Utf8View),
        Kind::Binary => matches!(
            stored,
            Arrow::Binary | Arrow::LargeBinary | Arrow::BinaryView | Arrow::FixedSizeBinary(_)
        ),
        Kind::Nested => same_shape(t, stored),
    }
}

/// Nested types match when their structure and leaf types do (names of list and map
/// entries, and nullability, may differ).
fn same_shape(t: &DataType, stored: &Arrow) -> bool {
    match (t, stored) {
        (DataType::Array(inner), Arrow::List(f) | Arrow::LargeList(f)) => {
            same_shape(inner, f.data_type())
        }
        (DataType::Map(k, v), Arrow::Map(entries, _)) => match entries.data_type() {
            Arrow::Struct(kv) if kv.len() == 2 => {
                same_shape(k, kv[0].data_type()) && same_shape(v, kv[1].data_type())
            }
            _ => false,
        },
        (DataType::Struct(fields), Arrow::Struct(stored_fields)) => {
            fields.len() == stored_fields.len()
                && fields.iter().all(|f| {
                    stored_fields
                        .iter()
                        .find(|s| s.name().eq_ignore_ascii_case(&f.name))
                        .is_some_and(|s| same_shape(&f.data_type, s.data_type()))
                })
        }
        (t, stored) if Kind::of(t) != Kind::Nested => compatible(t, stored),
        _ => false,
    }
}

/// Integer values of any integer array, widened.
fn integers(a: &dyn Array) -> Option<Vec<Option<i128>>> {
    macro_rules! widen {
        ($t:ty) => {
            a.as_primitive_opt::<$t>()
                .map(|p| p.iter().map(|v| v.map(i128::from)).collect())
        };
    }
    match a.data_type() {
        Arrow::Int8 => widen!(Int8Type),
        Arrow::Int16 => widen!(Int16Type),
        Arrow::Int32 => widen!(Int32Type),
        Arrow::Int64 => widen!(Int64Type),
        Arrow::UInt8 => widen!(UInt8Type),
        Arrow::UInt16 => widen!(UInt16Type),
        Arrow::UInt32 => widen!(UInt32Type),
        Arrow::UInt64 => widen!(UInt64Type),
        _ => None,
    }
}

fn floats(a: &dyn Array) -> Option<Vec<Option<f64>>> {
    match a.data_type() {
        Arrow::Float32 => a
            .as_primitive_opt::<Float32Type>()
            .map(|p| p.iter().map(|v| v.map(f64::from)).collect()),
        Arrow::Float64 => a
            .as_primitive_opt::<Float64Type>()
            .map(|p| p.iter().collect()),
        _ => integers(a).map(|v| v.into_iter().map(|x| x.map(|i| i as f64)).collect()),
    }
}

/// Text of each value of an array the contract type cannot hold, for the report.
fn shown(a: &dyn Array, row: usize) -> String {
    if let Some(s) = a.as_string_opt::<i32>() {
        return s.value(row).to_string();
    }
    if let Some(s) = a.as_string_opt::<i64>() {
        return s.value(row).to_string();
    }
    if let Some(v) = integers(a) {
        return v[row].map(|x| x.to_string()).unwrap_or_default();
    }
    if let Some(v) = floats(a) {
        return v[row].map(|x| x.to_string()).unwrap_or_default();
    }
    if let Some(b) = a.as_boolean_opt() {
        return b.value(row).to_string();
    }
    format!("a {} value", a.data_type())
}

fn convert(a: &dyn Array, info: &ColumnInfo, col: &mut Column) {
    let n = a.len();
    if !compatible(&info.data_type, a.data_type()) {
        for r in 0..n {
            if a.is_null(r) {
                col.push_null();
            } else {
                col.push_invalid(&shown(a, r));
            }
        }
        return;
    }
    match info.kind {
        Kind::Bool => match a.as_boolean_opt() {
            Some(b) => b.iter().for_each(|v| match v {
                Some(x) => col.push_bool(x),
                None => col.push_null(),
            }),
            None => (0..n).for_each(|_| col.push_null()),
        },
        Kind::Int { bits } => convert_int(a, bits, col),
        Kind::Float { .. } => floats(a)
            .unwrap_or_default()
            .into_iter()
            .for_each(|v| match v {
                Some(x) => col.push_float(x),
                None => col.push_null(),
            }),
        Kind::Decimal { precision, scale } => convert_decimal(a, precision, scale, col),
        Kind::Date => date_days(a).into_iter().for_each(|v| match v {
            Some(d) => col.push_date(d),
            None => col.push_null(),
        }),
        Kind::Timestamp => timestamp_micros(a).into_iter().for_each(|v| match v {
            Some(t) => col.push_timestamp(t),
            None => col.push_null(),
        }),
        Kind::Text => convert_text(a, col),
        Kind::Binary => convert_binary(a, col),
        // Nested values have no rules beyond their type, which the schema already matched.
        Kind::Nested => (0..n).for_each(|r| {
            if a.is_null(r) {
                col.push_null();
            } else {
                col.push_bytes(b"{}");
            }
        }),
    }
}

/// Integers: copied when stored as the contract's type, else widened and checked against
/// the type's bounds.
fn convert_int(a: &dyn Array, bits: u8, col: &mut Column) {
    match bits {
        // The stored type is the contract's: copy without widening.
        32 if a.data_type() == &Arrow::Int32 => {
            if let Some(p) = a.as_primitive_opt::<Int32Type>() {
                for (r, v) in p.values().iter().enumerate() {
                    if p.is_null(r) {
                        col.push_null();
                    } else {
                        col.push_int(i64::from(*v));
                    }
                }
            }
        }
        64 if a.data_type() == &Arrow::Int64 => {
            if let Some(p) = a.as_primitive_opt::<Int64Type>() {
                for (r, v) in p.values().iter().enumerate() {
                    if p.is_null(r) {
                        col.push_null();
                    } else {
                        col.push_int(*v);
                    }
                }
            }
        }
        _ => {
            let (lo, hi) = values::int_bounds(bits);
            for v in integers(a).unwrap_or_default() {
                match v {
                    None => col.push_null(),
                    Some(x) if (i128::from(lo)..=i128::from(hi)).contains(&x) => {
                        col.push_int(x as i64)
                    }
                    Some(x) => col.push_invalid(&x.to_string()),
                }
            }
        }
    }
}

/// Decimals: copied when stored at the contract's scale (checked against its precision),
/// else rescaled from the stored decimal or integer.
fn convert_decimal(a: &dyn Array, precision: u8, scale: u8, col: &mut Column) {
    if matches!(a.data_type(), Arrow::Decimal128(_, s) if *s == scale as i8) {
        let limit = values::decimal_limit(precision);
        if let Some(p) = a.as_primitive_opt::<Decimal128Type>() {
            for (r, v) in p.values().iter().enumerate() {
                if p.is_null(r) {
                    col.push_null();
                } else if v.abs() <= limit {
                    col.push_decimal(*v);
                } else {
                    let mut t = Vec::new();
                    values::write_decimal(&mut t, *v, scale);
                    col.push_invalid(&String::from_utf8_lossy(&t));
                }
            }
        }
        return;
    }
    let (values, from_scale): (Vec<Option<i128>>, i8) = match a.data_type() {
        Arrow::Decimal128(_, s) => (
            a.as_primitive_opt::<Decimal128Type>()
                .map(|p| p.iter().collect())
                .unwrap_or_default(),
            *s,
        ),
        _ => (integers(a).unwrap_or_default(), 0),
    };
    for v in values {
        match v.map(|x| rescale(x, from_scale, scale, precision)) {
            None => col.push_null(),
            Some(Ok(x)) => col.push_decimal(x),
            Some(Err(text)) => col.push_invalid(&text),
        }
    }
}

/// Dates as days since the epoch, from DATE32 or DATE64.
fn date_days(a: &dyn Array) -> Vec<Option<i32>> {
    match a.data_type() {
        Arrow::Date64 => a
            .as_primitive_opt::<Date64Type>()
            .map(|p| {
                p.iter()
                    .map(|v| v.map(|ms| ms.div_euclid(86_400_000) as i32))
                    .collect()
            })
            .unwrap_or_default(),
        _ => a
            .as_primitive_opt::<Date32Type>()
            .map(|p| p.iter().collect())
            .unwrap_or_default(),
    }
}

/// Timestamps as microseconds since the epoch, from any unit (or from dates).
fn timestamp_micros(a: &dyn Array) -> Vec<Option<i64>> {
    match a.data_type() {
        Arrow::Timestamp(TimeUnit::Second, _) => {
            prim::<TimestampSecondType>(a, |v| v.saturating_mul(1_000_000))
        }
        Arrow::Timestamp(TimeUnit::Millisecond, _) => {
            prim::<TimestampMillisecondType>(a, |v| v.saturating_mul(1_000))
        }
        Arrow::Timestamp(TimeUnit::Microsecond, _) => prim::<TimestampMicrosecondType>(a, |v| v),
        Arrow::Timestamp(TimeUnit::Nanosecond, _) => {
            prim::<TimestampNanosecondType>(a, |v| v.div_euclid(1_000))
        }
        _ => a
            .as_primitive_opt::<Date32Type>()
            .map(|p| {
                p.iter()
                    .map(|v| v.map(|d| i64::from(d) * MICROS_PER_DAY))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// Text from any string array.
fn convert_text(a: &dyn Array, col: &mut Column) {
    if let Some(s) = a.as_string_opt::<i32>() {
        // One copy of the whole values buffer rather than one per value.
        let offsets = s.value_offsets();
        col.extend_bytes(
            s.value_data(),
            offsets.iter().map(|o| usize::try_from(*o).unwrap_or(0)),
            (0..a.len()).map(|r| s.is_valid(r)),
        );
    } else if let Some(s) = a.as_string_opt::<i64>() {
        s.iter()
            .for_each(|v| push_opt_bytes(col, v.map(str::as_bytes)));
    } else if let Some(s) = a.as_string_view_opt() {
        s.iter()
            .for_each(|v| push_opt_bytes(col, v.map(str::as_bytes)));
    } else {
        (0..a.len()).for_each(|_| col.push_null());
    }
}

/// Bytes from any binary array.
fn convert_binary(a: &dyn Array, col: &mut Column) {
    if let Some(b) = a.as_binary_opt::<i32>() {
        b.iter().for_each(|v| push_opt_bytes(col, v));
    } else if let Some(b) = a.as_binary_opt::<i64>() {
        b.iter().for_each(|v| push_opt_bytes(col, v));
    } else if let Some(b) = a.as_binary_view_opt() {
        b.iter().for_each(|v| push_opt_bytes(col, v));
    } else if let Some(b) = a.as_fixed_size_binary_opt() {
        b.iter().for_each(|v| push_opt_bytes(col, v));
    } else {
        (0..a.len()).for_each(|_| col.push_null());
    }
}

fn prim<T: arrow_array::ArrowPrimitiveType<Native = i64>>(
    a: &dyn Array,
    f: impl Fn(i64) -> i64,
) -> Vec<Option<i64>> {
    a.as_primitive_opt::<T>()
        .map(|p| p.iter().map(|v| v.map(&f)).collect())
        .unwrap_or_default()
}

fn push_opt_bytes(col: &mut Column, v: Option<&[u8]>) {
    match v {
        Some(b) => col.push_bytes(b),
        None => col.push_null(),
    }
}

/// An unscaled decimal at `from` scale moved to scale `to` (rounded half up, as Spark
/// casts), or its text when DECIMAL(precision, to) cannot hold it.
fn rescale(v: i128, from: i8, to: u8, precision: u8) -> Result<i128, String> {
    let to = i32::from(to);
    let from = i32::from(from);
    let text = || {
        let mut out = Vec::new();
        values::write_decimal(&mut out, v, from.max(0) as u8);
        String::from_utf8_lossy(&out).into_owned()
    };
    let scaled = if to >= from {
        10i128
            .checked_pow((to - from) as u32)
            .and_then(|m| v.checked_mul(m))
            .ok_or_else(text)?
    } else {
        let d = 10i128.checked_pow((from - to) as u32).ok_or_else(text)?;
        let (q, r) = (v / d, v % d);
        if r.abs() * 2 >= d { q + v.signum() } else { q }
    };
    if scaled.abs() > values::decimal_limit(precision) {
        return Err(text());
    }
    Ok(scaled)
}
