//! A product's spec → one ODCS document (see the module docs of [`crate::interop::odcs`] for what goes
//! where). Pure: spec in, document out.

use super::any::{Any, camel, to_any, to_any_without};
use super::types::*;
use super::{OdcsError, OdcsVersion, channel, data_type, prop};
use crate::lang::escape::sql_qualified;
use crate::spec::ProductSpec;
use crate::spec::contract::{
    Constraint, ConstraintKind, Expectation, ExpectationKind, Field, Table,
};
use crate::spec::data_type::DataType;
use crate::spec::values::{Duration, Scalar, TimeUnit};
use indexmap::IndexMap;
use serde::Serialize;

/// The document's `id`, which the ODPS export's output port points at.
pub(crate) fn contract_id(spec: &ProductSpec) -> String {
    format!("{}-contract", spec.name())
}

/// The document as YAML, with a header saying where it came from.
pub fn to_text(spec: &ProductSpec, version: OdcsVersion) -> Result<String, OdcsError> {
    let doc = document(spec, version)?;
    let body = crate::spec::to_yaml("ODCS contract", &doc)?;
    Ok(format!(
        "# ODCS {} data contract of data product {}, exported by dpc.\n# Custom properties named dpc.* hold what ODCS has no field for; `dpc import odcs` restores the product from them.\n{body}",
        version.api_version(),
        spec.name()
    ))
}

pub(crate) fn document(spec: &ProductSpec, version: OdcsVersion) -> Result<Contract, OdcsError> {
    let product = &spec.product;
    let meta = &product.product_metadata;
    let schema = spec
        .contract
        .tables
        .iter()
        .map(|(name, table)| schema_object(spec, name, table, version))
        .collect::<Result<Vec<_>, OdcsError>>()?;
    Ok(Contract {
        api_version: version.api_version().into(),
        kind: "DataContract".into(),
        id: contract_id(spec),
        name: Some(meta.name.clone()),
        version: spec.contract.contract_version.clone(),
        status: Some("active".into()),
        domain: Some(meta.domain.clone()),
        description: Some(Description {
            purpose: Some(product.description.clone()),
            usage: (!product.use_cases.is_empty()).then(|| product.use_cases.join("\n")),
            other: IndexMap::new(),
        }),
        tags: product
            .tags
            .iter()
            .map(|(k, v)| format!("{k}:{v}"))
            .collect(),
        servers: vec![Server {
            server: "databricks".into(),
            kind: "databricks".into(),
            catalog: Some(spec.catalog().to_string()),
            schema: Some(spec.schema().to_string()),
            other: IndexMap::new(),
        }],
        schema,
        support: support(spec),
        team: Some(TeamField::Team(Team {
            name: Some(meta.owner.name.clone()),
            description: Some(format!("Owns data product {}", meta.name)),
            members: vec![TeamMember {
                username: meta.owner.email.clone(),
                role: Some("owner".into()),
                ..TeamMember::default()
            }],
            other: IndexMap::new(),
        })),
        roles: roles(spec)?,
        sla_properties: sla_properties(spec),
        custom_properties: custom_properties(spec)?,
        other: IndexMap::new(),
    })
}

/// `value` as an [`Any`] without the keys at `carried` (they travel in standard fields).
fn residue<T: Serialize>(value: &T, carried: &[&[&str]]) -> Result<Any, OdcsError> {
    // Top-level keys are left out while serializing (a contract's tables are most of it);
    // deeper ones are removed after.
    let top: Vec<&str> = carried
        .iter()
        .filter_map(|p| match p {
            [key] => Some(*key),
            _ => None,
        })
        .collect();
    let mut any = to_any_without(value, &top)?;
    for path in carried.iter().filter(|p| p.len() > 1) {
        any.remove_path(path);
    }
    Ok(any)
}

/// Each remaining key of a residue as its own `dpc.<key>` custom property.
fn residue_properties(residue: Any) -> Vec<CustomProperty> {
    match residue {
        Any::Map(m) => m
            .into_iter()
            .map(|(k, v)| CustomProperty::new(format!("{}{}", prop::PREFIX, camel(&k)), v))
            .collect(),
        _ => Vec::new(),
    }
}

fn custom_properties(spec: &ProductSpec) -> Result<Vec<CustomProperty>, OdcsError> {
    let text = |s: &dyn std::fmt::Display| Any::text(s.to_string());
    let mut out = vec![
        CustomProperty::new(prop::TIER, text(&spec.product.product_metadata.tier)),
        CustomProperty::new(
            prop::SENSITIVITY,
            text(&spec.governance.classification.sensitivity),
        ),
        CustomProperty::new(prop::SLA_LEVEL, text(&spec.sla.level)),
        CustomProperty::new(
            prop::MASKING_STRATEGY,
            text(&spec.governance.masking.strategy),
        ),
    ];
    out.extend(residue_properties(residue(
        &spec.contract,
        &[&["contract_version"], &["tables"]],
    )?));
    let product = residue(&spec.product, PRODUCT_CARRIED)?;
    let sla = residue(&spec.sla, SLA_CARRIED)?;
    let governance = residue(&spec.governance, GOVERNANCE_CARRIED)?;
    out.push(CustomProperty::new(prop::PRODUCT, product));
    out.push(CustomProperty::new(prop::SLA, sla));
    out.push(CustomProperty::new(prop::GOVERNANCE, governance));
    Ok(out)
}

/// Keys of product.yaml that standard fields (or the rest of the spec) carry.
pub(crate) const PRODUCT_CARRIED: &[&[&str]] = &[
    &["product_metadata", "name"],
    &["product_metadata", "domain"],
    &["product_metadata", "tier"],
    &["product_metadata", "owner"],
    &["description"],
    &["use_cases"],
    &["catalog_location"],
    &["data_classification", "sensitivity"],
    &["data_classification", "contains_pii"],
    &["data_classification", "pii_fields"],
    &["data_classification", "retention_period"],
    &["quality_metrics", "completeness", "critical_fields"],
    &["quality_metrics", "accuracy", "validation_rules"],
    &["quality_metrics", "consistency", "cross_table_checks"],
    &["access_control", "approved_consumers"],
    &["support"],
    &["tags"],
];

/// Keys of sla.yaml carried elsewhere (the level is `dpc.slaLevel`).
pub(crate) const SLA_CARRIED: &[&[&str]] = &[&["level"]];

/// Keys of governance.yaml carried elsewhere: on columns (PII, masks), roles (consumers),
/// `dpc.sensitivity`, `dpc.maskingStrategy` and the retention SLA property.
pub(crate) const GOVERNANCE_CARRIED: &[&[&str]] = &[
    &["classification", "sensitivity"],
    &["classification", "contains_pii"],
    &["pii_fields"],
    &["masking"],
    &["approved_consumers"],
    &["retention", "period"],
];

fn schema_object(
    spec: &ProductSpec,
    name: &str,
    table: &Table,
    version: OdcsVersion,
) -> Result<SchemaObject, OdcsError> {
    let mut properties = table
        .schema
        .fields
        .iter()
        .map(|f| property(spec, name, table, f, version))
        .collect::<Result<Vec<_>, OdcsError>>()?;
    let mut quality = Vec::new();
    // Expectations sit on their column; the order an import rebuilds is column by column.
    let mut rebuilt_order: Vec<&str> = Vec::new();
    for (i, f) in table.schema.fields.iter().enumerate() {
        for e in table
            .quality_expectations
            .iter()
            .filter(|e| e.column == f.name)
        {
            properties[i]
                .quality
                .push(quality_rule(spec, name, table, e)?);
            rebuilt_order.push(&e.name);
        }
    }
    for e in &table.quality_expectations {
        if table.field(&e.column).is_none() {
            let mut rule = quality_rule(spec, name, table, e)?;
            rule.custom_properties
                .push(CustomProperty::new(prop::COLUMN, Any::text(&e.column)));
            quality.push(rule);
            rebuilt_order.push(&e.name);
        }
    }
    let residue = residue(
        table,
        &[
            &["description"],
            &["schema"],
            &["primary_key"],
            &["partitioned_by"],
            &["quality_expectations"],
        ],
    )?;
    let deprecated =
        (version == OdcsVersion::V3_2 && residue.get("deprecated").is_some()).then_some(true);
    let mut custom = residue_properties(residue);
    let actual: Vec<&str> = table
        .quality_expectations
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    if actual != rebuilt_order {
        custom.push(CustomProperty::new(
            prop::EXPECTATION_ORDER,
            Any::List(actual.iter().map(|n| Any::text(*n)).collect()),
        ));
    }
    if let Some(t) = spec
        .product
        .catalog_location
        .tables
        .iter()
        .find(|t| t.name == name)
    {
        custom.push(CustomProperty::new(
            prop::ROW_COUNT,
            Any::text(&t.row_count),
        ));
        if t.description != table.description {
            custom.push(CustomProperty::new(
                prop::CATALOG_DESCRIPTION,
                Any::text(&t.description),
            ));
        }
    }
    Ok(SchemaObject {
        name: name.to_string(),
        physical_name: Some(name.to_string()),
        physical_type: Some("table".into()),
        logical_type: Some("object".into()),
        description: Some(table.description.clone()),
        deprecated,
        properties,
        quality,
        custom_properties: custom,
        other: IndexMap::new(),
    })
}

/// The order an import rebuilds a column's constraints in: the standard fields first
/// (pattern, unique, range, enum), then `dpc.constraints`.
const CANONICAL: [ConstraintKind; 4] = [
    ConstraintKind::Format,
    ConstraintKind::Unique,
    ConstraintKind::Range,
    ConstraintKind::Enum,
];

fn kind_name(kind: ConstraintKind) -> &'static str {
    match kind {
        ConstraintKind::Format => "format",
        ConstraintKind::Unique => "unique",
        ConstraintKind::Range => "range",
        ConstraintKind::Enum => "enum",
    }
}

fn scalar_any(s: &Scalar) -> Any {
    match s {
        Scalar::Bool(b) => Any::Bool(*b),
        Scalar::Int(i) => Any::Int(*i),
        Scalar::Float(f) => Any::Float(*f),
        Scalar::Text(t) => Any::text(t),
    }
}

/// True when a range bound fits `logicalTypeOptions` of the logical type: numbers for
/// numeric columns, text for dates and timestamps.
fn bound_fits(logical: &str, s: &Scalar) -> bool {
    match logical {
        "integer" | "number" => matches!(s, Scalar::Int(_) | Scalar::Float(_)),
        "date" | "timestamp" => matches!(s, Scalar::Text(_)),
        _ => false,
    }
}

/// Where each constraint of a column goes: standard fields, or `dpc.constraints`.
struct ConstraintPlacement {
    options: IndexMap<String, Any>,
    unique: bool,
    unique_scope: Option<String>,
    enum_values: Vec<EnumValue>,
    /// Kinds in the order an import rebuilds them.
    rebuilt: Vec<ConstraintKind>,
    leftovers: Vec<Constraint>,
}

fn place_constraints(f: &Field, logical: &str, version: OdcsVersion) -> ConstraintPlacement {
    let mut p = ConstraintPlacement {
        options: IndexMap::new(),
        unique: false,
        unique_scope: None,
        enum_values: Vec::new(),
        rebuilt: Vec::new(),
        leftovers: Vec::new(),
    };
    let mut placed: Vec<ConstraintKind> = Vec::new();
    for c in &f.constraints {
        let only = |pattern: bool, scope: bool, bounds: bool, values: bool| {
            (pattern || c.pattern.is_none())
                && (scope || c.scope.is_none())
                && (bounds || (c.min.is_none() && c.max.is_none()))
                && (values || c.values.is_none())
        };
        let fits = match c.kind {
            ConstraintKind::Format => {
                logical == "string"
                    && !placed.contains(&c.kind)
                    && c.pattern.is_some()
                    && only(true, false, false, false)
            }
            ConstraintKind::Unique => !placed.contains(&c.kind) && only(false, true, false, false),
            ConstraintKind::Range => {
                !placed.contains(&c.kind)
                    && (c.min.is_some() || c.max.is_some())
                    && c.min.iter().chain(&c.max).all(|b| bound_fits(logical, b))
                    && only(false, false, true, false)
            }
            ConstraintKind::Enum => {
                version == OdcsVersion::V3_2
                    && !placed.contains(&c.kind)
                    && c.values.as_ref().is_some_and(|v| !v.is_empty())
                    && only(false, false, false, true)
            }
        };
        if !fits {
            p.leftovers.push(c.clone());
            continue;
        }
        placed.push(c.kind);
        match c.kind {
            ConstraintKind::Format => {
                if let Some(pattern) = &c.pattern {
                    p.options.insert("pattern".into(), Any::text(pattern));
                }
            }
            ConstraintKind::Unique => {
                p.unique = true;
                p.unique_scope = c.scope.clone();
            }
            ConstraintKind::Range => {
                if let Some(min) = &c.min {
                    p.options.insert("minimum".into(), scalar_any(min));
                }
                if let Some(max) = &c.max {
                    p.options.insert("maximum".into(), scalar_any(max));
                }
            }
            ConstraintKind::Enum => {
                p.enum_values = c
                    .values
                    .iter()
                    .flatten()
                    .map(|v| EnumValue {
                        value: Any::text(v),
                        other: IndexMap::new(),
                    })
                    .collect();
            }
        }
    }
    p.rebuilt = CANONICAL
        .iter()
        .copied()
        .filter(|k| placed.contains(k))
        .chain(p.leftovers.iter().map(|c| c.kind))
        .collect();
    p
}

fn property(
    spec: &ProductSpec,
    table_name: &str,
    table: &Table,
    f: &Field,
    version: OdcsVersion,
) -> Result<Property, OdcsError> {
    let t = &f.data_type;
    let logical = data_type::logical(t, version);
    let placement = place_constraints(f, logical, version);
    let mut options = IndexMap::new();
    if let Some(format) = data_type::logical_format(t) {
        options.insert("format".to_string(), Any::text(format));
    }
    if *t == DataType::TimestampNtz {
        options.insert("timezone".to_string(), Any::Bool(false));
    }
    options.extend(placement.options);
    let pk_position = table.primary_key.iter().position(|k| *k == f.name);
    let partition_position = table.partitioned_by.iter().position(|k| *k == f.name);
    let gov = &spec.governance;
    let pii = gov
        .pii_fields
        .iter()
        .find(|p| p.table == table_name && p.column == f.name);
    let mut carried: Vec<&[&str]> = vec![
        &["name"],
        &["type"],
        &["nullable"],
        &["description"],
        &["constraints"],
    ];
    // A primary_key flag that disagrees with the key list stays a custom property.
    if f.primary_key == pk_position.is_some() {
        carried.push(&["primary_key"]);
    }
    let residue = residue(f, &carried)?;
    let deprecated =
        (version == OdcsVersion::V3_2 && residue.get("deprecated").is_some()).then_some(true);
    let mut custom = residue_properties(residue);
    if let Some(rule) = gov
        .masking
        .rules
        .iter()
        .find(|r| r.table == table_name && r.column == f.name)
    {
        custom.push(CustomProperty::new(
            prop::MASKING,
            self::residue(rule, &[&["table"], &["column"]])?,
        ));
    }
    if let Some(scope) = &placement.unique_scope {
        custom.push(CustomProperty::new(prop::UNIQUE_SCOPE, Any::text(scope)));
    }
    if !placement.leftovers.is_empty() {
        custom.push(CustomProperty::new(
            prop::CONSTRAINTS,
            to_any(&placement.leftovers)?,
        ));
    }
    let actual: Vec<ConstraintKind> = f.constraints.iter().map(|c| c.kind).collect();
    if actual != placement.rebuilt {
        custom.push(CustomProperty::new(
            prop::CONSTRAINT_ORDER,
            Any::List(actual.iter().map(|k| Any::text(kind_name(*k))).collect()),
        ));
    }
    let (items, nested) = data_type::nested(t, version);
    Ok(Property {
        name: f.name.clone(),
        logical_type: Some(logical.into()),
        logical_type_options: (!options.is_empty()).then_some(options),
        physical_type: Some(t.to_string()),
        description: Some(f.description.clone()),
        required: Some(!f.nullable),
        unique: placement.unique.then_some(true),
        primary_key: pk_position.map(|_| true),
        primary_key_position: pk_position.map(|i| i as i64 + 1),
        partitioned: partition_position.map(|_| true),
        partition_key_position: partition_position.map(|i| i as i64 + 1),
        classification: Some(gov.classification.sensitivity.to_string()),
        tags: pii
            .map(|p| vec![format!("pii:{}", p.category)])
            .unwrap_or_default(),
        enum_values: placement.enum_values,
        deprecated,
        items,
        properties: nested,
        custom_properties: custom,
        ..Property::default()
    })
}

fn quality_rule(
    spec: &ProductSpec,
    table_name: &str,
    table: &Table,
    e: &Expectation,
) -> Result<Quality, OdcsError> {
    let mut carried: Vec<&[&str]> = vec![&["name"], &["type"], &["column"], &["severity"]];
    let mut arguments = IndexMap::new();
    let (kind, metric, dimension) = match e.kind {
        ExpectationKind::NotNull => ("library", Some("nullValues"), "completeness"),
        ExpectationKind::Unique => ("library", Some("duplicateValues"), "uniqueness"),
        ExpectationKind::Regex => {
            if let Some(p) = &e.pattern {
                arguments.insert("pattern".to_string(), Any::text(p));
                carried.push(&["pattern"]);
            }
            ("library", Some("invalidValues"), "conformity")
        }
        ExpectationKind::InSet => {
            if let Some(values) = &e.values {
                arguments.insert(
                    "validValues".to_string(),
                    Any::List(values.iter().map(Any::text).collect()),
                );
                carried.push(&["values"]);
            }
            ("library", Some("invalidValues"), "conformity")
        }
        // Range bounds stay custom properties too: the query is for people and engines.
        ExpectationKind::Range => ("sql", None, "accuracy"),
    };
    let query = (e.kind == ExpectationKind::Range).then(|| {
        let from = sql_qualified(&[spec.catalog(), spec.schema(), table_name]);
        match crate::spec::contract_sql::expectation_expr(table, e) {
            Ok(Some(expr)) => format!("SELECT COUNT(*) FROM {from} WHERE NOT ({expr})"),
            _ => format!("SELECT COUNT(*) FROM {from}"),
        }
    });
    Ok(Quality {
        name: Some(e.name.clone()),
        description: None,
        kind: Some(kind.into()),
        metric: metric.map(String::from),
        rule: None,
        arguments: (!arguments.is_empty()).then_some(arguments),
        query,
        must_be: Some(Any::Int(0)),
        dimension: Some(dimension.into()),
        severity: Some(e.severity.to_string()),
        custom_properties: residue_properties(residue(e, &carried)?),
        other: IndexMap::new(),
    })
}

fn support(spec: &ProductSpec) -> Vec<SupportItem> {
    let s = &spec.product.support;
    let item = |id: &str, channel: &str, tool: &str, scope: &str, description: &str| SupportItem {
        id: Some(id.into()),
        channel: channel.into(),
        url: None,
        description: Some(description.into()),
        tool: Some(tool.into()),
        scope: Some(scope.into()),
        other: IndexMap::new(),
    };
    let mut escalation = item(
        channel::ESCALATION,
        &s.escalation_contact,
        "email",
        "issues",
        "Escalation contact",
    );
    if s.escalation_contact.contains('@') {
        escalation.url = Some(format!("mailto:{}", s.escalation_contact));
    }
    let mut docs = item(
        channel::DOCUMENTATION,
        "documentation",
        "other",
        "announcements",
        "Consumer documentation of the product",
    );
    docs.url = Some(s.documentation_url.clone());
    vec![
        item(
            channel::SUPPORT,
            &s.slack_channel,
            "slack",
            "interactive",
            "Questions about the data product",
        ),
        item(
            channel::OWNER,
            &spec.product.product_metadata.owner.slack_channel,
            "slack",
            "announcements",
            "The owning team's channel",
        ),
        item(
            channel::ON_CALL,
            &s.on_call_rotation,
            "other",
            "issues",
            "On-call rotation for incidents",
        ),
        escalation,
        docs,
    ]
}

fn roles(spec: &ProductSpec) -> Result<Vec<Role>, OdcsError> {
    spec.governance
        .approved_consumers
        .iter()
        .map(|c| {
            let select = c.permission.eq_ignore_ascii_case("SELECT");
            let mut carried: Vec<&[&str]> = vec![&["principal"]];
            if c.permission == "SELECT" {
                carried.push(&["permission"]);
            }
            Ok(Role {
                role: c.principal.clone(),
                description: Some(format!("Approved consumer ({})", c.principal_type)),
                access: Some(if select {
                    "read".into()
                } else {
                    c.permission.to_lowercase()
                }),
                custom_properties: residue_properties(residue(c, &carried)?),
                other: IndexMap::new(),
            })
        })
        .collect()
}

/// A duration as an ODCS value and unit (`4 hours` → 4, `h`).
fn duration(d: Duration) -> (Any, &'static str) {
    let unit = match d.unit {
        TimeUnit::Minutes => "m",
        TimeUnit::Hours => "h",
        TimeUnit::Days => "d",
    };
    (Any::Int(i64::from(d.value)), unit)
}

/// Update frequencies dpc names, as ODCS values and units.
pub(crate) const FREQUENCIES: [(&str, i64, &str); 4] = [
    ("Hourly", 1, "h"),
    ("Daily", 1, "d"),
    ("Weekly", 7, "d"),
    ("Monthly", 1, "month"),
];

/// A retention period (`7 years`) as a number and unit when it reads back the same.
fn retention(period: &str) -> (Any, Option<&'static str>) {
    let mut words = period.split_whitespace();
    let (Some(n), Some(unit), None) = (words.next(), words.next(), words.next()) else {
        return (Any::text(period), None);
    };
    let Ok(n) = n.parse::<i64>() else {
        return (Any::text(period), None);
    };
    let code = match unit {
        "year" | "years" => "y",
        "month" | "months" => "month",
        "day" | "days" => "d",
        _ => return (Any::text(period), None),
    };
    if retention_text(n, code).as_deref() == Some(period) {
        (Any::Int(n), Some(code))
    } else {
        (Any::text(period), None)
    }
}

/// The inverse of [`retention`]: `7`, `y` → `7 years`.
pub(crate) fn retention_text(n: i64, unit: &str) -> Option<String> {
    let word = match unit {
        "y" | "yr" | "year" | "years" => "year",
        "month" | "months" => "month",
        "d" | "day" | "days" => "day",
        "w" | "week" | "weeks" => "week",
        _ => return None,
    };
    Some(if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    })
}

fn sla_properties(spec: &ProductSpec) -> Vec<SlaProperty> {
    let sla_property =
        |property: &str, value: Any, unit: Option<&str>, element: Option<String>| SlaProperty {
            property: property.into(),
            value,
            unit: unit.map(String::from),
            element,
            description: None,
            other: IndexMap::new(),
        };
    let mut out = Vec::new();
    for m in &spec.sla.freshness.metrics {
        let (value, unit) = duration(m.target_latency);
        let column = spec
            .contract
            .tables
            .get(&m.table)
            .and_then(crate::spec::contract::freshness_column);
        let element = match column {
            Some(c) => format!("{}.{c}", m.table),
            None => m.table.clone(),
        };
        out.push(sla_property("latency", value, Some(unit), Some(element)));
    }
    out.push(sla_property(
        "availability",
        Any::Float(spec.sla.availability.target.0),
        Some("percent"),
        None,
    ));
    let (value, unit) = retention(&spec.governance.retention.period);
    out.push(sla_property("retention", value, unit, None));
    for t in &spec.product.catalog_location.tables {
        let known = FREQUENCIES
            .iter()
            .find(|(name, _, _)| *name == t.update_frequency);
        let (value, unit) = match known {
            Some((_, n, unit)) => (Any::Int(*n), Some(*unit)),
            None => (Any::text(&t.update_frequency), None),
        };
        out.push(sla_property("frequency", value, unit, Some(t.name.clone())));
    }
    out
}
