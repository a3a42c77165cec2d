//! The open standards: Bitol ODCS data contracts (read and written) and ODPS data products
//! (written); and the quality rules as Databricks Labs DQX checks (written).

pub(crate) mod dqx;
pub mod odcs;
pub mod odps;
