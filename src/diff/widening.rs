//! Which type changes Delta can make in place without breaking readers (type widening).

use crate::spec::data_type::DataType;

/// True when a column of type `old` can become `new` by Delta type widening on every runtime
/// that has it: byte→short→int→long, float→double, date→timestamp_ntz, and decimal with more
/// precision and the same scale. Newer runtimes also accept a larger scale (when precision
/// grows at least as much), but the first runtimes with type widening did not, so a scale
/// change is treated as breaking.
pub(crate) fn is_widening(old: &DataType, new: &DataType) -> bool {
    use DataType::*;
    let rank = |t: &DataType| match t {
        TinyInt => Some(0),
        SmallInt => Some(1),
        Int => Some(2),
        BigInt => Some(3),
        _ => None,
    };
    match (old, new) {
        (a, b) if a == b => false,
        (a, b) if rank(a).is_some() && rank(b).is_some() => rank(a) < rank(b),
        (Float, Double) => true,
        (
            Decimal {
                precision: p1,
                scale: s1,
            },
            Decimal {
                precision: p2,
                scale: s2,
            },
        ) => p2 > p1 && s2 == s1,
        (Date, TimestampNtz) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DataType {
        s.parse().expect("type")
    }

    #[test]
    fn widening_in_both_directions() {
        assert!(is_widening(&t("INT"), &t("BIGINT")));
        assert!(!is_widening(&t("BIGINT"), &t("INT")));
        assert!(is_widening(&t("TINYINT"), &t("INT")));
        assert!(is_widening(&t("FLOAT"), &t("DOUBLE")));
        assert!(!is_widening(&t("DOUBLE"), &t("FLOAT")));
        assert!(is_widening(&t("DECIMAL(10,2)"), &t("DECIMAL(12,2)")));
        assert!(!is_widening(&t("DECIMAL(10,2)"), &t("DECIMAL(12,4)")));
        assert!(!is_widening(&t("DECIMAL(10,2)"), &t("DECIMAL(11,4)")));
        assert!(!is_widening(&t("DECIMAL(12,2)"), &t("DECIMAL(10,2)")));
        assert!(is_widening(&t("DATE"), &t("TIMESTAMP_NTZ")));
        assert!(!is_widening(&t("DATE"), &t("TIMESTAMP")));
        assert!(!is_widening(&t("INT"), &t("STRING")));
    }
}
