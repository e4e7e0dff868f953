//! Index lifecycle: replacing documents, the committed sequence, reopening, and format versions.

use dossier_index::{FORMAT_VERSION, Index, IndexDoc, IndexError};

use crate::ids;

fn doc<'a>(id: u64, text: &'a str, metadata: &'a serde_json::Value) -> IndexDoc<'a> {
    IndexDoc {
        id,
        parent_id: None,
        collection: "c",
        path: "/p/a.txt",
        name: "/p/a.txt",
        state: "ok",
        format: Some("text"),
        metadata,
        text,
        entities: &[],
    }
}

#[test]
fn adding_a_document_again_replaces_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let empty = serde_json::json!({});
    let mut index = Index::open(dir.path()).expect("open");
    index.add(&[doc(7, "первая версия", &empty)]).expect("add");
    index.commit(1).expect("commit");
    index.add(&[doc(7, "вторая версия", &empty)]).expect("add again");
    index.commit(2).expect("commit");
    assert_eq!(index.n_docs(), 1);
    assert_eq!(ids(&index, "вторая"), vec![7]);
    assert!(ids(&index, "первая").is_empty());
}

#[test]
fn the_committed_sequence_survives_reopening_and_uncommitted_work_does_not() {
    let dir = tempfile::tempdir().expect("temp dir");
    let empty = serde_json::json!({});
    {
        let mut index = Index::open(dir.path()).expect("open");
        assert_eq!(index.committed_seq().expect("seq"), 0);
        index.add(&[doc(1, "один", &empty)]).expect("add");
        index.commit(41).expect("commit");
        // Added but never committed: as after a crash.
        index.add(&[doc(2, "два", &empty)]).expect("add");
    }
    let index = Index::open(dir.path()).expect("reopen");
    assert_eq!(index.committed_seq().expect("seq"), 41);
    assert_eq!(index.n_docs(), 1);
}

#[test]
fn another_format_version_is_refused_until_recreated() {
    let dir = tempfile::tempdir().expect("temp dir");
    let empty = serde_json::json!({});
    {
        let mut index = Index::open(dir.path()).expect("open");
        index.add(&[doc(1, "один", &empty)]).expect("add");
        index.commit(1).expect("commit");
    }
    std::fs::write(dir.path().join("dossier-index-version"), "0").expect("write version");
    match Index::open(dir.path()) {
        Err(IndexError::Version { found, expected, .. }) => {
            assert_eq!((found.as_str(), expected), ("0", FORMAT_VERSION))
        }
        other => panic!("expected a version error, got {:?}", other.map(|_| ())),
    }
    let index = Index::recreate(dir.path()).expect("recreate");
    assert_eq!(index.n_docs(), 0);
}

#[test]
fn the_backlog_counts_what_waits_for_the_indexer_until_a_commit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let empty = serde_json::json!({});
    let mut index = Index::open(dir.path()).expect("open");
    assert_eq!(index.backlog_bytes(), 0);
    let text = "слово ".repeat(10_000);
    index.add(&[doc(1, &text, &empty), doc(2, &text, &empty)]).expect("add");
    assert!(index.backlog_bytes() >= 2 * text.len(), "{}", index.backlog_bytes());
    index.commit(2).expect("commit");
    assert_eq!(index.backlog_bytes(), 0);
    assert_eq!(index.n_docs(), 2);
}
