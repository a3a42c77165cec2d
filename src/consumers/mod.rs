//! Changing who may read a product: adding and revoking approved consumers under the
//! sensitivity policy, and auditing the grants. Changes are made to the spec texts in place
//! (comments and layout survive) and proved by parsing the result back.

pub(crate) mod revocation;
pub(crate) mod yaml_edit;

use crate::access::{self, Access};
use crate::check;
use crate::diagnostic::Diagnostic;
use crate::lang::date::Date;
use crate::lang::escape::yaml_string;
use crate::spec::governance::{Consumer, MaskingStrategy, PrincipalType};
use crate::spec::policy::{self, ACCOUNT_USERS};
use crate::spec::product::ConsumerGrant;
use crate::spec::{self, ProductSpec};
use serde::Serialize;
use yaml_edit::Seg;

#[derive(Debug, thiserror::Error)]
pub(crate) enum ConsumerError {
    /// The sensitivity policy (or another spec rule) forbids the change.
    #[error("refused: {0}. Nothing was changed")]
    Refused(String),
    /// An argument names something that does not exist, or is malformed.
    #[error("{flag}: {message}")]
    Argument { flag: &'static str, message: String },
    #[error("{0}; nothing was changed")]
    Edit(#[from] yaml_edit::EditError),
    /// The edited text does not read back as the intended spec.
    #[error(
        "editing {0} in place would not give the intended spec (unusual layout?); change it by hand. Nothing was changed"
    )]
    Roundtrip(&'static str),
    #[error("{0}")]
    Spec(#[from] spec::SpecError),
}

fn argument(flag: &'static str, message: impl Into<String>) -> ConsumerError {
    ConsumerError::Argument {
        flag,
        message: message.into(),
    }
}

/// The texts of the two spec files consumers live in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Texts {
    pub product: String,
    pub governance: String,
}

/// A spec change, proved: the new spec and the texts that read back as it.
#[derive(Debug)]
pub(crate) struct Edited {
    pub spec: ProductSpec,
    pub texts: Texts,
}

/// What `dpc consumers add` asks for.
#[derive(Debug, Clone, Default)]
pub(crate) struct AddRequest {
    pub principal: String,
    pub principal_type: Option<PrincipalType>,
    /// A service principal's application ID.
    pub application_id: Option<String>,
    pub permission: String,
    pub tables: Vec<String>,
    /// `COLUMN` (every table's) or `TABLE.COLUMN`.
    pub unmask: Vec<String>,
    pub expires: Option<String>,
    pub justification: Option<String>,
    pub approved_by: Option<String>,
}

/// Indices of the masking rules `--unmask` names.
fn unmask_rules(spec: &ProductSpec, req: &AddRequest) -> Result<Vec<usize>, ConsumerError> {
    let rules = &spec.governance.masking.rules;
    let mut out = Vec::new();
    for wanted in &req.unmask {
        let (table, column) = match wanted.split_once('.') {
            Some((t, c)) => (Some(t), c),
            None => (None, wanted.as_str()),
        };
        let found: Vec<usize> = rules
            .iter()
            .enumerate()
            .filter(|(_, r)| r.column == column && table.is_none_or(|t| r.table == t))
            .filter(|(_, r)| req.tables.is_empty() || req.tables.contains(&r.table))
            .map(|(i, _)| i)
            .collect();
        if found.is_empty() {
            let masked: Vec<String> = rules
                .iter()
                .map(|r| format!("{}.{}", r.table, r.column))
                .collect();
            return Err(argument(
                "--unmask",
                format!(
                    "no masking rule for {wanted}{}; masked columns: {}",
                    if req.tables.is_empty() {
                        ""
                    } else {
                        " in the granted tables"
                    },
                    if masked.is_empty() {
                        "none".to_string()
                    } else {
                        masked.join(", ")
                    }
                ),
            ));
        }
        for i in found {
            if !out.contains(&i) {
                out.push(i);
            }
        }
    }
    Ok(out)
}

/// Refuses what the sensitivity policy forbids, with the flag that would fix it.
fn policy_refusals(spec: &ProductSpec, req: &AddRequest, today: Date) -> Result<(), ConsumerError> {
    let gov = &spec.governance;
    let sens = policy::sensitivity(gov.classification.sensitivity);
    let product = spec.name();
    let what = if req.unmask.is_empty() {
        format!("granting {} read access", req.principal)
    } else {
        format!("granting {} clear {}", req.principal, req.unmask.join(", "))
    };
    let refuse = |why: String| {
        Err(ConsumerError::Refused(format!(
            "{what} on {} product {product}: {why}",
            sens.sensitivity
        )))
    };
    if sens.approval_required && req.approved_by.is_none() {
        return refuse(format!(
            "{} data needs an approval for every grant; pass --approved-by EMAIL",
            sens.sensitivity
        ));
    }
    if sens.justification_required
        && req
            .justification
            .as_deref()
            .is_none_or(|j| j.trim().is_empty())
    {
        return refuse(format!(
            "{} data needs a reason for every grant; pass --justification TEXT",
            sens.sensitivity
        ));
    }
    if let Some(max) = sens.max_grant_days {
        let latest = today.plus_days(i64::from(max));
        match req.expires.as_deref().and_then(Date::parse) {
            None => {
                return refuse(format!(
                    "{} grants expire within {max} days; pass --expires DATE (at the latest {latest})",
                    sens.sensitivity
                ));
            }
            Some(d) if d > latest => {
                return refuse(format!(
                    "{} grants expire within {max} days; --expires {d} is later than {latest}",
                    sens.sensitivity
                ));
            }
            Some(_) => {}
        }
    }
    let kind = req.principal_type.unwrap_or(PrincipalType::Group);
    if !req.unmask.is_empty() && kind != PrincipalType::Group {
        return refuse(format!(
            "masks test is_account_group_member(), which only groups pass; unmask a group the {} belongs to",
            kind.as_str().replace('_', " ")
        ));
    }
    if req.principal == ACCOUNT_USERS
        && sens.default_access != crate::spec::governance::DefaultAccess::AccountUsers
    {
        let masked_only =
            gov.masking.strategy == MaskingStrategy::MaskedView && req.unmask.is_empty();
        if !masked_only {
            return refuse(format!(
                "`account users` may read {} data only through masked views (masking: masked_view), never unmasked",
                sens.sensitivity
            ));
        }
    }
    Ok(())
}

/// The spec errors a change would bring, as one sentence.
fn new_errors(before: &ProductSpec, after: &ProductSpec) -> Option<String> {
    let old = check::spec(before);
    let fresh: Vec<Diagnostic> = check::spec(after)
        .into_iter()
        .filter(Diagnostic::is_error)
        .filter(|d| {
            !old.iter()
                .any(|o| o.code == d.code && o.message == d.message)
        })
        .collect();
    (!fresh.is_empty()).then(|| {
        fresh
            .iter()
            .map(|d| format!("{} {}", d.code, d.message))
            .collect::<Vec<_>>()
            .join("; ")
    })
}

/// Reads `texts` back and requires them to be exactly `intended`.
fn prove(spec: &ProductSpec, texts: Texts, intended: ProductSpec) -> Result<Edited, ConsumerError> {
    let product: spec::ProductManifest = spec::parse_yaml(spec::PRODUCT_FILE, &texts.product)?;
    let governance: spec::Governance = spec::parse_yaml(spec::GOVERNANCE_FILE, &texts.governance)?;
    if product != intended.product {
        return Err(ConsumerError::Roundtrip(spec::PRODUCT_FILE));
    }
    if governance != intended.governance {
        return Err(ConsumerError::Roundtrip(spec::GOVERNANCE_FILE));
    }
    debug_assert_eq!(spec.contract, intended.contract);
    Ok(Edited {
        spec: intended,
        texts,
    })
}

/// The lines of a new `approved_consumers` entry (values YAML-escaped).
fn consumer_lines(c: &Consumer) -> Vec<String> {
    let mut lines = vec![
        format!("principal: {}", yaml_string(&c.principal)),
        format!("principal_type: {}", c.principal_type.as_str()),
    ];
    if let Some(id) = &c.application_id {
        lines.push(format!("application_id: {}", yaml_string(id)));
    }
    lines.push(format!("permission: {}", yaml_string(&c.permission)));
    if !c.tables.is_empty() {
        lines.push("tables:".into());
        lines.extend(c.tables.iter().map(|t| format!("  - {}", yaml_string(t))));
    }
    for (key, value) in [
        ("justification", &c.justification),
        ("expires", &c.expires),
        ("approved_by", &c.approved_by),
        ("approved_date", &c.approved_date),
    ] {
        if let Some(v) = value {
            lines.push(format!("{key}: {}", yaml_string(v)));
        }
    }
    lines
}

fn grant_of(c: &Consumer) -> ConsumerGrant {
    let is = |t: PrincipalType| (c.principal_type == t).then(|| c.principal.clone());
    ConsumerGrant {
        group: is(PrincipalType::Group),
        service_principal: is(PrincipalType::ServicePrincipal),
        user: is(PrincipalType::User),
        permission: c.permission.clone(),
    }
}

fn grant_lines(c: &Consumer) -> Vec<String> {
    let key = match c.principal_type {
        PrincipalType::Group => "group",
        PrincipalType::ServicePrincipal => "service_principal",
        PrincipalType::User => "user",
    };
    vec![
        format!("{key}: {}", yaml_string(&c.principal)),
        format!("permission: {}", yaml_string(&c.permission)),
    ]
}

fn grant_principal(g: &ConsumerGrant) -> Option<&str> {
    g.group
        .as_deref()
        .or(g.service_principal.as_deref())
        .or(g.user.as_deref())
}

/// Adds a consumer: refused when the policy forbids it, else the edited spec texts.
pub(crate) fn add(
    spec: &ProductSpec,
    texts: &Texts,
    req: &AddRequest,
    today: Date,
) -> Result<Edited, ConsumerError> {
    check_add_arguments(spec, req, today)?;
    let rules = unmask_rules(spec, req)?;
    policy_refusals(spec, req, today)?;
    let principal_type = principal_type_of(req)?;
    let (consumer, intended) = intended_with(spec, req, &rules, principal_type, today)?;
    let texts = edited_texts(spec, texts, req, &rules, &consumer)?;
    prove(spec, texts, intended)
}

/// The request's arguments, each checked as its flag: principal, permission, tables,
/// expiry, approver and justification.
fn check_add_arguments(
    spec: &ProductSpec,
    req: &AddRequest,
    today: Date,
) -> Result<(), ConsumerError> {
    spec::name::check_principal("the principal", &req.principal)
        .map_err(|m| argument("GROUP", m))?;
    let gov = &spec.governance;
    if gov
        .approved_consumers
        .iter()
        .any(|c| c.principal == req.principal)
    {
        return Err(ConsumerError::Refused(format!(
            "{} is already an approved consumer of {}; revoke it first, or edit governance.yaml",
            req.principal,
            spec.name()
        )));
    }
    if !access::policy_check::granted_permission(&req.permission) {
        return Err(argument(
            "--permission",
            format!("dpc grants only {}", access::policy_check::permissions()),
        ));
    }
    for t in &req.tables {
        if !spec.contract.tables.contains_key(t) {
            let known: Vec<&str> = spec.contract.tables.keys().map(String::as_str).collect();
            return Err(argument(
                "--tables",
                format!("no table {t}; tables: {}", known.join(", ")),
            ));
        }
    }
    if let Some(e) = &req.expires {
        match Date::parse(e) {
            None => {
                return Err(argument(
                    "--expires",
                    format!("'{e}' is not a date (YYYY-MM-DD)"),
                ));
            }
            Some(d) if d < today => {
                return Err(argument("--expires", format!("{e} is in the past")));
            }
            Some(_) => {}
        }
    }
    if let Some(a) = &req.approved_by {
        spec::name::check_email(a).map_err(|m| argument("--approved-by", m))?;
    }
    if let Some(j) = &req.justification {
        if j.trim().is_empty() {
            return Err(argument(
                "--justification",
                "is empty; give the reason for the grant, or leave the flag out",
            ));
        }
        if j.chars().any(|c| c.is_control() && c != '\n') {
            return Err(argument(
                "--justification",
                "must be text without control characters (line breaks are allowed)",
            ));
        }
    }
    Ok(())
}

/// The principal type, and the application ID that only a service principal may carry.
fn principal_type_of(req: &AddRequest) -> Result<PrincipalType, ConsumerError> {
    let principal_type = req.principal_type.unwrap_or(PrincipalType::Group);
    if let Some(id) = &req.application_id {
        if principal_type != PrincipalType::ServicePrincipal {
            return Err(argument(
                "--application-id",
                "is for service principals (--principal-type service-principal)",
            ));
        }
        if !crate::render::deploy::is_application_id(id) {
            return Err(argument(
                "--application-id",
                format!(
                    "{id:?} is not an application ID (a UUID such as 6f0e3b1a-2c4d-4e5f-8a9b-0c1d2e3f4a5b)"
                ),
            ));
        }
    }
    Ok(principal_type)
}

/// The new consumer and the spec it would make, refused when that spec breaks a rule.
fn intended_with(
    spec: &ProductSpec,
    req: &AddRequest,
    rules: &[usize],
    principal_type: PrincipalType,
    today: Date,
) -> Result<(Consumer, ProductSpec), ConsumerError> {
    let consumer = Consumer {
        principal: req.principal.clone(),
        principal_type,
        application_id: req.application_id.clone(),
        permission: req.permission.clone(),
        tables: req.tables.clone(),
        justification: req.justification.clone(),
        expires: req.expires.clone(),
        approved_by: req.approved_by.clone(),
        approved_date: req.approved_by.as_ref().map(|_| today.to_string()),
    };
    let mut intended = spec.clone();
    intended
        .governance
        .approved_consumers
        .push(consumer.clone());
    for &r in rules {
        let groups = &mut intended.governance.masking.rules[r].unmask_groups;
        if !groups.contains(&req.principal) {
            groups.push(req.principal.clone());
        }
    }
    intended
        .product
        .access_control
        .approved_consumers
        .push(grant_of(&consumer));
    if let Some(why) = new_errors(spec, &intended) {
        return Err(ConsumerError::Refused(format!(
            "adding {} would break the product's rules: {why}",
            req.principal
        )));
    }
    Ok((consumer, intended))
}

/// governance.yaml and product.yaml with the consumer (and its unmask groups) appended, the
/// rest of each text untouched.
fn edited_texts(
    spec: &ProductSpec,
    texts: &Texts,
    req: &AddRequest,
    rules: &[usize],
    consumer: &Consumer,
) -> Result<Texts, ConsumerError> {
    let mut governance = yaml_edit::append(
        &texts.governance,
        &[Seg::Key("approved_consumers")],
        &consumer_lines(consumer),
    )?;
    for &r in rules {
        if spec.governance.masking.rules[r]
            .unmask_groups
            .contains(&req.principal)
        {
            continue;
        }
        governance = yaml_edit::append(
            &governance,
            &[
                Seg::Key("masking"),
                Seg::Key("rules"),
                Seg::Index(r),
                Seg::Key("unmask_groups"),
            ],
            &[yaml_string(&req.principal)],
        )?;
    }
    let product = yaml_edit::append(
        &texts.product,
        &[Seg::Key("access_control"), Seg::Key("approved_consumers")],
        &grant_lines(consumer),
    )?;
    Ok(Texts {
        product,
        governance,
    })
}

/// Revokes a consumer: removes its entries and its unmask groups. Returns the edited spec.
pub(crate) fn revoke(
    spec: &ProductSpec,
    texts: &Texts,
    principal: &str,
) -> Result<Edited, ConsumerError> {
    let gov = &spec.governance;
    if !gov
        .approved_consumers
        .iter()
        .any(|c| c.principal == principal)
    {
        let known: Vec<&str> = gov
            .approved_consumers
            .iter()
            .map(|c| c.principal.as_str())
            .collect();
        return Err(argument(
            "GROUP",
            format!(
                "{principal} is not an approved consumer of {}; consumers: {}",
                spec.name(),
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            ),
        ));
    }
    let is_owner = gov.access_policy.owner_group == principal;
    let mut intended = spec.clone();
    intended
        .governance
        .approved_consumers
        .retain(|c| c.principal != principal);
    if !is_owner {
        for r in &mut intended.governance.masking.rules {
            r.unmask_groups.retain(|g| g != principal);
        }
    }
    intended
        .product
        .access_control
        .approved_consumers
        .retain(|g| grant_principal(g) != Some(principal));
    if let Some(why) = new_errors(spec, &intended) {
        return Err(ConsumerError::Refused(format!(
            "revoking {principal} would break the product's rules: {why}"
        )));
    }

    // One item at a time, re-reading the text between edits so positions stay right.
    let mut governance = texts.governance.clone();
    loop {
        let current: spec::Governance = spec::parse_yaml(spec::GOVERNANCE_FILE, &governance)?;
        if let Some(i) = current
            .approved_consumers
            .iter()
            .position(|c| c.principal == principal)
        {
            governance = yaml_edit::remove(&governance, &[Seg::Key("approved_consumers")], i)?;
            continue;
        }
        let unmasked = (!is_owner)
            .then(|| {
                current
                    .masking
                    .rules
                    .iter()
                    .enumerate()
                    .find_map(|(r, rule)| {
                        rule.unmask_groups
                            .iter()
                            .position(|g| g == principal)
                            .map(|g| (r, g))
                    })
            })
            .flatten();
        match unmasked {
            Some((r, g)) => {
                governance = yaml_edit::remove(
                    &governance,
                    &[
                        Seg::Key("masking"),
                        Seg::Key("rules"),
                        Seg::Index(r),
                        Seg::Key("unmask_groups"),
                    ],
                    g,
                )?;
            }
            None => break,
        }
    }
    let mut product = texts.product.clone();
    loop {
        let current: spec::ProductManifest = spec::parse_yaml(spec::PRODUCT_FILE, &product)?;
        match current
            .access_control
            .approved_consumers
            .iter()
            .position(|g| grant_principal(g) == Some(principal))
        {
            Some(i) => {
                product = yaml_edit::remove(
                    &product,
                    &[Seg::Key("access_control"), Seg::Key("approved_consumers")],
                    i,
                )?;
            }
            None => break,
        }
    }
    prove(
        spec,
        Texts {
            product,
            governance,
        },
        intended,
    )
}

/// One line of `dpc consumers list`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Listed {
    pub principal: String,
    #[serde(rename = "type")]
    pub principal_type: PrincipalType,
    pub permission: String,
    /// Tables granted; empty means all.
    pub tables: Vec<String>,
    /// `table.column` PII the consumer reads in clear.
    pub unmasked: Vec<String>,
    pub expires: Option<String>,
    pub justification: Option<String>,
    pub approved_by: Option<String>,
    pub approved_date: Option<String>,
}

/// PII columns (`table.column`) `principal` reads in clear, per the access matrix.
fn clear_pii(spec: &ProductSpec, matrix: &access::Matrix, principal: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (name, table) in &spec.contract.tables {
        for f in &table.schema.fields {
            let pii = f.pii
                || spec
                    .governance
                    .pii_fields
                    .iter()
                    .any(|p| p.table == *name && p.column == f.name);
            if pii && matrix.cell(principal, name, &f.name) == Access::Clear {
                out.push(format!("{name}.{}", f.name));
            }
        }
    }
    out
}

pub(crate) fn list(spec: &ProductSpec, matrix: &access::Matrix) -> Vec<Listed> {
    spec.governance
        .approved_consumers
        .iter()
        .map(|c| Listed {
            principal: c.principal.clone(),
            principal_type: c.principal_type,
            permission: c.permission.clone(),
            tables: c.tables.clone(),
            unmasked: clear_pii(spec, matrix, &c.principal),
            expires: c.expires.clone(),
            justification: c.justification.clone(),
            approved_by: c.approved_by.clone(),
            approved_date: c.approved_date.clone(),
        })
        .collect()
}

/// What `dpc consumers audit` finds.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Audit {
    /// Consumers whose grant expired before today.
    pub expired: Vec<Expired>,
    /// Consumers with no justification recorded.
    pub unjustified: Vec<String>,
    /// Consumers of data that needs approval, with no approval recorded.
    pub unapproved: Vec<String>,
    /// Every principal that reads PII in clear, with the columns.
    pub clear_pii: Vec<ClearReader>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Expired {
    pub principal: String,
    pub expires: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ClearReader {
    pub principal: String,
    pub role: access::matrix::Role,
    pub columns: Vec<String>,
}

impl Audit {
    /// Findings that fail the audit; readers of clear PII are listed for review only.
    pub(crate) fn problems(&self) -> usize {
        self.expired.len() + self.unjustified.len() + self.unapproved.len()
    }
}

pub(crate) fn audit(spec: &ProductSpec, matrix: &access::Matrix, today: Date) -> Audit {
    let gov = &spec.governance;
    let sens = policy::sensitivity(gov.classification.sensitivity);
    let mut out = Audit::default();
    for c in &gov.approved_consumers {
        if let Some(e) = &c.expires
            && Date::parse(e).is_none_or(|d| d < today)
        {
            out.expired.push(Expired {
                principal: c.principal.clone(),
                expires: e.clone(),
            });
        }
        if c.justification
            .as_deref()
            .is_none_or(|j| j.trim().is_empty())
        {
            out.unjustified.push(c.principal.clone());
        }
        if sens.approval_required && c.approved_by.is_none() {
            out.unapproved.push(c.principal.clone());
        }
    }
    for p in &matrix.principals {
        let columns = clear_pii(spec, matrix, &p.name);
        if !columns.is_empty() {
            out.clear_pii.push(ClearReader {
                principal: p.name.clone(),
                role: p.role,
                columns,
            });
        }
    }
    out
}
