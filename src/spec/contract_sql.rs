//! SQL fragments computed from the spec: literals, CHECK and expectation expressions, masks.
//! Templates only lay these out; every piece of user text is escaped here or by a filter.

use crate::lang::escape::{sql_identifier, sql_string};
use crate::spec::contract::{
    Constraint, ConstraintKind, Expectation, ExpectationKind, Field, Table,
};
use crate::spec::data_type::DataType;
use crate::spec::governance::MaskMethod;
use crate::spec::values::Scalar;

/// A literal of the column's type: numbers bare, dates and timestamps typed, text escaped.
pub(crate) fn literal(data_type: &DataType, value: &Scalar) -> Result<String, String> {
    let text = value.to_string();
    match data_type {
        t if t.is_numeric() => {
            let number = value
                .as_f64()
                .filter(|n| n.is_finite())
                .ok_or_else(|| format!("'{text}' is not a number, but the column is {t}"))?;
            if t.is_integral() && number.fract() != 0.0 {
                return Err(format!(
                    "'{text}' is not a whole number, but the column is {t}"
                ));
            }
            Ok(match value {
                Scalar::Int(i) => i.to_string(),
                _ if t.is_integral() => format!("{}", number as i64),
                _ => format!("{number}"),
            })
        }
        DataType::Date => {
            if text == "current_date" {
                Ok("current_date()".into())
            } else if crate::lang::date::is_iso_date(&text) {
                Ok(format!("DATE{}", sql_string(&text)))
            } else {
                Err(format!(
                    "'{text}' is not a date (YYYY-MM-DD) or current_date"
                ))
            }
        }
        DataType::Timestamp | DataType::TimestampNtz => {
            if text == "current_timestamp" {
                Ok("current_timestamp()".into())
            } else if text.len() >= 10 && crate::lang::date::is_iso_date(&text[..10]) {
                Ok(format!("TIMESTAMP{}", sql_string(&text)))
            } else {
                Err(format!("'{text}' is not a timestamp (YYYY-MM-DD HH:MM:SS)"))
            }
        }
        DataType::Boolean => match value {
            Scalar::Bool(b) => Ok(b.to_string().to_uppercase()),
            _ => Err(format!(
                "'{text}' is not true or false, but the column is BOOLEAN"
            )),
        },
        DataType::String => Ok(sql_string(&text)),
        t => Err(format!(
            "a {t} column cannot have a literal bound or default"
        )),
    }
}

/// True when the bound depends on the time of evaluation, which Delta CHECK constraints
/// must not (they are evaluated once per write); such bounds are left to the quality checks.
fn is_moving(value: &Scalar) -> bool {
    matches!(value, Scalar::Text(t) if t == "current_date" || t == "current_timestamp")
}

fn range_expr(
    col: &str,
    t: &DataType,
    min: Option<&Scalar>,
    max: Option<&Scalar>,
) -> Result<Option<String>, String> {
    let min = min.map(|v| literal(t, v)).transpose()?;
    let max = max.map(|v| literal(t, v)).transpose()?;
    Ok(match (min, max) {
        (Some(lo), Some(hi)) => Some(format!("{col} BETWEEN {lo} AND {hi}")),
        (Some(lo), None) => Some(format!("{col} >= {lo}")),
        (None, Some(hi)) => Some(format!("{col} <= {hi}")),
        (None, None) => None,
    })
}

fn in_list(t: &DataType, values: &[String]) -> Result<String, String> {
    let items = values
        .iter()
        .map(|v| literal(t, &Scalar::Text(v.clone())))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(items.join(", "))
}

/// Nullable columns let NULL through: NOT NULL is its own constraint.
fn null_aware(field: &Field, expr: String) -> String {
    if field.nullable {
        format!("{} IS NULL OR {expr}", sql_identifier(&field.name))
    } else {
        expr
    }
}

/// A named CHECK constraint for Unity Catalog.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct Check {
    pub name: String,
    pub expr: String,
}

/// The enforced CHECK constraints of one field's contract constraints.
pub(crate) fn field_checks(field: &Field) -> Result<Vec<Check>, String> {
    let col = sql_identifier(&field.name);
    let mut checks = Vec::new();
    for constraint in &field.constraints {
        let Constraint { kind, .. } = constraint;
        let (suffix, expr) = match kind {
            ConstraintKind::Unique => continue,
            ConstraintKind::Format => {
                let pattern = constraint
                    .pattern
                    .as_deref()
                    .ok_or("a format constraint needs a pattern")?;
                ("format", format!("{col} RLIKE {}", sql_string(pattern)))
            }
            ConstraintKind::Enum => {
                let values = constraint
                    .values
                    .as_deref()
                    .ok_or("an enum constraint needs values")?;
                (
                    "allowed_values",
                    format!("{col} IN ({})", in_list(&field.data_type, values)?),
                )
            }
            ConstraintKind::Range => {
                let min = constraint.min.as_ref().filter(|v| !is_moving(v));
                let max = constraint.max.as_ref().filter(|v| !is_moving(v));
                match range_expr(&col, &field.data_type, min, max)? {
                    Some(expr) => ("range", expr),
                    None => continue,
                }
            }
        };
        checks.push(Check {
            name: format!("{}_{suffix}", field.name),
            expr: null_aware(field, expr),
        });
    }
    Ok(checks)
}

/// The rules `dpc test` derives from one field's constraints, in contract order, as
/// (suffix, condition): `format`, `allowed_values` and `range` (fixed bounds: the CHECK
/// constraints), `range_current` (bounds that move with the clock, which a CHECK constraint
/// cannot hold) and `unique` (table-level: no row condition). NULL passes every condition;
/// NOT NULL is a rule of its own.
pub(crate) fn constraint_rules(
    field: &Field,
) -> Result<Vec<(&'static str, Option<String>)>, String> {
    let col = sql_identifier(&field.name);
    let null_passes = |expr: String| format!("{col} IS NULL OR ({expr})");
    let mut rules = Vec::new();
    for constraint in &field.constraints {
        match constraint.kind {
            ConstraintKind::Unique => rules.push(("unique", None)),
            ConstraintKind::Format => {
                let pattern = constraint
                    .pattern
                    .as_deref()
                    .ok_or("a format constraint needs a pattern")?;
                let expr = format!("{col} RLIKE {}", sql_string(pattern));
                rules.push(("format", Some(null_passes(expr))));
            }
            ConstraintKind::Enum => {
                let values = constraint
                    .values
                    .as_deref()
                    .ok_or("an enum constraint needs values")?;
                let expr = format!("{col} IN ({})", in_list(&field.data_type, values)?);
                rules.push(("allowed_values", Some(null_passes(expr))));
            }
            ConstraintKind::Range => {
                for (suffix, moving) in [("range", false), ("range_current", true)] {
                    let keep = |v: &&Scalar| is_moving(v) == moving;
                    let min = constraint.min.as_ref().filter(keep);
                    let max = constraint.max.as_ref().filter(keep);
                    if let Some(expr) = range_expr(&col, &field.data_type, min, max)? {
                        rules.push((suffix, Some(null_passes(expr))));
                    }
                }
            }
        }
    }
    Ok(rules)
}

/// A row-level expectation as a Spark SQL boolean expression; `None` for table-level rules
/// (uniqueness), which the quality checks compute with an aggregate instead.
pub(crate) fn expectation_expr(table: &Table, e: &Expectation) -> Result<Option<String>, String> {
    let field = table
        .field(&e.column)
        .ok_or_else(|| format!("expectation {} names unknown column {}", e.name, e.column))?;
    let col = sql_identifier(&field.name);
    let expr = match e.kind {
        ExpectationKind::NotNull => return Ok(Some(format!("{col} IS NOT NULL"))),
        ExpectationKind::Unique => return Ok(None),
        ExpectationKind::Regex => {
            let pattern = e
                .pattern
                .as_deref()
                .ok_or("a regex expectation needs a pattern")?;
            format!("{col} RLIKE {}", sql_string(pattern))
        }
        ExpectationKind::InSet => {
            let values = e
                .values
                .as_deref()
                .ok_or("an in_set expectation needs values")?;
            format!("{col} IN ({})", in_list(&field.data_type, values)?)
        }
        ExpectationKind::Range => {
            range_expr(&col, &field.data_type, e.min.as_ref(), e.max.as_ref())?
                .ok_or("a range expectation needs min or max")?
        }
    };
    Ok(Some(format!("{col} IS NULL OR ({expr})")))
}

/// The masked value a reader outside the unmask groups sees.
pub(crate) fn masked_value(method: MaskMethod, column: &str, t: &DataType) -> String {
    let col = sql_identifier(column);
    match (method, t) {
        (MaskMethod::PartialEmail, DataType::String) => {
            format!("CONCAT(SUBSTRING({col}, 1, 3), '***@***')")
        }
        (MaskMethod::Last4, DataType::String) => format!("CONCAT('****', RIGHT({col}, 4))"),
        // Generalised, never hashed: an unsalted hash of low-entropy PII (an IPv4 address, a
        // national ID) is reversed by hashing every possible value.
        (MaskMethod::Truncate, DataType::String) => {
            format!("CONCAT(LEFT({col}, LEAST(3, CAST(LENGTH({col}) / 3 AS INT))), '***')")
        }
        (MaskMethod::Redact, DataType::String) => "'****'".to_string(),
        // Any other type gets a NULL of the column's own type, so the column keeps its type.
        (_, t) => format!("CAST(NULL AS {t})"),
    }
}

/// Whether a mask method keeps the column's type for a column of type `t`.
pub(crate) fn mask_fits(method: MaskMethod, t: &DataType) -> bool {
    method == MaskMethod::Nullify || *t == DataType::String
}

/// `is_account_group_member(...)` for every group, joined with OR; `FALSE` when none.
pub(crate) fn group_test(groups: &[String]) -> String {
    if groups.is_empty() {
        return "FALSE".into();
    }
    groups
        .iter()
        .map(|g| format!("is_account_group_member({})", sql_string(g)))
        .collect::<Vec<_>>()
        .join(" OR ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_follow_the_column_type() {
        assert_eq!(literal(&DataType::Int, &Scalar::Int(0)).unwrap(), "0");
        assert_eq!(
            literal(&DataType::Date, &Scalar::Text("1900-01-01".into())).unwrap(),
            "DATE'1900-01-01'"
        );
        assert_eq!(
            literal(&DataType::String, &Scalar::Text("O'Neil".into())).unwrap(),
            r"'O\'Neil'"
        );
        assert!(literal(&DataType::Int, &Scalar::Text("many".into())).is_err());
        assert!(literal(&DataType::Int, &Scalar::Float(1.5)).is_err());
    }
}
