//! MBOX: golden dumps, plus the un-escaping of quoted "From " lines and the per-message memory bound.

use dossier_document::{Limits, golden};

use crate::{run_bytes, run_with, test_data, with_cr_only_line_endings};

#[test]
fn golden_mbox() {
    golden::check_dir(&test_data("mbox"), dossier_mail::read_mbox);
}

#[test]
fn quoted_from_lines_lose_one_quote() {
    let path = test_data("mbox").join("0001_three_messages_with_from_quoting.mbox");
    let (result, children) = run_with(dossier_mail::read_mbox, &path, &Limits::default());
    result.expect("readable");
    let first = String::from_utf8(children[0].content.clone()).expect("ASCII");
    assert!(first.contains("\nFrom the start this line"), "{first}");
    assert!(first.contains("\n>From here on"), "{first}");
    assert!(first.ends_with("which must not split.\n"), "{first:?}");
}

#[test]
fn a_message_over_the_in_memory_limit_is_cut_and_reported() {
    let path = test_data("mbox").join("0001_three_messages_with_from_quoting.mbox");
    let limits = Limits { max_in_memory_bytes: 120, ..Limits::default() };
    let (result, children) = run_with(dossier_mail::read_mbox, &path, &limits);
    let extraction = result.expect("still readable");
    assert_eq!(children.len(), 3);
    assert!(children.iter().all(|child| child.content.len() <= 120));
    assert!(
        extraction.diagnostics.iter().any(|d| d.starts_with("message-0001.eml is larger than the in-memory limit")),
        "{:?}",
        extraction.diagnostics
    );
}

/// A mailbox whose lines end in CR alone was one long line: no separator found, one unreadable "message". It now
/// splits into the same messages as with LF line endings.
#[test]
fn a_mailbox_with_cr_only_line_endings_splits_into_its_messages() {
    let fixture = "0001_three_messages_with_from_quoting.mbox";
    let original = std::fs::read(test_data("mbox").join(fixture)).expect("fixture");
    let (expected, expected_children) = run_bytes(dossier_mail::read_mbox, fixture, &original);
    let (result, children) = run_bytes(dossier_mail::read_mbox, fixture, &with_cr_only_line_endings(&original));
    assert_eq!(result.expect("the mailbox reads"), expected.expect("the fixture reads"));
    assert_eq!(children.len(), expected_children.len());
    for (child, expected) in children.iter().zip(&expected_children) {
        assert_eq!(child.meta.name, expected.meta.name);
        // The messages come out with CRLF, which the EML reader reads as it reads LF.
        assert_eq!(
            String::from_utf8_lossy(&child.content).replace("\r\n", "\n"),
            String::from_utf8_lossy(&expected.content)
        );
    }
}
