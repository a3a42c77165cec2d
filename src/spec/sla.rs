//! `sla.yaml`: freshness, quality, availability, performance and support commitments.

use super::values::{Duration, Percent, Severity, SlaLevel};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The SLA's quality metric ("percentage of records passing all quality checks") as every
/// engine computes it: `dpc test` (`data::report`), `validation_rules.quality_score` and
/// `quality/run_checks.py` (their `QUALITY_SCORE_DEFINITION` is this text).
pub(crate) const QUALITY_SCORE_DEFINITION: &str = "percentage of rows passing every rule; a row fails a table-level rule when it breaks it: it shares a unique or primary key with another row, holds a value that does not parse as its column's type, or is a malformed record";

fn medium() -> SlaLevel {
    SlaLevel::Medium
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sla {
    pub sla_version: String,
    /// The level the defaults came from (`critical`, `high`, `medium`, `low`); the brief's
    /// sla.yaml predates it, so it defaults to medium.
    #[serde(default = "medium")]
    pub level: SlaLevel,
    pub effective_date: String,
    pub review_frequency: String,
    pub freshness: Freshness,
    pub quality: Quality,
    pub availability: Availability,
    pub performance: Performance,
    pub support: SupportLevels,
    pub monitoring: Monitoring,
    pub consequences: Consequences,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Freshness {
    pub description: String,
    pub metrics: Vec<FreshnessMetric>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FreshnessMetric {
    pub table: String,
    pub target_latency: Duration,
    pub measurement_method: String,
    pub breach_threshold: Duration,
    pub measurement_frequency: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Quality {
    pub description: String,
    pub metrics: Vec<QualityMetric>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QualityMetric {
    pub name: String,
    pub target: Percent,
    pub measurement: String,
    pub breach_threshold: Percent,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Availability {
    pub description: String,
    pub target: Percent,
    pub measurement: String,
    pub measurement_window: String,
    pub planned_maintenance: PlannedMaintenance,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlannedMaintenance {
    pub window: String,
    pub notification_period: String,
    pub max_frequency: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Performance {
    pub description: String,
    pub metrics: Vec<PerformanceMetric>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PerformanceMetric {
    pub query_type: String,
    pub target_latency_p95: String,
    pub target_latency_p99: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SupportLevels {
    pub description: String,
    pub levels: Vec<SupportLevel>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SupportLevel {
    pub severity: Severity,
    pub description: String,
    pub response_time: String,
    pub resolution_target: String,
    pub communication: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Monitoring {
    pub dashboards: Vec<Dashboard>,
    pub alerts: Vec<Alert>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dashboard {
    pub name: String,
    pub url: String,
    pub refresh_frequency: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Alert {
    pub name: String,
    pub condition: String,
    pub severity: Severity,
    pub notification_channels: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Consequences {
    pub sla_breach: BreachResponse,
    pub repeated_breaches: RepeatedBreaches,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BreachResponse {
    pub reporting: String,
    pub review: String,
    pub improvement_plan: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RepeatedBreaches {
    pub threshold: String,
    pub action: String,
}
