//! Golden files: every fixture in `test_data/<format>/` read and compared with its reviewed `.expected` dump.

use std::path::Path;

use dossier_document::golden::check_dir;

fn dir(format: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data").join(format)
}

#[test]
fn csv() {
    check_dir(&dir("csv"), dossier_records::read_csv);
}

#[test]
fn tsv() {
    check_dir(&dir("tsv"), dossier_records::read_tsv);
}

#[test]
fn json() {
    check_dir(&dir("json"), dossier_records::read_json);
}

#[test]
fn ics() {
    check_dir(&dir("ics"), dossier_records::read_ics);
}

#[test]
fn vcf() {
    check_dir(&dir("vcf"), dossier_records::read_vcf);
}

#[test]
fn dbf() {
    check_dir(&dir("dbf"), dossier_records::read_dbf);
}
