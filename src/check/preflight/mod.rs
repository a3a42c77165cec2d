//! The pre-flight: applies the product's SQL to a model of Unity Catalog, statement by
//! statement in the order the bundle's job runs it, and reports what Databricks would refuse.
//!
//! The stated situation: the catalog exists and belongs to someone else; its owner has run
//! `schemas/catalog/grants.sql` (the one file addressed to them); the job's identity is a
//! member of the owner group and owns nothing else. The job then runs twice: the second run
//! must succeed and change nothing. A statement the model does not understand is reported as
//! not checked (a warning), never passed silently.

pub(crate) mod catalog;
pub(crate) mod constraints;
pub(crate) mod interpret;
pub(crate) mod objects;
pub(crate) mod privileges;
pub(crate) mod refusal;

use super::Diagnostic;
use crate::diagnostic::Code;
use crate::lang::sql_statements::{SqlFile, Statement};
use crate::render::RenderedFile;
use crate::render::deploy::{CATALOG_GRANTS, CHECKS_DIR, is_application_id, job_order};
use crate::render::sql_files;
use crate::spec::ProductSpec;
use crate::spec::governance::PrincipalType;
use catalog::{Catalog, Identity};
use interpret::{Directory, Outcome, Session};

/// The name the model gives the job's identity.
pub(crate) const DEPLOYER: &str = "the job's identity";
/// The name the model gives the catalog's owner.
pub(crate) const CATALOG_OWNER: &str = "the catalog owner";

/// One file the job (or the catalog owner) applies, and how.
struct Step<'a> {
    path: &'a str,
    statements: &'a [Statement],
    /// The apply_checks task: CHECK statements run only when missing or changed.
    ensure_checks: bool,
}

/// The pre-flight over rendered or on-disk files.
pub(crate) fn check(spec: &ProductSpec, files: &[RenderedFile]) -> Vec<Diagnostic> {
    check_parsed(spec, &sql_files(spec, files))
}

/// As [`check`], with the SQL files already split.
pub(crate) fn check_parsed(spec: &ProductSpec, sql: &[SqlFile]) -> Vec<Diagnostic> {
    let file = |path: &str| sql.iter().find(|f| f.path == path);
    let major = spec.major_version();
    let names: Vec<&str> = spec.contract.tables.keys().map(String::as_str).collect();
    let order = job_order(
        &names,
        &crate::render::table_rules::references(&spec.contract),
    );
    let mut job: Vec<Step> = Vec::new();
    for i in &order {
        let Some(name) = names.get(*i) else { continue };
        if let Some(f) = file(&format!("schemas/{name}_v{major}.sql")) {
            job.push(Step {
                path: f.path,
                statements: &f.statements,
                ensure_checks: false,
            });
        }
    }
    for i in &order {
        let Some(name) = names.get(*i) else { continue };
        if let Some(f) = file(&format!("{CHECKS_DIR}/{name}_v{major}.sql")) {
            job.push(Step {
                path: f.path,
                statements: &f.statements,
                ensure_checks: true,
            });
        }
    }

    let owner_group = spec.governance.access_policy.owner_group.to_uppercase();
    let deployer = Identity {
        name: DEPLOYER.to_string(),
        groups: vec![owner_group],
    };
    let catalog_owner = Identity {
        name: CATALOG_OWNER.to_string(),
        groups: Vec::new(),
    };
    let directory = Directory {
        service_principal_names: spec
            .governance
            .approved_consumers
            .iter()
            .filter(|c| {
                c.principal_type == PrincipalType::ServicePrincipal
                    && !is_application_id(&c.principal)
            })
            .map(|c| c.principal.to_uppercase())
            .collect(),
    };
    let mut model = Catalog::new(&spec.catalog().to_uppercase(), CATALOG_OWNER);
    let mut out = Vec::new();

    if let Some(f) = file(CATALOG_GRANTS) {
        let step = Step {
            path: f.path,
            statements: &f.statements,
            ensure_checks: false,
        };
        run(
            &mut model,
            &catalog_owner,
            &directory,
            &step,
            &mut out,
            None,
        );
    }
    for step in &job {
        run(&mut model, &deployer, &directory, step, &mut out, None);
    }
    if out.iter().any(Diagnostic::is_error) {
        return out;
    }
    let first = model.clone();
    let mut second = Vec::new();
    for step in &job {
        run(
            &mut model,
            &deployer,
            &directory,
            step,
            &mut second,
            Some(" (second run of the job)"),
        );
    }
    // Warnings were given on the first run already.
    out.extend(second.into_iter().filter(Diagnostic::is_error));
    let changed = first.differences(&model);
    if !changed.is_empty() && !out.iter().any(Diagnostic::is_error) {
        out.push(
            Diagnostic::new(
                Code::Dpc067,
                job.first().map_or("schemas/", |s| s.path),
                format!("the second run of the job changes {}; every run must leave a deployed product as it is", changed.join(", ")),
            )
            .help("add constraints, tags and grants only when missing (schemas/checks/ are applied that way)"),
        );
    }
    out
}

fn run(
    model: &mut Catalog,
    who: &Identity,
    directory: &Directory,
    step: &Step<'_>,
    out: &mut Vec<Diagnostic>,
    second_run: Option<&str>,
) {
    let when = second_run.unwrap_or("");
    let mut session = Session {
        who,
        directory,
        current: Vec::new(),
        ensure_checks: step.ensure_checks,
    };
    for s in step.statements {
        // On the second run every statement must leave the model as it found it.
        let before = second_run.map(|_| model.clone());
        match interpret::apply(model, &mut session, s) {
            Outcome::Applied => {
                if let Some(before) = before {
                    let changed = before.differences(model);
                    if !changed.is_empty() {
                        out.push(
                            Diagnostic::new(
                                Code::Dpc067,
                                step.path,
                                format!("the second run of the job changes {} here; a deployed product must be left as it is (constraints dropped and re-added rescan the table and fail concurrent writers)", changed.join(", ")),
                            )
                            .at_line(s.line, 1)
                            .help("add constraints, tags and grants only when missing (schemas/checks/ are applied that way)"),
                        );
                    }
                }
            }
            Outcome::Refused(r) => out.push(
                Diagnostic::new(
                    r.code,
                    step.path,
                    format!("{}: {}{when}", r.class, r.message),
                )
                .at_line(s.line, 1)
                .help(format!(
                    "Unity Catalog refuses this statement ({}); {}",
                    r.class,
                    r.doc_url()
                )),
            ),
            Outcome::NotUnderstood => out.push(
                Diagnostic::new(
                    Code::Dpc068,
                    step.path,
                    format!(
                        "not checked: the pre-flight does not model `{}`",
                        s.code.chars().take(60).collect::<String>().to_lowercase()
                    ),
                )
                .at_line(s.line, 1)
                .warning()
                .help("the statement may still be refused on Databricks; dpc cannot vouch for it"),
            ),
        }
    }
}
