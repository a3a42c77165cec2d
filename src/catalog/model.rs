//! What the catalog shows of one product, computed from its spec (and the access matrix
//! `dpc access` computes from the same spec): its index entry, column facts, status and
//! lineage. Pages only lay these out.

use crate::access::Matrix;
use crate::access::matrix::{Role, Via};
use crate::spec::ProductSpec;
use crate::spec::contract::Table;
use crate::spec::keys;

/// One product as the catalog reads it.
pub struct Product {
    pub spec: ProductSpec,
    pub matrix: Matrix,
    /// The product folder, shown as where the spec lives.
    pub source: String,
    /// `docs/changelog.md`, when the product has one.
    pub changelog: Option<String>,
    /// The contract as an ODCS document (`dpc export odcs`).
    pub odcs: String,
    /// The four spec files as read, copied into the site.
    pub spec_files: Vec<(&'static str, String)>,
}

/// The facts the index lists and filters on, owned so pages can be built one at a time.
#[derive(Debug, Clone)]
pub struct Entry {
    pub slug: String,
    pub name: String,
    pub display_name: String,
    pub summary: String,
    pub domain: String,
    pub tier: String,
    pub sensitivity: String,
    pub owner: String,
    pub tags: Vec<String>,
    pub version: String,
    pub sla_level: String,
    pub status: &'static str,
    pub tables: usize,
}

/// One column as the product page lists it.
pub(crate) struct Column<'a> {
    pub name: &'a str,
    pub data_type: String,
    pub nullable: bool,
    /// The PII category (governance.yaml), or `pii` when only the contract flags it.
    pub pii: Option<String>,
    /// How a reader outside the unmask groups sees it.
    pub masking: Option<String>,
    pub description: &'a str,
}

/// Data sources → tables → consumers, and the references between tables.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Lineage {
    pub sources: Vec<String>,
    pub tables: Vec<String>,
    pub consumers: Vec<String>,
    /// (table, consumer) indices: the consumer reads the table.
    pub reads: Vec<(usize, usize)>,
    /// (table, parent table, `column → parent_column`): a column holds the parent's key.
    pub references: Vec<(usize, usize, String)>,
}

/// A name safe as a folder name in the site: product names are kebab-case once checked;
/// anything else is replaced so a name can never climb out of `products/`.
pub(crate) fn slug(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() { "_".to_string() } else { s }
}

impl Product {
    pub(crate) fn slug(&self) -> String {
        slug(self.spec.name())
    }

    /// `deprecated` when every table is on its way out, `certified` for a certified
    /// product, else `active`.
    pub(crate) fn status(&self) -> &'static str {
        let tables = &self.spec.contract.tables;
        if !tables.is_empty() && tables.values().all(|t| t.deprecated.is_some()) {
            "deprecated"
        } else if self.spec.governance.classification.certified {
            "certified"
        } else {
            "active"
        }
    }

    pub fn entry(&self) -> Entry {
        let meta = &self.spec.product.product_metadata;
        // The first sentence (line breaks are the YAML's wrapping), at most 160 characters.
        let words: Vec<&str> = self.spec.product.description.split_whitespace().collect();
        let text = words.join(" ");
        let first = match text.find(". ") {
            Some(end) => &text[..=end],
            None => &text,
        };
        Entry {
            slug: self.slug(),
            name: meta.name.clone(),
            display_name: meta.display_name.clone(),
            summary: super::html::shorten(first, 160),
            domain: meta.domain.clone(),
            tier: meta.tier.to_string(),
            sensitivity: self.spec.governance.classification.sensitivity.to_string(),
            owner: meta.owner.email.clone(),
            tags: self
                .spec
                .product
                .tags
                .iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect(),
            version: meta.version.clone(),
            sla_level: self.spec.sla.level.to_string(),
            status: self.status(),
            tables: self.spec.contract.tables.len(),
        }
    }

    /// The columns of `table` with their PII category and masking.
    pub(crate) fn columns<'a>(&'a self, name: &str, table: &'a Table) -> Vec<Column<'a>> {
        let gov = &self.spec.governance;
        let view = gov.masking.strategy == crate::spec::governance::MaskingStrategy::MaskedView;
        table
            .schema
            .fields
            .iter()
            .map(|f| {
                let category = gov
                    .pii_fields
                    .iter()
                    .find(|p| p.table == name && p.column == f.name)
                    .map(|p| p.category.clone());
                let rule = gov
                    .masking
                    .rules
                    .iter()
                    .find(|r| r.table == name && r.column == f.name);
                let masking = rule.map(|r| {
                    let how = if view {
                        "in the masked view"
                    } else {
                        "column mask"
                    };
                    let clear = if r.unmask_groups.is_empty() {
                        "nobody".to_string()
                    } else {
                        r.unmask_groups.join(", ")
                    };
                    format!("{} ({how}); clear for {clear}", r.method)
                });
                Column {
                    name: &f.name,
                    data_type: f.data_type.to_string(),
                    nullable: f.nullable,
                    pii: category.or_else(|| f.pii.then(|| "pii".to_string())),
                    masking,
                    description: &f.description,
                }
            })
            .collect()
    }

    /// Sources feed every table (the manifest does not say which feeds which); consumers
    /// read the tables the access matrix says they reach; references come from the keys.
    pub(crate) fn lineage(&self) -> Lineage {
        let spec = &self.spec;
        let tables: Vec<String> = spec.contract.tables.keys().cloned().collect();
        let index = |t: &str| tables.iter().position(|n| n == t);
        let consumers: Vec<String> = self
            .matrix
            .principals
            .iter()
            .filter(|p| {
                !matches!(
                    p.role,
                    Role::Owner | Role::UnmaskOnly | Role::QualityIdentity
                )
            })
            .map(|p| p.name.clone())
            .collect();
        let mut reads = Vec::new();
        for t in &self.matrix.tables {
            let Some(ti) = index(&t.table) else { continue };
            for r in t.readers.iter().filter(|r| r.via != Via::None) {
                if let Some(ci) = consumers.iter().position(|c| *c == r.principal) {
                    reads.push((ti, ci));
                }
            }
        }
        let references = keys::references(&spec.contract)
            .into_iter()
            .filter_map(|r| {
                Some((
                    index(&r.table)?,
                    index(&r.parent_table)?,
                    format!("{} → {}", r.column, r.parent_column),
                ))
            })
            .collect();
        Lineage {
            sources: spec
                .product
                .data_sources
                .iter()
                .map(|s| format!("{} ({})", s.name, s.system))
                .collect(),
            tables,
            consumers,
            reads,
            references,
        }
    }
}
