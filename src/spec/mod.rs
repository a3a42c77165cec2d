//! The typed product spec and its one loader. Every command reads the four spec files
//! through [`load::load`] (or [`ProductSpec::load`], which reports a broken spec the same
//! way); nothing else reads them from disk.

pub mod contract;
pub(crate) mod contract_sql;
pub(crate) mod data_type;
pub mod governance;
pub(crate) mod keys;
pub(crate) mod load;
pub(crate) mod name;
pub(crate) mod policy;
pub(crate) mod product;
pub(crate) mod rule_id;
pub(crate) mod schema;
pub mod settings;
pub(crate) mod sla;
pub mod values;
pub(crate) mod yaml_error;

use serde::{Serialize, de::DeserializeOwned};
use std::path::{Path, PathBuf};

pub use contract::Contract;
pub use governance::Governance;
pub use product::ProductManifest;
pub use sla::Sla;

pub(crate) const PRODUCT_FILE: &str = "product.yaml";
pub(crate) const CONTRACT_FILE: &str = "contract.yaml";
pub(crate) const SLA_FILE: &str = "sla.yaml";
pub(crate) const GOVERNANCE_FILE: &str = "governance.yaml";
/// The source of truth; every other file of a product derives from these.
pub const SPEC_FILES: [&str; 4] = [PRODUCT_FILE, CONTRACT_FILE, SLA_FILE, GOVERNANCE_FILE];

/// A whole data product: the four spec files, typed, and the platform settings it deploys
/// with (`dpc.yaml` beside the products; defaults without one).
#[derive(Debug, Clone, PartialEq)]
pub struct ProductSpec {
    pub product: ProductManifest,
    pub contract: Contract,
    pub sla: Sla,
    pub governance: Governance,
    pub settings: settings::Settings,
}

#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error("{}: not a data product (no {PRODUCT_FILE})", dir.display())]
    NotAProduct { dir: PathBuf },
    /// The spec files could not be read or parsed; `report` is what `dpc validate` prints
    /// for them (file, line, column, source line, help).
    #[error("the spec of {} cannot be read:\n\n{}", dir.display(), report.trim_end())]
    Invalid { dir: PathBuf, report: String },
    #[error("{file}: {message}")]
    Parse { file: String, message: String },
    #[error("cannot write {file} as YAML: {message}")]
    Serialize { file: String, message: String },
}

impl ProductSpec {
    /// Reads and parses the four spec files of the product in `dir` through the one loader;
    /// a spec that cannot be read is reported exactly as `dpc validate` reports it.
    pub fn load(dir: &Path) -> Result<Self, SpecError> {
        if !dir.join(PRODUCT_FILE).is_file() {
            return Err(SpecError::NotAProduct {
                dir: dir.to_path_buf(),
            });
        }
        let mut loaded = load::load(dir);
        match loaded.spec.take() {
            Some(spec) => Ok(spec),
            None => Err(SpecError::Invalid {
                dir: dir.to_path_buf(),
                report: loaded.report(dir, &loaded.diagnostics),
            }),
        }
    }

    /// Parses the four spec texts, in [`SPEC_FILES`] order; `origin` prefixes file names in errors.
    pub fn parse(origin: &str, texts: [&str; 4]) -> Result<Self, SpecError> {
        let label = |file: &str| {
            if origin.is_empty() {
                file.to_string()
            } else {
                format!("{}/{file}", origin.trim_end_matches('/'))
            }
        };
        Ok(ProductSpec {
            product: parse_yaml(&label(PRODUCT_FILE), texts[0])?,
            contract: parse_yaml(&label(CONTRACT_FILE), texts[1])?,
            sla: parse_yaml(&label(SLA_FILE), texts[2])?,
            governance: parse_yaml(&label(GOVERNANCE_FILE), texts[3])?,
            settings: settings::Settings::default(),
        })
    }

    /// The four spec files as YAML, in [`SPEC_FILES`] order.
    pub fn to_yaml(&self) -> Result<[String; 4], SpecError> {
        Ok([
            to_yaml(PRODUCT_FILE, &self.product)?,
            to_yaml(CONTRACT_FILE, &self.contract)?,
            to_yaml(SLA_FILE, &self.sla)?,
            to_yaml(GOVERNANCE_FILE, &self.governance)?,
        ])
    }

    /// The same product deployed with `settings`.
    pub(crate) fn with_settings(mut self, settings: settings::Settings) -> Self {
        self.settings = settings;
        self
    }

    pub(crate) fn name(&self) -> &str {
        &self.product.product_metadata.name
    }

    pub fn catalog(&self) -> &str {
        &self.product.catalog_location.catalog
    }

    pub fn schema(&self) -> &str {
        &self.product.catalog_location.schema
    }

    /// The major version of the contract, used in DDL file names (`customers_v1.sql`).
    pub fn major_version(&self) -> &str {
        self.contract
            .contract_version
            .split('.')
            .next()
            .unwrap_or("1")
    }
}

pub fn parse_yaml<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, SpecError> {
    // The same words as `validate`: position, key path, what is allowed; never the
    // reader's own snippet or internals.
    serde_saphyr::from_str(text).map_err(|e| {
        let d = crate::spec::load::explained(file, text, &e);
        let at = match (d.line, d.column) {
            (Some(l), Some(c)) => format!("line {l} column {c}: "),
            _ => String::new(),
        };
        let key = d.path.map(|p| format!("{p}: ")).unwrap_or_default();
        let help = d.help.map(|h| format!(" ({h})")).unwrap_or_default();
        SpecError::Parse {
            file: file.to_string(),
            message: format!("{at}{key}{}{help}", d.message),
        }
    })
}

/// Serializes with the writer that quotes every ambiguous scalar (`yes`, `2024-01-01`, `~`),
/// so YAML 1.1 readers such as PyYAML read back the same strings.
pub fn to_yaml<T: Serialize>(file: &str, value: &T) -> Result<String, SpecError> {
    let mut options = serde_saphyr::SerializerOptions::default();
    // Long lines stay on one line: folding would reflow user text.
    options.folded_wrap_chars = usize::MAX;
    options.compact_list_indent = false;
    serde_saphyr::to_string_with_options(value, options).map_err(|e| SpecError::Serialize {
        file: file.to_string(),
        message: e.to_string(),
    })
}
