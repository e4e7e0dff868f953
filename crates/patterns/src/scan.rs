//! The one pass over a text: at each place a pattern can start (a digit run, a sign, a word followed by a number),
//! the recognisers are tried in priority order and the first that matches wins; the scan resumes after it, so matches
//! never overlap. E-mail addresses and URLs are found first and act as fences: nothing else is read inside them.

use crate::text::{char_at, char_before, digits_end, is_inline_space, word_end};
use crate::{Checksum, Detail, Kind, Match, amount, contact, date, document, identifier};

/// A match in byte offsets, before the character offsets are counted.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub(crate) kind: Kind,
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) value: String,
    pub(crate) checksum: Option<Checksum>,
    pub(crate) label: Option<String>,
    pub(crate) detail: Detail,
}

impl Found {
    pub(crate) fn new(kind: Kind, start: usize, end: usize, value: String) -> Found {
        Found { kind, start, end, value, checksum: None, label: None, detail: Detail::None }
    }

    pub(crate) fn checksum(mut self, checksum: Option<Checksum>) -> Found {
        self.checksum = checksum;
        self
    }

    pub(crate) fn label(mut self, label: Option<String>) -> Found {
        self.label = label;
        self
    }

    pub(crate) fn detail(mut self, detail: Detail) -> Found {
        self.detail = detail;
        self
    }
}

/// Every identifier, date and amount in `text`, in text order, without overlaps.
pub fn find(text: &str) -> Vec<Match> {
    let mut found: Vec<Found> = Vec::new();
    let links = contact::find_links(text);
    let mut next_link = 0;
    let mut at = 0;
    while at < text.len() {
        let fence = links.get(next_link).map_or(text.len(), |link| link.start);
        if at >= fence {
            let link = links[next_link].clone();
            next_link += 1;
            at = at.max(link.end);
            found.push(link);
            continue;
        }
        // Recognisers see the text up to the next link only, so a match can never run into one.
        let window = &text[..fence];
        let Some(c) = char_at(window, at) else { break };
        match recognise_at(window, at, c, &found) {
            Recognised::Found(matches) => {
                at = matches.last().map_or(at + c.len_utf8(), |last| last.end.max(at + c.len_utf8()));
                found.extend(matches);
            }
            Recognised::SkipTo(next) => at = next.max(at + c.len_utf8()),
        }
    }
    to_matches(text, found)
}

enum Recognised {
    Found(Vec<Found>),
    SkipTo(usize),
}

/// Tries every recogniser that can start at `at`.
fn recognise_at(text: &str, at: usize, c: char, found: &[Found]) -> Recognised {
    let one = |result: Option<Found>| result.map(|found| Recognised::Found(vec![found]));
    if c.is_ascii_digit() {
        if char_before(text, at).is_some_and(|before| before.is_ascii_digit()) {
            return Recognised::SkipTo(digits_end(text, at));
        }
        let attempt = identifier::labelled(text, at)
            .map(Recognised::Found)
            .or_else(|| one(identifier::formatted(text, at)))
            .or_else(|| one(contact::phone(text, at)))
            .or_else(|| one(date::at_digit(text, at)))
            .or_else(|| one(identifier::bare(text, at)))
            .or_else(|| one(amount::at_number(text, at)));
        return attempt.unwrap_or(Recognised::SkipTo(digits_end(text, at)));
    }
    if c.is_alphabetic() {
        if char_before(text, at).is_some_and(char::is_alphabetic) {
            return Recognised::SkipTo(word_end(text, at));
        }
        let end = word_end(text, at);
        if !number_follows(text, end) && !starts_glued_token(text, at, end) {
            return Recognised::SkipTo(end);
        }
        let attempt = one(identifier::at_word(text, at, end))
            .or_else(|| one(date::at_word(text, at, end)))
            .or_else(|| one(document::at_word(text, at, end, found)))
            .or_else(|| one(amount::at_word(text, at, end)));
        return attempt.unwrap_or(Recognised::SkipTo(end));
    }
    let attempt = match c {
        '+' => one(contact::phone(text, at)),
        '(' => one(contact::phone(text, at)).or_else(|| one(amount::at_sign(text, at))),
        '№' | '#' => one(document::at_sign(text, at, found)),
        '-' | '\u{2212}' => one(amount::at_sign(text, at)),
        c if crate::vocab::currency_sign(c).is_some() => one(amount::at_sign(text, at)),
        _ => None,
    };
    attempt.unwrap_or(Recognised::SkipTo(at + c.len_utf8()))
}

/// Whether a digit (or a sign that starts a number) follows `end` within a few characters: the cheap test that keeps
/// the word recognisers off the words that cannot start a pattern.
fn number_follows(text: &str, end: usize) -> bool {
    let mut chars = text[end..].chars();
    for _ in 0..4 {
        match chars.next() {
            Some(c) if c.is_ascii_digit() => return true,
            Some(c) if is_inline_space(c) || matches!(c, '.' | ',' | ':' | '№' | '$' | '€' | '£' | '\n') => {
                continue;
            }
            _ => return false,
        }
    }
    false
}

/// A word glued to digits or capitals in a plate or IBAN (`А123ВС`, `UA21…`) starts with an upper-case letter.
fn starts_glued_token(text: &str, at: usize, end: usize) -> bool {
    char_at(text, at).is_some_and(char::is_uppercase) && char_at(text, end).is_some_and(|c| c.is_ascii_digit())
}

/// Counts character offsets for the byte spans (one forward walk: the spans are in order and do not overlap).
fn to_matches(text: &str, found: Vec<Found>) -> Vec<Match> {
    let mut matches = Vec::with_capacity(found.len());
    let mut byte_position = 0;
    let mut char_position = 0;
    for found in found {
        debug_assert!(found.start >= byte_position && found.end > found.start);
        char_position += text[byte_position..found.start].chars().count();
        let start = char_position;
        let length = text[found.start..found.end].chars().count();
        matches.push(Match {
            kind: found.kind,
            start,
            end: start + length,
            byte_start: found.start,
            byte_end: found.end,
            text: text[found.start..found.end].to_string(),
            value: found.value,
            checksum: found.checksum,
            label: found.label,
            detail: found.detail,
        });
        byte_position = found.start;
    }
    matches
}
