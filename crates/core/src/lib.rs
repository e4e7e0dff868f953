//! dossier's facade over the vault, the catalog and the sandboxed readers.
//!
//! Data flow of an ingest: walk → vault (original stored, hashed) → catalog (document `pending`, custody record) →
//! sandboxed worker (format detected, reader run, children staged) → vault (children stored) → catalog (result and
//! children written in one transaction, children `pending`) → … until no document is pending.

mod browse;
mod entities;
mod error;
mod extract_file;
mod ftm;
mod ingest;
mod lock;
mod search;
mod versions;

pub use browse::{Original, title_of};
pub use dossier_catalog::{
    BlobUse, CollectionStatus, Counts, CustodyEvent, Damage, DocId, DocMention, DocRecord, FailedDoc, FormatCount,
    Mention, State, Status, StoredAnalysis, escape_bytes, escape_controls, is_control,
};
pub use dossier_document::{Limits, OcrOptions, Options};
pub use dossier_index::{FacetValue, Hit, IndexError, SearchRequest, SearchResults, Snippet, Sort};
pub use dossier_versions::{CharInfo, Diff, DiffSummary, Hidden, HiddenKind, Op, OpKind, PairSimilarity, Span};
pub use entities::{Cooccurring, Entity, EntityDetail, MENTIONS_SHOWN, ReanalyseSummary};
pub use error::CoreError;
pub use extract_file::{ExtractedNode, extract_file, extract_files};
pub use ingest::{IngestEvent, IngestOptions, IngestSummary, Skipped};
pub use lock::WriterLock;
pub use search::IndexSync;
pub use versions::{VersionCluster, VersionMember, Versions};

use std::path::{Path, PathBuf};

use dossier_catalog::{Catalog, SqliteCatalog};
use dossier_sandbox::SandboxConfig;
pub use dossier_vault::{Problem, VerifiedReader, damage_of};

use dossier_vault::Vault;

/// The catalog's file in a data folder: its presence is what makes a folder a data folder.
const CATALOG_FILE: &str = "catalog.sqlite";

/// A data folder: the evidence vault and the catalog of every collection in it.
pub struct Dossier {
    data_dir: PathBuf,
    vault: Vault,
    catalog: Box<dyn Catalog + Send>,
    /// Opened on first use: commands that only read the catalog never touch it.
    index: Option<dossier_index::Index>,
    /// This process may not write the data folder (a read-only medium): it only searches and reads.
    read_only: bool,
    /// The last clustering of versions, kept while the catalog is unchanged.
    versions_cache: Option<versions::VersionsCache>,
}

/// The result of re-hashing the vault.
#[derive(Debug, Clone, serde::Serialize)]
pub struct VaultReport {
    pub blobs_checked: u64,
    pub bytes_checked: u64,
    pub problems: Vec<VaultProblem>,
}

/// A blob that failed verification, with the documents whose original it is.
#[derive(Debug, Clone, serde::Serialize)]
pub struct VaultProblem {
    #[serde(flatten)]
    pub problem: Problem,
    /// Where the blob is in the vault.
    pub vault_path: PathBuf,
    pub documents: Vec<BlobUse>,
}

impl Dossier {
    /// Opens the data folder, creating it if needed. Only commands that add evidence (ingest, demo) create one:
    /// every other command uses [`Dossier::open`], so that a mistyped or unmounted folder is an error, not an empty
    /// new folder (on the unencrypted disk beneath a volume that is not mounted, say).
    pub fn create(data_dir: &Path) -> Result<Dossier, CoreError> {
        std::fs::create_dir_all(data_dir).map_err(|source| CoreError::Io { path: data_dir.to_path_buf(), source })?;
        Dossier::open_existing(data_dir)
    }

    /// Opens a data folder that exists and holds a catalog; refuses anything else.
    pub fn open(data_dir: &Path) -> Result<Dossier, CoreError> {
        if !data_dir.join(CATALOG_FILE).is_file() {
            return Err(CoreError::NotADataFolder(data_dir.to_path_buf()));
        }
        Dossier::open_existing(data_dir)
    }

    fn open_existing(data_dir: &Path) -> Result<Dossier, CoreError> {
        let read_only = !can_write(data_dir);
        let vault = Vault::open(&data_dir.join("vault"))?;
        let catalog = if read_only {
            SqliteCatalog::open_read_only(&data_dir.join(CATALOG_FILE))?
        } else {
            SqliteCatalog::open(&data_dir.join(CATALOG_FILE))?
        };
        Ok(Dossier {
            data_dir: data_dir.to_path_buf(),
            vault,
            catalog: Box::new(catalog),
            index: None,
            read_only,
            versions_cache: None,
        })
    }

    /// Whether this process may only read the data folder (see [`Dossier::open`]).
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Takes the data folder's writer lock for `what` (a command line), or fails with [`CoreError::Busy`] naming the
    /// process that holds it. Ingest and reindex take it themselves.
    pub fn lock_for_writing(&self, what: &str) -> Result<WriterLock, CoreError> {
        WriterLock::acquire(&self.data_dir, what)
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

    /// Re-hashes every blob the catalog refers to. Each problem names the documents it affects and is recorded in
    /// the catalog, so that those documents show their original as damaged; a blob recorded as damaged that verifies
    /// again (restored by hand) is recorded as repaired.
    pub fn verify_vault(&mut self) -> Result<VaultReport, CoreError> {
        let blobs = self.catalog.blobs()?;
        let damaged_before = self.catalog.open_damage()?;
        let mut report = VaultReport { blobs_checked: 0, bytes_checked: 0, problems: Vec::new() };
        for blob in &blobs {
            report.blobs_checked += 1;
            report.bytes_checked += blob.size;
            match self.vault.verify_blob(blob) {
                Some(problem) => {
                    let value = serde_json::to_value(&problem).unwrap_or_default();
                    self.catalog.record_damage(&blob.blake3, "verify-vault", &value)?;
                    report.problems.push(VaultProblem {
                        problem,
                        vault_path: self.vault.path_of(&blob.blake3),
                        documents: self.catalog.documents_with_blob(&blob.blake3)?,
                    });
                }
                None if damaged_before.contains(&blob.blake3) => {
                    self.catalog.record_repair(
                        &blob.blake3,
                        "verify-vault",
                        &self.vault.path_of(&blob.blake3).to_string_lossy(),
                        "dossier verify-vault",
                        "the vault's copy verifies again (restored outside dossier)",
                    )?;
                }
                None => {}
            }
        }
        Ok(report)
    }

    /// Records that a reader of `blob` found it damaged (`detected_by`: `download`, say).
    pub fn record_damage(&mut self, blake3: &str, detected_by: &str, problem: &Problem) -> Result<(), CoreError> {
        let value = serde_json::to_value(problem).unwrap_or_default();
        Ok(self.catalog.record_damage(blake3, detected_by, &value)?)
    }

    /// The document's custody log, oldest first.
    pub fn custody(&mut self, doc: DocId) -> Result<Vec<CustodyEvent>, CoreError> {
        Ok(self.catalog.custody(doc)?)
    }

    pub fn ingest(
        &mut self,
        options: &IngestOptions,
        on_event: &mut dyn FnMut(&IngestEvent),
    ) -> Result<IngestSummary, CoreError> {
        ingest::run(self, options, on_event)
    }
}

/// Whether this process may write in the data folder: the writer lock's file can be opened for writing (it is made if
/// missing). Permission and read-only file system errors say no; anything else is left to the real writes to report.
fn can_write(data_dir: &Path) -> bool {
    let opened =
        std::fs::OpenOptions::new().write(true).create(true).truncate(false).open(data_dir.join("writer.lock"));
    !matches!(opened, Err(err) if matches!(err.kind(), std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem))
}

/// The memory one ingest (the parent and all its workers together) is held to unless the user says otherwise:
/// the budget the benchmarks hold every run to.
pub const DEFAULT_MEMORY_BUDGET_MIB: u64 = 512;
/// What the parent keeps of the budget for itself (catalog, search index writer, walk): its anonymous memory stays
/// under this on the benchmarks' corpora.
pub const PARENT_MEMORY_RESERVE_MIB: u64 = 128;
/// No worker gets less address space than this: below it ordinary documents (a 30 MB spreadsheet, a scanned page
/// rendered at 300 dpi with Tesseract running beside it) fail.
pub const MIN_WORKER_MEMORY_MIB: u64 = 160;

/// How many workers an ingest runs and the memory each may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryPlan {
    pub workers: usize,
    pub worker_limit_bytes: u64,
}

/// Divides a memory budget between the parent and its workers: what the parent does not keep
/// ([`PARENT_MEMORY_RESERVE_MIB`]) is shared equally by the workers. Without an explicit number of workers there
/// is one per core, but no more than the budget can give [`MIN_WORKER_MEMORY_MIB`] each, so that workers × limit
/// plus the parent fit the budget (a budget too small for even one worker still gets one, at the minimum).
/// With 512 MiB on 2 cores: 2 workers of 192 MiB.
pub fn plan_memory(budget_mib: u64, cores: usize, workers: Option<usize>) -> MemoryPlan {
    let for_workers = budget_mib.saturating_sub(PARENT_MEMORY_RESERVE_MIB);
    let affordable = usize::try_from(for_workers / MIN_WORKER_MEMORY_MIB).unwrap_or(usize::MAX);
    let workers = workers.unwrap_or_else(|| cores.min(affordable)).max(1);
    let per_worker = (for_workers / workers as u64).max(MIN_WORKER_MEMORY_MIB);
    MemoryPlan { workers, worker_limit_bytes: per_worker << 20 }
}

/// The number of cores, the default number of workers before the memory budget is applied.
pub fn available_cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The sandbox settings for workers started from the running executable as `<exe> worker`, each with its share of
/// the default memory budget ([`plan_memory`] with [`DEFAULT_MEMORY_BUDGET_MIB`] and one worker per core).
pub fn default_sandbox_config() -> Result<SandboxConfig, CoreError> {
    let program =
        std::env::current_exe().map_err(|source| CoreError::Io { path: PathBuf::from("/proc/self/exe"), source })?;
    let plan = plan_memory(DEFAULT_MEMORY_BUDGET_MIB, available_cores(), None);
    Ok(SandboxConfig {
        program,
        args: vec!["worker".into()],
        memory_limit_bytes: Some(plan.worker_limit_bytes),
        timeout: std::time::Duration::from_secs(120),
        max_extension: std::time::Duration::from_secs(3600),
        env: Vec::new(),
        scratch_dir: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: each worker could use 4 GiB, one per core, against a budget of 512 MB for the whole ingest; a
    /// 123 KB JBIG2 bomb drove one worker to 2.4 GB.
    #[test]
    fn the_default_workers_and_parent_fit_the_memory_budget() {
        for cores in [1, 2, 4, 16, 64] {
            let plan = plan_memory(DEFAULT_MEMORY_BUDGET_MIB, cores, None);
            let total = plan.workers as u64 * (plan.worker_limit_bytes >> 20) + PARENT_MEMORY_RESERVE_MIB;
            assert!(total <= DEFAULT_MEMORY_BUDGET_MIB, "{cores} cores: {plan:?} needs {total} MiB");
            assert!(plan.worker_limit_bytes >= MIN_WORKER_MEMORY_MIB << 20);
        }
        assert_eq!(
            plan_memory(DEFAULT_MEMORY_BUDGET_MIB, 2, None),
            MemoryPlan { workers: 2, worker_limit_bytes: 192 << 20 }
        );
        let config = default_sandbox_config().expect("config");
        let workers = plan_memory(DEFAULT_MEMORY_BUDGET_MIB, available_cores(), None).workers as u64;
        let limit = config.memory_limit_bytes.expect("workers have a memory limit") >> 20;
        assert!(workers * limit + PARENT_MEMORY_RESERVE_MIB <= DEFAULT_MEMORY_BUDGET_MIB);
    }

    #[test]
    fn explicit_workers_share_the_budget() {
        assert_eq!(plan_memory(1024, 2, Some(4)), MemoryPlan { workers: 4, worker_limit_bytes: 224 << 20 });
        // A budget too small for the workers asked for still gives each the minimum.
        assert_eq!(plan_memory(256, 8, Some(4)).worker_limit_bytes, MIN_WORKER_MEMORY_MIB << 20);
        assert_eq!(
            plan_memory(64, 8, None),
            MemoryPlan { workers: 1, worker_limit_bytes: MIN_WORKER_MEMORY_MIB << 20 }
        );
    }
}
