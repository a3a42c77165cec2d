//! The SQL oracle every suite shares: sqruff's Databricks dialect, built once per test thread
//! (building the dialect is the expensive part).

use sqruff_lib::core::config::FluffConfig;
use sqruff_lib::core::linter::core::Linter;
use sqruff_lib_core::parser::segments::Tables;

thread_local! {
    static LINTER: Linter = Linter::new(
        FluffConfig::from_source("[sqruff]\ndialect = databricks\n", None),
        None,
        None,
        true,
    )
    .expect("linter");
}

/// Parse errors of a SQL text (`line L:P description`); empty when it parses.
pub fn parse_errors(sql: &str) -> Vec<String> {
    LINTER.with(|linter| {
        let tables = Tables::default();
        let parsed = match linter.parse_string(&tables, sql, None) {
            Ok(parsed) => parsed,
            Err(e) => return vec![format!("parser error: {e:?}")],
        };
        let mut errors: Vec<String> = parsed
            .violations
            .iter()
            .map(|v| format!("line {}:{} {}", v.line_no, v.line_pos, v.description))
            .collect();
        if parsed.tree.is_none() {
            errors.push("no parse tree".into());
        }
        errors
    })
}

#[test]
fn the_oracle_rejects_broken_sql() {
    assert!(parse_errors("SELECT 1;").is_empty());
    assert!(!parse_errors("SELEC 1 FROM;").is_empty());
}
