//! How each column of each table is generated, decided once from the contract:
//! - ordinary columns draw random values that keep the column's rules (type bounds,
//!   ranges, allowed values, patterns), with NULLs where the column allows them and its
//!   default now and then;
//! - unique columns and primary keys are numbered: the value of row `i` is a bijection of
//!   `i` (a composite key splits `i` into digits, references first), so keys never collide
//!   and no set of seen values is kept;
//! - references to another table's key pick an existing key of that table (see [`keys`]).
//!
//! Dates are plausible: the last five years before the contract's `last_updated` date (or
//! today, whichever is earlier), birth dates 18 to 90 years back, `updated_at` within the
//! last 30 days, always within the column's range.

use super::DataError;
use super::batch::Column;
use super::compile::{Check, Clock, TableRules, compare};
use super::regex_gen::{PatternGen, UniqueValues};
use super::rng::{RowRng, Source, name_hash};
use super::values::{self, Kind, MICROS_PER_SECOND, Value};
use super::words::Style;
use crate::lang::date::Date;
use crate::spec::ProductSpec;
use crate::spec::contract::{Field, Table};
use crate::spec::data_type::DataType;
use crate::spec::keys;
use crate::spec::values::Scalar;
use std::cmp::Ordering;

/// Share of NULLs in nullable columns whose rules allow NULL.
pub(crate) const NULL_RATE: f64 = 0.1;
/// Share of rows that take a column's default value.
pub(crate) const DEFAULT_RATE: f64 = 0.25;
/// Seconds in a day.
const DAY: i64 = 86_400;

/// A random value generator.
#[derive(Debug, Clone)]
pub(crate) enum Gen {
    Pattern(PatternGen),
    Choice(Vec<Value>),
    Int(i64, i64),
    /// Ten-thousandths between the bounds.
    Float(i64, i64),
    Decimal(i128, i128),
    Date(i32, i32),
    /// Seconds since the epoch between the bounds.
    Timestamp(i64, i64),
    Bool,
    Words(Style),
    Binary,
    Nested(DataType),
    /// An existing key of another table (table and column index, its row count).
    Parent {
        table: usize,
        column: usize,
        rows: u64,
    },
}

/// A value determined by a number `x` (distinct numbers give distinct values).
#[derive(Debug, Clone)]
pub(crate) enum Indexed {
    Pattern(UniqueValues),
    Choice(Vec<Value>),
    /// `lo + x`.
    Int(i64),
    /// `(lo + x) / 10^4`.
    Float(i64),
    /// `lo + x`, unscaled.
    Decimal(i128),
    /// `hi - x` days.
    Date(i32),
    /// `hi - x` seconds.
    Timestamp(i64),
    Bool,
    /// `<prefix>-<x>`.
    Text(String),
    Binary,
    /// The key of row `x` of another table.
    Parent {
        table: usize,
        column: usize,
    },
}

#[derive(Debug, Clone)]
pub(crate) enum ValueSource {
    /// Random values from the batch's stream.
    Random(Gen),
    /// Random values from a stream seeded by the row, so any row's value can be recomputed.
    RowRandom(Gen),
    /// `generator` at `x = (row / div) % radix`.
    Indexed {
        div: u64,
        radix: u64,
        generator: Indexed,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct ColumnPlan {
    pub name: String,
    pub kind: Kind,
    pub salt: u64,
    pub null_rate: f64,
    pub default: Option<Value>,
    /// Values are drawn again until they keep every rule of the column.
    pub filtered: bool,
    pub source: ValueSource,
}

impl ColumnPlan {
    /// Whether the value of a row can be computed from the row number alone.
    pub(crate) fn is_row_determined(&self) -> bool {
        !matches!(self.source, ValueSource::Random(_))
    }
}

#[derive(Debug, Clone)]
pub(crate) struct TablePlan {
    pub name: String,
    pub rows: u64,
    pub rules: TableRules,
    pub columns: Vec<ColumnPlan>,
}

#[derive(Debug, Clone)]
pub(crate) struct ProductPlan {
    pub seed: u64,
    pub tables: Vec<TablePlan>,
}

/// Plausible windows, derived from the anchor date.
#[derive(Debug, Clone, Copy)]
struct Anchor {
    /// Days since the epoch of the newest plausible date.
    day: i32,
}

impl ProductPlan {
    pub(crate) fn new(
        spec: &ProductSpec,
        rows: u64,
        seed: u64,
        clock: Clock,
    ) -> Result<ProductPlan, DataError> {
        let anchor = Anchor {
            day: Date::parse(&spec.contract.last_updated)
                .and_then(|d| i32::try_from(d.days()).ok())
                .map_or(clock.today, |d| d.min(clock.today)),
        };
        let names: Vec<&String> = spec.contract.tables.keys().collect();
        let references = crate::spec::keys::acyclic(keys::references(&spec.contract));
        let index_of = |t: &str, c: &str| -> Option<(usize, usize)> {
            let ti = names.iter().position(|n| *n == t)?;
            let ci = spec.contract.tables[ti]
                .schema
                .fields
                .iter()
                .position(|f| f.name == c)?;
            Some((ti, ci))
        };
        let mut tables = Vec::new();
        for (name, table) in &spec.contract.tables {
            let rules = TableRules::compile(spec, name, table, clock)?;
            let parent_of = |col: &str| {
                references
                    .iter()
                    .find(|r| r.table == *name && r.column == col)
                    .and_then(|r| index_of(&r.parent_table, &r.parent_column))
            };
            tables.push(table_plan(name, table, rules, rows, anchor, &parent_of)?);
        }
        let plan = ProductPlan { seed, tables };
        plan.validate()?;
        Ok(plan)
    }

    /// Generates a few hundred values of every column and checks them against the rules,
    /// so a contract dpc cannot satisfy fails here, with the column named, not in the data.
    fn validate(&self) -> Result<(), DataError> {
        for (ti, t) in self.tables.iter().enumerate() {
            for (ci, c) in t.columns.iter().enumerate() {
                let count = t.rows.min(200) as usize;
                let mut col = Column::new(c.kind, count);
                let mut rng = RowRng::new(self.seed, c.salt, 0);
                let step = (t.rows / count.max(1) as u64).max(1);
                for k in 0..count as u64 {
                    let row = (k * step).min(t.rows.saturating_sub(1));
                    self.push(ti, ci, row, &mut rng, &mut col);
                }
                for r in 0..col.len() {
                    let v = col.value(r);
                    if v.is_none() && col.cells[r] != super::batch::NULL {
                        return Err(DataError::column(
                            &t.name,
                            &c.name,
                            format!("cannot generate a value of type {:?}", c.kind),
                        ));
                    }
                    if !t.rules.value_ok(ci, v.as_ref()) {
                        let broken: Vec<String> = t
                            .rules
                            .value_rules(ci)
                            .filter(|rule| rule.fails_value(c.kind, v.as_ref()))
                            .map(|rule| format!("{} ({})", rule.name, rule.detail))
                            .collect();
                        return Err(DataError::column(
                            &t.name,
                            &c.name,
                            format!(
                                "cannot generate values that keep every rule: '{}' breaks {}",
                                col.display(r),
                                broken.join(", ")
                            ),
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// Appends the value of `column` of `table` at `row`: NULL, the default, or generated.
    /// `rng` is the batch's stream (used by random columns only).
    pub(crate) fn push(
        &self,
        table: usize,
        column: usize,
        row: u64,
        rng: &mut impl Source,
        out: &mut Column,
    ) {
        let c = &self.tables[table].columns[column];
        match &c.source {
            ValueSource::Random(generator) => {
                if rng.chance(c.null_rate) {
                    out.push_null();
                } else if let Some(d) = c.default.as_ref().filter(|_| rng.chance(DEFAULT_RATE)) {
                    out.push_value(d);
                } else if c.filtered {
                    self.push_filtered(table, column, generator, rng, out);
                } else {
                    self.push_random(generator, rng, out);
                }
            }
            ValueSource::RowRandom(generator) => {
                let mut own = RowRng::new(self.seed, c.salt, row);
                if c.filtered {
                    self.push_filtered(table, column, generator, &mut own, out);
                } else {
                    self.push_random(generator, &mut own, out);
                }
            }
            ValueSource::Indexed {
                div,
                radix,
                generator,
            } => {
                let x = (row / div.max(&1)) % radix.max(&1);
                self.push_indexed(generator, c.salt, x, out);
            }
        }
    }

    fn push_filtered(
        &self,
        table: usize,
        column: usize,
        generator: &Gen,
        rng: &mut impl Source,
        out: &mut Column,
    ) {
        let rules = &self.tables[table].rules;
        let kind = out.kind;
        let mut scratch = Column::new(kind, 1);
        for _ in 0..64 {
            scratch = Column::new(kind, 1);
            self.push_random(generator, rng, &mut scratch);
            if rules.value_ok(column, scratch.value(0).as_ref()) {
                break;
            }
        }
        out.push_cell(&scratch, 0);
    }

    fn push_random(&self, generator: &Gen, rng: &mut impl Source, out: &mut Column) {
        match generator {
            Gen::Pattern(p) => with_scratch(|s| {
                p.generate(rng, s);
                out.push_bytes(s.as_bytes());
            }),
            Gen::Choice(values) => {
                out.push_value(&values[rng.below(values.len() as u64) as usize]);
            }
            Gen::Int(lo, hi) => out.push_int(rng.between(*lo, *hi)),
            Gen::Float(lo, hi) => out.push_float(rng.between(*lo, *hi) as f64 / 10_000.0),
            Gen::Decimal(lo, hi) => out.push_decimal(rng.between_i128(*lo, *hi)),
            Gen::Date(lo, hi) => out.push_date(rng.between(i64::from(*lo), i64::from(*hi)) as i32),
            Gen::Timestamp(lo, hi) => {
                out.push_timestamp(rng.between(*lo, *hi) * MICROS_PER_SECOND);
            }
            Gen::Bool => out.push_bool(rng.below(2) == 1),
            Gen::Words(style) => with_scratch(|s| {
                style.write(rng, s);
                out.push_bytes(s.as_bytes());
            }),
            Gen::Binary => {
                let bytes: Vec<u8> = (0..8 + rng.below(9))
                    .map(|_| rng.below(256) as u8)
                    .collect();
                out.push_bytes(&bytes);
            }
            Gen::Nested(t) => {
                let mut s = String::new();
                super::nested::random_json(t, rng, &mut s);
                out.push_bytes(s.as_bytes());
            }
            Gen::Parent {
                table,
                column,
                rows,
            } => {
                let x = rng.below((*rows).max(1));
                self.push_key(*table, *column, x, out);
            }
        }
    }

    /// Appends the key of row `x` of a parent table's unique column.
    fn push_key(&self, table: usize, column: usize, x: u64, out: &mut Column) {
        let c = &self.tables[table].columns[column];
        match &c.source {
            ValueSource::Indexed { generator, .. } => self.push_indexed(generator, c.salt, x, out),
            // A reference always targets a numbered column (see `keys`); anything else is a
            // planning bug, shown as a NULL the checks will count.
            _ => out.push_null(),
        }
    }

    fn push_indexed(&self, generator: &Indexed, salt: u64, x: u64, out: &mut Column) {
        match generator {
            Indexed::Pattern(u) => with_scratch(|s| {
                u.write(x, &mut RowRng::new(self.seed, salt, x), s);
                out.push_bytes(s.as_bytes());
            }),
            Indexed::Choice(values) => out.push_value(&values[(x as usize) % values.len().max(1)]),
            Indexed::Int(lo) => out.push_int(lo.saturating_add(x as i64)),
            Indexed::Float(lo) => out.push_float((lo + x as i64) as f64 / 10_000.0),
            Indexed::Decimal(lo) => out.push_decimal(lo + i128::from(x)),
            Indexed::Date(hi) => out.push_date(hi - x as i32),
            Indexed::Timestamp(hi) => out.push_timestamp((hi - x as i64) * MICROS_PER_SECOND),
            Indexed::Bool => out.push_bool(x == 1),
            Indexed::Text(prefix) => out.push_bytes(format!("{prefix}-{:08}", x + 1).as_bytes()),
            Indexed::Binary => out.push_bytes(&x.to_be_bytes()),
            Indexed::Parent { table, column } => {
                self.push_key(*table, *column, x, out);
            }
        }
    }

    /// The value of a row-determined column at `row`, as one cell.
    pub(crate) fn cell_at(&self, table: usize, column: usize, row: u64) -> Column {
        let c = &self.tables[table].columns[column];
        let mut out = Column::new(c.kind, 1);
        let mut rng = RowRng::new(self.seed, c.salt, row);
        self.push(table, column, row, &mut rng, &mut out);
        out
    }
}

/// Runs `f` with an empty reusable string (no allocation per generated value).
fn with_scratch<T>(f: impl FnOnce(&mut String) -> T) -> T {
    thread_local! {
        static SCRATCH: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut s) => {
            s.clear();
            f(&mut s)
        }
        Err(_) => f(&mut String::new()),
    })
}

/// What planning one table's columns reads: the table, its rules, the rows asked for, the
/// anchor of the plausible windows, and where a column references a parent's.
struct TableInput<'a> {
    name: &'a str,
    table: &'a Table,
    rules: &'a TableRules,
    rows: u64,
    anchor: Anchor,
    parent_of: &'a dyn Fn(&str) -> Option<(usize, usize)>,
}

impl TableInput<'_> {
    fn err(&self, f: &Field, m: String) -> DataError {
        DataError::column(self.name, &f.name, m)
    }

    /// The column's numbered values, and how many distinct ones its rules allow.
    fn indexed(&self, ci: usize, f: &Field) -> Result<(Indexed, u64), DataError> {
        indexed_gen(self.rules, ci, f, self.rows, self.anchor, self.parent_of)
            .map_err(|m| self.err(f, m))
    }
}

fn table_plan(
    name: &str,
    table: &Table,
    rules: TableRules,
    rows: u64,
    anchor: Anchor,
    parent_of: &dyn Fn(&str) -> Option<(usize, usize)>,
) -> Result<TablePlan, DataError> {
    let input = TableInput {
        name,
        table,
        rules: &rules,
        rows,
        anchor,
        parent_of,
    };
    let mut columns = random_columns(&input)?;
    number_unique_columns(&input, &mut columns)?;
    number_primary_key(&input, &mut columns)?;
    Ok(TablePlan {
        name: name.to_string(),
        rows,
        rules,
        columns,
    })
}

/// Every column drawn at random (or from its parent's rows), keeping its rules.
fn random_columns(input: &TableInput) -> Result<Vec<ColumnPlan>, DataError> {
    let (name, rules) = (input.name, input.rules);
    let mut columns = Vec::new();
    for (ci, f) in input.table.schema.fields.iter().enumerate() {
        let kind = Kind::of(&f.data_type);
        let (generator, filtered) = match (input.parent_of)(&f.name) {
            Some((table, column)) => (
                Gen::Parent {
                    table,
                    column,
                    rows: input.rows,
                },
                false,
            ),
            None => random_gen(rules, ci, f, input.anchor).map_err(|m| input.err(f, m))?,
        };
        let null_ok = f.nullable && rules.value_ok(ci, None);
        let default = f
            .default
            .as_ref()
            .and_then(|d| default_value(kind, d, input.anchor))
            .filter(|d| rules.value_ok(ci, Some(d)));
        columns.push(ColumnPlan {
            name: f.name.clone(),
            kind,
            salt: name_hash(name) ^ name_hash(&f.name).rotate_left(17),
            null_rate: if null_ok { NULL_RATE } else { 0.0 },
            default,
            filtered,
            source: ValueSource::Random(generator),
        });
    }
    Ok(columns)
}

/// Unique columns: one value per row, numbered.
fn number_unique_columns(input: &TableInput, columns: &mut [ColumnPlan]) -> Result<(), DataError> {
    let rows = input.rows;
    for (ci, f) in input.table.schema.fields.iter().enumerate() {
        if keys::is_unique_column(input.table, &f.name) {
            let (generator, cap) = input.indexed(ci, f)?;
            if cap < rows {
                return Err(input.err(
                    f,
                    format!(
                        "is unique but its rules allow only {cap} distinct values; --rows {rows} needs one per row"
                    ),
                ));
            }
            columns[ci].source = ValueSource::Indexed {
                div: 1,
                radix: cap,
                generator,
            };
            columns[ci].null_rate = 0.0;
            columns[ci].default = None;
        }
    }
    Ok(())
}

/// A primary key of several columns: digits of the row number, unique columns and
/// references first, so that every row's key is distinct.
fn number_primary_key(input: &TableInput, columns: &mut [ColumnPlan]) -> Result<(), DataError> {
    let (table, rows) = (input.table, input.rows);
    let fields = &table.schema.fields;
    let pk: Vec<usize> = table
        .primary_key
        .iter()
        .filter_map(|k| fields.iter().position(|f| f.name == *k))
        .collect();
    if pk.len() <= 1 {
        return Ok(());
    }
    let mut order = pk;
    order.sort_by_key(|&ci| {
        if columns[ci].is_row_determined() {
            0
        } else if (input.parent_of)(&fields[ci].name).is_some() {
            1
        } else {
            2
        }
    });
    let mut div: u64 = 1;
    for ci in order {
        let f = &fields[ci];
        columns[ci].null_rate = 0.0;
        columns[ci].default = None;
        if columns[ci].is_row_determined() {
            div = div.max(rows);
            continue;
        }
        if div >= rows {
            let ValueSource::Random(generator) = &columns[ci].source else {
                continue;
            };
            columns[ci].source = ValueSource::RowRandom(generator.clone());
            continue;
        }
        let (generator, cap) = input.indexed(ci, f)?;
        columns[ci].source = ValueSource::Indexed {
            div,
            radix: cap.max(1),
            generator,
        };
        div = div.saturating_mul(cap.max(1));
    }
    if div < rows {
        return Err(DataError::Table {
            table: input.name.to_string(),
            message: format!(
                "primary key ({}) has only {div} distinct values under its rules; --rows {rows} needs one per row",
                table.primary_key.join(", ")
            ),
        });
    }
    Ok(())
}

fn default_value(kind: Kind, d: &Scalar, anchor: Anchor) -> Option<Value> {
    match (kind, d) {
        (Kind::Date, Scalar::Text(t)) if t == "current_date" => Some(Value::Date(anchor.day)),
        (Kind::Timestamp, Scalar::Text(t)) if t == "current_timestamp" => Some(Value::Timestamp(
            i64::from(anchor.day) * values::MICROS_PER_DAY,
        )),
        (Kind::Bool, Scalar::Bool(b)) => Some(Value::Bool(*b)),
        (Kind::Int { .. }, _) => d
            .as_f64()
            .filter(|x| x.fract() == 0.0)
            .map(|x| Value::Int(x as i64)),
        (Kind::Float { .. }, _) => d.as_f64().map(Value::Float),
        _ => Value::parse(kind, &d.to_string()),
    }
}

/// The tightest bounds of the column's range rules and its allowed values (intersected).
struct Limits {
    min: Option<Value>,
    max: Option<Value>,
    set: Option<Vec<Value>>,
    patterns: Vec<String>,
}

fn limits(rules: &TableRules, col: usize) -> Limits {
    let mut l = Limits {
        min: None,
        max: None,
        set: None,
        patterns: Vec::new(),
    };
    for r in rules.value_rules(col) {
        match &r.check {
            Check::Range { min, max } => {
                if let Some(m) = min
                    && l.min
                        .as_ref()
                        .is_none_or(|cur| compare(m, cur) == Some(Ordering::Greater))
                {
                    l.min = Some(m.clone());
                }
                if let Some(m) = max
                    && l.max
                        .as_ref()
                        .is_none_or(|cur| compare(m, cur) == Some(Ordering::Less))
                {
                    l.max = Some(m.clone());
                }
            }
            Check::InSet(values) => {
                l.set = Some(match l.set.take() {
                    None => values.clone(),
                    Some(cur) => cur.into_iter().filter(|v| values.contains(v)).collect(),
                });
            }
            Check::Pattern { pattern, .. } => l.patterns.push(pattern.clone()),
            _ => {}
        }
    }
    l
}

fn as_int(v: &Option<Value>) -> Option<i64> {
    match v {
        Some(Value::Int(i)) => Some(*i),
        _ => None,
    }
}

/// Integer bounds: the rules' bounds within `type_lo..=type_hi`, or a plausible window of
/// `span` when a side is open.
fn window(
    lo: Option<i128>,
    hi: Option<i128>,
    type_lo: i128,
    type_hi: i128,
    span: i128,
    default_lo: i128,
) -> (i128, i128) {
    let (lo, hi) = match (lo, hi) {
        (Some(lo), Some(hi)) => (lo, hi),
        (Some(lo), None) => (lo, lo.saturating_add(span)),
        (None, Some(hi)) => (hi.saturating_sub(span).max(default_lo.min(hi)), hi),
        (None, None) => (default_lo, default_lo.saturating_add(span)),
    };
    (lo.max(type_lo), hi.min(type_hi))
}

fn random_gen(
    rules: &TableRules,
    col: usize,
    f: &Field,
    anchor: Anchor,
) -> Result<(Gen, bool), String> {
    let kind = Kind::of(&f.data_type);
    let l = limits(rules, col);
    if let Some(set) = l.set {
        let ok: Vec<Value> = set
            .into_iter()
            .filter(|v| rules.value_ok(col, Some(v)))
            .collect();
        if ok.is_empty() {
            return Err("no allowed value keeps every rule of the column".into());
        }
        return Ok((Gen::Choice(ok), false));
    }
    let ranged = l.min.is_some() || l.max.is_some();
    let patterned = !l.patterns.is_empty();
    Ok(match kind {
        Kind::Text => match l.patterns.first() {
            Some(p) => (
                Gen::Pattern(PatternGen::new(p)?),
                l.patterns.len() > 1 || ranged,
            ),
            None => (Gen::Words(Style::for_column(&f.name)), ranged),
        },
        Kind::Int { bits } => (int_gen(&l, bits)?, patterned),
        Kind::Float { .. } => (float_gen(&l)?, patterned),
        Kind::Decimal { precision, scale } => (decimal_gen(&l, precision, scale)?, patterned),
        Kind::Date => (date_gen(&l, &f.name, anchor)?, patterned),
        Kind::Timestamp => (timestamp_gen(&l, &f.name, anchor)?, patterned),
        Kind::Bool => (Gen::Bool, patterned),
        Kind::Binary => (Gen::Binary, false),
        Kind::Nested => (Gen::Nested(f.data_type.clone()), false),
    })
}

/// Integers within the range rules and the type's bounds.
fn int_gen(l: &Limits, bits: u8) -> Result<Gen, String> {
    let (tlo, thi) = values::int_bounds(bits);
    let (lo, hi) = window(
        as_int(&l.min).map(i128::from),
        as_int(&l.max).map(i128::from),
        i128::from(tlo),
        i128::from(thi),
        1000,
        0,
    );
    if lo > hi {
        return Err("the range rules leave no value".into());
    }
    Ok(Gen::Int(lo as i64, hi as i64))
}

/// Floats, in ten-thousandths, within the range rules.
fn float_gen(l: &Limits) -> Result<Gen, String> {
    let f64_of = |v: &Option<Value>| match v {
        Some(Value::Float(x)) => Some(*x),
        _ => None,
    };
    let lo = f64_of(&l.min).map(|x| (x * 10_000.0).ceil() as i128);
    let hi = f64_of(&l.max).map(|x| (x * 10_000.0).floor() as i128);
    let (lo, hi) = window(lo, hi, -(1i128 << 60), 1i128 << 60, 10_000_000, 0);
    if lo > hi {
        return Err("the range rules leave no value".into());
    }
    Ok(Gen::Float(lo as i64, hi as i64))
}

/// Unscaled decimals within the range rules and what the precision holds.
fn decimal_gen(l: &Limits, precision: u8, scale: u8) -> Result<Gen, String> {
    let limit = values::decimal_limit(precision);
    let unit = 10i128.pow(u32::from(scale));
    let dec = |v: &Option<Value>| match v {
        Some(Value::Decimal(d)) => Some(*d),
        _ => None,
    };
    let (lo, hi) = window(dec(&l.min), dec(&l.max), -limit, limit, 10_000 * unit, 0);
    if lo > hi {
        return Err("the range rules leave no value".into());
    }
    Ok(Gen::Decimal(lo, hi))
}

/// Days within the column's plausible window and the range rules.
fn date_gen(l: &Limits, column: &str, anchor: Anchor) -> Result<Gen, String> {
    let (wlo, whi) = date_window(column, anchor);
    let day = |v: &Option<Value>| match v {
        Some(Value::Date(d)) => Some(*d),
        _ => None,
    };
    let (lo, hi) = clip(
        day(&l.min).map(i64::from),
        day(&l.max).map(i64::from),
        i64::from(wlo),
        i64::from(whi),
        36_500,
    );
    if lo > hi {
        return Err("the range rules leave no value".into());
    }
    Ok(Gen::Date(lo as i32, hi as i32))
}

/// Whole seconds within the column's plausible window and the range rules (a bound with a
/// fraction of a second rounded inwards).
fn timestamp_gen(l: &Limits, column: &str, anchor: Anchor) -> Result<Gen, String> {
    let (wlo, whi) = timestamp_window(column, anchor);
    let sec = |v: &Option<Value>, up: bool| match v {
        Some(Value::Timestamp(t)) => Some(if up {
            t.div_euclid(MICROS_PER_SECOND) + i64::from(t.rem_euclid(MICROS_PER_SECOND) != 0)
        } else {
            t.div_euclid(MICROS_PER_SECOND)
        }),
        _ => None,
    };
    let (lo, hi) = clip(
        sec(&l.min, true),
        sec(&l.max, false),
        wlo,
        whi,
        36_500 * DAY,
    );
    if lo > hi {
        return Err("the range rules leave no value".into());
    }
    Ok(Gen::Timestamp(lo, hi))
}

/// The plausible window intersected with the rule bounds; when they do not meet, the rule
/// bounds (an open side extended by `span`).
fn clip(min: Option<i64>, max: Option<i64>, wlo: i64, whi: i64, span: i64) -> (i64, i64) {
    let lo = min.map_or(wlo, |m| m.max(wlo));
    let hi = max.map_or(whi, |m| m.min(whi));
    if lo <= hi {
        return (lo, hi);
    }
    match (min, max) {
        (Some(a), Some(b)) => (a, b),
        (Some(a), None) => (a, a.saturating_add(span)),
        (None, Some(b)) => (b.saturating_sub(span), b),
        (None, None) => (wlo, whi),
    }
}

fn date_window(name: &str, anchor: Anchor) -> (i32, i32) {
    let n = name.to_ascii_lowercase();
    if n.contains("birth") || n == "dob" {
        (anchor.day - 90 * 365, anchor.day - 18 * 365)
    } else {
        (anchor.day - 5 * 365, anchor.day)
    }
}

fn timestamp_window(name: &str, anchor: Anchor) -> (i64, i64) {
    let end = i64::from(anchor.day) * DAY;
    let n = name.to_ascii_lowercase();
    if n.contains("updated") || n.contains("modified") {
        (end - 30 * DAY, end - 1)
    } else {
        // Strictly before the `updated_at` window, so created_at < updated_at.
        (end - 5 * 365 * DAY, end - 31 * DAY)
    }
}

/// A numbered generator for a unique column, with how many distinct values it has.
fn indexed_gen(
    rules: &TableRules,
    col: usize,
    f: &Field,
    rows: u64,
    anchor: Anchor,
    parent_of: &dyn Fn(&str) -> Option<(usize, usize)>,
) -> Result<(Indexed, u64), String> {
    if let Some((table, column)) = parent_of(&f.name) {
        return Ok((Indexed::Parent { table, column }, rows));
    }
    let kind = Kind::of(&f.data_type);
    let l = limits(rules, col);
    let clamp = |n: i128| n.clamp(0, i128::from(u64::MAX)) as u64;
    if let Some(set) = l.set {
        let ok: Vec<Value> = set
            .into_iter()
            .filter(|v| rules.value_ok(col, Some(v)))
            .collect();
        let n = ok.len() as u64;
        return Ok((Indexed::Choice(ok), n));
    }
    Ok(match kind {
        Kind::Text => match l.patterns.first() {
            Some(p) => {
                let g = PatternGen::new(p)?;
                let cap = g.capacity().min(u128::from(u64::MAX)) as u64;
                let salt = name_hash(&rules.table) ^ name_hash(&f.name);
                (Indexed::Pattern(g.unique_values(rows.min(cap), salt)?), cap)
            }
            None => (Indexed::Text(f.name.replace('_', "-")), u64::MAX),
        },
        Kind::Int { bits } => {
            let (tlo, thi) = values::int_bounds(bits);
            let lo = as_int(&l.min).unwrap_or(1.max(tlo).min(as_int(&l.max).unwrap_or(thi)));
            let hi = as_int(&l.max).unwrap_or(thi);
            (Indexed::Int(lo), clamp(i128::from(hi) - i128::from(lo) + 1))
        }
        Kind::Float { .. } => {
            let lo = match l.min {
                Some(Value::Float(x)) => (x * 10_000.0).ceil() as i64,
                _ => 0,
            };
            let hi = match l.max {
                Some(Value::Float(x)) => (x * 10_000.0).floor() as i64,
                _ => i64::MAX / 2,
            };
            (
                Indexed::Float(lo),
                clamp(i128::from(hi) - i128::from(lo) + 1),
            )
        }
        Kind::Decimal { precision, .. } => {
            let limit = values::decimal_limit(precision);
            let lo = match l.min {
                Some(Value::Decimal(d)) => d,
                _ => 0,
            };
            let hi = match l.max {
                Some(Value::Decimal(d)) => d,
                _ => limit,
            };
            (Indexed::Decimal(lo), clamp(hi - lo + 1))
        }
        Kind::Date => {
            let hi = match l.max {
                Some(Value::Date(d)) => d.min(anchor.day),
                _ => anchor.day,
            };
            let lo = match l.min {
                Some(Value::Date(d)) => d,
                _ => hi - 100 * 365,
            };
            (
                Indexed::Date(hi),
                clamp(i128::from(hi) - i128::from(lo) + 1),
            )
        }
        Kind::Timestamp => {
            let end = i64::from(anchor.day) * DAY;
            let hi = match l.max {
                Some(Value::Timestamp(t)) => t.div_euclid(MICROS_PER_SECOND).min(end),
                _ => end,
            };
            let lo = match l.min {
                Some(Value::Timestamp(t)) => t.div_euclid(MICROS_PER_SECOND) + 1,
                _ => hi - 100 * 365 * DAY,
            };
            (
                Indexed::Timestamp(hi),
                clamp(i128::from(hi) - i128::from(lo) + 1),
            )
        }
        Kind::Bool => (Indexed::Bool, 2),
        Kind::Binary => (Indexed::Binary, u64::MAX),
        Kind::Nested => {
            return Err(format!("dpc cannot generate unique {} values", f.data_type));
        }
    })
}
