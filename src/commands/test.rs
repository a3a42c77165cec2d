//! `dpc test`: find the data files → per table, a reader thread streams batches while this
//! thread runs the rules → report → exit 1 when a critical rule fails or the quality score is
//! below the SLA breach threshold.

use crate::cli::{OutputFormat, TestArgs};
use crate::data::compile::{Clock, TableRules};
use crate::data::eval::{Evaluator, Outcome, row_failures};
use crate::data::read::{self, BatchSource, Layout};
use crate::data::report::{Report, Stored, table_report};
use crate::data::spark::{self, Engine, Input, SparkError, SparkRun};
use crate::data::{DataError, Format};
use crate::error::DpcError;
use crate::spec::ProductSpec;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Inputs at least this large (bytes, or rows for Parquet) get a progress bar on a terminal.
const PROGRESS_BYTES: u64 = 32 << 20;
const PROGRESS_ROWS: u64 = 500_000;

/// A data file for one contract table.
#[derive(Debug)]
pub(crate) struct DataFile {
    pub table: String,
    pub path: PathBuf,
    pub format: Format,
}

fn allowed_extensions() -> String {
    Format::ALL
        .iter()
        .map(|f| format!(".{}", f.extension()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The files under `data` (a file, or a folder of `<table>.<ext>`), and the names of files
/// with a data extension that name no table.
pub(crate) fn find_files(
    data: &Path,
    spec: &ProductSpec,
) -> Result<(Vec<DataFile>, Vec<String>), DataError> {
    let tables: Vec<&String> = spec.contract.tables.keys().collect();
    let table_list = tables
        .iter()
        .map(|t| t.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let classify = |path: &Path| -> Option<(String, Format)> {
        let format = Format::from_path(path)?;
        let stem = path.file_stem()?.to_str()?.to_string();
        Some((stem, format))
    };
    if data.is_file() {
        let Some((stem, format)) = classify(data) else {
            return Err(DataError::Input {
                path: data.to_path_buf(),
                message: format!(
                    "not a data file; allowed extensions: {}",
                    allowed_extensions()
                ),
            });
        };
        if !tables.iter().any(|t| **t == stem) {
            return Err(DataError::Input {
                path: data.to_path_buf(),
                message: format!(
                    "the file name must be a table of the contract ({table_list}) with extension {}",
                    allowed_extensions()
                ),
            });
        }
        return Ok((
            vec![DataFile {
                table: stem,
                path: data.to_path_buf(),
                format,
            }],
            Vec::new(),
        ));
    }
    if !data.is_dir() {
        let message = match std::fs::metadata(data) {
            Ok(meta) => format!(
                "not a regular file or folder (it is {}); dpc reads regular files only",
                crate::files::safe_read::kind(&meta)
            ),
            Err(_) => "no such file or folder".into(),
        };
        return Err(DataError::Input {
            path: data.to_path_buf(),
            message,
        });
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(data)
        .map_err(|e| DataError::read(data, e))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    entries.sort();
    let mut files: Vec<DataFile> = Vec::new();
    let mut ignored = Vec::new();
    for path in entries {
        let Some((stem, format)) = classify(&path) else {
            continue;
        };
        if !tables.iter().any(|t| **t == stem) {
            ignored.push(path.display().to_string());
            continue;
        }
        if let Some(other) = files.iter().find(|f| f.table == stem) {
            return Err(DataError::Input {
                path: data.to_path_buf(),
                message: format!(
                    "two files for table {stem}: {} and {}; keep one",
                    other.path.display(),
                    path.display()
                ),
            });
        }
        files.push(DataFile {
            table: stem,
            path,
            format,
        });
    }
    if files.is_empty() {
        return Err(DataError::Input {
            path: data.to_path_buf(),
            message: format!(
                "no data file for any table; expected <table>{{{}}} for a table of {table_list}",
                allowed_extensions()
            ),
        });
    }
    // Contract order.
    files.sort_by_key(|f| tables.iter().position(|t| **t == f.table));
    Ok((files, ignored))
}

fn progress_bar(
    source: &dyn BatchSource,
    format: Format,
    label: &str,
) -> Option<indicatif::ProgressBar> {
    let total = source.total();
    let big = match format {
        Format::Parquet => total >= PROGRESS_ROWS,
        _ => total >= PROGRESS_BYTES,
    };
    if !big || !std::io::stderr().is_terminal() {
        return None;
    }
    let style = match format {
        Format::Parquet => "{msg} [{bar:40}] {pos}/{len} rows ({eta})",
        _ => "{msg} [{bar:40}] {bytes}/{total_bytes} ({eta})",
    };
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(s) = indicatif::ProgressStyle::with_template(style) {
        bar.set_style(s.progress_chars("=> "));
    }
    bar.set_message(label.to_string());
    Some(bar)
}

/// Three stages, batch by batch: one thread reads, one runs the row-level rules, this one
/// counts and runs the uniqueness rules (the only state). Checked batches go back to the
/// reader to be refilled.
pub(crate) fn evaluate(
    mut source: Box<dyn BatchSource>,
    rules: &TableRules,
    progress: Option<&indicatif::ProgressBar>,
) -> Result<(Outcome, Layout), DataError> {
    use std::sync::mpsc::sync_channel;
    let total = source.total();
    std::thread::scope(|scope| {
        let (read_tx, read_rx) = sync_channel(2);
        let (check_tx, check_rx) = sync_channel(2);
        let (back_tx, back_rx) = sync_channel(4);
        let reader = scope.spawn(move || -> Result<Layout, DataError> {
            while let Some(batch) = source.next_batch(back_rx.try_recv().ok())? {
                if read_tx.send((batch, source.position())).is_err() {
                    break;
                }
            }
            Ok(source.layout())
        });
        scope.spawn(move || {
            for (batch, position) in read_rx {
                let fails = row_failures(rules, &batch);
                if check_tx.send((batch, fails, position)).is_err() {
                    break;
                }
            }
        });
        let mut evaluator = Evaluator::new(rules);
        let mut first = true;
        for (batch, fails, position) in check_rx {
            if first && position > 0 && batch.rows > 0 {
                // Expected rows: the total (rows, or bytes scaled by this batch's bytes per row).
                let expected = if batch.first_row == 0 && position >= total {
                    batch.rows as u64
                } else {
                    total.saturating_mul(batch.rows as u64) / position.max(1)
                };
                evaluator.reserve(expected.max(batch.rows as u64));
                first = false;
            }
            evaluator.add_checked(&batch, &fails);
            if let Some(bar) = progress {
                bar.set_position(position);
            }
            let _ = back_tx.try_send(batch);
        }
        let layout = reader
            .join()
            .map_err(|_| DataError::Usage("the file reader stopped unexpectedly".into()))??;
        Ok((evaluator.finish(), layout))
    })
}

pub(crate) fn run(args: &TestArgs) -> Result<(), DpcError> {
    let (_, spec) = super::access::load_product(&args.product_dir)?;
    let report = match (&args.spark, &args.data) {
        (Some(engine), _) => run_spark(args, &spec, engine)?,
        (None, Some(data)) => run_local(data, &spec)?,
        (None, None) => {
            return Err(
                DataError::Usage("--data is required (or --spark to read tables)".into()).into(),
            );
        }
    };
    print_report(args, &spec, &report)
}

/// The rules in this process, on the files under `data`.
fn run_local(data: &Path, spec: &ProductSpec) -> Result<Report, DpcError> {
    let clock = Clock::now()?;
    let (files, ignored) = find_files(data, spec)?;
    let mut tables = Vec::new();
    for file in &files {
        let Some(table) = spec.contract.tables.get(&file.table) else {
            continue;
        };
        let rules = TableRules::compile(spec, &file.table, table, clock)?;
        let source = read::open(&file.path, file.format, &rules.columns)?;
        let bar = progress_bar(source.as_ref(), file.format, &file.table);
        let (outcome, layout) = evaluate(source, &rules, bar.as_ref())?;
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        tables.push(table_report(
            &rules,
            outcome,
            layout,
            file.path.display().to_string(),
            file.format,
        ));
    }
    let not_tested = spec
        .contract
        .tables
        .keys()
        .filter(|t| !files.iter().any(|f| f.table == **t))
        .cloned()
        .collect();
    Ok(Report::new(
        spec.name(),
        data.display().to_string(),
        &spec.sla,
        tables,
        not_tested,
        ignored,
    ))
}

/// The same rules on Spark: the product's quality/run_checks.py on `--data`'s CSV files or
/// on the catalog's tables, its counts read into the local report's shape.
fn run_spark(args: &TestArgs, spec: &ProductSpec, engine: &Engine) -> Result<Report, DpcError> {
    let clock = Clock::now()?;
    let (input, ignored, label) = match &args.data {
        Some(data) => {
            if !data.is_dir() {
                return Err(DataError::Input {
                    path: data.clone(),
                    message: "with --spark, --data is a folder of <table>.csv files (run_checks.py reads a folder)".into(),
                }
                .into());
            }
            let (files, ignored) = find_files(data, spec)?;
            if let Some(f) = files.iter().find(|f| f.format != Format::Csv) {
                return Err(SparkError::NotCsv {
                    path: f.path.clone(),
                    format: f.format.to_string(),
                }
                .into());
            }
            (
                Input::Data(data.clone()),
                ignored,
                data.display().to_string(),
            )
        }
        None => {
            let catalog = args
                .catalog
                .clone()
                .unwrap_or_else(|| spec.catalog().to_string());
            let label = format!("{catalog}.{}", spec.schema());
            (Input::Catalog(catalog), Vec::new(), label)
        }
    };
    if std::io::stderr().is_terminal() {
        // Starting Spark takes tens of seconds; say what the wait is for.
        eprintln!(
            "dpc test: running {} on {}…",
            spark::RUN_CHECKS,
            engine.label()
        );
    }
    let result = SparkRun {
        product_dir: &args.product_dir,
        python: &args.python,
        engine,
        input: &input,
    }
    .run()?;
    let mut tables = Vec::new();
    let mut not_tested = Vec::new();
    for (name, table) in &spec.contract.tables {
        let Some(counts) = result.tables.get(name) else {
            not_tested.push(name.clone());
            continue;
        };
        let rules = TableRules::compile(spec, name, table, clock)?;
        let (file, stored) = match &input {
            Input::Data(dir) => (
                dir.join(format!("{name}.csv")).display().to_string(),
                Stored::File(Format::Csv),
            ),
            Input::Catalog(_) => (format!("{label}.{name}"), Stored::Table),
        };
        tables.push(spark::table_report(
            &rules,
            counts,
            file,
            stored,
            &args.product_dir,
        )?);
    }
    let mut report = Report::new(spec.name(), label, &spec.sla, tables, not_tested, ignored);
    report.engine = Some(engine.label());
    Ok(report)
}

fn print_report(args: &TestArgs, spec: &ProductSpec, report: &Report) -> Result<(), DpcError> {
    let text = match args.format {
        // Values from the data can hold terminal escape sequences.
        OutputFormat::Text => crate::lang::printable::printable(&report.text()).into_owned(),
        OutputFormat::Json => crate::lang::printable::json(&report.json()).into_owned(),
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    if report.passed {
        Ok(())
    } else {
        Err(DpcError::DataFails {
            product: spec.name().to_string(),
            problems: report.failures.len(),
        })
    }
}
