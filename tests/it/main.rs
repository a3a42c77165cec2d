//! dpc's integration tests, one binary (as cargo, ripgrep and uv keep them): each module
//! runs the real `dpc` binary on real inputs in a scratch folder (see `common`).

mod access;
mod access_policy;
mod brief_examples;
mod bundle;
mod catalog;
mod cli_errors;
mod cli_help;
mod common;
mod consumers;
mod create_inputs;
mod data_commands;
mod diff;
mod docs_in_sync;
mod dqx;
mod escaping_roundtrip;
mod examples;
mod exit_codes;
mod fuzz_specs;
mod generate_validate;
mod generated_python_compiles;
mod generated_sql_parses;
mod hardening_messages;
mod hardening_prompt;
mod hardening_verdicts;
mod hardening_writes;
mod layering;
mod odcs;
mod platform_rules;
mod preflight;
mod questionnaire;
mod settings;
mod spark_test;
mod spec_schemas;
mod sql_oracle;
