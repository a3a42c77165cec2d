//! `dpc completions SHELL`: prints a completion script generated from the command line
//! definition, so it never falls behind the flags.

use crate::cli::{Cli, CompletionsArgs};
use crate::error::DpcError;
use clap::CommandFactory;

pub(crate) fn run(args: &CompletionsArgs) -> Result<(), DpcError> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "dpc", &mut script);
    crate::commands::summary::print_out(&String::from_utf8_lossy(&script));
    Ok(())
}
