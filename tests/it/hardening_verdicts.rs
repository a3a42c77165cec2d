//! Crashes and wrong verdicts on hostile specs and data: long names, patterns Databricks
//! reads differently, names that differ only in case, stale sample data, repeated CSV
//! columns, line breaks in Markdown, git options in revisions, terminal escapes, and
//! commands that must refuse a spec failing its own checks.

use crate::common::{edit_all, marketing, output};
use predicates::prelude::*;

#[test]
fn access_survives_a_name_over_65535_characters() {
    let (s, dir) = marketing();
    let long = "g".repeat(70_000);
    edit_all(
        &dir.join("governance.yaml"),
        "principal: data-scientists",
        &format!("principal: {long}"),
    );
    let a = s.dpc().arg("access").arg(&dir).assert();
    let code = a.get_output().status.code();
    assert_ne!(code, Some(101), "panicked");
    assert!(!output(&a).contains("panicked"));
}

#[test]
fn patterns_java_reads_differently_are_refused_naming_the_construct() {
    for (pattern, construct) in [
        ("^[[:alpha:]]+$", "POSIX class"),
        ("^CUST-\\d{10}$", "`\\d`"),
        ("^\\w+$", "`\\w`"),
    ] {
        let (s, dir) = marketing();
        edit_all(
            &dir.join("contract.yaml"),
            "pattern: ^CUST-[0-9]{10}$",
            &format!("pattern: '{pattern}'"),
        );
        s.dpc()
            .arg("validate")
            .arg(&dir)
            .assert()
            .code(1)
            .stdout(predicate::str::contains("DPC115").and(predicate::str::contains(construct)));
    }
}

#[test]
fn names_that_differ_only_in_case_and_reserved_names_are_refused() {
    let (s, dir) = marketing();
    edit_all(
        &dir.join("contract.yaml"),
        "- name: first_name",
        "- name: COUNTRY",
    );
    s.dpc()
        .arg("validate")
        .arg(&dir)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("differ only in case"));

    let (s, dir) = marketing();
    edit_all(
        &dir.join("contract.yaml"),
        "\n  customer_segments:\n",
        "\n  CUSTOMERS:\n",
    );
    s.dpc()
        .arg("validate")
        .arg(&dir)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("differ only in case"));

    for name in ["con", "nul", "com1"] {
        s.create(name, &[])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("Windows reserves"));
    }
}

#[test]
fn a_column_rename_refreshes_the_sample_data() {
    let (s, dir) = marketing();
    for f in ["contract.yaml", "governance.yaml", "product.yaml"] {
        edit_all(&dir.join(f), "last_name", "surname");
    }
    s.dpc()
        .arg("validate")
        .arg(&dir)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("sample_data/customers.csv"));
    s.dpc().arg("generate").arg(&dir).assert().success();
    let sample = std::fs::read_to_string(dir.join("sample_data/customers.csv")).unwrap();
    assert!(
        sample.lines().next().unwrap().contains("surname"),
        "{sample}"
    );
    s.dpc().arg("validate").arg(&dir).assert().success();
    s.dpc()
        .arg("test")
        .arg(&dir)
        .arg("--data")
        .arg(dir.join("sample_data"))
        .assert()
        .success();
}

#[test]
fn csv_headers_that_repeat_a_column_or_use_another_delimiter_are_refused() {
    let (s, dir) = marketing();
    let sample = std::fs::read_to_string(dir.join("sample_data/customers.csv")).unwrap();
    let (head, rows) = sample.split_once('\n').unwrap();
    let data = s.path().join("customers.csv");
    std::fs::write(
        &data,
        format!("{head},email\n{}", rows.replace('\n', ",x@y.io\n")),
    )
    .unwrap();
    s.dpc()
        .arg("test")
        .arg(&dir)
        .arg("--data")
        .arg(&data)
        .assert()
        .failure()
        .stderr(predicate::str::contains("repeats column email"));
    std::fs::write(
        &data,
        format!("{}\n{}", head.replace(',', ";"), rows.replace(',', ";")),
    )
    .unwrap();
    s.dpc()
        .arg("test")
        .arg(&dir)
        .arg("--data")
        .arg(&data)
        .assert()
        .failure()
        .stderr(predicate::str::contains("comma-separated"));
}

#[test]
fn a_lone_carriage_return_cannot_start_a_markdown_heading() {
    let (s, dir) = marketing();
    edit_all(
        &dir.join("governance.yaml"),
        "workflow: owner-notification",
        "workflow: \"owner-notification\\r# Pwned\"",
    );
    s.dpc().arg("generate").arg(&dir).assert().success();
    for doc in ["README.md", "consumer-guide.md", "data-dictionary.md"] {
        let text = std::fs::read_to_string(dir.join("docs").join(doc)).unwrap();
        assert!(
            !text
                .split(['\r', '\n'])
                .any(|l| l.trim_start().starts_with("# Pwned")),
            "{doc}"
        );
    }
}

#[test]
fn a_revision_never_reaches_git_as_an_option() {
    let (s, dir) = marketing();
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .current_dir(s.path())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .args(["-c", "user.email=t@example.com", "-c", "user.name=t"])
            .args(args)
            .output()
            .expect("git")
            .status
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "x"]);
    // git would write `git show`'s output to `<F>:<path>`: make that folder exist.
    let trap = s.path().join("owned:data-products/customer-360");
    std::fs::create_dir_all(&trap).unwrap();
    s.dpc()
        .env_remove("GIT_CEILING_DIRECTORIES")
        .arg("diff")
        .arg(&dir)
        .arg("--against=--output=owned")
        .assert()
        .code(2);
    assert_eq!(
        std::fs::read_dir(&trap).unwrap().count(),
        0,
        "git took the revision as an option"
    );
}

#[test]
fn terminal_escapes_from_data_and_spec_are_never_echoed_raw() {
    let (s, dir) = marketing();
    let sample = std::fs::read_to_string(dir.join("sample_data/customers.csv")).unwrap();
    let mut lines: Vec<String> = sample.lines().map(str::to_string).collect();
    lines[1] = lines[1].replacen("CUST-", "\u{1b}]0;pwned\u{7}\u{1b}[2J", 1);
    let data = s.path().join("customers.csv");
    std::fs::write(&data, lines.join("\n") + "\n").unwrap();
    let a = s
        .dpc()
        .arg("test")
        .arg(&dir)
        .arg("--data")
        .arg(&data)
        .assert()
        .code(1);
    assert!(!output(&a).contains('\u{1b}'), "{}", output(&a));
    // JSON keeps the value, with the 8-bit CSI (U+009B) escaped too.
    lines[2] = lines[2].replacen("CUST-", "\u{9b}2J", 1);
    std::fs::write(&data, lines.join("\n") + "\n").unwrap();
    let a = s
        .dpc()
        .arg("test")
        .arg(&dir)
        .arg("--data")
        .arg(&data)
        .args(["--format", "json"])
        .assert()
        .code(1);
    let stdout = String::from_utf8_lossy(&a.get_output().stdout).into_owned();
    assert!(
        !stdout.contains('\u{9b}') && !stdout.contains('\u{1b}'),
        "{stdout}"
    );
    serde_json::from_str::<serde_json::Value>(&stdout).expect("still JSON");

    edit_all(
        &dir.join("contract.yaml"),
        "contract_version: \"1.0.0\"",
        "contract_version: \"1.0.0\"\nbogus: x # \u{1b}[2J\u{1b}]0;pwned\u{7}",
    );
    let a = s.dpc().arg("validate").arg(&dir).assert().code(1);
    assert!(!output(&a).contains('\u{1b}'), "{}", output(&a));
    let a = s.dpc().arg("generate").arg(&dir).assert().failure();
    assert!(!output(&a).contains('\u{1b}'), "{}", output(&a));
}

#[test]
fn commands_refuse_a_spec_that_fails_its_own_checks() {
    let (s, dir) = marketing();
    // Platinum needs SLA high or critical (DPC101).
    edit_all(&dir.join("product.yaml"), "tier: gold", "tier: platinum");
    for cmd in [
        &["export", "odcs"][..],
        &["export", "odps"],
        &["sample"],
        &["access"],
    ] {
        s.dpc()
            .args(cmd)
            .arg(&dir)
            .assert()
            .code(1)
            .stderr(predicate::str::contains("DPC101"));
    }
    s.dpc()
        .arg("test")
        .arg(&dir)
        .arg("--data")
        .arg(dir.join("sample_data"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("DPC101"));
}

#[test]
fn patterns_decide_as_databricks_does_on_line_breaks() {
    let (s, dir) = marketing();
    let sample = std::fs::read_to_string(dir.join("sample_data/customers.csv")).unwrap();
    let mut lines: Vec<String> = sample.lines().map(str::to_string).collect();
    // Java's `$` matches before a final line break: Databricks accepts this id.
    let (id, rest) = lines[1].split_once(',').unwrap();
    lines[1] = format!("\"{id}\n\",{rest}");
    let data = s.path().join("customers.csv");
    std::fs::write(&data, lines.join("\n") + "\n").unwrap();
    let a = s
        .dpc()
        .arg("test")
        .arg(&dir)
        .arg("--data")
        .arg(&data)
        .args(["--format", "json"])
        .assert();
    let report: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
    let rule = report["tables"][0]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "customer_id_format")
        .unwrap()
        .clone();
    assert_eq!(rule["rows_failed"], 0, "{rule:#}");
}

#[test]
fn diff_shows_escape_sequences_in_spec_text_escaped() {
    let (s, dir) = marketing();
    let old = s.path().join("old");
    std::fs::create_dir_all(&old).unwrap();
    for f in [
        "product.yaml",
        "contract.yaml",
        "sla.yaml",
        "governance.yaml",
    ] {
        std::fs::copy(dir.join(f), old.join(f)).unwrap();
    }
    edit_all(
        &dir.join("contract.yaml"),
        "description: Core customer demographic and account information",
        "description: \"Core\\e]0;pwned\\a\\e[2J customers\"",
    );
    let a = s.dpc().arg("diff").arg(&old).arg(&dir).assert();
    let out = output(&a);
    assert!(out.contains("Core"), "{out}");
    assert!(!out.contains('\u{1b}'), "{out}");
}
