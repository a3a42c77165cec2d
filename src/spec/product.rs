//! `product.yaml`: the product manifest (the brief's "Product Manifest").

use super::values::{Percent, Sensitivity, Tier};
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductManifest {
    pub product_metadata: ProductMetadata,
    pub description: String,
    pub use_cases: Vec<String>,
    pub data_sources: Vec<DataSource>,
    pub catalog_location: CatalogLocation,
    pub sla: SlaSummary,
    pub data_classification: DataClassification,
    pub quality_metrics: QualityMetrics,
    pub access_control: AccessControl,
    pub monitoring: MonitoringSummary,
    pub support: Support,
    pub tags: IndexMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductMetadata {
    pub name: String,
    pub display_name: String,
    pub version: String,
    pub domain: String,
    pub tier: Tier,
    pub owner: Owner,
    pub created_date: String,
    pub last_updated: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Owner {
    pub name: String,
    pub email: String,
    pub slack_channel: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataSource {
    pub name: String,
    #[serde(rename = "type")]
    pub system: String,
    pub frequency: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogLocation {
    pub catalog: String,
    pub schema: String,
    pub tables: Vec<CatalogTable>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogTable {
    pub name: String,
    pub description: String,
    pub row_count: String,
    pub update_frequency: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SlaSummary {
    pub freshness: Target,
    pub quality: Target,
    pub availability: Target,
    pub performance: Target,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub target: String,
    pub measurement: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataClassification {
    pub sensitivity: Sensitivity,
    pub contains_pii: bool,
    pub pii_fields: Vec<String>,
    pub compliance: Vec<String>,
    pub retention_period: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QualityMetrics {
    pub completeness: Completeness,
    pub accuracy: Accuracy,
    pub consistency: Consistency,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Completeness {
    pub critical_fields: Vec<String>,
    pub target: Percent,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Accuracy {
    pub validation_rules: u32,
    pub target: Percent,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Consistency {
    pub cross_table_checks: u32,
    pub target: Percent,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessControl {
    pub default_access: String,
    pub approved_consumers: Vec<ConsumerGrant>,
    pub approval_required: bool,
    pub approval_workflow: String,
}

/// One line of `approved_consumers`: exactly one of `group`, `service_principal` or `user`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsumerGrant {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_principal: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    pub permission: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MonitoringSummary {
    pub enabled: bool,
    pub dashboards: Vec<String>,
    pub alerts: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Support {
    pub documentation_url: String,
    pub slack_channel: String,
    pub on_call_rotation: String,
    pub escalation_contact: String,
}
