//! Password-protected OOXML with the user's passwords (the golden files read it without any): the right one
//! opens it, a wrong one or none does not, and the password never shows up in what is recorded.

use std::path::{Path, PathBuf};

use dossier_document::{Context, ExtractError, Extraction, Limits, MemorySink, Options, Source};

const RIGHT_PASSWORD: &str = "пароль-2024";

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test_data/ooxml-encrypted").join(name)
}

fn read_with(path: &Path, passwords: &[&str]) -> Result<Extraction, ExtractError> {
    let limits = Limits::default();
    let options = Options { passwords: passwords.iter().map(|p| p.to_string()).collect(), ..Options::default() };
    let mut sink = MemorySink::new(&limits, 0);
    let mut ctx = Context { limits: &limits, options: &options, sink: &mut sink };
    dossier_office::read_encrypted_ooxml(&Source { path, name: None }, &mut ctx)
}

#[test]
fn the_right_password_opens_the_document_after_wrong_ones() {
    let extraction =
        read_with(&fixture("0001_letter_password.docx"), &["wrong", RIGHT_PASSWORD]).expect("the password opens it");
    assert!(extraction.text.contains("Уважаемый Сергей Викторович!"), "{}", extraction.text);
    assert!(extraction.text.contains("[Comments]"), "{}", extraction.text);
    assert_eq!(extraction.metadata.get_str("decrypted_with").as_deref(), Some("a given password"));
    assert_eq!(extraction.metadata.get_str("encryption").as_deref(), Some("ECMA-376 Agile (AES-256, SHA-512)"));
    assert_eq!(extraction.metadata.get_str("title").as_deref(), Some("Письмо о поставке"));
    let recorded = format!("{:?}{:?}", extraction.metadata, extraction.diagnostics);
    assert!(!recorded.contains(RIGHT_PASSWORD), "the password leaked into {recorded}");
    assert!(extraction.diagnostics.is_empty(), "{:?}", extraction.diagnostics);
}

#[test]
fn a_wrong_password_or_none_leaves_it_encrypted() {
    let expected =
        ExtractError::Encrypted(Some("password-protected Office document; no given password opens it".to_string()));
    for passwords in [&["пароль-2025", "PASSWORD-2024"][..], &[][..]] {
        let err = read_with(&fixture("0001_letter_password.docx"), passwords).expect_err("stays encrypted");
        assert_eq!(err, expected, "with {passwords:?}");
    }
}

#[test]
fn a_write_protected_workbook_opens_with_excels_default_password_whatever_is_given() {
    let extraction = read_with(&fixture("0002_write_protected.xlsb"), &["wrong"]).expect("VelvetSweatshop opens it");
    assert!(extraction.text.contains("ООО «Вектор»"), "{}", extraction.text);
    assert_eq!(
        extraction.metadata.get_str("decrypted_with").as_deref(),
        Some("Excel's default password (the file was only write-protected)")
    );
}

#[test]
fn the_decrypted_package_is_bounded_by_max_in_memory_bytes() {
    let limits = Limits { max_in_memory_bytes: 4096, ..Limits::default() };
    let options = Options::default();
    let mut sink = MemorySink::new(&limits, 0);
    let mut ctx = Context { limits: &limits, options: &options, sink: &mut sink };
    let path = fixture("0002_write_protected.xlsb");
    let err = dossier_office::read_encrypted_ooxml(&Source { path: &path, name: None }, &mut ctx)
        .expect_err("the package is larger than 4096 bytes");
    assert!(matches!(err, ExtractError::LimitExceeded(_)), "{err}");
}

#[test]
fn a_plain_ole2_file_is_not_taken_for_encrypted_ooxml() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test_data/docx/0007_password_protected.docx");
    let err = read_with(&path, &[]).expect_err("no EncryptionInfo");
    assert!(matches!(err, ExtractError::Malformed { .. }), "{err}");
}
