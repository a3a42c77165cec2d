//! The builder's spec with what the document says laid over it: the `dpc.` sections when
//! restoring, and always the standard fields the builder cannot know (roles, masks, SLA
//! properties, support channels).

use super::Flags;
use super::document::TopLevel;
use super::report::Reader;
use super::residue::{section, with_residue};
use super::table::ImportedTable;
use crate::interop::odcs::any::{Any, from_any, to_any};
use crate::interop::odcs::types::*;
use crate::interop::odcs::{OdcsError, channel, export, prop};
use crate::spec::ProductSpec;
use crate::spec::contract::Contract as SpecContract;
use crate::spec::governance::{Consumer, Governance, MaskRule};
use crate::spec::name;
use crate::spec::product::ProductManifest;
use crate::spec::sla::Sla;
use indexmap::IndexMap;

#[allow(clippy::too_many_arguments)]
pub(super) fn restore_spec(
    baseline: ProductSpec,
    doc: &Contract,
    flags: &Flags,
    top: &TopLevel,
    tables: &[ImportedTable],
    residues: [Option<Any>; 3],
    restore: bool,
    r: &mut Reader,
) -> Result<ProductSpec, OdcsError> {
    let [product_residue, sla_residue, governance_residue] = residues;
    let pick = |residue: Option<Any>| if restore { residue } else { None };

    // contract.yaml: the builder's (from the document's tables), its version and the rest.
    let mut contract_any = to_any(&baseline.contract)?;
    if !doc.version.is_empty() {
        contract_any.set("contract_version", Any::text(&doc.version));
    }
    let contract: SpecContract = with_residue(
        "contract",
        contract_any,
        top.contract_residue.clone(),
        "customProperties",
        r,
    )?;

    // sla.yaml
    let mut sla: Sla = section(
        "sla",
        prop::SLA,
        baseline.sla.clone(),
        pick(sla_residue),
        export::SLA_CARRIED,
        r,
    );
    sla.freshness
        .metrics
        .retain(|m| contract.tables.contains_key(&m.table));
    if flags.sla.is_none() {
        for (table, d) in &top.latency {
            let mut matched = false;
            for m in sla
                .freshness
                .metrics
                .iter_mut()
                .filter(|m| table.as_deref().is_none_or(|t| t == m.table))
            {
                matched = true;
                m.target_latency = *d;
                if m.breach_threshold.as_minutes() < d.as_minutes() {
                    r.notes.push(format!(
                        "{}: freshness breach threshold raised to the document's latency {d}",
                        m.table
                    ));
                    m.breach_threshold = *d;
                }
            }
            if !matched {
                r.lose(
                    "slaProperties",
                    format!(
                        "latency {d} of {}: no table of the product with a date or timestamp column to measure it",
                        table.as_deref().unwrap_or("the contract")
                    ),
                );
            }
        }
        if let Some(a) = top.availability {
            sla.availability.target = a;
        }
    }

    // governance.yaml
    let mut governance: Governance = section(
        "governance",
        prop::GOVERNANCE,
        baseline.governance.clone(),
        pick(governance_residue),
        export::GOVERNANCE_CARRIED,
        r,
    );
    if flags.consumers.is_empty() {
        let mut consumers = Vec::new();
        for (principal, principal_type, residue) in &top.consumers {
            let fresh = || {
                let mut m = Any::map();
                m.set("principal", Any::text(principal));
                m.set("permission", Any::text("SELECT"));
                m
            };
            // Restoring, the role says everything; else the builder's consumer is the base.
            let mut base = match governance
                .approved_consumers
                .iter()
                .find(|c| c.principal == *principal)
            {
                Some(c) if !restore => to_any(c)?,
                _ => fresh(),
            };
            base.set("principal_type", Any::text(principal_type.as_str()));
            let keep: IndexMap<String, Any> = residue
                .iter()
                .filter(|(k, _)| restore || matches!(k.as_str(), "permission" | "tables"))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            let at = format!("roles[{principal}]");
            consumers.push(with_residue::<Consumer>("consumer", base, keep, &at, r)?);
        }
        governance.approved_consumers = consumers;
    }
    let mut rules = Vec::new();
    for rule in &governance.masking.rules {
        let mask = tables
            .iter()
            .find(|t| t.starter.name == rule.table)
            .and_then(|t| t.masks.get(&rule.column));
        let Some(Any::Map(mask)) = mask else {
            rules.push(rule.clone());
            continue;
        };
        let keep: IndexMap<String, Any> = mask
            .iter()
            .filter(|(k, _)| restore || k.as_str() == "method")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let at = format!("schema[{}].properties[{}]", rule.table, rule.column);
        let base = if restore {
            let mut m = Any::map();
            m.set("table", Any::text(&rule.table));
            m.set("column", Any::text(&rule.column));
            m
        } else {
            to_any(rule)?
        };
        rules.push(with_residue::<MaskRule>(
            "masking rule",
            base,
            keep,
            &at,
            r,
        )?);
    }
    governance.masking.rules = rules;

    // product.yaml
    let mut product: ProductManifest = section(
        "product",
        prop::PRODUCT,
        baseline.product.clone(),
        pick(product_residue),
        export::PRODUCT_CARRIED,
        r,
    );
    if let Some(d) = &flags.display_name {
        product.product_metadata.display_name = d.clone();
    }
    if let Some(team) = &top.team_name {
        product.product_metadata.owner.name = team.clone();
    }
    read_support(doc, &mut product, r);
    if restore {
        product.tags = doc
            .tags
            .iter()
            .filter_map(|t| {
                t.split_once(':')
                    .map(|(k, v)| (k.to_string(), v.to_string()))
            })
            .collect();
    }
    for t in tables {
        if let Some(d) = &t.catalog_description
            && let Some(c) = product
                .catalog_location
                .tables
                .iter_mut()
                .find(|c| c.name == t.starter.name)
        {
            c.description = d.clone();
        }
    }
    // The manifest's consumer list mirrors governance.yaml's.
    product.access_control.approved_consumers = governance
        .approved_consumers
        .iter()
        .map(|c| {
            let mut grant = Any::map();
            grant.set(c.principal_type.as_str(), Any::text(&c.principal));
            grant.set("permission", Any::text(&c.permission));
            from_any("approved consumer", &grant)
        })
        .collect::<Result<_, _>>()?;
    Ok(ProductSpec {
        product,
        contract,
        sla,
        governance,
    })
}

/// Support channels back into product.yaml: dpc's own by id, others by their tool.
pub(super) fn read_support(doc: &Contract, product: &mut ProductManifest, r: &mut Reader) {
    let mut slack_seen = false;
    let mut email_seen = false;
    for item in &doc.support {
        let at = format!("support[{}]", item.channel);
        r.others(&at, &item.other);
        let s = &mut product.support;
        match item.id.as_deref() {
            Some(channel::SUPPORT) => s.slack_channel = item.channel.clone(),
            Some(channel::OWNER) => {
                product.product_metadata.owner.slack_channel = item.channel.clone()
            }
            Some(channel::ON_CALL) => s.on_call_rotation = item.channel.clone(),
            Some(channel::ESCALATION) => s.escalation_contact = item.channel.clone(),
            Some(channel::DOCUMENTATION) => {
                if let Some(url) = &item.url {
                    s.documentation_url = url.clone();
                }
            }
            _ => {
                let tool = item.tool.as_deref().unwrap_or("").to_ascii_lowercase();
                let mail = item
                    .url
                    .as_deref()
                    .and_then(|u| u.strip_prefix("mailto:"))
                    .map(String::from)
                    .or_else(|| {
                        name::check_email(&item.channel)
                            .is_ok()
                            .then(|| item.channel.clone())
                    });
                if tool == "slack" && !slack_seen {
                    slack_seen = true;
                    s.slack_channel = item.channel.clone();
                } else if let Some(mail) = mail.filter(|_| !email_seen) {
                    email_seen = true;
                    s.escalation_contact = mail;
                } else {
                    r.lose(at, "a support channel dpc has no field for");
                }
            }
        }
    }
}
