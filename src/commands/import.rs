//! `dpc import odcs FILE`: a new product from an ODCS contract, through the same build,
//! checks and atomic write as `dpc create`; what the product cannot hold is listed.

use crate::cli::{ImportCommand, ImportOdcsArgs, OutputFormat};
use crate::commands::create::{default_owner, product_tree, schema_files};
use crate::commands::summary::{Summary, print_out};
use crate::error::DpcError;
use crate::interop::odcs::import::{Flags, Imported, Loss};
use crate::lang::date::Date;
use serde::Serialize;
use std::path::PathBuf;

pub(crate) fn run(command: &ImportCommand) -> Result<(), DpcError> {
    match command {
        ImportCommand::Odcs(args) => odcs(args),
    }
}

/// `--format json`: create's summary with where it came from and what was left behind.
#[derive(Serialize)]
struct Report<'a> {
    #[serde(flatten)]
    summary: &'a Summary,
    source: String,
    restored: bool,
    not_carried: &'a [Loss],
}

fn flags(args: &ImportOdcsArgs) -> Flags {
    Flags {
        name: args.name.clone(),
        domain: args.domain.clone(),
        tier: args.tier,
        owner: args.owner.clone(),
        sla: args.sla,
        sensitivity: args.sensitivity,
        display_name: args.display_name.clone(),
        description: args.description.clone(),
        catalog: args.catalog.clone(),
        consumers: args.consumers.clone(),
        masking: args.masking.map(Into::into),
    }
}

/// `orders.odcs.yaml` → `orders`.
fn stem(path: &std::path::Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    [".odcs.yaml", ".odcs.yml", ".yaml", ".yml", ".json"]
        .iter()
        .find_map(|ext| name.strip_suffix(ext))
        .unwrap_or(&name)
        .to_string()
}

fn odcs(args: &ImportOdcsArgs) -> Result<(), DpcError> {
    let file = args.file.display().to_string();
    let text = crate::files::safe_read::read_text(&args.file, crate::files::safe_read::TEXT_CAP)
        .map_err(|source| DpcError::CannotRead {
            path: args.file.clone(),
            source,
        })?;
    let settings = crate::commands::create::platform_settings(&args.output_dir)?;
    let doc = crate::interop::odcs::parse(&file, &text)?;
    let today = Date::today().map_err(DpcError::Clock)?;
    // The folder's prod catalog is where every product in it must live (DPC161): it comes
    // before the document's server, as it comes before create's default.
    let mut flags = flags(args);
    if flags.catalog.is_none() {
        flags.catalog = settings.targets.prod.catalog.clone();
    }
    let Imported {
        spec,
        not_carried,
        mut notes,
        restored,
    } = crate::interop::odcs::import::import(
        &doc,
        &stem(&args.file),
        &flags,
        today,
        &default_owner,
    )?;
    let spec = crate::commands::create::under_settings(spec, settings, &mut notes);
    let target: PathBuf = args.output_dir.join(spec.name());
    crate::commands::create::refuse_target(&target, args.force, args.dry_run)?;
    if restored {
        notes.insert(
            0,
            format!("{file} was exported by dpc: the spec is restored from its dpc.* properties"),
        );
    }
    // The same tree as `create` writes, sample rows included.
    let (files, warnings) = product_tree(&spec)?;
    notes.extend(warnings);
    let mut schemas = schema_files(&args.output_dir);
    schemas.push(crate::commands::create::settings_schema_file(
        &args.output_dir,
    ));
    let summary = Summary::new(&spec, &files, &target, args.dry_run, notes).with_schemas(&schemas);
    if !args.dry_run {
        crate::commands::create::write_product(&target, &files, args.force)?;
        for (path, text) in &schemas {
            crate::write::write_file(path, text)?;
        }
    }
    match args.format {
        // The document's text can hold terminal escape sequences.
        OutputFormat::Text => print_out(&crate::lang::printable::printable(&format!(
            "{}{}",
            summary.text(),
            not_carried_text(&file, &not_carried)
        ))),
        OutputFormat::Json => {
            let report = Report {
                summary: &summary,
                source: file,
                restored,
                not_carried: &not_carried,
            };
            let json = serde_json::to_string_pretty(&report)
                .unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()));
            print_out(&crate::lang::printable::json(&(json + "\n")));
        }
    }
    Ok(())
}

/// The losses, grouped by what was lost.
pub(crate) fn not_carried_text(file: &str, losses: &[Loss]) -> String {
    if losses.is_empty() {
        return format!("\nNot carried over from {file}: nothing\n");
    }
    let mut s = format!("\nNot carried over from {file} ({}):\n", losses.len());
    for (what, at) in crate::interop::odcs::import::grouped(losses) {
        s.push_str(&format!("  {what}\n      at {at}\n"));
    }
    s
}
