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
