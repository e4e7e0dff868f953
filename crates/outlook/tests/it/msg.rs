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

/// Damage anywhere in an item gives a result or a precise error, never a hang or a crash of the test process.
#[test]
fn damaged_bytes_anywhere_give_a_result_or_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    for fixture in ["0001_cp1251_plain.msg", "0004_html_with_embedded_message.msg"] {
        let original = std::fs::read(test_data("msg").join(fixture)).expect("fixture");
        for offset in (0..original.len()).step_by(61) {
            let mut damaged = original.clone();
            for byte in damaged.iter_mut().skip(offset).take(8) {
                *byte = 0xFF;
            }
            let path = dir.path().join("damaged.msg");
            std::fs::write(&path, &damaged).expect("write");
            let (result, _) = golden::run(read_msg, &path);
            if let Err(err) = result {
                assert!(!err.to_string().is_empty());
            }
        }
    }
}

/// Reads `bytes` as a message from a temporary file.
fn read_msg_bytes(bytes: &[u8]) -> (Result<dossier_document::Extraction, dossier_document::ExtractError>, usize) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("item.msg");
    std::fs::write(&path, bytes).expect("write");
    let (result, children) = golden::run(read_msg, &path);
    (result, children.len())
}

/// A FAT whose unused tail is marked "end of chain" describes sectors the file does not have; the `cfb` crate
/// refused such items ("FAT has 128 entries, but file has only N sectors") and they failed as `truncated`,
/// although Outlook and Apache POI read them whole.
#[test]
fn a_msg_whose_fat_describes_sectors_past_its_end_is_read_whole() {
    let original = std::fs::read(test_data("msg").join("0004_html_with_embedded_message.msg")).expect("fixture");
    let mut damaged = original.clone();
    dossier_compound::damage::mark_unused_fat_tail_end_of_chain(&mut damaged);
    let (expected, expected_children) = read_msg_bytes(&original);
    let (result, children) = read_msg_bytes(&damaged);
    let extraction = result.expect("the item reads");
    assert_eq!(extraction, expected.expect("the fixture reads"));
    assert_eq!(children, expected_children);
}

/// A directory whose red-black tree is out of name order ("Malformed directory (name ordering)") still links
/// every entry: the item is read whole.
#[test]
fn a_msg_whose_directory_is_out_of_name_order_is_read_whole() {
    let original = std::fs::read(test_data("msg").join("0001_cp1251_plain.msg")).expect("fixture");
    let mut damaged = original.clone();
    dossier_compound::damage::put_directory_out_of_order(&mut damaged);
    let (expected, _) = read_msg_bytes(&original);
    let (result, _) = read_msg_bytes(&damaged);
    let extraction = result.expect("the item reads");
    assert!(extraction.text.contains("Высылаю отчёт о поставках"), "{}", extraction.text);
    assert_eq!(extraction, expected.expect("the fixture reads"));
}

/// The attached item is rebuilt as a compound file with the `cfb` crate, which stamps each storage it creates
/// with the clock: the child got a new hash on every run until the times were cleared.
#[test]
fn an_attached_item_is_the_same_bytes_on_every_run() {
    let fixture = test_data("msg").join("0004_html_with_embedded_message.msg");
    let attached_item = || {
        let (result, children) = golden::run(read_msg, &fixture);
        result.expect("parent reads");
        children.into_iter().find(|child| child.meta.name.ends_with(".msg")).expect("embedded item handed over").content
    };
    let first = attached_item();
    let mut cleared = first.clone();
    assert_eq!(dossier_document::clear_compound_storage_times(&mut cleared), 0, "a storage carries a time");
    assert_eq!(first, attached_item());
}
