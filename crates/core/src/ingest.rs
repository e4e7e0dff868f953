//! The ingest pipeline: walk, store, record, then extract until nothing is pending.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use dossier_catalog::{Catalog, CollectionId, DocId, DocResult, Failure, NewChild, NewRoot, PendingDoc, State};
use dossier_document::{ExtractError, Limits, Metadata, Options};
use dossier_sandbox::{Request, Response, Sandbox, SandboxConfig, SandboxFailure};
use dossier_vault::Vault;

use crate::{CoreError, Dossier};

/// How often ingest commits newly finished documents to the search index.
const INDEX_SYNC_INTERVAL: std::time::Duration = std::time::Duration::from_secs(5);

/// What to ingest and how.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    pub collection: String,
    pub paths: Vec<PathBuf>,
    /// Turn failed documents of the collection back into pending ones first.
    pub retry_failed: bool,
    pub workers: usize,
    pub sandbox: SandboxConfig,
    pub limits: Limits,
    pub options: Options,
    /// Find the names, identifiers, dates and amounts in each text as it is extracted.
    pub analyse: bool,
    /// The command line, for custody records.
    pub command: String,
}

/// Progress, as it happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IngestEvent {
    /// The walker stored another file: totals so far.
    Walked { files: u64, bytes: u64 },
    /// Another document was read: totals so far, and how many are known to remain.
    Extracted { documents: u64, bytes: u64, remaining: u64 },
}

/// The totals of one ingest run.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct IngestSummary {
    pub collection: String,
    /// Files found by the walker, new or already known.
    pub files_walked: u64,
    pub files_new: u64,
    pub bytes_walked: u64,
    /// Documents read in this run (top-level files and children).
    pub documents_extracted: u64,
    pub bytes_extracted: u64,
    /// Documents added to the search index in this run.
    pub documents_indexed: u64,
    pub seconds: f64,
    /// The collection's state after the run.
    pub counts: dossier_catalog::Counts,
    /// What the walker left out on purpose, and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<Skipped>,
    /// What the analysis could not look for in this run (a name model that is not installed), once each.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_looked_for: Vec<String>,
}

/// A path the walker did not read, on purpose.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

pub(crate) fn run(
    dossier: &mut Dossier,
    options: &IngestOptions,
    on_event: &mut dyn FnMut(&IngestEvent),
) -> Result<IngestSummary, CoreError> {
    let started = Instant::now();
    for path in &options.paths {
        if std::fs::symlink_metadata(path).is_err() {
            return Err(CoreError::NoSuchPath(path.clone()));
        }
    }
    // Everything below writes: the vault's and the staging folder's leftovers are this data folder's own only
    // because no other writer can be running.
    let _lock = dossier.lock_for_writing(&options.command)?;
    dossier.vault.clean_tmp()?;
    let staging_root = dossier.data_dir.join("staging");
    let _ = std::fs::remove_dir_all(&staging_root);
    std::fs::create_dir_all(&staging_root).map_err(|source| CoreError::Io { path: staging_root.clone(), source })?;

    let collection = dossier.catalog.ensure_collection(&options.collection)?;
    let mut summary = IngestSummary { collection: options.collection.clone(), ..IngestSummary::default() };
    if options.retry_failed {
        dossier.catalog.reset_failed(collection)?;
        retry_walk_failures(dossier, collection, options, &mut summary)?;
    }
    walk(dossier, collection, options, &mut summary, on_event)?;
    extract_pending(dossier, collection, options, &staging_root, &mut summary, on_event)?;
    let _ = std::fs::remove_dir_all(&staging_root);
    summary.documents_indexed += dossier.sync_index()?.documents_indexed;
    dossier.close_index_writer()?;

    let status = dossier.catalog.status()?;
    if let Some(counts) = status.collections.into_iter().find(|c| c.name == options.collection) {
        summary.counts = counts.counts;
    }
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// Stores and records every file under the given paths. Files the walker cannot read are recorded as failed.
fn walk(
    dossier: &mut Dossier,
    collection: CollectionId,
    options: &IngestOptions,
    summary: &mut IngestSummary,
    on_event: &mut dyn FnMut(&IngestEvent),
) -> Result<(), CoreError> {
    let own = OwnFiles::of(&dossier.data_dir);
    for path in &options.paths {
        let mut skipped = Vec::new();
        let walker =
            walkdir::WalkDir::new(path).follow_links(false).sort_by_file_name().into_iter().filter_entry(|entry| {
                let own = own.contains(entry.path());
                if own {
                    skipped.push(entry.path().to_path_buf());
                }
                !own
            });
        for entry in walker {
            let (path, failure) = match entry {
                Ok(entry) if entry.file_type().is_dir() => continue,
                Ok(entry) if entry.file_type().is_file() => (entry.into_path(), None),
                Ok(entry) => {
                    let what =
                        if entry.path_is_symlink() { "symbolic link (not followed)" } else { "not a regular file" };
                    let detail = match std::fs::read_link(entry.path()) {
                        Ok(target) => format!("{what}: points to {}", target.display()),
                        Err(_) => what.to_string(),
                    };
                    (entry.into_path(), Some(Failure { summary: what.to_string(), detail }))
                }
                Err(err) => {
                    let Some(path) = err.path().map(Path::to_path_buf) else {
                        continue;
                    };
                    let detail = err.io_error().map_or_else(|| err.to_string(), |io| io.to_string());
                    (path, Some(Failure { summary: "I/O error".to_string(), detail }))
                }
            };
            add_file(dossier, collection, options, &path, failure, summary)?;
            on_event(&IngestEvent::Walked { files: summary.files_walked, bytes: summary.bytes_walked });
        }
        summary.skipped.extend(skipped.into_iter().map(|path| Skipped {
            path: display_path(&absolute(&path)).0,
            reason: "dossier's own data folder (its catalog, vault and index are not evidence)".to_string(),
        }));
    }
    Ok(())
}

/// Tries again the files of the collection that could not be read into the vault before (`--retry-failed`).
fn retry_walk_failures(
    dossier: &mut Dossier,
    collection: CollectionId,
    options: &IngestOptions,
    summary: &mut IngestSummary,
) -> Result<(), CoreError> {
    use std::os::unix::ffi::OsStringExt;
    for raw in dossier.catalog.walk_failures(collection)? {
        let path = PathBuf::from(std::ffi::OsString::from_vec(raw));
        let failure = match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_file() => None,
            Ok(_) => Some(Failure {
                summary: "not a regular file".to_string(),
                detail: "not a regular file (any more)".to_string(),
            }),
            Err(err) => Some(Failure { summary: "I/O error".to_string(), detail: err.to_string() }),
        };
        add_file(dossier, collection, options, &path, failure, summary)?;
    }
    Ok(())
}

/// Stores one file the walker found (unless `failure` says it cannot be read) and records it.
fn add_file(
    dossier: &mut Dossier,
    collection: CollectionId,
    options: &IngestOptions,
    path: &Path,
    failure: Option<Failure>,
    summary: &mut IngestSummary,
) -> Result<(), CoreError> {
    let (source_path, raw_path) = display_path(&absolute(path));
    let stored = if failure.is_none() { Some(dossier.vault.store_file(path)) } else { None };
    let (blob, failure) = match stored {
        Some(Ok(stored)) => {
            if let Some(problem) = &stored.repaired {
                record_repair(dossier.catalog.as_mut(), &stored.blob, problem, &source_path, &options.command)?;
            }
            (Some(stored.blob), None)
        }
        Some(Err(err)) => (None, Some(Failure { summary: "I/O error".to_string(), detail: error_chain(&err) })),
        None => (None, failure),
    };
    let (_, new) = dossier.catalog.add_root(&NewRoot {
        collection,
        source_path: &source_path,
        raw_path: raw_path.as_deref(),
        blob: blob.as_ref(),
        failure,
        command: &options.command,
    })?;
    summary.files_walked += 1;
    summary.files_new += u64::from(new);
    summary.bytes_walked += blob.as_ref().map_or(0, |blob| blob.size);
    Ok(())
}

/// Notes in the catalog that a damaged blob was replaced by a verified copy read from `source`.
fn record_repair(
    catalog: &mut dyn Catalog,
    blob: &dossier_vault::Blob,
    problem: &dossier_vault::Problem,
    source: &str,
    command: &str,
) -> Result<(), CoreError> {
    let found = serde_json::to_string(problem).unwrap_or_default();
    let detail = format!(
        "the vault's copy did not match its record ({found}); replaced by the verified copy read from {source}"
    );
    catalog.record_damage(&blob.blake3, "ingest", &serde_json::to_value(problem).unwrap_or_default())?;
    catalog.record_repair(&blob.blake3, "ingest", source, command, &detail)?;
    Ok(())
}

/// The absolute form of a path, without resolving links.
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// How a path is shown, and its exact bytes when they are not that text in UTF-8. A component that is not UTF-8
/// is shown decoded when it is clearly a Cyrillic name in a Windows or DOS code page (`Приказ.txt` written by a
/// Windows tool), escaped otherwise (`a\xFF.txt`); the exact bytes, kept beside it, are what identifies the file.
fn display_path(path: &Path) -> (String, Option<Vec<u8>>) {
    use std::os::unix::ffi::OsStrExt;
    let bytes = path.as_os_str().as_bytes();
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (text.to_string(), None);
    }
    let components: Vec<String> = bytes
        .split(|byte| *byte == b'/')
        .map(|component| match std::str::from_utf8(component) {
            Ok(_) => dossier_catalog::escape_bytes(component),
            Err(_) => {
                dossier_text::cyrillic_file_name(component).unwrap_or_else(|| dossier_catalog::escape_bytes(component))
            }
        })
        .collect();
    (components.join("/"), Some(bytes.to_vec()))
}

/// Dossier's own files in the data folder, recognised by device and inode so that any path to them is caught.
struct OwnFiles {
    ids: Vec<(u64, u64)>,
}

impl OwnFiles {
    fn of(data_dir: &Path) -> OwnFiles {
        use std::os::unix::fs::MetadataExt;
        let names = ["", "vault", "index", "staging", "scratch", "ocr-cache", "catalog.sqlite", "writer.lock"];
        let ids = names
            .iter()
            .filter_map(|name| std::fs::symlink_metadata(data_dir.join(name)).ok())
            .map(|meta| (meta.dev(), meta.ino()))
            .collect();
        OwnFiles { ids }
    }

    fn contains(&self, path: &Path) -> bool {
        use std::os::unix::fs::MetadataExt;
        std::fs::symlink_metadata(path).is_ok_and(|meta| self.ids.contains(&(meta.dev(), meta.ino())))
    }
}

fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(err) = source {
        text.push_str(": ");
        text.push_str(&err.to_string());
        source = err.source();
    }
    text
}

struct Job {
    doc: PendingDoc,
    request: Request,
}

struct Done {
    doc: PendingDoc,
    staging_dir: PathBuf,
    outcome: Result<Response, SandboxFailure>,
}

/// Reads every pending document of the collection in a pool of sandboxed workers, until none is left.
fn extract_pending(
    dossier: &mut Dossier,
    collection: CollectionId,
    options: &IngestOptions,
    staging_root: &Path,
    summary: &mut IngestSummary,
    on_event: &mut dyn FnMut(&IngestEvent),
) -> Result<(), CoreError> {
    let n_workers = options.workers.max(1);
    let (job_sender, job_receiver) = mpsc::channel::<Job>();
    let job_receiver = Arc::new(Mutex::new(job_receiver));
    let (done_sender, done_receiver) = mpsc::channel::<Done>();
    let mut threads = Vec::new();
    for _ in 0..n_workers {
        let jobs = Arc::clone(&job_receiver);
        let done = done_sender.clone();
        let config = with_scratch_in(&options.sandbox, staging_root);
        threads.push(std::thread::spawn(move || {
            let mut sandbox = Sandbox::new(config);
            loop {
                let job = match jobs.lock() {
                    Ok(jobs) => jobs.recv(),
                    Err(_) => break,
                };
                let Ok(Job { doc, request }) = job else { break };
                let outcome = sandbox.run_with_fallback(&request);
                let staging_dir = request.staging_dir;
                if done.send(Done { doc, staging_dir, outcome }).is_err() {
                    break;
                }
            }
        }));
    }
    drop(done_sender);

    // Recognised text is cached in the data folder, so a re-run or a duplicate scan is not recognised again.
    let mut reader_options = options.options.clone();
    if reader_options.ocr.cache_dir.is_none() {
        reader_options.ocr.cache_dir = Some(dossier.data_dir.join("ocr-cache"));
    }
    let mut remaining = count_pending(dossier.catalog.as_mut(), &options.collection)?;
    // The index catches up with the catalog in batches: often enough that searches during a long ingest see
    // recent documents, rarely enough that commits stay cheap.
    let mut last_index_sync = Instant::now();
    let mut cursor: DocId = 0;
    let mut in_flight = 0usize;
    let window = n_workers * 2;
    let result = (|| -> Result<(), CoreError> {
        loop {
            if in_flight < window {
                let batch = dossier.catalog.pending(collection, cursor, window - in_flight)?;
                for doc in batch {
                    cursor = doc.id;
                    if doc.depth > options.limits.max_depth {
                        // Refused before it reaches a worker, however it became pending (a retry of a failure, a
                        // catalog written with other limits): otherwise each retry would unpack one level deeper.
                        dossier.catalog.finish(doc.id, &failed(None, too_deep(doc.depth, &options.limits)))?;
                        remaining = remaining.saturating_sub(1);
                        continue;
                    }
                    let request = Request {
                        path: dossier.vault.path_of(&doc.blake3),
                        name: Some(display_name(&doc.name)),
                        staging_dir: staging_root.join(doc.id.to_string()),
                        limits: options.limits.clone(),
                        options: reader_options.clone(),
                        cheaper: false,
                        analyse: options.analyse,
                    };
                    if job_sender.send(Job { doc, request }).is_err() {
                        break;
                    }
                    in_flight += 1;
                }
            }
            if in_flight == 0 {
                return Ok(());
            }
            let Ok(done) = done_receiver.recv() else {
                return Ok(());
            };
            in_flight -= 1;
            let size = done.doc.size;
            if let Ok(Response { analysis: Some(Ok(analysis)), .. }) = &done.outcome {
                for missing in &analysis.missing {
                    if !summary.not_looked_for.contains(missing) {
                        summary.not_looked_for.push(missing.clone());
                    }
                }
            }
            let new_children =
                record(&dossier.vault, dossier.catalog.as_mut(), &options.limits, &options.sandbox, done)?;
            summary.documents_extracted += 1;
            summary.bytes_extracted += size;
            if last_index_sync.elapsed() >= INDEX_SYNC_INTERVAL {
                summary.documents_indexed += dossier.sync_index()?.documents_indexed;
                last_index_sync = Instant::now();
            }
            remaining = (remaining + new_children).saturating_sub(1);
            on_event(&IngestEvent::Extracted {
                documents: summary.documents_extracted,
                bytes: summary.bytes_extracted,
                remaining,
            });
        }
    })();
    drop(job_sender);
    for thread in threads {
        let _ = thread.join();
    }
    result
}

/// The sandbox settings with the workers' temporary files inside the data folder's staging folder, which every
/// ingest empties when it starts: what a killed run leaves there (a page rendered for OCR) is gone on the next.
fn with_scratch_in(sandbox: &SandboxConfig, staging_root: &Path) -> SandboxConfig {
    SandboxConfig { scratch_dir: Some(staging_root.join("tmp")), ..sandbox.clone() }
}

fn count_pending(catalog: &mut dyn Catalog, collection: &str) -> Result<u64, CoreError> {
    let status = catalog.status()?;
    Ok(status.collections.iter().find(|c| c.name == collection).map_or(0, |c| c.counts.pending))
}

/// The name a reader sees: the file name of a top-level file, the full member path of a child.
fn display_name(name: &str) -> String {
    if name.starts_with('/') {
        Path::new(name).file_name().map_or_else(|| name.to_string(), |n| n.to_string_lossy().into_owned())
    } else {
        name.to_string()
    }
}

/// Stores a finished document's children in the vault and its result in the catalog. Returns how many new pending
/// documents it created.
fn record(
    vault: &Vault,
    catalog: &mut dyn Catalog,
    limits: &Limits,
    sandbox: &SandboxConfig,
    done: Done,
) -> Result<u64, CoreError> {
    let Done { doc, staging_dir, outcome } = done;
    let result = match outcome {
        Err(failure) => {
            let (summary, detail) = failure.reason(sandbox);
            failed(None, Failure { summary, detail })
        }
        Ok(Response { format, result: Err(err), .. }) => {
            failed(format, Failure { summary: err.summary(), detail: err.to_string() })
        }
        Ok(Response { format, result: Ok(extraction), children, analysis, fingerprint }) => {
            // Each worker request is budgeted on its own; nested archives (zips of zips of zips) are budgeted here,
            // against the top-level file they all came out of.
            if let Some(err) = tree_budget_exceeded(catalog, limits, &doc, &children)? {
                let failure = Failure { summary: err.summary(), detail: err.to_string() };
                catalog.finish(doc.id, &failed(format, failure))?;
                let _ = std::fs::remove_dir_all(&staging_dir);
                return Ok(0);
            }
            let mut new_children = Vec::with_capacity(children.len());
            let mut diagnostics = extraction.diagnostics;
            let analysis = match analysis {
                Some(Ok(analysis)) => Some(analysis),
                Some(Err(error)) => {
                    diagnostics.push(error);
                    None
                }
                None => None,
            };
            for child in children {
                match vault.store_file(&child.path) {
                    Ok(stored) => {
                        if let Some(problem) = &stored.repaired {
                            let source = format!("{}!/{}", doc.name, child.meta.name);
                            record_repair(catalog, &stored.blob, problem, &source, "dossier ingest (extraction)")?;
                        }
                        let depth = doc.depth + 1;
                        let failure = (depth > limits.max_depth).then(|| too_deep(depth, limits));
                        new_children.push(NewChild {
                            name: child.meta.name,
                            kind: child.meta.kind.name().to_string(),
                            modified: child.meta.modified,
                            blob: stored.blob,
                            failure,
                        });
                    }
                    Err(err) => diagnostics.push(format!(
                        "child {} could not be stored: {}",
                        child.meta.name,
                        error_chain(&err)
                    )),
                }
            }
            let state = if diagnostics.is_empty() { State::Ok } else { State::Partial };
            DocResult {
                state,
                format,
                text: extraction.text,
                metadata: extraction.metadata,
                diagnostics,
                failure: None,
                children: new_children,
                analysis,
                fingerprint,
            }
        }
    };
    let new_pending = result.children.iter().filter(|child| child.failure.is_none()).count() as u64;
    catalog.finish(doc.id, &result)?;
    let _ = std::fs::remove_dir_all(&staging_dir);
    Ok(new_pending)
}

/// The limit that the children of `doc` would push its top-level file's tree past, if any.
fn tree_budget_exceeded(
    catalog: &mut dyn Catalog,
    limits: &Limits,
    doc: &PendingDoc,
    children: &[dossier_sandbox::StagedChild],
) -> Result<Option<ExtractError>, CoreError> {
    if children.is_empty() || doc.depth == 0 {
        // A top-level file's own children were already budgeted by the worker.
        return Ok(None);
    }
    let usage = catalog.tree_usage(doc.root_id)?;
    let bytes = usage.unpacked_bytes + children.iter().map(|child| child.size).sum::<u64>();
    let entries = usage.entries + children.len() as u64;
    let ratio = bytes / doc.root_size.max(1);
    let exceeded = if bytes > limits.max_unpacked_bytes {
        Some(format!("tree unpacked bytes {bytes} > {}", limits.max_unpacked_bytes))
    } else if entries > limits.max_entries {
        Some(format!("tree entries {entries} > {}", limits.max_entries))
    } else if bytes > limits.ratio_floor_bytes && ratio > limits.max_ratio {
        Some(format!(
            "tree compression ratio {ratio} > {} ({bytes} bytes from a {}-byte file)",
            limits.max_ratio, doc.root_size
        ))
    } else {
        None
    };
    Ok(exceeded.map(ExtractError::LimitExceeded))
}

fn too_deep(depth: u32, limits: &Limits) -> Failure {
    Failure {
        summary: "limit exceeded: nesting depth".to_string(),
        detail: format!("limit exceeded: nesting depth {depth} > {}", limits.max_depth),
    }
}

fn failed(format: Option<dossier_document::Format>, failure: Failure) -> DocResult {
    DocResult {
        state: State::Failed,
        format,
        text: String::new(),
        metadata: Metadata::default(),
        diagnostics: Vec::new(),
        failure: Some(failure),
        children: Vec::new(),
        analysis: None,
        fingerprint: None,
    }
}
