//! `contract.yaml`: the data contract (tables, fields, constraints, expectations, versioning).

use super::data_type::DataType;
use super::values::{Scalar, Severity};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contract {
    pub contract_version: String,
    pub schema_version: String,
    pub last_updated: String,
    pub tables: IndexMap<String, Table>,
    pub versioning: Versioning,
    pub backward_compatibility: BackwardCompatibility,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    pub description: String,
    pub schema: TableSchema,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub primary_key: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partitioned_by: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clustered_by: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quality_expectations: Vec<Expectation>,
}

impl Table {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.schema.fields.iter().find(|f| f.name == name)
    }

    pub fn pii_fields(&self) -> impl Iterator<Item = &Field> {
        self.schema.fields.iter().filter(|f| f.pii)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableSchema {
    pub fields: Vec<Field>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub name: String,
    #[serde(rename = "type")]
    pub data_type: DataType,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub nullable: bool,
    pub description: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub primary_key: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub pii: bool,
    /// Shown masked in the masked view (the brief's `masked_view: true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub masked_view: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Scalar>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<Constraint>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConstraintKind {
    Format,
    Unique,
    Range,
    Enum,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Constraint {
    #[serde(rename = "type")]
    pub kind: ConstraintKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Scalar>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Scalar>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpectationKind {
    NotNull,
    Unique,
    Regex,
    InSet,
    Range,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: ExpectationKind,
    pub column: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Scalar>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Scalar>,
    pub severity: Severity,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Versioning {
    pub strategy: String,
    pub breaking_changes: Vec<String>,
    pub non_breaking_changes: Vec<String>,
    pub deprecation_policy: DeprecationPolicy,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeprecationPolicy {
    pub notice_period_days: u32,
    pub support_period_days: u32,
    pub communication_channels: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackwardCompatibility {
    pub guaranteed_versions: u32,
    pub migration_scripts_provided: bool,
    pub dual_running_period_days: u32,
}
