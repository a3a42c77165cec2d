//! `dpc export odcs|odps|dqx`: a product as an open standard document, to stdout or a file;
//! its quality rules as DQX checks, one file per table.

use crate::cli::{ExportCommand, ExportDqxArgs, ExportOdcsArgs, ExportOdpsArgs};
use crate::commands::summary::print_out;
use crate::error::DpcError;
use std::path::Path;

pub(crate) fn run(command: &ExportCommand) -> Result<(), DpcError> {
    match command {
        ExportCommand::Odcs(args) => odcs(args),
        ExportCommand::Odps(args) => odps(args),
        ExportCommand::Dqx(args) => dqx(args),
    }
}

/// The DQX checks, one `<table>.yaml` per table, into `--out` or the product's `quality/dqx/`.
fn dqx(args: &ExportDqxArgs) -> Result<(), DpcError> {
    let (_, spec) = super::access::load_product(&args.product_dir)?;
    let files = crate::interop::dqx::export(&spec)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| args.product_dir.join("quality").join("dqx"));
    if out.exists() && !out.is_dir() {
        return Err(DpcError::OutNotAFolder { out });
    }
    let mut written = String::new();
    for file in &files {
        let path = out.join(&file.file_name);
        crate::write::write_file(&path, &file.text)?;
        written.push_str(&format!("wrote {}\n", path.display()));
    }
    print_out(&written);
    Ok(())
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
