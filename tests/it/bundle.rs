//! The asset bundle every product carries (databricks.yml): it validates against the Databricks
//! CLI's own JSON Schema, applies every DDL file in dependency order before the quality checks,
//! deploys the alerts of monitoring/alerts.yaml with the same queries (which parse), follows the
//! contract when a table goes, and the DDL it runs is safe to run again.

use crate::common::{EXAMPLES, Scratch, VARIANTS, read_tree};
use crate::sql_oracle::parse_errors;
use serde_json::Value;
use std::collections::BTreeMap;

/// Why the bundle schema tests may be ignored, and how to run them.
const NEEDS_SCHEMA: &str = "needs the Databricks bundle JSON Schema (Databricks License, not in \
the repository): run `DPC_BUNDLE_SCHEMA=/path/to/schema.json cargo test` (make the file with \
`databricks bundle schema > schema.json`), or put the databricks CLI on PATH";

/// The Databricks CLI's JSON Schema for bundle files, found by build.rs (`DPC_BUNDLE_SCHEMA` or
/// `databricks bundle schema`). Asked for without it (`--ignored`), the test fails: it never
/// passes without asserting.
fn bundle_validator() -> jsonschema::Validator {
    let Some(path) = option_env!("DPC_BUNDLE_SCHEMA_FILE") else {
        panic!("{NEEDS_SCHEMA}");
    };
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read the bundle JSON Schema {path}: {e}"));
    let schema: Value = serde_json::from_str(&text).expect("the bundle schema is JSON");
    jsonschema::draft7::new(&schema).expect("the bundle schema compiles")
}

fn schema_errors(validator: &jsonschema::Validator, bundle: &Value) -> Vec<String> {
    validator
        .iter_errors(bundle)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn yaml(text: &str) -> Value {
    serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// A product made beside the examples' platform settings (`examples/dpc.yaml`); one given its
/// own `--catalog` is made under settings that do not pin prod's catalog.
fn product(name: &str, flags: &[&str]) -> BTreeMap<String, String> {
    let s = Scratch::with_example_settings();
    if flags.contains(&"--catalog") {
        let path = s.path().join("data-products/dpc.yaml");
        let text = std::fs::read_to_string(&path).expect("settings");
        let pinned = "    catalog: \"main_production\"\n";
        assert!(
            text.contains(pinned),
            "examples/dpc.yaml pins prod's catalog"
        );
        std::fs::write(&path, text.replace(pinned, "")).expect("settings");
    }
    s.create(name, flags).assert().success();
    read_tree(&s.product(name))
}

/// A product made in a folder without `dpc.yaml`: dpc's safe defaults.
fn product_without_settings(name: &str, flags: &[&str]) -> BTreeMap<String, String> {
    let s = Scratch::new();
    s.create(name, flags).assert().success();
    read_tree(&s.product(name))
}

/// The examples and variants under the examples' settings, then the examples without any.
fn all_products() -> Vec<(String, BTreeMap<String, String>)> {
    EXAMPLES
        .iter()
        .map(|(n, f)| (n.to_string(), product(n, f)))
        .chain(
            VARIANTS
                .iter()
                .map(|(label, f)| (label.to_string(), product("p", f))),
        )
        .chain(EXAMPLES.iter().map(|(n, f)| {
            (
                format!("{n} {WITHOUT_SETTINGS}"),
                product_without_settings(n, f),
            )
        }))
        .collect()
}

/// Marks the products of [`all_products`] made without `dpc.yaml`.
const WITHOUT_SETTINGS: &str = "(no dpc.yaml)";

fn spec_of(label: &str, tree: &BTreeMap<String, String>) -> dpc::spec::ProductSpec {
    let texts = [
        "product.yaml",
        "contract.yaml",
        "sla.yaml",
        "governance.yaml",
    ]
    .map(|f| tree.get(f).map_or("", String::as_str));
    dpc::spec::ProductSpec::parse(label, texts).expect("spec parses")
}

/// True when `text` names `catalog` as a catalog: followed by a dot, or alone in a string.
fn names_catalog(text: &str, catalog: &str) -> bool {
    let lower = text.to_lowercase();
    [".", "`."].iter().any(|after| {
        lower
            .match_indices(&format!("{catalog}{after}"))
            .any(|(at, _)| {
                at == 0 || !lower[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_')
            })
    })
}

fn bundle_of(tree: &BTreeMap<String, String>) -> Value {
    yaml(
        tree.get("databricks.yml")
            .expect("databricks.yml is written"),
    )
}

/// The table names of the contract, in contract order.
fn contract_tables(tree: &BTreeMap<String, String>) -> Vec<String> {
    let text = tree.get("contract.yaml").expect("contract");
    let contract: dpc::spec::Contract =
        dpc::spec::parse_yaml("contract.yaml", text).expect("contract parses");
    contract.tables.keys().cloned().collect()
}

/// The deploy job: the one whose tasks apply the DDL files (there is exactly one).
fn the_job(bundle: &Value) -> (&String, &Value) {
    let jobs = bundle
        .pointer("/resources/jobs")
        .and_then(Value::as_object)
        .expect("resources.jobs");
    let deploy: Vec<(&String, &Value)> = jobs
        .iter()
        .filter(|(_, j)| tasks(j).iter().any(|t| t.get("sql_task").is_some()))
        .collect();
    assert_eq!(deploy.len(), 1, "one deploy job: {jobs:?}");
    deploy[0]
}

/// The quality job: the one that runs quality/run_checks.py.
fn the_quality_job(bundle: &Value) -> &Value {
    bundle
        .pointer("/resources/jobs")
        .and_then(Value::as_object)
        .and_then(|jobs| {
            jobs.values().find(|j| {
                tasks(j).iter().any(|t| {
                    t.pointer("/spark_python_task/python_file")
                        .and_then(Value::as_str)
                        == Some("./quality/run_checks.py")
                })
            })
        })
        .expect("a quality job")
}

fn tasks(job: &Value) -> &Vec<Value> {
    job.get("tasks").and_then(Value::as_array).expect("tasks")
}

fn depends_on(task: &Value) -> Vec<&str> {
    task.get("depends_on")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|d| d.get("task_key").and_then(Value::as_str))
        .collect()
}

/// The DDL files the job applies, in task order.
fn ddl_files(bundle: &Value) -> Vec<String> {
    tasks(the_job(bundle).1)
        .iter()
        .filter_map(|t| t.pointer("/sql_task/file/path").and_then(Value::as_str))
        .map(|p| p.trim_start_matches("./").to_string())
        .collect()
}

#[test]
#[cfg_attr(
    not(bundle_schema),
    ignore = "needs the Databricks bundle JSON Schema: DPC_BUNDLE_SCHEMA=/path/to/schema.json cargo test (see the README)"
)]
fn the_schema_oracle_rejects_broken_bundles() {
    // Guards the oracle: if it accepted anything, the test below would prove nothing.
    let validator = bundle_validator();
    let (name, flags) = EXAMPLES[0];
    let good = bundle_of(&product(name, flags));
    assert!(
        schema_errors(&validator, &good).is_empty(),
        "{:?}",
        schema_errors(&validator, &good)
    );
    let mut bad_operator = good.clone();
    let alert = bad_operator
        .pointer_mut("/resources/alerts")
        .and_then(Value::as_object_mut)
        .and_then(|m| m.values_mut().next())
        .expect("an alert");
    alert["evaluation"]["comparison_operator"] = Value::from("BIGGER");
    assert!(!schema_errors(&validator, &bad_operator).is_empty());
    let mut no_query = good.clone();
    let alert = no_query
        .pointer_mut("/resources/alerts")
        .and_then(Value::as_object_mut)
        .and_then(|m| m.values_mut().next())
        .and_then(Value::as_object_mut)
        .expect("an alert");
    alert.remove("query_text");
    assert!(!schema_errors(&validator, &no_query).is_empty());
    let mut unknown_key = good;
    unknown_key["resources"]["schemas"]
        .as_object_mut()
        .and_then(|m| m.values_mut().next())
        .and_then(Value::as_object_mut)
        .expect("a schema")
        .insert("owner".into(), Value::from("x"));
    assert!(!schema_errors(&validator, &unknown_key).is_empty());
}

#[test]
#[cfg_attr(
    not(bundle_schema),
    ignore = "needs the Databricks bundle JSON Schema: DPC_BUNDLE_SCHEMA=/path/to/schema.json cargo test (see the README)"
)]
fn every_bundle_validates_against_the_databricks_schema() {
    let validator = bundle_validator();
    for (label, tree) in all_products() {
        let bundle = bundle_of(&tree);
        let errors = schema_errors(&validator, &bundle);
        assert!(errors.is_empty(), "{label}: {errors:#?}");
        // dev is the product's shared test environment, not development mode (which would
        // rename the schema away from the name the SQL files use), with its triggers paused.
        assert_eq!(bundle.pointer("/targets/dev/mode"), None, "{label}");
        assert_eq!(
            bundle
                .pointer("/targets/dev/presets/trigger_pause_status")
                .and_then(Value::as_str),
            Some("PAUSED"),
            "{label}"
        );
        assert_eq!(
            bundle.pointer("/targets/prod/mode").and_then(Value::as_str),
            Some("production"),
            "{label}"
        );
        for target in ["dev", "prod"] {
            let root = bundle
                .pointer(&format!("/targets/{target}/workspace/root_path"))
                .and_then(Value::as_str);
            // The deploying identity's own folder: nobody else may edit what its jobs run.
            let home = "/Workspace/Users/${workspace.current_user.userName}/.bundle/";
            assert!(
                root.is_some_and(|r| r.starts_with(home) && r.ends_with(&format!("/{target}"))),
                "{label}: {target} root_path {root:?}"
            );
        }
        // With the platform settings, prod deploys to its own workspace as its own identity.
        if !label.ends_with(WITHOUT_SETTINGS) {
            for pointer in [
                "/targets/prod/workspace/host",
                "/targets/prod/run_as/service_principal_name",
                "/targets/dev/workspace/host",
            ] {
                assert!(
                    bundle.pointer(pointer).and_then(Value::as_str).is_some(),
                    "{label}: no {pointer}"
                );
            }
            assert_ne!(
                bundle.pointer("/targets/prod/workspace/host"),
                bundle.pointer("/targets/dev/workspace/host"),
                "{label}"
            );
        }
        let schemas = bundle
            .pointer("/resources/schemas")
            .and_then(Value::as_object)
            .expect("schemas");
        let product: dpc::spec::ProductManifest =
            dpc::spec::parse_yaml("product.yaml", &tree["product.yaml"]).expect("product");
        let schema = schemas.values().next().expect("a schema");
        assert_eq!(
            schema["name"],
            product.catalog_location.schema.as_str(),
            "{label}"
        );
        // prod deploys to the spec's catalog; dev to another one, and so does a run with no -t
        // (the variable's default).
        let prod = &product.catalog_location.catalog;
        assert_eq!(
            bundle["targets"]["prod"]["variables"]["catalog"],
            prod.as_str(),
            "{label}"
        );
        let dev = bundle["targets"]["dev"]["variables"]["catalog"].as_str();
        assert!(
            dev.is_some_and(|d| d != prod),
            "{label}: dev catalog {dev:?}"
        );
        let default = bundle
            .pointer("/variables/catalog/default")
            .and_then(Value::as_str);
        assert!(
            default.is_some_and(|d| d != prod),
            "{label}: default catalog {default:?}"
        );
    }
}

/// The `${...}` references in a bundle text that the Databricks CLI would resolve (not `$${`).
fn references(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut escaped = false;
    while let Some(at) = rest.find("${") {
        escaped = if at > 0 {
            rest[..at].ends_with('$')
        } else {
            escaped
        };
        let after = &rest[at + 2..];
        if !escaped {
            out.push(after.split('}').next().unwrap_or_default().to_string());
        }
        escaped = false;
        rest = after;
    }
    out
}

#[test]
fn user_text_never_becomes_a_bundle_reference() {
    assert_eq!(
        references("a ${var.x} $${var.y} ${bundle.target}"),
        ["var.x", "bundle.target"]
    );
    for (label, tree) in all_products() {
        let text = &tree["databricks.yml"];
        let bundle = bundle_of(&tree);
        // The declared variables, and the one workspace value dpc itself writes (root_path).
        let declared: Vec<String> = bundle["variables"]
            .as_object()
            .expect("variables")
            .keys()
            .map(|k| format!("var.{k}"))
            .chain(["workspace.current_user.userName".to_string()])
            .collect();
        for r in references(text) {
            assert!(
                declared.contains(&r),
                "{label}: ${{{r}}} is not a declared variable"
            );
        }
        if label == "hostile-text" {
            assert!(
                text.contains("$${var.x}"),
                "{label}: the description's ${{var.x}} is escaped"
            );
        }
    }
}

#[test]
fn the_job_applies_every_ddl_file_in_dependency_order_then_the_checks() {
    for (label, tree) in all_products() {
        let bundle = bundle_of(&tree);
        // Contract order, except that a referenced table comes before the tables whose
        // informational FOREIGN KEY names it.
        let tables = contract_tables(&tree);
        let contract: dpc::spec::Contract =
            dpc::spec::parse_yaml("contract.yaml", &tree["contract.yaml"]).expect("contract");
        let names: Vec<&str> = tables.iter().map(String::as_str).collect();
        let order = dpc::render::deploy::job_order(
            &names,
            &dpc::render::table_rules::references(&contract),
        );
        let expected: Vec<String> = order
            .iter()
            .map(|i| format!("schemas/{}_v1.sql", tables[*i]))
            .collect();
        for (i, file) in expected.iter().enumerate() {
            for later in &expected[i + 1..] {
                let parent = later
                    .trim_start_matches("schemas/")
                    .trim_end_matches("_v1.sql");
                assert!(
                    !tree[file].contains(&format!(".{parent} (")),
                    "{label}: {file} references {parent}, created later"
                );
            }
        }
        let on_disk: Vec<&String> = tree
            .keys()
            .filter(|p| dpc::check::rerun::is_table_ddl(p))
            .collect();
        assert_eq!(ddl_files(&bundle), expected, "{label}");
        assert_eq!(on_disk.len(), expected.len(), "{label}: {on_disk:?}");
        let (_, job) = the_job(&bundle);
        let tasks = tasks(job);
        // Each task waits for the one before it: DDL in contract order, then the checks.
        for pair in tasks.windows(2) {
            let before = pair[0]["task_key"].as_str().expect("task_key");
            assert_eq!(depends_on(&pair[1]), [before], "{label}: {:#}", pair[1]);
        }
        for t in tasks.iter().filter(|t| t["task_key"] != "apply_checks") {
            assert_eq!(
                t["sql_task"]["warehouse_id"], "${var.warehouse_id}",
                "{label}"
            );
        }
        // The deploy job runs once after a deploy: no schedule, no trigger.
        assert!(job.get("schedule").is_none(), "{label}: {job:#}");
        assert!(job.get("trigger").is_none(), "{label}: {job:#}");
        // The quality checks are their own job, started when a table of the product changes,
        // and apply no DDL.
        let quality = the_quality_job(&bundle);
        assert!(
            quality["tasks"]
                .as_array()
                .expect("tasks")
                .iter()
                .all(|t| t.get("sql_task").is_none()),
            "{label}: {quality:#}"
        );
        let triggered: Vec<String> = quality
            .pointer("/trigger/table_update/table_names")
            .and_then(Value::as_array)
            .expect("table_update")
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
        let schema = spec_of(&label, &tree).schema().to_string();
        let want: Vec<String> = tables
            .iter()
            .map(|t| format!("${{var.catalog}}.{schema}.{t}"))
            .collect();
        let mut got = triggered.clone();
        got.sort();
        let mut want = want;
        want.sort();
        assert_eq!(got, want, "{label}");
        let runner = "quality/run_checks.py";
        assert!(
            tree[runner].contains("import validation_rules"),
            "{label}: the checks use the product's validation rules"
        );
    }
}

#[test]
fn no_job_both_applies_ddl_and_runs_on_a_schedule() {
    for (label, tree) in all_products() {
        let bundle = bundle_of(&tree);
        for (key, job) in bundle["resources"]["jobs"].as_object().expect("jobs") {
            let applies_ddl = tasks(job).iter().any(|t| {
                t.get("sql_task").is_some()
                    || t.pointer("/spark_python_task/python_file")
                        .and_then(Value::as_str)
                        == Some("./schemas/apply_checks.py")
            });
            let scheduled = job.get("schedule").is_some() || job.get("trigger").is_some();
            assert!(
                !(applies_ddl && scheduled),
                "{label}: job {key} applies DDL on a schedule"
            );
        }
        // prod: its own root path, and the schema survives `bundle destroy`.
        assert!(
            bundle
                .pointer("/targets/prod/workspace/root_path")
                .is_some(),
            "{label}"
        );
        for (key, schema) in bundle["resources"]["schemas"].as_object().expect("schemas") {
            assert_eq!(
                schema.pointer("/lifecycle/prevent_destroy"),
                Some(&Value::Bool(true)),
                "{label}: schema {key}"
            );
        }
    }
}

#[test]
fn alert_resources_are_the_alerts_of_monitoring_and_their_queries_parse() {
    for (label, tree) in all_products() {
        let bundle = bundle_of(&tree);
        let listed = yaml(&tree["monitoring/alerts.yaml"]);
        let listed = listed["alerts"].as_array().expect("alerts");
        let resources = bundle
            .pointer("/resources/alerts")
            .and_then(Value::as_object)
            .expect("resources.alerts");
        assert_eq!(resources.len(), listed.len(), "{label}");
        for alert in listed {
            let name = alert["name"].as_str().expect("name");
            let resource = resources
                .values()
                .find(|r| {
                    r["display_name"]
                        .as_str()
                        .map(|d| d.replace("$${", "${"))
                        .as_deref()
                        == Some(name)
                })
                .unwrap_or_else(|| panic!("{label}: no resource for alert {name}"));
            // The bundle's query is alerts.yaml's with the target's catalog, `${var.catalog}`
            // (`$${` is how the bundle writes a literal `${`).
            let query_text = resource["query_text"].as_str().expect("query_text");
            let documented = alert["query"].as_str().expect("query");
            assert_eq!(
                query_text,
                dpc::render::bundle::per_target_query(&spec_of(&label, &tree), documented),
                "{label}: {name}"
            );
            assert!(
                !names_catalog(query_text, &spec_of(&label, &tree).catalog().to_lowercase()),
                "{label}: {name} names the production catalog: {query_text}"
            );
            let query = documented;
            assert_eq!(resource["evaluation"]["source"]["name"], alert["column"]);
            assert_eq!(
                resource["evaluation"]["threshold"]["value"]["double_value"].as_f64(),
                alert["threshold"].as_f64(),
                "{label}: {name}"
            );
            let errors = parse_errors(&format!("{query};\n"));
            assert!(
                errors.is_empty(),
                "{label} {name}:\n{}\n{query}",
                errors.join("\n")
            );
        }
        let kinds: Vec<&str> = listed.iter().filter_map(|a| a["kind"].as_str()).collect();
        for kind in ["freshness", "quality_score", "availability"] {
            assert!(kinds.contains(&kind), "{label}: no {kind} alert: {kinds:?}");
        }
    }
}

/// Why one statement of a DDL file is not safe to run a second time, judged on its own text
/// and the statements before it (independently of dpc's own check).
fn rerun_hazard(statement: &str, before: &[String]) -> Option<String> {
    let s = statement
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase();
    for bad in [
        "DROP TABLE",
        "DROP SCHEMA",
        "TRUNCATE",
        "DELETE FROM",
        "CREATE OR REPLACE TABLE",
        "REPLACE TABLE",
        "INSERT OVERWRITE",
        "DROP COLUMN",
    ] {
        if s.contains(bad) {
            return Some(format!("{bad} loses data"));
        }
    }
    if (s.starts_with("CREATE TABLE") || s.starts_with("CREATE SCHEMA"))
        && !s.contains("IF NOT EXISTS")
    {
        return Some("CREATE without IF NOT EXISTS fails the second time".into());
    }
    if s.starts_with("CREATE VIEW") || s.starts_with("CREATE FUNCTION") {
        return Some("CREATE without OR REPLACE fails the second time".into());
    }
    if let Some((table, rest)) = s.split_once(" ADD CONSTRAINT ") {
        let name = rest.split(' ').next().unwrap_or_default();
        let drop = format!("{table} DROP CONSTRAINT IF EXISTS {name}");
        if !before.iter().any(|b| b == &drop) {
            return Some(format!(
                "constraint {name} is added without being dropped first"
            ));
        }
    }
    None
}

fn rerun_hazards(sql: &str) -> Vec<String> {
    let statements: Vec<String> = dpc::lang::sql_statements::split(sql)
        .into_iter()
        // Literals are blanked: a mask's COMMENT may say "truncate".
        .map(|s| s.code)
        .collect();
    statements
        .iter()
        .enumerate()
        .filter_map(|(i, s)| rerun_hazard(s, &statements[..i]).map(|h| format!("{h}: {s}")))
        .collect()
}

#[test]
fn the_rerun_check_can_fail() {
    assert!(!rerun_hazards("CREATE OR REPLACE TABLE a.b.t (x INT);").is_empty());
    assert!(!rerun_hazards("CREATE TABLE a.b.t (x INT);").is_empty());
    assert!(!rerun_hazards("ALTER TABLE a.b.t ADD CONSTRAINT c CHECK (x > 0);").is_empty());
    assert!(
        rerun_hazards(
            "ALTER TABLE a.b.t DROP CONSTRAINT IF EXISTS c;\nALTER TABLE a.b.t ADD CONSTRAINT c CHECK (x > 0);"
        )
        .is_empty()
    );
}

#[test]
fn rerunning_the_ddl_sequence_is_safe() {
    for (label, tree) in all_products() {
        let bundle = bundle_of(&tree);
        let files = ddl_files(&bundle);
        assert!(!files.is_empty(), "{label}");
        for file in files {
            let sql = tree
                .get(&file)
                .unwrap_or_else(|| panic!("{label}: {file} is in the job but not written"));
            let hazards = rerun_hazards(sql);
            assert!(hazards.is_empty(), "{label} {file}: {hazards:#?}");
        }
    }
}

#[test]
fn validate_refuses_ddl_that_drops_data_on_a_rerun() {
    let s = Scratch::new();
    s.create("customer-360", &["--domain", "marketing"])
        .assert()
        .success();
    let file = s.product("customer-360").join("schemas/customers_v1.sql");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(
        &file,
        text.replacen("CREATE TABLE IF NOT EXISTS", "CREATE OR REPLACE TABLE", 1),
    )
    .expect("write");
    let out = s
        .dpc()
        .args(["validate", "--format", "json"])
        .arg(s.product("customer-360"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(
        json.as_array()
            .expect("array")
            .iter()
            .any(|d| d["code"] == "DPC025" && d["line"].as_u64().is_some()),
        "{json:#}"
    );
}

#[test]
fn removing_a_table_from_the_contract_removes_it_from_the_bundle() {
    let s = Scratch::new();
    s.create("customer-360", &["--domain", "marketing"])
        .assert()
        .success();
    let dir = s.product("customer-360");
    let before = std::fs::read_to_string(dir.join("databricks.yml")).expect("read");
    assert!(before.contains("customer_segments"));
    let path = dir.join("contract.yaml");
    let mut contract: dpc::spec::Contract = dpc::spec::parse_yaml(
        "contract.yaml",
        &std::fs::read_to_string(&path).expect("read"),
    )
    .expect("parse");
    contract.tables.shift_remove("customer_segments");
    std::fs::write(
        &path,
        dpc::spec::to_yaml("contract.yaml", &contract).expect("yaml"),
    )
    .expect("write");
    s.dpc().arg("generate").arg(&dir).assert().success();
    let after = std::fs::read_to_string(dir.join("databricks.yml")).expect("read");
    assert!(!after.contains("customer_segments"), "{after}");
    let bundle = yaml(&after);
    assert_eq!(
        ddl_files(&bundle),
        [
            "schemas/customers_v1.sql",
            "schemas/customer_metrics_v1.sql"
        ]
    );
    s.dpc().arg("validate").arg(&dir).assert().success();
}

/// `dpc validate` diagnostics for a product whose databricks.yml was replaced by `edit(bundle)`.
fn validate_after(edit: impl Fn(&mut Value)) -> Vec<Value> {
    let s = Scratch::new();
    s.create("customer-360", &["--domain", "marketing"])
        .assert()
        .success();
    let dir = s.product("customer-360");
    let mut bundle = yaml(&std::fs::read_to_string(dir.join("databricks.yml")).expect("read"));
    edit(&mut bundle);
    // JSON is YAML; the file loses its dpc header, which validate reports as a hand edit.
    std::fs::write(
        dir.join("databricks.yml"),
        serde_json::to_string_pretty(&bundle).expect("json"),
    )
    .expect("write");
    let out = s
        .dpc()
        .args(["validate", "--format", "json"])
        .arg(&dir)
        .output()
        .expect("run");
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    let all = json.as_array().expect("array").clone();
    let errors = all.iter().any(|d| d["severity"] == "error");
    assert_eq!(out.status.code(), Some(if errors { 1 } else { 0 }));
    all
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics
        .iter()
        .filter(|d| {
            d["file"]
                .as_str()
                .is_some_and(|f| f.ends_with("databricks.yml"))
        })
        .filter_map(|d| d["code"].as_str())
        .collect()
}

fn job_tasks(bundle: &mut Value) -> &mut Vec<Value> {
    bundle
        .pointer_mut("/resources/jobs")
        .and_then(Value::as_object_mut)
        .and_then(|m| m.values_mut().next())
        .and_then(|j| j.get_mut("tasks"))
        .and_then(Value::as_array_mut)
        .expect("tasks")
}

#[test]
fn validate_checks_the_bundle_against_the_spec() {
    let untouched = validate_after(|_| {});
    assert_eq!(codes(&untouched), ["DPC041"], "{untouched:#?}");

    let missing_ddl = validate_after(|b| {
        job_tasks(b).retain(|t| t["task_key"] != "ddl_customer_metrics");
    });
    assert!(codes(&missing_ddl).contains(&"DPC051"), "{missing_ddl:#?}");
    let d = missing_ddl
        .iter()
        .find(|d| d["code"] == "DPC051")
        .expect("DPC051");
    assert!(
        d["message"]
            .as_str()
            .is_some_and(|m| m.contains("customer_metrics_v1.sql"))
    );
    assert!(d["line"].as_u64().is_some(), "{d:#}");

    let out_of_order = validate_after(|b| {
        job_tasks(b)[1]["depends_on"] = serde_json::json!([]);
    });
    assert!(
        codes(&out_of_order).contains(&"DPC052"),
        "{out_of_order:#?}"
    );

    let stale_table = validate_after(|b| {
        job_tasks(b).push(serde_json::json!({
            "task_key": "ddl_old",
            "sql_task": {"warehouse_id": "${var.warehouse_id}", "file": {"path": "./schemas/old_v1.sql"}}
        }));
    });
    assert!(codes(&stale_table).contains(&"DPC053"), "{stale_table:#?}");

    let no_alert = validate_after(|b| {
        b["resources"]["alerts"]
            .as_object_mut()
            .expect("alerts")
            .remove("availability");
    });
    assert!(codes(&no_alert).contains(&"DPC054"), "{no_alert:#?}");

    let other_query = validate_after(|b| {
        b["resources"]["alerts"]["freshness_customers"]["query_text"] = Value::from("SELECT 1");
    });
    assert!(codes(&other_query).contains(&"DPC055"), "{other_query:#?}");

    let other_catalog = validate_after(|b| {
        b["targets"]["prod"]["variables"]["catalog"] = Value::from("elsewhere");
    });
    assert!(
        codes(&other_catalog).contains(&"DPC056"),
        "{other_catalog:#?}"
    );
}

#[test]
fn validate_reports_a_bundle_that_does_not_parse() {
    let s = Scratch::new();
    s.create("customer-360", &["--domain", "marketing"])
        .assert()
        .success();
    let dir = s.product("customer-360");
    std::fs::write(dir.join("databricks.yml"), "bundle: [unclosed\n").expect("write");
    let out = s
        .dpc()
        .args(["validate", "--format", "json"])
        .arg(&dir)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(
        codes(json.as_array().expect("array")).contains(&"DPC050"),
        "{json:#}"
    );
}

#[test]
fn bundle_validate_without_the_cli_says_how_to_install_it() {
    let s = Scratch::new();
    s.create("customer-360", &["--domain", "marketing"])
        .assert()
        .success();
    let empty = tempfile::tempdir().expect("dir");
    let out = s
        .dpc()
        .env("PATH", empty.path())
        .args(["bundle", "validate"])
        .arg(s.product("customer-360"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Databricks CLI") && err.contains("install"),
        "{err}"
    );
}

#[test]
fn bundle_validate_needs_a_bundle() {
    let s = Scratch::new();
    let out = s
        .dpc()
        .args(["bundle", "validate", "."])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("databricks.yml"));
}

#[cfg(unix)]
#[test]
fn bundle_validate_runs_the_databricks_cli_in_the_product() {
    use std::os::unix::fs::PermissionsExt;
    let s = Scratch::new();
    s.create("customer-360", &["--domain", "marketing"])
        .assert()
        .success();
    let bin = tempfile::tempdir().expect("dir");
    let log = bin.path().join("calls.txt");
    let fake = bin.path().join("databricks");
    let script = format!(
        "#!/bin/sh\necho \"$(pwd -P) $*\" >> '{}'\nexit \"${{FAKE_STATUS:-0}}\"\n",
        log.display()
    );
    std::fs::write(&fake, script).expect("write");
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let dir = s.product("customer-360");
    s.dpc()
        .env("PATH", bin.path())
        .args([
            "bundle",
            "validate",
            "-t",
            "prod",
            "--var",
            "warehouse_id=abc",
        ])
        .arg(&dir)
        .assert()
        .success();
    let calls = std::fs::read_to_string(&log).expect("the CLI was called");
    let real = dir.canonicalize().expect("dir");
    assert_eq!(
        calls.trim(),
        format!(
            "{} bundle validate --target prod --var=warehouse_id=abc",
            real.display()
        )
    );
    s.dpc()
        .env("PATH", bin.path())
        .env("FAKE_STATUS", "1")
        .args(["bundle", "validate"])
        .arg(&dir)
        .assert()
        .code(1);
    s.dpc()
        .env("PATH", bin.path())
        .args(["bundle", "validate", "--var", "novalue"])
        .arg(&dir)
        .assert()
        .code(2);
}

/// `dpc validate` skips the bundle checks (DPC05x) when databricks.yml and alerts.yaml are
/// exactly what the spec renders; that is sound only while the rendered bundle passes them.
#[test]
fn the_rendered_bundle_passes_its_own_checks() {
    let spec_files = [
        "product.yaml",
        "contract.yaml",
        "sla.yaml",
        "governance.yaml",
    ];
    for (label, tree) in all_products() {
        let texts = spec_files.map(|f| tree.get(f).map_or("", String::as_str));
        let spec = dpc::spec::ProductSpec::parse(&label, texts).expect("spec parses");
        let found = dpc::check::bundle::check(
            &spec,
            tree.get("databricks.yml").map(String::as_str),
            tree.get("monitoring/alerts.yaml").map(String::as_str),
        );
        assert!(found.is_empty(), "{label}: {found:#?}");
    }
    // The same check does fail on a bundle that drops a DDL task.
    let (label, tree) = &all_products()[0];
    let texts = spec_files.map(|f| tree.get(f).map_or("", String::as_str));
    let spec = dpc::spec::ProductSpec::parse(label, texts).expect("spec parses");
    let bundle = tree["databricks.yml"].replace("./schemas/", "./elsewhere/");
    let found = dpc::check::bundle::check(
        &spec,
        Some(&bundle),
        tree.get("monitoring/alerts.yaml").map(String::as_str),
    );
    assert!(found.iter().any(|d| d.code == "DPC051"), "{found:#?}");
}

#[test]
fn no_file_or_alert_query_a_job_runs_names_a_catalog() {
    for (label, tree) in all_products() {
        let spec = spec_of(&label, &tree);
        let catalog = spec.catalog().to_lowercase();
        let bundle = bundle_of(&tree);
        let mut run: Vec<String> = Vec::new();
        for job in bundle["resources"]["jobs"]
            .as_object()
            .expect("jobs")
            .values()
        {
            for t in job["tasks"].as_array().expect("tasks") {
                for file in [
                    t.pointer("/sql_task/file/path"),
                    t.pointer("/spark_python_task/python_file"),
                ]
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                {
                    run.push(file.trim_start_matches("./").to_string());
                }
            }
        }
        run.extend(
            tree.keys()
                .filter(|p| p.starts_with("schemas/checks/"))
                .cloned(),
        );
        assert!(run.iter().any(|p| p.ends_with(".sql")), "{label}: {run:?}");
        for path in &run {
            let text = tree
                .get(path)
                .unwrap_or_else(|| panic!("{label}: no {path}"));
            assert!(
                !names_catalog(text, &catalog),
                "{label}: {path} names {catalog}"
            );
            if path.ends_with(".sql") {
                assert!(
                    text.contains("USE CATALOG IDENTIFIER(:catalog);"),
                    "{label}: {path}"
                );
            }
        }
        for (key, alert) in bundle["resources"]["alerts"].as_object().expect("alerts") {
            let query = alert["query_text"].as_str().expect("query_text");
            assert!(
                !names_catalog(query, &catalog),
                "{label}: alert {key}: {query}"
            );
        }
        // The test can fail: the documented queries do name the production catalog.
        assert!(
            names_catalog(&tree["monitoring/alerts.yaml"], &catalog),
            "{label}"
        );
    }
}

/// Each `databricks bundle <command> ...` in `text`, up to the end of its code span or line;
/// `bundle schema` loads no bundle and needs no variables.
fn documented_commands(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut rest = line;
        while let Some(at) = rest.find("databricks bundle ") {
            let command = rest[at..]
                .split(['`', '#'])
                .next()
                .unwrap_or_default()
                .trim()
                .to_string();
            if !command.starts_with("databricks bundle schema") {
                out.push(command);
            }
            rest = &rest[at + 1..];
        }
    }
    out
}

#[test]
fn every_documented_bundle_command_passes_the_variables_without_a_value() {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .expect("README.md");
    let mut checked = 0;
    for (label, tree) in all_products() {
        let bundle = bundle_of(&tree);
        // A variable has a value in a target when it has a default or lookup, at the top or
        // in that target's `variables` (the CLI merges the two).
        let required = |target: &str| -> Vec<String> {
            bundle["variables"]
                .as_object()
                .expect("variables")
                .iter()
                .filter(|(k, v)| {
                    let in_target = bundle
                        .pointer(&format!("/targets/{target}/variables/{k}"))
                        .is_some_and(|t| {
                            t.is_string() || t.get("default").is_some() || t.get("lookup").is_some()
                        });
                    v.get("default").is_none() && v.get("lookup").is_none() && !in_target
                })
                .map(|(k, _)| k.clone())
                .collect()
        };
        let default_target = bundle["targets"]
            .as_object()
            .expect("targets")
            .iter()
            .find(|(_, t)| t.get("default").and_then(Value::as_bool) == Some(true))
            .map(|(k, _)| k.clone())
            .expect("a default target");
        let docs = tree
            .iter()
            .filter(|(p, _)| p.ends_with(".md") || p.as_str() == "databricks.yml")
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .chain([("README.md", readme.as_str())]);
        for (path, text) in docs {
            for command in documented_commands(text) {
                let target = command
                    .split_whitespace()
                    .skip_while(|w| *w != "-t" && *w != "--target")
                    .nth(1)
                    .map_or(default_target.clone(), str::to_string);
                for var in &required(&target) {
                    assert!(
                        command.contains(&format!("--var {var}=")),
                        "{label}: {path}: `{command}` does not pass {var}"
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 0);
    // The test can fail: a command without the variable is caught.
    assert_eq!(
        documented_commands("run `databricks bundle run -t prod job` now"),
        ["databricks bundle run -t prod job"]
    );
}

#[test]
fn the_consumer_guide_is_for_consumers_and_the_runbook_is_in_the_readme() {
    for (label, tree) in all_products() {
        let guide = &tree["docs/consumer-guide.md"];
        assert!(
            !guide.contains("databricks bundle"),
            "{label}: the consumer guide holds deployment steps"
        );
        // `SHOW GRANTS ON <object>` needs the owner's rights; a consumer asks for a principal.
        assert!(
            !guide.contains("SHOW GRANTS ON"),
            "{label}: the consumer guide needs owner rights"
        );
        assert!(
            guide.contains("information_schema.table_privileges"),
            "{label}"
        );
        let readme = &tree["docs/README.md"];
        assert!(
            readme.contains("## Deploying (owners)")
                && readme.contains("databricks bundle deploy -t prod"),
            "{label}: no runbook in docs/README.md"
        );
    }
}

/// The results table's columns as run_checks.py declares them (`RESULTS_COLUMNS`, a tuple of
/// string pieces), joined.
fn results_columns(run_checks: &str) -> String {
    let start = run_checks
        .find("RESULTS_COLUMNS = (")
        .expect("run_checks.py declares RESULTS_COLUMNS");
    let block = &run_checks[start..];
    let block = &block[..block.find("\n)").expect("the tuple ends")];
    let piece = regex::Regex::new(r#""([^"]*)""#).expect("regex");
    piece
        .captures_iter(block)
        .map(|c| c[1].to_string())
        .collect()
}

/// The tables a query reads: what follows each FROM or JOIN.
fn tables_read(query: &str) -> Vec<String> {
    let from = regex::Regex::new(r"(?i)\b(?:FROM|JOIN)\s+([^\s()]+)").expect("regex");
    from.captures_iter(query)
        .map(|c| c[1].to_string())
        .collect()
}

#[test]
fn quality_alerts_read_only_the_results_table_run_checks_writes() {
    for (label, tree) in all_products() {
        let spec = spec_of(&label, &tree);
        let results = dpc::render::bundle::results_fqn(&spec);
        let run_checks = &tree["quality/run_checks.py"];
        let columns = results_columns(run_checks);
        // The table run_checks.py writes is the one the alerts read (schema.table there, the
        // catalog coming from USE CATALOG).
        let job_table =
            dpc::lang::escape::sql_qualified(&[spec.schema(), dpc::render::bundle::RESULTS_TABLE]);
        assert!(
            run_checks.contains(&format!("RESULTS_TABLE = \"{job_table}\"")),
            "{label}: run_checks.py writes another table than {job_table}"
        );
        assert!(results.ends_with(&job_table), "{results} vs {job_table}");
        let listed = yaml(&tree["monitoring/alerts.yaml"]);
        let listed = listed["alerts"].as_array().expect("alerts");
        let tables = contract_tables(&tree);
        let mut quality_alerts = 0;
        for alert in listed {
            let kind = alert["kind"].as_str().expect("kind");
            if !kind.starts_with("quality") {
                continue;
            }
            quality_alerts += 1;
            let query = alert["query"].as_str().expect("query");
            let read = tables_read(query);
            assert!(!read.is_empty(), "{label}: {query}");
            assert!(
                read.iter().all(|t| *t == results),
                "{label}: a quality alert reads {read:?}, not only {results}: {query}"
            );
            // Every column the alert reads is one run_checks.py writes.
            for column in [
                "run_id",
                "run_time",
                "rule_id",
                "table_name",
                "severity",
                "rows_failing",
                "score",
            ] {
                if regex::Regex::new(&format!(r"\b{column}\b"))
                    .expect("regex")
                    .is_match(query)
                {
                    assert!(
                        regex::Regex::new(&format!(r"\b{column} "))
                            .expect("regex")
                            .is_match(&columns),
                        "{label}: the alert reads {column}, run_checks.py writes {columns}"
                    );
                }
            }
        }
        // Two quality alerts per table at most (critical rules, score), never one per rule.
        assert!(
            quality_alerts <= 2 * tables.len(),
            "{label}: {quality_alerts} quality alerts for {} tables",
            tables.len()
        );
        // The quality job passes the run's id to run_checks.py.
        let bundle = bundle_of(&tree);
        let job = the_quality_job(&bundle);
        let parameters = &tasks(job)[0]["spark_python_task"]["parameters"];
        let parameters: Vec<&str> = parameters
            .as_array()
            .expect("parameters")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert!(
            parameters
                .windows(2)
                .any(|w| w == ["--run-id", "{{job.run_id}}"]),
            "{label}: {parameters:?}"
        );
    }
}

#[test]
fn the_results_tables_ddl_parses() {
    let (name, flags) = EXAMPLES[0];
    let tree = product(name, flags);
    let spec = spec_of(name, &tree);
    let columns = results_columns(&tree["quality/run_checks.py"]);
    for needed in [
        "run_id STRING NOT NULL",
        "run_time TIMESTAMP NOT NULL",
        "rule_id STRING",
        "contract_version STRING NOT NULL",
        "table_name STRING NOT NULL",
        "rows_checked BIGINT NOT NULL",
        "rows_failing BIGINT NOT NULL",
        "score DOUBLE",
    ] {
        assert!(columns.contains(needed), "{needed} missing from {columns}");
    }
    // As run_checks.py runs it (after USE CATALOG), with the production catalog here.
    let ddl = format!(
        "CREATE TABLE IF NOT EXISTS {} ({columns}) COMMENT 'dpc quality results: one row per rule and per table per quality run';\n",
        dpc::render::bundle::results_fqn(&spec)
    );
    let errors = parse_errors(&ddl);
    assert!(errors.is_empty(), "{}\n{ddl}", errors.join("\n"));
    assert!(!parse_errors(&ddl.replace("BIGINT NOT NULL,", "BIGINT NOT NULL")).is_empty());
}

#[test]
fn the_docs_say_no_pipeline_is_deployed_and_none_is() {
    // Issue #17 part 6, the "not at all" route: no bundle deploys a Lakeflow pipeline, so the
    // docs must not claim the expectations are applied; they say the bundle deploys none.
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    assert!(readme.contains("The bundle deploys no Lakeflow (DLT) pipeline"));
    for (label, tree) in all_products() {
        let bundle = bundle_of(&tree);
        assert!(
            bundle.pointer("/resources/pipelines").is_none(),
            "{label}: the bundle deploys a pipeline; the docs say it does not"
        );
        let docs = &tree["docs/README.md"];
        assert!(
            docs.contains("the bundle deploys none"),
            "{label}: docs/README.md does not say the pipeline is not deployed"
        );
        assert!(
            tree["docs/data-dictionary.md"].contains("deploys no such pipeline"),
            "{label}"
        );
    }
}
