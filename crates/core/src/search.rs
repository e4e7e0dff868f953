//! The search index as the facade sees it: kept in step with the catalog, rebuilt on demand, queried.
//!
//! The index follows the catalog's finish sequence. Ingest catches it up every few seconds and at the end; a
//! search catches it up first when it is behind (after a crash, say) and nobody else is writing it.

use std::time::Instant;

use dossier_catalog::IndexableDoc;
use dossier_index::{Hit, Index, IndexDoc, IndexError, SearchRequest, SearchResults};

use crate::{CoreError, Dossier};

/// Documents read from the catalog per round trip while catching up.
const BATCH: usize = 64;
/// Bytes of documents handed to the indexer before a commit makes it catch up.
const MAX_INDEX_BACKLOG_BYTES: usize = 128 << 20;

/// What a catch-up or a rebuild did.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct IndexSync {
    pub documents_indexed: u64,
    pub seconds: f64,
    /// Documents in the index afterwards.
    pub documents_in_index: u64,
}

impl Dossier {
    /// The index, opened on first use. An index written in another format version is rebuilt from the catalog.
    fn index(&mut self) -> Result<&mut Index, CoreError> {
        if self.index.is_none() {
            let dir = self.data_dir.join("index");
            let index = if self.read_only {
                Index::open_read_only(&dir)?
            } else {
                match Index::open(&dir) {
                    Err(IndexError::Version { .. }) => Index::recreate(&dir)?,
                    other => other?,
                }
            };
            self.index = Some(index);
        }
        Ok(self.index.as_mut().expect("opened above"))
    }

    /// Adds every document finished since the index's last commit, and commits.
    pub fn sync_index(&mut self) -> Result<IndexSync, CoreError> {
        let started = Instant::now();
        let catalog_seq = self.catalog.last_seq()?;
        let mut seq = self.index()?.committed_seq()?;
        let mut sync = IndexSync::default();
        if catalog_seq > seq {
            loop {
                let batch = self.catalog.indexable_since(seq, BATCH)?;
                let Some(last) = batch.last() else { break };
                seq = last.seq;
                let docs: Vec<IndexDoc<'_>> = batch.iter().map(index_doc).collect();
                self.index()?.add(&docs)?;
                sync.documents_indexed += batch.len() as u64;
                // Reading the catalog is faster than analysing text: commit now and then so that the documents
                // waiting for the indexer never hold more than a bounded amount of memory (a reindex of millions).
                if self.index()?.backlog_bytes() > MAX_INDEX_BACKLOG_BYTES {
                    self.index()?.commit(seq)?;
                }
            }
            self.index()?.commit(seq)?;
        }
        sync.documents_in_index = self.index()?.n_docs();
        sync.seconds = started.elapsed().as_secs_f64();
        Ok(sync)
    }

    /// Throws the index away and builds it again from the catalog.
    pub fn reindex(&mut self) -> Result<IndexSync, CoreError> {
        let _lock = self.lock_for_writing("dossier reindex")?;
        if let Some(mut index) = self.index.take() {
            index.close_writer()?;
        }
        self.index = Some(Index::recreate(&self.data_dir.join("index"))?);
        let sync = self.sync_index()?;
        self.close_index_writer()?;
        Ok(sync)
    }

    /// Finishes background merges and releases the index for other processes.
    pub fn close_index_writer(&mut self) -> Result<(), CoreError> {
        if let Some(index) = self.index.as_mut() {
            index.close_writer()?;
        }
        Ok(())
    }

    pub fn search(&mut self, request: &SearchRequest) -> Result<SearchResults, CoreError> {
        self.catch_up_if_free()?;
        Ok(self.index()?.search(request)?)
    }

    /// Byte ranges of `text` where the words of `query` occur, in any form the query matches.
    pub fn highlight(&mut self, query: &dossier_query::Query, text: &str) -> Result<Vec<(usize, usize)>, CoreError> {
        Ok(self.index()?.highlight(query, text)?)
    }

    /// Calls `on_hit` for every hit of `query`, best first; returns how many.
    pub fn for_each_hit(
        &mut self,
        query: &dossier_query::Query,
        n_snippets: usize,
        on_hit: &mut dyn FnMut(Hit) -> Result<(), CoreError>,
    ) -> Result<u64, CoreError> {
        self.catch_up_if_free()?;
        self.index()?.for_each_hit(query, n_snippets, on_hit)
    }

    /// Catches the index up when it is behind the catalog, unless another process (a running ingest) is writing it:
    /// then the search sees what that process has committed so far.
    fn catch_up_if_free(&mut self) -> Result<(), CoreError> {
        if self.read_only || self.catalog.last_seq()? <= self.index()?.committed_seq()? {
            // Up to date on disk; a long-lived handle (the server's) may still hold an older view.
            return Ok(self.index()?.refresh()?);
        }
        match self.sync_index() {
            Err(CoreError::Index(IndexError::Tantivy { source: tantivy_lock_error, .. }))
                if is_lock_busy(&tantivy_lock_error) =>
            {
                self.index = None;
                Ok(())
            }
            Err(err) => Err(err),
            Ok(_) => self.close_index_writer(),
        }
    }
}

fn is_lock_busy(err: &dossier_index::TantivyError) -> bool {
    matches!(err, dossier_index::TantivyError::LockFailure(..))
}

fn index_doc(doc: &IndexableDoc) -> IndexDoc<'_> {
    IndexDoc {
        id: doc.id as u64,
        parent_id: doc.parent_id.map(|id| id as u64),
        collection: &doc.collection,
        path: &doc.path,
        name: &doc.name,
        state: doc.state.as_str(),
        format: doc.format.as_deref(),
        metadata: &doc.metadata,
        text: &doc.text,
        entities: &doc.entities,
    }
}
