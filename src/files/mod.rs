//! Reading files and building paths safely: regular files only, bounded reads, and joins of
//! spec text that cannot leave the product or the output folder.

pub mod paths;
pub mod safe_read;
