//! Applies one statement to the catalog model as Unity Catalog would: the statement changes
//! the model, is refused (with the error class Databricks gives), or is not understood (the
//! model does not know the statement, so it cannot vouch for it). The statements themselves
//! live by concept: `objects` (USE, CREATE), `constraints` (tags, CHECK, masks, row filters)
//! and `privileges` (GRANT, REVOKE, SET OWNER).

use super::catalog::{Catalog, Identity, Table};
use super::refusal::{self, Refusal};
use super::{constraints, objects, privileges};
use crate::lang::sql_statements::Statement;
use regex::Regex;

/// A name as the statement reader spells it: upper case, parts in backticks or bare.
pub(super) const NAME: &str = r"(?:`[^`]*`|[A-Z0-9_]+)(?:\.(?:`[^`]*`|[A-Z0-9_]+))*";
pub(super) const PRINCIPAL: &str = r"(?:`(?:[^`]|``)*`|\S+)";

pub(super) fn re(pattern: &str) -> Regex {
    Regex::new(&pattern.replace("{N}", NAME).replace("{P}", PRINCIPAL)).expect("constant regex")
}

/// What became of one statement.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Outcome {
    Applied,
    Refused(Refusal),
    NotUnderstood,
}

/// The spec's knowledge the model needs: which names are service principals' display names.
pub(crate) struct Directory {
    /// Display names (upper case) of service principals that GRANT would not resolve.
    pub service_principal_names: Vec<String>,
}

/// The interpreter's own state besides the catalog: the current catalog and schema.
pub(crate) struct Session<'a> {
    pub who: &'a Identity,
    pub directory: &'a Directory,
    pub current: Vec<String>,
    /// CHECK statements run by the apply_checks task: added only when missing or changed.
    pub ensure_checks: bool,
}

pub(super) fn unquote(name: &str) -> String {
    name.replace('`', "")
}

pub(super) fn principal(raw: &str) -> String {
    let raw = raw.trim();
    match raw.strip_prefix('`').and_then(|r| r.strip_suffix('`')) {
        Some(inner) => inner.replace("``", "`"),
        None => raw.to_string(),
    }
}

impl Session<'_> {
    /// A name made complete with the current catalog and schema (`parts` long), or None.
    pub(super) fn resolve(&self, raw: &str, parts: usize) -> Option<String> {
        let name = unquote(raw);
        let given: Vec<&str> = name.split('.').collect();
        if given.len() > parts {
            return None;
        }
        let missing = parts - given.len();
        if missing > self.current.len() {
            return None;
        }
        let mut all: Vec<String> = self.current[..missing].to_vec();
        all.extend(given.iter().map(|s| s.to_string()));
        Some(all.join("."))
    }

    pub(super) fn check_principal(&self, p: &str) -> Option<Refusal> {
        self.directory
            .service_principal_names
            .iter()
            .any(|n| n.eq_ignore_ascii_case(p))
            .then(|| refusal::service_principal_by_name(&p.to_lowercase()))
    }
}

/// Applies `s` to `catalog`.
pub(crate) fn apply(catalog: &mut Catalog, session: &mut Session<'_>, s: &Statement) -> Outcome {
    match step(catalog, session, s) {
        Some(Ok(())) => Outcome::Applied,
        Some(Err(r)) => Outcome::Refused(r),
        None => Outcome::NotUnderstood,
    }
}

pub(super) type Step = Option<Result<(), Refusal>>;

pub(super) fn table_mut<'c>(catalog: &'c mut Catalog, key: &str) -> Result<&'c mut Table, Refusal> {
    catalog.tables.get_mut(key).ok_or_else(|| {
        refusal::not_found(
            "TABLE_OR_VIEW_NOT_FOUND",
            format!("table {} does not exist (yet)", key.to_lowercase()),
        )
    })
}

/// Owner rights on a table for ALTER: its owner, or a member of the owning group.
pub(super) fn may_alter(catalog: &Catalog, who: &Identity, key: &str) -> Result<(), Refusal> {
    let t = catalog.tables.get(key).ok_or_else(|| {
        refusal::not_found(
            "TABLE_OR_VIEW_NOT_FOUND",
            format!("table {} does not exist (yet)", key.to_lowercase()),
        )
    })?;
    if who.is(&t.owner) {
        Ok(())
    } else {
        Err(refusal::denied(format!(
            "{} may not alter {}: it is owned by {}, and the job's identity is not that principal nor a member of it",
            who.name,
            key.to_lowercase(),
            t.owner.to_lowercase()
        )))
    }
}

fn step(catalog: &mut Catalog, session: &mut Session<'_>, s: &Statement) -> Step {
    if let Some(done) = objects::use_(session, s) {
        return Some(done);
    }
    let session = &*session;
    [
        objects::create_schema,
        objects::create_table,
        constraints::column_tags,
        constraints::table_tags,
        constraints::add_check,
        constraints::drop_constraint,
        objects::create_function,
        constraints::set_mask,
        constraints::set_row_filter,
        privileges::function_owner,
        objects::create_view,
        privileges::set_owner,
        privileges::grant,
    ]
    .iter()
    .find_map(|apply| apply(catalog, session, s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;
    use crate::lang::sql_statements::split;

    fn run(sql: &str, ensure: bool, catalog: &mut Catalog) -> Vec<Outcome> {
        let who = Identity {
            name: "me".into(),
            groups: vec!["OWNERS".into()],
        };
        let directory = Directory {
            service_principal_names: vec!["ROBOT".into()],
        };
        let mut session = Session {
            who: &who,
            directory: &directory,
            current: Vec::new(),
            ensure_checks: ensure,
        };
        split(sql)
            .iter()
            .map(|s| apply(catalog, &mut session, s))
            .collect()
    }

    fn ready() -> Catalog {
        let mut c = Catalog::new("C", "someone");
        c.grants.insert(("OWNERS".into(), "USE CATALOG".into()));
        c.grants.insert(("OWNERS".into(), "CREATE SCHEMA".into()));
        run(
            "CREATE SCHEMA IF NOT EXISTS c.s; CREATE TABLE IF NOT EXISTS c.s.t (x INT);",
            false,
            &mut c,
        );
        c
    }

    #[test]
    fn checks_are_ensured_only_by_the_checks_task() {
        let mut c = ready();
        let add = "ALTER TABLE c.s.t ADD CONSTRAINT k CHECK (x > 0);";
        assert_eq!(run(add, true, &mut c), [Outcome::Applied]);
        let before = c.clone();
        assert_eq!(run(add, true, &mut c), [Outcome::Applied]);
        assert_eq!(c, before, "the same CHECK again changes nothing");
        assert!(
            matches!(&run(add, false, &mut c)[0], Outcome::Refused(r) if r.class == "DELTA_CONSTRAINT_ALREADY_EXISTS")
        );
        run(
            "ALTER TABLE c.s.t ADD CONSTRAINT k CHECK (x > 1);",
            true,
            &mut c,
        );
        assert_ne!(c, before, "a changed expression replaces the CHECK");
    }

    #[test]
    fn ownership_by_a_group_keeps_its_members_in_charge() {
        let mut c = ready();
        let out = run(
            "ALTER TABLE c.s.t SET OWNER TO `owners`; ALTER TABLE c.s.t SET TAGS ('a' = 'b');\
             ALTER TABLE c.s.t SET OWNER TO `others`; ALTER TABLE c.s.t SET TAGS ('a' = 'c');\
             GRANT SELECT ON TABLE c.s.t TO robot; SHOW TABLES;",
            false,
            &mut c,
        );
        assert_eq!(
            out[..3],
            [Outcome::Applied, Outcome::Applied, Outcome::Applied]
        );
        assert!(
            matches!(&out[3], Outcome::Refused(r) if r.code == Code::Dpc063),
            "{out:?}"
        );
        assert!(
            matches!(&out[4], Outcome::Refused(r) if r.code == Code::Dpc062),
            "{out:?}"
        );
        assert_eq!(out[5], Outcome::NotUnderstood);
    }

    #[test]
    fn a_table_deployed_with_checks_takes_its_mask_once_they_are_dropped() {
        // What an earlier dpc release left behind: CHECKs on a table that is to be masked.
        let mut c = ready();
        run(
            "ALTER TABLE c.s.t ADD CONSTRAINT k CHECK (x > 0);",
            false,
            &mut c,
        );
        let mask = "CREATE OR REPLACE FUNCTION c.s.m(x INT) RETURNS INT RETURN x;\
                    ALTER TABLE c.s.t ALTER COLUMN x SET MASK c.s.m;";
        let out = run(mask, false, &mut c.clone());
        assert!(
            matches!(&out[1], Outcome::Refused(r) if r.code == Code::Dpc060),
            "{out:?}"
        );
        let out = run(
            &format!("ALTER TABLE c.s.t DROP CONSTRAINT IF EXISTS k;{mask}"),
            false,
            &mut c,
        );
        assert!(out.iter().all(|o| *o == Outcome::Applied), "{out:?}");
    }

    #[test]
    fn long_names_are_refused_whatever_their_characters() {
        let mut c = ready();
        let name = "é".repeat(300);
        let out = run(
            &format!("CREATE TABLE IF NOT EXISTS c.s.`{name}` (x INT);"),
            false,
            &mut c,
        );
        assert!(
            matches!(&out[0], Outcome::Refused(r) if r.code == Code::Dpc065),
            "{out:?}"
        );
    }

    #[test]
    fn views_need_their_base_table() {
        let mut c = ready();
        let out = run(
            "CREATE OR REPLACE VIEW c.s.v AS SELECT x FROM c.s.nothing;\
             CREATE OR REPLACE VIEW c.s.v COMMENT 'm' AS SELECT x FROM c.s.t;",
            false,
            &mut c,
        );
        assert!(
            matches!(&out[0], Outcome::Refused(r) if r.code == Code::Dpc064),
            "{out:?}"
        );
        assert_eq!(out[1], Outcome::Applied);
    }
}
