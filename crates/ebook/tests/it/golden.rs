//! Golden files: every fixture in `test_data/<format>/` read and compared with its reviewed `.expected` dump.

use std::path::Path;

use dossier_document::golden::check_dir;

fn dir(format: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data").join(format)
}

#[test]
fn epub() {
    check_dir(&dir("epub"), dossier_ebook::read_epub);
}

#[test]
fn fb2() {
    check_dir(&dir("fb2"), dossier_ebook::read_fb2);
}
