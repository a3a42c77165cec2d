//! `governance.yaml`: classification, PII, masking, access policy, consumers, approvals,
//! audit, compliance and retention.

use super::values::{Sensitivity, vocabulary};
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Governance {
    pub governance_version: String,
    pub classification: Classification,
    pub pii_fields: Vec<PiiField>,
    pub masking: Masking,
    pub access_policy: AccessPolicy,
    pub approved_consumers: Vec<Consumer>,
    pub approval_workflow: ApprovalWorkflow,
    pub audit: Audit,
    pub compliance: Vec<Compliance>,
    pub retention: Retention,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Classification {
    pub sensitivity: Sensitivity,
    pub contains_pii: bool,
    pub certified: bool,
    /// Unity Catalog tags set on every table of the product.
    pub table_tags: IndexMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PiiField {
    pub table: String,
    pub column: String,
    /// What kind of personal data it is; becomes the value of the column's `pii` tag.
    pub category: String,
}

vocabulary!(
    /// How PII is hidden: Unity Catalog column masks, or a masked dynamic view.
    MaskingStrategy { ColumnMask => "column_mask", MaskedView => "masked_view" }
);
vocabulary!(
    /// What a reader outside the unmask groups sees.
    MaskMethod {
        PartialEmail => "partial_email",
        Redact => "redact",
        Last4 => "last4",
        Truncate => "truncate",
        Nullify => "nullify"
    }
);
vocabulary!(
    /// Kind of Unity Catalog principal.
    PrincipalType { Group => "group", ServicePrincipal => "service_principal", User => "user" }
);
vocabulary!(
    /// Who may read by default.
    DefaultAccess { Deny => "DENY", ApprovedConsumers => "APPROVED_CONSUMERS", AccountUsers => "ACCOUNT_USERS" }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Masking {
    pub strategy: MaskingStrategy,
    pub rules: Vec<MaskRule>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MaskRule {
    pub table: String,
    pub column: String,
    pub method: MaskMethod,
    /// Account groups that see clear values; everyone else sees the masked value.
    pub unmask_groups: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessPolicy {
    pub default_access: DefaultAccess,
    /// The account group that owns every object (`ALTER ... SET OWNER TO`).
    pub owner_group: String,
    pub row_filter: bool,
    pub external_sharing: bool,
    /// Application ID of the service principal the product's job runs as (its quality
    /// checks included). Every mask and row filter admits it, so the checks see real values;
    /// without it they admit the owner group, whose member deploys and runs the job.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality_identity: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Consumer {
    /// The principal's name: a group or user, or a service principal's display name (a label).
    pub principal: String,
    pub principal_type: PrincipalType,
    /// A service principal's application ID (a UUID): Unity Catalog names service principals
    /// by it in GRANT, REVOKE and SET OWNER. Without it no grant is written for the consumer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_id: Option<String>,
    pub permission: String,
    /// Tables granted; empty means every table of the product.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tables: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    /// Last day of the grant (YYYY-MM-DD); required for restricted data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// Email of whoever approved the grant; required where the sensitivity requires approval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
    /// Day the grant was approved (YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_date: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovalWorkflow {
    pub required: bool,
    pub workflow: String,
    pub justification_required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_grant_days: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Audit {
    pub enabled: bool,
    pub log_source: String,
    pub review_frequency: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Retention {
    pub period: String,
    pub deleted_file_retention: String,
    pub log_retention: String,
}

/// A regulatory regime the product is handled under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Compliance {
    Gdpr,
    Ccpa,
    Sox,
    Hipaa,
    PciDss,
}

impl Compliance {
    pub(crate) const ALL: &'static [Compliance] = &[
        Compliance::Gdpr,
        Compliance::Ccpa,
        Compliance::Sox,
        Compliance::Hipaa,
        Compliance::PciDss,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Compliance::Gdpr => "GDPR",
            Compliance::Ccpa => "CCPA",
            Compliance::Sox => "SOX",
            Compliance::Hipaa => "HIPAA",
            Compliance::PciDss => "PCI-DSS",
        }
    }
}

impl fmt::Display for Compliance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Compliance {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Compliance::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("'{s}' is not one of: GDPR, CCPA, SOX, HIPAA, PCI-DSS"))
    }
}

impl Serialize for Compliance {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Compliance {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}
