//! The normal form a fingerprint is computed over: the words of a text, with everything that format conversion, OCR
//! and retyping change without changing the text taken out.
//!
//! What is taken out, and why:
//! - case, and every diacritic (NFKD, then combining marks dropped): ё/е, й/и, ї/і, é/e are one letter to OCR and to
//!   half the typists; compatibility forms (ligatures, full-width letters) become their plain letters;
//! - punctuation, quotes, dashes and whitespace: words are runs of letters and digits, and nothing between them
//!   counts, so `«a» — b` and `"a" - b` are the same words;
//! - invisible characters (zero-width, soft hyphen, bidi controls, variation selectors): dropped inside words too;
//! - hyphens and apostrophes between letters join the word (`северо-западный` → `северозападный`), including a hyphen
//!   at the end of a line (`сло-\nво` → `слово`), which is how a word broken by hyphenation and the same word unbroken
//!   come out alike;
//! - lookalike letters of another script inside a word (a Latin `о` in a Cyrillic word, a Cyrillic `с` in an English
//!   one) become the letter of the word's own script, decided by its letters that have no lookalike, or for a word of
//!   lookalikes only (`СОМ`, `TOP`) by the words before it.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

use crate::chars::{Script, invisible_kind, is_confusable, is_word_joiner, lookalike_in, script_of};

/// Calls `each` with every normalised word of `text`, in order. The word is borrowed from a buffer reused between
/// calls, so normalising a text allocates a constant amount however long it is (words are capped at
/// [`MAX_WORD_CHARS`] characters; the rest of an endless "word" is dropped).
pub fn for_each_word(text: &str, mut each: impl FnMut(&str)) {
    let mut state = Normalizer::default();
    for ch in text.chars() {
        state.push(ch, &mut each);
    }
    state.end_word(&mut each);
}

/// The normalised words of `text`, for inspection and tests; fingerprints stream them through [`for_each_word`].
pub fn normalized_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    for_each_word(text, |word| words.push(word.to_string()));
    words
}

/// The longest word kept whole: a hostile text of one endless "word" must not grow the buffer without bound, and no
/// real word is this long.
pub const MAX_WORD_CHARS: usize = 256;

/// What follows a hyphen or apostrophe that ended the letters read so far: whether it joins the next letters.
#[derive(Default, Clone, Copy)]
struct PendingJoin {
    active: bool,
    hyphen: bool,
    spaces: bool,
    line_breaks: u8,
}

#[derive(Default)]
struct Normalizer {
    /// The letters and digits of the current word, decomposed and without marks, in their own case.
    raw: Vec<char>,
    join: PendingJoin,
    /// The script of the last word that decided one: words made only of lookalikes take it.
    context: Option<Script>,
    folded: String,
}

impl Normalizer {
    fn push(&mut self, ch: char, each: &mut impl FnMut(&str)) {
        match ch {
            '0'..='9' | 'a'..='z' | 'A'..='Z' | 'а'..='и' | 'к'..='я' | 'А'..='И' | 'К'..='Я' => {
                self.letter(ch, each)
            }
            'й' => self.letter('и', each),
            'Й' => self.letter('И', each),
            'ё' => self.letter('е', each),
            'Ё' => self.letter('Е', each),
            _ if invisible_kind(ch).is_some() || is_combining_mark(ch) => {}
            _ if ch.is_alphanumeric() => {
                // Decomposition of one character yields at most a few (ﷺ is the longest, 18): collect them first,
                // since the closure cannot borrow `self` mutably while `each` is borrowed too.
                let mut parts = [' '; 20];
                let mut n_parts = 0;
                decompose_compatible(ch, |part| {
                    if let Some(slot) = parts.get_mut(n_parts) {
                        *slot = part;
                        n_parts += 1;
                    }
                });
                for &part in &parts[..n_parts] {
                    if is_combining_mark(part) || invisible_kind(part).is_some() {
                        continue;
                    }
                    if part.is_alphanumeric() {
                        self.letter(part, each);
                    } else {
                        self.separator(part, each);
                    }
                }
            }
            _ => self.separator(ch, each),
        }
    }

    fn letter(&mut self, ch: char, each: &mut impl FnMut(&str)) {
        if self.join.active {
            let joins = !self.join.spaces || (self.join.hyphen && self.join.line_breaks == 1);
            self.join = PendingJoin::default();
            if !joins {
                self.end_word(each);
            }
        }
        if self.raw.len() < MAX_WORD_CHARS {
            self.raw.push(ch);
        }
    }

    fn separator(&mut self, ch: char, each: &mut impl FnMut(&str)) {
        if self.raw.is_empty() {
            return;
        }
        if !self.join.active {
            if is_word_joiner(ch) {
                self.join = PendingJoin {
                    active: true,
                    hyphen: !matches!(ch, '\'' | '’' | 'ʼ' | '`' | '′' | '‘'),
                    ..Default::default()
                };
                return;
            }
            self.end_word(each);
            return;
        }
        // A hyphen at the end of a line: spaces and exactly one line break may stand before the rest of the word.
        if self.join.hyphen && ch.is_whitespace() {
            self.join.spaces = true;
            if ch == '\n' || ch == '\u{2028}' {
                self.join.line_breaks = self.join.line_breaks.saturating_add(1);
            }
            if self.join.line_breaks <= 1 {
                return;
            }
        }
        self.join = PendingJoin::default();
        self.end_word(each);
    }

    fn end_word(&mut self, each: &mut impl FnMut(&str)) {
        self.join = PendingJoin::default();
        if self.raw.is_empty() {
            return;
        }
        let script = self.word_script();
        self.folded.clear();
        for &ch in &self.raw {
            let ch =
                if script_of(ch) != script && is_confusable(ch) { lookalike_in(ch, script).unwrap_or(ch) } else { ch };
            match ch {
                'A'..='Z' | 'А'..='Я' => self.folded.extend(ch.to_lowercase()),
                _ if ch.is_lowercase() || !ch.is_alphabetic() => self.folded.push(ch),
                _ => self.folded.extend(ch.to_lowercase()),
            }
        }
        self.raw.clear();
        each(&self.folded);
    }

    /// The script a word is written in: the script most of its letters without a lookalike belong to; for a word of
    /// lookalikes only, the script of the words before it (Cyrillic at the start of a text).
    fn word_script(&mut self) -> Script {
        let (mut latin, mut cyrillic, mut greek) = (0u32, 0u32, 0u32);
        for &ch in &self.raw {
            if is_confusable(ch) {
                continue;
            }
            match script_of(ch) {
                Script::Latin => latin += 1,
                Script::Cyrillic => cyrillic += 1,
                Script::Greek => greek += 1,
                Script::Other | Script::Common => {}
            }
        }
        let decided = if cyrillic == 0 && latin == 0 && greek == 0 {
            None
        } else if cyrillic >= latin && cyrillic >= greek {
            Some(Script::Cyrillic)
        } else if latin >= greek {
            Some(Script::Latin)
        } else {
            Some(Script::Greek)
        };
        if decided.is_some() {
            self.context = decided;
        }
        decided.or(self.context).unwrap_or(Script::Cyrillic)
    }
}

#[cfg(test)]
mod tests {
    use super::normalized_words;

    fn check(text: &str, expected: &[&str]) {
        assert_eq!(normalized_words(text), expected, "{text:?}");
    }

    #[test]
    fn case_diacritics_and_punctuation_do_not_count() {
        check("Ёлка, «Йод» — и ЙОД!", &["елка", "иод", "и", "иод"]);
        check("Café cafe\u{301} ﬁle", &["cafe", "cafe", "file"]);
    }

    #[test]
    fn a_latin_o_in_a_cyrillic_word_is_the_cyrillic_o() {
        check("сл\u{006F}во слово", &["слово", "слово"]);
        // A Cyrillic с in an English word, and an English word of lookalikes only after English words.
        check("the \u{0441}at TAKE", &["the", "cat", "take"]);
        // A Cyrillic word of lookalikes only after Russian words, even when typed in Latin capitals.
        check("это BOT", &["это", "вот"]);
    }

    #[test]
    fn invisible_characters_inside_a_word_are_dropped() {
        check("сло\u{200B}во сло\u{00AD}во сло\u{FE0F}во", &["слово", "слово", "слово"]);
    }

    #[test]
    fn a_word_hyphenated_at_a_line_end_is_one_word() {
        check("сло-\nво северо-западный м'ясо м’ясо", &["слово", "северозападныи", "мясо", "мясо"]);
        // A dash between words, a hyphen before a paragraph break, and a hyphen before spaces only, separate.
        check("да - нет", &["да", "нет"]);
        check("конец-\n\nначало", &["конец", "начало"]);
        check("конец- начало", &["конец", "начало"]);
    }

    #[test]
    fn an_endless_word_is_cut_not_kept_whole() {
        let words = normalized_words(&"я".repeat(10_000));
        assert_eq!(words.len(), 1);
        assert_eq!(words[0].chars().count(), super::MAX_WORD_CHARS);
    }
}
