//! `dpc export odcs|odps`: a product as an open standard document, to stdout or a file.

use crate::cli::{ExportCommand, ExportOdcsArgs, ExportOdpsArgs};
use crate::commands::summary::print_out;
use crate::error::DpcError;
use std::path::Path;

pub fn run(command: &ExportCommand) -> Result<(), DpcError> {
    match command {
        ExportCommand::Odcs(args) => odcs(args),
        ExportCommand::Odps(args) => odps(args),
    }
}

fn odcs(args: &ExportOdcsArgs) -> Result<(), DpcError> {
    let (_, spec) = super::access::load_product(&args.product_dir)?;
    let text = crate::interop::odcs::export::to_text(&spec, args.version)?;
    emit(&text, args.out.as_deref())
}

fn odps(args: &ExportOdpsArgs) -> Result<(), DpcError> {
    let (_, spec) = super::access::load_product(&args.product_dir)?;
    let text = crate::interop::odps::to_text(&spec)?;
    emit(&text, args.out.as_deref())
}

fn emit(text: &str, out: Option<&Path>) -> Result<(), DpcError> {
    match out {
        Some(path) => {
            crate::write::write_file(path, text)?;
            print_out(&format!("wrote {}\n", path.display()));
            Ok(())
        }
        None => {
            print_out(text);
            Ok(())
        }
    }
}
