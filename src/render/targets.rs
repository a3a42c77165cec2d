//! The bundle's targets from the platform settings (`dpc.yaml`): each with its workspace host,
//! catalog, root path, identity and looked-up IDs, and the `databricks bundle` commands that
//! work for it verbatim (every variable without a value passed). Dev is a shared environment
//! of the product, not development mode: that mode renames the schema to
//! `dev_<user>_<schema>`, which the job's SQL, naming the schema, would not find.

use crate::spec::ProductSpec;
use crate::spec::settings::{Identity, TargetName};
use serde::Serialize;

/// The variable that carries the SQL warehouse's ID.
pub(crate) const WAREHOUSE_VARIABLE: &str = "warehouse_id";
/// The variable that carries the application ID of a deploy identity named by display name.
pub(crate) const RUN_AS_VARIABLE: &str = "run_as_service_principal";

#[derive(Debug, Clone, Serialize)]
pub(crate) struct TargetModel {
    pub name: &'static str,
    pub production: bool,
    pub host: Option<String>,
    pub root_path: String,
    pub catalog: String,
    /// `run_as` of the target: jobs and alerts without their own run as it.
    pub run_as: Option<RunAsModel>,
    /// Variables this target resolves by name (`lookup`).
    pub lookups: Vec<LookupModel>,
    /// `--var NAME=<...>` that every command for this target must pass.
    pub pass: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct RunAsModel {
    /// `service_principal_name` or `user_name`.
    pub field: &'static str,
    /// An application ID, an email, or `${var.run_as_service_principal}`.
    pub value: String,
    /// How the docs name the identity.
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct LookupModel {
    pub variable: &'static str,
    /// `warehouse` or `service_principal`.
    pub kind: &'static str,
    pub name: String,
}

/// The workspace folder a target deploys to: the deploying identity's own, as the CLI advises
/// for production. Nobody else may edit the files its jobs run there (every user may edit a
/// folder under /Workspace/Shared, and the quality job runs as the quality identity, whom every
/// mask admits), and one identity deploying means one state.
fn root_path(spec: &ProductSpec, target: TargetName) -> String {
    format!(
        "/Workspace/Users/${{workspace.current_user.userName}}/.bundle/{}/{}",
        spec.name(),
        target.as_str()
    )
}

pub(crate) fn targets(spec: &ProductSpec) -> Vec<TargetModel> {
    TargetName::ALL
        .iter()
        .map(|&name| target(spec, name))
        .collect()
}

fn target(spec: &ProductSpec, name: TargetName) -> TargetModel {
    let settings = spec.settings.target(name);
    let mut lookups = Vec::new();
    if let Some(warehouse) = &settings.warehouse {
        lookups.push(LookupModel {
            variable: WAREHOUSE_VARIABLE,
            kind: "warehouse",
            name: warehouse.clone(),
        });
    }
    let run_as = settings
        .deploy_identity
        .as_ref()
        .map(|identity| match identity {
            Identity::ServicePrincipal(display_name) => {
                lookups.push(LookupModel {
                    variable: RUN_AS_VARIABLE,
                    kind: "service_principal",
                    name: display_name.clone(),
                });
                RunAsModel {
                    field: "service_principal_name",
                    value: format!("${{var.{RUN_AS_VARIABLE}}}"),
                    label: format!("service principal {display_name}"),
                }
            }
            Identity::ApplicationId(id) => RunAsModel {
                field: "service_principal_name",
                value: id.clone(),
                label: format!("service principal {id}"),
            },
            Identity::User(email) => RunAsModel {
                field: "user_name",
                value: email.clone(),
                label: email.clone(),
            },
        });
    let pass = if settings.warehouse.is_some() {
        String::new()
    } else {
        format!(" --var {WAREHOUSE_VARIABLE}=<id>")
    };
    TargetModel {
        name: name.as_str(),
        production: name == TargetName::Prod,
        host: settings.host.clone(),
        root_path: root_path(spec, name),
        catalog: match name {
            TargetName::Dev => spec.settings.dev_catalog(spec.catalog()),
            TargetName::Prod => spec.catalog().to_string(),
        },
        run_as,
        lookups,
        pass,
    }
}

/// Whether any target names its deploy identity by display name (the variable is declared).
pub(crate) fn uses_run_as_variable(targets: &[TargetModel]) -> bool {
    targets
        .iter()
        .any(|t| t.lookups.iter().any(|l| l.variable == RUN_AS_VARIABLE))
}
