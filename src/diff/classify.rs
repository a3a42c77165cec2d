//! Compares two contracts and classifies every change (design: "Contract evolution").

use super::version::Bump;
use super::widening::is_widening;
use crate::spec::contract::{Constraint, ConstraintKind, Contract, Field, Table};
use crate::spec::values::Scalar;
use serde::Serialize;

/// What changed, in words the contract's `versioning` lists use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    TableRemoved,
    TableAdded,
    ColumnRemoved,
    ColumnAdded,
    RequiredColumnAdded,
    TypeWidened,
    TypeChanged,
    MadeRequired,
    MadeNullable,
    PrimaryKeyChanged,
    ConstraintTightened,
    ConstraintRelaxed,
    PiiRemoved,
    PiiAdded,
    DefaultChanged,
    QualityRuleAdded,
    QualityRuleRemoved,
    QualityRuleChanged,
    LayoutChanged,
    Deprecated,
    DescriptionChanged,
    Renamed,
    ClassificationDowngraded,
    ClassificationRaised,
}

impl Kind {
    /// Phrases a contract's `versioning.breaking_changes` may use for this kind.
    fn phrases(self) -> &'static [&'static str] {
        match self {
            Kind::TableRemoved => &["removing tables", "removing a table"],
            Kind::ColumnRemoved => &["removing columns", "removing a column"],
            Kind::TypeChanged => &["changing column data types", "changing data types"],
            Kind::TypeWidened => &["widening column types", "widening data types"],
            Kind::MadeRequired => &[
                "adding not null constraints to existing columns",
                "adding not null",
            ],
            Kind::PrimaryKeyChanged => &["changing primary key", "changing the primary key"],
            Kind::ColumnAdded | Kind::RequiredColumnAdded => {
                &["adding new columns", "adding columns"]
            }
            Kind::ConstraintRelaxed => &["relaxing constraints"],
            Kind::ConstraintTightened => &["tightening constraints", "adding constraints"],
            Kind::DescriptionChanged => &["documentation updates"],
            Kind::QualityRuleAdded => &["adding quality rules"],
            Kind::LayoutChanged => &["changing clustering", "changing partitioning"],
            _ => &[],
        }
    }
}

/// What a major change must have been announced on (its deprecation notice).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Table(String),
    Column(String, String),
}

#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// `tables.<table>[.<column>][.<property>]`
    pub path: String,
    pub kind: Kind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
    #[serde(rename = "class")]
    pub bump: Bump,
    pub reason: String,
    #[serde(skip)]
    pub notice: Option<Notice>,
}

struct Out(Vec<Change>);

impl Out {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        path: String,
        kind: Kind,
        old: Option<String>,
        new: Option<String>,
        bump: Bump,
        reason: &str,
        notice: Option<Notice>,
    ) {
        self.0.push(Change {
            path,
            kind,
            old,
            new,
            bump,
            reason: reason.to_string(),
            notice,
        });
    }
}

fn list(v: &[String]) -> String {
    format!("[{}]", v.join(", "))
}

pub fn compare(old: &Contract, new: &Contract) -> Vec<Change> {
    let mut out = Out(Vec::new());
    for (name, t_old) in &old.tables {
        let path = format!("tables.{name}");
        match new.tables.get(name) {
            None => out.push(
                path,
                Kind::TableRemoved,
                Some(name.clone()),
                None,
                Bump::Major,
                "readers of the table lose it",
                Some(Notice::Table(name.clone())),
            ),
            Some(t_new) => table(&mut out, name, t_old, t_new),
        }
    }
    for name in new.tables.keys().filter(|n| !old.tables.contains_key(*n)) {
        out.push(
            format!("tables.{name}"),
            Kind::TableAdded,
            None,
            Some(name.clone()),
            Bump::Minor,
            "a new table breaks no reader",
            None,
        );
    }
    let mut changes = out.0;
    honour_versioning_lists(new, &mut changes);
    changes
}

fn table(out: &mut Out, name: &str, old: &Table, new: &Table) {
    let base = format!("tables.{name}");
    table_properties(out, name, &base, old, new);
    for f_old in &old.schema.fields {
        let path = format!("{base}.{}", f_old.name);
        match new.field(&f_old.name) {
            None => out.push(
                path,
                Kind::ColumnRemoved,
                Some(f_old.data_type.to_string()),
                None,
                Bump::Major,
                "queries that select the column fail",
                Some(Notice::Column(name.to_string(), f_old.name.clone())),
            ),
            Some(f_new) => field(out, name, &path, f_old, f_new),
        }
    }
    added_columns(out, name, &base, old, new);
    quality_rules(out, &base, old, new);
}

/// The table's own properties: description, primary key, layout, deprecation.
fn table_properties(out: &mut Out, name: &str, base: &str, old: &Table, new: &Table) {
    if old.description != new.description {
        out.push(
            format!("{base}.description"),
            Kind::DescriptionChanged,
            Some(old.description.clone()),
            Some(new.description.clone()),
            Bump::Patch,
            "documentation only",
            None,
        );
    }
    if old.primary_key != new.primary_key {
        out.push(
            format!("{base}.primary_key"),
            Kind::PrimaryKeyChanged,
            Some(list(&old.primary_key)),
            Some(list(&new.primary_key)),
            Bump::Major,
            "joins and lookups on the old key break",
            Some(Notice::Table(name.to_string())),
        );
    }
    for (what, a, b) in [
        ("clustered_by", &old.clustered_by, &new.clustered_by),
        ("partitioned_by", &old.partitioned_by, &new.partitioned_by),
    ] {
        if a != b {
            out.push(
                format!("{base}.{what}"),
                Kind::LayoutChanged,
                Some(list(a)),
                Some(list(b)),
                Bump::Patch,
                "physical layout only; queries return the same rows",
                None,
            );
        }
    }
    if old.deprecated.is_none() && new.deprecated.is_some() {
        out.push(
            format!("{base}.deprecated"),
            Kind::Deprecated,
            None,
            new.deprecated.as_ref().map(|d| d.since.clone()),
            Bump::Patch,
            "a deprecation notice starts the notice period",
            None,
        );
    }
}

/// New columns: a required one without a default breaks writers, an optional one nobody.
fn added_columns(out: &mut Out, name: &str, base: &str, old: &Table, new: &Table) {
    for f in new
        .schema
        .fields
        .iter()
        .filter(|f| old.field(&f.name).is_none())
    {
        let path = format!("{base}.{}", f.name);
        if !f.nullable && f.default.is_none() {
            out.push(
                path,
                Kind::RequiredColumnAdded,
                None,
                Some(f.data_type.to_string()),
                Bump::Major,
                "a required column without a default breaks every writer",
                Some(Notice::Table(name.to_string())),
            );
        } else {
            out.push(
                path,
                Kind::ColumnAdded,
                None,
                Some(f.data_type.to_string()),
                Bump::Minor,
                "a new optional column breaks no reader",
                None,
            );
        }
    }
}

/// Quality expectations added, changed or removed (by name).
fn quality_rules(out: &mut Out, base: &str, old: &Table, new: &Table) {
    for e in &new.quality_expectations {
        match old.quality_expectations.iter().find(|o| o.name == e.name) {
            None => out.push(
                format!("{base}.quality_expectations.{}", e.name),
                Kind::QualityRuleAdded,
                None,
                Some(e.name.clone()),
                Bump::Minor,
                "a quality rule added",
                None,
            ),
            Some(o) if o != e => out.push(
                format!("{base}.quality_expectations.{}", e.name),
                Kind::QualityRuleChanged,
                None,
                None,
                Bump::Minor,
                "a quality rule changed",
                None,
            ),
            Some(_) => {}
        }
    }
    for o in old
        .quality_expectations
        .iter()
        .filter(|o| !new.quality_expectations.iter().any(|e| e.name == o.name))
    {
        out.push(
            format!("{base}.quality_expectations.{}", o.name),
            Kind::QualityRuleRemoved,
            Some(o.name.clone()),
            None,
            Bump::Minor,
            "a quality rule removed (the data may now hold what it used to exclude)",
            None,
        );
    }
}

fn field(out: &mut Out, table: &str, path: &str, old: &Field, new: &Field) {
    let notice = || Some(Notice::Column(table.to_string(), old.name.clone()));
    if old.data_type != new.data_type {
        field_type(out, path, old, new, notice());
    }
    field_nullable(out, path, old, new, notice());
    if old.description != new.description {
        out.push(
            format!("{path}.description"),
            Kind::DescriptionChanged,
            Some(old.description.clone()),
            Some(new.description.clone()),
            Bump::Patch,
            "documentation only",
            None,
        );
    }
    field_pii(out, path, old, new, notice());
    if old.default != new.default {
        let show = |d: &Option<Scalar>| d.as_ref().map(|v| v.to_string());
        out.push(
            format!("{path}.default"),
            Kind::DefaultChanged,
            show(&old.default),
            show(&new.default),
            Bump::Minor,
            "writers that omit the column get a different value",
            None,
        );
    }
    if old.deprecated.is_none() && new.deprecated.is_some() {
        out.push(
            format!("{path}.deprecated"),
            Kind::Deprecated,
            None,
            new.deprecated.as_ref().map(|d| d.since.clone()),
            Bump::Patch,
            "a deprecation notice starts the notice period",
            None,
        );
    }
    constraints(out, path, &old.constraints, &new.constraints, notice());
}

/// A changed type: minor when Delta widens it in place, else major.
fn field_type(out: &mut Out, path: &str, old: &Field, new: &Field, notice: Option<Notice>) {
    let (o, n) = (
        Some(old.data_type.to_string()),
        Some(new.data_type.to_string()),
    );
    if is_widening(&old.data_type, &new.data_type) {
        out.push(
            format!("{path}.type"),
            Kind::TypeWidened,
            o,
            n,
            Bump::Minor,
            "Delta widens the type in place; readers keep working",
            None,
        );
    } else {
        out.push(
            format!("{path}.type"),
            Kind::TypeChanged,
            o,
            n,
            Bump::Major,
            "not a Delta type widening; readers and writers of the old type break",
            notice,
        );
    }
}

/// Made required (major: writers of NULL fail) or made nullable (minor).
fn field_nullable(out: &mut Out, path: &str, old: &Field, new: &Field, notice: Option<Notice>) {
    if old.nullable && !new.nullable {
        out.push(
            format!("{path}.nullable"),
            Kind::MadeRequired,
            Some("nullable".into()),
            Some("required".into()),
            Bump::Major,
            "writers that send NULL fail",
            notice,
        );
    } else if !old.nullable && new.nullable {
        out.push(
            format!("{path}.nullable"),
            Kind::MadeNullable,
            Some("required".into()),
            Some("nullable".into()),
            Bump::Minor,
            "readers may now see NULL",
            None,
        );
    }
}

/// PII removed (major: the data loses its masking) or added (minor).
fn field_pii(out: &mut Out, path: &str, old: &Field, new: &Field, notice: Option<Notice>) {
    if old.pii && !new.pii {
        out.push(
            format!("{path}.pii"),
            Kind::PiiRemoved,
            Some("true".into()),
            Some("false".into()),
            Bump::Major,
            "personal data would lose its classification and masking",
            notice,
        );
    } else if !old.pii && new.pii {
        out.push(
            format!("{path}.pii"),
            Kind::PiiAdded,
            Some("false".into()),
            Some("true".into()),
            Bump::Minor,
            "the column becomes masked for readers outside the unmask groups",
            None,
        );
    }
}

/// Pushes the changes of one column's constraints: a tightening is major (announced on the
/// column), a relaxing minor.
struct ConstraintChanges<'a> {
    out: &'a mut Out,
    path: &'a str,
    notice: Option<Notice>,
}

impl ConstraintChanges<'_> {
    fn tightened(&mut self, what: &str, o: Option<String>, n: Option<String>, why: &str) {
        self.out.push(
            format!("{}.constraints.{what}", self.path),
            Kind::ConstraintTightened,
            o,
            n,
            Bump::Major,
            why,
            self.notice.clone(),
        );
    }

    fn relaxed(&mut self, what: &str, o: Option<String>, n: Option<String>, why: &str) {
        self.out.push(
            format!("{}.constraints.{what}", self.path),
            Kind::ConstraintRelaxed,
            o,
            n,
            Bump::Minor,
            why,
            None,
        );
    }
}

fn find_constraint(cs: &[Constraint], k: ConstraintKind) -> Option<Constraint> {
    cs.iter().find(|c| c.kind == k).cloned()
}

fn constraints(
    out: &mut Out,
    path: &str,
    old: &[Constraint],
    new: &[Constraint],
    notice: Option<Notice>,
) {
    let mut c = ConstraintChanges { out, path, notice };
    pattern_change(&mut c, old, new);
    enum_change(&mut c, old, new);
    range_change(&mut c, old, new);
    // Uniqueness.
    match (
        find_constraint(old, ConstraintKind::Unique).is_some(),
        find_constraint(new, ConstraintKind::Unique).is_some(),
    ) {
        (false, true) => c.tightened(
            "unique",
            None,
            Some("unique".into()),
            "duplicates that were allowed are rejected",
        ),
        (true, false) => c.relaxed(
            "unique",
            Some("unique".into()),
            None,
            "duplicates are allowed now",
        ),
        _ => {}
    }
}

/// A pattern added or changed (tightened), or removed (relaxed).
fn pattern_change(c: &mut ConstraintChanges, old: &[Constraint], new: &[Constraint]) {
    let (po, pn) = (
        find_constraint(old, ConstraintKind::Format).and_then(|c| c.pattern),
        find_constraint(new, ConstraintKind::Format).and_then(|c| c.pattern),
    );
    match (&po, &pn) {
        (None, Some(_)) => c.tightened(
            "format",
            po.clone(),
            pn.clone(),
            "a new pattern rejects values that were allowed",
        ),
        (Some(_), None) => c.relaxed(
            "format",
            po.clone(),
            pn.clone(),
            "the pattern no longer applies",
        ),
        (Some(a), Some(b)) if a != b => c.tightened(
            "format",
            po.clone(),
            pn.clone(),
            "a changed pattern may reject values that were allowed",
        ),
        _ => {}
    }
}

/// A list of allowed values added or losing a value (tightened), removed or widened
/// (relaxed).
fn enum_change(c: &mut ConstraintChanges, old: &[Constraint], new: &[Constraint]) {
    let values = |c: Option<Constraint>| c.and_then(|c| c.values);
    match (
        values(find_constraint(old, ConstraintKind::Enum)),
        values(find_constraint(new, ConstraintKind::Enum)),
    ) {
        (None, Some(n)) => c.tightened(
            "enum",
            None,
            Some(list(&n)),
            "a new list of allowed values rejects others",
        ),
        (Some(o), None) => c.relaxed("enum", Some(list(&o)), None, "any value is allowed now"),
        (Some(o), Some(n)) if o != n => {
            if o.iter().all(|v| n.contains(v)) {
                c.relaxed(
                    "enum",
                    Some(list(&o)),
                    Some(list(&n)),
                    "allowed values widened",
                )
            } else {
                c.tightened(
                    "enum",
                    Some(list(&o)),
                    Some(list(&n)),
                    "an allowed value was removed",
                )
            }
        }
        _ => {}
    }
}

/// A range that moved: narrower on either side is a tightening, else a relaxing.
fn range_change(c: &mut ConstraintChanges, old: &[Constraint], new: &[Constraint]) {
    let bounds = |c: Option<Constraint>| c.map(|c| (c.min, c.max));
    let ro = bounds(find_constraint(old, ConstraintKind::Range)).unwrap_or((None, None));
    let rn = bounds(find_constraint(new, ConstraintKind::Range)).unwrap_or((None, None));
    if ro == rn {
        return;
    }
    let show = |r: &(Option<Scalar>, Option<Scalar>)| {
        let b = |v: &Option<Scalar>| v.as_ref().map_or("-".to_string(), |x| x.to_string());
        format!("{}..{}", b(&r.0), b(&r.1))
    };
    let narrower = narrows(&ro.0, &rn.0, true) || narrows(&ro.1, &rn.1, false);
    if narrower {
        c.tightened(
            "range",
            Some(show(&ro)),
            Some(show(&rn)),
            "the range is narrower",
        )
    } else {
        c.relaxed(
            "range",
            Some(show(&ro)),
            Some(show(&rn)),
            "the range is wider",
        )
    }
}

/// Whether moving a bound from `old` to `new` excludes values that were allowed
/// (`lower`: a minimum; otherwise a maximum).
fn narrows(old: &Option<Scalar>, new: &Option<Scalar>, lower: bool) -> bool {
    match (old, new) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(a), Some(b)) => {
            let ord = match (a.as_f64(), b.as_f64()) {
                (Some(x), Some(y)) => x.partial_cmp(&y),
                _ => Some(a.to_string().cmp(&b.to_string())),
            };
            match ord {
                Some(std::cmp::Ordering::Less) => lower,
                Some(std::cmp::Ordering::Greater) => !lower,
                _ => false,
            }
        }
    }
}

/// A contract may declare more changes breaking than the defaults do; it cannot make a change
/// that breaks readers non-breaking.
fn honour_versioning_lists(new: &Contract, changes: &mut [Change]) {
    let listed = |list: &[String], kind: Kind| {
        list.iter().any(|entry| {
            let e = entry.trim().to_lowercase();
            kind.phrases().iter().any(|p| e == *p || e.starts_with(p))
        })
    };
    for c in changes.iter_mut() {
        if c.bump != Bump::Major && listed(&new.versioning.breaking_changes, c.kind) {
            c.bump = Bump::Major;
            c.reason = format!(
                "{} (the contract lists it under versioning.breaking_changes)",
                c.reason
            );
        }
    }
}
