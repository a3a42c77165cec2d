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

const INSTALL: &str = "install the Databricks CLI (0.279 or later): `brew tap databricks/tap && brew install databricks`, \
`winget install Databricks.DatabricksCLI`, or `curl -fsSL https://raw.githubusercontent.com/databricks/setup-cli/main/install.sh | sh`; \
then `databricks auth login --host <workspace-url>`";

#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("{}: no {BUNDLE_FILE} here; `dpc generate {}` writes it from the spec", dir.display(), dir.display())]
    NoBundle { dir: PathBuf },
    #[error("the Databricks CLI (`{CLI}`) is not on PATH; {INSTALL}")]
    NoCli,
    #[error("--var {0:?} is not NAME=VALUE")]
    BadVar(String),
    #[error("could not run {}: {source}", cli.display())]
    Spawn {
        cli: PathBuf,
        source: std::io::Error,
    },
    #[error("`databricks bundle validate` reported errors in {} (exit status {code})", dir.display())]
    Invalid { dir: PathBuf, code: i32 },
}

impl From<BundleError> for DpcError {
    fn from(e: BundleError) -> Self {
        match e {
            BundleError::Invalid { .. } => DpcError::Failed(e.to_string()),
            _ => DpcError::Usage(e.to_string()),
        }
    }
}

pub fn run(cmd: &BundleCommand) -> Result<(), DpcError> {
    match cmd {
        BundleCommand::Validate(args) => Ok(validate(args, std::env::var_os("PATH"))?),
    }
}

/// The first executable called `name` on `path` (a PATH value).
pub fn find_on_path(name: &str, path: Option<OsString>) -> Option<PathBuf> {
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

fn validate(args: &BundleValidateArgs, path: Option<OsString>) -> Result<(), BundleError> {
    let dir = &args.product_dir;
    if !dir.join(BUNDLE_FILE).is_file() {
        return Err(BundleError::NoBundle { dir: dir.clone() });
    }
    if let Some(bad) = args.vars.iter().find(|v| {
        v.split_once('=')
            .is_none_or(|(name, _)| name.trim().is_empty())
    }) {
        return Err(BundleError::BadVar(bad.clone()));
    }
    let cli = find_on_path(CLI, path).ok_or(BundleError::NoCli)?;
    let mut command = std::process::Command::new(&cli);
    command.current_dir(dir).args(["bundle", "validate"]);
    if let Some(target) = &args.target {
        command.args(["--target", target]);
    }
    for var in &args.vars {
        command.arg(format!("--var={var}"));
    }
    let status = command.status().map_err(|source| BundleError::Spawn {
        cli: cli.clone(),
        source,
    })?;
    if status.success() {
        Ok(())
    } else {
        Err(BundleError::Invalid {
            dir: dir.clone(),
            code: status.code().unwrap_or(-1),
        })
    }
}
