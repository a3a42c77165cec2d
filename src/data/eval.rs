//! Runs a table's rules over batches as they stream in. Row-level rules keep counters only;
//! uniqueness keeps one 64-bit hash and the first row per distinct key (the only state
//! that grows with the data). A bitmap of failing rows gives the share of rows that pass
//! every rule (the quality score).
//!
//! Every rule skips rows of the wrong record shape (they fail `row_shape`), and value rules
//! skip NULL and invalid cells (NULL fails NOT NULL rules, invalid text fails `<col>_type`),
//! so one bad cell is counted by one rule, as in the generated SQL (`col IS NULL OR ...`).

use super::batch::{Batch, Column, Data, INVALID, NULL, VALUE};
use super::compile::{Check, Rule, TableRules};
use super::rng::mix;
use super::values::{Kind, Value};
use crate::spec::governance::MaskMethod;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Failing samples kept per rule.
pub(crate) const SAMPLES: usize = 5;

#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct Sample {
    /// Data row number, 1-based (the header is not counted).
    pub row: u64,
    /// The failing value, masked when the column is PII.
    pub value: String,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct RuleStats {
    pub checked: u64,
    pub failed: u64,
    pub samples: Vec<Sample>,
}

/// The result of one table.
#[derive(Debug, Clone)]
pub(crate) struct Outcome {
    pub rows: u64,
    pub failed_rows: u64,
    pub stats: Vec<RuleStats>,
}

/// The hash is the key: no second hashing.
#[derive(Default)]
struct Identity(u64);

impl Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = hash_bytes(self.0, bytes);
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

/// Top bit of a stored first row: that row is already counted as a duplicate.
const COUNTED: u64 = 1 << 63;

struct UniqueState {
    columns: Vec<usize>,
    seen: HashMap<u64, u64, BuildHasherDefault<Identity>>,
    /// Rules sharing this state (same column set).
    rules: Vec<usize>,
}

pub(crate) fn hash_bytes(seed: u64, bytes: &[u8]) -> u64 {
    let mut h = seed ^ 0x51_7cc1_b727_220a;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = mix(h ^ u64::from_le_bytes(w));
    }
    let rest = chunks.remainder();
    let mut w = [0u8; 8];
    w[..rest.len()].copy_from_slice(rest);
    mix(h ^ u64::from_le_bytes(w) ^ ((bytes.len() as u64) << 56))
}

fn cell_hash(col: &Column, row: usize, seed: u64) -> u64 {
    match &col.data {
        Data::Bool(d) => mix(seed ^ u64::from(d[row])),
        Data::Int(d) => mix(seed ^ d[row] as u64),
        Data::Float(d) => {
            // -0.0 equals 0.0 in SQL.
            let v = if d[row] == 0.0 { 0.0 } else { d[row] };
            mix(seed ^ v.to_bits())
        }
        Data::Decimal(d) => hash_bytes(seed, &d[row].to_le_bytes()),
        Data::Date(d) => mix(seed ^ d[row] as u64),
        Data::Timestamp(d) => mix(seed ^ d[row] as u64),
        Data::Bytes(b) => hash_bytes(seed, b.get(row)),
    }
}

/// Masks a PII value the way the governance mask shows it to readers without clearance.
pub(crate) fn mask(method: MaskMethod, value: &str) -> String {
    if value == "NULL" {
        return value.to_string();
    }
    let chars: Vec<char> = value.chars().collect();
    match method {
        MaskMethod::PartialEmail => {
            let head: String = chars.iter().take(3.min(chars.len() / 3)).collect();
            format!("{head}***@***")
        }
        MaskMethod::Last4 => {
            let tail: String = chars[chars.len().saturating_sub(4).max(chars.len() / 2)..]
                .iter()
                .collect();
            format!("****{tail}")
        }
        MaskMethod::Truncate => {
            let head: String = chars.iter().take(3.min(chars.len() / 3)).collect();
            format!("{head}***")
        }
        MaskMethod::Redact | MaskMethod::Nullify => "****".to_string(),
    }
}

pub(crate) struct Evaluator<'a> {
    rules: &'a TableRules,
    stats: Vec<RuleStats>,
    unique: Vec<UniqueState>,
    failed: Vec<u64>,
    rows: u64,
}

impl<'a> Evaluator<'a> {
    pub(crate) fn new(rules: &'a TableRules) -> Evaluator<'a> {
        let unique = unique_groups(rules)
            .into_iter()
            .map(|(columns, rules)| UniqueState {
                columns,
                seen: HashMap::default(),
                rules,
            })
            .collect();
        Evaluator {
            rules,
            stats: vec![RuleStats::default(); rules.rules.len()],
            unique,
            failed: Vec::new(),
            rows: 0,
        }
    }

    fn sample(&self, columns: &[usize], batch: &Batch, row: usize) -> Sample {
        let value = columns
            .iter()
            .map(|&c| {
                let shown = batch.columns[c]
                    .as_ref()
                    .map_or_else(String::new, |col| col.display(row));
                match self.rules.columns[c].mask {
                    Some(m) => mask(m, &shown),
                    None => shown,
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        Sample {
            row: batch.first_row + row as u64 + 1,
            value,
        }
    }

    fn mark(&mut self, global_row: u64) {
        let word = (global_row / 64) as usize;
        if word >= self.failed.len() {
            self.failed.resize(word + 1, 0);
        }
        self.failed[word] |= 1 << (global_row % 64);
    }

    /// Sizes the uniqueness state for about `rows` rows (saves rehashing as it grows).
    pub(crate) fn reserve(&mut self, rows: u64) {
        let rows = usize::try_from(rows).unwrap_or(usize::MAX).min(1 << 30);
        for u in &mut self.unique {
            u.seen.reserve(rows.saturating_sub(u.seen.len()));
        }
    }

    /// Counts a batch whose row-level failures `fails` (from [`row_failures`]) are known,
    /// and runs the uniqueness rules.
    pub(crate) fn add_checked(&mut self, batch: &Batch, fails: &RowFailures) {
        let n = batch.rows;
        self.rows += n as u64;
        let mut shape_ok = vec![true; n];
        for &r in &batch.malformed {
            if let Some(s) = shape_ok.get_mut(r) {
                *s = false;
            }
        }
        let mut row_failed = vec![false; n];
        for (ri, rule) in self.rules.rules.iter().enumerate() {
            let Some((checked, list)) = fails.rules.get(ri).and_then(Option::as_ref) else {
                continue;
            };
            self.stats[ri].checked += checked;
            self.count(ri, rule, list, batch, &mut row_failed);
        }
        self.add_unique(batch, &shape_ok, &fails.keys, &mut row_failed);
        for (r, f) in row_failed.iter().enumerate() {
            if *f {
                self.mark(batch.first_row + r as u64);
            }
        }
    }

    fn count(
        &mut self,
        ri: usize,
        rule: &Rule,
        fails: &[usize],
        batch: &Batch,
        row_failed: &mut [bool],
    ) {
        self.stats[ri].failed += fails.len() as u64;
        for &r in fails {
            row_failed[r] = true;
            if self.stats[ri].samples.len() < SAMPLES {
                let s = self.sample(&rule.columns, batch, r);
                self.stats[ri].samples.push(s);
            }
        }
    }

    fn add_unique(
        &mut self,
        batch: &Batch,
        shape_ok: &[bool],
        keys: &[Option<Vec<u64>>],
        row_failed: &mut [bool],
    ) {
        use std::collections::hash_map::Entry;
        let mut states = std::mem::take(&mut self.unique);
        for (state, keys) in states.iter_mut().zip(keys) {
            let Some(keys) = keys else { continue };
            let well_formed = shape_ok.iter().filter(|s| **s).count() as u64;
            let mut new_fails: Vec<usize> = Vec::new();
            let mut earlier: Vec<u64> = Vec::new();
            for (r, &h) in keys.iter().enumerate() {
                if h == NO_KEY {
                    continue;
                }
                let global = batch.first_row + r as u64;
                match state.seen.entry(h) {
                    Entry::Vacant(v) => {
                        v.insert(global);
                    }
                    Entry::Occupied(mut o) => {
                        new_fails.push(r);
                        let first = o.get_mut();
                        if *first & COUNTED == 0 {
                            earlier.push(*first);
                            *first |= COUNTED;
                        }
                    }
                }
            }
            for &ri in &state.rules {
                self.stats[ri].checked += well_formed;
                self.stats[ri].failed += (new_fails.len() + earlier.len()) as u64;
            }
            for &r in &new_fails {
                row_failed[r] = true;
            }
            for &g in &earlier {
                if g >= batch.first_row {
                    row_failed[(g - batch.first_row) as usize] = true;
                } else {
                    self.mark(g);
                }
            }
            for &ri in &state.rules {
                for &r in &new_fails {
                    if self.stats[ri].samples.len() >= SAMPLES {
                        break;
                    }
                    let s = self.sample(&state.columns, batch, r);
                    self.stats[ri].samples.push(s);
                }
            }
        }
        self.unique = states;
    }

    pub(crate) fn finish(self) -> Outcome {
        Outcome {
            rows: self.rows,
            failed_rows: self.failed.iter().map(|w| u64::from(w.count_ones())).sum(),
            stats: self.stats,
        }
    }
}

fn pattern_matches(re: &regex::bytes::Regex, col: &Column, kind: Kind) -> Vec<bool> {
    (0..col.len())
        .map(|r| {
            col.cells[r] != VALUE
                || match &col.data {
                    Data::Bytes(b) if kind == Kind::Text => re.is_match(b.get(r)),
                    _ => col
                        .value(r)
                        .is_none_or(|v| re.is_match(v.to_text(kind).as_bytes())),
                }
        })
        .collect()
}

/// What [`row_failures`] finds in a batch.
#[derive(Debug, Default)]
pub(crate) struct RowFailures {
    /// Per rule: rows checked and failing rows (`None` for uniqueness and for rules on a
    /// column the file lacks).
    pub rules: Vec<Option<(u64, Vec<usize>)>>,
    /// Per group of [`unique_groups`]: the key hash of each row ([`NO_KEY`] for rows with a
    /// NULL, invalid or malformed key), `None` when a key column is missing.
    pub keys: Vec<Option<Vec<u64>>>,
}

/// A row without a complete key (no hash takes this value: see [`key_hash`]).
pub(crate) const NO_KEY: u64 = u64::MAX;

/// The uniqueness rules grouped by column set: (columns, rule indexes). Rules over the same
/// columns (a one-column primary key and a unique expectation) share one state.
pub(crate) fn unique_groups(rules: &TableRules) -> Vec<(Vec<usize>, Vec<usize>)> {
    let mut groups: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    for (ri, r) in rules.rules.iter().enumerate() {
        if matches!(r.check, Check::Unique) {
            match groups.iter_mut().find(|(c, _)| *c == r.columns) {
                Some((_, list)) => list.push(ri),
                None => groups.push((r.columns.clone(), vec![ri])),
            }
        }
    }
    groups
}

fn key_hash(cols: &[&Column], r: usize) -> u64 {
    let h = cols
        .iter()
        .fold(0x9e37_79b9u64, |acc, c| cell_hash(c, r, acc));
    if h == NO_KEY { h - 1 } else { h }
}

/// Runs the row-level rules of a table on a batch. Pure, so it can run on any thread.
pub(crate) fn row_failures(rules: &TableRules, batch: &Batch) -> RowFailures {
    let n = batch.rows;
    let mut shape_ok = vec![true; n];
    for &r in &batch.malformed {
        if let Some(s) = shape_ok.get_mut(r) {
            *s = false;
        }
    }
    let well_formed = (n - batch.malformed.len().min(n)) as u64;
    let mut pattern_memo: HashMap<(usize, &str), Vec<bool>> = HashMap::new();
    let keys = unique_groups(rules)
        .into_iter()
        .map(|(columns, _)| {
            let cols: Option<Vec<&Column>> = columns
                .iter()
                .map(|&c| batch.columns.get(c).and_then(Option::as_ref))
                .collect();
            cols.map(|cols| {
                (0..n)
                    .map(|r| {
                        if shape_ok[r] && cols.iter().all(|c| c.cells[r] == VALUE) {
                            key_hash(&cols, r)
                        } else {
                            NO_KEY
                        }
                    })
                    .collect()
            })
        })
        .collect();
    let mut out = Vec::with_capacity(rules.rules.len());
    for rule in &rules.rules {
        let mut fails = Vec::new();
        match &rule.check {
            Check::RowShape => {
                fails.extend(batch.malformed.iter().copied());
                out.push(Some((n as u64, fails)));
                continue;
            }
            Check::Unique => {
                out.push(None);
                continue;
            }
            check => {
                let c = rule.columns[0];
                let Some(Some(col)) = batch.columns.get(c) else {
                    out.push(None);
                    continue;
                };
                let kind = rules.columns[c].kind;
                // Malformed rows hold NULLs: only NOT NULL has to skip them.
                match check {
                    Check::Type => scan_cells(&col.cells, INVALID, &mut fails),
                    Check::NotNull => {
                        scan_cells(&col.cells, NULL, &mut fails);
                        fails.retain(|&r| shape_ok[r]);
                    }
                    Check::Pattern { pattern, re } => {
                        let memo = pattern_memo
                            .entry((c, pattern.as_str()))
                            .or_insert_with(|| pattern_matches(re, col, kind));
                        fails.extend(
                            memo.iter()
                                .enumerate()
                                .filter(|(_, ok)| !**ok)
                                .map(|(r, _)| r),
                        );
                    }
                    Check::InSet(set) => set_failures(col, set, &mut fails),
                    Check::Range { min, max } => {
                        range_failures(col, min.as_ref(), max.as_ref(), &mut fails)
                    }
                    _ => {}
                }
            }
        }
        out.push(Some((well_formed, fails)));
    }
    RowFailures { rules: out, keys }
}

fn scan_cells(cells: &[u8], state: u8, out: &mut Vec<usize>) {
    out.extend(
        cells
            .iter()
            .enumerate()
            .filter(|(_, c)| **c == state)
            .map(|(r, _)| r),
    );
}

/// Rows whose value is not in `set`.
fn set_failures(col: &Column, set: &[Value], out: &mut Vec<usize>) {
    macro_rules! scan {
        ($d:expr, $variant:ident) => {{
            let allowed: Vec<_> = set
                .iter()
                .filter_map(|v| match v {
                    Value::$variant(x) => Some(x.clone()),
                    _ => None,
                })
                .collect();
            for (r, v) in $d.iter().enumerate() {
                if col.cells[r] == VALUE && !allowed.contains(v) {
                    out.push(r);
                }
            }
        }};
    }
    match &col.data {
        Data::Bytes(b) => {
            let allowed: Vec<&[u8]> = set
                .iter()
                .filter_map(|v| match v {
                    Value::Text(t) => Some(t.as_bytes()),
                    _ => None,
                })
                .collect();
            for r in 0..col.len() {
                if col.cells[r] == VALUE && !allowed.contains(&b.get(r)) {
                    out.push(r);
                }
            }
        }
        Data::Int(d) => scan!(d, Int),
        Data::Float(d) => scan!(d, Float),
        Data::Decimal(d) => scan!(d, Decimal),
        Data::Date(d) => scan!(d, Date),
        Data::Timestamp(d) => scan!(d, Timestamp),
        Data::Bool(d) => scan!(d, Bool),
    }
}

/// Rows whose value is below `min` or above `max`.
fn range_failures(col: &Column, min: Option<&Value>, max: Option<&Value>, out: &mut Vec<usize>) {
    macro_rules! scan {
        ($d:expr, $variant:ident) => {{
            let lo = match min {
                Some(Value::$variant(m)) => Some(m.clone()),
                _ => None,
            };
            let hi = match max {
                Some(Value::$variant(m)) => Some(m.clone()),
                _ => None,
            };
            for (r, v) in $d.iter().enumerate() {
                if col.cells[r] == VALUE
                    && (lo.as_ref().is_some_and(|m| v < m) || hi.as_ref().is_some_and(|m| v > m))
                {
                    out.push(r);
                }
            }
        }};
    }
    match &col.data {
        Data::Int(d) => scan!(d, Int),
        Data::Float(d) => scan!(d, Float),
        Data::Decimal(d) => scan!(d, Decimal),
        Data::Date(d) => scan!(d, Date),
        Data::Timestamp(d) => scan!(d, Timestamp),
        Data::Bool(d) => scan!(d, Bool),
        Data::Bytes(b) => {
            let lo = match min {
                Some(Value::Text(m)) => Some(m.as_bytes()),
                _ => None,
            };
            let hi = match max {
                Some(Value::Text(m)) => Some(m.as_bytes()),
                _ => None,
            };
            for r in 0..col.len() {
                let v = b.get(r);
                if col.cells[r] == VALUE && (lo.is_some_and(|m| v < m) || hi.is_some_and(|m| v > m))
                {
                    out.push(r);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_hide_pii() {
        assert_eq!(
            mask(MaskMethod::PartialEmail, "alice@example.com"),
            "ali***@***"
        );
        assert_eq!(mask(MaskMethod::Last4, "4111111111111111"), "****1111");
        assert_eq!(mask(MaskMethod::Redact, "Alice"), "****");
        assert_eq!(mask(MaskMethod::Last4, "12"), "****2");
    }

    #[test]
    fn hashes_differ_for_close_keys() {
        let a = hash_bytes(1, b"CUST-0000000001");
        let b = hash_bytes(1, b"CUST-0000000002");
        assert_ne!(a, b);
        assert_ne!(hash_bytes(1, b"ab"), hash_bytes(1, b"ab\0"));
    }
}
