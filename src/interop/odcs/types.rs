//! The ODCS document (v3.0 to v3.2), typed for what dpc reads and writes. Reading is
//! permissive: every key dpc has no use for lands in an `other` map, which the importer
//! reports as not carried over. Writing leaves out what is unset.

use super::any::Any;
use indexmap::IndexMap;
use serde::{Deserialize, Deserializer, Serialize};

/// Keys dpc does not read, by name, in document order.
pub(crate) type Other = IndexMap<String, Any>;

/// A text field that some writers give as a number (`version: 1.0`).
fn loose<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Any::deserialize(d)?.scalar_text().unwrap_or_default())
}

fn loose_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Any::deserialize(d)?.scalar_text())
}

/// A list that may be written as `null` or left empty (`tags:`).
fn list<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Contract {
    #[serde(deserialize_with = "loose")]
    pub api_version: String,
    #[serde(deserialize_with = "loose")]
    pub kind: String,
    #[serde(deserialize_with = "loose")]
    pub id: String,
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    #[serde(deserialize_with = "loose")]
    pub version: String,
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<String>,
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub domain: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Description>,
    #[serde(deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub servers: Vec<Server>,
    #[serde(deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub schema: Vec<SchemaObject>,
    #[serde(deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub support: Vec<SupportItem>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<TeamField>,
    #[serde(deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<Role>,
    #[serde(deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub sla_properties: Vec<SlaProperty>,
    #[serde(deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub custom_properties: Vec<CustomProperty>,
    #[serde(flatten, skip_serializing_if = "IndexMap::is_empty")]
    pub other: Other,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct Description {
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub purpose: Option<String>,
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub usage: Option<String>,
    #[serde(flatten, skip_serializing_if = "IndexMap::is_empty")]
    pub other: Other,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct Server {
    #[serde(deserialize_with = "loose")]
    pub server: String,
    #[serde(rename = "type", deserialize_with = "loose")]
    pub kind: String,
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub catalog: Option<String>,
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub schema: Option<String>,
    #[serde(flatten, skip_serializing_if = "IndexMap::is_empty")]
    pub other: Other,
}

/// A table (ODCS: a schema object).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct SchemaObject {
    #[serde(deserialize_with = "loose")]
    pub name: String,
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub physical_name: Option<String>,
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub physical_type: Option<String>,
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub logical_type: Option<String>,
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    /// v3.2.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<bool>,
    #[serde(deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<Property>,
    #[serde(deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub quality: Vec<Quality>,
    #[serde(deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub custom_properties: Vec<CustomProperty>,
    #[serde(flatten, skip_serializing_if = "IndexMap::is_empty")]
    pub other: Other,
}

/// A column (ODCS: a property), or the items of an array.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct Property {
    #[serde(deserialize_with = "loose", skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub physical_name: Option<String>,
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub logical_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logical_type_options: Option<IndexMap<String, Any>>,
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub physical_type: Option<String>,
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unique: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_key_position: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partitioned: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partition_key_position: Option<i64>,
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub classification: Option<String>,
    #[serde(deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// v3.2: allowed values.
    #[serde(
        rename = "enum",
        deserialize_with = "list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub enum_values: Vec<EnumValue>,
    /// v3.2.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Box<Property>>,
    #[serde(deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<Property>,
    #[serde(deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub quality: Vec<Quality>,
    #[serde(deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub custom_properties: Vec<CustomProperty>,
    #[serde(flatten, skip_serializing_if = "IndexMap::is_empty")]
    pub other: Other,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct EnumValue {
    pub value: Any,
    #[serde(flatten, skip_serializing_if = "IndexMap::is_empty")]
    pub other: Other,
}

/// A data quality rule.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct Quality {
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    #[serde(
        rename = "type",
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub kind: Option<String>,
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub metric: Option<String>,
    /// Before v3.1 the metric was called `rule`.
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub rule: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arguments: Option<IndexMap<String, Any>>,
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub query: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub must_be: Option<Any>,
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub dimension: Option<String>,
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub severity: Option<String>,
    #[serde(deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub custom_properties: Vec<CustomProperty>,
    #[serde(flatten, skip_serializing_if = "IndexMap::is_empty")]
    pub other: Other,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct SupportItem {
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<String>,
    #[serde(deserialize_with = "loose")]
    pub channel: String,
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub url: Option<String>,
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub tool: Option<String>,
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub scope: Option<String>,
    #[serde(flatten, skip_serializing_if = "IndexMap::is_empty")]
    pub other: Other,
}

/// `team`: an object with members since v3.1, a bare list of members before.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub(crate) enum TeamField {
    Team(Team),
    Members(Vec<TeamMember>),
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct Team {
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    #[serde(deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<TeamMember>,
    #[serde(flatten, skip_serializing_if = "IndexMap::is_empty")]
    pub other: Other,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct TeamMember {
    #[serde(deserialize_with = "loose")]
    pub username: String,
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub role: Option<String>,
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    #[serde(flatten, skip_serializing_if = "IndexMap::is_empty")]
    pub other: Other,
}

/// Access to the data, granted to a role (dpc: an approved consumer).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct Role {
    #[serde(deserialize_with = "loose")]
    pub role: String,
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub access: Option<String>,
    #[serde(deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub custom_properties: Vec<CustomProperty>,
    #[serde(flatten, skip_serializing_if = "IndexMap::is_empty")]
    pub other: Other,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct SlaProperty {
    #[serde(deserialize_with = "loose")]
    pub property: String,
    /// Required by the schema, even when null.
    pub value: Any,
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub unit: Option<String>,
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub element: Option<String>,
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    #[serde(flatten, skip_serializing_if = "IndexMap::is_empty")]
    pub other: Other,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct CustomProperty {
    #[serde(deserialize_with = "loose")]
    pub property: String,
    pub value: Any,
    #[serde(
        deserialize_with = "loose_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    #[serde(flatten, skip_serializing_if = "IndexMap::is_empty")]
    pub other: Other,
}

impl CustomProperty {
    pub(crate) fn new(property: impl Into<String>, value: Any) -> Self {
        CustomProperty {
            property: property.into(),
            value,
            ..CustomProperty::default()
        }
    }
}
