//! Input: everything that turns what a user gives (flags, a saved answers file, the
//! questionnaire, a starter schema, a schema file) into answers and then a spec.

pub mod answers;
pub(crate) mod answers_file;
pub(crate) mod questionnaire;
pub(crate) mod schema_import;
pub mod starter;
