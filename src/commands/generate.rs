//! `dpc generate PRODUCT_DIR`: re-renders every derived file from the spec files, keeping
//! files a person edited (unless `--force`), deleting ones the spec no longer produces.

use crate::check;
use crate::cli::{GenerateArgs, OutputFormat};
use crate::diagnostic::{self, Diagnostic};
use crate::error::DpcError;
use crate::render::Renderer;
use crate::spec::PRODUCT_FILE;
use crate::spec::load;
use crate::write::sync::{self, Action, Entry};
use crate::write::{self, Change};

pub(crate) fn run(args: &GenerateArgs) -> Result<(), DpcError> {
    let dir = &args.product_dir;
    // Held until the update is swapped in, so a concurrent writer cannot lose this one's
    // work; what an interrupted run left is undone first (it may have hidden the product).
    let _lock = if args.check {
        None
    } else {
        let lock = crate::write::lock::product(dir)?;
        crate::write::recover(dir)?;
        Some(lock)
    };
    if !dir.join(PRODUCT_FILE).is_file() {
        return Err(DpcError::NotAProduct {
            dir: dir.to_path_buf(),
        });
    }
    let loaded = load::load(dir);
    let mut problems = loaded.diagnostics.clone();
    if let Some(spec) = &loaded.spec {
        problems.extend(check::spec(spec));
    }
    crate::diagnostic::fill(&mut problems, |f| loaded.text(f));
    let spec = match (&loaded.spec, problems.iter().any(Diagnostic::is_error)) {
        (Some(spec), false) => spec,
        _ => {
            let error =
                super::access::blame(dir, &problems, DpcError::SpecHasErrors { dir: dir.into() });
            let shown: Vec<Diagnostic> = problems
                .into_iter()
                .map(|mut d| {
                    d.file = crate::spec::settings::shown_path(dir, &d.file);
                    d
                })
                .collect();
            eprint!(
                "{}",
                diagnostic::render::human(&shown, |file| loaded
                    .texts
                    .iter()
                    .find(|(f, _)| crate::spec::settings::shown_path(dir, f) == file)
                    .map(|(_, t)| t.as_str()))
            );
            return Err(error);
        }
    };
    let derived = Renderer::new()?.render_derived(spec)?;
    let mut platform = check::platform::check(spec, &derived);
    // What Unity Catalog would refuse stops generate too; "not checked" warnings do not.
    platform.extend(
        check::preflight::check(spec, &derived)
            .into_iter()
            .filter(Diagnostic::is_error),
    );
    if !platform.is_empty() {
        return Err(DpcError::Check(platform));
    }
    let mut entries = sync::plan(dir, &derived).map_err(|source| DpcError::CannotRead {
        path: dir.to_path_buf(),
        source,
    })?;
    // The product's own tests read sample_data/: a file with old columns fails them.
    entries.extend(crate::data::sample_sync::refresh(dir, spec)?);
    let applied: Vec<&Entry> = entries
        .iter()
        .filter(|e| args.force || !e.action.is_conflict())
        .collect();
    let kept: Vec<&Entry> = entries
        .iter()
        .filter(|e| !args.force && e.action.is_conflict())
        .collect();

    if !args.check && !applied.is_empty() {
        let changes: Vec<Change<'_>> = applied
            .iter()
            .map(|e| match (&e.text, e.action) {
                (Some(text), _) => Change::Write {
                    path: &e.path,
                    text,
                },
                (None, _) => Change::Delete { path: &e.path },
            })
            .collect();
        write::update_tree(dir, &changes)?;
    }

    match args.format {
        OutputFormat::Json => {
            let report = serde_json::json!({
                "product": dir.display().to_string(),
                "check": args.check,
                "changes": applied,
                "kept": kept,
            });
            println!(
                "{}",
                crate::lang::printable::json(
                    &serde_json::to_string_pretty(&report).unwrap_or_default()
                )
            );
        }
        OutputFormat::Text => print!("{}", text_report(dir, args.check, &applied, &kept)),
    }

    if args.check && !entries.is_empty() {
        return Err(DpcError::OutOfDate {
            dir: dir.to_path_buf(),
            count: entries.len(),
        });
    }
    if !kept.is_empty() {
        return Err(DpcError::HandEditsKept {
            dir: dir.to_path_buf(),
            count: kept.len(),
        });
    }
    Ok(())
}

fn verb(action: Action, check: bool) -> &'static str {
    match (action, check) {
        (Action::Create, false) => "created",
        (Action::Update, false) => "updated",
        (Action::Delete, false) => "deleted",
        (Action::Create, true) => "missing",
        (Action::Update, true) => "stale",
        (Action::Delete, true) => "obsolete",
        (_, false) => "overwrote",
        (_, true) => "edited",
    }
}

fn text_report(dir: &std::path::Path, check: bool, applied: &[&Entry], kept: &[&Entry]) -> String {
    let mut s = String::new();
    if applied.is_empty() && kept.is_empty() {
        s.push_str(&format!(
            "{}: every derived file is up to date\n",
            dir.display()
        ));
        return s;
    }
    let head = if check { "would change" } else { "changed" };
    if !applied.is_empty() {
        s.push_str(&format!("{} ({head}):\n", dir.display()));
        for e in applied {
            s.push_str(&format!("  {:<9} {}\n", verb(e.action, check), e.path));
        }
    }
    for e in kept {
        s.push_str(&format!(
            "  {:<9} {} ({}; kept)\n",
            "kept",
            e.path,
            e.action.describe()
        ));
    }
    s
}
