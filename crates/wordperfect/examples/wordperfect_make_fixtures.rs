//! Regenerates the golden-test fixtures in `test_data/`: `cargo run -p dossier-wordperfect --example
//! wordperfect_make_fixtures`. WordPerfect is not at hand to write them, so they are assembled here byte by byte
//! from the layout the reader documents: the 16-byte prefix, padding up to the document area, then text and
//! function codes.

use std::path::Path;

/// The prefix: magic, document offset, product 1, file type 0x0A, the version, no encryption.
fn prefix(document_offset: u32, major: u8, encryption_key: u16) -> Vec<u8> {
    let mut bytes = b"\xFFWPC".to_vec();
    bytes.extend_from_slice(&document_offset.to_le_bytes());
    bytes.extend_from_slice(&[1, 0x0A, major, if major == 0 { 1 } else { 0 }]);
    bytes.extend_from_slice(&encryption_key.to_le_bytes());
    bytes.extend_from_slice(&[0, 0]);
    bytes
}

fn document(major: u8, area: &[u8]) -> Vec<u8> {
    // Real files put packets (fonts, printer, summary) between the prefix and the text; zeros stand in for them.
    let mut bytes = prefix(0x80, major, 0);
    bytes.resize(0x80, 0);
    bytes.extend_from_slice(area);
    bytes
}

fn wp6_area() -> Vec<u8> {
    let mut area = Vec::new();
    // A paragraph-style group (0xD4, total length 8), a heading, a hard return.
    area.extend_from_slice(b"\xD4\x1C\x08\x00\x00\x00\x08\xD4");
    area.extend_from_slice(b"MEMORANDUM\xCC");
    // Words separated by soft spaces, a line ending in an end-of-line group, a hard hyphen.
    area.extend_from_slice(b"Payment\x80of\x80USD\x8012,500\x80to\x80Acme\x84Trading\x80Ltd.");
    area.extend_from_slice(b"\xD0\x01\x06\x00\x00\xD0");
    // An ASCII extended character, a typographic one (set 4), and an undo group.
    area.extend_from_slice(b"Ref\x80\xF0\x23\x00\xF0\x80\xF0\x1C\x04\xF0A-17\xF0\x1D\x04\xF0.\xF1\x00\x7F\x02\xF1\xCC");
    area.extend_from_slice(b"Signed: J. Smith\xCC");
    area
}

fn wp5_area() -> Vec<u8> {
    let mut area = Vec::new();
    // A variable-length group (code, subcode, length of the rest, rest closed by the code).
    area.extend_from_slice(b"\xD0\x04\x04\x00\x00\x00\x04\xD0");
    area.extend_from_slice(b"Minutes of the board meeting\x0A");
    area.extend_from_slice(b"Present: the chair and\x0Dtwo members.\x0A");
    area.extend_from_slice(b"Budget\xAAline \xC0\x33\x00\xC0 approved.\x0A");
    area
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data");
    std::fs::create_dir_all(&dir).expect("test_data is writable");
    let write = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).expect("test_data is writable");
    let wp6 = document(2, &wp6_area());
    write("0001_memo_wp6.wpd", &wp6);
    write("0002_minutes_wp5.wpd", &document(0, &wp5_area()));
    let mut encrypted = wp6.clone();
    encrypted[12..14].copy_from_slice(&0x4D2Au16.to_le_bytes());
    write("0003_password.wpd", &encrypted);
    write("0004_truncated_prefix.wpd", &wp6[..10]);
    write("0005_truncated_text.wpd", &wp6[..wp6.len() - 30]);
    let mut graphics = wp6.clone();
    graphics[9] = 0x16;
    write("0006_graphics_file.wpd", &graphics);
    let mut lying = wp6.clone();
    lying[4..8].copy_from_slice(&0x7FFF_0000u32.to_le_bytes());
    write("0007_document_offset_past_end.wpd", &lying);
    println!("fixtures written under {}", dir.display());
}
