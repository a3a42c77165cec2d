//! The Open Data Contract Standard (ODCS, Bitol): a product's contract as one ODCS document
//! ([`export`]) and a new product from an ODCS document ([`import`]).
//!
//! Standard fields carry what ODCS has a field for (tables, columns, types, keys, partitions,
//! patterns, ranges, enums, quality rules, SLA, support, team, roles, the Databricks server).
//! The rest travels in custom properties named `dpc.<key>` (the spec's key in camel case), on
//! the element it belongs to, so an import restores the spec exactly. Where both say
//! something, the standard field wins.

pub(crate) mod any;
mod any_ser;
pub(crate) mod data_type;
pub mod export;
pub(crate) mod import;
pub(crate) mod types;

use std::fmt;

/// The ODCS version an export follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OdcsVersion {
    /// v3.1.0 (approved 2025-12).
    #[default]
    #[value(name = "3.1")]
    V3_1,
    /// v3.2.0: adds `enum` on columns, `deprecated`, the `map` logical type.
    #[value(name = "3.2")]
    V3_2,
}

impl OdcsVersion {
    pub(crate) fn api_version(self) -> &'static str {
        match self {
            OdcsVersion::V3_1 => "v3.1.0",
            OdcsVersion::V3_2 => "v3.2.0",
        }
    }
}

impl fmt::Display for OdcsVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.api_version())
    }
}

/// Custom property names dpc writes and reads. Spec keys that ODCS has no field for are
/// named generically (`dpc.` + the key in camel case); these are the named ones.
pub(crate) mod prop {
    pub(crate) const PREFIX: &str = "dpc.";
    pub(crate) const TIER: &str = "dpc.tier";
    pub(crate) const SENSITIVITY: &str = "dpc.sensitivity";
    pub(crate) const SLA_LEVEL: &str = "dpc.slaLevel";
    pub(crate) const MASKING_STRATEGY: &str = "dpc.maskingStrategy";
    /// The parts of product.yaml, sla.yaml and governance.yaml that ODCS has no field for.
    pub(crate) const PRODUCT: &str = "dpc.product";
    pub(crate) const SLA: &str = "dpc.sla";
    pub(crate) const GOVERNANCE: &str = "dpc.governance";
    /// On a table.
    pub(crate) const ROW_COUNT: &str = "dpc.rowCount";
    pub(crate) const CATALOG_DESCRIPTION: &str = "dpc.catalogDescription";
    pub(crate) const EXPECTATION_ORDER: &str = "dpc.expectationOrder";
    /// On a column.
    pub(crate) const MASKING: &str = "dpc.masking";
    pub(crate) const UNIQUE_SCOPE: &str = "dpc.uniqueScope";
    pub(crate) const CONSTRAINTS: &str = "dpc.constraints";
    pub(crate) const CONSTRAINT_ORDER: &str = "dpc.constraintOrder";
    /// On a table-level quality rule: the column of an expectation whose column is missing.
    pub(crate) const COLUMN: &str = "dpc.column";
}

/// Support channel ids dpc writes, so an import puts each back where it came from.
pub(crate) mod channel {
    pub(crate) const SUPPORT: &str = "support-slack";
    pub(crate) const OWNER: &str = "owner-slack";
    pub(crate) const ON_CALL: &str = "on-call";
    pub(crate) const ESCALATION: &str = "escalation";
    pub(crate) const DOCUMENTATION: &str = "documentation";
}

#[derive(Debug, thiserror::Error)]
pub enum OdcsError {
    #[error("{file}: not an ODCS document: {message}")]
    Parse { file: String, message: String },
    #[error("{file}: kind '{kind}' is not an ODCS data contract (expected kind: DataContract)")]
    Kind { file: String, kind: String },
    #[error(
        "{file}: apiVersion '{version}' is not supported; dpc imports ODCS v3.0.x, v3.1.x and v3.2.x"
    )]
    Version { file: String, version: String },
    #[error("{0}")]
    Spec(#[from] crate::spec::SpecError),
    /// An answer (from a flag or the document) that dpc refuses.
    #[error("{0}")]
    Input(#[from] crate::input::answers::InputError),
}

/// Reads an ODCS document; `file` names it in errors.
pub(crate) fn parse(file: &str, text: &str) -> Result<types::Contract, OdcsError> {
    // YAML 1.2 booleans only: ODCS writes units such as `y` (years) and `n` unquoted.
    let options = serde_saphyr::options! { strict_booleans: true };
    let doc: types::Contract =
        serde_saphyr::from_str_with_options(text, options).map_err(|e| OdcsError::Parse {
            file: file.to_string(),
            message: e.to_string(),
        })?;
    if !doc.kind.is_empty() && doc.kind != "DataContract" {
        return Err(OdcsError::Kind {
            file: file.to_string(),
            kind: doc.kind,
        });
    }
    let mut parts = doc.api_version.trim_start_matches('v').split('.');
    let supported = parts.next() == Some("3")
        && parts
            .next()
            .is_some_and(|minor| matches!(minor, "0" | "1" | "2"));
    if !supported {
        return Err(OdcsError::Version {
            file: file.to_string(),
            version: doc.api_version,
        });
    }
    Ok(doc)
}
