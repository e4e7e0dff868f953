//! The accounting check: every file on disk is exactly one top-level document, and every document finished.
//!
//! This is the promise dossier makes to a newsroom ("every file ends as ok, partial or failed with a reason, never
//! silently dropped"), so any violation fails the suite, whatever the accuracy figures say.

use std::collections::{BTreeMap, BTreeSet};

use crate::documents::Document;

/// What went wrong in one set; empty lists mean the set is fully accounted for.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Accounting {
    /// Files on disk with no depth-0 document.
    pub missing: Vec<String>,
    /// Files on disk with more than one depth-0 document, with the count.
    pub duplicated: Vec<(String, usize)>,
    /// Depth-0 documents whose path is no file of the set.
    pub unexpected: Vec<String>,
    /// Documents (any depth) still `pending`.
    pub pending: Vec<String>,
    /// Documents whose worker crashed, with the reason.
    pub crashed: Vec<(String, String)>,
    /// Documents whose worker was killed for taking too long, with the reason.
    pub timed_out: Vec<(String, String)>,
}

impl Accounting {
    pub fn check(files_on_disk: &[String], documents: &[Document]) -> Accounting {
        let mut top_level_count: BTreeMap<&str, usize> = BTreeMap::new();
        for document in documents.iter().filter(|document| document.depth == 0) {
            *top_level_count.entry(document.path.as_str()).or_default() += 1;
        }
        let on_disk: BTreeSet<&str> = files_on_disk.iter().map(String::as_str).collect();
        let mut accounting = Accounting::default();
        for &file in &on_disk {
            match top_level_count.get(file) {
                None => accounting.missing.push(file.to_owned()),
                Some(&1) => {}
                Some(&count) => accounting.duplicated.push((file.to_owned(), count)),
            }
        }
        accounting.unexpected =
            top_level_count.keys().filter(|path| !on_disk.contains(*path)).map(|path| (*path).to_owned()).collect();
        for document in documents {
            let reason = document.reason.as_deref().unwrap_or("");
            if document.state == "pending" {
                accounting.pending.push(document.path.clone());
            }
            if reason.starts_with("worker crashed") {
                accounting.crashed.push((document.path.clone(), reason.to_owned()));
            }
            if reason.starts_with("timed out") {
                accounting.timed_out.push((document.path.clone(), reason.to_owned()));
            }
        }
        accounting
    }

    pub fn n_unaccounted(&self) -> usize {
        self.missing.len() + self.duplicated.len() + self.unexpected.len() + self.pending.len()
    }

    pub fn is_clean(&self) -> bool {
        self.n_unaccounted() == 0 && self.crashed.is_empty() && self.timed_out.is_empty()
    }

    /// Lines naming every violation, at most `limit` per kind so that a zip bomb's 100,000 pending children do not
    /// drown the report.
    pub fn violation_lines(&self, limit: usize) -> Vec<String> {
        let mut lines = Vec::new();
        let mut section = |label: &str, entries: Vec<String>| {
            if entries.is_empty() {
                return;
            }
            lines.push(format!("{label}: {}", entries.len()));
            for entry in entries.iter().take(limit) {
                lines.push(format!("    {entry}"));
            }
            if entries.len() > limit {
                lines.push(format!("    ... and {} more", entries.len() - limit));
            }
        };
        section("missing (file with no top-level document)", self.missing.clone());
        section(
            "duplicated (file with several top-level documents)",
            self.duplicated.iter().map(|(path, count)| format!("{path} ({count} times)")).collect(),
        );
        section("unexpected (top-level document with no such file)", self.unexpected.clone());
        section("pending (never finished)", self.pending.clone());
        section("worker crashed", self.crashed.iter().map(|(path, reason)| format!("{path}: {reason}")).collect());
        section("timed out", self.timed_out.iter().map(|(path, reason)| format!("{path}: {reason}")).collect());
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document from a compact description: (path, depth, state, reason).
    fn document(id: i64, (path, depth, state, reason): (&str, u32, &str, &str)) -> Document {
        Document {
            id,
            path: path.to_owned(),
            format: None,
            state: state.to_owned(),
            reason: (!reason.is_empty()).then(|| reason.to_owned()),
            depth,
            parent_id: None,
            blake3: None,
            diagnostics: Vec::new(),
            metadata: serde_json::Value::Null,
            text: None,
        }
    }

    fn check(
        files: &[&str],
        documents: &[(&str, u32, &str, &str)],
        want_unaccounted: usize,
        want_clean: bool,
    ) -> Accounting {
        let files: Vec<String> = files.iter().map(|file| (*file).to_owned()).collect();
        let documents: Vec<Document> =
            documents.iter().enumerate().map(|(index, &row)| document(index as i64 + 1, row)).collect();
        let accounting = Accounting::check(&files, &documents);
        assert_eq!(accounting.n_unaccounted(), want_unaccounted, "{accounting:?}");
        assert_eq!(accounting.is_clean(), want_clean, "{accounting:?}");
        accounting
    }

    #[test]
    fn every_file_once_and_finished_is_clean() {
        check(
            &["/c/a.txt", "/c/b.zip"],
            &[
                ("/c/a.txt", 0, "ok", ""),
                ("/c/b.zip", 0, "partial", "x"),
                ("/c/b.zip!/m.txt", 1, "failed", "empty file"),
            ],
            0,
            true,
        );
    }

    #[test]
    fn a_failed_file_is_still_accounted_for() {
        check(&["/c/a.doc"], &[("/c/a.doc", 0, "failed", "unsupported format application/msword")], 0, true);
    }

    #[test]
    fn missing_duplicated_and_unexpected_files() {
        let accounting = check(
            &["/c/a", "/c/b", "/c/c"],
            &[("/c/a", 0, "ok", ""), ("/c/a", 0, "ok", ""), ("/c/z", 0, "ok", ""), ("/c/b!/c", 1, "ok", "")],
            4,
            false,
        );
        // A child with the same path suffix does not account for a top-level file.
        assert_eq!(accounting.missing, vec!["/c/b".to_owned(), "/c/c".to_owned()]);
        assert_eq!(accounting.duplicated, vec![("/c/a".to_owned(), 2)]);
        assert_eq!(accounting.unexpected, vec!["/c/z".to_owned()]);
    }

    #[test]
    fn pending_crashes_and_hangs_are_violations() {
        let accounting = check(
            &["/c/a", "/c/b", "/c/c"],
            &[
                ("/c/a", 0, "failed", "worker crashed (signal 11)"),
                ("/c/b", 0, "failed", "timed out after 60 s"),
                ("/c/c", 0, "ok", ""),
                ("/c/c!/x", 1, "pending", ""),
            ],
            1,
            false,
        );
        assert_eq!(accounting.pending, vec!["/c/c!/x".to_owned()]);
        assert_eq!(accounting.crashed.len(), 1);
        assert_eq!(accounting.timed_out.len(), 1);
        let lines = accounting.violation_lines(10);
        assert!(lines.iter().any(|line| line.contains("worker crashed (signal 11)")), "{lines:?}");
    }

    #[test]
    fn violation_lines_are_bounded() {
        let documents: Vec<(String, u32, &str, &str)> =
            (0..25).map(|index| (format!("/c/a!/{index}"), 1, "pending", "")).collect();
        let documents: Vec<(&str, u32, &str, &str)> =
            documents.iter().map(|(path, depth, state, reason)| (path.as_str(), *depth, *state, *reason)).collect();
        let mut rows = vec![("/c/a", 0, "ok", "")];
        rows.extend(documents);
        let accounting = check(&["/c/a"], &rows, 25, false);
        let lines = accounting.violation_lines(3);
        assert_eq!(lines.len(), 1 + 3 + 1, "{lines:?}");
        assert_eq!(lines.last().map(String::as_str), Some("    ... and 22 more"));
    }
}
