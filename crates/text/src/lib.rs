//! Plain text, HTML and generic XML in any charset, with Cyrillic legacy charsets told apart correctly.
//!
//! [`decode`] turns bytes into text (byte-order mark, then a declared charset unless it is a known kind of lie,
//! then detection, see `charset.rs`); [`html_to_text`] renders HTML as readable text. The readers
//! [`read_text`], [`read_html`] and [`read_xml`] load a file (bounded by `limits.max_in_memory_bytes`) and
//! return its text with the charset and, for HTML, the page's title, author, description and keywords.

mod charset;
mod cyrillic;
mod html;
mod names;
mod xml;

pub use names::{DecodedName, NameCharset, NameFallback, cyrillic_file_name, decode_name, decode_names};

use dossier_document::{Context, ExtractError, Extraction, Metadata, Source, TextBuilder};

/// Bytes turned into text, and which charset they were read as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// The WHATWG name of the charset used ("UTF-8", "windows-1251", "KOI8-R", "IBM866", "UTF-16LE"...).
    pub charset: &'static str,
    /// True when some bytes were not valid in that charset and were replaced by U+FFFD.
    pub had_errors: bool,
}

/// Decodes `bytes`, trusting a byte-order mark first, then `declared_charset` (from an HTTP header, a MIME part,
/// a meta tag) when it names a known charset, and detecting the charset otherwise.
///
/// Declarations are doubted where real files are known to lie: "us-ascii"/"iso-8859-1" on Cyrillic bytes, a
/// legacy charset on bytes that are valid UTF-8, "UTF-8" on bytes that mostly are not, and one Cyrillic charset
/// on text that reads as prose only in another.
pub fn decode(bytes: &[u8], declared_charset: Option<&str>) -> Decoded {
    charset::decode(bytes, declared_charset)
}

/// The readable text of an HTML document (no markup, scripts or styles; block elements on their own lines).
pub fn html_to_text(html: &str) -> String {
    html::html_to_text(html)
}

/// Reads a text/plain file: the decoded text, with the charset as metadata.
pub fn read_text(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    let bytes = dossier_document::load_whole(src, ctx)?;
    let decoded = decode(&bytes, None);
    let mut extraction = Extraction::default();
    extraction.metadata.set("charset", decoded.charset);
    note_decoding_errors(&decoded, &mut extraction.diagnostics);
    let mut text = TextBuilder::new(ctx.limits.max_text_bytes);
    // Normalise line ends so that CRLF files index like LF files; lone CRs (old Mac files) are line ends too.
    let normalised = decoded.text.replace("\r\n", "\n").replace('\r', "\n");
    text.push(&normalised);
    let (text, cut) = text.finish();
    extraction.text = text;
    extraction.diagnostics.extend(cut);
    Ok(extraction)
}

/// Reads an HTML file: charset from a byte-order mark, then `<meta>`, then detection; text and page metadata.
pub fn read_html(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    let bytes = dossier_document::load_whole(src, ctx)?;
    let declared = html::prescan_charset(&bytes);
    let decoded = decode(&bytes, declared.as_deref());
    let content = html::read_html_text(&decoded.text, ctx.limits.max_text_bytes);
    let mut extraction = Extraction { text: content.text, metadata: content.metadata, diagnostics: Vec::new() };
    extraction.metadata.set("charset", decoded.charset);
    note_decoding_errors(&decoded, &mut extraction.diagnostics);
    extraction.diagnostics.extend(content.diagnostics);
    Ok(extraction)
}

/// Reads any XML file: its text nodes in document order, charset from a byte-order mark or the declaration.
pub fn read_xml(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    let bytes = dossier_document::load_whole(src, ctx)?;
    let declared = xml::declared_encoding(&bytes);
    let decoded = decode(&bytes, declared.as_deref());
    let content = xml::read_xml_text(&decoded.text, ctx.limits.max_text_bytes);
    if !content.well_formed && content.text.trim().is_empty() {
        let detail = content.diagnostics.first().cloned().unwrap_or_else(|| "no text could be read".to_string());
        return Err(ExtractError::malformed("xml", detail));
    }
    let mut metadata = Metadata::default();
    metadata.set("charset", decoded.charset);
    let mut diagnostics = Vec::new();
    note_decoding_errors(&decoded, &mut diagnostics);
    diagnostics.extend(content.diagnostics);
    Ok(Extraction { text: content.text, metadata, diagnostics })
}

fn note_decoding_errors(decoded: &Decoded, diagnostics: &mut Vec<String>) {
    if decoded.had_errors {
        diagnostics.push(format!("some bytes are not valid {} and were replaced by U+FFFD", decoded.charset));
    }
}
