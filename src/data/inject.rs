//! `--invalid-rate`: break a known share of rows, each on purpose against one named rule,
//! so the checks can be tested. Injected rows are evenly spaced (`stride` apart, never
//! adjacent); injection `k` targets the rule `k mod (number of targets)`. A duplicate copies
//! the key of the next row (never itself injected), so each duplicate makes exactly two rows
//! fail. Each injection records every rule its value breaks and how many rows fail by it;
//! the sum over injections is exactly what `dpc test` must count.

use super::Format;
use super::batch::{Batch, Cell, Column};
use super::compile::{Check, Rule};
use super::plan::ProductPlan;
use super::values::{Kind, Value, int_bounds};
use std::collections::BTreeMap;

/// How one injection breaks its target rule.
#[derive(Debug, Clone)]
enum How {
    /// Text that is not a value of the column's type.
    BadType {
        column: usize,
        text: &'static str,
    },
    Null {
        column: usize,
    },
    /// A value outside the rule (chosen per row).
    BadValue {
        column: usize,
    },
    /// Copy these columns from the next row.
    Duplicate {
        columns: Vec<usize>,
    },
}

#[derive(Debug, Clone)]
struct Target {
    rule: usize,
    how: How,
}

/// One injected violation.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct Injected {
    pub row: u64,
    /// The rule the row was broken against.
    pub rule: String,
    pub column: String,
    /// Every rule the injected value breaks (the target first).
    pub breaks: Vec<String>,
    /// Rows each broken rule fails by: 1, or 2 for a duplicate (the copy and its source).
    pub failing_rows: u64,
}

/// The violations of one table.
#[derive(Debug, Clone)]
pub(crate) struct TableInjection {
    count: u64,
    stride: u64,
    targets: Vec<Target>,
}

#[derive(Debug, Clone)]
pub(crate) struct Injector {
    tables: Vec<TableInjection>,
}

fn bad_type_text(kind: Kind) -> Option<&'static str> {
    Some(match kind {
        Kind::Bool => "maybe",
        Kind::Int { .. } => "abc",
        Kind::Float { .. } => "not-a-number",
        Kind::Decimal { .. } => "12.3.4",
        Kind::Date => "2024-13-45",
        Kind::Timestamp => "yesterday noon",
        Kind::Binary => "@@not base64@@",
        Kind::Nested => "{not json",
        Kind::Text => return None,
    })
}

impl Injector {
    /// Plans `rate * rows` violations per table; type violations only where the format can
    /// hold text in a typed column (not Parquet).
    pub(crate) fn new(plan: &ProductPlan, rate: f64, format: Format) -> Injector {
        let tables = plan
            .tables
            .iter()
            .enumerate()
            .map(|(ti, t)| {
                let count = ((rate * t.rows as f64).round() as u64).min(t.rows / 2);
                let stride = t.rows.checked_div(count).unwrap_or(0);
                let mut targets = Vec::new();
                for (ri, rule) in t.rules.rules.iter().enumerate() {
                    let column = rule.columns.first().copied();
                    let how = match (&rule.check, column) {
                        (Check::Type, Some(c)) if format != Format::Parquet => {
                            bad_type_text(t.columns[c].kind)
                                .map(|text| How::BadType { column: c, text })
                        }
                        (Check::NotNull, Some(c)) => Some(How::Null { column: c }),
                        (
                            Check::Pattern { .. } | Check::InSet(_) | Check::Range { .. },
                            Some(c),
                        ) => plan_value_target(plan, ti, rule, c)
                            .then_some(How::BadValue { column: c }),
                        (Check::Unique, Some(_)) => rule
                            .columns
                            .iter()
                            .all(|&c| t.columns[c].is_row_determined())
                            .then(|| How::Duplicate {
                                columns: rule.columns.clone(),
                            }),
                        _ => None,
                    };
                    if let Some(how) = how {
                        targets.push(Target { rule: ri, how });
                    }
                }
                TableInjection {
                    count: if targets.is_empty() { 0 } else { count },
                    stride,
                    targets,
                }
            })
            .collect();
        Injector { tables }
    }

    fn rows(&self, table: usize) -> impl Iterator<Item = (u64, u64)> + '_ {
        let t = &self.tables[table];
        (0..t.count).map(move |k| (k, k * t.stride + t.stride / 2))
    }

    /// Applies the violations that fall in `batch`.
    pub(crate) fn apply(&self, plan: &ProductPlan, table: usize, batch: &mut Batch) {
        let start = batch.first_row;
        let end = start + batch.rows as u64;
        let mut changes: BTreeMap<usize, Vec<(usize, Cell)>> = BTreeMap::new();
        for (k, row) in self.rows(table).filter(|(_, r)| (start..end).contains(r)) {
            let at = (row - start) as usize;
            for (column, cell) in self.cells(plan, table, k, row) {
                changes.entry(column).or_default().push((at, cell));
            }
        }
        for (column, list) in changes {
            if let Some(Some(col)) = batch.columns.get_mut(column) {
                col.apply(list);
            }
        }
    }

    /// The replacement cells of injection `k` at `row`.
    fn cells(&self, plan: &ProductPlan, table: usize, k: u64, row: u64) -> Vec<(usize, Cell)> {
        let t = &self.tables[table];
        let target = &t.targets[(k % t.targets.len() as u64) as usize];
        match &target.how {
            How::BadType { column, text } => vec![(*column, Cell::Invalid((*text).to_string()))],
            How::Null { column } => vec![(*column, Cell::Null)],
            How::BadValue { column } => {
                let rule = &plan.tables[table].rules.rules[target.rule];
                match bad_value(plan, table, rule, *column, k) {
                    Some(v) => vec![(*column, Cell::Value(v))],
                    None => Vec::new(),
                }
            }
            How::Duplicate { columns } => columns
                .iter()
                .map(|&c| {
                    let source = plan.cell_at(table, c, row + 1);
                    (c, cell_of(&source))
                })
                .collect(),
        }
    }

    /// Every injected violation of `table`, in row order.
    pub(crate) fn list(&self, plan: &ProductPlan, table: usize) -> Vec<Injected> {
        let rules = &plan.tables[table].rules;
        let kind_of = |c: usize| plan.tables[table].columns[c].kind;
        self.rows(table)
            .map(|(k, row)| {
                let t = &self.tables[table];
                let target = &t.targets[(k % t.targets.len() as u64) as usize];
                let rule = &rules.rules[target.rule];
                let (breaks, failing) = match &target.how {
                    How::BadType { .. } => (vec![target.rule], 1),
                    How::Null { column } => (
                        value_breaks(rules.rules.iter(), *column, kind_of(*column), None),
                        1,
                    ),
                    How::BadValue { column } => {
                        let v = bad_value(plan, table, rule, *column, k);
                        (
                            value_breaks(rules.rules.iter(), *column, kind_of(*column), v.as_ref()),
                            1,
                        )
                    }
                    How::Duplicate { columns } => (
                        rules
                            .rules
                            .iter()
                            .enumerate()
                            .filter(|(_, r)| {
                                matches!(r.check, Check::Unique)
                                    && r.columns.iter().all(|c| columns.contains(c))
                            })
                            .map(|(i, _)| i)
                            .collect(),
                        2,
                    ),
                };
                let mut names: Vec<String> = vec![rule.name.clone()];
                names.extend(
                    breaks
                        .iter()
                        .filter(|&&i| i != target.rule)
                        .map(|&i| rules.rules[i].name.clone()),
                );
                Injected {
                    row,
                    rule: rule.name.clone(),
                    column: rule
                        .columns
                        .iter()
                        .map(|&c| rules.columns[c].name.clone())
                        .collect::<Vec<_>>()
                        .join(", "),
                    breaks: names,
                    failing_rows: failing,
                }
            })
            .collect()
    }
}

/// Rule indexes (of row-level rules on `column`) that value `v` breaks.
fn value_breaks<'a>(
    rules: impl Iterator<Item = &'a Rule>,
    column: usize,
    kind: Kind,
    v: Option<&Value>,
) -> Vec<usize> {
    rules
        .enumerate()
        .filter(|(_, r)| r.columns == [column] && r.fails_value(kind, v))
        .map(|(i, _)| i)
        .collect()
}

fn cell_of(col: &Column) -> Cell {
    match (col.cells.first(), &col.data) {
        (Some(&super::batch::NULL), _) | (None, _) => Cell::Null,
        (_, super::batch::Data::Bytes(b)) => Cell::Bytes(b.get(0).to_vec()),
        _ => col.value(0).map_or(Cell::Null, Cell::Value),
    }
}

/// Whether a value that breaks `rule` can be made for this column.
fn plan_value_target(plan: &ProductPlan, table: usize, rule: &Rule, column: usize) -> bool {
    (0..4).any(|k| bad_value(plan, table, rule, column, k).is_some())
}

/// A value of the column's type that breaks `rule` (distinct per `k`, so unique columns stay
/// unique), or `None` when the type cannot hold one.
fn bad_value(
    plan: &ProductPlan,
    table: usize,
    rule: &Rule,
    column: usize,
    k: u64,
) -> Option<Value> {
    let kind = plan.tables[table].columns[column].kind;
    let rules = &plan.tables[table].rules;
    let candidates: Vec<Value> = match (&rule.check, kind) {
        (Check::Pattern { .. }, Kind::Text) => vec![
            Value::Text(format!("!invalid {k}")),
            Value::Text(format!("{k}")),
            Value::Text(format!("x{k}#")),
        ],
        (Check::InSet(_), Kind::Text) => {
            // A value of the column's pattern (if any) that is not allowed.
            let mut out = Vec::new();
            if let Some(Check::Pattern { pattern, .. }) = rules
                .value_rules(column)
                .map(|r| &r.check)
                .find(|c| matches!(c, Check::Pattern { .. }))
                && let Ok(g) = super::regex_gen::PatternGen::new(pattern)
            {
                let mut rng = super::rng::RowRng::new(plan.seed, 99, k);
                for _ in 0..16 {
                    let mut s = String::new();
                    g.generate(&mut rng, &mut s);
                    out.push(Value::Text(s));
                }
            }
            out.push(Value::Text(format!("not_allowed_{k}")));
            out
        }
        (Check::InSet(set), _) => (1..200)
            .flat_map(|d| set.iter().flat_map(move |v| [shift(v, d), shift(v, -d)]))
            .flatten()
            .collect(),
        (Check::Range { min, max }, _) => {
            let d = 1 + k as i64;
            let below = min.as_ref().and_then(|m| shift(m, -d));
            let above = max.as_ref().and_then(|m| shift(m, d));
            if k.is_multiple_of(2) {
                [below, above].into_iter().flatten().collect()
            } else {
                [above, below].into_iter().flatten().collect()
            }
        }
        _ => Vec::new(),
    };
    candidates
        .into_iter()
        .filter(|v| fits(kind, v))
        .find(|v| rule.fails_value(kind, Some(v)) && !v.to_text(kind).is_empty())
}

/// `v` moved by `d` units of its type (1, 1 day, 1 second, the decimal's last digit).
fn shift(v: &Value, d: i64) -> Option<Value> {
    Some(match v {
        Value::Int(i) => Value::Int(i.checked_add(d)?),
        Value::Float(f) => Value::Float(f + d as f64),
        Value::Decimal(x) => Value::Decimal(x.checked_add(i128::from(d))?),
        Value::Date(x) => Value::Date(x.checked_add(i32::try_from(d).ok()?)?),
        Value::Timestamp(t) => Value::Timestamp(t.checked_add(d.checked_mul(1_000_000)?)?),
        _ => return None,
    })
}

/// Whether the column's type can hold `v`.
fn fits(kind: Kind, v: &Value) -> bool {
    match (kind, v) {
        (Kind::Int { bits }, Value::Int(i)) => {
            let (lo, hi) = int_bounds(bits);
            (lo..=hi).contains(i)
        }
        (Kind::Decimal { precision, .. }, Value::Decimal(d)) => {
            d.unsigned_abs() <= super::values::decimal_limit(precision).unsigned_abs()
        }
        (Kind::Float { .. }, Value::Float(f)) => f.is_finite(),
        (Kind::Date, Value::Date(_)) | (Kind::Timestamp, Value::Timestamp(_)) => true,
        (Kind::Text, Value::Text(_)) | (Kind::Bool, Value::Bool(_)) => true,
        _ => false,
    }
}
