//! The SQLite catalog's tables, and the migrations that bring a catalog written by an older dossier up to them.
//!
//! The layout has a version (`PRAGMA user_version`). A catalog of an older version is migrated when it is opened; a
//! catalog of a newer version is refused, since this binary cannot know what the newer one stores.

use rusqlite::Connection;

use crate::CatalogError;

/// The layout this binary writes.
pub const SCHEMA_VERSION: i64 = 4;

/// The documents table. `name` (and `path`) is how a name is shown; `raw_name` holds the exact bytes of a top-level
/// file's path when they are not that text's UTF-8 (a name from a file system in another encoding), and is part of
/// the identity, so that two files whose names look alike are never taken for one.
const DOCUMENTS: &str = r#"
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    collection_id INTEGER NOT NULL REFERENCES collections(id),
    parent_id INTEGER REFERENCES documents(id),
    -- parent_id, or 0 for a top-level file: NULLs are never equal in UNIQUE constraints.
    parent_key INTEGER NOT NULL,
    -- The top-level file this document came out of (its own id for a top-level file).
    root_id INTEGER NOT NULL,
    ordinal INTEGER NOT NULL,
    name TEXT NOT NULL,
    -- The exact bytes of the path when they are not `name` in UTF-8; empty otherwise.
    raw_name BLOB NOT NULL DEFAULT x'',
    path TEXT NOT NULL,
    child_kind TEXT,
    modified TEXT,
    -- '' when the file could not be read into the vault.
    blake3 TEXT NOT NULL,
    depth INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'ok', 'partial', 'failed')),
    format TEXT,
    reason TEXT,
    reason_detail TEXT,
    metadata TEXT,
    diagnostics TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    extracted_at TEXT,
    -- Increases each time a document reaches a final state (ok, partial, failed): the search index follows it.
    seq INTEGER,
    UNIQUE (collection_id, parent_key, ordinal, name, raw_name, blake3)
);
"#;

pub const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS collections (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS blobs (
    blake3 TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_state ON documents (collection_id, state, id);
CREATE INDEX IF NOT EXISTS documents_parent ON documents (parent_id);
CREATE INDEX IF NOT EXISTS documents_blake3 ON documents (blake3);
CREATE INDEX IF NOT EXISTS documents_seq ON documents (seq);
CREATE INDEX IF NOT EXISTS documents_root_name ON documents (collection_id, name) WHERE parent_key = 0;
-- What each top-level file has unpacked so far, over all its descendants: the budget against nested bombs.
CREATE TABLE IF NOT EXISTS tree_usage (
    root_id INTEGER PRIMARY KEY REFERENCES documents(id),
    unpacked_bytes INTEGER NOT NULL,
    entries INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS texts (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id),
    text TEXT NOT NULL
);
-- The custody log: when a document's original entered the vault and by which command (`ingested`), and what
-- happened to its stored copy since (`blob-repaired`: a damaged copy replaced by a verified one).
CREATE TABLE IF NOT EXISTS custody (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    blake3 TEXT NOT NULL,
    source_path TEXT NOT NULL,
    size INTEGER,
    ingested_at TEXT NOT NULL,
    command TEXT NOT NULL,
    event TEXT NOT NULL DEFAULT 'ingested',
    detail TEXT
);
CREATE INDEX IF NOT EXISTS custody_document ON custody (document_id);
-- Stored originals found not to match their record (by a download, `verify-vault` or an ingest), until repaired.
CREATE TABLE IF NOT EXISTS blob_damage (
    id INTEGER PRIMARY KEY,
    blake3 TEXT NOT NULL,
    detected_at TEXT NOT NULL,
    detected_by TEXT NOT NULL,
    problem TEXT NOT NULL,
    repaired_at TEXT,
    repaired_by TEXT
);
CREATE INDEX IF NOT EXISTS blob_damage_open ON blob_damage (blake3) WHERE repaired_at IS NULL;
-- Derived data: what the analysis of a document's text found, and which version of the analysis found it.
CREATE TABLE IF NOT EXISTS analyses (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id),
    version TEXT NOT NULL,
    analysed_at TEXT NOT NULL,
    -- JSON list of what could not run (a model that was not installed), or NULL.
    missing TEXT
);
CREATE INDEX IF NOT EXISTS analyses_version ON analyses (version);
CREATE TABLE IF NOT EXISTS mentions (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    kind TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    value TEXT NOT NULL,
    key TEXT NOT NULL,
    checksum TEXT,
    label TEXT,
    lang TEXT,
    detail TEXT
);
CREATE INDEX IF NOT EXISTS mentions_document ON mentions (document_id);
CREATE INDEX IF NOT EXISTS mentions_entity ON mentions (kind, key, value);
-- The fingerprint of each finished document's text (dossier-versions), by which versions of one text are found.
CREATE TABLE IF NOT EXISTS fingerprints (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id),
    version INTEGER NOT NULL,
    fingerprint BLOB NOT NULL
);
"#;

/// Brings the catalog to [`SCHEMA_VERSION`] (creating the documents table of a new one); refuses a newer one.
pub fn migrate(conn: &Connection) -> Result<(), CatalogError> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(CatalogError::NewerSchema { found: version, supported: SCHEMA_VERSION });
    }
    let has_table = |name: &str| -> Result<bool, CatalogError> {
        Ok(conn.query_row("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?1", [name], |row| {
            row.get::<_, i64>(0).map(|n| n > 0)
        })?)
    };
    if !has_table("documents")? {
        conn.execute_batch(DOCUMENTS)?;
        conn.execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION}"))?;
        return Ok(());
    }
    if version >= SCHEMA_VERSION {
        return Ok(());
    }
    if version == 2 || version == 3 {
        // Version 3 added the analysis tables and version 4 the fingerprints, which `SCHEMA` creates.
        conn.execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION}"))?;
        return Ok(());
    }
    // Version 0 (before versions were recorded) or 1: the documents table gains `raw_name` in its identity, which
    // SQLite can only do by rebuilding the table (its documented way: new table, copy, drop, rename, with foreign
    // key checks off meanwhile). Finished documents of a catalog older still get a sequence for the index.
    let has_column = |table: &str, column: &str| -> Result<bool, CatalogError> {
        Ok(conn.query_row("SELECT COUNT(*) FROM pragma_table_info(?1) WHERE name = ?2", [table, column], |row| {
            row.get::<_, i64>(0).map(|n| n > 0)
        })?)
    };
    if !has_column("documents", "seq")? {
        conn.execute_batch(
            "ALTER TABLE documents ADD COLUMN seq INTEGER; UPDATE documents SET seq = id WHERE state != 'pending';",
        )?;
    }
    let columns = "id, collection_id, parent_id, parent_key, root_id, ordinal, name, path, child_kind, modified, \
                   blake3, depth, state, format, reason, reason_detail, metadata, diagnostics, attempts, extracted_at, seq";
    conn.execute_batch("PRAGMA foreign_keys = OFF;")?;
    let new_documents = DOCUMENTS.replace("CREATE TABLE IF NOT EXISTS documents", "CREATE TABLE documents_new");
    let rebuilt = conn.execute_batch(&format!(
        "BEGIN;
         {new_documents}
         INSERT INTO documents_new ({columns}) SELECT {columns} FROM documents;
         DROP TABLE documents;
         ALTER TABLE documents_new RENAME TO documents;
         {custody}
         PRAGMA user_version = {SCHEMA_VERSION};
         COMMIT;",
        custody = if has_table("custody")? && !has_column("custody", "event")? {
            "ALTER TABLE custody ADD COLUMN event TEXT NOT NULL DEFAULT 'ingested'; ALTER TABLE custody ADD COLUMN detail TEXT;"
        } else {
            ""
        }
    ));
    if rebuilt.is_err() {
        let _ = conn.execute_batch("ROLLBACK;");
    }
    conn.execute_batch("PRAGMA foreign_keys = ON;")?;
    rebuilt?;
    Ok(())
}
