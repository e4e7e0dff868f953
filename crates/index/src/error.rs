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
    /// The query is well-formed but has nothing the index could look up (only punctuation or symbols): the
    /// searcher's mistake, not dossier's.
    #[error("the query has no searchable word in it")]
    NoSearchableWord,
    /// The query cannot be run for a reason of dossier's own.
    #[error("{0}")]
    Query(String),
}
