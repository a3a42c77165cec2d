//! Small typed values shared by the spec files: levels, durations, percentages, scalars.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// Declares a closed, lower-case vocabulary with one source of truth for its spellings.
macro_rules! vocabulary {
    ($(#[doc = $doc:literal])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            // Generated for every vocabulary; not every one is listed whole.
            #[allow(dead_code)]
            pub(crate) const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The allowed spellings, for error messages.
            pub(crate) fn allowed() -> String {
                [$($text),+].join(", ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(format!("'{}' is not one of: {}", s, $name::allowed())),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <String as serde::Deserialize>::deserialize(d)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }

        /// The YAML form: one of the spellings, exactly.
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                let lines: &[&str] = &[$($doc),*];
                let description = lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
                schemars::json_schema!({
                    "description": description,
                    "type": "string",
                    "enum": [$($text),+],
                })
            }
        }
    };
}
pub(crate) use vocabulary;

vocabulary!(
    /// Data tier: `gold` is curated, `platinum` is certified.
    Tier { Gold => "gold", Platinum => "platinum" }
);
vocabulary!(
    /// SLA level; each level maps to defaults in `policy`.
    SlaLevel { Critical => "critical", High => "high", Medium => "medium", Low => "low" }
);
vocabulary!(
    /// Data sensitivity; each level maps to governance defaults in `policy`.
    Sensitivity { Public => "public", Internal => "internal", Confidential => "confidential", Restricted => "restricted" }
);
vocabulary!(
    /// Severity of an expectation, alert or support level.
    Severity { Critical => "critical", High => "high", Medium => "medium", Low => "low" }
);

/// A whole number of minutes, hours or days, written as `4 hours`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duration {
    pub value: u32,
    pub unit: TimeUnit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    Minutes,
    Hours,
    Days,
}

impl Duration {
    pub(crate) const fn hours(value: u32) -> Self {
        Duration {
            value,
            unit: TimeUnit::Hours,
        }
    }

    pub(crate) const fn days(value: u32) -> Self {
        Duration {
            value,
            unit: TimeUnit::Days,
        }
    }

    pub(crate) const fn minutes(value: u32) -> Self {
        Duration {
            value,
            unit: TimeUnit::Minutes,
        }
    }

    pub(crate) fn as_minutes(self) -> u64 {
        let v = u64::from(self.value);
        match self.unit {
            TimeUnit::Minutes => v,
            TimeUnit::Hours => v * 60,
            TimeUnit::Days => v * 60 * 24,
        }
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match (self.unit, self.value == 1) {
            (TimeUnit::Minutes, true) => "minute",
            (TimeUnit::Minutes, false) => "minutes",
            (TimeUnit::Hours, true) => "hour",
            (TimeUnit::Hours, false) => "hours",
            (TimeUnit::Days, true) => "day",
            (TimeUnit::Days, false) => "days",
        };
        write!(f, "{} {}", self.value, unit)
    }
}

impl FromStr for Duration {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let err = || {
            format!(
                "'{s}' is not a duration; write a whole number and a unit, e.g. '30 minutes', '4 hours', '2 days'"
            )
        };
        let t = s.trim();
        let split = t.find(|c: char| !c.is_ascii_digit()).ok_or_else(err)?;
        let value: u32 = t[..split].parse().map_err(|_| err())?;
        let unit = match t[split..].trim() {
            "m" | "min" | "mins" | "minute" | "minutes" => TimeUnit::Minutes,
            "h" | "hour" | "hours" => TimeUnit::Hours,
            "d" | "day" | "days" => TimeUnit::Days,
            _ => return Err(err()),
        };
        Ok(Duration { value, unit })
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// A percentage written as `99.5%`.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Percent(pub f64);

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.0)
    }
}

impl FromStr for Percent {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let err = || format!("'{s}' is not a percentage between 0% and 100%, e.g. '99.5%'");
        let number = s.trim().strip_suffix('%').ok_or_else(err)?;
        let v: f64 = number.trim().parse().map_err(|_| err())?;
        if !(0.0..=100.0).contains(&v) {
            return Err(err());
        }
        Ok(Percent(v))
    }
}

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// A YAML scalar that may be a boolean, a whole number, a decimal or text
/// (range bounds such as `0` or `"1900-01-01"`, column defaults).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
}

impl Scalar {
    pub(crate) fn as_f64(&self) -> Option<f64> {
        match self {
            Scalar::Int(i) => Some(*i as f64),
            Scalar::Float(f) => Some(*f),
            Scalar::Text(t) => t.parse().ok(),
            Scalar::Bool(_) => None,
        }
    }
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scalar::Bool(b) => write!(f, "{b}"),
            Scalar::Int(i) => write!(f, "{i}"),
            Scalar::Float(x) => write!(f, "{x}"),
            Scalar::Text(t) => f.write_str(t),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_and_print() {
        assert_eq!("4 hours".parse::<Duration>().unwrap(), Duration::hours(4));
        assert_eq!(Duration::hours(1).to_string(), "1 hour");
        assert_eq!("30 minutes".parse::<Duration>().unwrap().as_minutes(), 30);
        assert!("soon".parse::<Duration>().is_err());
        assert!("4 fortnights".parse::<Duration>().is_err());
    }

    #[test]
    fn percentages_parse_and_print() {
        assert_eq!("99.5%".parse::<Percent>().unwrap(), Percent(99.5));
        assert_eq!(Percent(100.0).to_string(), "100%");
        assert!("101%".parse::<Percent>().is_err());
        assert!("99.5".parse::<Percent>().is_err());
    }

    #[test]
    fn vocabulary_names_the_allowed_values() {
        let err = "silver".parse::<Tier>().unwrap_err();
        assert!(err.contains("gold, platinum"), "{err}");
    }
}
