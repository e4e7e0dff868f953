//! Stemming through the Snowball algorithms of the `frostem` crate, and the set of stems a query word may have in
//! the index when the query does not say its language.

use std::cell::RefCell;
use std::collections::HashMap;

use frostem::{Algorithm, Stemmer};

use crate::{Lang, Script, word_script};

// `Stemmer` is a `Copy` pair of an algorithm id and a function pointer: building one per call would be cheap, but
// constants make the "cache the stemmers" intent explicit and cost nothing.
fn stemmer(lang: Lang) -> Option<Stemmer> {
    match lang {
        Lang::Russian => Some(Stemmer::new(Algorithm::Russian)),
        Lang::Ukrainian => Some(Stemmer::new(Algorithm::Ukrainian)),
        Lang::English => Some(Stemmer::new(Algorithm::English)),
        // Snowball has no Belarusian algorithm; the folded word is the best "stem" we can offer.
        Lang::Belarusian => None,
    }
}

/// The stem of a folded word in a language (Snowball Russian / Ukrainian / English; Belarusian and `None`: the word
/// itself).
pub fn stem(lang: Option<Lang>, folded: &str) -> String {
    let mut out = String::with_capacity(folded.len());
    stem_into(lang, folded, &mut out);
    out
}

/// How many stems each thread remembers per language and generation. Words follow Zipf's law, so a few tens of
/// thousands of them cover most running text: on the corpus the cache makes the stem tokenizer several times
/// faster (Snowball Ukrainian costs over a microsecond a word). Two generations approximate "least recently used"
/// with bounded memory (a few MB a thread whatever the input): when the young one is full it becomes the old one,
/// and a word found in the old one moves back to the young one.
const STEM_CACHE_GENERATION_ENTRIES: usize = 24 * 1024;

/// Words longer than this are stemmed without the cache: they are rare and would only crowd it.
const STEM_CACHE_MAX_WORD_BYTES: usize = 40;

#[derive(Default)]
struct Generations {
    young: HashMap<Box<str>, Box<str>>,
    old: HashMap<Box<str>, Box<str>>,
}

impl Generations {
    fn stem_into(&mut self, stemmer: Stemmer, folded: &str, out: &mut String) {
        if let Some(stem) = self.young.get(folded) {
            out.push_str(stem);
            return;
        }
        let entry = match self.old.remove_entry(folded) {
            Some(entry) => entry,
            None => (Box::from(folded), Box::from(stemmer.stem(folded).as_ref())),
        };
        out.push_str(&entry.1);
        if self.young.len() >= STEM_CACHE_GENERATION_ENTRIES {
            self.old = std::mem::take(&mut self.young);
        }
        self.young.insert(entry.0, entry.1);
    }
}

#[derive(Default)]
struct StemCache {
    /// One cache per stemmed language: Russian, Ukrainian, English.
    by_language: [Generations; 3],
}

thread_local! {
    static STEM_CACHE: RefCell<StemCache> = RefCell::new(StemCache::default());
}

fn cache_slot(lang: Lang) -> usize {
    match lang {
        Lang::Russian => 0,
        Lang::Ukrainian => 1,
        Lang::English | Lang::Belarusian => 2,
    }
}

/// [`stem`] appending to a buffer the caller reuses.
pub fn stem_into(lang: Option<Lang>, folded: &str, out: &mut String) {
    let Some((lang, stemmer)) = lang.and_then(|lang| Some((lang, stemmer(lang)?))) else {
        out.push_str(folded);
        return;
    };
    if folded.len() > STEM_CACHE_MAX_WORD_BYTES {
        out.push_str(&stemmer.stem(folded));
        return;
    }
    STEM_CACHE.with(|cache| {
        // A re-entrant call cannot happen (stemming calls nothing of ours), but if the cache is somehow busy the
        // stemmer still gives the right answer.
        let Ok(mut cache) = cache.try_borrow_mut() else {
            out.push_str(&stemmer.stem(folded));
            return;
        };
        cache.by_language[cache_slot(lang)].stem_into(stemmer, folded, out);
    });
}

/// Every stem a query word may have in the index, because the query does not say its language: for a Cyrillic word
/// the Russian and the Ukrainian stems plus the word itself (a Belarusian paragraph indexes words unstemmed),
/// deduplicated; for a Latin word the English stem; for digits and other scripts the word itself. Input is folded.
pub fn query_stems(folded: &str) -> Vec<String> {
    match word_script(folded) {
        Script::Cyrillic => {
            let mut stems = Vec::with_capacity(3);
            for lang in [Some(Lang::Russian), Some(Lang::Ukrainian), Some(Lang::Belarusian)] {
                let stem = stem(lang, folded);
                if !stems.contains(&stem) {
                    stems.push(stem);
                }
            }
            stems
        }
        Script::Latin => vec![stem(Some(Lang::English), folded)],
        Script::Other => vec![folded.to_string()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn belarusian_and_unknown_keep_the_word() {
        assert_eq!(stem(Some(Lang::Belarusian), "міністэрства"), "міністэрства");
        assert_eq!(stem(None, "министерства"), "министерства");
    }

    #[test]
    fn the_cache_gives_the_stemmer_s_answers_across_generations() {
        let words: Vec<String> = (0..STEM_CACHE_GENERATION_ENTRIES * 3).map(|n| format!("министерства{n}")).collect();
        for _ in 0..2 {
            for word in words.iter().step_by(97).chain(["министерства".to_string()].iter()) {
                let expected = Stemmer::new(Algorithm::Russian).stem(word).into_owned();
                assert_eq!(stem(Some(Lang::Russian), word), expected);
            }
            for word in &words {
                let _ = stem(Some(Lang::Russian), word);
            }
        }
        assert_eq!(stem(Some(Lang::Russian), "министерства"), "министерств");
    }

    #[test]
    fn query_stems_cover_every_cyrillic_stemmer() {
        let stems = query_stems("министерства");
        assert!(stems.contains(&stem(Some(Lang::Russian), "министерства")));
        assert!(stems.contains(&stem(Some(Lang::Ukrainian), "министерства")));
        assert!(stems.contains(&"министерства".to_string()));
        assert_eq!(query_stems("connections"), vec!["connect".to_string()]);
        assert_eq!(query_stems("2020"), vec!["2020".to_string()]);
    }
}
