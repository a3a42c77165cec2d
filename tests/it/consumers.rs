//! `dpc consumers`: add → generate → validate → revoke round trips, refusals change nothing,
//! comments in the spec survive, and the audit finds what it should.

use crate::common::{EPOCH, Scratch, read_tree};
use predicates::prelude::*;
use std::path::Path;

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).expect("read")
}

fn write(dir: &Path, file: &str, text: &str) {
    std::fs::write(dir.join(file), text).expect("write");
}

fn product(flags: &[&str]) -> Scratch {
    let s = Scratch::new();
    s.create("p", flags).assert().success();
    s
}

const RESTRICTED: &[&str] = &["--domain", "finance", "--sensitivity", "restricted"];
const CONFIDENTIAL: &[&str] = &["--domain", "finance", "--sensitivity", "confidential"];

/// The statements of a revocation record, without its comments.
fn statements_of(record: &str) -> Vec<&str> {
    record
        .lines()
        .filter(|l| !l.starts_with("--") && !l.is_empty())
        .collect()
}

#[test]
fn add_generate_validate_revoke_round_trip() {
    let s = product(&["--domain", "marketing"]);
    let dir = s.product("p");
    // Comments a person added, in places the edits pass by.
    let governance = read(&dir, "governance.yaml")
        .replace(
            "approved_consumers:\n",
            "approved_consumers:  # reviewed quarterly\n",
        )
        .replace(
            "  - principal: data-scientists\n",
            "  # data science team\n  - principal: data-scientists\n",
        )
        .replace("approval_workflow:\n", "# approvals\napproval_workflow:\n")
        .replace(
            "      method: partial_email\n",
            "      method: partial_email  # keep the domain hidden\n",
        );
    write(&dir, "governance.yaml", &governance);
    let product_yaml = read(&dir, "product.yaml").replace(
        "access_control:\n",
        "access_control:  # see governance.yaml\n",
    );
    write(&dir, "product.yaml", &product_yaml);
    let before = read_tree(&dir);

    s.dpc()
        .args(["consumers", "add"])
        .arg(&dir)
        .args([
            "finance-analysts",
            "--tables",
            "customers",
            "--unmask",
            "email",
        ])
        .args(["--justification", "churn study", "--expires", "2025-06-30"])
        .assert()
        .success()
        .stdout(predicate::str::contains("finance-analysts added"));
    let added = read_tree(&dir);
    let customers = &added["schemas/customers_v1.sql"];
    // USE CATALOG is the catalog owner's to grant, from its own file.
    assert!(
        added["schemas/catalog/grants.sql"]
            .contains("GRANT USE CATALOG ON CATALOG main_production TO `finance-analysts`;")
    );
    for grant in [
        "GRANT USE SCHEMA ON SCHEMA p TO `finance-analysts`;",
        "GRANT SELECT ON TABLE p.customers TO `finance-analysts`;",
    ] {
        assert!(customers.contains(grant), "{grant}\n{customers}");
    }
    assert!(
        customers.contains("OR is_account_group_member('finance-analysts') THEN email\n"),
        "{customers}"
    );
    assert!(!customers.contains("is_account_group_member('finance-analysts') THEN first_name"));
    assert!(!added["schemas/customer_metrics_v1.sql"].contains("finance-analysts"));
    let gov = &added["governance.yaml"];
    for comment in [
        "approved_consumers:  # reviewed quarterly\n",
        "  # data science team\n",
        "# approvals\n",
        "method: partial_email  # keep the domain hidden\n",
    ] {
        assert!(gov.contains(comment), "{comment:?} lost:\n{gov}");
    }
    assert!(gov.contains("  - principal: \"finance-analysts\"\n    principal_type: group\n    permission: \"SELECT\"\n    tables:\n      - \"customers\"\n    justification: \"churn study\"\n    expires: \"2025-06-30\"\n# approvals\n"), "{gov}");
    assert!(added["product.yaml"].contains("access_control:  # see governance.yaml\n"));
    assert!(
        added["product.yaml"]
            .contains("    - group: \"finance-analysts\"\n      permission: \"SELECT\"\n")
    );

    s.dpc()
        .args(["generate", "--check"])
        .arg(&dir)
        .assert()
        .success();
    s.dpc().arg("validate").arg(&dir).assert().success();
    s.dpc()
        .args(["consumers", "list", "--format", "json"])
        .arg(&dir)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "\"unmasked\": [\n      \"customers.email\"\n    ]",
        ));

    s.dpc()
        .args(["consumers", "revoke"])
        .arg(&dir)
        .args(["finance-analysts", "--reason", "study done; it's over"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "schemas/revocations/2024-12-31_finance-analysts.sql",
        ));
    let mut after = read_tree(&dir);
    let record = after
        .remove("schemas/revocations/2024-12-31_finance-analysts.sql")
        .expect("revocation file");
    // Spec texts and derived files are back to what they were, byte for byte.
    assert_eq!(after, before);
    assert_eq!(
        statements_of(&record),
        [
            "USE CATALOG IDENTIFIER(:catalog);",
            "REVOKE SELECT ON TABLE p.customers FROM `finance-analysts`;",
            "REVOKE USE SCHEMA ON SCHEMA p FROM `finance-analysts`;",
        ]
    );
    // The job granted in every target's catalog: the record says to revoke in each.
    assert!(
        record.contains("(prod: main_production, dev: main_production_dev)"),
        "{record}"
    );
    assert!(
        record.contains("-- Reason: study done; it's over\n"),
        "{record}"
    );
    // The record survives generate and validate.
    s.dpc().arg("generate").arg(&dir).assert().success();
    s.dpc().arg("validate").arg(&dir).assert().success();
    assert!(
        dir.join("schemas/revocations/2024-12-31_finance-analysts.sql")
            .is_file()
    );
}

#[test]
fn unmasking_confidential_data_without_approval_is_refused() {
    let s = product(CONFIDENTIAL);
    let dir = s.product("p");
    let before = read_tree(&dir);
    s.dpc()
        .args(["consumers", "add"])
        .arg(&dir)
        .args(["chargeback-team", "--unmask", "card_last4"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "refused: granting chargeback-team clear card_last4 on confidential product p: confidential data needs an approval for every grant; pass --approved-by EMAIL. Nothing was changed",
        ));
    assert_eq!(read_tree(&dir), before);
    // With the approval it goes through and is recorded.
    s.dpc()
        .args(["consumers", "add"])
        .arg(&dir)
        .args([
            "chargeback-team",
            "--unmask",
            "card_last4",
            "--approved-by",
            "lead@example.com",
        ])
        .assert()
        .success();
    let gov = read(&dir, "governance.yaml");
    assert!(
        gov.contains("    approved_by: \"lead@example.com\"\n    approved_date: \"2024-12-31\"\n"),
        "{gov}"
    );
    s.dpc().arg("validate").arg(&dir).assert().success();
}

#[test]
fn the_policy_refuses_and_nothing_changes() {
    let refusals: [(&[&str], &[&str], &str); 7] = [
        (
            RESTRICTED,
            &[
                "auditors",
                "--approved-by",
                "a@example.com",
                "--expires",
                "2025-01-31",
            ],
            "--justification TEXT",
        ),
        (
            RESTRICTED,
            &[
                "auditors",
                "--approved-by",
                "a@example.com",
                "--justification",
                "SOX",
            ],
            "--expires DATE (at the latest 2025-03-31)",
        ),
        (
            RESTRICTED,
            &[
                "auditors",
                "--approved-by",
                "a@example.com",
                "--justification",
                "SOX",
                "--expires",
                "2025-04-01",
            ],
            "--expires 2025-04-01 is later than 2025-03-31",
        ),
        (
            &["--domain", "marketing"],
            &["account users"],
            "`account users` may read internal data only through masked views",
        ),
        (
            &["--domain", "marketing"],
            &[
                "bot",
                "--principal-type",
                "service-principal",
                "--unmask",
                "email",
            ],
            "only groups pass",
        ),
        (
            &["--domain", "marketing"],
            &["data-scientists"],
            "data-scientists is already an approved consumer",
        ),
        (
            RESTRICTED,
            &[
                "account users",
                "--approved-by",
                "a@example.com",
                "--justification",
                "j",
                "--expires",
                "2025-01-31",
            ],
            "`account users` may read restricted data only through masked views",
        ),
    ];
    for (flags, args, message) in refusals {
        let s = product(flags);
        let dir = s.product("p");
        let before = read_tree(&dir);
        let out = s
            .dpc()
            .args(["consumers", "add"])
            .arg(&dir)
            .args(args)
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert_eq!(read_tree(&dir), before, "{args:?} changed the product");
    }
}

#[test]
fn arguments_that_name_nothing_are_usage_errors() {
    let s = product(&["--domain", "marketing"]);
    let dir = s.product("p");
    for (args, message) in [
        (&["g", "--tables", "nope"][..], "--tables: no table nope"),
        (
            &["g", "--expires", "tomorrow"][..],
            "--expires: 'tomorrow' is not a date",
        ),
        (
            &["g", "--expires", "2020-01-01"][..],
            "--expires: 2020-01-01 is in the past",
        ),
        (&["g", "--approved-by", "boss"][..], "--approved-by"),
        (
            &["g", "--unmask", "country"][..],
            "--unmask: no masking rule for country",
        ),
    ] {
        s.dpc()
            .args(["consumers", "add"])
            .arg(&dir)
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message));
    }
    s.dpc()
        .args(["consumers", "add"])
        .arg(&dir)
        .args(["g", "--permission", "MODIFY"])
        .assert()
        .code(2);
    s.dpc()
        .args(["consumers", "revoke"])
        .arg(&dir)
        .arg("nobody")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nobody is not an approved consumer of p; consumers: marketing-analysts, data-scientists, reporting-service"));
}

#[test]
fn revoking_every_consumer_leaves_an_empty_list_that_takes_new_ones() {
    let s = product(&["--domain", "marketing"]);
    let dir = s.product("p");
    for who in ["marketing-analysts", "data-scientists", "reporting-service"] {
        s.dpc()
            .args(["consumers", "revoke"])
            .arg(&dir)
            .arg(who)
            .assert()
            .success();
    }
    let gov = read(&dir, "governance.yaml");
    assert!(gov.contains("approved_consumers: []\n"), "{gov}");
    assert!(
        gov.contains("unmask_groups:\n        - marketing-data-owners\n"),
        "{gov}"
    );
    assert!(read(&dir, "product.yaml").contains("  approved_consumers: []\n"));
    assert!(!read(&dir, "schemas/customers_v1.sql").contains("GRANT "));
    assert_eq!(
        std::fs::read_dir(dir.join("schemas/revocations"))
            .expect("dir")
            .count(),
        // reporting-service had no application ID, so no grant and nothing to revoke.
        2
    );
    s.dpc().arg("validate").arg(&dir).assert().success();
    s.dpc()
        .args(["consumers", "add"])
        .arg(&dir)
        .args(["newcomers", "--unmask", "email"])
        .assert()
        .success();
    let gov = read(&dir, "governance.yaml");
    assert!(
        gov.contains("approved_consumers:\n  - principal: \"newcomers\"\n"),
        "{gov}"
    );
    s.dpc().arg("validate").arg(&dir).assert().success();
}

#[test]
fn a_hand_edited_file_the_change_must_rewrite_blocks_it() {
    let s = product(&["--domain", "marketing"]);
    let dir = s.product("p");
    let sql = read(&dir, "schemas/customers_v1.sql")
        .replace("USING DELTA", "USING DELTA -- tuned by hand");
    write(&dir, "schemas/customers_v1.sql", &sql);
    let before = read_tree(&dir);
    s.dpc()
        .args(["consumers", "add"])
        .arg(&dir)
        .arg("g")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "schemas/customers_v1.sql must change but was edited by hand",
        ));
    assert_eq!(read_tree(&dir), before);
}

#[test]
fn audit_finds_expired_unjustified_and_clear_pii_readers() {
    let s = product(RESTRICTED);
    let dir = s.product("p");
    // Fresh restricted grants: justified, approved, not expired; no consumer reads PII in
    // clear. The owner group does: the masks admit the job's identity, one of its members.
    let out = s
        .dpc()
        .args(["consumers", "audit", "--format", "json"])
        .arg(&dir)
        .assert()
        .success();
    let audit: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("json");
    let clear: Vec<&str> = audit["clear_pii"]
        .as_array()
        .expect("clear_pii")
        .iter()
        .map(|r| r["role"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(clear, ["owner"], "{audit:#}");
    let later = (EPOCH.parse::<u64>().expect("epoch") + 100 * 86_400).to_string();
    s.dpc()
        .env("SOURCE_DATE_EPOCH", &later)
        .args(["consumers", "audit"])
        .arg(&dir)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "fraud-analysts (expired 2025-03-31)",
        ));

    let s = product(&["--domain", "marketing"]);
    let out = s
        .dpc()
        .args(["consumers", "audit"])
        .arg(s.product("p"))
        .assert()
        .code(1);
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(text.contains("grants without justification:\n  marketing-analysts\n  data-scientists\n  reporting-service\n"), "{text}");
    assert!(
        text.contains("  marketing-analysts (consumer): customers.email, customers.first_name"),
        "{text}"
    );
    assert!(!text.contains("reporting-service (consumer)"), "{text}");
}

#[test]
fn list_shows_consumers_with_expiry_and_justification() {
    let s = product(RESTRICTED);
    s.dpc()
        .args(["consumers", "list"])
        .arg(s.product("p"))
        .assert()
        .success()
        .stdout(predicate::str::contains("fraud-analysts (group): SELECT on all tables; expires 2025-03-31\n  justification: Granted at product creation; renew with a business justification\n"));
}
