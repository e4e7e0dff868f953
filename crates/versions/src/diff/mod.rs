//! A word-level diff of two texts that also shows what the eye does not see.
//!
//! [`diff()`] splits both texts into words and gaps ([`tokens`]), aligns the words by what they look like
//! ([`align`]), and describes both texts completely as a sequence of operations in order: equal, changed, inserted,
//! deleted. An equal operation whose two sides are not the same characters (a Latin о in one, a no-break space, «»
//! against "", a zero-width space) carries the [`Hidden`] differences. A deleted block whose words are inserted
//! elsewhere is marked as moved. Offsets are in chars (Unicode scalar values) of the two texts.

mod align;
mod hidden;
mod tokens;

use std::collections::HashMap;

use serde::Serialize;

pub use hidden::{CharInfo, Hidden, HiddenKind};

use crate::chars::{invisible_kind, is_unusual_space};
use hidden::{Piece, hidden_differences};
use tokens::{Unit, Word, gap_key, units, word_key, words};

/// A range of chars `[start, end)` in one text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// What an operation does to `a` to make `b`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OpKind {
    /// Looks the same on both sides (see [`Op::hidden`] for what differs underneath).
    Equal,
    /// Different on both sides: words replaced, or punctuation that visibly changed.
    Changed,
    /// Only in `b`.
    Inserted,
    /// Only in `a`.
    Deleted,
}

/// One step of the diff. The operations of a [`Diff`] cover both texts from start to end without gaps or overlaps.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Op {
    pub kind: OpKind,
    /// Where it is in `a` (empty for an insertion: the position).
    pub a: Span,
    /// Where it is in `b` (empty for a deletion: the position).
    pub b: Span,
    /// The text of `a`, unless the operation is equal with identical characters on both sides.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub a_text: Option<String>,
    /// The text of `b`, under the same condition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub b_text: Option<String>,
    /// For an equal operation, what differs although it looks the same.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hidden: Vec<Hidden>,
    /// A deleted block and an inserted block with the same words are one moved block: both carry the same number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved: Option<u32>,
}

/// How many words each kind of operation covers, and how many hidden differences of each kind there are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DiffSummary {
    pub words_a: usize,
    pub words_b: usize,
    pub equal_words: usize,
    /// Words of `a` in changed operations.
    pub changed_words_a: usize,
    /// Words of `b` in changed operations.
    pub changed_words_b: usize,
    pub deleted_words: usize,
    pub inserted_words: usize,
    /// Words in moved blocks (counted once; they are also among the deleted and inserted words).
    pub moved_words: usize,
    pub homoglyphs: usize,
    pub invisible: usize,
    pub whitespace: usize,
    pub punctuation: usize,
    pub variants: usize,
}

/// The diff of two texts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    pub ops: Vec<Op>,
    pub summary: DiffSummary,
    /// Whether the alignment gave up on part of the texts for cost (very long texts with little in common) and
    /// showed it as one changed block rather than the smallest set of changes.
    pub approximate: bool,
}

/// A deleted or inserted block of at least this many words that appears on the other side is shown as moved.
const MIN_MOVED_WORDS: usize = 3;

/// The diff of `a` and `b`. Time and memory grow linearly with the texts for texts that share most of their words,
/// and are bounded for any input (see [`align`]).
pub fn diff(a: &str, b: &str) -> Diff {
    let words_a = words(a);
    let words_b = words(b);
    let mut interned: HashMap<String, u32> = HashMap::new();
    let mut key_ids = |text: &str, words: &[Word]| -> Vec<u32> {
        words
            .iter()
            .map(|word| {
                let key = word_key(&text[word.start..word.end]);
                let next = interned.len() as u32;
                *interned.entry(key).or_insert(next)
            })
            .collect()
    };
    let keys_a = key_ids(a, &words_a);
    let keys_b = key_ids(b, &words_b);
    let (matches, approximate) = align::align(&keys_a, &keys_b);
    let mut builder = Builder {
        a: Side::new(a, &words_a),
        b: Side::new(b, &words_b),
        ops: Vec::new(),
        word_ranges: Vec::new(),
        summary: DiffSummary { words_a: words_a.len(), words_b: words_b.len(), ..DiffSummary::default() },
    };
    let (mut next_a, mut next_b) = (0, 0);
    let (mut byte_a, mut byte_b) = (0, 0);
    for &(i, j) in &matches {
        builder.region((byte_a, words_a[i].start, next_a, i), (byte_b, words_b[j].start, next_b, j));
        builder.matched_words(i, j);
        (next_a, next_b) = (i + 1, j + 1);
        (byte_a, byte_b) = (words_a[i].end, words_b[j].end);
    }
    builder.region((byte_a, a.len(), next_a, words_a.len()), (byte_b, b.len(), next_b, words_b.len()));
    builder.summary.equal_words = matches.len();
    builder.mark_moves(&keys_a, &keys_b);
    let Builder { ops, summary, .. } = builder;
    Diff { ops, summary, approximate }
}

impl Diff {
    /// Whether the two texts are the same characters.
    pub fn is_identical(&self) -> bool {
        self.ops.iter().all(|op| op.kind == OpKind::Equal && op.hidden.is_empty())
    }

    /// `b`, rebuilt from `a` and the operations: what each operation says `b` has there.
    pub fn apply(&self, a: &str) -> String {
        let mut out = String::new();
        let mut chars = a.char_indices().map(|(index, _)| index).chain(std::iter::once(a.len()));
        let mut position = 0;
        let mut byte = chars.next().unwrap_or(0);
        for op in &self.ops {
            let start = byte;
            while position < op.a.end {
                byte = chars.next().unwrap_or(a.len());
                position += 1;
            }
            match &op.b_text {
                Some(text) => out.push_str(text),
                None => out.push_str(&a[start..byte]),
            }
        }
        out
    }

    /// The diff as text for a terminal: `[-deleted-]`, `{+inserted+}`, `[-old-]{+new+}` for a change,
    /// `{~a~>b~}⟨kind: what → what⟩` for a hidden difference, `⟨moved N⟩` after a moved block, and every invisible
    /// character and unusual space written as `⟨U+XXXX⟩`. `a` must be the text the diff was made from.
    pub fn render(&self, a: &str) -> String {
        let mut out = String::new();
        let byte_of: Vec<usize> = a.char_indices().map(|(index, _)| index).chain(std::iter::once(a.len())).collect();
        let slice = |span: Span| &a[byte_of[span.start]..byte_of[span.end]];
        for op in &self.ops {
            let a_text = op.a_text.as_deref().unwrap_or_else(|| slice(op.a));
            let b_text = op.b_text.as_deref().unwrap_or(a_text);
            match op.kind {
                OpKind::Equal if op.hidden.is_empty() => out.push_str(&escape(a_text)),
                OpKind::Equal => {
                    out.push_str(&format!("{{~{}~>{}~}}", escape(a_text), escape(b_text)));
                    for hidden in &op.hidden {
                        out.push_str(&describe_hidden(hidden));
                    }
                }
                OpKind::Changed => out.push_str(&format!("[-{}-]{{+{}+}}", escape(a_text), escape(b_text))),
                OpKind::Deleted => out.push_str(&format!("[-{}-]", escape(a_text))),
                OpKind::Inserted => out.push_str(&format!("{{+{}+}}", escape(b_text))),
            }
            if let Some(moved) = op.moved {
                out.push_str(&format!("⟨moved {moved}⟩"));
            }
        }
        out
    }
}

fn describe_hidden(hidden: &Hidden) -> String {
    let side = |chars: &[CharInfo]| -> String {
        if chars.is_empty() {
            return "nothing".to_string();
        }
        let names: Vec<String> = chars
            .iter()
            .map(|info| match info.name {
                Some(name) => format!("{} {name}", info.code),
                None => info.code.clone(),
            })
            .collect();
        names.join(" + ")
    };
    let kind = match hidden.kind {
        HiddenKind::Homoglyph => "homoglyph",
        HiddenKind::Invisible => "invisible",
        HiddenKind::Whitespace => "whitespace",
        HiddenKind::Punctuation => "punctuation",
        HiddenKind::Variant => "variant",
    };
    format!("⟨{kind}: {} → {}⟩", side(&hidden.a_chars), side(&hidden.b_chars))
}

/// Writes invisible characters and spaces other than space, tab and line feed as `⟨U+XXXX⟩`.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if (invisible_kind(ch).is_some() || is_unusual_space(ch)) && ch != '\r' {
            out.push_str(&format!("⟨U+{:04X}⟩", u32::from(ch)));
        } else {
            out.push(ch);
        }
    }
    out
}

/// The length in bytes of the longest prefix of `gap` (cut between units) whose key is `key`, if any.
fn longest_prefix_with_key(gap: &str, key: &str) -> Option<usize> {
    let mut prefix_key = String::new();
    let mut found = key.is_empty().then_some(0);
    for unit in units(gap) {
        prefix_key.push_str(&unit.key);
        if prefix_key == key {
            found = Some(unit.end);
        } else if !key.starts_with(prefix_key.as_str()) {
            break;
        }
    }
    found
}

/// The byte offset where the longest suffix of `gap` (cut between units) whose key is `key` starts, if any.
fn longest_suffix_with_key(gap: &str, key: &str) -> Option<usize> {
    let mut suffix_key = String::new();
    let mut found = key.is_empty().then_some(gap.len());
    for unit in units(gap).iter().rev() {
        suffix_key.insert_str(0, &unit.key);
        if suffix_key == key {
            found = Some(unit.start);
        } else if !key.ends_with(suffix_key.as_str()) {
            break;
        }
    }
    found
}

/// One text being walked: its words, and a cursor converting increasing byte offsets to char offsets.
struct Side<'a> {
    text: &'a str,
    words: &'a [Word],
    byte: usize,
    char: usize,
}

impl<'a> Side<'a> {
    fn new(text: &'a str, words: &'a [Word]) -> Side<'a> {
        Side { text, words, byte: 0, char: 0 }
    }

    /// The char offset of a byte offset; offsets are asked in increasing order, so this is linear overall.
    fn char_at(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            (self.byte, self.char) = (0, 0);
        }
        self.char += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.char
    }

    fn span(&mut self, (start, end): (usize, usize)) -> Span {
        let start = self.char_at(start);
        let end = self.char_at(end);
        Span { start, end }
    }
}

/// A region between two aligned words on one side: byte range, and the range of word indices inside it.
type Region = (usize, usize, usize, usize);

struct Builder<'a> {
    a: Side<'a>,
    b: Side<'a>,
    ops: Vec<Op>,
    /// Per op, the word index ranges it covers in `a` and in `b`.
    word_ranges: Vec<((usize, usize), (usize, usize))>,
    summary: DiffSummary,
}

impl Builder<'_> {
    /// Two aligned words: equal, perhaps with hidden differences.
    fn matched_words(&mut self, i: usize, j: usize) {
        let (word_a, word_b) = (self.a.words[i], self.b.words[j]);
        self.equal_or_hidden((word_a.start, word_a.end), (word_b.start, word_b.end), ((i, i + 1), (j, j + 1)));
    }

    /// What lies between two aligned words (or a text's start or end): gaps only, or words on one or both sides.
    fn region(&mut self, (start_a, end_a, first_a, stop_a): Region, (start_b, end_b, first_b, stop_b): Region) {
        let (has_a, has_b) = (first_a < stop_a, first_b < stop_b);
        if !has_a && !has_b {
            self.gap((start_a, end_a), (start_b, end_b), ((first_a, first_a), (first_b, first_b)));
            return;
        }
        // The gaps before the first and after the last word of each side; a side without words is one gap.
        let lead_a = if has_a { self.a.words[first_a].start } else { end_a };
        let lead_b = if has_b { self.b.words[first_b].start } else { end_b };
        let trail_a = if has_a { self.a.words[stop_a - 1].end } else { start_a };
        let trail_b = if has_b { self.b.words[stop_b - 1].end } else { start_b };
        let (a_text, b_text) = (self.a.text, self.b.text);
        if has_a && has_b {
            let same_key = |x: &str, y: &str| gap_key(x) == gap_key(y);
            let lead_matches = same_key(&a_text[start_a..lead_a], &b_text[start_b..lead_b]);
            let trail_matches = same_key(&a_text[trail_a..end_a], &b_text[trail_b..end_b]);
            let (mut middle_a, mut middle_b) = ((start_a, end_a), (start_b, end_b));
            if lead_matches {
                self.gap((start_a, lead_a), (start_b, lead_b), ((first_a, first_a), (first_b, first_b)));
                (middle_a.0, middle_b.0) = (lead_a, lead_b);
            }
            if trail_matches {
                (middle_a.1, middle_b.1) = (trail_a, trail_b);
            }
            self.push(OpKind::Changed, middle_a, middle_b, Vec::new(), ((first_a, stop_a), (first_b, stop_b)));
            if trail_matches {
                self.gap((trail_a, end_a), (trail_b, end_b), ((stop_a, stop_a), (stop_b, stop_b)));
            }
            return;
        }
        // Words on one side only (this side; the other has one gap). The other side's gap pairs with what looks like
        // it at the front of this side (the longest such prefix of the lead gap), else at the back (the longest such
        // suffix of the trail gap), and the rest is the inserted or deleted block. Preferring the front keeps a block
        // whole as a reader sees it: a paragraph added at the end is `конце.{+ Новый абзац.+}`, with its own full
        // stop and without the one before it; a paragraph removed from the middle takes its following break along.
        let kind = if has_a { OpKind::Deleted } else { OpKind::Inserted };
        let (this_text, this_start, this_end) = if has_a { (a_text, start_a, end_a) } else { (b_text, start_b, end_b) };
        let (lead, trail) = if has_a { (lead_a, trail_a) } else { (lead_b, trail_b) };
        let other_key = if has_a { gap_key(&b_text[start_b..end_b]) } else { gap_key(&a_text[start_a..end_a]) };
        let (block_start, block_end) =
            if let Some(cut) = longest_prefix_with_key(&this_text[this_start..lead], &other_key) {
                (this_start + cut, this_end)
            } else if let Some(cut) = longest_suffix_with_key(&this_text[trail..this_end], &other_key) {
                (this_start, trail + cut)
            } else {
                // Nothing looks like the other gap: it stands against the lead gap as changed punctuation.
                (lead, this_end)
            };
        let words = ((first_a, stop_a), (first_b, stop_b));
        let edge = ((first_a, first_a), (first_b, first_b));
        let end_edge = ((stop_a, stop_a), (stop_b, stop_b));
        let this_side =
            |range: (usize, usize), other: (usize, usize)| if has_a { (range, other) } else { (other, range) };
        let other_gap = if has_a { (start_b, end_b) } else { (start_a, end_a) };
        if block_end == this_end {
            let (gap_a, gap_b) = this_side((this_start, block_start), other_gap);
            self.gap(gap_a, gap_b, edge);
            let (rest_a, rest_b) = this_side((block_start, this_end), (other_gap.1, other_gap.1));
            self.push(kind, rest_a, rest_b, Vec::new(), words);
        } else {
            let (rest_a, rest_b) = this_side((this_start, block_end), (other_gap.0, other_gap.0));
            self.push(kind, rest_a, rest_b, Vec::new(), words);
            let (gap_a, gap_b) = this_side((block_end, this_end), other_gap);
            self.gap(gap_a, gap_b, end_edge);
        }
    }

    /// Two gaps facing each other: equal, equal with hidden differences, or changed punctuation.
    fn gap(&mut self, a: (usize, usize), b: (usize, usize), words: ((usize, usize), (usize, usize))) {
        if a.0 == a.1 && b.0 == b.1 {
            return;
        }
        let (text_a, text_b) = (&self.a.text[a.0..a.1], &self.b.text[b.0..b.1]);
        if gap_key(text_a) == gap_key(text_b) {
            // Only the part that differs is marked: `Да{~» -~>" —~} сказал`, not the space after it as well.
            let (units_a, units_b) = (units(text_a), units(text_b));
            let same = |x: &Unit, y: &Unit| text_a[x.start..x.end] == text_b[y.start..y.end];
            let shorter = units_a.len().min(units_b.len());
            let prefix = units_a.iter().zip(&units_b).take_while(|(x, y)| same(x, y)).count();
            let suffix = units_a
                .iter()
                .rev()
                .zip(units_b.iter().rev())
                .take(shorter - prefix)
                .take_while(|(x, y)| same(x, y))
                .count();
            let cut = |units: &[Unit], index: usize, length: usize| units.get(index).map_or(length, |unit| unit.start);
            let middle_a =
                (a.0 + cut(&units_a, prefix, text_a.len()), a.0 + cut(&units_a, units_a.len() - suffix, text_a.len()));
            let middle_b =
                (b.0 + cut(&units_b, prefix, text_b.len()), b.0 + cut(&units_b, units_b.len() - suffix, text_b.len()));
            self.equal_or_hidden((a.0, middle_a.0), (b.0, middle_b.0), words);
            self.equal_or_hidden(middle_a, middle_b, words);
            self.equal_or_hidden((middle_a.1, a.1), (middle_b.1, b.1), words);
        } else {
            self.push(OpKind::Changed, a, b, Vec::new(), words);
        }
    }

    fn equal_or_hidden(&mut self, a: (usize, usize), b: (usize, usize), words: ((usize, usize), (usize, usize))) {
        let (text_a, text_b) = (&self.a.text[a.0..a.1], &self.b.text[b.0..b.1]);
        let mut found = Vec::new();
        if text_a != text_b {
            let piece_a = Piece { text: text_a, char_start: self.a.char_at(a.0) };
            let piece_b = Piece { text: text_b, char_start: self.b.char_at(b.0) };
            hidden_differences(piece_a, piece_b, &mut found);
            if found.is_empty() {
                // Keys equal but no unit pairing explained it: report the whole pieces rather than nothing.
                found.push(Hidden {
                    kind: HiddenKind::Variant,
                    a: self.a.span(a),
                    b: self.b.span(b),
                    a_chars: text_a.chars().map(CharInfo::of).collect(),
                    b_chars: text_b.chars().map(CharInfo::of).collect(),
                });
            }
        }
        self.push(OpKind::Equal, a, b, found, words);
    }

    fn push(
        &mut self,
        kind: OpKind,
        a: (usize, usize),
        b: (usize, usize),
        hidden: Vec<Hidden>,
        words: ((usize, usize), (usize, usize)),
    ) {
        if a.0 == a.1 && b.0 == b.1 {
            return;
        }
        let (words_a, words_b) = (words.0.1 - words.0.0, words.1.1 - words.1.0);
        match kind {
            OpKind::Changed => {
                self.summary.changed_words_a += words_a;
                self.summary.changed_words_b += words_b;
            }
            OpKind::Deleted => self.summary.deleted_words += words_a,
            OpKind::Inserted => self.summary.inserted_words += words_b,
            OpKind::Equal => {}
        }
        for found in &hidden {
            match found.kind {
                HiddenKind::Homoglyph => self.summary.homoglyphs += 1,
                HiddenKind::Invisible => self.summary.invisible += 1,
                HiddenKind::Whitespace => self.summary.whitespace += 1,
                HiddenKind::Punctuation => self.summary.punctuation += 1,
                HiddenKind::Variant => self.summary.variants += 1,
            }
        }
        let (span_a, span_b) = (self.a.span(a), self.b.span(b));
        let plain_equal = kind == OpKind::Equal && hidden.is_empty();
        if plain_equal
            && let Some(last) = self.ops.last_mut()
            && last.kind == OpKind::Equal
            && last.hidden.is_empty()
            && last.moved.is_none()
            && let Some(range) = self.word_ranges.last_mut()
        {
            last.a.end = span_a.end;
            last.b.end = span_b.end;
            range.0.1 = words.0.1;
            range.1.1 = words.1.1;
            return;
        }
        let (a_text, b_text) = if plain_equal {
            (None, None)
        } else {
            (Some(self.a.text[a.0..a.1].to_string()), Some(self.b.text[b.0..b.1].to_string()))
        };
        self.ops.push(Op { kind, a: span_a, b: span_b, a_text, b_text, hidden, moved: None });
        self.word_ranges.push(words);
    }

    /// Pairs deleted and inserted blocks with the same words (at least [`MIN_MOVED_WORDS`]) as moves.
    fn mark_moves(&mut self, keys_a: &[u32], keys_b: &[u32]) {
        let mut deleted: HashMap<&[u32], Vec<usize>> = HashMap::new();
        for (index, op) in self.ops.iter().enumerate() {
            let (range_a, _) = self.word_ranges[index];
            if op.kind == OpKind::Deleted && range_a.1 - range_a.0 >= MIN_MOVED_WORDS {
                deleted.entry(&keys_a[range_a.0..range_a.1]).or_default().push(index);
            }
        }
        let mut next_move = 1;
        for index in 0..self.ops.len() {
            let (_, range_b) = self.word_ranges[index];
            if self.ops[index].kind != OpKind::Inserted || range_b.1 - range_b.0 < MIN_MOVED_WORDS {
                continue;
            }
            let Some(candidates) = deleted.get_mut(&keys_b[range_b.0..range_b.1]) else { continue };
            let Some(partner) = candidates.pop() else { continue };
            self.ops[index].moved = Some(next_move);
            self.ops[partner].moved = Some(next_move);
            self.summary.moved_words += range_b.1 - range_b.0;
            next_move += 1;
        }
    }
}
