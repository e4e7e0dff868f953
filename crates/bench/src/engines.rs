//! The two sides of the comparison: dossier's index and an SQLite FTS5 table, each loaded with the same documents and
//! asked the same queries, timed the same way.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use dossier_index::{Index, IndexDoc, SearchRequest, Sort};
use dossier_query::{ParseOptions, Query, parse};
use rusqlite::{Connection, params};

use crate::corpus::GeneratedDoc;
use crate::queries::BenchQuery;

pub struct DossierSide {
    pub index: Index,
    dir: PathBuf,
    committed: i64,
}

impl DossierSide {
    pub fn open(dir: &Path) -> anyhow::Result<DossierSide> {
        let index = Index::open(dir).with_context(|| format!("open dossier index in {}", dir.display()))?;
        Ok(DossierSide { index, dir: dir.to_path_buf(), committed: 0 })
    }

    pub fn add(&mut self, docs: &[GeneratedDoc]) -> anyhow::Result<()> {
        let metadata: Vec<serde_json::Value> = docs
            .iter()
            .map(|doc| {
                if doc.format == "eml" {
                    serde_json::json!({"subject": doc.title, "from": doc.author, "date": doc.date})
                } else {
                    serde_json::json!({"title": doc.title, "author": doc.author, "created": doc.date})
                }
            })
            .collect();
        let index_docs: Vec<IndexDoc<'_>> = docs
            .iter()
            .zip(&metadata)
            .map(|(doc, metadata)| IndexDoc {
                id: doc.id,
                parent_id: None,
                collection: doc.collection,
                path: &doc.path,
                name: &doc.path,
                state: "ok",
                format: Some(doc.format),
                metadata,
                text: &doc.text,
                entities: &[],
            })
            .collect();
        self.index.add(&index_docs)?;
        self.committed += docs.len() as i64;
        // As dossier's own catch-up does: bounded memory for documents waiting to be indexed.
        if self.index.backlog_bytes() > 128 << 20 {
            self.index.commit(self.committed)?;
        }
        Ok(())
    }

    /// Commits and waits for merges, so that the queries see the index a finished import leaves behind.
    pub fn finish(&mut self) -> anyhow::Result<()> {
        self.index.commit(self.committed)?;
        self.index.close_writer()?;
        Ok(())
    }

    pub fn size_bytes(&self) -> u64 {
        dir_size(&self.dir)
    }

    /// Runs one query; returns the total hit count.
    pub fn search(&self, query: &Query, full: bool) -> anyhow::Result<u64> {
        let request = SearchRequest {
            query: query.clone(),
            limit: 10,
            offset: 0,
            sort: Sort::Relevance,
            snippets: if full { 3 } else { 0 },
            facets: full,
        };
        Ok(self.index.search(&request)?.total)
    }
}

pub fn parse_dossier(query: &BenchQuery) -> anyhow::Result<Query> {
    parse(&query.dossier, &ParseOptions::default()).with_context(|| format!("dossier query {:?}", query.dossier))
}

pub struct FtsSide {
    connection: Connection,
    path: PathBuf,
}

impl FtsSide {
    pub fn open(path: &Path) -> anyhow::Result<FtsSide> {
        let connection = Connection::open(path)?;
        let options: Vec<String> =
            connection.prepare("PRAGMA compile_options")?.query_map([], |row| row.get(0))?.collect::<Result<_, _>>()?;
        anyhow::ensure!(
            options.iter().any(|option| option == "ENABLE_FTS5"),
            "this SQLite is built without FTS5 (compile options: {options:?})"
        );
        // A page cache and memory map comparable to what tantivy gets from the OS through mmap.
        connection.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -262144;
             PRAGMA mmap_size = 17179869184;
             CREATE VIRTUAL TABLE t USING fts5(title, body, date UNINDEXED,
                 tokenize = 'unicode61 remove_diacritics 2');",
        )?;
        Ok(FtsSide { connection, path: path.to_path_buf() })
    }

    /// Inserts a batch in one transaction.
    pub fn add(&mut self, docs: &[GeneratedDoc]) -> anyhow::Result<()> {
        let transaction = self.connection.transaction()?;
        {
            let mut insert =
                transaction.prepare_cached("INSERT INTO t(rowid, title, body, date) VALUES (?, ?, ?, ?)")?;
            for doc in docs {
                insert.execute(params![doc.id as i64, doc.title, doc.text, doc.date])?;
            }
        }
        transaction.commit()?;
        Ok(())
    }

    /// Merges FTS5's segments into one (its equivalent of tantivy's merges) and checkpoints the WAL.
    pub fn finish(&mut self) -> anyhow::Result<Duration> {
        let start = Instant::now();
        self.connection.execute("INSERT INTO t(t) VALUES('optimize')", [])?;
        self.connection.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        Ok(start.elapsed())
    }

    pub fn size_bytes(&self) -> u64 {
        let wal = PathBuf::from(format!("{}-wal", self.path.display()));
        [self.path.clone(), wal].iter().filter_map(|path| std::fs::metadata(path).ok()).map(|meta| meta.len()).sum()
    }

    /// Runs one query; `full` is count + ranked top 10 with snippets, otherwise the ranked top 10 alone. Returns the
    /// hit count (of the count query when full, of the page otherwise).
    pub fn search(&self, query: &BenchQuery, full: bool) -> anyhow::Result<u64> {
        let (date_clause, from, to) = match &query.fts_date {
            Some((from, to)) => (" AND date BETWEEN ?2 AND ?3", from.as_str(), to.as_str()),
            None => ("", "", ""),
        };
        let bind = |statement: &mut rusqlite::CachedStatement<'_>| -> rusqlite::Result<()> {
            statement.raw_bind_parameter(1, &query.fts_match)?;
            if query.fts_date.is_some() {
                statement.raw_bind_parameter(2, from)?;
                statement.raw_bind_parameter(3, to)?;
            }
            Ok(())
        };
        let mut total = 0;
        if full {
            let mut count =
                self.connection.prepare_cached(&format!("SELECT count(*) FROM t WHERE t MATCH ?1{date_clause}"))?;
            bind(&mut count)?;
            let mut rows = count.raw_query();
            if let Some(row) = rows.next()? {
                total = row.get::<_, i64>(0)? as u64;
            }
        }
        let sql = if full {
            format!(
                "SELECT rowid, bm25(t), snippet(t, 1, '[', ']', '…', 12) FROM t WHERE t MATCH ?1{date_clause} \
                 ORDER BY rank LIMIT 10"
            )
        } else {
            format!("SELECT rowid, bm25(t) FROM t WHERE t MATCH ?1{date_clause} ORDER BY rank LIMIT 10")
        };
        let mut ranked = self.connection.prepare_cached(&sql)?;
        bind(&mut ranked)?;
        let mut rows = ranked.raw_query();
        let mut page = 0;
        while let Some(row) = rows.next()? {
            let _rowid: i64 = row.get(0)?;
            if full {
                let _snippet: String = row.get(2)?;
            }
            page += 1;
        }
        Ok(if full { total } else { page })
    }
}

fn dir_size(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries
        .flatten()
        .map(|entry| match entry.metadata() {
            Ok(meta) if meta.is_dir() => dir_size(&entry.path()),
            Ok(meta) => meta.len(),
            Err(_) => 0,
        })
        .sum()
}
