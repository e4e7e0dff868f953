//! Translates a parsed query tree into a tantivy query, and collects the words to highlight in snippets.

use std::collections::BTreeSet;
use std::ops::Bound;

use dossier_query::{Day, Field as QueryField, Query, Word};
use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, FuzzyTermQuery, Occur, PhraseQuery, Query as TantivyQuery,
    RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;

use crate::IndexError;
use crate::schema::Fields;

/// Title matches count more than text matches.
const TITLE_BOOST: f32 = 2.0;
/// At most this many terms a prefix or fuzzy word may expand to in one segment is tantivy's business; we bound the
/// number of transliteration variants instead (they are exact terms).
const MAX_TRANSLIT_VARIANTS: usize = 64;

/// What the snippets should mark: the words the positive part of the query looks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Highlights {
    /// Folded words (phrases, transliterations).
    pub exact: BTreeSet<String>,
    /// Stems (unquoted words), in every language the word might be in.
    pub stems: BTreeSet<String>,
    pub prefixes: BTreeSet<String>,
    /// Folded words with their edit distance.
    pub fuzzy: BTreeSet<(String, u8)>,
}

impl Highlights {
    pub fn is_empty(&self) -> bool {
        self.exact.is_empty() && self.stems.is_empty() && self.prefixes.is_empty() && self.fuzzy.is_empty()
    }
}

pub struct Translator<'a> {
    pub fields: &'a Fields,
    /// The index's word analyzer (splits and folds exactly as the exact fields were indexed).
    pub words: TextAnalyzer,
    pub highlights: Highlights,
}

impl Translator<'_> {
    pub fn translate(&mut self, query: &Query) -> Result<Box<dyn TantivyQuery>, IndexError> {
        self.translate_with(query, true)?.ok_or(IndexError::NoSearchableWord)
    }

    /// `positive` is false under a negation: such words are not highlighted. `None` is a clause with nothing to
    /// search for (a dash or other punctuation typed as a word): it is left out of the query around it.
    fn translate_with(&mut self, query: &Query, positive: bool) -> Result<Option<Box<dyn TantivyQuery>>, IndexError> {
        Ok(Some(match query {
            Query::All => Box::new(AllQuery),
            Query::And(clauses) | Query::Or(clauses) => {
                let occur = if matches!(query, Query::And(_)) { Occur::Must } else { Occur::Should };
                let mut subqueries = Vec::with_capacity(clauses.len());
                for clause in clauses {
                    if let Some(subquery) = self.translate_with(clause, positive)? {
                        subqueries.push((occur, subquery));
                    }
                }
                match subqueries.len() {
                    0 => return Ok(None),
                    1 => subqueries.pop().expect("one clause").1,
                    _ => Box::new(BooleanQuery::new(subqueries)),
                }
            }
            Query::AndNot { positive: included, negative } => {
                let included = self.translate_with(included, positive)?.unwrap_or_else(|| Box::new(AllQuery));
                let mut subqueries = vec![(Occur::Must, included)];
                for clause in negative {
                    if let Some(subquery) = self.translate_with(clause, !positive)? {
                        subqueries.push((Occur::MustNot, subquery));
                    }
                }
                Box::new(BooleanQuery::new(subqueries))
            }
            Query::DateRange { from, to } => self.date_range(*from, *to),
            Query::Word { field, word } => return self.word(*field, word, positive),
            Query::Phrase { field, words, slop } => return self.phrase(*field, words, *slop, positive),
        }))
    }

    fn date_range(&self, from: Option<Day>, to: Option<Day>) -> Box<dyn TantivyQuery> {
        let seconds = |day: Day| {
            dossier_document::days_from_civil(i64::from(day.year), i64::from(day.month), i64::from(day.day)) * 86_400
        };
        let lower = match from {
            Some(day) => Bound::Included(Term::from_field_i64(self.fields.date, seconds(day))),
            None => Bound::Unbounded,
        };
        // Inclusive days: everything before the start of the next day.
        let upper = match to {
            Some(day) => Bound::Excluded(Term::from_field_i64(self.fields.date, seconds(day) + 86_400)),
            None => Bound::Unbounded,
        };
        if from.is_none() && to.is_none() {
            // `date:..`: any document that has a date at all.
            let lower = Bound::Included(Term::from_field_i64(self.fields.date, i64::MIN));
            return Box::new(RangeQuery::new(lower, Bound::Unbounded));
        }
        Box::new(RangeQuery::new(lower, upper))
    }

    /// The folded tokens of a piece of query text, split as the index splits text.
    fn tokens(&mut self, text: &str) -> Vec<String> {
        let mut stream = self.words.token_stream(text);
        let mut tokens = Vec::new();
        while let Some(token) = stream.next() {
            tokens.push(token.text.clone());
        }
        tokens
    }

    fn word(
        &mut self,
        field: QueryField,
        word: &Word,
        positive: bool,
    ) -> Result<Option<Box<dyn TantivyQuery>>, IndexError> {
        match field {
            QueryField::Type => return Ok(Some(self.format_filter(&word.text))),
            QueryField::Lang => return Ok(Some(keyword(self.fields.lang, &word.text.to_lowercase()))),
            QueryField::Collection => return Ok(Some(keyword(self.fields.collection, &word.text))),
            QueryField::Ext => {
                return Ok(Some(keyword(self.fields.ext, &word.text.trim_start_matches('.').to_lowercase())));
            }
            _ => {}
        }
        let tokens = self.tokens(&word.text);
        Ok(match tokens.as_slice() {
            [] => None,
            [token] => Some(self.single_word(field, token, word, positive)),
            // A hyphenated or punctuated word (`Ростов-на-Дону`, `14-07/2231`) is searched as a phrase of its parts.
            _ => Some(self.phrase_of_tokens(field, tokens, 0, positive)),
        })
    }

    fn single_word(&mut self, field: QueryField, token: &str, word: &Word, positive: bool) -> Box<dyn TantivyQuery> {
        let targets = self.exact_fields(field);
        let highlight = positive && matches!(field, QueryField::Text | QueryField::Title);
        if word.prefix {
            if highlight {
                self.highlights.prefixes.insert(token.to_string());
            }
            return any_of(targets.iter().map(|&(target, boost)| {
                boosted(Box::new(FuzzyTermQuery::new_prefix(Term::from_field_text(target, token), 0, true)), boost)
            }));
        }
        if let Some(distance) = word.fuzzy {
            if highlight {
                self.highlights.fuzzy.insert((token.to_string(), distance));
            }
            return any_of(targets.iter().map(|&(target, boost)| {
                boosted(Box::new(FuzzyTermQuery::new(Term::from_field_text(target, token), distance, true)), boost)
            }));
        }
        if word.translit {
            let variants: Vec<String> =
                dossier_lang::translit::variants(token).into_iter().take(MAX_TRANSLIT_VARIANTS).collect();
            if highlight {
                self.highlights.exact.extend(variants.iter().cloned());
            }
            return any_of(targets.iter().flat_map(|&(target, boost)| {
                variants.iter().map(move |variant| boosted(term(target, variant), boost)).collect::<Vec<_>>()
            }));
        }
        match field {
            QueryField::Text | QueryField::Title => {
                let stems = dossier_lang::query_stems(token);
                if highlight {
                    self.highlights.stems.extend(stems.iter().cloned());
                }
                let mut stemmed = vec![(self.fields.title_stem, TITLE_BOOST)];
                if field == QueryField::Text {
                    stemmed.push((self.fields.text_stem, 1.0));
                }
                any_of(stemmed.iter().flat_map(|&(target, boost)| {
                    stems.iter().map(move |stem| boosted(term(target, stem), boost)).collect::<Vec<_>>()
                }))
            }
            // Names, addresses and paths are matched word for word.
            _ => any_of(targets.iter().map(|&(target, boost)| boosted(term(target, token), boost))),
        }
    }

    fn phrase(
        &mut self,
        field: QueryField,
        words: &[String],
        slop: u32,
        positive: bool,
    ) -> Result<Option<Box<dyn TantivyQuery>>, IndexError> {
        let joined = words.join(" ");
        match field {
            QueryField::Type => return Ok(Some(self.format_filter(&joined))),
            QueryField::Lang => return Ok(Some(keyword(self.fields.lang, &joined.to_lowercase()))),
            QueryField::Collection => return Ok(Some(keyword(self.fields.collection, &joined))),
            QueryField::Ext => return Ok(Some(keyword(self.fields.ext, &joined.to_lowercase()))),
            _ => {}
        }
        let tokens = self.tokens(&joined);
        if tokens.is_empty() {
            return Ok(None);
        }
        Ok(Some(self.phrase_of_tokens(field, tokens, slop, positive)))
    }

    fn phrase_of_tokens(
        &mut self,
        field: QueryField,
        tokens: Vec<String>,
        slop: u32,
        positive: bool,
    ) -> Box<dyn TantivyQuery> {
        if positive && matches!(field, QueryField::Text | QueryField::Title) {
            self.highlights.exact.extend(tokens.iter().cloned());
        }
        let targets = self.exact_fields(field);
        if let [token] = tokens.as_slice() {
            return any_of(targets.iter().map(|&(target, boost)| boosted(term(target, token), boost)));
        }
        any_of(targets.iter().map(|&(target, boost)| {
            let terms: Vec<Term> = tokens.iter().map(|token| Term::from_field_text(target, token)).collect();
            let mut phrase = PhraseQuery::new(terms);
            phrase.set_slop(slop);
            boosted(Box::new(phrase), boost)
        }))
    }

    /// The unstemmed fields a query field searches, with their boosts.
    fn exact_fields(&self, field: QueryField) -> Vec<(Field, f32)> {
        let fields = self.fields;
        match field {
            QueryField::Text => vec![(fields.title_exact, TITLE_BOOST), (fields.text_exact, 1.0)],
            QueryField::Title => vec![(fields.title_exact, 1.0)],
            QueryField::Author => vec![(fields.author, 1.0)],
            QueryField::From => vec![(fields.from, 1.0)],
            QueryField::To => vec![(fields.to, 1.0)],
            QueryField::Path => vec![(fields.path, 1.0)],
            QueryField::Person => vec![(fields.person, 1.0)],
            QueryField::Org => vec![(fields.org, 1.0)],
            QueryField::Loc => vec![(fields.loc, 1.0)],
            QueryField::Inn => vec![(fields.inn, 1.0)],
            QueryField::Phone => vec![(fields.phone, 1.0)],
            QueryField::Email => vec![(fields.email, 1.0)],
            // Keyword fields are handled before this is asked.
            QueryField::Type | QueryField::Lang | QueryField::Collection | QueryField::Ext => Vec::new(),
        }
    }

    /// `type:pdf`, `type:application/pdf`, or a family (`type:mail`, `type:word`, `type:image`...).
    fn format_filter(&self, value: &str) -> Box<dyn TantivyQuery> {
        let names = format_names(value);
        any_of(names.iter().map(|name| keyword(self.fields.format, name)))
    }
}

/// The format short names a `type:` value stands for.
pub fn format_names(value: &str) -> Vec<String> {
    use dossier_document::Format;
    let value = value.trim().to_lowercase();
    let family: &[&str] = match value.as_str() {
        "mail" | "email" | "e-mail" | "message" => &["eml", "msg", "mbox", "pst"],
        "word" => &["doc", "docx", "odt", "rtf"],
        "excel" | "spreadsheet" | "sheet" => &["xls", "xlsx", "xlsb", "ods", "csv", "tsv"],
        "powerpoint" | "presentation" | "slides" => &["ppt", "pptx", "odp"],
        "image" | "picture" | "scan" => &["jpeg", "png", "gif", "tiff", "bmp", "webp", "jp2"],
        "archive" => &["zip", "tar", "gz", "bz2", "xz", "7z", "rar"],
        "jpg" => &["jpeg"],
        "tif" => &["tiff"],
        "txt" => &["text"],
        "htm" => &["html"],
        _ => &[],
    };
    if !family.is_empty() {
        return family.iter().map(|name| name.to_string()).collect();
    }
    match Format::ALL.iter().find(|format| format.mime() == value) {
        Some(format) => vec![format.name().to_string()],
        None => vec![value],
    }
}

fn term(field: Field, text: &str) -> Box<dyn TantivyQuery> {
    Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs))
}

fn keyword(field: Field, value: &str) -> Box<dyn TantivyQuery> {
    Box::new(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic))
}

fn boosted(query: Box<dyn TantivyQuery>, boost: f32) -> Box<dyn TantivyQuery> {
    if boost == 1.0 { query } else { Box::new(BoostQuery::new(query, boost)) }
}

/// A disjunction, without a needless BooleanQuery around a single clause.
fn any_of(queries: impl IntoIterator<Item = Box<dyn TantivyQuery>>) -> Box<dyn TantivyQuery> {
    let mut queries: Vec<Box<dyn TantivyQuery>> = queries.into_iter().collect();
    match queries.len() {
        0 => Box::new(EmptyQuery),
        1 => queries.pop().expect("one query"),
        _ => Box::new(BooleanQuery::new(queries.into_iter().map(|query| (Occur::Should, query)).collect())),
    }
}
