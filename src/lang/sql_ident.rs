//! What Databricks SQL accepts as an unquoted identifier: the reserved words (ANSI mode) and
//! the plain names that need no backticks.

use regex::Regex;
use std::sync::LazyLock;

static SIMPLE_IDENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-z_][a-z0-9_]*$").expect("constant regex"));

/// Databricks SQL reserved words (ANSI mode), which must be quoted as identifiers.
const RESERVED: &[&str] = &[
    "all",
    "alter",
    "and",
    "any",
    "array",
    "as",
    "at",
    "authorization",
    "between",
    "both",
    "by",
    "case",
    "cast",
    "check",
    "collate",
    "column",
    "commit",
    "constraint",
    "create",
    "cross",
    "cube",
    "current",
    "current_date",
    "current_time",
    "current_timestamp",
    "current_user",
    "date",
    "delete",
    "describe",
    "distinct",
    "drop",
    "else",
    "end",
    "escape",
    "except",
    "exists",
    "external",
    "false",
    "fetch",
    "filter",
    "for",
    "foreign",
    "from",
    "full",
    "function",
    "global",
    "grant",
    "group",
    "grouping",
    "having",
    "in",
    "inner",
    "insert",
    "intersect",
    "interval",
    "into",
    "is",
    "join",
    "lateral",
    "leading",
    "left",
    "like",
    "limit",
    "map",
    "natural",
    "not",
    "null",
    "of",
    "on",
    "only",
    "or",
    "order",
    "outer",
    "overlaps",
    "partition",
    "position",
    "primary",
    "range",
    "references",
    "revoke",
    "right",
    "rollback",
    "rollup",
    "row",
    "rows",
    "select",
    "session_user",
    "set",
    "some",
    "start",
    "struct",
    "table",
    "tablesample",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "true",
    "union",
    "unique",
    "unknown",
    "update",
    "user",
    "using",
    "values",
    "when",
    "where",
    "window",
    "with",
];

pub(crate) fn is_reserved(name: &str) -> bool {
    RESERVED.binary_search(&name).is_ok()
}

/// True when `name` can be written in SQL without backticks.
pub(crate) fn is_simple_identifier(name: &str) -> bool {
    SIMPLE_IDENT.is_match(name) && !is_reserved(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_words_are_sorted_for_binary_search() {
        let mut sorted = RESERVED.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, RESERVED);
        assert!(is_reserved("order"));
        assert!(!is_reserved("customers"));
    }

    #[test]
    fn simple_identifiers_are_lower_case_words_that_are_not_reserved() {
        assert!(is_simple_identifier("customer_id"));
        assert!(!is_simple_identifier("order"));
        assert!(!is_simple_identifier("Customer"));
        assert!(!is_simple_identifier("a-b"));
    }
}
