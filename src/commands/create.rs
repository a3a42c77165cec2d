//! `dpc create`: answers → spec → rendered tree → checks → atomic write → summary.

use crate::check;
use crate::cli::{CreateArgs, OutputFormat};
use crate::commands::summary::Summary;
use crate::diagnostic::Code;
use crate::error::DpcError;
use crate::input::answers::{self, Answers};
use crate::input::answers_file::{AnswersFile, ConsumerEntry, SchemaAnswer};
use crate::input::questionnaire::{self, Decision, Prompter, terminal::Terminal};
use crate::lang::date::Date;
use crate::render::{RenderedFile, Renderer};
use crate::spec::ProductSpec;
use crate::spec::schema::{SCHEMA_DIR, SpecFile};
use crate::spec::settings::{self, Settings};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The owner when `--owner` is not given: git's user.email, else the domain's team mailbox.
pub(crate) fn default_owner(domain: &str) -> (String, Option<String>) {
    let from_git = Command::new("git")
        .args(["config", "--get", "user.email"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| crate::spec::name::check_email(s).is_ok());
    match from_git {
        Some(email) => (email, None),
        None => {
            let fallback = format!("{domain}-data@company.com");
            let note = format!(
                "owner: no --owner and no git user.email; used {fallback}, a placeholder to replace in product.yaml"
            );
            (fallback, Some(note))
        }
    }
}

/// The answers the flags give; questions no flag answers stay open.
pub(crate) fn draft_from_flags(args: &CreateArgs) -> AnswersFile {
    AnswersFile {
        name: args.name.clone(),
        display_name: args.display_name.clone(),
        description: args.description.clone(),
        domain: args.domain.clone(),
        tier: args.tier,
        owner: args.owner.clone(),
        sla: args.sla,
        sensitivity: args.sensitivity,
        consumers: (!args.consumers.is_empty()).then(|| {
            args.consumers
                .iter()
                .map(|c| {
                    let g = answers::ConsumerAnswer::group(c.clone());
                    ConsumerEntry {
                        principal: g.principal,
                        principal_type: g.principal_type,
                        permission: g.permission,
                    }
                })
                .collect()
        }),
        schema: args.schema_from.clone().map(SchemaAnswer::FromFile),
        catalog: args.catalog.clone(),
        masking: args.masking.map(Into::into),
        ..AnswersFile::default()
    }
}

/// The flags alone with defaults for the rest (no file is read: not `--schema-from`, not
/// `--answers`); a missing NAME is left empty for [`Answers::validate`] to refuse.
pub fn answers_from_flags(args: &CreateArgs) -> (Answers, Vec<String>) {
    let name = args.name.clone().unwrap_or_default();
    draft_from_flags(args).with_defaults(name, None, default_owner)
}

/// Renders and checks a spec in memory; nothing touches the disk.
/// Renders the whole tree and checks it: errors stop the write; each warning comes back as a
/// note for the summary (the placeholder owner, DPC150, already has its own note).
fn render_checked(spec: &ProductSpec) -> Result<(Vec<RenderedFile>, Vec<String>), DpcError> {
    let files = Renderer::new()?.render(spec)?;
    let (problems, warnings): (Vec<_>, Vec<_>) = check::tree(spec, &files)
        .into_iter()
        .partition(crate::diagnostic::Diagnostic::is_error);
    if !problems.is_empty() {
        return Err(DpcError::Check(problems));
    }
    let notes = warnings
        .into_iter()
        .filter(|w| w.code != Code::Dpc150)
        .map(|w| {
            let at = w
                .path
                .as_deref()
                .map(|p| format!(" (at {p})"))
                .unwrap_or_default();
            format!(
                "warning {}: {}{at}; `dpc validate` shows where",
                w.code, w.message
            )
        })
        .collect();
    Ok((files, notes))
}

/// Everything a new product's folder holds: the checked tree (as [`render_checked`]) and the
/// sample rows its tests read, so both are written in one atomic step.
pub(crate) fn product_tree(
    spec: &ProductSpec,
) -> Result<(Vec<RenderedFile>, Vec<String>), DpcError> {
    let (mut files, warnings) = render_checked(spec)?;
    let clock = crate::data::compile::Clock::now()?;
    let samples = crate::data::generate::csv_files(
        spec,
        crate::data::generate::CREATE_ROWS,
        crate::data::generate::CREATE_SEED,
        clock,
    )?;
    files.extend(
        samples
            .into_iter()
            .map(|(path, text)| RenderedFile { path, text }),
    );
    Ok((files, warnings))
}

/// The JSON Schemas of the four spec files, at `DIR/_schemas/<file>.schema.json`; every spec
/// file's first line points its editor at them.
pub(crate) fn schema_files(output_dir: &Path) -> Vec<(PathBuf, String)> {
    SpecFile::ALL
        .iter()
        .map(|f| {
            (
                output_dir.join(SCHEMA_DIR).join(f.schema_file()),
                f.json_schema_text(),
            )
        })
        .collect()
}

/// The JSON Schema of `dpc.yaml`, beside the spec files' schemas.
pub(crate) fn settings_schema_file(output_dir: &Path) -> (PathBuf, String) {
    (
        output_dir.join(SCHEMA_DIR).join(settings::SCHEMA_FILE),
        Settings::json_schema_text(),
    )
}

/// The platform settings of the folder a product is created in (`DIR/dpc.yaml`), defaults
/// without one. A broken file stops the command before anything is asked or written.
pub(crate) fn platform_settings(output_dir: &Path) -> Result<Settings, DpcError> {
    let Some((text, settings)) =
        Settings::read_in(output_dir).map_err(|d| DpcError::Settings(vec![*d]))?
    else {
        return Ok(Settings::default());
    };
    // Its values are checked as the file's, before any of them is taken as an answer (a
    // malformed catalog would otherwise be reported as the --catalog flag's).
    let shown = output_dir
        .join(settings::SETTINGS_FILE)
        .display()
        .to_string();
    let mut problems: Vec<_> = settings::check_values_of(&settings, &shown)
        .into_iter()
        .filter(crate::diagnostic::Diagnostic::is_error)
        .collect();
    crate::diagnostic::fill(&mut problems, |_| Some(text.as_str()));
    if problems.is_empty() {
        Ok(settings)
    } else {
        Err(DpcError::Settings(problems))
    }
}

/// A new product under `settings`: its prod catalog and quality identity come from them when
/// the answers left the defaults; the notes say what was taken.
pub(crate) fn under_settings(
    spec: ProductSpec,
    settings: Settings,
    notes: &mut Vec<String>,
) -> ProductSpec {
    let mut spec = spec;
    if spec.governance.access_policy.quality_identity.is_none()
        && let Some(id) = &settings.quality_identity
    {
        spec.governance.access_policy.quality_identity = Some(id.clone());
        notes.push(format!(
            "quality_identity {id} from {}: the masks admit it and the quality job runs as it",
            settings::SETTINGS_FILE
        ));
    }
    if !settings.from_file {
        notes.push(format!(
            "no {} beside the products: dev deploys to {}, prod to {} as whoever deploys, to the CLI profile's workspace; `dpc init` writes the settings (hosts, identities, warehouse)",
            settings::SETTINGS_FILE,
            settings.dev_catalog(spec.catalog()),
            spec.catalog()
        ));
    }
    spec.with_settings(settings)
}

/// Refuses an existing product before any question is asked (and again once the name is).
fn refuse_existing(args: &CreateArgs, name: Option<&str>) -> Result<(), DpcError> {
    let Some(name) = name else { return Ok(()) };
    refuse_target(&args.output_dir.join(name), args.force, args.dry_run)
}

/// Anything at `target` is refused without `--force`; with it, only a dpc product may be
/// replaced (never a source folder or a plain file). A dangling link counts as something.
pub(crate) fn refuse_target(target: &Path, force: bool, dry_run: bool) -> Result<(), DpcError> {
    if std::fs::symlink_metadata(target).is_err() {
        return Ok(());
    }
    if force && !crate::write::is_product(target) {
        return Err(crate::write::WriteError::NotProduct {
            path: target.to_path_buf(),
        }
        .into());
    }
    if !force && !dry_run {
        return Err(DpcError::Exists {
            path: target.to_path_buf(),
        });
    }
    Ok(())
}

/// Writes a new product's tree under the product lock, after undoing what an interrupted
/// run left and checking the target again (another run may have created it meanwhile).
pub(crate) fn write_product(
    target: &Path,
    files: &[RenderedFile],
    force: bool,
) -> Result<(), DpcError> {
    let parent = crate::write::parent_of(target);
    std::fs::create_dir_all(&parent).map_err(|source| crate::write::WriteError::OutputDir {
        path: parent.clone(),
        source,
    })?;
    let _lock = crate::write::lock::product(target)?;
    crate::write::recover(target)?;
    refuse_target(target, force, false)?;
    crate::write::write_tree(target, files, force)?;
    Ok(())
}

pub(crate) fn run(args: &CreateArgs) -> Result<(), DpcError> {
    // Flags win over the answers file; the questionnaire asks what neither gives.
    let settings = platform_settings(&args.output_dir)?;
    let mut draft = draft_from_flags(args);
    if let Some(path) = &args.answers {
        draft = draft.or(AnswersFile::load(path)?);
    }
    if draft.catalog.is_none() {
        draft.catalog = settings.targets.prod.catalog.clone();
    }
    refuse_existing(args, draft.name.as_deref())?;
    let mut terminal = questionnaire::may_prompt(args.no_input).then(Terminal::new);
    let mut notes = Vec::new();
    if let Some(p) = terminal.as_mut() {
        notes = questionnaire::ask(p, &mut draft, &default_owner)?;
        refuse_existing(args, draft.name.as_deref())?;
    }
    let (answers, resolved) = draft.into_answers(default_owner)?;
    notes.extend(resolved);
    let target: PathBuf = args.output_dir.join(&answers.name);
    let today = Date::today().map_err(DpcError::Clock)?;
    let (spec, built) = answers::build_spec(&answers, today)?;
    notes.extend(built.0);
    let spec = under_settings(spec, settings, &mut notes);
    let (files, warnings) = product_tree(&spec)?;
    notes.extend(warnings);
    if let Ok(model) = crate::render::model::build(&spec) {
        notes.extend(crate::render::deploy::notes(&model));
    }
    let (rows, seed) = (
        crate::data::generate::CREATE_ROWS,
        crate::data::generate::CREATE_SEED,
    );
    notes.push(format!(
        "sample_data/: {rows} rows per table (seed {seed}) that keep every rule of the contract, read by tests/; `dpc sample` makes more, `dpc test` checks real data"
    ));
    let mut schemas = schema_files(&args.output_dir);
    schemas.push(settings_schema_file(&args.output_dir));
    let mut summary =
        Summary::new(&spec, &files, &target, args.dry_run, notes).with_schemas(&schemas);
    let mut save_answers = None;
    if let Some(p) = terminal.as_mut()
        && !args.dry_run
    {
        let preview = Summary::new(&spec, &files, &target, true, summary.notes.clone());
        match questionnaire::review(p, &preview.text())? {
            Decision::Write => {}
            Decision::WriteAndSave(path) => save_answers = Some(path),
            Decision::Cancel => {
                p.say("Nothing was written.");
                return Ok(());
            }
        }
    }
    if !args.dry_run {
        write_product(&target, &files, args.force)?;
        // Regenerated on every create: they follow the binary's spec types.
        for (path, text) in &schemas {
            crate::write::write_file(path, text)?;
        }
        if let Some(path) = save_answers {
            let text = AnswersFile::from_spec(&answers, &spec).to_text()?;
            crate::write::write_file(&path, &text)?;
            summary.notes.push(format!(
                "answers saved to {}; `dpc create --answers {} --no-input` makes this product again",
                path.display(),
                path.display()
            ));
        }
    }
    match args.format {
        OutputFormat::Text => summary.print_text(),
        OutputFormat::Json => summary.print_json(),
    }
    Ok(())
}
