//! `dpc consumers list|add|revoke|audit PRODUCT_DIR`: who may read the product, changed
//! safely. `add` and `revoke` edit the spec in place, then regenerate the derived files the
//! way `dpc generate` does, all in one atomic update of the product directory.

use super::access::load_product;
use crate::access;
use crate::check;
use crate::cli::{
    ConsumersAddArgs, ConsumersCommand, ConsumersListArgs, ConsumersRevokeArgs, OutputFormat,
};
use crate::consumers::{self, AddRequest, ConsumerError, Edited, Texts, revocation};
use crate::error::DpcError;
use crate::lang::date::Date;
use crate::render::{RenderError, Renderer, model};
use crate::spec::{GOVERNANCE_FILE, PRODUCT_FILE, ProductSpec};
use crate::write::sync::{self, Action, Entry};
use crate::write::{self, Change};
use std::path::Path;

pub(crate) fn run(cmd: &ConsumersCommand) -> Result<(), DpcError> {
    match cmd {
        ConsumersCommand::List(args) => list(args),
        ConsumersCommand::Add(args) => add(args),
        ConsumersCommand::Revoke(args) => revoke(args),
        ConsumersCommand::Audit(args) => audit(args),
    }
}

fn today() -> Result<Date, DpcError> {
    Date::today().map_err(DpcError::Clock)
}

fn json(value: &impl serde::Serialize) {
    println!(
        "{}",
        crate::lang::printable::json(&serde_json::to_string_pretty(value).unwrap_or_default())
    );
}

fn list(args: &ConsumersListArgs) -> Result<(), DpcError> {
    let (_, spec) = load_product(&args.product_dir)?;
    let matrix = access::of_spec(&spec).map_err(RenderError::from)?;
    let rows = consumers::list(&spec, &matrix);
    if args.format == OutputFormat::Json {
        json(&rows);
        return Ok(());
    }
    if rows.is_empty() {
        println!("{}: no approved consumers", spec.name());
    }
    for r in &rows {
        let tables = if r.tables.is_empty() {
            "all tables".to_string()
        } else {
            r.tables.join(", ")
        };
        use crate::lang::printable::printable;
        println!(
            "{} ({}): {} on {tables}; expires {}",
            printable(&r.principal),
            r.principal_type.as_str().replace('_', " "),
            r.permission,
            r.expires.as_deref().unwrap_or("never")
        );
        println!(
            "  justification: {}",
            printable(r.justification.as_deref().unwrap_or("none recorded"))
        );
        match (&r.approved_by, &r.approved_date) {
            (Some(by), Some(on)) => println!("  approved by {} on {on}", printable(by)),
            (Some(by), None) => println!("  approved by {}", printable(by)),
            _ => println!("  approval: none recorded"),
        }
        if !r.unmasked.is_empty() {
            println!("  reads in clear: {}", r.unmasked.join(", "));
        }
    }
    Ok(())
}

fn audit(args: &ConsumersListArgs) -> Result<(), DpcError> {
    let (_, spec) = load_product(&args.product_dir)?;
    let matrix = access::of_spec(&spec).map_err(RenderError::from)?;
    let found = consumers::audit(&spec, &matrix, today()?);
    if args.format == OutputFormat::Json {
        json(&found);
    } else {
        let section = |title: &str, items: Vec<String>| {
            println!("{title}:");
            if items.is_empty() {
                println!("  none");
            }
            for i in items {
                println!("  {}", crate::lang::printable::printable(&i));
            }
        };
        section(
            "expired grants",
            found
                .expired
                .iter()
                .map(|e| format!("{} (expired {})", e.principal, e.expires))
                .collect(),
        );
        section("grants without justification", found.unjustified.clone());
        section(
            "grants without a recorded approval",
            found.unapproved.clone(),
        );
        section(
            "principals that read PII in clear (review)",
            found
                .clear_pii
                .iter()
                .map(|c| {
                    let role = serde_json::to_value(c.role)
                        .ok()
                        .and_then(|v| v.as_str().map(|r| r.replace('_', " ")))
                        .unwrap_or_default();
                    format!("{} ({role}): {}", c.principal, c.columns.join(", "))
                })
                .collect(),
        );
    }
    match found.problems() {
        0 => Ok(()),
        count => Err(DpcError::GrantProblems {
            dir: args.product_dir.clone(),
            count,
        }),
    }
}

fn texts(loaded: &crate::spec::load::Loaded) -> Texts {
    Texts {
        product: loaded.text(PRODUCT_FILE).unwrap_or_default().to_string(),
        governance: loaded.text(GOVERNANCE_FILE).unwrap_or_default().to_string(),
    }
}

fn add(args: &ConsumersAddArgs) -> Result<(), DpcError> {
    let dir = &args.product_dir;
    // Taken before the spec is read: a concurrent add would otherwise edit a stale spec
    // and one grant would be lost.
    let _lock = crate::write::lock::product(dir)?;
    crate::write::recover(dir)?;
    let (loaded, spec) = load_product(dir)?;
    let req = AddRequest {
        principal: args.principal.clone(),
        principal_type: Some(args.principal_type.into()),
        application_id: args.application_id.clone(),
        permission: args.permission.to_uppercase(),
        tables: args.tables.clone(),
        unmask: args.unmask.clone(),
        expires: args.expires.clone(),
        justification: args.justification.clone(),
        approved_by: args.approved_by.clone(),
    };
    let edited = consumers::add(&spec, &texts(&loaded), &req, today()?)?;
    let (applied, kept) = apply(dir, &spec, &edited, None)?;
    println!("{}: {} added", dir.display(), args.principal);
    report(&applied, &kept);
    Ok(())
}

fn revoke(args: &ConsumersRevokeArgs) -> Result<(), DpcError> {
    let dir = &args.product_dir;
    let _lock = crate::write::lock::product(dir)?;
    crate::write::recover(dir)?;
    let (loaded, spec) = load_product(dir)?;
    let edited = consumers::revoke(&spec, &texts(&loaded), &args.principal)?;
    let old = model::build(&spec).map_err(RenderError::from)?;
    let new = model::build(&edited.spec).map_err(RenderError::from)?;
    let statements = revocation::statements(&old, &new, &args.principal);
    let record = if statements.is_empty() {
        None
    } else {
        let today = today()?;
        let path = revocation::path(today, &args.principal, |p| dir.join(p).exists());
        let text = revocation::file_text(
            &old,
            &args.principal,
            args.reason.as_deref(),
            today,
            &statements,
            &[
                ("prod", spec.catalog().to_string()),
                ("dev", spec.settings.dev_catalog(spec.catalog())),
            ],
        );
        Some((path, text))
    };
    let (applied, kept) = apply(dir, &spec, &edited, record.as_ref())?;
    println!("{}: {} revoked", dir.display(), args.principal);
    report(&applied, &kept);
    match &record {
        Some((path, _)) => println!(
            "  run the REVOKE statements in {path} on the workspace ({} statement(s))",
            statements.len()
        ),
        None => println!("  nothing to revoke on the workspace: the principal keeps its access"),
    }
    Ok(())
}

fn report(applied: &[Entry], kept: &[Entry]) {
    println!("  updated   {PRODUCT_FILE}");
    println!("  updated   {GOVERNANCE_FILE}");
    for e in applied {
        let done = match e.action {
            Action::Create => "created",
            Action::Delete => "deleted",
            _ => "updated",
        };
        println!("  {done:<9} {}", e.path);
    }
    for e in kept {
        println!("  kept      {} ({})", e.path, e.action.describe());
    }
}

/// Writes the edited spec, the derived files it changes (as `dpc generate` would) and the
/// `extra` file, in one atomic update. Refused when a file this change must rewrite was
/// edited by hand; other hand-edited files are kept, as `dpc generate` keeps them.
fn apply(
    dir: &Path,
    old: &ProductSpec,
    edited: &Edited,
    extra: Option<&(String, String)>,
) -> Result<(Vec<Entry>, Vec<Entry>), DpcError> {
    let renderer = Renderer::new()?;
    let before = renderer.render_derived(old)?;
    let after = renderer.render_derived(&edited.spec)?;
    let problems = check::platform::check(&edited.spec, &after);
    if !problems.is_empty() {
        return Err(DpcError::Check(problems));
    }
    let entries = sync::plan(dir, &after).map_err(|source| DpcError::CannotRead {
        path: dir.to_path_buf(),
        source,
    })?;
    let text_of = |files: &[crate::render::RenderedFile], path: &str| {
        files
            .iter()
            .find(|f| f.path == path)
            .map(|f| f.text.clone())
    };
    let (conflicts, applied): (Vec<Entry>, Vec<Entry>) =
        entries.into_iter().partition(|e| e.action.is_conflict());
    let blocked: Vec<&str> = conflicts
        .iter()
        .filter(|e| text_of(&before, &e.path) != text_of(&after, &e.path))
        .map(|e| e.path.as_str())
        .collect();
    if !blocked.is_empty() {
        return Err(ConsumerError::Refused(format!(
            "{} must change but {} edited by hand; revert the edits or run `dpc generate --force {}` first",
            blocked.join(", "),
            if blocked.len() == 1 { "was" } else { "were" },
            dir.display()
        ))
        .into());
    }
    let mut changes = vec![
        Change::Write {
            path: PRODUCT_FILE,
            text: &edited.texts.product,
        },
        Change::Write {
            path: GOVERNANCE_FILE,
            text: &edited.texts.governance,
        },
    ];
    for e in &applied {
        changes.push(match &e.text {
            Some(text) => Change::Write {
                path: &e.path,
                text,
            },
            None => Change::Delete { path: &e.path },
        });
    }
    if let Some((path, text)) = extra {
        changes.push(Change::Write { path, text });
    }
    write::update_tree(dir, &changes)?;
    Ok((applied, conflicts))
}
