//! Tests of the SQLite catalog's bookkeeping.

use super::*;
use crate::{Failure, NewChild, TreeUsage};
use dossier_document::Metadata;

fn blob(n: u8) -> Blob {
    Blob { blake3: format!("{n:02x}").repeat(32), sha256: format!("{n:02x}").repeat(32), size: n as u64 }
}

fn root<'a>(collection: CollectionId, path: &'a str, blob: Option<&'a Blob>) -> NewRoot<'a> {
    NewRoot { collection, source_path: path, blob, failure: None, command: "dossier ingest" }
}

fn done(children: Vec<NewChild>) -> DocResult {
    DocResult {
        state: State::Ok,
        format: Some(dossier_document::Format::Zip),
        text: "listing".into(),
        metadata: Metadata::default(),
        diagnostics: vec![],
        failure: None,
        children,
    }
}

#[test]
fn adding_the_same_root_twice_is_a_no_op() {
    let mut catalog = SqliteCatalog::open_in_memory().expect("catalog");
    let collection = catalog.ensure_collection("leak").expect("collection");
    assert_eq!(catalog.ensure_collection("leak").expect("again"), collection);
    let a = blob(1);
    let (id, new) = catalog.add_root(&root(collection, "a.zip", Some(&a))).expect("add");
    assert!(new);
    assert_eq!(catalog.add_root(&root(collection, "a.zip", Some(&a))).expect("re-add"), (id, false));
    // Changed content at the same path is a new document.
    let b = blob(2);
    assert!(catalog.add_root(&root(collection, "a.zip", Some(&b))).expect("new content").1);
    assert_eq!(catalog.status().expect("status").totals.pending, 2);
}

#[test]
fn finishing_records_children_once_and_they_become_pending() {
    let mut catalog = SqliteCatalog::open_in_memory().expect("catalog");
    let collection = catalog.ensure_collection("leak").expect("collection");
    let zip = blob(1);
    let (id, _) = catalog.add_root(&root(collection, "a.zip", Some(&zip))).expect("add");
    let child = |name: &str, n: u8, failure: Option<Failure>| NewChild {
        name: name.into(),
        kind: "member".into(),
        modified: None,
        blob: blob(n),
        failure,
    };
    let too_deep = Failure { summary: "limit exceeded: nesting depth".into(), detail: "nesting depth 13 > 12".into() };
    let result = done(vec![child("x.txt", 2, None), child("deep.zip", 3, Some(too_deep))]);
    catalog.finish(id, &result).expect("finish");
    catalog.finish(id, &result).expect("finishing again (a re-run after a crash) adds nothing");

    let pending = catalog.pending(collection, 0, 10).expect("pending");
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].name, "x.txt");
    assert_eq!(pending[0].depth, 1);
    let status = catalog.status().expect("status");
    assert_eq!(status.totals, Counts { documents: 3, ok: 1, partial: 0, failed: 1, pending: 1 });
    assert_eq!(status.failure_reasons, vec![ReasonCount { reason: "limit exceeded: nesting depth".into(), count: 1 }]);
    let failures = catalog.failures(Some("leak")).expect("failures");
    assert_eq!(failures[0].path, "a.zip!/deep.zip");
    assert_eq!(catalog.text(id).expect("text").as_deref(), Some("listing"));
}

#[test]
fn unreadable_files_are_accounted_and_not_retried_from_the_vault() {
    let mut catalog = SqliteCatalog::open_in_memory().expect("catalog");
    let collection = catalog.ensure_collection("leak").expect("collection");
    let mut unreadable = root(collection, "locked.doc", None);
    unreadable.failure = Some(Failure { summary: "I/O error".into(), detail: "permission denied".into() });
    catalog.add_root(&unreadable).expect("add");
    assert_eq!(catalog.status().expect("status").totals.failed, 1);
    assert_eq!(catalog.reset_failed(collection).expect("reset"), 0);
    assert!(catalog.pending(collection, 0, 10).expect("pending").is_empty());
}

#[test]
fn tree_usage_adds_up_descendants_once() {
    let mut catalog = SqliteCatalog::open_in_memory().expect("catalog");
    let collection = catalog.ensure_collection("leak").expect("collection");
    let zip = blob(100);
    let (root_id, _) = catalog.add_root(&root(collection, "outer.zip", Some(&zip))).expect("add");
    let child = |name: &str, n: u8| NewChild {
        name: name.into(),
        kind: "member".into(),
        modified: None,
        blob: blob(n),
        failure: None,
    };
    let result = done(vec![child("inner.zip", 10), child("a.txt", 5)]);
    catalog.finish(root_id, &result).expect("finish");
    catalog.finish(root_id, &result).expect("finishing again counts nothing twice");
    assert_eq!(catalog.tree_usage(root_id).expect("usage"), TreeUsage { unpacked_bytes: 15, entries: 2 });

    let inner = catalog
        .pending(collection, 0, 10)
        .expect("pending")
        .into_iter()
        .find(|d| d.name == "inner.zip")
        .expect("inner");
    assert_eq!((inner.root_id, inner.root_size), (root_id, 100));
    catalog.finish(inner.id, &done(vec![child("b.txt", 7)])).expect("finish inner");
    assert_eq!(catalog.tree_usage(root_id).expect("usage"), TreeUsage { unpacked_bytes: 22, entries: 3 });
    let grandchild =
        catalog.pending(collection, 0, 10).expect("pending").into_iter().find(|d| d.name == "b.txt").expect("b");
    assert_eq!(grandchild.root_id, root_id);
}

#[test]
fn finished_documents_follow_one_sequence_for_the_index() {
    let mut catalog = SqliteCatalog::open_in_memory().expect("catalog");
    let collection = catalog.ensure_collection("leak").expect("collection");
    assert_eq!(catalog.last_seq().expect("seq"), 0);
    let unreadable = NewRoot {
        failure: Some(Failure { summary: "I/O error".into(), detail: "permission denied".into() }),
        ..root(collection, "locked.doc", None)
    };
    let (locked, _) = catalog.add_root(&unreadable).expect("add failed root");
    let zip = blob(1);
    let (id, _) = catalog.add_root(&root(collection, "a.zip", Some(&zip))).expect("add");
    // Pending documents are not indexable yet; a file that failed at the walk is.
    let indexable: Vec<DocId> = catalog.indexable_since(0, 10).expect("since").iter().map(|doc| doc.id).collect();
    assert_eq!(indexable, vec![locked]);

    let child = NewChild { name: "x.txt".into(), kind: "member".into(), modified: None, blob: blob(2), failure: None };
    catalog.finish(id, &done(vec![child])).expect("finish");
    let after_walk = catalog.indexable_since(1, 10).expect("since");
    assert_eq!(after_walk.len(), 1);
    assert_eq!((after_walk[0].id, after_walk[0].text.as_str(), after_walk[0].state), (id, "listing", State::Ok));
    assert_eq!(after_walk[0].collection, "leak");
    assert_eq!(catalog.last_seq().expect("seq"), after_walk[0].seq);
    // Limits and resumption: nothing after the last one.
    assert!(catalog.indexable_since(after_walk[0].seq, 10).expect("since").is_empty());
}

#[test]
fn a_document_its_children_and_format_counts_are_read_back() {
    let mut catalog = SqliteCatalog::open_in_memory().expect("catalog");
    let collection = catalog.ensure_collection("leak").expect("collection");
    let (zip_id, _) = catalog.add_root(&root(collection, "a.zip", Some(&blob(1)))).expect("add zip");
    catalog.add_root(&root(collection, "b.zip", Some(&blob(4)))).expect("add another zip");
    let child = |name: &str, n: u8| NewChild {
        name: name.into(),
        kind: "member".into(),
        modified: Some("2023-10-02T09:00:00Z".into()),
        blob: blob(n),
        failure: None,
    };
    catalog.finish(zip_id, &done(vec![child("z.txt", 2), child("a.txt", 3)])).expect("finish");

    let zip = catalog.document(zip_id).expect("document").expect("the zip exists");
    assert_eq!((zip.path.as_str(), zip.state, zip.format.as_deref()), ("a.zip", State::Ok, Some("zip")));
    assert_eq!(zip.sha256, Some(blob(1).sha256));
    assert_eq!(catalog.document(9999).expect("document"), None);

    // Children come in the order they were found, not by name.
    let children = catalog.children(zip_id).expect("children");
    let names: Vec<&str> = children.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(names, ["a.zip!/z.txt", "a.zip!/a.txt"]);
    assert!(children.iter().all(|c| c.parent_id == Some(zip_id) && c.state == State::Pending));

    let counts = catalog.format_counts("leak").expect("format counts");
    assert_eq!(counts.len(), 2);
    assert_eq!((counts[0].format.as_deref(), counts[0].counts.pending, counts[0].counts.documents), (None, 3, 3));
    assert_eq!((counts[1].format.as_deref(), counts[1].counts.ok), (Some("zip"), 1));
    assert!(catalog.format_counts("no such collection").expect("empty").is_empty());
}
