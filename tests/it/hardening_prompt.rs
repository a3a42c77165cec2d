//! Ctrl-D (end of input) at a questionnaire prompt ends dpc with exit 130 and writes
//! nothing, as the README promises; it used to be ignored.

use crate::common::{Scratch, entries};
use rexpect::process::WaitStatus;
use rexpect::reader::Options;
use rexpect::session::spawn_with_options;

#[test]
fn ctrl_d_at_a_text_prompt_exits_130_and_writes_nothing() {
    let s = Scratch::new();
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("dpc"));
    cmd.args(["create", "x"])
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
    p.exp_string("Display name").expect("first question");
    p.send("ab\u{4}").expect("type");
    p.flush().expect("flush");
    // Fails (after the timeout) when Ctrl-D is ignored; dropping the session kills dpc.
    p.exp_eof().expect("dpc ended on Ctrl-D");
    match p.process().wait().expect("wait") {
        WaitStatus::Exited(_, code) => assert_eq!(code, 130),
        other => panic!("dpc did not exit normally: {other:?}"),
    }
    assert!(entries(s.path()).is_empty(), "{:?}", entries(s.path()));
}
