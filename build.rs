//! Finds the Databricks CLI's JSON Schema for `databricks.yml`, the oracle of the bundle tests.
//! It is under the Databricks License, so the repository never holds a copy: the tests take it
//! from `DPC_BUNDLE_SCHEMA` (a path) or from the user's own `databricks bundle schema`. Found,
//! the tests run (cfg `bundle_schema`); not found, they are ignored with a note saying how to run
//! them. The shipped binary does not use any of this.
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rustc-check-cfg=cfg(bundle_schema)");
    println!("cargo::rerun-if-env-changed=DPC_BUNDLE_SCHEMA");
    if let Some(given) = std::env::var_os("DPC_BUNDLE_SCHEMA").filter(|v| !v.is_empty()) {
        let path = PathBuf::from(given);
        println!("cargo::rerun-if-changed={}", path.display());
        match path.canonicalize() {
            Ok(path) if path.is_file() => found(&path),
            _ => println!(
                "cargo::warning=DPC_BUNDLE_SCHEMA={} is not a file; the bundle schema tests are ignored",
                path.display()
            ),
        }
        return;
    }
    // Only asked when the variable is unset: a changed PATH then re-runs this script.
    println!("cargo::rerun-if-env-changed=PATH");
    let Ok(out) = Command::new("databricks").args(["bundle", "schema"]).output() else {
        return;
    };
    if !out.status.success() || out.stdout.is_empty() {
        return;
    }
    let Some(dir) = std::env::var_os("OUT_DIR") else {
        return;
    };
    let path = Path::new(&dir).join("bundle-schema.json");
    if std::fs::write(&path, &out.stdout).is_ok() {
        found(&path);
    }
}

fn found(path: &Path) {
    println!("cargo::rustc-cfg=bundle_schema");
    println!("cargo::rustc-env=DPC_BUNDLE_SCHEMA_FILE={}", path.display());
}
