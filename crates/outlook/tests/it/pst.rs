//! PST: golden dumps of files refused before readpst runs, and readpst's own refusal.

use dossier_document::{ExtractError, golden};
use dossier_outlook::read_pst;

use super::test_data;

#[test]
fn golden_pst_fixtures() {
    golden::check_dir(&test_data("pst"), read_pst);
}

#[test]
fn a_pst_readpst_cannot_read_fails_with_a_reason() {
    let (result, children) = golden::run(read_pst, &test_data("pst_readpst").join("0001_zero_filled.pst"));
    assert!(children.is_empty());
    let readpst_installed =
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()).any(|dir| dir.join("readpst").is_file());
    match result {
        Err(ExtractError::Malformed { format, .. }) if readpst_installed => {
            assert_eq!(format, "application/vnd.ms-outlook-pst")
        }
        Err(ExtractError::Unsupported(detail)) if !readpst_installed => {
            assert!(detail.contains("apt-get install pst-utils"), "{detail}")
        }
        other => panic!("readpst installed: {readpst_installed}; got {other:?}"),
    }
}
