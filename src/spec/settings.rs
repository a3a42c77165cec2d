//! `dpc.yaml`: the platform's settings, one file beside the products (`data-products/dpc.yaml`)
//! that every product in the folder deploys with: per target the workspace host, catalog,
//! SQL warehouse (by name) and deploying identity; the quality identity; notification
//! destinations by name; the organisation's governed tags. It is optional: without it dev
//! works in `<catalog>_dev`, never in the production catalog.

use super::ProductSpec;
use crate::diagnostic::{Code, Diagnostic};
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The settings file's name, in the folder that holds the products.
pub(crate) const SETTINGS_FILE: &str = "dpc.yaml";
/// The settings file as a product's diagnostics name it: one folder up from the product.
pub(crate) const FROM_PRODUCT: &str = "../dpc.yaml";
/// Its JSON Schema's file name in `_schemas/`.
pub(crate) const SCHEMA_FILE: &str = "dpc.schema.json";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The two deployment targets of every product's bundle.
    #[serde(default, deserialize_with = "null_as_default")]
    #[schemars(with = "Option<Targets>")]
    pub targets: Targets,
    /// Application ID of the service principal the quality checks run as; `create` writes it
    /// into governance.yaml (`access_policy.quality_identity`), whose masks admit it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality_identity: Option<String>,
    /// Notification destinations by channel (a channel of sla.yaml's notifications, such as
    /// `slack` or `pagerduty`) → the destination's display name in the workspace
    /// (Settings > Notifications); the bundle looks its ID up by that name.
    // Empty (every entry commented out) reads as none, as an empty target does.
    #[serde(
        default,
        skip_serializing_if = "IndexMap::is_empty",
        deserialize_with = "null_as_default"
    )]
    #[schemars(with = "Option<IndexMap<String, String>>")]
    pub notification_destinations: IndexMap<String, String>,
    /// The organisation's governed tags that dpc's table tags map to, by dpc's tag key
    /// (`domain`, `tier`, `sensitivity`, ...).
    // Empty (every entry commented out) reads as none, as an empty target does.
    #[serde(
        default,
        skip_serializing_if = "IndexMap::is_empty",
        deserialize_with = "null_as_default"
    )]
    #[schemars(with = "Option<IndexMap<String, GovernedTag>>")]
    pub governed_tags: IndexMap<String, GovernedTag>,
    /// Read from a file (not the defaults of a folder without one).
    #[serde(skip)]
    #[schemars(skip)]
    pub from_file: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    /// Where people try changes: never the production catalog.
    #[serde(default, deserialize_with = "null_as_default")]
    #[schemars(with = "Option<Target>")]
    pub dev: Target,
    /// Production: the catalog consumers read.
    #[serde(default, deserialize_with = "null_as_default")]
    #[schemars(with = "Option<Target>")]
    pub prod: Target,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Workspace URL, e.g. `https://adb-1234567890123456.7.azuredatabricks.net`; the bundle
    /// target deploys there whatever profile the CLI was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// Unity Catalog catalog. For prod, every product's `catalog_location.catalog` must be
    /// this one; for dev the default is `<product catalog>_dev`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalog: Option<String>,
    /// SQL warehouse by its display name; the bundle looks its ID up
    /// (`--var warehouse_id=<id>` is needed without it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warehouse: Option<String>,
    /// Who deploys and whom the target's jobs and alerts run as (`run_as`). Without it they
    /// run as whoever deploys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deploy_identity: Option<Identity>,
}

/// A key left empty (every line under it commented out) reads as its defaults.
fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// A workspace identity: exactly one of the three.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Identity {
    /// A service principal by its display name, looked up when the bundle deploys.
    ServicePrincipal(String),
    /// A service principal by its application ID.
    ApplicationId(String),
    /// A user, by email.
    User(String),
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GovernedTag {
    /// The organisation's key for this tag [default: dpc's key].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// dpc's value → the organisation's value, where they differ.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub values: IndexMap<String, String>,
    /// The values the governed tag allows (after `values`); a product setting another is
    /// refused. Empty: any value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_values: Vec<String>,
}

/// A settings file's value, or why it does not parse.
pub(crate) type Parsed = Result<Settings, Box<Diagnostic>>;

/// Which target a setting belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TargetName {
    Dev,
    Prod,
}

impl TargetName {
    pub(crate) const ALL: [TargetName; 2] = [TargetName::Dev, TargetName::Prod];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            TargetName::Dev => "dev",
            TargetName::Prod => "prod",
        }
    }
}

impl Settings {
    pub(crate) fn target(&self, name: TargetName) -> &Target {
        match name {
            TargetName::Dev => &self.targets.dev,
            TargetName::Prod => &self.targets.prod,
        }
    }

    /// The catalog dev deploys a product to: the settings' dev catalog, else
    /// `<production catalog>_dev`.
    pub(crate) fn dev_catalog(&self, production: &str) -> String {
        self.targets
            .dev
            .catalog
            .clone()
            .unwrap_or_else(|| format!("{production}_dev"))
    }

    /// The tag a product sets as the organisation's governed tag: (key, value).
    pub(crate) fn governed_tag(&self, key: &str, value: &str) -> (String, String) {
        match self.governed_tags.get(key) {
            Some(g) => (
                g.key.clone().unwrap_or_else(|| key.to_string()),
                g.values
                    .get(value)
                    .cloned()
                    .unwrap_or_else(|| value.to_string()),
            ),
            None => (key.to_string(), value.to_string()),
        }
    }

    /// Reads settings text; a broken file is one diagnostic naming `file` (line, key, what
    /// is allowed).
    pub fn parse(file: &str, text: &str) -> Result<Settings, Box<Diagnostic>> {
        let mut settings = serde_saphyr::from_str::<Settings>(text)
            .map_err(|e| Box::new(crate::spec::load::explained(file, text, &e)))?;
        settings.from_file = true;
        Ok(settings)
    }

    /// The settings beside the products of `folder` (`folder/dpc.yaml`): its text and value,
    /// None when there is no such file. `label` names the file in diagnostics; the text comes
    /// back even when it does not parse, so a report can show its lines.
    pub(crate) fn read_in_labelled(
        folder: &Path,
        label: &str,
    ) -> Result<Option<(String, Parsed)>, Box<Diagnostic>> {
        let path = folder.join(SETTINGS_FILE);
        if std::fs::symlink_metadata(&path).is_err() {
            return Ok(None);
        }
        // As for spec files: a link out of the folder is not read (nor shown in a report).
        let text = crate::files::safe_read::read_within(folder, SETTINGS_FILE, "the folder")
            .map_err(|e| {
                Box::new(Diagnostic::new(
                    Code::Dpc006,
                    label,
                    format!("cannot read the platform settings: {e}"),
                ))
            })?;
        let settings = Settings::parse(label, &text);
        Ok(Some((text, settings)))
    }

    /// [`Settings::read_in_labelled`], the file named by its path.
    pub(crate) fn read_in(folder: &Path) -> Result<Option<(String, Settings)>, Box<Diagnostic>> {
        let shown = folder.join(SETTINGS_FILE).display().to_string();
        match Self::read_in_labelled(folder, &shown)? {
            Some((text, parsed)) => Ok(Some((text, parsed?))),
            None => Ok(None),
        }
    }

    /// The JSON Schema (2020-12) of `dpc.yaml`, pretty-printed, ending with a newline.
    pub(crate) fn json_schema_text() -> String {
        let value = Self::json_schema();
        serde_json::to_string_pretty(&value).unwrap_or_else(|_| value.to_string()) + "\n"
    }

    /// The JSON Schema (2020-12) of `dpc.yaml`.
    pub(crate) fn json_schema() -> serde_json::Value {
        let generator = schemars::generate::SchemaSettings::draft2020_12()
            .for_deserialize()
            .into_generator();
        let mut schema = generator.into_root_schema_for::<Settings>();
        schema.insert("title".into(), "dpc dpc.yaml".into());
        schema.insert(
            "description".into(),
            format!(
                "The platform settings every dpc data product in the folder deploys with (dpc.yaml). Generated by dpc {} from its types.",
                env!("CARGO_PKG_VERSION")
            )
            .into(),
        );
        schema.to_value()
    }
}

/// How a file the loader read for the product in `dir` is shown: the spec files under `dir`,
/// the settings (labelled [`FROM_PRODUCT`]) as the folder's `dpc.yaml`, not `dir/../dpc.yaml`
/// (which names another file when `dir` is a symbolic link).
pub(crate) fn shown_path(dir: &Path, file: &str) -> String {
    if file == FROM_PRODUCT {
        folder_of(dir).join(SETTINGS_FILE).display().to_string()
    } else {
        dir.join(file).display().to_string()
    }
}

/// The folder whose `dpc.yaml` applies to the product in `dir`: the one that holds it.
pub(crate) fn folder_of(dir: &Path) -> PathBuf {
    match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() && dir.file_name().is_some() => p.to_path_buf(),
        // `.`, `..` or a bare name: go up through the path itself.
        _ => dir.join(".."),
    }
}

/// What the settings demand of one product; `file` names the settings file in diagnostics.
pub(crate) fn check(settings: &Settings, spec: &ProductSpec, file: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    check_catalogs(settings, spec, file, &mut out);
    check_values(settings, file, &mut out);
    check_quality_identity(settings, spec, &mut out);
    check_governed_tags(settings, spec, &mut out);
    if settings.from_file {
        check_completeness(settings, file, &mut out);
    }
    out
}

/// The checks of the settings' own values (no product needed): hosts, names, identities.
pub(crate) fn check_values_of(settings: &Settings, file: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    check_values(settings, file, &mut out);
    if settings.targets.dev.catalog.is_some()
        && settings.targets.dev.catalog == settings.targets.prod.catalog
    {
        out.push(
            Diagnostic::new(
                Code::Dpc160,
                file,
                "dev and prod deploy to one catalog: a dev run would change production tables",
            )
            .at("targets.dev.catalog")
            .help(
                "give dev its own catalog, or remove targets.dev.catalog (default: <catalog>_dev)",
            ),
        );
    }
    out
}

fn check_catalogs(settings: &Settings, spec: &ProductSpec, file: &str, out: &mut Vec<Diagnostic>) {
    let production = spec.catalog();
    if let Some(prod) = &settings.targets.prod.catalog
        && prod != production
    {
        out.push(
            Diagnostic::new(
                Code::Dpc161,
                super::PRODUCT_FILE,
                format!(
                    "catalog_location.catalog is {production:?}, but dpc.yaml deploys prod to {prod:?}: consumers would be told one catalog and the tables made in the other"
                ),
            )
            .at("catalog_location.catalog")
            .help(format!("set catalog_location.catalog to {prod:?}, or change targets.prod.catalog in dpc.yaml")),
        );
    }
    let dev = settings.dev_catalog(production);
    if dev.eq_ignore_ascii_case(production) {
        out.push(
            Diagnostic::new(
                Code::Dpc160,
                file,
                format!(
                    "dev and prod both deploy {} to catalog {production:?}: `databricks bundle run -t dev` would alter, grant on and change the owner of production tables",
                    spec.name()
                ),
            )
            .at("targets.dev.catalog")
            .help(format!(
                "give dev its own catalog (e.g. {:?}), or remove targets.dev.catalog to use that default",
                format!("{production}_dev")
            )),
        );
    }
}

fn check_values(settings: &Settings, file: &str, out: &mut Vec<Diagnostic>) {
    for name in TargetName::ALL {
        let target = settings.target(name);
        let at = |field: &str| format!("targets.{}.{field}", name.as_str());
        if let Some(host) = &target.host
            && !is_workspace_url(host)
        {
            out.push(
                Diagnostic::new(
                    Code::Dpc162,
                    file,
                    format!("host {host:?} is not a workspace URL"),
                )
                .at(at("host"))
                .help("write the workspace's https URL, e.g. https://adb-1234567890123456.7.azuredatabricks.net"),
            );
        }
        if let Some(catalog) = &target.catalog
            && let Err(e) = super::name::check_uc_name("catalog", catalog)
        {
            out.push(Diagnostic::new(Code::Dpc162, file, e).at(at("catalog")));
        }
        if let Some(warehouse) = &target.warehouse
            && warehouse.trim().is_empty()
        {
            out.push(
                Diagnostic::new(Code::Dpc162, file, "warehouse is empty")
                    .at(at("warehouse"))
                    .help("the SQL warehouse's display name, or remove the key"),
            );
        }
        if let Some(identity) = &target.deploy_identity
            && let Err(e) = check_identity(identity)
        {
            out.push(Diagnostic::new(Code::Dpc162, file, e).at(at("deploy_identity")));
        }
    }
    if let Some(id) = &settings.quality_identity
        && !super::name::is_application_id(id)
    {
        out.push(
            Diagnostic::new(
                Code::Dpc162,
                file,
                format!("quality_identity {id:?} is not a service principal's application ID"),
            )
            .at("quality_identity")
            .help("the UUID shown as Application ID on the service principal's page"),
        );
    }
    for (channel, name) in &settings.notification_destinations {
        if name.trim().is_empty() {
            out.push(
                Diagnostic::new(
                    Code::Dpc162,
                    file,
                    format!("the notification destination for {channel:?} is empty"),
                )
                .at(format!("notification_destinations.{channel}")),
            );
        }
    }
}

fn check_identity(identity: &Identity) -> Result<(), String> {
    match identity {
        Identity::ServicePrincipal(name) if name.trim().is_empty() => {
            Err("service_principal is empty: write its display name".into())
        }
        Identity::ApplicationId(id) if !super::name::is_application_id(id) => Err(format!(
            "application_id {id:?} is not a service principal's application ID (a UUID)"
        )),
        Identity::User(email) => super::name::check_email(email),
        _ => Ok(()),
    }
}

/// `https://` and a host name, nothing after but an optional `/`.
fn is_workspace_url(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("https://") else {
        return false;
    };
    let host = rest.strip_suffix('/').unwrap_or(rest);
    !host.is_empty()
        && host.contains('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == ':')
}

fn check_quality_identity(settings: &Settings, spec: &ProductSpec, out: &mut Vec<Diagnostic>) {
    let (Some(platform), Some(product)) = (
        &settings.quality_identity,
        &spec.governance.access_policy.quality_identity,
    ) else {
        return;
    };
    if platform != product {
        out.push(
            Diagnostic::new(
                Code::Dpc163,
                super::GOVERNANCE_FILE,
                format!(
                    "access_policy.quality_identity is {product:?}, dpc.yaml names {platform:?}: the masks admit the first, the quality job runs as the second and would read masked values"
                ),
            )
            .at("access_policy.quality_identity")
            .help(format!("use {platform:?}, or change quality_identity in dpc.yaml")),
        );
    }
}

fn check_governed_tags(settings: &Settings, spec: &ProductSpec, out: &mut Vec<Diagnostic>) {
    for (key, value) in &spec.governance.classification.table_tags {
        let Some(governed) = settings.governed_tags.get(key) else {
            continue;
        };
        let (org_key, org_value) = settings.governed_tag(key, value);
        if !governed.allowed_values.is_empty() && !governed.allowed_values.contains(&org_value) {
            out.push(
                Diagnostic::new(
                    Code::Dpc164,
                    super::GOVERNANCE_FILE,
                    format!(
                        "table tag {key} = {value:?} sets governed tag {org_key} = {org_value:?}, which dpc.yaml does not allow"
                    ),
                )
                .at(format!("classification.table_tags.{key}"))
                .help(format!(
                    "allowed: {} (map dpc's value in governed_tags.{key}.values, or change the tag)",
                    governed.allowed_values.join(", ")
                )),
            );
        }
    }
}

/// A settings file that leaves prod to whoever deploys, wherever their profile points.
fn check_completeness(settings: &Settings, file: &str, out: &mut Vec<Diagnostic>) {
    let prod = &settings.targets.prod;
    if prod.host.is_none() {
        out.push(
            Diagnostic::new(
                Code::Dpc165,
                file,
                "prod has no host: `databricks bundle deploy -t prod` deploys to whichever workspace the CLI's profile names",
            )
            .at("targets.prod")
            .help("add targets.prod.host")
            .warning(),
        );
    }
    if prod.deploy_identity.is_none() {
        out.push(
            Diagnostic::new(
                Code::Dpc165,
                file,
                "prod has no deploy_identity: prod's jobs and alerts run as whoever deploys",
            )
            .at("targets.prod")
            .help("add targets.prod.deploy_identity (a service principal)")
            .warning(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workspace_urls() {
        assert!(is_workspace_url("https://adb-1.2.azuredatabricks.net"));
        assert!(is_workspace_url("https://dbc-a1.cloud.databricks.com/"));
        assert!(!is_workspace_url("http://dbc-a1.cloud.databricks.com"));
        assert!(!is_workspace_url("https://"));
        assert!(!is_workspace_url("https://host/path"));
        assert!(!is_workspace_url("https://localhost"));
    }

    #[test]
    fn identities_read_as_one_key() {
        let s = Settings::parse(
            "dpc.yaml",
            "targets:\n  prod:\n    deploy_identity:\n      service_principal: deployer\n",
        )
        .map_err(|d| d.message.clone())
        .unwrap_or_default();
        assert_eq!(
            s.targets.prod.deploy_identity,
            Some(Identity::ServicePrincipal("deployer".into()))
        );
    }

    #[test]
    fn governed_tags_rename_keys_and_values() {
        let mut s = Settings::default();
        s.governed_tags.insert(
            "sensitivity".into(),
            GovernedTag {
                key: Some("classification".into()),
                values: [("internal".to_string(), "Internal".to_string())].into(),
                allowed_values: vec![],
            },
        );
        assert_eq!(
            s.governed_tag("sensitivity", "internal"),
            ("classification".into(), "Internal".into())
        );
        assert_eq!(
            s.governed_tag("tier", "gold"),
            ("tier".into(), "gold".into())
        );
    }
}
