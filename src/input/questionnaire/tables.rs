//! "Define tables now": tables, their fields (name, type, nullable, description, PII) and
//! one constraint per field, each checked as the contract's own checks would.

use super::prompter::{Interrupted, Prompter};
use super::questions::text;
use crate::input::starter::StarterTable;
use crate::spec::contract::{Constraint, ConstraintKind, Field};
use crate::spec::data_type::DataType;
use crate::spec::name::check_uc_name;
use crate::spec::values::Scalar;

/// The types offered, in the order people reach for them; `DECIMAL(p,s)` asks for p and s.
const TYPES: [&str; 13] = [
    "STRING",
    "INT",
    "BIGINT",
    "DECIMAL(p,s)",
    "DOUBLE",
    "BOOLEAN",
    "DATE",
    "TIMESTAMP",
    "TIMESTAMP_NTZ",
    "SMALLINT",
    "TINYINT",
    "FLOAT",
    "BINARY",
];

pub(crate) fn define(p: &mut dyn Prompter) -> Result<Vec<StarterTable>, Interrupted> {
    let mut tables: Vec<StarterTable> = Vec::new();
    loop {
        let taken: Vec<String> = tables.iter().map(|t| t.name.clone()).collect();
        let name = text(p, "Table name", None, |s| {
            check_uc_name("table name", s)?;
            if taken.iter().any(|t| t.eq_ignore_ascii_case(s)) {
                return Err(format!("table {s} is defined twice"));
            }
            Ok(())
        })?;
        let description = text(p, &format!("Description of {name}"), None, |s| {
            crate::input::answers::check_text("table description", s, false)
                .map_err(|e| e.message)?;
            if s.is_empty() {
                return Err("a table needs a description".into());
            }
            Ok(())
        })?;
        let mut fields: Vec<Field> = Vec::new();
        while let Some(f) = ask_field(p, &name, &fields)? {
            fields.push(f);
        }
        let mut table = crate::input::schema_import::new_table(
            name,
            description,
            fields,
            Vec::new(),
            Vec::new(),
            Vec::new(),
        );
        for f in table.contract.schema.fields.iter().filter(|f| f.pii) {
            let category =
                crate::input::schema_import::pii::category(&f.name).unwrap_or("personal");
            table
                .pii_categories
                .insert(f.name.clone(), category.to_string());
        }
        tables.push(table);
        if !p.confirm("Add another table?", false)? {
            return Ok(tables);
        }
    }
}

/// One field, or `None` when the table is complete (Enter on the name, after the first).
fn ask_field(
    p: &mut dyn Prompter,
    table: &str,
    fields: &[Field],
) -> Result<Option<Field>, Interrupted> {
    let first = fields.is_empty();
    let prompt = if first {
        format!("Field name in {table}")
    } else {
        format!("Next field name in {table} (Enter when done)")
    };
    let name = text(p, &prompt, None, |s| {
        if s.is_empty() && !first {
            return Ok(());
        }
        check_uc_name("column name", s)?;
        if fields.iter().any(|f| f.name.eq_ignore_ascii_case(s)) {
            return Err(format!("column {s} appears twice in table {table}"));
        }
        Ok(())
    })?;
    if name.is_empty() {
        return Ok(None);
    }
    let data_type = ask_type(p, &name)?;
    let nullable = p.confirm(&format!("May {name} be NULL?"), true)?;
    let description = text(p, &format!("Description of {name}"), None, |s| {
        crate::input::answers::check_text("field description", s, false).map_err(|e| e.message)
    })?;
    let pii = p.confirm(
        &format!("Is {name} personal data (PII)?"),
        crate::input::schema_import::pii::category(&name).is_some(),
    )?;
    let mut field = crate::input::schema_import::field(name, data_type);
    field.nullable = nullable;
    field.description = description;
    field.pii = pii;
    if let Some(c) = ask_constraint(p, &field)? {
        field.constraints.push(c);
    }
    Ok(Some(field))
}

fn ask_type(p: &mut dyn Prompter, column: &str) -> Result<DataType, Interrupted> {
    let items: Vec<String> = TYPES.iter().map(|t| t.to_string()).collect();
    let choice = TYPES[p.select(&format!("Type of {column}"), &items, 0)?];
    if choice != "DECIMAL(p,s)" {
        // Every entry but DECIMAL(p,s) is a type's own spelling.
        return Ok(choice.parse().unwrap_or(DataType::String));
    }
    let precision = text(
        p,
        "Precision: digits in all (1-38)",
        Some("10"),
        |s| match s.parse::<u8>() {
            Ok(n) if (1..=38).contains(&n) => Ok(()),
            _ => Err(format!("'{s}' is not a whole number from 1 to 38")),
        },
    )?;
    let scale = text(
        p,
        &format!("Scale: digits after the point (0-{precision})"),
        Some("2"),
        |s| {
            format!("DECIMAL({precision},{s})")
                .parse::<DataType>()
                .map(|_| ())
                .map_err(|e| e.reason)
        },
    )?;
    Ok(format!("DECIMAL({precision},{scale})")
        .parse()
        .unwrap_or(DataType::Decimal {
            precision: 10,
            scale: 2,
        }))
}

/// The constraint kinds that fit a column's type.
fn constraint_kinds(t: &DataType) -> Vec<(Option<ConstraintKind>, &'static str)> {
    let mut kinds = vec![(None, "none")];
    if *t == DataType::String {
        kinds.push((
            Some(ConstraintKind::Format),
            "format: values match a regular expression",
        ));
    }
    if !t.is_complex() && *t != DataType::Binary && *t != DataType::Boolean {
        kinds.push((Some(ConstraintKind::Enum), "enum: one of a list of values"));
    }
    if t.is_numeric() || t.is_temporal() {
        kinds.push((
            Some(ConstraintKind::Range),
            "range: between a minimum and a maximum",
        ));
    }
    kinds.push((Some(ConstraintKind::Unique), "unique: no value twice"));
    kinds
}

fn ask_constraint(p: &mut dyn Prompter, field: &Field) -> Result<Option<Constraint>, Interrupted> {
    let kinds = constraint_kinds(&field.data_type);
    let items: Vec<String> = kinds.iter().map(|(_, d)| d.to_string()).collect();
    let Some(kind) = kinds[p.select(&format!("Constraint on {}", field.name), &items, 0)?].0 else {
        return Ok(None);
    };
    let blank = Constraint {
        kind,
        pattern: None,
        scope: None,
        min: None,
        max: None,
        values: None,
    };
    // A candidate constraint passes when the DDL checks accept it on this field.
    let fits = |c: &Constraint| -> Result<(), String> {
        let mut f = field.clone();
        f.constraints = vec![c.clone()];
        crate::spec::contract_sql::field_checks(&f).map(|_| ())
    };
    Ok(Some(match kind {
        ConstraintKind::Unique => Constraint {
            scope: Some("global".into()),
            ..blank
        },
        ConstraintKind::Format => {
            let pattern = text(p, "Regular expression", None, |s| {
                crate::lang::pattern::check(s)?;
                fits(&Constraint {
                    pattern: Some(s.to_string()),
                    ..blank.clone()
                })
            })?;
            Constraint {
                pattern: Some(pattern),
                ..blank
            }
        }
        ConstraintKind::Enum => {
            let list = |s: &str| -> Vec<String> {
                s.split(',')
                    .map(|v| v.trim().to_string())
                    .filter(|v| !v.is_empty())
                    .collect()
            };
            let values = text(p, "Allowed values, separated by commas", None, |s| {
                if list(s).is_empty() {
                    return Err("give at least one value".into());
                }
                fits(&Constraint {
                    values: Some(list(s)),
                    ..blank.clone()
                })
            })?;
            Constraint {
                values: Some(list(&values)),
                ..blank
            }
        }
        ConstraintKind::Range => {
            let min = text(p, "Minimum (Enter for none)", None, |s| {
                fits(&Constraint {
                    min: scalar(s),
                    ..blank.clone()
                })
            })?;
            let max = text(p, "Maximum (Enter for none)", None, |s| {
                let (lo, hi) = (scalar(&min), scalar(s));
                if let (Some(a), Some(b)) = (
                    lo.as_ref().and_then(Scalar::as_f64),
                    hi.as_ref().and_then(Scalar::as_f64),
                ) && a > b
                {
                    return Err(format!("the maximum {s} is below the minimum {min}"));
                }
                fits(&Constraint {
                    min: lo,
                    max: hi,
                    ..blank.clone()
                })
            })?;
            Constraint {
                min: scalar(&min),
                max: scalar(&max),
                ..blank
            }
        }
    }))
}

/// A typed bound: a whole number, a decimal, or text (a date); empty is no bound.
fn scalar(s: &str) -> Option<Scalar> {
    if s.is_empty() {
        return None;
    }
    Some(
        s.parse::<i64>()
            .map(Scalar::Int)
            .or_else(|_| s.parse::<f64>().map(Scalar::Float))
            .unwrap_or_else(|_| Scalar::Text(s.to_string())),
    )
}
