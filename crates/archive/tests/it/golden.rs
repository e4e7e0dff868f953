//! Every fixture in `test_data/<format>/` against its reviewed `.expected` dump.

use std::path::PathBuf;

use dossier_document::{ReadFn, golden::check_dir};

fn check(format: &str, read: ReadFn) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test_data").join(format);
    check_dir(&dir, read);
}

#[test]
fn zip_fixtures() {
    check("zip", dossier_archive::read_zip);
}

#[test]
fn tar_fixtures() {
    check("tar", dossier_archive::read_tar);
}

#[test]
fn gz_fixtures() {
    check("gz", dossier_archive::read_gzip);
}

#[test]
fn bz2_fixtures() {
    check("bz2", dossier_archive::read_bzip2);
}

#[test]
fn xz_fixtures() {
    check("xz", dossier_archive::read_xz);
}

#[test]
fn sevenz_fixtures() {
    check("7z", dossier_archive::read_7z);
}

#[test]
fn pkcs7_fixtures() {
    check("pkcs7", dossier_archive::read_pkcs7);
}
