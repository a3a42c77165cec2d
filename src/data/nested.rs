//! ARRAY, MAP and STRUCT values as JSON (how CSV holds them and how JSON Lines writes
//! them): random values of a type, and whether a JSON value is one of a type.

use super::rng::Source;
use super::values::{self, Kind};
use crate::spec::data_type::DataType;
use serde_json::Value as Json;

const LEAF_WORDS: &[&str] = &[
    "velocity",
    "geo_mismatch",
    "new_device",
    "high_amount",
    "night_time",
    "merchant_risk",
    "card_testing",
    "account_age",
];

/// A random JSON value of type `t`, written to `out`.
pub(crate) fn random_json(t: &DataType, rng: &mut impl Source, out: &mut String) {
    let value = random_value(t, rng, 0);
    out.push_str(&value.to_string());
}

fn random_value(t: &DataType, rng: &mut impl Source, depth: u32) -> Json {
    match t {
        DataType::String => Json::from(LEAF_WORDS[rng.below(LEAF_WORDS.len() as u64) as usize]),
        DataType::Boolean => Json::from(rng.below(2) == 1),
        DataType::TinyInt | DataType::SmallInt | DataType::Int | DataType::BigInt => {
            Json::from(rng.below(100))
        }
        DataType::Float | DataType::Double => Json::from(rng.below(10_000) as f64 / 100.0),
        DataType::Decimal { scale, .. } => {
            let mut s = Vec::new();
            values::write_decimal(&mut s, i128::from(rng.below(10_000)), *scale);
            let text = String::from_utf8_lossy(&s).into_owned();
            serde_json::from_str(&text).unwrap_or(Json::Null)
        }
        DataType::Date => {
            let mut s = Vec::new();
            values::write_date(&mut s, 19_000 + rng.below(1_000) as i32);
            Json::from(String::from_utf8_lossy(&s).into_owned())
        }
        DataType::Timestamp | DataType::TimestampNtz => {
            let mut s = Vec::new();
            let micros = (1_700_000_000 + rng.below(30_000_000) as i64) * 1_000_000;
            values::write_timestamp(&mut s, micros);
            Json::from(String::from_utf8_lossy(&s).into_owned())
        }
        DataType::Binary => Json::from("AAEC"),
        DataType::Array(inner) => {
            let n = if depth > 2 { 0 } else { rng.below(4) };
            Json::Array(
                (0..n)
                    .map(|_| random_value(inner, rng, depth + 1))
                    .collect(),
            )
        }
        DataType::Map(k, v) => {
            let n = if depth > 2 { 0 } else { 1 + rng.below(3) };
            let mut map = serde_json::Map::new();
            for i in 0..n {
                let key = match random_value(k, rng, depth + 1) {
                    Json::String(s) => format!("{s}_{i}"),
                    other => other.to_string(),
                };
                map.insert(key, random_value(v, rng, depth + 1));
            }
            Json::Object(map)
        }
        DataType::Struct(fields) => Json::Object(
            fields
                .iter()
                .map(|f| (f.name.clone(), random_value(&f.data_type, rng, depth + 1)))
                .collect(),
        ),
    }
}

/// Whether `v` is a value of type `t` (NULL is allowed anywhere inside).
pub(crate) fn conforms(t: &DataType, v: &Json) -> bool {
    if v.is_null() {
        return true;
    }
    match t {
        DataType::String => v.is_string(),
        DataType::Boolean => v.is_boolean(),
        DataType::TinyInt | DataType::SmallInt | DataType::Int | DataType::BigInt => {
            let Kind::Int { bits } = Kind::of(t) else {
                return false;
            };
            v.as_i64().is_some_and(|i| {
                let (lo, hi) = values::int_bounds(bits);
                (lo..=hi).contains(&i)
            })
        }
        DataType::Float | DataType::Double => v.is_number(),
        DataType::Decimal { precision, scale } => {
            let text = match v {
                Json::String(s) => s.clone(),
                Json::Number(n) => n.to_string(),
                _ => return false,
            };
            values::parse_decimal(text.as_bytes(), *precision, *scale).is_some()
        }
        DataType::Date => v
            .as_str()
            .is_some_and(|s| values::parse_date(s.as_bytes()).is_some()),
        DataType::Timestamp | DataType::TimestampNtz => v
            .as_str()
            .is_some_and(|s| values::parse_timestamp(s.as_bytes()).is_some()),
        DataType::Binary => v.as_str().is_some_and(|s| {
            use base64::Engine;
            base64::engine::general_purpose::STANDARD.decode(s).is_ok()
        }),
        DataType::Array(inner) => v
            .as_array()
            .is_some_and(|items| items.iter().all(|i| conforms(inner, i))),
        DataType::Map(k, val) => v.as_object().is_some_and(|m| {
            m.iter()
                .all(|(key, item)| key_conforms(k, key) && conforms(val, item))
        }),
        DataType::Struct(fields) => v.as_object().is_some_and(|m| {
            m.iter().all(|(key, item)| {
                fields
                    .iter()
                    .find(|f| f.name == *key)
                    .is_some_and(|f| conforms(&f.data_type, item))
            })
        }),
    }
}

fn key_conforms(t: &DataType, key: &str) -> bool {
    match t {
        DataType::String => true,
        other => {
            Kind::of(other) != Kind::Nested && {
                let parsed: Json = serde_json::from_str(key).unwrap_or(Json::String(key.into()));
                conforms(other, &parsed) || conforms(other, &Json::String(key.into()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::rng::RowRng;

    #[test]
    fn random_values_conform_to_their_type() {
        for text in [
            "ARRAY<STRING>",
            "MAP<STRING, DECIMAL(12,4)>",
            "STRUCT<street: STRING, zip: INT, tags: ARRAY<STRING>, at: TIMESTAMP>",
            "MAP<INT, ARRAY<DATE>>",
        ] {
            let t: DataType = text.parse().unwrap();
            let mut rng = RowRng::new(1, 2, 3);
            for _ in 0..50 {
                let mut s = String::new();
                random_json(&t, &mut rng, &mut s);
                let v: Json = serde_json::from_str(&s).unwrap();
                assert!(conforms(&t, &v), "{text}: {s}");
            }
        }
        let t: DataType = "ARRAY<INT>".parse().unwrap();
        assert!(!conforms(&t, &serde_json::json!(["a"])));
        assert!(!conforms(&t, &serde_json::json!({"a": 1})));
    }
}
