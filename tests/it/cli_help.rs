//! Help and shell completions: every command's --help shows examples, the examples of
//! `create` run, and the completion scripts know every subcommand.

use crate::common::Scratch;
use clap::CommandFactory;
use predicates::prelude::*;

fn subcommands() -> Vec<String> {
    dpc::cli::Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect()
}

fn help(args: &[&str]) -> String {
    let s = Scratch::new();
    let out = s.dpc().args(args).arg("--help").assert().success();
    String::from_utf8_lossy(&out.get_output().stdout).into_owned()
}

#[test]
fn create_help_has_examples() {
    let text = help(&["create"]);
    assert!(text.contains("Examples:"), "{text}");
    assert!(
        text.contains("dpc create customer-360 --domain marketing"),
        "{text}"
    );
    assert!(text.contains("--dry-run --format json"), "{text}");
}

#[test]
fn every_command_help_has_examples() {
    assert!(help(&[]).contains("Examples:"));
    for command in subcommands() {
        let text = help(&[&command]);
        assert!(
            text.contains("Examples:\n  dpc "),
            "`dpc {command} --help` has no examples:\n{text}"
        );
    }
}

#[test]
fn the_create_examples_run() {
    let text = help(&["create"]);
    // Long examples continue on the next line after a `\`, as in a shell.
    let joined = text.replace("\\\n", " ");
    let examples: Vec<Vec<&str>> = joined
        .lines()
        .filter_map(|l| l.trim().strip_prefix("dpc create "))
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert!(examples.len() >= 3, "{text}");
    // No example is wrapped by the help formatter: every line is a command or a continuation.
    let section: Vec<&str> = text
        .lines()
        .skip_while(|l| *l != "Examples:")
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .collect();
    for pair in section.windows(2) {
        assert!(
            pair[1].trim().starts_with("dpc ") || pair[0].ends_with('\\'),
            "example wrapped: {pair:?}"
        );
    }
    for args in examples {
        let s = Scratch::new();
        let mut cmd = s.dpc();
        cmd.arg("create").args(&args).arg("--no-input");
        if !args.contains(&"--dry-run") {
            cmd.arg("--dry-run");
        }
        cmd.assert().success();
    }
}

#[test]
fn schema_help_lists_the_spec_files() {
    let text = help(&["schema"]);
    for kind in ["product", "contract", "sla", "governance"] {
        assert!(text.contains(kind), "{text}");
    }
}

#[test]
fn unknown_schema_is_a_usage_error() {
    Scratch::new()
        .dpc()
        .args(["schema", "pipeline"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("contract"));
}

#[test]
fn bash_completions_know_every_subcommand() {
    let s = Scratch::new();
    let out = s.dpc().args(["completions", "bash"]).assert().success();
    let script = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(script.contains("complete"), "not a bash completion script");
    assert!(script.contains("create"));
    for command in subcommands() {
        assert!(script.contains(&command), "bash completion lacks {command}");
    }
    assert!(script.contains("--dry-run"));
}

#[test]
fn completions_for_every_shell() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef dpc"),
        ("fish", "complete -c dpc"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        Scratch::new()
            .dpc()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains(marker).and(predicate::str::contains("create")));
    }
}
