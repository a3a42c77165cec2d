//! `dpc validate PATH...`: every check on every product under the paths, reported as
//! diagnostics with file, line and column.

use crate::access::Matrix;
use crate::check;
use crate::cli::{OutputFormat, ValidateArgs};
use crate::diagnostic::Code;
use crate::diagnostic::{self, Diagnostic};
use crate::error::DpcError;
use crate::render::{RenderError, RenderedFile, Renderer, model};
use crate::spec::PRODUCT_FILE;
use crate::spec::load;
use crate::write::sync::{self, Action};
use std::path::{Path, PathBuf};

/// The product directories at or under `path` (folders holding a product.yaml).
pub(crate) fn discover(path: &Path) -> Vec<PathBuf> {
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
    let mut found = Vec::new();
    let mut walk = walkdir::WalkDir::new(path)
        .min_depth(1)
        .max_depth(3)
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.file_type().is_dir()
                && !(name.starts_with('.') || name.starts_with('_') || name == "target")
        });
    while let Some(entry) = walk.next() {
        let Ok(entry) = entry else { continue };
        // A product's own folders (sql/, bundle/, data/, …) hold no product: one look for
        // its product.yaml instead of reading all of them.
        if entry.path().join(PRODUCT_FILE).is_file() {
            found.push(entry.path().to_path_buf());
            walk.skip_current_dir();
        }
    }
    found.sort();
    found
}

/// Everything wrong with one product, files named relative to the product directory.
pub(crate) struct Report {
    pub dir: PathBuf,
    pub diagnostics: Vec<Diagnostic>,
    /// Texts of files with diagnostics, for showing source lines.
    pub sources: Vec<(String, String)>,
}

pub(crate) fn check_product(dir: &Path, renderer: &Renderer) -> Report {
    let loaded = load::load(dir);
    let mut diagnostics = loaded.diagnostics.clone();
    let mut sources: Vec<(String, String)> = loaded
        .texts
        .iter()
        .map(|(f, t)| (f.to_string(), t.clone()))
        .collect();
    if let Some(spec) = &loaded.spec {
        // One render model and one access matrix serve the spec checks, the renderer and the
        // SQL access check.
        let model = model::build(spec);
        let matrix = model.as_ref().ok().map(|m| Matrix::from_model(spec, m));
        let mut found = check::spec_with(spec, matrix.as_ref());
        found.extend(crate::access::policy_check::expired(spec));
        crate::diagnostic::fill(&mut found, |f| loaded.text(f));
        let spec_ok = !found.iter().any(Diagnostic::is_error);
        diagnostics.extend(found);
        if spec_ok {
            let rendered = model
                .map_err(RenderError::from)
                .and_then(|m| renderer.render_derived_from(&m));
            match rendered {
                Err(e) => diagnostics.push(Diagnostic::new(
                    Code::Dpc007,
                    PRODUCT_FILE,
                    format!("cannot render the derived files: {e}"),
                )),
                Ok(derived) => {
                    diagnostics.extend(staleness(dir, &derived));
                    diagnostics.extend(crate::data::sample_sync::stale(dir, spec).into_iter().map(
                        |(path, why)| {
                            Diagnostic::new(Code::Dpc040, path, format!("sample data is stale: {why}"))
                                .help("run `dpc generate` to rewrite it with rows for the current contract, or `dpc sample`")
                        },
                    ));
                    let on_disk = derived_on_disk(dir);
                    let sql = crate::render::sql_files(spec, &on_disk);
                    diagnostics.extend(check::platform::check_parsed(spec, &on_disk, &sql));
                    diagnostics.extend(check::preflight::check_parsed(spec, &sql));
                    diagnostics.extend(bundle(dir, spec, &derived, &mut sources));
                    // Only a hand edit or a spec change not yet generated can make the SQL
                    // grant more than the spec: DDL that is what the spec renders grants
                    // exactly its matrix (tests/it/access.rs holds the two equal).
                    let ddl_as_rendered = on_disk
                        .iter()
                        .filter(|f| crate::access::from_sql::is_ddl(&f.path))
                        .all(|f| derived.iter().any(|d| d.path == f.path && d.text == f.text));
                    if let Some(matrix) = matrix.as_ref().filter(|_| !ddl_as_rendered) {
                        diagnostics.extend(crate::access::policy_check::check_sql_parsed(
                            spec, matrix, &sql,
                        ));
                    }
                    sources.extend(on_disk.into_iter().map(|f| (f.path, f.text)));
                }
            }
        }
    }
    // Only the files named by a diagnostic are shown; a folder of clean products keeps none.
    sources.retain(|(f, _)| diagnostics.iter().any(|d| &d.file == f));
    Report {
        dir: dir.to_path_buf(),
        diagnostics,
        sources,
    }
}

fn staleness(dir: &Path, derived: &[RenderedFile]) -> Vec<Diagnostic> {
    match sync::plan(dir, derived) {
        Err(e) => vec![Diagnostic::new(Code::Dpc040, "", format!("cannot compare derived files: {e}"))],
        Ok(entries) => entries
            .into_iter()
            .map(|e| {
                let d = Diagnostic::new(
                    if e.action.is_conflict() { Code::Dpc041 } else { Code::Dpc040 },
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
/// When both files are byte for byte what the spec renders (`derived`), they agree with the
/// spec by construction (the renderer's bundle is checked in tests), so the YAML is not
/// parsed again: on a folder of unchanged products that is an eighth of the work.
fn bundle(
    dir: &Path,
    spec: &crate::spec::ProductSpec,
    derived: &[RenderedFile],
    sources: &mut Vec<(String, String)>,
) -> Vec<Diagnostic> {
    use check::bundle::{ALERTS_FILE, BUNDLE_FILE};
    let read = |f: &str| crate::files::safe_read::read_in_product(dir, f).ok();
    let text = read(BUNDLE_FILE);
    let alerts = read(ALERTS_FILE);
    let rendered = |f: &str| {
        derived
            .iter()
            .find(|d| d.path == f)
            .map(|d| d.text.as_str())
    };
    if text.as_deref() == rendered(BUNDLE_FILE) && alerts.as_deref() == rendered(ALERTS_FILE) {
        return Vec::new();
    }
    let mut found = check::bundle::check(spec, text.as_deref(), alerts.as_deref());
    if let Some(text) = text {
        crate::diagnostic::fill(&mut found, |f| (f == BUNDLE_FILE).then_some(text.as_str()));
        sources.push((BUNDLE_FILE.to_string(), text));
    }
    found
}

/// The SQL and Python files under the derived folders, as they are on disk.
pub(crate) fn derived_on_disk(dir: &Path) -> Vec<RenderedFile> {
    sync::DERIVED_DIRS
        .iter()
        .flat_map(|sub| {
            walkdir::WalkDir::new(dir.join(sub))
                .follow_root_links(false)
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
            let text =
                crate::files::safe_read::read_text(e.path(), crate::files::safe_read::TEXT_CAP)
                    .ok()?;
            Some(RenderedFile { path: rel, text })
        })
        .collect()
}

pub(crate) fn run(args: &ValidateArgs) -> Result<(), DpcError> {
    let mut products = Vec::new();
    for path in &args.paths {
        let found = discover(path);
        if found.is_empty() {
            return Err(DpcError::NoProducts {
                dir: path.to_path_buf(),
            });
        }
        products.extend(found);
    }
    let renderer = Renderer::new()?;
    let reports = check_all(&products, &renderer);

    let mut all = Vec::new();
    let mut text = String::new();
    // The products of one folder share its dpc.yaml: a problem in it is reported once.
    let mut seen = std::collections::HashSet::new();
    for report in &reports {
        let shown: Vec<Diagnostic> = report
            .diagnostics
            .iter()
            .cloned()
            .map(|mut d| {
                d.file = crate::spec::settings::shown_path(&report.dir, &d.file);
                d
            })
            .filter(|d| seen.insert((d.file.clone(), d.line, d.column, d.code, d.message.clone())))
            .collect();
        if args.format == OutputFormat::Text {
            text.push_str(&diagnostic::render::human(&shown, |file| {
                report
                    .sources
                    .iter()
                    .find(|(f, _)| crate::spec::settings::shown_path(&report.dir, f) == file)
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
        OutputFormat::Json => println!("{}", diagnostic::render::json(&all)),
        // On failure the summary is the error line (stderr); not repeated here.
        OutputFormat::Text if failed => print!("{text}"),
        OutputFormat::Text => println!("{text}{summary}"),
    }
    if failed {
        return Err(DpcError::Invalid { summary });
    }
    Ok(())
}

/// Checks every product, on every core: each worker takes the next unchecked product, so a
/// slow product does not hold up the others.
fn check_all(products: &[PathBuf], renderer: &Renderer) -> Vec<Report> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(products.len().max(1));
    let next = AtomicUsize::new(0);
    let mut reports: Vec<(usize, Report)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(p) = products.get(i) else {
                            return done;
                        };
                        done.push((i, check_product(p, renderer)));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    reports.sort_by_key(|(i, _)| *i);
    reports.into_iter().map(|(_, r)| r).collect()
}
