//! Databricks column types, parsed from and printed to their SQL spelling.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataType {
    String,
    Boolean,
    TinyInt,
    SmallInt,
    Int,
    BigInt,
    Float,
    Double,
    Decimal { precision: u8, scale: u8 },
    Date,
    Timestamp,
    TimestampNtz,
    Binary,
    Array(Box<DataType>),
    Map(Box<DataType>, Box<DataType>),
    Struct(Vec<StructField>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructField {
    pub name: String,
    pub data_type: DataType,
}

impl DataType {
    pub(crate) fn is_numeric(&self) -> bool {
        matches!(
            self,
            DataType::TinyInt
                | DataType::SmallInt
                | DataType::Int
                | DataType::BigInt
                | DataType::Float
                | DataType::Double
                | DataType::Decimal { .. }
        )
    }

    pub(crate) fn is_integral(&self) -> bool {
        matches!(
            self,
            DataType::TinyInt | DataType::SmallInt | DataType::Int | DataType::BigInt
        )
    }

    pub(crate) fn is_temporal(&self) -> bool {
        matches!(
            self,
            DataType::Date | DataType::Timestamp | DataType::TimestampNtz
        )
    }

    pub(crate) fn is_complex(&self) -> bool {
        matches!(
            self,
            DataType::Array(_) | DataType::Map(..) | DataType::Struct(_)
        )
    }
}

impl fmt::Display for DataType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataType::String => f.write_str("STRING"),
            DataType::Boolean => f.write_str("BOOLEAN"),
            DataType::TinyInt => f.write_str("TINYINT"),
            DataType::SmallInt => f.write_str("SMALLINT"),
            DataType::Int => f.write_str("INT"),
            DataType::BigInt => f.write_str("BIGINT"),
            DataType::Float => f.write_str("FLOAT"),
            DataType::Double => f.write_str("DOUBLE"),
            DataType::Decimal { precision, scale } => write!(f, "DECIMAL({precision},{scale})"),
            DataType::Date => f.write_str("DATE"),
            DataType::Timestamp => f.write_str("TIMESTAMP"),
            DataType::TimestampNtz => f.write_str("TIMESTAMP_NTZ"),
            DataType::Binary => f.write_str("BINARY"),
            DataType::Array(inner) => write!(f, "ARRAY<{inner}>"),
            DataType::Map(k, v) => write!(f, "MAP<{k}, {v}>"),
            DataType::Struct(fields) => {
                f.write_str("STRUCT<")?;
                for (i, field) in fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}: {}", field.name, field.data_type)?;
                }
                f.write_str(">")
            }
        }
    }
}

/// Why a type spelling was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "'{text}' is not a Databricks type: {reason}; allowed: STRING, BOOLEAN, TINYINT, SMALLINT, INT/INTEGER, BIGINT, FLOAT, DOUBLE, DECIMAL(p,s), DATE, TIMESTAMP, TIMESTAMP_NTZ, BINARY, ARRAY<t>, MAP<k, v>, STRUCT<name: t, ...>"
)]
pub struct DataTypeError {
    pub text: String,
    pub reason: String,
}

impl FromStr for DataType {
    type Err = DataTypeError;
    fn from_str(s: &str) -> Result<Self, DataTypeError> {
        let mut parser = Parser { text: s, pos: 0 };
        let result = parser.data_type().and_then(|t| {
            parser.skip_ws();
            if parser.pos == s.len() {
                Ok(t)
            } else {
                Err(format!("unexpected '{}'", &s[parser.pos..]))
            }
        });
        result.map_err(|reason| DataTypeError {
            text: s.to_string(),
            reason,
        })
    }
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while self.text[self.pos..].starts_with(char::is_whitespace) {
            self.pos += self.text[self.pos..]
                .chars()
                .next()
                .map_or(1, char::len_utf8);
        }
    }

    fn word(&mut self) -> String {
        self.skip_ws();
        let rest = &self.text[self.pos..];
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        self.pos += len;
        rest[..len].to_string()
    }

    fn eat(&mut self, c: char) -> bool {
        self.skip_ws();
        if self.text[self.pos..].starts_with(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: char) -> Result<(), String> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(format!("expected '{c}' at position {}", self.pos + 1))
        }
    }

    fn number(&mut self) -> Result<u8, String> {
        let w = self.word();
        w.parse::<u8>()
            .map_err(|_| format!("expected a number, found '{w}'"))
    }

    fn data_type(&mut self) -> Result<DataType, String> {
        let word = self.word();
        if word.is_empty() {
            return Err("a type name is missing".into());
        }
        Ok(match word.to_ascii_uppercase().as_str() {
            "STRING" => DataType::String,
            "BOOLEAN" => DataType::Boolean,
            "TINYINT" | "BYTE" => DataType::TinyInt,
            "SMALLINT" | "SHORT" => DataType::SmallInt,
            "INT" | "INTEGER" => DataType::Int,
            "BIGINT" | "LONG" => DataType::BigInt,
            "FLOAT" | "REAL" => DataType::Float,
            "DOUBLE" => DataType::Double,
            "DATE" => DataType::Date,
            "TIMESTAMP" | "TIMESTAMP_LTZ" => DataType::Timestamp,
            "TIMESTAMP_NTZ" => DataType::TimestampNtz,
            "BINARY" => DataType::Binary,
            "DECIMAL" | "DEC" | "NUMERIC" => {
                let (precision, scale) = if self.eat('(') {
                    let p = self.number()?;
                    let s = if self.eat(',') { self.number()? } else { 0 };
                    self.expect(')')?;
                    (p, s)
                } else {
                    (10, 0)
                };
                if precision == 0 || precision > 38 {
                    return Err(format!("DECIMAL precision {precision} is outside 1..38"));
                }
                if scale > precision {
                    return Err(format!(
                        "DECIMAL scale {scale} is larger than its precision {precision}"
                    ));
                }
                DataType::Decimal { precision, scale }
            }
            "ARRAY" => {
                self.expect('<')?;
                let inner = self.data_type()?;
                self.expect('>')?;
                DataType::Array(Box::new(inner))
            }
            "MAP" => {
                self.expect('<')?;
                let k = self.data_type()?;
                self.expect(',')?;
                let v = self.data_type()?;
                self.expect('>')?;
                DataType::Map(Box::new(k), Box::new(v))
            }
            "STRUCT" => {
                self.expect('<')?;
                let mut fields = Vec::new();
                loop {
                    let name = self.word();
                    if name.is_empty() {
                        return Err("a STRUCT field name is missing".into());
                    }
                    self.expect(':')?;
                    let data_type = self.data_type()?;
                    fields.push(StructField { name, data_type });
                    if !self.eat(',') {
                        break;
                    }
                }
                self.expect('>')?;
                DataType::Struct(fields)
            }
            other => return Err(format!("unknown type '{other}'")),
        })
    }
}

impl Serialize for DataType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DataType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> DataType {
        s.parse().unwrap()
    }

    #[test]
    fn scalar_types_and_aliases() {
        assert_eq!(parse("STRING"), DataType::String);
        assert_eq!(parse("integer"), DataType::Int);
        assert_eq!(parse("INT"), DataType::Int);
        assert_eq!(parse("BIGINT"), DataType::BigInt);
        assert_eq!(
            parse("DECIMAL(10,2)"),
            DataType::Decimal {
                precision: 10,
                scale: 2
            }
        );
        assert_eq!(parse("decimal( 10 , 2 )").to_string(), "DECIMAL(10,2)");
    }

    #[test]
    fn nested_types_round_trip() {
        for text in [
            "ARRAY<STRING>",
            "MAP<STRING, DECIMAL(12,4)>",
            "STRUCT<street: STRING, zip: INT, tags: ARRAY<STRING>>",
        ] {
            assert_eq!(parse(text).to_string(), text);
        }
    }

    #[test]
    fn bad_types_say_why() {
        for bad in [
            "VARCHARX",
            "DECIMAL(40,2)",
            "DECIMAL(2,4)",
            "ARRAY<STRING",
            "MAP<INT>",
            "",
        ] {
            let err = bad.parse::<DataType>().unwrap_err();
            assert!(err.to_string().contains("allowed: STRING"), "{err}");
        }
    }
}
