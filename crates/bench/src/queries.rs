//! The fixed query mix, picked from the generated corpus's own vocabulary so that hit counts range from a handful of
//! documents to about half the corpus, and each query's FTS5 equivalent.

use std::collections::{HashMap, HashSet};

use crate::corpus::{GeneratedDoc, Lang};

/// One query in both syntaxes.
#[derive(Debug, Clone)]
pub struct BenchQuery {
    /// What kind of query it is, for the report.
    pub kind: String,
    /// dossier's search-box syntax.
    pub dossier: String,
    /// The FTS5 MATCH expression.
    pub fts_match: String,
    /// An inclusive `YYYY-MM-DD` date range the FTS5 side applies with a WHERE clause.
    pub fts_date: Option<(String, String)>,
}

/// Document frequencies of words (and word pairs and triples) per language over a sample of documents.
#[derive(Default)]
pub struct Vocabulary {
    docs: HashMap<Lang, u64>,
    words: HashMap<Lang, HashMap<String, u64>>,
    bigrams: HashMap<Lang, HashMap<String, u64>>,
    trigrams: HashMap<Lang, HashMap<String, u64>>,
    /// Words in titles (first line), for the field filter.
    title_words: HashMap<Lang, HashMap<String, u64>>,
    total_docs: u64,
}

/// The words of a text as dossier's index splits them (apostrophes and hyphens inside a word keep it whole), lower
/// case, keeping only words made of letters of one script: queries are words a reader would type, and each side
/// must be able to match them as they are (`l'amore` is one word for dossier, two for FTS5, so neither is picked).
fn words_of(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !(c.is_alphanumeric() || matches!(c, '\'' | '’' | 'ʼ' | '-')))
        .map(|word| word.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|word| !word.is_empty() && word.chars().count() <= 20)
        .filter(|word| word.chars().all(char::is_alphabetic))
        .filter(|word| word.is_ascii() || word.chars().all(|c| matches!(c, '\u{400}'..='\u{4ff}')))
        .map(str::to_lowercase)
}

/// Whether `word` is written in `lang`'s script: Cyrillic for Russian and Ukrainian, Latin for English.
fn in_script(lang: Lang, word: &str) -> bool {
    match lang {
        Lang::En => word.is_ascii(),
        Lang::Ru | Lang::Uk => !word.is_ascii(),
    }
}

impl Vocabulary {
    pub fn add(&mut self, doc: &GeneratedDoc) {
        self.total_docs += 1;
        *self.docs.entry(doc.lang).or_default() += 1;
        // Only the first 20 KB of a document counts towards n-grams: bounded memory, same picks.
        let mut end = doc.text.len().min(20_000);
        while !doc.text.is_char_boundary(end) {
            end -= 1;
        }
        let words: Vec<String> = words_of(&doc.text).collect();
        let unique: HashSet<&String> = words.iter().collect();
        let counts = self.words.entry(doc.lang).or_default();
        for word in unique {
            *counts.entry(word.clone()).or_default() += 1;
        }
        // Phrases come from runs of words: a number or a mixed token between two words breaks the run, as it does
        // in the indexes.
        let mut head: Vec<String> = doc.text[..end]
            .split(|c: char| !(c.is_alphanumeric() || matches!(c, '\'' | '’' | 'ʼ' | '-')))
            .map(|word| word.trim_matches(|c: char| !c.is_alphanumeric()))
            .filter(|token| !token.is_empty())
            .map(str::to_lowercase)
            .collect();
        if end < doc.text.len() {
            // The cut may fall inside a word: that piece is not a word of the text.
            head.pop();
        }
        let mut pairs = HashSet::new();
        let mut triples = HashSet::new();
        let phrase_word = |word: &String| {
            (4..=20).contains(&word.chars().count())
                && word.chars().all(char::is_alphabetic)
                && in_script(doc.lang, word)
        };
        for window in head.windows(2).filter(|window| window.iter().all(phrase_word)) {
            pairs.insert(window.join(" "));
        }
        for window in head.windows(3).filter(|window| window.iter().all(phrase_word)) {
            triples.insert(window.join(" "));
        }
        let bigrams = self.bigrams.entry(doc.lang).or_default();
        for pair in pairs {
            *bigrams.entry(pair).or_default() += 1;
        }
        let trigrams = self.trigrams.entry(doc.lang).or_default();
        for triple in triples {
            *trigrams.entry(triple).or_default() += 1;
        }
        let titles = self.title_words.entry(doc.lang).or_default();
        for word in words_of(&doc.title).collect::<HashSet<_>>() {
            *titles.entry(word).or_default() += 1;
        }
    }

    /// The word of `lang` (at least 5 letters, not seen in the other languages' documents) whose document frequency,
    /// as a share of the whole sample, is closest to `share`; never one in `taken`.
    fn word_near(&self, lang: Lang, share: f64, taken: &mut HashSet<String>) -> String {
        let target = (share * self.total_docs as f64).max(2.0);
        let Some(counts) = self.words.get(&lang) else { return String::new() };
        let mut best: Option<(f64, &String)> = None;
        for (word, &count) in counts {
            if word.chars().count() < 5
                || taken.contains(word)
                || !in_script(lang, word)
                || self.in_other_language(lang, word)
            {
                continue;
            }
            let distance = ((count as f64).ln() - target.ln()).abs();
            if best.is_none_or(|(best_distance, best_word)| {
                distance < best_distance || (distance == best_distance && word < best_word)
            }) {
                best = Some((distance, word));
            }
        }
        let word = best.map(|(_, word)| word.clone()).unwrap_or_default();
        taken.insert(word.clone());
        word
    }

    fn in_other_language(&self, lang: Lang, word: &str) -> bool {
        Lang::ALL
            .iter()
            .filter(|other| **other != lang)
            .any(|other| self.words.get(other).and_then(|counts| counts.get(word)).is_some_and(|count| *count > 0))
    }

    /// The n-gram of `lang` with document frequency closest to `share` of the sample.
    fn ngram_near(&self, grams: &HashMap<Lang, HashMap<String, u64>>, lang: Lang, share: f64) -> String {
        let target = (share * self.total_docs as f64).max(2.0);
        let Some(counts) = grams.get(&lang) else { return String::new() };
        counts
            .iter()
            .map(|(gram, &count)| (((count as f64).ln() - target.ln()).abs(), gram))
            .min_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(b.1)))
            .map(|(_, gram)| gram.clone())
            .unwrap_or_default()
    }

    /// Two forms of one Russian or Ukrainian word (same stem, different ending): the rarer form is queried, so that
    /// dossier's morphology finds the documents with the other form too, and FTS5 cannot.
    fn inflected_pair(&self, lang: Lang, share: f64, taken: &HashSet<String>) -> Option<(String, String)> {
        let counts = self.words.get(&lang)?;
        let mut by_stem: HashMap<String, Vec<(&String, u64)>> = HashMap::new();
        for (word, &count) in counts {
            let chars: Vec<char> = word.chars().collect();
            if chars.len() < 7 || !in_script(lang, word) || self.in_other_language(lang, word) {
                continue;
            }
            let stem: String = chars[..chars.len() - 2].iter().collect();
            by_stem.entry(stem).or_default().push((word, count));
        }
        let target = (share * self.total_docs as f64).max(2.0);
        let mut best: Option<(f64, String, String)> = None;
        for forms in by_stem.values() {
            if forms.len() < 2 {
                continue;
            }
            let mut forms = forms.clone();
            forms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
            // The most frequent form, and the most frequent other form not queried yet.
            let common = forms[0];
            let Some(&rare) = forms[1..].iter().find(|(word, _)| !taken.contains(*word)) else { continue };
            if rare.1 * 3 < common.1 / 10 {
                continue;
            }
            let distance = ((rare.1 as f64).ln() - target.ln()).abs();
            if best.as_ref().is_none_or(|(best_distance, best_rare, _)| {
                distance < *best_distance || (distance == *best_distance && rare.0 < best_rare)
            }) {
                best = Some((distance, rare.0.clone(), common.0.clone()));
            }
        }
        best.map(|(_, rare, common)| (rare, common))
    }

    fn title_word(&self, lang: Lang, share: f64) -> String {
        let target = (share * self.total_docs as f64).max(2.0);
        let Some(counts) = self.title_words.get(&lang) else { return String::new() };
        counts
            .iter()
            .filter(|(word, _)| word.chars().count() >= 5 && in_script(lang, word))
            .map(|(word, &count)| (((count as f64).ln() - target.ln()).abs(), word))
            .min_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(b.1)))
            .map(|(_, word)| word.clone())
            .unwrap_or_default()
    }

    /// The fixed mix: the same shape at every scale, words picked by their share of the documents.
    pub fn query_mix(&self) -> Vec<BenchQuery> {
        let mut taken = HashSet::new();
        let mut queries = Vec::new();
        let mut common = HashMap::new();
        let mut mid = HashMap::new();
        let mut rare = HashMap::new();
        for lang in Lang::ALL {
            // Each language has a share of the documents (ru 50%, uk 30%, en 20%): the top level is "most documents of
            // that language", i.e. up to half the corpus for Russian.
            for (label, share) in [("common", 0.35), ("frequent", 0.05), ("rare", 0.003), ("very rare", 0.0004)] {
                let word = self.word_near(lang, share, &mut taken);
                match label {
                    "common" => common.insert(lang, word.clone()),
                    "frequent" => mid.insert(lang, word.clone()),
                    "rare" => rare.insert(lang, word.clone()),
                    _ => None,
                };
                queries.push(word_query(&format!("{} word, {label}", lang.code()), &word));
            }
        }
        for (lang, share) in [(Lang::Ru, 0.02), (Lang::Ru, 0.002), (Lang::Uk, 0.01)] {
            if let Some((rare_form, common_form)) = self.inflected_pair(lang, share, &taken) {
                taken.insert(rare_form.clone());
                let kind = format!("{} inflected form (also {common_form})", lang.code());
                queries.push(word_query(&kind, &rare_form));
            }
        }
        for (lang, share) in [(Lang::Ru, 0.02), (Lang::Uk, 0.01), (Lang::En, 0.01)] {
            let phrase = self.ngram_near(&self.bigrams, lang, share);
            queries.push(phrase_query(&format!("{} 2-word phrase", lang.code()), &phrase));
        }
        for (lang, share) in [(Lang::Ru, 0.005), (Lang::Uk, 0.005)] {
            let phrase = self.ngram_near(&self.trigrams, lang, share);
            queries.push(phrase_query(&format!("{} 3-word phrase", lang.code()), &phrase));
        }
        let get = |map: &HashMap<Lang, String>, lang| map.get(&lang).cloned().unwrap_or_default();
        let (ru_common, ru_mid, ru_rare) = (get(&common, Lang::Ru), get(&mid, Lang::Ru), get(&rare, Lang::Ru));
        let (uk_mid, en_mid, uk_common) = (get(&mid, Lang::Uk), get(&mid, Lang::En), get(&common, Lang::Uk));
        queries.push(BenchQuery {
            kind: "AND of two ru words".into(),
            dossier: format!("{ru_common} AND {ru_mid}"),
            fts_match: format!("{} AND {}", quoted(&ru_common), quoted(&ru_mid)),
            fts_date: None,
        });
        queries.push(BenchQuery {
            kind: "OR of uk and en words".into(),
            dossier: format!("{uk_mid} OR {en_mid}"),
            fts_match: format!("{} OR {}", quoted(&uk_mid), quoted(&en_mid)),
            fts_date: None,
        });
        queries.push(BenchQuery {
            kind: "NOT".into(),
            dossier: format!("{uk_common} AND NOT {uk_mid}"),
            fts_match: format!("{} NOT {}", quoted(&uk_common), quoted(&uk_mid)),
            fts_date: None,
        });
        queries.push(BenchQuery {
            kind: "OR of three ru words".into(),
            dossier: format!("{ru_mid} OR {ru_rare} OR {}", get(&rare, Lang::En)),
            fts_match: format!("{} OR {} OR {}", quoted(&ru_mid), quoted(&ru_rare), quoted(&get(&rare, Lang::En))),
            fts_date: None,
        });
        for (lang, length) in [(Lang::Ru, 5), (Lang::Uk, 6), (Lang::En, 4)] {
            let source = get(&mid, lang);
            let prefix: String = source.chars().take(length).collect();
            queries.push(BenchQuery {
                kind: format!("{} prefix", lang.code()),
                dossier: format!("{prefix}*"),
                fts_match: format!("{} *", quoted(&prefix)),
                fts_date: None,
            });
        }
        for lang in [Lang::Ru, Lang::En] {
            let word = self.title_word(lang, 0.01);
            queries.push(BenchQuery {
                kind: format!("{} title field + word", lang.code()),
                dossier: format!("title:{word} {}", get(&common, lang)),
                fts_match: format!("title : {} AND {}", quoted(&word), quoted(&get(&common, lang))),
                fts_date: None,
            });
        }
        for (word, from, to) in [(&ru_mid, "2022-01-01", "2022-12-31"), (&uk_common, "2024-03-01", "2024-05-31")] {
            queries.push(BenchQuery {
                kind: "date range + word".into(),
                dossier: format!("{word} date:{from}..{to}"),
                fts_match: quoted(word),
                fts_date: Some((from.to_string(), to.to_string())),
            });
        }
        queries
    }
}

/// An FTS5 string literal: double quotes, inner quotes doubled. Keeps any character out of FTS5's operator syntax.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

fn word_query(kind: &str, word: &str) -> BenchQuery {
    BenchQuery { kind: kind.to_string(), dossier: word.to_string(), fts_match: quoted(word), fts_date: None }
}

fn phrase_query(kind: &str, phrase: &str) -> BenchQuery {
    BenchQuery { kind: kind.to_string(), dossier: format!("\"{phrase}\""), fts_match: quoted(phrase), fts_date: None }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{Paragraphs, generate};

    #[test]
    fn the_mix_has_every_kind_and_no_empty_query() {
        let ru: Vec<String> = (0..80)
            .map(|n| {
                format!(
                    "Министерство обороны поручает министерству отчёт номер{n} и министерства снова {n}, \
                     региональные управления и региональный штаб"
                )
            })
            .collect();
        let uk: Vec<String> =
            (0..80).map(|n| format!("Міністерство оборони доручає міністерству звіт номер{n} і щось ще {n}")).collect();
        let en: Vec<String> =
            (0..80).map(|n| format!("The ministry of defence orders the weekly report number{n} again {n}")).collect();
        let pool = Paragraphs { ru, uk, en };
        let mut vocabulary = Vocabulary::default();
        for number in 0..300 {
            vocabulary.add(&generate(&pool, 1, number));
        }
        let mix = vocabulary.query_mix();
        assert!(mix.len() >= 28, "{}", mix.len());
        for query in &mix {
            assert!(!query.dossier.trim().is_empty() && query.fts_match.len() > 2, "{query:?}");
        }
        assert!(mix.iter().any(|query| query.fts_date.is_some()));
        assert!(mix.iter().any(|query| query.kind.contains("inflected")), "{mix:#?}");
        // Phrases are made of whole words of the texts.
        for query in mix.iter().filter(|query| query.kind.contains("phrase")) {
            let words = query.dossier.trim_matches('"');
            let plain = |paragraph: &String| {
                let spaced: String =
                    paragraph.to_lowercase().chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
                spaced.split_whitespace().collect::<Vec<_>>().join(" ")
            };
            assert!(pool.ru.iter().chain(&pool.uk).chain(&pool.en).any(|p| plain(p).contains(words)), "{query:?}");
        }
    }

    #[test]
    fn fts_literals_escape_quotes() {
        assert_eq!(quoted("a\"b"), "\"a\"\"b\"");
    }
}
