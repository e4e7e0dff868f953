//! OCR of scanned pages: recognised when Tesseract is there (setup installs it, so these fail without it),
//! an error naming OCR when the whole document depends on it and it is unavailable, untouched when turned off.

use dossier_document::{ExtractError, Limits, OcrOptions, Options};

use crate::read;

fn with_ocr(ocr: OcrOptions) -> Options {
    Options { ocr, ..Options::default() }
}

#[test]
fn a_scanned_page_is_recognised_and_counted() {
    let (result, _) = read("0012_scanned_page.pdf", &Limits::default(), &Options::default());
    let extraction = result.expect("Tesseract is installed (apt-get install -y tesseract-ocr tesseract-ocr-rus)");
    assert!(extraction.text.contains("Acme Holdings"), "{:?}", extraction.text);
    assert!(extraction.text.contains("15000 EUR"), "{:?}", extraction.text);
    assert_eq!(extraction.metadata.get_str("ocr_pages").as_deref(), Some("1"));
    assert_eq!(extraction.metadata.get_str("ocr_languages").as_deref(), Some("rus+ukr+eng"));
    assert!(extraction.diagnostics.is_empty(), "{:?}", extraction.diagnostics);
}

#[test]
fn a_page_number_over_a_page_sized_image_does_not_hide_the_scan() {
    let (result, _) = read("0013_scan_with_page_number_and_blank_page.pdf", &Limits::default(), &Options::default());
    let extraction = result.expect("Tesseract is installed");
    assert!(extraction.text.contains("Loan approved for Orion"), "{:?}", extraction.text);
    // The blank second page draws nothing and is not sent to OCR.
    assert_eq!(extraction.metadata.get_str("ocr_pages").as_deref(), Some("1"));
}

#[test]
fn without_ocr_a_scan_is_partial_with_a_reason_as_before() {
    let options = with_ocr(OcrOptions { enabled: false, ..OcrOptions::default() });
    let (result, _) = read("0012_scanned_page.pdf", &Limits::default(), &options);
    let extraction = result.expect("readable without OCR");
    assert!(extraction.text.trim().is_empty(), "{:?}", extraction.text);
    assert_eq!(extraction.metadata.get_str("ocr_pages"), None);
    assert!(extraction.diagnostics.iter().any(|d| d.contains("no text layer")), "{:?}", extraction.diagnostics);
}

#[test]
fn a_document_that_depends_on_unavailable_ocr_fails_saying_so() {
    // A language whose data is not installed makes dossier-ocr report OCR as unavailable.
    let options = with_ocr(OcrOptions { languages: vec!["zzz".to_string()], ..OcrOptions::default() });
    let (result, _) = read("0012_scanned_page.pdf", &Limits::default(), &options);
    assert!(matches!(result, Err(ExtractError::OcrUnavailable(_))), "{result:?}");
}

#[test]
fn a_stray_page_number_is_not_text_enough_to_do_without_ocr() {
    // The "7" stamped on the scan is all the text layer there is: the document still depends on OCR.
    let options = with_ocr(OcrOptions { languages: vec!["zzz".to_string()], ..OcrOptions::default() });
    let (result, _) = read("0013_scan_with_page_number_and_blank_page.pdf", &Limits::default(), &options);
    assert!(matches!(&result, Err(ExtractError::OcrUnavailable(hint)) if hint.contains("zzz")), "{result:?}");
}

#[test]
fn text_pdfs_are_never_sent_to_ocr() {
    for name in ["0001_two_pages_info.pdf", "0002_cyrillic_tounicode.pdf", "0008_attachment.pdf"] {
        let off = with_ocr(OcrOptions { enabled: false, ..OcrOptions::default() });
        let (without, _) = read(name, &Limits::default(), &off);
        let (with, _) = read(name, &Limits::default(), &Options::default());
        let (without, with) = (without.expect("readable"), with.expect("readable"));
        assert_eq!(with.metadata.get_str("ocr_pages"), None, "{name}");
        assert_eq!(with.text, without.text, "{name}");
    }
}

#[test]
fn ocr_sees_annotations_drawn_on_the_page() {
    // The page's own content is a frame; the only words are drawn by a stamp annotation's appearance.
    let (result, _) = read("0020_stamp_appearance_only.pdf", &Limits::default(), &Options::default());
    let extraction = result.expect("Tesseract is installed");
    assert!(extraction.text.contains("CONFIDENTIAL"), "{:?}", extraction.text);
    assert_eq!(extraction.metadata.get_str("ocr_pages").as_deref(), Some("1"));
}
