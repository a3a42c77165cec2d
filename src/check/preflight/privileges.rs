//! Statements that move rights: GRANT, REVOKE and SET OWNER on tables, views, schemas,
//! functions and the catalog.

use super::catalog::Catalog;
use super::interpret::{Session, Step, may_alter, principal, re, table_mut};
use super::refusal;
use crate::lang::sql_statements::Statement;
use regex::Regex;
use std::sync::LazyLock;

static FUNCTION_OWNER: LazyLock<Regex> =
    LazyLock::new(|| re(r"^ALTER FUNCTION ({N}) (?:SET )?OWNER TO ({P})$"));

static SET_OWNER: LazyLock<Regex> =
    LazyLock::new(|| re(r"^ALTER (TABLE|VIEW|SCHEMA) ({N}) (?:SET )?OWNER TO ({P})$"));

static GRANT: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^(GRANT|REVOKE) (.+?) ON (TABLE|VIEW|SCHEMA|CATALOG|FUNCTION) ({N}) (?:TO|FROM) ({P})$")
});

pub(super) fn function_owner(catalog: &mut Catalog, session: &Session<'_>, s: &Statement) -> Step {
    let code = s.code.as_str();
    let who = session.who;
    let c = FUNCTION_OWNER.captures(code)?;
    let key = session.resolve(&c[1], 3)?;
    let to = principal(&c[2]);
    Some((|| {
        if let Some(r) = session.check_principal(&to) {
            return Err(r);
        }
        let f = catalog.functions.get_mut(&key).ok_or_else(|| {
            refusal::not_found(
                "ROUTINE_NOT_FOUND",
                format!("function {} does not exist (yet)", key.to_lowercase()),
            )
        })?;
        if !who.is(&f.owner) {
            return Err(refusal::denied(format!(
                "{} may not give away function {}, owned by {}",
                who.name,
                key.to_lowercase(),
                f.owner.to_lowercase()
            )));
        }
        f.owner = to;
        Ok(())
    })())
}

pub(super) fn set_owner(catalog: &mut Catalog, session: &Session<'_>, s: &Statement) -> Step {
    let code = s.code.as_str();
    let who = session.who;
    let c = SET_OWNER.captures(code)?;
    let kind = c[1].to_string();
    let key = session.resolve(&c[2], if kind == "SCHEMA" { 2 } else { 3 })?;
    let to = principal(&c[3]);
    Some((|| {
        if let Some(r) = session.check_principal(&to) {
            return Err(r);
        }
        if kind == "SCHEMA" {
            let sch = catalog.schemas.get_mut(&key).ok_or_else(|| {
                refusal::not_found(
                    "SCHEMA_NOT_FOUND",
                    format!("schema {} does not exist (yet)", key.to_lowercase()),
                )
            })?;
            if !who.is(&sch.owner) {
                return Err(refusal::denied(format!(
                    "{} may not give away schema {}, owned by {}",
                    who.name,
                    key.to_lowercase(),
                    sch.owner.to_lowercase()
                )));
            }
            sch.owner = to;
            return Ok(());
        }
        may_alter(catalog, who, &key)?;
        table_mut(catalog, &key)?.owner = to;
        Ok(())
    })())
}

pub(super) fn grant(catalog: &mut Catalog, session: &Session<'_>, s: &Statement) -> Step {
    let code = s.code.as_str();
    let who = session.who;
    let c = GRANT.captures(code)?;
    // Function privileges are not modelled: reported as not checked.
    if &c[3] == "FUNCTION" {
        return None;
    }
    let grant = &c[1] == "GRANT";
    let privileges: Vec<String> = c[2].split(',').map(|p| p.trim().to_string()).collect();
    let kind = c[3].to_string();
    let to = principal(&c[5]);
    let key = match kind.as_str() {
        "CATALOG" => session.resolve(&c[4], 1)?,
        "SCHEMA" => session.resolve(&c[4], 2)?,
        _ => session.resolve(&c[4], 3)?,
    };
    Some((|| {
        if let Some(r) = session.check_principal(&to) {
            return Err(r);
        }
        let verb = if grant { "grant" } else { "revoke" };
        let grants = match kind.as_str() {
            "CATALOG" => {
                if key != catalog.name {
                    return Err(refusal::not_found(
                        "NO_SUCH_CATALOG_EXCEPTION",
                        format!(
                            "catalog {} is not the product's catalog",
                            key.to_lowercase()
                        ),
                    ));
                }
                if !who.is(&catalog.owner) {
                    return Err(refusal::denied(format!(
                        "{} may not {verb} on catalog {}: only its owner ({}), a holder of MANAGE on it or a metastore admin may; catalog grants belong in schemas/catalog/grants.sql",
                        who.name,
                        key.to_lowercase(),
                        catalog.owner
                    )));
                }
                &mut catalog.grants
            }
            "SCHEMA" => {
                let owner_of_catalog = who.is(&catalog.owner);
                let sch = catalog.schemas.get_mut(&key).ok_or_else(|| {
                    refusal::not_found(
                        "SCHEMA_NOT_FOUND",
                        format!("schema {} does not exist (yet)", key.to_lowercase()),
                    )
                })?;
                if !who.is(&sch.owner) && !owner_of_catalog {
                    return Err(refusal::denied(format!(
                        "{} may not {verb} on schema {}, owned by {}",
                        who.name,
                        key.to_lowercase(),
                        sch.owner.to_lowercase()
                    )));
                }
                &mut sch.grants
            }
            _ => {
                let owner = catalog
                    .tables
                    .get(&key)
                    .map(|t| t.owner.clone())
                    .ok_or_else(|| {
                        refusal::not_found(
                            "TABLE_OR_VIEW_NOT_FOUND",
                            format!("{} does not exist (yet)", key.to_lowercase()),
                        )
                    })?;
                if !catalog.manages(who, &owner, &key) {
                    return Err(refusal::denied(format!(
                        "{} may not {verb} on {}, owned by {}",
                        who.name,
                        key.to_lowercase(),
                        owner.to_lowercase()
                    )));
                }
                &mut table_mut(catalog, &key)?.grants
            }
        };
        for p in privileges {
            if grant {
                grants.insert((to.clone(), p));
            } else {
                grants.remove(&(to.clone(), p));
            }
        }
        Ok(())
    })())
}
