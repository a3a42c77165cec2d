//! The open standards: Bitol ODCS data contracts (read and written) and ODPS data products
//! (written).

pub mod odcs;
pub mod odps;
