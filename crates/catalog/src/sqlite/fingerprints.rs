//! The fingerprints table: one per finished document with a text, of the version of `dossier-versions` that made it.

use rusqlite::{Connection, OptionalExtension, params};

use crate::{CatalogError, DocId, Fingerprint};

/// Writes the document's fingerprint, replacing any earlier one (inside the caller's transaction).
pub(super) fn store(conn: &Connection, doc: DocId, fingerprint: &Fingerprint) -> Result<(), CatalogError> {
    conn.execute(
        "INSERT INTO fingerprints (document_id, version, fingerprint) VALUES (?1, ?2, ?3)
         ON CONFLICT (document_id) DO UPDATE SET version = excluded.version, fingerprint = excluded.fingerprint",
        params![doc, Fingerprint::VERSION, fingerprint.to_bytes()],
    )?;
    Ok(())
}

/// Reads a stored fingerprint; one of another version is none (it cannot be compared with this version's).
fn read(bytes: &[u8]) -> Option<Fingerprint> {
    Fingerprint::from_bytes(bytes).ok()
}

pub(super) fn get(conn: &Connection, doc: DocId) -> Result<Option<Fingerprint>, CatalogError> {
    let bytes: Option<Vec<u8>> = conn
        .query_row(
            "SELECT fingerprint FROM fingerprints WHERE document_id = ?1 AND version = ?2",
            params![doc, Fingerprint::VERSION],
            |row| row.get(0),
        )
        .optional()?;
    Ok(bytes.as_deref().and_then(read))
}

/// Gives `each` the fingerprints of this version of the finished documents of the collection (or of all), in id
/// order, one at a time (a million of them need not be in memory at once); returns how many finished documents have
/// none of this version (read by an older dossier: `dossier reanalyse` makes theirs).
pub(super) fn for_each(
    conn: &Connection,
    collection: Option<&str>,
    each: &mut dyn FnMut(DocId, Fingerprint),
) -> Result<u64, CatalogError> {
    let mut statement = conn.prepare_cached(
        "SELECT d.id, f.fingerprint FROM documents d JOIN collections c ON c.id = d.collection_id
         LEFT JOIN fingerprints f ON f.document_id = d.id AND f.version = ?2
         WHERE d.state IN ('ok', 'partial') AND (?1 IS NULL OR c.name = ?1)
         ORDER BY d.id",
    )?;
    let mut rows = statement.query(params![collection, Fingerprint::VERSION])?;
    let mut without = 0;
    while let Some(row) = rows.next()? {
        let doc: DocId = row.get(0)?;
        let bytes: Option<Vec<u8>> = row.get(1)?;
        match bytes.as_deref().and_then(read) {
            Some(fingerprint) => each(doc, fingerprint),
            None => without += 1,
        }
    }
    Ok(without)
}
