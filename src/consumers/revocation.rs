//! The REVOKE statements that undo a consumer's grants, and the record file they go in:
//! `schemas/revocations/<date>_<principal>.sql`.
//!
//! SELECT is revoked on every object the old grants named and the new ones do not. USE SCHEMA
//! is revoked when the principal keeps no grant on the product (and does not own it). USE
//! CATALOG is never revoked: the catalog is shared with other products, which may still need it.

use crate::lang::date::Date;
use crate::lang::escape::{sql_comment, sql_principal};
use crate::render::model::Model;

/// The folder that keeps revocation records; `dpc generate` never touches its files.
pub(crate) const DIR: &str = "schemas/revocations";

/// `REVOKE` statements that take away what `old` grants `principal` and `new` does not.
pub(crate) fn statements(old: &Model<'_>, new: &Model<'_>, principal: &str) -> Vec<String> {
    let objects = |m: &Model<'_>| -> Vec<String> {
        m.tables
            .iter()
            .flat_map(|t| &t.grants)
            .filter(|g| g.principal == principal)
            .filter_map(|g| g.job_object.as_str().map(str::to_string))
            .collect()
    };
    let (before, after) = (objects(old), objects(new));
    // The name the grants used: a service principal's application ID.
    let who = old
        .tables
        .iter()
        .flat_map(|t| &t.grants)
        .find(|g| g.principal == principal)
        .and_then(|g| g.principal_sql.as_str())
        .map_or_else(|| sql_principal(principal), str::to_string);
    let mut out: Vec<String> = before
        .iter()
        .filter(|o| !after.contains(o))
        .map(|o| format!("REVOKE SELECT ON {o} FROM {who};"))
        .collect();
    let owner = &new.governance.access_policy.owner_group;
    if !before.is_empty() && after.is_empty() && owner != principal {
        out.push(format!(
            "REVOKE USE SCHEMA ON SCHEMA {} FROM {who};",
            old.job_schema_sql
        ));
    }
    out
}

/// A file-name-safe form of a principal: lower case, runs of other characters as one `-`.
pub(crate) fn slug(principal: &str) -> String {
    let mut out = String::new();
    for c in principal.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        "principal".to_string()
    } else {
        out
    }
}

/// The path of a new record: `schemas/revocations/<date>_<slug>.sql`, numbered when taken.
pub(crate) fn path(today: Date, principal: &str, taken: impl Fn(&str) -> bool) -> String {
    let base = format!("{DIR}/{today}_{}", slug(principal));
    let mut candidate = format!("{base}.sql");
    let mut n = 2;
    while taken(&candidate) {
        candidate = format!("{base}_{n}.sql");
        n += 1;
    }
    candidate
}

/// The record: what was revoked, when, why, and the statements to run. Like the job's SQL
/// files it names `schema.object` after `USE CATALOG IDENTIFIER(:catalog)`, so one file
/// revokes in every target's catalog (`catalogs`: target and catalog), where the grants are.
pub(crate) fn file_text(
    model: &Model<'_>,
    principal: &str,
    reason: Option<&str>,
    today: Date,
    statements: &[String],
    catalogs: &[(&str, String)],
) -> String {
    let mut s = format!(
        "-- Revocation: {} loses read access to data product {} ({}, `dpc consumers revoke` on {today}).\n",
        sql_comment(&sql_principal(principal)),
        sql_comment(&model.product.product_metadata.name),
        model.generator,
    );
    s.push_str(&format!(
        "-- Reason: {}\n",
        sql_comment(reason.unwrap_or("none given"))
    ));
    s.push_str(
        "-- Run it once on the workspace. The grants are already gone from the table DDL in schemas/;\n\
         -- this file is the record, and dpc never rewrites or deletes it.\n",
    );
    let each: Vec<String> = catalogs
        .iter()
        .map(|(target, catalog)| format!("{target}: {catalog}"))
        .collect();
    s.push_str(&format!(
        "-- Run it in each target's catalog, the :catalog parameter ({}): the job granted in each.\n",
        sql_comment(&each.join(", "))
    ));
    s.push_str("-- USE CATALOG is not revoked: the catalog is shared with other products.\n\n");
    s.push_str("USE CATALOG IDENTIFIER(:catalog);\n");
    for st in statements {
        s.push_str(st);
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_file_names() {
        assert_eq!(slug("Data Scientists"), "data-scientists");
        assert_eq!(slug("../etc/passwd"), "etc-passwd");
        assert_eq!(slug("a_b-c"), "a_b-c");
        assert_eq!(slug("///"), "principal");
    }

    #[test]
    fn taken_paths_are_numbered() {
        let today = Date::from_days(0);
        let p = path(today, "g", |p| p.ends_with("_g.sql"));
        assert_eq!(p, "schemas/revocations/1970-01-01_g_2.sql");
    }
}
