//! `databricks.yml` against the spec, as it is on disk: the job applies every table's DDL file
//! in contract order and names no other, every alert of monitoring/alerts.yaml is an alert
//! resource with the same query, and the schema resource is the product's schema.

use crate::diagnostic::Code;
use crate::diagnostic::Diagnostic;
use crate::spec::ProductSpec;
use serde_json::Value;

pub(crate) const BUNDLE_FILE: &str = "databricks.yml";
pub(crate) const ALERTS_FILE: &str = "monitoring/alerts.yaml";

fn parse(text: &str) -> Result<Value, String> {
    serde_saphyr::from_str::<Value>(text).map_err(|e| e.to_string())
}

/// A bundle string as the Databricks CLI reads it: `$${` is a literal `${`.
fn literal(s: &str) -> String {
    s.replace("$${", "${")
}

/// A bundle path relative to the product: `./schemas/x.sql` → `schemas/x.sql`.
fn local(path: &str) -> &str {
    path.trim_start_matches("./")
}

/// One SQL file task: (job key, task index, task key, file, depends_on keys).
struct SqlFileTask {
    job: String,
    index: usize,
    key: String,
    file: String,
    depends_on: Vec<String>,
}

fn sql_file_tasks(bundle: &Value) -> Vec<SqlFileTask> {
    let mut out = Vec::new();
    let Some(jobs) = bundle.pointer("/resources/jobs").and_then(Value::as_object) else {
        return out;
    };
    for (job, body) in jobs {
        let tasks = body.get("tasks").and_then(Value::as_array);
        for (index, task) in tasks.into_iter().flatten().enumerate() {
            let Some(file) = task.pointer("/sql_task/file/path").and_then(Value::as_str) else {
                continue;
            };
            out.push(SqlFileTask {
                job: job.clone(),
                index,
                key: task
                    .get("task_key")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                file: local(file).to_string(),
                depends_on: task
                    .get("depends_on")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|d| d.get("task_key").and_then(Value::as_str))
                    .map(str::to_string)
                    .collect(),
            });
        }
    }
    out
}

/// Help for a bundle that disagrees with the spec.
const REGENERATE: &str = "run `dpc generate` to write databricks.yml from the spec";

/// Diagnostics for `databricks.yml` (`bundle`) and `monitoring/alerts.yaml` (`alerts`) as
/// found on disk; a missing file is left to the staleness check (DPC040).
pub fn check(spec: &ProductSpec, bundle: Option<&str>, alerts: Option<&str>) -> Vec<Diagnostic> {
    let Some(bundle) = bundle else {
        return Vec::new();
    };
    let bundle = match parse(bundle) {
        Ok(v) => v,
        Err(e) => {
            return vec![
                Diagnostic::new(
                    Code::Dpc050,
                    BUNDLE_FILE,
                    format!("{BUNDLE_FILE} does not parse: {e}"),
                )
                .help("run `dpc generate --force` to write it again from the spec"),
            ];
        }
    };
    let mut out = ddl_tasks(spec, &bundle);
    if let Some(alerts) = alerts.and_then(|text| parse(text).ok()) {
        out.extend(alert_resources(spec, &bundle, &alerts));
    }
    out.extend(schema_resource(spec, &bundle));
    out.extend(target_catalogs(spec, &bundle));
    out
}

/// Every table's DDL file is a SQL file task, each waiting for the one before in job order,
/// and no task applies a DDL file of a table the contract does not have.
fn ddl_tasks(spec: &ProductSpec, bundle: &Value) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let tasks = sql_file_tasks(bundle);
    let major = spec.major_version();
    // Job order: contract order, a referenced table before those that reference it.
    let names: Vec<&str> = spec.contract.tables.keys().map(String::as_str).collect();
    let references = crate::render::table_rules::references(&spec.contract);
    let ordered: Vec<&str> = crate::render::deploy::job_order(&names, &references)
        .into_iter()
        .filter_map(|i| names.get(i).copied())
        .collect();
    let expected: Vec<String> = ordered
        .iter()
        .map(|t| format!("schemas/{t}_v{major}.sql"))
        .collect();
    for (table, file) in ordered.iter().zip(&expected) {
        if !tasks.iter().any(|t| &t.file == file) {
            out.push(
                Diagnostic::new(
                    Code::Dpc051,
                    BUNDLE_FILE,
                    format!("no job task applies {file}, the DDL of table {table}"),
                )
                .at("resources.jobs")
                .help(REGENERATE),
            );
        }
    }
    for pair in expected.windows(2) {
        let (Some(first), Some(then)) = (
            tasks.iter().find(|t| t.file == pair[0]),
            tasks.iter().find(|t| t.file == pair[1]),
        ) else {
            continue;
        };
        if first.job == then.job && !then.depends_on.contains(&first.key) {
            out.push(
                Diagnostic::new(
                    Code::Dpc052,
                    BUNDLE_FILE,
                    format!(
                        "task {} ({}) does not wait for task {} ({}); the DDL files must run in contract order",
                        then.key, then.file, first.key, first.file
                    ),
                )
                .at(format!("resources.jobs.{}.tasks[{}]", then.job, then.index))
                .help(REGENERATE),
            );
        }
    }
    for t in tasks
        .iter()
        .filter(|t| t.file.starts_with("schemas/") && !expected.contains(&t.file))
    {
        out.push(
            Diagnostic::new(
                Code::Dpc053,
                BUNDLE_FILE,
                format!(
                    "task {} applies {}, which is not the DDL of a table in the contract",
                    t.key, t.file
                ),
            )
            .at(format!("resources.jobs.{}.tasks[{}]", t.job, t.index))
            .help(REGENERATE),
        );
    }
    out
}

/// Every alert of monitoring/alerts.yaml is an alert resource with the same query.
fn alert_resources(spec: &ProductSpec, bundle: &Value, alerts: &Value) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let resources: Vec<(&String, &Value)> = bundle
        .pointer("/resources/alerts")
        .and_then(Value::as_object)
        .map(|m| m.iter().collect())
        .unwrap_or_default();
    let listed = alerts.get("alerts").and_then(Value::as_array);
    for (i, alert) in listed.into_iter().flatten().enumerate() {
        let name = alert
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let query = alert
            .get("query")
            .and_then(Value::as_str)
            .unwrap_or_default();
        match resources.iter().find(|(_, r)| {
            r.get("display_name")
                .and_then(Value::as_str)
                .map(literal)
                .as_deref()
                == Some(name)
        }) {
            None => out.push(
                Diagnostic::new(
                    Code::Dpc054,
                    BUNDLE_FILE,
                    format!("alert {name:?} of {ALERTS_FILE} has no alert resource"),
                )
                .at("resources.alerts")
                .help(REGENERATE),
            ),
            Some((key, r))
                if r.get("query_text").and_then(Value::as_str).map(str::to_string)
                    != Some(crate::render::bundle::per_target_query(spec, query)) =>
            {
                out.push(
                    Diagnostic::new(
                        Code::Dpc055,
                        BUNDLE_FILE,
                        format!(
                            "alert {key} runs a different query than {name:?} in {ALERTS_FILE} (alerts[{i}])"
                        ),
                    )
                    .at(format!("resources.alerts.{key}.query_text"))
                    .help(REGENERATE),
                )
            }
            Some(_) => {}
        }
    }
    out
}

/// The schema resource is the product's schema.
fn schema_resource(spec: &ProductSpec, bundle: &Value) -> Option<Diagnostic> {
    let schemas: Vec<(&String, &Value)> = bundle
        .pointer("/resources/schemas")
        .and_then(Value::as_object)
        .map(|m| m.iter().collect())
        .unwrap_or_default();
    let found = schemas
        .iter()
        .any(|(_, s)| s.get("name").and_then(Value::as_str) == Some(spec.schema()));
    (!found).then(|| {
        Diagnostic::new(
            Code::Dpc056,
            BUNDLE_FILE,
            format!("no schema resource creates schema {}", spec.schema()),
        )
        .at("resources")
        .help(REGENERATE)
    })
}

/// prod deploys to the spec's catalog; every other target to one of its own, because the
/// job's SQL follows the target's `catalog` variable (`USE CATALOG IDENTIFIER(:catalog)`).
fn target_catalogs(spec: &ProductSpec, bundle: &Value) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let targets = bundle.get("targets").and_then(Value::as_object);
    let catalog_of = |target: &str| {
        targets
            .and_then(|t| t.get(target))
            .and_then(|b| b.pointer("/variables/catalog"))
            .and_then(Value::as_str)
    };
    if let Some(catalog) = catalog_of("prod")
        && catalog != spec.catalog()
    {
        out.push(
            Diagnostic::new(
                Code::Dpc056,
                BUNDLE_FILE,
                format!(
                    "target prod deploys to catalog {catalog}, but product.yaml names {}",
                    spec.catalog()
                ),
            )
            .at("targets.prod.variables.catalog")
            .help("change catalog_location.catalog in product.yaml and run `dpc generate`"),
        );
    }
    for (target, body) in targets.into_iter().flatten() {
        let catalog = body.pointer("/variables/catalog").and_then(Value::as_str);
        if target != "prod" && catalog.is_some_and(|c| c == spec.catalog()) {
            out.push(
                Diagnostic::new(
                    Code::Dpc056,
                    BUNDLE_FILE,
                    format!(
                        "target {target} deploys to catalog {}, the production catalog: a run from {target} would change production tables",
                        spec.catalog()
                    ),
                )
                .at(format!("targets.{target}.variables.catalog"))
                .help("give the target a catalog of its own (dpc generates `<catalog>_dev` for dev)"),
            );
        }
    }
    out
}
