//! Rules on the spec itself: references resolve, the combination of settings is allowed by
//! the policies, and every value can be written as Databricks SQL. Each diagnostic points at
//! a YAML path so it can be shown at its line and column.

use crate::diagnostic::Code;
use crate::diagnostic::Diagnostic;
use crate::spec::contract::{ConstraintKind, Expectation, ExpectationKind, Field, Table};
use crate::spec::contract_sql;
use crate::spec::governance::{Consumer, Governance, MaskRule, PrincipalType};
use crate::spec::policy;
use crate::spec::values::Scalar;
use crate::spec::{CONTRACT_FILE, GOVERNANCE_FILE, PRODUCT_FILE, ProductSpec, SLA_FILE};

struct Out(Vec<Diagnostic>);

impl Out {
    fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    fn error(&mut self, code: Code, file: &str, path: String, message: String) -> &mut Diagnostic {
        self.0.push(Diagnostic::new(code, file, message).at(path));
        let last = self.0.len() - 1;
        &mut self.0[last]
    }
}

pub(crate) fn check(spec: &ProductSpec) -> Vec<Diagnostic> {
    let mut out = Out(Vec::new());
    product_rules(spec, &mut out);
    for (name, table) in &spec.contract.tables {
        table_rules(spec, name, table, &mut out);
    }
    governance_rules(spec, &mut out);
    sla_rules(spec, &mut out);
    out.0
}

fn product_rules(spec: &ProductSpec, out: &mut Out) {
    let meta = &spec.product.product_metadata;
    if let Err(m) = crate::spec::name::check_product_name(&meta.name) {
        out.error(
            Code::Dpc100,
            PRODUCT_FILE,
            "product_metadata.name".into(),
            m,
        );
    }
    if let Err(m) = crate::spec::name::check_email(&meta.owner.email) {
        out.error(
            Code::Dpc100,
            PRODUCT_FILE,
            "product_metadata.owner.email".into(),
            m,
        );
    } else if meta.owner.email.ends_with("@company.com") {
        out.push(
            Diagnostic::new(
                Code::Dpc150,
                PRODUCT_FILE,
                format!("owner {} looks like a placeholder", meta.owner.email),
            )
            .at("product_metadata.owner.email")
            .warning()
            .help("set the real owner mailbox"),
        );
    }
    if let Err(m) = crate::spec::name::check_uc_name("catalog", spec.catalog()) {
        out.error(
            Code::Dpc100,
            PRODUCT_FILE,
            "catalog_location.catalog".into(),
            m,
        );
    }
    if spec.schema() != crate::spec::name::schema_name(&meta.name) {
        out.error(
            Code::Dpc103,
            PRODUCT_FILE,
            "catalog_location.schema".into(),
            format!(
                "schema is {} but product {} maps to {}",
                spec.schema(),
                meta.name,
                crate::spec::name::schema_name(&meta.name)
            ),
        );
    }
    let tier = policy::tier(meta.tier);
    if !tier.allowed_sla.contains(&spec.sla.level) {
        let allowed: Vec<&str> = tier.allowed_sla.iter().map(|l| l.as_str()).collect();
        out.error(
            Code::Dpc101,
            SLA_FILE,
            "level".into(),
            format!(
                "tier {} requires SLA {}, not {}",
                meta.tier,
                allowed.join(" or "),
                spec.sla.level
            ),
        );
    }
    let (ours, theirs) = (
        spec.product.data_classification.sensitivity,
        spec.governance.classification.sensitivity,
    );
    if ours != theirs {
        out.error(
            Code::Dpc102,
            PRODUCT_FILE,
            "data_classification.sensitivity".into(),
            format!("sensitivity is {ours} but governance.yaml says {theirs}"),
        );
    }
    for (i, t) in spec.product.catalog_location.tables.iter().enumerate() {
        if !spec.contract.tables.contains_key(&t.name) {
            out.push(
                Diagnostic::new(
                    Code::Dpc104,
                    PRODUCT_FILE,
                    format!("table {} is not in contract.yaml", t.name),
                )
                .at(format!("catalog_location.tables[{i}].name"))
                .warning()
                .help("remove it here, or add the table to contract.yaml"),
            );
        }
    }
}

/// The table a rule is checking, with its name and the YAML path of its entry.
struct TableAt<'a> {
    name: &'a str,
    table: &'a Table,
    /// `tables.<name>`
    base: String,
}

fn table_rules(spec: &ProductSpec, name: &str, table: &Table, out: &mut Out) {
    let t = TableAt {
        name,
        table,
        base: format!("tables.{name}"),
    };
    let base = &t.base;
    let sens = policy::sensitivity(spec.governance.classification.sensitivity);
    table_name_rules(spec, &t, out);
    key_list_rules(&t, out);
    for (fi, f) in table.schema.fields.iter().enumerate() {
        field_rules(&t, fi, f, sens, out);
    }
    for (i, key) in table.primary_key.iter().enumerate() {
        if table.field(key).is_some_and(|f| f.nullable) {
            out.push(
                Diagnostic::new(
                    Code::Dpc116,
                    CONTRACT_FILE,
                    format!("primary key column {key} is nullable"),
                )
                .at(format!("{base}.primary_key[{i}]"))
                .help("set nullable: false on the column"),
            );
        }
    }
    for (i, e) in table.quality_expectations.iter().enumerate() {
        expectation_rules(&t, i, e, out);
    }
}

/// A table name Unity Catalog and file systems take, unlike any other table's but in case.
fn table_name_rules(spec: &ProductSpec, t: &TableAt, out: &mut Out) {
    let (name, base) = (t.name, &t.base);
    if let Err(m) = crate::spec::name::check_uc_name("table name", name)
        .and_then(|()| crate::spec::name::check_file_name("table name", name))
    {
        out.error(Code::Dpc109, CONTRACT_FILE, base.clone(), m);
    }
    // Tables compare ignoring case in Unity Catalog, and their files collide on macOS and
    // Windows.
    if let Some(other) = spec
        .contract
        .tables
        .keys()
        .take_while(|k| k.as_str() != name)
        .find(|k| k.eq_ignore_ascii_case(name))
    {
        out.error(
            Code::Dpc112,
            CONTRACT_FILE,
            base.clone(),
            format!(
                "tables {other} and {name} differ only in case; Unity Catalog names ignore case, so they are the same table"
            ),
        );
    }
}

/// The primary key, clustering and partitioning name columns of the table, and partitioning
/// is not combined with clustering.
fn key_list_rules(t: &TableAt, out: &mut Out) {
    let (name, table, base) = (t.name, t.table, &t.base);
    let index = |col: &str| table.schema.fields.iter().position(|f| f.name == col);
    for (list, cols) in [
        ("primary_key", &table.primary_key),
        ("clustered_by", &table.clustered_by),
        ("partitioned_by", &table.partitioned_by),
    ] {
        for (i, key) in cols.iter().enumerate() {
            if index(key).is_none() {
                out.error(
                    Code::Dpc110,
                    CONTRACT_FILE,
                    format!("{base}.{list}[{i}]"),
                    format!("{list} names {key}, which is not a column of {name}"),
                );
            }
        }
    }
    if !table.partitioned_by.is_empty() && !table.clustered_by.is_empty() {
        out.push(
            Diagnostic::new(Code::Dpc111, CONTRACT_FILE, "partitioned_by and clustered_by cannot be combined on Databricks")
                .at(format!("{base}.partitioned_by")).help("liquid clustering replaces partitioning; keep clustered_by and remove partitioned_by"),
        );
    }
}

/// One column: a unique name Unity Catalog takes, PII only where allowed, values that fit
/// its type, and `primary_key` only when the table's key lists it.
fn field_rules(t: &TableAt, fi: usize, f: &Field, sens: &policy::SensitivityPolicy, out: &mut Out) {
    let (name, table, base) = (t.name, t.table, &t.base);
    let at = format!("{base}.schema.fields[{fi}]");
    // Unity Catalog (and Spark) resolve names ignoring case.
    if let Some(o) = table.schema.fields[..fi]
        .iter()
        .find(|o| o.name.eq_ignore_ascii_case(&f.name))
    {
        let m = if o.name == f.name {
            format!("column {} appears twice", f.name)
        } else {
            format!(
                "columns {} and {} differ only in case; Unity Catalog names ignore case, so they are the same column",
                o.name, f.name
            )
        };
        out.error(Code::Dpc112, CONTRACT_FILE, format!("{at}.name"), m);
    }
    if let Err(m) = crate::spec::name::check_uc_name("column name", &f.name) {
        out.error(Code::Dpc109, CONTRACT_FILE, format!("{at}.name"), m);
    }
    if f.pii && !sens.pii_allowed {
        out.error(
            Code::Dpc113,
            CONTRACT_FILE,
            format!("{at}.pii"),
            format!("{} is PII, which a public product may not hold", f.name),
        );
    }
    field_value_rules(f, &at, out);
    if f.primary_key && !table.primary_key.contains(&f.name) {
        out.error(
            Code::Dpc116,
            CONTRACT_FILE,
            format!("{at}.primary_key"),
            format!(
                "{} is marked primary_key but is missing from {name}'s primary_key list",
                f.name
            ),
        );
    }
}

/// One quality expectation: a unique name, a column of the table, and a check that can be
/// written as SQL (a pattern that compiles, a range in order).
fn expectation_rules(t: &TableAt, i: usize, e: &Expectation, out: &mut Out) {
    let (name, table, base) = (t.name, t.table, &t.base);
    let at = format!("{base}.quality_expectations[{i}]");
    if table.quality_expectations[..i]
        .iter()
        .any(|o| o.name == e.name)
    {
        out.error(
            Code::Dpc118,
            CONTRACT_FILE,
            format!("{at}.name"),
            format!("expectation name {} is used twice", e.name),
        );
    }
    if table.field(&e.column).is_none() {
        out.error(
            Code::Dpc117,
            CONTRACT_FILE,
            format!("{at}.column"),
            format!(
                "expectation {} names {}, which is not a column of {name}",
                e.name, e.column
            ),
        );
        return;
    }
    if let Err(m) = contract_sql::expectation_expr(table, e) {
        out.error(Code::Dpc117, CONTRACT_FILE, at.clone(), m);
    }
    if e.kind == ExpectationKind::Regex
        && let Some(Err(x)) = e.pattern.as_deref().map(crate::lang::pattern::check)
    {
        out.error(Code::Dpc115, CONTRACT_FILE, format!("{at}.pattern"), x);
    }
    if e.kind == ExpectationKind::Range {
        range_order(e.min.as_ref(), e.max.as_ref(), &at, out);
    }
}

/// Constraints and defaults that must make sense for the column's type.
fn field_value_rules(f: &Field, at: &str, out: &mut Out) {
    if let Some(d) = &f.default {
        match contract_sql::literal(&f.data_type, d) {
            Err(m) => {
                out.error(
                    Code::Dpc114,
                    CONTRACT_FILE,
                    format!("{at}.default"),
                    format!("default: {m}"),
                );
            }
            Ok(_) => {
                if let Some(why) = default_violation(f, d) {
                    out.error(
                        Code::Dpc119,
                        CONTRACT_FILE,
                        format!("{at}.default"),
                        format!("the default of {} breaks its own {why} constraint", f.name),
                    );
                }
            }
        }
    }
    for (ci, c) in f.constraints.iter().enumerate() {
        let cat = format!("{at}.constraints[{ci}]");
        match c.kind {
            ConstraintKind::Format => match c.pattern.as_deref() {
                None => {
                    out.error(
                        Code::Dpc114,
                        CONTRACT_FILE,
                        cat,
                        "a format constraint needs a pattern".into(),
                    );
                }
                Some(p) => {
                    if let Err(e) = crate::lang::pattern::check(p) {
                        out.error(Code::Dpc115, CONTRACT_FILE, format!("{cat}.pattern"), e);
                    }
                }
            },
            ConstraintKind::Enum if f.data_type.is_complex() => {
                out.error(
                    Code::Dpc114,
                    CONTRACT_FILE,
                    cat,
                    format!("an enum cannot constrain a {} column", f.data_type),
                );
            }
            ConstraintKind::Range => range_order(c.min.as_ref(), c.max.as_ref(), &cat, out),
            _ => {}
        }
    }
    if let Err(m) = contract_sql::field_checks(f) {
        out.error(Code::Dpc114, CONTRACT_FILE, format!("{at}.constraints"), m);
    }
}

fn range_order(min: Option<&Scalar>, max: Option<&Scalar>, at: &str, out: &mut Out) {
    let (Some(lo), Some(hi)) = (min, max) else {
        return;
    };
    let wrong = match (lo.as_f64(), hi.as_f64()) {
        (Some(a), Some(b)) => a > b,
        _ => match (lo, hi) {
            (Scalar::Text(a), Scalar::Text(b))
                if crate::lang::date::is_iso_date(a) && crate::lang::date::is_iso_date(b) =>
            {
                a > b
            }
            _ => false,
        },
    };
    if wrong {
        out.error(
            Code::Dpc133,
            CONTRACT_FILE,
            format!("{at}.min"),
            format!("range min {lo} is above max {hi}"),
        );
    }
}

/// Which of a field's own constraints its default breaks, if any.
fn default_violation(f: &Field, d: &Scalar) -> Option<&'static str> {
    for c in &f.constraints {
        match c.kind {
            ConstraintKind::Range => {
                let v = d.as_f64()?;
                if c.min
                    .as_ref()
                    .and_then(Scalar::as_f64)
                    .is_some_and(|lo| v < lo)
                    || c.max
                        .as_ref()
                        .and_then(Scalar::as_f64)
                        .is_some_and(|hi| v > hi)
                {
                    return Some("range");
                }
            }
            ConstraintKind::Enum => {
                if c.values
                    .as_ref()
                    .is_some_and(|vals| !vals.contains(&d.to_string()))
                {
                    return Some("enum");
                }
            }
            ConstraintKind::Format => {
                let matches = c
                    .pattern
                    .as_deref()
                    .and_then(|p| regex::Regex::new(&crate::lang::pattern::as_java(p, true)).ok())
                    .map(|re| re.is_match(&d.to_string()));
                if matches == Some(false) {
                    return Some("format");
                }
            }
            ConstraintKind::Unique => {}
        }
    }
    None
}

/// The kind of an approved consumer named `principal` when it is not an account group.
fn not_a_group(spec: &ProductSpec, principal: &str) -> Option<PrincipalType> {
    spec.governance
        .approved_consumers
        .iter()
        .find(|c| c.principal == principal)
        .map(|c| c.principal_type)
        .filter(|t| *t != PrincipalType::Group)
}

fn governance_rules(spec: &ProductSpec, out: &mut Out) {
    let gov = &spec.governance;
    let sens = policy::sensitivity(gov.classification.sensitivity);
    pii_field_rules(spec, out);
    for (i, r) in gov.masking.rules.iter().enumerate() {
        masking_rule_rules(spec, i, r, out);
    }
    if gov.access_policy.row_filter {
        row_filter_rules(gov, out);
    }
    if gov.access_policy.default_access != sens.default_access {
        out.error(
            Code::Dpc123,
            GOVERNANCE_FILE,
            "access_policy.default_access".into(),
            format!(
                "{} data requires {}, not {}",
                sens.sensitivity, sens.default_access, gov.access_policy.default_access
            ),
        );
    }
    if let Err(m) =
        crate::spec::name::check_principal("owner group", &gov.access_policy.owner_group)
    {
        out.error(
            Code::Dpc129,
            GOVERNANCE_FILE,
            "access_policy.owner_group".into(),
            m,
        );
    }
    for (i, c) in gov.approved_consumers.iter().enumerate() {
        consumer_rules(spec, sens, i, c, out);
    }
    if sens.approval_required && !gov.approval_workflow.required {
        out.error(
            Code::Dpc125,
            GOVERNANCE_FILE,
            "approval_workflow.required".into(),
            format!("must be true for {} data", sens.sensitivity),
        );
    }
    if sens.audit && !gov.audit.enabled {
        out.error(
            Code::Dpc127,
            GOVERNANCE_FILE,
            "audit.enabled".into(),
            format!("must be true for {} data", sens.sensitivity),
        );
    }
}

/// A column of the contract, by table and column name.
fn contract_column<'a>(spec: &'a ProductSpec, table: &str, column: &str) -> Option<&'a Field> {
    spec.contract
        .tables
        .get(table)
        .and_then(|t| t.field(column))
}

/// The PII list and the contract agree, and every PII column has a masking rule.
fn pii_field_rules(spec: &ProductSpec, out: &mut Out) {
    let gov = &spec.governance;
    for (i, p) in gov.pii_fields.iter().enumerate() {
        match contract_column(spec, &p.table, &p.column) {
            None => {
                out.error(
                    Code::Dpc120,
                    GOVERNANCE_FILE,
                    format!("pii_fields[{i}]"),
                    format!("{}.{} is not a column of the contract", p.table, p.column),
                );
            }
            Some(f) if !f.pii => {
                out.error(
                    Code::Dpc120,
                    GOVERNANCE_FILE,
                    format!("pii_fields[{i}]"),
                    format!(
                        "{}.{} is not marked pii: true in contract.yaml",
                        p.table, p.column
                    ),
                );
            }
            Some(_) => {}
        }
        if !gov
            .masking
            .rules
            .iter()
            .any(|r| r.table == p.table && r.column == p.column)
        {
            out.error(
                Code::Dpc121,
                GOVERNANCE_FILE,
                "masking.rules".into(),
                format!("PII column {}.{} has no masking rule", p.table, p.column),
            );
        }
    }
    for (name, table) in &spec.contract.tables {
        for f in table.pii_fields() {
            if !gov
                .pii_fields
                .iter()
                .any(|p| &p.table == name && p.column == f.name)
            {
                out.error(
                    Code::Dpc120,
                    GOVERNANCE_FILE,
                    "pii_fields".into(),
                    format!(
                        "{name}.{} is PII in contract.yaml but not listed here",
                        f.name
                    ),
                );
            }
        }
    }
}

/// One masking rule: a column of the contract its method can mask, and unmask groups that
/// are account groups.
fn masking_rule_rules(spec: &ProductSpec, i: usize, r: &MaskRule, out: &mut Out) {
    let at = format!("masking.rules[{i}]");
    match contract_column(spec, &r.table, &r.column) {
        None => {
            out.error(
                Code::Dpc122,
                GOVERNANCE_FILE,
                at.clone(),
                format!("{}.{} is not a column of the contract", r.table, r.column),
            );
        }
        Some(f) if !contract_sql::mask_fits(r.method, &f.data_type) => {
            out.push(
                Diagnostic::new(
                    Code::Dpc122,
                    GOVERNANCE_FILE,
                    format!(
                        "{} cannot mask {}.{} of type {}",
                        r.method, r.table, r.column, f.data_type
                    ),
                )
                .at(format!("{at}.method"))
                .help("use nullify for non-string columns"),
            );
        }
        Some(_) => {}
    }
    for (g, group) in r.unmask_groups.iter().enumerate() {
        if let Err(m) = crate::spec::name::check_principal("unmask group", group) {
            out.error(
                Code::Dpc129,
                GOVERNANCE_FILE,
                format!("{at}.unmask_groups[{g}]"),
                m,
            );
        }
        if let Some(kind) = not_a_group(spec, group) {
            out.push(
                Diagnostic::new(
                    Code::Dpc139,
                    GOVERNANCE_FILE,
                    format!(
                        "{group} is a {kind} (approved_consumers), but masks unmask only account groups (is_account_group_member): it reads {}.{} masked",
                        r.table, r.column
                    ),
                )
                .at(format!("{at}.unmask_groups[{g}]"))
                .warning()
                .help("name an account group the principal belongs to instead"),
            );
        }
    }
}

/// Row filters admit only account groups: a consumer of another kind reads no rows.
fn row_filter_rules(gov: &Governance, out: &mut Out) {
    for (i, c) in gov.approved_consumers.iter().enumerate() {
        if c.principal_type != PrincipalType::Group {
            out.push(
                Diagnostic::new(
                    Code::Dpc139,
                    GOVERNANCE_FILE,
                    format!(
                        "{} is a {}, but row filters admit only account groups (is_account_group_member): it reads no rows of the filtered tables",
                        c.principal, c.principal_type
                    ),
                )
                .at(format!("approved_consumers[{i}].principal_type"))
                .warning()
                .help("grant an account group the principal belongs to instead"),
            );
        }
    }
}

/// One approved consumer: a valid principal, the expiry and justification the sensitivity
/// requires (within its grant period), and tables of the contract.
fn consumer_rules(
    spec: &ProductSpec,
    sens: &policy::SensitivityPolicy,
    i: usize,
    c: &Consumer,
    out: &mut Out,
) {
    let at = format!("approved_consumers[{i}]");
    if let Err(m) = crate::spec::name::check_principal("consumer", &c.principal) {
        out.error(Code::Dpc129, GOVERNANCE_FILE, format!("{at}.principal"), m);
    }
    // `account users` on non-public data (DPC124) is checked on the access matrix, which
    // knows whether the grant is to the masked projection: see access::policy.
    if let Some(max) = sens.max_grant_days
        && (c.expires.is_none() || c.justification.is_none())
    {
        out.error(
            Code::Dpc126,
            GOVERNANCE_FILE,
            at.clone(),
            format!(
                "{} needs expires (at most {max} days) and justification for {} data",
                c.principal, sens.sensitivity
            ),
        );
    }
    if let Some(e) = &c.expires
        && crate::lang::date::Date::parse(e).is_none()
    {
        out.error(
            Code::Dpc126,
            GOVERNANCE_FILE,
            format!("{at}.expires"),
            format!("'{e}' is not a date (YYYY-MM-DD)"),
        );
    }
    grant_period_rule(sens, &at, c, out);
    for (ti, t) in c.tables.iter().enumerate() {
        if !spec.contract.tables.contains_key(t) {
            out.error(
                Code::Dpc128,
                GOVERNANCE_FILE,
                format!("{at}.tables[{ti}]"),
                format!("{} is granted unknown table {t}", c.principal),
            );
        }
    }
}

/// A grant expires at most `max_grant_days` from the approval, or from today when no
/// approval date is recorded; as days pass the limit only gets easier to meet.
fn grant_period_rule(sens: &policy::SensitivityPolicy, at: &str, c: &Consumer, out: &mut Out) {
    let from = c
        .approved_date
        .as_deref()
        .and_then(crate::lang::date::Date::parse)
        .or_else(|| crate::lang::date::Date::today().ok());
    if let (Some(max), Some(from), Some(expires)) = (
        sens.max_grant_days,
        from,
        c.expires
            .as_deref()
            .and_then(crate::lang::date::Date::parse),
    ) && expires > from.plus_days(i64::from(max))
    {
        out.error(
            Code::Dpc126,
            GOVERNANCE_FILE,
            format!("{at}.expires"),
            format!(
                "{} expires {expires}, more than {max} days after {from}; {} grants last at most {max} days",
                c.principal, sens.sensitivity
            ),
        );
    }
}

fn sla_rules(spec: &ProductSpec, out: &mut Out) {
    for (i, m) in spec.sla.freshness.metrics.iter().enumerate() {
        let at = format!("freshness.metrics[{i}]");
        if !spec.contract.tables.contains_key(&m.table) {
            out.push(
                Diagnostic::new(
                    Code::Dpc130,
                    SLA_FILE,
                    format!(
                        "freshness is promised for {}, which is not in contract.yaml",
                        m.table
                    ),
                )
                .at(format!("{at}.table"))
                .warning()
                .help("remove the metric, or add the table to contract.yaml"),
            );
        }
        if m.breach_threshold.as_minutes() < m.target_latency.as_minutes() {
            out.error(
                Code::Dpc131,
                SLA_FILE,
                format!("{at}.breach_threshold"),
                format!(
                    "breach threshold {} is tighter than the target {}",
                    m.breach_threshold, m.target_latency
                ),
            );
        }
    }
    for (i, m) in spec.sla.quality.metrics.iter().enumerate() {
        if m.breach_threshold > m.target {
            out.error(
                Code::Dpc132,
                SLA_FILE,
                format!("quality.metrics[{i}].breach_threshold"),
                format!(
                    "breach threshold {} is tighter than the target {}",
                    m.breach_threshold, m.target
                ),
            );
        }
    }
}
