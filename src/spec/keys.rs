//! Keys shared across tables. The contract has no foreign-key field; a column refers to
//! another table's key when its description names it as `(table.column)` — the convention
//! the starter schemas and the brief's examples use ("Customer identifier
//! (customers.customer_id)") — or, without such a mention, when it has the name and type of
//! another table's single-column primary key. The referenced column must be unique (a
//! single-column primary key or a unique column), so a generated reference is always a key
//! that exists.

use crate::spec::contract::{ConstraintKind, Contract, ExpectationKind, Table};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reference {
    pub table: String,
    pub column: String,
    pub parent_table: String,
    pub parent_column: String,
}

/// Whether `column` of `table` holds one distinct value per row.
pub(crate) fn is_unique_column(table: &Table, column: &str) -> bool {
    table.primary_key == [column]
        || table.field(column).is_some_and(|f| {
            f.constraints
                .iter()
                .any(|c| c.kind == ConstraintKind::Unique)
        })
        || table
            .quality_expectations
            .iter()
            .any(|e| e.kind == ExpectationKind::Unique && e.column == column)
}

/// `(table.column)` mentions in a description.
fn mentions(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('(') {
        rest = &rest[open + 1..];
        let Some(close) = rest.find(')') else { break };
        if let Some((t, c)) = rest[..close].split_once('.') {
            let ident = |s: &str| {
                !s.is_empty()
                    && s.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
                    && !s.starts_with(|ch: char| ch.is_ascii_digit())
            };
            if ident(t) && ident(c) {
                out.push((t.to_string(), c.to_string()));
            }
        }
    }
    out
}

/// Every reference in the contract, in table and column order.
pub(crate) fn references(contract: &Contract) -> Vec<Reference> {
    let mut out = Vec::new();
    for (name, table) in &contract.tables {
        for field in &table.schema.fields {
            let fits = |parent_table: &str, parent_column: &str| {
                contract.tables.get(parent_table).is_some_and(|p| {
                    !(parent_table == name && parent_column == field.name)
                        && p.field(parent_column)
                            .is_some_and(|pf| pf.data_type == field.data_type)
                        && is_unique_column(p, parent_column)
                })
            };
            let mentioned = mentions(&field.description)
                .into_iter()
                .find(|(t, c)| fits(t, c));
            let by_name = || {
                if table.primary_key == [field.name.clone()] {
                    return None;
                }
                contract
                    .tables
                    .iter()
                    .find(|(t, p)| {
                        *t != name && p.primary_key == [field.name.clone()] && fits(t, &field.name)
                    })
                    .map(|(t, _)| (t.clone(), field.name.clone()))
            };
            if let Some((parent_table, parent_column)) = mentioned.or_else(by_name) {
                out.push(Reference {
                    table: name.clone(),
                    column: field.name.clone(),
                    parent_table,
                    parent_column,
                });
            }
        }
    }
    out
}

/// Drops references that would make a key depend on itself.
pub(crate) fn acyclic(refs: Vec<Reference>) -> Vec<Reference> {
    let mut kept: Vec<Reference> = Vec::new();
    for r in refs {
        let mut at = (r.parent_table.clone(), r.parent_column.clone());
        let mut cyclic = false;
        for _ in 0..=kept.len() {
            if at == (r.table.clone(), r.column.clone()) {
                cyclic = true;
                break;
            }
            match kept.iter().find(|k| k.table == at.0 && k.column == at.1) {
                Some(next) => at = (next.parent_table.clone(), next.parent_column.clone()),
                None => break,
            }
        }
        if !cyclic {
            kept.push(r);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_are_found() {
        assert_eq!(
            mentions("Customer identifier (customers.customer_id)"),
            vec![("customers".to_string(), "customer_id".to_string())]
        );
        assert!(mentions("a note (see docs) and (1.5)").is_empty());
    }
}
