//! Parquet with the contract's types: INT → INT32, DECIMAL(p,s) → decimal, DATE → date,
//! TIMESTAMP → microseconds UTC, TIMESTAMP_NTZ → microseconds without zone, ARRAY / MAP /
//! STRUCT → nested Parquet types. Snappy-compressed, row groups of 131,072 rows.

use crate::data::batch::{Batch, Data, VALUE};
use crate::data::compile::ColumnInfo;
use crate::data::values::{self, Kind};
use crate::spec::data_type::DataType;
use arrow_array::{
    ArrayRef, BinaryArray, BooleanArray, Date32Array, Decimal128Array, Float32Array, Float64Array,
    Int8Array, Int16Array, Int32Array, Int64Array, ListArray, MapArray, RecordBatch, StringArray,
    StructArray, TimestampMicrosecondArray, new_null_array,
};
use arrow_buffer::{NullBuffer, OffsetBuffer, ScalarBuffer};
use arrow_schema::{DataType as Arrow, Field, Fields, Schema, TimeUnit};
use serde_json::Value as Json;
use std::sync::Arc;

pub(crate) const ROW_GROUP_ROWS: usize = 131_072;

/// The Arrow (and so Parquet) type of a contract type.
pub(crate) fn arrow_type(t: &DataType) -> Arrow {
    match t {
        DataType::String => Arrow::Utf8,
        DataType::Boolean => Arrow::Boolean,
        DataType::TinyInt => Arrow::Int8,
        DataType::SmallInt => Arrow::Int16,
        DataType::Int => Arrow::Int32,
        DataType::BigInt => Arrow::Int64,
        DataType::Float => Arrow::Float32,
        DataType::Double => Arrow::Float64,
        DataType::Decimal { precision, scale } => Arrow::Decimal128(*precision, *scale as i8),
        DataType::Date => Arrow::Date32,
        DataType::Timestamp => Arrow::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
        DataType::TimestampNtz => Arrow::Timestamp(TimeUnit::Microsecond, None),
        DataType::Binary => Arrow::Binary,
        DataType::Array(inner) => Arrow::List(list_field(inner)),
        DataType::Map(k, v) => Arrow::Map(map_field(k, v), false),
        DataType::Struct(fields) => Arrow::Struct(struct_fields(fields)),
    }
}

fn list_field(inner: &DataType) -> Arc<Field> {
    Arc::new(Field::new("element", arrow_type(inner), true))
}

fn map_field(k: &DataType, v: &DataType) -> Arc<Field> {
    Arc::new(Field::new(
        "key_value",
        Arrow::Struct(Fields::from(vec![
            Field::new("key", arrow_type(k), false),
            Field::new("value", arrow_type(v), true),
        ])),
        false,
    ))
}

fn struct_fields(fields: &[crate::spec::data_type::StructField]) -> Fields {
    fields
        .iter()
        .map(|f| Field::new(&f.name, arrow_type(&f.data_type), true))
        .collect()
}

pub(crate) fn schema(columns: &[ColumnInfo]) -> Arc<Schema> {
    Arc::new(Schema::new(
        columns
            .iter()
            // Nullable as Spark writes Parquet; NOT NULL is a rule the checks count.
            .map(|c| Field::new(&c.name, arrow_type(&c.data_type), true))
            .collect::<Vec<_>>(),
    ))
}

pub(crate) fn writer(
    file: std::fs::File,
    columns: &[ColumnInfo],
) -> Result<parquet::arrow::ArrowWriter<std::fs::File>, parquet::errors::ParquetError> {
    let props = parquet::file::properties::WriterProperties::builder()
        .set_compression(parquet::basic::Compression::SNAPPY)
        .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
        .build();
    parquet::arrow::ArrowWriter::try_new(file, schema(columns), Some(props))
}

/// A batch as an Arrow record batch of the contract's schema. Cells that are not values of
/// their type cannot be stored in a typed column; they become NULL.
pub(crate) fn encode(columns: &[ColumnInfo], batch: &Batch) -> Result<RecordBatch, String> {
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(columns.len());
    for (ci, info) in columns.iter().enumerate() {
        let Some(Some(col)) = batch.columns.get(ci) else {
            arrays.push(new_null_array(&arrow_type(&info.data_type), batch.rows));
            continue;
        };
        let ok = |r: usize| col.cells[r] == VALUE;
        let opt = |r: usize| ok(r);
        let array: ArrayRef = match (&col.data, info.kind) {
            (Data::Bool(d), _) => Arc::new(BooleanArray::from_iter(
                d.iter().enumerate().map(|(r, v)| opt(r).then_some(*v)),
            )),
            (Data::Int(d), Kind::Int { bits }) => {
                let it = d.iter().enumerate().map(|(r, v)| opt(r).then_some(*v));
                match bits {
                    8 => Arc::new(Int8Array::from_iter(it.map(|v| v.map(|x| x as i8)))),
                    16 => Arc::new(Int16Array::from_iter(it.map(|v| v.map(|x| x as i16)))),
                    32 => Arc::new(Int32Array::from_iter(it.map(|v| v.map(|x| x as i32)))),
                    _ => Arc::new(Int64Array::from_iter(it)),
                }
            }
            (Data::Float(d), Kind::Float { single }) => {
                let it = d.iter().enumerate().map(|(r, v)| opt(r).then_some(*v));
                if single {
                    Arc::new(Float32Array::from_iter(it.map(|v| v.map(|x| x as f32))))
                } else {
                    Arc::new(Float64Array::from_iter(it))
                }
            }
            (Data::Decimal(d), Kind::Decimal { precision, scale }) => Arc::new(
                Decimal128Array::from_iter(d.iter().enumerate().map(|(r, v)| opt(r).then_some(*v)))
                    .with_precision_and_scale(precision, scale as i8)
                    .map_err(|e| e.to_string())?,
            ),
            (Data::Date(d), _) => Arc::new(Date32Array::from_iter(
                d.iter().enumerate().map(|(r, v)| opt(r).then_some(*v)),
            )),
            (Data::Timestamp(d), _) => {
                let a = TimestampMicrosecondArray::from_iter(
                    d.iter().enumerate().map(|(r, v)| opt(r).then_some(*v)),
                );
                Arc::new(match info.data_type {
                    DataType::TimestampNtz => a,
                    _ => a.with_timezone("UTC"),
                })
            }
            (Data::Bytes(b), Kind::Text) => Arc::new(StringArray::from_iter(
                (0..col.len()).map(|r| opt(r).then(|| String::from_utf8_lossy(b.get(r)))),
            )),
            (Data::Bytes(b), Kind::Binary) => Arc::new(BinaryArray::from_iter(
                (0..col.len()).map(|r| opt(r).then(|| b.get(r))),
            )),
            (Data::Bytes(b), Kind::Nested) => {
                let values: Vec<Option<Json>> = (0..col.len())
                    .map(|r| {
                        opt(r)
                            .then(|| serde_json::from_slice::<Json>(b.get(r)).ok())
                            .flatten()
                    })
                    .collect();
                nested_array(&info.data_type, &values)?
            }
            _ => new_null_array(&arrow_type(&info.data_type), batch.rows),
        };
        arrays.push(array);
    }
    RecordBatch::try_new(schema(columns), arrays).map_err(|e| e.to_string())
}

fn text_of(v: &Json) -> Option<String> {
    match v {
        Json::Null => None,
        Json::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// An Arrow array of type `t` from JSON values (`None` and JSON null are NULL).
fn nested_array(t: &DataType, values: &[Option<Json>]) -> Result<ArrayRef, String> {
    Ok(match t {
        DataType::Array(inner) => list_array(inner, values)?,
        DataType::Map(k, val) => map_array(k, val, values)?,
        DataType::Struct(fields) => struct_array(fields, values)?,
        DataType::String => Arc::new(StringArray::from_iter(
            values.iter().map(|v| present(v).and_then(text_of)),
        )),
        DataType::Binary => {
            use base64::Engine;
            let raw: Vec<Option<Vec<u8>>> = values
                .iter()
                .map(|v| {
                    present(v)
                        .and_then(Json::as_str)
                        .and_then(|s| base64::engine::general_purpose::STANDARD.decode(s).ok())
                })
                .collect();
            Arc::new(BinaryArray::from_iter(raw.iter().map(|v| v.as_deref())))
        }
        _ => scalar_array(t, values)?,
    })
}

/// The value unless it is missing or JSON null.
fn present(v: &Option<Json>) -> Option<&Json> {
    v.as_ref().filter(|j| !j.is_null())
}

/// Which values are present (not NULL).
fn nulls(values: &[Option<Json>]) -> NullBuffer {
    NullBuffer::from(
        values
            .iter()
            .map(|v| present(v).is_some())
            .collect::<Vec<bool>>(),
    )
}

/// An ARRAY column: the JSON arrays' items as one child array, with offsets.
fn list_array(inner: &DataType, values: &[Option<Json>]) -> Result<ArrayRef, String> {
    let mut offsets = vec![0i32];
    let mut items = Vec::new();
    for v in values {
        if let Some(Json::Array(a)) = present(v) {
            items.extend(a.iter().cloned().map(Some));
        }
        offsets.push(items.len() as i32);
    }
    let child = nested_array(inner, &items)?;
    Ok(Arc::new(
        ListArray::try_new(
            list_field(inner),
            OffsetBuffer::new(ScalarBuffer::from(offsets)),
            child,
            Some(nulls(values)),
        )
        .map_err(|e| e.to_string())?,
    ))
}

/// A MAP column: the JSON objects' keys and values as key/value entries, with offsets.
fn map_array(k: &DataType, val: &DataType, values: &[Option<Json>]) -> Result<ArrayRef, String> {
    let mut offsets = vec![0i32];
    let (mut keys, mut vals) = (Vec::new(), Vec::new());
    for v in values {
        if let Some(Json::Object(m)) = present(v) {
            for (key, item) in m {
                keys.push(Some(Json::String(key.clone())));
                vals.push(Some(item.clone()));
            }
        }
        offsets.push(keys.len() as i32);
    }
    let Arrow::Struct(entry_fields) = map_field(k, val).data_type().clone() else {
        return Err("internal: map entries are not a struct".into());
    };
    let entries = StructArray::try_new(
        entry_fields,
        vec![nested_array(k, &keys)?, nested_array(val, &vals)?],
        None,
    )
    .map_err(|e| e.to_string())?;
    Ok(Arc::new(
        MapArray::try_new(
            map_field(k, val),
            OffsetBuffer::new(ScalarBuffer::from(offsets)),
            entries,
            Some(nulls(values)),
            false,
        )
        .map_err(|e| e.to_string())?,
    ))
}

/// A STRUCT column: one child array per field, from the JSON objects' members.
fn struct_array(
    fields: &[crate::spec::data_type::StructField],
    values: &[Option<Json>],
) -> Result<ArrayRef, String> {
    let children = fields
        .iter()
        .map(|f| {
            let sub: Vec<Option<Json>> = values
                .iter()
                .map(|v| match present(v) {
                    Some(Json::Object(m)) => m.get(&f.name).cloned(),
                    _ => None,
                })
                .collect();
            nested_array(&f.data_type, &sub)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Arc::new(
        StructArray::try_new(struct_fields(fields), children, Some(nulls(values)))
            .map_err(|e| e.to_string())?,
    ))
}

/// Scalars: parse each JSON leaf as a value of the type, then build a one-column batch the
/// flat encoder already knows how to store.
fn scalar_array(t: &DataType, values: &[Option<Json>]) -> Result<ArrayRef, String> {
    let kind = Kind::of(t);
    let mut col = crate::data::batch::Column::new(kind, values.len());
    for v in values {
        let parsed = present(v)
            .and_then(text_of)
            .and_then(|s| values::Value::parse(kind, &s));
        match parsed {
            Some(x) => col.push_value(&x),
            None => col.push_null(),
        }
    }
    let info = ColumnInfo {
        name: "v".into(),
        data_type: t.clone(),
        kind,
        mask: None,
    };
    let batch = Batch {
        first_row: 0,
        rows: values.len(),
        columns: vec![Some(col)],
        malformed: Vec::new(),
    };
    Ok(encode(std::slice::from_ref(&info), &batch)?
        .column(0)
        .clone())
}
