//! One handler per command.

pub mod completions;
pub mod create;
pub mod diff;
pub mod generate;
pub mod sample;
pub mod schema;
pub mod test;
pub mod validate;
