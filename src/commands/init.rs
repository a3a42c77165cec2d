//! `dpc init [DIR]`: writes `DIR/dpc.yaml`, the platform settings, with every key documented
//! (given flags filled in, the rest commented out), and its JSON Schema. Refuses to replace
//! an existing file; a malformed flag is refused before anything is written.

use crate::cli::InitArgs;
use crate::error::DpcError;
use crate::lang::escape::yaml_string;
use crate::spec::settings::{self, Identity, Settings, Target, Targets};

pub(crate) fn run(args: &InitArgs) -> Result<(), DpcError> {
    if std::fs::metadata(&args.dir).is_ok_and(|m| !m.is_dir()) {
        return Err(DpcError::InitDirNotAFolder {
            dir: args.dir.clone(),
        });
    }
    let path = args.dir.join(settings::SETTINGS_FILE);
    if std::fs::symlink_metadata(&path).is_ok() {
        return Err(DpcError::SettingsExist { path });
    }
    let settings = from_flags(args);
    let text = text(&settings);
    // What is written must read back as what the flags said, and pass the settings' checks.
    let shown = path.display().to_string();
    let back = Settings::parse(&shown, &text).map_err(|d| DpcError::Settings(vec![*d]))?;
    let problems: Vec<_> = settings::check_values_of(&back, &shown)
        .into_iter()
        .filter(crate::diagnostic::Diagnostic::is_error)
        .collect();
    if !problems.is_empty() {
        return Err(DpcError::Settings(problems));
    }
    let (schema_path, schema) = crate::commands::create::settings_schema_file(&args.dir);
    crate::write::write_file(&path, &text)?;
    crate::write::write_file(&schema_path, &schema)?;
    crate::commands::summary::print_out(&format!(
        "wrote {} (schema: {})\nnext: fill in what is commented out, then `dpc create NAME --output-dir {}`; `dpc validate {}` checks every product against it\n",
        path.display(),
        schema_path.display(),
        args.dir.display(),
        args.dir.display()
    ));
    Ok(())
}

fn from_flags(args: &InitArgs) -> Settings {
    Settings {
        targets: Targets {
            dev: Target {
                host: args.dev_host.clone(),
                catalog: args.dev_catalog.clone(),
                warehouse: args.warehouse.clone(),
                deploy_identity: None,
            },
            prod: Target {
                host: args.prod_host.clone(),
                catalog: args.prod_catalog.clone(),
                warehouse: args.warehouse.clone(),
                deploy_identity: args
                    .deploy_service_principal
                    .clone()
                    .map(Identity::ServicePrincipal),
            },
        },
        quality_identity: args.quality_identity.clone(),
        ..Settings::default()
    }
}

/// `key: value` when set, else the key commented out with an example.
fn line(indent: usize, key: &str, value: Option<&str>, example: &str) -> String {
    let pad = " ".repeat(indent);
    match value {
        Some(v) => format!("{pad}{key}: {}\n", yaml_string(v)),
        None => format!("{pad}# {key}: {example}\n"),
    }
}

fn target_text(name: &str, t: &Target, about: &str) -> String {
    let mut out = format!("  {name}:\n    # {about}\n");
    let example_host = format!("https://{name}-workspace.cloud.databricks.com");
    out += &line(4, "host", t.host.as_deref(), &example_host);
    let example_catalog = if name == "dev" {
        "dev  # default: <product catalog>_dev, never the production catalog"
    } else {
        "main_production  # every product's catalog_location.catalog must be this"
    };
    out += &line(4, "catalog", t.catalog.as_deref(), example_catalog);
    out += &line(
        4,
        "warehouse",
        t.warehouse.as_deref(),
        "Shared SQL warehouse  # display name; without it pass --var warehouse_id=<id>",
    );
    match &t.deploy_identity {
        Some(Identity::ServicePrincipal(n)) => {
            out += &format!(
                "    deploy_identity:\n      service_principal: {}\n",
                yaml_string(n)
            );
        }
        Some(Identity::ApplicationId(id)) => {
            out += &format!(
                "    deploy_identity:\n      application_id: {}\n",
                yaml_string(id)
            );
        }
        Some(Identity::User(u)) => {
            out += &format!("    deploy_identity:\n      user: {}\n", yaml_string(u));
        }
        None => {
            out += "    # deploy_identity:  # whom jobs and alerts run as (run_as); one of:\n";
            out += "    #   service_principal: data-products-deployer  # display name, looked up\n";
            out += "    #   application_id: 00000000-0000-0000-0000-000000000000\n";
            out += "    #   user: someone@example.com\n";
        }
    }
    out
}

/// The settings file: every key present or commented out with what it does.
pub(crate) fn text(s: &Settings) -> String {
    let mut out = format!(
        "# yaml-language-server: $schema={}/{}\n",
        crate::spec::schema::SCHEMA_DIR,
        settings::SCHEMA_FILE
    );
    out += "# dpc.yaml: the platform settings every data product in this folder deploys with.\n";
    out += "# `dpc create` takes its defaults from it; `dpc validate` checks each product against it;\n";
    out += "# `dpc generate` writes them into each product's databricks.yml.\n";
    out += "targets:\n";
    out += &target_text(
        "dev",
        &s.targets.dev,
        "where changes are tried: never the production catalog",
    );
    out += &target_text("prod", &s.targets.prod, "what consumers read");
    out += &line(
        0,
        "quality_identity",
        s.quality_identity.as_deref(),
        "00000000-0000-0000-0000-000000000000  # application ID the quality checks run as; masks admit it",
    );
    out += "# notification_destinations:  # sla.yaml channel -> destination display name\n";
    out += "#   slack: \"Data alerts (Slack)\"\n";
    out += "#   pagerduty: \"Data on-call (PagerDuty)\"\n";
    out += "# governed_tags:  # dpc's table tag -> the organisation's governed tag\n";
    out += "#   sensitivity:\n";
    out += "#     key: data_classification\n";
    out += "#     values: {internal: Internal, confidential: Confidential}\n";
    out += "#     allowed_values: [Public, Internal, Confidential, Restricted]\n";
    out
}
