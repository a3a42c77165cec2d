//! Starter schemas per domain: realistic tables a new product begins with.
//! They are data (one YAML file per domain), parsed with the contract's own types.

use crate::spec::contract::Table;
use crate::spec::governance::{Compliance, PrincipalType};
use crate::spec::parse_yaml;
use crate::spec::product::DataSource;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Starter {
    pub description: String,
    pub use_cases: Vec<String>,
    pub data_sources: Vec<DataSource>,
    pub consumers: Vec<StarterConsumer>,
    pub compliance: Vec<Compliance>,
    pub retention_period: String,
    pub tables: Vec<StarterTable>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StarterConsumer {
    pub principal: String,
    pub principal_type: PrincipalType,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StarterTable {
    pub name: String,
    pub row_count: String,
    pub update_frequency: String,
    /// PII column → category (`email`, `phone`, `name`, ...), the value of its `pii` tag.
    pub pii_categories: IndexMap<String, String>,
    pub contract: Table,
}

/// Domains with a starter of their own; any other domain starts from `general`.
pub(crate) const DOMAINS: [&str; 5] = ["marketing", "sales", "finance", "operations", "general"];

fn source(domain: &str) -> &'static str {
    match domain {
        "marketing" => include_str!("marketing.yaml"),
        "sales" => include_str!("sales.yaml"),
        "finance" => include_str!("finance.yaml"),
        "operations" => include_str!("operations.yaml"),
        _ => include_str!("general.yaml"),
    }
}

/// True when `domain` has a starter of its own.
pub(crate) fn has_starter(domain: &str) -> bool {
    DOMAINS.contains(&domain)
}

/// The starter for `domain` (the `general` one for domains without their own).
pub fn for_domain(domain: &str) -> Result<Starter, crate::spec::SpecError> {
    let file = if has_starter(domain) {
        domain
    } else {
        "general"
    };
    parse_yaml(&format!("starter {file}.yaml"), source(domain))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_starter_parses_and_is_consistent() {
        for domain in DOMAINS {
            let starter = for_domain(domain).unwrap_or_else(|e| panic!("{domain}: {e}"));
            assert!(!starter.tables.is_empty(), "{domain} has no tables");
            for table in &starter.tables {
                let t = &table.contract;
                for key in t.primary_key.iter().chain(&t.clustered_by) {
                    assert!(
                        t.field(key).is_some(),
                        "{domain}.{}: no column {key}",
                        table.name
                    );
                }
                for e in &t.quality_expectations {
                    assert!(
                        t.field(&e.column).is_some(),
                        "{domain}.{}: {}",
                        table.name,
                        e.name
                    );
                }
                let pii: Vec<_> = t.pii_fields().map(|f| f.name.as_str()).collect();
                let categorised: Vec<_> = table.pii_categories.keys().map(String::as_str).collect();
                assert_eq!(
                    pii, categorised,
                    "{domain}.{}: PII columns and categories differ",
                    table.name
                );
                assert!(t.partitioned_by.is_empty() || t.clustered_by.is_empty());
            }
        }
    }

    #[test]
    fn marketing_reproduces_the_brief_customers_table() {
        let starter = for_domain("marketing").unwrap();
        let names: Vec<_> = starter.tables.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            ["customers", "customer_metrics", "customer_segments"]
        );
        let customers = &starter.tables[0].contract;
        assert_eq!(customers.schema.fields.len(), 14);
        assert_eq!(customers.quality_expectations.len(), 5);
        let total_orders = customers.field("total_orders").unwrap();
        assert_eq!(
            total_orders.default,
            Some(crate::spec::values::Scalar::Int(0))
        );
        let email = customers.field("email").unwrap();
        assert_eq!(
            email.constraints[0].pattern.as_deref(),
            Some(r"^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}$")
        );
    }
}
