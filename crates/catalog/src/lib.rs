//! The catalog of collections and documents, behind the [`Catalog`] trait.
//!
//! Invariants:
//! - Every file the walker saw has exactly one document row per (collection, path, content), whatever happened to it.
//! - A document's result and all its children are written in one transaction, so an interrupted run leaves each
//!   document either `pending` (to be redone) or finished with all its children recorded, never in between.
//! - Re-adding a known root or child is a no-op: ingest can be re-run at any time without duplicates.

mod error;
mod escape;
mod sqlite;

pub use error::CatalogError;
pub use escape::{escape_bytes, escape_controls, is_control};
pub use sqlite::SqliteCatalog;

use dossier_document::{Format, Metadata};
pub use dossier_entities::{Analysis, Mention};
use dossier_vault::Blob;
pub use dossier_versions::Fingerprint;
use serde::Serialize;

pub type DocId = i64;
pub type CollectionId = i64;

/// The outcome of reading a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Pending,
    Ok,
    Partial,
    Failed,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Pending => "pending",
            State::Ok => "ok",
            State::Partial => "partial",
            State::Failed => "failed",
        }
    }

    fn parse(s: &str) -> Option<State> {
        [State::Pending, State::Ok, State::Partial, State::Failed].into_iter().find(|state| state.as_str() == s)
    }
}

/// Why a document failed: a groupable summary ("unsupported format image/png") and the full reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    pub summary: String,
    pub detail: String,
}

/// A file the walker found.
#[derive(Debug, Clone)]
pub struct NewRoot<'a> {
    pub collection: CollectionId,
    /// The path as shown (see [`DocRecord::path`]).
    pub source_path: &'a str,
    /// The path's exact bytes, when they are not `source_path` in UTF-8 (a name in another encoding).
    pub raw_path: Option<&'a [u8]>,
    /// `None` when the file could not be read into the vault; `failure` then says why.
    pub blob: Option<&'a Blob>,
    pub failure: Option<Failure>,
    /// The command line that ingested it, for the custody record.
    pub command: &'a str,
}

/// A document waiting to be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingDoc {
    pub id: DocId,
    pub collection: CollectionId,
    pub blake3: String,
    /// The source path of a top-level file, or the name of a child inside its parent.
    pub name: String,
    pub depth: u32,
    pub size: u64,
    /// The top-level file it came out of, and that file's size: nested archives are budgeted per top-level file.
    pub root_id: DocId,
    pub root_size: u64,
}

/// What all descendants of one top-level file have unpacked so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TreeUsage {
    pub unpacked_bytes: u64,
    pub entries: u64,
}

/// A child found while reading a document.
#[derive(Debug, Clone)]
pub struct NewChild {
    pub name: String,
    pub kind: String,
    pub modified: Option<String>,
    pub blob: Blob,
    /// Set when the child is refused without being read (nesting too deep, unpack budget spent).
    pub failure: Option<Failure>,
}

/// The result of reading one document.
#[derive(Debug, Clone)]
pub struct DocResult {
    pub state: State,
    pub format: Option<Format>,
    pub text: String,
    pub metadata: Metadata,
    pub diagnostics: Vec<String>,
    pub failure: Option<Failure>,
    pub children: Vec<NewChild>,
    /// What the analysis of `text` found, when it ran.
    pub analysis: Option<Analysis>,
    /// The fingerprint of `text` (which documents hold the same text), when the worker made one.
    pub fingerprint: Option<Fingerprint>,
}

/// Counts of documents by state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub documents: u64,
    pub ok: u64,
    pub partial: u64,
    pub failed: u64,
    pub pending: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CollectionStatus {
    pub name: String,
    #[serde(flatten)]
    pub counts: Counts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReasonCount {
    pub reason: String,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Status {
    #[serde(flatten)]
    pub totals: Counts,
    pub collections: Vec<CollectionStatus>,
    pub failure_reasons: Vec<ReasonCount>,
}

/// One failed document, for `dossier failures`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FailedDoc {
    pub id: DocId,
    pub collection: String,
    pub path: String,
    pub format: Option<String>,
    pub reason: String,
    pub detail: String,
}

/// How many documents of one format a collection holds, by state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormatCount {
    pub format: Option<String>,
    #[serde(flatten)]
    pub counts: Counts,
}

/// A stored document, as read back.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocRecord {
    pub id: DocId,
    pub collection: String,
    pub parent_id: Option<DocId>,
    pub path: String,
    pub name: String,
    pub child_kind: Option<String>,
    pub depth: u32,
    pub state: State,
    pub format: Option<String>,
    pub blake3: Option<String>,
    pub sha256: Option<String>,
    pub size: Option<u64>,
    pub metadata: serde_json::Value,
    pub diagnostics: Vec<String>,
    pub reason: Option<String>,
    /// Custody of a top-level file: when it was ingested and by which command (children inherit their parent's).
    pub ingested_at: Option<String>,
    pub ingested_by: Option<String>,
    /// The exact bytes of a top-level file's path, escaped (see [`escape_bytes`]), when the file system gave a name
    /// that is not UTF-8; `path` then shows it decoded or escaped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw_path: Option<String>,
    /// Set while the stored original does not match its record: it must not be handed out as the original.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub damage: Option<Damage>,
}

/// A stored original found not to match its recorded hashes, and not repaired since.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Damage {
    pub detected_at: String,
    /// What found it: `download`, `verify-vault` or `ingest`.
    pub detected_by: String,
    /// What was found instead (the vault's problem report: sizes and hashes of the bytes there).
    pub problem: serde_json::Value,
}

/// One entry of a document's custody log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustodyEvent {
    /// `ingested` or `blob-repaired`.
    pub event: String,
    pub at: String,
    pub source_path: String,
    pub blake3: String,
    pub command: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// A document that refers to a blob, for naming what a vault problem affects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BlobUse {
    pub id: DocId,
    pub collection: String,
    pub path: String,
}

/// A finished document with what the search index needs of it, in the order documents were finished.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexableDoc {
    pub id: DocId,
    /// The document's place in the finish sequence: the index remembers the last one it holds.
    pub seq: i64,
    pub collection: String,
    pub parent_id: Option<DocId>,
    pub path: String,
    pub name: String,
    pub state: State,
    pub format: Option<String>,
    pub metadata: serde_json::Value,
    pub text: String,
    /// The kind and value of each entity mentioned, once each (for the search fields `person:`, `inn:`...).
    pub entities: Vec<(String, String)>,
}

/// A document's stored analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredAnalysis {
    pub version: String,
    pub analysed_at: String,
    pub missing: Vec<String>,
    pub mentions: Vec<Mention>,
}

/// The mentions of one kind that share a key and a value, counted over a collection (or all of them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntityRow {
    pub kind: String,
    pub key: String,
    pub value: String,
    pub mentions: u64,
    pub documents: u64,
}

/// Which mentions to read: of one kind, in one collection or all, and of these (key, value) pairs.
#[derive(Debug, Clone, Copy)]
pub struct EntityFilter<'a> {
    pub collection: Option<&'a str>,
    pub kind: &'a str,
    pub members: &'a [(String, String)],
}

/// A mention with the document it is in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocMention {
    pub document: DocId,
    #[serde(flatten)]
    pub mention: Mention,
}

/// What the ingest pipeline, the CLI and the server need from a catalog backend.
pub trait Catalog {
    /// Returns the collection's id, creating it if new.
    fn ensure_collection(&mut self, name: &str) -> Result<CollectionId, CatalogError>;
    /// Records a file the walker found; returns its id and whether it was new. Known files are left as they are.
    fn add_root(&mut self, root: &NewRoot<'_>) -> Result<(DocId, bool), CatalogError>;
    /// Up to `limit` pending documents with an id above `after`, in id order (children come after their parents).
    fn pending(
        &mut self,
        collection: CollectionId,
        after: DocId,
        limit: usize,
    ) -> Result<Vec<PendingDoc>, CatalogError>;
    /// What the descendants of the top-level file `root` have unpacked so far.
    fn tree_usage(&mut self, root: DocId) -> Result<TreeUsage, CatalogError>;
    /// Stores a document's result and its children atomically, and adds the children to the tree's usage. A document
    /// that is no longer pending is left as it is.
    fn finish(&mut self, doc: DocId, result: &DocResult) -> Result<(), CatalogError>;
    /// Turns the collection's failed documents back into pending ones; returns how many.
    fn reset_failed(&mut self, collection: CollectionId) -> Result<u64, CatalogError>;
    fn status(&mut self) -> Result<Status, CatalogError>;
    fn failures(&mut self, collection: Option<&str>) -> Result<Vec<FailedDoc>, CatalogError>;
    /// Every blob the catalog refers to, for vault verification.
    fn blobs(&mut self) -> Result<Vec<Blob>, CatalogError>;
    fn documents(&mut self, collection: &str) -> Result<Vec<DocRecord>, CatalogError>;
    fn document(&mut self, doc: DocId) -> Result<Option<DocRecord>, CatalogError>;
    /// The document's children in the order they were found in it.
    fn children(&mut self, doc: DocId) -> Result<Vec<DocRecord>, CatalogError>;
    /// Documents of the collection by format (`None`: not read yet, or unreadable), most numerous first.
    fn format_counts(&mut self, collection: &str) -> Result<Vec<FormatCount>, CatalogError>;
    fn text(&mut self, doc: DocId) -> Result<Option<String>, CatalogError>;
    /// The document's custody log, oldest first (a child's is its top-level file's).
    fn custody(&mut self, doc: DocId) -> Result<Vec<CustodyEvent>, CatalogError>;
    /// Every document whose original is the blob `blake3`.
    fn documents_with_blob(&mut self, blake3: &str) -> Result<Vec<BlobUse>, CatalogError>;
    /// Records that the stored blob `blake3` does not match its record (kept once until repaired).
    fn record_damage(
        &mut self,
        blake3: &str,
        detected_by: &str,
        problem: &serde_json::Value,
    ) -> Result<(), CatalogError>;
    /// Records that the blob `blake3` was replaced by a verified copy from `source_path`: closes its damage records
    /// and adds a `blob-repaired` custody entry to every document that refers to it.
    fn record_repair(
        &mut self,
        blake3: &str,
        repaired_by: &str,
        source_path: &str,
        command: &str,
        detail: &str,
    ) -> Result<(), CatalogError>;
    /// The blobs recorded as damaged and not repaired since.
    fn open_damage(&mut self) -> Result<Vec<String>, CatalogError>;
    /// Top-level files of the collection that the walker could not read into the vault: their exact paths, to be
    /// tried again.
    fn walk_failures(&mut self, collection: CollectionId) -> Result<Vec<Vec<u8>>, CatalogError>;
    /// Up to `limit` finished documents whose finish sequence is above `after_seq`, in sequence order. A document
    /// finished twice (failed, retried) appears once, at its latest place.
    fn indexable_since(&mut self, after_seq: i64, limit: usize) -> Result<Vec<IndexableDoc>, CatalogError>;
    /// The highest finish sequence so far (0 when nothing is finished).
    fn last_seq(&mut self) -> Result<i64, CatalogError>;

    /// The document's stored analysis, if it has one.
    fn analysis(&mut self, doc: DocId) -> Result<Option<StoredAnalysis>, CatalogError>;
    /// Replaces the finished document's analysis and gives it a new place in the finish sequence, so that the search
    /// index takes in its new entities.
    fn replace_analysis(&mut self, doc: DocId, analysis: &Analysis) -> Result<(), CatalogError>;
    /// The fingerprint of the document's text, if it has one of this dossier's version.
    fn fingerprint(&mut self, doc: DocId) -> Result<Option<Fingerprint>, CatalogError>;
    /// Replaces the document's fingerprint (`dossier reanalyse`).
    fn replace_fingerprint(&mut self, doc: DocId, fingerprint: &Fingerprint) -> Result<(), CatalogError>;
    /// Gives `each` the fingerprints of this dossier's version of the finished documents of the collection (or of
    /// all), in id order, one at a time; returns how many finished documents have none (`dossier reanalyse` makes
    /// them).
    fn for_each_fingerprint(
        &mut self,
        collection: Option<&str>,
        each: &mut dyn FnMut(DocId, Fingerprint),
    ) -> Result<u64, CatalogError>;
    /// Up to `limit` finished documents of the collection (or of all) with an id above `after` that have a text and
    /// no analysis of `version` or no fingerprint of this dossier's version, in id order (`dossier reanalyse`).
    fn to_analyse(
        &mut self,
        version: &str,
        collection: Option<&str>,
        after: DocId,
        limit: usize,
    ) -> Result<Vec<DocId>, CatalogError>;
    /// How many finished documents of the collection (or of all) with a text have no analysis of `version`.
    fn count_to_analyse(&mut self, version: &str, collection: Option<&str>) -> Result<u64, CatalogError>;
    /// Mentions grouped by kind, key and value, over one collection or all; of one kind when given.
    fn entity_rows(&mut self, collection: Option<&str>, kind: Option<&str>) -> Result<Vec<EntityRow>, CatalogError>;
    /// The documents that mention any of the filter's members, in id order.
    fn entity_documents(&mut self, filter: &EntityFilter<'_>) -> Result<Vec<DocId>, CatalogError>;
    /// Up to `limit` mentions of the filter's members, in document and text order.
    fn entity_mentions(&mut self, filter: &EntityFilter<'_>, limit: usize) -> Result<Vec<DocMention>, CatalogError>;
}
