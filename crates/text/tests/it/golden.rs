//! Golden files: every fixture in test_data/<format>/ against its reviewed `.expected` dump.

use std::path::Path;

use dossier_document::golden::check_dir;

fn test_data(format: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data").join(format)
}

#[test]
fn text_fixtures() {
    check_dir(&test_data("text"), dossier_text::read_text);
}

#[test]
fn html_fixtures() {
    check_dir(&test_data("html"), dossier_text::read_html);
}

#[test]
fn xml_fixtures() {
    check_dir(&test_data("xml"), dossier_text::read_xml);
}
