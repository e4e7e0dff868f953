//! The CRF's best tag sequence (Viterbi), decided as the text streams by.
//!
//! slovnet keeps every back-pointer of the text and reads the best path backwards from its end. The same path is
//! known much earlier: once the best paths into every tag of the latest token run through one and the same tag at an
//! earlier token, every tag up to that token is decided, whatever comes later. That happens within a few tokens in
//! practice, so only the undecided stretch is kept. A stretch longer than `MAX_PENDING` tokens (never seen in real
//! text) is cut by following the currently best tag, which bounds memory at the price of possibly differing from
//! the whole-text path there.
//!
//! Scores are shifted so that the best is zero after every token: the same decisions as slovnet's running sums,
//! without their float32 precision draining away over a long text.

use std::collections::VecDeque;

/// How often (in undecided tokens) to look for a decided prefix.
const CHECK_EVERY: usize = 16;
/// The longest undecided stretch kept.
const MAX_PENDING: usize = 4096;

pub(crate) struct Viterbi<'a> {
    /// `tags × tags`, from → to.
    transitions: &'a [f32],
    tags: usize,
    /// Best score of a path ending in each tag at the latest token.
    score: Vec<f32>,
    next_score: Vec<f32>,
    started: bool,
    /// For each undecided token after the first undecided one, the best previous tag of each tag.
    history: VecDeque<u8>,
    states: Vec<u8>,
}

impl<'a> Viterbi<'a> {
    /// `tags` must be at most 256 (checked when the model is loaded).
    pub(crate) fn new(transitions: &'a [f32], tags: usize) -> Viterbi<'a> {
        Viterbi {
            transitions,
            tags,
            score: vec![0.0; tags],
            next_score: vec![0.0; tags],
            started: false,
            history: VecDeque::new(),
            states: Vec::with_capacity(tags),
        }
    }

    /// Takes the next token's emissions; appends to `decided` the tags that became certain, in order.
    pub(crate) fn push(&mut self, emission: &[f32], decided: &mut Vec<u8>) {
        if !self.started {
            self.score.copy_from_slice(emission);
            self.started = true;
            return;
        }
        let tags = self.tags;
        for (to, &emitted) in emission.iter().enumerate().take(tags) {
            // The same operations in the same order as slovnet: (score + transition) + emission, first maximum.
            let mut best = 0;
            let mut best_value = f32::NEG_INFINITY;
            for from in 0..tags {
                let value = (self.score[from] + self.transitions[from * tags + to]) + emitted;
                if from == 0 || value > best_value {
                    best = from;
                    best_value = value;
                }
            }
            self.next_score[to] = best_value;
            self.history.push_back(best as u8);
        }
        let top = self.next_score.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        if top.is_finite() {
            for value in &mut self.next_score {
                *value -= top;
            }
        }
        std::mem::swap(&mut self.score, &mut self.next_score);
        let pending = self.history.len() / tags;
        if pending % CHECK_EVERY == 0 {
            self.decide_converged(decided);
        }
        if self.history.len() / tags > MAX_PENDING {
            self.trace_back(decided, false);
        }
    }

    /// The text ended: appends every remaining tag.
    pub(crate) fn finish(&mut self, decided: &mut Vec<u8>) {
        if self.started {
            self.trace_back(decided, true);
        }
        self.started = false;
    }

    fn best_tag(&self) -> u8 {
        let mut best = 0;
        for (tag, &value) in self.score.iter().enumerate() {
            if value > self.score[best] {
                best = tag;
            }
        }
        best as u8
    }

    /// Follows the back-pointers of entries `..entries` from `tag` at the token after them, writing the tags of
    /// the `entries` tokens before it... and that token itself when `include_last`.
    fn write_path(&self, entries: usize, mut tag: u8, include_last: bool, decided: &mut Vec<u8>) {
        let base = decided.len();
        let count = entries + usize::from(include_last);
        decided.resize(base + count, 0);
        let mut at = base + count;
        if include_last {
            at -= 1;
            decided[at] = tag;
        }
        for entry in (0..entries).rev() {
            tag = self.history[entry * self.tags + usize::from(tag)];
            at -= 1;
            decided[at] = tag;
        }
    }

    /// Decides the undecided tokens up to the latest one where all best paths meet.
    fn decide_converged(&mut self, decided: &mut Vec<u8>) {
        let tags = self.tags;
        let entries = self.history.len() / tags;
        self.states.clear();
        self.states.extend((0..tags).map(|tag| tag as u8));
        for entry in (0..entries).rev() {
            for state in &mut self.states {
                *state = self.history[entry * tags + usize::from(*state)];
            }
            let first = self.states[0];
            if self.states.iter().all(|&state| state == first) {
                // Entry `entry` leads into the token where the paths meet, at `first`; that token and the ones
                // before it are decided.
                self.write_path(entry, first, true, decided);
                self.history.drain(..(entry + 1) * tags);
                return;
            }
        }
    }

    /// Decides every undecided token by following the best tag of the latest one: all of them at the end of the
    /// text (`finish`), all but the latest when the stretch grew too long.
    fn trace_back(&mut self, decided: &mut Vec<u8>, finish: bool) {
        let entries = self.history.len() / self.tags;
        let best = self.best_tag();
        if finish {
            self.write_path(entries, best, true, decided);
        } else {
            let before = decided.len();
            self.write_path(entries, best, true, decided);
            // The latest token stays undecided: it starts the next stretch.
            decided.truncate(before + entries);
        }
        self.history.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The textbook Viterbi over the whole sequence, with slovnet's arithmetic, to compare the stream with.
    fn whole(transitions: &[f32], tags: usize, emissions: &[Vec<f32>]) -> Vec<u8> {
        let mut score = emissions[0].clone();
        let mut history = Vec::new();
        for emission in &emissions[1..] {
            let mut next = vec![0.0; tags];
            let mut back = vec![0u8; tags];
            for to in 0..tags {
                let mut best = 0;
                for from in 0..tags {
                    let value = score[from] + transitions[from * tags + to] + emission[to];
                    let best_value = score[best] + transitions[best * tags + to] + emission[to];
                    if value > best_value {
                        best = from;
                    }
                }
                next[to] = score[best] + transitions[best * tags + to] + emission[to];
                back[to] = best as u8;
            }
            score = next;
            history.push(back);
        }
        let mut tag = (0..tags).fold(0, |best, tag| if score[tag] > score[best] { tag } else { best }) as u8;
        let mut path = vec![tag];
        for back in history.iter().rev() {
            tag = back[usize::from(tag)];
            path.push(tag);
        }
        path.reverse();
        path
    }

    /// A small deterministic generator, so the test needs no dependency. Quarters from -2 to 2: every sum is exact
    /// in float32, so the shifted scores of the stream and the running sums of the reference round alike, ties
    /// included.
    fn numbers(seed: u64) -> impl FnMut() -> f32 {
        let mut state = seed;
        move || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((state >> 40) % 17) as f32 / 4.0 - 2.0
        }
    }

    #[test]
    fn the_streamed_path_is_the_whole_sequence_path() {
        let tags = 5;
        for seed in 0..40 {
            let mut next = numbers(seed);
            let transitions: Vec<f32> = (0..tags * tags).map(|_| next()).collect();
            let length = 1 + (seed as usize * 37) % 300;
            let emissions: Vec<Vec<f32>> = (0..length).map(|_| (0..tags).map(|_| next()).collect()).collect();
            let mut viterbi = Viterbi::new(&transitions, tags);
            let mut streamed = Vec::new();
            for emission in &emissions {
                viterbi.push(emission, &mut streamed);
            }
            viterbi.finish(&mut streamed);
            assert_eq!(streamed, whole(&transitions, tags, &emissions), "seed {seed}");
        }
    }

    #[test]
    fn an_endless_undecided_stretch_is_cut_at_its_bound() {
        // Two tags that never meet: staying in a tag is free, switching is ruinous, and the emissions favour neither.
        let transitions = [0.0, -100.0, -100.0, 0.0];
        let mut viterbi = Viterbi::new(&transitions, 2);
        let mut decided = Vec::new();
        for _ in 0..MAX_PENDING * 3 {
            viterbi.push(&[0.0, 0.0], &mut decided);
            assert!(viterbi.history.len() / 2 <= MAX_PENDING);
        }
        viterbi.finish(&mut decided);
        assert_eq!(decided.len(), MAX_PENDING * 3);
    }
}
