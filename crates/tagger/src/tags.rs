//! The tag set (BIO over three kinds), which tag may follow which, and tags back to spans.

use std::ops::Range;

use dossier_ner::Kind;

/// O, then B and I of Person, Organization and Location.
pub const TAGS: usize = 7;
pub const OUTSIDE: u8 = 0;
pub const KINDS: [Kind; 3] = [Kind::Person, Kind::Organization, Kind::Location];

/// The tag that opens a span of `kind`.
pub fn begin(kind: Kind) -> u8 {
    1 + 2 * kind_index(kind)
}

/// The tag that continues a span of `kind`.
pub fn inside(kind: Kind) -> u8 {
    begin(kind) + 1
}

fn kind_index(kind: Kind) -> u8 {
    match kind {
        Kind::Person => 0,
        Kind::Organization => 1,
        Kind::Location => 2,
    }
}

/// The kind of a B or I tag.
pub fn kind(tag: u8) -> Option<Kind> {
    (tag != OUTSIDE).then(|| KINDS[usize::from((tag - 1) / 2)])
}

fn is_inside(tag: u8) -> bool {
    tag != OUTSIDE && (tag - 1) % 2 == 1
}

/// Whether `next` may follow `previous` (`None`: the sentence's start). An I continues only a span of its own kind.
pub fn allowed(previous: Option<u8>, next: u8) -> bool {
    if !is_inside(next) {
        return true;
    }
    previous.is_some_and(|previous| previous != OUTSIDE && kind(previous) == kind(next))
}

/// The spans a valid tag sequence gives, as token index ranges.
pub fn spans(tags: &[u8]) -> Vec<(Kind, Range<usize>)> {
    let mut spans: Vec<(Kind, Range<usize>)> = Vec::new();
    for (index, &tag) in tags.iter().enumerate() {
        let Some(kind) = kind(tag) else { continue };
        match spans.last_mut() {
            Some((open, range)) if is_inside(tag) && *open == kind && range.end == index => range.end = index + 1,
            // An I that continues nothing (the decoder never makes one) opens a span, as conlleval reads it.
            _ => spans.push((kind, index..index + 1)),
        }
    }
    spans
}

/// The names of the tags, for messages and the model file: `O`, `B-PER`, `I-PER`...
pub fn name(tag: u8) -> String {
    match kind(tag) {
        None => "O".to_string(),
        Some(kind) => format!("{}-{}", if is_inside(tag) { "I" } else { "B" }, kind.code()),
    }
}
