//! `dpc validate PATH...`: every check on every product under the paths, reported as
//! diagnostics with file, line and column.

use crate::check::{self, Diagnostic, load, locate};
use crate::cli::{OutputFormat, ValidateArgs};
use crate::error::DpcError;
use crate::render::{RenderedFile, Renderer};
use crate::spec::PRODUCT_FILE;
use crate::sync::{self, Action};
use std::path::{Path, PathBuf};

/// The product directories at or under `path` (folders holding a product.yaml).
pub fn discover(path: &Path) -> Vec<PathBuf> {
    if path.join(PRODUCT_FILE).is_file() {
        return vec![path.to_path_buf()];
    }
    if path.is_file() {
        return path
            .parent()
            .filter(|p| p.join(PRODUCT_FILE).is_file())
            .map(|p| vec![p.to_path_buf()])
            .unwrap_or_default();
    }
    let mut found: Vec<PathBuf> = walkdir::WalkDir::new(path)
        .min_depth(1)
        .max_depth(4)
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            !(e.file_type().is_dir()
                && (name.starts_with('.') || name.starts_with('_') || name == "target"))
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name() == PRODUCT_FILE)
        .filter_map(|e| e.path().parent().map(Path::to_path_buf))
        .collect();
    found.sort();
    found
}

/// Everything wrong with one product, files named relative to the product directory.
pub struct Report {
    pub dir: PathBuf,
    pub diagnostics: Vec<Diagnostic>,
    /// Texts of files with diagnostics, for showing source lines.
    pub sources: Vec<(String, String)>,
}

pub fn check_product(dir: &Path, renderer: &Renderer) -> Report {
    let loaded = load::load(dir);
    let mut diagnostics = loaded.diagnostics.clone();
    let mut sources: Vec<(String, String)> = loaded
        .texts
        .iter()
        .map(|(f, t)| (f.to_string(), t.clone()))
        .collect();
    if let Some(spec) = &loaded.spec {
        let mut found = check::spec(spec);
        found.extend(crate::access::policy::expired(spec));
        locate::fill(&mut found, |f| loaded.text(f));
        let spec_ok = !found.iter().any(Diagnostic::is_error);
        diagnostics.extend(found);
        if spec_ok {
            match renderer.render_derived(spec) {
                Err(e) => diagnostics.push(Diagnostic::new(
                    "DPC007",
                    PRODUCT_FILE,
                    format!("cannot render the derived files: {e}"),
                )),
                Ok(derived) => {
                    diagnostics.extend(staleness(dir, &derived));
                    let on_disk = derived_on_disk(dir);
                    diagnostics.extend(check::platform::check(spec, &on_disk));
                    diagnostics.extend(bundle(dir, spec, &mut sources));
                    diagnostics.extend(crate::access::policy::check_sql(spec, &on_disk));
                    sources.extend(on_disk.into_iter().map(|f| (f.path, f.text)));
                }
            }
        }
    }
    Report {
        dir: dir.to_path_buf(),
        diagnostics,
        sources,
    }
}

fn staleness(dir: &Path, derived: &[RenderedFile]) -> Vec<Diagnostic> {
    match sync::plan(dir, derived) {
        Err(e) => vec![Diagnostic::new("DPC040", "", format!("cannot compare derived files: {e}"))],
        Ok(entries) => entries
            .into_iter()
            .map(|e| {
                let d = Diagnostic::new(
                    if e.action.is_conflict() { "DPC041" } else { "DPC040" },
                    &e.path,
                    format!("derived file is {}", e.action.describe()),
                );
                match e.action {
                    Action::KeepEdited | Action::KeepEditedOrphan => d
                        .warning()
                        .help("dpc generate keeps it; `dpc generate --force` replaces it with what the spec says"),
                    _ => d.help("run `dpc generate` to bring it up to date"),
                }
            })
            .collect(),
    }
}

/// databricks.yml on disk against the spec and monitoring/alerts.yaml, located by line.
fn bundle(
    dir: &Path,
    spec: &crate::spec::ProductSpec,
    sources: &mut Vec<(String, String)>,
) -> Vec<Diagnostic> {
    use check::bundle::{ALERTS_FILE, BUNDLE_FILE};
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).ok();
    let text = read(BUNDLE_FILE);
    let mut found = check::bundle::check(spec, text.as_deref(), read(ALERTS_FILE).as_deref());
    if let Some(text) = text {
        locate::fill(&mut found, |f| (f == BUNDLE_FILE).then_some(text.as_str()));
        sources.push((BUNDLE_FILE.to_string(), text));
    }
    found
}

/// The SQL and Python files under the derived folders, as they are on disk.
pub fn derived_on_disk(dir: &Path) -> Vec<RenderedFile> {
    sync::DERIVED_DIRS
        .iter()
        .flat_map(|sub| {
            walkdir::WalkDir::new(dir.join(sub))
                .into_iter()
                .filter_map(Result::ok)
        })
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            e.path()
                .extension()
                .is_some_and(|x| x == "sql" || x == "py")
        })
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(e.path()).ok()?;
            Some(RenderedFile { path: rel, text })
        })
        .collect()
}

pub fn run(args: &ValidateArgs) -> Result<(), DpcError> {
    let mut products = Vec::new();
    for path in &args.paths {
        let found = discover(path);
        if found.is_empty() {
            return Err(DpcError::Usage(format!(
                "{}: no data product here (a folder holding {PRODUCT_FILE})",
                path.display()
            )));
        }
        products.extend(found);
    }
    let renderer = Renderer::new()?;
    let reports = check_all(&products, &renderer);

    let mut all = Vec::new();
    let mut text = String::new();
    for report in &reports {
        let shown: Vec<Diagnostic> = report
            .diagnostics
            .iter()
            .cloned()
            .map(|mut d| {
                d.file = report.dir.join(&d.file).display().to_string();
                d
            })
            .collect();
        if args.format == OutputFormat::Text {
            text.push_str(&check::render::human(&shown, |file| {
                report
                    .sources
                    .iter()
                    .find(|(f, _)| report.dir.join(f).display().to_string() == file)
                    .map(|(_, t)| t.as_str())
            }));
        }
        all.extend(shown);
    }
    let errors = all.iter().filter(|d| d.is_error()).count();
    let warnings = all.len() - errors;
    let summary = format!(
        "checked {} product(s): {errors} error(s), {warnings} warning(s)",
        reports.len()
    );
    let failed = errors > 0 || (args.deny_warnings && warnings > 0);
    match args.format {
        OutputFormat::Json => println!("{}", check::render::json(&all)),
        // On failure the summary is the error line (stderr); not repeated here.
        OutputFormat::Text if failed => print!("{text}"),
        OutputFormat::Text => println!("{text}{summary}"),
    }
    if failed {
        return Err(DpcError::Failed(summary));
    }
    Ok(())
}

/// Checks every product, on every core.
fn check_all(products: &[PathBuf], renderer: &Renderer) -> Vec<Report> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(products.len().max(1));
    let chunk = products.len().div_ceil(workers).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = products
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|p| check_product(p, renderer))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}
