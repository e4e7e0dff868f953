//! Readers for legacy Microsoft Office binary files (Word, Excel and PowerPoint 97-2003), which all live in OLE2
//! compound files, and the OLE property sets (document summary information) they share.
//!
//! `Format::Doc` → [`read_doc`], `Format::Xls` → [`read_xls`], `Format::Ppt` → [`read_ppt`]; Microsoft Works
//! word-processor documents, which share the container, `Format::Works` → [`read_works`].

mod codepage;
mod compound;
mod dates;
mod doc;
mod embedded;
mod equation;
mod metafile;
mod ole_meta;
mod pictures;
mod ppt;
mod works;
mod xls;
mod xls_crypt;

pub use doc::read_doc;
pub use ole_meta::{PropertySetKind, ole_summary_metadata, property_set_metadata};
pub use pictures::read_metafile;
pub use ppt::read_ppt;
pub use works::read_works;
pub use xls::read_xls;
