//! `dpc export dqx`: one Databricks Labs DQX checks file per table, one check per rule
//! `dpc test` counts (but the record shape and the types), under the same name and id, with
//! string literals quoted as DQX >= 0.16 reads them. (`.ci/dqx.sh` runs the files through the
//! real DQX package.)

use crate::common::{Scratch, edit, marketing, output};
use serde_json::Value;
use std::path::{Path, PathBuf};

const PRODUCTS: [&str; 3] = [
    "customer-360",
    "real-time-fraud-detection",
    "sales-analytics",
];

/// DQX's built-in check functions the export uses.
const FUNCTIONS: [&str; 7] = [
    "is_not_null",
    "regex_match",
    "is_in_list",
    "is_in_range",
    "is_not_less_than",
    "is_not_greater_than",
    "is_unique",
];

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

fn export(s: &Scratch, product: &Path, out: &Path) {
    s.dpc()
        .args(["export", "dqx"])
        .arg(product)
        .arg("--out")
        .arg(out)
        .assert()
        .success();
}

/// A table's checks file as JSON values.
fn checks(dir: &Path, table: &str) -> Vec<Value> {
    let path = dir.join(format!("{table}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let value: Value = serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    value.as_array().expect("a list of checks").clone()
}

fn dpc_test(s: &Scratch, product: &Path) -> Value {
    let out = s
        .dpc()
        .arg("test")
        .arg(product)
        .arg("--data")
        .arg(product.join("sample_data"))
        .args(["--format", "json"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

#[test]
fn every_rule_is_one_check_named_by_its_dpc_test_id() {
    let s = Scratch::new();
    for product in PRODUCTS {
        let out = s.path().join(product);
        export(&s, &example(product), &out);
        let report = dpc_test(&s, &example(product));
        let tables = report["tables"].as_array().expect("tables");
        assert_eq!(std::fs::read_dir(&out).expect("out").count(), tables.len());
        for t in tables {
            let table = t["table"].as_str().expect("table");
            // dpc test's rules but the record shape and the types, in its order.
            let expected: Vec<(String, String, bool)> = t["rules"]
                .as_array()
                .expect("rules")
                .iter()
                .filter(|r| r["kind"] != "row_shape" && r["kind"] != "type")
                .map(|r| {
                    (
                        r["name"].as_str().expect("name").to_string(),
                        r["id"].as_str().expect("id").to_string(),
                        r["severity"] == "critical",
                    )
                })
                .collect();
            let got: Vec<(String, String, bool)> = checks(&out, table)
                .iter()
                .map(|c| {
                    let function = c["check"]["function"].as_str().expect("function");
                    assert!(FUNCTIONS.contains(&function), "{product} {table}: {c:#}");
                    assert!(c["check"]["arguments"].is_object(), "{c:#}");
                    let meta = &c["user_metadata"];
                    assert_eq!(meta["contract_version"], "1.0.0", "{c:#}");
                    assert_eq!(meta["product"], product);
                    assert_eq!(meta["table"], table);
                    let criticality = c["criticality"].as_str().expect("criticality");
                    assert!(["error", "warn"].contains(&criticality), "{c:#}");
                    (
                        c["name"].as_str().expect("name").to_string(),
                        meta["rule_id"].as_str().expect("rule_id").to_string(),
                        criticality == "error",
                    )
                })
                .collect();
            assert_eq!(got, expected, "{product} {table}");
        }
    }
}

/// The arguments of the check named `name` in `table`'s file.
fn arguments(dir: &Path, table: &str, name: &str) -> Value {
    checks(dir, table)
        .into_iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no check {name} in {table}"))["check"]["arguments"]
        .clone()
}

#[test]
fn literals_are_quoted_as_dqx_reads_them() {
    let (s, dir) = marketing();
    // Text that needs escaping in SQL and in YAML.
    edit(
        &dir.join("contract.yaml"),
        "                - loyal\n",
        "                - \"it's \\\"loyal\\\"\\\\\"\n",
    );
    let out = s.path().join("dqx");
    export(&s, &dir, &out);
    let allowed = arguments(&out, "customer_segments", "segment_allowed_values")["allowed"].clone();
    assert_eq!(allowed[0], "'champions'");
    // A Databricks SQL literal: backslash escapes, so DQX reads one string, not a column.
    assert_eq!(allowed[1], r#"'it\'s "loyal"\\'"#);
    // Numbers stay numbers; moving bounds are SQL functions; a column name is an identifier.
    let range = arguments(&out, "customer_segments", "segment_score_range");
    assert_eq!(range["min_limit"], 0);
    assert_eq!(range["max_limit"], 1);
    assert_eq!(range["column"], "segment_score");
    let current = arguments(&out, "customers", "date_of_birth_range_current");
    assert_eq!(current["limit"], "current_date()");
    let pk = arguments(&out, "customers", "pk_customers");
    assert_eq!(pk["columns"], serde_json::json!(["customer_id"]));
    let regex = arguments(&out, "customers", "customer_id_format");
    assert_eq!(regex["regex"], "^CUST-[0-9]{10}$");
}

#[test]
fn the_default_folder_is_quality_dqx_and_out_must_be_a_folder() {
    let (s, dir) = marketing();
    let assert = s.dpc().args(["export", "dqx"]).arg(&dir).assert().success();
    let printed = output(&assert);
    for table in ["customers", "customer_metrics", "customer_segments"] {
        let file = dir
            .join("quality")
            .join("dqx")
            .join(format!("{table}.yaml"));
        assert!(file.is_file(), "{}", file.display());
        assert!(printed.contains(&file.display().to_string()), "{printed}");
    }
    // Exporting again gives the same files (ids are stable across runs).
    let first = crate::common::read_tree(&dir.join("quality").join("dqx"));
    s.dpc().args(["export", "dqx"]).arg(&dir).assert().success();
    assert_eq!(
        first,
        crate::common::read_tree(&dir.join("quality").join("dqx"))
    );

    let file = s.path().join("a-file");
    std::fs::write(&file, "x").expect("write");
    let assert = s
        .dpc()
        .args(["export", "dqx"])
        .arg(&dir)
        .arg("--out")
        .arg(&file)
        .assert()
        .code(2);
    let printed = output(&assert);
    assert!(
        printed.contains("--out") && printed.contains("not a folder"),
        "{printed}"
    );
}
