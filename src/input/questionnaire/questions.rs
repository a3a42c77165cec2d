//! The discovery questionnaire (the brief's Phase 1): purpose, consumers and use cases,
//! sources, SLA, retention, compliance, schema, PII. It asks only what is still open in the
//! answers (no flag and no answers file gave it), with the flags' checks and messages.

use super::prompter::{Interrupted, Prompter};
use super::tables;
use crate::input::answers::{self, ConsumerAnswer};
use crate::input::answers_file::{
    AnswersFile, ConsumerEntry, DEFAULT_DOMAIN, PiiEntry, SchemaAnswer,
};
use crate::input::starter::{self, Starter, StarterTable};
use crate::spec::data_type::DataType;
use crate::spec::governance::{Compliance, MaskMethod};
use crate::spec::policy;
use crate::spec::product::DataSource;
use crate::spec::values::{Sensitivity, SlaLevel, Tier};

/// Gives the default owner of a domain, and a note when it is a placeholder.
pub(crate) type DefaultOwner<'a> = &'a dyn Fn(&str) -> (String, Option<String>);

/// Asks every open question, in the brief's order, and fills `d`. Returns notes for the
/// summary (a placeholder owner accepted, for instance).
pub(crate) fn ask(
    p: &mut dyn Prompter,
    d: &mut AnswersFile,
    default_owner: DefaultOwner,
) -> Result<Vec<String>, Interrupted> {
    let mut notes = Vec::new();
    p.say("Describe the data product; Enter accepts the default shown in brackets.");
    if d.name.is_none() {
        d.name = Some(text(
            p,
            "Product name (kebab-case, e.g. customer-360)",
            None,
            crate::spec::name::check_product_name,
        )?);
    }
    let name = d.name.clone().unwrap_or_default();
    if d.display_name.is_none() {
        let default = answers::title_case(&name);
        d.display_name = Some(text(p, "Display name", Some(&default), |s| {
            answers::check_display_name(s).map_err(|e| e.message)
        })?);
    }
    if d.description.is_none() {
        let typed = text(
            p,
            "Description: what is the product for? (Enter keeps the domain starter's)",
            None,
            |s| answers::check_text("--description", s, false).map_err(|e| e.message),
        )?;
        d.description = (!typed.is_empty()).then_some(typed);
    }
    if d.domain.is_none() {
        d.domain = Some(text(
            p,
            "Domain (marketing, sales, finance and operations have starter schemas; others start from general)",
            Some(DEFAULT_DOMAIN),
            answers::check_domain,
        )?);
    }
    let domain = d.domain_or_default().to_string();
    if d.tier.is_none() {
        d.tier = Some(ask_tier(p, d.sla)?);
    }
    let tier = d.tier.unwrap_or(Tier::Gold);
    if d.owner.is_none() {
        let (default, placeholder) = default_owner(&domain);
        let owner = text(p, "Owner email", Some(&default), |s| {
            crate::spec::name::check_email(s)
        })?;
        if owner == default {
            notes.extend(placeholder);
        }
        d.owner = Some(owner);
    }
    if d.sla.is_none() {
        d.sla = Some(ask_sla(p, tier)?);
    }
    if d.sensitivity.is_none() {
        d.sensitivity = Some(ask_sensitivity(p)?);
    }
    // Built in, so it always parses; an empty starter only means no defaults to offer.
    let starter = starter::for_domain(&domain).unwrap_or_else(|_| empty_starter());
    if d.use_cases.is_none() {
        d.use_cases = ask_use_cases(p, &starter)?;
    }
    if d.consumers.is_none() {
        d.consumers = ask_consumers(p, &starter)?;
    }
    if d.data_sources.is_none() {
        d.data_sources = ask_data_sources(p, &starter)?;
    }
    if d.retention.is_none() {
        d.retention = Some(text(
            p,
            "Retention period (how long data is kept)",
            Some(&starter.retention_period),
            |s| answers::check_retention(s).map_err(|e| e.message),
        )?);
    }
    if d.compliance.is_none() {
        let items: Vec<String> = Compliance::ALL.iter().map(|c| c.to_string()).collect();
        let checked: Vec<bool> = Compliance::ALL
            .iter()
            .map(|c| starter.compliance.contains(c))
            .collect();
        let chosen = p.multi_select("Compliance regimes", &items, &checked)?;
        d.compliance = Some(chosen.iter().map(|&i| Compliance::ALL[i]).collect());
    }
    let mut schema_tables = None;
    if d.schema.is_none() {
        let (schema, tables) = ask_schema(p, &starter, &domain)?;
        d.schema = Some(schema);
        schema_tables = Some(tables);
    }
    if d.pii.is_none() {
        let tables = match schema_tables {
            Some(t) => t,
            None => current_tables(d, &starter),
        };
        let public = d.sensitivity == Some(Sensitivity::Public);
        d.pii = Some(ask_pii(p, &tables, public)?);
    }
    Ok(notes)
}

/// Asks for one line of text, trimmed; `check` refuses with the flags' message.
pub(super) fn text(
    p: &mut dyn Prompter,
    prompt: &str,
    default: Option<&str>,
    check: impl Fn(&str) -> Result<(), String>,
) -> Result<String, Interrupted> {
    let value = p.input(prompt, default, &|s: &str| check(s.trim()))?;
    Ok(value.trim().to_string())
}

fn empty_starter() -> Starter {
    Starter {
        description: String::new(),
        use_cases: Vec::new(),
        data_sources: Vec::new(),
        consumers: Vec::new(),
        compliance: Vec::new(),
        retention_period: "3 years".into(),
        tables: Vec::new(),
    }
}

fn ask_tier(p: &mut dyn Prompter, sla: Option<SlaLevel>) -> Result<Tier, Interrupted> {
    let items: Vec<String> = Tier::ALL
        .iter()
        .map(|t| {
            let rule = policy::tier(*t);
            let allowed: Vec<&str> = rule.allowed_sla.iter().map(|l| l.as_str()).collect();
            match t {
                Tier::Gold => "gold: curated; any SLA level".to_string(),
                Tier::Platinum => format!(
                    "platinum: certified; needs SLA {}, critical expectations fail the pipeline",
                    allowed.join(" or ")
                ),
            }
        })
        .collect();
    loop {
        let tier = Tier::ALL[p.select("Tier", &items, 0)?];
        // The SLA came from a flag: a tier that refuses it is asked again.
        match sla.map(|s| answers::check_tier_sla(tier, s)) {
            Some(Err(e)) => p.say(&format!("{}: {}", e.flag, e.message)),
            _ => return Ok(tier),
        }
    }
}

/// "critical: fresh within 1 hour (breach after 2 hours), 99.95% available, ...".
pub(crate) fn describe_sla(level: SlaLevel) -> String {
    let s = policy::sla(level);
    format!(
        "{level}: fresh within {} (breach after {}), {} available, {} of records pass quality checks",
        s.freshness_target, s.freshness_breach, s.availability, s.quality_target
    )
}

fn ask_sla(p: &mut dyn Prompter, tier: Tier) -> Result<SlaLevel, Interrupted> {
    let allowed = policy::tier(tier).allowed_sla;
    let items: Vec<String> = allowed.iter().map(|l| describe_sla(*l)).collect();
    let default = allowed
        .iter()
        .position(|l| *l == SlaLevel::Medium)
        .or_else(|| allowed.iter().position(|l| *l == SlaLevel::High))
        .unwrap_or(0);
    let prompt = if allowed.len() < SlaLevel::ALL.len() {
        format!("SLA level (tier {tier} allows these)")
    } else {
        "SLA level".to_string()
    };
    Ok(allowed[p.select(&prompt, &items, default)?])
}

/// "confidential: readers must be approved (default DENY); PII clear for the owner group only; ...".
pub(crate) fn describe_sensitivity(level: Sensitivity) -> String {
    let s = policy::sensitivity(level);
    let access = match s.default_access {
        crate::spec::governance::DefaultAccess::AccountUsers => "every account user may read",
        crate::spec::governance::DefaultAccess::ApprovedConsumers => "approved consumers read",
        crate::spec::governance::DefaultAccess::Deny => "default DENY; approved consumers read",
    };
    let pii = if !s.pii_allowed {
        "no PII allowed"
    } else if s.consumers_unmask {
        "PII masked except for the owner and consumer groups"
    } else if s.owner_unmasks {
        "PII clear for the owner group only"
    } else {
        "PII masked for everyone until unmasked per column"
    };
    let mut parts = vec![access.to_string(), pii.to_string()];
    if s.approval_required {
        parts.push(match (s.justification_required, s.max_grant_days) {
            (true, Some(days)) => {
                format!("approval with a justification, grants expire within {days} days")
            }
            _ => "approval required".to_string(),
        });
    }
    if s.audit {
        parts.push("audited".into());
    }
    if s.row_filter {
        parts.push("row filter".into());
    }
    if !s.external_sharing {
        parts.push("no external sharing".into());
    }
    format!("{level}: {}", parts.join("; "))
}

fn ask_sensitivity(p: &mut dyn Prompter) -> Result<Sensitivity, Interrupted> {
    let items: Vec<String> = Sensitivity::ALL
        .iter()
        .map(|s| describe_sensitivity(*s))
        .collect();
    let default = Sensitivity::ALL
        .iter()
        .position(|s| *s == Sensitivity::Internal)
        .unwrap_or(0);
    Ok(Sensitivity::ALL[p.select("Sensitivity", &items, default)?])
}

/// Shows the starter's list and asks whether to keep it; `None` keeps it.
fn keep(p: &mut dyn Prompter, what: &str, shown: &[String]) -> Result<bool, Interrupted> {
    if shown.is_empty() {
        return Ok(false);
    }
    p.say(&format!(
        "{what} of the domain starter:\n{}",
        shown
            .iter()
            .map(|s| format!("  - {s}"))
            .collect::<Vec<_>>()
            .join("\n")
    ));
    p.confirm(&format!("Keep these {}?", what.to_lowercase()), true)
}

fn ask_use_cases(
    p: &mut dyn Prompter,
    starter: &Starter,
) -> Result<Option<Vec<String>>, Interrupted> {
    if keep(p, "Use cases", &starter.use_cases)? {
        return Ok(None);
    }
    let mut list: Vec<String> = Vec::new();
    loop {
        let done = !list.is_empty();
        let prompt = if done {
            "Another use case (Enter when done)"
        } else {
            "Use case"
        };
        let uc = text(p, prompt, None, |s| {
            if s.is_empty() && done {
                return Ok(());
            }
            answers::check_use_case(s).map_err(|e| e.message)
        })?;
        if uc.is_empty() {
            return Ok(Some(list));
        }
        list.push(uc);
    }
}

fn ask_consumers(
    p: &mut dyn Prompter,
    starter: &Starter,
) -> Result<Option<Vec<ConsumerEntry>>, Interrupted> {
    let shown: Vec<String> = starter
        .consumers
        .iter()
        .map(|c| format!("{} ({}, SELECT)", c.principal, c.principal_type))
        .collect();
    if keep(p, "Consumers", &shown)? {
        return Ok(None);
    }
    let mut list: Vec<ConsumerEntry> = Vec::new();
    loop {
        let done = !list.is_empty();
        let prompt = if done {
            "Another consumer group (Enter when done)"
        } else {
            "Consumer group"
        };
        let taken: Vec<String> = list.iter().map(|c| c.principal.clone()).collect();
        let group = text(p, prompt, None, |s| {
            if s.is_empty() && done {
                return Ok(());
            }
            answers::check_consumer(&ConsumerAnswer::group(s)).map_err(|e| e.message)?;
            if taken.iter().any(|t| t == s) {
                return Err(format!("'{s}' is given twice"));
            }
            Ok(())
        })?;
        if group.is_empty() {
            return Ok(Some(list));
        }
        let permission = if policy::CONSUMER_PERMISSIONS.len() == 1 {
            let (perm, meaning) = policy::CONSUMER_PERMISSIONS[0];
            p.say(&format!("  permission: {perm} ({meaning})"));
            perm.to_string()
        } else {
            let items: Vec<String> = policy::CONSUMER_PERMISSIONS
                .iter()
                .map(|(perm, meaning)| format!("{perm}: {meaning}"))
                .collect();
            let i = p.select(&format!("Permission for {group}"), &items, 0)?;
            policy::CONSUMER_PERMISSIONS[i].0.to_string()
        };
        let c = ConsumerAnswer::group(group);
        list.push(ConsumerEntry {
            principal: c.principal,
            principal_type: c.principal_type,
            permission,
        });
    }
}

/// Refresh frequencies offered for a data source.
const FREQUENCIES: [&str; 5] = ["Real-time", "Hourly", "Daily", "Weekly", "Monthly"];

fn ask_data_sources(
    p: &mut dyn Prompter,
    starter: &Starter,
) -> Result<Option<Vec<DataSource>>, Interrupted> {
    let shown: Vec<String> = starter
        .data_sources
        .iter()
        .map(|s| format!("{} ({}, {})", s.name, s.system, s.frequency))
        .collect();
    if keep(p, "Data sources", &shown)? {
        return Ok(None);
    }
    let line = |what: &'static str| {
        move |s: &str| {
            answers::check_text(what, s, false).map_err(|e| e.message)?;
            if s.is_empty() {
                return Err(format!("{what} is empty"));
            }
            Ok(())
        }
    };
    let mut list: Vec<DataSource> = Vec::new();
    loop {
        let done = !list.is_empty();
        let prompt = if done {
            "Another data source name (Enter when done)"
        } else {
            "Data source name (e.g. CRM System)"
        };
        let name = text(p, prompt, None, |s| {
            if s.is_empty() && done {
                Ok(())
            } else {
                line("data source name")(s)
            }
        })?;
        if name.is_empty() {
            return Ok(Some(list));
        }
        let system = text(
            p,
            &format!("System type of {name} (e.g. Salesforce, PostgreSQL, Kafka)"),
            None,
            line("data source type"),
        )?;
        let items: Vec<String> = FREQUENCIES.iter().map(|f| f.to_string()).collect();
        let f = p.select(&format!("How often {name} delivers"), &items, 2)?;
        let source = DataSource {
            name,
            system,
            frequency: FREQUENCIES[f].to_string(),
        };
        list.push(source);
    }
}

fn ask_schema(
    p: &mut dyn Prompter,
    starter: &Starter,
    domain: &str,
) -> Result<(SchemaAnswer, Vec<StarterTable>), Interrupted> {
    let names: Vec<&str> = starter.tables.iter().map(|t| t.name.as_str()).collect();
    let owner = if starter::has_starter(domain) {
        domain
    } else {
        "general"
    };
    let items = vec![
        format!("keep the {owner} starter's tables ({})", names.join(", ")),
        "import from a file (CREATE TABLE .sql, CSV with a header, another contract.yaml)"
            .to_string(),
        "define tables now".to_string(),
    ];
    match p.select("Schema", &items, 0)? {
        0 => Ok((SchemaAnswer::Starter, starter.tables.clone())),
        1 => {
            let path = text(p, "File to import", None, |s| {
                if s.is_empty() {
                    return Err("a file name is needed".into());
                }
                crate::input::schema_import::tables_from_file(std::path::Path::new(s))
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            })?;
            let path = std::path::PathBuf::from(path);
            let tables = crate::input::schema_import::tables_from_file(&path).unwrap_or_default();
            Ok((SchemaAnswer::FromFile(path), tables))
        }
        _ => {
            let t = tables::define(p)?;
            Ok((SchemaAnswer::Tables(t.clone()), t))
        }
    }
}

/// The tables the answers name so far (for the PII question when the schema came from a
/// flag or the answers file).
fn current_tables(d: &AnswersFile, starter: &Starter) -> Vec<StarterTable> {
    match &d.schema {
        None | Some(SchemaAnswer::Starter) => starter.tables.clone(),
        Some(SchemaAnswer::Tables(t)) => t.clone(),
        Some(SchemaAnswer::FromFile(path)) => {
            crate::input::schema_import::tables_from_file(path).unwrap_or_default()
        }
    }
}

fn ask_pii(
    p: &mut dyn Prompter,
    tables: &[StarterTable],
    public: bool,
) -> Result<Vec<PiiEntry>, Interrupted> {
    let columns: Vec<(&StarterTable, &crate::spec::contract::Field)> = tables
        .iter()
        .flat_map(|t| t.contract.schema.fields.iter().map(move |f| (t, f)))
        .collect();
    if columns.is_empty() {
        return Ok(Vec::new());
    }
    let items: Vec<String> = columns
        .iter()
        .map(|(t, f)| format!("{}.{} ({})", t.name, f.name, f.data_type))
        .collect();
    let checked: Vec<bool> = columns.iter().map(|(_, f)| f.pii).collect();
    let chosen = loop {
        let chosen = p.multi_select("Which columns hold personal data (PII)?", &items, &checked)?;
        if public && !chosen.is_empty() {
            p.say("--sensitivity: public products may not contain PII; choose none, or go back with Ctrl-C and pick another sensitivity");
            continue;
        }
        break chosen;
    };
    let mut out = Vec::new();
    for i in chosen {
        let (t, f) = columns[i];
        let category = t
            .pii_categories
            .get(&f.name)
            .cloned()
            .or_else(|| crate::input::schema_import::pii::category(&f.name).map(str::to_string))
            .unwrap_or_else(|| "personal".to_string());
        let is_string = f.data_type == DataType::String;
        let methods: Vec<MaskMethod> = MaskMethod::ALL
            .iter()
            .copied()
            .filter(|m| crate::spec::contract_sql::mask_fits(*m, &f.data_type))
            .collect();
        let suggested = answers::mask_method(&category, is_string);
        let default = methods.iter().position(|m| *m == suggested).unwrap_or(0);
        let items: Vec<String> = methods.iter().map(|m| describe_mask(*m)).collect();
        let m = p.select(
            &format!("Mask for {}.{} ({category})", t.name, f.name),
            &items,
            default,
        )?;
        out.push(PiiEntry {
            table: t.name.clone(),
            column: f.name.clone(),
            category,
            masking: Some(methods[m]),
        });
    }
    Ok(out)
}

fn describe_mask(m: MaskMethod) -> String {
    let what = match m {
        MaskMethod::PartialEmail => "first letters and ***@***",
        MaskMethod::Redact => "****",
        MaskMethod::Last4 => "only the last 4 characters",
        MaskMethod::Truncate => "the first characters only (generalised)",
        MaskMethod::Nullify => "NULL",
    };
    format!("{m}: readers see {what}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::questionnaire::prompter::script::{Answer, Answer::*, Script};

    fn owner(domain: &str) -> (String, Option<String>) {
        (
            format!("{domain}-data@company.com"),
            Some("placeholder".into()),
        )
    }

    fn run(
        draft: &mut AnswersFile,
        answers: Vec<Answer>,
    ) -> (Script, Result<Vec<String>, Interrupted>) {
        let mut script = Script::new(answers);
        let result = ask(&mut script, draft, &owner);
        (script, result)
    }

    fn spec_of(draft: AnswersFile) -> crate::spec::ProductSpec {
        let (answers, _) = draft.into_answers(owner).expect("answers");
        let today = crate::lang::date::Date::parse("2024-12-31").expect("date");
        crate::input::answers::build_spec(&answers, today)
            .expect("spec")
            .0
    }

    /// Enter for display name, description, then the domain typed, then Enter for the rest
    /// (tier, owner, SLA, sensitivity, use cases, consumers, sources, retention, compliance,
    /// schema, PII) and for each of the starter's `masks` PII columns.
    fn defaults_for(domain: &'static str, masks: usize) -> Vec<Answer> {
        let mut a = vec![Text(""), Text(""), Text(domain)];
        a.extend(std::iter::repeat_n(Text(""), 11 + masks));
        a
    }

    #[test]
    fn accepting_every_default_gives_the_flags_product() {
        let mut draft = AnswersFile {
            name: Some("customer-360".into()),
            ..AnswersFile::default()
        };
        let (script, result) = run(&mut draft, defaults_for("marketing", 5));
        assert!(result.is_ok(), "{:?}", script.asked);
        assert!(
            script.answers.is_empty(),
            "unused answers: {:?}",
            script.answers
        );
        let flags = AnswersFile {
            name: Some("customer-360".into()),
            domain: Some("marketing".into()),
            ..AnswersFile::default()
        };
        assert_eq!(spec_of(draft), spec_of(flags));
    }

    #[test]
    fn questions_come_in_the_briefs_order() {
        let mut draft = AnswersFile {
            name: Some("x".into()),
            ..AnswersFile::default()
        };
        let (script, _) = run(&mut draft, defaults_for("general", 0));
        let order = [
            "Display name",
            "Description",
            "Domain",
            "Tier",
            "Owner email",
            "SLA level",
            "Sensitivity",
            "Keep these use cases?",
            "Keep these consumers?",
            "Keep these data sources?",
            "Retention period",
            "Compliance regimes",
            "Schema",
            "Which columns hold personal data",
        ];
        let positions: Vec<usize> = order
            .iter()
            .map(|q| {
                script
                    .asked
                    .iter()
                    .position(|a| a.starts_with(q))
                    .unwrap_or_else(|| panic!("{q} not asked: {:?}", script.asked))
            })
            .collect();
        assert!(
            positions.windows(2).all(|w| w[0] < w[1]),
            "{:?}",
            script.asked
        );
    }

    #[test]
    fn an_invalid_email_is_asked_again_with_the_flags_message() {
        let mut draft = AnswersFile {
            name: Some("x".into()),
            display_name: Some("X".into()),
            description: Some("d".into()),
            domain: Some("general".into()),
            tier: Some(Tier::Gold),
            ..AnswersFile::default()
        };
        let mut answers = vec![Text("not-an-email"), Text("owner@example.com")];
        answers.extend(std::iter::repeat_n(Text(""), 9));
        let (script, result) = run(&mut draft, answers);
        assert!(result.is_ok());
        let flag_message = crate::spec::name::check_email("not-an-email").unwrap_err();
        assert_eq!(script.refused, [flag_message]);
        assert_eq!(draft.owner.as_deref(), Some("owner@example.com"));
    }

    #[test]
    fn answers_given_by_flags_are_not_asked() {
        let mut draft = AnswersFile {
            name: Some("x".into()),
            domain: Some("sales".into()),
            owner: Some("sales-team@company.com".into()),
            sla: Some(SlaLevel::High),
            ..AnswersFile::default()
        };
        let (script, _) = run(&mut draft, vec![Stop]);
        assert!(
            script.asked[0].starts_with("Display name"),
            "{:?}",
            script.asked
        );
        let mut answers = vec![Text(""); 3];
        answers.extend(std::iter::repeat_n(Text(""), 20));
        let mut draft2 = draft.clone();
        let (script, _) = run(&mut draft2, answers);
        for q in ["Domain", "Owner email", "SLA level"] {
            assert!(!script.asked.iter().any(|a| a.starts_with(q)), "{q} asked");
        }
    }

    #[test]
    fn platinum_offers_only_the_slas_it_allows() {
        let mut draft = AnswersFile {
            name: Some("x".into()),
            ..AnswersFile::default()
        };
        let answers = vec![
            Text(""),
            Text(""),
            Text("finance"),
            Choose(1),
            Text(""),
            Stop,
        ];
        let (script, result) = run(&mut draft, answers);
        assert_eq!(result, Err(Interrupted));
        assert_eq!(draft.tier, Some(Tier::Platinum));
        assert!(
            script
                .asked
                .last()
                .is_some_and(|q| q.contains("tier platinum allows"))
        );
    }

    #[test]
    fn stopping_leaves_the_rest_unanswered() {
        let mut draft = AnswersFile {
            name: Some("x".into()),
            ..AnswersFile::default()
        };
        let (_, result) = run(&mut draft, vec![Text("X"), Stop]);
        assert_eq!(result, Err(Interrupted));
        assert!(draft.domain.is_none());
    }

    #[test]
    fn tables_defined_now_become_the_contract() {
        let mut draft = AnswersFile {
            name: Some("orders".into()),
            display_name: Some("Orders".into()),
            description: Some("Orders".into()),
            domain: Some("sales".into()),
            tier: Some(Tier::Gold),
            owner: Some("a@b.co".into()),
            sla: Some(SlaLevel::Medium),
            sensitivity: Some(Sensitivity::Internal),
            use_cases: Some(vec!["Reporting".into()]),
            consumers: Some(Vec::new()),
            data_sources: Some(Vec::new()),
            retention: Some("1 year".into()),
            compliance: Some(Vec::new()),
            ..AnswersFile::default()
        };
        let answers = vec![
            Choose(2),
            Text("orders"),
            Text("One row per order"),
            // order_id STRING NOT NULL, format constraint
            Text("order_id"),
            Choose(0),
            Yes(false),
            Text("Order id"),
            Text(""),
            Choose(1),
            Text("(unclosed"),
            Text("^ORD-[0-9]+$"),
            // amount DECIMAL(12,2), range 0..
            Text("amount"),
            Choose(3),
            Text("12"),
            Text("2"),
            Text(""),
            Text("Amount in EUR"),
            Text(""),
            Choose(2),
            Text("0"),
            Text(""),
            // buyer_email STRING, PII (inferred), no constraint
            Text("buyer_email"),
            Choose(0),
            Text(""),
            Text("Buyer"),
            Text(""),
            Choose(0),
            Text(""),
            Yes(false),
            // PII: as marked; mask: the suggested one
            Text(""),
            Text(""),
        ];
        let (script, result) = run(&mut draft, answers);
        assert!(result.is_ok(), "{:?}", script.asked);
        assert_eq!(script.refused.len(), 1, "{:?}", script.refused);
        let spec = spec_of(draft);
        let t = &spec.contract.tables["orders"];
        let f = |n: &str| t.field(n).unwrap();
        assert!(!f("order_id").nullable);
        assert_eq!(
            f("order_id").constraints[0].pattern.as_deref(),
            Some("^ORD-[0-9]+$")
        );
        assert_eq!(f("amount").data_type.to_string(), "DECIMAL(12,2)");
        assert_eq!(
            f("amount").constraints[0].min,
            Some(crate::spec::values::Scalar::Int(0))
        );
        assert!(f("buyer_email").pii);
        assert_eq!(spec.governance.pii_fields[0].category, "email");
        assert_eq!(
            spec.governance.masking.rules[0].method,
            MaskMethod::PartialEmail
        );
    }

    #[test]
    fn pii_can_be_unselected_and_masks_chosen() {
        let mut draft = AnswersFile {
            name: Some("customer-360".into()),
            domain: Some("marketing".into()),
            ..AnswersFile::default()
        };
        let mut answers = vec![Text(""); 2];
        answers.extend(std::iter::repeat_n(Text(""), 10));
        // Only email stays PII, truncated.
        answers.push(Choices(vec![1]));
        answers.push(Choose(
            MaskMethod::ALL
                .iter()
                .position(|m| *m == MaskMethod::Truncate)
                .unwrap(),
        ));
        let (script, result) = run(&mut draft, answers);
        assert!(result.is_ok(), "{:?}", script.asked);
        let spec = spec_of(draft);
        assert_eq!(spec.governance.pii_fields.len(), 1);
        assert_eq!(
            spec.governance.masking.rules[0].method,
            MaskMethod::Truncate
        );
        assert!(
            !spec.contract.tables["customers"]
                .field("first_name")
                .unwrap()
                .pii
        );
    }
}
