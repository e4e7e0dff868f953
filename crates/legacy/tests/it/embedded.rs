//! Embedded objects reach the sink as files that read in turn: a Word document kept in the ObjectPool is written
//! out as a compound file of its own, and the sink's budget stops the reader.

use std::path::Path;

use dossier_document::{Context, ExtractError, Limits, MemorySink, Options, Source};

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/doc").join(name)
}

#[test]
fn an_embedded_word_document_is_rebuilt_as_a_readable_file() {
    let (result, children) =
        dossier_document::golden::run(dossier_legacy::read_doc, &fixture("0009_embedded_objects.doc"));
    assert!(result.is_ok(), "{result:?}");
    let embedded = children.iter().find(|child| child.meta.name == "_1002.doc").expect("the embedded memo");
    let dir = std::env::temp_dir().join(format!("dossier-legacy-embedded-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("embedded.doc");
    std::fs::write(&path, &embedded.content).expect("temp file");
    let (inner, _) = dossier_document::golden::run(dossier_legacy::read_doc, &path);
    let _ = std::fs::remove_dir_all(&dir);
    let inner = inner.expect("the rebuilt document reads");
    assert!(inner.text.contains("Прошу согласовать закупку"), "{}", inner.text);
    assert_eq!(inner.metadata.get_str("title").as_deref(), Some("Отчёт о закупках"));
    let package = children.iter().find(|child| child.meta.name == "_1001/suppliers.txt").expect("the package");
    assert_eq!(package.content, "Приложение: список поставщиков".as_bytes());
}

#[test]
fn the_sink_budget_stops_the_reader() {
    let limits = Limits { max_unpacked_bytes: 1000, ..Limits::default() };
    let options = Options::default();
    let mut sink = MemorySink::new(&limits, 0);
    let mut context = Context { limits: &limits, options: &options, sink: &mut sink };
    let path = fixture("0009_embedded_objects.doc");
    let source = Source { path: &path, name: None };
    let result = dossier_legacy::read_doc(&source, &mut context);
    assert!(matches!(result, Err(ExtractError::LimitExceeded(_))), "{result:?}");
}

/// The embedded object is rebuilt as a compound file with the `cfb` crate, which stamps each storage it creates
/// with the clock: the child got a new hash on every run until the times were cleared.
#[test]
fn a_rebuilt_embedded_object_is_the_same_bytes_on_every_run() {
    for (read, fixture) in [
        (dossier_legacy::read_doc as dossier_document::ReadFn, fixture("0009_embedded_objects.doc")),
        (
            dossier_legacy::read_xls,
            Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/xls/0008_embedded_object.xls"),
        ),
    ] {
        let rebuilt = || {
            let (result, children) = dossier_document::golden::run(read, &fixture);
            result.expect("the fixture reads");
            children.into_iter().map(|child| child.content).collect::<Vec<_>>()
        };
        let first = rebuilt();
        for content in &first {
            let mut cleared = content.clone();
            assert_eq!(dossier_document::clear_compound_storage_times(&mut cleared), 0, "a storage carries a time");
        }
        assert_eq!(first, rebuilt(), "{}", fixture.display());
    }
}
