//! Snippets: the passages of a document's text where the query's words occur, with those words marked.
//!
//! tantivy's own snippet generator works on one field's terms; a dossier query matches stems in one field and folded
//! words, prefixes, fuzzy words and transliterations in another, so the passages are found here, over the whole text
//! (a match on page 400 of a long PDF is shown like one on page 1).

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;
use tantivy::tokenizer::TextAnalyzer;

use crate::translate::Highlights;

/// How much text around a match a snippet shows, in characters.
const CHARS_BEFORE: usize = 70;
const CHARS_AFTER: usize = 130;
/// Matches looked at per document: enough to find the best passages, bounded for huge texts.
const MAX_MATCHES: usize = 5_000;
/// Text handed to the tokenizer at once while scanning a document for matches (the whole text is scanned).
const SCAN_PART_BYTES: usize = 16 << 20;
/// Distinct words whose verdict is remembered while scanning one text.
const MAX_JUDGED_WORDS: usize = 100_000;

/// One passage of text. `highlights` are `[start, end)` ranges in characters (Unicode scalar values) of `text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snippet {
    pub text: String,
    pub highlights: Vec<[usize; 2]>,
}

impl Snippet {
    /// The snippet as HTML: text escaped, matches in `<mark>`.
    pub fn to_html(&self) -> String {
        self.render(|piece, marked, out| {
            if marked {
                out.push_str("<mark>");
            }
            for c in piece.chars() {
                match c {
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '&' => out.push_str("&amp;"),
                    '"' => out.push_str("&quot;"),
                    '\'' => out.push_str("&#39;"),
                    c => out.push(c),
                }
            }
            if marked {
                out.push_str("</mark>");
            }
        })
    }

    /// The snippet with matches between the given markers (e.g. ANSI bold on a terminal).
    pub fn marked(&self, open: &str, close: &str) -> String {
        self.render(|piece, marked, out| {
            if marked {
                out.push_str(open);
            }
            out.push_str(piece);
            if marked {
                out.push_str(close);
            }
        })
    }

    fn render(&self, mut write: impl FnMut(&str, bool, &mut String)) -> String {
        let chars: Vec<(usize, char)> = self.text.char_indices().collect();
        let byte_at = |char_index: usize| chars.get(char_index).map_or(self.text.len(), |&(byte, _)| byte);
        let mut out = String::with_capacity(self.text.len() + 16);
        let mut at = 0;
        for &[start, end] in &self.highlights {
            write(&self.text[byte_at(at)..byte_at(start)], false, &mut out);
            write(&self.text[byte_at(start)..byte_at(end)], true, &mut out);
            at = end;
        }
        write(&self.text[byte_at(at)..], false, &mut out);
        out
    }
}

/// Up to `max` passages of `text` around the words in `highlights`, best first by how many different words they show,
/// then in document order. With nothing to highlight (or nothing found), the start of the text.
pub fn snippets(text: &str, highlights: &Highlights, words: &mut TextAnalyzer, max: usize) -> Vec<Snippet> {
    if text.trim().is_empty() || max == 0 {
        return Vec::new();
    }
    let matches = if highlights.is_empty() { Vec::new() } else { find_matches(text, highlights, words) };
    if matches.is_empty() {
        return vec![passage(text, 0, 0, &[])];
    }
    // Candidate windows start around each match; score each by the distinct words it shows.
    let mut candidates: Vec<(usize, usize, usize)> = Vec::new(); // (score, start, end) in bytes
    for (i, m) in matches.iter().enumerate() {
        let start = back_chars(text, m.start, CHARS_BEFORE);
        let end = forward_chars(text, m.start, CHARS_AFTER);
        let mut distinct = BTreeSet::new();
        for other in matches[i..].iter().take_while(|other| other.end <= end) {
            distinct.insert(other.word.as_str());
        }
        for other in matches[..i].iter().rev().take_while(|other| other.start >= start) {
            distinct.insert(other.word.as_str());
        }
        candidates.push((distinct.len(), start, end));
    }
    // Best score first; among equals, earlier first.
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut chosen: Vec<(usize, usize)> = Vec::new();
    for (_, start, end) in candidates {
        if chosen.iter().all(|&(s, e)| end <= s || start >= e) {
            chosen.push((start, end));
            if chosen.len() == max {
                break;
            }
        }
    }
    chosen.sort();
    chosen
        .into_iter()
        .map(|(start, end)| {
            let inside: Vec<(usize, usize)> = matches
                .iter()
                .filter(|m| m.start >= start && m.end <= end)
                .map(|m| (m.start - start, m.end - start))
                .collect();
            passage(text, start, end, &inside)
        })
        .collect()
}

/// Byte ranges of the words of `text` that the query's words match (at most a few thousand, in the first 32 MiB).
pub fn match_ranges(text: &str, highlights: &Highlights, words: &mut TextAnalyzer) -> Vec<(usize, usize)> {
    if highlights.is_empty() {
        return Vec::new();
    }
    find_matches(text, highlights, words).into_iter().map(|m| (m.start, m.end)).collect()
}

struct Match {
    start: usize,
    end: usize,
    word: String,
}

fn find_matches(text: &str, highlights: &Highlights, words: &mut TextAnalyzer) -> Vec<Match> {
    let mut matches = Vec::new();
    // Stemming and edit distances cost microseconds a word; words repeat, so each distinct word is judged once.
    let memoize = !highlights.stems.is_empty() || !highlights.fuzzy.is_empty();
    let mut judged: HashMap<String, bool> = HashMap::new();
    // The whole text, in parts cut between words: a word at the end of a 100 MB text is found like one at the start.
    let mut part_start = 0;
    for part in crate::document::text_parts(text, SCAN_PART_BYTES) {
        let mut stream = words.token_stream(part);
        while let Some(token) = stream.next() {
            let hit = if !memoize {
                is_match(&token.text, highlights)
            } else if let Some(&hit) = judged.get(token.text.as_str()) {
                hit
            } else {
                let hit = is_match(&token.text, highlights);
                if judged.len() < MAX_JUDGED_WORDS {
                    judged.insert(token.text.clone(), hit);
                }
                hit
            };
            if hit {
                matches.push(Match {
                    start: part_start + token.offset_from,
                    end: part_start + token.offset_to,
                    word: token.text.clone(),
                });
                if matches.len() == MAX_MATCHES {
                    return matches;
                }
            }
        }
        part_start += part.len();
    }
    matches
}

fn is_match(folded: &str, highlights: &Highlights) -> bool {
    if highlights.exact.contains(folded) || highlights.prefixes.iter().any(|prefix| folded.starts_with(prefix.as_str()))
    {
        return true;
    }
    if highlights.fuzzy.iter().any(|(word, distance)| within_edits(folded, word, usize::from(*distance))) {
        return true;
    }
    // Stemming is only worth its cost for words that could share a stem: same first two letters.
    if !highlights.stems.is_empty() {
        let head: String = folded.chars().take(2).collect();
        if highlights.stems.iter().any(|stem| stem.starts_with(&head) || head.starts_with(stem.as_str())) {
            return dossier_lang::query_stems(folded).iter().any(|stem| highlights.stems.contains(stem));
        }
    }
    false
}

/// Levenshtein distance of at most `max` (with adjacent transpositions counting one, as the query does).
fn within_edits(a: &str, b: &str, max: usize) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    let width = b.len() + 1;
    let mut previous_row: Vec<usize> = Vec::new();
    let mut row: Vec<usize> = (0..width).collect();
    for i in 1..=a.len() {
        let mut next = vec![i; width];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            next[j] = (row[j] + 1).min(next[j - 1] + 1).min(row[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                next[j] = next[j].min(previous_row[j - 2] + 1);
            }
        }
        previous_row = std::mem::replace(&mut row, next);
    }
    row[b.len()] <= max
}

/// The passage of `text` from byte `start` to byte `end` (or a default length when `end` is 0), whitespace runs
/// collapsed, with the given byte ranges (relative to `start`) turned into character ranges of the passage.
fn passage(text: &str, start: usize, end: usize, marks: &[(usize, usize)]) -> Snippet {
    let end = if end == 0 { forward_chars(text, start, CHARS_BEFORE + CHARS_AFTER) } else { end };
    let slice = &text[start..end];
    let mut out = String::with_capacity(slice.len() + 2);
    let mut highlights = Vec::with_capacity(marks.len());
    if start > 0 {
        out.push('…');
    }
    let mut n_chars = out.chars().count();
    let mut in_space = false;
    let mut open: Option<usize> = None;
    let mut next_mark = marks.iter().peekable();
    for (byte, c) in slice.char_indices() {
        if let Some(&&(mark_start, _)) = next_mark.peek()
            && byte == mark_start
        {
            open = Some(n_chars);
        }
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
                n_chars += 1;
            }
            in_space = true;
        } else {
            out.push(c);
            n_chars += 1;
            in_space = false;
        }
        if let (Some(from), Some(&&(_, mark_end))) = (open, next_mark.peek())
            && byte + c.len_utf8() == mark_end
        {
            highlights.push([from, n_chars]);
            open = None;
            next_mark.next();
        }
    }
    if end < text.len() {
        out.push('…');
    }
    Snippet { text: out, highlights }
}

/// The byte offset `n` characters before `at` (moved to the start of a word when one is cut).
fn back_chars(text: &str, at: usize, n: usize) -> usize {
    let before = &text[..at];
    let start = before.char_indices().rev().nth(n.saturating_sub(1)).map_or(0, |(i, _)| i);
    if start == 0 {
        return 0;
    }
    // Do not start in the middle of a word.
    match text[start..at].find(char::is_whitespace) {
        Some(space) => start + space + text[start + space..].chars().next().map_or(1, char::len_utf8),
        None => start,
    }
}

/// The byte offset `n` characters after `at` (moved back to the end of a word when one is cut).
fn forward_chars(text: &str, at: usize, n: usize) -> usize {
    let end = text[at..].char_indices().nth(n).map_or(text.len(), |(i, _)| at + i);
    if end == text.len() {
        return end;
    }
    match text[at..end].rfind(char::is_whitespace) {
        Some(space) if space > 0 => at + space,
        _ => end,
    }
}

#[cfg(test)]
mod tests;
