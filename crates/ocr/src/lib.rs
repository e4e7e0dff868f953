//! OCR through Tesseract (being written). The public API below is a contract other crates already call.

use std::path::Path;

use dossier_document::OcrOptions;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OcrError {
    /// Tesseract (or a language's data) is not installed; the string is the install hint.
    #[error("OCR unavailable: {0}")]
    Unavailable(String),
    #[error("OCR timed out after {0} s")]
    TimedOut(u64),
    #[error("OCR failed: {0}")]
    Failed(String),
}

/// Recognised text of one image, and whether it came from the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recognised {
    pub text: String,
    pub cached: bool,
}

/// Recognises the text of an image file (PNG, JPEG, TIFF, BMP, GIF, WebP; every page of a multipage TIFF).
pub fn recognize_file(path: &Path, options: &OcrOptions) -> Result<Recognised, OcrError> {
    let _ = (path, options);
    Err(OcrError::Unavailable("not implemented yet".into()))
}

/// Recognises the text of an image held in memory (a PDF page rendered to PNG).
pub fn recognize_bytes(image: &[u8], options: &OcrOptions) -> Result<Recognised, OcrError> {
    let _ = (image, options);
    Err(OcrError::Unavailable("not implemented yet".into()))
}
