//! The search index over the catalog's documents: tantivy with dossier's own analysis (per-paragraph Russian,
//! Ukrainian and English stemming, folded exact words for phrases, prefixes, fuzzy words and transliterated names).
//!
//! The index follows the catalog: every finished document has a place in the catalog's finish sequence, and each
//! commit of the index records the last place it holds (in the commit's payload, atomically with the documents).
//! After a crash the index is simply behind, never corrupt; the core catches it up from the catalog, and
//! `dossier reindex` rebuilds it from scratch. The layout is versioned (`FORMAT_VERSION`).

mod document;
mod error;
mod facets;
mod read_only;
mod schema;
mod search;
mod snippets;
mod translate;

pub use document::{Derived, IndexDoc, derive};
pub use error::IndexError;
pub use facets::{FacetValue, Facets};
pub use schema::FORMAT_VERSION;
pub use search::{Hit, SearchRequest, SearchResults, Sort};
pub use snippets::Snippet;
pub use tantivy::TantivyError;
pub use translate::format_names;

use std::path::{Path, PathBuf};

use tantivy::directory::MmapDirectory;
use tantivy::indexer::UserOperation;
use tantivy::{IndexReader, IndexWriter, ReloadPolicy, Term};

use crate::schema::{Fields, STEM_TOKENIZER, WORD_TOKENIZER};

/// The file beside the index files that names the layout version.
const VERSION_FILE: &str = "dossier-index-version";
/// Memory the writer may use before it flushes a segment.
const WRITER_MEMORY_BYTES: usize = 96 << 20;
/// Backlog after which the parts of one long text wait for the indexer (see [`Index::add`]).
const MAX_BACKLOG_WITHIN_DOCUMENT: usize = 64 << 20;

/// The length of the text an index document holds.
fn part_text_len(doc: &tantivy::TantivyDocument, fields: &Fields) -> usize {
    use tantivy::schema::Value;
    doc.get_first(fields.text).and_then(|value| value.as_str()).map_or(0, str::len)
}

/// An open search index.
pub struct Index {
    path: PathBuf,
    index: tantivy::Index,
    fields: Fields,
    reader: IndexReader,
    writer: Option<IndexWriter>,
    /// See [`Index::backlog_bytes`].
    backlog_bytes: usize,
}

impl Index {
    /// Opens the index in `dir`, creating an empty one if there is none. An index of another format version is an
    /// [`IndexError::Version`]: the caller decides whether to rebuild it ([`Index::recreate`]).
    pub fn open(dir: &Path) -> Result<Index, IndexError> {
        let io = |source| IndexError::Io { path: dir.to_path_buf(), source };
        std::fs::create_dir_all(dir).map_err(io)?;
        let version_path = dir.join(VERSION_FILE);
        let is_new = !dir.join("meta.json").exists();
        if is_new {
            std::fs::write(&version_path, FORMAT_VERSION.to_string()).map_err(io)?;
        } else {
            let found = std::fs::read_to_string(&version_path).unwrap_or_default().trim().to_string();
            if found != FORMAT_VERSION.to_string() {
                return Err(IndexError::Version { path: dir.to_path_buf(), found, expected: FORMAT_VERSION });
            }
        }
        let (schema, fields) = schema::build();
        let tantivy_err = |source| IndexError::Tantivy { path: dir.to_path_buf(), source };
        let directory = MmapDirectory::open(dir)
            .map_err(|err| IndexError::Tantivy { path: dir.to_path_buf(), source: tantivy::TantivyError::from(err) })?;
        let index = tantivy::Index::open_or_create(directory, schema).map_err(tantivy_err)?;
        register_tokenizers(&index);
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into().map_err(tantivy_err)?;
        Ok(Index { path: dir.to_path_buf(), index, fields, reader, writer: None, backlog_bytes: 0 })
    }

    /// Opens the index in `dir` for searching only: nothing is written, no lock file is made (a data folder on a
    /// read-only medium). A missing index or one of another format version is an error, since it cannot be built.
    pub fn open_read_only(dir: &Path) -> Result<Index, IndexError> {
        let found = std::fs::read_to_string(dir.join(VERSION_FILE)).unwrap_or_default().trim().to_string();
        if found != FORMAT_VERSION.to_string() {
            return Err(IndexError::Version { path: dir.to_path_buf(), found, expected: FORMAT_VERSION });
        }
        let (_, fields) = schema::build();
        let tantivy_err = |source| IndexError::Tantivy { path: dir.to_path_buf(), source };
        let directory = read_only::ReadOnlyDirectory::open(dir)
            .map_err(|err| IndexError::Tantivy { path: dir.to_path_buf(), source: tantivy::TantivyError::from(err) })?;
        let index = tantivy::Index::open(directory).map_err(tantivy_err)?;
        register_tokenizers(&index);
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into().map_err(tantivy_err)?;
        Ok(Index { path: dir.to_path_buf(), index, fields, reader, writer: None, backlog_bytes: 0 })
    }

    /// Deletes whatever is in `dir` and creates an empty index there.
    pub fn recreate(dir: &Path) -> Result<Index, IndexError> {
        match std::fs::remove_dir_all(dir) {
            Ok(()) => {}
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(IndexError::Io { path: dir.to_path_buf(), source }),
        }
        Index::open(dir)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The last catalog finish sequence the committed index holds (0 for an empty index).
    pub fn committed_seq(&self) -> Result<i64, IndexError> {
        let metas = self.index.load_metas().map_err(|source| self.tantivy(source))?;
        Ok(metas.payload.and_then(|payload| payload.trim().parse().ok()).unwrap_or(0))
    }

    /// Adds or replaces documents (by id). Nothing is visible or durable until [`Index::commit`].
    ///
    /// Each document goes to the indexing thread as its own batch: tantivy bounds its queue in batches, so this
    /// bounds it in documents and `add` waits when the indexer is behind. The caller bounds the bytes by
    /// committing when [`Index::backlog_bytes`] grows large.
    pub fn add(&mut self, docs: &[IndexDoc<'_>]) -> Result<(), IndexError> {
        let fields = self.fields.clone();
        for doc in docs {
            // The delete goes with the first part: every part of an earlier version of the document goes with it.
            let mut delete = Some(UserOperation::Delete(Term::from_field_u64(fields.id, doc.id)));
            for (n, part) in document::to_tantivy_parts(doc, &fields).enumerate() {
                if n > 0 && self.backlog_bytes > MAX_BACKLOG_WITHIN_DOCUMENT {
                    // A long text: let the indexer catch up before its next part is queued. The commit keeps the
                    // payload it had, so the index still claims nothing newer than before (after a crash here,
                    // the whole document is indexed again).
                    self.commit_keeping_seq()?;
                }
                let bytes = part_text_len(&part, &fields);
                let operations: Vec<UserOperation> =
                    delete.take().into_iter().chain([UserOperation::Add(part)]).collect();
                let path = self.path.clone();
                self.writer()?.run(operations).map_err(|source| IndexError::Tantivy { path, source })?;
                // The text is held about three times over (stored, stemmed, exact) until indexed.
                self.backlog_bytes += 3 * bytes + 1024;
            }
        }
        Ok(())
    }

    /// Commits what was added so far without claiming a newer catalog place than the last commit did.
    fn commit_keeping_seq(&mut self) -> Result<(), IndexError> {
        let seq = self.committed_seq()?;
        self.write_commit(seq)
    }

    /// Makes what was added durable, with `seq` as the commit's payload.
    fn write_commit(&mut self, seq: i64) -> Result<(), IndexError> {
        let path = self.path.clone();
        let tantivy_err = |source| IndexError::Tantivy { path: path.clone(), source };
        let mut prepared = self.writer()?.prepare_commit().map_err(tantivy_err)?;
        prepared.set_payload(&seq.to_string());
        prepared.commit().map_err(tantivy_err)?;
        self.backlog_bytes = 0;
        Ok(())
    }

    /// About how many bytes of documents were added since the last commit: memory the writer may be holding.
    pub fn backlog_bytes(&self) -> usize {
        self.backlog_bytes
    }

    /// Makes everything added so far durable and visible, recording `seq` as the last catalog place it holds.
    pub fn commit(&mut self, seq: i64) -> Result<(), IndexError> {
        self.write_commit(seq)?;
        self.reader.reload().map_err(|source| self.tantivy(source))
    }

    /// Waits for merges and releases the writer (and its lock on the index folder).
    pub fn close_writer(&mut self) -> Result<(), IndexError> {
        if let Some(writer) = self.writer.take() {
            writer.wait_merging_threads().map_err(|source| self.tantivy(source))?;
        }
        Ok(())
    }

    /// Makes searches see what another writer (an ingest in another process) has committed since this index was
    /// opened or last refreshed. Cheap when nothing changed: only the list of segments is compared.
    pub fn refresh(&self) -> Result<(), IndexError> {
        let metas = self.index.load_metas().map_err(|source| self.tantivy(source))?;
        let searcher = self.reader.searcher();
        let mut loaded: Vec<_> = searcher.segment_readers().iter().map(|reader| reader.segment_id()).collect();
        let mut committed: Vec<_> = metas.segments.iter().map(|segment| segment.id()).collect();
        loaded.sort_unstable();
        committed.sort_unstable();
        if loaded != committed {
            self.reader.reload().map_err(|source| self.tantivy(source))?;
        }
        Ok(())
    }

    /// The number of documents in the committed index.
    pub fn n_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    fn writer(&mut self) -> Result<&mut IndexWriter, IndexError> {
        if self.writer.is_none() {
            // One indexing thread: the machines dossier runs on have few cores and the extraction workers need them.
            let writer = self
                .index
                .writer_with_num_threads(1, WRITER_MEMORY_BYTES)
                .map_err(|source| IndexError::Tantivy { path: self.path.clone(), source })?;
            self.writer = Some(writer);
        }
        Ok(self.writer.as_mut().expect("set above"))
    }

    fn tantivy(&self, source: tantivy::TantivyError) -> IndexError {
        IndexError::Tantivy { path: self.path.clone(), source }
    }
}

fn register_tokenizers(index: &tantivy::Index) {
    index.tokenizers().register(STEM_TOKENIZER, dossier_lang::StemTokenizer);
    index.tokenizers().register(WORD_TOKENIZER, dossier_lang::WordTokenizer);
}
