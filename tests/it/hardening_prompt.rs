//! Ctrl-D (end of input) at a questionnaire prompt ends dpc with exit 130 and writes
//! nothing, as the README promises; it used to be ignored.

use crate::common::{Scratch, entries};
use rexpect::process::WaitStatus;
use rexpect::reader::Options;
use rexpect::session::spawn_with_options;

/// `dpc ARGS` on a pseudo-terminal in a scratch folder; Ctrl-D at `prompt` must end it with
/// 130 and nothing written.
fn ctrl_d_at(args: &[&str], prompt: &str) {
    let s = Scratch::new();
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("dpc"));
    cmd.args(args)
        .current_dir(s.path())
        .env("SOURCE_DATE_EPOCH", crate::common::EPOCH)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("HOME", s.path())
        .env("TERM", "xterm")
        .env("CLICOLOR", "0");
    let options = Options::new()
        .timeout_ms(Some(20_000))
        .strip_ansi_escape_codes(true);
    let mut p = spawn_with_options(cmd, options).expect("spawn dpc on a pty");
    p.exp_string(prompt).expect("the question");
    p.send("y\u{4}").expect("type");
    p.flush().expect("flush");
    // Fails (after the timeout) when Ctrl-D is ignored; dropping the session kills dpc.
    p.exp_eof().expect("dpc ended on Ctrl-D");
    match p.process().wait().expect("wait") {
        WaitStatus::Exited(_, code) => assert_eq!(code, 130, "{prompt}"),
        other => panic!("dpc did not exit normally: {other:?}"),
    }
    assert!(entries(s.path()).is_empty(), "{:?}", entries(s.path()));
}

#[test]
fn ctrl_d_at_a_text_prompt_exits_130_and_writes_nothing() {
    ctrl_d_at(&["create", "x"], "Display name");
}

#[test]
fn ctrl_d_at_a_yes_no_prompt_exits_130_and_writes_nothing() {
    ctrl_d_at(
        &[
            "create",
            "x",
            "--display-name",
            "X",
            "--description",
            "d",
            "--domain",
            "marketing",
            "--tier",
            "gold",
            "--owner",
            "a@example.com",
            "--sla",
            "medium",
            "--sensitivity",
            "internal",
        ],
        "Keep these use cases?",
    );
}

#[test]
fn ctrl_d_in_a_list_exits_130_and_writes_nothing() {
    ctrl_d_at(
        &[
            "create",
            "x",
            "--display-name",
            "X",
            "--description",
            "d",
            "--domain",
            "marketing",
        ],
        "platinum",
    );
}
