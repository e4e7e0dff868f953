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
