//! What the tagger sees of each token: the word, its affixes and shape, its name classes and parts of speech in the
//! dictionary, how the text around writes it, and the same of its neighbours. Every feature is a 64-bit FNV-1a hash
//! of a template number and its values, so that the weights file stores numbers, not strings; training and tagging
//! run this same code.

use std::collections::HashMap;

use crate::names::{self, Names};

/// The version of the feature templates. A model trained with other templates reads other features: bump it with
/// any change here, and retrain.
pub const FEATURES_VERSION: u32 = 3;

/// The features of one sentence's tokens: `hashes[starts[i]..starts[i + 1]]` are token `i`'s.
#[derive(Debug, Default, Clone)]
pub struct SentenceFeatures {
    hashes: Vec<u64>,
    starts: Vec<usize>,
}

impl SentenceFeatures {
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn token(&self, index: usize) -> &[u64] {
        &self.hashes[self.starts[index]..self.starts[index + 1]]
    }
}

/// A lowercase word was seen starting with a small letter somewhere around the sentence.
pub const SEEN_LOWER: u8 = 1;
/// A lowercase word was seen capitalised inside a sentence (not as its first word) somewhere around it.
pub const SEEN_CAPITALISED: u8 = 2;

/// What the text around a sentence says of its words: whether each was seen written small, or capitalised where a
/// sentence does not start. A capitalised first word of a sentence is a name far more often when the text
/// capitalises it elsewhere too, and far less often when the text also writes it small.
#[derive(Debug, Default)]
pub struct Context {
    words: HashMap<String, u8>,
}

impl Context {
    /// Records the words of one sentence (or piece of one).
    pub fn add(&mut self, tokens: &[&str]) {
        for (index, token) in tokens.iter().enumerate() {
            let Some(first) = token.chars().next() else { continue };
            let flag = if first.is_lowercase() {
                SEEN_LOWER
            } else if first.is_uppercase() && index > 0 {
                SEEN_CAPITALISED
            } else {
                continue;
            };
            *self.words.entry(token.to_lowercase()).or_insert(0) |= flag;
        }
    }

    pub fn flags(&self, lower: &str) -> u8 {
        self.words.get(lower).copied().unwrap_or(0)
    }
}

/// What is computed once per token and read by its own and its neighbours' features.
struct Word {
    lower: String,
    /// One character per character: `X`/`x` Cyrillic upper/lower, `A`/`a` Latin, `d` digit, punctuation as itself.
    shape: String,
    /// The shape with runs of one class shortened to one character (`Xx`, `X.`, `d-d`).
    short: String,
    classes: u16,
    title: bool,
    /// Whether the token is between opening and closing quotes (a company's or a newspaper's name often is).
    quoted: bool,
    /// What the text around says of the word ([`Context`]).
    seen: u8,
}

/// The features of `tokens`, one sentence (or part of one).
pub fn sentence_features(tokens: &[&str], names: &Names, context: &Context) -> SentenceFeatures {
    let mut words: Vec<Word> = tokens.iter().map(|token| word(token, names)).collect();
    for word in &mut words {
        word.seen = context.flags(&word.lower);
    }
    let mut open_quotes = 0u32;
    let mut straight_open = false;
    for (word, token) in words.iter_mut().zip(tokens) {
        match *token {
            "«" | "„" | "“" => open_quotes += 1,
            "»" | "”" => open_quotes = open_quotes.saturating_sub(1),
            "\"" => straight_open = !straight_open,
            _ => word.quoted = open_quotes > 0 || straight_open,
        }
    }
    let mut features = SentenceFeatures { hashes: Vec::with_capacity(tokens.len() * 48), starts: vec![0] };
    for index in 0..words.len() {
        token_features(&words, index, &mut features.hashes);
        features.starts.push(features.hashes.len());
    }
    features
}

fn word(token: &str, names: &Names) -> Word {
    let lower = token.to_lowercase();
    let mut shape = String::new();
    let mut short = String::new();
    for c in token.chars() {
        let class = char_class(c);
        shape.push(class);
        if !short.ends_with(class) {
            short.push(class);
        }
    }
    let mut chars = token.chars();
    let title = chars.next().is_some_and(char::is_uppercase) && chars.all(|c| !c.is_uppercase());
    Word { classes: names.classes(&lower), lower, shape, short, title, quoted: false, seen: 0 }
}

fn char_class(c: char) -> char {
    let cyrillic = ('\u{0400}'..='\u{04FF}').contains(&c);
    if c.is_uppercase() {
        if cyrillic { 'X' } else { 'A' }
    } else if c.is_lowercase() {
        if cyrillic { 'x' } else { 'a' }
    } else if c.is_numeric() {
        'd'
    } else if c.is_ascii_punctuation() || "«»„“”’‘–—…№".contains(c) {
        c
    } else {
        'o'
    }
}

/// FNV-1a over the template number and the values, with a separator after each value.
struct Feature(u64);

impl Feature {
    fn new(template: u8) -> Feature {
        let mut feature = Feature(0xcbf2_9ce4_8422_2325);
        feature.byte(template);
        feature
    }

    fn byte(&mut self, byte: u8) {
        self.0 ^= u64::from(byte);
        self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
    }

    fn str(mut self, value: &str) -> Feature {
        for &byte in value.as_bytes() {
            self.byte(byte);
        }
        self.byte(0xff);
        self
    }

    fn num(mut self, value: i64) -> Feature {
        for byte in value.to_le_bytes() {
            self.byte(byte);
        }
        self
    }
}

fn prefix(word: &str, chars: usize) -> Option<&str> {
    let end = word.char_indices().nth(chars).map(|(at, _)| at)?;
    Some(&word[..end])
}

fn suffix(word: &str, chars: usize) -> Option<&str> {
    let start = word.char_indices().rev().nth(chars.checked_sub(1)?)?.0;
    (start > 0).then(|| &word[start..])
}

const BOUNDARY: &str = "\u{2}";

fn token_features(words: &[Word], index: usize, out: &mut Vec<u64>) {
    let word = &words[index];
    let at = |offset: isize| -> Option<&Word> { index.checked_add_signed(offset).and_then(|i| words.get(i)) };
    let lower_at = |offset: isize| at(offset).map_or(BOUNDARY, |w| w.lower.as_str());
    let short_at = |offset: isize| at(offset).map_or(BOUNDARY, |w| w.short.as_str());
    let first = index == 0;

    out.push(Feature::new(0).0);
    out.push(Feature::new(1).str(&word.lower).0);
    for chars in 1..=6 {
        if let Some(prefix) = prefix(&word.lower, chars) {
            out.push(Feature::new(2).str(prefix).0);
        }
    }
    for chars in 1..=5 {
        if let Some(suffix) = suffix(&word.lower, chars) {
            out.push(Feature::new(3).str(suffix).0);
        }
    }
    if word.shape.chars().count() <= 8 {
        out.push(Feature::new(4).str(&word.shape).0);
    }
    out.push(Feature::new(5).str(&word.short).0);
    let names_only = word.classes & names::NAME_CLASSES;
    let pos = word.classes >> names::POS_SHIFT;
    out.push(Feature::new(6).num(i64::from(names_only)).num(i64::from(word.title)).0);
    out.push(Feature::new(24).num(i64::from(pos)).num(i64::from(word.title)).num(i64::from(first)).0);
    out.push(Feature::new(25).num(i64::from(word.classes == 0)).str(&word.short).0);
    for class in [names::FIRST_NAME, names::SURNAME, names::PATRONYMIC, names::ABBREVIATION] {
        if word.classes & class != 0 {
            let ordinary = word.classes & names::ORDINARY != 0;
            out.push(Feature::new(7).num(i64::from(class)).num(i64::from(word.title)).num(i64::from(ordinary)).0);
        }
    }
    out.push(Feature::new(8).num(i64::from(first)).str(&word.short).0);
    out.push(Feature::new(9).num(i64::from(index + 1 == words.len())).0);
    out.push(Feature::new(17).num(word.lower.chars().count().min(12) as i64).0);
    for offset in [-2isize, -1, 1, 2] {
        out.push(Feature::new(10).num(offset as i64).str(lower_at(offset)).0);
        out.push(Feature::new(11).num(offset as i64).str(short_at(offset)).0);
        if let Some(neighbour) = at(offset) {
            out.push(Feature::new(12).num(offset as i64).num(i64::from(neighbour.classes & names::NAME_CLASSES)).0);
            out.push(Feature::new(26).num(offset as i64).num(i64::from(neighbour.classes >> names::POS_SHIFT)).0);
            if let Some(suffix) = suffix(&neighbour.lower, 3) {
                out.push(Feature::new(13).num(offset as i64).str(suffix).0);
            }
        }
    }
    out.push(Feature::new(21).num(i64::from(word.quoted)).str(&word.short).0);
    out.push(Feature::new(27).num(i64::from(word.seen)).num(i64::from(word.title)).num(i64::from(first)).0);
    out.push(Feature::new(28).num(i64::from(word.seen)).str(&word.short).0);
    out.push(Feature::new(29).num(i64::from(word.seen)).num(i64::from(names_only)).num(i64::from(word.title)).0);
    for offset in [-1isize, 1] {
        if let Some(neighbour) = at(offset) {
            out.push(
                Feature::new(30).num(offset as i64).num(i64::from(neighbour.seen)).num(i64::from(neighbour.title)).0,
            );
        }
    }
    for offset in [-3isize, 3] {
        out.push(Feature::new(20).num(offset as i64).str(lower_at(offset)).0);
    }
    out.push(Feature::new(14).str(lower_at(-1)).str(&word.lower).0);
    out.push(Feature::new(15).str(&word.lower).str(lower_at(1)).0);
    out.push(Feature::new(16).str(short_at(-1)).str(&word.short).str(short_at(1)).0);
    out.push(Feature::new(18).str(short_at(-1)).str(&word.short).0);
    out.push(Feature::new(19).str(&word.short).str(short_at(1)).0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn affixes_count_characters_not_bytes() {
        assert_eq!(prefix("київ", 2), Some("ки"));
        assert_eq!(suffix("київ", 3), Some("иїв"));
        assert_eq!(suffix("київ", 4), None, "a suffix is shorter than the word");
        assert_eq!(prefix("ок", 3), None);
    }

    #[test]
    fn shapes_tell_scripts_apart() {
        let names = Names::default();
        let shaped = |token: &str| {
            let w = word(token, &names);
            (w.shape, w.short)
        };
        assert_eq!(shaped("Київ"), ("Xxxx".to_string(), "Xx".to_string()));
        assert_eq!(shaped("NATO"), ("AAAA".to_string(), "A".to_string()));
        assert_eq!(shaped("1920-х"), ("dddd-x".to_string(), "d-x".to_string()));
    }
}
