//! One handler per command.

pub mod create;
