//! Errors of the facade: only what stops a whole command. A bad file is never one of them.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error(transparent)]
    Vault(#[from] dossier_vault::VaultError),
    #[error(transparent)]
    Catalog(#[from] dossier_catalog::CatalogError),
    #[error(transparent)]
    Index(#[from] dossier_index::IndexError),
    #[error("I/O error on {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{} does not exist", .0.display())]
    NoSuchPath(PathBuf),
}
