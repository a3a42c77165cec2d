//! `dpc catalog`: a static, self-contained HTML site of every product under a folder. The
//! [`model`] reads what a page shows from the spec (and the access matrix `dpc access`
//! computes); [`index`] and [`page`] lay it out, [`grid`] and [`svg`] draw the access grid
//! and the lineage, [`changelog`] reads the product's changelog, [`html`] holds the one
//! escaping function every piece of user text goes through, and [`site`] writes the folder.

pub(crate) mod changelog;
pub(crate) mod grid;
pub mod html;
pub mod index;
pub mod model;
pub(crate) mod page;
pub(crate) mod reuse;
pub mod site;
pub(crate) mod svg;
