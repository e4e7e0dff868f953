//! Our own RTF reader: control words and groups, `\'hh` escapes decoded with the codepage of the current font
//! (`\fcharsetN`, `\cpgN`) or of the document (`\ansicpgN`), `\uN` with its `\ucN` fallback, skipped
//! destinations, `\info` metadata and embedded OLE objects.
//!
//! Off-the-shelf RTF crates decode escapes as Latin-1 or ignore font charsets, which turns Russian documents into
//! mojibake; reading them correctly is the point of this crate.

mod codepage;
mod metafile;
mod ole;
mod parser;

use std::io::Read;

use dossier_document::{ChildKind, ChildMeta, Context, ExtractError, Extraction, Metadata, Source};

pub use ole::EmbeddedObject;

/// The text and document information of an RTF document, plus what could not be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RtfText {
    pub text: String,
    pub metadata: Metadata,
    pub diagnostics: Vec<String>,
}

/// Reads RTF held in memory (as Outlook stores message bodies). Never fails: unreadable input gives diagnostics.
pub fn rtf_to_text(rtf: &[u8], max_text_bytes: usize) -> RtfText {
    let options = parser::ParseOptions { max_text_bytes, max_object_bytes: 0 };
    let parsed = parser::parse(rtf, options);
    let mut diagnostics = parsed.diagnostics;
    if !parsed.looks_like_rtf {
        diagnostics.push("not RTF: the data does not start with {\\rtf".to_string());
    }
    RtfText { text: parsed.text, metadata: parsed.metadata, diagnostics }
}

/// Reads an RTF file: its text, its `\info` metadata, and its embedded objects, which go to `ctx.sink`.
pub fn read_rtf(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    let bytes = read_bounded(src, ctx.limits.max_in_memory_bytes)?;
    if bytes.is_empty() {
        return Err(ExtractError::Empty);
    }
    // Embedded objects can be no larger than the file that holds them in hex; the bound keeps a hostile file
    // from costing more than its own size again.
    let options = parser::ParseOptions { max_text_bytes: ctx.limits.max_text_bytes, max_object_bytes: bytes.len() };
    let parsed = parser::parse(&bytes, options);
    if !parsed.looks_like_rtf {
        return Err(ExtractError::malformed("RTF", "the file does not start with {\\rtf"));
    }
    let mut diagnostics = parsed.diagnostics;
    for (index, data) in parsed.objects.into_iter().enumerate() {
        let encoding = parsed.document_encoding.unwrap_or(encoding_rs::WINDOWS_1252);
        let Some(object) = ole::unwrap_object(data, encoding) else { continue };
        let name = match (&object.file_name, &object.class_name) {
            (Some(file_name), _) => file_name.clone(),
            (None, Some(class_name)) => format!("object {} ({class_name})", index + 1),
            (None, None) => format!("object {}", index + 1),
        };
        let meta = ChildMeta::new(name.clone(), ChildKind::Embedded);
        match ctx.sink.add(meta, &mut object.content.as_slice()) {
            Ok(()) => {}
            Err(err @ ExtractError::LimitExceeded(_)) => return Err(err),
            Err(err) => diagnostics.push(format!("embedded {name}: {err}")),
        }
    }
    Ok(Extraction { text: parsed.text, metadata: parsed.metadata, diagnostics })
}

fn read_bounded(src: &Source<'_>, max_bytes: u64) -> Result<Vec<u8>, ExtractError> {
    let file = std::fs::File::open(src.path).map_err(|err| ExtractError::io(&err))?;
    let mut bytes = Vec::new();
    file.take(max_bytes.saturating_add(1)).read_to_end(&mut bytes).map_err(|err| ExtractError::io(&err))?;
    if bytes.len() as u64 > max_bytes {
        return Err(ExtractError::LimitExceeded(format!("RTF file larger than {max_bytes} bytes")));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests;
