//! What the document says outside its tables: team, servers, roles, SLA properties and the
//! top-level `dpc.` custom properties.

use super::report::Reader;
use super::residue::residue_keys;
use crate::interop::odcs::any::Any;
use crate::interop::odcs::types::*;
use crate::interop::odcs::{export, prop};
use crate::spec::governance::PrincipalType;
use crate::spec::name;
use crate::spec::values::{Duration, Percent};
use indexmap::IndexMap;

/// What the document says outside its tables.
pub(super) struct TopLevel {
    pub(super) named: IndexMap<String, Any>,
    pub(super) contract_residue: IndexMap<String, Any>,
    pub(super) owner: Option<String>,
    pub(super) team_name: Option<String>,
    pub(super) catalog: Option<String>,
    pub(super) consumers: Vec<(String, PrincipalType, IndexMap<String, Any>)>,
    pub(super) latency: Vec<(Option<String>, Duration)>,
    pub(super) availability: Option<Percent>,
    pub(super) retention: Option<String>,
}

pub(super) fn parse_named<T: std::str::FromStr>(
    named: &IndexMap<String, Any>,
    key: &str,
    r: &mut Reader,
) -> Option<T> {
    let text = named.get(key)?.scalar_text()?;
    match text.parse() {
        Ok(v) => Some(v),
        Err(_) => {
            r.lose("customProperties", format!("{key} {text}: not a dpc value"));
            None
        }
    }
}

pub(super) fn read_top(doc: &Contract, r: &mut Reader) -> TopLevel {
    r.others("document", &doc.other);
    let custom = r.custom("customProperties", &doc.custom_properties);
    let (named, contract_residue) = residue_keys(
        custom,
        &[
            prop::TIER,
            prop::SENSITIVITY,
            prop::SLA_LEVEL,
            prop::MASKING_STRATEGY,
            prop::PRODUCT,
            prop::SLA,
            prop::GOVERNANCE,
        ],
    );
    if let Some(d) = &doc.description {
        r.others("description", &d.other);
    }
    let (team_name, owner) = read_team(doc, r);
    let catalog = read_servers(doc, r);
    let consumers = read_roles(doc, r);
    let sla = read_sla_properties(doc, r);
    TopLevel {
        named,
        contract_residue,
        owner,
        team_name,
        catalog,
        consumers,
        latency: sla.latency,
        availability: sla.availability,
        retention: sla.retention,
    }
}

/// Team: its name and the owner's email (the member called owner, else the first with an
/// email); every other member is a loss.
fn read_team(doc: &Contract, r: &mut Reader) -> (Option<String>, Option<String>) {
    let (team_name, members, team_other) = match &doc.team {
        Some(TeamField::Team(t)) => (t.name.clone(), t.members.clone(), t.other.clone()),
        Some(TeamField::Members(m)) => (None, m.clone(), Other::new()),
        None => (None, Vec::new(), Other::new()),
    };
    r.others("team", &team_other);
    let is_email = |m: &TeamMember| name::check_email(&m.username).is_ok();
    let owner = members
        .iter()
        .find(|m| {
            is_email(m)
                && m.role
                    .as_deref()
                    .is_some_and(|role| role.eq_ignore_ascii_case("owner"))
        })
        .or_else(|| members.iter().find(|m| is_email(m)));
    for m in &members {
        let at = format!("team.members[{}]", m.username);
        if Some(&m.username) != owner.map(|o| &o.username) {
            r.lose(
                &at,
                format!(
                    "{} ({}): dpc records the owner only",
                    m.username,
                    m.role.as_deref().unwrap_or("no role")
                ),
            );
        }
        r.others(&at, &m.other);
    }
    (team_name, owner.map(|o| o.username.clone()))
}

/// Servers: the first Databricks server's catalog; any other server is a loss.
fn read_servers(doc: &Contract, r: &mut Reader) -> Option<String> {
    let mut catalog = None;
    for s in &doc.servers {
        let at = format!("servers[{}]", s.server);
        if s.kind == "databricks" && catalog.is_none() {
            catalog = s.catalog.clone();
            r.others(&at, &s.other);
        } else {
            r.lose(
                at,
                format!(
                    "a {} server: a dpc product lives in one Databricks catalog",
                    s.kind
                ),
            );
        }
    }
    catalog
}

/// Roles: approved consumers, with their principal type and `dpc.` residue.
fn read_roles(
    doc: &Contract,
    r: &mut Reader,
) -> Vec<(String, PrincipalType, IndexMap<String, Any>)> {
    let mut consumers = Vec::new();
    for role in &doc.roles {
        let at = format!("roles[{}]", role.role);
        let custom = r.custom(&at, &role.custom_properties);
        let (_, residue) = residue_keys(custom, &[]);
        let access = role
            .access
            .as_deref()
            .unwrap_or("read")
            .to_ascii_lowercase();
        if !residue.contains_key("permission") && access != "read" && access != "select" {
            r.lose(
                &at,
                format!("{access} access: dpc approves consumers to read"),
            );
            continue;
        }
        if let Err(m) = name::check_principal("role", &role.role) {
            r.lose(&at, m);
            continue;
        }
        let principal_type = residue
            .get("principal_type")
            .and_then(Any::scalar_text)
            .and_then(|t| t.parse().ok())
            .unwrap_or(PrincipalType::Group);
        if let Some(d) = &role.description
            && *d != format!("Approved consumer ({principal_type})")
        {
            r.lose(&at, format!("description '{d}': dpc has no field for it"));
        }
        r.others(&at, &role.other);
        consumers.push((role.role.clone(), principal_type, residue));
    }
    consumers
}

/// What the SLA properties give: latencies (per table or for all), availability, retention.
#[derive(Default)]
struct SlaRead {
    latency: Vec<(Option<String>, Duration)>,
    availability: Option<Percent>,
    retention: Option<String>,
}

/// SLA properties: latency, availability and retention; anything else is a loss.
fn read_sla_properties(doc: &Contract, r: &mut Reader) -> SlaRead {
    let mut sla = SlaRead::default();
    for (i, sp) in doc.sla_properties.iter().enumerate() {
        let at = format!("slaProperties[{i}]");
        r.others(&at, &sp.other);
        let table = sp
            .element
            .as_deref()
            .map(|e| e.split('.').next().unwrap_or(e).to_string());
        match sp.property.to_ascii_lowercase().as_str() {
            "latency" | "freshness" => {
                let unit = sp.unit.as_deref().unwrap_or("d").to_ascii_lowercase();
                match latency_duration(&sp.value, &unit) {
                    Some(d) => sla.latency.push((table, d)),
                    None => r.lose(
                        &at,
                        format!(
                            "latency {} {unit}: dpc takes whole minutes, hours or days",
                            sp.value.scalar_text().unwrap_or_default()
                        ),
                    ),
                }
            }
            "availability" => match availability_percent(&sp.value) {
                Some(v) => sla.availability = Some(Percent(v)),
                None => r.lose(&at, "availability: not a percentage"),
            },
            "retention" => {
                sla.retention = match (&sp.value, sp.unit.as_deref()) {
                    (Any::Int(n), Some(unit)) => export::retention_text(*n, unit),
                    (v, None) => v.scalar_text(),
                    _ => None,
                };
                if sla.retention.is_none() {
                    r.lose(&at, "retention: not a period dpc can write");
                }
            }
            "frequency" => {}
            other => r.lose(
                &at,
                format!("SLA property {other}: dpc has no field for it"),
            ),
        }
        if let Some(d) = &sp.description {
            r.lose(&at, format!("description '{d}': dpc has no field for it"));
        }
    }
    sla
}

/// A latency value in a unit dpc knows (whole minutes, hours or days), lower-cased.
fn latency_duration(value: &Any, unit: &str) -> Option<Duration> {
    let v = match value {
        Any::Int(n) => u32::try_from(*n).ok(),
        _ => None,
    }?;
    match unit {
        "m" | "min" | "mins" | "minute" | "minutes" => Some(Duration::minutes(v)),
        "h" | "hr" | "hour" | "hours" => Some(Duration::hours(v)),
        "d" | "day" | "days" => Some(Duration::days(v)),
        _ => None,
    }
}

/// An availability as a percentage between 0 and 100 (a number, or text with or without `%`).
fn availability_percent(value: &Any) -> Option<f64> {
    let v = match value {
        Any::Int(n) => Some(*n as f64),
        Any::Float(f) => Some(*f),
        Any::Text(t) => t.trim().trim_end_matches('%').trim().parse().ok(),
        _ => None,
    };
    v.filter(|v| (0.0..=100.0).contains(v))
}
