//! One ODCS schema object → a table of the contract, as the builder takes it.

use super::column::{read_column, read_rule};
use super::names::uc_name;
use super::report::Reader;
use super::residue::{residue_keys, with_residue};
use crate::input::starter::StarterTable;
use crate::interop::odcs::any::{Any, from_any, to_any};
use crate::interop::odcs::types::*;
use crate::interop::odcs::{OdcsError, export, prop};
use crate::spec::contract::Table;
use indexmap::IndexMap;

/// One table of the document, ready for the builder.
pub(super) struct ImportedTable {
    pub(super) starter: StarterTable,
    pub(super) masks: IndexMap<String, Any>,
    pub(super) catalog_description: Option<String>,
    pub(super) classifications: Vec<(String, String)>,
}

/// The document's update frequency of each table (`frequency` SLA properties).
pub(super) fn frequencies(doc: &Contract) -> IndexMap<String, String> {
    let mut out = IndexMap::new();
    for sp in &doc.sla_properties {
        if !sp.property.eq_ignore_ascii_case("frequency") {
            continue;
        }
        let text = match (&sp.value, sp.unit.as_deref()) {
            (Any::Int(n), Some(unit)) => export::FREQUENCIES
                .iter()
                .find(|(_, v, u)| v == n && *u == unit)
                .map(|(name, _, _)| name.to_string())
                .or_else(|| export::retention_text(*n, unit).map(|t| format!("Every {t}")))
                .unwrap_or_else(|| format!("Every {n} {unit}")),
            (v, _) => match v.scalar_text() {
                Some(t) => t,
                None => continue,
            },
        };
        let table = sp
            .element
            .as_deref()
            .map(|e| e.split('.').next().unwrap_or(e).to_string())
            .unwrap_or_default();
        out.insert(table, text);
    }
    out
}

pub(super) fn read_table(
    obj: &SchemaObject,
    index: usize,
    frequencies: &IndexMap<String, String>,
    r: &mut Reader,
) -> Result<Option<ImportedTable>, OdcsError> {
    let label = if obj.name.is_empty() {
        format!("schema[{index}]")
    } else {
        format!("schema[{}]", obj.name)
    };
    let Some(table_name) = uc_name(obj.physical_name.as_deref(), &obj.name, &label, r) else {
        r.lose(label, "a schema object without a name");
        return Ok(None);
    };
    if let Some(kind) = obj.physical_type.as_deref()
        && !kind.eq_ignore_ascii_case("table")
    {
        r.notes.push(format!(
            "{label}: a {kind} in the document; the product holds it as a Delta table"
        ));
    }
    r.others(&label, &obj.other);
    let custom = r.custom(&label, &obj.custom_properties);
    let (named, residue) = residue_keys(
        custom,
        &[
            prop::ROW_COUNT,
            prop::CATALOG_DESCRIPTION,
            prop::EXPECTATION_ORDER,
        ],
    );
    let mut columns = read_properties(obj, &label, r)?;
    read_table_quality(obj, &label, &mut columns.expectations, r);
    if columns.fields.is_empty() {
        r.lose(label, "a table without columns; dpc cannot create it");
        return Ok(None);
    }
    if let Some(Any::List(order)) = named.get(prop::EXPECTATION_ORDER) {
        order_expectations(order, &mut columns.expectations);
    }
    unique_expectation_names(&label, &mut columns.expectations, r);
    columns.keys.sort();
    columns.partitions.sort();
    let primary_key: Vec<String> = columns.keys.into_iter().map(|(_, _, c)| c).collect();
    key_columns_not_null(&label, &mut columns.fields, &primary_key, r);
    let table = table_any(obj, columns.fields, &primary_key, columns.partitions);
    let mut table: Table = with_residue("table", table, residue, &label, r)?;
    admit_expectations(&label, &mut table, columns.expectations, r);
    if obj.deprecated == Some(true) && table_residue_lacks_deprecation(&table) {
        r.lose(
            &label,
            "deprecated: dpc records a deprecation with its date",
        );
    }
    let row_count = named
        .get(prop::ROW_COUNT)
        .and_then(Any::scalar_text)
        .unwrap_or_else(|| "unknown".to_string());
    let update_frequency = frequencies
        .get(&table_name)
        .or_else(|| frequencies.get(""))
        .cloned()
        .unwrap_or_else(|| "Daily".to_string());
    Ok(Some(ImportedTable {
        starter: StarterTable {
            name: table_name,
            row_count,
            update_frequency,
            pii_categories: columns.pii,
            contract: table,
        },
        masks: columns.masks,
        catalog_description: named
            .get(prop::CATALOG_DESCRIPTION)
            .and_then(Any::scalar_text),
        classifications: columns.classifications,
    }))
}

/// What the properties of one schema object give, in the document's order.
#[derive(Default)]
struct TableColumns {
    fields: Vec<Any>,
    /// Primary key columns: (position, index, name), sorted later.
    keys: Vec<(i64, usize, String)>,
    /// Partition columns: (position, index, name), sorted later.
    partitions: Vec<(i64, usize, String)>,
    pii: IndexMap<String, String>,
    masks: IndexMap<String, Any>,
    expectations: Vec<Any>,
    classifications: Vec<(String, String)>,
}

/// Reads every property of the object as a column; a nameless or repeated one is a loss.
fn read_properties(
    obj: &SchemaObject,
    label: &str,
    r: &mut Reader,
) -> Result<TableColumns, OdcsError> {
    let mut out = TableColumns::default();
    let mut names: Vec<String> = Vec::new();
    for (i, p) in obj.properties.iter().enumerate() {
        let at = format!(
            "{label}.properties[{}]",
            if p.name.is_empty() {
                i.to_string()
            } else {
                p.name.clone()
            }
        );
        let Some(column) = uc_name(p.physical_name.as_deref(), &p.name, &at, r) else {
            r.lose(at, "a property without a name");
            continue;
        };
        if names.contains(&column) {
            r.lose(
                at,
                format!("column {column} appears twice; the first is kept"),
            );
            continue;
        }
        let col = read_column(p, &column, &at, r)?;
        if p.primary_key == Some(true) {
            out.keys.push((
                p.primary_key_position
                    .filter(|n| *n > 0)
                    .unwrap_or(i64::MAX),
                i,
                column.clone(),
            ));
        }
        if p.partitioned == Some(true) {
            out.partitions.push((
                p.partition_key_position
                    .filter(|n| *n > 0)
                    .unwrap_or(i64::MAX),
                i,
                column.clone(),
            ));
        }
        if let Some(category) = col.pii_category {
            out.pii.insert(column.clone(), category);
        }
        if let Some(mask) = col.mask {
            out.masks.insert(column.clone(), mask);
        }
        if let Some(c) = col.classification {
            out.classifications.push((at.clone(), c));
        }
        out.expectations.extend(col.expectations);
        out.fields.push(col.field);
        names.push(column);
    }
    Ok(out)
}

/// The object's quality rules: those naming a column (`dpc.column`) become expectations;
/// table-level rules are a loss.
fn read_table_quality(
    obj: &SchemaObject,
    label: &str,
    expectations: &mut Vec<Any>,
    r: &mut Reader,
) {
    for (i, q) in obj.quality.iter().enumerate() {
        let at = format!("{label}.quality[{i}]");
        let column = q
            .custom_properties
            .iter()
            .find(|c| c.property == prop::COLUMN)
            .and_then(|c| c.value.scalar_text());
        match column {
            Some(column) => expectations.extend(read_rule(q, &column, &at, r)),
            None => r.lose(
                at,
                format!(
                    "table-level quality rule {}: dpc expectations check one column",
                    q.metric
                        .as_deref()
                        .or(q.name.as_deref())
                        .unwrap_or("(unnamed)")
                ),
            ),
        }
    }
}

/// Puts the expectations in the order dpc exported them (`dpc.expectation_order`).
fn order_expectations(order: &[Any], expectations: &mut [Any]) {
    let rank = |e: &Any| {
        let name = e.get("name").and_then(Any::as_str).unwrap_or("");
        order
            .iter()
            .position(|o| o.as_str() == Some(name))
            .unwrap_or(usize::MAX)
    };
    expectations.sort_by_key(rank);
}

/// Expectation names are unique within a table: a repeated one gets a number, and a note.
fn unique_expectation_names(label: &str, expectations: &mut [Any], r: &mut Reader) {
    let mut seen: Vec<String> = Vec::new();
    for e in expectations {
        let base = e
            .get("name")
            .and_then(Any::as_str)
            .unwrap_or("")
            .to_string();
        let mut name = base.clone();
        let mut n = 2;
        while seen.contains(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        if name != base {
            r.notes.push(format!(
                "{label}: a second expectation {base} was renamed {name}"
            ));
            e.set("name", Any::text(&name));
        }
        seen.push(name);
    }
}

/// Databricks primary keys are NOT NULL: key columns the document lets be null are made
/// NOT NULL, with a note.
fn key_columns_not_null(label: &str, fields: &mut [Any], primary_key: &[String], r: &mut Reader) {
    for f in fields {
        let name = f
            .get("name")
            .and_then(Any::as_str)
            .unwrap_or("")
            .to_string();
        if primary_key.contains(&name) && f.get("nullable") != Some(&Any::Bool(false)) {
            f.set("nullable", Any::Bool(false));
            r.notes.push(format!(
                "{label}: {name} is part of the primary key, so it is NOT NULL (the document does not require it)"
            ));
        }
    }
}

/// The table as an [`Any`] the contract's table reads from (before the residue).
fn table_any(
    obj: &SchemaObject,
    fields: Vec<Any>,
    primary_key: &[String],
    partitions: Vec<(i64, usize, String)>,
) -> Any {
    let mut table = Any::map();
    table.set(
        "description",
        Any::text(obj.description.clone().unwrap_or_default()),
    );
    let mut schema = Any::map();
    schema.set("fields", Any::List(fields));
    table.set("schema", schema);
    if !primary_key.is_empty() {
        table.set(
            "primary_key",
            Any::List(primary_key.iter().map(Any::text).collect()),
        );
    }
    if !partitions.is_empty() {
        table.set(
            "partitioned_by",
            Any::List(
                partitions
                    .into_iter()
                    .map(|(_, _, c)| Any::Text(c))
                    .collect(),
            ),
        );
    }
    table
}

/// Adds the expectations the table can check; the others would make the product invalid, so
/// they are a loss.
fn admit_expectations(label: &str, table: &mut Table, expectations: Vec<Any>, r: &mut Reader) {
    for e in expectations {
        let Ok(expectation) = from_any::<crate::spec::contract::Expectation>("expectation", &e)
        else {
            continue;
        };
        let bad_pattern = expectation
            .pattern
            .as_deref()
            .is_some_and(|p| regex::Regex::new(p).is_err());
        match crate::spec::contract_sql::expectation_expr(table, &expectation) {
            Ok(_) if !bad_pattern => table.quality_expectations.push(expectation),
            Ok(_) => r.lose(
                label,
                format!(
                    "expectation {}: a pattern dpc cannot compile",
                    expectation.name
                ),
            ),
            Err(m) => r.lose(label, format!("expectation {}: {m}", expectation.name)),
        }
    }
}

pub(super) fn table_residue_lacks_deprecation(table: &Table) -> bool {
    to_any(table)
        .map(|a| a.get("deprecated").is_none())
        .unwrap_or(true)
}

pub(super) fn read_tables(doc: &Contract, r: &mut Reader) -> Result<Vec<ImportedTable>, OdcsError> {
    let freq = frequencies(doc);
    let mut tables: Vec<ImportedTable> = Vec::new();
    for (i, obj) in doc.schema.iter().enumerate() {
        if let Some(t) = read_table(obj, i, &freq, r)? {
            if tables.iter().any(|x| x.starter.name == t.starter.name) {
                r.lose(
                    format!("schema[{}]", obj.name),
                    format!("table {} appears twice; the first is kept", t.starter.name),
                );
                continue;
            }
            tables.push(t);
        }
    }
    for table in freq.keys() {
        if !table.is_empty() && !tables.iter().any(|t| t.starter.name == *table) {
            r.lose(
                "slaProperties",
                format!("frequency of {table}: the product has no such table"),
            );
        }
    }
    Ok(tables)
}
