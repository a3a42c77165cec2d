//! Who sees what: the access matrix of a product (principal × table × column → clear,
//! masked or none), computed from the same render model the SQL templates print, the policy
//! checks on it, and a reader that recovers the same rules from SQL on disk.

pub mod from_sql;
pub(crate) mod matrix;
pub(crate) mod policy_check;

use crate::render::model::{self, ModelError};
use crate::spec::ProductSpec;
pub use matrix::{Access, Matrix};

/// The access matrix of what dpc generates for `spec`.
pub fn of_spec(spec: &ProductSpec) -> Result<Matrix, ModelError> {
    let model = model::build(spec)?;
    Ok(Matrix::from_model(spec, &model))
}
