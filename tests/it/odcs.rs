//! `dpc export odcs|odps` and `dpc import odcs`, checked against the official Bitol JSON
//! Schemas and examples kept in `tests/fixtures/standards/` (Apache-2.0; provenance and licence
//! beside them): every export validates, a broken one does not, export → import gives the
//! same spec, and every official ODCS example imports into a valid product.

use crate::common::{EXAMPLES, Scratch};
use dpc::spec::ProductSpec;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// The official schemas and examples, copied into the repository with their licence. Missing,
/// the tests fail: they are the only check that dpc speaks the standards.
fn standards() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/standards");
    assert!(
        dir.join("odcs").is_dir() && dir.join("odps").is_dir(),
        "the official ODCS/ODPS schemas and examples are missing from {}",
        dir.display()
    );
    dir
}

fn load_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn validator(schema: &str) -> jsonschema::Validator {
    let schema = load_json(&standards().join(schema));
    jsonschema::validator_for(&schema).expect("the official schema compiles")
}

fn odcs_31() -> jsonschema::Validator {
    validator("odcs/odcs-json-schema-v3.1.0.json")
}

fn odcs_32() -> jsonschema::Validator {
    validator("odcs/odcs-json-schema-v3.2.0.json")
}

fn odps_10() -> jsonschema::Validator {
    validator("odps/odps-json-schema-v1.0.0.json")
}

/// YAML 1.2, as the standards are written (`unit: y` is the text "y", not true).
fn yaml(text: &str) -> Value {
    let options = serde_saphyr::options! { strict_booleans: true };
    serde_saphyr::from_str_with_options(text, options).expect("YAML")
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

/// `dpc ARGS...` in the scratch directory; its stdout, after asserting success.
fn run(s: &Scratch, args: &[&str]) -> String {
    let out = s.dpc().args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).expect("utf-8")
}

fn export(s: &Scratch, product: &Path, standard: &str, extra: &[&str]) -> String {
    let dir = product.to_str().expect("utf-8 path");
    let mut args = vec!["export", standard, dir];
    args.extend(extra);
    run(s, &args)
}

/// The three example products, made by the binary under test.
fn example_products() -> (Scratch, Vec<PathBuf>) {
    let s = Scratch::new();
    let products = EXAMPLES
        .iter()
        .map(|(name, flags)| {
            s.create(name, flags).assert().success();
            s.product(name)
        })
        .collect();
    (s, products)
}

#[test]
fn exports_of_the_examples_validate_against_the_official_schemas() {
    let (s, products) = example_products();
    let (v31, v32, odps) = (odcs_31(), odcs_32(), odps_10());
    for product in &products {
        let name = product.file_name().unwrap().to_string_lossy();
        let doc31 = yaml(&export(&s, product, "odcs", &[]));
        assert_eq!(doc31["apiVersion"], "v3.1.0");
        let problems = errors(&v31, &doc31);
        assert!(problems.is_empty(), "{name} ODCS 3.1: {problems:#?}");
        let doc32 = yaml(&export(&s, product, "odcs", &["--version", "3.2"]));
        assert_eq!(doc32["apiVersion"], "v3.2.0");
        let problems = errors(&v32, &doc32);
        assert!(problems.is_empty(), "{name} ODCS 3.2: {problems:#?}");
        let product_doc = yaml(&export(&s, product, "odps", &[]));
        let problems = errors(&odps, &product_doc);
        assert!(problems.is_empty(), "{name} ODPS 1.0: {problems:#?}");
        // The output port points at the exported contract.
        assert_eq!(
            product_doc["outputPorts"][0]["contractId"], doc31["id"],
            "{name}"
        );
    }
}

#[test]
fn the_exports_use_the_standard_fields() {
    let s = Scratch::new();
    s.create("customer-360", &["--domain", "marketing"])
        .assert()
        .success();
    let doc = yaml(&export(
        &s,
        &s.product("customer-360"),
        "odcs",
        &["--version", "3.2"],
    ));
    let customers = &doc["schema"][0];
    assert_eq!(customers["physicalName"], "customers");
    let column = |name: &str| {
        customers["properties"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("no property {name}"))
            .clone()
    };
    let id = column("customer_id");
    assert_eq!(id["primaryKey"], true);
    assert_eq!(id["primaryKeyPosition"], 1);
    assert_eq!(id["required"], true);
    assert_eq!(id["logicalType"], "string");
    assert_eq!(id["physicalType"], "STRING");
    assert_eq!(id["logicalTypeOptions"]["pattern"], "^CUST-[0-9]{10}$");
    let metrics: Vec<&Value> = id["quality"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| &q["metric"])
        .collect();
    assert_eq!(metrics, [&json!("nullValues"), &json!("duplicateValues")]);
    let email = column("email");
    assert_eq!(email["unique"], true);
    assert_eq!(email["tags"], json!(["pii:email"]));
    assert!(
        email["customProperties"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["property"] == "dpc.pii" && c["value"] == true)
    );
    assert_eq!(column("country")["enum"][0]["value"], "US");
    assert_eq!(column("lifetime_value")["physicalType"], "DECIMAL(10,2)");
    assert_eq!(
        column("lifetime_value")["logicalTypeOptions"]["maximum"],
        1000000
    );
    let range = column("lifetime_value")["quality"][0].clone();
    assert_eq!(range["type"], "sql");
    assert_eq!(range["mustBe"], 0);
    assert!(
        range["query"]
            .as_str()
            .unwrap()
            .starts_with("SELECT COUNT(*) FROM ")
    );
    assert_eq!(doc["servers"][0]["type"], "databricks");
    assert_eq!(doc["servers"][0]["catalog"], "main_production");
    assert_eq!(doc["servers"][0]["schema"], "customer_360");
    let sla: Vec<&str> = doc["slaProperties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["property"].as_str().unwrap())
        .collect();
    for property in ["latency", "availability", "retention", "frequency"] {
        assert!(sla.contains(&property), "{property} missing: {sla:?}");
    }
    assert_eq!(doc["slaProperties"][0]["element"], "customers.updated_at");
    assert!(!doc["roles"].as_array().unwrap().is_empty());
    let custom: Vec<&str> = doc["customProperties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["property"].as_str().unwrap())
        .collect();
    for property in [
        "dpc.tier",
        "dpc.sensitivity",
        "dpc.versioning",
        "dpc.governance",
    ] {
        assert!(custom.contains(&property), "{property} missing: {custom:?}");
    }
}

#[test]
fn a_broken_export_fails_validation() {
    let s = Scratch::new();
    s.create("customer-360", &["--domain", "marketing"])
        .assert()
        .success();
    let product = s.product("customer-360");
    let good = yaml(&export(&s, &product, "odcs", &[]));
    let v31 = odcs_31();
    assert!(errors(&v31, &good).is_empty());
    type Breakage = fn(&mut Value);
    let breakages: [(&str, Breakage); 4] = [
        ("no apiVersion", |d| {
            d.as_object_mut().unwrap().remove("apiVersion");
        }),
        ("a logical type ODCS does not know", |d| {
            d["schema"][0]["properties"][0]["logicalType"] = json!("varchar");
        }),
        ("a key ODCS does not know on a column", |d| {
            d["schema"][0]["properties"][0]["pii"] = json!(true);
        }),
        ("a quality rule with an unknown metric", |d| {
            d["schema"][0]["properties"][0]["quality"][0]["metric"] = json!("nullCount");
        }),
    ];
    for (what, brk) in breakages {
        let mut doc = good.clone();
        brk(&mut doc);
        assert!(!errors(&v31, &doc).is_empty(), "{what} passed validation");
    }
    let odps = odps_10();
    let mut product_doc = yaml(&export(&s, &product, "odps", &[]));
    assert!(errors(&odps, &product_doc).is_empty());
    product_doc["outputPorts"][0]
        .as_object_mut()
        .unwrap()
        .remove("version");
    assert!(!errors(&odps, &product_doc).is_empty());
}

#[test]
fn export_then_import_gives_the_same_spec_and_the_same_export() {
    let (s, products) = example_products();
    for product in &products {
        let name = product.file_name().unwrap().to_string_lossy().into_owned();
        let original = ProductSpec::load(product).expect("the example loads");
        for version in ["3.1", "3.2"] {
            let file = s.path().join(format!("{name}-{version}.odcs.yaml"));
            let text = export(&s, product, "odcs", &["--version", version]);
            std::fs::write(&file, &text).unwrap();
            let out = format!("restored-{version}");
            let summary = run(
                &s,
                &[
                    "import",
                    "odcs",
                    file.to_str().unwrap(),
                    "--output-dir",
                    &out,
                ],
            );
            assert!(summary.contains("nothing"), "{name}: {summary}");
            let restored_dir = s.path().join(&out).join(&name);
            let restored = ProductSpec::load(&restored_dir).expect("the import loads");
            assert!(
                restored == original,
                "{name} via ODCS {version}: the spec changed"
            );
            for file in dpc::spec::SPEC_FILES {
                let a = std::fs::read_to_string(product.join(file)).unwrap();
                let b = std::fs::read_to_string(restored_dir.join(file)).unwrap();
                assert_eq!(a, b, "{name} via ODCS {version}: {file} differs");
            }
            let again = export(&s, &restored_dir, "odcs", &["--version", version]);
            assert_eq!(again, text, "{name}: export → import → export changed");
            s.dpc()
                .args(["validate", restored_dir.to_str().unwrap()])
                .assert()
                .success();
        }
    }
}

/// Every official example: (file stem, path).
fn official_examples() -> Vec<(String, PathBuf)> {
    let dir = standards().join("odcs/examples");
    let mut files: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".odcs.yaml"))
        .map(|p| {
            let stem = p
                .file_name()
                .unwrap()
                .to_string_lossy()
                .trim_end_matches(".odcs.yaml")
                .to_string();
            (stem, p)
        })
        .collect();
    files.sort();
    assert!(
        files.len() >= 18,
        "expected the 18 official examples in {}",
        dir.display()
    );
    files
}

#[test]
fn every_official_odcs_example_imports_into_a_valid_product() {
    let s = Scratch::new();
    let v31 = odcs_31();
    for (stem, path) in official_examples() {
        // The oracle agrees these are ODCS documents.
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            errors(&v31, &yaml(&text)).is_empty(),
            "{stem} is not valid ODCS 3.1"
        );
        s.dpc()
            .args(["import", "odcs", path.to_str().unwrap(), "--name", &stem])
            .assert()
            .success();
        s.dpc()
            .args(["validate", s.product(&stem).to_str().unwrap()])
            .assert()
            .success();
    }
}

#[test]
fn importing_the_full_example_lists_what_is_not_carried_over() {
    let s = Scratch::new();
    let path = standards().join("odcs/examples/full-example.odcs.yaml");
    let text = run(
        &s,
        &[
            "import",
            "odcs",
            path.to_str().unwrap(),
            "--name",
            "seller-payments",
        ],
    );
    assert!(text.contains("Not carried over from"), "{text}");
    for lost in [
        "price",
        "relationships",
        "write access",
        "a postgres server",
    ] {
        assert!(text.contains(lost), "{lost} not listed:\n{text}");
    }
    let json_out = run(
        &s,
        &[
            "import",
            "odcs",
            path.to_str().unwrap(),
            "--name",
            "seller-payments",
            "--dry-run",
            "--format",
            "json",
        ],
    );
    let report: Value = serde_json::from_str(&json_out).expect("JSON");
    assert_eq!(report["restored"], false);
    let lost = report["not_carried"].as_array().expect("not_carried");
    assert!(
        lost.iter().any(|l| l["at"] == "roles[bq_unica_user_opr]"
            && l["what"] == "write access: dpc approves consumers to read"),
        "{lost:#?}"
    );
    // What it does carry: both tables, keys, the quality rule, the read roles.
    let spec = ProductSpec::load(&s.product("seller-payments")).unwrap();
    let tables: Vec<&str> = spec.contract.tables.keys().map(String::as_str).collect();
    assert_eq!(tables, ["tbl_1", "receivers_master"]);
    let receivers = &spec.contract.tables["receivers_master"];
    assert_eq!(receivers.primary_key, ["id", "country_code"]);
    assert_eq!(spec.contract.tables["tbl_1"].partitioned_by, ["txn_ref_dt"]);
    assert_eq!(spec.contract.tables["tbl_1"].quality_expectations.len(), 1);
    assert_eq!(spec.governance.approved_consumers.len(), 3);
    assert_eq!(spec.product.product_metadata.owner.name, "my-team");
}

#[test]
fn flags_win_over_the_document() {
    let s = Scratch::new();
    s.create("customer-360", &["--domain", "marketing"])
        .assert()
        .success();
    let file = s.path().join("c360.odcs.yaml");
    std::fs::write(&file, export(&s, &s.product("customer-360"), "odcs", &[])).unwrap();
    let text = run(
        &s,
        &[
            "import",
            "odcs",
            file.to_str().unwrap(),
            "--name",
            "customer-360-high",
            "--sla",
            "high",
            "--catalog",
            "dev",
        ],
    );
    assert!(
        text.contains("were not restored because --name, --sla"),
        "{text}"
    );
    let spec = ProductSpec::load(&s.product("customer-360-high")).unwrap();
    assert_eq!(spec.sla.level.as_str(), "high");
    assert_eq!(spec.catalog(), "dev");
    assert_eq!(spec.schema(), "customer_360_high");
    // The tables and their PII still come from the document.
    assert_eq!(spec.contract.tables.len(), 3);
    assert_eq!(spec.governance.pii_fields.len(), 5);
}

#[test]
fn documents_that_are_not_odcs_3_are_refused() {
    let s = Scratch::new();
    let old = s.path().join("old.odcs.yaml");
    std::fs::write(
        &old,
        "apiVersion: v2.2.2\nkind: DataContract\nid: x\nversion: 1.0.0\nstatus: active\n",
    )
    .unwrap();
    s.dpc()
        .args(["import", "odcs", old.to_str().unwrap(), "--name", "old"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("v2.2.2"));
    let product = s.path().join("p.odps.yaml");
    std::fs::write(&product, "apiVersion: v1.0.0\nkind: DataProduct\nid: x\n").unwrap();
    s.dpc()
        .args(["import", "odcs", product.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("DataProduct"));
    assert!(!s.path().join("data-products").exists());
}

#[test]
fn create_schema_from_accepts_an_odcs_contract() {
    let s = Scratch::new();
    let path = standards().join("odcs/examples/full-example.odcs.yaml");
    let text = run(
        &s,
        &[
            "create",
            "payments",
            "--domain",
            "finance",
            "--schema-from",
            path.to_str().unwrap(),
            "--no-input",
        ],
    );
    assert!(
        text.contains("not carried over from the ODCS contract"),
        "{text}"
    );
    let spec = ProductSpec::load(&s.product("payments")).unwrap();
    assert!(spec.contract.tables.contains_key("receivers_master"));
    s.dpc()
        .args(["validate", s.product("payments").to_str().unwrap()])
        .assert()
        .success();
}
