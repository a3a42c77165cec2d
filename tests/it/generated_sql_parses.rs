//! Every generated SQL file parses with a Databricks-dialect parser (sqruff), for the
//! examples and for the variants that change the SQL (masked view, restricted, public).

use crate::common::{EXAMPLES, Scratch, VARIANTS, read_tree};
use crate::sql_oracle::parse_errors;

fn assert_sql_parses(label: &str, name: &str, flags: &[&str]) {
    let s = Scratch::new();
    s.create(name, flags).assert().success();
    let tree = read_tree(&s.product(name));
    let mut checked = 0;
    for (path, text) in tree.iter().filter(|(p, _)| p.ends_with(".sql")) {
        let errors = parse_errors(text);
        assert!(
            errors.is_empty(),
            "{label} {path}:\n{}\n\n{text}",
            errors.join("\n")
        );
        checked += 1;
    }
    assert!(checked >= 5, "{label}: only {checked} SQL files");
}

#[test]
fn the_parser_rejects_broken_sql() {
    // Guards the oracle itself: if it accepted everything, the tests below would prove nothing.
    assert!(!parse_errors("CREATE TABLE t (a STRING;").is_empty());
    assert!(!parse_errors("GRANT SELECT ON TABLE a.b TO marketing-analysts;").is_empty());
    assert!(parse_errors("GRANT SELECT ON TABLE a.b TO `marketing-analysts`;").is_empty());
}

#[test]
fn example_sql_parses() {
    for (name, flags) in EXAMPLES {
        assert_sql_parses("example", name, flags);
    }
}

#[test]
fn variant_sql_parses() {
    for (label, flags) in VARIANTS {
        assert_sql_parses(label, "p", flags);
    }
}

#[test]
fn revocation_sql_parses() {
    // The oracle knows REVOKE: it rejects an unquoted principal with a dash.
    assert!(!parse_errors("REVOKE SELECT ON TABLE a.b FROM data-scientists;").is_empty());
    assert!(parse_errors("REVOKE SELECT ON TABLE a.b FROM `data-scientists`;").is_empty());
    for (flags, who) in [
        (&["--domain", "marketing"][..], "data-scientists"),
        (
            &[
                "--domain",
                "finance",
                "--sensitivity",
                "restricted",
                "--masking",
                "masked-view",
            ][..],
            "fraud-analysts",
        ),
    ] {
        let s = Scratch::new();
        s.create("p", flags).assert().success();
        s.dpc()
            .args([
                "consumers",
                "revoke",
                "data-products/p",
                who,
                "--reason",
                "it's -- done;",
            ])
            .assert()
            .success();
        let tree = read_tree(&s.product("p"));
        let (path, text) = tree
            .iter()
            .find(|(p, _)| p.starts_with("schemas/revocations/"))
            .expect("revocation file");
        assert!(text.contains("REVOKE SELECT ON "), "{text}");
        let errors = parse_errors(text);
        assert!(
            errors.is_empty(),
            "{path}:\n{}\n\n{text}",
            errors.join("\n")
        );
    }
}
