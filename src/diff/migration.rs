//! `schemas/migrations/<old>_to_<new>.sql`: the statements that take a deployed product from
//! the old contract to the new one. What Delta can do in place is done in place; a table with
//! breaking changes gets the plan the contract promises: a `<table>_v<major>` table, the
//! backfill, and a compatibility view on the old name for the dual-running period.

use super::Report;
use super::classify::{Change, Kind};
use super::version::{Bump, Version};
use crate::lang::date::Date;
use crate::lang::escape::{sql_identifier, sql_qualified, sql_string};
use crate::render::model::sql_type;
use crate::spec::ProductSpec;
use crate::spec::contract::{Contract, Field, Table};
use crate::spec::contract_sql;

/// The migration script, or `None` when nothing needs to run on the platform.
pub(crate) fn script(report: &Report, old: &Contract, new: &ProductSpec) -> Option<String> {
    let (catalog, schema) = (new.catalog(), new.schema());
    let fqn = |t: &str| sql_qualified(&[catalog, schema, t]);
    let major = Version::parse(&report.new_version).map_or(1, |v| v.major);
    let dual_days = new.contract.backward_compatibility.dual_running_period_days;
    let until = Date::parse(&new.contract.last_updated)
        .map(|d| d.plus_days(i64::from(dual_days)).to_string())
        .unwrap_or_else(|| format!("{dual_days} days after release"));
    let mut out = format!(
        "-- Migration of data product {} from contract {} to {}.\n-- Review before running; statements run top to bottom on a SQL warehouse.\n",
        crate::lang::escape::sql_comment(new.name()),
        report.old_version,
        report.new_version
    );
    let mut any = false;
    for (name, table) in &new.contract.tables {
        let changes: Vec<&Change> = report
            .changes
            .iter()
            .filter(|c| {
                c.path == format!("tables.{name}") || c.path.starts_with(&format!("tables.{name}."))
            })
            .collect();
        let Some(old_table) = old.tables.get(name) else {
            if changes.iter().any(|c| c.kind == Kind::TableAdded) {
                out.push_str(&format!(
                    "\n-- New table {}: created by schemas/{}_v{major}.sql.\n",
                    crate::lang::escape::sql_comment(name),
                    crate::lang::escape::sql_comment(name)
                ));
            }
            continue;
        };
        if changes.is_empty() {
            continue;
        }
        any = true;
        if changes.iter().any(|c| c.bump == Bump::Major) {
            out.push_str(&breaking(&fqn, name, old_table, table, major, &until));
        } else {
            out.push_str(&in_place(&fqn(name), name, table, &changes));
        }
    }
    for c in report
        .changes
        .iter()
        .filter(|c| c.kind == Kind::TableRemoved)
    {
        any = true;
        let name = c.path.trim_start_matches("tables.");
        out.push_str(&format!(
            "\n-- Table {} left the contract. Drop it once the dual-running period ends ({until}):\n-- DROP TABLE IF EXISTS {};\n",
            crate::lang::escape::sql_comment(name),
            crate::lang::escape::sql_comment(&fqn(name))
        ));
    }
    any.then_some(out)
}

fn column_def(f: &Field) -> String {
    let mut def = format!("{} {}", sql_identifier(&f.name), sql_type(&f.data_type));
    if !f.nullable {
        def.push_str(" NOT NULL");
    }
    if let Some(d) = f
        .default
        .as_ref()
        .and_then(|d| contract_sql::literal(&f.data_type, d).ok())
    {
        def.push_str(&format!(" DEFAULT {d}"));
    }
    def.push_str(&format!(" COMMENT {}", sql_string(&f.description)));
    def
}

/// Statements Delta runs on the live table.
fn in_place(fqn: &str, name: &str, table: &Table, changes: &[&Change]) -> String {
    let mut out = format!(
        "\n-- {}: changes Delta makes in place.\n",
        crate::lang::escape::sql_comment(name)
    );
    let column = |c: &Change| c.path.split('.').nth(2).map(str::to_string);
    let mut feature_defaults = false;
    let mut feature_widening = false;
    for c in changes {
        let Some(col) = column(c) else {
            if c.kind == Kind::DescriptionChanged {
                out.push_str(&format!(
                    "COMMENT ON TABLE {fqn} IS {};\n",
                    sql_string(&table.description)
                ));
            }
            continue;
        };
        let Some(f) = table.field(&col) else { continue };
        let ident = sql_identifier(&col);
        match c.kind {
            Kind::ColumnAdded => add_column(&mut out, fqn, f, &mut feature_defaults),
            Kind::TypeWidened => {
                if !feature_widening {
                    feature_widening = true;
                    out.push_str(&format!("ALTER TABLE {fqn} SET TBLPROPERTIES ('delta.enableTypeWidening' = 'true');\n"));
                }
                out.push_str(&format!(
                    "ALTER TABLE {fqn} ALTER COLUMN {ident} TYPE {};\n",
                    sql_type(&f.data_type)
                ));
            }
            Kind::MadeNullable => out.push_str(&format!(
                "ALTER TABLE {fqn} ALTER COLUMN {ident} DROP NOT NULL;\n"
            )),
            Kind::DescriptionChanged => out.push_str(&format!(
                "ALTER TABLE {fqn} ALTER COLUMN {ident} COMMENT {};\n",
                sql_string(&f.description)
            )),
            Kind::DefaultChanged => match f
                .default
                .as_ref()
                .and_then(|d| contract_sql::literal(&f.data_type, d).ok())
            {
                Some(d) => out.push_str(&format!(
                    "ALTER TABLE {fqn} ALTER COLUMN {ident} SET DEFAULT {d};\n"
                )),
                None => out.push_str(&format!(
                    "ALTER TABLE {fqn} ALTER COLUMN {ident} DROP DEFAULT;\n"
                )),
            },
            Kind::ConstraintRelaxed | Kind::ConstraintTightened => {
                replace_checks(&mut out, fqn, &col, f)
            }
            _ => out.push_str(&format!(
                "-- {}: {} (nothing to run; `dpc generate` updates tags, masks and docs)\n",
                crate::lang::escape::sql_comment(&c.path),
                crate::lang::escape::sql_comment(&c.reason)
            )),
        }
    }
    out
}

/// A new column: added nullable without a default, then given its default (filling the
/// existing rows) and made NOT NULL; the first default turns on Delta's column defaults.
fn add_column(out: &mut String, fqn: &str, f: &Field, feature_defaults: &mut bool) {
    let ident = sql_identifier(&f.name);
    if f.default.is_some() && !*feature_defaults {
        *feature_defaults = true;
        out.push_str(&format!("ALTER TABLE {fqn} SET TBLPROPERTIES ('delta.feature.allowColumnDefaults' = 'supported');\n"));
    }
    let mut added = f.clone();
    added.nullable = true;
    added.default = None;
    out.push_str(&format!(
        "ALTER TABLE {fqn} ADD COLUMNS ({});\n",
        column_def(&added)
    ));
    if let Some(d) = f
        .default
        .as_ref()
        .and_then(|d| contract_sql::literal(&f.data_type, d).ok())
    {
        out.push_str(&format!(
            "ALTER TABLE {fqn} ALTER COLUMN {ident} SET DEFAULT {d};\n"
        ));
        out.push_str(&format!(
            "UPDATE {fqn} SET {ident} = {d} WHERE {ident} IS NULL;\n"
        ));
    }
    if !f.nullable {
        out.push_str(&format!(
            "ALTER TABLE {fqn} ALTER COLUMN {ident} SET NOT NULL;\n"
        ));
    }
}

/// A column's CHECK constraints dropped and added again as the contract now states them;
/// the ones it no longer has dropped.
fn replace_checks(out: &mut String, fqn: &str, col: &str, f: &Field) {
    for check in contract_sql::field_checks(f).unwrap_or_default() {
        let name = sql_identifier(&check.name);
        out.push_str(&format!(
            "ALTER TABLE {fqn} DROP CONSTRAINT IF EXISTS {name};\n"
        ));
        out.push_str(&format!(
            "ALTER TABLE {fqn} ADD CONSTRAINT {name} CHECK ({});\n",
            check.expr
        ));
    }
    for suffix in ["format", "allowed_values", "range"] {
        let name = format!("{col}_{suffix}");
        if !contract_sql::field_checks(f)
            .unwrap_or_default()
            .iter()
            .any(|c| c.name == name)
        {
            out.push_str(&format!(
                "ALTER TABLE {fqn} DROP CONSTRAINT IF EXISTS {};\n",
                sql_identifier(&name)
            ));
        }
    }
}

/// A new major version of the table beside the old one, filled from it, and the old name kept
/// as a view of the old shape for the dual-running period.
fn breaking(
    fqn: &dyn Fn(&str) -> String,
    name: &str,
    old: &Table,
    new: &Table,
    major: u64,
    until: &str,
) -> String {
    let v_new = format!("{name}_v{major}");
    let v_old = format!("{name}_v{}", major.saturating_sub(1).max(1));
    let mut out = format!(
        "\n-- {}: breaking changes. Plan: new table {}, backfill from the old one, keep the old name as a\n-- compatibility view of the old shape until {until}; the old table stays as {} until then.\n",
        crate::lang::escape::sql_comment(name),
        crate::lang::escape::sql_comment(&v_new),
        crate::lang::escape::sql_comment(&v_old)
    );
    out.push_str(&create_table(&fqn(&v_new), &v_new, new));
    let columns: Vec<String> = new
        .schema
        .fields
        .iter()
        .map(|f| sql_identifier(&f.name))
        .collect();
    out.push_str(&format!(
        "INSERT INTO {} ({})\nSELECT\n  {}\nFROM {};\n",
        fqn(&v_new),
        columns.join(", "),
        backfill_select(old, new).join(",\n  "),
        fqn(name)
    ));
    out.push_str(&format!(
        "ALTER TABLE {} RENAME TO {};\n",
        fqn(name),
        fqn(&v_old)
    ));
    out.push_str(&format!(
        "CREATE OR REPLACE VIEW {}\nCOMMENT {}\nAS SELECT\n  {}\nFROM {};\n",
        fqn(name),
        sql_string(&format!(
            "Compatibility view with the previous shape of {name} until {until}; read {v_new}"
        )),
        old_shape_select(old, new).join(",\n  "),
        fqn(&v_new)
    ));
    out
}

/// The new major version's table: its columns, primary key, clustering and properties.
fn create_table(fqn: &str, v_new: &str, new: &Table) -> String {
    let mut defs: Vec<String> = new.schema.fields.iter().map(column_def).collect();
    if !new.primary_key.is_empty() {
        let cols: Vec<String> = new.primary_key.iter().map(|c| sql_identifier(c)).collect();
        // RELY only for a key the producer guarantees (as the table DDL).
        defs.push(format!(
            "CONSTRAINT {} PRIMARY KEY ({}) {}",
            sql_identifier(&format!("pk_{v_new}")),
            cols.join(", "),
            if new.primary_key_guaranteed {
                "RELY"
            } else {
                "NORELY"
            }
        ));
    }
    let has_default = new.schema.fields.iter().any(|f| f.default.is_some());
    let cluster = if new.clustered_by.is_empty() {
        "CLUSTER BY AUTO".to_string()
    } else {
        format!(
            "CLUSTER BY ({})",
            new.clustered_by
                .iter()
                .map(|c| sql_identifier(c))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    format!(
        "CREATE TABLE IF NOT EXISTS {fqn} (\n  {}\n)\nUSING DELTA\n{cluster}\nCOMMENT {}\nTBLPROPERTIES (\n  'delta.columnMapping.mode' = 'name'{}\n);\n",
        defs.join(",\n  "),
        sql_string(&new.description),
        if has_default {
            ",\n  'delta.feature.allowColumnDefaults' = 'supported'"
        } else {
            ""
        }
    )
}

/// Backfill: columns kept are cast to their new type; new columns get their default.
fn backfill_select(old: &Table, new: &Table) -> Vec<String> {
    new.schema
        .fields
        .iter()
        .map(|f| match old.field(&f.name) {
            Some(o) if o.data_type == f.data_type => sql_identifier(&f.name),
            Some(_) => format!(
                "CAST({} AS {}) AS {}",
                sql_identifier(&f.name),
                sql_type(&f.data_type),
                sql_identifier(&f.name)
            ),
            None => {
                let value = f
                    .default
                    .as_ref()
                    .and_then(|d| contract_sql::literal(&f.data_type, d).ok())
                    .unwrap_or_else(|| format!("CAST(NULL AS {})", sql_type(&f.data_type)));
                format!("{value} AS {}", sql_identifier(&f.name))
            }
        })
        .collect()
}

/// The old shape, read from the new table: removed columns come back as typed NULLs.
fn old_shape_select(old: &Table, new: &Table) -> Vec<String> {
    old.schema
        .fields
        .iter()
        .map(|o| match new.field(&o.name) {
            Some(f) if f.data_type == o.data_type => sql_identifier(&o.name),
            Some(_) => format!(
                "CAST({} AS {}) AS {}",
                sql_identifier(&o.name),
                sql_type(&o.data_type),
                sql_identifier(&o.name)
            ),
            None => format!(
                "CAST(NULL AS {}) AS {}",
                sql_type(&o.data_type),
                sql_identifier(&o.name)
            ),
        })
        .collect()
}
