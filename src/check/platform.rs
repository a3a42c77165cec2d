//! Databricks platform rules on the generated SQL and Python (see the table of fixes in the
//! project's Databricks reference). Each rule has a code and a test that breaks it.

use crate::diagnostic::Code;
use crate::diagnostic::Diagnostic;
use crate::lang::sql_statements::{SqlFile, Statement};
use crate::render::RenderedFile;
use crate::render::sql_files;
use crate::spec::ProductSpec;
use crate::spec::contract::{ConstraintKind, ExpectationKind};
use crate::spec::governance::MaskingStrategy;
use regex::Regex;
use std::collections::BTreeSet;
use std::sync::LazyLock;

static UNTYPED_NULL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(^|[\s,])NULL\s+AS\s").expect("constant regex"));
static RLIKE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"RLIKE ''").expect("constant regex"));
static GRANT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^GRANT (SELECT|USE CATALOG|USE SCHEMA) ON (TABLE|VIEW|CATALOG|SCHEMA) (\S+) TO (`(?:[^`]|``)*`|\S+)$")
        .expect("constant regex")
});

pub(crate) fn check(spec: &ProductSpec, files: &[RenderedFile]) -> Vec<Diagnostic> {
    check_parsed(spec, files, &sql_files(spec, files))
}

/// As [`check`], with the SQL files already split (`sql` holds the `.sql` files of `files`).
pub(crate) fn check_parsed(
    spec: &ProductSpec,
    files: &[RenderedFile],
    sql: &[SqlFile],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut any_mask = false;
    let mut any_view = false;
    // USE CATALOG comes from the catalog owner's file, not from the file that grants SELECT.
    let catalog_readers: BTreeSet<String> = sql
        .iter()
        .flat_map(|f| &f.statements)
        .filter_map(|s| GRANT.captures(&s.code))
        .filter(|c| &c[1] == "USE CATALOG")
        .map(|c| c[4].to_string())
        .collect();
    for SqlFile {
        path,
        statements: stmts,
    } in sql
    {
        out.extend(sql_file(spec, path, stmts, &catalog_readers, sql));
        // Masks and masked views are decided by the table DDL files; migrations and
        // revocations beside them may create other views.
        let table_ddl = path
            .strip_prefix("schemas/")
            .is_some_and(|rest| !rest.contains('/'));
        if !table_ddl {
            continue;
        }
        any_mask |= stmts.iter().any(|s| s.code.contains(" SET MASK "));
        any_view |= stmts
            .iter()
            .any(|s| s.code.starts_with("CREATE OR REPLACE VIEW"));
    }
    if any_mask && any_view {
        out.push(Diagnostic::new(
            Code::Dpc020,
            "schemas/",
            "column masks and a masked view are both generated; use one (masks would apply inside the view too)",
        ));
    }
    let masking = spec.governance.masking.strategy;
    for rule in &spec.governance.masking.rules {
        let file = format!("schemas/{}_v{}.sql", rule.table, spec.major_version());
        let Some(SqlFile {
            statements: stmts, ..
        }) = sql.iter().find(|f| f.path == file)
        else {
            continue;
        };
        let col = crate::lang::escape::sql_identifier(&rule.column).to_uppercase();
        let masked = match masking {
            MaskingStrategy::ColumnMask => stmts
                .iter()
                .any(|s| s.code.contains(&format!("ALTER COLUMN {col} SET MASK "))),
            MaskingStrategy::MaskedView => stmts.iter().any(|s| {
                s.code.starts_with("CREATE OR REPLACE VIEW")
                    && s.code.contains(&format!(" END AS {col}"))
            }),
        };
        if !masked {
            out.push(Diagnostic::new(
                Code::Dpc021,
                &file,
                format!("PII column {} is not masked ({})", rule.column, masking),
            ));
        }
    }
    for f in files.iter().filter(|f| f.path.ends_with(".py")) {
        if f.path == "quality/validation_rules.py"
            && !f.text.contains("from pyspark import pipelines as dp")
        {
            out.push(Diagnostic::new(
                Code::Dpc030,
                &f.path,
                "Lakeflow expectations must import `from pyspark import pipelines as dp`",
            ));
        }
        if f.text
            .lines()
            .any(|l| l.trim_start().starts_with("import dlt"))
        {
            out.push(Diagnostic::new(
                Code::Dpc030,
                &f.path,
                "`import dlt` is the old name; use `from pyspark import pipelines as dp`",
            ));
        }
    }
    // The bundle's job re-runs the table DDL files: every statement must be safe to repeat.
    out.extend(super::rerun::check(sql));
    out
}

fn sql_file(
    spec: &ProductSpec,
    path: &str,
    stmts: &[Statement],
    catalog_readers: &BTreeSet<String>,
    all: &[SqlFile],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut use_catalog = catalog_readers.clone();
    let mut use_schema = BTreeSet::new();
    let mut select = Vec::new();

    for s in stmts {
        let mut err = |code: Code, msg: String| {
            out.push(Diagnostic::new(code, path, msg).at_line(s.line, 1));
        };
        let code = s.code.as_str();
        if code.starts_with("CREATE TABLE") {
            if code.contains("PARTITIONED BY") && code.contains("CLUSTER BY") {
                err(Code::Dpc010, "CREATE TABLE combines PARTITIONED BY with CLUSTER BY; liquid clustering cannot be partitioned".into());
            }
            let has_default = s.text.to_uppercase().contains(" DEFAULT ");
            let feature = s
                .literals
                .windows(2)
                .any(|w| w[0] == "delta.feature.allowColumnDefaults" && w[1] == "supported");
            if has_default && !feature {
                err(Code::Dpc011, "a column DEFAULT needs 'delta.feature.allowColumnDefaults' = 'supported' in TBLPROPERTIES".into());
            }
            if s.literals
                .iter()
                .any(|l| l == "delta.minReaderVersion" || l == "delta.minWriterVersion")
            {
                err(Code::Dpc012, "do not hard-code delta.minReaderVersion/minWriterVersion; table features upgrade the protocol".into());
            }
            if s.literals.iter().any(|l| l.eq_ignore_ascii_case("owner")) {
                err(
                    Code::Dpc018,
                    "ownership is not a table property; use ALTER TABLE ... SET OWNER TO".into(),
                );
            }
            if code.contains("PRIMARY KEY") && code.contains(") RELY") {
                let guaranteed = path
                    .strip_prefix("schemas/")
                    .and_then(|p| p.rsplit_once("_v"))
                    .and_then(|(t, _)| spec.contract.tables.get(t))
                    .is_some_and(|t| t.primary_key_guaranteed);
                if !guaranteed {
                    err(
                        Code::Dpc019,
                        "PRIMARY KEY ... RELY lets queries rely on a uniqueness the contract does not guarantee (primary_key_guaranteed); declare it NORELY".into(),
                    );
                }
            }
        }
        if code.contains("IS_MEMBER(") {
            err(
                Code::Dpc013,
                "is_member() checks workspace-local groups; use is_account_group_member()".into(),
            );
        }
        if code.starts_with("CREATE OR REPLACE VIEW") && UNTYPED_NULL.is_match(code) {
            err(
                Code::Dpc014,
                "an untyped NULL changes the view column's type; write CAST(NULL AS <type>)".into(),
            );
        }
        if code.starts_with("ALTER TABLE")
            && code.contains(" SET TAGS")
            && !code.contains(" ALTER COLUMN ")
            && s.literals
                .iter()
                .step_by(2)
                .any(|k| k.eq_ignore_ascii_case("pii"))
        {
            err(Code::Dpc015, "PII is tagged per column (ALTER COLUMN ... SET TAGS ('pii' = ...)), not as a table tag".into());
        }
        if code.contains("`ALL-USERS`") || code.contains("`ALL USERS`") {
            err(Code::Dpc017, "`all-users` is not a Unity Catalog group; the account-wide group is `account users`".into());
        }
        if RLIKE.is_match(code) {
            check_patterns(spec, s, &mut err);
        }
        if let Some(c) = GRANT.captures(code) {
            let principal = c[4].to_string();
            match &c[1] {
                "USE CATALOG" => {
                    use_catalog.insert(principal);
                }
                "USE SCHEMA" => {
                    use_schema.insert(principal);
                }
                _ => select.push((principal, s.line)),
            }
        }
    }
    for (p, line) in select {
        if !use_catalog.contains(&p) || !use_schema.contains(&p) {
            let message = format!("{p} is granted SELECT without USE CATALOG and USE SCHEMA");
            out.push(Diagnostic::new(Code::Dpc016, path, message).at_line(line, 1));
        }
    }
    let mut err = |code: Code, msg: String| out.push(Diagnostic::new(code, path, msg));

    if let Some(table) = path
        .strip_prefix("schemas/")
        .and_then(|p| p.rsplit_once("_v"))
        .map(|(t, _)| t)
        .and_then(|t| spec.contract.tables.get_key_value(t))
    {
        check_table_file(spec, table.0, table.1, stmts, all, &mut err);
    }
    out
}

fn check_patterns(spec: &ProductSpec, s: &Statement, err: &mut impl FnMut(Code, String)) {
    let known: BTreeSet<&str> = spec
        .contract
        .tables
        .values()
        .flat_map(|t| {
            let constraints = t
                .schema
                .fields
                .iter()
                .flat_map(|f| &f.constraints)
                .filter(|c| c.kind == ConstraintKind::Format)
                .filter_map(|c| c.pattern.as_deref());
            let expectations = t
                .quality_expectations
                .iter()
                .filter(|e| e.kind == ExpectationKind::Regex)
                .filter_map(|e| e.pattern.as_deref());
            constraints.chain(expectations)
        })
        .collect();
    // The literal after each RLIKE, in order.
    let mut literal_index = 0;
    let mut rest = s.code.as_str();
    while let Some(pos) = rest.find("''") {
        let before = &rest[..pos];
        if before.trim_end().ends_with("RLIKE")
            && let Some(lit) = s.literals.get(literal_index)
            && !known.contains(lit.as_str())
        {
            err(
                Code::Dpc022,
                format!(
                    "RLIKE pattern reads as {lit:?} on Databricks, which is not a pattern of the contract (backslashes in literals must be doubled)"
                ),
            );
        }
        literal_index += 1;
        rest = &rest[pos + 2..];
    }
}

fn check_table_file(
    spec: &ProductSpec,
    name: &str,
    table: &crate::spec::contract::Table,
    stmts: &[Statement],
    all: &[SqlFile],
    err: &mut impl FnMut(Code, String),
) {
    // CHECK constraints live in schemas/checks/ (applied only when missing or changed); a table
    // with a column mask or row filter may have none, and its DDL says the quality job
    // enforces its rules instead.
    let refused = stmts
        .iter()
        .any(|s| s.code.contains(" SET MASK ") || s.code.contains(" SET ROW FILTER "));
    let checks_path = format!(
        "{}/{name}_v{}.sql",
        crate::render::deploy::CHECKS_DIR,
        spec.major_version()
    );
    let checks: &[Statement] = all
        .iter()
        .find(|f| f.path == checks_path)
        .map_or(&[], |f| &f.statements);
    let ident = |n: &str| crate::lang::escape::sql_identifier(n).to_uppercase();
    for f in table.pii_fields() {
        let want = format!("ALTER COLUMN {} SET TAGS", ident(&f.name));
        let tagged = stmts
            .iter()
            .any(|s| s.code.contains(&want) && s.literals.first().is_some_and(|k| k == "pii"));
        if !tagged {
            err(
                Code::Dpc015,
                format!("PII column {} has no `pii` column tag", f.name),
            );
        }
    }
    if !stmts
        .iter()
        .any(|s| s.code.starts_with("ALTER TABLE") && s.code.contains(" SET OWNER TO "))
    {
        err(
            Code::Dpc018,
            format!(
                "table {name} is never given to its owner group (ALTER TABLE ... SET OWNER TO)"
            ),
        );
    }
    for f in &table.schema.fields {
        for c in &f.constraints {
            let suffix = match c.kind {
                ConstraintKind::Format => "format",
                ConstraintKind::Enum => "allowed_values",
                ConstraintKind::Range => "range",
                ConstraintKind::Unique => continue,
            };
            let moving = |v: &Option<crate::spec::values::Scalar>| matches!(v, Some(crate::spec::values::Scalar::Text(t)) if t.starts_with("current_"));
            if c.kind == ConstraintKind::Range
                && (c.min.is_none() || moving(&c.min))
                && (c.max.is_none() || moving(&c.max))
            {
                continue;
            }
            let want = format!(
                "ADD CONSTRAINT {} CHECK (",
                ident(&format!("{}_{suffix}", f.name))
            );
            if !refused && !checks.iter().any(|s| s.code.contains(&want)) {
                err(
                    Code::Dpc023,
                    format!(
                        "{} constraint on {} is not enforced with a CHECK constraint",
                        suffix, f.name
                    ),
                );
            }
        }
    }
    if spec.governance.masking.strategy == MaskingStrategy::MaskedView
        && table.pii_fields().next().is_some()
    {
        let fqn = crate::lang::escape::sql_qualified(&[spec.catalog(), spec.schema(), name])
            .to_uppercase();
        if stmts.iter().any(|s| {
            s.code.starts_with("GRANT SELECT ON TABLE ") && s.code.contains(&format!(" {fqn} TO "))
        }) {
            err(
                Code::Dpc024,
                format!(
                    "readers are granted the table {name} itself, which bypasses its masked view"
                ),
            );
        }
    }
}
