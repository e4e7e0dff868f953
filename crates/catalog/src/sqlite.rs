//! The embedded SQLite backend.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};

mod entities;
mod fingerprints;
mod schema;

use crate::{
    BlobUse, Catalog, CatalogError, CollectionId, CollectionStatus, Counts, CustodyEvent, Damage, DocId, DocMention,
    DocRecord, DocResult, EntityFilter, EntityRow, FailedDoc, Fingerprint, FormatCount, IndexableDoc, NewRoot,
    PendingDoc, ReasonCount, State, Status, StoredAnalysis, TreeUsage, escape_bytes,
};
use dossier_vault::Blob;

/// Separates a parent's path from a child's name in display paths: `mail.eml!/letters.zip!/letter.docx`.
const CHILD_SEPARATOR: &str = "!/";

pub struct SqliteCatalog {
    conn: Connection,
}

impl SqliteCatalog {
    pub fn open(path: &Path) -> Result<SqliteCatalog, CatalogError> {
        let conn = Connection::open(path)?;
        // WAL with synchronous=NORMAL survives a killed process (the case ingest must be robust to) while staying fast.
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
        )?;
        schema::migrate(&conn)?;
        conn.execute_batch(schema::SCHEMA)?;
        Ok(SqliteCatalog { conn })
    }

    /// Opens a catalog that this process may not write (a read-only medium): nothing is created or migrated. A catalog
    /// that would need migrating is refused with a message saying so.
    pub fn open_read_only(path: &Path) -> Result<SqliteCatalog, CatalogError> {
        use rusqlite::OpenFlags;
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let uri = |query: &str| format!("file:{}?{query}", percent_encode_path(path));
        // A catalog in write-ahead-log mode needs its shared-memory file, which a read-only folder may lack: then the
        // database is opened as immutable (nobody can be writing it there).
        let conn = match Connection::open_with_flags(uri("mode=ro"), flags) {
            Ok(conn) if conn.query_row("SELECT COUNT(*) FROM sqlite_master", [], |_| Ok(())).is_ok() => conn,
            _ => Connection::open_with_flags(uri("immutable=1"), flags)?,
        };
        let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        if version != schema::SCHEMA_VERSION {
            return Err(CatalogError::Corrupt(format!(
                "the catalog has layout version {version} and this dossier needs {}; it can only be upgraded where it \
                 can be written",
                schema::SCHEMA_VERSION
            )));
        }
        Ok(SqliteCatalog { conn })
    }

    pub fn open_in_memory() -> Result<SqliteCatalog, CatalogError> {
        let conn = Connection::open_in_memory()?;
        conn.execute_batch("PRAGMA foreign_keys = ON;")?;
        schema::migrate(&conn)?;
        conn.execute_batch(schema::SCHEMA)?;
        Ok(SqliteCatalog { conn })
    }
}

impl SqliteCatalog {
    /// Documents matching `condition` (over `d`, the documents, and `c`, their collection), in id order.
    fn records<P: rusqlite::Params>(&mut self, condition: &str, params: P) -> Result<Vec<DocRecord>, CatalogError> {
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT d.id, c.name, d.parent_id, d.path, d.name, d.child_kind, d.depth, d.state, d.format, d.blake3, b.sha256,
             b.size, d.metadata, d.diagnostics, d.reason_detail, k.ingested_at, k.command, d.raw_name,
             x.detected_at, x.detected_by, x.problem
             FROM documents d JOIN collections c ON c.id = d.collection_id LEFT JOIN blobs b ON b.blake3 = d.blake3
             LEFT JOIN custody k ON k.id = (SELECT MIN(id) FROM custody WHERE document_id = d.id AND event = 'ingested')
             LEFT JOIN blob_damage x ON x.id = (SELECT MIN(id) FROM blob_damage WHERE blake3 = d.blake3 AND d.blake3 != ''
                 AND repaired_at IS NULL)
             WHERE {condition} ORDER BY d.id"
        ))?;
        let rows = statement.query_map(params, |row| {
            let state: String = row.get(7)?;
            let blake3: String = row.get(9)?;
            let metadata: Option<String> = row.get(12)?;
            let diagnostics: Option<String> = row.get(13)?;
            Ok((
                DocRecord {
                    id: row.get(0)?,
                    collection: row.get(1)?,
                    parent_id: row.get(2)?,
                    path: row.get(3)?,
                    name: row.get(4)?,
                    child_kind: row.get(5)?,
                    depth: row.get(6)?,
                    state: State::Pending,
                    format: row.get(8)?,
                    blake3: (!blake3.is_empty()).then_some(blake3),
                    sha256: row.get(10)?,
                    size: row.get::<_, Option<i64>>(11)?.map(|size| size as u64),
                    metadata: serde_json::Value::Null,
                    diagnostics: Vec::new(),
                    reason: row.get(14)?,
                    ingested_at: row.get(15)?,
                    ingested_by: row.get(16)?,
                    raw_path: row
                        .get::<_, Vec<u8>>(17)
                        .ok()
                        .filter(|raw| !raw.is_empty())
                        .map(|raw| escape_bytes(&raw)),
                    damage: None,
                },
                state,
                metadata,
                diagnostics,
                (
                    row.get::<_, Option<String>>(18)?,
                    row.get::<_, Option<String>>(19)?,
                    row.get::<_, Option<String>>(20)?,
                ),
            ))
        })?;
        let mut records = Vec::new();
        for row in rows {
            let (mut record, state, metadata, diagnostics, damage) = row?;
            if let (Some(detected_at), Some(detected_by), Some(problem)) = damage {
                let problem = serde_json::from_str(&problem).unwrap_or(serde_json::Value::String(problem));
                record.damage = Some(Damage { detected_at, detected_by, problem });
            }
            record.state = State::parse(&state).ok_or_else(|| CatalogError::Corrupt(format!("state {state:?}")))?;
            let corrupt = |err: serde_json::Error| CatalogError::Corrupt(err.to_string());
            record.metadata = match metadata {
                Some(json) => serde_json::from_str(&json).map_err(corrupt)?,
                None => serde_json::Value::Null,
            };
            record.diagnostics = match diagnostics {
                Some(json) => serde_json::from_str(&json).map_err(corrupt)?,
                None => Vec::new(),
            };
            records.push(record);
        }
        Ok(records)
    }
}

/// The next value of the finish sequence (called inside the transaction that finishes documents).
fn next_seq(conn: &Connection) -> Result<i64, CatalogError> {
    Ok(conn.query_row("SELECT COALESCE(MAX(seq), 0) + 1 FROM documents", [], |row| row.get(0))?)
}

/// A file path as a `file:` URI path: every byte outside the unreserved set percent-encoded.
fn percent_encode_path(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut out = String::new();
    for &byte in path.as_os_str().as_bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn insert_blob(conn: &Connection, blob: &Blob) -> Result<(), CatalogError> {
    conn.execute(
        "INSERT OR IGNORE INTO blobs (blake3, sha256, size) VALUES (?1, ?2, ?3)",
        params![blob.blake3, blob.sha256, blob.size as i64],
    )?;
    Ok(())
}

fn counts_from(rows: &[(String, u64)]) -> Counts {
    let mut counts = Counts::default();
    for (state, n) in rows {
        counts.documents += n;
        match State::parse(state) {
            Some(State::Ok) => counts.ok += n,
            Some(State::Partial) => counts.partial += n,
            Some(State::Failed) => counts.failed += n,
            Some(State::Pending) | None => counts.pending += n,
        }
    }
    counts
}

impl Catalog for SqliteCatalog {
    fn ensure_collection(&mut self, name: &str) -> Result<CollectionId, CatalogError> {
        self.conn
            .execute("INSERT OR IGNORE INTO collections (name, created_at) VALUES (?1, ?2)", params![name, now()])?;
        Ok(self.conn.query_row("SELECT id FROM collections WHERE name = ?1", [name], |row| row.get(0))?)
    }

    fn add_root(&mut self, root: &NewRoot<'_>) -> Result<(DocId, bool), CatalogError> {
        let tx = self.conn.transaction()?;
        let blake3 = root.blob.map(|blob| blob.blake3.as_str()).unwrap_or("");
        let raw_name = root.raw_path.unwrap_or(&[]);
        // The top-level documents of this path: one per content the path has had, plus at most one for a time the
        // walker could not read it.
        // A path the file system gave as bytes that are not UTF-8 is identified by those bytes alone: how it is
        // shown may change (a Cyrillic name that an earlier version showed escaped is now shown decoded).
        let known: Vec<(DocId, String)> = {
            let mut statement = tx.prepare_cached(
                "SELECT id, blake3 FROM documents
                 WHERE collection_id = ?1 AND parent_key = 0 AND ordinal = 0 AND raw_name = ?3 AND (name = ?2 OR ?3 <> x'')
                 ORDER BY id",
            )?;
            let rows = statement.query_map(params![root.collection, root.source_path, raw_name], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })?;
            rows.collect::<Result<_, _>>()?
        };
        if let Some((id, _)) = known.iter().find(|(_, known)| known == blake3) {
            if let Some(failure) = root.failure.as_ref().filter(|_| blake3.is_empty()) {
                // Unreadable again: the same document, with today's reason.
                let seq = next_seq(&tx)?;
                tx.execute(
                    "UPDATE documents SET reason = ?2, reason_detail = ?3, seq = ?4
                     WHERE id = ?1 AND (reason IS NOT ?2 OR reason_detail IS NOT ?3)",
                    params![id, failure.summary, failure.detail, seq],
                )?;
                tx.commit()?;
            }
            return Ok((*id, false));
        }
        let unread = known.iter().find(|(_, known)| known.is_empty()).map(|(id, _)| *id);
        if blake3.is_empty() {
            if let Some((id, _)) = known.first() {
                // The path's content is in the vault from an earlier walk: this run's failure to read it again takes
                // nothing away from that evidence, and adds no second document for the path.
                return Ok((*id, false));
            }
        }
        if let Some(blob) = root.blob {
            insert_blob(&tx, blob)?;
        }
        let (state, reason, detail) = match &root.failure {
            Some(failure) => (State::Failed, Some(failure.summary.as_str()), Some(failure.detail.as_str())),
            None => (State::Pending, None, None),
        };
        let seq = if root.failure.is_some() { Some(next_seq(&tx)?) } else { None };
        let id = match unread {
            // The file could not be read into the vault before and now it was: the same document moves on.
            Some(id) => {
                tx.execute(
                    "UPDATE documents SET blake3 = ?2, state = ?3, reason = ?4, reason_detail = ?5, seq = ?6 WHERE id = ?1",
                    params![id, blake3, state.as_str(), reason, detail, seq],
                )?;
                id
            }
            None => {
                tx.execute(
                    "INSERT INTO documents (collection_id, parent_id, parent_key, root_id, ordinal, name, raw_name, path, blake3,
                     depth, state, reason, reason_detail, seq)
                     VALUES (?1, NULL, 0, 0, 0, ?2, ?3, ?2, ?4, 0, ?5, ?6, ?7, ?8)",
                    params![root.collection, root.source_path, raw_name, blake3, state.as_str(), reason, detail, seq],
                )?;
                let id = tx.last_insert_rowid();
                tx.execute("UPDATE documents SET root_id = id WHERE id = ?1", [id])?;
                id
            }
        };
        tx.execute(
            "INSERT INTO custody (document_id, blake3, source_path, size, ingested_at, command) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, blake3, root.source_path, root.blob.map(|blob| blob.size as i64), now(), root.command],
        )?;
        tx.commit()?;
        Ok((id, true))
    }

    fn pending(
        &mut self,
        collection: CollectionId,
        after: DocId,
        limit: usize,
    ) -> Result<Vec<PendingDoc>, CatalogError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT d.id, d.collection_id, d.blake3, d.name, d.depth, b.size, d.root_id, rb.size
             FROM documents d JOIN blobs b ON b.blake3 = d.blake3
             JOIN documents r ON r.id = d.root_id JOIN blobs rb ON rb.blake3 = r.blake3
             WHERE d.collection_id = ?1 AND d.state = 'pending' AND d.id > ?2 ORDER BY d.id LIMIT ?3",
        )?;
        let rows = statement.query_map(params![collection, after, limit as i64], |row| {
            Ok(PendingDoc {
                id: row.get(0)?,
                collection: row.get(1)?,
                blake3: row.get(2)?,
                name: row.get(3)?,
                depth: row.get(4)?,
                size: row.get::<_, i64>(5)? as u64,
                root_id: row.get(6)?,
                root_size: row.get::<_, i64>(7)? as u64,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn finish(&mut self, doc: DocId, result: &DocResult) -> Result<(), CatalogError> {
        let tx = self.conn.transaction()?;
        let (collection, parent_path, depth, root_id, state): (CollectionId, String, u32, DocId, String) = tx
            .query_row(
                "SELECT collection_id, path, depth, root_id, state FROM documents WHERE id = ?1",
                [doc],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?)),
            )?;
        if state != State::Pending.as_str() {
            // Finished already (by a run that was interrupted after committing): nothing to redo or to count twice.
            return Ok(());
        }
        let metadata = serde_json::to_string(&result.metadata).map_err(|err| CatalogError::Corrupt(err.to_string()))?;
        let diagnostics =
            serde_json::to_string(&result.diagnostics).map_err(|err| CatalogError::Corrupt(err.to_string()))?;
        let mut seq = next_seq(&tx)?;
        tx.execute(
            "UPDATE documents SET state = ?2, format = ?3, reason = ?4, reason_detail = ?5, metadata = ?6, diagnostics = ?7,
             attempts = attempts + 1, extracted_at = ?8, seq = ?9 WHERE id = ?1",
            params![
                doc,
                result.state.as_str(),
                result.format.map(|format| format.name()),
                result.failure.as_ref().map(|failure| failure.summary.as_str()),
                result.failure.as_ref().map(|failure| failure.detail.as_str()),
                metadata,
                diagnostics,
                now(),
                seq
            ],
        )?;
        tx.execute(
            "INSERT INTO texts (document_id, text) VALUES (?1, ?2) ON CONFLICT (document_id) DO UPDATE SET text = excluded.text",
            params![doc, result.text],
        )?;
        if let Some(analysis) = &result.analysis {
            entities::store(&tx, doc, analysis, &now())?;
        }
        if let Some(fingerprint) = &result.fingerprint {
            fingerprints::store(&tx, doc, fingerprint)?;
        }
        for (ordinal, child) in result.children.iter().enumerate() {
            insert_blob(&tx, &child.blob)?;
            let (state, reason, detail) = match &child.failure {
                Some(failure) => (State::Failed, Some(failure.summary.as_str()), Some(failure.detail.as_str())),
                None => (State::Pending, None, None),
            };
            // A child refused without being read is final at once: it gets its place in the sequence now.
            let child_seq = child.failure.as_ref().map(|_| {
                seq += 1;
                seq
            });
            tx.execute(
                "INSERT OR IGNORE INTO documents (collection_id, parent_id, parent_key, root_id, ordinal, name, path, child_kind,
                 modified, blake3, depth, state, reason, reason_detail, seq)
                 VALUES (?1, ?2, ?2, ?13, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?14)",
                params![
                    collection,
                    doc,
                    ordinal as i64,
                    child.name,
                    format!("{parent_path}{CHILD_SEPARATOR}{}", child.name),
                    child.kind,
                    child.modified,
                    child.blob.blake3,
                    depth + 1,
                    state.as_str(),
                    reason,
                    detail,
                    root_id,
                    child_seq
                ],
            )?;
        }
        if !result.children.is_empty() {
            let bytes: u64 = result.children.iter().map(|child| child.blob.size).sum();
            tx.execute(
                "INSERT INTO tree_usage (root_id, unpacked_bytes, entries) VALUES (?1, ?2, ?3)
                 ON CONFLICT (root_id) DO UPDATE SET unpacked_bytes = unpacked_bytes + excluded.unpacked_bytes,
                 entries = entries + excluded.entries",
                params![root_id, bytes as i64, result.children.len() as i64],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    fn tree_usage(&mut self, root: DocId) -> Result<TreeUsage, CatalogError> {
        let usage = self
            .conn
            .query_row("SELECT unpacked_bytes, entries FROM tree_usage WHERE root_id = ?1", [root], |row| {
                Ok(TreeUsage { unpacked_bytes: row.get::<_, i64>(0)? as u64, entries: row.get::<_, i64>(1)? as u64 })
            })
            .optional()?;
        Ok(usage.unwrap_or_default())
    }

    fn reset_failed(&mut self, collection: CollectionId) -> Result<u64, CatalogError> {
        // Only documents whose content is in the vault can be retried; a file that could not be read into the vault
        // is retried by walking it again.
        let n = self.conn.execute(
            "UPDATE documents SET state = 'pending', reason = NULL, reason_detail = NULL
             WHERE collection_id = ?1 AND state = 'failed' AND blake3 != ''",
            [collection],
        )?;
        Ok(n as u64)
    }

    fn status(&mut self) -> Result<Status, CatalogError> {
        let mut statement = self.conn.prepare(
            "SELECT c.name, d.state, COUNT(d.id) FROM collections c LEFT JOIN documents d ON d.collection_id = c.id
             GROUP BY c.name, d.state ORDER BY c.name",
        )?;
        let rows: Vec<(String, Option<String>, u64)> = statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get::<_, i64>(2)? as u64)))?
            .collect::<Result<_, _>>()?;
        // Rows come sorted by collection: group them, then count each group and all of them.
        let mut grouped: Vec<(String, Vec<(String, u64)>)> = Vec::new();
        for (name, state, n) in rows {
            if grouped.last().is_none_or(|(last, _)| *last != name) {
                grouped.push((name, Vec::new()));
            }
            if let Some(state) = state {
                grouped.last_mut().expect("pushed above").1.push((state, n));
            }
        }
        let all: Vec<(String, u64)> = grouped.iter().flat_map(|(_, rows)| rows.iter().cloned()).collect();
        let collections =
            grouped.into_iter().map(|(name, rows)| CollectionStatus { name, counts: counts_from(&rows) }).collect();
        let mut statement = self.conn.prepare(
            "SELECT reason, COUNT(*) FROM documents WHERE state = 'failed' GROUP BY reason ORDER BY COUNT(*) DESC, reason",
        )?;
        let failure_reasons = statement
            .query_map([], |row| {
                Ok(ReasonCount {
                    reason: row.get::<_, Option<String>>(0)?.unwrap_or_default(),
                    count: row.get::<_, i64>(1)? as u64,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(Status { totals: counts_from(&all), collections, failure_reasons })
    }

    fn failures(&mut self, collection: Option<&str>) -> Result<Vec<FailedDoc>, CatalogError> {
        let mut statement = self.conn.prepare(
            "SELECT d.id, c.name, d.path, d.format, d.reason, d.reason_detail FROM documents d
             JOIN collections c ON c.id = d.collection_id
             WHERE d.state = 'failed' AND (?1 IS NULL OR c.name = ?1) ORDER BY c.name, d.id",
        )?;
        let rows = statement.query_map([collection], |row| {
            Ok(FailedDoc {
                id: row.get(0)?,
                collection: row.get(1)?,
                path: row.get(2)?,
                format: row.get(3)?,
                reason: row.get::<_, Option<String>>(4)?.unwrap_or_default(),
                detail: row.get::<_, Option<String>>(5)?.unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn blobs(&mut self) -> Result<Vec<Blob>, CatalogError> {
        let mut statement = self.conn.prepare("SELECT blake3, sha256, size FROM blobs ORDER BY blake3")?;
        let rows = statement.query_map([], |row| {
            Ok(Blob { blake3: row.get(0)?, sha256: row.get(1)?, size: row.get::<_, i64>(2)? as u64 })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn documents(&mut self, collection: &str) -> Result<Vec<DocRecord>, CatalogError> {
        self.records("c.name = ?1", [collection])
    }

    fn document(&mut self, doc: DocId) -> Result<Option<DocRecord>, CatalogError> {
        Ok(self.records("d.id = ?1", [doc])?.pop())
    }

    fn children(&mut self, doc: DocId) -> Result<Vec<DocRecord>, CatalogError> {
        self.records("d.parent_id = ?1", [doc])
    }

    fn format_counts(&mut self, collection: &str) -> Result<Vec<FormatCount>, CatalogError> {
        let mut statement = self.conn.prepare(
            "SELECT d.format, d.state, COUNT(*) FROM documents d JOIN collections c ON c.id = d.collection_id
             WHERE c.name = ?1 GROUP BY d.format, d.state ORDER BY COUNT(*) DESC, d.format",
        )?;
        let rows: Vec<(Option<String>, String, u64)> = statement
            .query_map([collection], |row| Ok((row.get(0)?, row.get(1)?, row.get::<_, i64>(2)? as u64)))?
            .collect::<Result<_, _>>()?;
        // Format → its (state, count) rows.
        type StateRows = Vec<(String, u64)>;
        let mut grouped: Vec<(Option<String>, StateRows)> = Vec::new();
        for (format, state, n) in rows {
            match grouped.iter_mut().find(|(known, _)| *known == format) {
                Some((_, states)) => states.push((state, n)),
                None => grouped.push((format, vec![(state, n)])),
            }
        }
        let mut counts: Vec<FormatCount> =
            grouped.into_iter().map(|(format, states)| FormatCount { format, counts: counts_from(&states) }).collect();
        counts.sort_by(|a, b| b.counts.documents.cmp(&a.counts.documents).then_with(|| a.format.cmp(&b.format)));
        Ok(counts)
    }

    fn text(&mut self, doc: DocId) -> Result<Option<String>, CatalogError> {
        Ok(self.conn.query_row("SELECT text FROM texts WHERE document_id = ?1", [doc], |row| row.get(0)).optional()?)
    }

    fn custody(&mut self, doc: DocId) -> Result<Vec<CustodyEvent>, CatalogError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT k.event, k.ingested_at, k.source_path, k.blake3, k.command, k.detail FROM custody k
             WHERE k.document_id = (SELECT root_id FROM documents WHERE id = ?1) OR k.document_id = ?1 ORDER BY k.id",
        )?;
        let rows = statement.query_map([doc], |row| {
            Ok(CustodyEvent {
                event: row.get(0)?,
                at: row.get(1)?,
                source_path: row.get(2)?,
                blake3: row.get(3)?,
                command: row.get(4)?,
                detail: row.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn documents_with_blob(&mut self, blake3: &str) -> Result<Vec<BlobUse>, CatalogError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT d.id, c.name, d.path FROM documents d JOIN collections c ON c.id = d.collection_id
             WHERE d.blake3 = ?1 ORDER BY d.id",
        )?;
        let rows = statement
            .query_map([blake3], |row| Ok(BlobUse { id: row.get(0)?, collection: row.get(1)?, path: row.get(2)? }))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn record_damage(
        &mut self,
        blake3: &str,
        detected_by: &str,
        problem: &serde_json::Value,
    ) -> Result<(), CatalogError> {
        self.conn.execute(
            "INSERT INTO blob_damage (blake3, detected_at, detected_by, problem)
             SELECT ?1, ?2, ?3, ?4 WHERE NOT EXISTS (SELECT 1 FROM blob_damage WHERE blake3 = ?1 AND repaired_at IS NULL)",
            params![blake3, now(), detected_by, problem.to_string()],
        )?;
        Ok(())
    }

    fn record_repair(
        &mut self,
        blake3: &str,
        repaired_by: &str,
        source_path: &str,
        command: &str,
        detail: &str,
    ) -> Result<(), CatalogError> {
        let tx = self.conn.transaction()?;
        let at = now();
        tx.execute(
            "UPDATE blob_damage SET repaired_at = ?2, repaired_by = ?3 WHERE blake3 = ?1 AND repaired_at IS NULL",
            params![blake3, at, repaired_by],
        )?;
        tx.execute(
            "INSERT INTO custody (document_id, blake3, source_path, size, ingested_at, command, event, detail)
             SELECT d.id, d.blake3, ?2, b.size, ?3, ?4, 'blob-repaired', ?5 FROM documents d JOIN blobs b ON b.blake3 = d.blake3
             WHERE d.blake3 = ?1",
            params![blake3, source_path, at, command, detail],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn open_damage(&mut self) -> Result<Vec<String>, CatalogError> {
        let mut statement =
            self.conn.prepare("SELECT DISTINCT blake3 FROM blob_damage WHERE repaired_at IS NULL ORDER BY blake3")?;
        let rows = statement.query_map([], |row| row.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn walk_failures(&mut self, collection: CollectionId) -> Result<Vec<Vec<u8>>, CatalogError> {
        let mut statement = self.conn.prepare(
            "SELECT name, raw_name FROM documents WHERE collection_id = ?1 AND parent_key = 0 AND blake3 = '' ORDER BY id",
        )?;
        let rows = statement.query_map([collection], |row| {
            let name: String = row.get(0)?;
            let raw: Vec<u8> = row.get(1)?;
            Ok(if raw.is_empty() { name.into_bytes() } else { raw })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn indexable_since(&mut self, after_seq: i64, limit: usize) -> Result<Vec<IndexableDoc>, CatalogError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT d.id, d.seq, c.name, d.parent_id, d.path, d.name, d.state, d.format, d.metadata, t.text
             FROM documents d JOIN collections c ON c.id = d.collection_id LEFT JOIN texts t ON t.document_id = d.id
             WHERE d.seq > ?1 AND d.state != 'pending' ORDER BY d.seq LIMIT ?2",
        )?;
        let rows = statement.query_map(params![after_seq, limit as i64], |row| {
            Ok((
                IndexableDoc {
                    id: row.get(0)?,
                    seq: row.get(1)?,
                    collection: row.get(2)?,
                    parent_id: row.get(3)?,
                    path: row.get(4)?,
                    name: row.get(5)?,
                    state: State::Pending,
                    format: row.get(7)?,
                    metadata: serde_json::Value::Null,
                    text: row.get::<_, Option<String>>(9)?.unwrap_or_default(),
                    entities: Vec::new(),
                },
                row.get::<_, String>(6)?,
                row.get::<_, Option<String>>(8)?,
            ))
        })?;
        let mut docs = Vec::new();
        for row in rows {
            let (mut doc, state, metadata) = row?;
            doc.state = State::parse(&state).ok_or_else(|| CatalogError::Corrupt(format!("state {state:?}")))?;
            if let Some(json) = metadata {
                doc.metadata = serde_json::from_str(&json).map_err(|err| CatalogError::Corrupt(err.to_string()))?;
            }
            docs.push(doc);
        }
        for doc in &mut docs {
            doc.entities = entities::entity_values(&self.conn, doc.id)?;
        }
        Ok(docs)
    }

    fn last_seq(&mut self) -> Result<i64, CatalogError> {
        Ok(self.conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM documents", [], |row| row.get(0))?)
    }

    fn analysis(&mut self, doc: DocId) -> Result<Option<StoredAnalysis>, CatalogError> {
        entities::analysis(&self.conn, doc)
    }

    fn replace_analysis(&mut self, doc: DocId, analysis: &dossier_entities::Analysis) -> Result<(), CatalogError> {
        let tx = self.conn.transaction()?;
        let state: Option<String> =
            tx.query_row("SELECT state FROM documents WHERE id = ?1", [doc], |row| row.get(0)).optional()?;
        if !matches!(state.as_deref(), Some("ok" | "partial")) {
            return Err(CatalogError::Corrupt(format!("document {doc} has no finished text to analyse")));
        }
        entities::store(&tx, doc, analysis, &now())?;
        let seq = next_seq(&tx)?;
        tx.execute("UPDATE documents SET seq = ?2 WHERE id = ?1", params![doc, seq])?;
        tx.commit()?;
        Ok(())
    }

    fn fingerprint(&mut self, doc: DocId) -> Result<Option<Fingerprint>, CatalogError> {
        fingerprints::get(&self.conn, doc)
    }

    fn replace_fingerprint(&mut self, doc: DocId, fingerprint: &Fingerprint) -> Result<(), CatalogError> {
        fingerprints::store(&self.conn, doc, fingerprint)
    }

    fn for_each_fingerprint(
        &mut self,
        collection: Option<&str>,
        each: &mut dyn FnMut(DocId, Fingerprint),
    ) -> Result<u64, CatalogError> {
        fingerprints::for_each(&self.conn, collection, each)
    }

    fn to_analyse(
        &mut self,
        version: &str,
        collection: Option<&str>,
        after: DocId,
        limit: usize,
    ) -> Result<Vec<DocId>, CatalogError> {
        entities::to_analyse(&self.conn, version, collection, after, limit)
    }

    fn count_to_analyse(&mut self, version: &str, collection: Option<&str>) -> Result<u64, CatalogError> {
        entities::count_to_analyse(&self.conn, version, collection)
    }

    fn entity_rows(&mut self, collection: Option<&str>, kind: Option<&str>) -> Result<Vec<EntityRow>, CatalogError> {
        entities::entity_rows(&self.conn, collection, kind)
    }

    fn entity_documents(&mut self, filter: &EntityFilter<'_>) -> Result<Vec<DocId>, CatalogError> {
        entities::entity_documents(&self.conn, filter)
    }

    fn entity_mentions(&mut self, filter: &EntityFilter<'_>, limit: usize) -> Result<Vec<DocMention>, CatalogError> {
        entities::entity_mentions(&self.conn, filter, limit)
    }
}

#[cfg(test)]
mod tests;
