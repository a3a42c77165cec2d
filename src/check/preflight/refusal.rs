//! A statement Unity Catalog would refuse: the Databricks error class, what it means here,
//! and the documentation page; each kind of refusal has its own diagnostic code.

use crate::diagnostic::Code;

/// One refusal, before it is placed at a file and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub code: Code,
    /// Databricks error class, e.g. `COLUMN_MASKS_FEATURE_NOT_SUPPORTED.CHECK_CONSTRAINT`.
    pub class: &'static str,
    pub message: String,
}

impl Refusal {
    pub(crate) fn new(code: Code, class: &'static str, message: impl Into<String>) -> Self {
        Refusal {
            code,
            class,
            message: message.into(),
        }
    }

    /// The error class's page: classes with sub-classes have their own, the others an anchor
    /// on the list of error classes.
    pub(crate) fn doc_url(&self) -> String {
        const BASE: &str = "https://docs.databricks.com/aws/en/error-messages/";
        match self.class.split_once('.') {
            Some((main, _)) => format!(
                "{BASE}{}-error-class",
                main.to_lowercase().replace('_', "-")
            ),
            None => format!("{BASE}error-classes#{}", self.class.to_lowercase()),
        }
    }
}

pub(crate) fn check_beside_mask(table: &str) -> Refusal {
    Refusal::new(
        Code::Dpc060,
        "COLUMN_MASKS_FEATURE_NOT_SUPPORTED.CHECK_CONSTRAINT",
        format!(
            "table {table} has a column mask, so it cannot have CHECK constraints (nor a mask once it has one); enforce the rule in the quality job, or use --masking masked-view, which keeps CHECKs on the unmasked base table"
        ),
    )
}

pub(crate) fn check_beside_row_filter(table: &str) -> Refusal {
    Refusal::new(
        Code::Dpc060,
        "ROW_LEVEL_SECURITY_FEATURE_NOT_SUPPORTED.CHECK_CONSTRAINT",
        format!(
            "table {table} has a row filter, so it cannot have CHECK constraints (nor a row filter once it has one); enforce the rule in the quality job"
        ),
    )
}

pub(crate) fn multiple_masks(column: &str, present: &str) -> Refusal {
    Refusal::new(
        Code::Dpc061,
        "MULTIPLE_MASKS",
        format!(
            "column {column} is already masked by {present}; only one mask may apply to a column"
        ),
    )
}

pub(crate) fn service_principal_by_name(name: &str) -> Refusal {
    Refusal::new(
        Code::Dpc062,
        "PRINCIPAL_DOES_NOT_EXIST",
        format!(
            "{name} is a service principal's display name; Unity Catalog names service principals by application ID (set application_id in governance.yaml)"
        ),
    )
}

pub(crate) fn denied(what: String) -> Refusal {
    Refusal::new(Code::Dpc063, "INSUFFICIENT_PERMISSIONS", what)
}

pub(crate) fn not_found(class: &'static str, what: String) -> Refusal {
    Refusal::new(Code::Dpc064, class, what)
}

pub(crate) fn limit(what: String) -> Refusal {
    Refusal::new(Code::Dpc065, "INVALID_PARAMETER_VALUE", what)
}

pub(crate) fn default_without_feature(table: &str) -> Refusal {
    Refusal::new(
        Code::Dpc066,
        "WRONG_COLUMN_DEFAULTS_FOR_DELTA_FEATURE_NOT_ENABLED",
        format!(
            "table {table} declares a column DEFAULT without 'delta.feature.allowColumnDefaults' = 'supported'"
        ),
    )
}

pub(crate) fn exists(class: &'static str, what: String) -> Refusal {
    Refusal::new(Code::Dpc069, class, what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documentation_pages_follow_the_class() {
        assert_eq!(
            check_beside_mask("t").doc_url(),
            "https://docs.databricks.com/aws/en/error-messages/column-masks-feature-not-supported-error-class"
        );
        assert_eq!(
            denied("x".into()).doc_url(),
            "https://docs.databricks.com/aws/en/error-messages/error-classes#insufficient_permissions"
        );
    }
}
