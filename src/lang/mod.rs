//! The languages dpc reads and writes, shared by every stage: escaping for YAML, SQL,
//! Python and Markdown, the one SQL lexer and statement reader, SQL identifiers, dates, and
//! YAML positions.

pub mod date;
pub mod escape;
pub(crate) mod pattern;
pub(crate) mod printable;
pub(crate) mod sql_ident;
pub(crate) mod sql_lexer;
pub mod sql_statements;
pub(crate) mod yaml_locate;
