//! The command line, defined once: every flag with its help text.

use crate::spec::governance::MaskingStrategy;
use crate::spec::schema::SpecFile;
use crate::spec::values::{Sensitivity, SlaLevel, Tier};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "dpc",
    version,
    about = "Create and maintain Databricks data products: spec, contract, SLA, governance, Unity Catalog DDL, quality rules, monitoring, docs and tests",
    propagate_version = true,
    after_help = CLI_EXAMPLES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write the platform settings (`dpc.yaml`) every product in a folder deploys with.
    #[command(after_help = INIT_EXAMPLES)]
    Init(InitArgs),
    /// Create a new data product: the four spec files and everything derived from them.
    #[command(after_help = CREATE_EXAMPLES)]
    Create(CreateArgs),
    /// Re-render every derived file from the spec files, keeping files edited by hand.
    #[command(after_help = GENERATE_EXAMPLES)]
    Generate(GenerateArgs),
    /// Classify contract changes, check the version bump and deprecation notices.
    #[command(after_help = DIFF_EXAMPLES)]
    Diff(DiffArgs),
    /// Check products: spec syntax and meaning, Databricks rules on the SQL, stale files.
    #[command(after_help = VALIDATE_EXAMPLES)]
    Validate(ValidateArgs),
    /// Work with the product's Databricks Asset Bundle (databricks.yml).
    #[command(subcommand, after_help = BUNDLE_EXAMPLES)]
    Bundle(BundleCommand),
    /// Print the JSON Schema (2020-12) of a spec file, for editors and other tools.
    #[command(after_help = SCHEMA_EXAMPLES)]
    Schema(SchemaArgs),
    /// Print a shell completion script.
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions(CompletionsArgs),
    /// Generate rows that keep every rule of the contract, one file per table.
    #[command(after_help = SAMPLE_EXAMPLES)]
    Sample(SampleArgs),
    /// Check data files against the contract: types, nulls, constraints, expectations, keys.
    #[command(after_help = TEST_EXAMPLES)]
    Test(TestArgs),
    /// Show who reads what (principal × table × column → clear, masked or none) and check it
    /// against the sensitivity policy.
    #[command(after_help = ACCESS_EXAMPLES)]
    Access(AccessArgs),
    /// List, add, revoke and audit a product's approved consumers.
    #[command(subcommand, after_help = CONSUMERS_EXAMPLES)]
    Consumers(ConsumersCommand),
    /// Write a product as an open standard document (its contract as ODCS, the product as
    /// ODPS) or its quality rules as Databricks Labs DQX checks.
    #[command(subcommand, after_help = EXPORT_EXAMPLES)]
    Export(ExportCommand),
    /// Create a new data product from an open standard document (an ODCS data contract).
    #[command(subcommand, after_help = IMPORT_EXAMPLES)]
    Import(ImportCommand),
    /// Build a browsable static HTML catalog of every product under a folder.
    #[command(after_help = CATALOG_EXAMPLES)]
    Catalog(CatalogArgs),
}

const CATALOG_EXAMPLES: &str = "\
Examples:
  dpc catalog --out site                          # every product under data-products/
  dpc catalog examples --out /tmp/catalog && xdg-open /tmp/catalog/index.html

Exit codes: 0 every product is in the site; 1 a product's spec is broken (reported, left out;
the others are written) or the site cannot be written; 2 a usage error (no products, or --out
is a folder dpc catalog did not write).";

#[derive(Debug, Clone, Args)]
pub struct CatalogArgs {
    /// Folder that holds the products (each a folder with product.yaml).
    #[arg(value_name = "DIR", default_value = "data-products")]
    pub dir: PathBuf,

    /// Folder to write the site to; replaced whole when it is a previous dpc catalog.
    #[arg(long, value_name = "SITE")]
    pub out: PathBuf,
}

const EXPORT_EXAMPLES: &str = "\
Examples:
  dpc export odcs data-products/customer-360 > customer-360.odcs.yaml
  dpc export odcs data-products/customer-360 --version 3.2 --out customer-360.odcs.yaml
  dpc export odps data-products/customer-360 --out customer-360.odps.yaml
  dpc export dqx data-products/customer-360                 # quality/dqx/<table>.yaml
  dpc export dqx data-products/customer-360 --out /tmp/dqx";

const IMPORT_EXAMPLES: &str = "\
Examples:
  dpc import odcs orders.odcs.yaml --name orders --domain sales
  dpc import odcs customer-360.odcs.yaml --output-dir restored     # a dpc export: the same spec
  dpc import odcs orders.odcs.yaml --name orders --dry-run --format json

What the product cannot hold is listed (text, or `not_carried` in JSON); it does not change the
exit status unless the product would be invalid.";

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// The product's contract as one ODCS (Open Data Contract Standard) document.
    // `--version` names the ODCS version here, as the standard's tools spell it.
    #[command(after_help = EXPORT_EXAMPLES, disable_version_flag = true)]
    Odcs(ExportOdcsArgs),
    /// The product manifest as an ODPS (Open Data Product Standard) v1.0 document.
    #[command(after_help = EXPORT_EXAMPLES)]
    Odps(ExportOdpsArgs),
    /// The quality rules as Databricks Labs DQX checks, one YAML file per table, each check
    /// with its rule id (<product>/<table>/<rule>@<contract version>) in user_metadata.
    #[command(after_help = EXPORT_EXAMPLES)]
    Dqx(ExportDqxArgs),
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A new product from an ODCS data contract (v3.0 to v3.2).
    #[command(after_help = IMPORT_EXAMPLES)]
    Odcs(ImportOdcsArgs),
}

#[derive(Debug, Clone, Args)]
pub struct ExportOdcsArgs {
    /// The product folder (holds product.yaml, contract.yaml, sla.yaml, governance.yaml).
    #[arg(value_name = "PRODUCT_DIR")]
    pub product_dir: PathBuf,

    /// ODCS version to write.
    #[arg(long, value_enum, default_value = "3.1")]
    pub version: crate::interop::odcs::OdcsVersion,

    /// Write the document to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct ExportOdpsArgs {
    /// The product folder (holds product.yaml, contract.yaml, sla.yaml, governance.yaml).
    #[arg(value_name = "PRODUCT_DIR")]
    pub product_dir: PathBuf,

    /// Write the document to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct ExportDqxArgs {
    /// The product folder (holds product.yaml, contract.yaml, sla.yaml, governance.yaml).
    #[arg(value_name = "PRODUCT_DIR")]
    pub product_dir: PathBuf,

    /// Folder to write <table>.yaml into [default: PRODUCT_DIR/quality/dqx].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct ImportOdcsArgs {
    /// The ODCS document (YAML).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Product name, kebab-case [default: the document's name, made kebab-case].
    #[arg(long, value_parser = parse_name)]
    pub name: Option<String>,

    /// Business domain [default: the document's domain, else general].
    #[arg(long, value_parser = parse_domain)]
    pub domain: Option<String>,

    /// Data tier: gold or platinum [default: the document's dpc.tier, else gold].
    #[arg(long, value_parser = clap::builder::ValueParser::new(|s: &str| s.parse::<Tier>()))]
    pub tier: Option<Tier>,

    /// Product owner email [default: the document's team owner, else as for create].
    #[arg(long, value_parser = parse_email)]
    pub owner: Option<String>,

    /// SLA level: critical, high, medium or low [default: the document's dpc.slaLevel, else
    /// medium]; given, it also overrides the document's latency and availability.
    #[arg(long, value_parser = clap::builder::ValueParser::new(|s: &str| s.parse::<SlaLevel>()))]
    pub sla: Option<SlaLevel>,

    /// Data sensitivity [default: the document's dpc.sensitivity, else the most restrictive
    /// column classification, else internal].
    #[arg(long, value_parser = clap::builder::ValueParser::new(|s: &str| s.parse::<Sensitivity>()))]
    pub sensitivity: Option<Sensitivity>,

    /// Human-readable name [default: the document's name when it is not the product name].
    #[arg(long)]
    pub display_name: Option<String>,

    /// What the product is for [default: the document's description.purpose].
    #[arg(long)]
    pub description: Option<String>,

    /// Unity Catalog catalog [default: the document's databricks server, else main_production].
    #[arg(long)]
    pub catalog: Option<String>,

    /// Consumer group granted SELECT (repeatable) [default: the document's read roles].
    #[arg(long = "consumer", value_name = "GROUP")]
    pub consumers: Vec<String>,

    /// How PII columns are masked [default: the document's dpc.maskingStrategy, else
    /// column-mask].
    #[arg(long, value_enum)]
    pub masking: Option<MaskingFlag>,

    /// Folder that holds data products; the product is written to DIR/NAME.
    #[arg(long, value_name = "DIR", default_value = "data-products")]
    pub output_dir: PathBuf,

    /// Never prompt (import never does; accepted so create's flags work here too).
    #[arg(long)]
    pub no_input: bool,

    /// Show the files that would be written, with sizes, and write nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Replace an existing product directory (only once the new tree is complete).
    #[arg(long)]
    pub force: bool,

    /// Summary format; json adds `source`, `restored` and `not_carried`.
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
}

const ACCESS_EXAMPLES: &str = "\
Examples:
  dpc access data-products/customer-360
  dpc access data-products/customer-360 --format json | jq '.tables[0].readers'

Exit codes: 0 the access model meets the policy; 1 a policy check fails; 2 a usage error.";

const CONSUMERS_EXAMPLES: &str = "\
Examples:
  dpc consumers list data-products/customer-360
  dpc consumers add data-products/customer-360 finance-analysts --tables customers --unmask email
  dpc consumers revoke data-products/customer-360 finance-analysts --reason \"project ended\"
  dpc consumers audit data-products/customer-360 --format json";

const CONSUMERS_ADD_EXAMPLES: &str = "\
Examples:
  dpc consumers add data-products/customer-360 finance-analysts
  dpc consumers add data-products/customer-360 churn-model --principal-type service-principal \\
      --tables customers,customer_metrics
  dpc consumers add data-products/real-time-fraud-detection chargeback-team --unmask card_last4 \\
      --approved-by risk-lead@company.com
  dpc consumers add data-products/hr-people auditors --expires 2025-03-31 \\
      --justification \"SOX audit 2025\" --approved-by ciso@company.com

Refused (exit 1, nothing changed) when the sensitivity policy forbids the grant: confidential
and restricted data need --approved-by, restricted data --expires (at most 90 days out) and
--justification; `account users` reads non-public data only through masked views.";

const CONSUMERS_REVOKE_EXAMPLES: &str = "\
Examples:
  dpc consumers revoke data-products/customer-360 data-scientists
  dpc consumers revoke data-products/customer-360 data-scientists --reason \"left the project\"

The REVOKE statements are written to schemas/revocations/<date>_<group>.sql; run them once.";

const CONSUMERS_AUDIT_EXAMPLES: &str = "\
Examples:
  dpc consumers audit data-products/customer-360
  dpc consumers audit data-products/real-time-fraud-detection --format json   # in CI

Exit codes: 0 no expired, unjustified or unapproved grant; 1 some were found; 2 a usage error.";

const SAMPLE_EXAMPLES: &str = "\
Examples:
  dpc sample data-products/customer-360                    # 100 rows per table as CSV in sample_data/
  dpc sample data-products/customer-360 --rows 1000000 --format parquet --out /tmp/c360
  dpc sample data-products/customer-360 --invalid-rate 0.01 --out /tmp/bad   # 1% of rows break one rule each";

const TEST_EXAMPLES: &str = "\
Examples:
  dpc test data-products/customer-360 --data data-products/customer-360/sample_data
  dpc test data-products/customer-360 --data exports/customers.parquet
  dpc test data-products/customer-360 --data /tmp/bad --format json     # in CI
  dpc test data-products/customer-360 --data /tmp/bad --spark local     # same rules on pyspark
  dpc test data-products/customer-360 --spark sc://localhost:15002      # the prod catalog's tables
  dpc test data-products/customer-360 --spark --catalog dev_catalog --python .venv/bin/python

--spark runs the product's quality/run_checks.py with python3 (--python or DPC_PYTHON), which
must import pyspark (`pip install 'pyspark>=4'`; for sc:// `'pyspark[connect]>=4'`): `local` is
pyspark's own local session, sc://host:port a Spark Connect server (set as SPARK_REMOTE). It
reads --data's <table>.csv files, or else the tables in --catalog (default: the product's
catalog). The report has the same shape, scores and exit codes, without failing samples.

Rules are named by id: <product>/<table>/<rule>@<contract version>. The quality score is the
SLA's: the percentage of rows that pass every rule (a row sharing a unique or primary key with
another row, holding an unparsable value or malformed fails), as quality/run_checks.py computes it.

Exit codes: 0 the data meets the contract; 1 a critical rule fails or the quality score is
below the SLA breach threshold; 2 a usage or input error (with --spark also: no Python or
pyspark, no run_checks.py, or the Spark run failed).";

const CLI_EXAMPLES: &str = "\
Examples:
  dpc create customer-360 --domain marketing
  dpc schema contract
  dpc completions bash > ~/.local/share/bash-completion/completions/dpc
  dpc create --help";

const CREATE_EXAMPLES: &str = "\
Examples:
  dpc create customer-360 --domain marketing
  dpc create real-time-fraud-detection --domain finance --tier platinum \\
      --sla critical --sensitivity confidential
  dpc create sales-analytics --domain sales --owner sales-team@company.com --sla high
  dpc create customer-360 --domain marketing --dry-run --format json
  dpc create hr-people --domain hr --sensitivity restricted \\
      --masking masked-view --output-dir products

On a terminal (without --no-input) every answer no flag gives is asked: purpose, consumers,
sources, SLA, retention, compliance, schema (starter, --schema-from file, or tables defined
there), PII and masking. A review shows the files before anything is written, and can save
the answers to a file that `--answers FILE --no-input` replays in CI.";

const GENERATE_EXAMPLES: &str = "\
Examples:
  dpc generate data-products/customer-360
  dpc generate data-products/customer-360 --check      # in CI: exit 1 when anything is stale
  dpc generate data-products/customer-360 --force      # also overwrite files edited by hand";

const DIFF_EXAMPLES: &str = "\
Examples:
  dpc diff old/customer-360 data-products/customer-360
  dpc diff old/contract.yaml new/contract.yaml --format json
  dpc diff data-products/customer-360 --against HEAD        # in CI, against the last commit
  dpc diff data-products/customer-360 --against main --write-changelog";

const VALIDATE_EXAMPLES: &str = "\
Examples:
  dpc validate data-products/customer-360
  dpc validate data-products                           # every product under the folder
  dpc validate data-products --format json --deny-warnings";

const BUNDLE_EXAMPLES: &str = "\
Examples:
  dpc bundle validate data-products/customer-360 --var warehouse_id=1234567890abcdef
  dpc bundle validate data-products/customer-360 -t prod --var warehouse_id=1234567890abcdef \\
      --var slack_destination_id=<id> --var pagerduty_destination_id=<id>

Runs `databricks bundle validate` in the product folder; needs the Databricks CLI (0.287 or
later) on PATH and a configured workspace. Deploy with `databricks bundle deploy` there.
Exit codes: 0 the bundle is valid; 1 the Databricks CLI reports errors; 2 no CLI, no bundle,
or a usage error.";

const INIT_EXAMPLES: &str = "\
Examples:
  dpc init                                        # data-products/dpc.yaml
  dpc init examples --prod-host https://adb-1.2.azuredatabricks.net --prod-catalog main_production

Every key of the file is optional and documented in it (and in DIR/_schemas/dpc.schema.json);
`dpc create` takes its defaults from it and `dpc validate` checks each product against it.
Without the file dev deploys to <catalog>_dev and prod as whoever deploys.

Exit codes: 0 written; 2 the file exists already or a flag is malformed.";

#[derive(Debug, Clone, Args)]
pub struct InitArgs {
    /// Folder that holds (or will hold) the data products.
    #[arg(value_name = "DIR", default_value = "data-products")]
    pub dir: PathBuf,

    /// Workspace URL of the dev target.
    #[arg(long, value_name = "URL")]
    pub dev_host: Option<String>,

    /// Workspace URL of the prod target.
    #[arg(long, value_name = "URL")]
    pub prod_host: Option<String>,

    /// Catalog dev deploys to [default: each product's catalog with `_dev` appended].
    #[arg(long, value_name = "CATALOG")]
    pub dev_catalog: Option<String>,

    /// Catalog prod deploys to; every product's catalog_location.catalog must be it.
    #[arg(long, value_name = "CATALOG")]
    pub prod_catalog: Option<String>,

    /// SQL warehouse (display name) of both targets; the bundle looks its ID up.
    #[arg(long, value_name = "NAME")]
    pub warehouse: Option<String>,

    /// Service principal (display name) that deploys prod and that prod's jobs run as.
    #[arg(long, value_name = "NAME")]
    pub deploy_service_principal: Option<String>,

    /// Application ID of the service principal the quality checks run as.
    #[arg(long, value_name = "UUID")]
    pub quality_identity: Option<String>,
}

const SCHEMA_EXAMPLES: &str = "\
Examples:
  dpc schema contract
  dpc schema product > product.schema.json
  dpc schema governance | jq '.[\"$defs\"] | keys'

`dpc create` writes all four to DIR/_schemas/ and points each spec file at its schema with a
`# yaml-language-server: $schema=...` first line; `dpc schema dpc` is the platform settings'
(dpc.yaml, written there as dpc.schema.json).";

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  dpc completions bash > ~/.local/share/bash-completion/completions/dpc
  dpc completions zsh > \"${fpath[1]}/_dpc\"
  dpc completions fish > ~/.config/fish/completions/dpc.fish
  dpc completions powershell >> $PROFILE";

/// The spec file whose schema `dpc schema` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// product.yaml: the product manifest.
    Product,
    /// contract.yaml: the data contract.
    Contract,
    /// sla.yaml: the service level agreement.
    Sla,
    /// governance.yaml: the governance policies.
    Governance,
    /// dpc.yaml: the platform settings beside the products.
    Dpc,
}

impl SchemaKind {
    /// The spec file it names; None for the settings file.
    pub(crate) fn spec_file(self) -> Option<SpecFile> {
        match self {
            SchemaKind::Product => Some(SpecFile::Product),
            SchemaKind::Contract => Some(SpecFile::Contract),
            SchemaKind::Sla => Some(SpecFile::Sla),
            SchemaKind::Governance => Some(SpecFile::Governance),
            SchemaKind::Dpc => None,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct SchemaArgs {
    /// Which spec file.
    #[arg(value_enum, value_name = "FILE")]
    pub kind: SchemaKind,
}

#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// Shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MaskingFlag {
    /// Unity Catalog column masks on the table (default).
    ColumnMask,
    /// A `<table>_masked` dynamic view; readers are granted the view, not the table.
    MaskedView,
}

impl From<MaskingFlag> for MaskingStrategy {
    fn from(f: MaskingFlag) -> Self {
        match f {
            MaskingFlag::ColumnMask => MaskingStrategy::ColumnMask,
            MaskingFlag::MaskedView => MaskingStrategy::MaskedView,
        }
    }
}

fn parse_name(s: &str) -> Result<String, String> {
    crate::spec::name::check_product_name(s).map(|()| s.to_string())
}

fn parse_email(s: &str) -> Result<String, String> {
    crate::spec::name::check_email(s).map(|()| s.to_string())
}

fn parse_domain(s: &str) -> Result<String, String> {
    crate::input::answers::check_domain(s).map(|()| s.to_string())
}

#[derive(Debug, Clone, Args)]
pub struct CreateArgs {
    /// Product name, kebab-case (e.g. customer-360); its Unity Catalog schema is the
    /// snake_case form (customer_360).
    /// On a terminal it is asked for when missing; it may also come from --answers.
    #[arg(value_name = "NAME", value_parser = parse_name)]
    pub name: Option<String>,

    /// Business domain [default: general]. marketing, sales, finance and operations have
    /// starter schemas of their own; any other domain starts from the general one.
    #[arg(long, value_parser = parse_domain)]
    pub domain: Option<String>,

    /// Data tier [default: gold]: gold (curated) or platinum (certified; needs --sla high or
    /// critical).
    #[arg(long, value_parser = clap::builder::ValueParser::new(|s: &str| s.parse::<Tier>()))]
    pub tier: Option<Tier>,

    /// Product owner email [default: git user.email, else <domain>-data@company.com].
    #[arg(long, value_parser = parse_email)]
    pub owner: Option<String>,

    /// SLA level [default: medium]: critical, high, medium or low.
    #[arg(long, value_parser = clap::builder::ValueParser::new(|s: &str| s.parse::<SlaLevel>()))]
    pub sla: Option<SlaLevel>,

    /// Data sensitivity [default: internal]: public, internal, confidential or restricted.
    #[arg(long, value_parser = clap::builder::ValueParser::new(|s: &str| s.parse::<Sensitivity>()))]
    pub sensitivity: Option<Sensitivity>,

    /// Human-readable name [default: the name in title case, e.g. "Customer 360"].
    #[arg(long)]
    pub display_name: Option<String>,

    /// What the product is for [default: the domain starter's description].
    #[arg(long)]
    pub description: Option<String>,

    /// Unity Catalog catalog that holds the product's schema [default: main_production].
    #[arg(long)]
    pub catalog: Option<String>,

    /// Consumer group granted SELECT (repeatable) [default: the domain starter's consumers].
    #[arg(long = "consumer", value_name = "GROUP")]
    pub consumers: Vec<String>,

    /// How PII columns are masked [default: column-mask].
    #[arg(long, value_enum)]
    pub masking: Option<MaskingFlag>,

    /// Tables from a file instead of the domain starter's: a Databricks CREATE TABLE file
    /// (.sql), a CSV with a header (.csv; types inferred from its rows) or another
    /// product's contract.yaml. PII is inferred from obvious column names.
    #[arg(long, value_name = "FILE")]
    pub schema_from: Option<PathBuf>,

    /// Replay a saved questionnaire (answers.yaml); flags given as well win over it.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,

    /// Folder that holds data products; the product is written to DIR/NAME.
    #[arg(long, value_name = "DIR", default_value = "data-products")]
    pub output_dir: PathBuf,

    /// Never prompt; use flags and defaults (implied when stdin is not a terminal).
    #[arg(long)]
    pub no_input: bool,

    /// Show the files that would be written, with sizes, and write nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Replace an existing product directory (only once the new tree is complete).
    #[arg(long)]
    pub force: bool,

    /// Summary format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
}

#[derive(Debug, Clone, Args)]
pub struct GenerateArgs {
    /// The product directory (holding product.yaml, contract.yaml, sla.yaml, governance.yaml).
    #[arg(value_name = "PRODUCT_DIR")]
    pub product_dir: PathBuf,

    /// Write nothing; exit 1 and list what is out of date.
    #[arg(long)]
    pub check: bool,

    /// Also overwrite (or delete) derived files that were edited by hand.
    #[arg(long)]
    pub force: bool,

    /// Report format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
}

#[derive(Debug, Clone, Args)]
pub struct ValidateArgs {
    /// Product directories, or folders holding products.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,

    /// Report format; json prints an array of {file, line, column, severity, code, message}.
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,

    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
}

/// `dpc bundle` actions.
#[derive(Debug, Clone, Subcommand)]
pub enum BundleCommand {
    /// Run `databricks bundle validate` in the product folder (needs the Databricks CLI).
    #[command(after_help = BUNDLE_EXAMPLES)]
    Validate(BundleValidateArgs),
}

#[derive(Debug, Clone, Args)]
pub struct BundleValidateArgs {
    /// The product folder (holds databricks.yml).
    #[arg(value_name = "PRODUCT_DIR")]
    pub product_dir: PathBuf,

    /// Bundle target to validate, dev or prod [default: the bundle's default, dev].
    #[arg(long, short = 't', value_name = "TARGET")]
    pub target: Option<String>,

    /// A bundle variable as NAME=VALUE, e.g. warehouse_id=1234567890abcdef (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
}

fn parse_rate(s: &str) -> Result<f64, String> {
    let err = || format!("'{s}' is not a share of rows between 0 and 0.5 (e.g. 0.01 for 1%)");
    let v: f64 = s.trim().parse().map_err(|_| err())?;
    if (0.0..=0.5).contains(&v) {
        Ok(v)
    } else {
        Err(err())
    }
}

fn parse_rows(s: &str) -> Result<u64, String> {
    let err = || format!("'{s}' is not a row count between 1 and 2000000000");
    let v: u64 = s.trim().replace('_', "").parse().map_err(|_| err())?;
    if (1..=2_000_000_000).contains(&v) {
        Ok(v)
    } else {
        Err(err())
    }
}

#[derive(Debug, Clone, Args)]
pub struct SampleArgs {
    /// The product folder (holds product.yaml, contract.yaml, sla.yaml, governance.yaml).
    #[arg(value_name = "PRODUCT_DIR")]
    pub product_dir: PathBuf,

    /// Rows per table.
    #[arg(long, value_name = "N", value_parser = parse_rows, default_value = "100")]
    pub rows: u64,

    /// Seed of the random values: the same seed gives the same rows.
    #[arg(long, value_name = "S", default_value = "42")]
    pub seed: u64,

    /// File format of the data; a table's earlier sample in another format is replaced.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: crate::data::Format,

    /// Folder to write `<table>.<format>` files to [default: PRODUCT_DIR/sample_data].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Share of rows (0 to 0.5) to break on purpose, each against one named rule; the
    /// violations are listed in DIR/invalid_rows.json.
    #[arg(long, value_name = "R", value_parser = parse_rate, default_value = "0")]
    pub invalid_rate: f64,
}

#[derive(Debug, Clone, Args)]
pub struct TestArgs {
    /// The product folder (holds product.yaml, contract.yaml, sla.yaml, governance.yaml).
    #[arg(value_name = "PRODUCT_DIR")]
    pub product_dir: PathBuf,

    /// A data file named after its table (customers.csv, .jsonl or .parquet), or a folder
    /// of such files. Required without --spark.
    #[arg(long, value_name = "PATH", required_unless_present = "spark")]
    pub data: Option<PathBuf>,

    /// Report format: text, or json for CI (stable field names).
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,

    /// Run the rules on Apache Spark instead: `local` (pyspark's local session, the default)
    /// or a Spark Connect address sc://host:port.
    #[arg(long, value_name = "ENGINE", num_args = 0..=1, default_missing_value = "local",
          value_parser = parse_engine)]
    pub spark: Option<crate::data::spark::Engine>,

    /// With --spark and no --data: the catalog whose tables to check [default: the product's
    /// catalog, catalog_location.catalog].
    #[arg(
        long,
        value_name = "CATALOG",
        requires = "spark",
        conflicts_with = "data"
    )]
    pub catalog: Option<String>,

    /// With --spark: the Python that runs quality/run_checks.py; it must import pyspark.
    #[arg(
        long,
        value_name = "PATH",
        env = "DPC_PYTHON",
        default_value = "python3"
    )]
    pub python: PathBuf,
}

fn parse_engine(value: &str) -> Result<crate::data::spark::Engine, String> {
    crate::data::spark::Engine::parse(value)
}

#[derive(Debug, Clone, Args)]
pub struct DiffArgs {
    /// The old version: a product directory or a contract.yaml (with --against: the current one).
    #[arg(value_name = "OLD")]
    pub old: PathBuf,

    /// The new version: a product directory or a contract.yaml.
    #[arg(value_name = "NEW")]
    pub new: Option<PathBuf>,

    /// Compare OLD with the same path at this git revision (read through git, no checkout).
    #[arg(long, value_name = "GIT_REV")]
    pub against: Option<String>,

    /// Append a dated entry to docs/changelog.md and write schemas/migrations/<old>_to_<new>.sql
    /// in the new product; only for an accepted change, and one entry per version.
    #[arg(long)]
    pub write_changelog: bool,

    /// Report format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
}

#[derive(Debug, Clone, Args)]
pub struct AccessArgs {
    /// The product folder (holds product.yaml, contract.yaml, sla.yaml, governance.yaml).
    #[arg(value_name = "PRODUCT_DIR")]
    pub product_dir: PathBuf,

    /// Output format: text (a table per data table), or json (stable field names).
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
}

/// `dpc consumers` actions.
#[derive(Debug, Clone, Subcommand)]
pub enum ConsumersCommand {
    /// List the approved consumers: permission, tables, expiry, justification, approval and
    /// the PII each reads in clear.
    #[command(after_help = CONSUMERS_EXAMPLES)]
    List(ConsumersListArgs),
    /// Grant a principal read access, if the sensitivity policy allows it; the spec is edited
    /// in place (comments kept) and the derived files are regenerated.
    #[command(after_help = CONSUMERS_ADD_EXAMPLES)]
    Add(ConsumersAddArgs),
    /// Remove a consumer, its grants and its unmask groups, and write the REVOKE statements.
    #[command(after_help = CONSUMERS_REVOKE_EXAMPLES)]
    Revoke(ConsumersRevokeArgs),
    /// List expired grants, grants without justification or approval, and who reads PII in
    /// clear.
    #[command(after_help = CONSUMERS_AUDIT_EXAMPLES)]
    Audit(ConsumersListArgs),
}

#[derive(Debug, Clone, Args)]
pub struct ConsumersListArgs {
    /// The product folder (holds product.yaml, contract.yaml, sla.yaml, governance.yaml).
    #[arg(value_name = "PRODUCT_DIR")]
    pub product_dir: PathBuf,

    /// Output format: text, or json (stable field names).
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
}

/// Kind of principal a consumer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PrincipalFlag {
    /// An account group (the only kind masks and row filters can let through).
    Group,
    /// A service principal (a job or application).
    ServicePrincipal,
    /// A single user.
    User,
}

impl From<PrincipalFlag> for crate::spec::governance::PrincipalType {
    fn from(f: PrincipalFlag) -> Self {
        use crate::spec::governance::PrincipalType;
        match f {
            PrincipalFlag::Group => PrincipalType::Group,
            PrincipalFlag::ServicePrincipal => PrincipalType::ServicePrincipal,
            PrincipalFlag::User => PrincipalType::User,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct ConsumersAddArgs {
    /// The product folder (holds product.yaml, contract.yaml, sla.yaml, governance.yaml).
    #[arg(value_name = "PRODUCT_DIR")]
    pub product_dir: PathBuf,

    /// The principal to grant, e.g. an account group name.
    #[arg(value_name = "GROUP")]
    pub principal: String,

    /// Kind of principal.
    #[arg(long, value_enum, default_value = "group")]
    pub principal_type: PrincipalFlag,

    /// A service principal's application ID (a UUID): GRANT names service principals by it;
    /// PRINCIPAL is then its display name, a label.
    #[arg(long, value_name = "UUID")]
    pub application_id: Option<String>,

    /// Privilege granted on the tables (one of the policy's consumer permissions).
    #[arg(long, default_value = crate::spec::policy::CONSUMER_PERMISSIONS[0].0, value_parser = clap::builder::PossibleValuesParser::new(crate::spec::policy::CONSUMER_PERMISSIONS.map(|(p, _)| p)), ignore_case = true)]
    pub permission: String,

    /// Tables granted (comma-separated or repeated) [default: every table of the product].
    #[arg(long, value_name = "TABLE", value_delimiter = ',', num_args = 1..)]
    pub tables: Vec<String>,

    /// PII column the principal may read in clear: COLUMN (in every granted table) or
    /// TABLE.COLUMN; the group joins the column's unmask groups. Repeatable.
    #[arg(long, value_name = "COLUMN", value_delimiter = ',', num_args = 1..)]
    pub unmask: Vec<String>,

    /// Last day of the grant, YYYY-MM-DD (required for restricted data, at most 90 days out).
    #[arg(long, value_name = "DATE")]
    pub expires: Option<String>,

    /// Why the principal needs the data (required for restricted data).
    #[arg(long, value_name = "TEXT")]
    pub justification: Option<String>,

    /// Email of whoever approved the grant (required for confidential and restricted data);
    /// recorded with today's date.
    #[arg(long, value_name = "EMAIL")]
    pub approved_by: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct ConsumersRevokeArgs {
    /// The product folder (holds product.yaml, contract.yaml, sla.yaml, governance.yaml).
    #[arg(value_name = "PRODUCT_DIR")]
    pub product_dir: PathBuf,

    /// The consumer to remove.
    #[arg(value_name = "GROUP")]
    pub principal: String,

    /// Why access ends; recorded in the revocation file.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}
