//! Databricks Labs DQX checks (`dpc export dqx`): the rules `dpc test` counts, one YAML file of
//! DQX check metadata per table, for `DQEngine.apply_checks_by_metadata` where the data lives.
//!
//! Each check has the rule's name (`name`), `criticality` (`error` for critical rules, `warn`
//! for the others), one of DQX's built-in check functions with its `arguments`, and the rule's
//! id (`crate::spec::rule_id`) and contract version in `user_metadata`:
//! - NOT NULL (`nullable: false`, `not_null` expectations) → `is_not_null`;
//! - formats and regex expectations → `regex_match`;
//! - allowed values and `in_set` expectations → `is_in_list`;
//! - ranges → `is_in_range`, or `is_not_less_than` / `is_not_greater_than` with one bound;
//! - uniqueness and the primary key → `is_unique` (NULL keys are distinct, as in `dpc test`).
//!
//! Values are Spark SQL literals, as DQX ≥ 0.16 reads them: it resolves a string in `allowed`
//! or a limit as a column expression, so text is quoted (`'gold'`), dates and timestamps are
//! typed (`DATE'2024-01-01'`), moving bounds are `current_date()` / `current_timestamp()`, and
//! numbers are YAML numbers. Columns are SQL identifiers (backquoted when they need it).
//!
//! The record shape (`row_shape`) and the columns' types (`<col>_type`) are not exported: on a
//! Delta table the schema enforces them, and DQX checks typed DataFrames. Every other rule is,
//! under the name and id `dpc test` reports.

use crate::lang::escape::{sql_identifier, yaml_string};
use crate::spec::contract::{ConstraintKind, Expectation, ExpectationKind, Field, Table};
use crate::spec::contract_sql;
use crate::spec::data_type::DataType;
use crate::spec::values::{Scalar, Severity};
use crate::spec::{CONTRACT_FILE, ProductSpec, SpecError};
use std::fmt::Write;

/// One exported file: `<table>.yaml`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DqxFile {
    pub table: String,
    pub file_name: String,
    pub text: String,
}

/// A value of a check's `arguments`.
#[derive(Debug, Clone, PartialEq)]
enum Arg {
    /// A YAML string (quoted and escaped when written).
    Text(String),
    /// A number, written bare.
    Number(String),
    List(Vec<Arg>),
}

#[derive(Debug, Clone, PartialEq)]
struct DqxCheck {
    name: String,
    id: String,
    severity: Severity,
    function: &'static str,
    arguments: Vec<(&'static str, Arg)>,
}

/// A table's checks in `dpc test`'s rule order, named as `dpc test` names them.
struct Checks<'a> {
    spec: &'a ProductSpec,
    table: &'a str,
    /// Every rule name taken so far, exported or not (a clash is renamed `<name>_2`...).
    names: Vec<String>,
    checks: Vec<DqxCheck>,
}

impl Checks<'_> {
    /// Takes the rule's name as `dpc test` does; adds the check when there is one.
    fn push(&mut self, name: String, severity: Severity, check: Option<CheckCall>) {
        let mut unique = name.clone();
        let mut n = 2;
        while self.names.contains(&unique) {
            unique = format!("{name}_{n}");
            n += 1;
        }
        self.names.push(unique.clone());
        if let Some((function, arguments)) = check {
            self.checks.push(DqxCheck {
                id: crate::spec::rule_id::rule_id(
                    self.spec.name(),
                    self.table,
                    &unique,
                    &self.spec.contract.contract_version,
                ),
                name: unique,
                severity,
                function,
                arguments,
            });
        }
    }
}

/// A check function and its arguments.
type CheckCall = (&'static str, Vec<(&'static str, Arg)>);

fn column(name: &str) -> (&'static str, Arg) {
    ("column", Arg::Text(sql_identifier(name)))
}

/// A contract value as DQX reads it: a SQL literal (numbers as YAML numbers).
fn value(t: &DataType, v: &Scalar) -> Result<Arg, String> {
    let literal = contract_sql::literal(t, v)?;
    Ok(if t.is_numeric() {
        Arg::Number(literal)
    } else {
        Arg::Text(literal)
    })
}

fn not_null(col: &str) -> Option<CheckCall> {
    Some(("is_not_null", vec![column(col)]))
}

fn regex(col: &str, pattern: Option<&str>) -> Result<Option<CheckCall>, String> {
    let pattern = pattern.ok_or("a format or regex rule needs a pattern")?;
    Ok(Some((
        "regex_match",
        vec![column(col), ("regex", Arg::Text(pattern.to_string()))],
    )))
}

fn in_list(field: &Field, values: Option<&[String]>) -> Result<Option<CheckCall>, String> {
    let values = values.ok_or("an allowed-values rule needs values")?;
    let allowed = values
        .iter()
        .map(|v| value(&field.data_type, &Scalar::Text(v.clone())))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some((
        "is_in_list",
        vec![column(&field.name), ("allowed", Arg::List(allowed))],
    )))
}

/// `is_in_range`, or one of its one-sided forms; `None` without bounds.
fn range(
    field: &Field,
    min: Option<&Scalar>,
    max: Option<&Scalar>,
) -> Result<Option<CheckCall>, String> {
    let t = &field.data_type;
    let min = min.map(|v| value(t, v)).transpose()?;
    let max = max.map(|v| value(t, v)).transpose()?;
    let col = column(&field.name);
    Ok(match (min, max) {
        (Some(lo), Some(hi)) => Some((
            "is_in_range",
            vec![col, ("min_limit", lo), ("max_limit", hi)],
        )),
        (Some(lo), None) => Some(("is_not_less_than", vec![col, ("limit", lo)])),
        (None, Some(hi)) => Some(("is_not_greater_than", vec![col, ("limit", hi)])),
        (None, None) => None,
    })
}

fn unique(columns: &[String]) -> Option<CheckCall> {
    let list = columns
        .iter()
        .map(|c| Arg::Text(sql_identifier(c)))
        .collect();
    Some(("is_unique", vec![("columns", Arg::List(list))]))
}

fn is_moving(v: &Scalar) -> bool {
    matches!(v, Scalar::Text(t) if t == "current_date" || t == "current_timestamp")
}

impl Checks<'_> {
    fn field(&mut self, f: &Field) -> Result<(), String> {
        self.push(format!("{}_type", f.name), Severity::Critical, None);
        if !f.nullable {
            self.push(
                format!("{}_not_null", f.name),
                Severity::Critical,
                not_null(&f.name),
            );
        }
        for c in &f.constraints {
            match c.kind {
                ConstraintKind::Format => {
                    let check = regex(&f.name, c.pattern.as_deref())?;
                    self.push(format!("{}_format", f.name), Severity::Critical, check);
                }
                ConstraintKind::Enum => {
                    let check = in_list(f, c.values.as_deref())?;
                    self.push(
                        format!("{}_allowed_values", f.name),
                        Severity::Critical,
                        check,
                    );
                }
                ConstraintKind::Range => {
                    // Fixed bounds are the CHECK constraint; bounds that move with the clock
                    // are a rule of their own, as in `dpc test`.
                    for (suffix, moving, severity) in [
                        ("range", false, Severity::Critical),
                        ("range_current", true, Severity::High),
                    ] {
                        let keep = |v: &&Scalar| is_moving(v) == moving;
                        let min = c.min.as_ref().filter(keep);
                        let max = c.max.as_ref().filter(keep);
                        if let Some(check) = range(f, min, max)? {
                            self.push(format!("{}_{suffix}", f.name), severity, Some(check));
                        }
                    }
                }
                ConstraintKind::Unique => {
                    let check = unique(std::slice::from_ref(&f.name));
                    self.push(format!("{}_unique", f.name), Severity::High, check);
                }
            }
        }
        Ok(())
    }

    fn expectation(&mut self, table: &Table, e: &Expectation) -> Result<(), String> {
        let field = table
            .field(&e.column)
            .ok_or_else(|| format!("expectation {} names unknown column {}", e.name, e.column))?;
        let check = match e.kind {
            ExpectationKind::NotNull => not_null(&field.name),
            ExpectationKind::Unique => unique(std::slice::from_ref(&field.name)),
            ExpectationKind::Regex => regex(&field.name, e.pattern.as_deref())?,
            ExpectationKind::InSet => in_list(field, e.values.as_deref())?,
            ExpectationKind::Range => Some(
                range(field, e.min.as_ref(), e.max.as_ref())?
                    .ok_or("a range expectation needs min or max")?,
            ),
        };
        self.push(e.name.clone(), e.severity, check);
        Ok(())
    }
}

/// The DQX checks of table `name`, in `dpc test`'s rule order.
fn table_checks(spec: &ProductSpec, name: &str, table: &Table) -> Result<Vec<DqxCheck>, SpecError> {
    let err = |message: String| SpecError::Parse {
        file: CONTRACT_FILE.to_string(),
        message: format!("table {name}: {message}"),
    };
    let mut out = Checks {
        spec,
        table: name,
        names: Vec::new(),
        checks: Vec::new(),
    };
    out.push("row_shape".into(), Severity::Critical, None);
    for f in &table.schema.fields {
        out.field(f)
            .map_err(|m| err(format!("column {}: {m}", f.name)))?;
    }
    if !table.primary_key.is_empty() {
        out.push(
            format!("pk_{name}"),
            Severity::Critical,
            unique(&table.primary_key),
        );
    }
    for e in &table.quality_expectations {
        out.expectation(table, e).map_err(err)?;
    }
    Ok(out.checks)
}

fn write_arg(s: &mut String, arg: &Arg) {
    match arg {
        Arg::Text(t) => s.push_str(&yaml_string(t)),
        Arg::Number(n) => s.push_str(n),
        Arg::List(items) => {
            s.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                write_arg(s, item);
            }
            s.push(']');
        }
    }
}

fn write_check(s: &mut String, spec: &ProductSpec, table: &str, c: &DqxCheck) {
    let criticality = if c.severity == Severity::Critical {
        "error"
    } else {
        "warn"
    };
    let _ = writeln!(s, "- name: {}", yaml_string(&c.name));
    let _ = writeln!(s, "  criticality: {}", yaml_string(criticality));
    let _ = writeln!(s, "  check:");
    let _ = writeln!(s, "    function: {}", yaml_string(c.function));
    let _ = writeln!(s, "    arguments:");
    for (key, arg) in &c.arguments {
        let _ = write!(s, "      {key}: ");
        write_arg(s, arg);
        s.push('\n');
    }
    let _ = writeln!(s, "  user_metadata:");
    let _ = writeln!(s, "    rule_id: {}", yaml_string(&c.id));
    let _ = writeln!(
        s,
        "    contract_version: {}",
        yaml_string(&spec.contract.contract_version)
    );
    let _ = writeln!(s, "    product: {}", yaml_string(spec.name()));
    let _ = writeln!(s, "    table: {}", yaml_string(table));
    let _ = writeln!(s, "    severity: {}", yaml_string(c.severity.as_str()));
}

/// One DQX checks file per contract table, in contract order.
pub(crate) fn export(spec: &ProductSpec) -> Result<Vec<DqxFile>, SpecError> {
    let mut files = Vec::new();
    for (name, table) in &spec.contract.tables {
        let checks = table_checks(spec, name, table)?;
        // The names are quoted (escaped) YAML strings even in the comment: user text.
        let mut text = format!(
            "# Databricks Labs DQX checks of table {table} of data product {product}, contract\n\
             # version {version}, exported by dpc (`dpc export dqx`). Apply them with\n\
             # DQEngine.apply_checks_by_metadata; user_metadata.rule_id is the rule's id in `dpc test`\n\
             # and the generated quality checks. The record shape and the column types are not\n\
             # here: the Delta table's schema enforces them.\n",
            table = yaml_string(name),
            product = yaml_string(spec.name()),
            version = yaml_string(&spec.contract.contract_version),
        );
        if checks.is_empty() {
            text.push_str("[]\n");
        }
        for c in &checks {
            write_check(&mut text, spec, name, c);
        }
        files.push(DqxFile {
            table: name.clone(),
            file_name: format!("{name}.yaml"),
            text,
        });
    }
    Ok(files)
}
