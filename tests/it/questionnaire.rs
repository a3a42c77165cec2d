//! The discovery questionnaire through a real pseudo-terminal: the happy path with a table
//! defined on the spot, an invalid answer asked again, Ctrl-C, declining at the review, and
//! the brief's three examples answered by hand (and replayed from the saved answers) giving
//! the same trees as the flags. Every wait has a timeout, so a hung prompt fails the test.

use crate::common::{EXAMPLES, Scratch, entries, read_tree};
use rexpect::process::WaitStatus;
use rexpect::reader::Options;
use rexpect::session::{PtySession, spawn_with_options};
use std::path::Path;

const ENTER: &str = "\r";
/// Down and up in dialoguer's lists.
const DOWN: &str = "j";
const UP: &str = "k";

/// `dpc ARGS` on a pseudo-terminal, in `dir`, with the fixed date and no git identity.
fn spawn_in(dir: &Path, args: &[&str], strip_escapes: bool) -> PtySession {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("dpc"));
    cmd.args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", crate::common::EPOCH)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CEILING_DIRECTORIES", dir)
        .env("HOME", dir)
        .env("TERM", "xterm")
        .env("CLICOLOR", "0")
        .env("COLUMNS", "200")
        .env_remove("GIT_DIR");
    let options = Options::new()
        .timeout_ms(Some(20_000))
        .strip_ansi_escape_codes(strip_escapes);
    spawn_with_options(cmd, options).expect("spawn dpc on a pty")
}

/// Waits for `prompt`, then types `keys`.
fn answer(p: &mut PtySession, prompt: &str, keys: &str) {
    p.exp_string(prompt)
        .unwrap_or_else(|e| panic!("waiting for {prompt:?}: {e}"));
    p.send(keys).expect("type");
    p.flush().expect("flush");
}

fn exit_code(p: &mut PtySession) -> i32 {
    let _ = p.exp_eof();
    match p.process().wait().expect("wait") {
        WaitStatus::Exited(_, code) => code,
        other => panic!("dpc did not exit normally: {other:?}"),
    }
}

/// Enter on the mask question of every PII column of `domain`'s starter, then picks
/// `review` (0 write, 1 write and save, 2 write nothing). Each list is answered once its
/// last item is on screen, so no key reaches the terminal before the list reads it.
fn masks_then_review(p: &mut PtySession, domain: &str, review: usize) {
    let starter = dpc::input::starter::for_domain(domain).expect("starter");
    for t in &starter.tables {
        for column in t.pii_categories.keys() {
            answer(p, &format!("Mask for {}.{column}", t.name), "");
            answer(p, "nullify: readers see NULL", ENTER);
        }
    }
    answer(p, "Create this data product?", "");
    answer(
        p,
        "No, write nothing",
        &format!("{}{ENTER}", DOWN.repeat(review)),
    );
}

#[test]
fn happy_path_with_a_table_defined_now() {
    let s = Scratch::new();
    let mut p = spawn_in(
        s.path(),
        &[
            "create",
            "orders",
            "--domain",
            "sales",
            "--owner",
            "a@example.com",
            "--sla",
            "high",
        ],
        true,
    );
    answer(&mut p, "Display name", ENTER);
    answer(&mut p, "Description", "Orders placed online\r");
    answer(&mut p, "Tier", ENTER);
    answer(&mut p, "Sensitivity", ENTER);
    answer(&mut p, "Keep these use cases?", ENTER);
    answer(&mut p, "Keep these consumers?", "n\r");
    answer(&mut p, "Consumer group", "sales-analysts\r");
    answer(&mut p, "Another consumer group", ENTER);
    answer(&mut p, "Keep these data sources?", ENTER);
    answer(&mut p, "Retention period", ENTER);
    answer(&mut p, "Compliance regimes", ENTER);
    answer(&mut p, "Schema", &format!("{DOWN}{DOWN}{ENTER}"));
    answer(&mut p, "Table name", "orders\r");
    answer(&mut p, "Description of orders", "One row per order\r");
    answer(&mut p, "Field name in orders", "order_id\r");
    answer(&mut p, "Type of order_id", ENTER);
    answer(&mut p, "May order_id be NULL?", "n\r");
    answer(&mut p, "Description of order_id", "Order id\r");
    answer(&mut p, "Is order_id personal data", ENTER);
    answer(&mut p, "Constraint on order_id", &format!("{DOWN}{ENTER}"));
    answer(&mut p, "Regular expression", "^ORD-[0-9]+$\r");
    answer(&mut p, "Next field name in orders", "amount\r");
    answer(
        &mut p,
        "Type of amount",
        &format!("{}{ENTER}", DOWN.repeat(3)),
    );
    answer(&mut p, "Precision", "12\r");
    answer(&mut p, "Scale", ENTER);
    answer(&mut p, "May amount be NULL?", ENTER);
    answer(&mut p, "Description of amount", "Amount in EUR\r");
    answer(&mut p, "Is amount personal data", ENTER);
    answer(&mut p, "Constraint on amount", ENTER);
    answer(&mut p, "Next field name in orders", "buyer_email\r");
    answer(&mut p, "Type of buyer_email", ENTER);
    answer(&mut p, "May buyer_email be NULL?", ENTER);
    answer(&mut p, "Description of buyer_email", "Buyer\r");
    answer(&mut p, "Is buyer_email personal data", ENTER);
    answer(&mut p, "Constraint on buyer_email", ENTER);
    answer(&mut p, "Next field name in orders", ENTER);
    answer(&mut p, "Add another table?", ENTER);
    answer(&mut p, "Which columns hold personal data", ENTER);
    answer(&mut p, "Mask for orders.buyer_email", ENTER);
    answer(&mut p, "Review:", "");
    answer(&mut p, "Create this data product?", ENTER);
    assert_eq!(exit_code(&mut p), 0);
    let contract = std::fs::read_to_string(s.product("orders").join("contract.yaml"))
        .expect("contract written");
    assert!(contract.contains("orders:"), "{contract}");
    assert!(contract.contains("^ORD-[0-9]+$"), "{contract}");
    assert!(contract.contains("DECIMAL(12,2)"), "{contract}");
    let governance = std::fs::read_to_string(s.product("orders").join("governance.yaml"))
        .expect("governance written");
    assert!(
        governance.contains("principal: sales-analysts"),
        "{governance}"
    );
    assert!(governance.contains("method: partial_email"), "{governance}");
    let product =
        std::fs::read_to_string(s.product("orders").join("product.yaml")).expect("product");
    assert!(product.contains("Orders placed online"), "{product}");
}

#[test]
fn an_invalid_email_is_asked_again() {
    let s = Scratch::new();
    let mut p = spawn_in(
        s.path(),
        &["create", "x", "--display-name", "X", "--description", "d"],
        true,
    );
    answer(&mut p, "Domain", ENTER);
    answer(&mut p, "Tier", ENTER);
    answer(&mut p, "Owner email", "not-an-email\r");
    // The flag's message, and the same question again.
    answer(&mut p, "'not-an-email' is not an email address", "");
    answer(&mut p, "Owner email", "ok@example.com\r");
    answer(&mut p, "SLA level", "\u{3}");
    assert_eq!(exit_code(&mut p), 130);
    assert!(entries(s.path()).is_empty(), "{:?}", entries(s.path()));
}

#[test]
fn ctrl_c_writes_nothing_restores_the_cursor_and_exits_130() {
    let s = Scratch::new();
    let mut p = spawn_in(s.path(), &["create", "x"], false);
    answer(&mut p, "Display name", ENTER);
    answer(&mut p, "Description", ENTER);
    answer(&mut p, "Domain", "marketing\r");
    // A list hides the cursor; Ctrl-C in it must show it again.
    answer(&mut p, "Tier", "\u{3}");
    let rest = p.exp_eof().unwrap_or_default();
    assert!(
        rest.contains("\u{1b}[?25h"),
        "cursor not shown again: {rest:?}"
    );
    assert!(rest.contains("nothing was written"), "{rest:?}");
    match p.process().wait().expect("wait") {
        WaitStatus::Exited(_, code) => assert_eq!(code, 130),
        other => panic!("dpc did not exit normally: {other:?}"),
    }
    assert!(entries(s.path()).is_empty(), "{:?}", entries(s.path()));
}

#[test]
fn declining_at_the_review_writes_nothing() {
    let s = Scratch::new();
    let mut p = spawn_in(
        s.path(),
        &[
            "create",
            "x",
            "--display-name",
            "X",
            "--description",
            "d",
            "--domain",
            "general",
            "--tier",
            "gold",
            "--owner",
            "a@example.com",
            "--sla",
            "low",
            "--sensitivity",
            "internal",
        ],
        true,
    );
    answer(&mut p, "Keep these use cases?", ENTER);
    answer(&mut p, "Keep these consumers?", ENTER);
    answer(&mut p, "Keep these data sources?", ENTER);
    answer(&mut p, "Retention period", ENTER);
    answer(&mut p, "Compliance regimes", ENTER);
    answer(&mut p, "Schema", ENTER);
    answer(&mut p, "Which columns hold personal data", ENTER);
    masks_then_review(&mut p, "general", 2);
    answer(&mut p, "Nothing was written", "");
    assert_eq!(exit_code(&mut p), 0);
    assert!(entries(s.path()).is_empty(), "{:?}", entries(s.path()));
}

/// Answers the questionnaire with one example's flag values (Enter everywhere else), saving
/// the answers at the review.
fn answer_example(dir: &Path, name: &str, flags: &[&str]) {
    let value = |flag: &str| {
        flags
            .iter()
            .position(|f| *f == flag)
            .map(|i| flags[i + 1].to_string())
    };
    let mut p = spawn_in(dir, &["create", name], true);
    answer(&mut p, "Display name", ENTER);
    answer(&mut p, "Description", ENTER);
    let domain = value("--domain").unwrap_or_default();
    answer(&mut p, "Domain", &format!("{domain}\r"));
    let tier = if value("--tier").as_deref() == Some("platinum") {
        DOWN
    } else {
        ""
    };
    answer(&mut p, "Tier", &format!("{tier}{ENTER}"));
    let owner = value("--owner").unwrap_or_default();
    answer(&mut p, "Owner email", &format!("{owner}{ENTER}"));
    // Gold lists critical, high, medium (default), low; platinum critical, high (default).
    let sla = match (value("--sla").as_deref(), tier) {
        (Some("critical"), "") => UP.repeat(2),
        (Some("high"), "") => UP.to_string(),
        (Some("critical"), _) => UP.to_string(),
        _ => String::new(),
    };
    answer(&mut p, "SLA level", &format!("{sla}{ENTER}"));
    let sensitivity = match value("--sensitivity").as_deref() {
        Some("confidential") => DOWN,
        _ => "",
    };
    answer(&mut p, "Sensitivity", &format!("{sensitivity}{ENTER}"));
    for q in [
        "Keep these use cases?",
        "Keep these consumers?",
        "Keep these data sources?",
        "Retention period",
        "Compliance regimes",
        "Schema",
        "Which columns hold personal data",
    ] {
        answer(&mut p, q, ENTER);
    }
    masks_then_review(&mut p, &domain, 1);
    answer(&mut p, "Save the answers to", ENTER);
    assert_eq!(exit_code(&mut p), 0, "{name}");
}

#[test]
fn the_briefs_examples_answered_by_hand_and_replayed_match_the_flags() {
    for (name, flags) in EXAMPLES {
        let by_flags = Scratch::new();
        by_flags.create(name, flags).assert().success();
        let want = read_tree(&by_flags.product(name));

        let by_hand = Scratch::new();
        answer_example(by_hand.path(), name, flags);
        let got = read_tree(&by_hand.product(name));
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            want.keys().collect::<Vec<_>>(),
            "{name}"
        );
        for (file, text) in &want {
            assert!(
                got[file] == *text,
                "{name}: {file} differs from the flags' tree"
            );
        }

        let replayed = Scratch::new();
        let saved = by_hand.path().join("answers.yaml");
        replayed
            .dpc()
            .args(["create", "--answers"])
            .arg(&saved)
            .arg("--no-input")
            .assert()
            .success();
        assert!(
            read_tree(&replayed.product(name)) == want,
            "{name}: replaying answers.yaml gives another tree"
        );
    }
}
