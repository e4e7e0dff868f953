//! Training a linear-chain CRF: the weights that make the gold tags most likely, the likelihood's gradient given by
//! forward-backward over each sentence, steps by AdaGrad (a step size per weight, shrinking as its gradients add up)
//! with an L2 penalty on the weights a sentence touches. The tag order rules are the same hard constraints as in
//! decoding, so no probability is spent on sequences that can never be chosen.

use crate::tags::{TAGS, allowed};
use crate::train::{Example, Random, TrainOptions, dense};
use crate::weights::{Row, Weights};

/// One weight with AdaGrad's sum of squared gradients.
#[derive(Clone, Copy, Default)]
struct Parameter {
    value: f64,
    squares: f64,
}

impl Parameter {
    fn step(&mut self, gradient: f64, options: &TrainOptions) {
        let gradient = gradient + options.l2 * self.value;
        self.squares += gradient * gradient;
        self.value -= options.learning_rate * gradient / (self.squares.sqrt() + 1e-8);
    }
}

fn log_sum_exp(values: impl Iterator<Item = f64>) -> f64 {
    let values: Vec<f64> = values.collect();
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if max == f64::NEG_INFINITY {
        return max;
    }
    max + values.iter().map(|v| (v - max).exp()).sum::<f64>().ln()
}

pub(crate) fn train(examples: &[Example], options: &TrainOptions, mut progress: impl FnMut(usize, usize)) -> Weights {
    let data = dense(examples);
    let mut emission = vec![Parameter::default(); data.hashes.len() * TAGS];
    let mut start = [Parameter::default(); TAGS];
    let mut transitions = [[Parameter::default(); TAGS]; TAGS];
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut random = Random(options.seed);
    let start_allowed: [bool; TAGS] = std::array::from_fn(|tag| allowed(None, tag as u8));
    let transition_allowed: [[bool; TAGS]; TAGS] =
        std::array::from_fn(|from| std::array::from_fn(|to| allowed(Some(from as u8), to as u8)));
    for epoch in 0..options.epochs {
        random.shuffle(&mut order);
        let mut loss = 0.0;
        for &sentence in &order {
            let gold = &examples[sentence].tags;
            let n = gold.len();
            if n == 0 {
                continue;
            }
            let ids = &data.ids[sentence];
            let starts = &data.starts[sentence];
            let scores: Vec<[f64; TAGS]> = (0..n)
                .map(|token| {
                    let mut row = [0.0; TAGS];
                    for &id in &ids[starts[token]..starts[token + 1]] {
                        for (tag, score) in row.iter_mut().enumerate() {
                            *score += emission[id as usize * TAGS + tag].value;
                        }
                    }
                    row
                })
                .collect();
            let start_scores: [f64; TAGS] =
                std::array::from_fn(|tag| if start_allowed[tag] { start[tag].value } else { f64::NEG_INFINITY });
            let transition_scores: [[f64; TAGS]; TAGS] = std::array::from_fn(|from| {
                std::array::from_fn(|to| {
                    if transition_allowed[from][to] { transitions[from][to].value } else { f64::NEG_INFINITY }
                })
            });
            let mut alpha = vec![[0.0; TAGS]; n];
            alpha[0] = std::array::from_fn(|tag| start_scores[tag] + scores[0][tag]);
            for token in 1..n {
                for tag in 0..TAGS {
                    alpha[token][tag] =
                        log_sum_exp((0..TAGS).map(|from| alpha[token - 1][from] + transition_scores[from][tag]))
                            + scores[token][tag];
                }
            }
            let mut beta = vec![[0.0; TAGS]; n];
            for token in (0..n - 1).rev() {
                for from in 0..TAGS {
                    beta[token][from] = log_sum_exp(
                        (0..TAGS).map(|to| transition_scores[from][to] + scores[token + 1][to] + beta[token + 1][to]),
                    );
                }
            }
            let log_z = log_sum_exp(alpha[n - 1].iter().copied());
            let mut gold_score = start_scores[usize::from(gold[0])];
            for token in 0..n {
                gold_score += scores[token][usize::from(gold[token])];
                if token > 0 {
                    gold_score += transition_scores[usize::from(gold[token - 1])][usize::from(gold[token])];
                }
            }
            loss += log_z - gold_score;
            // Gradients of the negative log-likelihood: expected counts minus gold counts.
            for token in 0..n {
                let marginals: Row =
                    std::array::from_fn(|tag| (alpha[token][tag] + beta[token][tag] - log_z).exp() as f32);
                let mut gradient = [0.0f64; TAGS];
                for tag in 0..TAGS {
                    gradient[tag] = f64::from(marginals[tag]) - f64::from(u8::from(usize::from(gold[token]) == tag));
                }
                for &id in &ids[starts[token]..starts[token + 1]] {
                    for tag in 0..TAGS {
                        if gradient[tag] != 0.0 {
                            emission[id as usize * TAGS + tag].step(gradient[tag], options);
                        }
                    }
                }
                if token == 0 {
                    for tag in 0..TAGS {
                        if start_allowed[tag] {
                            start[tag].step(gradient[tag], options);
                        }
                    }
                } else {
                    for from in 0..TAGS {
                        for to in 0..TAGS {
                            if !transition_allowed[from][to] {
                                continue;
                            }
                            let pair = (alpha[token - 1][from]
                                + transition_scores[from][to]
                                + scores[token][to]
                                + beta[token][to]
                                - log_z)
                                .exp();
                            let observed = usize::from(gold[token - 1]) == from && usize::from(gold[token]) == to;
                            transitions[from][to].step(pair - f64::from(u8::from(observed)), options);
                        }
                    }
                }
            }
        }
        progress(epoch + 1, loss.round() as usize);
    }
    let mut weights = Weights {
        start: start.map(|p| p.value as f32),
        transitions: transitions.map(|row| row.map(|p| p.value as f32)),
        ..Weights::default()
    };
    for (id, &hash) in data.hashes.iter().enumerate() {
        let row: Row = std::array::from_fn(|tag| emission[id * TAGS + tag].value as f32);
        if row.iter().any(|w| w.abs() > 1e-4) {
            weights.rows.insert(hash, row);
        }
    }
    weights
}
