//! Hostile input and faults never lose a product or write outside it: escaping table
//! names, `--force` over things that are not products, concurrent writers, a run killed
//! mid-swap, links and special files inside a product, spec files that are not files.

use crate::common::{Scratch, edit, marketing};
use predicates::prelude::*;
use std::path::Path;
use std::time::Duration;

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let ok = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo")
        .success();
    assert!(ok, "mkfifo {}", path.display());
}

#[test]
fn sample_and_test_never_use_a_table_name_as_a_path_out_of_the_folder() {
    let (s, dir) = marketing();
    let abs = s.path().join("abs-escaped");
    for name in [
        "../../escaped".to_string(),
        format!("\"{}\"", abs.display()),
    ] {
        edit(
            &dir.join("contract.yaml"),
            "\n  customer_segments:\n",
            &format!("\n  {name}:\n"),
        );
        s.dpc()
            .args(["sample"])
            .arg(&dir)
            .args(["--out", "out"])
            .timeout(Duration::from_secs(120))
            .assert()
            .failure();
        s.dpc()
            .args(["test"])
            .arg(&dir)
            .args(["--data", "out"])
            .timeout(Duration::from_secs(120))
            .assert()
            .failure();
        assert!(!s.path().join("escaped.csv").exists());
        assert!(!s.path().join("abs-escaped.csv").exists());
        // Put the name back for the next round.
        edit(
            &dir.join("contract.yaml"),
            &format!("\n  {name}:\n"),
            "\n  customer_segments:\n",
        );
    }
}

#[test]
fn force_replaces_only_a_product() {
    let s = Scratch::new();
    let src = s.path().join("data-products/my-source");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("main.rs"), "fn main() {}\n").unwrap();
    std::fs::write(s.path().join("data-products/notes"), "keep me\n").unwrap();
    for name in ["my-source", "notes"] {
        s.create(name, &["--force"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("not a dpc product"));
    }
    assert_eq!(
        std::fs::read_to_string(src.join("main.rs")).unwrap(),
        "fn main() {}\n"
    );
    assert_eq!(
        std::fs::read_to_string(s.path().join("data-products/notes")).unwrap(),
        "keep me\n"
    );

    // import odcs --force likewise.
    s.create("customer-360", &["--domain", "marketing"])
        .assert()
        .success();
    s.dpc()
        .args([
            "export",
            "odcs",
            "data-products/customer-360",
            "--out",
            "c.odcs.yaml",
        ])
        .assert()
        .success();
    s.dpc()
        .args([
            "import",
            "odcs",
            "c.odcs.yaml",
            "--name",
            "my-source",
            "--force",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a dpc product"));
    assert!(src.join("main.rs").is_file());
    // A product is still replaced.
    s.create("customer-360", &["--domain", "marketing", "--force"])
        .assert()
        .success();
}

#[test]
fn concurrent_consumer_adds_keep_every_grant() {
    let (s, dir) = marketing();
    let groups: Vec<String> = (0..4).map(|i| format!("team-{i}")).collect();
    let children: Vec<_> = groups
        .iter()
        .map(|g| {
            let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("dpc"));
            cmd.current_dir(s.path())
                .env("SOURCE_DATE_EPOCH", crate::common::EPOCH)
                .args(["consumers", "add"])
                .arg(&dir)
                .arg(g)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped());
            cmd.spawn().expect("spawn")
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().expect("wait");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let governance = std::fs::read_to_string(dir.join("governance.yaml")).unwrap();
    for g in &groups {
        assert!(
            governance.contains(g.as_str()),
            "{g} was lost:\n{governance}"
        );
    }
    s.dpc().arg("validate").arg(&dir).assert().success();
}

#[test]
fn a_run_killed_mid_swap_is_recovered_by_the_next() {
    let (s, dir) = marketing();
    let parent = dir.parent().unwrap().to_path_buf();
    // What a kill between the two renames of a swap left: the product hidden, a stage.
    let hidden = parent.join(".dpc-old-customer-360.a1B2c3");
    std::fs::rename(&dir, &hidden).unwrap();
    let stage = parent.join(".dpc-new-customer-360.x9Y8z7");
    std::fs::create_dir_all(stage.join("docs")).unwrap();
    std::fs::write(stage.join("docs/half.md"), "half").unwrap();

    // A plain create must not succeed over the hidden product.
    s.create("customer-360", &["--domain", "sales"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"));
    assert!(dir.join("product.yaml").is_file());
    assert!(!hidden.exists() && !stage.exists());
    let product = std::fs::read_to_string(dir.join("product.yaml")).unwrap();
    assert!(product.contains("marketing"));

    // generate cleans a leftover stage too.
    std::fs::create_dir_all(&stage).unwrap();
    s.dpc().arg("generate").arg(&dir).assert().success();
    assert!(!stage.exists());

    // sample cleans the temporary file a killed sample left in the product.
    let half = dir.join("sample_data/.dpc-sample-Ab12Cd");
    std::fs::write(&half, "half a table").unwrap();
    s.dpc().arg("sample").arg(&dir).assert().success();
    assert!(!half.exists());
}

#[cfg(unix)]
#[test]
fn generate_keeps_links_and_special_files_and_copies_no_data() {
    use std::os::unix::fs::MetadataExt;
    let (s, dir) = marketing();
    let secret = s.path().join("secret.txt");
    std::fs::write(&secret, "api-key: hunter2\n").unwrap();
    std::fs::create_dir_all(dir.join("notes")).unwrap();
    std::os::unix::fs::symlink(&secret, dir.join("notes/key")).unwrap();
    std::os::unix::fs::symlink("nowhere", dir.join("notes/dangling")).unwrap();
    mkfifo(&dir.join("notes/pipe"));
    let sample = dir.join("sample_data/customers.csv");
    let inode = std::fs::metadata(&sample).unwrap().ino();

    // A one-line edit that changes derived files.
    edit(
        &dir.join("contract.yaml"),
        "Core customer demographic and account information",
        "Core customer demographics",
    );
    s.dpc()
        .arg("generate")
        .arg(&dir)
        .timeout(Duration::from_secs(60))
        .assert()
        .success();
    s.dpc()
        .args(["consumers", "add"])
        .arg(&dir)
        .arg("new-team")
        .timeout(Duration::from_secs(60))
        .assert()
        .success();
    let key = std::fs::symlink_metadata(dir.join("notes/key")).unwrap();
    assert!(key.file_type().is_symlink(), "the link became a copy");
    assert!(std::fs::symlink_metadata(dir.join("notes/dangling")).is_ok());
    assert_eq!(
        std::fs::metadata(&sample).unwrap().ino(),
        inode,
        "sample data was copied"
    );
}

#[cfg(unix)]
#[test]
fn a_link_where_a_derived_file_goes_is_named_and_not_followed() {
    let (s, dir) = marketing();
    let outside = s.path().join("outside.md");
    std::fs::write(&outside, "mine\n").unwrap();
    let readme = dir.join("docs/README.md");
    std::fs::remove_file(&readme).unwrap();
    std::os::unix::fs::symlink("missing.md", &readme).unwrap();
    edit(
        &dir.join("contract.yaml"),
        "Core customer demographic and account information",
        "Core customer demographics",
    );
    s.dpc()
        .arg("generate")
        .arg(&dir)
        .assert()
        .failure()
        .stderr(predicate::str::contains("docs/README.md").and(predicate::str::contains("link")));
    std::fs::remove_file(&readme).unwrap();
    std::os::unix::fs::symlink(&outside, &readme).unwrap();
    s.dpc().arg("generate").arg(&dir).assert().failure();
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "mine\n");
}

#[cfg(unix)]
#[test]
fn spec_files_that_are_not_regular_files_in_the_product_are_refused() {
    let (s, dir) = marketing();
    let outside = s.path().join("elsewhere.yaml");
    std::fs::write(&outside, "secret_line: top-secret-value\n").unwrap();
    let sla = dir.join("sla.yaml");
    std::fs::rename(&sla, s.path().join("sla.bak")).unwrap();
    for setup in ["zero", "fifo", "outside"] {
        let _ = std::fs::remove_file(&sla);
        match setup {
            "zero" => std::os::unix::fs::symlink("/dev/zero", &sla).unwrap(),
            "fifo" => mkfifo(&sla),
            _ => std::os::unix::fs::symlink(&outside, &sla).unwrap(),
        }
        for cmd in [
            &["validate"][..],
            &["generate"],
            &["access"],
            &["export", "odcs"],
        ] {
            let out = s
                .dpc()
                .args(cmd)
                .arg(&dir)
                .timeout(Duration::from_secs(30))
                .assert()
                .failure()
                .get_output()
                .clone();
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(all.contains("sla.yaml"), "{setup} {cmd:?}: {all}");
            assert!(!all.contains("top-secret-value"), "{setup} {cmd:?}: {all}");
        }
    }
}

#[cfg(unix)]
#[test]
fn sample_never_writes_through_a_linked_sample_folder() {
    let (s, dir) = marketing();
    let elsewhere = s.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::remove_dir_all(dir.join("sample_data")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, dir.join("sample_data")).unwrap();
    s.dpc()
        .arg("sample")
        .arg(&dir)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("symbolic link"));
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
}
