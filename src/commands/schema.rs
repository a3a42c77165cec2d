//! `dpc schema FILE`: prints the JSON Schema of one spec file, or of the settings file.

use crate::cli::SchemaArgs;
use crate::error::DpcError;

pub(crate) fn run(args: &SchemaArgs) -> Result<(), DpcError> {
    let text = match args.kind.spec_file() {
        Some(file) => file.json_schema_text(),
        None => crate::spec::settings::Settings::json_schema_text(),
    };
    crate::commands::summary::print_out(&text);
    Ok(())
}
