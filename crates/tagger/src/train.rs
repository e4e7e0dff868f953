//! Training: the averaged structured perceptron (Collins 2002). Each sentence is decoded with the current weights;
//! where the best tags differ from the gold ones, the gold tags' features and transitions gain one and the predicted
//! ones lose one. The weights kept are the average over every step, which generalises far better than the last ones.
//! Sentences are visited in an order shuffled by a fixed seed, so the same data and options give the same weights.

use crate::decode::viterbi;
use crate::features::SentenceFeatures;
use crate::tags::TAGS;
use crate::weights::{HashIndex, Row, Weights};

/// A sentence with its gold tags, one per token.
pub struct Example {
    pub features: SentenceFeatures,
    pub tags: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct TrainOptions {
    pub algorithm: Algorithm,
    pub epochs: usize,
    pub seed: u64,
    /// The CRF's step size (AdaGrad's learning rate).
    pub learning_rate: f64,
    /// The CRF's L2 penalty per sentence seen.
    pub l2: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// The averaged structured perceptron.
    Perceptron,
    /// A linear-chain CRF: the log-likelihood of the gold tags, by AdaGrad over single sentences.
    Crf,
}

impl Default for TrainOptions {
    fn default() -> TrainOptions {
        TrainOptions { algorithm: Algorithm::Perceptron, epochs: 12, seed: 13, learning_rate: 0.1, l2: 1e-4 }
    }
}

/// A parameter and the running sum that gives its average: `total` accumulates `step × change`, so that the average
/// over `steps` is `value - total / steps` (Daumé's trick: no pass over every weight at every step).
#[derive(Clone, Copy, Default)]
struct Averaged {
    value: f32,
    total: f64,
}

impl Averaged {
    fn add(&mut self, change: f32, step: u64) {
        self.value += change;
        self.total += step as f64 * f64::from(change);
    }

    fn average(&self, steps: u64) -> f32 {
        (f64::from(self.value) - self.total / steps as f64) as f32
    }
}

/// Feature hashes of the training data as dense ids, so that weights are a flat array while training.
pub(crate) struct Dense {
    pub(crate) ids: Vec<Vec<u32>>,
    pub(crate) starts: Vec<Vec<usize>>,
    pub(crate) hashes: Vec<u64>,
}

pub(crate) fn dense(examples: &[Example]) -> Dense {
    let mut index: HashIndex<u32> = HashIndex::default();
    let mut hashes = Vec::new();
    let mut ids = Vec::with_capacity(examples.len());
    let mut starts = Vec::with_capacity(examples.len());
    for example in examples {
        let mut sentence_ids = Vec::new();
        let mut sentence_starts = vec![0];
        for token in 0..example.features.len() {
            for &hash in example.features.token(token) {
                let id = *index.entry(hash).or_insert_with(|| {
                    hashes.push(hash);
                    (hashes.len() - 1) as u32
                });
                sentence_ids.push(id);
            }
            sentence_starts.push(sentence_ids.len());
        }
        ids.push(sentence_ids);
        starts.push(sentence_starts);
    }
    Dense { ids, starts, hashes }
}

/// splitmix64: a small, fixed pseudo-random sequence for the visiting order.
pub(crate) struct Random(pub(crate) u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// Trains on `examples`; `progress` is told each finished epoch and its count of wrongly tagged tokens (for the
/// perceptron) or its negative log-likelihood rounded (for the CRF).
pub fn train(examples: &[Example], options: &TrainOptions, progress: impl FnMut(usize, usize)) -> Weights {
    match options.algorithm {
        Algorithm::Perceptron => train_perceptron(examples, options, progress),
        Algorithm::Crf => crate::crf::train(examples, options, progress),
    }
}

fn train_perceptron(examples: &[Example], options: &TrainOptions, mut progress: impl FnMut(usize, usize)) -> Weights {
    let data = dense(examples);
    let mut emission = vec![Averaged::default(); data.hashes.len() * TAGS];
    let mut start = [Averaged::default(); TAGS];
    let mut transitions = [[Averaged::default(); TAGS]; TAGS];
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut random = Random(options.seed);
    let mut step: u64 = 1;
    let mut scores: Vec<Row> = Vec::new();
    for epoch in 0..options.epochs {
        random.shuffle(&mut order);
        let mut wrong = 0;
        for &sentence in &order {
            let gold = &examples[sentence].tags;
            let ids = &data.ids[sentence];
            let starts = &data.starts[sentence];
            scores.clear();
            for token in 0..gold.len() {
                let mut row = [0.0; TAGS];
                for &id in &ids[starts[token]..starts[token + 1]] {
                    let weights = &emission[id as usize * TAGS..(id as usize + 1) * TAGS];
                    for (score, weight) in row.iter_mut().zip(weights) {
                        *score += weight.value;
                    }
                }
                scores.push(row);
            }
            let start_row = start.map(|a| a.value);
            let transition_rows = transitions.map(|row| row.map(|a| a.value));
            let predicted = viterbi(&scores, &start_row, &transition_rows);
            if predicted != *gold {
                for token in 0..gold.len() {
                    let (g, p) = (usize::from(gold[token]), usize::from(predicted[token]));
                    if g != p {
                        wrong += 1;
                        for &id in &ids[starts[token]..starts[token + 1]] {
                            emission[id as usize * TAGS + g].add(1.0, step);
                            emission[id as usize * TAGS + p].add(-1.0, step);
                        }
                    }
                    let gold_previous = token.checked_sub(1).map(|t| usize::from(gold[t]));
                    let predicted_previous = token.checked_sub(1).map(|t| usize::from(predicted[t]));
                    if (gold_previous, g) != (predicted_previous, p) {
                        match gold_previous {
                            None => start[g].add(1.0, step),
                            Some(previous) => transitions[previous][g].add(1.0, step),
                        }
                        match predicted_previous {
                            None => start[p].add(-1.0, step),
                            Some(previous) => transitions[previous][p].add(-1.0, step),
                        }
                    }
                }
            }
            step += 1;
        }
        progress(epoch + 1, wrong);
    }
    let mut weights = Weights {
        start: start.map(|a| a.average(step)),
        transitions: transitions.map(|row| row.map(|a| a.average(step))),
        ..Weights::default()
    };
    for (id, &hash) in data.hashes.iter().enumerate() {
        let row: Row = std::array::from_fn(|tag| emission[id * TAGS + tag].average(step));
        if row.iter().any(|w| w.abs() > 1e-6) {
            weights.rows.insert(hash, row);
        }
    }
    weights
}
