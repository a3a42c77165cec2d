//! One handler per command.

pub(crate) mod access;
pub(crate) mod bundle;
pub(crate) mod catalog;
pub(crate) mod completions;
pub(crate) mod consumers;
pub mod create;
pub(crate) mod diff;
pub(crate) mod export;
pub(crate) mod generate;
pub(crate) mod import;
pub(crate) mod init;
pub(crate) mod sample;
pub(crate) mod schema;
pub(crate) mod summary;
pub(crate) mod test;
pub(crate) mod validate;
