//! Golden files: hand-written RTF in test_data/rtf, each beside its reviewed `.expected` dump.

use std::path::Path;

#[test]
fn rtf_fixtures_match_their_golden_dumps() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/rtf");
    dossier_document::golden::check_dir(&dir, dossier_rtf::read_rtf);
}
