//! A document's bytes must be a function of its parent's bytes: its hash is cited as evidence and deduplicates a
//! re-ingest. A child written with a random MIME boundary or stamped with the time of extraction gets a new hash on
//! every run, so the formats sets are ingested a second time into a fresh data folder and every path's hashes are
//! compared with the first run's.

use std::collections::BTreeMap;

use crate::documents::Document;

/// A path whose documents did not get the same hashes in two runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HashDifference {
    pub path: String,
    pub first: Vec<String>,
    pub second: Vec<String>,
}

impl HashDifference {
    pub fn line(&self) -> String {
        let show = |hashes: &[String]| {
            let short: Vec<&str> = hashes
                .iter()
                .map(|hash| if hash.is_empty() { "(no bytes)" } else { hash.get(..12).unwrap_or(hash) })
                .collect();
            if short.is_empty() { "(absent)".to_owned() } else { short.join(",") }
        };
        format!("{}: {} then {}", self.path, show(&self.first), show(&self.second))
    }
}

/// The paths whose hashes differ between two runs over the same files, in path order. Several documents can share
/// a path (an archive holding two members of one name), so each path's hashes are compared as a sorted list; a
/// document without bytes counts as an empty hash.
pub fn compare_hashes(first: &[Document], second: &[Document]) -> Vec<HashDifference> {
    let (first, second) = (by_path(first), by_path(second));
    let mut paths: Vec<&str> = first.keys().chain(second.keys()).copied().collect();
    paths.sort_unstable();
    paths.dedup();
    paths
        .into_iter()
        .filter_map(|path| {
            let (a, b) = (first.get(path).cloned().unwrap_or_default(), second.get(path).cloned().unwrap_or_default());
            (a != b).then(|| HashDifference { path: path.to_owned(), first: a, second: b })
        })
        .collect()
}

/// Each path's hashes, sorted.
fn by_path(documents: &[Document]) -> BTreeMap<&str, Vec<String>> {
    let mut hashes: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for document in documents {
        hashes.entry(document.path.as_str()).or_default().push(document.blake3.clone().unwrap_or_default());
    }
    for list in hashes.values_mut() {
        list.sort();
    }
    hashes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(path: &str, blake3: Option<&str>) -> Document {
        Document {
            id: 0,
            path: path.to_owned(),
            format: None,
            state: "ok".to_owned(),
            reason: None,
            depth: 1,
            parent_id: None,
            blake3: blake3.map(str::to_owned),
            diagnostics: Vec::new(),
            metadata: serde_json::Value::Null,
            text: None,
        }
    }

    #[test]
    fn children_with_a_new_hash_on_every_run_are_listed() {
        let first = [
            document("a.pst!/Inbox/1.eml", Some("aaaa")),
            document("b.zip!/x", Some("1111")),
            document("b.zip!/x", Some("2222")),
            document("c.xls!/MBD0001.doc", Some("cccc")),
        ];
        let second = [
            document("a.pst!/Inbox/1.eml", Some("abab")),
            document("b.zip!/x", Some("2222")),
            document("b.zip!/x", Some("1111")),
            document("c.xls!/MBD0001.doc", Some("cccc")),
            document("d.pst!/Inbox/2.eml", None),
        ];
        let differences = compare_hashes(&first, &second);
        let paths: Vec<&str> = differences.iter().map(|difference| difference.path.as_str()).collect();
        assert_eq!(paths, ["a.pst!/Inbox/1.eml", "d.pst!/Inbox/2.eml"]);
        assert_eq!(differences[0].line(), "a.pst!/Inbox/1.eml: aaaa then abab");
        assert_eq!(differences[1].line(), "d.pst!/Inbox/2.eml: (absent) then (no bytes)");
    }
}
