//! An ODCS document → a new product's spec, through the same answers and builder as
//! `dpc create`: the document's tables replace the domain starter's, the document (or the
//! flags, which win) gives the answers, and a document dpc exported restores the rest of the
//! spec from its `dpc.` custom properties. Everything the document says that the product
//! cannot hold is listed as [`Loss`], never dropped silently.

mod column;
mod document;
mod names;
mod report;
mod residue;
mod restore;
mod table;

use document::{TopLevel, parse_named, read_top};
use names::kebab;
use report::Reader;
pub(crate) use report::{Loss, grouped};
use restore::{Source, restore_spec};
use table::{ImportedTable, read_tables};

use crate::input::answers::{self, Answers, ConsumerAnswer};
use crate::input::starter::StarterTable;
use crate::interop::odcs::any::Any;
use crate::interop::odcs::types::*;
use crate::interop::odcs::{OdcsError, prop};
use crate::lang::date::Date;
use crate::spec::ProductSpec;
use crate::spec::governance::MaskingStrategy;
use crate::spec::name;
use crate::spec::values::{Sensitivity, SlaLevel, Tier};

/// The create flags given to `dpc import odcs`; `None` (or empty) means "not given", so the
/// document decides.
#[derive(Debug, Clone, Default)]
pub(crate) struct Flags {
    pub name: Option<String>,
    pub domain: Option<String>,
    pub tier: Option<Tier>,
    pub owner: Option<String>,
    pub sla: Option<SlaLevel>,
    pub sensitivity: Option<Sensitivity>,
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub catalog: Option<String>,
    pub consumers: Vec<String>,
    pub masking: Option<MaskingStrategy>,
}

#[derive(Debug, Clone)]
pub(crate) struct Imported {
    pub spec: ProductSpec,
    pub not_carried: Vec<Loss>,
    /// Decisions the user should hear about (a derived name, a default owner, ...).
    pub notes: Vec<String>,
    /// True when the document's `dpc.product`, `dpc.sla` and `dpc.governance` were restored.
    pub restored: bool,
}

/// The most restrictive classification among the columns, when there are any dpc knows.
fn inferred_sensitivity(tables: &[ImportedTable]) -> Option<Sensitivity> {
    tables
        .iter()
        .flat_map(|t| &t.classifications)
        .filter_map(|(_, c)| c.to_ascii_lowercase().parse::<Sensitivity>().ok())
        .max_by_key(|s| Sensitivity::ALL.iter().position(|x| x == s))
}

/// The tables of a document, with what they lose and the notes about them.
#[derive(Debug, Clone)]
pub(crate) struct Tables {
    pub tables: Vec<StarterTable>,
    pub not_carried: Vec<Loss>,
    pub notes: Vec<String>,
}

/// Just the tables of a document (`dpc create --schema-from`).
pub(crate) fn tables(doc: &Contract) -> Result<Tables, OdcsError> {
    let mut r = Reader::default();
    let tables = read_tables(doc, &mut r)?;
    Ok(Tables {
        tables: tables.into_iter().map(|t| t.starter).collect(),
        not_carried: r.losses,
        notes: r.notes,
    })
}

/// Builds the product the document describes. `file_stem` (the document's file name without
/// `.odcs.yaml`) names the product when neither `--name` nor the document does;
/// `default_owner` gives the owner when neither the flags nor the document name one (git's
/// email, else a placeholder and a note).
pub(crate) fn import(
    doc: &Contract,
    file_stem: &str,
    flags: &Flags,
    today: Date,
    default_owner: &dyn Fn(&str) -> (String, Option<String>),
) -> Result<Imported, OdcsError> {
    let mut r = Reader::default();
    let top = read_top(doc, &mut r);
    let tables = read_tables(doc, &mut r)?;
    let src = Source {
        doc,
        flags,
        top: &top,
        tables: &tables,
    };
    let (a, choices) = read_answers(&src, file_stem, default_owner, &mut r)?;

    // Restoring the document's dpc sections is right only when the flags agree with it.
    let residues = [prop::PRODUCT, prop::SLA, prop::GOVERNANCE].map(|k| top.named.get(k).cloned());
    let has_residue = residues.iter().any(Option::is_some);
    let conflicts = flag_conflicts(&src, &choices);
    let restore = has_residue && conflicts.is_empty();
    report_unrestored(&src, has_residue, &conflicts, &mut r);

    if tables.is_empty() {
        r.notes.push(
            "the document has no tables dpc can create; the product starts from the domain starter's tables, to replace".to_string(),
        );
    }
    let (baseline, built) = answers::build_spec(&a, today)?;
    r.notes.extend(built.0);

    let spec = restore_spec(baseline, &src, residues, restore, &mut r)?;
    lose_classifications(&tables, &spec, &mut r);
    Ok(Imported {
        spec,
        not_carried: r.losses,
        notes: r.notes,
        restored: restore,
    })
}

/// What the document itself chooses (its named `dpc.` properties; the sensitivity also
/// from the columns' classifications), before the flags.
struct DocChoices {
    tier: Option<Tier>,
    sla: Option<SlaLevel>,
    masking: Option<MaskingStrategy>,
    sensitivity: Option<Sensitivity>,
}

/// The answers `dpc create` would take: the flags, else the document, else create's
/// defaults; with the document's own choices, to compare with the flags.
fn read_answers(
    src: &Source,
    file_stem: &str,
    default_owner: &dyn Fn(&str) -> (String, Option<String>),
    r: &mut Reader,
) -> Result<(Answers, DocChoices), OdcsError> {
    let (doc, flags, top) = (src.doc, src.flags, src.top);
    let name = product_name(doc, file_stem, flags, r)?;
    let domain = product_domain(doc, flags, r);
    let choices = doc_choices(top, src.tables, r);
    let owner = match (&flags.owner, &top.owner) {
        (Some(o), _) => o.clone(),
        (None, Some(o)) => o.clone(),
        (None, None) => {
            let (owner, note) = default_owner(&domain);
            r.notes.extend(note);
            owner
        }
    };
    let catalog = flags
        .catalog
        .clone()
        .or_else(|| {
            top.catalog
                .clone()
                .filter(|c| name::check_uc_name("catalog", c).is_ok())
        })
        .unwrap_or_else(|| "main_production".to_string());
    lose_other_schema(doc, &name, r);
    let a = Answers {
        display_name: display_name(doc, flags, &name),
        name,
        description: Some(description(doc, flags)),
        domain,
        tier: flags.tier.or(choices.tier).unwrap_or(Tier::Gold),
        owner,
        sla: flags.sla.or(choices.sla).unwrap_or(SlaLevel::Medium),
        sensitivity: flags
            .sensitivity
            .or(choices.sensitivity)
            .unwrap_or(Sensitivity::Internal),
        catalog,
        consumers: consumers(flags, top),
        masking: flags
            .masking
            .or(choices.masking)
            .unwrap_or(MaskingStrategy::ColumnMask),
        use_cases: Some(use_cases(doc)),
        data_sources: Some(Vec::new()),
        retention: top.retention.clone(),
        compliance: None,
        tables: (!src.tables.is_empty())
            .then(|| src.tables.iter().map(|t| t.starter.clone()).collect()),
        pii: None,
    };
    Ok((a, choices))
}

/// `--name`, else the document's name when it is a product name, else one derived from the
/// document's name, file name or id (with a note).
fn product_name(
    doc: &Contract,
    file_stem: &str,
    flags: &Flags,
    r: &mut Reader,
) -> Result<String, OdcsError> {
    let doc_name = doc.name.clone().unwrap_or_default();
    Ok(match &flags.name {
        Some(n) => n.clone(),
        None if name::check_product_name(&doc_name).is_ok() => doc_name.clone(),
        None => {
            let derived = [doc_name.as_str(), file_stem, doc.id.as_str()]
                .iter()
                .map(|s| kebab(s))
                .find(|n| name::check_product_name(n).is_ok())
                .ok_or_else(|| answers::InputError {
                    flag: "--name",
                    message: "the document has no name that makes a product name; give --name"
                        .into(),
                })?;
            r.notes.push(format!(
                "name: '{doc_name}' is not a product name; the product is {derived} (choose with --name)"
            ));
            derived
        }
    })
}

/// `--domain`, else the document's domain (made a dpc domain name, with a note when it was
/// not one), else `general`.
fn product_domain(doc: &Contract, flags: &Flags, r: &mut Reader) -> String {
    let doc_domain = doc
        .domain
        .as_deref()
        .map(|d| {
            if answers::check_domain(d).is_ok() {
                d.to_string()
            } else {
                kebab(d)
            }
        })
        .filter(|d| answers::check_domain(d).is_ok());
    if let Some(d) = &doc.domain
        && doc_domain.as_deref() != Some(d.as_str())
    {
        r.notes.push(format!(
            "domain: '{d}' is not a dpc domain name; used {}",
            doc_domain.as_deref().unwrap_or("general")
        ));
    }
    flags
        .domain
        .clone()
        .or(doc_domain)
        .unwrap_or_else(|| "general".to_string())
}

/// The document's named choices; without a sensitivity, the one its columns' classifications
/// imply (at least internal when there is PII), with a note.
fn doc_choices(top: &TopLevel, tables: &[ImportedTable], r: &mut Reader) -> DocChoices {
    let tier: Option<Tier> = parse_named(&top.named, prop::TIER, r);
    let sla: Option<SlaLevel> = parse_named(&top.named, prop::SLA_LEVEL, r);
    let masking: Option<MaskingStrategy> = parse_named(&top.named, prop::MASKING_STRATEGY, r);
    let mut sensitivity: Option<Sensitivity> = parse_named(&top.named, prop::SENSITIVITY, r);
    let has_pii = tables.iter().any(|t| !t.starter.pii_categories.is_empty());
    if sensitivity.is_none()
        && let Some(s) = inferred_sensitivity(tables)
    {
        let s = if s == Sensitivity::Public && has_pii {
            Sensitivity::Internal
        } else {
            s
        };
        r.notes.push(format!(
            "sensitivity: {s}, from the columns' classifications (choose with --sensitivity)"
        ));
        sensitivity = Some(s);
    }
    DocChoices {
        tier,
        sla,
        masking,
        sensitivity,
    }
}

/// A Databricks server's schema other than the product's is a loss: the schema is named
/// after the product.
fn lose_other_schema(doc: &Contract, product: &str, r: &mut Reader) {
    let schema = name::schema_name(product);
    if let Some(s) = doc
        .servers
        .iter()
        .find(|s| s.kind == "databricks")
        .and_then(|s| s.schema.as_deref())
        && s != schema
    {
        r.lose(
            "servers",
            format!("schema {s}: a dpc product's schema is named after the product ({schema})"),
        );
    }
}

/// `--display-name`, else the document's name when it is not the product's name and reads
/// as a display name.
fn display_name(doc: &Contract, flags: &Flags, name: &str) -> Option<String> {
    let doc_name = doc.name.clone().unwrap_or_default();
    flags.display_name.clone().or_else(|| {
        (!doc_name.is_empty()
            && doc_name != name
            && answers::check_text("name", &doc_name, false).is_ok())
        .then(|| doc_name.clone())
    })
}

/// `--description`, else the document's purpose, else one naming the document.
fn description(doc: &Contract, flags: &Flags) -> String {
    let doc_name = doc.name.clone().unwrap_or_default();
    let purpose = doc.description.as_ref().and_then(|d| d.purpose.clone());
    flags.description.clone().or(purpose).unwrap_or_else(|| {
        format!(
            "Data product imported from the ODCS contract {}",
            if doc_name.is_empty() {
                &doc.id
            } else {
                &doc_name
            }
        )
    })
}

/// The use cases: the non-empty lines of the document's usage.
fn use_cases(doc: &Contract) -> Vec<String> {
    doc.description
        .as_ref()
        .and_then(|d| d.usage.as_deref())
        .map(|u| {
            u.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

/// `--consumer` groups, else the document's roles with their permission.
fn consumers(flags: &Flags, top: &TopLevel) -> Vec<ConsumerAnswer> {
    if flags.consumers.is_empty() {
        top.consumers
            .iter()
            .map(|(principal, principal_type, residue)| ConsumerAnswer {
                principal: principal.clone(),
                principal_type: *principal_type,
                permission: residue
                    .get("permission")
                    .and_then(Any::scalar_text)
                    .unwrap_or_else(|| "SELECT".to_string()),
            })
            .collect()
    } else {
        flags.consumers.iter().map(ConsumerAnswer::group).collect()
    }
}

/// The flags given that differ from what the document says.
fn flag_conflicts(src: &Source, choices: &DocChoices) -> Vec<&'static str> {
    let (doc, flags) = (src.doc, src.flags);
    let mut conflicts = Vec::new();
    let differs = |flag: Option<String>, doc: Option<String>| flag.is_some() && flag != doc;
    if differs(flags.name.clone(), doc.name.clone()) {
        conflicts.push("--name");
    }
    if differs(flags.domain.clone(), doc.domain.clone()) {
        conflicts.push("--domain");
    }
    if differs(
        flags.tier.map(|t| t.to_string()),
        choices.tier.map(|t| t.to_string()),
    ) {
        conflicts.push("--tier");
    }
    if differs(
        flags.sla.map(|t| t.to_string()),
        choices.sla.map(|t| t.to_string()),
    ) {
        conflicts.push("--sla");
    }
    if differs(
        flags.sensitivity.map(|t| t.to_string()),
        choices.sensitivity.map(|t| t.to_string()),
    ) {
        conflicts.push("--sensitivity");
    }
    if differs(flags.owner.clone(), src.top.owner.clone()) {
        conflicts.push("--owner");
    }
    if differs(
        flags.masking.map(|t| t.to_string()),
        choices.masking.map(|t| t.to_string()),
    ) {
        conflicts.push("--masking");
    }
    let role_names: Vec<String> = src.top.consumers.iter().map(|c| c.0.clone()).collect();
    if !flags.consumers.is_empty() && flags.consumers != role_names {
        conflicts.push("--consumer");
    }
    conflicts
}

/// Says why the document's `dpc.` sections were not restored, and what the flags replaced
/// (roles replaced by `--consumer`; without the sections, the document's tags).
fn report_unrestored(src: &Source, has_residue: bool, conflicts: &[&str], r: &mut Reader) {
    let (doc, flags, top) = (src.doc, src.flags, src.top);
    if has_residue && !conflicts.is_empty() {
        r.notes.push(format!(
            "the document's {}, {} and {} were not restored because {} differ from it; those parts follow the flags and dpc's policies",
            prop::PRODUCT,
            prop::SLA,
            prop::GOVERNANCE,
            conflicts.join(", ")
        ));
    }
    if !flags.consumers.is_empty() && !top.consumers.is_empty() && conflicts.contains(&"--consumer")
    {
        for (role, _, _) in &top.consumers {
            r.lose(format!("roles[{role}]"), "replaced by --consumer");
        }
    }
    if !has_residue && !doc.tags.is_empty() {
        for tag in &doc.tags {
            r.lose(
                "tags",
                format!("tag {tag}: dpc sets the product's tags itself"),
            );
        }
    }
}

/// A column classification other than the product's sensitivity is a loss: dpc classifies
/// the whole product.
fn lose_classifications(tables: &[ImportedTable], spec: &ProductSpec, r: &mut Reader) {
    for t in tables {
        for (at, c) in &t.classifications {
            if c.to_ascii_lowercase() != spec.governance.classification.sensitivity.as_str() {
                r.lose(
                    at,
                    format!(
                        "classification {c}: dpc classifies the whole product ({})",
                        spec.governance.classification.sensitivity
                    ),
                );
            }
        }
    }
}
