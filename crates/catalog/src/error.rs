//! Catalog errors.

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("catalog database error")]
    Sqlite(#[from] rusqlite::Error),
    #[error("catalog holds an invalid value: {0}")]
    Corrupt(String),
    #[error("no collection named {0:?}")]
    NoSuchCollection(String),
}
