//! The product brief's YAML examples (tests/fixtures/brief, copied from the brief verbatim)
//! parse into the typed spec: the types cover every section and field the brief shows.

use dpc::spec::{Contract, ProductManifest, Sla, parse_yaml};

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/brief")
        .join(name);
    std::fs::read_to_string(path).expect("fixture")
}

#[test]
fn brief_product_yaml_parses() {
    let p: ProductManifest = parse_yaml("product.yaml", &fixture("product.yaml")).expect("parses");
    assert_eq!(p.product_metadata.name, "customer-360");
    assert_eq!(p.catalog_location.tables.len(), 3);
    assert_eq!(
        p.access_control.approved_consumers[2]
            .service_principal
            .as_deref(),
        Some("reporting-service")
    );
    assert_eq!(p.quality_metrics.completeness.target.0, 100.0);
    assert_eq!(p.tags["data_mesh_domain"], "marketing");
}

#[test]
fn brief_contract_yaml_parses() {
    let c: Contract = parse_yaml("contract.yaml", &fixture("contract.yaml")).expect("parses");
    let customers = &c.tables["customers"];
    assert_eq!(customers.schema.fields.len(), 14);
    assert_eq!(
        customers
            .field("total_orders")
            .map(|f| f.data_type.to_string())
            .as_deref(),
        Some("INT")
    );
    assert_eq!(customers.partitioned_by, ["country", "account_status"]);
    assert_eq!(customers.quality_expectations.len(), 5);
    assert_eq!(c.versioning.deprecation_policy.notice_period_days, 90);
}

#[test]
fn brief_sla_yaml_parses() {
    let s: Sla = parse_yaml("sla.yaml", &fixture("sla.yaml")).expect("parses");
    assert_eq!(
        s.freshness.metrics[1].breach_threshold.to_string(),
        "8 hours"
    );
    assert_eq!(s.support.levels.len(), 4);
    assert_eq!(
        s.monitoring.alerts[2].notification_channels,
        ["email", "slack", "pagerduty"]
    );
}

#[test]
fn the_starter_reproduces_the_brief_customers_fields() {
    // Field for field, except the partitioning the platform rules forbid with clustering.
    let brief: Contract = parse_yaml("contract.yaml", &fixture("contract.yaml")).expect("parses");
    let starter = dpc::input::starter::for_domain("marketing").expect("starter");
    let ours = &starter.tables[0].contract;
    let theirs = &brief.tables["customers"];
    assert_eq!(ours.schema.fields, theirs.schema.fields);
    assert_eq!(ours.primary_key, theirs.primary_key);
    assert_eq!(ours.clustered_by, theirs.clustered_by);
    assert_eq!(ours.quality_expectations, theirs.quality_expectations);
    assert!(ours.partitioned_by.is_empty());
}
