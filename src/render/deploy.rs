//! What Unity Catalog needs from the DDL beyond the spec's own words (see the project's
//! Databricks deploy reference): service principals by application ID, the identity that
//! masks and row filters must admit, the order the job creates tables in, and where a table's
//! rules are enforced when CHECK constraints are refused.

use super::table_rules::ReferenceModel;
use crate::spec::ProductSpec;
use crate::spec::governance::{Consumer, PrincipalType};

/// Where the job applies CHECK constraints, one file per table; not table DDL (the job's
/// `apply_checks` task adds each only when it is missing or its expression changed).
pub(crate) const CHECKS_DIR: &str = "schemas/checks";
/// The task that applies the files of [`CHECKS_DIR`].
pub(crate) const CHECKS_RUNNER: &str = "schemas/apply_checks.py";
/// Catalog-level grants, addressed to the catalog's owner; the job never runs this file.
pub(crate) const CATALOG_GRANTS: &str = "schemas/catalog/grants.sql";

pub(crate) use crate::spec::name::is_application_id;

/// The name Unity Catalog knows a consumer by in GRANT: a service principal's application
/// ID, anyone else's name; None for a service principal without a usable application ID.
pub(crate) fn grantee(c: &Consumer) -> Option<String> {
    match c.principal_type {
        PrincipalType::ServicePrincipal => c
            .application_id
            .as_deref()
            .filter(|id| is_application_id(id))
            .map(str::to_string),
        _ => Some(c.principal.clone()),
    }
}

/// The grantee of a reader by its spec name (readers outside the consumer list are groups).
pub(crate) fn grantee_of(spec: &ProductSpec, principal: &str) -> Option<String> {
    match spec
        .governance
        .approved_consumers
        .iter()
        .find(|c| c.principal == principal)
    {
        Some(c) => grantee(c),
        None => Some(principal.to_string()),
    }
}

/// The quality identity's application ID, when the spec names a usable one.
pub(crate) fn quality_identity(spec: &ProductSpec) -> Option<&str> {
    spec.governance
        .access_policy
        .quality_identity
        .as_deref()
        .filter(|id| is_application_id(id))
}

/// Table indexes in the order the job creates them: a referenced table before the tables that
/// reference it (contract order otherwise), so an informational FOREIGN KEY never names a
/// table that does not exist yet.
pub fn job_order(names: &[&str], references: &[ReferenceModel]) -> Vec<usize> {
    let mut order: Vec<usize> = Vec::new();
    // References are acyclic (`table_rules::references`); the bound guards against a cycle anyway.
    for _ in 0..=names.len() {
        for (i, name) in names.iter().enumerate() {
            if order.contains(&i) {
                continue;
            }
            let ready = references
                .iter()
                .filter(|r| r.table == *name && r.parent_table != *name)
                .all(|r| {
                    names
                        .iter()
                        .position(|n| *n == r.parent_table)
                        .is_none_or(|p| order.contains(&p))
                });
            if ready {
                order.push(i);
            }
        }
    }
    for i in 0..names.len() {
        if !order.contains(&i) {
            order.push(i);
        }
    }
    order
}

/// What `create` says about deployment: where the rules of a masked or filtered table are
/// enforced, and the catalog owner's file (a service principal without application ID is
/// validate's warning DPC140, which create shows too).
pub(crate) fn notes(model: &super::model::Model<'_>) -> Vec<String> {
    let mut out = Vec::new();
    for t in &model.tables {
        if let Some(by) = t.checks_refused_by {
            out.push(format!(
                "{}: no CHECK constraints (Unity Catalog refuses them on a table with {by}); the quality job (quality/run_checks.py) enforces its {} constraint rule(s) instead",
                t.name,
                t.checks.len()
            ));
        }
    }
    out.push(format!(
        "{CATALOG_GRANTS}: for the owner of catalog {} to run once (USE CATALOG, CREATE SCHEMA); the product's job never grants on the catalog",
        model.bundle.catalog
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(table: &str, parent: &str) -> ReferenceModel {
        ReferenceModel {
            table: table.into(),
            column: "k".into(),
            parent_table: parent.into(),
            parent_column: "k".into(),
        }
    }

    #[test]
    fn application_ids_are_uuids_but_not_placeholders() {
        assert!(is_application_id("6f0e3b1a-2c4d-4e5f-8a9b-0c1d2e3f4a5b"));
        assert!(!is_application_id("00000000-0000-0000-0000-000000000000"));
        assert!(!is_application_id("reporting-service"));
        assert!(!is_application_id("<application-id>"));
    }

    #[test]
    fn referenced_tables_come_first() {
        let order = job_order(
            &["a", "b", "c"],
            &[reference("a", "c"), reference("b", "a")],
        );
        assert_eq!(order, [2, 0, 1]);
        assert_eq!(job_order(&["a", "b"], &[]), [0, 1]);
    }
}
