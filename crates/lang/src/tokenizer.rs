//! The tantivy tokenizers of the search index. Both split text into words the same way, so that a position in the
//! "exact" field and in the stemmed field is the same word: letters and digits, an apostrophe kept inside a word
//! when letters stand on both sides (м'ясо, O'Brien), everything else (hyphens, punctuation, whitespace) a break.
//! Offsets are byte offsets into the original text, which tantivy's snippets slice with.

use tantivy_tokenizer_api::{Token, TokenStream, Tokenizer};

use crate::detect::{DocumentLanguage, LetterCounts, analyse_document, cyrillic_confidence};
use crate::{Lang, Script, fold_into, stem_into, word_script};

/// Words longer than this (in bytes of the original text) are dropped: tantivy refuses huge terms, and such "words"
/// are base64, hashes or garbage, not something a person searches by stem. 80 bytes is 40 Cyrillic letters,
/// longer than any real Russian or Ukrainian word.
pub const MAX_TOKEN_BYTES: usize = 80;

/// Tokens are folded words ([`crate::fold`]): the "exact" field (phrases, prefixes, fuzzy, transliteration).
#[derive(Debug, Clone, Copy, Default)]
pub struct WordTokenizer;

/// Tokens are stems of folded words ([`crate::stem`]). A Latin word gets the English stemmer, a word without letters
/// stays as it is, and a Cyrillic word gets the stemmer of its language among Russian, Ukrainian and Belarusian
/// (unstemmed): in a text of one language (its letters, counted whole, show no second Cyrillic language) that is the
/// document's language ([`crate::detect_language`], computed once per text); in a text that mixes them, or one too
/// long to count whole, it is the word's line's language when the line's letters show it clearly, else its
/// paragraph's (paragraphs end at blank lines; the n-gram detector judges a mixed document's paragraphs that have no
/// decisive letter), else the document's, else Russian.
#[derive(Debug, Clone, Copy, Default)]
pub struct StemTokenizer;

/// The word-splitting rule shared by both tokenizers.
struct Words<'a> {
    text: &'a str,
    position: usize,
}

fn is_apostrophe(ch: char) -> bool {
    matches!(ch, '\'' | '`' | '\u{2019}' | '\u{02BC}' | '\u{2018}' | '\u{2032}')
}

/// Combining marks (a stress accent, a decomposed й or ё) belong to the word they sit on.
fn is_combining_mark(ch: char) -> bool {
    matches!(ch, '\u{0300}'..='\u{036F}' | '\u{0483}'..='\u{0489}')
}

/// What a character is to the word splitter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CharClass {
    Letter,
    Digit,
    Mark,
    Apostrophe,
    Separator,
}

/// Classifies a character. ASCII and the Cyrillic block (nearly every character of the texts this project reads)
/// are decided by ranges; only other characters pay for Unicode table look-ups.
fn classify(ch: char) -> CharClass {
    match ch {
        'a'..='z' | 'A'..='Z' => CharClass::Letter,
        '0'..='9' => CharClass::Digit,
        '\'' | '`' => CharClass::Apostrophe,
        '\0'..='\u{7F}' => CharClass::Separator,
        '\u{0400}'..='\u{0481}' | '\u{048A}'..='\u{04FF}' => CharClass::Letter,
        '\u{0482}' => CharClass::Separator,
        _ if is_combining_mark(ch) => CharClass::Mark,
        _ if is_apostrophe(ch) => CharClass::Apostrophe,
        _ if ch.is_alphabetic() => CharClass::Letter,
        _ if ch.is_numeric() => CharClass::Digit,
        _ => CharClass::Separator,
    }
}

/// The character at a byte index that is known to be a char boundary (or the end).
fn char_at(text: &str, index: usize) -> Option<char> {
    text.get(index..).and_then(|rest| rest.chars().next())
}

impl<'a> Words<'a> {
    fn new(text: &'a str) -> Words<'a> {
        Words { text, position: 0 }
    }

    /// The byte range of the next word.
    fn next_word(&mut self) -> Option<(usize, usize)> {
        let bytes = self.text.as_bytes();
        // Skip to the start of a word; ASCII separators (most of them) are skipped byte by byte.
        loop {
            let byte = *bytes.get(self.position)?;
            if byte < 0x80 {
                if byte.is_ascii_alphanumeric() {
                    break;
                }
                self.position += 1;
            } else {
                let ch = char_at(self.text, self.position)?;
                if matches!(classify(ch), CharClass::Letter | CharClass::Digit) {
                    break;
                }
                self.position += ch.len_utf8();
            }
        }
        let start = self.position;
        let mut previous_is_letter = false;
        while let Some(&byte) = bytes.get(self.position) {
            let ch = if byte < 0x80 {
                char::from(byte)
            } else {
                match char_at(self.text, self.position) {
                    Some(ch) => ch,
                    None => break,
                }
            };
            match classify(ch) {
                CharClass::Letter => previous_is_letter = true,
                CharClass::Digit => previous_is_letter = false,
                // A combining mark keeps the letter-ness of the letter it sits on.
                CharClass::Mark => {}
                CharClass::Apostrophe if previous_is_letter => {
                    let after = self.position + ch.len_utf8();
                    match char_at(self.text, after) {
                        Some(next) if classify(next) == CharClass::Letter => {
                            self.position = after;
                            previous_is_letter = false;
                            continue;
                        }
                        _ => break,
                    }
                }
                CharClass::Apostrophe | CharClass::Separator => break,
            }
            self.position += ch.len_utf8();
        }
        Some((start, self.position))
    }
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        WordTokenStream { words: Words::new(text), token: Token::default() }
    }
}

pub struct WordTokenStream<'a> {
    words: Words<'a>,
    token: Token,
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        while let Some((start, end)) = self.words.next_word() {
            self.token.position = self.token.position.wrapping_add(1);
            if end - start > MAX_TOKEN_BYTES {
                continue;
            }
            self.token.offset_from = start;
            self.token.offset_to = end;
            self.token.text.clear();
            fold_into(&self.words.text[start..end], &mut self.token.text);
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

impl Tokenizer for StemTokenizer {
    type TokenStream<'a> = StemTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> StemTokenStream<'a> {
        StemTokenStream {
            words: Words::new(text),
            token: Token::default(),
            folded: String::new(),
            languages: CyrillicLanguages::new(text),
        }
    }
}

pub struct StemTokenStream<'a> {
    words: Words<'a>,
    token: Token,
    /// Reused for every word, so folding does not allocate per token.
    folded: String,
    languages: CyrillicLanguages<'a>,
}

impl TokenStream for StemTokenStream<'_> {
    fn advance(&mut self) -> bool {
        while let Some((start, end)) = self.words.next_word() {
            self.token.position = self.token.position.wrapping_add(1);
            if end - start > MAX_TOKEN_BYTES {
                continue;
            }
            self.token.offset_from = start;
            self.token.offset_to = end;
            self.folded.clear();
            fold_into(&self.words.text[start..end], &mut self.folded);
            self.token.text.clear();
            let lang = match word_script(&self.folded) {
                Script::Latin => Some(Lang::English),
                Script::Cyrillic => Some(self.languages.at(start)),
                Script::Other => None,
            };
            stem_into(lang, &self.folded, &mut self.token.text);
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// How many decisive letters a single line needs before it overrides its paragraph, and by how much its winning
/// signal must beat the other: one stray і in a Russian line (an OCR slip, a quoted name) must not switch it.
const LINE_MIN_DECISIVE_LETTERS: u32 = 2;
const LINE_MARGIN: f64 = 3.0;
const PARAGRAPH_MARGIN: f64 = 1.5;

/// In a document that mixes Russian and Ukrainian, a paragraph without decisive letters goes to the n-gram detector
/// (about 0.3 ms a call), at most this many times per text: beyond that the document's language decides. In a
/// document of one language such a paragraph simply takes the document's language, which is right 97-99% of the
/// time on the corpus and costs nothing.
const MAX_NGRAM_PARAGRAPHS: u32 = 64;

/// The Cyrillic language for words at increasing byte offsets: the line's, else the paragraph's, else the
/// document's, else Russian. Lines and paragraphs are scanned once each, when the first word in them is reached.
struct CyrillicLanguages<'a> {
    text: &'a str,
    line_end: usize,
    line_lang: Option<Lang>,
    paragraph_begin: usize,
    paragraph_end: usize,
    paragraph_lang: Option<Lang>,
    /// Computed when a word first needs it: most texts are settled by their lines and paragraphs.
    document: Option<DocumentLanguage>,
    ngram_paragraphs: u32,
}

impl<'a> CyrillicLanguages<'a> {
    fn new(text: &'a str) -> CyrillicLanguages<'a> {
        CyrillicLanguages {
            text,
            line_end: 0,
            line_lang: None,
            paragraph_begin: 0,
            paragraph_end: 0,
            paragraph_lang: None,
            document: None,
            ngram_paragraphs: 0,
        }
    }

    /// The Cyrillic language of a word starting at `offset` (offsets must not decrease between calls).
    fn at(&mut self, offset: usize) -> Lang {
        // A document of one language, counted whole, needs no paragraph or line scans: they could only find the
        // letters the document count already found. This is the common case and saves two passes over the text.
        let document = self.document();
        if document.complete && !document.mixed {
            return document.cyrillic;
        }
        while offset >= self.paragraph_end {
            let begin = self.paragraph_end;
            self.paragraph_begin = begin;
            self.paragraph_end = paragraph_end(self.text, begin);
            let paragraph = &self.text[begin..self.paragraph_end];
            self.paragraph_lang = LetterCounts::of(paragraph).decide_cyrillic(PARAGRAPH_MARGIN);
            if self.paragraph_lang.is_none()
                && self.ngram_paragraphs < MAX_NGRAM_PARAGRAPHS
                && has_cyrillic(paragraph)
                && self.document().mixed
            {
                self.ngram_paragraphs += 1;
                self.paragraph_lang = cyrillic_confidence(paragraph).map(|(lang, _)| lang);
            }
        }
        if offset >= self.line_end {
            let begin =
                self.text[self.line_end..offset].rfind('\n').map_or(self.line_end, |found| self.line_end + found + 1);
            self.line_end = self.text[offset..].find('\n').map_or(self.text.len(), |found| offset + found);
            // A one-line paragraph has already been counted: its paragraph language is its line language.
            let alone_in_paragraph = self.text[self.paragraph_begin..begin].trim().is_empty()
                && self.text[self.line_end..self.paragraph_end].trim().is_empty();
            self.line_lang = if alone_in_paragraph {
                None
            } else {
                let counts = LetterCounts::of(&self.text[begin..self.line_end]);
                let decisive = counts.ukrainian_only + counts.dotted_i + counts.russian_only + counts.short_u;
                if decisive >= LINE_MIN_DECISIVE_LETTERS { counts.decide_cyrillic(LINE_MARGIN) } else { None }
            };
        }
        if let Some(lang) = self.line_lang.or(self.paragraph_lang) {
            return lang;
        }
        document.cyrillic
    }

    fn document(&mut self) -> DocumentLanguage {
        let text = self.text;
        *self.document.get_or_insert_with(|| analyse_document(text))
    }
}

fn has_cyrillic(text: &str) -> bool {
    text.chars().any(crate::is_cyrillic_letter)
}

/// The end of the paragraph that starts at `begin` (leading blank lines belong to it): the start of the next line
/// that holds nothing but whitespace, or the end of the text.
fn paragraph_end(text: &str, begin: usize) -> usize {
    let mut line_start = begin;
    let mut seen_content = false;
    while line_start < text.len() {
        let line_end = text[line_start..].find('\n').map_or(text.len(), |found| line_start + found);
        let blank = text[line_start..line_end].trim().is_empty();
        if blank && seen_content {
            return line_start;
        }
        seen_content |= !blank;
        line_start = line_end + 1;
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        let mut words = Words::new(text);
        let mut out = Vec::new();
        while let Some((start, end)) = words.next_word() {
            out.push(&text[start..end]);
        }
        out
    }

    #[test]
    fn splits_words() {
        assert_eq!(words("м'ясо, м’ясо і мʼясо"), ["м'ясо", "м’ясо", "і", "мʼясо"]);
        assert_eq!(words("O'Brien's rock-n-roll"), ["O'Brien's", "rock", "n", "roll"]);
        assert_eq!(words("'цитата' д''артаньян"), ["цитата", "д", "артаньян"]);
        assert_eq!(words("2020р. 5'"), ["2020р", "5"]);
        assert_eq!(words("замо\u{301}к"), ["замо\u{301}к"]);
        assert_eq!(words(""), Vec::<&str>::new());
        assert_eq!(words(" \u{301} ..."), Vec::<&str>::new());
    }

    #[test]
    fn paragraphs_end_at_blank_lines() {
        let text = "\n\nодин\nдва\n  \nтри";
        let end = paragraph_end(text, 0);
        assert_eq!(&text[..end], "\n\nодин\nдва\n");
        assert_eq!(paragraph_end(text, end), text.len());
    }
}
