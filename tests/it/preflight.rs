//! The pre-flight (DPC060-DPC069): each rule broken in rendered SQL is refused by `dpc validate`
//! with the Databricks error class, the file and line, and the documentation page; the
//! examples and variants pass it, the job applied twice.

use crate::common::{EXAMPLES, Scratch, VARIANTS};
use serde_json::Value;
use std::path::Path;

const T: &str = "p.customers";

fn validate(s: &Scratch, dir: &Path) -> (i32, Vec<Value>) {
    let out = s
        .dpc()
        .args(["validate", "--format", "json"])
        .arg(dir)
        .output()
        .expect("run");
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    (
        out.status.code().unwrap_or(-1),
        json.as_array().cloned().unwrap_or_default(),
    )
}

fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{file} lacks {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

fn append(dir: &Path, file: &str, sql: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, text + sql).expect("write");
}

fn product(flags: &[&str]) -> Scratch {
    let s = Scratch::new();
    s.create("p", flags).assert().success();
    s
}

/// The diagnostic `code` of the pre-flight, with its error class and documentation page.
fn refused(s: &Scratch, code: &str, class: &str) -> Value {
    let (exit, found) = validate(s, &s.product("p"));
    let d = found
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("{code} not reported: {found:#?}"))
        .clone();
    assert!(
        d["message"].as_str().unwrap_or("").starts_with(class),
        "{d:#}"
    );
    assert!(d["line"].as_u64().is_some(), "{d:#}");
    let help = d["help"].as_str().unwrap_or("");
    assert!(
        help.contains("https://docs.databricks.com/aws/en/error-messages/"),
        "{d:#}"
    );
    assert_eq!(exit, 1, "{found:#?}");
    d
}

fn marketing() -> Scratch {
    product(&["--domain", "marketing"])
}

#[test]
fn a_check_added_to_a_masked_table_is_refused() {
    let s = marketing();
    append(
        &s.product("p"),
        "schemas/customers_v1.sql",
        &format!("ALTER TABLE {T} ADD CONSTRAINT extra CHECK (total_orders >= 0);\n"),
    );
    let d = refused(
        &s,
        "DPC060",
        "COLUMN_MASKS_FEATURE_NOT_SUPPORTED.CHECK_CONSTRAINT",
    );
    assert!(
        d["help"]
            .as_str()
            .unwrap_or("")
            .contains("column-masks-feature-not-supported-error-class")
    );
}

#[test]
fn a_mask_set_after_a_check_is_refused() {
    let s = marketing();
    edit(
        &s.product("p"),
        "schemas/customers_v1.sql",
        "-- Classification tags",
        &format!(
            "ALTER TABLE {T} ADD CONSTRAINT early CHECK (total_orders >= 0);\n-- Classification tags"
        ),
    );
    let d = refused(
        &s,
        "DPC060",
        "COLUMN_MASKS_FEATURE_NOT_SUPPORTED.CHECK_CONSTRAINT",
    );
    // Refused at the SET MASK, the statement after the CHECK.
    let (_, found) = validate(&s, &s.product("p"));
    let text =
        std::fs::read_to_string(s.product("p").join("schemas/customers_v1.sql")).expect("read");
    let line = d["line"].as_u64().expect("line") as usize;
    assert!(
        text.lines()
            .nth(line - 1)
            .unwrap_or("")
            .contains("SET MASK"),
        "{found:#?}"
    );
}

#[test]
fn a_check_beside_a_row_filter_is_refused() {
    let s = product(&["--domain", "finance", "--sensitivity", "restricted"]);
    // fraud_scores has a row filter and no column mask.
    let file = "schemas/fraud_scores_v1.sql";
    let text = std::fs::read_to_string(s.product("p").join(file)).expect("read");
    assert!(
        text.contains("SET ROW FILTER") && !text.contains("SET MASK"),
        "{text}"
    );
    append(
        &s.product("p"),
        file,
        "ALTER TABLE p.fraud_scores ADD CONSTRAINT extra CHECK (transaction_id IS NOT NULL);\n",
    );
    refused(&s, "DPC060", "");
    let (_, found) = validate(&s, &s.product("p"));
    assert!(
        found.iter().any(|d| d["message"]
            .as_str()
            .unwrap_or("")
            .starts_with("ROW_LEVEL_SECURITY_FEATURE_NOT_SUPPORTED.CHECK_CONSTRAINT")),
        "{found:#?}"
    );
}

#[test]
fn a_second_mask_on_a_column_is_refused() {
    let s = marketing();
    append(
        &s.product("p"),
        "schemas/customers_v1.sql",
        &format!("ALTER TABLE {T} ALTER COLUMN email SET MASK p.mask_customers_first_name;\n"),
    );
    refused(&s, "DPC061", "MULTIPLE_MASKS");
}

#[test]
fn a_service_principal_by_display_name_is_refused() {
    let s = marketing();
    append(
        &s.product("p"),
        "schemas/customers_v1.sql",
        &format!("GRANT SELECT ON TABLE {T} TO `reporting-service`;\n"),
    );
    refused(&s, "DPC062", "PRINCIPAL_DOES_NOT_EXIST");
}

#[test]
fn a_grant_on_the_catalog_is_refused() {
    let s = marketing();
    append(
        &s.product("p"),
        "schemas/customers_v1.sql",
        "GRANT USE CATALOG ON CATALOG main_production TO `marketing-analysts`;\n",
    );
    let d = refused(&s, "DPC063", "INSUFFICIENT_PERMISSIONS");
    assert!(
        d["message"]
            .as_str()
            .unwrap_or("")
            .contains("catalog main_production"),
        "{d:#}"
    );
}

#[test]
fn altering_a_table_after_its_ownership_moved_away_is_refused() {
    let s = marketing();
    edit(
        &s.product("p"),
        "schemas/customer_segments_v1.sql",
        "-- Classification tags",
        "ALTER TABLE p.customer_segments SET OWNER TO `another-team`;\n-- Classification tags",
    );
    let d = refused(&s, "DPC063", "INSUFFICIENT_PERMISSIONS");
    assert!(
        d["message"].as_str().unwrap_or("").contains("another-team"),
        "{d:#}"
    );
}

#[test]
fn an_object_used_before_it_exists_is_refused() {
    let s = marketing();
    edit(
        &s.product("p"),
        "schemas/customers_v1.sql",
        "CREATE TABLE IF NOT EXISTS",
        &format!("ALTER TABLE {T} SET TAGS ('early' = 'yes');\nCREATE TABLE IF NOT EXISTS"),
    );
    refused(&s, "DPC064", "TABLE_OR_VIEW_NOT_FOUND");
}

#[test]
fn tag_limits_are_refused() {
    let s = marketing();
    let long = "v".repeat(1001);
    append(
        &s.product("p"),
        "schemas/customers_v1.sql",
        &format!("ALTER TABLE {T} SET TAGS ('note' = '{long}');\n"),
    );
    refused(&s, "DPC065", "INVALID_PARAMETER_VALUE");
}

#[test]
fn identifier_limits_are_refused() {
    let s = marketing();
    append(
        &s.product("p"),
        "schemas/customers_v1.sql",
        "CREATE TABLE IF NOT EXISTS p.`bad name` (x INT);\n",
    );
    refused(&s, "DPC065", "INVALID_PARAMETER_VALUE");
}

#[test]
fn a_default_without_its_table_feature_is_refused() {
    let s = marketing();
    edit(
        &s.product("p"),
        "schemas/customers_v1.sql",
        "  'delta.feature.allowColumnDefaults' = 'supported',\n",
        "",
    );
    refused(
        &s,
        "DPC066",
        "WRONG_COLUMN_DEFAULTS_FOR_DELTA_FEATURE_NOT_ENABLED",
    );
}

#[test]
fn dropping_and_re_adding_a_constraint_changes_the_second_run() {
    let s = marketing();
    append(
        &s.product("p"),
        "schemas/customer_segments_v1.sql",
        "ALTER TABLE p.customer_segments DROP CONSTRAINT IF EXISTS again;\nALTER TABLE p.customer_segments ADD CONSTRAINT again CHECK (segment_score >= 0);\n",
    );
    let (exit, found) = validate(&s, &s.product("p"));
    let d = found
        .iter()
        .find(|d| d["code"] == "DPC067")
        .unwrap_or_else(|| panic!("DPC067 not reported: {found:#?}"));
    assert!(
        d["message"].as_str().unwrap_or("").contains("second run"),
        "{d:#}"
    );
    assert_eq!(exit, 1);
}

#[test]
fn adding_a_constraint_twice_is_refused_on_the_second_run() {
    let s = marketing();
    append(
        &s.product("p"),
        "schemas/customer_segments_v1.sql",
        "ALTER TABLE p.customer_segments ADD CONSTRAINT twice CHECK (segment_score >= 0);\n",
    );
    let d = refused(&s, "DPC069", "DELTA_CONSTRAINT_ALREADY_EXISTS");
    assert!(
        d["message"].as_str().unwrap_or("").contains("second run"),
        "{d:#}"
    );
}

#[test]
fn a_statement_the_model_does_not_know_is_not_checked() {
    let s = marketing();
    append(
        &s.product("p"),
        "schemas/customers_v1.sql",
        &format!("OPTIMIZE {T};\n"),
    );
    let (exit, found) = validate(&s, &s.product("p"));
    let d = found
        .iter()
        .find(|d| d["code"] == "DPC068")
        .unwrap_or_else(|| panic!("DPC068 not reported: {found:#?}"));
    assert_eq!(d["severity"], "warning", "{d:#}");
    assert!(
        d["message"].as_str().unwrap_or("").contains("not checked"),
        "{d:#}"
    );
    // A hand edit is also reported as such (DPC041, a warning); nothing fails.
    assert_eq!(exit, 0, "{found:#?}");
}

#[test]
fn a_service_principal_with_an_application_id_is_granted_by_it() {
    let s = marketing();
    let dir = s.product("p");
    let (_, found) = validate(&s, &dir);
    assert!(found.iter().any(|d| d["code"] == "DPC140"), "{found:#?}");
    let id = "6f0e3b1a-2c4d-4e5f-8a9b-0c1d2e3f4a5b";
    edit(
        &dir,
        "governance.yaml",
        "    principal_type: service_principal\n",
        &format!("    principal_type: service_principal\n    application_id: {id}\n"),
    );
    s.dpc().arg("generate").arg(&dir).assert().success();
    let ddl = std::fs::read_to_string(dir.join("schemas/customers_v1.sql")).expect("read");
    assert!(
        ddl.contains(&format!("GRANT SELECT ON TABLE {T} TO `{id}`;")),
        "{ddl}"
    );
    assert!(!ddl.contains("reporting-service"), "{ddl}");
    let (exit, found) = validate(&s, &dir);
    assert!(!found.iter().any(|d| d["code"] == "DPC140"), "{found:#?}");
    assert_eq!(exit, 0, "{found:#?}");
}

/// No pre-flight diagnostic at all on a product as dpc writes it, and the acceptance points
/// read off the files themselves: no table file with CHECK constraints beside a mask or row
/// filter, no service principal granted by display name, no grant on the catalog in the job.
fn assert_clean(label: &str, s: &Scratch, dir: &Path) {
    let spec = dpc::spec::ProductSpec::load(dir).expect("spec");
    let major = spec.major_version();
    for table in spec.contract.tables.keys() {
        let ddl = std::fs::read_to_string(dir.join(format!("schemas/{table}_v{major}.sql")))
            .expect("ddl");
        let checks = dir.join(format!("schemas/checks/{table}_v{major}.sql"));
        let guarded = ddl.contains(" SET MASK ") || ddl.contains(" SET ROW FILTER ");
        assert!(
            !ddl.contains("ADD CONSTRAINT"),
            "{label} {table}: CHECKs in the DDL the job re-runs"
        );
        assert!(
            !(guarded && checks.exists()),
            "{label} {table}: CHECKs beside a mask or row filter"
        );
        assert!(
            !ddl.contains(" ON CATALOG "),
            "{label} {table}: the job grants on the catalog"
        );
        for c in &spec.governance.approved_consumers {
            if c.principal_type == dpc::spec::governance::PrincipalType::ServicePrincipal {
                assert!(
                    !ddl.contains(&format!("TO `{}`", c.principal)),
                    "{label} {table}: {} granted by display name",
                    c.principal
                );
            }
        }
    }
    let (exit, found) = validate(s, dir);
    let preflight: Vec<&Value> = found
        .iter()
        .filter(|d| d["code"].as_str().is_some_and(|c| c.starts_with("DPC06")))
        .collect();
    assert!(preflight.is_empty(), "{label}: {preflight:#?}");
    assert_eq!(exit, 0, "{label}: {found:#?}");
}

#[test]
fn examples_and_variants_pass_the_preflight_twice() {
    for (name, flags) in EXAMPLES {
        let s = Scratch::new();
        s.create(name, flags).assert().success();
        assert_clean(name, &s, &s.product(name));
    }
    for (label, flags) in VARIANTS {
        let s = product(flags);
        assert_clean(label, &s, &s.product("p"));
    }
    // A service principal consumer with its application ID, granted by it.
    let s = marketing();
    let dir = s.product("p");
    edit(
        &dir,
        "governance.yaml",
        "    principal_type: service_principal\n",
        "    principal_type: service_principal\n    application_id: 6f0e3b1a-2c4d-4e5f-8a9b-0c1d2e3f4a5b\n",
    );
    s.dpc().arg("generate").arg(&dir).assert().success();
    assert_clean("service principal", &s, &dir);
}

#[test]
fn the_committed_examples_pass_the_preflight() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let s = Scratch::new();
    for (name, _) in EXAMPLES {
        assert_clean(name, &s, &root.join(name));
    }
}

#[test]
fn consumers_add_takes_a_service_principal_by_application_id() {
    let s = marketing();
    let dir = s.product("p");
    let id = "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d";
    s.dpc()
        .args(["consumers", "add"])
        .arg(&dir)
        .args(["scoring-robot", "--principal-type", "service-principal"])
        .args(["--application-id", "scoring-robot"])
        .assert()
        .code(2);
    s.dpc()
        .args(["consumers", "add"])
        .arg(&dir)
        .args(["scoring-robot", "--principal-type", "service-principal"])
        .args(["--application-id", id])
        .assert()
        .success();
    let ddl = std::fs::read_to_string(dir.join("schemas/customers_v1.sql")).expect("read");
    assert!(
        ddl.contains(&format!("GRANT SELECT ON TABLE {T} TO `{id}`;")),
        "{ddl}"
    );
    let grants = std::fs::read_to_string(dir.join("schemas/catalog/grants.sql")).expect("read");
    assert!(grants.contains(&format!("TO `{id}`;")), "{grants}");
    let (_, found) = validate(&s, &dir);
    assert!(
        !found
            .iter()
            .any(|d| d["code"].as_str().is_some_and(|c| c.starts_with("DPC06"))),
        "{found:#?}"
    );
}

#[test]
fn a_row_filter_set_after_a_check_is_refused() {
    let s = product(&["--domain", "finance", "--sensitivity", "restricted"]);
    edit(
        &s.product("p"),
        "schemas/fraud_scores_v1.sql",
        "-- Classification tags",
        "ALTER TABLE p.fraud_scores ADD CONSTRAINT early CHECK (transaction_id IS NOT NULL);\n-- Classification tags",
    );
    refused(
        &s,
        "DPC060",
        "ROW_LEVEL_SECURITY_FEATURE_NOT_SUPPORTED.CHECK_CONSTRAINT",
    );
}

#[test]
fn revoking_on_the_catalog_and_giving_away_a_table_owned_by_others_are_refused() {
    let s = marketing();
    append(
        &s.product("p"),
        "schemas/customers_v1.sql",
        "REVOKE USE CATALOG ON CATALOG main_production FROM `data-scientists`;\n",
    );
    refused(&s, "DPC063", "INSUFFICIENT_PERMISSIONS");

    let s = marketing();
    edit(
        &s.product("p"),
        "schemas/customer_segments_v1.sql",
        "-- Classification tags",
        "ALTER TABLE p.customer_segments SET OWNER TO `another-team`;\nALTER TABLE p.customer_segments SET OWNER TO `marketing-data-owners`;\n-- Classification tags",
    );
    let d = refused(&s, "DPC063", "INSUFFICIENT_PERMISSIONS");
    assert!(
        d["message"].as_str().unwrap_or("").contains("another-team"),
        "{d:#}"
    );
}

#[test]
fn generate_refuses_a_spec_whose_sql_unity_catalog_would_refuse() {
    // A table tag value over 1000 characters passes the spec checks but not Unity Catalog.
    let s = marketing();
    let dir = s.product("p");
    let long = "x".repeat(1001);
    edit(
        &dir,
        "governance.yaml",
        "    domain: marketing\n",
        &format!("    domain: marketing\n    note: {long}\n"),
    );
    s.dpc()
        .arg("generate")
        .arg(&dir)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("DPC065"));
}

#[test]
fn the_quality_identity_is_admitted_by_every_mask_and_runs_the_job() {
    let s = product(&["--domain", "finance", "--sensitivity", "restricted"]);
    let dir = s.product("p");
    let id = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
    edit(
        &dir,
        "governance.yaml",
        "  row_filter: true\n",
        &format!("  row_filter: true\n  quality_identity: {id}\n"),
    );
    s.dpc().arg("generate").arg(&dir).assert().success();
    let tree = crate::common::read_tree(&dir);
    let admits = format!("current_user() = '{id}'");
    let mut functions = 0;
    for (path, text) in tree
        .iter()
        .filter(|(p, _)| dpc::check::rerun::is_table_ddl(p))
    {
        for f in text.split("CREATE OR REPLACE FUNCTION").skip(1) {
            let body = f.split(';').next().unwrap_or("");
            assert!(body.contains(&admits), "{path}: {body}");
            functions += 1;
        }
    }
    assert!(functions > 1, "no masks or row filters");
    assert!(
        tree["databricks.yml"].contains(&format!("service_principal_name: \"{id}\"")),
        "{}",
        tree["databricks.yml"]
    );
    assert_clean("quality identity", &s, &dir);
}

#[test]
fn a_key_is_relied_on_only_when_the_contract_guarantees_it() {
    let s = marketing();
    let dir = s.product("p");
    let ddl = std::fs::read_to_string(dir.join("schemas/customers_v1.sql")).expect("read");
    assert!(ddl.contains("PRIMARY KEY (customer_id) NORELY"), "{ddl}");
    edit(
        &dir,
        "contract.yaml",
        "    primary_key:\n      - customer_id\n",
        "    primary_key:\n      - customer_id\n    primary_key_guaranteed: true\n",
    );
    s.dpc().arg("generate").arg(&dir).assert().success();
    let ddl = std::fs::read_to_string(dir.join("schemas/customers_v1.sql")).expect("read");
    assert!(ddl.contains("PRIMARY KEY (customer_id) RELY"), "{ddl}");
    let (exit, found) = validate(&s, &dir);
    assert_eq!(exit, 0, "{found:#?}");
}

#[test]
fn create_says_where_a_masked_tables_rules_are_enforced() {
    let s = Scratch::new();
    let out = s.create("p", &["--domain", "marketing"]).assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        text.contains("customers: no CHECK constraints (Unity Catalog refuses them on a table with a column mask); the quality job (quality/run_checks.py) enforces"),
        "{text}"
    );
    assert!(
        text.contains("schemas/catalog/grants.sql: for the owner of catalog"),
        "{text}"
    );
    assert!(
        text.contains("reporting-service (service_principal): not granted until governance.yaml gives its application_id"),
        "{text}"
    );
    let ddl =
        std::fs::read_to_string(s.product("p").join("schemas/customers_v1.sql")).expect("read");
    assert!(
        ddl.contains(
            "-- No CHECK constraints: Unity Catalog refuses them on a table with a column mask."
        ),
        "{ddl}"
    );
    // The masked view keeps the base table unmasked, and with it the CHECK constraints.
    let s = Scratch::new();
    s.create("p", &["--domain", "marketing", "--masking", "masked-view"])
        .assert()
        .success();
    assert!(
        s.product("p")
            .join("schemas/checks/customers_v1.sql")
            .exists()
    );
}

#[test]
fn a_placeholder_or_malformed_application_id_is_reported_not_granted() {
    for (id, severity) in [
        ("00000000-0000-0000-0000-000000000000", "warning"),
        ("reporting-service", "error"),
    ] {
        let s = marketing();
        let dir = s.product("p");
        edit(
            &dir,
            "governance.yaml",
            "    principal_type: service_principal\n",
            &format!("    principal_type: service_principal\n    application_id: \"{id}\"\n"),
        );
        let (_, found) = validate(&s, &dir);
        let d = found
            .iter()
            .find(|d| d["code"] == "DPC140")
            .unwrap_or_else(|| panic!("{id}: DPC140 not reported: {found:#?}"));
        assert_eq!(d["severity"], severity, "{d:#}");
        assert!(d["line"].as_u64().is_some(), "{d:#}");
        if severity == "warning" {
            s.dpc().arg("generate").arg(&dir).assert().success();
            let ddl = std::fs::read_to_string(dir.join("schemas/customers_v1.sql")).expect("read");
            assert!(
                !ddl.contains(id) && !ddl.contains("reporting-service"),
                "{ddl}"
            );
        }
    }
}
