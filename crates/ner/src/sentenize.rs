//! Sentences, split exactly as razdel 0.5.0's `sentenize` splits them.
//!
//! Every candidate boundary is a delimiter: final punctuation (. ? ! …), a semicolon, a closing quote or bracket, a
//! straight quote, or a smiley. The boundary is kept unless one of razdel's rules, tried in order, joins the two
//! sides: nothing on one side; no space after the delimiter; a lowercase word next; more punctuation next; an
//! abbreviation ("г.", "т. е.", "проф."); an initial ("А. С. Пушкин"); a list bullet ("1.", "а)"); a quote or bracket
//! closing after something other than final punctuation; a dash followed by a lowercase word. The rules look at most
//! ten characters either side of the delimiter, so the iterator runs in constant memory over any text.
//! Sentences are trimmed of surrounding white space; razdel's empty sentences (blank stretches) are not returned.

use std::ops::Range;

use crate::abbreviations;
use crate::chars;
use crate::tokenize::{DASHES, ENDINGS};

/// One sentence: its text and its byte range in the whole text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence<'a> {
    pub text: &'a str,
    /// Byte offsets into the whole text.
    pub bytes: Range<usize>,
}

/// The sentences of `text`, lazily, in order.
pub fn sentenize(text: &str) -> Sentences<'_> {
    Sentences { text, start: 0, scan: 0, done: false }
}

/// Iterator over the sentences of a text; see [`sentenize`].
pub struct Sentences<'a> {
    text: &'a str,
    /// Where the sentence being built starts (before trimming).
    start: usize,
    /// Where the next delimiter is looked for.
    scan: usize,
    done: bool,
}

const GENERIC_QUOTES: &str = "\"„'";
const CLOSE_QUOTES: &str = "»”’";
const CLOSE_BRACKETS: &str = ")]}";
/// Everything that may end a sentence (a smiley may too).
const DELIMITERS: &str = ".?!…;\"„'»”’)]}";
/// How many characters of context a rule sees on each side of a delimiter.
const WINDOW: usize = 10;
/// Longer text before a bullet delimiter is not a list item.
const BULLET_SIZE: usize = 20;

/// A candidate boundary and the context the rules see.
struct Split<'a> {
    /// Up to ten characters before the delimiter.
    left: &'a str,
    delimiter: &'a str,
    /// Up to ten characters after it.
    right: &'a str,
    /// The sentence so far, up to the delimiter.
    buffer: &'a str,
}

impl<'a> Iterator for Sentences<'a> {
    type Item = Sentence<'a>;

    fn next(&mut self) -> Option<Sentence<'a>> {
        while !self.done {
            let chunk = match find_delimiter(self.text, self.scan) {
                Some(delimiter) => {
                    self.scan = delimiter.end;
                    let split = Split {
                        left: window_before(self.text, delimiter.start),
                        delimiter: &self.text[delimiter.clone()],
                        right: window_after(self.text, delimiter.end),
                        buffer: &self.text[self.start..delimiter.start],
                    };
                    if split.joins() {
                        continue;
                    }
                    let chunk = self.start..delimiter.end;
                    self.start = delimiter.end;
                    chunk
                }
                None => {
                    self.done = true;
                    self.start..self.text.len()
                }
            };
            if let Some(sentence) = trimmed(self.text, chunk) {
                return Some(sentence);
            }
        }
        None
    }
}

/// The chunk without the white space around it, or nothing if that leaves nothing.
fn trimmed(text: &str, chunk: Range<usize>) -> Option<Sentence<'_>> {
    let raw = &text[chunk.clone()];
    let without_head = raw.trim_start_matches(chars::is_space);
    let trimmed = without_head.trim_end_matches(chars::is_space);
    if trimmed.is_empty() {
        return None;
    }
    let start = chunk.start + (raw.len() - without_head.len());
    Some(Sentence { text: trimmed, bytes: start..start + trimmed.len() })
}

/// The next delimiter at or after `from`: a smiley where one starts, else a delimiter character.
fn find_delimiter(text: &str, from: usize) -> Option<Range<usize>> {
    for (offset, c) in text[from..].char_indices() {
        let at = from + offset;
        if let Some(length) = smiley_length(&text[at..]) {
            return Some(at..at + length);
        }
        if DELIMITERS.contains(c) {
            return Some(at..at + c.len_utf8());
        }
    }
    None
}

/// The length of the longest smiley at the start of `text` (`[=:;]-?[)(]{1,3}`, greedy).
fn smiley_length(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    if !matches!(bytes.first(), Some(b'=' | b':' | b';')) {
        return None;
    }
    let brackets =
        |from: usize| bytes[from.min(bytes.len())..].iter().take(3).take_while(|&&b| b == b'(' || b == b')').count();
    let with_dash = if bytes.get(1) == Some(&b'-') { brackets(2) } else { 0 };
    if with_dash > 0 {
        return Some(2 + with_dash);
    }
    let without = brackets(1);
    (without > 0).then_some(1 + without)
}

fn window_before(text: &str, end: usize) -> &str {
    let start = text[..end].char_indices().rev().nth(WINDOW - 1).map_or(0, |(at, _)| at);
    &text[start..end]
}

fn window_after(text: &str, start: usize) -> &str {
    let end = text[start..].char_indices().nth(WINDOW).map_or(text.len(), |(at, _)| start + at);
    &text[start..end]
}

/// Python's `text in chars` for a token or delimiter (the token is one character whenever it could match).
fn is_one_of(text: &str, set: &str) -> bool {
    let mut it = text.chars();
    matches!((it.next(), it.next()), (Some(c), None) if set.contains(c))
}

fn is_letter(c: char) -> bool {
    chars::is_word(c) && !chars::is_decimal(c)
}

/// The length of the token at the start of `text` (which starts with a non-space): a run of letters, a run of
/// digits, or one other character; razdel's `[^\W\d]+|\d+|[^\w\s]`.
fn token_length(text: &str) -> usize {
    let Some(first) = text.chars().next() else { return 0 };
    let class: fn(char) -> bool = if is_letter(first) {
        is_letter
    } else if chars::is_decimal(first) {
        chars::is_decimal
    } else {
        return first.len_utf8();
    };
    text.char_indices().find(|&(_, c)| !class(c)).map_or(text.len(), |(at, _)| at)
}

/// The first token of `text` after leading spaces.
fn first_token(text: &str) -> Option<&str> {
    let text = text.trim_start_matches(chars::is_space);
    let length = token_length(text);
    (length > 0).then(|| &text[..length])
}

/// The last token of `text` before trailing spaces.
fn last_token(text: &str) -> Option<&str> {
    let text = text.trim_end_matches(chars::is_space);
    let last = text.chars().next_back()?;
    let class: fn(char) -> bool = if is_letter(last) {
        is_letter
    } else if chars::is_decimal(last) {
        chars::is_decimal
    } else {
        return Some(&text[text.len() - last.len_utf8()..]);
    };
    let start = text.char_indices().rev().take_while(|&(_, c)| class(c)).last().map_or(text.len(), |(at, _)| at);
    Some(&text[start..])
}

/// The two single characters around a final full stop: "т. е" gives ('т', 'е'); razdel's
/// `(\w)\s*\.\s*(\w)\s*$`.
fn pair_before_end(text: &str) -> Option<(char, char)> {
    let mut rest = text.trim_end_matches(chars::is_space);
    let second = rest.chars().next_back().filter(|&c| chars::is_word(c))?;
    rest = rest[..rest.len() - second.len_utf8()].trim_end_matches(chars::is_space);
    rest = rest.strip_suffix('.')?.trim_end_matches(chars::is_space);
    let first = rest.chars().next_back().filter(|&c| chars::is_word(c))?;
    Some((first, second))
}

/// The first word or number in `text`; razdel's `[^\W\d]+|\d+`.
fn first_word(text: &str) -> Option<&str> {
    let (at, _) = text.char_indices().find(|&(_, c)| chars::is_word(c))?;
    let rest = &text[at..];
    Some(&rest[..token_length(rest)])
}

fn is_lower_alpha(token: &str) -> bool {
    chars::str_is_alpha(token) && chars::str_is_lower(token)
}

/// What may follow a tail abbreviation inside a sentence: a number, punctuation, or a lowercase word.
fn may_follow_abbreviation(token: &str) -> bool {
    chars::str_is_digit(token) || !chars::str_is_alpha(token) || chars::str_is_lower(token)
}

/// A piece of a list bullet: "8.1.", "2)", "а)", "IV.", "§".
fn is_bullet_part(token: &str) -> bool {
    chars::str_is_digit(token)
        || is_one_of(token, ".)")
        || is_one_of(&token.to_lowercase(), "§абвгдеabcdef")
        || (!token.is_empty() && token.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'M' | 'L')))
}

impl Split<'_> {
    /// razdel's rules in razdel's order; the first that decides, decides.
    fn joins(&self) -> bool {
        let (Some(left_token), Some(right_token)) = (last_token(self.left), first_token(self.right)) else {
            return true;
        };
        if !self.right.starts_with(chars::is_space) || is_lower_alpha(right_token) {
            return true;
        }
        if !is_one_of(right_token, GENERIC_QUOTES) {
            if is_one_of(right_token, DELIMITERS) {
                return true;
            }
            if smiley_length(self.right.trim_start_matches(chars::is_space)).is_some() {
                return true;
            }
        }
        if self.delimiter == "." && self.after_abbreviation(left_token, right_token) {
            return true;
        }
        if is_one_of(self.delimiter, ".)") && self.is_list_item() {
            return true;
        }
        // A closing quote or bracket after a word belongs to the sentence it closes; after final punctuation it
        // ends it, unless a later rule joins. A straight quote after a space opens rather than closes.
        let closes_after_text = !is_one_of(left_token, ENDINGS);
        let closing = is_one_of(self.delimiter, CLOSE_QUOTES) || is_one_of(self.delimiter, CLOSE_BRACKETS);
        if closing && closes_after_text {
            return true;
        }
        if is_one_of(self.delimiter, GENERIC_QUOTES) && (self.left.ends_with(chars::is_space) || closes_after_text) {
            return true;
        }
        if is_one_of(right_token, DASHES) {
            return first_word(self.right).is_some_and(is_lower_alpha);
        }
        false
    }

    /// The abbreviation and initial rules, for a full stop.
    fn after_abbreviation(&self, left_token: &str, right_token: &str) -> bool {
        // "т. е." and the like, seen at their second full stop.
        if let Some((first, second)) = pair_before_end(self.left) {
            let (first, second) = (first.to_lowercase().to_string(), second.to_lowercase().to_string());
            if abbreviations::is_head_pair(&first, &second) {
                return true;
            }
            if abbreviations::is_any_pair(&first, &second) {
                if may_follow_abbreviation(right_token) {
                    return true;
                }
                // razdel's abbreviation rule stops here; the next rules still run.
                return self.inside_pair_or_initial(left_token, right_token);
            }
        }
        let left = left_token.to_lowercase();
        if abbreviations::is_head(&left) || (abbreviations::is_any(&left) && may_follow_abbreviation(right_token)) {
            return true;
        }
        self.inside_pair_or_initial(left_token, right_token)
    }

    /// "т. е." seen at its first full stop, and initials ("А. С. Пушкин", "Дж. Буш").
    fn inside_pair_or_initial(&self, left_token: &str, right_token: &str) -> bool {
        let left = left_token.to_lowercase();
        if abbreviations::is_any_pair(&left, &right_token.to_lowercase()) {
            return true;
        }
        let mut letters = left_token.chars();
        let single_capital = letters.next().is_some() && letters.next().is_none() && chars::str_is_upper(left_token);
        single_capital || abbreviations::is_initial(&left)
    }

    /// A list bullet: a short sentence-so-far made only of bullet parts.
    fn is_list_item(&self) -> bool {
        // Counting only as far as the limit: the sentence so far may be the whole text, and this runs at every
        // candidate boundary.
        if self.buffer.chars().nth(BULLET_SIZE).is_some() {
            return false;
        }
        let mut rest = self.buffer;
        loop {
            rest = rest.trim_start_matches(chars::is_space);
            if rest.is_empty() {
                return true;
            }
            let length = token_length(rest);
            if !is_bullet_part(&rest[..length]) {
                return false;
            }
            rest = &rest[length..];
        }
    }
}

#[cfg(test)]
mod tests;
