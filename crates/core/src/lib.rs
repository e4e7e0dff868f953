//! dossier's facade over the vault, the catalog and the sandboxed readers.
//!
//! Data flow of an ingest: walk → vault (original stored, hashed) → catalog (document `pending`, custody record) →
//! sandboxed worker (format detected, reader run, children staged) → vault (children stored) → catalog (result and
//! children written in one transaction, children `pending`) → … until no document is pending.

mod browse;
mod error;
mod extract_file;
mod ingest;
mod search;

pub use browse::{Original, title_of};
pub use dossier_catalog::{CollectionStatus, Counts, DocId, DocRecord, FailedDoc, FormatCount, State, Status};
pub use dossier_document::{Limits, OcrOptions, Options};
pub use dossier_index::{FacetValue, Hit, IndexError, SearchRequest, SearchResults, Snippet, Sort};
pub use error::CoreError;
pub use extract_file::{ExtractedNode, extract_file, extract_files};
pub use ingest::{IngestEvent, IngestOptions, IngestSummary};
pub use search::IndexSync;

use std::path::{Path, PathBuf};

use dossier_catalog::{Catalog, SqliteCatalog};
use dossier_sandbox::SandboxConfig;
use dossier_vault::{Problem, Vault};

/// A data folder: the evidence vault and the catalog of every collection in it.
pub struct Dossier {
    data_dir: PathBuf,
    vault: Vault,
    catalog: Box<dyn Catalog + Send>,
    /// Opened on first use: commands that only read the catalog never touch it.
    index: Option<dossier_index::Index>,
}

/// The result of re-hashing the vault.
#[derive(Debug, Clone, serde::Serialize)]
pub struct VaultReport {
    pub blobs_checked: u64,
    pub bytes_checked: u64,
    pub problems: Vec<Problem>,
}

impl Dossier {
    /// Opens (creating if needed) the data folder.
    pub fn open(data_dir: &Path) -> Result<Dossier, CoreError> {
        std::fs::create_dir_all(data_dir).map_err(|source| CoreError::Io { path: data_dir.to_path_buf(), source })?;
        let vault = Vault::open(&data_dir.join("vault"))?;
        let catalog = SqliteCatalog::open(&data_dir.join("catalog.sqlite"))?;
        Ok(Dossier { data_dir: data_dir.to_path_buf(), vault, catalog: Box::new(catalog), index: None })
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn status(&mut self) -> Result<Status, CoreError> {
        Ok(self.catalog.status()?)
    }

    pub fn failures(&mut self, collection: Option<&str>) -> Result<Vec<FailedDoc>, CoreError> {
        Ok(self.catalog.failures(collection)?)
    }

    pub fn documents(&mut self, collection: &str) -> Result<Vec<dossier_catalog::DocRecord>, CoreError> {
        Ok(self.catalog.documents(collection)?)
    }

    pub fn text(&mut self, doc: dossier_catalog::DocId) -> Result<Option<String>, CoreError> {
        Ok(self.catalog.text(doc)?)
    }

    /// Re-hashes every blob the catalog refers to.
    pub fn verify_vault(&mut self) -> Result<VaultReport, CoreError> {
        let blobs = self.catalog.blobs()?;
        let mut report = VaultReport { blobs_checked: 0, bytes_checked: 0, problems: Vec::new() };
        for blob in &blobs {
            report.blobs_checked += 1;
            report.bytes_checked += blob.size;
            if let Some(problem) = self.vault.verify_blob(blob) {
                report.problems.push(problem);
            }
        }
        Ok(report)
    }

    pub fn ingest(
        &mut self,
        options: &IngestOptions,
        on_event: &mut dyn FnMut(&IngestEvent),
    ) -> Result<IngestSummary, CoreError> {
        ingest::run(self, options, on_event)
    }
}

/// The sandbox settings for workers started from the running executable as `<exe> worker`.
pub fn default_sandbox_config() -> Result<SandboxConfig, CoreError> {
    let program =
        std::env::current_exe().map_err(|source| CoreError::Io { path: PathBuf::from("/proc/self/exe"), source })?;
    Ok(SandboxConfig {
        program,
        args: vec!["worker".into()],
        memory_limit_bytes: Some(4 << 30),
        timeout: std::time::Duration::from_secs(120),
        max_extension: std::time::Duration::from_secs(3600),
        env: Vec::new(),
    })
}
