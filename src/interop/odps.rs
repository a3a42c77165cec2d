//! The Open Data Product Standard (ODPS v1.0, Bitol): the product manifest as an ODPS
//! document whose output port points at the ODCS contract `dpc export odcs` writes.

use crate::interop::odcs::any::{Any, to_any};
use crate::interop::odcs::export::contract_id;
use crate::spec::{ProductSpec, SpecError};
use serde::Serialize;

pub(crate) const API_VERSION: &str = "v1.0.0";

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DataProduct {
    pub api_version: String,
    pub kind: String,
    pub id: String,
    pub name: String,
    pub version: String,
    pub status: String,
    pub domain: String,
    pub description: Description,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    pub output_ports: Vec<OutputPort>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub support: Vec<Support>,
    pub team: Team,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_created_ts: Option<String>,
    pub custom_properties: Vec<CustomProperty>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Description {
    pub purpose: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OutputPort {
    pub name: String,
    pub description: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub version: String,
    pub contract_id: String,
    pub custom_properties: Vec<CustomProperty>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Support {
    pub channel: String,
    pub url: String,
    pub description: String,
    pub tool: String,
    pub scope: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Team {
    pub name: String,
    pub members: Vec<TeamMember>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TeamMember {
    pub username: String,
    pub role: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct CustomProperty {
    pub property: String,
    pub value: Any,
}

fn custom(property: &str, value: Any) -> CustomProperty {
    CustomProperty {
        property: property.to_string(),
        value,
    }
}

/// Slack's link that opens a channel by name in the reader's workspace (ODPS wants a URL).
fn slack_url(channel: &str) -> String {
    format!(
        "https://slack.com/app_redirect?channel={}",
        channel.trim_start_matches('#')
    )
}

pub(crate) fn document(spec: &ProductSpec) -> Result<DataProduct, SpecError> {
    let p = &spec.product;
    let meta = &p.product_metadata;
    let text = |s: &dyn std::fmt::Display| Any::text(s.to_string());
    let mut support = Vec::new();
    for (channel, description, scope) in [
        (
            &p.support.slack_channel,
            "Questions about the data product",
            "interactive",
        ),
        (
            &meta.owner.slack_channel,
            "The owning team's channel",
            "announcements",
        ),
    ] {
        if !channel.trim().is_empty() {
            support.push(Support {
                channel: channel.clone(),
                url: slack_url(channel),
                description: description.into(),
                tool: "slack".into(),
                scope: scope.into(),
            });
        }
    }
    if crate::spec::name::check_email(&p.support.escalation_contact).is_ok() {
        support.push(Support {
            channel: p.support.escalation_contact.clone(),
            url: format!("mailto:{}", p.support.escalation_contact),
            description: "Escalation contact".into(),
            tool: "email".into(),
            scope: "issues".into(),
        });
    }
    let tables: Vec<Any> = spec.contract.tables.keys().map(Any::text).collect();
    Ok(DataProduct {
        api_version: API_VERSION.into(),
        kind: "DataProduct".into(),
        id: meta.name.clone(),
        name: meta.display_name.clone(),
        version: meta.version.clone(),
        status: "active".into(),
        domain: meta.domain.clone(),
        description: Description {
            purpose: p.description.clone(),
            usage: (!p.use_cases.is_empty()).then(|| p.use_cases.join("\n")),
        },
        tags: p.tags.iter().map(|(k, v)| format!("{k}:{v}")).collect(),
        output_ports: vec![OutputPort {
            name: format!("{}.{}", spec.catalog(), spec.schema()),
            description: format!(
                "The product's tables in Unity Catalog schema {}.{}",
                spec.catalog(),
                spec.schema()
            ),
            kind: "tables".into(),
            version: spec.contract.contract_version.clone(),
            contract_id: contract_id(spec),
            custom_properties: vec![
                custom("dpc.catalog", Any::text(spec.catalog())),
                custom("dpc.schema", Any::text(spec.schema())),
                custom("dpc.tables", Any::List(tables)),
            ],
        }],
        support,
        team: Team {
            name: meta.owner.name.clone(),
            members: vec![TeamMember {
                username: meta.owner.email.clone(),
                role: "owner".into(),
            }],
        },
        product_created_ts: crate::lang::date::is_iso_date(&meta.created_date)
            .then(|| format!("{}T00:00:00Z", meta.created_date)),
        custom_properties: vec![
            custom("dpc.name", Any::text(&meta.name)),
            custom("dpc.tier", text(&meta.tier)),
            custom("dpc.sensitivity", text(&p.data_classification.sensitivity)),
            custom("dpc.slaLevel", text(&spec.sla.level)),
            custom("dpc.createdDate", Any::text(&meta.created_date)),
            custom("dpc.lastUpdated", Any::text(&meta.last_updated)),
            custom("dpc.dataSources", to_any(&p.data_sources)?),
            custom("dpc.sla", to_any(&p.sla)?),
            custom("dpc.accessControl", to_any(&p.access_control)?),
        ],
    })
}

/// The document as YAML, with a header saying where it came from.
pub fn to_text(spec: &ProductSpec) -> Result<String, SpecError> {
    let body = crate::spec::to_yaml("ODPS product", &document(spec)?)?;
    Ok(format!(
        "# ODPS {API_VERSION} data product {}, exported by dpc. Its output port's contractId is the\n# id of the contract `dpc export odcs` writes.\n{body}",
        spec.name()
    ))
}
