//! Each Databricks platform rule fires when the generated output breaks it. The output is
//! rendered in memory, one file is changed the way a broken template would change it, and
//! the checks must name the rule.

use clap::Parser;
use dpc::check;
use dpc::cli::{Cli, Command};
use dpc::diagnostic::Diagnostic;
use dpc::lang::date::Date;
use dpc::render::{RenderedFile, Renderer};
use dpc::spec::ProductSpec;

fn product(flags: &[&str]) -> (ProductSpec, Vec<RenderedFile>) {
    let mut argv = vec![
        "dpc",
        "create",
        "customer-360",
        "--owner",
        "owner@example.com",
        "--no-input",
    ];
    argv.extend_from_slice(flags);
    let Command::Create(args) = Cli::try_parse_from(argv).expect("flags").command else {
        unreachable!("argv starts with `create`");
    };
    let (answers, _) = dpc::commands::create::answers_from_flags(&args);
    let today = Date::parse("2024-12-31").expect("date");
    let (spec, _) = dpc::input::answers::build_spec(&answers, today).expect("spec");
    let files = Renderer::new()
        .expect("renderer")
        .render(&spec)
        .expect("render");
    (spec, files)
}

fn marketing() -> (ProductSpec, Vec<RenderedFile>) {
    product(&["--domain", "marketing"])
}

fn masked_view() -> (ProductSpec, Vec<RenderedFile>) {
    product(&["--domain", "marketing", "--masking", "masked-view"])
}

fn edit(files: &mut [RenderedFile], path: &str, from: &str, to: &str) {
    let file = files
        .iter_mut()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no {path}"));
    assert!(file.text.contains(from), "{path} does not contain {from:?}");
    file.text = file.text.replacen(from, to, 1);
}

fn codes(spec: &ProductSpec, files: &[RenderedFile]) -> Vec<Diagnostic> {
    check::tree(spec, files)
}

fn assert_fires(code: &str, spec: &ProductSpec, files: &[RenderedFile]) {
    let found = codes(spec, files);
    assert!(
        found.iter().any(|d| d.code == code),
        "{code} did not fire; got {found:#?}"
    );
}

const CUSTOMERS: &str = "schemas/customers_v1.sql";

#[test]
fn generated_products_pass_every_check() {
    let variants: [&[&str]; 6] = [
        &["--domain", "marketing"],
        &["--domain", "marketing", "--masking", "masked-view"],
        &[
            "--domain",
            "finance",
            "--tier",
            "platinum",
            "--sla",
            "critical",
            "--sensitivity",
            "confidential",
        ],
        &["--domain", "finance", "--sensitivity", "restricted"],
        &["--domain", "general", "--sensitivity", "public"],
        &[
            "--domain",
            "operations",
            "--sla",
            "low",
            "--consumer",
            "ops team",
            "--catalog",
            "dev-catalog",
        ],
    ];
    for flags in variants {
        let (spec, files) = product(flags);
        // Row filters admit account groups only, so the finance starter's service principal
        // reads no rows of a restricted product: create says so (DPC139) rather than hide it.
        let expected: Vec<&str> = if flags.contains(&"restricted") {
            vec!["DPC139"]
        } else {
            vec![]
        };
        // The starters' service principals have no application ID yet (DPC140, a warning
        // tests/preflight.rs covers).
        let found: Vec<&str> = codes(&spec, &files)
            .iter()
            .map(|d| d.code.as_str())
            .filter(|c| *c != "DPC140")
            .collect();
        assert_eq!(found, expected, "{flags:?}");
    }
}

#[test]
fn dpc001_spec_files_read_back_into_the_spec() {
    let (spec, mut files) = marketing();
    edit(
        &mut files,
        "product.yaml",
        "display_name: Customer 360",
        "display_name: Customer 361",
    );
    assert_fires("DPC001", &spec, &files);
}

#[test]
fn dpc002_derived_yaml_parses() {
    let (spec, mut files) = marketing();
    edit(
        &mut files,
        "quality/expectations.yaml",
        "tables:",
        "tables: [",
    );
    assert_fires("DPC002", &spec, &files);
}

#[test]
fn dpc010_no_partitioning_with_liquid_clustering() {
    let (spec, mut files) = marketing();
    edit(
        &mut files,
        CUSTOMERS,
        "CLUSTER BY (customer_id)",
        "PARTITIONED BY (country, account_status)\nCLUSTER BY (customer_id)",
    );
    assert_fires("DPC010", &spec, &files);
}

#[test]
fn dpc011_defaults_need_the_table_feature() {
    let (spec, mut files) = marketing();
    edit(
        &mut files,
        CUSTOMERS,
        "  'delta.feature.allowColumnDefaults' = 'supported',\n",
        "",
    );
    assert_fires("DPC011", &spec, &files);
}

#[test]
fn dpc012_no_hard_coded_protocol_versions() {
    let (spec, mut files) = marketing();
    edit(
        &mut files,
        CUSTOMERS,
        "TBLPROPERTIES (\n",
        "TBLPROPERTIES (\n  'delta.minReaderVersion' = '2',\n  'delta.minWriterVersion' = '5',\n",
    );
    assert_fires("DPC012", &spec, &files);
}

#[test]
fn dpc013_masks_check_account_groups() {
    let (spec, mut files) = marketing();
    edit(
        &mut files,
        CUSTOMERS,
        "is_account_group_member(",
        "is_member(",
    );
    assert_fires("DPC013", &spec, &files);
}

#[test]
fn dpc014_masked_view_nulls_are_typed() {
    let (spec, mut files) = masked_view();
    let file = files.iter_mut().find(|f| f.path == CUSTOMERS).expect("ddl");
    let start = file.text.find("  CASE WHEN").expect("view item");
    let dob = file.text[start..].find("AS date_of_birth").expect("dob") + start;
    let line_start = file.text[..dob].rfind("\n  ").expect("line") + 1;
    file.text.replace_range(
        line_start..dob + "AS date_of_birth".len(),
        "  NULL AS date_of_birth",
    );
    assert_fires("DPC014", &spec, &files);
}

#[test]
fn dpc015_pii_is_tagged_per_column() {
    let (spec, mut files) = marketing();
    edit(
        &mut files,
        CUSTOMERS,
        "ALTER TABLE customer_360.customers ALTER COLUMN email SET TAGS ('pii' = 'email');\n",
        "",
    );
    assert_fires("DPC015", &spec, &files);

    let (spec, mut files) = marketing();
    edit(
        &mut files,
        CUSTOMERS,
        "  'contains_pii' = 'true'\n",
        "  'contains_pii' = 'true',\n  'PII' = 'email,phone_number,date_of_birth'\n",
    );
    assert_fires("DPC015", &spec, &files);
}

#[test]
fn dpc016_readers_get_use_catalog_and_use_schema() {
    let (spec, mut files) = marketing();
    edit(
        &mut files,
        CUSTOMERS,
        "GRANT USE SCHEMA ON SCHEMA customer_360 TO `marketing-analysts`;\n",
        "",
    );
    assert_fires("DPC016", &spec, &files);
}

#[test]
fn dpc017_the_account_group_is_account_users() {
    let (spec, mut files) = product(&["--domain", "general", "--sensitivity", "public"]);
    let file = files
        .iter_mut()
        .find(|f| f.path == "schemas/entities_v1.sql")
        .expect("ddl");
    assert!(file.text.contains("`account users`"));
    file.text = file.text.replace("`account users`", "`all-users`");
    assert_fires("DPC017", &spec, &files);
}

#[test]
fn dpc018_owner_is_set_with_set_owner() {
    let (spec, mut files) = marketing();
    edit(
        &mut files,
        CUSTOMERS,
        "ALTER TABLE customer_360.customers SET OWNER TO `marketing-data-owners`;\n",
        "",
    );
    assert_fires("DPC018", &spec, &files);

    let (spec, mut files) = marketing();
    edit(
        &mut files,
        CUSTOMERS,
        "TBLPROPERTIES (\n",
        "TBLPROPERTIES (\n  'owner' = 'marketing-data@company.com',\n",
    );
    assert_fires("DPC018", &spec, &files);
}

#[test]
fn dpc019_primary_keys_rely_only_when_guaranteed() {
    let (spec, mut files) = marketing();
    edit(
        &mut files,
        CUSTOMERS,
        "PRIMARY KEY (customer_id) NORELY",
        "PRIMARY KEY (customer_id) RELY",
    );
    assert_fires("DPC019", &spec, &files);
}

#[test]
fn dpc020_never_masks_and_a_masked_view() {
    let (spec, mut files) = masked_view();
    let file = files.iter_mut().find(|f| f.path == CUSTOMERS).expect("ddl");
    file.text.push_str("ALTER TABLE customer_360.customers ALTER COLUMN email SET MASK customer_360.mask_customers_email;\n");
    assert_fires("DPC020", &spec, &files);
}

#[test]
fn dpc021_every_pii_column_is_masked() {
    let (spec, mut files) = marketing();
    edit(
        &mut files,
        CUSTOMERS,
        "ALTER TABLE customer_360.customers ALTER COLUMN phone_number SET MASK customer_360.mask_customers_phone_number;\n",
        "",
    );
    assert_fires("DPC021", &spec, &files);
}

#[test]
fn dpc022_regex_backslashes_are_doubled_in_literals() {
    // The masked view keeps the base table unmasked, so its CHECK constraints exist.
    let (spec, mut files) = masked_view();
    edit(
        &mut files,
        "schemas/checks/customers_v1.sql",
        r"[a-zA-Z0-9.-]+\\.[a-zA-Z]",
        r"[a-zA-Z0-9.-]+\.[a-zA-Z]",
    );
    assert_fires("DPC022", &spec, &files);
}

#[test]
fn dpc023_constraints_are_enforced_as_checks() {
    let (spec, mut files) = masked_view();
    edit(
        &mut files,
        "schemas/checks/customers_v1.sql",
        "ALTER TABLE customer_360.customers ADD CONSTRAINT country_allowed_values CHECK (country IN ('US', 'CA', 'UK', 'DE', 'FR', 'AU', 'JP'));\n",
        "",
    );
    assert_fires("DPC023", &spec, &files);
}

#[test]
fn dpc024_masked_view_readers_do_not_get_the_table() {
    let (spec, mut files) = masked_view();
    let file = files.iter_mut().find(|f| f.path == CUSTOMERS).expect("ddl");
    file.text
        .push_str("GRANT SELECT ON TABLE customer_360.customers TO `marketing-analysts`;\n");
    assert_fires("DPC024", &spec, &files);
}

#[test]
fn dpc030_lakeflow_expectations_use_the_pipelines_module() {
    let (spec, mut files) = marketing();
    edit(
        &mut files,
        "quality/validation_rules.py",
        "from pyspark import pipelines as dp",
        "import dlt as dp",
    );
    assert_fires("DPC030", &spec, &files);
}

#[test]
fn contract_with_partitioning_and_clustering_is_refused() {
    let (mut spec, _) = marketing();
    let customers = spec
        .contract
        .tables
        .get_mut("customers")
        .expect("customers");
    customers.partitioned_by = vec!["country".into()];
    assert!(check::spec(&spec).iter().any(|d| d.code == "DPC111"));
}
