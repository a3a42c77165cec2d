//! Column types between dpc and ODCS: a Databricks type is written as its `physicalType`
//! (exact) with the `logicalType` that fits; an ODCS property is read from its physical type
//! when that is a Databricks type, else from what the common SQL spellings and the logical
//! type mean.

use super::OdcsVersion;
use super::types::Property;
use crate::spec::data_type::{DataType, StructField};

/// The ODCS logical type of a Databricks type.
pub(crate) fn logical(t: &DataType, version: OdcsVersion) -> &'static str {
    match t {
        DataType::String | DataType::Binary => "string",
        DataType::Boolean => "boolean",
        DataType::TinyInt | DataType::SmallInt | DataType::Int | DataType::BigInt => "integer",
        DataType::Float | DataType::Double | DataType::Decimal { .. } => "number",
        DataType::Date => "date",
        DataType::Timestamp | DataType::TimestampNtz => "timestamp",
        DataType::Array(_) => "array",
        DataType::Map(..) if version == OdcsVersion::V3_2 => "map",
        DataType::Map(..) | DataType::Struct(_) => "object",
    }
}

/// `logicalTypeOptions.format` for a type, where ODCS has one (integer width, float width,
/// binary strings).
pub(crate) fn logical_format(t: &DataType) -> Option<&'static str> {
    match t {
        DataType::TinyInt => Some("i8"),
        DataType::SmallInt => Some("i16"),
        DataType::Int => Some("i32"),
        DataType::BigInt => Some("i64"),
        DataType::Float => Some("f32"),
        DataType::Double => Some("f64"),
        DataType::Binary => Some("binary"),
        _ => None,
    }
}

/// The nested description of a complex type: `items` of an array, `properties` of a struct.
pub(crate) fn nested(t: &DataType, version: OdcsVersion) -> (Option<Box<Property>>, Vec<Property>) {
    let describe = |name: &str, t: &DataType| Property {
        name: name.to_string(),
        logical_type: Some(logical(t, version).to_string()),
        physical_type: Some(t.to_string()),
        items: nested(t, version).0,
        properties: nested(t, version).1,
        ..Property::default()
    };
    match t {
        DataType::Array(inner) => (Some(Box::new(describe("", inner))), Vec::new()),
        DataType::Struct(fields) => (
            None,
            fields
                .iter()
                .map(|f| describe(&f.name, &f.data_type))
                .collect(),
        ),
        _ => (None, Vec::new()),
    }
}

/// The Databricks type of an ODCS property, and a note when the reading is not exact.
pub(crate) fn import(p: &Property) -> (DataType, Option<String>) {
    let physical = p.physical_type.as_deref().map(str::trim).unwrap_or("");
    let logical = p.logical_type.as_deref().map(str::trim).unwrap_or("");
    if let Ok(t) = physical.parse::<DataType>() {
        let note =
            (!same_spelling(physical, &t)).then(|| format!("physicalType {physical} read as {t}"));
        return (t, note);
    }
    if let Some((t, exact)) = from_sql_spelling(physical, p) {
        let note = (!exact).then(|| format!("physicalType {physical} read as {t}"));
        return (t, note);
    }
    let (t, exact) = from_logical(logical, p);
    let note = match (physical.is_empty(), exact) {
        (true, true) => None,
        (true, false) => Some(format!("logicalType '{logical}' read as {t}")),
        (false, _) => Some(format!(
            "physicalType {physical} is not a Databricks type; read logicalType '{logical}' as {t}"
        )),
    };
    (t, note)
}

/// True when `text` is the Databricks spelling of `t` (or an alias that means the same).
fn same_spelling(text: &str, t: &DataType) -> bool {
    let compact = |s: &str| s.to_ascii_uppercase().replace(' ', "");
    let text = compact(text);
    text == compact(&t.to_string())
        || matches!(
            (text.as_str(), t),
            ("INTEGER", DataType::Int)
                | ("LONG", DataType::BigInt)
                | ("SHORT", DataType::SmallInt)
                | ("BYTE", DataType::TinyInt)
                | ("REAL", DataType::Float)
                | ("TIMESTAMP_LTZ", DataType::Timestamp)
        )
}

/// Common SQL type names of other databases; the flag says whether nothing is lost.
fn from_sql_spelling(physical: &str, p: &Property) -> Option<(DataType, bool)> {
    let lower = physical.to_ascii_lowercase();
    let base = lower
        .split(['(', '['])
        .next()
        .unwrap_or("")
        .trim()
        .to_string();
    let has_args = base.len() < lower.trim().len();
    Some(match base.as_str() {
        "varchar" | "char" | "character" | "character varying" | "nvarchar" | "nchar"
        | "bpchar" => (DataType::String, !has_args),
        "text" | "citext" | "uuid" => (DataType::String, true),
        "json" | "jsonb" | "xml" => (DataType::String, false),
        "int2" => (DataType::SmallInt, true),
        "int4" | "serial" | "serial4" => (DataType::Int, base == "int4"),
        "int8" | "bigserial" | "serial8" => (DataType::BigInt, base == "int8"),
        "float4" => (DataType::Float, true),
        "float8" | "double precision" => (DataType::Double, true),
        "float" => (DataType::Double, !has_args),
        "bool" => (DataType::Boolean, true),
        "bytea" | "blob" | "varbinary" => (DataType::Binary, true),
        "timestamptz" | "datetime" => (DataType::Timestamp, true),
        "time" | "timetz" | "interval" => (DataType::String, false),
        "list" | "array" => {
            let (inner, exact) = match &p.items {
                Some(items) => {
                    let (t, note) = import(items);
                    (t, note.is_none())
                }
                None => (DataType::String, false),
            };
            (DataType::Array(Box::new(inner)), exact)
        }
        "object" | "struct" | "record" => struct_of(p)?,
        _ => return None,
    })
}

/// A STRUCT of the property's nested properties, when it has any.
fn struct_of(p: &Property) -> Option<(DataType, bool)> {
    if p.properties.is_empty() {
        return None;
    }
    let mut exact = true;
    let fields = p
        .properties
        .iter()
        .map(|child| {
            let (data_type, note) = import(child);
            exact &= note.is_none();
            StructField {
                name: child.name.clone(),
                data_type,
            }
        })
        .collect();
    Some((DataType::Struct(fields), exact))
}

fn option_text(p: &Property, key: &str) -> Option<String> {
    p.logical_type_options
        .as_ref()
        .and_then(|o| o.get(key))
        .and_then(|v| v.scalar_text())
}

/// The type an ODCS logical type means; the flag says whether nothing is lost.
fn from_logical(logical: &str, p: &Property) -> (DataType, bool) {
    let format = option_text(p, "format");
    match logical {
        "string" if format.as_deref() == Some("binary") => (DataType::Binary, true),
        "string" => (DataType::String, true),
        "boolean" => (DataType::Boolean, true),
        "integer" => match format.as_deref() {
            Some("i8") => (DataType::TinyInt, true),
            Some("i16") => (DataType::SmallInt, true),
            Some("i64") => (DataType::BigInt, true),
            None | Some("i32") => (DataType::Int, true),
            Some(_) => (DataType::BigInt, false),
        },
        "number" => match format.as_deref() {
            Some("f32") => (DataType::Float, true),
            _ => (DataType::Double, true),
        },
        "date" => (DataType::Date, true),
        "timestamp" => match p
            .logical_type_options
            .as_ref()
            .and_then(|o| o.get("timezone"))
        {
            Some(super::any::Any::Bool(false)) => (DataType::TimestampNtz, true),
            _ => (DataType::Timestamp, true),
        },
        "array" => {
            let (inner, exact) = match &p.items {
                Some(items) => {
                    let (t, note) = import(items);
                    (t, note.is_none())
                }
                None => (DataType::String, false),
            };
            (DataType::Array(Box::new(inner)), exact)
        }
        "map" => (
            DataType::Map(Box::new(DataType::String), Box::new(DataType::String)),
            false,
        ),
        "object" => struct_of(p).unwrap_or((DataType::String, false)),
        _ => (DataType::String, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prop(logical: &str, physical: &str) -> Property {
        Property {
            logical_type: Some(logical.into()),
            physical_type: (!physical.is_empty()).then(|| physical.into()),
            ..Property::default()
        }
    }

    #[test]
    fn databricks_types_are_read_exactly() {
        for text in [
            "STRING",
            "DECIMAL(10,2)",
            "TIMESTAMP_NTZ",
            "ARRAY<STRING>",
            "MAP<STRING, INT>",
            "STRUCT<a: INT, b: ARRAY<DATE>>",
        ] {
            let t: DataType = text.parse().unwrap();
            let p = prop(logical(&t, OdcsVersion::V3_2), text);
            assert_eq!(import(&p), (t, None), "{text}");
        }
    }

    #[test]
    fn other_spellings_say_what_they_became() {
        assert_eq!(import(&prop("string", "varchar(18)")).0, DataType::String);
        assert!(import(&prop("string", "varchar(18)")).1.is_some());
        assert_eq!(import(&prop("number", "int4")), (DataType::Int, None));
        assert_eq!(
            import(&prop("date", "timestamp")),
            (DataType::Timestamp, None)
        );
        assert_eq!(import(&prop("boolean", "bool")), (DataType::Boolean, None));
        let (t, note) = import(&prop("object", "Name"));
        assert_eq!(t, DataType::String);
        assert!(note.unwrap().contains("Name"));
        assert_eq!(import(&prop("integer", "")), (DataType::Int, None));
    }
}
