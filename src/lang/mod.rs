//! The languages dpc reads and writes, as shared vocabulary for every stage.

pub mod sql_lexer;
pub mod yaml_locate;
