//! Why a file could not be read at all.

use serde::{Deserialize, Serialize};

/// A precise reason for a `failed` document. The `Display` text is what a user sees in `dossier failures`;
/// [`ExtractError::summary`] is the coarser form that `dossier status` groups by.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum ExtractError {
    /// The file is password-protected or encrypted and no given password opened it.
    #[error("encrypted{}", detail_suffix(.0))]
    Encrypted(Option<String>),
    /// The file ends before its structure does.
    #[error("truncated {format}: {detail}")]
    Truncated { format: String, detail: String },
    /// No reader handles this format (yet).
    #[error("unsupported format {0}")]
    Unsupported(String),
    /// A limit against bombs and huge files was exceeded; the string names the limit and the numbers.
    #[error("limit exceeded: {0}")]
    LimitExceeded(String),
    /// The file claims a format but is not readable as one.
    #[error("malformed {format}: {detail}")]
    Malformed { format: String, detail: String },
    /// The file has no bytes.
    #[error("empty file")]
    Empty,
    /// Reading the file itself failed.
    #[error("I/O error: {0}")]
    Io(String),
    /// The file needs OCR and Tesseract (or its language data) is not installed; the string is the install hint.
    #[error("OCR unavailable: {0}")]
    OcrUnavailable(String),
}

fn detail_suffix(detail: &Option<String>) -> String {
    match detail {
        Some(detail) => format!(": {detail}"),
        None => String::new(),
    }
}

impl ExtractError {
    pub fn malformed(format: &str, detail: impl std::fmt::Display) -> ExtractError {
        ExtractError::Malformed { format: format.to_string(), detail: detail.to_string() }
    }

    pub fn truncated(format: &str, detail: impl std::fmt::Display) -> ExtractError {
        ExtractError::Truncated { format: format.to_string(), detail: detail.to_string() }
    }

    pub fn io(err: &std::io::Error) -> ExtractError {
        ExtractError::Io(err.to_string())
    }

    /// The reason without file-specific details, for grouping failures by cause.
    pub fn summary(&self) -> String {
        match self {
            ExtractError::Encrypted(_) => "encrypted".to_string(),
            ExtractError::Truncated { format, .. } => format!("truncated {format}"),
            ExtractError::Unsupported(format) => format!("unsupported format {format}"),
            ExtractError::LimitExceeded(detail) => {
                // "total unpacked bytes 8589934592 > 8589934591": keep the limit's name, drop the numbers.
                let name: String = detail.chars().take_while(|c| !c.is_ascii_digit()).collect();
                format!("limit exceeded: {}", name.trim_end_matches([' ', '>', ':']))
            }
            ExtractError::Malformed { format, .. } => format!("malformed {format}"),
            ExtractError::Empty => "empty file".to_string(),
            ExtractError::Io(_) => "I/O error".to_string(),
            ExtractError::OcrUnavailable(_) => "OCR unavailable".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_drops_numbers_but_keeps_the_limit_name() {
        let err = ExtractError::LimitExceeded("total unpacked bytes 9000 > 8000".to_string());
        assert_eq!(err.to_string(), "limit exceeded: total unpacked bytes 9000 > 8000");
        assert_eq!(err.summary(), "limit exceeded: total unpacked bytes");
    }

    #[test]
    fn encrypted_reads_well_with_and_without_detail() {
        assert_eq!(ExtractError::Encrypted(None).to_string(), "encrypted");
        assert_eq!(
            ExtractError::Encrypted(Some("AES-256 ZIP entry".into())).to_string(),
            "encrypted: AES-256 ZIP entry"
        );
    }

    #[test]
    fn ocr_unavailable_shows_the_install_hint_but_groups_without_it() {
        let err = ExtractError::OcrUnavailable("install tesseract-ocr".to_string());
        assert_eq!(err.to_string(), "OCR unavailable: install tesseract-ocr");
        assert_eq!(err.summary(), "OCR unavailable");
    }
}
