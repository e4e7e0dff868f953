//! Regenerates crates/ocr/test_data: a page of printed English text as a PNG, for the Tesseract tests.
//!
//! `cargo run -p dossier-ocr --example make_fixtures`. A one-page PDF with Helvetica text is written by hand, then
//! rendered by poppler: `pdftoppm -r 200 -gray -png -singlefile text.pdf 0001_english_text` (Debian's
//! poppler-utils). The PDF is kept next to the PNG so the page can be re-rendered.

use std::path::Path;

pub const LINES: [&str; 3] =
    ["Dossier recognition test", "The quick brown fox jumps over the lazy dog.", "Invoice 4711 paid in March 2024."];

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data");
    std::fs::create_dir_all(&dir).expect("test_data is writable");
    let pdf = dir.join("0001_english_text.pdf");
    std::fs::write(&pdf, text_pdf(&LINES)).expect("PDF is writable");
    let status = std::process::Command::new("pdftoppm")
        .args(["-r", "200", "-gray", "-png", "-singlefile"])
        .arg(&pdf)
        .arg(dir.join("0001_english_text"))
        .status()
        .expect("pdftoppm (poppler-utils) is installed");
    assert!(status.success(), "pdftoppm failed");
}

/// A minimal one-page A6 PDF showing `lines` in 14-point Helvetica, with a correct cross-reference table.
pub fn text_pdf(lines: &[&str]) -> Vec<u8> {
    let mut content = String::from("BT /F1 14 Tf 20 260 Td 18 TL\n");
    for line in lines {
        content.push_str(&format!("({line}) Tj T*\n"));
    }
    content.push_str("ET\n");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 297] /Resources << /Font << /F1 4 0 R >> >> \
         /Contents 5 0 R >>"
            .to_string(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}endstream", content.len()),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (index, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", index + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    pdf
}
