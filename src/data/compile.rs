//! A table's contract compiled into checks, once: the rules `dpc test` counts and the rules
//! `dpc sample` keeps. Semantics follow the SQL the product generates (`spec::sql`):
//! - every column's type (a value that does not parse as the type fails `<col>_type`);
//! - `nullable: false` → `<col>_not_null`;
//! - field constraints → the CHECK constraints' names (`<col>_format`, `<col>_allowed_values`,
//!   `<col>_range`), NULL passes (NOT NULL is its own rule); range bounds that move with the
//!   clock (`current_date`) are not CHECK constraints, so they are a rule of their own,
//!   `<col>_range_current`; `unique` → `<col>_unique`;
//! - quality expectations by their names, `col IS NULL OR (...)`; uniqueness counts every
//!   row whose non-NULL value another row shares;
//! - the primary key → `pk_<table>` (rows sharing a complete key).
//!
//! Rules enforced by Delta (types, NOT NULL, CHECK constraints) and the primary key are
//! critical: a table would refuse the write. Expectations carry their contract severity.

use super::DataError;
use super::values::{self, Kind, Value};
use crate::lang::date::Date;
use crate::spec::ProductSpec;
use crate::spec::contract::{ConstraintKind, ExpectationKind, Field, Table};
use crate::spec::contract_sql;
use crate::spec::data_type::DataType;
use crate::spec::governance::MaskMethod;
use crate::spec::values::{Scalar, Severity};
use std::cmp::Ordering;

/// One contract column as the checks see it.
#[derive(Debug, Clone)]
pub(crate) struct ColumnInfo {
    pub name: String,
    pub data_type: DataType,
    pub kind: Kind,
    /// How failing samples of this column are shown: `None` for clear values.
    pub mask: Option<MaskMethod>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Source {
    /// The column list and types (and the file's record shape).
    Schema,
    /// A field constraint of the contract.
    Constraint,
    /// A quality expectation of the contract.
    Expectation,
    /// The table's primary key.
    PrimaryKey,
}

#[derive(Debug, Clone)]
pub(crate) enum Check {
    /// Every record has the file's shape (one field per header column; a JSON object).
    RowShape,
    Type,
    NotNull,
    Pattern {
        pattern: String,
        re: regex::bytes::Regex,
    },
    InSet(Vec<Value>),
    Range {
        min: Option<Value>,
        max: Option<Value>,
    },
    /// Rows that share their (non-NULL) values in `columns` with another row fail.
    Unique,
}

#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub name: String,
    pub source: Source,
    pub severity: Severity,
    /// Contract column indexes the rule reads (empty for the record shape).
    pub columns: Vec<usize>,
    pub check: Check,
    /// What the rule requires, in words (`matches ^CUST-[0-9]{10}$`).
    pub detail: String,
}

impl Rule {
    pub(crate) fn kind_name(&self) -> &'static str {
        match self.check {
            Check::RowShape => "row_shape",
            Check::Type => "type",
            Check::NotNull => "not_null",
            Check::Pattern { .. } => "pattern",
            Check::InSet(_) => "in_set",
            Check::Range { .. } => "range",
            Check::Unique if self.source == Source::PrimaryKey => "primary_key",
            Check::Unique => "unique",
        }
    }

    /// Whether one cell fails this row-level rule (`None` is NULL). Table-level rules
    /// (uniqueness, record shape, type) never fail a single typed value.
    pub(crate) fn fails_value(&self, kind: Kind, v: Option<&Value>) -> bool {
        match (&self.check, v) {
            (Check::NotNull, None) => true,
            (Check::Pattern { re, .. }, Some(v)) => !re.is_match(v.to_text(kind).as_bytes()),
            (Check::InSet(set), Some(v)) => !set.contains(v),
            (Check::Range { min, max }, Some(v)) => {
                min.as_ref()
                    .is_some_and(|m| compare(v, m) == Some(Ordering::Less))
                    || max
                        .as_ref()
                        .is_some_and(|m| compare(v, m) == Some(Ordering::Greater))
            }
            _ => false,
        }
    }
}

/// Orders two values of the same variant (text by UTF-8 bytes, as Spark does).
pub(crate) fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
        (Value::Float(x), Value::Float(y)) => x.partial_cmp(y),
        (Value::Decimal(x), Value::Decimal(y)) => Some(x.cmp(y)),
        (Value::Date(x), Value::Date(y)) => Some(x.cmp(y)),
        (Value::Timestamp(x), Value::Timestamp(y)) => Some(x.cmp(y)),
        (Value::Text(x), Value::Text(y)) => Some(x.as_bytes().cmp(y.as_bytes())),
        _ => None,
    }
}

/// All checks of one table.
#[derive(Debug, Clone)]
pub(crate) struct TableRules {
    /// The product's name and its contract's version: with the table, they make each rule's id.
    pub product: String,
    pub contract_version: String,
    pub table: String,
    pub columns: Vec<ColumnInfo>,
    pub rules: Vec<Rule>,
}

/// The clock the moving bounds (`current_date`, `current_timestamp`) are read from.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    pub today: i32,
    pub now_micros: i64,
}

impl Clock {
    pub fn now() -> Result<Clock, DataError> {
        let today = Date::today().map_err(DataError::Usage)?;
        let today = i32::try_from(today.days()).unwrap_or(i32::MAX);
        let seconds = std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_secs() as i64)
                    .unwrap_or(0)
            });
        Ok(Clock {
            today,
            now_micros: seconds.saturating_mul(values::MICROS_PER_SECOND),
        })
    }
}

impl TableRules {
    pub(crate) fn compile(
        spec: &ProductSpec,
        name: &str,
        table: &Table,
        clock: Clock,
    ) -> Result<TableRules, DataError> {
        let columns: Vec<ColumnInfo> = table
            .schema
            .fields
            .iter()
            .map(|f| ColumnInfo {
                name: f.name.clone(),
                data_type: f.data_type.clone(),
                kind: Kind::of(&f.data_type),
                mask: mask_of(spec, name, f),
            })
            .collect();
        let mut out = TableRules {
            product: spec.name().to_string(),
            contract_version: spec.contract.contract_version.clone(),
            table: name.to_string(),
            columns,
            rules: Vec::new(),
        };
        out.push(Rule {
            name: "row_shape".into(),
            source: Source::Schema,
            severity: Severity::Critical,
            columns: Vec::new(),
            check: Check::RowShape,
            detail: "every record has the file's columns".into(),
        });
        for (i, f) in table.schema.fields.iter().enumerate() {
            out.push(Rule {
                name: format!("{}_type", f.name),
                source: Source::Schema,
                severity: Severity::Critical,
                columns: vec![i],
                check: Check::Type,
                detail: format!("values are {}", f.data_type),
            });
            if !f.nullable {
                out.push(Rule {
                    name: format!("{}_not_null", f.name),
                    source: Source::Schema,
                    severity: Severity::Critical,
                    columns: vec![i],
                    check: Check::NotNull,
                    detail: "not NULL".into(),
                });
            }
            out.field_constraints(i, f, clock)?;
        }
        if !table.primary_key.is_empty() {
            let cols = table
                .primary_key
                .iter()
                .map(|k| out.index(k))
                .collect::<Result<Vec<_>, _>>()?;
            out.push(Rule {
                name: format!("pk_{name}"),
                source: Source::PrimaryKey,
                severity: Severity::Critical,
                columns: cols,
                check: Check::Unique,
                detail: format!("({}) is unique", table.primary_key.join(", ")),
            });
        }
        for e in &table.quality_expectations {
            let col = out.index(&e.column)?;
            let kind = out.columns[col].kind;
            let err = |m: String| DataError::column(name, &e.column, format!("{}: {m}", e.name));
            let (check, detail) = match e.kind {
                ExpectationKind::NotNull => (Check::NotNull, "not NULL".to_string()),
                ExpectationKind::Unique => (Check::Unique, "unique".to_string()),
                ExpectationKind::Regex => {
                    let p = e
                        .pattern
                        .as_deref()
                        .ok_or_else(|| err("a regex expectation needs a pattern".into()))?;
                    pattern_check(p).map_err(err)?
                }
                ExpectationKind::InSet => {
                    let v = e
                        .values
                        .as_deref()
                        .ok_or_else(|| err("an in_set expectation needs values".into()))?;
                    set_check(&columns_type(&out, col), kind, v).map_err(err)?
                }
                ExpectationKind::Range => {
                    let t = columns_type(&out, col);
                    let min = e.min.as_ref().map(|m| bound(&t, kind, m, true, clock));
                    let max = e.max.as_ref().map(|m| bound(&t, kind, m, false, clock));
                    let min = min.transpose().map_err(err)?;
                    let max = max.transpose().map_err(err)?;
                    if min.is_none() && max.is_none() {
                        return Err(err("a range expectation needs min or max".into()));
                    }
                    range_check(kind, min, max)
                }
            };
            out.push(Rule {
                name: e.name.clone(),
                source: Source::Expectation,
                severity: e.severity,
                columns: vec![col],
                check,
                detail,
            });
        }
        Ok(out)
    }

    /// The rule's id (`crate::spec::rule_id`): `<product>/<table>/<rule>@<contract version>`.
    pub(crate) fn rule_id(&self, rule: &Rule) -> String {
        crate::spec::rule_id::rule_id(
            &self.product,
            &self.table,
            &rule.name,
            &self.contract_version,
        )
    }

    fn index(&self, column: &str) -> Result<usize, DataError> {
        self.columns
            .iter()
            .position(|c| c.name == column)
            .ok_or_else(|| DataError::column(&self.table, column, "is not a column of the table"))
    }

    /// Adds a rule, renaming it `<name>_2`, `_3`... when the name is taken.
    fn push(&mut self, mut rule: Rule) {
        let base = rule.name.clone();
        let mut n = 2;
        while self.rules.iter().any(|r| r.name == rule.name) {
            rule.name = format!("{base}_{n}");
            n += 1;
        }
        self.rules.push(rule);
    }

    fn field_constraints(&mut self, i: usize, f: &Field, clock: Clock) -> Result<(), DataError> {
        let kind = self.columns[i].kind;
        let table = self.table.clone();
        let err = |m: String| DataError::column(&table, &f.name, m);
        for c in &f.constraints {
            let constraint = |suffix: &str, check: Check, detail: String, severity| Rule {
                name: format!("{}_{suffix}", f.name),
                source: Source::Constraint,
                severity,
                columns: vec![i],
                check,
                detail,
            };
            match c.kind {
                ConstraintKind::Format => {
                    let p = c
                        .pattern
                        .as_deref()
                        .ok_or_else(|| err("a format constraint needs a pattern".into()))?;
                    let (check, detail) = pattern_check(p).map_err(err)?;
                    self.push(constraint("format", check, detail, Severity::Critical));
                }
                ConstraintKind::Enum => {
                    let v = c
                        .values
                        .as_deref()
                        .ok_or_else(|| err("an enum constraint needs values".into()))?;
                    let (check, detail) = set_check(&f.data_type, kind, v).map_err(err)?;
                    self.push(constraint(
                        "allowed_values",
                        check,
                        detail,
                        Severity::Critical,
                    ));
                }
                ConstraintKind::Range => {
                    let moving = |v: &&Scalar| is_moving(v);
                    let fixed = |v: &&Scalar| !is_moving(v);
                    for (suffix, keep, severity) in [
                        (
                            "range",
                            &fixed as &dyn Fn(&&Scalar) -> bool,
                            Severity::Critical,
                        ),
                        ("range_current", &moving, Severity::High),
                    ] {
                        let min = c.min.as_ref().filter(keep);
                        let max = c.max.as_ref().filter(keep);
                        if min.is_none() && max.is_none() {
                            continue;
                        }
                        let t = &f.data_type;
                        let min = min.map(|m| bound(t, kind, m, true, clock)).transpose();
                        let max = max.map(|m| bound(t, kind, m, false, clock)).transpose();
                        let (check, detail) =
                            range_check(kind, min.map_err(err)?, max.map_err(err)?);
                        self.push(constraint(suffix, check, detail, severity));
                    }
                }
                ConstraintKind::Unique => {
                    self.push(constraint(
                        "unique",
                        Check::Unique,
                        "unique".into(),
                        Severity::High,
                    ));
                }
            }
        }
        Ok(())
    }

    /// Row-level rules that read only column `col` (what a generated value must keep).
    pub(crate) fn value_rules(&self, col: usize) -> impl Iterator<Item = &Rule> {
        self.rules.iter().filter(move |r| {
            r.columns == [col]
                && matches!(
                    r.check,
                    Check::NotNull | Check::Pattern { .. } | Check::InSet(_) | Check::Range { .. }
                )
        })
    }

    /// Whether a value (or NULL) keeps every row-level rule of column `col`.
    pub(crate) fn value_ok(&self, col: usize, v: Option<&Value>) -> bool {
        let kind = self.columns[col].kind;
        self.value_rules(col).all(|r| !r.fails_value(kind, v))
    }
}

fn columns_type(rules: &TableRules, col: usize) -> DataType {
    rules.columns[col].data_type.clone()
}

fn mask_of(spec: &ProductSpec, table: &str, f: &Field) -> Option<MaskMethod> {
    let rule = spec
        .governance
        .masking
        .rules
        .iter()
        .find(|r| r.table == table && r.column == f.name)
        .map(|r| r.method);
    let listed = spec
        .governance
        .pii_fields
        .iter()
        .any(|p| p.table == table && p.column == f.name);
    rule.or((f.pii || listed).then_some(MaskMethod::Redact))
}

fn is_moving(v: &Scalar) -> bool {
    matches!(v, Scalar::Text(t) if t == "current_date" || t == "current_timestamp")
}

fn pattern_check(p: &str) -> Result<(Check, String), String> {
    // Decided as Databricks (Java RLIKE) decides it: see crate::lang::pattern::as_java.
    let re = regex::bytes::Regex::new(&crate::lang::pattern::as_java(p, true))
        .map_err(|e| format!("pattern {p} is not a regular expression: {e}"))?;
    Ok((
        Check::Pattern {
            pattern: p.to_string(),
            re,
        },
        format!("matches {p}"),
    ))
}

fn set_check(t: &DataType, kind: Kind, values: &[String]) -> Result<(Check, String), String> {
    let set = values
        .iter()
        .map(|v| literal_value(t, kind, &Scalar::Text(v.clone()), Round::Nearest))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((Check::InSet(set), format!("one of {}", values.join(", "))))
}

fn range_check(kind: Kind, min: Option<Value>, max: Option<Value>) -> (Check, String) {
    let detail = match (&min, &max) {
        (Some(lo), Some(hi)) => format!("between {} and {}", lo.to_text(kind), hi.to_text(kind)),
        (Some(lo), None) => format!(">= {}", lo.to_text(kind)),
        (None, Some(hi)) => format!("<= {}", hi.to_text(kind)),
        (None, None) => "any value".to_string(),
    };
    (Check::Range { min, max }, detail)
}

#[derive(Clone, Copy)]
enum Round {
    Nearest,
    Up,
    Down,
}

/// A range bound as a value of the column's type; moving bounds are read from `clock`.
fn bound(
    t: &DataType,
    kind: Kind,
    v: &Scalar,
    is_min: bool,
    clock: Clock,
) -> Result<Value, String> {
    if let Scalar::Text(text) = v {
        match (kind, text.as_str()) {
            (Kind::Date, "current_date") => return Ok(Value::Date(clock.today)),
            (Kind::Timestamp, "current_timestamp") => {
                return Ok(Value::Timestamp(clock.now_micros));
            }
            _ => {}
        }
    }
    literal_value(t, kind, v, if is_min { Round::Up } else { Round::Down })
}

/// The value SQL's literal of `v` has in a column of type `t` (refused as SQL refuses it).
fn literal_value(t: &DataType, kind: Kind, v: &Scalar, round: Round) -> Result<Value, String> {
    contract_sql::literal(t, v)?;
    let text = v.to_string();
    let bad = || format!("'{text}' is not a value of a {t} column");
    Ok(match kind {
        Kind::Int { .. } => Value::Int(
            v.as_f64()
                .filter(|f| f.fract() == 0.0)
                .map(|f| f as i64)
                .ok_or_else(bad)?,
        ),
        Kind::Float { .. } => Value::Float(v.as_f64().ok_or_else(bad)?),
        Kind::Decimal { scale, .. } => {
            let exact = match v {
                Scalar::Float(f) => format!("{f}"),
                other => other.to_string(),
            };
            Value::Decimal(decimal_at(&exact, scale, round).ok_or_else(bad)?)
        }
        Kind::Date => Value::Date(values::parse_date(text.as_bytes()).ok_or_else(bad)?),
        Kind::Timestamp => {
            Value::Timestamp(values::parse_timestamp(text.as_bytes()).ok_or_else(bad)?)
        }
        Kind::Bool => match v {
            Scalar::Bool(b) => Value::Bool(*b),
            _ => return Err(bad()),
        },
        Kind::Text | Kind::Binary | Kind::Nested => Value::Text(text),
    })
}

/// `text` as an unscaled decimal at `scale`, rounding extra digits as asked.
fn decimal_at(text: &str, scale: u8, round: Round) -> Option<i128> {
    let frac_digits = text.split_once('.').map_or(0, |(_, f)| f.len()).min(30) as u8;
    let wide = values::parse_decimal(text.as_bytes(), 38, frac_digits.max(scale))?;
    let extra = frac_digits.saturating_sub(scale);
    if extra == 0 {
        return Some(wide);
    }
    let div = 10i128.pow(u32::from(extra));
    let (q, r) = (wide.div_euclid(div), wide.rem_euclid(div));
    Some(match round {
        Round::Up if r != 0 => q + 1,
        Round::Nearest if r * 2 >= div => q + 1,
        _ => q,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_bounds_round_inwards() {
        assert_eq!(decimal_at("0.005", 2, Round::Up), Some(1));
        assert_eq!(decimal_at("0.005", 2, Round::Down), Some(0));
        assert_eq!(decimal_at("1000000", 2, Round::Down), Some(100_000_000));
        assert_eq!(decimal_at("-0.001", 2, Round::Up), Some(0));
    }
}

#[cfg(test)]
mod same_as_the_generated_rules {
    //! The rules `dpc test` counts are the rules the generated Python checks.

    use super::{Clock, TableRules};
    use crate::spec::ProductSpec;
    use crate::spec::contract::{Expectation, ExpectationKind};
    use crate::spec::values::Severity;

    fn example(name: &str) -> ProductSpec {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .join(name);
        ProductSpec::load(&dir).unwrap()
    }

    const CLOCK: Clock = Clock {
        today: 20_088,
        now_micros: 20_088 * 86_400_000_000,
    };

    type Names = Vec<(String, String, Severity)>;

    /// (id, name, severity) of every rule, per table: the generated Python's and `dpc test`'s.
    fn both(spec: &ProductSpec) -> Vec<(Names, Names)> {
        let model = crate::render::model::build(spec).unwrap();
        model
            .tables
            .iter()
            .map(|t| {
                let table = &spec.contract.tables[&t.name];
                let tested = TableRules::compile(spec, &t.name, table, CLOCK).unwrap();
                let generated = t
                    .rules
                    .iter()
                    .map(|r| (r.id.clone(), r.name.clone(), r.severity));
                let counted = tested
                    .rules
                    .iter()
                    .map(|r| (tested.rule_id(r), r.name.clone(), r.severity));
                (generated.collect(), counted.collect())
            })
            .collect()
    }

    #[test]
    fn generated_rules_are_the_rules_dpc_test_counts() {
        for name in [
            "customer-360",
            "real-time-fraud-detection",
            "sales-analytics",
        ] {
            for (generated, counted) in both(&example(name)) {
                assert!(generated.len() > 10, "{name}: {generated:?}");
                assert_eq!(generated, counted, "{name}");
            }
        }
    }

    #[test]
    fn clashing_names_are_renamed_like_dpc_test() {
        let mut spec = example("customer-360");
        let table = spec.contract.tables.get_mut("customers").unwrap();
        let mut clash: Expectation = table.quality_expectations[0].clone();
        clash.name = "email_unique".into();
        clash.kind = ExpectationKind::Unique;
        clash.column = "email".into();
        table.quality_expectations.push(clash);
        let (generated, counted) = both(&spec).remove(0);
        assert!(generated.iter().any(|(id, n, _)| n == "email_unique_2"
            && id == "customer-360/customers/email_unique_2@1.0.0"));
        assert_eq!(generated, counted);
    }
}
