//! Language analysis for search: which language a text is in, how its words are folded and stemmed, and how a name
//! is written in other scripts.
//!
//! Every function here is shared by indexing and querying, so that a word in a query is analysed exactly like the
//! same word in a document: [`fold`] for the "exact" field, [`stem`] / [`query_stems`] for the stemmed field, and
//! [`translit::variants`] for names written in the other script. The tantivy tokenizers live in [`tokenizer`].

mod detect;
mod fold;
mod stem;
pub mod tokenizer;
pub mod translit;

pub use detect::detect_language;
pub use fold::{fold, fold_into};
pub use stem::{query_stems, stem, stem_into};
pub use tokenizer::{MAX_TOKEN_BYTES, StemTokenizer, WordTokenizer};

/// A language the analysis knows. Cyrillic text is one of the first three; Latin text is treated as English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Lang {
    Russian,
    Ukrainian,
    Belarusian,
    English,
}

impl Lang {
    /// The ISO 639-1 code: "ru", "uk", "be", "en".
    pub fn code(self) -> &'static str {
        match self {
            Lang::Russian => "ru",
            Lang::Ukrainian => "uk",
            Lang::Belarusian => "be",
            Lang::English => "en",
        }
    }

    /// The language of an ISO 639-1 code (case-insensitive); `None` for any other code.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "ru" => Some(Lang::Russian),
            "uk" => Some(Lang::Ukrainian),
            "be" => Some(Lang::Belarusian),
            "en" => Some(Lang::English),
            _ => None,
        }
    }

    /// Whether the language is written in Cyrillic.
    pub fn is_cyrillic(self) -> bool {
        !matches!(self, Lang::English)
    }
}

/// The script of a folded word, decided by its first letter: it picks the stemmer family (a Latin word in a Russian
/// paragraph gets the English stemmer) and the transliteration direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Cyrillic,
    Latin,
    /// No letter at all (numbers) or a script the analysis does not know.
    Other,
}

/// The script of a word, from its first letter.
pub fn word_script(word: &str) -> Script {
    for ch in word.chars() {
        if is_cyrillic_letter(ch) {
            return Script::Cyrillic;
        }
        if ch.is_ascii_alphabetic() || (ch.is_alphabetic() && is_latin_extended(ch)) {
            return Script::Latin;
        }
        if ch.is_alphabetic() {
            return Script::Other;
        }
    }
    Script::Other
}

/// A letter of the Cyrillic blocks, by ranges (no Unicode table look-up: this runs for every word).
pub(crate) fn is_cyrillic_letter(ch: char) -> bool {
    matches!(ch, '\u{0400}'..='\u{0481}' | '\u{048A}'..='\u{052F}')
}

fn is_latin_extended(ch: char) -> bool {
    // Latin-1 letters, Latin Extended-A/B and the IPA/additional blocks are all "Latin" for stemming purposes.
    matches!(ch, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for lang in [Lang::Russian, Lang::Ukrainian, Lang::Belarusian, Lang::English] {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
        assert_eq!(Lang::from_code("UK"), Some(Lang::Ukrainian));
        assert_eq!(Lang::from_code("de"), None);
    }

    #[test]
    fn scripts_of_words() {
        assert_eq!(word_script("привет"), Script::Cyrillic);
        assert_eq!(word_script("2020г"), Script::Cyrillic);
        assert_eq!(word_script("hello"), Script::Latin);
        assert_eq!(word_script("café"), Script::Latin);
        assert_eq!(word_script("2020"), Script::Other);
        assert_eq!(word_script("東京"), Script::Other);
    }
}
