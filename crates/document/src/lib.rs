//! The shared vocabulary of dossier's format readers.
//!
//! A reader gets a [`Source`] (a file on disk) and a [`Context`] (limits, options, and a [`ChildSink`] for the
//! files it finds inside), and returns an [`Extraction`]: the text and metadata it could read plus diagnostics for
//! what it could not. Only "nothing readable at all" is an [`ExtractError`]. Broken input is data: a reader that
//! skips a damaged part records a diagnostic and carries on, which makes the document `partial` rather than `failed`.

mod compound_times;
mod dates;
mod deadline;
mod error;
mod format;
pub mod golden;
mod limits;
mod metadata;
mod sink;
pub mod subprocess;
mod text;

pub use compound_times::clear_compound_storage_times;
pub use dates::{civil_from_days, days_from_civil};
pub use deadline::{extend_deadline, set_deadline_hook};
pub use error::ExtractError;
pub use format::Format;
pub use limits::{Limits, OcrOptions, Options};
pub use metadata::{MetaValue, Metadata};
pub use sink::{Budget, ChildKind, ChildMeta, ChildSink, MemoryChild, MemorySink};
pub use text::TextBuilder;

use std::path::Path;

/// The file a reader is asked to read.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// Where the bytes are. Readers open it themselves so that they can stream rather than slurp.
    pub path: &'a Path,
    /// The name the file had where it was found (an archive member's path, an attachment's file name), if any.
    /// A hint for naming and for formats that cannot be told apart by content; never trusted for detection.
    pub name: Option<&'a str>,
}

/// What a reader needs besides the file itself.
pub struct Context<'a> {
    pub limits: &'a Limits,
    pub options: &'a Options,
    /// Where archive members, attachments and embedded files go.
    pub sink: &'a mut dyn ChildSink,
}

/// What a reader could read out of one file.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Extraction {
    /// The readable text, in reading order. Pages of paged formats are separated by a form feed (`\u{c}`).
    pub text: String,
    pub metadata: Metadata,
    /// What could not be read, in plain words. A non-empty list makes the document `partial`.
    pub diagnostics: Vec<String>,
}

impl Extraction {
    pub fn is_partial(&self) -> bool {
        !self.diagnostics.is_empty()
    }
}

/// Loads a whole file for a reader that cannot stream it: refuses files over `limits.max_in_memory_bytes` before
/// reading them (and files that grow past it while being read), and zero-byte files.
pub fn load_whole(src: &Source<'_>, ctx: &Context<'_>) -> Result<Vec<u8>, ExtractError> {
    use std::io::Read;
    let limit = ctx.limits.max_in_memory_bytes;
    let file = std::fs::File::open(src.path).map_err(|err| ExtractError::io(&err))?;
    let size = file.metadata().map_err(|err| ExtractError::io(&err))?.len();
    let too_large = |size: u64| ExtractError::LimitExceeded(format!("file size {size} > max_in_memory_bytes {limit}"));
    if size > limit {
        return Err(too_large(size));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(|err| ExtractError::io(&err))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    if bytes.is_empty() {
        return Err(ExtractError::Empty);
    }
    Ok(bytes)
}

/// A reader's entry point: every format crate exposes functions of this shape.
pub type ReadFn = fn(&Source<'_>, &mut Context<'_>) -> Result<Extraction, ExtractError>;
