//! The analysis tables: each document's mentions and the version of the analysis that found them.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

use crate::{Analysis, CatalogError, DocId, DocMention, EntityFilter, EntityRow, Fingerprint, Mention, StoredAnalysis};

fn corrupt(err: impl std::fmt::Display) -> CatalogError {
    CatalogError::Corrupt(err.to_string())
}

/// Writes `analysis` as the document's only one (inside the caller's transaction).
pub(super) fn store(conn: &Connection, doc: DocId, analysis: &Analysis, at: &str) -> Result<(), CatalogError> {
    conn.execute("DELETE FROM mentions WHERE document_id = ?1", [doc])?;
    let missing = if analysis.missing.is_empty() {
        None
    } else {
        Some(serde_json::to_string(&analysis.missing).map_err(corrupt)?)
    };
    conn.execute(
        "INSERT INTO analyses (document_id, version, analysed_at, missing) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (document_id) DO UPDATE SET version = excluded.version, analysed_at = excluded.analysed_at,
         missing = excluded.missing",
        params![doc, analysis.version, at, missing],
    )?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO mentions (document_id, kind, start, end, text, value, key, checksum, label, lang, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    for m in &analysis.mentions {
        let detail = m.detail.as_ref().map(serde_json::Value::to_string);
        insert.execute(params![
            doc,
            m.kind,
            m.start as i64,
            m.end as i64,
            m.text,
            m.value,
            m.key,
            m.checksum,
            m.label,
            m.lang,
            detail
        ])?;
    }
    Ok(())
}

const MENTION_COLUMNS: &str = "m.document_id, m.kind, m.start, m.end, m.text, m.value, m.key, m.checksum, m.label, \
                               m.lang, m.detail";

fn mention(row: &rusqlite::Row<'_>) -> rusqlite::Result<(DocId, Mention, Option<String>)> {
    Ok((
        row.get(0)?,
        Mention {
            kind: row.get(1)?,
            start: row.get::<_, i64>(2)? as usize,
            end: row.get::<_, i64>(3)? as usize,
            text: row.get(4)?,
            value: row.get(5)?,
            key: row.get(6)?,
            checksum: row.get(7)?,
            label: row.get(8)?,
            lang: row.get(9)?,
            detail: None,
        },
        row.get(10)?,
    ))
}

fn with_detail((doc, mut mention, detail): (DocId, Mention, Option<String>)) -> Result<(DocId, Mention), CatalogError> {
    if let Some(json) = detail {
        mention.detail = Some(serde_json::from_str(&json).map_err(corrupt)?);
    }
    Ok((doc, mention))
}

pub(super) fn analysis(conn: &Connection, doc: DocId) -> Result<Option<StoredAnalysis>, CatalogError> {
    let head: Option<(String, String, Option<String>)> = conn
        .query_row("SELECT version, analysed_at, missing FROM analyses WHERE document_id = ?1", [doc], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })
        .optional()?;
    let Some((version, analysed_at, missing)) = head else { return Ok(None) };
    let missing = match missing {
        Some(json) => serde_json::from_str(&json).map_err(corrupt)?,
        None => Vec::new(),
    };
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {MENTION_COLUMNS} FROM mentions m WHERE m.document_id = ?1 ORDER BY m.start, m.end, m.id"
    ))?;
    let mentions = statement
        .query_map([doc], mention)?
        .map(|row| with_detail(row?).map(|(_, mention)| mention))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(StoredAnalysis { version, analysed_at, missing, mentions }))
}

/// Documents that are finished, have a text, and lack an analysis of `version` (?1) or a fingerprint of this
/// dossier's version (?3), in the collection ?2 (or all).
const TO_ANALYSE: &str = "FROM documents d JOIN texts t ON t.document_id = d.id
     JOIN collections c ON c.id = d.collection_id LEFT JOIN analyses a ON a.document_id = d.id
     LEFT JOIN fingerprints f ON f.document_id = d.id
     WHERE d.state IN ('ok', 'partial') AND length(t.text) > 0
     AND (a.version IS NULL OR a.version != ?1 OR f.version IS NULL OR f.version != ?3)
     AND (?2 IS NULL OR c.name = ?2)";

pub(super) fn to_analyse(
    conn: &Connection,
    version: &str,
    collection: Option<&str>,
    after: DocId,
    limit: usize,
) -> Result<Vec<DocId>, CatalogError> {
    let mut statement =
        conn.prepare_cached(&format!("SELECT d.id {TO_ANALYSE} AND d.id > ?4 ORDER BY d.id LIMIT ?5"))?;
    let ids = statement
        .query_map(params![version, collection, Fingerprint::VERSION, after, limit as i64], |row| row.get(0))?;
    Ok(ids.collect::<Result<_, _>>()?)
}

pub(super) fn count_to_analyse(
    conn: &Connection,
    version: &str,
    collection: Option<&str>,
) -> Result<u64, CatalogError> {
    let sql = format!("SELECT COUNT(*) {TO_ANALYSE}");
    Ok(conn.query_row(&sql, params![version, collection, Fingerprint::VERSION], |row| row.get::<_, i64>(0))? as u64)
}

pub(super) fn entity_rows(
    conn: &Connection,
    collection: Option<&str>,
    kind: Option<&str>,
) -> Result<Vec<EntityRow>, CatalogError> {
    let mut statement = conn.prepare_cached(
        "SELECT m.kind, m.key, m.value, COUNT(*), COUNT(DISTINCT m.document_id)
         FROM mentions m JOIN documents d ON d.id = m.document_id JOIN collections c ON c.id = d.collection_id
         WHERE (?1 IS NULL OR c.name = ?1) AND (?2 IS NULL OR m.kind = ?2)
         GROUP BY m.kind, m.key, m.value ORDER BY m.kind, m.key, m.value",
    )?;
    let rows = statement.query_map(params![collection, kind], |row| {
        Ok(EntityRow {
            kind: row.get(0)?,
            key: row.get(1)?,
            value: row.get(2)?,
            mentions: row.get::<_, i64>(3)? as u64,
            documents: row.get::<_, i64>(4)? as u64,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The condition and parameters selecting the filter's mentions (over `m`, `d` and `c`).
fn filter_sql(filter: &EntityFilter<'_>) -> (String, Vec<Value>) {
    let mut values = vec![Value::Text(filter.kind.to_string())];
    let mut condition = "m.kind = ?1".to_string();
    if let Some(collection) = filter.collection {
        values.push(Value::Text(collection.to_string()));
        condition.push_str(&format!(" AND c.name = ?{}", values.len()));
    }
    let members: Vec<String> = filter
        .members
        .iter()
        .map(|(key, value)| {
            values.push(Value::Text(key.clone()));
            values.push(Value::Text(value.clone()));
            format!("(m.key = ?{} AND m.value = ?{})", values.len() - 1, values.len())
        })
        .collect();
    if members.is_empty() {
        condition.push_str(" AND 0");
    } else {
        condition.push_str(&format!(" AND ({})", members.join(" OR ")));
    }
    (condition, values)
}

pub(super) fn entity_documents(conn: &Connection, filter: &EntityFilter<'_>) -> Result<Vec<DocId>, CatalogError> {
    let (condition, values) = filter_sql(filter);
    let mut statement = conn.prepare(&format!(
        "SELECT DISTINCT m.document_id FROM mentions m JOIN documents d ON d.id = m.document_id
         JOIN collections c ON c.id = d.collection_id WHERE {condition} ORDER BY m.document_id"
    ))?;
    let ids = statement.query_map(params_from_iter(values), |row| row.get(0))?;
    Ok(ids.collect::<Result<_, _>>()?)
}

pub(super) fn entity_mentions(
    conn: &Connection,
    filter: &EntityFilter<'_>,
    limit: usize,
) -> Result<Vec<DocMention>, CatalogError> {
    let (condition, mut values) = filter_sql(filter);
    values.push(Value::Integer(limit as i64));
    let mut statement = conn.prepare(&format!(
        "SELECT {MENTION_COLUMNS} FROM mentions m JOIN documents d ON d.id = m.document_id
         JOIN collections c ON c.id = d.collection_id WHERE {condition}
         ORDER BY m.document_id, m.start, m.id LIMIT ?{}",
        values.len()
    ))?;
    let rows = statement.query_map(params_from_iter(values), mention)?;
    rows.map(|row| with_detail(row?).map(|(document, mention)| DocMention { document, mention })).collect()
}

/// The distinct (kind, value) pairs of each document in `docs`, for the search index.
pub(super) fn entity_values(conn: &Connection, doc: DocId) -> Result<Vec<(String, String)>, CatalogError> {
    let mut statement =
        conn.prepare_cached("SELECT DISTINCT kind, value FROM mentions WHERE document_id = ?1 ORDER BY kind, value")?;
    let rows = statement.query_map([doc], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
