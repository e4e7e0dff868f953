//! Thresholds: the figures the suite must not fall below, ratcheted from measured runs.
//!
//! The file (`thresholds.json` beside Cargo.toml, compiled in; `--thresholds PATH` to use another) holds the minimum
//! recall per set and variant and the maximum number of failed top-level files per set. A variant absent from
//! `min_recall` is reported but not enforced (formats dossier does not read yet). `--write-thresholds PATH` writes the
//! figures of the current run, each recall floored to two decimals minus 0.01, so that noise does not fail the suite
//! while a real regression does.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub const BUILT_IN: &str = include_str!("../thresholds.json");

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Thresholds {
    #[serde(default)]
    pub comment: String,
    /// Set name, then variant, then minimum micro recall.
    #[serde(default)]
    pub min_recall: BTreeMap<String, BTreeMap<String, f64>>,
    /// Set name, then maximum number of failed top-level files.
    #[serde(default)]
    pub max_failed: BTreeMap<String, usize>,
}

impl Thresholds {
    pub fn parse(json: &str) -> anyhow::Result<Thresholds> {
        Ok(serde_json::from_str(json)?)
    }

    pub fn min_recall(&self, set_name: &str, variant: &str) -> Option<f64> {
        self.min_recall.get(set_name).and_then(|variants| variants.get(variant)).copied()
    }
}

/// The threshold written for a measured recall: a little below it, never negative.
pub fn ratchet(measured_recall: f64) -> f64 {
    let floored = (measured_recall * 100.0).floor() / 100.0 - 0.01;
    (floored.max(0.0) * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratchet_cases() {
        let cases = [(1.0, 0.99), (0.9876, 0.97), (0.5, 0.49), (0.009, 0.0), (0.0, 0.0), (0.011, 0.0)];
        for (measured, want) in cases {
            assert_eq!(ratchet(measured), want, "{measured}");
        }
    }

    #[test]
    fn built_in_thresholds_parse() {
        let thresholds = Thresholds::parse(BUILT_IN).expect("thresholds.json is valid");
        assert!(thresholds.max_failed.contains_key("cyrillic"));
        assert!(thresholds.min_recall("cyrillic", ".utf8.txt").is_some());
        // The scans are the OCR acceptance set: their recall is enforced like any other variant's.
        assert!(thresholds.min_recall("cyrillic", ".scan.pdf").is_some());
    }
}
