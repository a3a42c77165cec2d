//! The README's table of exit codes holds: every command it lists runs on the same broken
//! spec and on an unwritable output, and exits with the code the table gives.

use crate::common::{Scratch, edit};
use std::path::{Path, PathBuf};

/// (command as the README names it, broken-spec code, unwritable-output code).
fn table() -> Vec<(String, Option<i32>, Option<i32>)> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let section = readme
        .split("\n## Exit codes\n")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("an Exit codes section");
    section
        .lines()
        .filter(|l| l.starts_with("| `dpc "))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
            let code = |c: &str| c.parse().ok();
            (
                cells[0].trim_matches('`').to_string(),
                code(cells[2]),
                code(cells[3]),
            )
        })
        .collect()
}

fn marketing(s: &Scratch, name: &str) -> PathBuf {
    s.create(name, &["--domain", "marketing"])
        .assert()
        .success();
    s.product(name)
}

/// The arguments that run `command` on the product `p` (and write into `out` when it
/// writes somewhere other than the product).
fn args(command: &str, p: &Path, out: &Path, odcs: &Path) -> Vec<String> {
    let p = p.display().to_string();
    let out = out.display().to_string();
    let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect();
    match command {
        "dpc init" => v(&["init", &out]),
        "dpc create" => v(&["create", "fresh", "--no-input", "--output-dir", &out]),
        "dpc import odcs" => v(&[
            "import",
            "odcs",
            &odcs.display().to_string(),
            "--name",
            "imported",
            "--output-dir",
            &out,
        ]),
        "dpc generate" => v(&["generate", &p]),
        "dpc validate" => v(&["validate", &p]),
        "dpc diff" => v(&["diff", &p, &p, "--write-changelog"]),
        "dpc sample" => v(&["sample", &p, "--out", &out]),
        "dpc test" => v(&["test", &p, "--data", &format!("{p}/sample_data")]),
        "dpc access" => v(&["access", &p]),
        "dpc consumers list" => v(&["consumers", "list", &p]),
        "dpc consumers audit" => v(&["consumers", "audit", &p]),
        "dpc consumers add" => v(&["consumers", "add", &p, "team-x"]),
        "dpc consumers revoke" => v(&["consumers", "revoke", &p, "data-scientists"]),
        "dpc export odcs" => v(&["export", "odcs", &p, "--out", &format!("{out}/c.yaml")]),
        "dpc export odps" => v(&["export", "odps", &p, "--out", &format!("{out}/p.yaml")]),
        "dpc export dqx" => v(&["export", "dqx", &p, "--out", &format!("{out}/dqx")]),
        "dpc catalog" => v(&["catalog", &p, "--out", &format!("{out}/site")]),
        other => panic!("the README lists {other}, which this test does not know how to run"),
    }
}

#[test]
fn every_command_exits_as_the_readme_table_says() {
    let rows = table();
    assert!(rows.len() >= 14, "{rows:?}");
    let s = Scratch::new();
    let good = marketing(&s, "good");
    let odcs = s.path().join("good.odcs.yaml");
    s.dpc()
        .args(["export", "odcs"])
        .arg(&good)
        .arg("--out")
        .arg(&odcs)
        .assert()
        .success();

    // One broken spec for every command: a value of the wrong type.
    let broken = marketing(&s, "broken");
    edit(
        &broken.join("contract.yaml"),
        "nullable: false",
        "nullable: maybe",
    );
    let scratch_out = s.path().join("out");
    for (command, code, _) in &rows {
        let Some(code) = code else { continue };
        let a = s
            .dpc()
            .args(args(command, &broken, &scratch_out, &odcs))
            .assert();
        let o = a.get_output();
        assert_eq!(
            o.status.code(),
            Some(*code),
            "{command} on a broken spec:\n{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        // The diagnostic names the file, line, key path and what is allowed.
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            all.contains("contract.yaml")
                && all.contains(".nullable")
                && all.contains("true or false"),
            "{command}: {all}"
        );
    }

    // Unwritable outputs: a folder under a plain file cannot be made, even by root.
    let blocker = s.path().join("blocker");
    std::fs::write(&blocker, "a file\n").unwrap();
    let unwritable = blocker.join("out");
    // A product in a read-only folder (only meaningful when not root).
    let ro_parent = s.path().join("ro");
    std::fs::create_dir_all(&ro_parent).unwrap();
    let ro = ro_parent.join("customer-360");
    s.create(
        "customer-360",
        &["--domain", "marketing", "--output-dir", "ro"],
    )
    .assert()
    .success();
    edit(&ro.join("contract.yaml"), "Core customer", "Main customer");
    // Without its changelog the product has an entry to write (`dpc diff` never adds a second
    // entry for a version).
    std::fs::remove_file(ro.join("docs/changelog.md")).expect("changelog");
    let read_only = set_read_only(&ro_parent);
    for (command, _, code) in &rows {
        let Some(code) = code else { continue };
        let in_product = matches!(
            command.as_str(),
            "dpc generate" | "dpc diff" | "dpc consumers add" | "dpc consumers revoke"
        );
        let p = if in_product { &ro } else { &good };
        // Root ignores permission bits: as root, the commands that write inside the product
        // run as `nobody` (setpriv, as CI and the read-only create test do).
        let a = if in_product && !read_only {
            as_nobody(&s, &args(command, p, &unwritable, &odcs)).assert()
        } else {
            s.dpc().args(args(command, p, &unwritable, &odcs)).assert()
        };
        let o = a.get_output();
        assert_eq!(
            o.status.code(),
            Some(*code),
            "{command} on an unwritable output:\n{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for d in walkdir::WalkDir::new(&ro_parent)
            .into_iter()
            .filter_map(Result::ok)
        {
            if d.file_type().is_dir() {
                let _ = std::fs::set_permissions(d.path(), std::fs::Permissions::from_mode(0o755));
            }
        }
    }
}

/// `dpc ARGS` run as the unprivileged user `nobody`, in the scratch folder (opened to it).
fn as_nobody(s: &Scratch, args: &[String]) -> assert_cmd::Command {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(s.path(), std::fs::Permissions::from_mode(0o777))
            .expect("open the scratch folder to nobody");
    }
    let mut cmd = assert_cmd::Command::new("setpriv");
    cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(assert_cmd::cargo::cargo_bin("dpc"))
        .args(args)
        .current_dir(s.path())
        .env("SOURCE_DATE_EPOCH", crate::common::EPOCH)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("HOME", s.path());
    cmd
}

/// Makes `dir` and the product in it read-only; false when that does not stop writes.
fn set_read_only(dir: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for d in walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
        {
            if d.file_type().is_dir() {
                let _ = std::fs::set_permissions(d.path(), std::fs::Permissions::from_mode(0o555));
            }
        }
        let probe = dir.join(".probe");
        if std::fs::write(&probe, "x").is_ok() {
            let _ = std::fs::remove_file(&probe);
            return false;
        }
        true
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        false
    }
}

/// A broken `dpc.yaml` is an input error (2) for every command that reads a product through
/// the loader, as the README says, and the message points at the file; `validate`, whose
/// job is to report it, fails with 1; `catalog` leaves every product out and writes nothing.
#[test]
fn a_broken_settings_file_is_an_input_error_for_every_command() {
    let s = Scratch::new();
    let p = marketing(&s, "good");
    let odcs = s.path().join("good.odcs.yaml");
    s.dpc()
        .args(["export", "odcs"])
        .arg(&p)
        .arg("--out")
        .arg(&odcs)
        .assert()
        .success();
    std::fs::write(s.path().join("data-products/dpc.yaml"), "targets: [\n").expect("write");
    let out = s.path().join("out");
    for (command, broken_spec, _) in table() {
        // init, create and import read the settings of --output-dir (tested in settings.rs);
        // a row without a broken-spec code reads no spec.
        if broken_spec.is_none() {
            continue;
        }
        let expected = match command.as_str() {
            "dpc validate" | "dpc catalog" => 1,
            _ => 2,
        };
        let a = s.dpc().args(args(&command, &p, &out, &odcs)).assert();
        let o = a.get_output();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(o.status.code(), Some(expected), "{command}: {all}");
        assert!(all.contains("dpc.yaml:1"), "{command}: {all}");
    }
    assert!(!out.exists());
}
