//! Tests of the SQLite catalog's bookkeeping.

use super::*;
use crate::{Failure, NewChild, TreeUsage};
use dossier_document::Metadata;

fn blob(n: u8) -> Blob {
    Blob { blake3: format!("{n:02x}").repeat(32), sha256: format!("{n:02x}").repeat(32), size: n as u64 }
}

fn root<'a>(collection: CollectionId, path: &'a str, blob: Option<&'a Blob>) -> NewRoot<'a> {
    NewRoot { collection, source_path: path, raw_path: None, blob, failure: None, command: "dossier ingest" }
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
        analysis: None,
        fingerprint: None,
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

#[test]
fn names_that_differ_only_in_bytes_that_are_not_utf8_stay_two_documents() {
    let mut catalog = SqliteCatalog::open_in_memory().expect("catalog");
    let collection = catalog.ensure_collection("leak").expect("collection");
    let content = blob(1);
    // Two names that both render as "/in/a?.txt" must not be one document, nor one a duplicate of the other.
    let (ff, new_ff) = catalog
        .add_root(&NewRoot { raw_path: Some(b"/in/a\xff.txt"), ..root(collection, "/in/a\\xFF.txt", Some(&content)) })
        .expect("add \\xff");
    let (fe, new_fe) = catalog
        .add_root(&NewRoot { raw_path: Some(b"/in/a\xfe.txt"), ..root(collection, "/in/a\\xFE.txt", Some(&content)) })
        .expect("add \\xfe");
    let (plain, _) = catalog.add_root(&root(collection, "/in/a.txt", Some(&content))).expect("add plain");
    assert!(new_ff && new_fe);
    assert_eq!([ff, fe, plain].iter().collect::<std::collections::HashSet<_>>().len(), 3);
    let again = catalog
        .add_root(&NewRoot { raw_path: Some(b"/in/a\xff.txt"), ..root(collection, "/in/a\\xFF.txt", Some(&content)) })
        .expect("re-add");
    assert_eq!(again, (ff, false));
    let record = catalog.document(ff).expect("document").expect("exists");
    assert_eq!(record.raw_path.as_deref(), Some("/in/a\\xFF.txt"));
    assert_eq!(catalog.document(plain).expect("document").expect("exists").raw_path, None);
}

#[test]
fn a_path_that_failed_at_the_walk_moves_on_when_it_is_read_later() {
    let mut catalog = SqliteCatalog::open_in_memory().expect("catalog");
    let collection = catalog.ensure_collection("leak").expect("collection");
    let denied = Failure { summary: "I/O error".into(), detail: "permission denied".into() };
    let unreadable = NewRoot { failure: Some(denied.clone()), ..root(collection, "/in/locked.doc", None) };
    let (id, _) = catalog.add_root(&unreadable).expect("add failed");
    assert_eq!(catalog.add_root(&unreadable).expect("fails again"), (id, false));
    assert_eq!(catalog.walk_failures(collection).expect("walk failures"), vec![b"/in/locked.doc".to_vec()]);

    let content = blob(3);
    let (read, new) = catalog.add_root(&root(collection, "/in/locked.doc", Some(&content))).expect("read now");
    assert_eq!((read, new), (id, true), "one path, one document");
    let record = catalog.document(id).expect("document").expect("exists");
    assert_eq!(
        (record.state, record.blake3.as_deref(), record.reason),
        (State::Pending, Some(content.blake3.as_str()), None)
    );
    assert_eq!(catalog.status().expect("status").totals, Counts { documents: 1, pending: 1, ..Counts::default() });
    assert!(catalog.walk_failures(collection).expect("walk failures").is_empty());

    // Unreadable once more after it was stored: the stored evidence stays the path's one document.
    assert_eq!(catalog.add_root(&unreadable).expect("unreadable again"), (id, false));
    assert_eq!(catalog.status().expect("status").totals.documents, 1);
}

#[test]
fn damage_shows_on_every_document_of_the_blob_until_repaired_and_the_repair_is_in_custody() {
    let mut catalog = SqliteCatalog::open_in_memory().expect("catalog");
    let collection = catalog.ensure_collection("leak").expect("collection");
    let content = blob(5);
    let (a, _) = catalog.add_root(&root(collection, "/in/a.pdf", Some(&content))).expect("add a");
    let (b, _) = catalog.add_root(&root(collection, "/in/copy/a.pdf", Some(&content))).expect("add b");
    let problem = serde_json::json!({"problem": "mismatch", "found_size": 5});
    catalog.record_damage(&content.blake3, "download", &problem).expect("damage");
    catalog.record_damage(&content.blake3, "verify-vault", &problem).expect("seen again");
    for id in [a, b] {
        let damage = catalog.document(id).expect("document").expect("exists").damage.expect("damaged");
        assert_eq!((damage.detected_by.as_str(), &damage.problem), ("download", &problem));
    }
    let uses: Vec<DocId> = catalog.documents_with_blob(&content.blake3).expect("uses").iter().map(|u| u.id).collect();
    assert_eq!(uses, vec![a, b]);

    catalog.record_repair(&content.blake3, "ingest", "/in/a.pdf", "dossier ingest /in", "replaced").expect("repair");
    assert_eq!(catalog.document(a).expect("document").expect("exists").damage, None);
    let custody = catalog.custody(b).expect("custody");
    let events: Vec<&str> = custody.iter().map(|event| event.event.as_str()).collect();
    assert_eq!(events, ["ingested", "blob-repaired"]);
    assert_eq!(custody[1].source_path, "/in/a.pdf");
    // The record of the document itself still shows when it was first ingested.
    assert_eq!(catalog.document(b).expect("document").expect("exists").ingested_by.as_deref(), Some("dossier ingest"));
}

#[test]
fn a_catalog_of_the_first_layout_is_migrated_and_a_newer_one_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("catalog.sqlite");
    {
        let conn = Connection::open(&path).expect("open");
        // The first layout, as dossier wrote it before versions were recorded.
        conn.execute_batch(
            "CREATE TABLE collections (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
             CREATE TABLE blobs (blake3 TEXT PRIMARY KEY, sha256 TEXT NOT NULL, size INTEGER NOT NULL);
             CREATE TABLE documents (id INTEGER PRIMARY KEY, collection_id INTEGER NOT NULL REFERENCES collections(id),
                 parent_id INTEGER REFERENCES documents(id), parent_key INTEGER NOT NULL, root_id INTEGER NOT NULL,
                 ordinal INTEGER NOT NULL, name TEXT NOT NULL, path TEXT NOT NULL, child_kind TEXT, modified TEXT,
                 blake3 TEXT NOT NULL, depth INTEGER NOT NULL, state TEXT NOT NULL, format TEXT, reason TEXT,
                 reason_detail TEXT, metadata TEXT, diagnostics TEXT, attempts INTEGER NOT NULL DEFAULT 0,
                 extracted_at TEXT, UNIQUE (collection_id, parent_key, ordinal, name, blake3));
             CREATE TABLE texts (document_id INTEGER PRIMARY KEY REFERENCES documents(id), text TEXT NOT NULL);
             CREATE TABLE custody (id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL REFERENCES documents(id),
                 blake3 TEXT NOT NULL, source_path TEXT NOT NULL, size INTEGER, ingested_at TEXT NOT NULL,
                 command TEXT NOT NULL);
             INSERT INTO collections VALUES (1, 'leak', '2026-01-01');
             INSERT INTO blobs VALUES ('aa', 'bb', 3);
             INSERT INTO documents (id, collection_id, parent_key, root_id, ordinal, name, path, blake3, depth, state)
                 VALUES (1, 1, 0, 1, 0, '/in/a.txt', '/in/a.txt', 'aa', 0, 'ok');
             INSERT INTO texts VALUES (1, 'hello');
             INSERT INTO custody (document_id, blake3, source_path, size, ingested_at, command)
                 VALUES (1, 'aa', '/in/a.txt', 3, '2026-01-01', 'dossier ingest /in');",
        )
        .expect("old layout");
    }
    let mut catalog = SqliteCatalog::open(&path).expect("migrated");
    let doc = catalog.document(1).expect("document").expect("kept");
    assert_eq!((doc.path.as_str(), doc.ingested_by.as_deref()), ("/in/a.txt", Some("dossier ingest /in")));
    assert_eq!(catalog.text(1).expect("text").as_deref(), Some("hello"));
    assert_eq!(catalog.last_seq().expect("seq"), 1, "finished documents get a place in the sequence");
    let collection = catalog.ensure_collection("leak").expect("collection");
    let (other, new) = catalog
        .add_root(&NewRoot { raw_path: Some(b"/in/a\xff.txt"), ..root(collection, "/in/a.txt", Some(&blob(1))) })
        .expect("a name alike in its rendering");
    assert!(new && other != 1);
    drop(catalog);

    Connection::open(&path).expect("open").execute_batch("PRAGMA user_version = 99").expect("newer");
    let err = SqliteCatalog::open(&path).err().expect("a newer layout is refused");
    assert!(err.to_string().contains("newer dossier"), "{err}");
}

fn mention(kind: &str, start: usize, text: &str, key: &str, value: &str) -> crate::Mention {
    crate::Mention {
        kind: kind.into(),
        text: text.into(),
        start,
        end: start + text.chars().count(),
        value: value.into(),
        key: key.into(),
        checksum: (kind == "inn").then(|| "valid".to_string()),
        label: None,
        lang: None,
        detail: (kind == "inn").then(|| serde_json::json!({"type": "none"})),
    }
}

#[test]
fn an_analysis_is_stored_with_its_document_replaced_by_a_newer_version_and_counted_by_entity() {
    let mut catalog = SqliteCatalog::open_in_memory().expect("catalog");
    let collection = catalog.ensure_collection("leak").expect("collection");
    let (a, _) = catalog.add_root(&root(collection, "/in/a.txt", Some(&blob(1)))).expect("a");
    let (b, _) = catalog.add_root(&root(collection, "/in/b.txt", Some(&blob(2)))).expect("b");
    let first = crate::Analysis {
        version: "v1".into(),
        mentions: vec![
            mention("person", 0, "Соколова-Ветрова И. П.", "sokolov-vetrov i", "Соколов-Ветров И. П."),
            mention("inn", 30, "7707083893", "7707083893", "7707083893"),
        ],
        missing: vec!["Ukrainian names: no model".into()],
    };
    let fingerprint = crate::Fingerprint::of("Соколова-Ветрова И. П., ИНН 7707083893");
    catalog
        .finish(a, &DocResult { analysis: Some(first.clone()), fingerprint: Some(fingerprint.clone()), ..done(vec![]) })
        .expect("finish a");
    let second = crate::Analysis { mentions: vec![first.mentions[1].clone()], missing: vec![], ..first.clone() };
    catalog.finish(b, &DocResult { analysis: Some(second), ..done(vec![]) }).expect("finish b");
    assert_eq!(catalog.fingerprint(a).expect("read"), Some(fingerprint.clone()));
    // A document without a fingerprint (read by an older dossier) is due for reanalysis although its analysis is current.
    assert_eq!(catalog.to_analyse("v1", None, 0, 10).expect("due"), [b]);
    catalog.replace_fingerprint(b, &fingerprint).expect("replace");
    let mut seen = Vec::new();
    let without = catalog.for_each_fingerprint(Some("leak"), &mut |doc, _| seen.push(doc)).expect("fingerprints");
    assert_eq!((seen, without), (vec![a, b], 0));

    let stored = catalog.analysis(a).expect("read").expect("stored");
    assert_eq!((stored.version.as_str(), stored.missing.clone()), ("v1", first.missing.clone()));
    assert_eq!(stored.mentions, first.mentions, "every field comes back, the detail included");

    let rows = catalog.entity_rows(Some("leak"), Some("inn")).expect("rows");
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].mentions, rows[0].documents), (2, 2));
    assert!(catalog.entity_rows(Some("other"), None).expect("rows").is_empty());
    let members = vec![("7707083893".to_string(), "7707083893".to_string())];
    let filter = EntityFilter { collection: None, kind: "inn", members: &members };
    assert_eq!(catalog.entity_documents(&filter).expect("docs"), [a, b]);
    assert_eq!(catalog.entity_mentions(&filter, 1).expect("mentions").len(), 1, "the limit holds");

    // Another version: both documents are due, and replacing one moves it up the sequence for the index.
    assert_eq!(catalog.to_analyse("v2", None, 0, 10).expect("due"), [a, b]);
    assert_eq!(catalog.to_analyse("v2", Some("leak"), a, 10).expect("due after a"), [b]);
    assert!(catalog.to_analyse("v2", Some("other"), 0, 10).expect("none in another collection").is_empty());
    assert_eq!(catalog.count_to_analyse("v2", Some("leak")).expect("due"), 2);
    assert_eq!(catalog.count_to_analyse("v1", None).expect("none due"), 0);
    let seq_before = catalog.last_seq().expect("seq");
    let newer = crate::Analysis { version: "v2".into(), mentions: vec![], missing: vec![] };
    catalog.replace_analysis(a, &newer).expect("replace");
    assert_eq!(catalog.to_analyse("v2", None, 0, 10).expect("due"), [b]);
    assert!(catalog.analysis(a).expect("read").expect("stored").mentions.is_empty());
    assert_eq!(catalog.last_seq().expect("seq"), seq_before + 1);
    let indexed = catalog.indexable_since(seq_before, 10).expect("indexable");
    assert_eq!(indexed.iter().map(|doc| doc.id).collect::<Vec<_>>(), [a]);
    let b_indexed = catalog.indexable_since(0, 10).expect("indexable");
    let b_entities = &b_indexed.iter().find(|doc| doc.id == b).expect("b").entities;
    assert_eq!(b_entities, &[("inn".to_string(), "7707083893".to_string())]);
}

#[test]
fn a_pending_document_cannot_be_given_an_analysis() {
    let mut catalog = SqliteCatalog::open_in_memory().expect("catalog");
    let collection = catalog.ensure_collection("leak").expect("collection");
    let (a, _) = catalog.add_root(&root(collection, "/in/a.txt", Some(&blob(1)))).expect("a");
    let analysis = crate::Analysis { version: "v1".into(), mentions: vec![], missing: vec![] };
    assert!(catalog.replace_analysis(a, &analysis).is_err());
    assert!(catalog.analysis(a).expect("read").is_none());
}
