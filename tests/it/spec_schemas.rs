//! The JSON Schemas printed by `dpc schema ...` accept the spec files `dpc create` writes,
//! refuse what dpc refuses (a misspelled key, a value outside a vocabulary), and are the
//! ones `create` writes to `DIR/_schemas/` and points every spec file at.

use crate::common::{EXAMPLES, Scratch};
use serde_json::{Value, json};

const KINDS: [&str; 4] = ["product", "contract", "sla", "governance"];

/// `dpc schema KIND`, parsed.
fn printed_schema(s: &Scratch, kind: &str) -> Value {
    let out = s.dpc().args(["schema", kind]).assert().success();
    serde_json::from_slice(&out.get_output().stdout).expect("dpc schema prints JSON")
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::meta::validate(schema).expect("a valid JSON Schema");
    jsonschema::validator_for(schema).expect("compiles")
}

fn yaml(text: &str) -> Value {
    serde_saphyr::from_str(text).expect("spec file is YAML")
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn schemas_accept_the_spec_files_of_every_example() {
    let s = Scratch::new();
    let validators: Vec<_> = KINDS
        .iter()
        .map(|k| validator(&printed_schema(&s, k)))
        .collect();
    for (name, flags) in EXAMPLES {
        s.create(name, flags).assert().success();
        for (kind, validator) in KINDS.iter().zip(&validators) {
            let text = std::fs::read_to_string(s.product(name).join(format!("{kind}.yaml")))
                .expect("spec file written");
            let problems = errors(validator, &yaml(&text));
            assert!(problems.is_empty(), "{name}/{kind}.yaml: {problems:#?}");
        }
    }
}

#[test]
fn create_writes_the_printed_schemas_and_points_spec_files_at_them() {
    let s = Scratch::new();
    s.create("customer-360", &["--domain", "marketing"])
        .assert()
        .success();
    for kind in KINDS {
        let file = s
            .path()
            .join("data-products/_schemas")
            .join(format!("{kind}.schema.json"));
        let written: Value =
            serde_json::from_str(&std::fs::read_to_string(&file).expect("schema written"))
                .expect("JSON");
        assert_eq!(written, printed_schema(&s, kind), "{}", file.display());
        let spec = std::fs::read_to_string(s.product("customer-360").join(format!("{kind}.yaml")))
            .expect("spec file");
        assert_eq!(
            spec.lines().next(),
            Some(
                format!("# yaml-language-server: $schema=../_schemas/{kind}.schema.json").as_str()
            )
        );
    }
}

#[test]
fn dry_run_lists_the_schemas_and_writes_nothing() {
    let s = Scratch::new();
    let out = s
        .create("customer-360", &["--dry-run", "--format", "json"])
        .assert()
        .success();
    let summary: Value = serde_json::from_slice(&out.get_output().stdout).expect("json");
    let paths: Vec<&str> = summary["schemas"]
        .as_array()
        .expect("schemas listed")
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert_eq!(
        paths,
        [
            "data-products/_schemas/product.schema.json",
            "data-products/_schemas/contract.schema.json",
            "data-products/_schemas/sla.schema.json",
            "data-products/_schemas/governance.schema.json",
            "data-products/_schemas/dpc.schema.json",
        ]
    );
    assert!(crate::common::entries(s.path()).is_empty());
}

/// A spec file of customer-360, as JSON, and the validator of its kind.
fn example_spec(kind: &str) -> (Value, jsonschema::Validator) {
    let s = Scratch::new();
    s.create("customer-360", &["--domain", "marketing"])
        .assert()
        .success();
    let text = std::fs::read_to_string(s.product("customer-360").join(format!("{kind}.yaml")))
        .expect("spec file");
    (yaml(&text), validator(&printed_schema(&s, kind)))
}

/// Applies `edit` to a valid spec; the schema must refuse the result, and so must dpc's parser.
fn refused<T: serde::de::DeserializeOwned>(
    kind: &str,
    edit: impl FnOnce(&mut Value),
    expect_in_error: &str,
) {
    let (mut spec, validator) = example_spec(kind);
    assert!(
        validator.is_valid(&spec),
        "the unedited {kind}.yaml must pass"
    );
    edit(&mut spec);
    let problems = errors(&validator, &spec);
    assert!(
        problems.iter().any(|p| p.contains(expect_in_error)),
        "{kind}.yaml edit not refused as expected ({expect_in_error}): {problems:#?}"
    );
    let as_yaml = serde_saphyr::to_string(&spec).expect("yaml");
    assert!(
        dpc::spec::parse_yaml::<T>(kind, &as_yaml).is_err(),
        "dpc accepts what the schema refuses"
    );
}

fn first_field(contract: &mut Value) -> &mut serde_json::Map<String, Value> {
    contract["tables"]["customers"]["schema"]["fields"][0]
        .as_object_mut()
        .expect("a field")
}

#[test]
fn a_misspelled_key_fails_validation() {
    refused::<dpc::spec::Contract>(
        "contract",
        |c| {
            first_field(c).insert("nulable".into(), json!(true));
        },
        "nulable",
    );
}

#[test]
fn a_value_outside_a_vocabulary_fails_validation() {
    refused::<dpc::spec::Governance>(
        "governance",
        |g| g["classification"]["sensitivity"] = json!("secret"),
        "secret",
    );
    refused::<dpc::spec::ProductManifest>(
        "product",
        |p| p["product_metadata"]["tier"] = json!("silver"),
        "silver",
    );
    refused::<dpc::spec::Governance>(
        "governance",
        |g| g["compliance"] = json!(["GDPR", "ISO-27001"]),
        "ISO-27001",
    );
}

#[test]
fn custom_spellings_are_checked_by_pattern() {
    refused::<dpc::spec::Contract>(
        "contract",
        |c| {
            first_field(c).insert("type".into(), json!("VARCHARX"));
        },
        "VARCHARX",
    );
    refused::<dpc::spec::Sla>(
        "sla",
        |s| s["availability"]["target"] = json!("99.9"),
        "99.9",
    );
    refused::<dpc::spec::Sla>(
        "sla",
        |s| s["freshness"]["metrics"][0]["target_latency"] = json!("4 fortnights"),
        "4 fortnights",
    );
    refused::<dpc::spec::Contract>(
        "contract",
        |c| {
            first_field(c).remove("type");
        },
        "type",
    );
}

#[test]
fn lower_case_types_and_defaults_are_accepted() {
    let (mut contract, validator) = example_spec("contract");
    let field = first_field(&mut contract);
    field.insert("type".into(), json!("decimal(12, 2)"));
    field.remove("nullable");
    let problems = errors(&validator, &contract);
    assert!(problems.is_empty(), "{problems:#?}");
}

/// The file `dpc init` writes, left as written (every target key empty) and with its flags
/// filled in, passes the schema `dpc schema dpc` prints: an editor shows no error in it.
#[test]
fn the_settings_dpc_init_writes_pass_their_schema() {
    for flags in [
        &[][..],
        &[
            "--prod-host",
            "https://dbc-1.cloud.databricks.com",
            "--prod-catalog",
            "main",
        ],
    ] {
        let s = Scratch::new();
        s.dpc().arg("init").args(flags).assert().success();
        let text =
            std::fs::read_to_string(s.path().join("data-products/dpc.yaml")).expect("written");
        let found = errors(&validator(&printed_schema(&s, "dpc")), &yaml(&text));
        assert!(found.is_empty(), "{flags:?}: {found:?}\n{text}");
    }
}
