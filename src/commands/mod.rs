//! One handler per command.

pub mod completions;
pub mod create;
pub mod schema;
