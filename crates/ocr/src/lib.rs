//! OCR through Debian's Tesseract, run as a subprocess with a wall-clock limit and cached by image hash.
//!
//! Tesseract is a separate program on purpose: a crash or a runaway page costs one child process, never the worker,
//! and the packaged binary with its language data (`tesseract-ocr-rus`, `-ukr`, `-eng`) is what newsrooms can
//! install. Recognised text is cached under `cache_dir` by the BLAKE3 hash of the image bytes together with the
//! languages and engine options, so the same scan (a page attached to fifty e-mails) is only recognised once.

mod cache;
mod engine;

use std::path::Path;
use std::time::Duration;

use dossier_document::OcrOptions;

pub use engine::INSTALL_HINT;

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

/// Recognises the text of an image file (PNG, JPEG, TIFF, BMP, GIF, WebP; every page of a multipage TIFF, pages
/// separated by a form feed). The image's own resolution is used; Tesseract estimates it when the file has none.
pub fn recognize_file(path: &Path, options: &OcrOptions) -> Result<Recognised, OcrError> {
    let languages = engine::usable_languages(engine::PROGRAM, &options.languages)?;
    let settings = engine::Settings { languages, dpi: None, timeout: Duration::from_secs(options.page_timeout_secs) };
    let image_hash = cache::hash_file(path).map_err(|err| OcrError::Failed(format!("cannot read image: {err}")))?;
    recognize_cached(&image_hash, &settings, options, |settings| engine::run(engine::PROGRAM, path, settings))
}

/// Recognises the text of an image held in memory (a PDF page rendered to PNG at `options.dpi`, which is passed to
/// Tesseract because rendered pages often carry no resolution of their own).
pub fn recognize_bytes(image: &[u8], options: &OcrOptions) -> Result<Recognised, OcrError> {
    let languages = engine::usable_languages(engine::PROGRAM, &options.languages)?;
    let settings =
        engine::Settings { languages, dpi: Some(options.dpi), timeout: Duration::from_secs(options.page_timeout_secs) };
    let image_hash = blake3::hash(image);
    recognize_cached(&image_hash, &settings, options, |settings| {
        // Tesseract reads files; the temporary copy is removed when `file` drops, whatever happens.
        let mut file = tempfile::Builder::new()
            .prefix("dossier-ocr-")
            .tempfile()
            .map_err(|err| OcrError::Failed(format!("cannot write temporary image: {err}")))?;
        std::io::Write::write_all(&mut file, image)
            .map_err(|err| OcrError::Failed(format!("cannot write temporary image: {err}")))?;
        engine::run(engine::PROGRAM, file.path(), settings)
    })
}

fn recognize_cached(
    image_hash: &blake3::Hash,
    settings: &engine::Settings,
    options: &OcrOptions,
    recognise: impl FnOnce(&engine::Settings) -> Result<String, OcrError>,
) -> Result<Recognised, OcrError> {
    let key = cache::key(image_hash, &settings.languages, &settings.engine_options());
    if let Some(dir) = &options.cache_dir
        && let Some(text) = cache::load(dir, &key)
    {
        return Ok(Recognised { text, cached: true });
    }
    // The worker's parent enforces a per-file wall-clock limit; OCR of a page may legitimately take most of it.
    dossier_document::extend_deadline(settings.timeout);
    let text = recognise(settings)?;
    if let Some(dir) = &options.cache_dir {
        // A cache that cannot be written only costs time later; the text itself is good.
        let _ = cache::store(dir, &key, &text);
    }
    Ok(Recognised { text, cached: false })
}
