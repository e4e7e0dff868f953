//! Every fixture in test_data/pdf against its reviewed `.expected` dump.

#[test]
fn fixtures_match_their_golden_dumps() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/pdf");
    dossier_document::golden::check_dir(&dir, dossier_pdf::read_pdf);
}
