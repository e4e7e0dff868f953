//! Word-level bag-of-words comparison of extracted text with ground truth.
//!
//! Reading order, line breaks and whitespace differ legitimately between extractors (a PDF has no "right" order for
//! two columns), so the suite compares multisets of words: recall says how much of the true text came out, precision
//! how much of what came out is true text. Both are aggregated "micro" style (total matched words over total words) so
//! that long documents weigh more than one-line ones.

use std::collections::HashMap;

/// Splits text into lower-case words: maximal runs of alphanumeric Unicode characters.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|character: char| !character.is_alphanumeric()).filter(|word| !word.is_empty()).map(str::to_lowercase)
}

/// The counts behind recall and precision; they add up across documents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WordCounts {
    /// Words in the ground truth.
    pub n_expected: u64,
    /// Words in the extracted text.
    pub n_extracted: u64,
    /// Size of the multiset intersection of both.
    pub n_matched: u64,
}

impl WordCounts {
    /// Compares one extracted text with its ground truth.
    pub fn compare(expected: &str, extracted: &str) -> WordCounts {
        let mut expected_bag: HashMap<String, u64> = HashMap::new();
        let mut n_expected = 0;
        for word in words(expected) {
            *expected_bag.entry(word).or_default() += 1;
            n_expected += 1;
        }
        let mut n_extracted = 0;
        let mut n_matched = 0;
        for word in words(extracted) {
            n_extracted += 1;
            if let Some(remaining) = expected_bag.get_mut(&word)
                && *remaining > 0
            {
                *remaining -= 1;
                n_matched += 1;
            }
        }
        WordCounts { n_expected, n_extracted, n_matched }
    }

    /// Ground truth with nothing extracted (a failed or missing document): counts against recall only.
    pub fn nothing_extracted(expected: &str) -> WordCounts {
        WordCounts { n_expected: words(expected).count() as u64, n_extracted: 0, n_matched: 0 }
    }

    pub fn add(&mut self, other: WordCounts) {
        self.n_expected += other.n_expected;
        self.n_extracted += other.n_extracted;
        self.n_matched += other.n_matched;
    }

    /// Matched over expected; 1.0 when there was nothing to find (an empty truth cannot be missed).
    pub fn recall(&self) -> f64 {
        ratio(self.n_matched, self.n_expected)
    }

    /// Matched over extracted; 1.0 when nothing was extracted (nothing false was said).
    pub fn precision(&self) -> f64 {
        ratio(self.n_matched, self.n_extracted)
    }
}

fn ratio(numerator: u64, denominator: u64) -> f64 {
    if denominator == 0 { 1.0 } else { numerator as f64 / denominator as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(expected: &str, extracted: &str, want: (u64, u64, u64)) {
        let counts = WordCounts::compare(expected, extracted);
        assert_eq!(
            (counts.n_expected, counts.n_extracted, counts.n_matched),
            want,
            "expected {expected:?} extracted {extracted:?}"
        );
    }

    #[test]
    fn word_counts_cases() {
        // (ground truth, extracted, (expected words, extracted words, matched))
        let cases: &[(&str, &str, (u64, u64, u64))] = &[
            ("", "", (0, 0, 0)),
            ("one two three", "one two three", (3, 3, 3)),
            ("one two three", "three  two\n\none", (3, 3, 3)),
            ("Москва, 4 авг - РИА", "москва 4 АВГ риа", (4, 4, 4)),
            ("статс-секретарь", "статс секретарь", (2, 2, 2)),
            ("a a a b", "a b b", (4, 3, 2)),
            ("a b", "", (2, 0, 0)),
            ("", "noise noise", (0, 2, 0)),
            ("Ґрунт і їжа", "ґрунт І ЇЖА", (3, 3, 3)),
            ("12:08 04/08/2008", "12 08 04 08 2008", (5, 5, 5)),
            ("don't", "don t", (2, 2, 2)),
        ];
        for &(expected, extracted, want) in cases {
            check(expected, extracted, want);
        }
    }

    #[test]
    fn ratios_and_aggregation() {
        let mut total = WordCounts::default();
        total.add(WordCounts::compare("a b c d", "a b"));
        total.add(WordCounts::compare("e f", "e f g h"));
        assert_eq!(total, WordCounts { n_expected: 6, n_extracted: 6, n_matched: 4 });
        assert!((total.recall() - 4.0 / 6.0).abs() < 1e-12);
        assert!((total.precision() - 4.0 / 6.0).abs() < 1e-12);
        let failed = WordCounts::nothing_extracted("x y z");
        assert_eq!(failed.recall(), 0.0);
        assert_eq!(failed.precision(), 1.0);
        assert_eq!(WordCounts::default().recall(), 1.0);
    }
}
