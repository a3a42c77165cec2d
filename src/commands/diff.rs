//! `dpc diff OLD NEW` / `dpc diff PRODUCT --against REV`: classifies every contract change,
//! checks the version bump and deprecation notices, and can write the changelog entry and
//! the migration script.

use crate::cli::{DiffArgs, OutputFormat};
use crate::diff::{self, DiffUsage, Report, Side, changelog, migration};
use crate::error::DpcError;
use crate::spec::{self, Contract, ProductSpec, SPEC_FILES};
use crate::write::{self, Change};
use std::path::{Path, PathBuf};
use std::process::Command;

fn load_side(path: &Path) -> Result<Side, DpcError> {
    if path.is_dir() {
        let (_, spec) = super::access::load_product(path)?;
        return Ok(Side::Product(Box::new(spec)));
    }
    let text = crate::files::safe_read::read_text(path, crate::files::safe_read::TEXT_CAP)
        .map_err(|source| DpcError::CannotRead {
            path: path.to_path_buf(),
            source,
        })?;
    let contract: Contract = spec::parse_yaml(&path.display().to_string(), &text)?;
    Ok(Side::Contract(Box::new(contract)))
}

fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

/// The same path as it was at `rev`, read through git without a checkout.
fn load_at_revision(path: &Path, rev: &str) -> Result<Side, DpcError> {
    let dir = if path.is_dir() {
        path.to_path_buf()
    } else {
        path.parent().map_or(PathBuf::from("."), Path::to_path_buf)
    };
    let dir = if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir
    };
    let top = git(&dir, &["rev-parse", "--show-toplevel"])
        .map_err(|_| DiffUsage::NotInGit { dir: dir.clone() })?;
    let top = PathBuf::from(top.trim());
    let abs = std::fs::canonicalize(path).map_err(|source| DpcError::CannotRead {
        path: path.to_path_buf(),
        source,
    })?;
    let top = std::fs::canonicalize(&top).unwrap_or(top);
    let rel = abs
        .strip_prefix(&top)
        .map_err(|_| DiffUsage::OutsideRepository {
            path: path.to_path_buf(),
            top: top.clone(),
        })?
        .to_string_lossy()
        .replace('\\', "/");
    let show = |file: &str| {
        let spec = format!("{rev}:{file}");
        // A revision such as `--output=F` must reach git as a revision, never as an option.
        git(&top, &["show", "--end-of-options", &spec]).map_err(|message| DiffUsage::AtRevision {
            file: file.to_string(),
            rev: rev.to_string(),
            message,
        })
    };
    if path.is_dir() {
        let prefix = if rel.is_empty() {
            String::new()
        } else {
            format!("{rel}/")
        };
        let texts = SPEC_FILES
            .iter()
            .map(|f| show(&format!("{prefix}{f}")))
            .collect::<Result<Vec<_>, _>>()?;
        let spec = ProductSpec::parse(
            &format!("{rev}:{rel}"),
            [&texts[0], &texts[1], &texts[2], &texts[3]],
        )?;
        Ok(Side::Product(Box::new(spec)))
    } else {
        let text = show(&rel)?;
        Ok(Side::Contract(Box::new(spec::parse_yaml(
            &format!("{rev}:{rel}"),
            &text,
        )?)))
    }
}

pub(crate) fn run(args: &DiffArgs) -> Result<(), DpcError> {
    let written_to = args.new.as_ref().unwrap_or(&args.old);
    let _lock = if args.write_changelog && written_to.is_dir() {
        Some(crate::write::lock::product(written_to)?)
    } else {
        None
    };
    let (old, new, new_path) = match (&args.against, &args.new) {
        (Some(rev), None) => (
            load_at_revision(&args.old, rev)?,
            load_side(&args.old)?,
            args.old.clone(),
        ),
        (None, Some(new)) => (load_side(&args.old)?, load_side(new)?, new.clone()),
        (Some(_), Some(_)) => {
            return Err(DiffUsage::NewAndAgainst.into());
        }
        (None, None) => {
            return Err(DiffUsage::NothingToCompare.into());
        }
    };
    let report = diff::diff(&old, &new).map_err(DiffUsage::from)?;

    let mut outcome = Written::default();
    if args.write_changelog {
        let Side::Product(spec) = &new else {
            return Err(DiffUsage::ChangelogNeedsProduct.into());
        };
        // A refused change must not reach the changelog: it would record a release that
        // the version check has just rejected.
        if report.ok() {
            outcome = write_changelog(&new_path, &report, old.contract(), spec)?;
        } else {
            outcome.notes.push(NOTHING_WRITTEN.to_string());
        }
    }
    match args.format {
        OutputFormat::Json => {
            let mut value = serde_json::to_value(&report).unwrap_or_default();
            value["ok"] = serde_json::Value::Bool(report.ok());
            value["written"] = serde_json::json!(outcome.files);
            value["notes"] = serde_json::json!(outcome.notes);
            println!(
                "{}",
                crate::lang::printable::json(
                    &serde_json::to_string_pretty(&value).unwrap_or_default()
                )
            );
        }
        // Old and new values are spec text, which can hold terminal escape sequences.
        OutputFormat::Text => print!(
            "{}",
            crate::lang::printable::printable(&text(&report, &outcome))
        ),
    }
    if report.ok() {
        Ok(())
    } else {
        let mut reason = report.problems.join("; ");
        if args.write_changelog {
            reason.push_str(&format!("; {NOTHING_WRITTEN}"));
        }
        Err(DpcError::NotAcceptable {
            old: report.old_version.clone(),
            new: report.new_version.clone(),
            reason,
        })
    }
}

const NOTHING_WRITTEN: &str =
    "nothing written: fix the version or notices first, then run --write-changelog again";

/// What `--write-changelog` wrote, and why it left a file alone.
#[derive(Default)]
struct Written {
    files: Vec<String>,
    notes: Vec<String>,
}

/// The changelog entry and migration script of an accepted change. An entry already in the
/// changelog for the new version is kept as it is (people may have edited it) and a script
/// that is already up to date is not rewritten, so running twice changes nothing.
fn write_changelog(
    dir: &Path,
    report: &Report,
    old: &Contract,
    spec: &ProductSpec,
) -> Result<Written, DpcError> {
    let log_path = "docs/changelog.md";
    let read = |rel: &str| match crate::files::safe_read::read_in_product(dir, rel) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(DpcError::CannotRead {
            path: dir.join(rel),
            source: e,
        }),
    };
    let current = read(log_path)?.unwrap_or_default();
    let mut outcome = Written::default();
    let log = if changelog::has_release(&current, &report.new_version) {
        outcome.notes.push(format!(
            "kept {log_path}: it already has an entry for {}",
            report.new_version
        ));
        None
    } else {
        let entry = changelog::entry(report, &spec.contract.last_updated);
        Some(changelog::insert(&current, &entry))
    };
    let migration_path = format!(
        "schemas/migrations/{}_to_{}.sql",
        report.old_version, report.new_version
    );
    let script = match migration::script(report, old, spec) {
        Some(sql) if read(&migration_path)?.as_deref() == Some(sql.as_str()) => {
            outcome
                .notes
                .push(format!("kept {migration_path}: it is up to date"));
            None
        }
        other => other,
    };
    let mut changes = Vec::new();
    if let Some(text) = &log {
        changes.push(Change::Write {
            path: log_path,
            text,
        });
        outcome.files.push(log_path.to_string());
    }
    if let Some(sql) = &script {
        changes.push(Change::Write {
            path: &migration_path,
            text: sql,
        });
        outcome.files.push(migration_path.clone());
    }
    if !changes.is_empty() {
        write::update_tree(dir, &changes)?;
    }
    Ok(outcome)
}

fn text(report: &Report, written: &Written) -> String {
    let mut s = format!("contract {} → {}\n", report.old_version, report.new_version);
    if report.changes.is_empty() {
        s.push_str("  no changes\n");
    }
    for c in &report.changes {
        let class = match c.bump {
            diff::version::Bump::Major => "MAJOR",
            diff::version::Bump::Minor => "minor",
            diff::version::Bump::Patch => "patch",
        };
        let values = match (&c.old, &c.new) {
            (Some(o), Some(n)) => format!(": {o} → {n}"),
            (None, Some(n)) => format!(": added {n}"),
            (Some(o), None) => format!(": removed {o}"),
            (None, None) => String::new(),
        };
        s.push_str(&format!(
            "  {class:<5}  {}{values}\n         {}\n",
            c.path, c.reason
        ));
    }
    match report.required {
        Some(b) => s.push_str(&format!(
            "required: a {b} bump, version {} or later\n",
            report.required_version
        )),
        None => s.push_str("required: nothing\n"),
    }
    for p in &report.problems {
        s.push_str(&format!("problem: {p}\n"));
    }
    for w in &written.files {
        s.push_str(&format!("wrote {w}\n"));
    }
    for n in &written.notes {
        s.push_str(&format!("{n}\n"));
    }
    s
}
