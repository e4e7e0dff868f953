//! Recognition of a rendered page, the cache, the timeout and the language check.

use std::path::PathBuf;

use dossier_document::OcrOptions;
use dossier_ocr::{OcrError, recognize_bytes, recognize_file};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test_data/0001_english_text.png")
}

fn assert_reads_the_page(text: &str) {
    for expected in ["Dossier recognition test", "quick brown fox jumps over the lazy dog", "4711", "March 2024"] {
        assert!(text.contains(expected), "{expected:?} not recognised in {text:?}");
    }
}

#[test]
fn a_rendered_page_is_recognised_with_the_default_languages() {
    let recognised = recognize_file(&fixture(), &OcrOptions::default()).expect("tesseract is installed");
    assert_reads_the_page(&recognised.text);
    assert!(!recognised.cached);
    assert!(!recognised.text.ends_with('\u{c}'), "the final page separator is dropped");
}

#[test]
fn the_second_recognition_of_the_same_bytes_comes_from_the_cache() {
    let cache = tempfile::tempdir().expect("temporary folder");
    let options = OcrOptions { cache_dir: Some(cache.path().to_path_buf()), ..OcrOptions::default() };
    let image = std::fs::read(fixture()).expect("fixture");
    let first = recognize_bytes(&image, &options).expect("tesseract is installed");
    assert!(!first.cached);
    assert_reads_the_page(&first.text);
    let second = recognize_bytes(&image, &options).expect("cache hit");
    assert_eq!(second, dossier_ocr::Recognised { text: first.text.clone(), cached: true });
    // Other languages are another question: not served from the cache.
    let english = OcrOptions { languages: vec!["eng".into()], ..options };
    assert!(!recognize_bytes(&image, &english).expect("tesseract is installed").cached);
}

#[test]
fn a_page_over_its_time_limit_is_killed() {
    let options = OcrOptions { page_timeout_secs: 0, ..OcrOptions::default() };
    assert_eq!(recognize_file(&fixture(), &options), Err(OcrError::TimedOut(0)));
}

#[test]
fn languages_that_are_not_installed_name_their_package() {
    let options = OcrOptions { languages: vec!["xx".into()], ..OcrOptions::default() };
    assert_eq!(
        recognize_file(&fixture(), &options),
        Err(OcrError::Unavailable("no language data for xx: install tesseract-ocr-xx".into()))
    );
    // A missing language next to an installed one is simply not used.
    let options = OcrOptions { languages: vec!["xx".into(), "eng".into()], ..OcrOptions::default() };
    assert_reads_the_page(&recognize_file(&fixture(), &options).expect("eng is installed").text);
}

#[test]
fn bytes_that_are_no_image_fail_with_tesseracts_reason() {
    let result = recognize_bytes(b"this is not an image", &OcrOptions::default());
    assert!(matches!(&result, Err(OcrError::Failed(reason)) if reason.contains("tesseract exited")), "{result:?}");
}
