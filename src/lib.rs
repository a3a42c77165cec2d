//! dpc: create and maintain Databricks data products.
//!
//! The flow is visible in the modules: [`cli`] (arguments) → [`answers`] → [`spec`] (the
//! typed model and its one loader) → [`render`] (pure: spec in, files out) → [`check`]
//! (parse back, platform rules) → [`write`] (the only module that touches a product).

pub mod access;
pub mod answers;
pub mod answers_file;
pub mod check;
pub mod cli;
pub mod commands;
pub mod consumers;
pub mod data;
pub mod date;
pub mod diff;
pub mod error;
pub mod import;
pub mod interactive;
pub mod lock;
pub mod odcs;
pub mod odps;
pub mod paths;
pub mod pattern;
pub mod policy;
pub mod printable;
pub mod render;
pub mod safe_read;
pub mod sample_sync;
pub mod spec;
pub mod starter;
pub mod summary;
pub mod swap;
pub mod sync;
pub mod write;

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
        cli::Command::Completions(args) => commands::completions::run(args),
        cli::Command::Sample(args) => commands::sample::run(args),
        cli::Command::Test(args) => commands::test::run(args),
        cli::Command::Access(args) => commands::access::run(args),
        cli::Command::Consumers(cmd) => commands::consumers::run(cmd),
        cli::Command::Export(cmd) => commands::export::run(cmd),
        cli::Command::Import(cmd) => commands::import::run(cmd),
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {}", printable::printable(&e.to_string()));
            e.exit_code()
        }
    }
}
