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
    /// Another process is writing to the data folder.
    #[error("another dossier process is writing to the data folder {}: {holder}; wait for it to finish (readers such as search and serve can run meanwhile)", data_dir.display())]
    Busy { data_dir: PathBuf, holder: String },
    /// A command that only reads was pointed at a folder that holds no catalog (a typo, or a volume not mounted).
    #[error("{} is not a dossier data folder (it has no catalog.sqlite): check --data-dir or DOSSIER_DATA_DIR, and that the volume is mounted; only `dossier ingest` and `dossier demo` create a data folder", .0.display())]
    NotADataFolder(PathBuf),
    /// The analysis could not run at all (its worker could not start, or failed on an empty text).
    #[error("the analysis could not run: {0}")]
    Analysis(String),
}
