//! Text beyond the page content: comments after their page, form data and bookmarks after the last page, and
//! the "no text" diagnostic that must not fire when such text exists.

use dossier_document::{Limits, OcrOptions, Options};

use crate::read;

#[test]
fn comments_stay_with_their_page() {
    let (result, _) = read("0016_comments.pdf", &Limits::default(), &Options::default());
    let extraction = result.expect("readable");
    let pages: Vec<&str> = extraction.text.split('\u{c}').collect();
    assert_eq!(pages.len(), 2, "{:?}", extraction.text);
    assert!(
        pages[0].contains("[Comments]\nIvan Petrenko, 2023-04-05T10:15:00+03:00: Перевірити суму"),
        "{:?}",
        pages[0]
    );
    assert!(!pages[0].contains("Check the amount"), "a pop-up repeating its parent adds nothing");
    assert!(!pages[0].contains("not a comment"), "links are not comments");
    assert!(pages[1].contains("Page two left blank on purpose"), "{:?}", pages[1]);
}

#[test]
fn bookmarks_are_text_but_the_pages_stay_empty() {
    let (result, _) = read("0017_blank_page_with_bookmarks.pdf", &Limits::default(), &Options::default());
    let extraction = result.expect("readable");
    assert!(extraction.text.contains("Додаток А"), "{:?}", extraction.text);
    assert!(extraction.diagnostics.is_empty(), "bookmark text is text: {:?}", extraction.diagnostics);
    assert_eq!(extraction.metadata.get_str("ocr_pages"), None, "a blank page is not recognised");

    // With OCR off, that the pages themselves have no text layer is still worth saying.
    let options = Options { ocr: OcrOptions { enabled: false, ..OcrOptions::default() }, ..Options::default() };
    let (result, _) = read("0017_blank_page_with_bookmarks.pdf", &Limits::default(), &options);
    let extraction = result.expect("readable");
    assert!(extraction.diagnostics.iter().any(|d| d.contains("OCR is turned off")), "{:?}", extraction.diagnostics);
}

#[test]
fn form_data_respects_the_text_limit() {
    let limits = Limits { max_text_bytes: 60, ..Limits::default() };
    let (result, _) = read("0015_form_fields.pdf", &limits, &Options::default());
    let extraction = result.expect("readable");
    assert!(extraction.text.len() <= 60);
    assert!(extraction.diagnostics.iter().any(|d| d.starts_with("limit exceeded")), "{:?}", extraction.diagnostics);
}
