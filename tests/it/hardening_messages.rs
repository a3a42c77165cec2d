//! Messages a person can act on: YAML errors name the file, line, key path and what is
//! allowed (never the reader's internals), the real file is named, a FIFO is called what it
//! is, an empty justification is called empty.

use crate::common::{Scratch, edit, marketing, output};
use predicates::prelude::*;

#[test]
fn yaml_errors_name_file_line_key_path_and_what_is_allowed() {
    let (s, dir) = marketing();
    let contract = dir.join("contract.yaml");
    let original = std::fs::read_to_string(&contract).unwrap();
    for (from, to, path, allowed) in [
        (
            "    description: Core customer demographic and account information\n",
            "    description:\n",
            "tables.customers.description",
            "text",
        ),
        (
            "          nullable: false\n",
            "          nullable: [1]\n",
            "tables.customers.schema.fields[0].nullable",
            "true or false",
        ),
    ] {
        std::fs::write(&contract, original.replacen(from, to, 1)).unwrap();
        for cmd in [&["validate"][..], &["export", "odcs"], &["generate"]] {
            let a = s.dpc().args(cmd).arg(&dir).assert().code(1);
            let out = output(&a);
            assert!(out.contains("contract.yaml:"), "{cmd:?}: {out}");
            assert!(out.contains(path), "{cmd:?}: {out}");
            assert!(
                out.contains(&format!("{path}: {allowed}")),
                "{cmd:?}: {out}"
            );
            for internal in ["Option<", "untagged enum", "Scalar", "<input>", "budget"] {
                assert!(!out.contains(internal), "{cmd:?} shows {internal}: {out}");
            }
        }
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_as_data_is_named_not_a_regular_file() {
    let (s, dir) = marketing();
    let fifo = s.path().join("customers.csv");
    let ok = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success();
    assert!(ok);
    s.dpc()
        .arg("test")
        .arg(&dir)
        .arg("--data")
        .arg(&fifo)
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("not a regular file").and(predicate::str::contains("FIFO")),
        );
}

#[test]
fn an_empty_justification_is_called_empty() {
    let (s, dir) = marketing();
    s.dpc()
        .args(["consumers", "add"])
        .arg(&dir)
        .args(["team-x", "--justification", "  "])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("--justification").and(predicate::str::contains("is empty")),
        )
        .stderr(predicate::str::contains("control characters").not());
}

#[test]
fn export_errors_name_the_spec_file() {
    let (s, dir) = marketing();
    edit(&dir.join("sla.yaml"), "sla_version:", "sla_version: [\n");
    let a = s.dpc().args(["export", "odps"]).arg(&dir).assert().code(1);
    let out = output(&a);
    assert!(out.contains("sla.yaml"), "{out}");
    assert!(!out.contains("<input>"), "{out}");
}

#[cfg(unix)]
#[test]
fn every_input_file_flag_refuses_a_fifo_without_blocking() {
    let s = Scratch::new();
    let fifo = s.path().join("input.yaml");
    let ok = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success();
    assert!(ok);
    let f = fifo.display().to_string();
    for args in [
        vec!["create", "x", "--no-input", "--answers", &f],
        vec!["create", "x", "--no-input", "--schema-from", &f],
        vec!["import", "odcs", &f],
        vec!["diff", &f, &f],
    ] {
        s.dpc()
            .args(&args)
            .timeout(std::time::Duration::from_secs(30))
            .assert()
            .code(2)
            .stderr(predicate::str::contains("not a regular file"));
    }
}
