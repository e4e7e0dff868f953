//! Limits that bound what one hostile file can cost, and reader options.

use serde::{Deserialize, Serialize};

/// Bounds on the work one file may cause. Exceeding one is a recorded failure of that file
/// ([`crate::ExtractError::LimitExceeded`]), never an out-of-memory crash of the run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Total bytes of all children unpacked from one file.
    pub max_unpacked_bytes: u64,
    /// Unpacked bytes per packed byte, checked once more than `ratio_floor_bytes` have been unpacked
    /// (small, highly compressible files such as a zipped empty spreadsheet are normal).
    pub max_ratio: u64,
    pub ratio_floor_bytes: u64,
    /// Children (archive members, attachments, messages) of one file.
    pub max_entries: u64,
    /// How deep archives may nest inside archives (a top-level file is at depth 0).
    pub max_depth: u32,
    /// Bytes of text kept for one document; the rest is cut off and the document marked partial.
    pub max_text_bytes: usize,
    /// The largest file a reader that must hold a whole file in memory will load.
    pub max_in_memory_bytes: u64,
    /// The most pixels (width × height, as declared) of one image that a reader decodes or hands to OCR. A few
    /// bytes of JBIG2 or Flate can declare a bitmap of gigabytes; an image over this is skipped with a diagnostic
    /// instead of being decoded.
    #[serde(default = "default_max_image_pixels")]
    pub max_image_pixels: u64,
}

/// 600 megapixels: an A0 drawing scanned at 600 dpi (about 19,900 × 28,100 pixels) still fits.
const DEFAULT_MAX_IMAGE_PIXELS: u64 = 600_000_000;

fn default_max_image_pixels() -> u64 {
    DEFAULT_MAX_IMAGE_PIXELS
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_unpacked_bytes: 16 << 30,
            max_ratio: 100,
            ratio_floor_bytes: 64 << 20,
            max_entries: 100_000,
            max_depth: 12,
            max_text_bytes: 128 << 20,
            max_in_memory_bytes: 1 << 30,
            max_image_pixels: DEFAULT_MAX_IMAGE_PIXELS,
        }
    }
}

impl Limits {
    /// Whether an image of `width` × `height` pixels may be decoded.
    pub fn image_fits(&self, width: u64, height: u64) -> bool {
        width.saturating_mul(height) <= self.max_image_pixels
    }
}

/// Choices a user makes about how files are read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Options {
    /// Passwords to try on encrypted files, in order.
    pub passwords: Vec<String>,
    pub ocr: OcrOptions,
}

/// How scanned pages and images are read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OcrOptions {
    pub enabled: bool,
    /// Tesseract language codes, tried together ("rus+ukr+eng").
    pub languages: Vec<String>,
    /// Where recognised text is cached by image hash, so the same scan is never recognised twice.
    pub cache_dir: Option<std::path::PathBuf>,
    /// Wall-clock limit for recognising one page or image.
    pub page_timeout_secs: u64,
    /// Resolution at which PDF pages are rendered for recognition.
    pub dpi: u32,
}

impl Default for OcrOptions {
    fn default() -> OcrOptions {
        OcrOptions {
            enabled: true,
            languages: vec!["rus".to_string(), "ukr".to_string(), "eng".to_string()],
            cache_dir: None,
            page_timeout_secs: 120,
            dpi: 300,
        }
    }
}
