//! The command line, defined once: every flag with its help text.

use crate::spec::governance::MaskingStrategy;
use crate::spec::values::{Sensitivity, SlaLevel, Tier};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "dpc",
    version,
    about = "Create and maintain Databricks data products: spec, contract, SLA, governance, Unity Catalog DDL, quality rules, monitoring, docs and tests",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new data product: the four spec files and everything derived from them.
    Create(CreateArgs),
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
    crate::answers::check_domain(s).map(|()| s.to_string())
}

#[derive(Debug, Clone, Args)]
pub struct CreateArgs {
    /// Product name, kebab-case (e.g. customer-360); its Unity Catalog schema is the
    /// snake_case form (customer_360).
    #[arg(value_name = "NAME", value_parser = parse_name)]
    pub name: String,

    /// Business domain. marketing, sales, finance and operations have starter schemas of
    /// their own; any other domain starts from the general one.
    #[arg(long, value_parser = parse_domain, default_value = "general")]
    pub domain: String,

    /// Data tier: gold (curated) or platinum (certified; needs --sla high or critical).
    #[arg(long, value_parser = clap::builder::ValueParser::new(|s: &str| s.parse::<Tier>()), default_value = "gold")]
    pub tier: Tier,

    /// Product owner email [default: git user.email, else <domain>-data@company.com].
    #[arg(long, value_parser = parse_email)]
    pub owner: Option<String>,

    /// SLA level: critical, high, medium or low.
    #[arg(long, value_parser = clap::builder::ValueParser::new(|s: &str| s.parse::<SlaLevel>()), default_value = "medium")]
    pub sla: SlaLevel,

    /// Data sensitivity: public, internal, confidential or restricted.
    #[arg(long, value_parser = clap::builder::ValueParser::new(|s: &str| s.parse::<Sensitivity>()), default_value = "internal")]
    pub sensitivity: Sensitivity,

    /// Human-readable name [default: the name in title case, e.g. "Customer 360"].
    #[arg(long)]
    pub display_name: Option<String>,

    /// What the product is for [default: the domain starter's description].
    #[arg(long)]
    pub description: Option<String>,

    /// Unity Catalog catalog that holds the product's schema.
    #[arg(long, default_value = "main_production")]
    pub catalog: String,

    /// Consumer group granted SELECT (repeatable) [default: the domain starter's consumers].
    #[arg(long = "consumer", value_name = "GROUP")]
    pub consumers: Vec<String>,

    /// How PII columns are masked.
    #[arg(long, value_enum, default_value = "column-mask")]
    pub masking: MaskingFlag,

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
