//! The platform settings (`data-products/dpc.yaml`): `dpc init` writes them, `create` takes
//! its defaults from them, `validate` checks every product against them, and a broken file
//! is one clear message with nothing written.

use crate::common::{Scratch, edit, output};

const HOST: &str = "https://dbc-prod-example.cloud.databricks.com";
const QUALITY_ID: &str = "6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f";

fn settings(s: &Scratch, text: &str) {
    std::fs::create_dir_all(s.path().join("data-products")).expect("mkdir");
    std::fs::write(s.path().join("data-products/dpc.yaml"), text).expect("write");
}

#[test]
fn init_writes_settings_that_read_back_and_refuses_to_overwrite() {
    let s = Scratch::new();
    s.dpc()
        .args([
            "init",
            "--prod-host",
            HOST,
            "--prod-catalog",
            "main_production",
        ])
        .args([
            "--warehouse",
            "Shared WH",
            "--deploy-service-principal",
            "deployer",
        ])
        .args(["--quality-identity", QUALITY_ID])
        .assert()
        .success();
    let text = std::fs::read_to_string(s.path().join("data-products/dpc.yaml")).expect("written");
    let back = dpc::spec::settings::Settings::parse("dpc.yaml", &text).expect("reads back");
    assert_eq!(back.targets.prod.host.as_deref(), Some(HOST));
    assert_eq!(
        back.targets.prod.catalog.as_deref(),
        Some("main_production")
    );
    assert_eq!(back.targets.dev.warehouse.as_deref(), Some("Shared WH"));
    assert_eq!(back.quality_identity.as_deref(), Some(QUALITY_ID));
    assert!(
        s.path()
            .join("data-products/_schemas/dpc.schema.json")
            .is_file()
    );
    let again = s.dpc().arg("init").assert().code(2);
    assert!(
        output(&again).contains("already exists"),
        "{}",
        output(&again)
    );
    assert_eq!(
        std::fs::read_to_string(s.path().join("data-products/dpc.yaml")).expect("kept"),
        text
    );
}

#[test]
fn init_refuses_a_malformed_host_and_writes_nothing() {
    let s = Scratch::new();
    let out = s
        .dpc()
        .args(["init", "--prod-host", "http://insecure.example.com"])
        .assert()
        .code(2);
    let text = output(&out);
    assert!(
        text.contains("DPC162") && text.contains("targets.prod.host"),
        "{text}"
    );
    assert!(!s.path().join("data-products/dpc.yaml").exists());
}

#[test]
fn an_init_file_left_as_written_reads_with_every_target_empty() {
    let s = Scratch::new();
    s.dpc().arg("init").assert().success();
    s.create("customer-360", &["--domain", "marketing"])
        .assert()
        .success();
    // A settings file without host or identity is complete enough to use, but says so.
    let out = s
        .dpc()
        .args(["validate", "data-products/customer-360"])
        .assert()
        .success();
    assert!(output(&out).contains("DPC165"), "{}", output(&out));
}

#[test]
fn validate_rejects_settings_that_put_dev_and_prod_in_one_catalog() {
    let s = Scratch::new();
    s.create("customer-360", &["--domain", "marketing"])
        .assert()
        .success();
    settings(
        &s,
        "targets:\n  dev:\n    catalog: main_production\n  prod:\n    catalog: main_production\n",
    );
    let out = s
        .dpc()
        .args(["validate", "data-products/customer-360"])
        .assert()
        .code(1);
    let text = output(&out);
    assert!(text.contains("error[DPC160]"), "{text}");
    assert!(
        text.contains("dev and prod both deploy customer-360 to catalog \"main_production\""),
        "{text}"
    );
    assert!(text.contains("dpc.yaml:3:"), "points at the line: {text}");
    assert!(text.contains("targets.dev.catalog"), "{text}");
}

#[test]
fn validate_rejects_a_product_outside_the_settings_prod_catalog() {
    let s = Scratch::new();
    s.create("customer-360", &["--domain", "marketing"])
        .assert()
        .success();
    settings(&s, "targets:\n  prod:\n    catalog: analytics\n");
    let out = s
        .dpc()
        .args(["validate", "data-products/customer-360"])
        .assert()
        .code(1);
    let text = output(&out);
    assert!(text.contains("error[DPC161]"), "{text}");
    assert!(text.contains("product.yaml"), "{text}");
}

#[test]
fn a_broken_settings_file_is_named_with_its_line_and_nothing_is_written() {
    let s = Scratch::new();
    settings(&s, "targets:\n  prod:\n    hots: https://x.example.com\n");
    let out = s
        .create("customer-360", &["--domain", "marketing"])
        .assert()
        .code(2);
    let text = output(&out);
    assert!(text.contains("dpc.yaml:3"), "{text}");
    assert!(text.contains("hots"), "{text}");
    assert!(!s.product("customer-360").exists());
}

#[test]
fn create_takes_the_catalog_and_quality_identity_from_the_settings() {
    let s = Scratch::new();
    settings(
        &s,
        &format!("targets:\n  prod:\n    catalog: analytics\nquality_identity: {QUALITY_ID}\n"),
    );
    s.create("customer-360", &["--domain", "marketing"])
        .assert()
        .success();
    let product = std::fs::read_to_string(s.product("customer-360").join("product.yaml"))
        .expect("product.yaml");
    assert!(product.contains("catalog: analytics"), "{product}");
    let governance = std::fs::read_to_string(s.product("customer-360").join("governance.yaml"))
        .expect("governance.yaml");
    assert!(
        governance.contains(&format!("quality_identity: {QUALITY_ID}")),
        "{governance}"
    );
    s.dpc()
        .args(["validate", "data-products/customer-360"])
        .assert()
        .success();
    // Renaming the quality identity in one place only is caught.
    edit(
        &s.path().join("data-products/dpc.yaml"),
        QUALITY_ID,
        "7f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f",
    );
    let out = s
        .dpc()
        .args(["validate", "data-products/customer-360"])
        .assert()
        .code(1);
    assert!(output(&out).contains("DPC163"), "{}", output(&out));
}

#[test]
fn without_settings_dev_never_shares_the_production_catalog() {
    let s = Scratch::new();
    let out = s
        .create("customer-360", &["--domain", "marketing"])
        .assert()
        .success();
    assert!(
        output(&out)
            .contains("no dpc.yaml beside the products: dev deploys to main_production_dev"),
        "{}",
        output(&out)
    );
}

#[test]
fn a_governed_tag_refuses_a_value_the_organisation_does_not_allow() {
    let s = Scratch::new();
    s.create("customer-360", &["--domain", "marketing"])
        .assert()
        .success();
    settings(
        &s,
        "governed_tags:\n  sensitivity:\n    key: data_classification\n    allowed_values: [Public, Internal]\n",
    );
    let out = s
        .dpc()
        .args(["validate", "data-products/customer-360"])
        .assert()
        .code(1);
    let text = output(&out);
    assert!(text.contains("error[DPC164]"), "{text}");
    assert!(text.contains("data_classification"), "{text}");
    // Mapping dpc's value onto the organisation's makes it pass.
    settings(
        &s,
        "governed_tags:\n  sensitivity:\n    key: data_classification\n    values: {internal: Internal}\n    allowed_values: [Public, Internal]\n",
    );
    let out = s
        .dpc()
        .args(["validate", "data-products/customer-360"])
        .assert();
    assert!(!output(&out).contains("DPC164"), "{}", output(&out));
}

#[test]
fn governed_tags_are_what_the_ddl_sets() {
    let s = Scratch::new();
    settings(
        &s,
        "governed_tags:\n  sensitivity:\n    key: data_classification\n    values: {internal: Internal}\n    allowed_values: [Public, Internal]\n",
    );
    s.create("customer-360", &["--domain", "marketing"])
        .assert()
        .success();
    let ddl = std::fs::read_to_string(s.product("customer-360").join("schemas/customers_v1.sql"))
        .expect("ddl");
    assert!(ddl.contains("'data_classification' = 'Internal'"), "{ddl}");
    assert!(!ddl.contains("'sensitivity' ="), "{ddl}");
    s.dpc()
        .args(["validate", "data-products/customer-360"])
        .assert()
        .success();
}

/// Two products beside one settings file with a mistake in it: validate names the file as
/// the folder's `dpc.yaml` (not `<product>/../dpc.yaml`) and reports the mistake once.
#[test]
fn a_settings_mistake_is_reported_once_under_the_folders_name() {
    let s = Scratch::new();
    for name in ["orders", "people"] {
        s.create(name, &["--domain", "sales"]).assert().success();
    }
    settings(&s, "targets:\n  prod:\n    hots: https://x.example.com\n");
    let out = s
        .dpc()
        .args(["validate", "data-products", "--format", "json"])
        .assert()
        .code(1);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let found: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    let files: Vec<&str> = found
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|d| d["file"].as_str())
        .collect();
    let settings_file = std::path::Path::new("data-products")
        .join("dpc.yaml")
        .display()
        .to_string();
    assert_eq!(files, [settings_file.as_str()], "{stdout}");
    let text = output(&s.dpc().args(["validate", "data-products"]).assert().code(1));
    assert!(!text.contains(".."), "{text}");
    assert!(text.contains("data-products/dpc.yaml:3"), "{text}");
}

/// As a spec file, a dpc.yaml that links out of its folder is not read, nor shown.
#[cfg(unix)]
#[test]
fn a_settings_file_linking_out_of_its_folder_is_not_read() {
    let s = Scratch::new();
    s.create("orders", &["--domain", "sales"])
        .assert()
        .success();
    let secret = s.path().join("secret.yaml");
    std::fs::write(&secret, "password: hunter2\n").expect("write");
    std::os::unix::fs::symlink(&secret, s.path().join("data-products/dpc.yaml")).expect("ln");
    let text = output(&s.dpc().args(["validate", "data-products"]).assert().code(1));
    assert!(text.contains("outside the folder"), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
}

/// A broken dpc.yaml leaves every product out of a catalog: the previous site stays.
#[test]
fn a_catalog_of_no_product_keeps_the_previous_site() {
    let s = Scratch::new();
    s.create("orders", &["--domain", "sales"])
        .assert()
        .success();
    s.dpc()
        .args(["catalog", "--out", "site"])
        .assert()
        .success();
    let page = s.path().join("site/products/orders/index.html");
    let before = std::fs::read_to_string(&page).expect("page");
    settings(&s, "targets: [\n");
    let out = s.dpc().args(["catalog", "--out", "site"]).assert().code(1);
    assert!(
        output(&out).contains("nothing was written"),
        "{}",
        output(&out)
    );
    assert_eq!(std::fs::read_to_string(&page).expect("kept"), before);
}

/// A malformed value in dpc.yaml is the file's mistake, not a flag's: create names the file
/// and the key, and writes nothing.
#[test]
fn create_blames_the_settings_file_not_a_flag_for_its_values() {
    let s = Scratch::new();
    settings(&s, "targets:\n  prod:\n    catalog: \"bad catalog\"\n");
    let out = s.create("orders", &["--domain", "sales"]).assert().code(2);
    let text = output(&out);
    assert!(text.contains("dpc.yaml:3"), "{text}");
    assert!(text.contains("targets.prod.catalog"), "{text}");
    assert!(!text.contains("--catalog"), "{text}");
    assert!(!s.product("orders").exists());
}

/// `import odcs` puts the product in the folder's prod catalog, as create does, so the new
/// product validates beside the settings.
#[test]
fn import_takes_the_catalog_from_the_settings() {
    let s = Scratch::new();
    settings(&s, "targets:\n  prod:\n    catalog: other_prod\n");
    let doc = s.path().join("orders.odcs.yaml");
    std::fs::write(
        &doc,
        "apiVersion: v3.1.0\nkind: DataContract\nid: orders\nversion: 1.0.0\nstatus: active\n\
         schema:\n  - name: orders\n    properties:\n      - name: id\n        logicalType: integer\n",
    )
    .expect("write");
    s.dpc()
        .args(["import", "odcs", "orders.odcs.yaml", "--domain", "sales"])
        .assert()
        .success();
    let product = std::fs::read_to_string(s.product("orders").join("product.yaml")).expect("read");
    assert!(product.contains("catalog: other_prod"), "{product}");
    s.dpc()
        .args(["validate", "data-products/orders"])
        .assert()
        .success();
}

/// A mistake in dpc.yaml says what the key allows, as one in a spec file does.
#[test]
fn a_settings_mistake_says_what_is_allowed() {
    let s = Scratch::new();
    settings(&s, "targets:\n  prod:\n    catalog: [a, b]\n");
    let text = output(&s.create("orders", &["--domain", "sales"]).assert().code(2));
    assert!(
        text.contains("help: allowed at targets.prod.catalog: text"),
        "{text}"
    );
}

/// `dpc init FILE` is a usage error naming the path, and nothing is written.
#[test]
fn init_into_a_file_is_refused() {
    let s = Scratch::new();
    std::fs::write(s.path().join("afile"), "x").expect("write");
    let text = output(&s.dpc().args(["init", "afile"]).assert().code(2));
    assert!(text.contains("afile: not a folder"), "{text}");
    assert_eq!(
        std::fs::read_to_string(s.path().join("afile")).expect("kept"),
        "x"
    );
}

/// Every mapping of dpc.yaml may be left empty (its entries commented out), not only targets.
#[test]
fn empty_mappings_read_as_none() {
    let s = Scratch::new();
    s.create("orders", &["--domain", "sales"])
        .assert()
        .success();
    settings(
        &s,
        "targets:\n  dev:\n  prod:\nnotification_destinations:\ngoverned_tags:\n",
    );
    s.dpc()
        .args(["validate", "data-products/orders"])
        .assert()
        .success();
}
