//! Golden tests: every fixture under test_data/<format>/ against its reviewed `.expected` dump.

use std::path::PathBuf;

use dossier_document::{ReadFn, golden::check_dir};

fn check(format: &str, read: ReadFn) {
    check_dir(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test_data").join(format), read);
}

#[test]
fn docx() {
    check("docx", dossier_office::read_docx);
}

#[test]
fn xlsx() {
    check("xlsx", dossier_office::read_xlsx);
}

#[test]
fn pptx() {
    check("pptx", dossier_office::read_pptx);
}

#[test]
fn odt() {
    check("odt", dossier_office::read_odt);
}

#[test]
fn ods() {
    check("ods", dossier_office::read_ods);
}

#[test]
fn odp() {
    check("odp", dossier_office::read_odp);
}

#[test]
fn xlsb() {
    check("xlsb", dossier_office::read_xlsb);
}

/// Read without passwords: only Excel's default password is tried.
#[test]
fn ooxml_encrypted() {
    check("ooxml-encrypted", dossier_office::read_encrypted_ooxml);
}
