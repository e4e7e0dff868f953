//! The shared vocabulary of dossier's format readers.
//!
//! A reader gets a [`Source`] (a file on disk) and a [`Context`] (limits, options, and a [`ChildSink`] for the
//! files it finds inside), and returns an [`Extraction`]: the text and metadata it could read plus diagnostics for
//! what it could not. Only "nothing readable at all" is an [`ExtractError`]. Broken input is data: a reader that
//! skips a damaged part records a diagnostic and carries on, which makes the document `partial` rather than `failed`.

mod deadline;
mod error;
mod format;
pub mod golden;
mod limits;
mod metadata;
mod sink;
mod text;

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

/// A reader's entry point: every format crate exposes functions of this shape.
pub type ReadFn = fn(&Source<'_>, &mut Context<'_>) -> Result<Extraction, ExtractError>;
