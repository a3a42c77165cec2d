//! Answers (from flags or the questionnaire) → a complete, typed [`ProductSpec`].
//! Both front ends fill [`Answers`] and call [`Answers::validate`] and [`build_spec`],
//! so the same answers always give the same product.

use crate::input::starter::{self, Starter, StarterTable};
use crate::lang::date::Date;
use crate::spec::ProductSpec;
use crate::spec::contract::{
    BackwardCompatibility, Contract, DeprecationPolicy, ExpectationKind, Versioning,
};
use crate::spec::governance::{
    AccessPolicy, ApprovalWorkflow, Audit, Classification, Compliance, Consumer, Governance,
    MaskMethod, MaskRule, Masking, MaskingStrategy, PiiField, PrincipalType, Retention,
};
use crate::spec::name;
use crate::spec::policy;
use crate::spec::product::*;
use crate::spec::sla::*;
use crate::spec::values::{Sensitivity, Severity, SlaLevel, Tier};
use indexmap::IndexMap;

/// Everything a person decides when creating a product. `None` means "use the default".
#[derive(Debug, Clone, PartialEq)]
pub struct Answers {
    pub name: String,
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub domain: String,
    pub tier: Tier,
    pub owner: String,
    pub sla: SlaLevel,
    pub sensitivity: Sensitivity,
    pub catalog: String,
    /// Readers of the product; empty means the domain starter's consumers.
    pub consumers: Vec<ConsumerAnswer>,
    pub masking: MaskingStrategy,
    pub use_cases: Option<Vec<String>>,
    pub data_sources: Option<Vec<DataSource>>,
    pub retention: Option<String>,
    pub compliance: Option<Vec<Compliance>>,
    /// Tables that replace the domain starter's (imported with `--schema-from`, or defined
    /// in the questionnaire); `None` keeps the starter's.
    pub tables: Option<Vec<StarterTable>>,
    /// Exactly the PII columns, with their categories and masks; `None` keeps the PII the
    /// tables mark, each masked the way its category suggests.
    pub pii: Option<Vec<PiiAnswer>>,
}

/// A principal granted read access to the product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsumerAnswer {
    pub principal: String,
    pub principal_type: PrincipalType,
    /// One of [`policy::CONSUMER_PERMISSIONS`].
    pub permission: String,
}

impl ConsumerAnswer {
    /// A group with the default permission (what `--consumer GROUP` gives).
    pub fn group(name: impl Into<String>) -> Self {
        ConsumerAnswer {
            principal: name.into(),
            principal_type: PrincipalType::Group,
            permission: policy::CONSUMER_PERMISSIONS[0].0.to_string(),
        }
    }
}

/// One column holding personal data: what kind, and how readers outside the unmask groups
/// see it (`None`: the method its category suggests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PiiAnswer {
    pub table: String,
    pub column: String,
    pub category: String,
    pub method: Option<MaskMethod>,
}

/// A refused answer: which flag (or question) and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{flag}: {message}")]
pub struct InputError {
    pub flag: &'static str,
    pub message: String,
}

fn refuse(flag: &'static str, message: impl Into<String>) -> InputError {
    InputError {
        flag,
        message: message.into(),
    }
}

/// Free text may hold any printable character, tabs and (where `multiline`) line breaks.
pub fn check_text(flag: &'static str, text: &str, multiline: bool) -> Result<(), InputError> {
    if let Some(c) = text
        .chars()
        .find(|&c| c.is_control() && c != '\t' && !(multiline && (c == '\n' || c == '\r')))
    {
        let what = if c == '\n' {
            "a line break; it must be one line".to_string()
        } else {
            format!("the control character {:?}", c)
        };
        return Err(refuse(flag, format!("contains {what}")));
    }
    Ok(())
}

pub(crate) fn check_domain(domain: &str) -> Result<(), String> {
    let ok = domain.len() <= 63
        && domain.starts_with(|c: char| c.is_ascii_lowercase())
        && domain
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "'{}' is not a domain name: use lower-case letters, digits, '-' or '_' (e.g. marketing, sales, finance, operations, general)",
            domain.escape_debug()
        ))
    }
}

/// "customer-360" → "Customer 360".
pub(crate) fn title_case(name: &str) -> String {
    name.split('-')
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

impl Answers {
    /// Checks every answer on its own and in combination; the first problem wins.
    pub(crate) fn validate(&self) -> Result<(), InputError> {
        name::check_product_name(&self.name).map_err(|m| refuse("NAME", m))?;
        check_domain(&self.domain).map_err(|m| refuse("--domain", m))?;
        name::check_email(&self.owner).map_err(|m| refuse("--owner", m))?;
        name::check_uc_name("catalog", &self.catalog).map_err(|m| refuse("--catalog", m))?;
        if let Some(d) = &self.display_name {
            check_display_name(d)?;
        }
        if let Some(d) = &self.description {
            check_text("--description", d, true)?;
        }
        for c in &self.consumers {
            check_consumer(c)?;
        }
        for (i, c) in self.consumers.iter().enumerate() {
            if self.consumers[..i]
                .iter()
                .any(|o| o.principal == c.principal)
            {
                return Err(refuse(
                    "--consumer",
                    format!("'{}' is given twice", c.principal),
                ));
            }
        }
        check_tier_sla(self.tier, self.sla)?;
        if let Some(r) = &self.retention {
            check_retention(r)?;
        }
        for uc in self.use_cases.iter().flatten() {
            check_use_case(uc)?;
        }
        for s in self.data_sources.iter().flatten() {
            check_data_source(s)?;
        }
        Ok(())
    }
}

// One check per answer, shared by the flags, the answers file and the questionnaire.

pub(crate) fn check_display_name(d: &str) -> Result<(), InputError> {
    check_text("--display-name", d, false)?;
    if d.trim().is_empty() {
        return Err(refuse("--display-name", "is empty"));
    }
    Ok(())
}

pub(crate) fn check_consumer(c: &ConsumerAnswer) -> Result<(), InputError> {
    name::check_principal("consumer group", &c.principal).map_err(|m| refuse("--consumer", m))?;
    if !policy::CONSUMER_PERMISSIONS
        .iter()
        .any(|(p, _)| *p == c.permission)
    {
        let allowed: Vec<&str> = policy::CONSUMER_PERMISSIONS
            .iter()
            .map(|(p, _)| *p)
            .collect();
        return Err(refuse(
            "consumer permission",
            format!(
                "'{}' is not a permission dpc grants; allowed: {}",
                c.permission.escape_debug(),
                allowed.join(", ")
            ),
        ));
    }
    Ok(())
}

pub(crate) fn check_tier_sla(tier: Tier, sla: SlaLevel) -> Result<(), InputError> {
    let policy = policy::tier(tier);
    if !policy.allowed_sla.contains(&sla) {
        let allowed: Vec<&str> = policy.allowed_sla.iter().map(|l| l.as_str()).collect();
        return Err(refuse(
            "--sla",
            format!(
                "tier {tier} requires SLA {}; got {sla}",
                allowed.join(" or ")
            ),
        ));
    }
    Ok(())
}

pub(crate) fn check_retention(r: &str) -> Result<(), InputError> {
    check_text("retention", r, false)?;
    if r.trim().is_empty() {
        return Err(refuse("retention", "is empty"));
    }
    Ok(())
}

pub(crate) fn check_use_case(uc: &str) -> Result<(), InputError> {
    check_text("use case", uc, false)?;
    if uc.trim().is_empty() {
        return Err(refuse("use case", "is empty"));
    }
    Ok(())
}

pub(crate) fn check_data_source(s: &DataSource) -> Result<(), InputError> {
    for (what, text) in [
        ("data source name", &s.name),
        ("data source type", &s.system),
        ("data source frequency", &s.frequency),
    ] {
        check_text(what, text, false)?;
        if text.trim().is_empty() {
            return Err(refuse(what, "is empty"));
        }
    }
    Ok(())
}

/// Applies the PII answers to the tables: exactly the listed columns are PII, with their
/// categories; each must exist and its mask must keep the column's type.
fn apply_pii(tables: &mut [StarterTable], pii: &[PiiAnswer]) -> Result<(), InputError> {
    for p in pii {
        let Some(field) = tables
            .iter()
            .find(|t| t.name == p.table)
            .and_then(|t| t.contract.field(&p.column))
        else {
            return Err(refuse(
                "pii",
                format!("{}.{} is not a column of the schema", p.table, p.column),
            ));
        };
        check_text("pii category", &p.category, false)?;
        if p.category.trim().is_empty() {
            return Err(refuse(
                "pii category",
                format!("{}.{} has an empty category", p.table, p.column),
            ));
        }
        if let Some(m) = p.method
            && !crate::spec::contract_sql::mask_fits(m, &field.data_type)
        {
            return Err(refuse(
                "pii masking",
                format!(
                    "{m} cannot mask {}.{} of type {}; use nullify",
                    p.table, p.column, field.data_type
                ),
            ));
        }
    }
    for t in tables {
        let mut categories = IndexMap::new();
        for f in &mut t.contract.schema.fields {
            let answer = pii.iter().find(|p| p.table == t.name && p.column == f.name);
            f.pii = answer.is_some();
            if let Some(p) = answer {
                categories.insert(f.name.clone(), p.category.clone());
            }
        }
        t.pii_categories = categories;
    }
    Ok(())
}

/// The mask method the user chose for a column, else the one its category suggests.
fn chosen_method(a: &Answers, table: &str, column: &str) -> Option<MaskMethod> {
    a.pii
        .iter()
        .flatten()
        .find(|p| p.table == table && p.column == column)
        .and_then(|p| p.method)
}

/// What the builder decided that the user should hear about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Notes(pub Vec<String>);

/// Builds the whole spec from validated answers and the date of creation.
pub fn build_spec(a: &Answers, today: Date) -> Result<(ProductSpec, Notes), InputError> {
    a.validate()?;
    let mut notes = Notes::default();
    let mut starter =
        starter::for_domain(&a.domain).map_err(|e| refuse("--domain", e.to_string()))?;
    let origin = match &a.tables {
        // Tables given by the user replace the starter's; its other defaults stay.
        Some(tables) => {
            starter.tables = tables.clone();
            "the schema given".to_string()
        }
        None => {
            if !starter::has_starter(&a.domain) {
                notes.0.push(format!(
                    "domain '{}' has no starter schema of its own; started from the general one",
                    a.domain
                ));
            }
            format!(
                "the {} starter",
                if starter::has_starter(&a.domain) {
                    a.domain.as_str()
                } else {
                    "general"
                }
            )
        }
    };
    let (spec, _) = build_spec_from(a, &starter, &origin, today)?;
    Ok((spec, notes))
}

/// Builds the whole spec from validated answers and the given tables (a domain starter, or
/// tables read from a file); `origin` names where the tables came from, for messages.
pub(crate) fn build_spec_from(
    a: &Answers,
    starter: &Starter,
    origin: &str,
    today: Date,
) -> Result<(ProductSpec, Notes), InputError> {
    a.validate()?;
    let notes = Notes::default();
    let with_pii;
    let starter = match &a.pii {
        Some(pii) => {
            let mut s = starter.clone();
            apply_pii(&mut s.tables, pii)?;
            with_pii = s;
            &with_pii
        }
        None => starter,
    };
    let sens = policy::sensitivity(a.sensitivity);
    if !sens.pii_allowed {
        let pii: Vec<String> = starter
            .tables
            .iter()
            .flat_map(|t| {
                t.contract
                    .pii_fields()
                    .map(move |f| format!("{}.{}", t.name, f.name))
            })
            .collect();
        if !pii.is_empty() {
            return Err(refuse(
                "--sensitivity",
                format!(
                    "public products may not contain PII, but {origin} has PII columns ({}); use --sensitivity internal, confidential or restricted",
                    pii.join(", ")
                ),
            ));
        }
    }
    let date = today.to_string();
    let contract = build_contract(starter, &date);
    let sla = build_sla(a, starter, &date);
    let governance = build_governance(a, starter, today);
    let product = build_product(a, starter, &contract, &governance, &date);
    Ok((
        ProductSpec {
            product,
            contract,
            sla,
            governance,
            settings: crate::spec::settings::Settings::default(),
        },
        notes,
    ))
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn build_contract(starter: &Starter, date: &str) -> Contract {
    Contract {
        contract_version: "1.0.0".into(),
        schema_version: "1.0.0".into(),
        last_updated: date.to_string(),
        tables: starter
            .tables
            .iter()
            .map(|t| (t.name.clone(), t.contract.clone()))
            .collect(),
        versioning: Versioning {
            strategy: "semantic".into(),
            breaking_changes: strings(&[
                "Removing columns",
                "Changing column data types",
                "Adding NOT NULL constraints to existing columns",
                "Changing primary key",
            ]),
            non_breaking_changes: strings(&[
                "Adding new columns",
                "Relaxing constraints",
                "Adding indexes",
                "Documentation updates",
            ]),
            deprecation_policy: DeprecationPolicy {
                notice_period_days: 90,
                support_period_days: 180,
                communication_channels: strings(&["email", "slack", "documentation"]),
            },
        },
        backward_compatibility: BackwardCompatibility {
            guaranteed_versions: 2,
            migration_scripts_provided: true,
            dual_running_period_days: 30,
        },
    }
}

fn build_sla(a: &Answers, starter: &Starter, date: &str) -> Sla {
    let p = policy::sla(a.sla);
    Sla {
        sla_version: "1.0.0".into(),
        level: a.sla,
        effective_date: date.to_string(),
        review_frequency: "quarterly".into(),
        freshness: freshness(a, starter, p),
        quality: sla_quality(p),
        availability: Availability {
            description: "Product must be accessible during defined hours".into(),
            target: p.availability,
            measurement: "Uptime percentage".into(),
            measurement_window: "monthly".into(),
            planned_maintenance: PlannedMaintenance {
                window: "Sunday 02:00-04:00 UTC".into(),
                notification_period: "7 days advance notice".into(),
                max_frequency: "Monthly".into(),
            },
        },
        performance: performance(p),
        support: SupportLevels {
            description: "Support response times".into(),
            levels: policy::SUPPORT_LEVELS
                .iter()
                .map(|(sev, desc, response, resolution, comm)| SupportLevel {
                    severity: sev.parse().unwrap_or(Severity::Low),
                    description: desc.to_string(),
                    response_time: response.to_string(),
                    resolution_target: resolution.to_string(),
                    communication: comm.to_string(),
                })
                .collect(),
        },
        monitoring: sla_monitoring(a, p),
        consequences: Consequences {
            sla_breach: BreachResponse {
                reporting: "Automatic incident report generated".into(),
                review: "Root cause analysis within 48 hours".into(),
                improvement_plan: "Action items identified and tracked".into(),
            },
            repeated_breaches: RepeatedBreaches {
                threshold: "3 breaches in 30 days".into(),
                action: "Executive review and remediation plan required".into(),
            },
        },
    }
}

/// A freshness metric for every table with a date or timestamp column to measure it by.
fn freshness(a: &Answers, starter: &Starter, p: &policy::SlaPolicy) -> Freshness {
    Freshness {
        description: "Data must be updated within defined time windows".into(),
        metrics: starter
            .tables
            .iter()
            .filter_map(|t| {
                let column = crate::spec::contract::freshness_column(&t.contract)?;
                let (target, breach) = policy::freshness_for(a.sla, &t.update_frequency);
                Some(FreshnessMetric {
                    table: t.name.clone(),
                    target_latency: target,
                    measurement_method: format!("max({column}) compared to current time"),
                    breach_threshold: breach,
                    measurement_frequency: format!("Every {}", p.measurement_every),
                })
            })
            .collect(),
    }
}

/// Completeness, accuracy and consistency, with the SLA level's targets.
fn sla_quality(p: &policy::SlaPolicy) -> Quality {
    let quality = |name: &str, measurement: &str, consistency: bool| QualityMetric {
        name: name.into(),
        target: if consistency {
            p.consistency_target
        } else {
            p.quality_target
        },
        measurement: measurement.into(),
        breach_threshold: if consistency {
            p.consistency_breach
        } else {
            p.quality_breach
        },
    };
    Quality {
        description: "Data must meet quality standards".into(),
        metrics: vec![
            quality(
                "completeness",
                "Percentage of non-null values in required fields",
                false,
            ),
            quality(
                "accuracy",
                "Percentage of records passing validation rules",
                false,
            ),
            quality(
                "consistency",
                "Percentage of records with consistent cross-table references",
                true,
            ),
        ],
    }
}

/// Query latency targets: the level's p95, and twice it for p99.
fn performance(p: &policy::SlaPolicy) -> Performance {
    let seconds = |s: u32| {
        if s == 1 {
            "< 1 second".to_string()
        } else {
            format!("< {s} seconds")
        }
    };
    Performance {
        description: "Query performance targets".into(),
        metrics: [
            "Simple SELECT on primary key",
            "Aggregation on clustering columns",
            "Complex multi-table JOIN",
        ]
        .iter()
        .zip(p.p95_seconds)
        .map(|(q, s)| PerformanceMetric {
            query_type: q.to_string(),
            target_latency_p95: seconds(s),
            target_latency_p99: seconds(s * 2),
        })
        .collect(),
    }
}

/// The SLA dashboard and its breach alerts; urgent ones page from the medium level up.
fn sla_monitoring(a: &Answers, p: &policy::SlaPolicy) -> Monitoring {
    let pager = matches!(
        a.sla,
        SlaLevel::Critical | SlaLevel::High | SlaLevel::Medium
    );
    let mut urgent_channels = strings(&["email", "slack"]);
    if pager {
        urgent_channels.push("pagerduty".into());
    }
    Monitoring {
        dashboards: vec![Dashboard {
            name: "SLA Tracking Dashboard".into(),
            url: format!("/sql/dashboards/{}-sla", a.name),
            refresh_frequency: "5 minutes".into(),
        }],
        alerts: vec![
            Alert {
                name: "Freshness SLA Breach".into(),
                condition: format!("Data age > {}", p.freshness_breach),
                severity: Severity::High,
                notification_channels: urgent_channels.clone(),
            },
            Alert {
                name: "Quality SLA Breach".into(),
                condition: format!("Quality score < {}", p.quality_breach),
                severity: Severity::High,
                notification_channels: strings(&["email", "slack"]),
            },
            Alert {
                name: "Availability Issue".into(),
                condition: "Query failures > 5 in 10 minutes".into(),
                severity: Severity::Critical,
                notification_channels: urgent_channels,
            },
        ],
    }
}

/// The masking method that suits a kind of personal data.
pub(crate) fn mask_method(category: &str, is_string: bool) -> MaskMethod {
    if !is_string {
        return MaskMethod::Nullify;
    }
    match category {
        "email" => MaskMethod::PartialEmail,
        "ip_address" | "national_id" => MaskMethod::Truncate,
        _ => MaskMethod::Redact,
    }
}

pub(crate) fn owner_group(domain: &str) -> String {
    format!("{domain}-data-owners")
}

/// (principal, type, permission) of every reader.
fn consumers_of(a: &Answers, starter: &Starter) -> Vec<(String, PrincipalType, String)> {
    if a.consumers.is_empty() {
        starter
            .consumers
            .iter()
            .map(|c| {
                let select = policy::CONSUMER_PERMISSIONS[0].0.to_string();
                (c.principal.clone(), c.principal_type, select)
            })
            .collect()
    } else {
        a.consumers
            .iter()
            .map(|c| (c.principal.clone(), c.principal_type, c.permission.clone()))
            .collect()
    }
}

fn build_governance(a: &Answers, starter: &Starter, today: Date) -> Governance {
    let sens = policy::sensitivity(a.sensitivity);
    let tier = policy::tier(a.tier);
    let owner = owner_group(&a.domain);
    let consumers = consumers_of(a, starter);
    let pii_fields = pii_fields(starter);
    let unmask_groups = unmask_groups(sens, &owner, &consumers);
    let rules = mask_rules(a, starter, &pii_fields, &unmask_groups);
    let mut table_tags = IndexMap::new();
    table_tags.insert("data_product".to_string(), a.name.clone());
    table_tags.insert("domain".to_string(), a.domain.clone());
    table_tags.insert("tier".to_string(), a.tier.to_string());
    table_tags.insert("sensitivity".to_string(), a.sensitivity.to_string());
    if tier.certified {
        table_tags.insert("certified".to_string(), "true".to_string());
    }
    Governance {
        governance_version: "1.0.0".into(),
        classification: Classification {
            sensitivity: a.sensitivity,
            contains_pii: !pii_fields.is_empty(),
            certified: tier.certified,
            table_tags,
        },
        masking: Masking {
            strategy: a.masking,
            rules,
        },
        pii_fields,
        access_policy: AccessPolicy {
            default_access: sens.default_access,
            owner_group: owner,
            row_filter: sens.row_filter,
            external_sharing: sens.external_sharing,
            quality_identity: None,
        },
        approved_consumers: approved_consumers(a, sens, consumers, today),
        approval_workflow: ApprovalWorkflow {
            required: sens.approval_required,
            workflow: if sens.approval_required {
                "manager-approval".into()
            } else {
                "owner-notification".into()
            },
            justification_required: sens.justification_required,
            max_grant_days: sens.max_grant_days,
        },
        audit: Audit {
            enabled: sens.audit,
            log_source: "system.access.audit".into(),
            review_frequency: if sens.audit { "monthly" } else { "on request" }.into(),
        },
        compliance: a
            .compliance
            .clone()
            .unwrap_or_else(|| starter.compliance.clone()),
        retention: Retention {
            period: a
                .retention
                .clone()
                .unwrap_or_else(|| starter.retention_period.clone()),
            deleted_file_retention: "7 days".into(),
            log_retention: "30 days".into(),
        },
    }
}

/// Every PII column of the tables, with its category.
fn pii_fields(starter: &Starter) -> Vec<PiiField> {
    starter
        .tables
        .iter()
        .flat_map(|t| {
            t.pii_categories.iter().map(|(column, category)| PiiField {
                table: t.name.clone(),
                column: column.clone(),
                category: category.clone(),
            })
        })
        .collect()
}

/// Who sees PII unmasked: the owner group and the consumer groups, as the sensitivity allows.
fn unmask_groups(
    sens: &policy::SensitivityPolicy,
    owner: &str,
    consumers: &[(String, PrincipalType, String)],
) -> Vec<String> {
    let mut unmask_groups = Vec::new();
    if sens.owner_unmasks {
        unmask_groups.push(owner.to_string());
    }
    if sens.consumers_unmask {
        unmask_groups.extend(
            consumers
                .iter()
                .filter(|(_, t, _)| *t == PrincipalType::Group)
                .map(|(p, _, _)| p.clone()),
        );
    }
    unmask_groups
}

/// A mask for every PII column: the method chosen for it, else the one its category suits.
fn mask_rules(
    a: &Answers,
    starter: &Starter,
    pii_fields: &[PiiField],
    unmask_groups: &[String],
) -> Vec<MaskRule> {
    pii_fields
        .iter()
        .map(|p| {
            let is_string = starter
                .tables
                .iter()
                .find(|t| t.name == p.table)
                .and_then(|t| t.contract.field(&p.column))
                .is_some_and(|f| f.data_type == crate::spec::data_type::DataType::String);
            MaskRule {
                table: p.table.clone(),
                column: p.column.clone(),
                method: chosen_method(a, &p.table, &p.column)
                    .unwrap_or_else(|| mask_method(&p.category, is_string)),
                unmask_groups: unmask_groups.to_vec(),
            }
        })
        .collect()
}

/// The readers, approved by the owner at creation when the sensitivity requires approval,
/// with a justification and an expiry when it requires them.
fn approved_consumers(
    a: &Answers,
    sens: &policy::SensitivityPolicy,
    consumers: Vec<(String, PrincipalType, String)>,
    today: Date,
) -> Vec<Consumer> {
    let expires = sens
        .max_grant_days
        .map(|days| today.plus_days(i64::from(days)).to_string());
    consumers
        .into_iter()
        .map(|(principal, principal_type, permission)| Consumer {
            principal,
            principal_type,
            application_id: None,
            permission,
            tables: Vec::new(),
            justification: sens.justification_required.then(|| {
                "Granted at product creation; renew with a business justification".to_string()
            }),
            expires: expires.clone(),
            // Creating the product with these consumers is the owner's approval of them.
            approved_by: sens.approval_required.then(|| a.owner.clone()),
            approved_date: sens.approval_required.then(|| today.to_string()),
        })
        .collect()
}

fn build_product(
    a: &Answers,
    starter: &Starter,
    contract: &Contract,
    gov: &Governance,
    date: &str,
) -> ProductManifest {
    let p = policy::sla(a.sla);
    let sens = policy::sensitivity(a.sensitivity);
    let domain_title = title_case(&a.domain);
    let mut tags = IndexMap::new();
    tags.insert("cost_center".to_string(), a.domain.clone());
    tags.insert("project".to_string(), a.name.clone());
    tags.insert("criticality".to_string(), a.sla.to_string());
    tags.insert("data_mesh_domain".to_string(), a.domain.clone());
    let mut pii_fields: Vec<String> = Vec::new();
    for f in &gov.pii_fields {
        if !pii_fields.contains(&f.column) {
            pii_fields.push(f.column.clone());
        }
    }
    ProductManifest {
        product_metadata: ProductMetadata {
            name: a.name.clone(),
            display_name: a
                .display_name
                .clone()
                .unwrap_or_else(|| title_case(&a.name)),
            version: "1.0.0".into(),
            domain: a.domain.clone(),
            tier: a.tier,
            owner: Owner {
                name: format!("{domain_title} Data Team"),
                email: a.owner.clone(),
                slack_channel: format!("#{}-data", a.domain),
            },
            created_date: date.to_string(),
            last_updated: date.to_string(),
        },
        description: a
            .description
            .clone()
            .unwrap_or_else(|| starter.description.clone()),
        use_cases: a
            .use_cases
            .clone()
            .unwrap_or_else(|| starter.use_cases.clone()),
        data_sources: a
            .data_sources
            .clone()
            .unwrap_or_else(|| starter.data_sources.clone()),
        catalog_location: catalog_location(a, starter),
        sla: sla_summary(p),
        data_classification: DataClassification {
            sensitivity: a.sensitivity,
            contains_pii: gov.classification.contains_pii,
            pii_fields,
            compliance: gov.compliance.iter().map(|c| c.to_string()).collect(),
            retention_period: gov.retention.period.clone(),
        },
        quality_metrics: quality_metrics(contract, p),
        access_control: access_control(sens, gov),
        monitoring: MonitoringSummary {
            enabled: true,
            dashboards: strings(&["sla_tracking", "quality_metrics", "usage_analytics"]),
            alerts: strings(&[
                "sla_breach",
                "quality_degradation",
                "unusual_access_patterns",
            ]),
        },
        support: Support {
            documentation_url: "docs/README.md".into(),
            slack_channel: format!("#{}-support", a.name),
            on_call_rotation: format!("{}-data-oncall", a.domain),
            escalation_contact: a.owner.clone(),
        },
        tags,
    }
}

/// Where the product lives in Unity Catalog, and what each table holds.
fn catalog_location(a: &Answers, starter: &Starter) -> CatalogLocation {
    CatalogLocation {
        catalog: a.catalog.clone(),
        schema: name::schema_name(&a.name),
        tables: starter
            .tables
            .iter()
            .map(|t| CatalogTable {
                name: t.name.clone(),
                description: t.contract.description.clone(),
                row_count: t.row_count.clone(),
                update_frequency: t.update_frequency.clone(),
            })
            .collect(),
    }
}

/// The SLA level's targets, in words.
fn sla_summary(p: &policy::SlaPolicy) -> SlaSummary {
    SlaSummary {
        freshness: Target {
            target: format!("< {}", p.freshness_target),
            measurement: "Time from source update to availability".into(),
        },
        quality: Target {
            target: format!("> {}", p.quality_target),
            measurement: "Percentage of records passing all quality checks".into(),
        },
        availability: Target {
            target: p.availability.to_string(),
            measurement: "Uptime percentage".into(),
        },
        performance: Target {
            target: format!("< {} seconds", p.p95_seconds[1]),
            measurement: "P95 query latency for standard queries".into(),
        },
    }
}

/// What the contract checks: the columns of critical expectations, the number of rules, and
/// the tables checked against the first one.
fn quality_metrics(contract: &Contract, p: &policy::SlaPolicy) -> QualityMetrics {
    let mut critical_fields: Vec<String> = Vec::new();
    let mut rule_count = 0u32;
    for table in contract.tables.values() {
        rule_count += table.quality_expectations.len() as u32;
        rule_count += table
            .schema
            .fields
            .iter()
            .map(|f| f.constraints.len() as u32)
            .sum::<u32>();
        for e in &table.quality_expectations {
            if e.severity == Severity::Critical
                && e.kind != ExpectationKind::Unique
                && !critical_fields.contains(&e.column)
            {
                critical_fields.push(e.column.clone());
            }
        }
    }
    // Tables that share a key column with the first table are checked against it.
    let cross_table_checks = contract
        .tables
        .values()
        .next()
        .map(|first| {
            contract
                .tables
                .values()
                .skip(1)
                .filter(|t| t.primary_key.iter().any(|k| first.primary_key.contains(k)))
                .count() as u32
        })
        .unwrap_or(0);
    QualityMetrics {
        completeness: Completeness {
            critical_fields,
            target: crate::spec::values::Percent(100.0),
        },
        accuracy: Accuracy {
            validation_rules: rule_count,
            target: p.quality_target,
        },
        consistency: Consistency {
            cross_table_checks,
            target: p.consistency_target,
        },
    }
}

/// The manifest's access summary, mirroring governance.yaml's consumers and workflow.
fn access_control(sens: &policy::SensitivityPolicy, gov: &Governance) -> AccessControl {
    AccessControl {
        default_access: sens.default_access.as_str().to_string(),
        approved_consumers: gov
            .approved_consumers
            .iter()
            .map(|c| ConsumerGrant {
                group: (c.principal_type == PrincipalType::Group).then(|| c.principal.clone()),
                service_principal: (c.principal_type == PrincipalType::ServicePrincipal)
                    .then(|| c.principal.clone()),
                user: (c.principal_type == PrincipalType::User).then(|| c.principal.clone()),
                permission: c.permission.clone(),
            })
            .collect(),
        approval_required: gov.approval_workflow.required,
        approval_workflow: gov.approval_workflow.workflow.clone(),
    }
}
