//! A bounded fuzz pass (a few seconds, run by `cargo test` and so by CI): mutated spec files
//! go through the loader and every stage a command runs on a spec, in process, and through
//! the real binary for every command that reads a spec. Nothing may panic or hang; bad input
//! ends in a message and exit 1 or 2. Raise the budget with PROPTEST_CASES.

use crate::common::{EXAMPLES, Scratch};
use dpc::spec::{ProductSpec, SPEC_FILES};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::path::Path;
use std::sync::LazyLock;
use std::time::Duration;

/// The spec texts of the three example products, in SPEC_FILES order.
static SEEDS: LazyLock<Vec<[String; 4]>> = LazyLock::new(|| {
    EXAMPLES
        .iter()
        .map(|(name, _)| {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("examples")
                .join(name);
            SPEC_FILES.map(|f| std::fs::read_to_string(dir.join(f)).expect("example spec"))
        })
        .collect()
});

/// Values that have broken readers before: wrong types, YAML tricks, path escapes, regex
/// constructs, huge and control-laden text.
const HOSTILE: &[&str] = &[
    "",
    "~",
    "null",
    "[]",
    "{}",
    "[1, [2]]",
    "{a: {b: c}}",
    "-1",
    "0",
    "1e999",
    "99999999999999999999",
    "true",
    "yes",
    "\"\\u0000\"",
    "\"\\e[2J\\r# x\"",
    "&a x",
    "*a",
    "!!binary aGk=",
    "'",
    "\"",
    "../../x",
    "/abs/x",
    "con",
    "NUL",
    "A",
    "a b",
    "[[:alpha:]]",
    "'^\\d+$'",
    "'(?i)x'",
    "'\\b'",
    "x\ty",
    "DECIMAL(99,98)",
    "ARRAY<STRUCT<a: INT>>",
    "MAP<STRING, ARRAY<INT>>",
    "current_date",
    "2024-02-30",
    "99.99%",
    "4 hours",
    "-5 days",
    "!!int x",
    "? a",
    "|\n  x",
    ">-\n  y",
];

#[derive(Debug, Clone)]
enum Mutation {
    /// Replace the value after `key:` on a line with a hostile value.
    Value {
        line: usize,
        value: usize,
    },
    DeleteLine(usize),
    DuplicateLine(usize),
    FlipByte {
        at: usize,
        bit: u8,
    },
    Indent {
        line: usize,
        by: usize,
    },
    LongValue {
        line: usize,
        len: usize,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<usize>(), 0..HOSTILE.len()).prop_map(|(line, value)| Mutation::Value { line, value }),
        1 => any::<usize>().prop_map(Mutation::DeleteLine),
        1 => any::<usize>().prop_map(Mutation::DuplicateLine),
        1 => (any::<usize>(), 0u8..8).prop_map(|(at, bit)| Mutation::FlipByte { at, bit }),
        1 => (any::<usize>(), 1usize..5).prop_map(|(line, by)| Mutation::Indent { line, by }),
        1 => (any::<usize>(), 1usize..200_000).prop_map(|(line, len)| Mutation::LongValue { line, len }),
    ]
}

fn apply(text: &str, m: &Mutation) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if lines.is_empty() {
        return text.to_string();
    }
    let n = lines.len();
    match m {
        Mutation::Value { line, value } => {
            let l = &mut lines[line % n];
            if let Some((key, _)) = l.split_once(": ") {
                *l = format!("{key}: {}", HOSTILE[*value]);
            } else if let Some(key) = l.strip_suffix(':') {
                *l = format!("{key}: {}", HOSTILE[*value]);
            }
        }
        Mutation::DeleteLine(line) => {
            lines.remove(line % n);
        }
        Mutation::DuplicateLine(line) => {
            let l = lines[line % n].clone();
            lines.insert(line % n, l);
        }
        Mutation::Indent { line, by } => {
            let l = &mut lines[line % n];
            *l = format!("{}{l}", " ".repeat(*by));
        }
        Mutation::LongValue { line, len } => {
            let l = &mut lines[line % n];
            if let Some((key, _)) = l.split_once(": ") {
                *l = format!("{key}: \"{}\"", "x\u{1b}é".repeat(len / 3 + 1));
            }
        }
        Mutation::FlipByte { at, bit } => {
            let mut bytes = lines.join("\n").into_bytes();
            let i = at % bytes.len().max(1);
            if let Some(b) = bytes.get_mut(i) {
                *b ^= 1 << bit;
            }
            // Invalid UTF-8 is what the file reader refuses; keep the text lossily here.
            return String::from_utf8_lossy(&bytes).into_owned() + "\n";
        }
    }
    lines.join("\n") + "\n"
}

fn mutated() -> impl Strategy<Value = [String; 4]> {
    (
        0..SEEDS.len(),
        0usize..4,
        prop::collection::vec(mutation(), 1..4),
    )
        .prop_map(|(seed, file, ms)| {
            let mut texts = SEEDS[seed].clone();
            for m in &ms {
                texts[file] = apply(&texts[file], m);
            }
            texts
        })
}

/// Everything a command does with a spec short of writing: load, check, render, check the
/// tree, the access matrix, the exports, a sample plan.
fn every_stage(texts: &[String; 4]) {
    let Ok(spec) = ProductSpec::parse("p", [&texts[0], &texts[1], &texts[2], &texts[3]]) else {
        return;
    };
    let problems = dpc::check::spec(&spec);
    let _ = dpc::access::of_spec(&spec);
    if problems.iter().any(dpc::diagnostic::Diagnostic::is_error) {
        return;
    }
    if let Ok(renderer) = dpc::render::Renderer::new()
        && let Ok(files) = renderer.render(&spec)
    {
        let _ = dpc::check::tree(&spec, &files);
    }
    let _ = dpc::interop::odcs::export::to_text(&spec, dpc::interop::odcs::OdcsVersion::default());
    let _ = dpc::interop::odps::to_text(&spec);
    if let Ok(matrix) = dpc::access::of_spec(&spec) {
        let product = dpc::catalog::model::Product {
            spec: spec.clone(),
            matrix,
            source: "p".into(),
            changelog: None,
            odcs: String::new(),
            spec_files: Vec::new(),
        };
        let _ = dpc::catalog::site::product_files(&product);
        let _ = dpc::catalog::index::page(&[product.entry()]);
    }
    if let Ok(clock) = dpc::data::compile::Clock::now() {
        let _ = dpc::data::generate::csv_files(&spec, 20, 1, clock);
    }
}

#[test]
fn the_loader_and_every_stage_survive_mutated_specs() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(300);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&mutated(), |texts| {
            every_stage(&texts);
            Ok(())
        })
        .unwrap();
}

/// The commands that read a spec; `{p}` is the product folder, `{out}` an output folder.
const COMMANDS: &[&[&str]] = &[
    &["validate", "{p}"],
    &["generate", "--check", "{p}"],
    &["access", "{p}"],
    &["consumers", "list", "{p}"],
    &["consumers", "audit", "{p}"],
    &["export", "odcs", "{p}"],
    &["export", "odps", "{p}"],
    &["sample", "{p}", "--rows", "5", "--out", "{out}"],
    &["test", "{p}", "--data", "{out}"],
    &["diff", "{p}", "{p}"],
    &["catalog", "{p}", "--out", "{out}-site"],
];

#[test]
fn every_command_ends_with_a_message_on_mutated_specs() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse::<u32>().ok())
        .map_or(12, |c| (c / 20).max(1));
    let s = Scratch::new();
    let dir = s.path().join("p");
    let out = s.path().join("out");
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&mutated(), |texts| {
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            for (f, t) in SPEC_FILES.iter().zip(&texts) {
                std::fs::write(dir.join(f), t).unwrap();
            }
            for command in COMMANDS {
                let args: Vec<String> = command
                    .iter()
                    .map(|a| {
                        a.replace("{p}", &dir.display().to_string())
                            .replace("{out}", &out.display().to_string())
                    })
                    .collect();
                let run = s
                    .dpc()
                    .args(&args)
                    .timeout(Duration::from_secs(60))
                    .output()
                    .unwrap();
                let stderr = String::from_utf8_lossy(&run.stderr);
                let code = run.status.code();
                prop_assert!(
                    matches!(code, Some(0..=2)) && !stderr.contains("panicked"),
                    "dpc {args:?} exited {code:?}: {stderr}"
                );
                // Messages speak of the spec, not of the YAML reader's types.
                let all = format!("{}{stderr}", String::from_utf8_lossy(&run.stdout));
                for internal in ["Option<", "untagged enum", "budget breached", "<input>"] {
                    prop_assert!(
                        !all.contains(internal),
                        "dpc {args:?} shows {internal}: {all}"
                    );
                }
            }
            Ok(())
        })
        .unwrap();
}
