//! Limits: text is cut at the per-document limit, and the child budget stops embedded files.

use dossier_document::{ExtractError, Limits, Options};

use crate::read;

#[test]
fn text_is_cut_at_the_limit_and_the_document_is_partial() {
    let limits = Limits { max_text_bytes: 20, ..Limits::default() };
    let (result, _) = read("0001_two_pages_info.pdf", &limits, &Options::default());
    let extraction = result.expect("readable");
    assert!(extraction.text.len() <= 20);
    assert!(extraction.text.starts_with("Quarterly report"));
    assert!(
        extraction.diagnostics.iter().any(|d| d.starts_with("limit exceeded: text cut off at 20 bytes")),
        "{:?}",
        extraction.diagnostics
    );
}

#[test]
fn the_child_budget_stops_embedded_files() {
    let limits = Limits { max_entries: 0, ..Limits::default() };
    let (result, children) = read("0008_attachment.pdf", &limits, &Options::default());
    assert!(matches!(result, Err(ExtractError::LimitExceeded(_))), "{result:?}");
    assert_eq!(children, 0);
}

#[test]
fn an_embedded_file_over_the_in_memory_limit_is_skipped_with_a_reason() {
    let limits = Limits { max_in_memory_bytes: 10, ..Limits::default() };
    let (result, children) = read("0008_attachment.pdf", &limits, &Options::default());
    let extraction = result.expect("readable");
    assert_eq!(children, 0);
    assert!(
        extraction.diagnostics.iter().any(|d| d.contains("ledger.csv") && d.contains("in-memory limit")),
        "{:?}",
        extraction.diagnostics
    );
}

/// Regression: a 123 KB JBIG2 bomb drove a worker to 2.4 GB, and then to a timeout with the page's text lost. A page
/// that can draw an image over `max_image_pixels` is not rendered for OCR: it keeps its text layer, and a
/// diagnostic says which image was too large.
#[test]
fn a_jbig2_bomb_is_not_decoded_and_the_page_keeps_its_text() {
    let (result, _) = read("0021_jbig2_bomb.pdf", &Limits::default(), &Options::default());
    let extraction = result.expect("readable");
    assert_eq!(extraction.text.trim(), "Invoice 2041");
    assert!(
        extraction.diagnostics.iter().any(|d| d
            == "page 1: cannot render for OCR: it draws an image of 100000x100000 px, over the limit of 600 megapixels"),
        "{:?}",
        extraction.diagnostics
    );
}

#[test]
fn the_image_limit_is_the_callers() {
    // The cheaper mode of a retry lowers the limit: an image far smaller than the bomb is then refused too.
    let limits = Limits { max_image_pixels: 1_000, ..Limits::default() };
    let (result, _) = read("0012_scanned_page.pdf", &limits, &Options::default());
    let extraction = result.expect("readable");
    assert!(
        extraction.diagnostics.iter().any(|d| d.contains("over the limit of 0 megapixels")),
        "{:?}",
        extraction.diagnostics
    );
}
