//! Every way `dpc create` can be refused: exit code 2, one clear message, nothing written.

use crate::common::{Scratch, entries};
use predicates::prelude::*;

fn refused(args: &[&str], expect_in_message: &str) {
    let s = Scratch::new();
    let out = s
        .dpc()
        .args(args)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(expect_in_message));
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    let error_lines = stderr.lines().filter(|l| l.starts_with("error")).count();
    assert_eq!(error_lines, 1, "exactly one error line expected:\n{stderr}");
    assert!(
        entries(s.path()).is_empty(),
        "something was written: {:?}",
        entries(s.path())
    );
}

#[test]
fn path_traversal_name_is_refused() {
    refused(&["create", "../etc", "--no-input"], "not kebab-case");
}

#[test]
fn name_with_space_and_capitals_is_refused() {
    refused(&["create", "Customer 360", "--no-input"], "not kebab-case");
}

#[test]
fn too_long_name_is_refused() {
    let name = "a".repeat(64);
    refused(&["create", &name, "--no-input"], "at most 63");
}

#[test]
fn owner_must_be_an_email() {
    refused(
        &["create", "x", "--owner", "not-an-email", "--no-input"],
        "is not an email address",
    );
}

#[test]
fn tier_must_be_known() {
    refused(
        &["create", "x", "--tier", "silver", "--no-input"],
        "gold, platinum",
    );
}

#[test]
fn sla_must_be_known() {
    refused(
        &["create", "x", "--sla", "urgent", "--no-input"],
        "critical, high, medium, low",
    );
}

#[test]
fn sensitivity_must_be_known() {
    refused(
        &["create", "x", "--sensitivity", "secret", "--no-input"],
        "public, internal, confidential, restricted",
    );
}

#[test]
fn platinum_needs_a_strict_sla() {
    refused(
        &[
            "create",
            "x",
            "--tier",
            "platinum",
            "--sla",
            "medium",
            "--no-input",
        ],
        "tier platinum requires SLA critical or high",
    );
}

#[test]
fn public_products_refuse_pii() {
    refused(
        &[
            "create",
            "x",
            "--domain",
            "marketing",
            "--sensitivity",
            "public",
            "--no-input",
        ],
        "public products may not contain PII",
    );
}

#[test]
fn bad_domain_is_refused() {
    refused(
        &["create", "x", "--domain", "Mark eting", "--no-input"],
        "not a domain name",
    );
}

#[test]
fn bad_catalog_is_refused() {
    refused(
        &["create", "x", "--catalog", "main.prod", "--no-input"],
        "--catalog",
    );
}

#[test]
fn display_name_must_be_one_line() {
    refused(
        &["create", "x", "--display-name", "a\nb", "--no-input"],
        "--display-name",
    );
}

#[test]
fn control_characters_in_description_are_refused() {
    refused(
        &["create", "x", "--description", "bell\u{7}", "--no-input"],
        "--description",
    );
}

#[test]
fn duplicate_consumers_are_refused() {
    refused(
        &[
            "create",
            "x",
            "--consumer",
            "a",
            "--consumer",
            "a",
            "--no-input",
        ],
        "given twice",
    );
}

#[test]
fn unknown_flag_is_a_usage_error() {
    refused(&["create", "x", "--colour", "red"], "--colour");
}

#[test]
fn existing_product_is_refused_and_unchanged() {
    let s = Scratch::new();
    s.create("customer-360", &["--domain", "marketing"])
        .assert()
        .success();
    let product = s.product("customer-360");
    std::fs::write(product.join("contract.yaml"), "edited by hand\n").expect("edit");
    let before = crate::common::read_tree(&product);
    s.create("customer-360", &["--domain", "marketing"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("already exists")
                .and(predicate::str::contains("--force"))
                .and(predicate::str::contains("dpc generate")),
        );
    assert_eq!(crate::common::read_tree(&product), before);
}

#[test]
fn force_replaces_an_existing_product() {
    let s = Scratch::new();
    s.create("customer-360", &["--domain", "marketing"])
        .assert()
        .success();
    let product = s.product("customer-360");
    std::fs::write(product.join("stray.txt"), "old\n").expect("write");
    std::fs::write(product.join("contract.yaml"), "edited\n").expect("write");
    s.create("customer-360", &["--domain", "marketing", "--force"])
        .assert()
        .success();
    assert!(
        !product.join("stray.txt").exists(),
        "the old tree was not replaced"
    );
    let contract = std::fs::read_to_string(product.join("contract.yaml")).expect("read");
    assert!(contract.contains("contract_version"));
    let leftovers: Vec<_> = entries(&s.path().join("data-products"))
        .into_iter()
        .filter(|e| e.contains(".dpc-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn dry_run_lists_files_and_writes_nothing() {
    let s = Scratch::new();
    s.create("customer-360", &["--domain", "marketing", "--dry-run"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Would create")
                .and(predicate::str::contains("schemas/customers_v1.sql"))
                .and(predicate::str::contains("bytes")),
        );
    assert!(entries(s.path()).is_empty());
}

#[test]
fn read_only_output_directory_leaves_nothing_behind() {
    use std::os::unix::fs::PermissionsExt;
    let s = Scratch::new();
    let out = s.path().join("ro");
    std::fs::create_dir(&out).expect("mkdir");
    std::fs::set_permissions(s.path(), std::fs::Permissions::from_mode(0o777)).expect("chmod");
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let mut cmd = s.create(
        "customer-360",
        &["--domain", "marketing", "--output-dir", "ro"],
    );
    // Root ignores permission bits, so as root the binary runs as `nobody`.
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    if is_root {
        let bin = assert_cmd::cargo::cargo_bin("dpc");
        let mut wrapped = assert_cmd::Command::new("setpriv");
        wrapped
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(bin)
            .args([
                "create",
                "customer-360",
                "--domain",
                "marketing",
                "--output-dir",
                "ro",
                "--no-input",
            ])
            .current_dir(s.path())
            .env("SOURCE_DATE_EPOCH", crate::common::EPOCH)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null");
        cmd = wrapped;
    }
    cmd.assert().code(1).stderr(
        predicate::str::contains("cannot write in")
            .and(predicate::str::contains("nothing was written")),
    );
    assert!(entries(&out).is_empty(), "{:?}", entries(&out));
}

#[test]
fn json_summary_is_machine_readable() {
    let s = Scratch::new();
    let out = s
        .create(
            "customer-360",
            &["--domain", "marketing", "--format", "json"],
        )
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("json");
    assert_eq!(json["product"], "customer-360");
    assert_eq!(json["tables"].as_array().map(Vec::len), Some(3));
    assert_eq!(json["pii"].as_array().map(Vec::len), Some(5));
    assert_eq!(json["masking"], "column_mask");
    assert_eq!(json["consumers"][0]["principal"], "marketing-analysts");
    assert!(json["files"].as_array().is_some_and(|f| f.len() >= 20));
}
