//! The access matrix: for every principal, table and column, whether the principal reads
//! clear values, masked values or nothing. It is evaluated from [`TableRules`], the access
//! rules one table's SQL sets up (owner, grants, column masks, masked view, row filter), which
//! come either from the render model (what dpc generates) or from SQL text (what is on disk).

use crate::render::deploy::quality_identity;
use crate::render::model::Model;
use crate::spec::ProductSpec;
use crate::spec::governance::{DefaultAccess, MaskingStrategy, PrincipalType};
use crate::spec::policy::ACCOUNT_USERS;
use crate::spec::values::Sensitivity;
use indexmap::IndexMap;
use serde::Serialize;

/// What a principal reads in one column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Access {
    None,
    Masked,
    Clear,
}

impl Access {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Access::None => "none",
            Access::Masked => "masked",
            Access::Clear => "clear",
        }
    }
}

/// How a principal reaches a table: it owns it, is granted the table, the masked view, or
/// (the quality identity) SELECT on the whole schema, which databricks.yml grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Via {
    None,
    View,
    Schema,
    Table,
    Owner,
}

/// Why a principal appears in the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// `access_policy.owner_group`: owns every object.
    Owner,
    /// An entry of `approved_consumers`.
    Consumer,
    /// `account users`, the default readers of a public product.
    AccountUsers,
    /// Named in an unmask group or row filter but granted nothing.
    UnmaskOnly,
    /// `access_policy.quality_identity`, which every mask and row filter admits. It reads
    /// every table through its schema grant in databricks.yml (`via: schema`).
    QualityIdentity,
    /// Granted something in SQL that the spec does not name.
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Principal {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: PrincipalType,
    pub role: Role,
    /// What `current_user()` returns for it, when a mask may test it: a service principal's
    /// application ID. Groups have none; so do users, as a user named in unmask_groups reads
    /// masked (`is_account_group_member`) and dpc never admits a user by name.
    #[serde(skip)]
    pub(crate) login: Option<String>,
}

/// The access rules of a masked view: who may select it, and per column the groups that see
/// clear values (`None`: the column is not masked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ViewRules {
    pub name: String,
    pub readers: Vec<String>,
    pub columns: IndexMap<String, Option<Vec<String>>>,
}

/// The access rules one table's SQL sets up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableRules {
    pub table: String,
    pub columns: Vec<String>,
    pub owner: Option<String>,
    /// Principals granted SELECT on the table itself.
    pub table_readers: Vec<String>,
    /// Column masks set on the table: column → groups that see clear values.
    pub masks: IndexMap<String, Vec<String>>,
    pub view: Option<ViewRules>,
    /// Groups whose members see rows, when a row filter is set.
    pub row_filter: Option<Vec<String>>,
}

impl TableRules {
    /// Every principal these rules name.
    fn principals(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self.owner.iter().map(String::as_str).collect();
        out.extend(self.table_readers.iter().map(String::as_str));
        if let Some(v) = &self.view {
            out.extend(v.readers.iter().map(String::as_str));
            out.extend(v.columns.values().flatten().flatten().map(String::as_str));
        }
        out.extend(self.masks.values().flatten().map(String::as_str));
        out.extend(self.row_filter.iter().flatten().map(String::as_str));
        out
    }
}

/// One principal's access to one table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reader {
    pub principal: String,
    pub via: Via,
    /// True when the table's row filter hides every row from the principal.
    pub rows_filtered: bool,
    pub columns: IndexMap<String, Access>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableAccess {
    pub table: String,
    /// The masked view readers are granted, if the table has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub view: Option<String>,
    /// Groups whose members see rows, when the table has a row filter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row_filter: Option<Vec<String>>,
    pub readers: Vec<Reader>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Matrix {
    pub product: String,
    pub sensitivity: Sensitivity,
    pub masking: MaskingStrategy,
    pub principals: Vec<Principal>,
    pub tables: Vec<TableAccess>,
}

impl Matrix {
    /// The matrix of what dpc generates for `spec`: the same model the SQL templates render.
    pub(crate) fn from_model(spec: &ProductSpec, model: &Model<'_>) -> Matrix {
        Matrix::evaluate(spec, &rules_from_model(spec, model))
    }

    /// Evaluates `rules` for every principal the spec or the rules name.
    pub fn evaluate(spec: &ProductSpec, rules: &[TableRules]) -> Matrix {
        let principals = principals(spec, rules);
        let tables = rules
            .iter()
            .map(|r| TableAccess {
                table: r.table.clone(),
                view: r.view.as_ref().map(|v| v.name.clone()),
                row_filter: r.row_filter.clone(),
                readers: principals.iter().map(|p| read(p, r)).collect(),
            })
            .collect();
        Matrix {
            product: spec.name().to_string(),
            sensitivity: spec.governance.classification.sensitivity,
            masking: spec.governance.masking.strategy,
            principals,
            tables,
        }
    }

    pub(crate) fn principal(&self, name: &str) -> Option<&Principal> {
        self.principals.iter().find(|p| p.name == name)
    }

    /// The access of `principal` to `table.column`.
    pub(crate) fn cell(&self, principal: &str, table: &str, column: &str) -> Access {
        self.tables
            .iter()
            .find(|t| t.table == table)
            .and_then(|t| t.readers.iter().find(|r| r.principal == principal))
            .and_then(|r| r.columns.get(column).copied())
            .unwrap_or(Access::None)
    }
}

/// The access rules the render model sets up, table by table: the grants, masks, masked view
/// and row filter that `templates/schemas/table.sql.j2` prints.
pub(crate) fn rules_from_model(spec: &ProductSpec, model: &Model<'_>) -> Vec<TableRules> {
    let owner = &model.governance.access_policy.owner_group;
    // Every mask and row filter test admits the quality identity first (`admit_test`).
    let admitted = |groups: &[String]| -> Vec<String> {
        quality_identity(spec)
            .map(str::to_string)
            .into_iter()
            .chain(groups.iter().cloned())
            .collect()
    };
    model
        .tables
        .iter()
        .map(|t| {
            let group_of = |column: &str| {
                t.masks
                    .iter()
                    .find(|m| m.column == column)
                    .map(|m| admitted(&m.unmask_groups))
            };
            let readers = |on_view: bool| {
                t.grants
                    .iter()
                    .filter(|g| g.on_view == on_view)
                    .map(|g| g.principal.clone())
                    .collect::<Vec<_>>()
            };
            TableRules {
                table: t.name.clone(),
                columns: t.columns.iter().map(|c| c.name.clone()).collect(),
                owner: Some(owner.clone()),
                table_readers: readers(false),
                // The template sets masks only under the column-mask strategy.
                masks: if model.column_masks {
                    t.masks
                        .iter()
                        .map(|m| (m.column.clone(), admitted(&m.unmask_groups)))
                        .collect()
                } else {
                    IndexMap::new()
                },
                view: t.view.as_ref().map(|v| ViewRules {
                    name: v.name.clone(),
                    readers: readers(true),
                    columns: t
                        .columns
                        .iter()
                        .map(|c| (c.name.clone(), group_of(&c.name)))
                        .collect(),
                }),
                row_filter: t.row_filter.as_ref().map(|f| admitted(&f.groups)),
            }
        })
        .collect()
}

/// The owner, the consumers, `account users` when it reads, the quality identity when a rule
/// admits it, then anyone else the rules name.
fn principals(spec: &ProductSpec, rules: &[TableRules]) -> Vec<Principal> {
    let gov = &spec.governance;
    let mut out: Vec<Principal> = Vec::new();
    let mut add = |name: &str, kind: PrincipalType, role: Role, login: Option<&str>| {
        if !out.iter().any(|p| p.name == name) {
            out.push(Principal {
                name: name.to_string(),
                kind,
                role,
                login: login.map(str::to_string),
            });
        }
    };
    add(
        &gov.access_policy.owner_group,
        PrincipalType::Group,
        Role::Owner,
        None,
    );
    for c in &gov.approved_consumers {
        let role = if c.principal == ACCOUNT_USERS {
            Role::AccountUsers
        } else {
            Role::Consumer
        };
        let login = c
            .application_id
            .as_deref()
            .filter(|_| c.principal_type == PrincipalType::ServicePrincipal);
        add(&c.principal, c.principal_type, role, login);
    }
    let granted = |name: &str| {
        rules.iter().any(|r| {
            r.owner.as_deref() == Some(name)
                || r.table_readers.iter().any(|p| p == name)
                || r.view
                    .as_ref()
                    .is_some_and(|v| v.readers.iter().any(|p| p == name))
        })
    };
    if gov.access_policy.default_access == DefaultAccess::AccountUsers || granted(ACCOUNT_USERS) {
        add(
            ACCOUNT_USERS,
            PrincipalType::Group,
            Role::AccountUsers,
            None,
        );
    }
    let role_of = |name: &str| {
        if name == ACCOUNT_USERS {
            Role::AccountUsers
        } else if granted(name) {
            Role::Unknown
        } else {
            Role::UnmaskOnly
        }
    };
    // The masks admit the quality identity by `current_user()`: a service principal, no group.
    if let Some(id) = quality_identity(spec)
        && rules.iter().any(|r| r.principals().contains(&id))
    {
        add(
            id,
            PrincipalType::ServicePrincipal,
            Role::QualityIdentity,
            Some(id),
        );
    }
    for r in rules {
        for name in r.principals() {
            // Unknown principals are taken for groups: the reading that grants the most.
            add(name, PrincipalType::Group, role_of(name), None);
        }
    }
    out
}

/// True when the test of a mask or row filter admitting `groups` holds for `p`: a group by
/// `is_account_group_member`, a service principal by `current_user()` (its application ID);
/// `account users` holds for everyone.
fn member(p: &Principal, groups: &[String]) -> bool {
    groups.iter().any(|g| {
        g == ACCOUNT_USERS
            || (p.kind == PrincipalType::Group && *g == p.name)
            || p.login.as_deref() == Some(g.as_str())
    })
}

/// What `p` reads of one table under `rules`: the best of every way it can reach the table.
fn read(p: &Principal, rules: &TableRules) -> Reader {
    let owns = rules.owner.as_deref() == Some(p.name.as_str());
    let granted_table = owns || rules.table_readers.contains(&p.name);
    // The bundle grants the quality identity SELECT on the schema: every table, base table
    // included, through the masks (which admit it).
    let by_schema = p.role == Role::QualityIdentity;
    let on_table = granted_table || by_schema;
    let view = rules.view.as_ref().filter(|v| v.readers.contains(&p.name));
    let via = if owns {
        Via::Owner
    } else if granted_table {
        Via::Table
    } else if by_schema {
        Via::Schema
    } else if view.is_some() {
        Via::View
    } else {
        Via::None
    };
    let rows_filtered = via != Via::None
        && rules
            .row_filter
            .as_ref()
            .is_some_and(|groups| !member(p, groups));
    let through_mask = |column: &str| match rules.masks.get(column) {
        Some(groups) if !member(p, groups) => Access::Masked,
        _ => Access::Clear,
    };
    let columns = rules
        .columns
        .iter()
        .map(|c| {
            let mut access = Access::None;
            if rows_filtered {
                return (c.clone(), access);
            }
            if on_table {
                access = access.max(through_mask(c));
            }
            if let Some(v) = view {
                let in_view = match v.columns.get(c) {
                    None => Access::None,
                    Some(Some(groups)) if !member(p, groups) => Access::Masked,
                    Some(_) => Access::Clear,
                };
                // A view reads the table with its masks applied: the stricter of the two.
                access = access.max(in_view.min(through_mask(c)));
            }
            (c.clone(), access)
        })
        .collect();
    Reader {
        principal: p.name.clone(),
        via,
        rows_filtered,
        columns,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(name: &str) -> Principal {
        Principal {
            name: name.into(),
            kind: PrincipalType::Group,
            role: Role::Consumer,
            login: None,
        }
    }

    fn rules() -> TableRules {
        TableRules {
            table: "t".into(),
            columns: vec!["id".into(), "email".into()],
            owner: Some("owners".into()),
            table_readers: vec!["analysts".into(), "svc".into()],
            masks: [("email".to_string(), vec!["analysts".to_string()])].into(),
            view: None,
            row_filter: None,
        }
    }

    #[test]
    fn masks_hide_columns_from_everyone_outside_the_groups() {
        let r = rules();
        let analysts = read(&group("analysts"), &r);
        assert_eq!(analysts.columns["email"], Access::Clear);
        let owners = read(&group("owners"), &r);
        assert_eq!(
            (owners.via, owners.columns["email"]),
            (Via::Owner, Access::Masked)
        );
        // A service principal named like a group is no member of it.
        let svc = Principal {
            kind: PrincipalType::ServicePrincipal,
            ..group("analysts")
        };
        assert_eq!(read(&svc, &r).columns["email"], Access::Masked);
        let other = read(&group("other"), &r);
        assert_eq!((other.via, other.columns["id"]), (Via::None, Access::None));
    }

    #[test]
    fn a_login_in_a_group_list_unmasks_that_principal_alone() {
        let mut r = rules();
        r.masks["email"].push("app-id".into());
        let svc = Principal {
            kind: PrincipalType::ServicePrincipal,
            login: Some("app-id".into()),
            ..group("svc")
        };
        assert_eq!(read(&svc, &r).columns["email"], Access::Clear);
        assert_eq!(read(&group("svc"), &r).columns["email"], Access::Masked);
    }

    #[test]
    fn account_users_in_a_group_list_unmasks_everyone() {
        let mut r = rules();
        r.masks["email"].push(ACCOUNT_USERS.into());
        assert_eq!(read(&group("svc"), &r).columns["email"], Access::Clear);
    }

    #[test]
    fn views_mask_their_columns_and_row_filters_hide_rows() {
        let mut r = rules();
        r.masks.clear();
        r.table_readers.clear();
        r.view = Some(ViewRules {
            name: "t_masked".into(),
            readers: vec!["analysts".into(), "svc".into()],
            columns: [
                ("id".to_string(), None),
                ("email".to_string(), Some(vec!["analysts".to_string()])),
            ]
            .into(),
        });
        let svc = read(&group("svc"), &r);
        assert_eq!(svc.via, Via::View);
        assert_eq!(
            (svc.columns["id"], svc.columns["email"]),
            (Access::Clear, Access::Masked)
        );
        assert_eq!(read(&group("owners"), &r).columns["email"], Access::Clear);
        r.row_filter = Some(vec!["owners".into(), "analysts".into()]);
        let svc = read(&group("svc"), &r);
        assert!(svc.rows_filtered);
        assert_eq!(svc.columns["id"], Access::None);
        assert_eq!(read(&group("analysts"), &r).columns["email"], Access::Clear);
    }
}
