//! Errors of the search index.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("search index at {path}: {source}")]
    Tantivy { path: PathBuf, source: tantivy::TantivyError },
    #[error("search index at {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    /// The index on disk was written by a dossier with another index format: it must be rebuilt (`dossier reindex`).
    #[error(
        "search index at {path} has format version {found}, this dossier writes version {expected}; run `dossier reindex`"
    )]
    Version { path: PathBuf, found: String, expected: u32 },
    /// The query cannot be run (it is well-formed, but asks for something the index cannot answer).
    #[error("{0}")]
    Query(String),
}
