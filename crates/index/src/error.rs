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

impl IndexError {
    /// Whether the index's files are damaged (truncated, overwritten, a segment missing): `dossier reindex` rebuilds
    /// them from the catalog, which keeps everything. Not a full check (only a read that stumbles finds damage), and
    /// not for errors another cause explains (permissions, a full disk, a lock held by another process).
    pub fn is_damaged(&self) -> bool {
        use tantivy::TantivyError;
        use tantivy::directory::error::OpenReadError;
        let damaged_io = |err: &std::io::Error| {
            matches!(err.kind(), std::io::ErrorKind::InvalidData | std::io::ErrorKind::UnexpectedEof)
        };
        match self {
            IndexError::Tantivy { source, .. } => match source {
                TantivyError::DataCorruption(_)
                | TantivyError::SchemaError(_)
                | TantivyError::IncompatibleIndex(_)
                | TantivyError::DeserializeError(_) => true,
                TantivyError::OpenReadError(
                    OpenReadError::FileDoesNotExist(_) | OpenReadError::IncompatibleIndex(_),
                ) => true,
                TantivyError::OpenReadError(OpenReadError::IoError { io_error, .. }) => damaged_io(io_error),
                TantivyError::IoError(io_error) => damaged_io(io_error),
                _ => false,
            },
            IndexError::Io { source, .. } => damaged_io(source),
            IndexError::Version { .. } | IndexError::NoSearchableWord | IndexError::Query(_) => false,
        }
    }
}
