//! Contract evolution: what changed between two versions of a product, how much each change
//! breaks consumers, and whether the new version number and deprecation notices cover it.

pub(crate) mod changelog;
pub mod classify;
pub(crate) mod migration;
pub mod version;
pub(crate) mod widening;

use crate::lang::date::Date;
use crate::spec::ProductSpec;
use crate::spec::contract::Contract;
use classify::{Change, Kind, Notice};
use serde::Serialize;
use version::{Bump, Version};

/// One side of a comparison: a whole product, or only its contract.
pub(crate) enum Side {
    Product(Box<ProductSpec>),
    Contract(Box<Contract>),
}

impl Side {
    pub(crate) fn contract(&self) -> &Contract {
        match self {
            Side::Product(p) => &p.contract,
            Side::Contract(c) => c,
        }
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct Report {
    pub old_version: String,
    pub new_version: String,
    pub changes: Vec<Change>,
    /// The bump the changes need, if any change was found.
    pub required: Option<Bump>,
    /// The smallest version the new contract may carry.
    pub required_version: String,
    /// Why the new version is not acceptable; empty when it is.
    pub problems: Vec<String>,
}

impl Report {
    pub(crate) fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Arguments, files or revisions `dpc diff` cannot use.
#[derive(Debug, thiserror::Error)]
pub(crate) enum DiffUsage {
    #[error("--against needs a git repository, and {} is not inside one", dir.display())]
    NotInGit { dir: std::path::PathBuf },
    #[error("{} is outside the repository {}", path.display(), top.display())]
    OutsideRepository {
        path: std::path::PathBuf,
        top: std::path::PathBuf,
    },
    #[error("cannot read {file} at {rev}: {message}")]
    AtRevision {
        file: String,
        rev: String,
        message: String,
    },
    #[error("give either NEW or --against REV, not both")]
    NewAndAgainst,
    #[error("give NEW (a product directory or contract.yaml) or --against REV")]
    NothingToCompare,
    #[error("--write-changelog needs NEW to be a product directory")]
    ChangelogNeedsProduct,
    #[error(transparent)]
    Version(#[from] DiffError),
}

#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub(crate) struct DiffError {
    pub file: String,
    pub message: String,
}

pub(crate) fn diff(old: &Side, new: &Side) -> Result<Report, DiffError> {
    let (co, cn) = (old.contract(), new.contract());
    let mut changes = classify::compare(co, cn);
    if let (Side::Product(po), Side::Product(pn)) = (old, new) {
        product_changes(po, pn, &mut changes);
    }
    let version = |c: &Contract, which: &str| {
        Version::parse(&c.contract_version).map_err(|m| DiffError {
            file: format!("{which} contract.yaml"),
            message: format!("contract_version: {m}"),
        })
    };
    let (vo, vn) = (version(co, "old")?, version(cn, "new")?);
    let required = changes.iter().map(|c| c.bump).max();
    let needed = required.map_or(vo, |b| vo.bumped(b));
    let mut problems = Vec::new();
    if vn < vo {
        problems.push(format!("the new version {vn} is lower than the old {vo}"));
    } else if vn < needed {
        problems.push(format!(
            "{} change(s) need a {} bump: version {needed} or later, not {vn}",
            changes.iter().filter(|c| Some(c.bump) == required).count(),
            required.map_or("version".to_string(), |b| b.to_string())
        ));
    }
    problems.extend(notices(co, cn, &changes));
    Ok(Report {
        old_version: vo.to_string(),
        new_version: vn.to_string(),
        required,
        required_version: needed.to_string(),
        changes,
        problems,
    })
}

/// Catalog, schema and classification live outside the contract.
fn product_changes(old: &ProductSpec, new: &ProductSpec, changes: &mut Vec<Change>) {
    for (what, a, b) in [
        ("catalog", old.catalog(), new.catalog()),
        ("schema", old.schema(), new.schema()),
    ] {
        if a != b {
            changes.push(Change {
                path: format!("catalog_location.{what}"),
                kind: Kind::Renamed,
                old: Some(a.to_string()),
                new: Some(b.to_string()),
                bump: Bump::Major,
                reason: "every fully qualified table name changes".into(),
                notice: None,
            });
        }
    }
    let (so, sn) = (
        old.governance.classification.sensitivity,
        new.governance.classification.sensitivity,
    );
    if so != sn {
        let (kind, bump, reason) = if sn < so {
            (
                Kind::ClassificationDowngraded,
                Bump::Major,
                "data would be protected less than consumers were promised",
            )
        } else {
            (
                Kind::ClassificationRaised,
                Bump::Minor,
                "access becomes stricter; existing grants stay",
            )
        };
        changes.push(Change {
            path: "classification.sensitivity".into(),
            kind,
            old: Some(so.to_string()),
            new: Some(sn.to_string()),
            bump,
            reason: reason.into(),
            notice: None,
        });
    }
}

/// Major changes to a table or column need its deprecation, announced at least the
/// contract's notice period before the new version's date.
fn notices(old: &Contract, new: &Contract, changes: &[Change]) -> Vec<String> {
    let days = old.versioning.deprecation_policy.notice_period_days;
    let release = Date::parse(&new.last_updated);
    let mut out = Vec::new();
    let mut seen: Vec<&Notice> = Vec::new();
    for c in changes.iter().filter(|c| c.bump == Bump::Major) {
        let Some(target) = &c.notice else { continue };
        if seen.contains(&target) {
            continue;
        }
        seen.push(target);
        let (what, deprecation) = match target {
            Notice::Table(t) => (
                format!("table {t}"),
                old.tables.get(t).and_then(|t| t.deprecated.as_ref()),
            ),
            Notice::Column(t, col) => (
                format!("column {t}.{col}"),
                old.tables.get(t).and_then(|table| {
                    table
                        .field(col)
                        .and_then(|f| f.deprecated.as_ref())
                        .or(table.deprecated.as_ref())
                }),
            ),
        };
        match (deprecation, release) {
            (None, _) => out.push(format!(
                "{what} was not deprecated; mark it `deprecated: {{since: YYYY-MM-DD}}` in a release at least {days} days before changing it"
            )),
            (Some(_), None) => out.push(format!(
                "last_updated '{}' of the new contract is not a date, so the notice period cannot be checked",
                new.last_updated
            )),
            (Some(d), Some(release)) => match Date::parse(&d.since) {
                None => out.push(format!("{what}: deprecated.since '{}' is not a date", d.since)),
                Some(since) => {
                    let given = release.days_since(since);
                    if given < i64::from(days) {
                        out.push(format!(
                            "{what} was deprecated on {} — {given} day(s) before {}; the contract promises {days} days' notice",
                            d.since, new.last_updated
                        ));
                    }
                }
            },
        }
    }
    out
}
