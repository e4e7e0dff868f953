//! Plain text and HTML in any charset.
//!
//! (Being written. The public API below is a contract other crates already call.)

use dossier_document::{Context, ExtractError, Extraction, Source};

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
pub fn decode(bytes: &[u8], declared_charset: Option<&str>) -> Decoded {
    let _ = declared_charset;
    Decoded {
        text: String::from_utf8_lossy(bytes).into_owned(),
        charset: "UTF-8",
        had_errors: false,
    }
}

/// The readable text of an HTML document (no markup, scripts or styles; block elements on their own lines).
pub fn html_to_text(html: &str) -> String {
    html.to_string()
}

pub fn read_text(_src: &Source<'_>, _ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    Err(ExtractError::Unsupported("text/plain".into()))
}

pub fn read_html(_src: &Source<'_>, _ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    Err(ExtractError::Unsupported("text/html".into()))
}

pub fn read_xml(_src: &Source<'_>, _ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    Err(ExtractError::Unsupported("application/xml".into()))
}
