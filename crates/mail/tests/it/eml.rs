//! EML: golden dumps, plus exact attachment bytes and names.

use dossier_document::{Limits, golden};

use crate::{run_bytes, run_with, test_data, with_cr_only_line_endings};

#[test]
fn golden_eml() {
    golden::check_dir(&test_data("eml"), dossier_mail::read_eml);
}

#[test]
fn attachment_bytes_are_the_transfer_decoded_originals() {
    let path = test_data("eml").join("0002_rfc2231_utf8_continued_attachment_name.eml");
    let (result, children) = run_with(dossier_mail::read_eml, &path, &Limits::default());
    result.expect("readable");
    let docx = children.iter().find(|child| child.meta.name.ends_with(".docx")).expect("the docx attachment");
    assert_eq!(docx.meta.name, "Договор поставки №17 от 01.03.2023 (финальная редакция).docx");
    assert_eq!(docx.content, b"PK\x03\x04\x14\x00\x00\x00\x08\x00not a real docx, just bytes");
}

#[test]
fn text_attachments_keep_their_own_charset() {
    let path = test_data("eml").join("0011_unnamed_and_inline_parts.eml");
    let (result, children) = run_with(dossier_mail::read_eml, &path, &Limits::default());
    result.expect("readable");
    let text = children.iter().find(|child| child.meta.name.ends_with(".txt")).expect("the text attachment");
    // "Привет" in KOI8-R, not re-encoded to UTF-8.
    assert_eq!(text.content, b"\xF0\xD2\xC9\xD7\xC5\xD4");
}

#[test]
fn a_message_over_the_in_memory_limit_is_refused_not_loaded() {
    let path = test_data("eml").join("0010_envelope_headers.eml");
    let limits = Limits { max_in_memory_bytes: 100, ..Limits::default() };
    let (result, _) = run_with(dossier_mail::read_eml, &path, &limits);
    let err = result.expect_err("too large");
    assert_eq!(err.summary(), "limit exceeded: eml file of");
}

#[test]
fn attachments_stop_at_the_entry_limit() {
    let path = test_data("eml").join("0011_unnamed_and_inline_parts.eml");
    let limits = Limits { max_entries: 1, ..Limits::default() };
    let (result, children) = run_with(dossier_mail::read_eml, &path, &limits);
    assert_eq!(result.expect_err("entries").summary(), "limit exceeded: entries");
    assert_eq!(children.len(), 1);
}

#[test]
fn forwarded_messages_are_handed_over_exactly_delimited() {
    let path = test_data("eml").join("0003_nested_message_rfc822.eml");
    let (result, children) = run_with(dossier_mail::read_eml, &path, &Limits::default());
    result.expect("readable");
    let first = String::from_utf8(children[0].content.clone()).expect("ASCII");
    assert!(first.starts_with("From: Boris <boris@example.net>\n"), "{first}");
    assert!(first.trim_end().ends_with("--inner-2--"), "{first}");
    let second = String::from_utf8(children[1].content.clone()).expect("ASCII");
    assert!(second.starts_with("From: Carl"), "{second}");
    assert_eq!(second.trim_end().lines().last(), Some("Short one."));
}

#[test]
fn a_cut_off_base64_attachment_keeps_the_bytes_that_arrived() {
    let path = test_data("eml").join("0005_truncated_multipart.eml");
    let (result, children) = run_with(dossier_mail::read_eml, &path, &Limits::default());
    assert!(result.expect("partial").is_partial());
    assert!(children[0].content.starts_with(b"%PDF-1.4\n"));
}

/// A message whose lines end in CR alone (classic Mac OS) was read as one long header line: no body, its MIME
/// never decoded. It now reads like the same message with CRLF.
#[test]
fn a_message_with_cr_only_line_endings_is_decoded_like_its_crlf_original() {
    for fixture in ["0001_koi8r_subject_cp1251_qp_body.eml", "0002_rfc2231_utf8_continued_attachment_name.eml"] {
        let original = std::fs::read(test_data("eml").join(fixture)).expect("fixture");
        let (expected, expected_children) = run_bytes(dossier_mail::read_eml, fixture, &original);
        let (result, children) = run_bytes(dossier_mail::read_eml, fixture, &with_cr_only_line_endings(&original));
        let (expected, extraction) = (expected.expect("the fixture reads"), result.expect("the message reads"));
        assert_eq!(extraction.metadata, expected.metadata, "{fixture}");
        assert_eq!(
            extraction.text.split_whitespace().collect::<Vec<_>>(),
            expected.text.split_whitespace().collect::<Vec<_>>(),
            "{fixture}"
        );
        let names = |children: &[dossier_document::MemoryChild]| {
            children.iter().map(|child| child.meta.name.clone()).collect::<Vec<_>>()
        };
        assert_eq!(names(&children), names(&expected_children), "{fixture}");
    }
}
