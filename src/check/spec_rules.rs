//! Rules on the spec itself: references resolve, the combination of settings is allowed by
//! the policies, and every value can be written as Databricks SQL.

use super::Diagnostic;
use crate::policy;
use crate::render::sql;
use crate::spec::contract::{ConstraintKind, ExpectationKind};
use crate::spec::governance::DefaultAccess;
use crate::spec::{CONTRACT_FILE, GOVERNANCE_FILE, PRODUCT_FILE, ProductSpec, SLA_FILE};

pub fn check(spec: &ProductSpec) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut err = |code: &'static str, file: &str, msg: String| {
        out.push(Diagnostic::new(code, file, msg));
    };
    let meta = &spec.product.product_metadata;
    if let Err(m) = crate::spec::name::check_product_name(&meta.name) {
        err(
            "DPC100",
            PRODUCT_FILE,
            format!("product_metadata.name: {m}"),
        );
    }
    if let Err(m) = crate::spec::name::check_email(&meta.owner.email) {
        err(
            "DPC100",
            PRODUCT_FILE,
            format!("product_metadata.owner.email: {m}"),
        );
    }
    let tier = policy::tier(meta.tier);
    if !tier.allowed_sla.contains(&spec.sla.level) {
        err(
            "DPC101",
            SLA_FILE,
            format!(
                "level: tier {} requires SLA high or critical, not {}",
                meta.tier, spec.sla.level
            ),
        );
    }
    let sens = policy::sensitivity(spec.governance.classification.sensitivity);
    if spec.product.data_classification.sensitivity != spec.governance.classification.sensitivity {
        err(
            "DPC102",
            PRODUCT_FILE,
            format!(
                "data_classification.sensitivity is {} but governance.yaml says {}",
                spec.product.data_classification.sensitivity,
                spec.governance.classification.sensitivity
            ),
        );
    }

    for (name, table) in &spec.contract.tables {
        let at = |what: &str| format!("tables.{name}.{what}");
        for key in table
            .primary_key
            .iter()
            .chain(&table.clustered_by)
            .chain(&table.partitioned_by)
        {
            if table.field(key).is_none() {
                err(
                    "DPC110",
                    CONTRACT_FILE,
                    format!("{}: no column named {key}", at("keys")),
                );
            }
        }
        if !table.partitioned_by.is_empty() && !table.clustered_by.is_empty() {
            err(
                "DPC111",
                CONTRACT_FILE,
                format!(
                    "{}: partitioned_by and clustered_by cannot be combined on Databricks (liquid clustering replaces partitioning); keep clustered_by",
                    at("partitioned_by")
                ),
            );
        }
        let mut seen = Vec::new();
        for f in &table.schema.fields {
            if seen.contains(&&f.name) {
                err(
                    "DPC112",
                    CONTRACT_FILE,
                    format!("{}: column {} appears twice", at("schema.fields"), f.name),
                );
            }
            seen.push(&f.name);
            if f.pii && !sens.pii_allowed {
                err(
                    "DPC113",
                    CONTRACT_FILE,
                    format!(
                        "{}: PII is not allowed in a public product",
                        at(&format!("{}.pii", f.name))
                    ),
                );
            }
            if let Err(m) = sql::field_checks(f) {
                err("DPC114", CONTRACT_FILE, format!("{}: {m}", at(&f.name)));
            }
            if let Some(d) = &f.default
                && let Err(m) = sql::literal(&f.data_type, d)
            {
                err(
                    "DPC114",
                    CONTRACT_FILE,
                    format!("{}: default {m}", at(&f.name)),
                );
            }
            for c in &f.constraints {
                if c.kind == ConstraintKind::Format
                    && let Some(p) = &c.pattern
                    && let Err(e) = regex::Regex::new(p)
                {
                    err(
                        "DPC115",
                        CONTRACT_FILE,
                        format!("{}: pattern is not a regular expression: {e}", at(&f.name)),
                    );
                }
                if c.kind == ConstraintKind::Enum && f.data_type.is_complex() {
                    err(
                        "DPC114",
                        CONTRACT_FILE,
                        format!("{}: enum on a {} column", at(&f.name), f.data_type),
                    );
                }
            }
            if f.primary_key && !table.primary_key.contains(&f.name) {
                err(
                    "DPC116",
                    CONTRACT_FILE,
                    format!(
                        "{}: marked primary_key but missing from the table's primary_key list",
                        at(&f.name)
                    ),
                );
            }
        }
        for key in &table.primary_key {
            if table.field(key).is_some_and(|f| f.nullable) {
                err(
                    "DPC116",
                    CONTRACT_FILE,
                    format!(
                        "{}: primary key column {key} must be nullable: false",
                        at("primary_key")
                    ),
                );
            }
        }
        for (i, e) in table.quality_expectations.iter().enumerate() {
            if table.quality_expectations[..i]
                .iter()
                .any(|o| o.name == e.name)
            {
                err(
                    "DPC118",
                    CONTRACT_FILE,
                    format!(
                        "{}: expectation name {} is used twice",
                        at("quality_expectations"),
                        e.name
                    ),
                );
            }
            match sql::expectation_expr(table, e) {
                Err(m) => err(
                    "DPC117",
                    CONTRACT_FILE,
                    format!("{}: {m}", at("quality_expectations")),
                ),
                Ok(_) if e.kind == ExpectationKind::Regex => {
                    if let Some(Err(x)) = e.pattern.as_deref().map(regex::Regex::new) {
                        err(
                            "DPC115",
                            CONTRACT_FILE,
                            format!(
                                "{}: {}: pattern is not a regular expression: {x}",
                                at("quality_expectations"),
                                e.name
                            ),
                        );
                    }
                }
                Ok(_) => {}
            }
        }
    }

    let gov = &spec.governance;
    for p in &gov.pii_fields {
        let field = spec
            .contract
            .tables
            .get(&p.table)
            .and_then(|t| t.field(&p.column));
        match field {
            None => err(
                "DPC120",
                GOVERNANCE_FILE,
                format!(
                    "pii_fields: {}.{} is not a column of the contract",
                    p.table, p.column
                ),
            ),
            Some(f) if !f.pii => err(
                "DPC120",
                GOVERNANCE_FILE,
                format!(
                    "pii_fields: {}.{} is not marked pii: true in contract.yaml",
                    p.table, p.column
                ),
            ),
            Some(_) => {}
        }
        if !gov
            .masking
            .rules
            .iter()
            .any(|r| r.table == p.table && r.column == p.column)
        {
            err(
                "DPC121",
                GOVERNANCE_FILE,
                format!(
                    "masking.rules: PII column {}.{} has no masking rule",
                    p.table, p.column
                ),
            );
        }
    }
    for (name, table) in &spec.contract.tables {
        for f in table.pii_fields() {
            if !gov
                .pii_fields
                .iter()
                .any(|p| &p.table == name && p.column == f.name)
            {
                err(
                    "DPC120",
                    GOVERNANCE_FILE,
                    format!(
                        "pii_fields: {name}.{} is PII in contract.yaml but not listed",
                        f.name
                    ),
                );
            }
        }
    }
    for r in &gov.masking.rules {
        match spec
            .contract
            .tables
            .get(&r.table)
            .and_then(|t| t.field(&r.column))
        {
            None => err(
                "DPC122",
                GOVERNANCE_FILE,
                format!(
                    "masking.rules: {}.{} is not a column of the contract",
                    r.table, r.column
                ),
            ),
            Some(f) if !sql::mask_fits(r.method, &f.data_type) => err(
                "DPC122",
                GOVERNANCE_FILE,
                format!(
                    "masking.rules: {} cannot mask {}.{} of type {}; use nullify",
                    r.method, r.table, r.column, f.data_type
                ),
            ),
            Some(_) => {}
        }
    }
    if gov.access_policy.default_access != sens.default_access {
        err(
            "DPC123",
            GOVERNANCE_FILE,
            format!(
                "access_policy.default_access is {} but {} data requires {}",
                gov.access_policy.default_access, sens.sensitivity, sens.default_access
            ),
        );
    }
    if sens.default_access != DefaultAccess::AccountUsers
        && gov
            .approved_consumers
            .iter()
            .any(|c| c.principal == policy::ACCOUNT_USERS)
    {
        err(
            "DPC124",
            GOVERNANCE_FILE,
            format!(
                "approved_consumers: `account users` may not read {} data",
                sens.sensitivity
            ),
        );
    }
    if sens.approval_required && !gov.approval_workflow.required {
        err(
            "DPC125",
            GOVERNANCE_FILE,
            format!(
                "approval_workflow.required must be true for {} data",
                sens.sensitivity
            ),
        );
    }
    if let Some(max) = sens.max_grant_days {
        for c in &gov.approved_consumers {
            if c.expires.is_none() || c.justification.is_none() {
                err(
                    "DPC126",
                    GOVERNANCE_FILE,
                    format!(
                        "approved_consumers: {} needs expires (at most {max} days) and justification for {} data",
                        c.principal, sens.sensitivity
                    ),
                );
            }
        }
    }
    if sens.audit && !gov.audit.enabled {
        err(
            "DPC127",
            GOVERNANCE_FILE,
            format!("audit.enabled must be true for {} data", sens.sensitivity),
        );
    }
    for c in &gov.approved_consumers {
        for t in &c.tables {
            if !spec.contract.tables.contains_key(t) {
                err(
                    "DPC128",
                    GOVERNANCE_FILE,
                    format!(
                        "approved_consumers: {} is granted unknown table {t}",
                        c.principal
                    ),
                );
            }
        }
    }
    for m in &spec.sla.freshness.metrics {
        if !spec.contract.tables.contains_key(&m.table) {
            err(
                "DPC130",
                SLA_FILE,
                format!("freshness.metrics: unknown table {}", m.table),
            );
        }
        if m.breach_threshold.as_minutes() < m.target_latency.as_minutes() {
            err(
                "DPC131",
                SLA_FILE,
                format!(
                    "freshness.metrics: {}: breach_threshold is below target_latency",
                    m.table
                ),
            );
        }
    }
    out
}
