//! Exact-span scoring: a predicted span counts only if its kind, start and end all equal a gold span's.

use std::collections::{BTreeMap, HashSet};

use dossier_ner::Kind;

use crate::corpus::Span;

#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub gold: usize,
    pub predicted: usize,
    pub correct: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold)
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Counts per kind and overall (micro-averaged).
#[derive(Debug, Default, Clone)]
pub struct Score {
    pub by_kind: BTreeMap<Kind, Counts>,
}

impl Score {
    pub fn add(&mut self, gold: &[Span], predicted: &[Span]) {
        let gold_set: HashSet<&Span> = gold.iter().collect();
        for span in gold {
            self.by_kind.entry(span.kind).or_default().gold += 1;
        }
        for span in predicted {
            let counts = self.by_kind.entry(span.kind).or_default();
            counts.predicted += 1;
            if gold_set.contains(span) {
                counts.correct += 1;
            }
        }
    }

    pub fn overall(&self) -> Counts {
        self.by_kind.values().fold(Counts::default(), |sum, c| Counts {
            gold: sum.gold + c.gold,
            predicted: sum.predicted + c.predicted,
            correct: sum.correct + c.correct,
        })
    }

    /// Rows of `name  kind  P  R  F1  gold predicted correct`.
    pub fn print(&self, name: &str) {
        let mut rows: Vec<(String, Counts)> =
            self.by_kind.iter().map(|(kind, counts)| (kind.code().to_string(), *counts)).collect();
        rows.push(("all".to_string(), self.overall()));
        for (kind, c) in rows {
            println!(
                "{name:<22} {kind:<4} P {:.3}  R {:.3}  F1 {:.3}   (gold {}, found {}, exact {})",
                c.precision(),
                c.recall(),
                c.f1(),
                c.gold,
                c.predicted,
                c.correct
            );
        }
    }
}
