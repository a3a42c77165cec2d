//! What `databricks.yml` and `monitoring/alerts.yaml` say, computed from the view model: the
//! alerts with their SQL (one list, so both files carry the same queries), the DDL tasks in
//! the order they must run, schedules as Quartz cron, and the schema grants. Templates only
//! lay these out.

use super::model::{ReaderModel, TableModel};
use crate::lang::escape::{sql_identifier, sql_qualified, sql_string};
use crate::spec::ProductSpec;
use crate::spec::sla::{Alert, FreshnessMetric};
use crate::spec::values::Severity;
use serde::Serialize;
use std::sync::LazyLock;

/// Path of the quality-check runner the bundle's job starts, relative to the product.
pub(crate) const QUALITY_RUNNER: &str = "quality/run_checks.py";
/// Task key of the job's quality-check task.
pub(crate) const QUALITY_TASK: &str = "quality_checks";
/// The table in the product's schema the quality job appends one row per rule per run to
/// (and one per table with the table's score, `rule_id` NULL); the quality alerts and the
/// quality dashboard read it. The quality job creates it (`CREATE TABLE IF NOT EXISTS`).
pub const RESULTS_TABLE: &str = "dpc_quality_results";
/// The Databricks job run's id, a dynamic value reference the quality task passes as
/// `--run-id`, so every results row names the run that wrote it.
pub(crate) const RUN_ID_REFERENCE: &str = "{{job.run_id}}";
/// Task key of the job's task that adds missing or changed CHECK constraints.
pub(crate) const CHECKS_TASK: &str = "apply_checks";
/// Schedule text used when the spec names none.
const DEFAULT_FREQUENCY: &str = "Every 30 minutes";

/// One alert: a query, the column it watches, and when it fires.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AlertModel {
    /// Key of the alert in the bundle's `resources.alerts`.
    pub key: String,
    /// Display name, the same in alerts.yaml and the bundle.
    pub name: String,
    /// `freshness`, `quality`, `quality_score` or `availability`.
    pub kind: &'static str,
    /// Reads the product's tables (freshness); the quality alerts read only the results table.
    pub reads_product_tables: bool,
    /// Runs as the quality identity: it reads the product's tables, whom the masks admit, or
    /// the results table, which the quality identity's job creates and owns.
    pub runs_as_quality_identity: bool,
    pub table: String,
    pub severity: Severity,
    /// Databricks SQL returning one row with `column`, naming the production tables (as
    /// alerts.yaml documents them).
    pub query: String,
    /// The same query as the bundle runs it: the catalog is `${var.catalog}`, the target's.
    pub bundle_query: String,
    pub column: &'static str,
    /// `>` or `<`, as alerts.yaml writes it.
    pub operator: &'static str,
    /// The same comparison as the bundle spells it (`GREATER_THAN`, `LESS_THAN`).
    pub comparison: &'static str,
    pub threshold: Threshold,
    /// The schedule as the SLA words it (`Every 30 minutes`).
    pub schedule: String,
    /// The same schedule as a Quartz cron expression.
    pub cron: String,
    pub notification_channels: Vec<String>,
    pub subscriptions: Vec<Subscription>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub(crate) enum Threshold {
    Count(u64),
    Percent(f64),
}

/// Who hears about an alert: the owner's mailbox, or a notification destination whose id is a
/// bundle variable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Subscription {
    pub user_email: Option<String>,
    pub destination_variable: Option<String>,
}

/// A bundle variable holding the id of the notification destination for one channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct DestinationVariable {
    pub name: String,
    pub channel: String,
    /// The destination's display name the bundle looks up: the settings' name for the
    /// channel, else the channel itself.
    pub lookup: String,
}

/// One SQL file task of the job.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DdlTask {
    pub key: String,
    pub table: String,
    pub file: String,
    /// The task that must finish first (the previous DDL file).
    pub depends_on: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct SchemaGrant {
    pub principal: String,
    pub privileges: Vec<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct BundleModel {
    pub name: String,
    /// The production catalog (the `prod` target's), from product.yaml.
    pub catalog: String,
    /// The `dev` target's catalog: never production's, so a run from dev cannot touch prod.
    pub dev_catalog: String,
    pub schema: String,
    /// Key of the schema in `resources.schemas`.
    pub schema_key: String,
    pub schema_grants: Vec<SchemaGrant>,
    pub job_key: String,
    pub job_name: String,
    /// When the job runs: once per tightest freshness target.
    pub job_cron: String,
    pub job_schedule: String,
    /// The DDL files in dependency order, each task waiting for the one before.
    pub ddl_tasks: Vec<DdlTask>,
    pub quality_task: String,
    /// The job that runs the quality checks when a table changes (its own job: the deploy job
    /// runs once after a deploy, never on a schedule).
    pub quality_job_key: String,
    /// `${var.catalog}.schema.table` of every table, for the quality job's `table_update`.
    pub trigger_tables: Vec<String>,
    /// The targets (dev, prod) with their hosts, catalogs, identities and lookups.
    pub targets: Vec<super::targets::TargetModel>,
    /// A target names its deploy identity by display name: the variable is declared.
    pub run_as_variable: bool,
    /// The SLA has an availability alert (read from `system.query.history`, an hour late).
    pub availability_alert: bool,
    /// `--var ...` the documented dev commands pass (variables dev cannot look up).
    pub dev_pass: String,
    /// `--var ...` the documented prod commands pass (variables prod cannot look up).
    pub prod_pass: String,
    pub quality_runner: &'static str,
    /// The quality results table's name, `catalog.schema.table` (quoted, production catalog)
    /// and `schema.table` (quoted, for the job's Python after `USE CATALOG`).
    pub results_table: &'static str,
    pub results_fqn: minijinja::Value,
    pub results_job_fqn: String,
    /// `{{job.run_id}}`, passed to the quality task as `--run-id`.
    pub run_id_reference: &'static str,
    pub quality_depends_on: Option<String>,
    /// The task that applies CHECK constraints after the DDL files (None: no table has any).
    pub checks_task: Option<DdlTask>,
    /// The service principal the quality job and the quality alerts run as: the quality
    /// identity the masks admit (None: whoever the target runs as).
    pub quality_run_as: Option<String>,
    pub owner_group: String,
    pub owner_email: String,
    pub destination_variables: Vec<DestinationVariable>,
}

/// Letters, digits and underscores only, lower case, never empty, starting with a letter.
pub(crate) fn resource_key(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_matches('_').to_string();
    match out.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => out,
        _ => format!("x_{out}").trim_end_matches('_').to_string(),
    }
}

/// Makes `key` unique among `taken` by appending `_2`, `_3`, ...
fn unique(key: String, taken: &mut Vec<String>) -> String {
    let mut candidate = key.clone();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{key}_{n}");
        n += 1;
    }
    taken.push(candidate.clone());
    candidate
}

static EVERY: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"(?i)\bevery\s+(\d+\s+)?(minute|min|hour|day|week)s?\b")
        .expect("constant regex")
});

/// Minutes between runs for an SLA frequency text (`Every 30 minutes`, `Hourly`, `Daily`).
pub(crate) fn frequency_minutes(text: &str) -> Option<u64> {
    let lower = text.trim().to_ascii_lowercase();
    let unit = |u: &str| match u {
        "minute" | "min" => 1,
        "hour" => 60,
        "day" => 1440,
        _ => 10080,
    };
    if let Some(c) = EVERY.captures(&lower) {
        let n: u64 = c
            .get(1)
            .and_then(|m| m.as_str().trim().parse().ok())
            .unwrap_or(1);
        return (n > 0).then(|| n * unit(&c[2]));
    }
    match lower.as_str() {
        "hourly" => Some(60),
        "daily" => Some(1440),
        "weekly" => Some(10080),
        _ => None,
    }
}

/// A Quartz cron expression that fires about every `minutes` minutes (UTC).
pub(crate) fn quartz_cron(minutes: u64) -> String {
    match minutes {
        0..60 => format!("0 0/{} * * * ?", minutes.max(1)),
        60..1440 => format!("0 0 0/{} * * ?", minutes / 60),
        1440..10080 if minutes / 1440 == 1 => "0 0 0 * * ?".to_string(),
        1440..10080 => format!("0 0 0 1/{} * ?", minutes / 1440),
        _ => "0 0 0 ? * MON".to_string(),
    }
}

/// The Quartz cron of an SLA frequency text; hourly when the text says no interval.
fn cron_of(text: &str) -> String {
    quartz_cron(frequency_minutes(text).unwrap_or(60))
}

/// The SLA alert whose name mentions `word`, else the one at `fallback`.
fn sla_alert<'a>(spec: &'a ProductSpec, word: &str, fallback: Option<usize>) -> Option<&'a Alert> {
    let alerts = &spec.sla.monitoring.alerts;
    alerts
        .iter()
        .find(|a| a.name.to_ascii_lowercase().contains(word))
        .or_else(|| fallback.and_then(|i| alerts.get(i)))
}

static WINDOW: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"(?i)>\s*(\d+)(?:.*?\bin\s+(\d+)\s+minutes?)?").expect("constant regex")
});

/// `(failures, minutes)` from an availability condition such as `Query failures > 5 in 10
/// minutes`; 5 in 10 when the text says otherwise.
pub(crate) fn availability_window(condition: &str) -> (u64, u64) {
    WINDOW
        .captures(condition)
        .map(|c| {
            let failures = c[1].parse().unwrap_or(5);
            let minutes = c
                .get(2)
                .and_then(|m| m.as_str().parse().ok())
                .filter(|m| *m > 0)
                .unwrap_or(10);
            (failures, minutes)
        })
        .unwrap_or((5, 10))
}

/// `catalog.schema.dpc_quality_results`, quoted, with the production catalog (the bundle's
/// queries name `${var.catalog}` instead, through `per_target_query`).
pub fn results_fqn(spec: &ProductSpec) -> String {
    sql_qualified(&[spec.catalog(), spec.schema(), RESULTS_TABLE])
}

/// SQL of the freshness alert: minutes since the newest record.
pub(crate) fn freshness_query(table: &TableModel) -> Option<String> {
    table.freshness.as_ref().map(|f| {
        format!(
            "SELECT timestampdiff(MINUTE, max({}), current_timestamp()) AS minutes_since_update FROM {}",
            f.column_sql, table.fqn
        )
    })
}

/// What every alert of a product shares: the product's name, the SLA alerts that set severity
/// and channels, and the schedule used where a table names none.
struct AlertContext<'a> {
    product: &'a str,
    freshness_sla: Option<&'a Alert>,
    quality_sla: Option<&'a Alert>,
    metrics: &'a [FreshnessMetric],
    first_frequency: &'a str,
}

impl<'a> AlertContext<'a> {
    fn new(spec: &'a ProductSpec) -> Self {
        let metrics = &spec.sla.freshness.metrics;
        AlertContext {
            product: spec.name(),
            freshness_sla: sla_alert(spec, "fresh", Some(0)),
            quality_sla: sla_alert(spec, "quality", Some(1)),
            metrics,
            first_frequency: metrics
                .first()
                .map_or(DEFAULT_FREQUENCY, |m| m.measurement_frequency.as_str()),
        }
    }
}

/// The channels of an SLA alert; email when the SLA has no such alert.
fn channels(sla: Option<&Alert>) -> Vec<String> {
    sla.map(|a| a.notification_channels.clone())
        .unwrap_or_else(|| vec!["email".to_string()])
}

/// The severity of an SLA alert; high when the SLA has no such alert.
fn severity(sla: Option<&Alert>) -> Severity {
    sla.map_or(Severity::High, |a| a.severity)
}

/// Everything the alerts of a product need, in the order alerts.yaml lists them.
pub(crate) fn alerts(spec: &ProductSpec, tables: &[TableModel]) -> Vec<AlertModel> {
    let owner_email = &spec.product.product_metadata.owner.email;
    let ctx = AlertContext::new(spec);
    let drafts = freshness_alerts(&ctx, tables)
        .into_iter()
        .chain(critical_rule_alerts(spec, &ctx, tables))
        .chain(quality_score_alerts(spec, &ctx, tables))
        .chain(availability_alert(spec));
    // Keys are made unique in list order, so an earlier alert keeps the plain key.
    let mut taken = Vec::new();
    drafts
        .map(|(key, alert)| AlertModel {
            key: unique(key, &mut taken),
            bundle_query: per_target_query(spec, &alert.query),
            subscriptions: subscriptions(&alert.notification_channels, owner_email),
            ..alert
        })
        .collect()
}

/// One freshness alert per table with a freshness target: minutes since the newest record.
fn freshness_alerts(ctx: &AlertContext, tables: &[TableModel]) -> Vec<(String, AlertModel)> {
    let mut out = Vec::new();
    for t in tables {
        let Some(query) = freshness_query(t) else {
            continue;
        };
        let threshold = t.freshness.as_ref().map_or(0, |f| f.breach_minutes);
        let schedule = ctx
            .metrics
            .iter()
            .find(|m| m.table == t.name)
            .map_or(ctx.first_frequency, |m| m.measurement_frequency.as_str());
        out.push((
            resource_key(&format!("freshness_{}", t.name)),
            AlertModel {
                key: String::new(),
                name: format!("{} {} freshness breach", ctx.product, t.name),
                kind: "freshness",
                reads_product_tables: true,
                runs_as_quality_identity: true,
                table: t.full_name.clone(),
                severity: severity(ctx.freshness_sla),
                query,
                bundle_query: String::new(),
                column: "minutes_since_update",
                operator: ">",
                comparison: "GREATER_THAN",
                threshold: Threshold::Count(threshold),
                cron: cron_of(schedule),
                schedule: schedule.to_string(),
                notification_channels: channels(ctx.freshness_sla),
                subscriptions: Vec::new(),
            },
        ));
    }
    out
}

/// The quality results of `table` in the latest run that checked it, as a `FROM ... WHERE`
/// tail on the results table (`results`, quoted).
fn latest_run(results: &str, table: &str) -> String {
    let name = sql_string(table);
    format!(
        "FROM {results} WHERE table_name = {name} AND run_id = (SELECT max_by(run_id, run_time) FROM {results} WHERE table_name = {name})"
    )
}

/// One alert per table with a critical rule: in the latest quality run, how many critical
/// rules fail. It reads the results table the quality job appends to, never the table itself.
fn critical_rule_alerts(
    spec: &ProductSpec,
    ctx: &AlertContext,
    tables: &[TableModel],
) -> Vec<(String, AlertModel)> {
    let results = results_fqn(spec);
    tables
        .iter()
        .filter(|t| t.rules.iter().any(|r| r.severity == Severity::Critical))
        .map(|t| {
            (
                resource_key(&format!("quality_{}", t.name)),
                AlertModel {
                    key: String::new(),
                    name: format!("{} {} critical rules", ctx.product, t.name),
                    kind: "quality",
                    reads_product_tables: false,
                    runs_as_quality_identity: true,
                    table: t.full_name.clone(),
                    severity: Severity::Critical,
                    query: format!(
                        "SELECT count_if(severity = 'critical' AND rows_failing > 0) AS failing_critical_rules {}",
                        latest_run(&results, &t.name)
                    ),
                    bundle_query: String::new(),
                    column: "failing_critical_rules",
                    operator: ">",
                    comparison: "GREATER_THAN",
                    threshold: Threshold::Count(0),
                    cron: cron_of(ctx.first_frequency),
                    schedule: ctx.first_frequency.to_string(),
                    notification_channels: channels(ctx.quality_sla),
                    subscriptions: Vec::new(),
                },
            )
        })
        .collect()
}

/// One alert per table with rules, when the SLA sets a quality metric: the table's quality
/// score in the latest quality run (its `rule_id` NULL row in the results table) falls below
/// the metric's breach threshold (accuracy's, else the first).
fn quality_score_alerts(
    spec: &ProductSpec,
    ctx: &AlertContext,
    tables: &[TableModel],
) -> Vec<(String, AlertModel)> {
    let metrics = &spec.sla.quality.metrics;
    let Some(metric) = metrics
        .iter()
        .find(|m| m.name == "accuracy")
        .or_else(|| metrics.first())
    else {
        return Vec::new();
    };
    let results = results_fqn(spec);
    tables
        .iter()
        .filter(|t| !t.rules.is_empty())
        .map(|t| {
            (
                resource_key(&format!("quality_score_{}", t.name)),
                AlertModel {
                    key: String::new(),
                    name: format!("{} {} quality score", ctx.product, t.name),
                    kind: "quality_score",
                    reads_product_tables: false,
                    runs_as_quality_identity: true,
                    table: t.full_name.clone(),
                    severity: severity(ctx.quality_sla),
                    query: format!(
                        "SELECT round(score, 3) AS score_pct FROM {results} WHERE table_name = {} AND rule_id IS NULL ORDER BY run_time DESC LIMIT 1",
                        sql_string(&t.name)
                    ),
                    bundle_query: String::new(),
                    column: "score_pct",
                    operator: "<",
                    comparison: "LESS_THAN",
                    threshold: Threshold::Percent(metric.breach_threshold.0),
                    cron: cron_of(ctx.first_frequency),
                    schedule: ctx.first_frequency.to_string(),
                    notification_channels: channels(ctx.quality_sla),
                    subscriptions: Vec::new(),
                },
            )
        })
        .collect()
}

/// How late rows reach `system.query.history` at most: the availability alert looks at the
/// window that ended this long ago, which is complete, so it can fire (an hour late).
pub(crate) const QUERY_HISTORY_LAG_MINUTES: u64 = 60;

/// The availability alert, when the SLA has one: failed queries on the schema within its window.
fn availability_alert(spec: &ProductSpec) -> Option<(String, AlertModel)> {
    let sla = sla_alert(spec, "availab", None)?;
    let (failures, minutes) = availability_window(&sla.condition);
    let from = minutes + QUERY_HISTORY_LAG_MINUTES;
    let like = sql_string(&format!("%{}.{}%", spec.catalog(), spec.schema()).to_lowercase());
    Some((
        "availability".to_string(),
        AlertModel {
            key: String::new(),
            name: format!("{} availability", spec.name()),
            kind: "availability",
            reads_product_tables: false,
            runs_as_quality_identity: false,
            table: format!("{}.{}", spec.catalog(), spec.schema()),
            severity: sla.severity,
            query: format!(
                "SELECT count(*) AS failed_queries FROM system.query.history WHERE execution_status = 'FAILED' AND start_time >= current_timestamp() - INTERVAL {from} MINUTES AND start_time < current_timestamp() - INTERVAL {QUERY_HISTORY_LAG_MINUTES} MINUTES AND lower(replace(statement_text, '`', '')) LIKE {like}"
            ),
            bundle_query: String::new(),
            column: "failed_queries",
            operator: ">",
            comparison: "GREATER_THAN",
            threshold: Threshold::Count(failures),
            cron: quartz_cron(minutes),
            schedule: format!("Every {minutes} minutes"),
            notification_channels: sla.notification_channels.clone(),
            subscriptions: Vec::new(),
        },
    ))
}

/// An alert query of monitoring/alerts.yaml (production names) as the bundle writes it, for
/// the `yaml` filter: the catalog is `${var.catalog}`, the target's, and every other `${` is
/// written `$${`, which the CLI reads as a literal. Every table an alert reads is
/// `catalog.schema.table`, and the availability alert matches `%catalog.schema%`; dpc's own SQL
/// puts nothing else there.
pub fn per_target_query(spec: &ProductSpec, query: &str) -> String {
    let schema_sql = sql_identifier(spec.schema());
    let prefix = format!("{}.{schema_sql}.", sql_identifier(spec.catalog()));
    let like = sql_string(&format!("%{}.{}%", spec.catalog(), spec.schema()).to_lowercase());
    // lower(): the statement text it matches is lower-cased, the target's catalog may not be.
    let per_target_like = format!(
        "lower({})",
        sql_string(&format!("%${{var.catalog}}.{}%", spec.schema()))
    );
    query
        .replace("${", "$${")
        .replace(&prefix, &format!("${{var.catalog}}.{schema_sql}."))
        .replace(&like, &per_target_like)
}

/// The bundle variable that holds the destination id of a non-email channel.
pub(crate) fn destination_variable(channel: &str) -> String {
    format!("{}_destination_id", resource_key(channel))
}

fn subscriptions(channels: &[String], owner_email: &str) -> Vec<Subscription> {
    let mut out: Vec<Subscription> = Vec::new();
    for channel in channels {
        let s = if channel.eq_ignore_ascii_case("email") {
            Subscription {
                user_email: Some(owner_email.to_string()),
                destination_variable: None,
            }
        } else {
            Subscription {
                user_email: None,
                destination_variable: Some(destination_variable(channel)),
            }
        };
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// The bundle: schema, job (DDL in order, then the quality checks) and its schedule, owners.
pub(crate) fn bundle(
    spec: &ProductSpec,
    tables: &[&TableModel],
    readers: &[ReaderModel],
    alerts: &[AlertModel],
) -> BundleModel {
    let schema = spec.schema().to_string();
    let owner_group = spec.governance.access_policy.owner_group.clone();

    let quality_run_as = super::deploy::quality_identity(spec);
    let schema_grants = schema_grants(&owner_group, readers, quality_run_as);
    let ddl_tasks = ddl_tasks(tables);
    let checks_task = tables
        .iter()
        .any(|t| t.checks_file.is_some())
        .then(|| DdlTask {
            key: CHECKS_TASK.to_string(),
            table: String::new(),
            file: super::deploy::CHECKS_RUNNER.to_string(),
            depends_on: ddl_tasks.last().map(|t| t.key.clone()),
        });

    let target = tables
        .iter()
        .filter_map(|t| t.freshness.as_ref().map(|f| f.target_minutes))
        .min()
        .unwrap_or(1440);
    let targets = super::targets::targets(spec);

    BundleModel {
        name: spec.name().to_string(),
        catalog: spec.catalog().to_string(),
        dev_catalog: spec.settings.dev_catalog(spec.catalog()),
        schema_key: resource_key(&schema),
        schema,
        schema_grants,
        job_key: resource_key(&format!("{}_apply_and_check", spec.name())),
        job_name: format!("{}: apply DDL", spec.name()),
        job_cron: quartz_cron(target),
        job_schedule: format!("every {}", describe_minutes(target)),
        quality_depends_on: checks_task
            .as_ref()
            .or(ddl_tasks.last())
            .map(|t| t.key.clone()),
        checks_task,
        quality_run_as: quality_run_as.map(str::to_string),
        ddl_tasks,
        quality_task: QUALITY_TASK.to_string(),
        quality_job_key: resource_key(&format!("{}_quality", spec.name())),
        trigger_tables: tables
            .iter()
            // Unquoted, as full names are spelled in the Jobs API; `$${` keeps user text literal.
            .map(|t| {
                let name = format!("{}.{}", spec.schema(), t.name);
                format!("${{var.catalog}}.{}", name.replace("${", "$${"))
            })
            .collect(),
        run_as_variable: super::targets::uses_run_as_variable(&targets),
        availability_alert: alerts.iter().any(|a| a.kind == "availability"),
        results_table: RESULTS_TABLE,
        results_fqn: minijinja::Value::from_safe_string(results_fqn(spec)),
        results_job_fqn: sql_qualified(&[spec.schema(), RESULTS_TABLE]),
        run_id_reference: RUN_ID_REFERENCE,
        dev_pass: targets
            .iter()
            .find(|t| !t.production)
            .map(|t| t.pass.clone())
            .unwrap_or_default(),
        prod_pass: targets
            .iter()
            .find(|t| t.production)
            .map(|t| t.pass.clone())
            .unwrap_or_default(),
        targets,
        quality_runner: QUALITY_RUNNER,
        owner_group,
        owner_email: spec.product.product_metadata.owner.email.clone(),
        destination_variables: destination_variables(spec, alerts),
    }
}

/// The owner group holds everything on the schema; every reader with a grant may use it; the
/// quality identity reads every table and may create tables, so its job creates (and owns) the
/// results table.
fn schema_grants(
    owner_group: &str,
    readers: &[ReaderModel],
    quality_identity: Option<&str>,
) -> Vec<SchemaGrant> {
    let mut grants = vec![SchemaGrant {
        principal: owner_group.to_string(),
        privileges: vec!["ALL_PRIVILEGES"],
    }];
    for r in readers.iter().filter(|r| !r.grants.is_empty()) {
        match grants.iter_mut().find(|g| g.principal == r.grantee) {
            Some(g) if !g.privileges.contains(&"ALL_PRIVILEGES") => g.privileges.push("USE_SCHEMA"),
            Some(_) => {}
            None => grants.push(SchemaGrant {
                principal: r.grantee.clone(),
                privileges: vec!["USE_SCHEMA"],
            }),
        }
    }
    // It reads every table (the table trigger's run-as identity must) and creates the results.
    if let Some(id) = quality_identity {
        let wanted = ["USE_SCHEMA", "SELECT", "CREATE_TABLE"];
        match grants.iter_mut().find(|g| g.principal == id) {
            Some(g) if g.privileges.contains(&"ALL_PRIVILEGES") => {}
            Some(g) => {
                for p in wanted {
                    if !g.privileges.contains(&p) {
                        g.privileges.push(p);
                    }
                }
            }
            None => grants.push(SchemaGrant {
                principal: id.to_string(),
                privileges: wanted.to_vec(),
            }),
        }
    }
    grants
}

/// One task per DDL file, each waiting for the one before.
fn ddl_tasks(tables: &[&TableModel]) -> Vec<DdlTask> {
    // Every DDL file creates the schema if needed and touches only its own table, its masks
    // and its view, so contract order is a dependency order; the chain keeps runs serial.
    let mut taken = vec![QUALITY_TASK.to_string(), CHECKS_TASK.to_string()];
    let mut tasks: Vec<DdlTask> = Vec::new();
    for t in tables {
        let key = unique(resource_key(&format!("ddl_{}", t.name)), &mut taken);
        tasks.push(DdlTask {
            depends_on: tasks.last().map(|p| p.key.clone()),
            key,
            table: t.name.clone(),
            file: t.file.clone(),
        });
    }
    tasks
}

/// One bundle variable per non-email channel any alert notifies, in first-use order.
fn destination_variables(spec: &ProductSpec, alerts: &[AlertModel]) -> Vec<DestinationVariable> {
    let mut out: Vec<DestinationVariable> = Vec::new();
    for channel in alerts.iter().flat_map(|a| &a.notification_channels) {
        if channel.eq_ignore_ascii_case("email") {
            continue;
        }
        let name = destination_variable(channel);
        if !out.iter().any(|d| d.name == name) {
            out.push(DestinationVariable {
                name,
                channel: channel.clone(),
                lookup: spec
                    .settings
                    .notification_destinations
                    .get(channel.as_str())
                    .cloned()
                    .unwrap_or_else(|| channel.clone()),
            });
        }
    }
    out
}

/// A number of minutes as the largest whole unit: `(2, "day")`, `(90, "minute")`.
fn whole_units(m: u64) -> (u64, &'static str) {
    if m >= 1440 && m.is_multiple_of(1440) {
        (m / 1440, "day")
    } else if m >= 60 && m.is_multiple_of(60) {
        (m / 60, "hour")
    } else {
        (m, "minute")
    }
}

/// A schedule's interval after "every": `day`, `4 hours`.
fn describe_minutes(m: u64) -> String {
    let (n, unit) = whole_units(m);
    if n == 1 {
        unit.to_string()
    } else {
        format!("{n} {unit}s")
    }
}

/// A duration in words, as the docs give SLA targets: `1 day`, `4 hours`, `90 minutes`.
pub(crate) fn duration_text(m: u64) -> String {
    let (n, unit) = whole_units(m);
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frequencies_become_cron() {
        assert_eq!(frequency_minutes("Every 30 minutes"), Some(30));
        assert_eq!(frequency_minutes("every hour"), Some(60));
        assert_eq!(frequency_minutes("Every 4 hours"), Some(240));
        assert_eq!(frequency_minutes("Daily"), Some(1440));
        assert_eq!(frequency_minutes("whenever"), None);
        assert_eq!(quartz_cron(30), "0 0/30 * * * ?");
        assert_eq!(quartz_cron(240), "0 0 0/4 * * ?");
        assert_eq!(quartz_cron(1440), "0 0 0 * * ?");
        assert_eq!(quartz_cron(2880), "0 0 0 1/2 * ?");
        assert_eq!(quartz_cron(10080), "0 0 0 ? * MON");
    }

    #[test]
    fn keys_are_identifiers() {
        assert_eq!(resource_key("customer-360"), "customer_360");
        assert_eq!(resource_key("ddl_Orders (EU)"), "ddl_orders_eu");
        assert_eq!(resource_key("360-view"), "x_360_view");
        let mut taken = vec!["a".to_string()];
        assert_eq!(unique("a".into(), &mut taken), "a_2");
    }

    #[test]
    fn durations_are_worded_in_whole_units() {
        assert_eq!(duration_text(1), "1 minute");
        assert_eq!(duration_text(90), "90 minutes");
        assert_eq!(duration_text(60), "1 hour");
        assert_eq!(duration_text(1500), "25 hours");
        assert_eq!(duration_text(1440), "1 day");
        assert_eq!(duration_text(2880), "2 days");
        assert_eq!(describe_minutes(1440), "day");
        assert_eq!(describe_minutes(240), "4 hours");
    }

    #[test]
    fn availability_condition_is_read() {
        assert_eq!(
            availability_window("Query failures > 5 in 10 minutes"),
            (5, 10)
        );
        assert_eq!(
            availability_window("Query failures > 3 in 15 minutes"),
            (3, 15)
        );
        assert_eq!(availability_window("something else"), (5, 10));
    }
}
