//! `dpc sample`: contract → generation plan → batches on every core → one file per table.

use crate::cli::SampleArgs;
use crate::data::compile::Clock;
use crate::data::generate::{self, batch_count};
use crate::data::inject::{Injected, Injector};
use crate::data::plan::ProductPlan;
use crate::data::write::{self, TableWriter};
use crate::data::{DataError, Format, parallel};
use crate::error::DpcError;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The list of injected violations written next to the data.
pub(crate) const INVALID_ROWS_FILE: &str = "invalid_rows.json";

#[derive(serde::Serialize)]
struct RuleCount {
    injected: u64,
    failing_rows: u64,
}

#[derive(serde::Serialize)]
struct TableInjections {
    table: String,
    rows: u64,
    injected_rows: u64,
    /// Per rule: injections that target it or also break it, and the rows it fails by.
    rules: BTreeMap<String, RuleCount>,
    violations: Vec<Injected>,
}

/// Writes one table's file (atomically: a temporary file renamed into place).
pub(crate) fn write_table(
    plan: &ProductPlan,
    table: usize,
    format: Format,
    dir: &Path,
    injector: Option<&Injector>,
) -> Result<(PathBuf, u64), DataError> {
    let t = &plan.tables[table];
    // A table name is spec text: `../x` or `/abs/x` must not write outside the folder.
    let path = crate::files::paths::file_in(dir, &t.name, format.extension(), "table name")
        .map_err(|e| DataError::Usage(e.to_string()))?;
    let temp = tempfile::Builder::new()
        .prefix(".dpc-sample-")
        .tempfile_in(dir)
        .map_err(|e| DataError::write(&path, e))?;
    let mut writer = TableWriter::create(temp.path(), format, &t.rules.columns)?;
    let columns = &t.rules.columns;
    // Each worker refills its own batch; text buffers come back from the writer.
    let buffers: std::sync::Mutex<Vec<Vec<u8>>> = std::sync::Mutex::new(Vec::new());
    parallel::ordered(
        batch_count(t.rows),
        |k, spare: &mut Option<crate::data::batch::Batch>| {
            let b = generate::batch_reusing(plan, table, k, injector, spare.take());
            let buf = buffers
                .lock()
                .ok()
                .and_then(|mut v| v.pop())
                .unwrap_or_default();
            let encoded = write::encode(format, columns, &b, buf);
            *spare = Some(b);
            encoded
        },
        |encoded| {
            let encoded = encoded.map_err(|m| DataError::write(&path, m))?;
            if let Some(buf) = writer.append(encoded)?
                && let Ok(mut v) = buffers.lock()
            {
                v.push(buf);
            }
            Ok::<(), DataError>(())
        },
    )?;
    let bytes = writer.bytes;
    writer.finish()?;
    // Temporary files are private; data files are ordinary files.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(temp.path(), std::fs::Permissions::from_mode(0o644));
    }
    temp.persist(&path)
        .map_err(|e| DataError::write(&path, e))?;
    let size = std::fs::metadata(&path).map_or(bytes, |m| m.len());
    Ok((path, size))
}

/// Removes the earlier samples of `table` in the formats other than `format` from `dir`:
/// only regular files named `<table>.<csv|jsonl|parquet>`, which `dpc sample` writes, since
/// `dpc test` refuses a folder with two files for one table. Called once the new file is in
/// place, so the table has a complete sample at every instant. Returns the names removed.
fn remove_other_formats(dir: &Path, table: &str, format: Format) -> Result<Vec<String>, DataError> {
    let mut removed = Vec::new();
    for other in Format::ALL.into_iter().filter(|f| *f != format) {
        let path = crate::files::paths::file_in(dir, table, other.extension(), "table name")
            .map_err(|e| DataError::Usage(e.to_string()))?;
        // A link or folder under that name is not something dpc sample wrote.
        if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
            continue;
        }
        std::fs::remove_file(&path).map_err(|e| DataError::Input {
            path: path.clone(),
            message: format!(
                "cannot remove this earlier {other} sample of table {table} ({e}); dpc test reads one file per table, so remove it or write the {format} sample with --out into another folder"
            ),
        })?;
        removed.push(format!("{table}.{}", other.extension()));
    }
    if !removed.is_empty() {
        // The removals are durable before the command reports them.
        crate::write::swap::sync_dir(dir).map_err(|e| DataError::write(dir, e))?;
    }
    Ok(removed)
}

/// Temporary files a killed earlier run left in the product's own sample folder (the lock
/// is held, so no live run owns them); a shared `--out` folder is left alone.
fn remove_leftovers(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.filter_map(Result::ok) {
        let leftover = e.file_name().to_string_lossy().starts_with(".dpc-sample-")
            && e.file_type().is_ok_and(|t| t.is_file());
        if leftover {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

fn injection_summary(plan: &ProductPlan, injector: &Injector) -> Vec<TableInjections> {
    (0..plan.tables.len())
        .map(|ti| {
            let violations = injector.list(plan, ti);
            let mut rules: BTreeMap<String, RuleCount> = BTreeMap::new();
            for v in &violations {
                for (i, name) in v.breaks.iter().enumerate() {
                    let e = rules.entry(name.clone()).or_insert(RuleCount {
                        injected: 0,
                        failing_rows: 0,
                    });
                    if i == 0 {
                        e.injected += 1;
                    }
                    e.failing_rows += v.failing_rows;
                }
            }
            TableInjections {
                table: plan.tables[ti].name.clone(),
                rows: plan.tables[ti].rows,
                injected_rows: violations.len() as u64,
                rules,
                violations,
            }
        })
        .collect()
}

pub(crate) fn run(args: &SampleArgs) -> Result<(), DpcError> {
    let _lock = crate::write::lock::product(&args.product_dir)?;
    let (_, spec) = super::access::load_product(&args.product_dir)?;
    let clock = Clock::now()?;
    let plan = ProductPlan::new(&spec, args.rows, args.seed, clock)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| args.product_dir.join("sample_data"));
    // The product's own folder must be a real folder: through a link the rows would land
    // outside the product.
    if args.out.is_none()
        && std::fs::symlink_metadata(&out).is_ok_and(|m| m.file_type().is_symlink())
    {
        return Err(DpcError::SampleFolderIsLink { path: out.clone() });
    }
    std::fs::create_dir_all(&out).map_err(|e| DataError::write(&out, e))?;
    if args.out.is_none() {
        remove_leftovers(&out);
    }
    let injector =
        (args.invalid_rate > 0.0).then(|| Injector::new(&plan, args.invalid_rate, args.format));
    let mut text = format!(
        "Sampled {}: {} rows per table (seed {}) as {} in {}\n",
        spec.name(),
        args.rows,
        args.seed,
        args.format,
        out.display()
    );
    for ti in 0..plan.tables.len() {
        let (path, bytes) = write_table(&plan, ti, args.format, &out, injector.as_ref())?;
        let removed = remove_other_formats(&out, &plan.tables[ti].name, args.format)?;
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let replaced = if removed.is_empty() {
            String::new()
        } else {
            format!("  replaced {}", removed.join(", "))
        };
        text.push_str(&format!(
            "  {name:<36} {:>10} rows {bytes:>12} bytes{replaced}\n",
            plan.tables[ti].rows
        ));
    }
    let manifest = out.join(INVALID_ROWS_FILE);
    match &injector {
        Some(inj) => {
            let summary = injection_summary(&plan, inj);
            let json = serde_json::to_string_pretty(&summary)
                .map_err(|e| DataError::write(&manifest, e))?;
            crate::write::write_file(&manifest, &(json + "\n"))?;
            text.push_str(&format!(
                "\nBroke rows on purpose (--invalid-rate {}); every violation is listed in {}:\n",
                args.invalid_rate,
                manifest.display()
            ));
            for t in &summary {
                let rules: Vec<String> = t
                    .rules
                    .iter()
                    .map(|(name, c)| format!("{name} {}", c.failing_rows))
                    .collect();
                text.push_str(&format!(
                    "  {}: {} rows broken; failing rows per rule: {}\n",
                    t.table,
                    t.injected_rows,
                    rules.join(", ")
                ));
            }
        }
        None => {
            // A list from an earlier run would describe other data.
            if std::fs::symlink_metadata(&manifest).is_ok() {
                std::fs::remove_file(&manifest).map_err(|e| DataError::write(&manifest, e))?;
            }
        }
    }
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    Ok(())
}
