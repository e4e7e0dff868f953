//! The best tag sequence of a sentence (Viterbi), with the tag order rules as hard constraints.

use crate::tags::{TAGS, allowed};
use crate::weights::Row;

/// The best tags for tokens with these emission scores, given start and transition scores. A tag that may not
/// follow another (an I after O) is never chosen.
pub fn viterbi(emissions: &[Row], start: &Row, transitions: &[Row; TAGS]) -> Vec<u8> {
    let n = emissions.len();
    if n == 0 {
        return Vec::new();
    }
    let mut scores = [f32::NEG_INFINITY; TAGS];
    for tag in 0..TAGS {
        if allowed(None, tag as u8) {
            scores[tag] = start[tag] + emissions[0][tag];
        }
    }
    let mut back = vec![[0u8; TAGS]; n];
    for (index, emission) in emissions.iter().enumerate().skip(1) {
        let mut next = [f32::NEG_INFINITY; TAGS];
        for tag in 0..TAGS {
            for previous in 0..TAGS {
                if !allowed(Some(previous as u8), tag as u8) || scores[previous] == f32::NEG_INFINITY {
                    continue;
                }
                let score = scores[previous] + transitions[previous][tag];
                if score > next[tag] {
                    next[tag] = score;
                    back[index][tag] = previous as u8;
                }
            }
            next[tag] += emission[tag];
        }
        scores = next;
    }
    let mut best = 0;
    for tag in 1..TAGS {
        if scores[tag] > scores[best] {
            best = tag;
        }
    }
    let mut tags = vec![0u8; n];
    tags[n - 1] = best as u8;
    for index in (1..n).rev() {
        tags[index - 1] = back[index][usize::from(tags[index])];
    }
    tags
}
