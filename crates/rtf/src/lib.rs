//! RTF reader (being written). The public API below is a contract other crates already call.

use dossier_document::{Context, ExtractError, Extraction, Metadata, Source};

/// The text and document information of an RTF document, plus what could not be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RtfText {
    pub text: String,
    pub metadata: Metadata,
    pub diagnostics: Vec<String>,
}

/// Reads RTF held in memory (as Outlook stores message bodies). Never fails: unreadable input gives diagnostics.
pub fn rtf_to_text(rtf: &[u8], max_text_bytes: usize) -> RtfText {
    let _ = max_text_bytes;
    RtfText { text: String::from_utf8_lossy(rtf).into_owned(), ..RtfText::default() }
}

pub fn read_rtf(_src: &Source<'_>, _ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    Err(ExtractError::Unsupported("application/rtf".into()))
}
