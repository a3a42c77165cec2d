//! A CSV file with a header row: one table named after the file, one column per header,
//! each column's type inferred from its values (nullable when a value is empty).

use super::{Imported, Source};
use crate::spec::data_type::DataType;

pub(crate) fn claims(extension: &str, _text: &str) -> bool {
    extension == "csv"
}

/// What the values of a column seen so far fit in, from the narrowest type up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Guess {
    /// No non-empty value yet.
    Nothing,
    Boolean,
    /// Whole numbers that fit in 32 bits, with the most digits seen.
    Int {
        digits: u8,
    },
    BigInt {
        digits: u8,
    },
    /// Digits before and after the decimal point (the widest seen).
    Decimal {
        whole: u8,
        scale: u8,
    },
    Double,
    Date,
    Timestamp,
    Text,
}

fn classify(v: &str) -> Guess {
    if v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("false") {
        return Guess::Boolean;
    }
    if let Some(g) = number(v) {
        return g;
    }
    if crate::lang::date::Date::parse(v).is_some() {
        return Guess::Date;
    }
    if is_timestamp(v) {
        return Guess::Timestamp;
    }
    Guess::Text
}

fn number(v: &str) -> Option<Guess> {
    let digits = v.strip_prefix('-').unwrap_or(v);
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    // Leading zeros mark codes (zip codes, ids), which are text.
    let leading_zero = whole.len() > 1 && whole.starts_with('0');
    match fraction {
        None if all_digits(whole) && !leading_zero => {
            let digits = u8::try_from(whole.len()).unwrap_or(u8::MAX);
            Some(match v.parse::<i64>() {
                Ok(n) if i32::try_from(n).is_ok() => Guess::Int { digits },
                Ok(_) => Guess::BigInt { digits },
                Err(_) => Guess::Decimal {
                    whole: digits,
                    scale: 0,
                },
            })
        }
        Some(f) if all_digits(whole) && all_digits(f) && !leading_zero => {
            let whole = whole.trim_start_matches('0').len();
            Some(Guess::Decimal {
                whole: u8::try_from(whole).unwrap_or(u8::MAX),
                scale: u8::try_from(f.len()).unwrap_or(u8::MAX),
            })
        }
        _ if leading_zero => None,
        _ => {
            // Exponents and other spellings Rust reads as a finite number.
            let has_digit = v.bytes().any(|b| b.is_ascii_digit());
            let plain = v
                .bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
            (has_digit && plain && v.parse::<f64>().is_ok_and(f64::is_finite))
                .then_some(Guess::Double)
        }
    }
}

/// `YYYY-MM-DD[T ]HH:MM[:SS[.fff]]` with an optional `Z` or `±HH:MM` offset.
fn is_timestamp(v: &str) -> bool {
    if v.len() < 16 || !v.is_char_boundary(10) || crate::lang::date::Date::parse(&v[..10]).is_none()
    {
        return false;
    }
    let rest = &v[10..];
    let Some(time) = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' ')) else {
        return false;
    };
    let time = time.strip_suffix('Z').unwrap_or(time);
    let time = match time.rfind(['+', '-']) {
        Some(i) if time.len() - i == 6 && &time[i + 3..i + 4] == ":" => &time[..i],
        _ => time,
    };
    let (hms, fraction) = time.split_once('.').unwrap_or((time, ""));
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let parts: Vec<&str> = hms.split(':').collect();
    let two_digits = |p: &str, max: u32| p.len() == 2 && p.parse::<u32>().is_ok_and(|n| n <= max);
    matches!(parts.len(), 2 | 3)
        && two_digits(parts[0], 23)
        && two_digits(parts[1], 59)
        && parts.get(2).is_none_or(|s| two_digits(s, 59))
}

fn merge(a: Guess, b: Guess) -> Guess {
    use Guess::*;
    // Whole numbers and decimals meet in a decimal wide enough for both.
    let as_decimal = |g: Guess| match g {
        Int { digits } | BigInt { digits } => Some((digits, 0)),
        Decimal { whole, scale } => Some((whole, scale)),
        _ => None,
    };
    match (a, b) {
        (Nothing, x) | (x, Nothing) => x,
        (Int { digits: x }, Int { digits: y }) => Int { digits: x.max(y) },
        (Int { digits: x } | BigInt { digits: x }, Int { digits: y } | BigInt { digits: y }) => {
            BigInt { digits: x.max(y) }
        }
        (Double, Int { .. } | BigInt { .. } | Decimal { .. } | Double)
        | (Int { .. } | BigInt { .. } | Decimal { .. }, Double) => Double,
        (Date, Date) => Date,
        (Date | Timestamp, Date | Timestamp) => Timestamp,
        (Boolean, Boolean) => Boolean,
        _ => match (as_decimal(a), as_decimal(b)) {
            (Some((w1, s1)), Some((w2, s2))) => Decimal {
                whole: w1.max(w2),
                scale: s1.max(s2),
            },
            _ => Text,
        },
    }
}

fn data_type(g: Guess) -> DataType {
    match g {
        Guess::Nothing | Guess::Text => DataType::String,
        Guess::Boolean => DataType::Boolean,
        Guess::Int { .. } => DataType::Int,
        Guess::BigInt { .. } => DataType::BigInt,
        Guess::Double => DataType::Double,
        Guess::Date => DataType::Date,
        Guess::Timestamp => DataType::Timestamp,
        Guess::Decimal { whole, scale } => {
            let precision = u16::from(whole) + u16::from(scale);
            if precision > 38 {
                DataType::Double
            } else {
                DataType::Decimal {
                    precision: u8::try_from(precision.max(1)).unwrap_or(38),
                    scale,
                }
            }
        }
    }
}

pub(crate) fn read(src: &Source) -> Result<Imported, super::ImportError> {
    let name = src.stem();
    super::check_table_name(src, &name, None).map_err(|e| {
        src.error(
            None,
            format!("the table is named after the file: {}", e.message),
        )
    })?;
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(src.text.as_bytes());
    let csv_error = |e: ::csv::Error| {
        let line = e.position().map(|p| p.line() as usize);
        let message = match e.kind() {
            ::csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => format!("this row has {len} values but the header has {expected_len} columns"),
            ::csv::ErrorKind::Utf8 { .. } => "not UTF-8 text".to_string(),
            _ => e.to_string(),
        };
        src.error(line, message)
    };
    let header: Vec<String> = reader
        .headers()
        .map_err(csv_error)?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if header.iter().all(String::is_empty) {
        return Err(src.error(Some(1), "the header row is empty"));
    }
    let mut fields = Vec::new();
    for (i, h) in header.iter().enumerate() {
        if h.is_empty() {
            return Err(src.error(
                Some(1),
                format!("column {} has no name in the header", i + 1),
            ));
        }
        super::check_column_name(src, &name, &fields, h, Some(1))?;
        fields.push(super::field(h.clone(), DataType::String));
    }
    let mut guesses = vec![Guess::Nothing; header.len()];
    let mut nullable = vec![false; header.len()];
    let mut rows = 0usize;
    for record in reader.records() {
        let record = record.map_err(csv_error)?;
        rows += 1;
        for (i, value) in record.iter().enumerate() {
            let value = value.trim();
            if value.is_empty() {
                nullable[i] = true;
            } else {
                guesses[i] = merge(guesses[i], classify(value));
            }
        }
    }
    let mut notes = Vec::new();
    for (i, f) in fields.iter_mut().enumerate() {
        f.data_type = data_type(guesses[i]);
        f.nullable = rows == 0 || nullable[i];
    }
    if rows == 0 {
        notes.push(format!(
            "{}: no data rows, so every column is a nullable STRING",
            src.file_name()
        ));
    }
    let description = format!("Imported from {}", src.file_name());
    Ok(Imported {
        tables: vec![super::new_table(
            name,
            description,
            fields,
            Vec::new(),
            Vec::new(),
            Vec::new(),
        )],
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn import(name: &str, text: &str) -> Result<Imported, super::super::ImportError> {
        read(&Source {
            path: Path::new(name),
            text,
        })
    }

    fn types(text: &str) -> Vec<(String, String, bool)> {
        let t = import("orders.csv", text).unwrap().tables.remove(0);
        assert_eq!(t.name, "orders");
        t.contract
            .schema
            .fields
            .iter()
            .map(|f| (f.name.clone(), f.data_type.to_string(), f.nullable))
            .collect()
    }

    #[test]
    fn types_are_inferred_from_every_row() {
        let text = "id,big,amount,ratio,day,at,flag,code,note,empty\n\
                    1,3000000000,12.50,1e-3,2024-01-31,2024-01-31T10:00:00Z,true,007,hi,\n\
                    2,4,7,2.5,2024-02-01,2024-02-01 11:30:00,FALSE,010,,\n";
        let got = types(text);
        let want = [
            ("id", "INT", false),
            ("big", "BIGINT", false),
            ("amount", "DECIMAL(4,2)", false),
            ("ratio", "DOUBLE", false),
            ("day", "DATE", false),
            ("at", "TIMESTAMP", false),
            ("flag", "BOOLEAN", false),
            ("code", "STRING", false),
            ("note", "STRING", true),
            ("empty", "STRING", true),
        ];
        let want: Vec<_> = want
            .iter()
            .map(|(n, t, null)| (n.to_string(), t.to_string(), *null))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn mixed_values_widen() {
        let got = types("a,b,c\n1,2024-01-01,1.5\nx,2024-01-01T00:00,3.25\n");
        assert_eq!(got[0].1, "STRING");
        assert_eq!(got[1].1, "TIMESTAMP");
        assert_eq!(got[2].1, "DECIMAL(3,2)");
    }

    #[test]
    fn bad_headers_name_the_line() {
        let err = import("orders.csv", "id,order date\n1,2\n").unwrap_err();
        assert_eq!(err.line, Some(1));
        assert!(err.to_string().starts_with("orders.csv:1: "), "{err}");
        assert!(err.message.contains("order date"), "{err}");
        let err = import("orders.csv", "id,ID\n1,2\n").unwrap_err();
        assert!(err.message.contains("twice"), "{err}");
    }

    #[test]
    fn ragged_rows_name_the_line() {
        let err = import("orders.csv", "a,b\n1,2\n3\n").unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
    }

    #[test]
    fn the_file_name_must_be_a_table_name() {
        let err = import("my orders.csv", "a\n1\n").unwrap_err();
        assert!(err.message.contains("named after the file"), "{err}");
    }
}
