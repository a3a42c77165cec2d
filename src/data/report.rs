//! The result of `dpc test`: per table and rule, rows checked and failed, pass rate,
//! severity and failing samples (PII masked); the quality score against the SLA. The JSON
//! form is stable: CI scripts may rely on its field names.

use super::Format;
use super::compile::{Source, TableRules};
use super::eval::{Outcome, Sample};
use super::read::Layout;
use crate::spec::Sla;
use crate::spec::sla::QUALITY_SCORE_DEFINITION;
use crate::spec::values::Severity;
use serde::Serialize;
use std::fmt::Write;

#[derive(Debug, Serialize)]
pub(crate) struct RuleReport {
    /// `<product>/<table>/<rule>@<contract version>` (`crate::spec::rule_id`), the rule's name
    /// in every engine and generated file.
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub source: Source,
    pub columns: Vec<String>,
    pub severity: Severity,
    pub requirement: String,
    /// False when a column the rule reads is missing from the file.
    pub evaluated: bool,
    pub rows_checked: u64,
    pub rows_failed: u64,
    /// Percentage of checked rows that pass; `null` when no row was checked.
    pub pass_rate: Option<f64>,
    pub samples: Vec<Sample>,
}

#[derive(Debug, Serialize)]
pub(crate) struct StoredType {
    pub column: String,
    pub stored: String,
}

/// What a table was read from: a data file, or a catalog table (`dpc test --spark --catalog`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stored {
    File(Format),
    Table,
}

impl Stored {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Stored::File(f) => f.extension(),
            Stored::Table => "table",
        }
    }
}

impl std::fmt::Display for Stored {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

// A plain string, so the local report's `"format": "csv"` keeps its shape.
impl Serialize for Stored {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct TableReport {
    pub table: String,
    /// The data file, or the catalog table (`catalog.schema.table`) on Spark.
    pub file: String,
    pub format: Stored,
    pub rows: u64,
    /// Rows that pass every rule.
    pub rows_passing: u64,
    pub empty_file: bool,
    pub missing_columns: Vec<String>,
    pub extra_columns: Vec<String>,
    pub stored_types: Vec<StoredType>,
    pub rules: Vec<RuleReport>,
}

#[derive(Debug, Serialize)]
pub(crate) struct Quality {
    /// The SLA quality metric compared (`accuracy`: records passing validation rules).
    pub metric: String,
    /// Percentage of rows, over all tested tables, that pass every rule ([`QUALITY_SCORE_DEFINITION`]).
    pub score: Option<f64>,
    /// How the score is computed, in words ([`QUALITY_SCORE_DEFINITION`]).
    pub definition: &'static str,
    pub target: Option<f64>,
    pub breach_threshold: Option<f64>,
    /// `met`, `below_target`, `breached`, or `no_rows`.
    pub status: &'static str,
}

#[derive(Debug, Serialize)]
pub(crate) struct Report {
    pub product: String,
    pub data: String,
    /// `spark local` or `spark sc://host:port` when `dpc test --spark` ran the rules; absent
    /// for the local run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
    pub tables: Vec<TableReport>,
    /// Contract tables with no data file under the data path.
    pub not_tested: Vec<String>,
    /// Data files whose name is not a table of the contract.
    pub ignored_files: Vec<String>,
    pub quality: Quality,
    /// Why the data fails: critical rules that failed, missing columns, empty files.
    pub failures: Vec<String>,
    pub passed: bool,
}

fn percent(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| 100.0 * part as f64 / whole as f64)
}

pub(crate) fn table_report(
    rules: &TableRules,
    outcome: Outcome,
    layout: Layout,
    file: String,
    format: Format,
) -> TableReport {
    let missing = |c: &usize| layout.missing.contains(&rules.columns[*c].name);
    let reports = rules
        .rules
        .iter()
        .zip(outcome.stats)
        .map(|(r, s)| {
            let evaluated = !layout.empty && !r.columns.iter().any(missing);
            RuleReport {
                id: rules.rule_id(r),
                name: r.name.clone(),
                kind: r.kind_name(),
                source: r.source,
                columns: r
                    .columns
                    .iter()
                    .map(|&c| rules.columns[c].name.clone())
                    .collect(),
                severity: r.severity,
                requirement: r.detail.clone(),
                evaluated,
                rows_checked: if evaluated { s.checked } else { 0 },
                rows_failed: if evaluated { s.failed } else { 0 },
                pass_rate: if evaluated {
                    percent(s.checked - s.failed.min(s.checked), s.checked)
                } else {
                    None
                },
                samples: if evaluated { s.samples } else { Vec::new() },
            }
        })
        .collect();
    TableReport {
        table: rules.table.clone(),
        file,
        format: Stored::File(format),
        rows: outcome.rows,
        rows_passing: outcome.rows - outcome.failed_rows.min(outcome.rows),
        empty_file: layout.empty,
        missing_columns: if layout.empty {
            Vec::new()
        } else {
            layout.missing
        },
        extra_columns: layout.extra,
        stored_types: layout
            .stored_types
            .into_iter()
            .map(|(column, stored)| StoredType { column, stored })
            .collect(),
        rules: reports,
    }
}

impl Report {
    pub(crate) fn new(
        product: &str,
        data: String,
        sla: &Sla,
        tables: Vec<TableReport>,
        not_tested: Vec<String>,
        ignored_files: Vec<String>,
    ) -> Report {
        let rows: u64 = tables.iter().map(|t| t.rows).sum();
        let passing: u64 = tables.iter().map(|t| t.rows_passing).sum();
        let metric = sla
            .quality
            .metrics
            .iter()
            .find(|m| m.name == "accuracy")
            .or_else(|| sla.quality.metrics.first());
        let score = percent(passing, rows);
        let target = metric.map(|m| m.target.0);
        let breach = metric.map(|m| m.breach_threshold.0);
        let status = match score {
            None => "no_rows",
            Some(s) if breach.is_some_and(|b| s < b) => "breached",
            Some(s) if target.is_some_and(|t| s < t) => "below_target",
            Some(_) => "met",
        };
        let mut failures = Vec::new();
        for t in &tables {
            if t.empty_file {
                failures.push(format!(
                    "{}: {} is empty (no header, no rows)",
                    t.table, t.file
                ));
                continue;
            }
            // A header without rows proves nothing about the data: no rule ran.
            if t.rows == 0 {
                failures.push(format!(
                    "{}: {} has a header but no rows; nothing could be checked",
                    t.table, t.file
                ));
            }
            for c in &t.missing_columns {
                failures.push(format!(
                    "{}: column {c} is missing from {}",
                    t.table, t.file
                ));
            }
            for r in &t.rules {
                if r.severity == Severity::Critical && r.rows_failed > 0 {
                    failures.push(format!(
                        "{}: {} of {} rows fail (critical)",
                        r.id, r.rows_failed, r.rows_checked
                    ));
                }
            }
        }
        if status == "breached" {
            failures.push(format!(
                "quality score {:.2}% is below the SLA breach threshold {}%",
                score.unwrap_or(0.0),
                breach.unwrap_or(0.0)
            ));
        }
        Report {
            product: product.to_string(),
            data,
            engine: None,
            passed: failures.is_empty(),
            tables,
            not_tested,
            ignored_files,
            quality: Quality {
                metric: metric.map_or_else(|| "accuracy".to_string(), |m| m.name.clone()),
                score,
                definition: QUALITY_SCORE_DEFINITION,
                target,
                breach_threshold: breach,
                status,
            },
            failures,
        }
    }

    pub(crate) fn json(&self) -> String {
        serde_json::to_string_pretty(self)
            .unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()))
            + "\n"
    }

    pub(crate) fn text(&self) -> String {
        let mut s = String::new();
        let _ = write!(s, "dpc test: {} against {}", self.product, self.data);
        let _ = match &self.engine {
            Some(engine) => writeln!(s, " on {engine}"),
            None => writeln!(s),
        };
        for t in &self.tables {
            write_table(&mut s, t);
        }
        if !self.not_tested.is_empty() {
            let _ = writeln!(
                s,
                "\nnot tested (no data file): {}",
                self.not_tested.join(", ")
            );
        }
        if !self.ignored_files.is_empty() {
            let _ = writeln!(
                s,
                "ignored (not a table of the contract): {}",
                self.ignored_files.join(", ")
            );
        }
        let _ = writeln!(s);
        write_quality(&mut s, &self.quality);
        if self.passed {
            let _ = writeln!(s, "PASSED");
        } else {
            let _ = writeln!(s, "FAILED:");
            for f in &self.failures {
                let _ = writeln!(s, "  {f}");
            }
        }
        s
    }
}

/// One table of the text report: its file, what is wrong with its layout, and its rules.
fn write_table(s: &mut String, t: &TableReport) {
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "{} ({}, {}): {} rows, {} pass every rule",
        t.table, t.file, t.format, t.rows, t.rows_passing
    );
    if t.empty_file {
        let _ = writeln!(
            s,
            "  the file is empty: no header and no rows; expected a header with the columns of {}",
            t.table
        );
        return;
    }
    if !t.missing_columns.is_empty() {
        let _ = writeln!(s, "  missing columns: {}", t.missing_columns.join(", "));
    }
    if !t.extra_columns.is_empty() {
        let _ = writeln!(
            s,
            "  extra columns (not in the contract): {}",
            t.extra_columns.join(", ")
        );
    }
    for st in &t.stored_types {
        let _ = writeln!(
            s,
            "  column {} is stored as {} in the file; the contract type cannot hold it",
            st.column, st.stored
        );
    }
    if t.rows == 0 {
        let _ = writeln!(s, "  no rows: header only");
    }
    // Every id shares the product, table and version; the rule's name fills the pattern.
    if let Some(r) = t.rules.first() {
        let pattern = r.id.replacen(&format!("/{}@", r.name), "/<rule>@", 1);
        let _ = writeln!(s, "  rule ids: {pattern}");
    }
    let _ = writeln!(
        s,
        "  {:<2}{:<36} {:<9} {:>10} {:>10} {:>9}",
        "", "rule", "severity", "checked", "failed", "pass"
    );
    for r in &t.rules {
        write_rule(s, r);
    }
}

/// One rule's row of the text report, with why it was not evaluated or its failing samples.
fn write_rule(s: &mut String, r: &RuleReport) {
    let mark = if !r.evaluated {
        "-"
    } else if r.rows_failed > 0 {
        "x"
    } else {
        " "
    };
    let rate = match (r.evaluated, r.pass_rate) {
        (false, _) => "skipped".to_string(),
        (true, None) => "n/a".to_string(),
        (true, Some(p)) => format!("{p:.2}%"),
    };
    let _ = writeln!(
        s,
        "  {mark:<2}{:<36} {:<9} {:>10} {:>10} {:>9}",
        r.name,
        r.severity.as_str(),
        r.rows_checked,
        r.rows_failed,
        rate
    );
    if !r.evaluated {
        let _ = writeln!(
            s,
            "      not evaluated: column {} is missing",
            r.columns.join(", ")
        );
    }
    if r.rows_failed > 0 {
        let _ = writeln!(s, "      requires: {}", r.requirement);
        for sample in &r.samples {
            let _ = writeln!(s, "      row {}: {}", sample.row, sample.value);
        }
    }
}

/// The quality line of the text report: the score against the SLA's target and threshold.
fn write_quality(s: &mut String, q: &Quality) {
    match q.score {
        None => {
            let _ = writeln!(s, "Quality ({}): no rows to score", q.metric);
        }
        Some(score) => {
            let limits = match (q.target, q.breach_threshold) {
                (Some(t), Some(b)) => format!("; SLA target {t}%, breach threshold {b}%"),
                _ => "; the SLA has no quality metric".to_string(),
            };
            let verdict = match q.status {
                "breached" => "BREACHED",
                "below_target" => "below target",
                _ => "met",
            };
            let _ = writeln!(
                s,
                "Quality ({}): {score:.2}% of rows pass every rule{limits}: {verdict}",
                q.metric
            );
            let _ = writeln!(
                s,
                "  (a row sharing a unique or primary key with another row, holding a value that \
                 does not parse as its type, or malformed, fails too)"
            );
        }
    }
}
