//! dpc: create and maintain Databricks data products.
//!
//! The modules are grouped by stage, in the order data flows through them; each imports only
//! from the ones listed before it (`tests/it/layering.rs` holds this):
//!
//! - shared vocabulary: [`diagnostic`] (one diagnostic model), [`lang`] (escaping, the SQL
//!   lexer, identifiers, dates, YAML positions);
//! - [`spec`]: the typed model, its one loader, the policies and what the contract implies;
//! - [`input`]: flags' answers, the answers file, the questionnaire, starters, schema import
//!   (and [`interop`] for ODCS documents, which are an input too);
//! - [`render`] (pure: spec in, files out) → [`access`] (who sees what, from the same model)
//!   → [`check`] (parse back, platform rules) → [`write`] (the only module that writes);
//! - the engines of the later commands: [`catalog`], [`consumers`], [`data`], [`diff`];
//! - the edges: [`cli`] (arguments), [`commands`] (one handler per command), [`error`] (the
//!   one place that maps errors to exit codes).

pub mod diagnostic;
pub mod files;
pub mod lang;

pub mod spec;

pub mod input;
pub mod interop;

pub mod render;

pub mod access;
pub mod check;
pub mod write;

pub mod catalog;
pub mod consumers;
pub mod data;
pub mod diff;

pub mod cli;
pub mod commands;
pub mod error;

use clap::Parser;

/// Runs the command line and returns the process exit code.
pub fn main_exit_code() -> i32 {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // clap uses 2 for usage errors and 0 for --help/--version.
            return e.exit_code();
        }
    };
    let result = match &cli.command {
        cli::Command::Create(args) => commands::create::run(args),
        cli::Command::Generate(args) => commands::generate::run(args),
        cli::Command::Diff(args) => commands::diff::run(args),
        cli::Command::Validate(args) => commands::validate::run(args),
        cli::Command::Bundle(cmd) => commands::bundle::run(cmd),
        cli::Command::Schema(args) => commands::schema::run(args),
        cli::Command::Init(args) => commands::init::run(args),
        cli::Command::Completions(args) => commands::completions::run(args),
        cli::Command::Sample(args) => commands::sample::run(args),
        cli::Command::Test(args) => commands::test::run(args),
        cli::Command::Access(args) => commands::access::run(args),
        cli::Command::Consumers(cmd) => commands::consumers::run(cmd),
        cli::Command::Export(cmd) => commands::export::run(cmd),
        cli::Command::Import(cmd) => commands::import::run(cmd),
        cli::Command::Catalog(args) => commands::catalog::run(args),
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {}", lang::printable::printable(&e.to_string()));
            e.exit_code()
        }
    }
}
