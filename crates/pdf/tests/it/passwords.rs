//! Encrypted PDFs: the user's passwords are tried in order; without a working one the file fails as encrypted.

use dossier_document::{ExtractError, Limits, Options};

use crate::read;

fn options(passwords: &[&str]) -> Options {
    Options { passwords: passwords.iter().map(|p| p.to_string()).collect(), ..Options::default() }
}

#[test]
fn the_right_password_among_several_opens_the_file() {
    let (result, _) = read("0004_encrypted_user_password.pdf", &Limits::default(), &options(&["wrong", "secret"]));
    let extraction = result.expect("the second password opens it");
    assert!(extraction.text.contains("Payments to offshore accounts"));
    assert_eq!(extraction.metadata.get_str("encrypted").as_deref(), Some("yes"));
    assert_eq!(extraction.metadata.get_str("title").as_deref(), Some("Report (draft)"));
}

#[test]
fn wrong_passwords_fail_as_encrypted() {
    let (result, _) = read("0004_encrypted_user_password.pdf", &Limits::default(), &options(&["wrong", "Secret"]));
    assert_eq!(result, Err(ExtractError::Encrypted(Some("PDF password required".to_string()))));
}

#[test]
fn an_empty_user_password_needs_no_password() {
    let (result, _) = read("0005_encrypted_empty_user_password.pdf", &Limits::default(), &options(&[]));
    let extraction = result.expect("opens without a password");
    assert!(extraction.text.contains("Second page"));
}

/// Reported as "password required" by a hostile test: AES-256 (revision 6) with an empty user password opens
/// without one, as in every viewer.
#[test]
fn an_aes256_file_with_an_empty_user_password_needs_no_password() {
    let (result, _) = read("0023_aes256_empty_user_password.pdf", &Limits::default(), &options(&[]));
    let extraction = result.expect("opens without a password");
    assert!(extraction.text.contains("Second page"));
    assert_eq!(extraction.metadata.get_str("encryption").as_deref(), Some("Standard V5 R6 256-bit AES"));
}

/// Regression: a PDF whose password protects only its attachments was reported encrypted as a whole. Its pages are
/// read; the attachment, which this reader cannot decrypt, is not handed over as garbage but named in a diagnostic.
#[test]
fn a_pdf_with_only_its_attachments_encrypted_is_read() {
    let (result, children) = read("0024_encrypted_attachment_only.pdf", &Limits::default(), &options(&[]));
    let extraction = result.expect("the pages need no password");
    assert!(extraction.text.contains("The ledger is attached, encrypted."), "{:?}", extraction.text);
    assert_eq!(children, 0);
    assert!(
        extraction.diagnostics.iter().any(|d| d.starts_with("embedded files not extracted: they are encrypted")),
        "{:?}",
        extraction.diagnostics
    );
}
