//! `dpc create` inputs other than flags: `--schema-from` files, `--answers` files, and no
//! terminal on stdin (never a prompt, never a hang).

use crate::common::{Scratch, entries, read_tree};
use predicates::prelude::*;
use std::time::Duration;

#[test]
fn without_a_terminal_dpc_never_prompts() {
    let s = Scratch::new();
    let out = s
        .dpc()
        .args(["create", "x"])
        .write_stdin("\n")
        .timeout(Duration::from_secs(60))
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(!stderr.contains('?'), "prompted: {stderr}");
    assert!(s.product("x").join("contract.yaml").exists());
}

#[test]
fn without_a_terminal_a_missing_name_names_the_argument() {
    let s = Scratch::new();
    s.dpc()
        .arg("create")
        .write_stdin("\n")
        .timeout(Duration::from_secs(60))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("NAME: no product name"));
    assert!(entries(s.path()).is_empty());
}

#[test]
fn a_csv_becomes_the_schema_with_inferred_types_and_pii() {
    let s = Scratch::new();
    std::fs::write(
        s.path().join("orders.csv"),
        "order_id,customer_email,amount,placed_at\nA1,a@b.co,12.50,2024-01-01T10:00:00Z\nA2,,3,2024-01-02 11:00:00\n",
    )
    .expect("csv");
    let out = s
        .create(
            "orders",
            &["--domain", "sales", "--schema-from", "orders.csv"],
        )
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(stdout.contains("orders.customer_email (email)"), "{stdout}");
    let contract =
        std::fs::read_to_string(s.product("orders").join("contract.yaml")).expect("contract");
    assert!(contract.contains("type: DECIMAL(4,2)"), "{contract}");
    assert!(contract.contains("type: TIMESTAMP"), "{contract}");
    assert!(
        !contract.contains("customers:"),
        "the starter's tables stayed: {contract}"
    );
}

#[test]
fn another_products_ddl_and_contract_import() {
    let s = Scratch::new();
    s.create("customer-360", &["--domain", "marketing"])
        .assert()
        .success();
    let ddl = s.product("customer-360").join("schemas/customers_v1.sql");
    s.create("from-ddl", &["--schema-from", ddl.to_str().expect("utf-8")])
        .assert()
        .success();
    let contract = s.product("customer-360").join("contract.yaml");
    s.create(
        "from-contract",
        &[
            "--domain",
            "marketing",
            "--schema-from",
            contract.to_str().expect("utf-8"),
        ],
    )
    .assert()
    .success();
    // The whole contract comes across, so the product equals the starter's but for its name.
    let a = read_tree(&s.product("customer-360"));
    let b = read_tree(&s.product("from-contract"));
    let strip = |t: &str| {
        t.replace("from-contract", "customer-360")
            .replace("from_contract", "customer_360")
            .replace("From Contract", "Customer 360")
    };
    assert_eq!(strip(&b["contract.yaml"]), a["contract.yaml"]);
}

#[test]
fn bad_import_files_name_the_file_and_line() {
    let s = Scratch::new();
    std::fs::write(
        s.path().join("t.sql"),
        "CREATE TABLE t (\n  id INT,\n  `bad.name` STRING\n);\n",
    )
    .expect("sql");
    let out = s
        .create("x", &["--schema-from", "t.sql"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("t.sql:3: "));
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("error")).count(),
        1,
        "{stderr}"
    );
    assert!(!s.path().join("data-products").exists());
}

#[test]
fn unknown_keys_in_an_answers_file_are_named() {
    let s = Scratch::new();
    std::fs::write(
        s.path().join("answers.yaml"),
        "name: x\nsla: high\nretension: 3 years\n",
    )
    .expect("answers");
    s.dpc()
        .args(["create", "--answers", "answers.yaml", "--no-input"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("answers.yaml:3").and(predicate::str::contains("retension")),
        );
    assert!(!s.path().join("data-products").exists());
}

#[test]
fn flags_win_over_the_answers_file() {
    let s = Scratch::new();
    std::fs::write(
        s.path().join("answers.yaml"),
        "name: x\ndomain: finance\nsla: low\n",
    )
    .expect("answers");
    let out = s
        .dpc()
        .args([
            "create",
            "--answers",
            "answers.yaml",
            "--sla",
            "high",
            "--no-input",
            "--format",
            "json",
        ])
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("json");
    assert_eq!(json["sla"], "high");
    assert_eq!(json["domain"], "finance");
}
