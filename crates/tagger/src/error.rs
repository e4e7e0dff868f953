//! The one error type of the crate: what could not be read, and where.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum TaggerError {
    #[error("reading {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path} is not a tagger file: {reason}")]
    Format { path: PathBuf, reason: String },
    #[error("no tagger model at {looked}: run `cargo xtask setup` (or `cargo xtask train-ner-uk`)")]
    NotFound { looked: String },
}
