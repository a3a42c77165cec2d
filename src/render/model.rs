//! The view model the templates see: the spec plus everything computed from it (SQL
//! fragments, grants, masks, expectations). Computed here, in Rust, so templates hold layout only.
//! Fragments of code that are already escaped travel as safe strings; everything else is
//! raw text that a template must pass through an escaping filter.

use crate::lang::escape::{sql_identifier, sql_principal, sql_qualified};
use crate::spec::ProductSpec;
use crate::spec::contract::{ExpectationKind, Field, Table};
use crate::spec::contract_sql::{self, Check};
use crate::spec::data_type::DataType;
use crate::spec::governance::{
    DefaultAccess, MaskMethod, MaskRule, MaskingStrategy, PrincipalType,
};
use crate::spec::policy;
use crate::spec::values::Severity;
use minijinja::Value;
use serde::Serialize;

/// Code that is already escaped for its language.
fn code(s: impl Into<String>) -> Value {
    Value::from_safe_string(s.into())
}

#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct ModelError {
    pub file: &'static str,
    pub message: String,
}

fn contract_error(message: impl Into<String>) -> ModelError {
    ModelError {
        file: crate::spec::CONTRACT_FILE,
        message: message.into(),
    }
}

#[derive(Serialize)]
pub(crate) struct Model<'a> {
    pub generator: String,
    pub product: &'a crate::spec::ProductManifest,
    pub contract: &'a crate::spec::Contract,
    pub sla: &'a crate::spec::Sla,
    pub governance: &'a crate::spec::Governance,
    pub catalog_sql: Value,
    /// `catalog.schema`, the production names, as the docs show them.
    pub schema_sql: Value,
    /// The schema as the job's SQL names it: after `USE CATALOG IDENTIFIER(:catalog)`, so the
    /// target's catalog, never a literal one, decides where it lands.
    pub job_schema_sql: Value,
    pub owner_group_sql: Value,
    /// True when PII is hidden by column masks.
    pub column_masks: bool,
    /// True when PII is hidden by `<table>_masked` views that readers are granted instead.
    pub masked_views: bool,
    /// True when every account user may read (`default_access: ACCOUNT_USERS`).
    pub public_access: bool,
    /// Who may read by default, in words.
    pub access_text: &'static str,
    /// True when the contract's versions are semantic (`MAJOR.MINOR.PATCH`).
    pub semantic_versioning: bool,
    /// Every masking rule on a column the contract has, in rule order, with what a reader
    /// outside its unmask groups sees.
    pub masked_columns: Vec<MaskedColumnModel>,
    /// The unmask groups of every masking rule, each once, in rule order.
    pub unmask_groups: Vec<String>,
    /// The sample query joining the first table to the others that hold its key, if any do.
    pub sample_join: Option<SampleJoinModel>,
    pub critical_action: &'static str,
    pub tables: Vec<TableModel>,
    pub consumers: Vec<ConsumerModel>,
    /// Principals that read the product: approved consumers, or `account users` when public.
    pub readers: Vec<ReaderModel>,
    pub expectation_count: usize,
    pub pii_count: usize,
    /// Columns that hold another table's key, as `dpc sample` fills them (`crate::spec::keys`).
    pub references: Vec<super::table_rules::ReferenceModel>,
    /// Every monitoring alert with its SQL, as alerts.yaml and databricks.yml list them.
    pub alerts: Vec<super::bundle::AlertModel>,
    /// The asset bundle (databricks.yml): schema, DDL job, quality checks, owners.
    pub bundle: super::bundle::BundleModel,
    /// Catalog-level grants for the catalog's owner (`schemas/catalog/grants.sql`): the owner
    /// group may create the schema, every reader may use the catalog.
    pub catalog_grants: Vec<Value>,
    pub catalog_grants_file: &'static str,
    pub checks_runner: &'static str,
    /// Service principals that get no grant because the spec has no application ID for them
    /// (the consumer guide lists them).
    pub ungranted: Vec<String>,
}

/// The first table left-joined to every other table that has a column named like its first
/// key column.
#[derive(Serialize)]
pub(crate) struct SampleJoinModel {
    pub key: String,
    pub key_sql: Value,
    pub first: String,
    /// What readers query for the first table (its `read_fqn`).
    pub first_source: Value,
    pub joined: Vec<JoinedTableModel>,
    /// The select list: three columns of the first table (`t0`), then two of each joined
    /// table besides the key.
    pub select: Vec<Value>,
}

#[derive(Serialize)]
pub(crate) struct JoinedTableModel {
    pub name: String,
    pub source: Value,
    /// `t1`, `t2`, ...: the name the select list and the join condition use.
    pub alias: Value,
}

#[derive(Serialize)]
pub(crate) struct MaskedColumnModel {
    pub table: String,
    pub column: String,
    /// What a reader outside the unmask groups sees, as Markdown (already escaped).
    pub others_see: Value,
    /// The rule's unmask groups as the spec names them.
    pub unmask_groups: Vec<String>,
}

#[derive(Serialize)]
pub(crate) struct ConsumerModel {
    pub principal: String,
    pub principal_type: &'static str,
    pub sees_clear: bool,
    pub tables: Vec<String>,
}

#[derive(Serialize)]
pub(crate) struct ReaderModel {
    pub principal: String,
    /// The name GRANT uses: a service principal's application ID, anyone else's name.
    pub grantee: String,
    pub principal_sql: Value,
    /// What it may select: the table, or the masked view where one exists.
    pub grants: Vec<Value>,
}

#[derive(Serialize)]
pub(crate) struct TableModel {
    pub name: String,
    pub name_sql: Value,
    pub fqn: Value,
    /// `schema.table`, as the job's SQL names it (the catalog comes from `:catalog`).
    pub job_fqn: Value,
    /// `schema.table` as text, for the job's Python (after `USE CATALOG`).
    pub job_fqn_text: String,
    /// The table name as text (for `spark.table`, YAML), `catalog.schema.table` with quoting.
    pub fqn_text: String,
    /// `catalog.schema.table` unquoted, as system tables spell it.
    pub full_name: String,
    /// What readers query: the masked view where the table has one, else the table.
    pub read_fqn: Value,
    pub file: String,
    pub description: String,
    pub row_count: String,
    pub update_frequency: String,
    pub columns: Vec<ColumnModel>,
    pub primary_key: Vec<String>,
    pub primary_key_sql: Option<Value>,
    /// The producer guarantees the key (`RELY`); otherwise it is `NORELY`.
    pub primary_key_guaranteed: bool,
    /// Informational FOREIGN KEY clauses for the references dpc knows, to tables the job
    /// creates earlier.
    pub foreign_keys_sql: Vec<Value>,
    pub cluster_by_sql: Option<Value>,
    pub partition_by_sql: Option<Value>,
    pub properties: Vec<(String, String)>,
    pub table_tags: Vec<(String, String)>,
    pub checks: Vec<CheckModel>,
    /// The file the job's apply_checks task reads this table's CHECK constraints from; None
    /// when the table has none or may not have any (a column mask or row filter).
    pub checks_file: Option<String>,
    /// Why the table's constraints are not CHECK constraints (`a column mask`, `a row
    /// filter`): Unity Catalog refuses both on one table; the quality job enforces them.
    pub checks_refused_by: Option<&'static str>,
    pub masks: Vec<MaskModel>,
    pub view: Option<ViewModel>,
    pub row_filter: Option<RowFilterModel>,
    pub expectations: Vec<ExpectationModel>,
    /// Every rule `dpc test` counts (shape, types, NOT NULL, constraints, keys, expectations).
    pub rules: Vec<super::table_rules::RuleModel>,
    pub unique_columns: Vec<String>,
    pub required_columns: Vec<String>,
    /// The column the sample queries count rows by, if any suits.
    pub group_by: Option<GroupByModel>,
    pub freshness: Option<FreshnessModel>,
    pub has_pii: bool,
    /// SELECT grants on this table (or its masked view), one per reader.
    pub grants: Vec<GrantModel>,
}

#[derive(Serialize)]
pub(crate) struct GroupByModel {
    pub name: String,
    pub name_sql: Value,
}

#[derive(Serialize)]
pub(crate) struct GrantModel {
    pub principal: String,
    pub principal_sql: Value,
    /// The same object as the job's DDL names it (`schema.name`, catalog from `:catalog`).
    pub job_object: Value,
    /// True when the grant is on the masked view rather than the table.
    pub on_view: bool,
}

#[derive(Serialize)]
pub(crate) struct ColumnModel {
    pub name: String,
    pub name_sql: Value,
    pub type_sql: Value,
    pub type_text: String,
    pub nullable: bool,
    pub description: String,
    pub pii: bool,
    pub pii_category: Option<String>,
    pub default_sql: Option<Value>,
    pub masked: bool,
    pub constraints_text: Vec<String>,
}

#[derive(Serialize)]
pub(crate) struct CheckModel {
    pub name: String,
    pub name_sql: Value,
    pub expr: Value,
}

#[derive(Serialize)]
pub(crate) struct MaskModel {
    pub column: String,
    pub column_sql: Value,
    pub function_fqn: Value,
    pub type_sql: Value,
    pub method: String,
    pub unmask_groups: Vec<String>,
    pub unmasked_test: Value,
    pub masked_expr: Value,
}

#[derive(Serialize)]
pub(crate) struct ViewModel {
    pub name: String,
    pub fqn: Value,
    /// `schema.view`, as the job's SQL names it.
    pub job_fqn: Value,
    /// One select-list item per column, masked where a rule applies.
    pub items: Vec<Value>,
}

#[derive(Serialize)]
pub(crate) struct RowFilterModel {
    pub function_fqn: Value,
    pub column_sql: Value,
    pub type_sql: Value,
    pub test: Value,
    /// The groups whose members see rows (the owner group and approved consumer groups).
    pub groups: Vec<String>,
}

#[derive(Serialize)]
pub(crate) struct ExpectationModel {
    pub name: String,
    pub kind: &'static str,
    pub column: String,
    pub severity: Severity,
    /// `fail`, `drop` or `warn`: what the pipeline does with a violating row.
    pub action: &'static str,
    /// Row-level Spark SQL condition; absent for table-level rules (uniqueness).
    pub expr: Option<Value>,
}

#[derive(Serialize)]
pub(crate) struct FreshnessModel {
    pub column: String,
    pub column_sql: Value,
    pub target_minutes: u64,
    pub breach_minutes: u64,
    /// The target in words (`30 minutes`, `1 hour`, `2 days`).
    pub target_text: String,
    /// The breach threshold in words.
    pub breach_text: String,
}

/// The SQL spelling of a type; STRUCT field names are identifiers and get quoted.
pub(crate) fn sql_type(t: &DataType) -> String {
    match t {
        DataType::Array(inner) => format!("ARRAY<{}>", sql_type(inner)),
        DataType::Map(k, v) => format!("MAP<{}, {}>", sql_type(k), sql_type(v)),
        DataType::Struct(fields) => {
            let parts: Vec<String> = fields
                .iter()
                .map(|f| format!("{}: {}", sql_identifier(&f.name), sql_type(&f.data_type)))
                .collect();
            format!("STRUCT<{}>", parts.join(", "))
        }
        t => t.to_string(),
    }
}

fn expectation_kind(kind: ExpectationKind) -> &'static str {
    match kind {
        ExpectationKind::NotNull => "not_null",
        ExpectationKind::Unique => "unique",
        ExpectationKind::Regex => "regex",
        ExpectationKind::InSet => "in_set",
        ExpectationKind::Range => "range",
    }
}

/// What the pipeline does on a violation, from severity and tier.
pub(crate) fn action_for(severity: Severity, critical_fails: bool) -> &'static str {
    match severity {
        Severity::Critical if critical_fails => "fail",
        Severity::Critical => "drop",
        _ => "warn",
    }
}

pub(crate) fn build(spec: &ProductSpec) -> Result<Model<'_>, ModelError> {
    let catalog = spec.catalog();
    let schema = spec.schema();
    let gov = &spec.governance;
    let tier = policy::tier(spec.product.product_metadata.tier);
    let masking = gov.masking.strategy;
    let owner_group = &gov.access_policy.owner_group;

    let mut tables = Vec::new();
    for (name, table) in &spec.contract.tables {
        tables.push(build_table(spec, name, table)?);
    }
    let readers = readers(spec, &tables);
    add_table_grants(&mut tables, &readers);
    let references = super::table_rules::references(&spec.contract);
    let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    let order = super::deploy::job_order(&names, &references);
    add_foreign_keys(spec, &mut tables, &references, &order);

    let alerts = super::bundle::alerts(spec, &tables);
    let ordered: Vec<&TableModel> = order.iter().filter_map(|i| tables.get(*i)).collect();
    let bundle = super::bundle::bundle(spec, &ordered, &readers, &alerts);
    Ok(Model {
        catalog_grants: catalog_grants(
            catalog,
            owner_group,
            &readers,
            super::deploy::quality_identity(spec),
        ),
        catalog_grants_file: super::deploy::CATALOG_GRANTS,
        checks_runner: super::deploy::CHECKS_RUNNER,
        ungranted: gov
            .approved_consumers
            .iter()
            .filter(|c| super::deploy::grantee(c).is_none())
            .map(|c| c.principal.clone())
            .collect(),
        alerts,
        bundle,
        references,
        generator: format!("dpc {}", env!("CARGO_PKG_VERSION")),
        product: &spec.product,
        contract: &spec.contract,
        sla: &spec.sla,
        governance: gov,
        catalog_sql: code(sql_identifier(catalog)),
        schema_sql: code(sql_qualified(&[catalog, schema])),
        job_schema_sql: code(sql_identifier(schema)),
        owner_group_sql: code(sql_principal(owner_group)),
        column_masks: masking == MaskingStrategy::ColumnMask,
        masked_views: masking == MaskingStrategy::MaskedView,
        public_access: gov.access_policy.default_access == DefaultAccess::AccountUsers,
        access_text: access_text(gov.access_policy.default_access),
        semantic_versioning: spec.contract.versioning.strategy == "semantic",
        masked_columns: masked_columns(spec),
        unmask_groups: unmask_groups(spec),
        sample_join: sample_join(&tables),
        critical_action: action_for(Severity::Critical, tier.critical_fails_pipeline),
        expectation_count: tables.iter().map(|t| t.expectations.len()).sum(),
        pii_count: gov.pii_fields.len(),
        tables,
        consumers: consumers(spec),
        readers,
    })
}

/// Who may read by default, as the README says it.
fn access_text(access: DefaultAccess) -> &'static str {
    match access {
        DefaultAccess::AccountUsers => "every account user may read",
        DefaultAccess::ApprovedConsumers => "approved consumers only",
        DefaultAccess::Deny => "denied by default; approved consumers only",
    }
}

/// The masking rules on a column the contract has, in rule order (validate reports a rule
/// on any other).
fn masked_columns(spec: &ProductSpec) -> Vec<MaskedColumnModel> {
    spec.governance
        .masking
        .rules
        .iter()
        .filter_map(|r| {
            let table = spec.contract.tables.get(&r.table)?;
            let field = table.field(&r.column)?;
            Some(MaskedColumnModel {
                table: r.table.clone(),
                column: r.column.clone(),
                others_see: code(others_see(r.method, &field.data_type)),
                unmask_groups: r.unmask_groups.clone(),
            })
        })
        .collect()
}

/// What a reader outside the unmask groups sees, in Markdown: the words for the value
/// `contract_sql::masked_value` computes.
fn others_see(method: MaskMethod, t: &DataType) -> &'static str {
    match (method, t) {
        (MaskMethod::Nullify, _) => "NULL",
        (_, t) if *t != DataType::String => "NULL",
        (MaskMethod::PartialEmail, _) => r"the first three characters, then \*\*\*\@\*\*\*",
        (MaskMethod::Last4, _) => r"\*\*\*\* and the last four characters",
        (MaskMethod::Truncate, _) => r"at most the first three characters, then \*\*\*",
        (MaskMethod::Redact, _) => r"\*\*\*\*",
    }
}

/// The unmask groups of every masking rule, each once, in rule order.
fn unmask_groups(spec: &ProductSpec) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for g in spec
        .governance
        .masking
        .rules
        .iter()
        .flat_map(|r| &r.unmask_groups)
    {
        if !out.contains(g) {
            out.push(g.clone());
        }
    }
    out
}

/// The sample join: the first table, keyed, with every later table that has its first key
/// column; None when no other table has it.
fn sample_join(tables: &[TableModel]) -> Option<SampleJoinModel> {
    let (first, rest) = tables.split_first()?;
    let key_name = first.primary_key.first()?;
    let key = first.columns.iter().find(|c| &c.name == key_name)?;
    let joined: Vec<&TableModel> = rest
        .iter()
        .filter(|t| t.columns.iter().any(|c| c.name == key.name))
        .collect();
    if joined.is_empty() {
        return None;
    }
    let mut select: Vec<Value> = first
        .columns
        .iter()
        .take(3)
        .map(|c| code(format!("t0.{}", c.name_sql)))
        .collect();
    for (i, t) in joined.iter().enumerate() {
        let others = t.columns.iter().filter(|c| c.name != key.name).take(2);
        select.extend(others.map(|c| code(format!("t{}.{}", i + 1, c.name_sql))));
    }
    Some(SampleJoinModel {
        key: key.name.clone(),
        key_sql: key.name_sql.clone(),
        first: first.name.clone(),
        first_source: first.read_fqn.clone(),
        joined: joined
            .iter()
            .enumerate()
            .map(|(i, t)| JoinedTableModel {
                name: t.name.clone(),
                source: t.read_fqn.clone(),
                alias: code(format!("t{}", i + 1)),
            })
            .collect(),
        select,
    })
}

/// The approved consumers, each with whether a masking rule shows it clear values.
fn consumers(spec: &ProductSpec) -> Vec<ConsumerModel> {
    let gov = &spec.governance;
    gov.approved_consumers
        .iter()
        .map(|c| ConsumerModel {
            principal: c.principal.clone(),
            principal_type: c.principal_type.as_str(),
            sees_clear: gov
                .masking
                .rules
                .iter()
                .any(|r| r.unmask_groups.contains(&c.principal)),
            tables: c.tables.clone(),
        })
        .collect()
}

/// Every reader with the objects it may select: approved consumers (their tables, or all),
/// then `account users` when access is public.
fn readers(spec: &ProductSpec, tables: &[TableModel]) -> Vec<ReaderModel> {
    let gov = &spec.governance;
    let public = gov.access_policy.default_access == DefaultAccess::AccountUsers;
    let mut reader_names: Vec<String> = gov
        .approved_consumers
        .iter()
        .map(|c| c.principal.clone())
        .collect();
    if public && !reader_names.iter().any(|r| r == policy::ACCOUNT_USERS) {
        reader_names.push(policy::ACCOUNT_USERS.to_string());
    }
    reader_names
        .into_iter()
        .map(|principal| {
            let allowed: Vec<&String> = gov
                .approved_consumers
                .iter()
                .find(|c| c.principal == principal)
                .map(|c| c.tables.iter().collect())
                .unwrap_or_default();
            let grants = tables
                .iter()
                .filter(|t| allowed.is_empty() || allowed.contains(&&t.name))
                .map(|t| match &t.view {
                    Some(v) => code(format!("VIEW {}", v.fqn)),
                    None => code(format!("TABLE {}", t.fqn)),
                })
                .collect();
            let grantee = super::deploy::grantee_of(spec, &principal);
            ReaderModel {
                principal_sql: code(sql_principal(grantee.as_deref().unwrap_or(&principal))),
                // A service principal without an application ID is granted nothing: a display
                // name is not resolved by GRANT, and validate reports the missing ID.
                grants: if grantee.is_some() {
                    grants
                } else {
                    Vec::new()
                },
                grantee: grantee.unwrap_or_default(),
                principal,
            }
        })
        .collect()
}

/// Gives each table the SELECT grants of the readers that may read it (on its masked view
/// where it has one).
fn add_table_grants(tables: &mut [TableModel], readers: &[ReaderModel]) {
    for t in tables {
        let (granted, object) = match &t.view {
            Some(v) => (format!("VIEW {}", v.fqn), format!("VIEW {}", v.job_fqn)),
            None => (format!("TABLE {}", t.fqn), format!("TABLE {}", t.job_fqn)),
        };
        for r in readers {
            if r.grants
                .iter()
                .any(|g| g.as_str() == Some(granted.as_str()))
            {
                t.grants.push(GrantModel {
                    principal: r.principal.clone(),
                    principal_sql: r.principal_sql.clone(),
                    job_object: code(object.clone()),
                    on_view: t.view.is_some(),
                });
            }
        }
    }
}

/// The owner group may use the catalog and create the schema; every other granted reader
/// may use the catalog.
fn catalog_grants(
    catalog: &str,
    owner_group: &str,
    readers: &[ReaderModel],
    quality_identity: Option<&str>,
) -> Vec<Value> {
    let catalog = sql_identifier(catalog);
    let mut grants = vec![
        code(format!(
            "GRANT USE CATALOG ON CATALOG {catalog} TO {}",
            sql_principal(owner_group)
        )),
        code(format!(
            "GRANT CREATE SCHEMA ON CATALOG {catalog} TO {}",
            sql_principal(owner_group)
        )),
    ];
    for r in readers.iter().filter(|r| !r.grants.is_empty()) {
        if r.grantee != owner_group {
            grants.push(code(format!(
                "GRANT USE CATALOG ON CATALOG {catalog} TO {}",
                r.principal_sql
            )));
        }
    }
    // The quality job and its table trigger run as the quality identity, which reads every table.
    if let Some(id) = quality_identity {
        grants.push(code(format!(
            "GRANT USE CATALOG ON CATALOG {catalog} TO {}",
            sql_principal(id)
        )));
    }
    grants
}

/// Adds an informational FOREIGN KEY to each table for the references whose parent the job
/// creates earlier and keys by the referenced column alone.
fn add_foreign_keys(
    spec: &ProductSpec,
    tables: &mut [TableModel],
    references: &[super::table_rules::ReferenceModel],
    order: &[usize],
) {
    let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    let fks: Vec<(usize, Value)> = references
        .iter()
        .filter_map(|r| {
            let child = names.iter().position(|n| *n == r.table)?;
            let parent = names.iter().position(|n| *n == r.parent_table)?;
            let before = order.iter().position(|i| *i == parent)?
                < order.iter().position(|i| *i == child)?;
            // Unity Catalog wants the referenced columns to be the parent's primary key.
            let keyed =
                spec.contract.tables.get(&r.parent_table)?.primary_key == [r.parent_column.clone()];
            (before && keyed).then(|| {
                (
                    child,
                    code(format!(
                        "CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({}) NORELY",
                        sql_identifier(&format!("fk_{}_{}", r.table, r.column)),
                        sql_identifier(&r.column),
                        tables[parent].job_fqn,
                        sql_identifier(&r.parent_column)
                    )),
                )
            })
        })
        .collect();
    for (child, fk) in fks {
        tables[child].foreign_keys_sql.push(fk);
    }
}

fn build_table(spec: &ProductSpec, name: &str, table: &Table) -> Result<TableModel, ModelError> {
    let catalog = spec.catalog();
    let schema = spec.schema();
    let version = spec.major_version();
    let masking = spec.governance.masking.strategy;
    let critical_fails = policy::tier(spec.product.product_metadata.tier).critical_fails_pipeline;
    let fqn = sql_qualified(&[catalog, schema, name]);
    let located = spec
        .product
        .catalog_location
        .tables
        .iter()
        .find(|t| t.name == name);
    let rules: Vec<&MaskRule> = spec
        .governance
        .masking
        .rules
        .iter()
        .filter(|r| r.table == name)
        .collect();

    let mut columns = Vec::new();
    let mut checks = Vec::new();
    let mut masks = Vec::new();
    for field in &table.schema.fields {
        let rule = rules.iter().find(|r| r.column == field.name).copied();
        columns.push(column_model(spec, name, field, rule)?);
        checks.extend(field_checks(name, field)?);
        masks.extend(rule.map(|rule| mask_model(spec, name, field, rule)));
    }
    let has_defaults = columns.iter().any(|c| c.default_sql.is_some());
    let view = (masking == MaskingStrategy::MaskedView && !masks.is_empty())
        .then(|| masked_view(spec, name, &columns, &masks));
    let row_filter = row_filter(spec, name, table);
    // Unity Catalog refuses CHECK constraints on a table with a column mask or row filter; a
    // masked view leaves the base table unmasked, so it keeps them.
    let checks_refused_by = if checks.is_empty() {
        None
    } else if masking == MaskingStrategy::ColumnMask && !masks.is_empty() {
        Some("a column mask")
    } else if row_filter.is_some() {
        Some("a row filter")
    } else {
        None
    };
    let expectations = expectations(name, table, critical_fails)?;
    let rules_model =
        super::table_rules::table_rules(spec, table, &expectations, name, critical_fails)
            .map_err(|m| contract_error(format!("table {name}: {m}")))?;

    Ok(TableModel {
        name: name.to_string(),
        name_sql: code(sql_identifier(name)),
        fqn_text: fqn.clone(),
        full_name: format!("{catalog}.{schema}.{name}"),
        read_fqn: view
            .as_ref()
            .map_or_else(|| code(fqn.clone()), |v| v.fqn.clone()),
        fqn: code(fqn),
        job_fqn: code(sql_qualified(&[schema, name])),
        job_fqn_text: sql_qualified(&[schema, name]),
        file: format!("schemas/{name}_v{version}.sql"),
        description: table.description.clone(),
        row_count: located.map(|t| t.row_count.clone()).unwrap_or_default(),
        update_frequency: located
            .map(|t| t.update_frequency.clone())
            .unwrap_or_default(),
        has_pii: table.pii_fields().next().is_some(),
        required_columns: table
            .schema
            .fields
            .iter()
            .filter(|f| !f.nullable)
            .map(|f| f.name.clone())
            .collect(),
        primary_key: table.primary_key.clone(),
        columns,
        primary_key_sql: primary_key_sql(name, table),
        primary_key_guaranteed: table.primary_key_guaranteed,
        foreign_keys_sql: Vec::new(),
        cluster_by_sql: cluster_by_sql(table),
        partition_by_sql: (!table.partitioned_by.is_empty()).then(|| {
            code(format!(
                "PARTITIONED BY ({})",
                idents(&table.partitioned_by)
            ))
        }),
        properties: table_properties(spec, has_defaults),
        table_tags: table_tags(spec, table, !rules.is_empty()),
        checks_file: (!checks.is_empty() && checks_refused_by.is_none())
            .then(|| format!("{}/{name}_v{version}.sql", super::deploy::CHECKS_DIR)),
        checks,
        checks_refused_by,
        masks,
        view,
        row_filter,
        expectations,
        rules: rules_model,
        unique_columns: unique_columns(table),
        group_by: group_by(table),
        freshness: freshness(spec, name, table),
        grants: Vec::new(),
    })
}

/// One column as the DDL and the data dictionary show it.
fn column_model(
    spec: &ProductSpec,
    table: &str,
    field: &Field,
    rule: Option<&MaskRule>,
) -> Result<ColumnModel, ModelError> {
    let default_sql = field
        .default
        .as_ref()
        .map(|d| contract_sql::literal(&field.data_type, d).map(code))
        .transpose()
        .map_err(|m| column_error(table, field, m))?;
    Ok(ColumnModel {
        name: field.name.clone(),
        name_sql: code(sql_identifier(&field.name)),
        type_sql: code(sql_type(&field.data_type)),
        type_text: field.data_type.to_string(),
        nullable: field.nullable,
        description: field.description.clone(),
        pii: field.pii,
        pii_category: spec
            .governance
            .pii_fields
            .iter()
            .find(|p| p.table == table && p.column == field.name)
            .map(|p| p.category.clone()),
        default_sql,
        masked: rule.is_some(),
        constraints_text: constraint_texts(field),
    })
}

fn column_error(table: &str, field: &Field, message: String) -> ModelError {
    contract_error(format!("table {table}, column {}: {message}", field.name))
}

/// The CHECK constraints a column's contract constraints become.
fn field_checks(table: &str, field: &Field) -> Result<Vec<CheckModel>, ModelError> {
    let checks = contract_sql::field_checks(field).map_err(|m| column_error(table, field, m))?;
    Ok(checks
        .into_iter()
        .map(|Check { name, expr }| CheckModel {
            name_sql: code(sql_identifier(&name)),
            name,
            expr: code(expr),
        })
        .collect())
}

/// The mask function of a column a masking rule covers.
fn mask_model(spec: &ProductSpec, table: &str, field: &Field, rule: &MaskRule) -> MaskModel {
    let unmask_groups = admitted_groups(spec, &rule.unmask_groups);
    MaskModel {
        column: field.name.clone(),
        column_sql: code(sql_identifier(&field.name)),
        function_fqn: code(sql_qualified(&[
            spec.schema(),
            &format!("mask_{table}_{}", field.name),
        ])),
        type_sql: code(sql_type(&field.data_type)),
        method: rule.method.as_str().to_string(),
        unmasked_test: code(admit_test(spec, &unmask_groups)),
        unmask_groups,
        masked_expr: code(contract_sql::masked_value(
            rule.method,
            &field.name,
            &field.data_type,
        )),
    }
}

/// The view readers get instead of the table when PII is hidden by masked views: each masked
/// column is its clear value for admitted groups, the masked value for everyone else.
fn masked_view(
    spec: &ProductSpec,
    table: &str,
    columns: &[ColumnModel],
    masks: &[MaskModel],
) -> ViewModel {
    let view_name = format!("{table}_masked");
    let items = columns
        .iter()
        .map(|c| match masks.iter().find(|m| m.column == c.name) {
            Some(m) => code(format!(
                "CASE WHEN {} THEN {} ELSE {} END AS {}",
                m.unmasked_test, c.name_sql, m.masked_expr, c.name_sql
            )),
            None => c.name_sql.clone(),
        })
        .collect();
    ViewModel {
        fqn: code(sql_qualified(&[spec.catalog(), spec.schema(), &view_name])),
        job_fqn: code(sql_qualified(&[spec.schema(), &view_name])),
        name: view_name,
        items,
    }
}

/// The row filter on the table's first key column, when the access policy asks for one: the
/// owner group and approved consumer groups see rows.
fn row_filter(spec: &ProductSpec, name: &str, table: &Table) -> Option<RowFilterModel> {
    let gov = &spec.governance;
    let key = (gov.access_policy.row_filter)
        .then(|| table.primary_key.first().and_then(|k| table.field(k)))
        .flatten()?;
    let mut groups = vec![gov.access_policy.owner_group.clone()];
    groups.extend(
        gov.approved_consumers
            .iter()
            .filter(|c| c.principal_type == PrincipalType::Group)
            .map(|c| c.principal.clone()),
    );
    let groups = admitted_groups(spec, &groups);
    Some(RowFilterModel {
        function_fqn: code(sql_qualified(&[
            spec.schema(),
            &format!("row_filter_{name}"),
        ])),
        column_sql: code(sql_identifier(&key.name)),
        type_sql: code(sql_type(&key.data_type)),
        test: code(admit_test(spec, &groups)),
        groups,
    })
}

/// Quoted column names, comma separated.
fn idents(cols: &[String]) -> String {
    cols.iter()
        .map(|c| sql_identifier(c))
        .collect::<Vec<_>>()
        .join(", ")
}

fn primary_key_sql(name: &str, table: &Table) -> Option<Value> {
    // RELY lets the optimizer drop joins and DISTINCTs: only for a key the producer guarantees.
    (!table.primary_key.is_empty()).then(|| {
        code(format!(
            "CONSTRAINT {} PRIMARY KEY ({}) {}",
            sql_identifier(&format!("pk_{name}")),
            idents(&table.primary_key),
            if table.primary_key_guaranteed {
                "RELY"
            } else {
                "NORELY"
            }
        ))
    })
}

/// Liquid clustering unless the table is partitioned: on the named columns, else automatic.
fn cluster_by_sql(table: &Table) -> Option<Value> {
    table.partitioned_by.is_empty().then(|| {
        code(if table.clustered_by.is_empty() {
            "CLUSTER BY AUTO".to_string()
        } else {
            format!("CLUSTER BY ({})", idents(&table.clustered_by))
        })
    })
}

/// TBLPROPERTIES: change data feed where the tier wants it, column mapping, column defaults
/// when a column has one, and the product's name and version.
fn table_properties(spec: &ProductSpec, has_defaults: bool) -> Vec<(String, String)> {
    let mut properties = Vec::new();
    if policy::tier(spec.product.product_metadata.tier).change_data_feed {
        properties.push(("delta.enableChangeDataFeed".into(), "true".into()));
    }
    properties.push(("delta.columnMapping.mode".into(), "name".into()));
    if has_defaults {
        properties.push((
            "delta.feature.allowColumnDefaults".into(),
            "supported".into(),
        ));
    }
    properties.push(("data_product".into(), spec.name().to_string()));
    properties.push((
        "data_product_version".into(),
        spec.product.product_metadata.version.clone(),
    ));
    properties
}

/// The classification's table tags plus `contains_pii`, each as the organisation's governed
/// tag when `dpc.yaml` maps it (key and value).
fn table_tags(spec: &ProductSpec, table: &Table, has_mask_rules: bool) -> Vec<(String, String)> {
    let contains_pii = (has_mask_rules || table.pii_fields().next().is_some()).to_string();
    spec.governance
        .classification
        .table_tags
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .chain([("contains_pii", contains_pii.as_str())])
        .map(|(k, v)| spec.settings.governed_tag(k, v))
        .collect()
}

/// The table's quality expectations with their SQL and what a violation does.
fn expectations(
    name: &str,
    table: &Table,
    critical_fails: bool,
) -> Result<Vec<ExpectationModel>, ModelError> {
    let mut out = Vec::new();
    for e in &table.quality_expectations {
        let expr = contract_sql::expectation_expr(table, e)
            .map_err(|m| contract_error(format!("table {name}: {m}")))?;
        // A table-level rule cannot drop single rows; it warns unless it must fail.
        let action = match action_for(e.severity, critical_fails) {
            "drop" if expr.is_none() => "warn",
            a => a,
        };
        out.push(ExpectationModel {
            name: e.name.clone(),
            kind: expectation_kind(e.kind),
            column: e.column.clone(),
            severity: e.severity,
            action,
            expr: expr.map(code),
        });
    }
    Ok(out)
}

/// Columns that must be unique: by a uniqueness expectation, then by a column constraint.
fn unique_columns(table: &Table) -> Vec<String> {
    let mut out: Vec<String> = table
        .quality_expectations
        .iter()
        .filter(|e| e.kind == ExpectationKind::Unique)
        .map(|e| e.column.clone())
        .collect();
    for f in &table.schema.fields {
        if f.constraints
            .iter()
            .any(|c| c.kind == crate::spec::contract::ConstraintKind::Unique)
            && !out.contains(&f.name)
        {
            out.push(f.name.clone());
        }
    }
    out
}

/// The column the sample queries count rows by: the first with an enum constraint, else the
/// first clustering column that is neither a key nor a date or time.
fn group_by(table: &Table) -> Option<GroupByModel> {
    use crate::spec::contract::ConstraintKind;
    let enumerated = table
        .schema
        .fields
        .iter()
        .find(|f| f.constraints.iter().any(|c| c.kind == ConstraintKind::Enum));
    let clustered = || {
        table.clustered_by.iter().find_map(|name| {
            let f = table.field(name)?;
            let temporal = matches!(
                f.data_type,
                DataType::Date | DataType::Timestamp | DataType::TimestampNtz
            );
            (!table.primary_key.contains(name) && !temporal).then_some(f)
        })
    };
    enumerated.or_else(clustered).map(|f| GroupByModel {
        name: f.name.clone(),
        name_sql: code(sql_identifier(&f.name)),
    })
}

/// The freshness column and its targets: the SLA's metric for the table, else the level's.
fn freshness(spec: &ProductSpec, name: &str, table: &Table) -> Option<FreshnessModel> {
    crate::spec::contract::freshness_column(table).map(|col| {
        let metric = spec.sla.freshness.metrics.iter().find(|m| m.table == name);
        let level = policy::sla(spec.sla.level);
        let target_minutes = metric.map_or(level.freshness_target.as_minutes(), |m| {
            m.target_latency.as_minutes()
        });
        let breach_minutes = metric.map_or(level.freshness_breach.as_minutes(), |m| {
            m.breach_threshold.as_minutes()
        });
        FreshnessModel {
            column: col.to_string(),
            column_sql: code(sql_identifier(col)),
            target_minutes,
            breach_minutes,
            target_text: super::bundle::duration_text(target_minutes),
            breach_text: super::bundle::duration_text(breach_minutes),
        }
    })
}

/// Human-readable constraint summaries for the data dictionary.
fn constraint_texts(field: &Field) -> Vec<String> {
    use crate::spec::contract::ConstraintKind;
    field
        .constraints
        .iter()
        .map(|c| match c.kind {
            ConstraintKind::Format => format!("matches {}", c.pattern.as_deref().unwrap_or("")),
            ConstraintKind::Unique => "unique".to_string(),
            ConstraintKind::Enum => format!(
                "one of {}",
                c.values.as_deref().unwrap_or_default().join(", ")
            ),
            ConstraintKind::Range => match (&c.min, &c.max) {
                (Some(lo), Some(hi)) => format!("between {lo} and {hi}"),
                (Some(lo), None) => format!("at least {lo}"),
                (None, Some(hi)) => format!("at most {hi}"),
                (None, None) => "range".to_string(),
            },
        })
        .collect()
}

/// The groups a mask or row filter admits: the spec's, plus the owner group when the job's
/// identity is known only as one of its members (no `quality_identity`), so the quality
/// checks see real values.
fn admitted_groups(spec: &ProductSpec, groups: &[String]) -> Vec<String> {
    let mut out = groups.to_vec();
    let owner = &spec.governance.access_policy.owner_group;
    if super::deploy::quality_identity(spec).is_none() && !out.contains(owner) {
        out.insert(0, owner.clone());
    }
    out
}

/// The SQL test of a mask or row filter: the quality identity by `current_user()` (a service
/// principal is no account group), then each group.
fn admit_test(spec: &ProductSpec, groups: &[String]) -> String {
    let groups = contract_sql::group_test(groups);
    match super::deploy::quality_identity(spec) {
        Some(id) if groups == "FALSE" => {
            format!("current_user() = {}", crate::lang::escape::sql_string(id))
        }
        Some(id) => format!(
            "current_user() = {} OR {groups}",
            crate::lang::escape::sql_string(id)
        ),
        None => groups,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mask_that_cannot_keep_the_type_shows_null() {
        assert_eq!(others_see(MaskMethod::Nullify, &DataType::String), "NULL");
        assert_eq!(
            others_see(MaskMethod::PartialEmail, &DataType::Date),
            "NULL"
        );
        assert_eq!(
            others_see(MaskMethod::Last4, &DataType::String),
            r"\*\*\*\* and the last four characters"
        );
    }
}
