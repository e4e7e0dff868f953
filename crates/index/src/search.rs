//! Running a query: ranked (or date-ordered) hits with snippets, total count and facets; and every hit, streamed.

use serde::Serialize;
use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query as TantivyQuery, TermQuery, TermSetQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Order, Searcher, TantivyDocument, Term};

use dossier_query::Query;

use crate::facets::{FacetCollector, Facets};
use crate::schema::WORD_TOKENIZER;
use crate::snippets::{Snippet, match_ranges, snippets};
use crate::translate::{Highlights, Translator};
use crate::{Index, IndexError};

/// How hits are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    #[default]
    Relevance,
    /// Newest document date first; documents without a date last.
    Newest,
    Oldest,
}

#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: Query,
    pub limit: usize,
    pub offset: usize,
    pub sort: Sort,
    /// Snippets per hit (0 for none).
    pub snippets: usize,
    pub facets: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub id: u64,
    pub parent_id: Option<u64>,
    pub collection: String,
    pub path: String,
    pub title: String,
    pub format: Option<String>,
    pub lang: Option<String>,
    /// The document's date (sent, created or modified) as ISO 8601, when it has one.
    pub date: Option<String>,
    /// BM25 relevance; `None` when hits are ordered by date.
    pub score: Option<f32>,
    pub snippets: Vec<Snippet>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    /// Every matching document, not only this page.
    pub total: u64,
    pub offset: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
}

impl Index {
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, IndexError> {
        let searcher = self.reader.searcher();
        let (query, highlights) = self.translate(&request.query)?;
        let query = self.per_document(&searcher, query)?;
        // tantivy keeps `limit + offset` candidates: beyond the number of documents there is nothing to page to, and
        // an absurd offset (a typo, a fuzzer) must not ask for gigabytes.
        let n_docs = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX).max(1);
        let offset = request.offset.min(n_docs);
        let page = TopDocs::with_limit(request.limit.clamp(1, n_docs)).and_offset(offset);
        let tantivy_err = |source| self.tantivy(source);
        let (total, addresses, facets): (usize, Vec<(Option<f32>, DocAddress)>, Facets) = match request.sort {
            Sort::Relevance => {
                let (total, top, facets) =
                    searcher.search(&query, &(Count, page.order_by_score(), FacetCollector)).map_err(tantivy_err)?;
                (total, top.into_iter().map(|(score, address)| (Some(score), address)).collect(), facets.into_facets())
            }
            Sort::Newest | Sort::Oldest => {
                let order = if request.sort == Sort::Newest { Order::Desc } else { Order::Asc };
                let (total, top, facets) = searcher
                    .search(&query, &(Count, page.order_by_fast_field::<i64>("date", order), FacetCollector))
                    .map_err(tantivy_err)?;
                (total, top.into_iter().map(|(_, address)| (None, address)).collect(), facets.into_facets())
            }
        };
        let addresses = if request.limit == 0 { Vec::new() } else { addresses };
        let mut hits = Vec::with_capacity(addresses.len());
        for (score, address) in addresses {
            hits.push(self.hit(&searcher, address, score, &highlights, request.snippets)?);
        }
        Ok(SearchResults {
            total: total as u64,
            offset: request.offset,
            hits,
            facets: if request.facets { facets } else { Vec::new() },
        })
    }

    /// Calls `on_hit` for every matching document, best first, with `n_snippets` snippets each; stops at the first
    /// error `on_hit` returns (e.g. a closed pipe). Returns the number of hits.
    pub fn for_each_hit<E: From<IndexError>>(
        &self,
        query: &Query,
        n_snippets: usize,
        on_hit: &mut dyn FnMut(Hit) -> Result<(), E>,
    ) -> Result<u64, E> {
        let searcher = self.reader.searcher();
        let (tantivy_query, highlights) = self.translate(query)?;
        let tantivy_query = self.per_document(&searcher, tantivy_query)?;
        let total = searcher.search(&tantivy_query, &Count).map_err(|source| self.tantivy(source))?;
        if total == 0 {
            return Ok(0);
        }
        let ranked = searcher
            .search(&tantivy_query, &TopDocs::with_limit(total).order_by_score())
            .map_err(|source| self.tantivy(source))?;
        let mut n = 0;
        for (score, address) in ranked {
            on_hit(self.hit(&searcher, address, Some(score), &highlights, n_snippets)?)?;
            n += 1;
        }
        Ok(n)
    }

    /// Byte ranges of `text` where the query's words occur (in any form the query matches), for marking them in a
    /// document's text.
    pub fn highlight(&self, query: &Query, text: &str) -> Result<Vec<(usize, usize)>, IndexError> {
        let (_, highlights) = self.translate(query)?;
        let mut words = self.word_analyzer()?;
        Ok(match_ranges(text, &highlights, &mut words))
    }

    /// The query as it must run so that each catalog document counts once: over the first index document of each
    /// (which carries every field), matched either there or, for a long text, in one of its later parts.
    fn per_document(
        &self,
        searcher: &Searcher,
        query: Box<dyn TantivyQuery>,
    ) -> Result<Box<dyn TantivyQuery>, IndexError> {
        // A filter only: it must not change the ranking (every first part would add the same constant anyway).
        let first = || -> Box<dyn TantivyQuery> {
            let term = TermQuery::new(Term::from_field_u64(self.fields.part, 0), IndexRecordOption::Basic);
            Box::new(ConstScoreQuery::new(Box::new(term), 0.0))
        };
        let continued = Term::from_field_u64(self.fields.continued, 1);
        let has_parts = searcher.doc_freq(&continued).map_err(|source| self.tantivy(source))? > 0;
        let in_first = BooleanQuery::new(vec![(Occur::Must, query.box_clone()), (Occur::Must, first())]);
        if !has_parts {
            return Ok(Box::new(in_first));
        }
        // Documents whose later parts match: few, since only texts over `PART_TEXT_BYTES` have parts.
        let in_later = BooleanQuery::new(vec![
            (Occur::Must, query),
            (Occur::Must, Box::new(TermQuery::new(continued, IndexRecordOption::Basic))),
        ]);
        let addresses = searcher.search(&in_later, &DocSetCollector).map_err(|source| self.tantivy(source))?;
        if addresses.is_empty() {
            return Ok(Box::new(in_first));
        }
        let mut ids = Vec::with_capacity(addresses.len());
        for address in addresses {
            let doc: TantivyDocument = searcher.doc(address).map_err(|source| self.tantivy(source))?;
            if let Some(id) = doc.get_first(self.fields.id).and_then(|value| value.as_u64()) {
                ids.push(Term::from_field_u64(self.fields.id, id));
            }
        }
        let via_later =
            BooleanQuery::new(vec![(Occur::Must, Box::new(TermSetQuery::new(ids))), (Occur::Must, first())]);
        Ok(Box::new(BooleanQuery::new(vec![
            (Occur::Should, Box::new(in_first) as Box<dyn TantivyQuery>),
            (Occur::Should, Box::new(via_later)),
        ])))
    }

    /// Snippets from the later parts of a long text, for a hit whose first part does not hold the query's words.
    fn later_snippets(
        &self,
        searcher: &Searcher,
        id: u64,
        highlights: &Highlights,
        n_snippets: usize,
    ) -> Result<Vec<Snippet>, IndexError> {
        let parts = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(TermQuery::new(Term::from_field_u64(self.fields.id, id), IndexRecordOption::Basic))
                    as Box<dyn TantivyQuery>,
            ),
            (
                Occur::Must,
                Box::new(TermQuery::new(Term::from_field_u64(self.fields.continued, 1), IndexRecordOption::Basic)),
            ),
        ]);
        let mut addresses: Vec<DocAddress> =
            searcher.search(&parts, &DocSetCollector).map_err(|source| self.tantivy(source))?.into_iter().collect();
        let mut found = Vec::new();
        let mut numbered = Vec::with_capacity(addresses.len());
        for address in addresses.drain(..) {
            let doc: TantivyDocument = searcher.doc(address).map_err(|source| self.tantivy(source))?;
            let part = doc.get_first(self.fields.part).and_then(|value| value.as_u64()).unwrap_or(0);
            numbered.push((part, doc));
        }
        numbered.sort_by_key(|(part, _)| *part);
        let mut words = self.word_analyzer()?;
        for (_, doc) in numbered {
            let text = doc.get_first(self.fields.text).and_then(|value| value.as_str()).unwrap_or("");
            found.extend(snippets(text, highlights, &mut words, n_snippets - found.len()));
            if found.len() >= n_snippets {
                break;
            }
        }
        Ok(found)
    }

    fn translate(&self, query: &Query) -> Result<(Box<dyn TantivyQuery>, Highlights), IndexError> {
        let mut translator =
            Translator { fields: &self.fields, words: self.word_analyzer()?, highlights: Highlights::default() };
        let query = translator.translate(query)?;
        Ok((query, translator.highlights))
    }

    fn word_analyzer(&self) -> Result<tantivy::tokenizer::TextAnalyzer, IndexError> {
        self.index
            .tokenizers()
            .get(WORD_TOKENIZER)
            .ok_or_else(|| IndexError::Query(format!("tokenizer {WORD_TOKENIZER} is not registered")))
    }

    fn hit(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        score: Option<f32>,
        highlights: &Highlights,
        n_snippets: usize,
    ) -> Result<Hit, IndexError> {
        let doc: TantivyDocument = searcher.doc(address).map_err(|source| self.tantivy(source))?;
        let fields = &self.fields;
        let text_of = |field| doc.get_first(field).and_then(|value| value.as_str()).map(str::to_string);
        let text = text_of(fields.text).unwrap_or_default();
        let id = doc.get_first(fields.id).and_then(|value| value.as_u64()).unwrap_or(0);
        let mut snippets = if n_snippets > 0 {
            let mut words = self.word_analyzer()?;
            snippets(&text, highlights, &mut words, n_snippets)
        } else {
            Vec::new()
        };
        if n_snippets > 0 && !highlights.is_empty() && snippets.iter().all(|snippet| snippet.highlights.is_empty()) {
            // The words are not in the first part of a long text: show where they are, if a later part has them.
            let later = self.later_snippets(searcher, id, highlights, n_snippets)?;
            if later.iter().any(|snippet| !snippet.highlights.is_empty()) {
                snippets = later.into_iter().filter(|snippet| !snippet.highlights.is_empty()).collect();
            }
        }
        Ok(Hit {
            id,
            parent_id: doc.get_first(fields.parent_id).and_then(|value| value.as_u64()),
            collection: text_of(fields.collection).unwrap_or_default(),
            path: text_of(fields.path).unwrap_or_default(),
            title: text_of(fields.title).unwrap_or_default(),
            format: text_of(fields.format),
            lang: text_of(fields.lang).filter(|lang| lang != "none"),
            date: doc.get_first(fields.date).and_then(|value| value.as_i64()).map(iso_date),
            score,
            snippets,
        })
    }
}

/// `2024-03-12` for a midnight, `2024-03-12T10:30:00Z` otherwise.
fn iso_date(seconds: i64) -> String {
    let (year, month, day) = dossier_document::civil_from_days(seconds.div_euclid(86_400));
    let time = seconds.rem_euclid(86_400);
    if time == 0 {
        format!("{year:04}-{month:02}-{day:02}")
    } else {
        format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", time / 3600, time / 60 % 60, time % 60)
    }
}
