//! Archive readers: ZIP, TAR, GZ, BZ2, XZ, 7z and RAR (through Debian's unar), and PKCS#7/CMS signed files, whose
//! signed content is their one child.
//!
//! Each reader lists the archive's members as its own text (one line per member: path and size) and hands every
//! regular file over to [`dossier_document::ChildSink`] as a stream, never as a buffer: the sink counts the bytes and
//! refuses bombs. Directories, links and devices are listed but are not children. Nested archives are simply members:
//! the pipeline dispatches each child again, so recursion is not this crate's business.

mod ber;
mod compressed;
mod names;
mod pkcs7;
mod rar;
mod report;
mod sevenz;
mod streams;
mod tar;
mod zip;

pub use compressed::{read_bzip2, read_gzip, read_xz};
pub use pkcs7::{PKCS7_SIGNED_DATA_OID_DER, looks_like_pkcs7, read_pkcs7};
pub use rar::{RAR_SIGNATURES, read_rar};
pub use sevenz::read_7z;
pub use tar::read_tar;
pub use zip::read_zip;

/// The fuzz target `rar` (in `fuzz/`, its own workspace) reaches our parsers of unar's output through this; it is
/// not part of the API.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub use rar::fuzz_tool_output as fuzz_rar_tool_output;
