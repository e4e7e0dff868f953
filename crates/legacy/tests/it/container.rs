//! Compound files the `cfb` crate refuses although their content is whole (as Apache POI reads them): the legacy
//! readers read them leniently. The damage is done to our own generated fixtures by `dossier_compound::damage`.

use std::path::Path;

use dossier_document::golden;
use dossier_document::{ExtractError, Extraction, ReadFn};

fn read_damaged(read: ReadFn, fixture: &str, damage: fn(&mut [u8])) -> (Extraction, Extraction) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data").join(fixture);
    let original = std::fs::read(&path).expect("fixture exists");
    let mut damaged = original.clone();
    damage(&mut damaged);
    let Err(refused) = cfb::CompoundFile::open(std::io::Cursor::new(damaged.clone())) else {
        panic!("cfb refuses {fixture} once damaged");
    };
    assert!(!refused.to_string().is_empty());
    let dir = tempfile_dir(fixture);
    let damaged_path = dir.join("damaged");
    std::fs::write(&damaged_path, &damaged).expect("temp file is writable");
    let (expected, _) = golden::run(read, &path);
    let (result, _) = golden::run(read, &damaged_path);
    let _ = std::fs::remove_dir_all(&dir);
    (expected.expect("the fixture reads"), result.unwrap_or_else(|err: ExtractError| panic!("{fixture}: {err}")))
}

fn tempfile_dir(fixture: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "dossier-legacy-container-{}-{}",
        std::process::id(),
        fixture.replace('/', "-")
    ));
    std::fs::create_dir_all(&dir).expect("temp dir is writable");
    dir
}

#[test]
fn a_doc_whose_directory_is_out_of_name_order_is_read_whole() {
    let (expected, actual) = read_damaged(
        dossier_legacy::read_doc,
        "doc/0001_memo_cyrillic.doc",
        dossier_compound::damage::put_directory_out_of_order,
    );
    assert!(actual.text.contains("Служебная записка"), "{}", actual.text);
    assert_eq!(actual, expected);
}

#[test]
fn an_xls_whose_directory_is_out_of_name_order_is_read_whole() {
    let (expected, actual) = read_damaged(
        dossier_legacy::read_xls,
        "xls/0001_payments_biff8.xls",
        dossier_compound::damage::put_directory_out_of_order,
    );
    assert!(actual.text.contains("ООО «Вектор»"), "{}", actual.text);
    assert_eq!(actual, expected);
}

#[test]
fn a_ppt_whose_fat_describes_sectors_past_its_end_is_read_whole() {
    let (expected, actual) = read_damaged(
        dossier_legacy::read_ppt,
        "ppt/0001_quarter_slides.ppt",
        dossier_compound::damage::mark_unused_fat_tail_end_of_chain,
    );
    assert_eq!(actual, expected);
}
