//! Statements that change a table: tags, CHECK constraints, column masks and row filters,
//! with the rules Unity Catalog keeps between them.

use super::catalog::Catalog;
use super::interpret::{Session, Step, may_alter, re, table_mut, unquote};
use super::refusal::{self, Refusal};
use crate::lang::sql_statements::Statement;
use regex::Regex;
use std::sync::LazyLock;

static COLUMN_TAGS: LazyLock<Regex> =
    LazyLock::new(|| re(r"^ALTER TABLE ({N}) ALTER COLUMN ({N}) SET TAGS ?\("));

static TABLE_TAGS: LazyLock<Regex> = LazyLock::new(|| re(r"^ALTER TABLE ({N}) SET TAGS ?\("));

static ADD_CHECK: LazyLock<Regex> =
    LazyLock::new(|| re(r"^ALTER TABLE ({N}) ADD CONSTRAINT ({N}) CHECK ?\((.*)\)$"));

static DROP_CONSTRAINT: LazyLock<Regex> =
    LazyLock::new(|| re(r"^ALTER TABLE ({N}) DROP CONSTRAINT (IF EXISTS )?({N})$"));

static SET_MASK: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^ALTER TABLE ({N}) ALTER COLUMN ({N}) SET MASK ({N})(?: USING COLUMNS ?\(.*\))?$")
});

static SET_ROW_FILTER: LazyLock<Regex> =
    LazyLock::new(|| re(r"^ALTER TABLE ({N}) SET ROW FILTER ({N}) ON ?\((.*)\)$"));

pub(super) fn column_tags(catalog: &mut Catalog, session: &Session<'_>, s: &Statement) -> Step {
    let code = s.code.as_str();
    let who = session.who;
    let c = COLUMN_TAGS.captures(code)?;
    let key = session.resolve(&c[1], 3)?;
    let column = unquote(&c[2]);
    let pairs = tags(s);
    Some((|| {
        may_alter(catalog, who, &key)?;
        let t = table_mut(catalog, &key)?;
        let col = t.columns.get_mut(&column).ok_or_else(|| {
            refusal::not_found(
                "UNRESOLVED_COLUMN",
                format!(
                    "column {} of {} does not exist",
                    column.to_lowercase(),
                    key.to_lowercase()
                ),
            )
        })?;
        let mut after = col.tags.clone();
        after.extend(pairs.iter().cloned());
        if let Some(r) = tag_limits(
            &format!("column {}", column.to_lowercase()),
            after.len(),
            &pairs,
        ) {
            return Err(r);
        }
        col.tags = after;
        Ok(())
    })())
}

pub(super) fn table_tags(catalog: &mut Catalog, session: &Session<'_>, s: &Statement) -> Step {
    let code = s.code.as_str();
    let who = session.who;
    let c = TABLE_TAGS.captures(code)?;
    let key = session.resolve(&c[1], 3)?;
    let pairs = tags(s);
    Some((|| {
        may_alter(catalog, who, &key)?;
        let t = table_mut(catalog, &key)?;
        let mut after = t.tags.clone();
        after.extend(pairs.iter().cloned());
        if let Some(r) = tag_limits(
            &format!("table {}", key.to_lowercase()),
            after.len(),
            &pairs,
        ) {
            return Err(r);
        }
        t.tags = after;
        Ok(())
    })())
}

pub(super) fn add_check(catalog: &mut Catalog, session: &Session<'_>, s: &Statement) -> Step {
    let code = s.code.as_str();
    let who = session.who;
    let c = ADD_CHECK.captures(code)?;
    let key = session.resolve(&c[1], 3)?;
    let name = unquote(&c[2]);
    // The expression as written (literals kept), to tell a changed rule from the same one.
    let expr = s.text.split_once(" CHECK").map_or(String::new(), |(_, e)| {
        e.split_whitespace().collect::<Vec<_>>().join(" ")
    });
    let ensure = session.ensure_checks;
    Some((|| {
        may_alter(catalog, who, &key)?;
        let t = table_mut(catalog, &key)?;
        if t.columns.values().any(|col| col.mask.is_some()) {
            return Err(refusal::check_beside_mask(&key.to_lowercase()));
        }
        if t.row_filter.is_some() {
            return Err(refusal::check_beside_row_filter(&key.to_lowercase()));
        }
        match t.checks.get(&name) {
            Some(present) if ensure && *present == expr => return Ok(()),
            Some(_) if !ensure => {
                return Err(refusal::exists(
                    "DELTA_CONSTRAINT_ALREADY_EXISTS",
                    format!(
                        "constraint {} of {} exists (a second run adds it again)",
                        name.to_lowercase(),
                        key.to_lowercase()
                    ),
                ));
            }
            _ => {}
        }
        t.checks.insert(name, expr);
        Ok(())
    })())
}

pub(super) fn drop_constraint(catalog: &mut Catalog, session: &Session<'_>, s: &Statement) -> Step {
    let code = s.code.as_str();
    let who = session.who;
    let c = DROP_CONSTRAINT.captures(code)?;
    let key = session.resolve(&c[1], 3)?;
    let name = unquote(&c[3]);
    let if_exists = c.get(2).is_some();
    Some((|| {
        may_alter(catalog, who, &key)?;
        let t = table_mut(catalog, &key)?;
        if t.checks.remove(&name).is_none() && !if_exists {
            return Err(refusal::not_found(
                "DELTA_CONSTRAINT_DOES_NOT_EXIST",
                format!(
                    "constraint {} of {} does not exist",
                    name.to_lowercase(),
                    key.to_lowercase()
                ),
            ));
        }
        Ok(())
    })())
}

pub(super) fn set_mask(catalog: &mut Catalog, session: &Session<'_>, s: &Statement) -> Step {
    let code = s.code.as_str();
    let who = session.who;
    let c = SET_MASK.captures(code)?;
    let key = session.resolve(&c[1], 3)?;
    let column = unquote(&c[2]);
    let function = session.resolve(&c[3], 3)?;
    Some((|| {
        may_alter(catalog, who, &key)?;
        if !catalog.functions.contains_key(&function) {
            return Err(refusal::not_found(
                "ROUTINE_NOT_FOUND",
                format!(
                    "mask function {} does not exist (yet)",
                    function.to_lowercase()
                ),
            ));
        }
        let t = table_mut(catalog, &key)?;
        if !t.checks.is_empty() {
            return Err(refusal::check_beside_mask(&key.to_lowercase()));
        }
        let col = t.columns.get_mut(&column).ok_or_else(|| {
            refusal::not_found(
                "UNRESOLVED_COLUMN",
                format!(
                    "column {} of {} does not exist",
                    column.to_lowercase(),
                    key.to_lowercase()
                ),
            )
        })?;
        match &col.mask {
            Some(present) if *present != function => Err(refusal::multiple_masks(
                &column.to_lowercase(),
                &present.to_lowercase(),
            )),
            _ => {
                col.mask = Some(function);
                Ok(())
            }
        }
    })())
}

pub(super) fn set_row_filter(catalog: &mut Catalog, session: &Session<'_>, s: &Statement) -> Step {
    let code = s.code.as_str();
    let who = session.who;
    let c = SET_ROW_FILTER.captures(code)?;
    let key = session.resolve(&c[1], 3)?;
    let function = session.resolve(&c[2], 3)?;
    Some((|| {
        may_alter(catalog, who, &key)?;
        if !catalog.functions.contains_key(&function) {
            return Err(refusal::not_found(
                "ROUTINE_NOT_FOUND",
                format!(
                    "row filter function {} does not exist (yet)",
                    function.to_lowercase()
                ),
            ));
        }
        let t = table_mut(catalog, &key)?;
        if !t.checks.is_empty() {
            return Err(refusal::check_beside_row_filter(&key.to_lowercase()));
        }
        t.row_filter = Some(function);
        Ok(())
    })())
}

/// Key/value pairs of a `SET TAGS (...)` from its literals; a key without a literal value
/// (a bare `'k'`) gets an empty value.
pub(super) fn tags(s: &Statement) -> Vec<(String, String)> {
    s.literals
        .chunks(2)
        .map(|kv| (kv[0].clone(), kv.get(1).cloned().unwrap_or_default()))
        .collect()
}

pub(super) fn tag_limits(
    object: &str,
    existing: usize,
    pairs: &[(String, String)],
) -> Option<Refusal> {
    for (k, v) in pairs {
        if k.chars().count() > 255 {
            return Some(refusal::limit(format!(
                "a tag key of {object} is longer than 255 characters"
            )));
        }
        if v.chars().count() > 1000 {
            return Some(refusal::limit(format!(
                "tag {k} of {object} has a value longer than 1000 characters"
            )));
        }
    }
    (existing > 50).then(|| {
        refusal::limit(format!(
            "{object} would carry {existing} tags; at most 50 are allowed"
        ))
    })
}
