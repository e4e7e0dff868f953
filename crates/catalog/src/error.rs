//! Catalog errors.

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("catalog database error")]
    Sqlite(#[from] rusqlite::Error),
    #[error("catalog holds an invalid value: {0}")]
    Corrupt(String),
    #[error(
        "the catalog was written by a newer dossier (layout version {found}; this one knows up to {supported}): use that version or a newer one"
    )]
    NewerSchema { found: i64, supported: i64 },
    #[error("no collection named {0:?}")]
    NoSuchCollection(String),
}
