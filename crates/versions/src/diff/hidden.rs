//! What differs between two pieces of text that look the same: a word and its twin with a Latin о, a gap of one
//! space and one of a no-break space, «» against "", a zero-width space that one side has and the other has not.

use serde::Serialize;

use super::Span;
use super::tokens::{Unit, UnitClass, units};
use crate::chars::{InvisibleKind, Script, invisible_kind, name_of, script_of};

/// The kind of a difference the eye does not see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HiddenKind {
    /// A letter of one script against its lookalike of another (Latin o / Cyrillic о).
    Homoglyph,
    /// An invisible character on one side only (zero-width, soft hyphen, bidi control, variation selector).
    Invisible,
    /// Whitespace of another kind or count (no-break or thin space, two spaces, a line break for a space).
    Whitespace,
    /// The same punctuation mark drawn differently: quotation marks, apostrophes, hyphens and dashes.
    Punctuation,
    /// Another encoding of the same letters: a ligature, a full-width form, a letter and its combining accent.
    Variant,
}

/// One character as a report shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CharInfo {
    /// The character itself.
    pub char: String,
    /// `U+043E`.
    pub code: String,
    /// The official Unicode name, where the crate's tables know it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'static str>,
    pub script: Script,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invisible: Option<InvisibleKind>,
}

impl CharInfo {
    pub fn of(ch: char) -> CharInfo {
        CharInfo {
            char: ch.to_string(),
            code: format!("U+{:04X}", u32::from(ch)),
            name: name_of(ch),
            script: script_of(ch),
            invisible: invisible_kind(ch),
        }
    }
}

/// One difference the eye does not see, with where it is on each side (char offsets into the whole texts; an empty
/// span on the side that lacks an invisible character) and the characters on each side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hidden {
    pub kind: HiddenKind,
    pub a: Span,
    pub b: Span,
    pub a_chars: Vec<CharInfo>,
    pub b_chars: Vec<CharInfo>,
}

/// A piece of one text being compared: its text and where it starts, in bytes and in chars, in the whole text.
#[derive(Clone, Copy)]
pub(crate) struct Piece<'a> {
    pub text: &'a str,
    pub char_start: usize,
}

/// The hidden differences between two pieces whose keys are equal (see [`super::tokens`]): units are paired in order,
/// invisible units on either side are reported alone, and a unit whose key covers several units of the other side
/// (a ligature against its letters) is paired with all of them.
pub(crate) fn hidden_differences(a: Piece<'_>, b: Piece<'_>, out: &mut Vec<Hidden>) {
    if a.text == b.text {
        return;
    }
    let (units_a, units_b) = (units(a.text), units(b.text));
    let (mut i, mut j) = (0, 0);
    loop {
        if let Some(unit) = units_a.get(i).filter(|unit| unit.key.is_empty()) {
            out.push(one_sided(a, unit, b, units_b.get(j).map_or(b.text.len(), |next| next.start), Side::A));
            i += 1;
            continue;
        }
        if let Some(unit) = units_b.get(j).filter(|unit| unit.key.is_empty()) {
            out.push(one_sided(b, unit, a, units_a.get(i).map_or(a.text.len(), |next| next.start), Side::B));
            j += 1;
            continue;
        }
        if i >= units_a.len() || j >= units_b.len() {
            break;
        }
        let (mut end_i, mut end_j) = (i + 1, j + 1);
        let (mut key_a, mut key_b) = (units_a[i].key.clone(), units_b[j].key.clone());
        while key_a != key_b {
            if key_a.len() < key_b.len() && end_i < units_a.len() {
                key_a.push_str(&units_a[end_i].key);
                end_i += 1;
            } else if end_j < units_b.len() {
                key_b.push_str(&units_b[end_j].key);
                end_j += 1;
            } else if end_i < units_a.len() {
                key_a.push_str(&units_a[end_i].key);
                end_i += 1;
            } else {
                break;
            }
        }
        let (start_a, stop_a) = (units_a[i].start, units_a[end_i - 1].end);
        let (start_b, stop_b) = (units_b[j].start, units_b[end_j - 1].end);
        let (text_a, text_b) = (&a.text[start_a..stop_a], &b.text[start_b..stop_b]);
        if text_a != text_b {
            let kind = classify(&units_a[i..end_i], text_a, &units_b[j..end_j], text_b);
            out.push(Hidden {
                kind,
                a: span(a, start_a, stop_a),
                b: span(b, start_b, stop_b),
                a_chars: text_a.chars().map(CharInfo::of).collect(),
                b_chars: text_b.chars().map(CharInfo::of).collect(),
            });
        }
        (i, j) = (end_i, end_j);
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Side {
    A,
    B,
}

/// An invisible character present on one side: its span there, and an empty span at `other_at` (a byte offset in
/// the other piece) on the other side.
fn one_sided(this: Piece<'_>, unit: &Unit, other: Piece<'_>, other_at: usize, side: Side) -> Hidden {
    let here = span(this, unit.start, unit.end);
    let there = span(other, other_at, other_at);
    let chars = this.text[unit.start..unit.end].chars().map(CharInfo::of).collect();
    let (a, b, a_chars, b_chars) =
        if side == Side::A { (here, there, chars, Vec::new()) } else { (there, here, Vec::new(), chars) };
    Hidden { kind: HiddenKind::Invisible, a, b, a_chars, b_chars }
}

fn classify(units_a: &[Unit], text_a: &str, units_b: &[Unit], text_b: &str) -> HiddenKind {
    let all = |units: &[Unit], class: UnitClass| units.iter().all(|unit| unit.class == class);
    if all(units_a, UnitClass::Space) && all(units_b, UnitClass::Space) {
        return HiddenKind::Whitespace;
    }
    if all(units_a, UnitClass::Mark) && all(units_b, UnitClass::Mark) {
        return HiddenKind::Punctuation;
    }
    let mut chars_a = text_a.chars();
    let mut chars_b = text_b.chars();
    if let (Some(x), None, Some(y), None) = (chars_a.next(), chars_a.next(), chars_b.next(), chars_b.next())
        && script_of(x) != script_of(y)
    {
        return HiddenKind::Homoglyph;
    }
    HiddenKind::Variant
}

/// Char offsets in the whole text of a byte range of a piece.
fn span(piece: Piece<'_>, start: usize, end: usize) -> Span {
    let before = piece.text[..start].chars().count();
    let inside = piece.text[start..end].chars().count();
    Span { start: piece.char_start + before, end: piece.char_start + before + inside }
}
