//! Another product's contract.yaml: its tables as they are. Row counts and refresh
//! frequencies come from the product.yaml beside it, PII categories from its governance.yaml,
//! when those files are there.

use super::{ImportError, Imported, Source};
use crate::input::starter::StarterTable;
use crate::spec::contract::Contract;
use crate::spec::{GOVERNANCE_FILE, Governance, PRODUCT_FILE, ProductManifest};

pub(crate) fn claims(extension: &str, text: &str) -> bool {
    matches!(extension, "yaml" | "yml")
        && text
            .lines()
            .any(|l| l.starts_with("contract_version:") || l.starts_with("tables:"))
}

/// A file beside the contract, parsed, when it is there and reads.
fn sibling<T: serde::de::DeserializeOwned>(src: &Source, file: &str) -> Option<T> {
    let text = crate::files::safe_read::read_text(
        &src.path.with_file_name(file),
        crate::files::safe_read::TEXT_CAP,
    )
    .ok()?;
    crate::spec::parse_yaml(file, &text).ok()
}

pub(crate) fn read(src: &Source) -> Result<Imported, ImportError> {
    let contract: Contract = serde_saphyr::from_str(src.text).map_err(|e| {
        let message = e.to_string();
        let first = message.lines().next().unwrap_or("cannot read YAML").trim();
        // serde-saphyr prefixes "error: line L column C: "; the line goes in its own place.
        let text = first
            .strip_prefix("error: ")
            .unwrap_or(first)
            .strip_prefix("line ")
            .and_then(|r| r.split_once(": "))
            .map_or(first, |(_, t)| t);
        src.error(e.location().map(|l| l.line() as usize), text.to_string())
    })?;
    let line = |path: &str| crate::lang::yaml_locate::locate(src.text, path).map(|(l, _)| l);
    let product: Option<ProductManifest> = sibling(src, PRODUCT_FILE);
    let governance: Option<Governance> = sibling(src, GOVERNANCE_FILE);
    let mut tables = Vec::new();
    for (name, table) in &contract.tables {
        let at = format!("tables.{name}");
        super::check_table_name(src, name, line(&at))?;
        let mut seen = Vec::new();
        for (i, f) in table.schema.fields.iter().enumerate() {
            super::check_column_name(
                src,
                name,
                &seen,
                &f.name,
                line(&format!("{at}.schema.fields[{i}].name")),
            )?;
            seen.push(f.clone());
        }
        for (list, cols) in [
            ("primary_key", &table.primary_key),
            ("clustered_by", &table.clustered_by),
            ("partitioned_by", &table.partitioned_by),
        ] {
            for (i, col) in cols.iter().enumerate() {
                if table.field(col).is_none() {
                    return Err(src.error(
                        line(&format!("{at}.{list}[{i}]")),
                        format!("{list} names {col}, which is not a column of {name}"),
                    ));
                }
            }
        }
        let catalog = product.as_ref().and_then(|p| {
            p.catalog_location
                .tables
                .iter()
                .find(|t| &t.name == name)
                .cloned()
        });
        let pii_categories = table
            .pii_fields()
            .map(|f| {
                let category = governance
                    .as_ref()
                    .and_then(|g| {
                        g.pii_fields
                            .iter()
                            .find(|p| &p.table == name && p.column == f.name)
                    })
                    .map(|p| p.category.clone())
                    .or_else(|| super::pii::category(&f.name).map(str::to_string))
                    .unwrap_or_else(|| "personal".to_string());
                (f.name.clone(), category)
            })
            .collect();
        tables.push(StarterTable {
            name: name.clone(),
            row_count: catalog
                .as_ref()
                .map_or_else(|| "unknown".to_string(), |c| c.row_count.clone()),
            update_frequency: catalog
                .as_ref()
                .map_or_else(|| "Daily".to_string(), |c| c.update_frequency.clone()),
            pii_categories,
            contract: table.clone(),
        });
    }
    Ok(Imported {
        tables,
        notes: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn another_products_contract_reads_whole() {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/customer-360/contract.yaml");
        let tables = super::super::tables_from_file(&path).unwrap();
        let starter = crate::input::starter::for_domain("marketing").unwrap();
        assert_eq!(tables.len(), starter.tables.len());
        for (got, want) in tables.iter().zip(&starter.tables) {
            assert_eq!(got.name, want.name);
            assert_eq!(got.contract, want.contract);
            assert_eq!(got.pii_categories, want.pii_categories);
            assert_eq!(got.row_count, want.row_count);
            assert_eq!(got.update_frequency, want.update_frequency);
        }
    }

    #[test]
    fn bad_names_and_keys_name_the_line() {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/customer-360/contract.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        let bad = text.replacen("- name: email", "- name: e mail", 1);
        let src = Source {
            path: Path::new("contract.yaml"),
            text: &bad,
        };
        let err = read(&src).unwrap_err();
        let want = bad.lines().position(|l| l.contains("e mail")).unwrap() + 1;
        assert_eq!(err.line, Some(want), "{err}");
        let bad = text.replacen("contract_version:", "contract_versoin:", 1);
        let src = Source {
            path: Path::new("contract.yaml"),
            text: &bad,
        };
        let err = read(&src).unwrap_err();
        assert!(err.to_string().contains("contract_versoin"), "{err}");
        assert!(err.line.is_some(), "{err}");
    }
}
