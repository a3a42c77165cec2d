//! The table DDL files are re-run by the bundle's job on every deploy and schedule, so each
//! statement must be safe to run again: nothing drops, replaces or empties a table (DPC025),
//! and nothing fails the second time because it already exists (DPC026).

use crate::diagnostic::Code;
use crate::diagnostic::Diagnostic;
use crate::lang::sql_statements::{SqlFile, Statement};

/// Table DDL files sit directly under `schemas/`; migrations and revocations below it are
/// one-off scripts and may do what a re-run must not.
pub fn is_table_ddl(path: &str) -> bool {
    path.strip_prefix("schemas/")
        .is_some_and(|rest| !rest.contains('/') && rest.ends_with(".sql"))
}

/// Statements that lose data when run again.
const DESTRUCTIVE: [&str; 8] = [
    "DROP TABLE",
    "DROP SCHEMA",
    "DROP DATABASE",
    "TRUNCATE",
    "DELETE FROM",
    "CREATE OR REPLACE TABLE",
    "REPLACE TABLE",
    "INSERT OVERWRITE",
];

/// What is wrong with re-running one statement, given the statements before it in the file:
/// `(code, message)`.
pub(crate) fn problem(stmt: &Statement, before: &[Statement]) -> Option<(Code, String)> {
    let code = stmt.code.as_str();
    let starts = |p: &str| code.starts_with(p);
    if let Some(p) = DESTRUCTIVE.iter().find(|p| starts(p)) {
        return Some((
            Code::Dpc025,
            format!("{p} loses the table's data when the DDL runs again"),
        ));
    }
    if starts("ALTER TABLE") && (code.contains(" DROP COLUMN") || code.contains(" DROP COLUMNS")) {
        return Some((
            Code::Dpc025,
            "DROP COLUMN loses data when the DDL runs again".into(),
        ));
    }
    if (starts("CREATE TABLE") || starts("CREATE SCHEMA") || starts("CREATE DATABASE"))
        && !code.contains(" IF NOT EXISTS ")
    {
        return Some((
            Code::Dpc026,
            "CREATE without IF NOT EXISTS fails when the DDL runs again".into(),
        ));
    }
    if (starts("CREATE VIEW") || starts("CREATE FUNCTION")) && !code.contains(" IF NOT EXISTS ") {
        return Some((
            Code::Dpc026,
            "CREATE VIEW/FUNCTION fails when the DDL runs again; use CREATE OR REPLACE".into(),
        ));
    }
    if starts("ALTER TABLE") && (code.contains(" ADD COLUMN") || code.contains(" RENAME ")) {
        return Some((
            Code::Dpc026,
            "ADD COLUMN and RENAME fail when the DDL runs again; they belong in a migration (dpc diff --write-changelog)".into(),
        ));
    }
    if starts("ALTER TABLE")
        && let Some(at) = code.find(" ADD CONSTRAINT ")
    {
        let table = &code[..at];
        let name = code[at + " ADD CONSTRAINT ".len()..]
            .split_whitespace()
            .next()
            .unwrap_or_default();
        let dropped = format!("{table} DROP CONSTRAINT IF EXISTS {name}");
        if !before.iter().any(|s| s.code == dropped) {
            return Some((
                Code::Dpc026,
                format!(
                    "ADD CONSTRAINT {name} fails when the DDL runs again; drop it first with DROP CONSTRAINT IF EXISTS"
                ),
            ));
        }
    }
    None
}

/// Every statement of every table DDL file that is not safe to run twice.
pub(crate) fn check(files: &[SqlFile]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for f in files.iter().filter(|f| is_table_ddl(f.path)) {
        let stmts = &f.statements;
        for (i, s) in stmts.iter().enumerate() {
            if let Some((code, message)) = problem(s, &stmts[..i]) {
                out.push(
                    Diagnostic::new(code, f.path, message)
                        .at_line(s.line, 1)
                        .help("the bundle's job re-runs this file on every deploy; keep it idempotent"),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::sql_statements::split;

    fn codes(sql: &str) -> Vec<Code> {
        check(&[SqlFile {
            path: "schemas/t_v1.sql",
            statements: split(sql),
        }])
        .into_iter()
        .map(|d| d.code)
        .collect()
    }

    #[test]
    fn destructive_and_one_shot_statements_are_refused() {
        assert_eq!(
            codes("CREATE OR REPLACE TABLE a.b.t (x INT);"),
            [Code::Dpc025]
        );
        assert_eq!(codes("drop table a.b.t;"), [Code::Dpc025]);
        assert_eq!(codes("TRUNCATE TABLE a.b.t;"), [Code::Dpc025]);
        assert_eq!(codes("CREATE TABLE a.b.t (x INT);"), [Code::Dpc026]);
        assert_eq!(codes("CREATE VIEW a.b.v AS SELECT 1;"), [Code::Dpc026]);
        assert_eq!(
            codes("ALTER TABLE t ADD CONSTRAINT c CHECK (x > 0);"),
            [Code::Dpc026]
        );
        assert_eq!(codes("ALTER TABLE t ADD COLUMN y INT;"), [Code::Dpc026]);
    }

    #[test]
    fn idempotent_statements_pass() {
        let sql = "CREATE SCHEMA IF NOT EXISTS a.b;\n\
                   CREATE TABLE IF NOT EXISTS a.b.t (x INT);\n\
                   ALTER TABLE a.b.t DROP CONSTRAINT IF EXISTS c;\n\
                   ALTER TABLE a.b.t ADD CONSTRAINT c CHECK (x > 0);\n\
                   CREATE OR REPLACE FUNCTION a.b.f(x INT) RETURNS INT RETURN x;\n\
                   CREATE OR REPLACE VIEW a.b.v AS SELECT x FROM a.b.t;\n\
                   GRANT SELECT ON TABLE a.b.t TO `g`;";
        assert!(codes(sql).is_empty(), "{:?}", codes(sql));
    }

    #[test]
    fn migrations_are_not_table_ddl() {
        assert!(is_table_ddl("schemas/customers_v1.sql"));
        assert!(!is_table_ddl("schemas/migrations/1.0.0_to_2.0.0.sql"));
        assert!(!is_table_ddl("quality/x.sql"));
    }
}
