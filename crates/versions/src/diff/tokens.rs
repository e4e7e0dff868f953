//! Splitting a text into words and the gaps between them for the diff, and the key a word is aligned by.
//!
//! A word starts at a letter or digit and goes on through letters, digits, combining marks, invisible characters,
//! and hyphens or apostrophes that stand between two letters. Everything between two words is a gap: spaces,
//! punctuation, line breaks, invisible characters that touch no word.
//!
//! The key of a word is what it looks like: compatibility forms composed (NFKC), invisible characters dropped, and
//! every letter that has a lookalike in another script replaced by one member of its family. Two words with the same
//! key look the same on screen (case and diacritics still count: they show), so the diff aligns them as equal and
//! then reports what differs underneath.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::chars::{Script, invisible_kind, is_word_joiner, lookalike_in};

/// One word: its byte range in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Word {
    pub start: usize,
    pub end: usize,
}

/// The words of `text`, in order.
pub(crate) fn words(text: &str) -> Vec<Word> {
    let mut words = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, ch)) = chars.next() {
        if !ch.is_alphanumeric() {
            continue;
        }
        let mut end = start + ch.len_utf8();
        while let Some(&(index, next)) = chars.peek() {
            let continues = next.is_alphanumeric()
                || is_combining_mark(next)
                || invisible_kind(next).is_some()
                || (is_word_joiner(next)
                    && text[index + next.len_utf8()..].chars().next().is_some_and(char::is_alphanumeric));
            if !continues {
                break;
            }
            end = index + next.len_utf8();
            chars.next();
        }
        words.push(Word { start, end });
    }
    words
}

/// The key a word is aligned by (see the module documentation).
pub(crate) fn word_key(word: &str) -> String {
    let mut key = String::with_capacity(word.len());
    for unit in units(word) {
        key.push_str(&unit.key);
    }
    key
}

/// The member of a lookalike family that stands for the whole family in keys: the Latin letter where there is one.
pub(crate) fn canonical_letter(ch: char) -> char {
    lookalike_in(ch, Script::Latin).or_else(|| lookalike_in(ch, Script::Cyrillic)).unwrap_or(ch)
}

/// What a unit of text is, for naming the difference when two units look alike but are not the same characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UnitClass {
    /// A letter or digit with the combining marks after it.
    Letter,
    /// A run of whitespace of any kind.
    Space,
    /// A character displayed as nothing.
    Invisible,
    /// Anything else: punctuation, symbols.
    Mark,
}

/// The smallest piece of text the hidden-difference comparison pairs up: its byte range, its class, and its key
/// (what it looks like; empty for invisible characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unit {
    pub start: usize,
    pub end: usize,
    pub class: UnitClass,
    pub key: String,
}

/// The units of a word or a gap, with byte ranges relative to `text`.
pub(crate) fn units(text: &str) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    for (index, ch) in text.char_indices() {
        let end = index + ch.len_utf8();
        if invisible_kind(ch).is_some() {
            units.push(Unit { start: index, end, class: UnitClass::Invisible, key: String::new() });
            continue;
        }
        if let Some(last) = units.last_mut() {
            let extends = match last.class {
                UnitClass::Letter => is_combining_mark(ch),
                UnitClass::Space => ch.is_whitespace(),
                UnitClass::Invisible | UnitClass::Mark => false,
            };
            if extends && last.end == index {
                last.end = end;
                if last.class == UnitClass::Letter {
                    last.key = letter_key(&text[last.start..end]);
                }
                continue;
            }
        }
        let (class, key) = if ch.is_whitespace() {
            (UnitClass::Space, " ".to_string())
        } else if ch.is_alphanumeric() || is_combining_mark(ch) {
            (UnitClass::Letter, letter_key(&text[index..end]))
        } else {
            let folded: String = std::iter::once(ch).nfkc().map(crate::chars::punctuation_class).collect();
            (UnitClass::Mark, folded)
        };
        units.push(Unit { start: index, end, class, key });
    }
    units
}

fn letter_key(letter: &str) -> String {
    letter.nfkc().map(canonical_letter).collect()
}

/// The key of a gap: what it looks like. Every whitespace run is one space, invisible characters are nothing, and
/// quotes, apostrophes, hyphens and dashes are one mark each (`«` and `"` look different but say the same; the diff
/// reports them as a punctuation variant, not a change).
pub(crate) fn gap_key(gap: &str) -> String {
    units(gap).into_iter().map(|unit| unit.key).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word_texts(text: &str) -> Vec<&str> {
        words(text).into_iter().map(|word| &text[word.start..word.end]).collect()
    }

    #[test]
    fn words_keep_their_hyphens_apostrophes_and_invisible_characters() {
        assert_eq!(
            word_texts("«Северо-западный» м'ясо, сло\u{200B}во - да."),
            ["Северо-западный", "м'ясо", "сло\u{200B}во", "да"]
        );
        assert_eq!(word_texts("  "), Vec::<&str>::new());
        assert_eq!(word_texts("e\u{301}té"), ["e\u{301}té"]);
    }

    #[test]
    fn lookalikes_and_invisibles_have_the_key_of_the_word_they_imitate() {
        assert_eq!(word_key("сл\u{006F}во"), word_key("слово"));
        assert_eq!(word_key("сло\u{200B}во"), word_key("слово"));
        assert_eq!(word_key("copy"), word_key("сору"));
        assert_eq!(word_key("и\u{306}од"), word_key("йод"));
        assert_ne!(word_key("Слово"), word_key("слово"));
        assert_ne!(word_key("ёж"), word_key("еж"));
    }

    #[test]
    fn gaps_that_look_alike_have_one_key() {
        assert_eq!(gap_key(" "), gap_key("\u{00A0}"));
        assert_eq!(gap_key(" "), gap_key("  "));
        assert_eq!(gap_key(" «"), gap_key(" \""));
        assert_eq!(gap_key(" — "), gap_key(" - "));
        assert_ne!(gap_key(", "), gap_key(". "));
    }
}
