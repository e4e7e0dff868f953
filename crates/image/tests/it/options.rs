//! OCR switched off, and OCR asked for in languages that are not installed.

use std::path::{Path, PathBuf};

use dossier_document::{Context, ExtractError, Extraction, Limits, MemorySink, Options, Source};

fn read(path: &Path, options: &Options) -> Result<Extraction, ExtractError> {
    let limits = Limits::default();
    let mut sink = MemorySink::new(&limits, 0);
    let mut ctx = Context { limits: &limits, options, sink: &mut sink };
    dossier_image::read_image(&Source { path, name: None }, &mut ctx)
}

fn text_page() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test_data/png/0005_english_text.png")
}

#[test]
fn without_ocr_an_image_is_ok_with_metadata_and_no_text() {
    let mut options = Options::default();
    options.ocr.enabled = false;
    let extraction = read(&text_page(), &options).expect("readable");
    assert_eq!(extraction.text, "");
    assert!(extraction.diagnostics.is_empty(), "{:?}", extraction.diagnostics);
    assert!(extraction.metadata.get("width").is_some());
}

#[test]
fn ocr_in_missing_languages_fails_with_the_install_hint() {
    let mut options = Options::default();
    options.ocr.languages = vec!["zz".to_string()];
    let err = read(&text_page(), &options).expect_err("no usable language");
    assert_eq!(err.to_string(), "OCR unavailable: no language data for zz: install tesseract-ocr-zz");
    assert_eq!(err.summary(), "OCR unavailable");
}

#[test]
fn the_text_of_a_printed_page_is_recognised() {
    let extraction = read(&text_page(), &Options::default()).expect("readable");
    assert!(extraction.text.contains("quick brown fox"), "{:?}", extraction.text);
}
