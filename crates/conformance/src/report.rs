//! Plain-text tables of one set's outcome: documents per format, top failure reasons, accuracy per variant.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::documents::Document;
use crate::ground_truth::VariantScore;

/// Outcome counts of one format.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct OutcomeCounts {
    pub n_files: usize,
    pub n_ok: usize,
    pub n_partial: usize,
    pub n_failed: usize,
    pub n_pending: usize,
}

impl OutcomeCounts {
    fn add(&mut self, state: &str) {
        self.n_files += 1;
        match state {
            "ok" => self.n_ok += 1,
            "partial" => self.n_partial += 1,
            "failed" => self.n_failed += 1,
            _ => self.n_pending += 1,
        }
    }
}

/// Counts per format of the given documents, most frequent format first, and the total.
pub fn counts_by_format<'a>(
    documents: impl Iterator<Item = &'a Document>,
) -> (Vec<(String, OutcomeCounts)>, OutcomeCounts) {
    let mut by_format: BTreeMap<&str, OutcomeCounts> = BTreeMap::new();
    let mut total = OutcomeCounts::default();
    for document in documents {
        by_format.entry(document.format_or_unknown()).or_default().add(&document.state);
        total.add(&document.state);
    }
    let mut rows: Vec<(String, OutcomeCounts)> =
        by_format.into_iter().map(|(format, counts)| (format.to_owned(), counts)).collect();
    rows.sort_by(|a, b| b.1.n_files.cmp(&a.1.n_files).then_with(|| a.0.cmp(&b.0)));
    (rows, total)
}

pub fn format_table(title: &str, documents: &[&Document]) -> String {
    let (rows, total) = counts_by_format(documents.iter().copied());
    let mut out = String::new();
    let _ = writeln!(out, "  {title}");
    if rows.is_empty() {
        let _ = writeln!(out, "    (none)");
        return out;
    }
    let with_pending = total.n_pending > 0;
    let _ = write!(out, "    {:<14} {:>7} {:>7} {:>7} {:>7}", "format", "files", "ok", "partial", "failed");
    let _ = writeln!(out, "{}", if with_pending { format!(" {:>7}", "pending") } else { String::new() });
    for (format, counts) in rows.iter().map(|(format, counts)| (format.as_str(), counts)).chain([("TOTAL", &total)]) {
        let _ = write!(
            out,
            "    {:<14} {:>7} {:>7} {:>7} {:>7}",
            format,
            thousands(counts.n_files),
            thousands(counts.n_ok),
            thousands(counts.n_partial),
            thousands(counts.n_failed)
        );
        let _ = writeln!(
            out,
            "{}",
            if with_pending { format!(" {:>7}", thousands(counts.n_pending)) } else { String::new() }
        );
    }
    out
}

/// The most frequent (state, format, reason) triples among documents that are not `ok`; a partial document's reason
/// is its first diagnostic.
pub fn top_reasons(documents: &[&Document], limit: usize) -> Vec<(usize, String)> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for document in documents.iter().filter(|document| document.state == "failed" || document.state == "partial") {
        let reason = document.reason_or_diagnostic().unwrap_or_else(|| "(no reason given)".to_owned());
        let reason = shorten(&numbers_as_n(&reason), 100);
        *counts.entry(format!("{} {}: {reason}", document.state, document.format_or_unknown())).or_default() += 1;
    }
    let mut ranked: Vec<(usize, String)> = counts.into_iter().map(|(reason, count)| (count, reason)).collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    ranked.truncate(limit);
    ranked
}

pub fn reasons_block(title: &str, documents: &[&Document], limit: usize) -> String {
    let reasons = top_reasons(documents, limit);
    let mut out = String::new();
    if reasons.is_empty() {
        return out;
    }
    let _ = writeln!(out, "  {title}");
    for (count, reason) in reasons {
        let _ = writeln!(out, "    {:>6}  {reason}", thousands(count));
    }
    out
}

/// One line per variant; `enforced` gives the minimum recall where one applies.
pub fn accuracy_table(scores: &[VariantScore], min_recall: impl Fn(&str) -> Option<f64>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "  accuracy (bag of words, micro)");
    let _ = writeln!(
        out,
        "    {:<16} {:>6} {:>8} {:>9} {:>8} {:>9} {:>10}",
        "variant", "files", "ok+text", "words", "recall", "precision", "min recall"
    );
    for score in scores.iter().filter(|score| score.n_files > 0) {
        let threshold = match min_recall(&score.variant) {
            Some(minimum) => format!("{minimum:.2}"),
            None => "-".to_owned(),
        };
        let _ = writeln!(
            out,
            "    {:<16} {:>6} {:>8} {:>9} {:>8.3} {:>9.3} {:>10}",
            score.variant,
            thousands(score.n_files),
            thousands(score.n_with_text),
            thousands(score.counts.n_expected as usize),
            score.counts.recall(),
            score.counts.precision(),
            threshold
        );
    }
    for score in scores.iter().filter(|score| score.n_empty_on_disk > 0) {
        let _ = writeln!(
            out,
            "    ({} {} files are empty on disk and left out)",
            thousands(score.n_empty_on_disk),
            score.variant
        );
    }
    out
}

/// "no text layer on any of the 3 pages" and "... of the 5 pages" are one cause: numbers standing alone become N for
/// grouping ("7z", "jp2" and "iso9660" are names and stay).
fn numbers_as_n(reason: &str) -> String {
    let characters: Vec<char> = reason.chars().collect();
    let mut grouped = String::with_capacity(reason.len());
    let mut index = 0;
    while index < characters.len() {
        let starts_word = index == 0 || !characters[index - 1].is_alphanumeric();
        if starts_word && characters[index].is_ascii_digit() {
            let end =
                (index..characters.len()).find(|&at| !characters[at].is_ascii_digit()).unwrap_or(characters.len());
            if end == characters.len() || !characters[end].is_alphanumeric() {
                grouped.push('N');
                index = end;
                continue;
            }
        }
        grouped.push(characters[index]);
        index += 1;
    }
    grouped
}

pub fn shorten(text: &str, max_chars: usize) -> String {
    let single_line: String =
        text.chars().map(|character| if character.is_control() { ' ' } else { character }).collect();
    if single_line.chars().count() <= max_chars {
        return single_line;
    }
    let mut shortened: String = single_line.chars().take(max_chars - 1).collect();
    shortened.push('…');
    shortened
}

/// 1234567 as "1,234,567".
pub fn thousands(number: usize) -> String {
    let digits = number.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(format: Option<&str>, state: &str, reason: Option<&str>) -> Document {
        Document {
            id: 1,
            path: "/x".to_owned(),
            format: format.map(str::to_owned),
            state: state.to_owned(),
            reason: reason.map(str::to_owned),
            depth: 0,
            parent_id: None,
            blake3: None,
            diagnostics: Vec::new(),
            metadata: serde_json::Value::Null,
            text: None,
        }
    }

    #[test]
    fn numbers_as_n_cases() {
        assert_eq!(numbers_as_n("no text layer on any of the 12 pages"), "no text layer on any of the N pages");
        assert_eq!(numbers_as_n("timed out after 60 s"), "timed out after N s");
        assert_eq!(numbers_as_n("unsupported format image/jp2"), "unsupported format image/jp2");
        assert_eq!(numbers_as_n("all 1 7z members are encrypted"), "all N 7z members are encrypted");
        assert_eq!(numbers_as_n("42"), "N");
    }

    #[test]
    fn thousands_cases() {
        for (number, want) in [(0, "0"), (999, "999"), (1000, "1,000"), (1234567, "1,234,567"), (100000, "100,000")] {
            assert_eq!(thousands(number), want);
        }
    }

    #[test]
    fn counts_by_format_groups_unknown_and_ranks() {
        let documents = [
            document(Some("pdf"), "ok", None),
            document(None, "failed", Some("empty file")),
            document(Some("pdf"), "failed", Some("encrypted")),
            document(Some("pdf"), "partial", Some("x")),
            document(Some("doc"), "pending", None),
        ];
        let (rows, total) = counts_by_format(documents.iter());
        assert_eq!(rows[0].0, "pdf");
        assert_eq!(rows[0].1, OutcomeCounts { n_files: 3, n_ok: 1, n_partial: 1, n_failed: 1, n_pending: 0 });
        assert_eq!(rows.iter().map(|row| row.0.as_str()).collect::<Vec<_>>(), ["pdf", "doc", "unknown"]);
        assert_eq!(total, OutcomeCounts { n_files: 5, n_ok: 1, n_partial: 1, n_failed: 2, n_pending: 1 });
        let references: Vec<&Document> = documents.iter().collect();
        let reasons = top_reasons(&references, 10);
        assert_eq!(reasons.len(), 3);
        assert!(reasons.contains(&(1, "failed unknown: empty file".to_owned())));
    }
}
