//! `contract.yaml`: the data contract (tables, fields, constraints, expectations, versioning).

use super::data_type::DataType;
use super::values::{Scalar, Severity};
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contract {
    /// Semantic version of the contract; its major version names the DDL files (`_v1.sql`).
    pub contract_version: String,
    pub schema_version: String,
    pub last_updated: String,
    /// The product's tables, by Unity Catalog table name.
    pub tables: IndexMap<String, Table>,
    pub versioning: Versioning,
    pub backward_compatibility: BackwardCompatibility,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Table {
    pub description: String,
    pub schema: TableSchema,
    /// Primary key columns (an informational `PRIMARY KEY`, never enforced).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub primary_key: Vec<String>,
    /// The producer guarantees the primary key is unique, so queries may rely on it
    /// (`PRIMARY KEY ... RELY`); otherwise the key is `NORELY`, because relying on a key the
    /// data does not satisfy gives wrong query results.
    #[serde(default, skip_serializing_if = "is_false")]
    pub primary_key_guaranteed: bool,
    /// Partition columns; not together with `clustered_by`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partitioned_by: Vec<String>,
    /// Liquid clustering columns (`CLUSTER BY`); not together with `partitioned_by`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clustered_by: Vec<String>,
    /// Data quality rules, rendered as Lakeflow expectations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quality_expectations: Vec<Expectation>,
    /// Set when the table is on its way out; `dpc diff` allows removing it only after the
    /// contract's notice period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<Deprecation>,
}

/// A deprecation notice on a table or column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Deprecation {
    /// The date consumers were told (YYYY-MM-DD).
    pub since: String,
    /// What to use instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replacement: Option<String>,
}

impl Table {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.schema.fields.iter().find(|f| f.name == name)
    }

    pub(crate) fn pii_fields(&self) -> impl Iterator<Item = &Field> {
        self.schema.fields.iter().filter(|f| f.pii)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub name: String,
    /// Databricks column type.
    #[serde(rename = "type")]
    pub data_type: DataType,
    /// Whether the column may hold NULL (default true).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub nullable: bool,
    pub description: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub primary_key: bool,
    /// Personal data: tagged and masked (default false).
    #[serde(default, skip_serializing_if = "is_false")]
    pub pii: bool,
    /// Shown masked in the masked view (the brief's `masked_view: true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub masked_view: Option<bool>,
    /// Column default (`DEFAULT` in the DDL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Scalar>,
    /// Enforced as CHECK constraints where Databricks can.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<Constraint>,
    /// Set when the column is on its way out (see `Table::deprecated`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<Deprecation>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConstraintKind {
    Format,
    Unique,
    Range,
    Enum,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Constraint {
    #[serde(rename = "type")]
    pub kind: ConstraintKind,
    /// Regular expression for `format`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Scalar>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Scalar>,
    /// Allowed values for `enum`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExpectationKind {
    NotNull,
    Unique,
    Regex,
    InSet,
    Range,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    /// Unique within the table; names the Lakeflow expectation.
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
    /// `critical` drops the row (fails the pipeline on platinum products); others warn.
    pub severity: Severity,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Versioning {
    pub strategy: String,
    pub breaking_changes: Vec<String>,
    pub non_breaking_changes: Vec<String>,
    pub deprecation_policy: DeprecationPolicy,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeprecationPolicy {
    pub notice_period_days: u32,
    pub support_period_days: u32,
    pub communication_channels: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BackwardCompatibility {
    pub guaranteed_versions: u32,
    pub migration_scripts_provided: bool,
    pub dual_running_period_days: u32,
}

/// The business timestamp freshness is measured on: `updated_at`, else the last timestamp,
/// else the last date column.
pub(crate) fn freshness_column(table: &Table) -> Option<&str> {
    let fields = &table.schema.fields;
    fields
        .iter()
        .find(|f| f.name == "updated_at" && f.data_type.is_temporal())
        .or_else(|| {
            fields
                .iter()
                .rev()
                .find(|f| matches!(f.data_type, DataType::Timestamp | DataType::TimestampNtz))
        })
        .or_else(|| fields.iter().rev().find(|f| f.data_type == DataType::Date))
        .map(|f| f.name.as_str())
}
