//! `dpc sample` and `dpc test`, run as a user runs them: generated data passes its contract,
//! deliberately broken data is counted exactly, and bad files give a report, not a crash.

use crate::common::Scratch;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const PRODUCTS: [&str; 3] = [
    "customer-360",
    "real-time-fraud-detection",
    "sales-analytics",
];
const FORMATS: [&str; 3] = ["csv", "jsonl", "parquet"];

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

fn sample(s: &Scratch, product: &str, out: &Path, extra: &[&str]) {
    s.dpc()
        .arg("sample")
        .arg(example(product))
        .arg("--out")
        .arg(out)
        .args(extra)
        .assert()
        .success();
}

/// Runs `dpc test --format json`; returns the exit code and the report.
fn test_json(s: &Scratch, product: &str, data: &Path) -> (i32, Value) {
    let out = s
        .dpc()
        .arg("test")
        .arg(example(product))
        .arg("--data")
        .arg(data)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    let code = out.status.code().expect("exit code, not a signal");
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{product}: report is not JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, report)
}

fn table<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["tables"]
        .as_array()
        .expect("tables")
        .iter()
        .find(|t| t["table"] == name)
        .unwrap_or_else(|| panic!("no table {name} in report"))
}

fn rule<'a>(table: &'a Value, name: &str) -> &'a Value {
    table["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no rule {name} in {}", table["table"]))
}

fn assert_all_pass(product: &str, format: &str, report: &Value, rows: u64) {
    assert_eq!(
        report["passed"], true,
        "{product} {format}: {:#}",
        report["failures"]
    );
    assert_eq!(report["quality"]["score"], 100.0, "{product} {format}");
    for t in report["tables"].as_array().expect("tables") {
        assert_eq!(t["rows"], rows, "{product} {format} {}", t["table"]);
        assert_eq!(t["rows_passing"], rows);
        for r in t["rules"].as_array().expect("rules") {
            assert_eq!(r["evaluated"], true, "{product} {format} {}", r["name"]);
            assert_eq!(
                r["rows_failed"], 0,
                "{product} {format} {}: {r:#}",
                t["table"]
            );
            assert_eq!(r["rows_checked"], rows, "{product} {format} {}", r["name"]);
        }
    }
    assert!(report["not_tested"].as_array().expect("list").is_empty());
}

#[test]
fn sampled_data_passes_its_contract_in_every_format() {
    let s = Scratch::new();
    for product in PRODUCTS {
        for format in FORMATS {
            let out = s.path().join(format!("{product}-{format}"));
            sample(&s, product, &out, &["--format", format]);
            let (code, report) = test_json(&s, product, &out);
            assert_eq!(code, 0, "{product} {format}");
            assert_all_pass(product, format, &report, 100);
        }
    }
}

#[test]
fn many_batches_of_sampled_data_pass_and_keys_stay_unique() {
    // Several batches per table, generated on several threads: keys and unique columns must
    // not collide across batches, references must stay within the parent's keys.
    let s = Scratch::new();
    for product in PRODUCTS {
        let out = s.path().join(product);
        sample(&s, product, &out, &["--rows", "60000"]);
        let (code, report) = test_json(&s, product, &out);
        assert_eq!(code, 0, "{product}");
        assert_all_pass(product, "csv", &report, 60_000);
    }
}

#[test]
fn one_million_rows_pass() {
    // The acceptance size for one product (all three are checked by benches/data.sh).
    let s = Scratch::new();
    let out = s.path().join("big");
    sample(
        &s,
        "customer-360",
        &out,
        &["--rows", "1000000", "--format", "parquet"],
    );
    let (code, report) = test_json(&s, "customer-360", &out);
    assert_eq!(code, 0);
    assert_all_pass("customer-360", "parquet", &report, 1_000_000);
}

#[test]
fn sampling_is_deterministic_per_seed() {
    let s = Scratch::new();
    let read = |dir: &str| std::fs::read(s.path().join(dir).join("customers.csv")).expect("file");
    sample(&s, "customer-360", &s.path().join("a"), &["--seed", "7"]);
    sample(&s, "customer-360", &s.path().join("b"), &["--seed", "7"]);
    sample(&s, "customer-360", &s.path().join("c"), &["--seed", "8"]);
    assert_eq!(read("a"), read("b"));
    assert_ne!(read("a"), read("c"));
    let text = String::from_utf8(read("a")).expect("utf-8");
    let header = text.lines().next().expect("header");
    assert!(
        header.starts_with("customer_id,email,first_name,"),
        "{header}"
    );
    assert_eq!(text.lines().count(), 101);
}

#[test]
fn references_point_at_existing_parent_keys() {
    let s = Scratch::new();
    let out = s.path().join("refs");
    sample(&s, "customer-360", &out, &["--rows", "500"]);
    let keys = |file: &str| -> Vec<String> {
        let text = std::fs::read_to_string(out.join(file)).expect("file");
        text.lines()
            .skip(1)
            .map(|l| l.split(',').next().expect("first field").to_string())
            .collect()
    };
    let customers: std::collections::HashSet<String> = keys("customers.csv").into_iter().collect();
    assert_eq!(customers.len(), 500);
    for child in ["customer_metrics.csv", "customer_segments.csv"] {
        for k in keys(child) {
            assert!(customers.contains(&k), "{child}: {k} is not a customer");
        }
    }
}

#[derive(serde::Deserialize)]
struct Count {
    injected: u64,
    failing_rows: u64,
}

#[derive(serde::Deserialize)]
struct Injections {
    table: String,
    rows: u64,
    injected_rows: u64,
    rules: BTreeMap<String, Count>,
    violations: Vec<Value>,
}

#[test]
fn every_injected_violation_is_found_and_counted_exactly() {
    let s = Scratch::new();
    for product in PRODUCTS {
        for format in FORMATS {
            let out = s.path().join(format!("{product}-{format}"));
            sample(
                &s,
                product,
                &out,
                &[
                    "--rows",
                    "20000",
                    "--format",
                    format,
                    "--invalid-rate",
                    "0.01",
                ],
            );
            let list: Vec<Injections> = serde_json::from_str(
                &std::fs::read_to_string(out.join("invalid_rows.json")).expect("list"),
            )
            .expect("parses");
            let (code, report) = test_json(&s, product, &out);
            assert_eq!(code, 1, "{product} {format}: broken data must fail");
            for inj in &list {
                assert_eq!(
                    inj.injected_rows, 200,
                    "{product} {}: 1% of 20000",
                    inj.table
                );
                assert_eq!(inj.violations.len() as u64, inj.injected_rows);
                let t = table(&report, &inj.table);
                let mut expected_failing_rows = 0;
                for r in t["rules"].as_array().expect("rules") {
                    let name = r["name"].as_str().expect("name");
                    let want = inj.rules.get(name).map_or(0, |c| c.failing_rows);
                    assert_eq!(
                        r["rows_failed"], want,
                        "{product} {format} {}.{name}: report {r:#}",
                        inj.table
                    );
                }
                // Every rule with an injection was counted, and the injections add up.
                let injected: u64 = inj.rules.values().map(|c| c.injected).sum();
                assert_eq!(injected, inj.injected_rows);
                for v in &inj.violations {
                    expected_failing_rows += v["failing_rows"].as_u64().expect("count") - 1;
                }
                // A row fails once however many rules it breaks; a duplicate also fails its source.
                assert_eq!(
                    t["rows_passing"],
                    inj.rows - inj.injected_rows - expected_failing_rows,
                    "{product} {format} {}",
                    inj.table
                );
            }
            let kinds: Vec<&str> = list
                .iter()
                .flat_map(|i| i.rules.keys())
                .map(String::as_str)
                .collect();
            assert!(kinds.iter().any(|k| k.ends_with("_not_null")), "{kinds:?}");
            assert!(kinds.iter().any(|k| k.starts_with("pk_")), "{kinds:?}");
            if format != "parquet" {
                assert!(kinds.iter().any(|k| k.ends_with("_type")), "{kinds:?}");
            }
        }
    }
}

fn customers_header() -> String {
    "customer_id,email,first_name,last_name,phone_number,date_of_birth,country,account_status,customer_since,lifetime_value,last_purchase_date,total_orders,created_at,updated_at".to_string()
}

const GOOD_ROW: &str = "CUST-0000000001,ann@example.com,Ann,Lee,+1-555-000-0000,1980-01-02,US,active,2020-01-01,10.50,2024-01-01,3,2020-01-01 00:00:00,2024-12-01 00:00:00";

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).expect("write");
}

#[test]
fn a_mistyped_csv_value_is_a_counted_failure() {
    let s = Scratch::new();
    let file = s.path().join("customers.csv");
    let bad = GOOD_ROW.replace(",3,2020-01-01 00:00:00", ",abc,2020-01-01 00:00:00");
    let second = GOOD_ROW.replace("CUST-0000000001,ann@", "CUST-0000000002,bob@");
    write(&file, &format!("{}\n{bad}\n{second}\n", customers_header()));
    let (code, report) = test_json(&s, "customer-360", &file);
    assert_eq!(code, 1);
    let t = table(&report, "customers");
    assert_eq!(t["rows"], 2);
    let r = rule(t, "total_orders_type");
    assert_eq!(r["rows_failed"], 1);
    assert_eq!(r["samples"][0]["row"], 1);
    assert_eq!(r["samples"][0]["value"], "abc");
    // The bad cell is counted once: the range and NOT NULL rules of the column pass it.
    assert_eq!(rule(t, "total_orders_range")["rows_failed"], 0);
    assert_eq!(rule(t, "total_orders_not_null")["rows_failed"], 0);
    assert_eq!(t["rows_passing"], 1);
    // The text report says the same.
    let out = s
        .dpc()
        .args(["test"])
        .arg(example("customer-360"))
        .arg("--data")
        .arg(&file)
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("total_orders_type"), "{text}");
    assert!(text.contains("row 1: abc"), "{text}");
    assert!(text.contains("FAILED"), "{text}");
}

#[test]
fn pii_values_are_masked_in_samples() {
    let s = Scratch::new();
    let file = s.path().join("customers.csv");
    let bad = GOOD_ROW.replace("ann@example.com", "ann.secret-at-example.com");
    write(&file, &format!("{}\n{bad}\n", customers_header()));
    let (_, report) = test_json(&s, "customer-360", &file);
    let r = rule(table(&report, "customers"), "email_format");
    assert_eq!(r["rows_failed"], 1);
    let shown = r["samples"][0]["value"].as_str().expect("text");
    assert!(!shown.contains("secret"), "{shown}");
    assert!(shown.contains("***"), "{shown}");
    assert!(!report.to_string().contains("secret"));
}

#[test]
fn missing_and_extra_columns_are_reported() {
    let s = Scratch::new();
    let file = s.path().join("customers.csv");
    let header = customers_header().replace(",total_orders", ",loyalty_points");
    write(&file, &format!("{header}\n{GOOD_ROW}\n"));
    let (code, report) = test_json(&s, "customer-360", &file);
    assert_eq!(code, 1);
    let t = table(&report, "customers");
    assert_eq!(t["missing_columns"], serde_json::json!(["total_orders"]));
    assert_eq!(t["extra_columns"], serde_json::json!(["loyalty_points"]));
    assert_eq!(rule(t, "total_orders_type")["evaluated"], false);
    assert_eq!(rule(t, "customer_id_type")["evaluated"], true);
    assert!(
        report["failures"]
            .as_array()
            .expect("list")
            .iter()
            .any(|f| f
                .as_str()
                .is_some_and(|f| f.contains("total_orders is missing")))
    );
}

#[test]
fn an_empty_file_and_a_header_only_file_are_reported() {
    let s = Scratch::new();
    let empty = s.path().join("empty");
    std::fs::create_dir_all(&empty).expect("dir");
    write(&empty.join("customers.csv"), "");
    std::fs::File::create(empty.join("customer_metrics.parquet")).expect("file");
    write(&empty.join("customer_segments.jsonl"), "");
    let (code, report) = test_json(&s, "customer-360", &empty);
    assert_eq!(code, 1);
    for t in ["customers", "customer_metrics", "customer_segments"] {
        assert_eq!(table(&report, t)["empty_file"], true, "{t}");
        assert_eq!(table(&report, t)["rows"], 0, "{t}");
    }

    let header_only = s.path().join("customers.csv");
    write(&header_only, &format!("{}\n", customers_header()));
    let (code, report) = test_json(&s, "customer-360", &header_only);
    // No rows checked is no verdict: it fails, naming why.
    assert_eq!(code, 1, "{report:#}");
    assert!(
        report["failures"][0]
            .as_str()
            .is_some_and(|f| f.contains("a header but no rows")),
        "{report:#}"
    );
    let t = table(&report, "customers");
    assert_eq!(t["rows"], 0);
    assert_eq!(t["empty_file"], false);
    assert_eq!(rule(t, "customer_id_type")["pass_rate"], Value::Null);
    assert_eq!(report["quality"]["status"], "no_rows");
}

#[test]
fn a_parquet_string_column_where_the_contract_says_int_is_a_type_failure() {
    use arrow_array::{ArrayRef, RecordBatch, StringArray};
    use std::sync::Arc;
    let s = Scratch::new();
    let file = s.path().join("customer_metrics.parquet");
    // The whole table as the contract has it, except orders_last_30d stored as text.
    let dir = s.path().join("good");
    sample(
        &s,
        "customer-360",
        &dir,
        &["--rows", "3", "--format", "parquet"],
    );
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(
        std::fs::File::open(dir.join("customer_metrics.parquet")).expect("open"),
    )
    .expect("parquet")
    .build()
    .expect("reader");
    let batch = reader.into_iter().next().expect("a batch").expect("ok");
    let schema = batch.schema();
    let mut fields: Vec<arrow_schema::Field> =
        schema.fields().iter().map(|f| f.as_ref().clone()).collect();
    let mut columns: Vec<ArrayRef> = batch.columns().to_vec();
    let i = schema.index_of("orders_last_30d").expect("column");
    fields[i] = arrow_schema::Field::new("orders_last_30d", arrow_schema::DataType::Utf8, true);
    columns[i] = Arc::new(StringArray::from(vec!["1", "two", "3"]));
    let bad =
        RecordBatch::try_new(Arc::new(arrow_schema::Schema::new(fields)), columns).expect("batch");
    let mut w = parquet::arrow::ArrowWriter::try_new(
        std::fs::File::create(&file).expect("create"),
        bad.schema(),
        None,
    )
    .expect("writer");
    w.write(&bad).expect("write");
    w.close().expect("close");

    let (code, report) = test_json(&s, "customer-360", &file);
    assert_eq!(code, 1);
    let t = table(&report, "customer_metrics");
    assert_eq!(t["stored_types"][0]["column"], "orders_last_30d");
    assert_eq!(t["stored_types"][0]["stored"], "Utf8");
    let r = rule(t, "orders_last_30d_type");
    assert_eq!(r["rows_failed"], 3);
    assert_eq!(r["samples"][1]["value"], "two");
    assert_eq!(rule(t, "customer_id_type")["rows_failed"], 0);
}

#[test]
fn malformed_records_fail_the_row_shape_rule() {
    let s = Scratch::new();
    let file = s.path().join("customers.csv");
    write(
        &file,
        &format!(
            "{}\n{GOOD_ROW}\nCUST-0000000009,only,three\n",
            customers_header()
        ),
    );
    let (code, report) = test_json(&s, "customer-360", &file);
    assert_eq!(code, 1);
    let t = table(&report, "customers");
    assert_eq!(rule(t, "row_shape")["rows_failed"], 1);
    assert_eq!(rule(t, "customer_id_not_null")["rows_failed"], 0);
    assert_eq!(rule(t, "customer_id_not_null")["rows_checked"], 1);
}

#[test]
fn bad_arguments_and_paths_exit_2_with_one_clear_message() {
    let s = Scratch::new();
    let product = example("customer-360");
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec![
                "sample".into(),
                product.display().to_string(),
                "--invalid-rate".into(),
                "2".into(),
            ],
            "between 0 and 0.5",
        ),
        (
            vec![
                "sample".into(),
                product.display().to_string(),
                "--rows".into(),
                "0".into(),
            ],
            "row count",
        ),
        (
            vec![
                "test".into(),
                product.display().to_string(),
                "--data".into(),
                "nowhere".into(),
            ],
            "no such file or folder",
        ),
        (
            vec![
                "test".into(),
                s.path().display().to_string(),
                "--data".into(),
                ".".into(),
            ],
            "product.yaml",
        ),
    ];
    for (args, message) in cases {
        let out = s.dpc().args(&args).output().expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(message), "{args:?}: {err}");
    }
    let other = s.path().join("orders.csv");
    write(&other, "a\n1\n");
    let out = s
        .dpc()
        .arg("test")
        .arg(&product)
        .arg("--data")
        .arg(&other)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("customers, customer_metrics, customer_segments"),
        "{err}"
    );
}

#[test]
fn create_writes_sample_data_that_passes_dpc_test() {
    let s = Scratch::new();
    s.create("customer-360", &["--domain", "marketing"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "sample_data/: 100 rows per table",
        ));
    let dir = s.product("customer-360");
    for t in ["customers", "customer_metrics", "customer_segments"] {
        let text = std::fs::read_to_string(dir.join("sample_data").join(format!("{t}.csv")))
            .expect("sample file");
        assert_eq!(text.lines().count(), 101, "{t}");
    }
    let out = s
        .dpc()
        .arg("test")
        .arg(&dir)
        .arg("--data")
        .arg(dir.join("sample_data"))
        .args(["--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_all_pass("customer-360", "csv", &report, 100);
}

/// Sets `date_of_birth` (a high-severity, non-CHECK rule when in the future) on `n` rows.
fn future_birth_dates(file: &Path, n: usize) {
    let text = std::fs::read_to_string(file).expect("sample");
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut fields: Vec<&str> = line.split(',').collect();
        if i >= 1 && i <= n {
            fields[5] = "2999-01-01";
        }
        out.push(fields.join(","));
    }
    write(file, &(out.join("\n") + "\n"));
}

#[test]
fn the_quality_score_is_held_against_the_sla() {
    // customer-360's SLA: accuracy target 99.5 %, breach threshold 98 %.
    let s = Scratch::new();
    for (broken, code, status) in [(1, 0, "below_target"), (3, 1, "breached")] {
        let dir = s.path().join(format!("b{broken}"));
        sample(&s, "customer-360", &dir, &[]);
        let file = dir.join("customers.csv");
        future_birth_dates(&file, broken);
        let (got, report) = test_json(&s, "customer-360", &file);
        assert_eq!(got, code, "{broken} broken rows: {:#}", report["failures"]);
        assert_eq!(report["quality"]["status"], status);
        assert_eq!(report["quality"]["target"], 99.5);
        assert_eq!(report["quality"]["breach_threshold"], 98.0);
        let t = table(&report, "customers");
        let r = rule(t, "date_of_birth_range_current");
        assert_eq!(r["rows_failed"], broken as u64);
        assert_eq!(r["severity"], "high");
        // A PII column: the sample shows the mask, not the date.
        assert_eq!(r["samples"][0]["value"], "****");
    }
}

#[test]
fn rules_are_named_by_id_and_a_row_sharing_a_key_fails_the_score() {
    // The SLA's score: rows passing every rule / rows; both rows sharing a primary key fail.
    let s = Scratch::new();
    let dir = s.path().join("dup");
    sample(&s, "customer-360", &dir, &[]);
    let file = dir.join("customers.csv");
    let text = std::fs::read_to_string(&file).expect("sample");
    let first_row = text.lines().nth(1).expect("a row").to_string();
    write(&file, &format!("{text}{first_row}\n"));
    let (code, report) = test_json(&s, "customer-360", &dir);
    assert_eq!(code, 1, "{:#}", report["failures"]);
    let t = table(&report, "customers");
    assert_eq!(
        (t["rows"].as_u64(), t["rows_passing"].as_u64()),
        (Some(101), Some(99))
    );
    let rows: u64 = report["tables"]
        .as_array()
        .expect("tables")
        .iter()
        .map(|t| t["rows"].as_u64().expect("rows"))
        .sum();
    let score = report["quality"]["score"].as_f64().expect("score");
    assert!(
        (score - 100.0 * (rows - 2) as f64 / rows as f64).abs() < 1e-9,
        "{score}"
    );
    assert!(
        report["quality"]["definition"]
            .as_str()
            .is_some_and(|d| d.contains("shares a unique or primary key")),
        "{:#}",
        report["quality"]
    );
    let pk = rule(t, "pk_customers");
    assert_eq!(pk["id"], "customer-360/customers/pk_customers@1.0.0");
    assert_eq!(pk["rows_failed"], 2);
    for t in report["tables"].as_array().expect("tables") {
        for r in t["rules"].as_array().expect("rules") {
            let id = format!(
                "customer-360/{}/{}@1.0.0",
                t["table"].as_str().unwrap(),
                r["name"].as_str().unwrap()
            );
            assert_eq!(r["id"], id.as_str());
        }
    }
    assert!(
        report["failures"].as_array().expect("failures").iter().any(
            |f| f == "customer-360/customers/pk_customers@1.0.0: 2 of 101 rows fail (critical)"
        ),
        "{:#}",
        report["failures"]
    );
    let out = s
        .dpc()
        .arg("test")
        .arg(example("customer-360"))
        .arg("--data")
        .arg(&dir)
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("  rule ids: customer-360/customers/<rule>@1.0.0\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "  customer-360/customers/pk_customers@1.0.0: 2 of 101 rows fail (critical)\n"
        ),
        "{text}"
    );
}

/// A sample in one format replaces the product's earlier sample of the same table in another
/// format (create's CSVs here), so `dpc test` on the folder finds one file per table; any
/// other file stays.
#[test]
fn a_sample_in_another_format_replaces_the_earlier_one() {
    let s = Scratch::new();
    s.create("customer-360", &["--domain", "marketing"])
        .assert()
        .success();
    let dir = s.product("customer-360");
    let data = dir.join("sample_data");
    let others = [
        "notes.csv",
        "customers.csv.bak",
        "customers.CSV.txt",
        "orders.jsonl",
    ];
    for name in others {
        write(&data.join(name), "kept\n");
    }
    s.dpc()
        .arg("sample")
        .arg(&dir)
        .args(["--format", "parquet"])
        .assert()
        .success()
        .stdout(predicates::str::contains("replaced customers.csv"))
        .stdout(predicates::str::contains("replaced customer_metrics.csv"));
    let mut names: Vec<String> = std::fs::read_dir(&data)
        .expect("sample_data")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut expected: Vec<String> = ["customer_metrics", "customer_segments", "customers"]
        .iter()
        .map(|t| format!("{t}.parquet"))
        .chain(others.iter().map(|o| o.to_string()))
        .collect();
    expected.sort();
    assert_eq!(names, expected);
    for name in others {
        assert_eq!(
            std::fs::read_to_string(data.join(name)).expect("kept"),
            "kept\n"
        );
    }
    let out = s
        .dpc()
        .arg("test")
        .arg(&dir)
        .arg("--data")
        .arg(&data)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Into an --out folder too, and from any format: parquet and jsonl there, csv asked for.
    let out_dir = s.path().join("shared");
    sample(&s, "customer-360", &out_dir, &["--format", "parquet"]);
    write(&out_dir.join("customers.jsonl"), "{}\n");
    s.dpc()
        .arg("sample")
        .arg(example("customer-360"))
        .arg("--out")
        .arg(&out_dir)
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "replaced customers.jsonl, customers.parquet",
        ));
    assert!(out_dir.join("customers.csv").is_file());
    assert!(!out_dir.join("customers.parquet").exists());
    assert!(!out_dir.join("customers.jsonl").exists());
}
