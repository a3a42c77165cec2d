//! Input: everything that turns what a user gives (flags, a saved answers file, the
//! questionnaire, a starter schema, a schema file) into answers and then a spec.

pub mod answers;
pub mod answers_file;
pub mod questionnaire;
pub mod schema_import;
pub mod starter;
