//! The languages dpc reads and writes, shared by every stage: escaping for YAML, SQL,
//! Python and Markdown, the one SQL lexer and statement reader, SQL identifiers, dates, and
//! YAML positions.

pub mod date;
pub mod escape;
pub mod pattern;
pub mod printable;
pub mod sql_ident;
pub mod sql_lexer;
pub mod sql_statements;
pub mod yaml_locate;
