//! Reading files and building paths safely: regular files only, bounded reads, and joins of
//! spec text that cannot leave the product or the output folder.

pub(crate) mod paths;
pub(crate) mod safe_read;
