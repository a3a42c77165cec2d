//! Every rule of a table as `dpc test` counts it (see `crate::data::compile`), with its Spark
//! SQL condition, for `quality/validation_rules.py`: the record shape, each column's type,
//! NOT NULL, the field constraints (CHECK constraint names), uniqueness, the primary key and
//! the contract's expectations. Names, order and severities are the same as `dpc test`'s, so
//! a rule named in a failing PySpark test is the rule `dpc test` names.

use super::model::{ExpectationModel, action_for};
use crate::lang::escape::sql_identifier;
use crate::spec::contract::Table;
use crate::spec::contract_sql;
use crate::spec::values::Severity;
use minijinja::Value;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub(crate) struct RuleModel {
    /// `<product>/<table>/<rule>@<contract version>` (`crate::spec::rule_id`), as `dpc test`
    /// reports it.
    pub id: String,
    pub name: String,
    /// `row_shape`, `type`, `not_null`, `format`, `allowed_values`, `range`, `range_current`,
    /// `unique`, `primary_key`, or an expectation's type (`not_null`, `unique`, `regex`,
    /// `in_set`, `range`).
    pub kind: &'static str,
    /// `schema`, `constraint`, `primary_key` or `expectation`.
    pub source: &'static str,
    /// The contract columns the rule reads (none for the record shape).
    pub columns: Vec<String>,
    pub severity: Severity,
    /// What a Lakeflow pipeline does with a violating row: `fail`, `drop` or `warn`.
    pub action: &'static str,
    /// Row-level Spark SQL condition (true when the row passes; NULL passes except for NOT
    /// NULL rules); absent for table-level rules (shape, type, uniqueness, primary key).
    pub expr: Option<Value>,
}

struct Rules<'a> {
    /// Product, table and contract version: the parts of a rule's id besides its name.
    product: &'a str,
    table: &'a str,
    contract_version: &'a str,
    rules: Vec<RuleModel>,
    critical_fails: bool,
}

impl Rules<'_> {
    /// Adds a rule, renaming it `<name>_2`, `_3`... when the name is taken (as `dpc test` does).
    fn push(
        &mut self,
        name: String,
        kind: &'static str,
        source: &'static str,
        columns: Vec<String>,
        severity: Severity,
        expr: Option<String>,
    ) {
        let mut unique = name.clone();
        let mut n = 2;
        while self.rules.iter().any(|r| r.name == unique) {
            unique = format!("{name}_{n}");
            n += 1;
        }
        // A table-level rule cannot drop single rows; it warns unless it must fail.
        let action = match action_for(severity, self.critical_fails) {
            "drop" if expr.is_none() => "warn",
            a => a,
        };
        self.rules.push(RuleModel {
            id: crate::spec::rule_id::rule_id(
                self.product,
                self.table,
                &unique,
                self.contract_version,
            ),
            name: unique,
            kind,
            source,
            columns,
            severity,
            action,
            expr: expr.map(Value::from_safe_string),
        });
    }
}

/// The rules of table `name`, in `dpc test`'s order; `expectations` are the table's quality
/// expectations as the model holds them.
pub(crate) fn table_rules(
    spec: &crate::spec::ProductSpec,
    table: &Table,
    expectations: &[ExpectationModel],
    name: &str,
    critical_fails: bool,
) -> Result<Vec<RuleModel>, String> {
    let mut out = Rules {
        product: spec.name(),
        table: name,
        contract_version: &spec.contract.contract_version,
        rules: Vec::new(),
        critical_fails,
    };
    out.push(
        "row_shape".into(),
        "row_shape",
        "schema",
        Vec::new(),
        Severity::Critical,
        None,
    );
    for f in &table.schema.fields {
        let column = || vec![f.name.clone()];
        out.push(
            format!("{}_type", f.name),
            "type",
            "schema",
            column(),
            Severity::Critical,
            None,
        );
        if !f.nullable {
            out.push(
                format!("{}_not_null", f.name),
                "not_null",
                "schema",
                column(),
                Severity::Critical,
                Some(format!("{} IS NOT NULL", sql_identifier(&f.name))),
            );
        }
        let constraints =
            contract_sql::constraint_rules(f).map_err(|m| format!("column {}: {m}", f.name))?;
        for (suffix, expr) in constraints {
            let severity = match suffix {
                "range_current" | "unique" => Severity::High,
                _ => Severity::Critical,
            };
            out.push(
                format!("{}_{suffix}", f.name),
                suffix,
                "constraint",
                column(),
                severity,
                expr,
            );
        }
    }
    if !table.primary_key.is_empty() {
        out.push(
            format!("pk_{name}"),
            "primary_key",
            "primary_key",
            table.primary_key.clone(),
            Severity::Critical,
            None,
        );
    }
    for e in expectations {
        out.push(
            e.name.clone(),
            e.kind,
            "expectation",
            vec![e.column.clone()],
            e.severity,
            e.expr.as_ref().map(|v| v.to_string()),
        );
    }
    Ok(out.rules)
}

/// A column that holds keys of another table (`customer_metrics.customer_id` →
/// `customers.customer_id`).
#[derive(Debug, Serialize)]
pub struct ReferenceModel {
    pub table: String,
    pub column: String,
    pub parent_table: String,
    pub parent_column: String,
}

/// The references `dpc sample` keeps: every `(table.column)` mention or shared key name of the
/// contract, except those that would make a key depend on itself.
pub fn references(contract: &crate::spec::contract::Contract) -> Vec<ReferenceModel> {
    crate::spec::keys::acyclic(crate::spec::keys::references(contract))
        .into_iter()
        .map(|r| ReferenceModel {
            table: r.table,
            column: r.column,
            parent_table: r.parent_table,
            parent_column: r.parent_column,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::spec::ProductSpec;

    fn example(name: &str) -> ProductSpec {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .join(name);
        ProductSpec::load(&dir).unwrap()
    }

    #[test]
    fn rows_pass_on_null_except_not_null_rules() {
        let spec = example("customer-360");
        let model = crate::render::model::build(&spec).unwrap();
        let customers = &model.tables[0];
        let expr = |name: &str| {
            let rule = customers.rules.iter().find(|r| r.name == name).unwrap();
            rule.expr.as_ref().map(|v| v.to_string())
        };
        assert_eq!(
            expr("customer_id_format").as_deref(),
            Some("customer_id IS NULL OR (customer_id RLIKE '^CUST-[0-9]{10}$')")
        );
        assert_eq!(
            expr("customer_id_not_null").as_deref(),
            Some("customer_id IS NOT NULL")
        );
        assert_eq!(
            expr("date_of_birth_range_current").as_deref(),
            Some("date_of_birth IS NULL OR (date_of_birth <= current_date())")
        );
        assert_eq!(expr("pk_customers"), None);
        assert_eq!(expr("customer_id_type"), None);
    }
}
