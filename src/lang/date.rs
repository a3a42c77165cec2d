//! Calendar dates without a time-zone library: today (UTC, or `SOURCE_DATE_EPOCH` for
//! reproducible output) and day arithmetic, as `YYYY-MM-DD`.

use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Days since 1970-01-01.
    days: i64,
}

impl Date {
    /// Today in UTC; `SOURCE_DATE_EPOCH` (seconds) overrides the clock, as reproducible
    /// builds do, so generated trees can be compared byte for byte.
    pub(crate) fn today() -> Result<Self, String> {
        let seconds = match std::env::var("SOURCE_DATE_EPOCH") {
            Ok(text) => text.trim().parse::<i64>().map_err(|_| {
                format!("SOURCE_DATE_EPOCH='{text}' is not a whole number of seconds")
            })?,
            Err(_) => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0),
        };
        Ok(Date {
            days: seconds.div_euclid(86_400),
        })
    }

    /// Days since 1970-01-01.
    pub(crate) fn days(self) -> i64 {
        self.days
    }

    #[cfg(test)]
    pub(crate) fn from_days(days: i64) -> Self {
        Date { days }
    }

    pub(crate) fn plus_days(self, days: i64) -> Self {
        Date {
            days: self.days + days,
        }
    }

    /// Whole days from `earlier` to `self`.
    pub(crate) fn days_since(self, earlier: Date) -> i64 {
        self.days - earlier.days
    }

    pub fn parse(s: &str) -> Option<Self> {
        if !is_iso_date(s) {
            return None;
        }
        let y: i64 = s[0..4].parse().ok()?;
        let m: i64 = s[5..7].parse().ok()?;
        let d: i64 = s[8..10].parse().ok()?;
        let date = Date {
            days: days_from_civil(y, m, d),
        };
        (date.to_string() == s).then_some(date)
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (y, m, d) = civil_from_days(self.days);
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

/// `YYYY-MM-DD` with a month and day in range (the calendar itself is checked by `Date::parse`).
pub(crate) fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && (1..=12).contains(&s[5..7].parse::<u8>().unwrap_or(0))
        && (1..=31).contains(&s[8..10].parse::<u8>().unwrap_or(0))
}

// Howard Hinnant's algorithms for the proleptic Gregorian calendar.
/// (year, month, day) of a count of days since 1970-01-01.
pub(crate) fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Days since 1970-01-01 of a (year, month, day); the inverse of [`civil_from_days`].
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_arithmetic() {
        let d = Date::parse("2024-12-31").unwrap();
        assert_eq!(d.to_string(), "2024-12-31");
        assert_eq!(d.plus_days(1).to_string(), "2025-01-01");
        assert_eq!(d.plus_days(90).to_string(), "2025-03-31");
        assert_eq!(Date::parse("2024-02-30"), None);
        assert_eq!(Date { days: 0 }.to_string(), "1970-01-01");
    }
}
