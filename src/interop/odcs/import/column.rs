//! One ODCS property → a column of the contract: type, constraints, PII, quality rules.

use super::report::Reader;
use super::residue::{residue_keys, with_residue};
use crate::interop::odcs::any::{Any, from_any, to_any};
use crate::interop::odcs::types::*;
use crate::interop::odcs::{OdcsError, data_type, prop};
use crate::spec::contract::{Constraint, ConstraintKind};
use crate::spec::data_type::DataType;
use crate::spec::values::Scalar;
use indexmap::IndexMap;

pub(super) fn scalar(v: &Any) -> Option<Scalar> {
    match v {
        Any::Bool(b) => Some(Scalar::Bool(*b)),
        Any::Int(i) => Some(Scalar::Int(*i)),
        Any::Float(f) => Some(Scalar::Float(*f)),
        Any::Text(t) => Some(Scalar::Text(t.clone())),
        _ => None,
    }
}

pub(super) fn is_zero(v: Option<&Any>) -> bool {
    matches!(v, Some(Any::Int(0))) || matches!(v, Some(Any::Float(f)) if *f == 0.0)
}

/// dpc severities as written; the common ODCS ones mapped.
pub(super) fn severity(text: Option<&str>, at: &str, r: &mut Reader) -> &'static str {
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
pub(super) struct ImportedColumn {
    pub(super) field: Any,
    pub(super) pii_category: Option<String>,
    pub(super) mask: Option<Any>,
    pub(super) expectations: Vec<Any>,
    pub(super) classification: Option<String>,
}

pub(super) fn read_column(
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
    let mut options = type_options(p, &data_type);
    let mut constraints = option_constraints(p, &data_type, &named, &mut options, at, r);
    restore_constraints(&named, &mut constraints, at, r);
    for (key, value) in &options {
        if !value.is_blank() {
            r.lose(
                at,
                format!("logicalTypeOptions.{key}: dpc constraints cannot express it"),
            );
        }
    }
    let constraints = enforceable(column, &data_type, constraints, at, r)?;
    let pii_category = pii_category(p, &residue, at, r);
    let field = field_any(p, column, &data_type, pii_category.is_some(), &constraints)?;
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

/// The property's logical type options, without those the type itself accounts for.
fn type_options(p: &Property, data_type: &DataType) -> IndexMap<String, Any> {
    let mut options = p.logical_type_options.clone().unwrap_or_default();
    if let Some(f) = options.get("format").and_then(Any::as_str)
        && data_type::logical_format(data_type) == Some(f)
    {
        options.shift_remove("format");
    }
    if matches!(data_type, DataType::Timestamp | DataType::TimestampNtz) {
        options.shift_remove("timezone");
    }
    options
}

/// A constraint of the kind with nothing else set.
fn empty_constraint(kind: ConstraintKind) -> Constraint {
    Constraint {
        kind,
        pattern: None,
        scope: None,
        min: None,
        max: None,
        values: None,
    }
}

/// The constraints the property states (pattern, unique, minimum/maximum, enum), taking
/// the options it uses out of `options`.
fn option_constraints(
    p: &Property,
    data_type: &DataType,
    named: &IndexMap<String, Any>,
    options: &mut IndexMap<String, Any>,
    at: &str,
    r: &mut Reader,
) -> Vec<Constraint> {
    let mut constraints: Vec<Constraint> = Vec::new();
    if let Some(pattern) = options.shift_remove("pattern") {
        match pattern.scalar_text() {
            Some(pattern) if *data_type == DataType::String => constraints.push(Constraint {
                pattern: Some(pattern),
                ..empty_constraint(ConstraintKind::Format)
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
            ..empty_constraint(ConstraintKind::Unique)
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
            ..empty_constraint(ConstraintKind::Range)
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
            ..empty_constraint(ConstraintKind::Enum)
        });
        for v in &p.enum_values {
            r.others(&format!("{at}.enum"), &v.other);
        }
    }
    constraints
}

/// The constraints dpc exported that ODCS cannot state (`dpc.constraints`), added, and all
/// of them put back in the exported order (`dpc.constraint_order`).
fn restore_constraints(
    named: &IndexMap<String, Any>,
    constraints: &mut Vec<Constraint>,
    at: &str,
    r: &mut Reader,
) {
    if let Some(leftovers) = named.get(prop::CONSTRAINTS) {
        match from_any::<Vec<Constraint>>("dpc.constraints", leftovers) {
            Ok(list) => constraints.extend(list),
            Err(e) => r.lose(at, format!("{}: not restored ({e})", prop::CONSTRAINTS)),
        }
    }
    if let Some(Any::List(order)) = named.get(prop::CONSTRAINT_ORDER) {
        let mut pool = std::mem::take(constraints);
        for kind in order.iter().filter_map(Any::as_str) {
            if let Some(i) = pool.iter().position(|c| export_kind_name(c.kind) == kind) {
                constraints.push(pool.remove(i));
            }
        }
        constraints.extend(pool);
    }
}

/// The constraints the column's type can enforce; any other would make the product invalid,
/// so it is a loss.
fn enforceable(
    column: &str,
    data_type: &DataType,
    constraints: Vec<Constraint>,
    at: &str,
    r: &mut Reader,
) -> Result<Vec<Constraint>, OdcsError> {
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
        match crate::spec::contract_sql::field_checks(&probe) {
            Ok(_) => kept.push(c),
            Err(e) => r.lose(
                at,
                format!("a {} constraint: {e}", export_kind_name(c.kind)),
            ),
        }
    }
    Ok(kept)
}

/// The column's PII category, from its `pii` / `pii:<category>` tags (or `pii: true` in the
/// residue); other tags are a loss.
fn pii_category(
    p: &Property,
    residue: &IndexMap<String, Any>,
    at: &str,
    r: &mut Reader,
) -> Option<String> {
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
    pii_category
}

/// The column as an [`Any`] the contract's field reads from (before the residue).
fn field_any(
    p: &Property,
    column: &str,
    data_type: &DataType,
    pii: bool,
    constraints: &[Constraint],
) -> Result<Any, OdcsError> {
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
    if pii {
        field.set("pii", Any::Bool(true));
    }
    if !constraints.is_empty() {
        field.set("constraints", to_any(&constraints)?);
    }
    Ok(field)
}

pub(super) fn export_kind_name(kind: ConstraintKind) -> &'static str {
    match kind {
        ConstraintKind::Format => "format",
        ConstraintKind::Unique => "unique",
        ConstraintKind::Range => "range",
        ConstraintKind::Enum => "enum",
    }
}

/// A quality rule as a dpc expectation (an [`Any`] that reads as one), or a loss.
pub(super) fn read_rule(q: &Quality, column: &str, at: &str, r: &mut Reader) -> Option<Any> {
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
