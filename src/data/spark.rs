//! `dpc test --spark`: the same rules on Apache Spark. dpc runs the product's own generated
//! `quality/run_checks.py` with a Python that can import pyspark (the quality job's code, so
//! the rules are the ones deployed), reads the JSON it writes (`--json`) and turns it into
//! the [`Report`](super::report::Report) the local run prints. Nothing here is needed by the
//! plain `dpc test`, which stays a lone binary.

use super::compile::TableRules;
use super::report::{RuleReport, Stored, TableReport};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The generated script, relative to the product folder.
pub(crate) const RUN_CHECKS: &str = "quality/run_checks.py";
/// Lines of the Spark run's stderr shown when it fails.
const STDERR_TAIL: usize = 25;

/// Where the rules run: pyspark's local session, or a Spark Connect server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Engine {
    Local,
    /// A Spark Connect address, `sc://host:port` (pyspark reads it from `SPARK_REMOTE`).
    Connect(String),
}

impl Engine {
    /// `--spark`'s value: `local`, or `sc://host[:port][/;params]`.
    pub(crate) fn parse(value: &str) -> Result<Engine, String> {
        if value == "local" {
            return Ok(Engine::Local);
        }
        let Some(rest) = value.strip_prefix("sc://") else {
            return Err(format!(
                "{value:?} is neither `local` nor a Spark Connect address sc://host:port"
            ));
        };
        let authority = rest.split(['/', ';']).next().unwrap_or_default();
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        let host_ok = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '[' | ']'));
        let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok_and(|n| n > 0));
        if !host_ok || !port_ok {
            return Err(format!(
                "{value:?} is not a Spark Connect address; expected sc://host:port (e.g. sc://localhost:15002)"
            ));
        }
        Ok(Engine::Connect(value.to_string()))
    }

    /// How the report names the engine: `spark local`, `spark sc://host:port`.
    pub(crate) fn label(&self) -> String {
        match self {
            Engine::Local => "spark local".into(),
            Engine::Connect(url) => format!("spark {url}"),
        }
    }
}

/// What the rules read: CSV files in a folder, or the product's tables in a catalog.
#[derive(Debug, Clone)]
pub(crate) enum Input {
    Data(PathBuf),
    Catalog(String),
}

/// Everything that stops `dpc test --spark` before it has a result: each names the flag or
/// file to change. Data that fails its rules is never an error here.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SparkError {
    #[error(
        "--python {}: cannot run it ({source}); install Python 3, or give its path with --python or DPC_PYTHON",
        python.display()
    )]
    NoPython {
        python: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "--spark: {} cannot import pyspark; install it with `{} -m pip install 'pyspark>=4'` \
         (for sc:// also `'pyspark[connect]>=4'`), or give a Python that has it with --python or DPC_PYTHON{}",
        python.display(), python.display(), tail_block(detail)
    )]
    NoPyspark { python: PathBuf, detail: String },
    #[error(
        "--spark: {} is missing; `dpc generate {}` writes it (dpc test --spark runs the product's own checks)",
        script.display(), product.display()
    )]
    NoRunChecks { script: PathBuf, product: PathBuf },
    #[error("--spark: the Spark run ({} {}) failed{}{}", python.display(), script.display(), status_text(*code), tail_block(stderr))]
    Crashed {
        python: PathBuf,
        script: PathBuf,
        code: Option<i32>,
        stderr: String,
    },
    #[error(
        "--spark: {} does not check rule {rule} of the contract; it is older than the spec: run `dpc generate {}`",
        script.display(), product.display()
    )]
    Stale {
        script: PathBuf,
        product: PathBuf,
        rule: String,
    },
    #[error("--spark: {}: the result of {} cannot be read: {message}", path.display(), RUN_CHECKS)]
    BadResult { path: PathBuf, message: String },
    #[error("--spark reads <table>.csv files only; {} is {format}: convert it, or run `dpc test` without --spark", path.display())]
    NotCsv { path: PathBuf, format: String },
    #[error("--spark: cannot make a temporary file for the result: {0}")]
    Temp(std::io::Error),
}

fn status_text(code: Option<i32>) -> String {
    match code {
        Some(c) => format!(" with exit status {c}"),
        None => " (killed by a signal)".into(),
    }
}

fn tail_block(text: &str) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.is_empty() {
        return String::new();
    }
    let tail = &lines[lines.len().saturating_sub(STDERR_TAIL)..];
    format!("; its stderr ends:\n  {}", tail.join("\n  "))
}

/// One table as run_checks.py --json reports it.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct SparkTable {
    pub rows: u64,
    pub passing_rows: u64,
    /// Failing rows by rule id.
    pub failures: BTreeMap<String, u64>,
}

/// The part of run_checks.py's --json dpc reads.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct SparkResult {
    pub tables: BTreeMap<String, SparkTable>,
}

/// One Spark run of the product's checks.
pub(crate) struct SparkRun<'a> {
    pub product_dir: &'a Path,
    pub python: &'a Path,
    pub engine: &'a Engine,
    pub input: &'a Input,
}

impl SparkRun<'_> {
    fn command(&self) -> Command {
        // The child starts in the product folder: a relative path (`.venv/bin/python`) is the
        // user's, from here; a bare name (`python3`) is looked up on PATH.
        let program = if self.python.components().count() > 1 {
            std::path::absolute(self.python).unwrap_or_else(|_| self.python.to_path_buf())
        } else {
            self.python.to_path_buf()
        };
        let mut cmd = Command::new(program);
        // The product folder stays as generated: no __pycache__ beside validation_rules.py.
        cmd.env("PYTHONDONTWRITEBYTECODE", "1")
            .stdin(Stdio::null())
            .current_dir(self.product_dir);
        match self.engine {
            Engine::Local => {
                // A SPARK_REMOTE from the user's shell would send a `local` run elsewhere.
                cmd.env_remove("SPARK_REMOTE");
                if std::env::var_os("PYSPARK_SUBMIT_ARGS").is_none() {
                    cmd.env("PYSPARK_SUBMIT_ARGS", "--master local[*] pyspark-shell");
                }
            }
            Engine::Connect(url) => {
                cmd.env("SPARK_REMOTE", url);
            }
        }
        cmd
    }

    /// Fails with a message naming --python or pyspark before Spark starts.
    fn preflight(&self, script: &Path) -> Result<(), SparkError> {
        if !self.product_dir.join(RUN_CHECKS).is_file() {
            return Err(SparkError::NoRunChecks {
                script: script.to_path_buf(),
                product: self.product_dir.to_path_buf(),
            });
        }
        let out = self
            .command()
            .args(["-c", "import pyspark"])
            .output()
            .map_err(|source| SparkError::NoPython {
                python: self.python.to_path_buf(),
                source,
            })?;
        if !out.status.success() {
            return Err(SparkError::NoPyspark {
                python: self.python.to_path_buf(),
                detail: String::from_utf8_lossy(&out.stderr).into_owned(),
            });
        }
        Ok(())
    }

    /// Runs run_checks.py and returns what its --json wrote. Its own exit status (1 when the
    /// data fails) is not the verdict: dpc judges the counts as the local run does.
    pub(crate) fn run(&self) -> Result<SparkResult, SparkError> {
        let script = self.product_dir.join(RUN_CHECKS);
        self.preflight(&script)?;
        let json = tempfile::Builder::new()
            .prefix("dpc-spark-")
            .suffix(".json")
            .tempfile()
            .map_err(SparkError::Temp)?;
        let mut cmd = self.command();
        cmd.arg(RUN_CHECKS);
        match self.input {
            Input::Data(dir) => {
                let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.clone());
                cmd.arg("--data").arg(dir);
            }
            Input::Catalog(catalog) => {
                cmd.arg("--catalog").arg(catalog);
            }
        }
        cmd.arg("--json").arg(json.path());

        let out = cmd.output().map_err(|source| SparkError::NoPython {
            python: self.python.to_path_buf(),
            source,
        })?;
        let text = std::fs::read_to_string(json.path()).unwrap_or_default();
        // run_checks.py writes the file last, and exits 0 (pass) or 1 (data fails) after it.
        let finished = matches!(out.status.code(), Some(0 | 1)) && !text.trim().is_empty();
        if !finished {
            return Err(SparkError::Crashed {
                python: self.python.to_path_buf(),
                script,
                code: out.status.code(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            });
        }
        serde_json::from_str(&text).map_err(|e| SparkError::BadResult {
            path: script,
            message: e.to_string(),
        })
    }
}

/// A table's report from Spark's counts: the same rules (compiled from the spec, matched by
/// id), rows checked = the table's rows, no failing samples (Spark returns counts only).
pub(crate) fn table_report(
    rules: &TableRules,
    result: &SparkTable,
    name: String,
    stored: Stored,
    product_dir: &Path,
) -> Result<TableReport, SparkError> {
    let mut reports = Vec::with_capacity(rules.rules.len());
    for r in &rules.rules {
        let id = rules.rule_id(r);
        let Some(&failed) = result.failures.get(&id) else {
            return Err(SparkError::Stale {
                script: product_dir.join(RUN_CHECKS),
                product: product_dir.to_path_buf(),
                rule: id,
            });
        };
        let failed = failed.min(result.rows);
        reports.push(RuleReport {
            id,
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
            evaluated: true,
            rows_checked: result.rows,
            rows_failed: failed,
            pass_rate: (result.rows > 0)
                .then(|| 100.0 * (result.rows - failed) as f64 / result.rows as f64),
            samples: Vec::new(),
        });
    }
    Ok(TableReport {
        table: rules.table.clone(),
        file: name,
        format: stored,
        rows: result.rows,
        rows_passing: result.passing_rows.min(result.rows),
        empty_file: false,
        missing_columns: Vec::new(),
        extra_columns: Vec::new(),
        stored_types: Vec::new(),
        rules: reports,
    })
}
