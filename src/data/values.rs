//! Typed cell values: how each contract type is held in memory, parsed from text and
//! written as text. Text forms are the ones the generated PySpark tests read: dates
//! `YYYY-MM-DD`, timestamps `YYYY-MM-DD HH:MM:SS[.ffffff]` (UTC), decimals with their scale.

use crate::lang::date::{civil_from_days, days_from_civil};
use crate::spec::data_type::DataType;

pub(crate) const MICROS_PER_SECOND: i64 = 1_000_000;
pub(crate) const MICROS_PER_DAY: i64 = 86_400 * MICROS_PER_SECOND;

/// How a contract type is held: the physical representation of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Bool,
    /// Whole numbers of `bits` width (8, 16, 32 or 64).
    Int {
        bits: u8,
    },
    /// `single` for FLOAT (32-bit), else DOUBLE.
    Float {
        single: bool,
    },
    /// Unscaled `i128` at the column's scale.
    Decimal {
        precision: u8,
        scale: u8,
    },
    /// Days since 1970-01-01.
    Date,
    /// Microseconds since 1970-01-01 00:00:00 UTC.
    Timestamp,
    Text,
    Binary,
    /// ARRAY, MAP or STRUCT, held as JSON text.
    Nested,
}

impl Kind {
    pub(crate) fn of(t: &DataType) -> Kind {
        match t {
            DataType::String => Kind::Text,
            DataType::Boolean => Kind::Bool,
            DataType::TinyInt => Kind::Int { bits: 8 },
            DataType::SmallInt => Kind::Int { bits: 16 },
            DataType::Int => Kind::Int { bits: 32 },
            DataType::BigInt => Kind::Int { bits: 64 },
            DataType::Float => Kind::Float { single: true },
            DataType::Double => Kind::Float { single: false },
            DataType::Decimal { precision, scale } => Kind::Decimal {
                precision: *precision,
                scale: *scale,
            },
            DataType::Date => Kind::Date,
            DataType::Timestamp | DataType::TimestampNtz => Kind::Timestamp,
            DataType::Binary => Kind::Binary,
            DataType::Array(_) | DataType::Map(..) | DataType::Struct(_) => Kind::Nested,
        }
    }
}

/// The range of an integer type.
pub(crate) fn int_bounds(bits: u8) -> (i64, i64) {
    match bits {
        8 => (i64::from(i8::MIN), i64::from(i8::MAX)),
        16 => (i64::from(i16::MIN), i64::from(i16::MAX)),
        32 => (i64::from(i32::MIN), i64::from(i32::MAX)),
        _ => (i64::MIN, i64::MAX),
    }
}

/// The largest unscaled magnitude of DECIMAL(p, s): 10^p - 1.
pub(crate) fn decimal_limit(precision: u8) -> i128 {
    10i128.pow(u32::from(precision.min(38))) - 1
}

/// One typed value (used for enum members, bounds, defaults and injected values).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Bool(bool),
    Int(i64),
    Float(f64),
    Decimal(i128),
    Date(i32),
    Timestamp(i64),
    Text(String),
}

impl Value {
    /// The value written as text in its column's format.
    pub(crate) fn to_text(&self, kind: Kind) -> String {
        let mut out = Vec::new();
        match self {
            Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            Value::Int(i) => write_int(&mut out, *i),
            Value::Float(f) => write_float(&mut out, *f),
            Value::Decimal(d) => {
                let scale = match kind {
                    Kind::Decimal { scale, .. } => scale,
                    _ => 0,
                };
                write_decimal(&mut out, *d, scale);
            }
            Value::Date(d) => write_date(&mut out, *d),
            Value::Timestamp(t) => write_timestamp(&mut out, *t),
            Value::Text(s) => out.extend_from_slice(s.as_bytes()),
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    /// Parses `text` as a value of `kind`; `None` when it is not one.
    pub(crate) fn parse(kind: Kind, text: &str) -> Option<Value> {
        let b = text.as_bytes();
        Some(match kind {
            Kind::Bool => Value::Bool(parse_bool(b)?),
            Kind::Int { bits } => Value::Int(parse_int(b, bits)?),
            Kind::Float { single } => Value::Float(parse_float(b, single)?),
            Kind::Decimal { precision, scale } => {
                Value::Decimal(parse_decimal(b, precision, scale)?)
            }
            Kind::Date => Value::Date(parse_date(b)?),
            Kind::Timestamp => Value::Timestamp(parse_timestamp(b)?),
            Kind::Text | Kind::Binary | Kind::Nested => Value::Text(text.to_string()),
        })
    }
}

pub(crate) fn parse_bool(b: &[u8]) -> Option<bool> {
    if b.eq_ignore_ascii_case(b"true") {
        Some(true)
    } else if b.eq_ignore_ascii_case(b"false") {
        Some(false)
    } else {
        None
    }
}

/// A whole number that fits `bits`; optional sign, digits only.
pub(crate) fn parse_int(b: &[u8], bits: u8) -> Option<i64> {
    let (neg, digits) = match b.first()? {
        b'-' => (true, &b[1..]),
        b'+' => (false, &b[1..]),
        _ => (false, b),
    };
    if digits.is_empty() || digits.len() > 19 {
        return None;
    }
    let mut v: i128 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i128::from(c - b'0');
    }
    if neg {
        v = -v;
    }
    let (lo, hi) = int_bounds(bits);
    (i128::from(lo)..=i128::from(hi))
        .contains(&v)
        .then_some(v as i64)
}

pub(crate) fn parse_float(b: &[u8], single: bool) -> Option<f64> {
    let s = std::str::from_utf8(b).ok()?;
    if s.is_empty() || s.trim() != s {
        return None;
    }
    let v: f64 = s.parse().ok()?;
    if single && v.is_finite() && v.abs() > f64::from(f32::MAX) {
        return None;
    }
    Some(v)
}

/// A decimal number as an unscaled integer at `scale`, rounded half up like Spark; `None`
/// when it is not a number or does not fit DECIMAL(precision, scale).
pub(crate) fn parse_decimal(b: &[u8], precision: u8, scale: u8) -> Option<i128> {
    let (neg, rest) = match b.first()? {
        b'-' => (true, &b[1..]),
        b'+' => (false, &b[1..]),
        _ => (false, b),
    };
    let (int_part, frac_part) = match rest.iter().position(|&c| c == b'.') {
        Some(p) => (&rest[..p], &rest[p + 1..]),
        None => (rest, &rest[rest.len()..]),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    if !int_part.iter().chain(frac_part).all(u8::is_ascii_digit) {
        return None;
    }
    let int_digits = int_part.iter().skip_while(|&&c| c == b'0').count();
    if int_digits > usize::from(precision.saturating_sub(scale)) {
        return None;
    }
    let mut v: i128 = 0;
    for &c in int_part.iter().skip_while(|&&c| c == b'0') {
        v = v * 10 + i128::from(c - b'0');
    }
    let scale = usize::from(scale);
    for i in 0..scale {
        v = v * 10 + frac_part.get(i).map_or(0, |c| i128::from(c - b'0'));
    }
    if frac_part.get(scale).is_some_and(|&c| c >= b'5') {
        v += 1;
    }
    if v > decimal_limit(precision) {
        return None;
    }
    Some(if neg { -v } else { v })
}

fn digits_at(b: &[u8], at: usize, n: usize) -> Option<i64> {
    let s = b.get(at..at + n)?;
    let mut v = 0i64;
    for &c in s {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(c - b'0');
    }
    Some(v)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `YYYY-MM-DD`, a real calendar date.
pub(crate) fn parse_date(b: &[u8]) -> Option<i32> {
    if b.len() != 10 {
        return None;
    }
    parse_date_prefix(b)
}

fn parse_date_prefix(b: &[u8]) -> Option<i32> {
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let y = digits_at(b, 0, 4)?;
    let m = digits_at(b, 5, 2)?;
    let d = digits_at(b, 8, 2)?;
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    i32::try_from(days_from_civil(y, m, d)).ok()
}

/// `YYYY-MM-DD[( |T)HH:MM[:SS[.fraction]]][Z|±HH:MM]`, as microseconds since the epoch (UTC;
/// a value without a zone is UTC, as the generated tests' Spark session reads it).
pub(crate) fn parse_timestamp(b: &[u8]) -> Option<i64> {
    let days = i64::from(parse_date_prefix(b)?);
    let mut micros = days * MICROS_PER_DAY;
    let rest = &b[10..];
    if rest.is_empty() {
        return Some(micros);
    }
    if rest[0] != b' ' && rest[0] != b'T' {
        return None;
    }
    let t = &rest[1..];
    let h = digits_at(t, 0, 2)?;
    if t.get(2) != Some(&b':') {
        return None;
    }
    let mi = digits_at(t, 3, 2)?;
    let mut pos = 5;
    let mut s = 0;
    if t.get(pos) == Some(&b':') {
        s = digits_at(t, pos + 1, 2)?;
        pos += 3;
    }
    if h > 23 || mi > 59 || s > 59 {
        return None;
    }
    micros += ((h * 60 + mi) * 60 + s) * MICROS_PER_SECOND;
    if t.get(pos) == Some(&b'.') {
        pos += 1;
        let start = pos;
        let mut frac = 0i64;
        while let Some(c) = t.get(pos).filter(|c| c.is_ascii_digit()) {
            if pos - start < 6 {
                frac = frac * 10 + i64::from(c - b'0');
            }
            pos += 1;
        }
        if pos == start {
            return None;
        }
        let len = (pos - start).min(6) as u32;
        micros += frac * 10i64.pow(6 - len);
    }
    match t.get(pos) {
        None => Some(micros),
        Some(b'Z') if pos + 1 == t.len() => Some(micros),
        Some(&sign @ (b'+' | b'-')) => {
            let oh = digits_at(t, pos + 1, 2)?;
            let om = match t.get(pos + 3) {
                Some(b':') => digits_at(t, pos + 4, 2).filter(|_| t.len() == pos + 6)?,
                Some(_) => digits_at(t, pos + 3, 2).filter(|_| t.len() == pos + 5)?,
                None => 0,
            };
            if oh > 18 || om > 59 {
                return None;
            }
            let offset = (oh * 60 + om) * 60 * MICROS_PER_SECOND;
            Some(if sign == b'+' {
                micros - offset
            } else {
                micros + offset
            })
        }
        Some(_) => None,
    }
}

pub(crate) fn write_int(out: &mut Vec<u8>, v: i64) {
    let mut buf = [0u8; 20];
    let mut n = v.unsigned_abs();
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if v < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(&buf[i..]);
}

/// Shortest text that parses back to the same `f64`.
pub(crate) fn write_float(out: &mut Vec<u8>, v: f64) {
    use std::io::Write;
    if v.is_nan() {
        out.extend_from_slice(b"NaN");
    } else if v.is_infinite() {
        out.extend_from_slice(if v > 0.0 { b"Infinity" } else { b"-Infinity" });
    } else {
        let _ = write!(out, "{v}");
    }
}

pub(crate) fn write_decimal(out: &mut Vec<u8>, v: i128, scale: u8) {
    if v < 0 {
        out.push(b'-');
    }
    let mut buf = [0u8; 40];
    let mut n = v.unsigned_abs();
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let digits = &buf[i..];
    let scale = usize::from(scale);
    if scale == 0 {
        out.extend_from_slice(digits);
        return;
    }
    if digits.len() <= scale {
        out.push(b'0');
        out.push(b'.');
        out.extend(std::iter::repeat_n(b'0', scale - digits.len()));
        out.extend_from_slice(digits);
    } else {
        let (int, frac) = digits.split_at(digits.len() - scale);
        out.extend_from_slice(int);
        out.push(b'.');
        out.extend_from_slice(frac);
    }
}

fn push2(out: &mut Vec<u8>, v: i64) {
    out.push(b'0' + (v / 10 % 10) as u8);
    out.push(b'0' + (v % 10) as u8);
}

/// Days covered by the text table of [`write_date`]: 1900-01-01 to 2100-12-31.
const TABLE_FIRST: i32 = -25_567;
const TABLE_DAYS: usize = 73_414;

fn date_table() -> &'static [[u8; 10]] {
    static TABLE: std::sync::OnceLock<Vec<[u8; 10]>> = std::sync::OnceLock::new();
    // Built by counting days forward from 1900-01-01 rather than converting each day number:
    // the first date `dpc create` prints pays for the table, so it must be cheap.
    TABLE.get_or_init(|| {
        let (mut y, mut m, mut d) = (1900_i64, 1_i64, 1_i64);
        let mut table = Vec::with_capacity(TABLE_DAYS);
        for _ in 0..TABLE_DAYS {
            let digit = |v: i64| b'0' + v as u8;
            table.push([
                digit(y / 1000),
                digit(y / 100 % 10),
                digit(y / 10 % 10),
                digit(y % 10),
                b'-',
                digit(m / 10),
                digit(m % 10),
                b'-',
                digit(d / 10),
                digit(d % 10),
            ]);
            d += 1;
            if d > days_in_month(y, m) {
                d = 1;
                m += 1;
                if m > 12 {
                    m = 1;
                    y += 1;
                }
            }
        }
        table
    })
}

pub(crate) fn write_date(out: &mut Vec<u8>, days: i32) {
    use std::sync::atomic::{AtomicU32, Ordering};
    // The table pays for itself only over many dates (`dpc sample` writes millions);
    // `dpc create` writes a few hundred, so the first dates are converted one by one.
    static SLOW_CALLS: AtomicU32 = AtomicU32::new(0);
    if SLOW_CALLS.load(Ordering::Relaxed) < 4096 {
        SLOW_CALLS.fetch_add(1, Ordering::Relaxed);
        return write_date_slow(out, days);
    }
    match usize::try_from(days - TABLE_FIRST) {
        Ok(i) if i < TABLE_DAYS => out.extend_from_slice(&date_table()[i]),
        _ => write_date_slow(out, days),
    }
}

fn write_date_slow(out: &mut Vec<u8>, days: i32) {
    let (y, m, d) = civil_from_days(i64::from(days));
    if (0..=9999).contains(&y) {
        push2(out, y / 100);
        push2(out, y % 100);
    } else {
        write_int(out, y);
    }
    out.push(b'-');
    push2(out, m);
    out.push(b'-');
    push2(out, d);
}

/// `YYYY-MM-DD HH:MM:SS`, with `.ffffff` only when there are microseconds.
pub(crate) fn write_timestamp(out: &mut Vec<u8>, micros: i64) {
    let days = micros.div_euclid(MICROS_PER_DAY);
    let in_day = micros.rem_euclid(MICROS_PER_DAY);
    write_date(out, days as i32);
    let secs = in_day / MICROS_PER_SECOND;
    out.push(b' ');
    push2(out, secs / 3600);
    out.push(b':');
    push2(out, secs / 60 % 60);
    out.push(b':');
    push2(out, secs % 60);
    let frac = in_day % MICROS_PER_SECOND;
    if frac != 0 {
        out.push(b'.');
        let text = format!("{frac:06}");
        out.extend_from_slice(text.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_date_table_agrees_with_the_calendar() {
        let table = date_table();
        assert_eq!(table.len(), TABLE_DAYS);
        for (i, text) in table.iter().enumerate() {
            let mut slow = Vec::new();
            write_date_slow(&mut slow, TABLE_FIRST + i as i32);
            assert_eq!(&slow[..], &text[..], "day {i}");
        }
        assert_eq!(&table[0], b"1900-01-01");
        assert_eq!(&table[TABLE_DAYS - 1], b"2100-12-31");
    }

    fn text(f: impl Fn(&mut Vec<u8>)) -> String {
        let mut v = Vec::new();
        f(&mut v);
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn integers_respect_their_width() {
        assert_eq!(parse_int(b"127", 8), Some(127));
        assert_eq!(parse_int(b"128", 8), None);
        assert_eq!(parse_int(b"-2147483648", 32), Some(-2_147_483_648));
        assert_eq!(parse_int(b"abc", 32), None);
        assert_eq!(parse_int(b"", 32), None);
        assert_eq!(parse_int(b"1.0", 32), None);
        assert_eq!(parse_int(b"99999999999999999999", 64), None);
        assert_eq!(text(|o| write_int(o, i64::MIN)), i64::MIN.to_string());
    }

    #[test]
    fn decimals_round_half_up_and_check_precision() {
        assert_eq!(parse_decimal(b"12.345", 10, 2), Some(1235));
        assert_eq!(parse_decimal(b"-0.5", 10, 0), Some(-1));
        assert_eq!(parse_decimal(b"99999999.99", 10, 2), Some(9_999_999_999));
        assert_eq!(parse_decimal(b"100000000", 10, 2), None);
        assert_eq!(parse_decimal(b"1e3", 10, 2), None);
        assert_eq!(parse_decimal(b".5", 10, 2), Some(50));
        assert_eq!(text(|o| write_decimal(o, -5, 2)), "-0.05");
        assert_eq!(text(|o| write_decimal(o, 123_456, 2)), "1234.56");
    }

    #[test]
    fn dates_and_timestamps_round_trip() {
        let d = parse_date(b"2024-02-29").unwrap();
        assert_eq!(text(|o| write_date(o, d)), "2024-02-29");
        assert_eq!(parse_date(b"2023-02-29"), None);
        assert_eq!(parse_date(b"2024-13-01"), None);
        let t = parse_timestamp(b"2024-12-31 23:59:58").unwrap();
        assert_eq!(text(|o| write_timestamp(o, t)), "2024-12-31 23:59:58");
        let t2 = parse_timestamp(b"2024-12-31T23:59:58.5Z").unwrap();
        assert_eq!(t2 - t, 500_000);
        let t3 = parse_timestamp(b"2025-01-01T01:59:58+02:00").unwrap();
        assert_eq!(t3, t);
        assert_eq!(parse_timestamp(b"2024-12-31 24:00:00"), None);
        assert_eq!(parse_timestamp(b"yesterday"), None);
    }
}
