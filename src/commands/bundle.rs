//! `dpc bundle validate PRODUCT_DIR`: hands the product's databricks.yml to the Databricks
//! CLI's own `databricks bundle validate`, which knows the workspace; dpc's offline checks of
//! the bundle are part of `dpc validate`.

use crate::check::bundle::BUNDLE_FILE;
use crate::cli::{BundleCommand, BundleValidateArgs};
use crate::error::DpcError;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Name of the Databricks CLI executable.
const CLI: &str = "databricks";

pub(crate) fn run(cmd: &BundleCommand) -> Result<(), DpcError> {
    match cmd {
        BundleCommand::Validate(args) => validate(args, std::env::var_os("PATH")),
    }
}

/// The first executable called `name` on `path` (a PATH value).
pub(crate) fn find_on_path(name: &str, path: Option<OsString>) -> Option<PathBuf> {
    let names: Vec<String> = if cfg!(windows) {
        vec![
            format!("{name}.exe"),
            format!("{name}.cmd"),
            name.to_string(),
        ]
    } else {
        vec![name.to_string()]
    };
    std::env::split_paths(&path?)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        path.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

fn validate(args: &BundleValidateArgs, path: Option<OsString>) -> Result<(), DpcError> {
    let dir = &args.product_dir;
    if !dir.join(BUNDLE_FILE).is_file() {
        return Err(DpcError::NoBundle { dir: dir.clone() });
    }
    if let Some(bad) = args.vars.iter().find(|v| {
        v.split_once('=')
            .is_none_or(|(name, _)| name.trim().is_empty())
    }) {
        return Err(DpcError::BadVar(bad.clone()));
    }
    let cli = find_on_path(CLI, path).ok_or(DpcError::NoDatabricksCli)?;
    let mut command = std::process::Command::new(&cli);
    command.current_dir(dir).args(["bundle", "validate"]);
    if let Some(target) = &args.target {
        command.args(["--target", target]);
    }
    for var in &args.vars {
        command.arg(format!("--var={var}"));
    }
    let status = command.status().map_err(|source| DpcError::CannotRun {
        program: cli.clone(),
        source,
    })?;
    if status.success() {
        Ok(())
    } else {
        Err(DpcError::BundleRefused {
            dir: dir.clone(),
            code: status.code().unwrap_or(-1),
        })
    }
}
