//! One handler per command.

pub mod access;
pub mod bundle;
pub mod catalog;
pub mod completions;
pub mod consumers;
pub mod create;
pub mod diff;
pub mod export;
pub mod generate;
pub mod import;
pub mod init;
pub mod sample;
pub mod schema;
pub mod summary;
pub mod test;
pub mod validate;
