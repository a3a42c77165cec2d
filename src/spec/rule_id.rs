//! The one id of a quality rule, the same in every engine and every file that names a rule
//! (`dpc test`, `quality/expectations.yaml`, `quality/validation_rules.py`, the quality job's
//! output, `dpc export dqx`): `<product>/<table>/<rule name>@<contract version>`, e.g.
//! `customer-360/customers/valid_email_format@1.0.0`.
//!
//! It is stable across regenerations (it depends on nothing but the spec) and changes when
//! the contract's version does, so a result recorded under one version is never compared with
//! a rule of another. The rule name is the one `dpc test` reports (a name that clashes with an
//! earlier rule of the table gets `_2`, `_3`...).

/// The id of rule `rule` of table `table` in version `contract_version` of product `product`'s
/// contract.
pub(crate) fn rule_id(product: &str, table: &str, rule: &str, contract_version: &str) -> String {
    format!("{product}/{table}/{rule}@{contract_version}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_id_names_product_table_rule_and_version() {
        assert_eq!(
            super::rule_id("customer-360", "customers", "valid_email_format", "1.0.0"),
            "customer-360/customers/valid_email_format@1.0.0"
        );
    }
}
