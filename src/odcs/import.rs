//! An ODCS document → a new product's spec, through the same answers and builder as
//! `dpc create`: the document's tables replace the domain starter's, the document (or the
//! flags, which win) gives the answers, and a document dpc exported restores the rest of the
//! spec from its `dpc.` custom properties. Everything the document says that the product
//! cannot hold is listed as [`Loss`], never dropped silently.

use super::any::{Any, from_any, snake, to_any};
use super::types::*;
use super::{OdcsError, channel, data_type, export, prop};
use crate::answers::{self, Answers, ConsumerAnswer};
use crate::date::Date;
use crate::spec::ProductSpec;
use crate::spec::contract::{Constraint, ConstraintKind, Contract as SpecContract, Table};
use crate::spec::data_type::DataType;
use crate::spec::governance::{Consumer, Governance, MaskRule, MaskingStrategy, PrincipalType};
use crate::spec::name;
use crate::spec::product::ProductManifest;
use crate::spec::sla::Sla;
use crate::spec::values::{Duration, Percent, Scalar, Sensitivity, SlaLevel, Tier};
use crate::starter::StarterTable;
use indexmap::IndexMap;
use serde::Serialize;

/// The create flags given to `dpc import odcs`; `None` (or empty) means "not given", so the
/// document decides.
#[derive(Debug, Clone, Default)]
pub struct Flags {
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

/// Something the document says that the product does not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Loss {
    /// Where in the document (`schema[tbl].properties[rcvr_id]`).
    pub at: String,
    /// What was not carried over, and why.
    pub what: String,
}

/// Losses grouped by what was lost, in first-seen order, so a key repeated on every column
/// reads as one line: (what, where, and how many more places).
pub fn grouped(losses: &[Loss]) -> Vec<(String, String)> {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for loss in losses {
        match groups.iter_mut().find(|(what, _)| *what == loss.what) {
            Some((_, at)) => at.push(&loss.at),
            None => groups.push((&loss.what, vec![&loss.at])),
        }
    }
    groups
        .into_iter()
        .map(|(what, at)| {
            let mut shown: Vec<&str> = Vec::new();
            for a in &at {
                if !shown.contains(a) && shown.len() < 3 {
                    shown.push(a);
                }
            }
            let rest = at.len() - at.iter().filter(|a| shown.contains(a)).count();
            let more = if rest > 0 {
                format!(" and {rest} more")
            } else {
                String::new()
            };
            (what.to_string(), format!("{}{more}", shown.join(", ")))
        })
        .collect()
}

#[derive(Debug, Clone)]
pub struct Imported {
    pub spec: ProductSpec,
    pub not_carried: Vec<Loss>,
    /// Decisions the user should hear about (a derived name, a default owner, ...).
    pub notes: Vec<String>,
    /// True when the document's `dpc.product`, `dpc.sla` and `dpc.governance` were restored.
    pub restored: bool,
}

/// Collects losses and notes while reading.
#[derive(Default)]
struct Reader {
    losses: Vec<Loss>,
    notes: Vec<String>,
}

impl Reader {
    fn lose(&mut self, at: impl Into<String>, what: impl Into<String>) {
        self.losses.push(Loss {
            at: at.into(),
            what: what.into(),
        });
    }

    /// Keys dpc has no field for, unless they say nothing.
    fn others(&mut self, at: &str, other: &Other) {
        for (key, value) in other {
            if !value.is_blank() {
                self.lose(at, format!("{key}: dpc has no field for it"));
            }
        }
    }

    /// The `dpc.` custom properties (spec keys in snake case, or the named ones as written);
    /// any other custom property is a loss.
    fn custom(&mut self, at: &str, props: &[CustomProperty]) -> IndexMap<String, Any> {
        let mut out = IndexMap::new();
        for p in props {
            match p.property.strip_prefix(prop::PREFIX) {
                Some(_) => {
                    out.insert(p.property.clone(), p.value.clone());
                }
                None => self.lose(
                    at,
                    format!("customProperty {}: dpc has no field for it", p.property),
                ),
            }
        }
        out
    }
}

/// Splits `dpc.` properties into the named ones (`named` keys, removed and returned) and the
/// rest as spec keys in snake case.
fn residue_keys(
    mut custom: IndexMap<String, Any>,
    named: &[&str],
) -> (IndexMap<String, Any>, IndexMap<String, Any>) {
    let mut taken = IndexMap::new();
    for n in named {
        if let Some(v) = custom.shift_remove(*n) {
            taken.insert(n.to_string(), v);
        }
    }
    let rest = custom
        .into_iter()
        .filter_map(|(k, v)| k.strip_prefix(prop::PREFIX).map(|key| (snake(key), v)))
        .collect();
    (taken, rest)
}

/// `base` with the residue's keys when the result reads as a `T`. When it does not, the key
/// that spoils it (unknown to this dpc, or a wrong value) is a loss; failing that, every
/// residue key is.
fn with_residue<T: serde::de::DeserializeOwned>(
    what: &str,
    base: Any,
    residue: IndexMap<String, Any>,
    at: &str,
    r: &mut Reader,
) -> Result<T, OdcsError> {
    let with = |skip: Option<&str>| {
        let mut candidate = base.clone();
        for (key, value) in &residue {
            if Some(key.as_str()) != skip {
                candidate.set(key, value.clone());
            }
        }
        candidate
    };
    let full = with(None);
    let error = match from_any::<T>(what, &full) {
        Ok(v) => return Ok(v),
        Err(e) => e,
    };
    let name = |key: &str| format!("{}{}", prop::PREFIX, super::any::camel(key));
    for key in residue.keys() {
        if let Ok(v) = from_any::<T>(what, &with(Some(key))) {
            r.lose(at, format!("{}: not restored ({error})", name(key)));
            return Ok(v);
        }
    }
    for key in residue.keys() {
        r.lose(at, format!("{}: not restored ({error})", name(key)));
    }
    Ok(from_any(what, &base)?)
}

/// `my_table` or `Orders Event Stream` → `my-table`, `orders-event-stream`.
fn kebab(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let trimmed = out.trim_matches('-');
    let start = trimmed
        .find(|c: char| c.is_ascii_lowercase())
        .unwrap_or(trimmed.len());
    let mut name = trimmed[start..].to_string();
    name.truncate(name::MAX_PRODUCT_NAME);
    name.trim_end_matches('-').to_string()
}

/// A Unity Catalog name for a table or column: `physicalName` when usable, else `name`, with
/// the characters Unity Catalog refuses replaced.
fn uc_name(physical: Option<&str>, logical: &str, at: &str, r: &mut Reader) -> Option<String> {
    if let Some(p) = physical.filter(|p| name::check_uc_name("name", p).is_ok()) {
        if !logical.is_empty() && logical != p {
            r.lose(
                at,
                format!("name {logical}: named after its physicalName {p}"),
            );
        }
        return Some(p.to_string());
    }
    let candidate = if logical.is_empty() {
        physical.unwrap_or("")
    } else {
        logical
    };
    if candidate.is_empty() {
        return None;
    }
    let cleaned: String = candidate
        .chars()
        .map(|c| {
            if matches!(c, '.' | ' ' | '/') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    if cleaned != candidate {
        r.notes.push(format!(
            "{at}: '{candidate}' is not a Unity Catalog name; named {cleaned}"
        ));
    }
    Some(cleaned)
}

fn scalar(v: &Any) -> Option<Scalar> {
    match v {
        Any::Bool(b) => Some(Scalar::Bool(*b)),
        Any::Int(i) => Some(Scalar::Int(*i)),
        Any::Float(f) => Some(Scalar::Float(*f)),
        Any::Text(t) => Some(Scalar::Text(t.clone())),
        _ => None,
    }
}

fn is_zero(v: Option<&Any>) -> bool {
    matches!(v, Some(Any::Int(0))) || matches!(v, Some(Any::Float(f)) if *f == 0.0)
}

/// dpc severities as written; the common ODCS ones mapped.
fn severity(text: Option<&str>, at: &str, r: &mut Reader) -> &'static str {
    match text.map(|s| s.to_ascii_lowercase()).as_deref() {
        Some("critical") => "critical",
        Some("high") | Some("error") => "high",
        Some("medium") | Some("warning") | Some("warn") | None => "medium",
        Some("low") | Some("info") => "low",
        Some(other) => {
            r.lose(
                at,
                format!("severity {other}: not a dpc severity; imported as medium"),
            );
            "medium"
        }
    }
}

/// What one column of the document gives.
struct ImportedColumn {
    field: Any,
    pii_category: Option<String>,
    mask: Option<Any>,
    expectations: Vec<Any>,
    classification: Option<String>,
}

/// One table of the document, ready for the builder.
struct ImportedTable {
    starter: StarterTable,
    masks: IndexMap<String, Any>,
    catalog_description: Option<String>,
    classifications: Vec<(String, String)>,
}

/// The document's update frequency of each table (`frequency` SLA properties).
fn frequencies(doc: &Contract) -> IndexMap<String, String> {
    let mut out = IndexMap::new();
    for sp in &doc.sla_properties {
        if !sp.property.eq_ignore_ascii_case("frequency") {
            continue;
        }
        let text = match (&sp.value, sp.unit.as_deref()) {
            (Any::Int(n), Some(unit)) => export::FREQUENCIES
                .iter()
                .find(|(_, v, u)| v == n && *u == unit)
                .map(|(name, _, _)| name.to_string())
                .or_else(|| export::retention_text(*n, unit).map(|t| format!("Every {t}")))
                .unwrap_or_else(|| format!("Every {n} {unit}")),
            (v, _) => match v.scalar_text() {
                Some(t) => t,
                None => continue,
            },
        };
        let table = sp
            .element
            .as_deref()
            .map(|e| e.split('.').next().unwrap_or(e).to_string())
            .unwrap_or_default();
        out.insert(table, text);
    }
    out
}

fn read_column(
    p: &Property,
    column: &str,
    at: &str,
    r: &mut Reader,
) -> Result<ImportedColumn, OdcsError> {
    let (data_type, note) = data_type::import(p);
    if let Some(note) = note {
        r.lose(at, note);
    }
    let custom = r.custom(at, &p.custom_properties);
    let (named, residue) = residue_keys(
        custom,
        &[
            prop::MASKING,
            prop::UNIQUE_SCOPE,
            prop::CONSTRAINTS,
            prop::CONSTRAINT_ORDER,
        ],
    );
    let mut options = p.logical_type_options.clone().unwrap_or_default();
    // Options the type itself accounts for.
    if let Some(f) = options.get("format").and_then(Any::as_str)
        && data_type::logical_format(&data_type) == Some(f)
    {
        options.shift_remove("format");
    }
    if matches!(data_type, DataType::Timestamp | DataType::TimestampNtz) {
        options.shift_remove("timezone");
    }
    let mut constraints: Vec<Constraint> = Vec::new();
    let empty = |kind| Constraint {
        kind,
        pattern: None,
        scope: None,
        min: None,
        max: None,
        values: None,
    };
    if let Some(pattern) = options.shift_remove("pattern") {
        match pattern.scalar_text() {
            Some(pattern) if data_type == DataType::String => constraints.push(Constraint {
                pattern: Some(pattern),
                ..empty(ConstraintKind::Format)
            }),
            _ => r.lose(
                at,
                "logicalTypeOptions.pattern: only STRING columns take a pattern",
            ),
        }
    }
    if p.unique == Some(true) {
        constraints.push(Constraint {
            scope: named.get(prop::UNIQUE_SCOPE).and_then(Any::scalar_text),
            ..empty(ConstraintKind::Unique)
        });
    }
    let min = options.shift_remove("minimum");
    let max = options.shift_remove("maximum");
    if (min.is_some() || max.is_some()) && !(data_type.is_numeric() || data_type.is_temporal()) {
        r.lose(
            at,
            format!("logicalTypeOptions minimum/maximum: dpc checks ranges of numbers, dates and timestamps, not {data_type}"),
        );
    } else if min.is_some() || max.is_some() {
        constraints.push(Constraint {
            min: min.as_ref().and_then(scalar),
            max: max.as_ref().and_then(scalar),
            ..empty(ConstraintKind::Range)
        });
    }
    if !p.enum_values.is_empty() {
        let values: Vec<String> = p
            .enum_values
            .iter()
            .filter_map(|v| v.value.scalar_text())
            .collect();
        constraints.push(Constraint {
            values: Some(values),
            ..empty(ConstraintKind::Enum)
        });
        for v in &p.enum_values {
            r.others(&format!("{at}.enum"), &v.other);
        }
    }
    if let Some(leftovers) = named.get(prop::CONSTRAINTS) {
        match from_any::<Vec<Constraint>>("dpc.constraints", leftovers) {
            Ok(list) => constraints.extend(list),
            Err(e) => r.lose(at, format!("{}: not restored ({e})", prop::CONSTRAINTS)),
        }
    }
    if let Some(Any::List(order)) = named.get(prop::CONSTRAINT_ORDER) {
        let mut pool = std::mem::take(&mut constraints);
        for kind in order.iter().filter_map(Any::as_str) {
            if let Some(i) = pool.iter().position(|c| export_kind_name(c.kind) == kind) {
                constraints.push(pool.remove(i));
            }
        }
        constraints.extend(pool);
    }
    for (key, value) in &options {
        if !value.is_blank() {
            r.lose(
                at,
                format!("logicalTypeOptions.{key}: dpc constraints cannot express it"),
            );
        }
    }
    // A constraint the column's type cannot enforce would make the product invalid.
    let mut kept = Vec::new();
    for c in constraints {
        let mut probe = Any::map();
        probe.set("name", Any::text(column));
        probe.set("type", Any::text(data_type.to_string()));
        probe.set("description", Any::text(""));
        probe.set("constraints", to_any(&vec![c.clone()])?);
        let probe: crate::spec::contract::Field = from_any("column", &probe)?;
        if c.pattern
            .as_deref()
            .is_some_and(|p| regex::Regex::new(p).is_err())
        {
            r.lose(at, "a pattern dpc's regex engine cannot compile");
            continue;
        }
        match crate::render::sql::field_checks(&probe) {
            Ok(_) => kept.push(c),
            Err(e) => r.lose(
                at,
                format!("a {} constraint: {e}", export_kind_name(c.kind)),
            ),
        }
    }
    let constraints = kept;
    let mut pii_category = None;
    for tag in &p.tags {
        let lower = tag.to_ascii_lowercase();
        if lower == "pii" {
            pii_category.get_or_insert_with(|| "personal".to_string());
        } else if let Some(category) = tag.strip_prefix("pii:").or(tag.strip_prefix("PII:")) {
            pii_category = Some(category.to_string());
        } else {
            r.lose(at, format!("tag {tag}: dpc tags columns only with pii"));
        }
    }
    if pii_category.is_none() && residue.get("pii") == Some(&Any::Bool(true)) {
        pii_category = Some("personal".to_string());
    }
    let mut field = Any::map();
    field.set("name", Any::text(column));
    field.set("type", Any::text(data_type.to_string()));
    field.set("nullable", Any::Bool(!p.required.unwrap_or(false)));
    field.set(
        "description",
        Any::text(p.description.clone().unwrap_or_default()),
    );
    if p.primary_key == Some(true) {
        field.set("primary_key", Any::Bool(true));
    }
    if pii_category.is_some() {
        field.set("pii", Any::Bool(true));
    }
    if !constraints.is_empty() {
        field.set("constraints", to_any(&constraints)?);
    }
    if p.deprecated == Some(true) && !residue.contains_key("deprecated") {
        r.lose(at, "deprecated: dpc records a deprecation with its date");
    }
    let field = with_residue::<crate::spec::contract::Field>("column", field, residue, at, r)
        .and_then(|f| Ok(to_any(&f)?))?;
    let mut expectations = Vec::new();
    for (i, q) in p.quality.iter().enumerate() {
        let qat = format!("{at}.quality[{i}]");
        if let Some(e) = read_rule(q, column, &qat, r) {
            expectations.push(e);
        }
    }
    r.others(at, &p.other);
    Ok(ImportedColumn {
        field,
        pii_category,
        mask: named.get(prop::MASKING).cloned(),
        expectations,
        classification: p.classification.clone(),
    })
}

fn export_kind_name(kind: ConstraintKind) -> &'static str {
    match kind {
        ConstraintKind::Format => "format",
        ConstraintKind::Unique => "unique",
        ConstraintKind::Range => "range",
        ConstraintKind::Enum => "enum",
    }
}

/// A quality rule as a dpc expectation (an [`Any`] that reads as one), or a loss.
fn read_rule(q: &Quality, column: &str, at: &str, r: &mut Reader) -> Option<Any> {
    let metric = q.metric.as_deref().or(q.rule.as_deref());
    let kind = q.kind.as_deref().unwrap_or("library");
    let custom = r.custom(at, &q.custom_properties);
    let (_, residue) = residue_keys(custom, &[prop::COLUMN]);
    let zero = is_zero(q.must_be.as_ref());
    let args = q.arguments.clone().unwrap_or_default();
    let (dpc_kind, extra): (&str, Option<(&str, Any)>) = match (kind, metric) {
        ("library", Some("nullValues")) if zero => ("not_null", None),
        ("library", Some("duplicateValues")) if zero => ("unique", None),
        ("library", Some("invalidValues")) if zero && args.contains_key("pattern") => (
            "regex",
            args.get("pattern").cloned().map(|p| ("pattern", p)),
        ),
        ("library", Some("invalidValues"))
            if zero
                && matches!(args.get("validValues"), Some(Any::List(l)) if l.iter().all(|v| v.scalar_text().is_some())) =>
        {
            let values = match args.get("validValues") {
                Some(Any::List(l)) => Any::List(
                    l.iter()
                        .filter_map(|v| v.scalar_text().map(Any::Text))
                        .collect(),
                ),
                _ => Any::List(Vec::new()),
            };
            ("in_set", Some(("values", values)))
        }
        ("sql", _) if zero && (residue.contains_key("min") || residue.contains_key("max")) => {
            ("range", None)
        }
        _ => {
            let what = match metric {
                Some(m) => format!("{kind} rule {m}"),
                None => format!("{kind} rule"),
            };
            let label = q
                .name
                .as_deref()
                .or(q.description.as_deref())
                .unwrap_or("unnamed");
            r.lose(
                at,
                format!("quality {what} ({label}): dpc expectations are row checks that must hold for every row"),
            );
            return None;
        }
    };
    let name = q
        .name
        .clone()
        .unwrap_or_else(|| format!("{dpc_kind}_{column}"));
    let mut e = Any::map();
    e.set("name", Any::text(name));
    e.set("type", Any::text(dpc_kind));
    e.set("column", Any::text(column));
    if let Some((key, value)) = extra {
        e.set(key, value);
    }
    e.set(
        "severity",
        Any::text(severity(q.severity.as_deref(), at, r)),
    );
    if let Some(d) = &q.description {
        r.lose(
            at,
            format!("quality description '{d}': dpc expectations have none"),
        );
    }
    r.others(at, &q.other);
    let expectation =
        with_residue::<crate::spec::contract::Expectation>("expectation", e, residue, at, r)
            .ok()?;
    to_any(&expectation).ok()
}

fn read_table(
    obj: &SchemaObject,
    index: usize,
    frequencies: &IndexMap<String, String>,
    r: &mut Reader,
) -> Result<Option<ImportedTable>, OdcsError> {
    let label = if obj.name.is_empty() {
        format!("schema[{index}]")
    } else {
        format!("schema[{}]", obj.name)
    };
    let Some(table_name) = uc_name(obj.physical_name.as_deref(), &obj.name, &label, r) else {
        r.lose(label, "a schema object without a name");
        return Ok(None);
    };
    if let Some(kind) = obj.physical_type.as_deref()
        && !kind.eq_ignore_ascii_case("table")
    {
        r.notes.push(format!(
            "{label}: a {kind} in the document; the product holds it as a Delta table"
        ));
    }
    r.others(&label, &obj.other);
    let custom = r.custom(&label, &obj.custom_properties);
    let (named, residue) = residue_keys(
        custom,
        &[
            prop::ROW_COUNT,
            prop::CATALOG_DESCRIPTION,
            prop::EXPECTATION_ORDER,
        ],
    );
    let mut fields: Vec<Any> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut keys: Vec<(i64, usize, String)> = Vec::new();
    let mut partitions: Vec<(i64, usize, String)> = Vec::new();
    let mut pii = IndexMap::new();
    let mut masks = IndexMap::new();
    let mut expectations: Vec<Any> = Vec::new();
    let mut classifications = Vec::new();
    for (i, p) in obj.properties.iter().enumerate() {
        let at = format!(
            "{label}.properties[{}]",
            if p.name.is_empty() {
                i.to_string()
            } else {
                p.name.clone()
            }
        );
        let Some(column) = uc_name(p.physical_name.as_deref(), &p.name, &at, r) else {
            r.lose(at, "a property without a name");
            continue;
        };
        if names.contains(&column) {
            r.lose(
                at,
                format!("column {column} appears twice; the first is kept"),
            );
            continue;
        }
        let col = read_column(p, &column, &at, r)?;
        if p.primary_key == Some(true) {
            keys.push((
                p.primary_key_position
                    .filter(|n| *n > 0)
                    .unwrap_or(i64::MAX),
                i,
                column.clone(),
            ));
        }
        if p.partitioned == Some(true) {
            partitions.push((
                p.partition_key_position
                    .filter(|n| *n > 0)
                    .unwrap_or(i64::MAX),
                i,
                column.clone(),
            ));
        }
        if let Some(category) = col.pii_category {
            pii.insert(column.clone(), category);
        }
        if let Some(mask) = col.mask {
            masks.insert(column.clone(), mask);
        }
        if let Some(c) = col.classification {
            classifications.push((at.clone(), c));
        }
        expectations.extend(col.expectations);
        fields.push(col.field);
        names.push(column);
    }
    for (i, q) in obj.quality.iter().enumerate() {
        let at = format!("{label}.quality[{i}]");
        let column = q
            .custom_properties
            .iter()
            .find(|c| c.property == prop::COLUMN)
            .and_then(|c| c.value.scalar_text());
        match column {
            Some(column) => expectations.extend(read_rule(q, &column, &at, r)),
            None => r.lose(
                at,
                format!(
                    "table-level quality rule {}: dpc expectations check one column",
                    q.metric
                        .as_deref()
                        .or(q.name.as_deref())
                        .unwrap_or("(unnamed)")
                ),
            ),
        }
    }
    if fields.is_empty() {
        r.lose(label, "a table without columns; dpc cannot create it");
        return Ok(None);
    }
    if let Some(Any::List(order)) = named.get(prop::EXPECTATION_ORDER) {
        let rank = |e: &Any| {
            let name = e.get("name").and_then(Any::as_str).unwrap_or("");
            order
                .iter()
                .position(|o| o.as_str() == Some(name))
                .unwrap_or(usize::MAX)
        };
        expectations.sort_by_key(rank);
    }
    // Expectation names are unique within a table.
    let mut seen: Vec<String> = Vec::new();
    for e in &mut expectations {
        let base = e
            .get("name")
            .and_then(Any::as_str)
            .unwrap_or("")
            .to_string();
        let mut name = base.clone();
        let mut n = 2;
        while seen.contains(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        if name != base {
            r.notes.push(format!(
                "{label}: a second expectation {base} was renamed {name}"
            ));
            e.set("name", Any::text(&name));
        }
        seen.push(name);
    }
    keys.sort();
    partitions.sort();
    let primary_key: Vec<String> = keys.into_iter().map(|(_, _, c)| c).collect();
    // Databricks primary keys are NOT NULL.
    for f in &mut fields {
        let name = f
            .get("name")
            .and_then(Any::as_str)
            .unwrap_or("")
            .to_string();
        if primary_key.contains(&name) && f.get("nullable") != Some(&Any::Bool(false)) {
            f.set("nullable", Any::Bool(false));
            r.notes.push(format!(
                "{label}: {name} is part of the primary key, so it is NOT NULL (the document does not require it)"
            ));
        }
    }
    let mut table = Any::map();
    table.set(
        "description",
        Any::text(obj.description.clone().unwrap_or_default()),
    );
    let mut schema = Any::map();
    schema.set("fields", Any::List(fields));
    table.set("schema", schema);
    if !primary_key.is_empty() {
        table.set(
            "primary_key",
            Any::List(primary_key.iter().map(Any::text).collect()),
        );
    }
    if !partitions.is_empty() {
        table.set(
            "partitioned_by",
            Any::List(
                partitions
                    .into_iter()
                    .map(|(_, _, c)| Any::Text(c))
                    .collect(),
            ),
        );
    }
    let mut table: Table = with_residue("table", table, residue, &label, r)?;
    // Expectations the table cannot check would make the product invalid.
    for e in expectations {
        let Ok(expectation) = from_any::<crate::spec::contract::Expectation>("expectation", &e)
        else {
            continue;
        };
        let bad_pattern = expectation
            .pattern
            .as_deref()
            .is_some_and(|p| regex::Regex::new(p).is_err());
        match crate::render::sql::expectation_expr(&table, &expectation) {
            Ok(_) if !bad_pattern => table.quality_expectations.push(expectation),
            Ok(_) => r.lose(
                &label,
                format!(
                    "expectation {}: a pattern dpc cannot compile",
                    expectation.name
                ),
            ),
            Err(m) => r.lose(&label, format!("expectation {}: {m}", expectation.name)),
        }
    }
    if obj.deprecated == Some(true) && table_residue_lacks_deprecation(&table) {
        r.lose(
            &label,
            "deprecated: dpc records a deprecation with its date",
        );
    }
    let row_count = named
        .get(prop::ROW_COUNT)
        .and_then(Any::scalar_text)
        .unwrap_or_else(|| "unknown".to_string());
    let update_frequency = frequencies
        .get(&table_name)
        .or_else(|| frequencies.get(""))
        .cloned()
        .unwrap_or_else(|| "Daily".to_string());
    Ok(Some(ImportedTable {
        starter: StarterTable {
            name: table_name,
            row_count,
            update_frequency,
            pii_categories: pii,
            contract: table,
        },
        masks,
        catalog_description: named
            .get(prop::CATALOG_DESCRIPTION)
            .and_then(Any::scalar_text),
        classifications,
    }))
}

fn table_residue_lacks_deprecation(table: &Table) -> bool {
    to_any(table)
        .map(|a| a.get("deprecated").is_none())
        .unwrap_or(true)
}

/// The most restrictive classification among the columns, when there are any dpc knows.
fn inferred_sensitivity(tables: &[ImportedTable]) -> Option<Sensitivity> {
    tables
        .iter()
        .flat_map(|t| &t.classifications)
        .filter_map(|(_, c)| c.to_ascii_lowercase().parse::<Sensitivity>().ok())
        .max_by_key(|s| Sensitivity::ALL.iter().position(|x| x == s))
}

/// What the document says outside its tables.
struct TopLevel {
    named: IndexMap<String, Any>,
    contract_residue: IndexMap<String, Any>,
    owner: Option<String>,
    team_name: Option<String>,
    catalog: Option<String>,
    consumers: Vec<(String, PrincipalType, IndexMap<String, Any>)>,
    latency: Vec<(Option<String>, Duration)>,
    availability: Option<Percent>,
    retention: Option<String>,
}

fn parse_named<T: std::str::FromStr>(
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

fn read_top(doc: &Contract, r: &mut Reader) -> TopLevel {
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
    // Team: its name and the owner's email.
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
    // Servers: the Databricks catalog.
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
    // Roles: approved consumers.
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
    // SLA properties.
    let mut latency = Vec::new();
    let mut availability = None;
    let mut retention = None;
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
                let value = match &sp.value {
                    Any::Int(n) => u32::try_from(*n).ok(),
                    _ => None,
                };
                let d = value.and_then(|v| match unit.as_str() {
                    "m" | "min" | "mins" | "minute" | "minutes" => Some(Duration::minutes(v)),
                    "h" | "hr" | "hour" | "hours" => Some(Duration::hours(v)),
                    "d" | "day" | "days" => Some(Duration::days(v)),
                    _ => None,
                });
                match d {
                    Some(d) => latency.push((table, d)),
                    None => r.lose(
                        &at,
                        format!(
                            "latency {} {unit}: dpc takes whole minutes, hours or days",
                            sp.value.scalar_text().unwrap_or_default()
                        ),
                    ),
                }
            }
            "availability" => {
                let v = match &sp.value {
                    Any::Int(n) => Some(*n as f64),
                    Any::Float(f) => Some(*f),
                    Any::Text(t) => t.trim().trim_end_matches('%').trim().parse().ok(),
                    _ => None,
                };
                match v.filter(|v| (0.0..=100.0).contains(v)) {
                    Some(v) => availability = Some(Percent(v)),
                    None => r.lose(&at, "availability: not a percentage"),
                }
            }
            "retention" => {
                retention = match (&sp.value, sp.unit.as_deref()) {
                    (Any::Int(n), Some(unit)) => export::retention_text(*n, unit),
                    (v, None) => v.scalar_text(),
                    _ => None,
                };
                if retention.is_none() {
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
    TopLevel {
        named,
        contract_residue,
        owner: owner.map(|o| o.username.clone()),
        team_name,
        catalog,
        consumers,
        latency,
        availability,
        retention,
    }
}

fn read_tables(doc: &Contract, r: &mut Reader) -> Result<Vec<ImportedTable>, OdcsError> {
    let freq = frequencies(doc);
    let mut tables: Vec<ImportedTable> = Vec::new();
    for (i, obj) in doc.schema.iter().enumerate() {
        if let Some(t) = read_table(obj, i, &freq, r)? {
            if tables.iter().any(|x| x.starter.name == t.starter.name) {
                r.lose(
                    format!("schema[{}]", obj.name),
                    format!("table {} appears twice; the first is kept", t.starter.name),
                );
                continue;
            }
            tables.push(t);
        }
    }
    for table in freq.keys() {
        if !table.is_empty() && !tables.iter().any(|t| t.starter.name == *table) {
            r.lose(
                "slaProperties",
                format!("frequency of {table}: the product has no such table"),
            );
        }
    }
    Ok(tables)
}

/// The tables of a document, with what they lose and the notes about them.
#[derive(Debug, Clone)]
pub struct Tables {
    pub tables: Vec<StarterTable>,
    pub not_carried: Vec<Loss>,
    pub notes: Vec<String>,
}

/// Just the tables of a document (`dpc create --schema-from`).
pub fn tables(doc: &Contract) -> Result<Tables, OdcsError> {
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
pub fn import(
    doc: &Contract,
    file_stem: &str,
    flags: &Flags,
    today: Date,
    default_owner: &dyn Fn(&str) -> (String, Option<String>),
) -> Result<Imported, OdcsError> {
    let mut r = Reader::default();
    let top = read_top(doc, &mut r);
    let tables = read_tables(doc, &mut r)?;

    // The answers: flags, else the document, else create's defaults.
    let doc_name = doc.name.clone().unwrap_or_default();
    let name = match &flags.name {
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
    };
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
    let domain = flags
        .domain
        .clone()
        .or(doc_domain.clone())
        .unwrap_or_else(|| "general".to_string());
    let doc_tier: Option<Tier> = parse_named(&top.named, prop::TIER, &mut r);
    let doc_sla: Option<SlaLevel> = parse_named(&top.named, prop::SLA_LEVEL, &mut r);
    let doc_masking: Option<MaskingStrategy> =
        parse_named(&top.named, prop::MASKING_STRATEGY, &mut r);
    let mut doc_sensitivity: Option<Sensitivity> =
        parse_named(&top.named, prop::SENSITIVITY, &mut r);
    let has_pii = tables.iter().any(|t| !t.starter.pii_categories.is_empty());
    if doc_sensitivity.is_none()
        && let Some(s) = inferred_sensitivity(&tables)
    {
        let s = if s == Sensitivity::Public && has_pii {
            Sensitivity::Internal
        } else {
            s
        };
        r.notes.push(format!(
            "sensitivity: {s}, from the columns' classifications (choose with --sensitivity)"
        ));
        doc_sensitivity = Some(s);
    }
    let sensitivity = flags
        .sensitivity
        .or(doc_sensitivity)
        .unwrap_or(Sensitivity::Internal);
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
    let schema = name::schema_name(&name);
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
    let display_name = flags.display_name.clone().or_else(|| {
        (!doc_name.is_empty()
            && doc_name != name
            && answers::check_text("name", &doc_name, false).is_ok())
        .then(|| doc_name.clone())
    });
    let purpose = doc.description.as_ref().and_then(|d| d.purpose.clone());
    let use_cases: Vec<String> = doc
        .description
        .as_ref()
        .and_then(|d| d.usage.as_deref())
        .map(|u| {
            u.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();
    let consumers = if flags.consumers.is_empty() {
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
    };
    let a = Answers {
        name: name.clone(),
        display_name,
        description: flags.description.clone().or(purpose).or_else(|| {
            Some(format!(
                "Data product imported from the ODCS contract {}",
                if doc_name.is_empty() {
                    &doc.id
                } else {
                    &doc_name
                }
            ))
        }),
        domain: domain.clone(),
        tier: flags.tier.or(doc_tier).unwrap_or(Tier::Gold),
        owner: owner.clone(),
        sla: flags.sla.or(doc_sla).unwrap_or(SlaLevel::Medium),
        sensitivity,
        catalog,
        consumers,
        masking: flags
            .masking
            .or(doc_masking)
            .unwrap_or(MaskingStrategy::ColumnMask),
        use_cases: Some(use_cases),
        data_sources: Some(Vec::new()),
        retention: top.retention.clone(),
        compliance: None,
        tables: (!tables.is_empty()).then(|| tables.iter().map(|t| t.starter.clone()).collect()),
        pii: None,
    };

    // Restoring the document's dpc sections is right only when the flags agree with it.
    let residues = [prop::PRODUCT, prop::SLA, prop::GOVERNANCE].map(|k| top.named.get(k).cloned());
    let has_residue = residues.iter().any(Option::is_some);
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
        doc_tier.map(|t| t.to_string()),
    ) {
        conflicts.push("--tier");
    }
    if differs(
        flags.sla.map(|t| t.to_string()),
        doc_sla.map(|t| t.to_string()),
    ) {
        conflicts.push("--sla");
    }
    if differs(
        flags.sensitivity.map(|t| t.to_string()),
        doc_sensitivity.map(|t| t.to_string()),
    ) {
        conflicts.push("--sensitivity");
    }
    if differs(flags.owner.clone(), top.owner.clone()) {
        conflicts.push("--owner");
    }
    if differs(
        flags.masking.map(|t| t.to_string()),
        doc_masking.map(|t| t.to_string()),
    ) {
        conflicts.push("--masking");
    }
    let role_names: Vec<String> = top.consumers.iter().map(|c| c.0.clone()).collect();
    if !flags.consumers.is_empty() && flags.consumers != role_names {
        conflicts.push("--consumer");
    }
    let restore = has_residue && conflicts.is_empty();
    if has_residue && !restore {
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

    if tables.is_empty() {
        r.notes.push(
            "the document has no tables dpc can create; the product starts from the domain starter's tables, to replace".to_string(),
        );
    }
    let (baseline, built) = answers::build_spec(&a, today)?;
    r.notes.extend(built.0);

    let spec = restore_spec(
        baseline, doc, flags, &top, &tables, residues, restore, &mut r,
    )?;
    for t in &tables {
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
    Ok(Imported {
        spec,
        not_carried: r.losses,
        notes: r.notes,
        restored: restore,
    })
}

/// A section of the spec: the builder's, or when restoring, the document's residue with the
/// keys standard fields carry (`carried`) taken from the builder's, which read them from the
/// document. A residue that no longer reads is a loss, and the builder's section stands.
fn section<T: Serialize + serde::de::DeserializeOwned>(
    what: &str,
    key: &str,
    baseline: T,
    residue: Option<Any>,
    carried: &[&[&str]],
    r: &mut Reader,
) -> T {
    let Some(mut restored) = residue else {
        return baseline;
    };
    let merged = to_any(&baseline).map(|base| {
        for path in carried {
            if let Some(v) = base.get_path(path) {
                restored.set_path(path, v.clone());
            }
        }
        restored
    });
    match merged.and_then(|m| from_any::<T>(what, &m)) {
        Ok(v) => v,
        Err(e) => {
            r.lose("customProperties", format!("{key}: not restored ({e})"));
            baseline
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn restore_spec(
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
fn read_support(doc: &Contract, product: &mut ProductManifest, r: &mut Reader) {
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
