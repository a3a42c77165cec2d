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
use crate::spec::values::Duration;
use indexmap::IndexMap;

/// What the product is made from: the document, what was read from it, and the flags.
pub(super) struct Source<'a> {
    pub(super) doc: &'a Contract,
    pub(super) flags: &'a Flags,
    pub(super) top: &'a TopLevel,
    pub(super) tables: &'a [ImportedTable],
}

/// `restore` is true when the document's `dpc.` sections (`residues`) are restored, which
/// is when the flags agree with the document.
pub(super) fn restore_spec(
    baseline: ProductSpec,
    src: &Source,
    residues: [Option<Any>; 3],
    restore: bool,
    r: &mut Reader,
) -> Result<ProductSpec, OdcsError> {
    let [product_residue, sla_residue, governance_residue] = residues;
    let pick = |residue: Option<Any>| if restore { residue } else { None };
    let contract = restore_contract(&baseline, src, r)?;

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
    if src.flags.sla.is_none() {
        apply_latencies(&mut sla, &src.top.latency, r);
        if let Some(a) = src.top.availability {
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
    if src.flags.consumers.is_empty() {
        governance.approved_consumers = restore_consumers(&governance, src, restore, r)?;
    }
    governance.masking.rules = restore_masks(&governance, src, restore, r)?;

    // product.yaml
    let product: ProductManifest = section(
        "product",
        prop::PRODUCT,
        baseline.product.clone(),
        pick(product_residue),
        export::PRODUCT_CARRIED,
        r,
    );
    let product = restore_product(product, &governance, src, restore, r)?;
    Ok(ProductSpec {
        product,
        contract,
        sla,
        governance,
        settings: crate::spec::settings::Settings::default(),
    })
}

/// contract.yaml: the builder's (from the document's tables), its version and the rest.
fn restore_contract(
    baseline: &ProductSpec,
    src: &Source,
    r: &mut Reader,
) -> Result<SpecContract, OdcsError> {
    let mut contract_any = to_any(&baseline.contract)?;
    if !src.doc.version.is_empty() {
        contract_any.set("contract_version", Any::text(&src.doc.version));
    }
    with_residue(
        "contract",
        contract_any,
        src.top.contract_residue.clone(),
        "customProperties",
        r,
    )
}

/// The document's latencies as freshness targets (of one table, or of all); a breach
/// threshold below the latency is raised to it, and a latency no metric measures is a loss.
fn apply_latencies(sla: &mut Sla, latencies: &[(Option<String>, Duration)], r: &mut Reader) {
    for (table, d) in latencies {
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
}

/// The approved consumers from the document's roles.
fn restore_consumers(
    governance: &Governance,
    src: &Source,
    restore: bool,
    r: &mut Reader,
) -> Result<Vec<Consumer>, OdcsError> {
    let mut consumers = Vec::new();
    for (principal, principal_type, residue) in &src.top.consumers {
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
    Ok(consumers)
}

/// The masking rules, with the mask each column of the document states laid over them.
fn restore_masks(
    governance: &Governance,
    src: &Source,
    restore: bool,
    r: &mut Reader,
) -> Result<Vec<MaskRule>, OdcsError> {
    let mut rules = Vec::new();
    for rule in &governance.masking.rules {
        let mask = src
            .tables
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
    Ok(rules)
}

/// product.yaml: the display name, team, support channels, tags and catalog descriptions
/// the document gives, and the consumers of governance.yaml.
fn restore_product(
    mut product: ProductManifest,
    governance: &Governance,
    src: &Source,
    restore: bool,
    r: &mut Reader,
) -> Result<ProductManifest, OdcsError> {
    if let Some(d) = &src.flags.display_name {
        product.product_metadata.display_name = d.clone();
    }
    if let Some(team) = &src.top.team_name {
        product.product_metadata.owner.name = team.clone();
    }
    read_support(src.doc, &mut product, r);
    if restore {
        product.tags = src
            .doc
            .tags
            .iter()
            .filter_map(|t| {
                t.split_once(':')
                    .map(|(k, v)| (k.to_string(), v.to_string()))
            })
            .collect();
    }
    for t in src.tables {
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
    Ok(product)
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
