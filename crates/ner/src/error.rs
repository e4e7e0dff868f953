//! The one error type of the crate: a model that cannot be found or read. Finding names in text cannot fail.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum NerError {
    /// No model folder where it was looked for.
    #[error("no NER model folder at {looked}; `cargo xtask setup` installs it into target/models/ner-ru")]
    NotFound { looked: String },
    /// A model file could not be read.
    #[error("cannot read the NER model file {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    /// A model file was read but is not what the model needs.
    #[error("the NER model file {path} is corrupt: {reason}")]
    Corrupt { path: PathBuf, reason: String },
}

impl NerError {
    pub(crate) fn corrupt(path: impl Into<PathBuf>, reason: impl Into<String>) -> NerError {
        NerError::Corrupt { path: path.into(), reason: reason.into() }
    }
}
