//! Statements that create objects: schemas, tables (with their keys and defaults), functions
//! and views, and USE, which sets where unqualified names resolve.

use super::catalog::{Catalog, Column, Function, Schema, Table};
use super::interpret::{Session, Step, re, unquote};
use super::refusal::{self, Refusal};
use crate::lang::sql_statements::Statement;
use regex::Regex;
use std::sync::LazyLock;

static USE: LazyLock<Regex> = LazyLock::new(|| re(r"^USE (CATALOG |SCHEMA |DATABASE )?({N})$"));

static CREATE_SCHEMA: LazyLock<Regex> =
    LazyLock::new(|| re(r"^CREATE (?:SCHEMA|DATABASE) (IF NOT EXISTS )?({N})(?: |$)"));

static CREATE_TABLE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^CREATE TABLE (IF NOT EXISTS )?({N}) ?\("));

static CREATE_FUNCTION: LazyLock<Regex> =
    LazyLock::new(|| re(r"^CREATE (OR REPLACE )?FUNCTION (IF NOT EXISTS )?({N}) ?\("));

static CREATE_VIEW: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^CREATE (OR REPLACE )?VIEW (IF NOT EXISTS )?({N})(?: .*?)? AS SELECT .* FROM ({N})")
});

/// USE changes no object, only where names resolve.
pub(super) fn use_(session: &mut Session<'_>, s: &Statement) -> Step {
    let code = s.code.as_str();
    let c = USE.captures(code)?;
    let name = unquote(&c[2]);
    session.current = match c.get(1).map(|m| m.as_str().trim()) {
        Some("CATALOG") => vec![name],
        _ => match name.split_once('.') {
            Some((cat, sch)) => vec![cat.to_string(), sch.to_string()],
            None => {
                let mut v = session
                    .current
                    .first()
                    .cloned()
                    .into_iter()
                    .collect::<Vec<_>>();
                v.push(name);
                v
            }
        },
    };
    Some(Ok(()))
}

pub(super) fn create_schema(catalog: &mut Catalog, session: &Session<'_>, s: &Statement) -> Step {
    let code = s.code.as_str();
    let who = session.who;
    let c = CREATE_SCHEMA.captures(code)?;
    let key = session.resolve(&c[2], 2)?;
    Some((|| {
        let cat = key.split('.').next().unwrap_or_default();
        if cat != catalog.name {
            return Err(refusal::not_found(
                "NO_SUCH_CATALOG_EXCEPTION",
                format!(
                    "catalog {} is not the product's catalog",
                    cat.to_lowercase()
                ),
            ));
        }
        if let Some(r) = name_limits(&key) {
            return Err(r);
        }
        if catalog.schemas.contains_key(&key) {
            return if c.get(1).is_some() {
                Ok(())
            } else {
                Err(refusal::exists(
                    "SCHEMA_ALREADY_EXISTS",
                    format!("schema {} exists", key.to_lowercase()),
                ))
            };
        }
        if !catalog.catalog_allows(who, "USE CATALOG")
            || !catalog.catalog_allows(who, "CREATE SCHEMA")
        {
            return Err(refusal::denied(format!(
                "{} needs USE CATALOG and CREATE SCHEMA on catalog {} (granted by its owner: schemas/catalog/grants.sql)",
                who.name,
                catalog.name.to_lowercase()
            )));
        }
        catalog.schemas.insert(
            key,
            Schema {
                owner: who.name.clone(),
                grants: Default::default(),
            },
        );
        Ok(())
    })())
}

pub(super) fn create_table(catalog: &mut Catalog, session: &Session<'_>, s: &Statement) -> Step {
    let code = s.code.as_str();
    let who = session.who;
    let c = CREATE_TABLE.captures(code)?;
    let key = session.resolve(&c[2], 3)?;
    let open = c.get(0).map_or(0, |m| m.end());
    let body_end = {
        let mut depth = 1;
        let mut end = code.len();
        for (i, ch) in code[open..].char_indices() {
            match ch {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i;
                        break;
                    }
                }
                _ => {}
            }
        }
        end
    };
    let (cols, default, refs) = columns(&code[open..body_end]);
    Some((|| {
        if let Some(r) = name_limits(&key) {
            return Err(r);
        }
        let schema = Catalog::schema_of(&key).to_string();
        let Some(sch) = catalog.schemas.get(&schema) else {
            return Err(refusal::not_found(
                "SCHEMA_NOT_FOUND",
                format!("schema {} does not exist (yet)", schema.to_lowercase()),
            ));
        };
        if catalog.tables.contains_key(&key) {
            return if c.get(1).is_some() {
                Ok(())
            } else {
                Err(refusal::exists(
                    "TABLE_OR_VIEW_ALREADY_EXISTS",
                    format!("table {} exists", key.to_lowercase()),
                ))
            };
        }
        let owns_schema = who.is(&sch.owner)
            || sch
                .grants
                .iter()
                .any(|(p, g)| who.is(p) && (g == "CREATE TABLE" || g == "ALL PRIVILEGES"));
        if !owns_schema || !catalog.catalog_allows(who, "USE CATALOG") {
            return Err(refusal::denied(format!(
                "{} may not create tables in schema {}",
                who.name,
                schema.to_lowercase()
            )));
        }
        for r in &refs {
            let parent = session.resolve(r, 3).unwrap_or_else(|| unquote(r));
            if !catalog.tables.contains_key(&parent) {
                return Err(refusal::not_found(
                    "TABLE_OR_VIEW_NOT_FOUND",
                    format!(
                        "the FOREIGN KEY of {} references {}, which does not exist (yet): the job must create it first",
                        key.to_lowercase(),
                        parent.to_lowercase()
                    ),
                ));
            }
        }
        let feature = s
            .literals
            .windows(2)
            .any(|w| w[0] == "delta.feature.allowColumnDefaults" && w[1] == "supported");
        if default && !feature {
            return Err(refusal::default_without_feature(&key.to_lowercase()));
        }
        for col in &cols {
            if col.chars().count() > 255 {
                return Err(refusal::limit(format!(
                    "a column name of {} is longer than 255 characters",
                    key.to_lowercase()
                )));
            }
        }
        catalog.tables.insert(
            key,
            Table {
                owner: who.name.clone(),
                columns: cols.into_iter().map(|c| (c, Column::default())).collect(),
                ..Table::default()
            },
        );
        Ok(())
    })())
}

pub(super) fn create_function(catalog: &mut Catalog, session: &Session<'_>, s: &Statement) -> Step {
    let code = s.code.as_str();
    let who = session.who;
    let c = CREATE_FUNCTION.captures(code)?;
    let key = session.resolve(&c[3], 3)?;
    let replace = c.get(1).is_some();
    let if_not_exists = c.get(2).is_some();
    let body = s.text.split_whitespace().collect::<Vec<_>>().join(" ");
    Some((|| {
        if let Some(r) = name_limits(&key) {
            return Err(r);
        }
        let schema = Catalog::schema_of(&key).to_string();
        let Some(sch) = catalog.schemas.get(&schema) else {
            return Err(refusal::not_found(
                "SCHEMA_NOT_FOUND",
                format!("schema {} does not exist (yet)", schema.to_lowercase()),
            ));
        };
        let schema_owner = sch.owner.clone();
        match catalog.functions.get_mut(&key) {
            Some(_) if if_not_exists => Ok(()),
            Some(_) if !replace => Err(refusal::exists(
                "ROUTINE_ALREADY_EXISTS",
                format!("function {} exists", key.to_lowercase()),
            )),
            Some(f) if !who.is(&f.owner) => Err(refusal::denied(format!(
                "{} may not replace function {}, owned by {}",
                who.name,
                key.to_lowercase(),
                f.owner.to_lowercase()
            ))),
            Some(f) => {
                f.body = body;
                Ok(())
            }
            None if !who.is(&schema_owner) => Err(refusal::denied(format!(
                "{} may not create functions in schema {}",
                who.name,
                schema.to_lowercase()
            ))),
            None => {
                catalog.functions.insert(
                    key,
                    Function {
                        owner: who.name.clone(),
                        body,
                    },
                );
                Ok(())
            }
        }
    })())
}

pub(super) fn create_view(catalog: &mut Catalog, session: &Session<'_>, s: &Statement) -> Step {
    let code = s.code.as_str();
    let who = session.who;
    let c = CREATE_VIEW.captures(code)?;
    let key = session.resolve(&c[3], 3)?;
    let base = session.resolve(&c[4], 3)?;
    let replace = c.get(1).is_some();
    let body = s.text.split_whitespace().collect::<Vec<_>>().join(" ");
    Some((|| {
        if let Some(r) = name_limits(&key) {
            return Err(r);
        }
        if !catalog.tables.contains_key(&base) {
            return Err(refusal::not_found(
                "TABLE_OR_VIEW_NOT_FOUND",
                format!(
                    "view {} selects from {}, which does not exist (yet)",
                    key.to_lowercase(),
                    base.to_lowercase()
                ),
            ));
        }
        let schema = Catalog::schema_of(&key).to_string();
        let Some(sch) = catalog.schemas.get(&schema) else {
            return Err(refusal::not_found(
                "SCHEMA_NOT_FOUND",
                format!("schema {} does not exist (yet)", schema.to_lowercase()),
            ));
        };
        let schema_owner = sch.owner.clone();
        match catalog.tables.get_mut(&key) {
            Some(_) if !replace => Err(refusal::exists(
                "TABLE_OR_VIEW_ALREADY_EXISTS",
                format!("view {} exists", key.to_lowercase()),
            )),
            Some(v) if !who.is(&v.owner) => Err(refusal::denied(format!(
                "{} may not replace view {}, owned by {}",
                who.name,
                key.to_lowercase(),
                v.owner.to_lowercase()
            ))),
            Some(v) => {
                v.body = body;
                Ok(())
            }
            None if !who.is(&schema_owner) => Err(refusal::denied(format!(
                "{} may not create views in schema {}",
                who.name,
                schema.to_lowercase()
            ))),
            None => {
                catalog.tables.insert(
                    key,
                    Table {
                        owner: who.name.clone(),
                        view: true,
                        body,
                        ..Table::default()
                    },
                );
                Ok(())
            }
        }
    })())
}

pub(super) fn name_limits(key: &str) -> Option<Refusal> {
    let last = key.rsplit('.').next().unwrap_or(key);
    if last.chars().count() > 255 {
        return Some(refusal::limit(format!(
            "name {} is longer than 255 characters",
            last.to_lowercase().chars().take(40).collect::<String>()
        )));
    }
    if last.is_empty() || last.chars().any(|c| c == ' ' || c == '/' || c.is_control()) {
        return Some(refusal::limit(format!(
            "name {:?} holds a space, `/` or a control character, which Unity Catalog refuses",
            last.to_lowercase()
        )));
    }
    None
}

/// The column names of a CREATE TABLE body, and whether any has a DEFAULT.
pub(super) fn columns(body: &str) -> (Vec<String>, bool, Vec<String>) {
    let mut depth = 0;
    let mut parts = vec![String::new()];
    for c in body.chars() {
        match c {
            '(' | '<' => depth += 1,
            ')' | '>' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(String::new());
                continue;
            }
            _ => {}
        }
        if let Some(last) = parts.last_mut() {
            last.push(c);
        }
    }
    let mut cols = Vec::new();
    let mut refs = Vec::new();
    let mut default = false;
    for p in parts.iter().map(|p| p.trim()) {
        if p.starts_with("CONSTRAINT ")
            || p.starts_with("PRIMARY KEY")
            || p.starts_with("FOREIGN KEY")
        {
            if let Some((_, after)) = p.split_once(" REFERENCES ") {
                refs.push(
                    after
                        .split([' ', '('])
                        .next()
                        .unwrap_or_default()
                        .to_string(),
                );
            }
            continue;
        }
        default |= p.contains(" DEFAULT ");
        if let Some(name) = p.split_whitespace().next() {
            cols.push(unquote(name));
        }
    }
    (cols, default, refs)
}
