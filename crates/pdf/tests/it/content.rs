//! Malformed page content that other readers read: text shown through `TJ` arrays that hold operators.

use dossier_document::{Limits, Options};

use crate::read;

/// Regression: text shown by `[(Quarterly) -250 (report) 0 g -250 (for) -250 (Orion)] TJ` was lost (MuPDF drops the
/// whole array at the operator), while pdftotext shows every string.
#[test]
fn text_in_tj_arrays_holding_operators_is_read() {
    let (result, _) = read("0022_operators_in_text_arrays.pdf", &Limits::default(), &Options::default());
    let extraction = result.expect("readable");
    let words: Vec<&str> = extraction.text.split_whitespace().collect();
    assert_eq!(
        words,
        [
            "Quarterly",
            "report",
            "for",
            "Orion",
            "Payments",
            "to",
            "offshore",
            "accounts",
            "Signed",
            "by",
            "the",
            "director."
        ]
    );
    assert_eq!(
        extraction.diagnostics,
        ["malformed content: operators inside text arrays on page 1 skipped, as other readers do"]
    );
}
