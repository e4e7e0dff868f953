//! MSG: golden dumps, and the attached item handed over as a standalone `.msg` that reads back.

use dossier_document::golden;
use dossier_outlook::read_msg;

use super::test_data;

#[test]
fn golden_msg_fixtures() {
    golden::check_dir(&test_data("msg"), read_msg);
}

#[test]
fn an_attached_item_reads_back_as_a_message() {
    let (result, children) = golden::run(read_msg, &test_data("msg").join("0004_html_with_embedded_message.msg"));
    result.expect("parent reads");
    let child = children.iter().find(|child| child.meta.name.ends_with(".msg")).expect("embedded item handed over");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("child.msg");
    std::fs::write(&path, &child.content).expect("write child");
    let (result, grandchildren) = golden::run(read_msg, &path);
    let extraction = result.expect("child reads as a message");
    assert!(extraction.diagnostics.is_empty(), "{:?}", extraction.diagnostics);
    assert_eq!(extraction.metadata.get_str("subject").as_deref(), Some("Накладная 5"));
    assert!(extraction.text.contains("40 мешков цемента"), "{}", extraction.text);
    assert_eq!(grandchildren.len(), 1);
    assert_eq!(grandchildren[0].content, b"inner attachment");
}
