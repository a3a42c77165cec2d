//! `dpc schema FILE`: prints the JSON Schema of one spec file.

use crate::cli::SchemaArgs;
use crate::error::DpcError;
use crate::spec::schema::SpecFile;

pub fn run(args: &SchemaArgs) -> Result<(), DpcError> {
    crate::commands::summary::print_out(&SpecFile::from(args.kind).json_schema_text());
    Ok(())
}
