//! Policy checks on the access matrix: default deny, PII masked for everyone outside its
//! unmask groups, `account users` only on the masked projection, approvals recorded, expired
//! grants; and the SQL on disk granting no more than the spec.

use super::matrix::{Access, Matrix, Role, Via};
use crate::diagnostic::Code;
use crate::diagnostic::Diagnostic;
use crate::lang::date::Date;
use crate::lang::sql_statements::SqlFile;
use crate::render::RenderedFile;
use crate::render::sql_files;
use crate::spec::governance::{DefaultAccess, PrincipalType};
use crate::spec::policy::{self, ACCOUNT_USERS};
use crate::spec::{GOVERNANCE_FILE, ProductSpec};

/// The diagnostic codes about who may read what; `dpc access` shows these.
pub(crate) const CODES: &[Code] = &[
    Code::Dpc042,
    Code::Dpc113,
    Code::Dpc120,
    Code::Dpc121,
    Code::Dpc122,
    Code::Dpc123,
    Code::Dpc124,
    Code::Dpc125,
    Code::Dpc126,
    Code::Dpc128,
    Code::Dpc129,
    Code::Dpc134,
    Code::Dpc135,
    Code::Dpc136,
    Code::Dpc137,
    Code::Dpc138,
];

/// True when dpc renders grants for `permission` (the policy's consumer permissions).
pub(crate) fn granted_permission(permission: &str) -> bool {
    policy::CONSUMER_PERMISSIONS
        .iter()
        .any(|(p, _)| *p == permission)
}

/// The permissions dpc grants, for messages.
pub(crate) fn permissions() -> String {
    policy::CONSUMER_PERMISSIONS
        .iter()
        .map(|(p, _)| *p)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The YAML path of the consumer entry for `principal`, or of the whole list.
fn consumer_path(spec: &ProductSpec, principal: &str) -> String {
    spec.governance
        .approved_consumers
        .iter()
        .position(|c| c.principal == principal)
        .map_or_else(
            || "approved_consumers".to_string(),
            |i| format!("approved_consumers[{i}]"),
        )
}

pub(crate) fn check_matrix(spec: &ProductSpec, matrix: &Matrix) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    default_deny(spec, matrix, &mut out);
    pii_masked(spec, matrix, &mut out);
    account_users(spec, matrix, &mut out);
    approvals(spec, &mut out);
    out
}

/// Nobody reads a table the spec does not grant them.
fn default_deny(spec: &ProductSpec, matrix: &Matrix, out: &mut Vec<Diagnostic>) {
    let gov = &spec.governance;
    let public = gov.access_policy.default_access == DefaultAccess::AccountUsers;
    for t in &matrix.tables {
        for r in t.readers.iter().filter(|r| r.via != Via::None) {
            let consumer = gov
                .approved_consumers
                .iter()
                .find(|c| c.principal == r.principal);
            let granted = match matrix.principal(&r.principal).map(|p| p.role) {
                // The quality identity reads every table to check it.
                Some(Role::Owner | Role::QualityIdentity) => true,
                Some(Role::AccountUsers) if public => true,
                _ => consumer.is_some_and(|c| c.tables.is_empty() || c.tables.contains(&t.table)),
            };
            if !granted {
                out.push(
                    Diagnostic::new(
                        Code::Dpc134,
                        GOVERNANCE_FILE,
                        format!(
                            "{} can read {} although the spec does not grant it",
                            r.principal, t.table
                        ),
                    )
                    .at(consumer_path(spec, &r.principal))
                    .help("access is denied by default: list the table in the consumer's tables, or remove the grant"),
                );
            }
        }
    }
    for (i, c) in gov.approved_consumers.iter().enumerate() {
        if !granted_permission(&c.permission) {
            out.push(
                Diagnostic::new(
                    Code::Dpc138,
                    GOVERNANCE_FILE,
                    format!(
                        "{} has permission {}, but dpc grants only {}",
                        c.principal,
                        c.permission,
                        permissions()
                    ),
                )
                .at(format!("approved_consumers[{i}].permission"))
                .help(
                    "use a permission dpc grants; grant other privileges outside the data product",
                ),
            );
        }
    }
}

/// Every PII column reads masked for every principal outside its unmask groups. The owner
/// group is exempt: it owns the table and its masks.
fn pii_masked(spec: &ProductSpec, matrix: &Matrix, out: &mut Vec<Diagnostic>) {
    let gov = &spec.governance;
    for (name, table) in &spec.contract.tables {
        let pii = table
            .schema
            .fields
            .iter()
            .filter(|f| {
                f.pii
                    || gov
                        .pii_fields
                        .iter()
                        .any(|p| p.table == *name && p.column == f.name)
            })
            .map(|f| f.name.as_str());
        for column in pii {
            let rule = gov
                .masking
                .rules
                .iter()
                .position(|r| r.table == *name && r.column == column);
            let groups = rule.map_or(&[][..], |i| &gov.masking.rules[i].unmask_groups[..]);
            let clear: Vec<&str> = matrix
                .principals
                .iter()
                .filter(|p| !matches!(p.role, Role::Owner | Role::QualityIdentity))
                .filter(|p| matrix.cell(&p.name, name, column) == Access::Clear)
                .filter(|p| !(p.kind == PrincipalType::Group && groups.contains(&p.name)))
                .map(|p| p.name.as_str())
                .collect();
            if !clear.is_empty() {
                let path = rule.map_or_else(
                    || "pii_fields".to_string(),
                    |i| format!("masking.rules[{i}].unmask_groups"),
                );
                out.push(
                    Diagnostic::new(
                        Code::Dpc135,
                        GOVERNANCE_FILE,
                        format!(
                            "PII column {name}.{column} reads in clear for {}, outside its unmask groups",
                            clear.join(", ")
                        ),
                    )
                    .at(path)
                    .help("mask the column with a masking rule, and name in unmask_groups only the groups that may see it (never `account users`)"),
                );
            }
        }
    }
}

/// On non-public data `account users` may read only the masked projection (the masked view)
/// and may never be an unmask group.
fn account_users(spec: &ProductSpec, matrix: &Matrix, out: &mut Vec<Diagnostic>) {
    let gov = &spec.governance;
    let sens = policy::sensitivity(gov.classification.sensitivity);
    if sens.default_access == DefaultAccess::AccountUsers {
        return;
    }
    for t in &matrix.tables {
        let Some(r) = t
            .readers
            .iter()
            .find(|r| r.principal == ACCOUNT_USERS && r.via != Via::None)
        else {
            continue;
        };
        let why = match r.via {
            Via::View => None,
            _ if t.view.is_some() => Some(format!(
                "is granted the table {}, not its masked view",
                t.table
            )),
            _ => Some(format!(
                "is granted the table {}, which has no masked projection",
                t.table
            )),
        };
        if let Some(why) = why {
            out.push(
                Diagnostic::new(
                    Code::Dpc124,
                    GOVERNANCE_FILE,
                    format!("`account users` {why}; {} data may go to everyone only masked", sens.sensitivity),
                )
                .at(consumer_path(spec, ACCOUNT_USERS))
                .help("use masking: masked_view and list only tables with PII in the consumer's tables, or name the groups that may read"),
            );
        }
    }
    for (i, rule) in gov.masking.rules.iter().enumerate() {
        if let Some(g) = rule.unmask_groups.iter().position(|g| g == ACCOUNT_USERS) {
            out.push(
                Diagnostic::new(
                    Code::Dpc124,
                    GOVERNANCE_FILE,
                    format!(
                        "`account users` would see {}.{} in clear; {} data is never unmasked for everyone",
                        rule.table, rule.column, sens.sensitivity
                    ),
                )
                .at(format!("masking.rules[{i}].unmask_groups[{g}]")),
            );
        }
    }
}

/// Grants of data that needs approval record who approved them.
fn approvals(spec: &ProductSpec, out: &mut Vec<Diagnostic>) {
    let gov = &spec.governance;
    let sens = policy::sensitivity(gov.classification.sensitivity);
    for (i, c) in gov.approved_consumers.iter().enumerate() {
        let at = format!("approved_consumers[{i}]");
        match &c.approved_by {
            None if sens.approval_required => out.push(
                Diagnostic::new(
                    Code::Dpc136,
                    GOVERNANCE_FILE,
                    format!(
                        "{} has no recorded approval; {} data needs one for every grant",
                        c.principal, sens.sensitivity
                    ),
                )
                .at(at.clone())
                .help("add approved_by (the approver's email) and approved_date, or use `dpc consumers add --approved-by`"),
            ),
            Some(email) => {
                if let Err(m) = crate::spec::name::check_email(email) {
                    out.push(
                        Diagnostic::new(Code::Dpc136, GOVERNANCE_FILE, format!("approved_by: {m}"))
                            .at(format!("{at}.approved_by")),
                    );
                }
            }
            None => {}
        }
        if let Some(d) = &c.approved_date {
            // A future approval date would stretch the 90-day limit (DPC126) past today + 90.
            let problem = match Date::parse(d) {
                None => Some(format!("approved_date '{d}' is not a date (YYYY-MM-DD)")),
                Some(day) if Date::today().is_ok_and(|today| day > today) => {
                    Some(format!("approved_date {d} is in the future"))
                }
                Some(_) => None,
            };
            if let Some(message) = problem {
                out.push(
                    Diagnostic::new(Code::Dpc136, GOVERNANCE_FILE, message)
                        .at(format!("{at}.approved_date")),
                );
            }
        }
    }
}

/// Grants whose expiry date has passed (warnings). Kept apart from [`check`] because the
/// answer changes with the date: `validate` and `access` run it, `create` does not need it.
pub(crate) fn expired(spec: &ProductSpec) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let Ok(today) = Date::today() else {
        return out;
    };
    for (i, c) in spec.governance.approved_consumers.iter().enumerate() {
        let at = format!("approved_consumers[{i}]");
        if let Some(expires) = c.expires.as_deref().and_then(Date::parse)
            && expires < today
        {
            out.push(
                Diagnostic::new(
                    Code::Dpc137,
                    GOVERNANCE_FILE,
                    format!("the grant to {} expired on {expires}", c.principal),
                )
                .at(format!("{at}.expires"))
                .warning()
                .help(format!(
                    "renew it (new expires and approval) or revoke it: `dpc consumers revoke PRODUCT_DIR {}`",
                    c.principal
                )),
            );
        }
    }
    out
}

/// The SQL on disk lets nobody read more than the spec grants (a hand edit, or a spec change
/// not yet generated, can widen access).
pub(crate) fn check_sql(spec: &ProductSpec, files: &[RenderedFile]) -> Vec<Diagnostic> {
    let Ok(expected) = super::of_spec(spec) else {
        return Vec::new();
    };
    check_sql_parsed(spec, &expected, &sql_files(spec, files))
}

/// As [`check_sql`], given the spec's own matrix and the SQL files already split.
pub(crate) fn check_sql_parsed(
    spec: &ProductSpec,
    expected: &Matrix,
    sql: &[SqlFile],
) -> Vec<Diagnostic> {
    let actual = Matrix::evaluate(spec, &super::from_sql::rules_from_statements(spec, sql));
    let mut out = Vec::new();
    for t in &actual.tables {
        for r in &t.readers {
            let wider: Vec<String> = r
                .columns
                .iter()
                .filter(|(c, a)| **a > expected.cell(&r.principal, &t.table, c))
                .map(|(c, a)| format!("{c} ({a})", a = a.as_str()))
                .collect();
            if !wider.is_empty() {
                out.push(
                    Diagnostic::new(
                        Code::Dpc042,
                        format!("schemas/{}_v{}.sql", t.table, spec.major_version()),
                        format!(
                            "the SQL lets {} read {}.{} beyond what the spec grants",
                            r.principal,
                            t.table,
                            wider.join(", ")
                        ),
                    )
                    .help("run `dpc generate` (with --force if the file was edited by hand) so the SQL grants only what the spec says"),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::matrix::{Reader, Role};
    use crate::spec::ProductSpec;
    use std::path::Path;

    fn example(name: &str) -> ProductSpec {
        ProductSpec::load(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("examples")
                .join(name),
        )
        .expect("example spec")
    }

    fn codes(d: &[Diagnostic]) -> Vec<Code> {
        d.iter().map(|d| d.code).collect()
    }

    #[test]
    fn default_deny_holds_for_what_dpc_generates() {
        let spec = example("customer-360");
        let matrix = crate::access::of_spec(&spec).expect("matrix");
        assert!(!codes(&check_matrix(&spec, &matrix)).contains(&Code::Dpc134));
    }

    #[test]
    fn access_the_spec_does_not_grant_is_reported() {
        let mut spec = example("customer-360");
        let mut matrix = crate::access::of_spec(&spec).expect("matrix");
        // A reader the spec never names, and a consumer reading a table it is not granted.
        let columns = matrix.tables[0].readers[0].columns.clone();
        matrix.tables[0].readers.push(Reader {
            principal: "intruders".into(),
            via: Via::Table,
            rows_filtered: false,
            columns,
        });
        matrix.principals.push(crate::access::matrix::Principal {
            name: "intruders".into(),
            kind: PrincipalType::Group,
            role: Role::Unknown,
            login: None,
        });
        spec.governance.approved_consumers[0].tables = vec!["customer_metrics".into()];
        let found = check_matrix(&spec, &matrix);
        let deny: Vec<&Diagnostic> = found.iter().filter(|d| d.code == Code::Dpc134).collect();
        assert_eq!(deny.len(), 3, "{found:#?}");
        assert!(
            deny[0]
                .message
                .starts_with("marketing-analysts can read customers")
        );
        assert!(
            deny.iter()
                .any(|d| d.message.starts_with("intruders can read customers"))
        );
    }
}
