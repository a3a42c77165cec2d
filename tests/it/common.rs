//! Shared test helpers: run the real `dpc` binary in a scratch directory with a fixed date and
//! no git identity, so output is the same on every machine.
#![allow(dead_code)]

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// 2024-12-31, the date of the brief's examples.
pub const EPOCH: &str = "1735603200";

/// The brief's three examples: (name, flags).
pub const EXAMPLES: [(&str, &[&str]); 3] = [
    ("customer-360", &["--domain", "marketing"]),
    (
        "real-time-fraud-detection",
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
    ),
    (
        "sales-analytics",
        &[
            "--domain",
            "sales",
            "--owner",
            "sales-team@company.com",
            "--sla",
            "high",
        ],
    ),
];

/// Products unlike the examples: masked views, restricted data (no consumers unmasked, row
/// filter), public data, a consumer with a space and another catalog, hostile text.
pub const VARIANTS: [(&str, &[&str]); 5] = [
    (
        "masked-view",
        &["--domain", "marketing", "--masking", "masked-view"],
    ),
    (
        "restricted",
        &["--domain", "finance", "--sensitivity", "restricted"],
    ),
    (
        "public",
        &["--domain", "general", "--sensitivity", "public"],
    ),
    (
        "operations",
        &[
            "--domain",
            "operations",
            "--consumer",
            "ops team",
            "--catalog",
            "dev-catalog",
        ],
    ),
    (
        "hostile-text",
        &[
            "--domain",
            "marketing",
            "--description",
            "It's \"q\" \\ {{ x }} ${var.x} `t` -- ;\nnext line",
            "--display-name",
            "O'Brien's `360` -- ;",
        ],
    ),
];

pub struct Scratch {
    pub dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Self {
        Scratch {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `dpc` with a fixed date, no git identity, run inside the scratch directory.
    pub fn dpc(&self) -> Command {
        let mut cmd = Command::cargo_bin("dpc").expect("dpc binary");
        cmd.current_dir(self.path())
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CEILING_DIRECTORIES", self.path())
            .env("HOME", self.path())
            .env_remove("GIT_DIR");
        cmd
    }

    /// `dpc create NAME FLAGS... --no-input`.
    pub fn create(&self, name: &str, flags: &[&str]) -> Command {
        let mut cmd = self.dpc();
        cmd.arg("create").arg(name).args(flags).arg("--no-input");
        cmd
    }

    /// A scratch folder whose `data-products/dpc.yaml` is the examples' platform settings
    /// (`examples/dpc.yaml`: hosts, warehouses, identities, destinations).
    pub fn with_example_settings() -> Self {
        let s = Scratch::new();
        let settings = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/dpc.yaml");
        std::fs::create_dir_all(s.path().join("data-products")).expect("mkdir");
        std::fs::copy(settings, s.path().join("data-products/dpc.yaml"))
            .expect("examples/dpc.yaml");
        s
    }

    pub fn product(&self, name: &str) -> PathBuf {
        self.path().join("data-products").join(name)
    }
}

/// Every file under `dir`, by relative path, with its text.
pub fn read_tree(dir: &Path) -> BTreeMap<String, String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("under dir")
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(e.path()).expect("utf-8 file");
            (rel, text)
        })
        .collect()
}

/// All entries (files and directories) under `dir`, for "nothing was written" checks.
pub fn entries(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.path().display().to_string())
        .collect()
}

/// A scratch folder holding `customer-360` made with `--domain marketing`, and its path.
pub fn marketing() -> (Scratch, PathBuf) {
    let s = Scratch::new();
    s.create("customer-360", &["--domain", "marketing"])
        .assert()
        .success();
    let dir = s.product("customer-360");
    (s, dir)
}

/// Replaces the first `from` in the file with `to`; the file must hold `from`.
pub fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

/// Replaces every `from` in the file with `to`; the file must hold `from`.
pub fn edit_all(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    std::fs::write(path, text.replace(from, to)).expect("write");
}

/// What a command printed, stdout then stderr.
pub fn output(a: &assert_cmd::assert::Assert) -> String {
    let o = a.get_output();
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}
