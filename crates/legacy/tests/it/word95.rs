//! Word 6/95 documents whose FIB starts with a wIdent other than 0xA5DC: the Far East editions of Word 95 write
//! 0xA697, 0xA699, 0x8098 or 0x8099, with the Word 95 layout; they failed as "not a Word FIB (wIdent 0xa699)".

use std::io::Write;

use dossier_document::golden;

/// A Word 95 document (nFib 104, no fast saves) holding `text` as 8-bit bytes at fcMin 0x200.
fn word95_document(ident: u16, language_id: u16, text: &[u8]) -> Vec<u8> {
    let mut stream = vec![0u8; 0x200];
    stream[0..2].copy_from_slice(&ident.to_le_bytes());
    stream[2..4].copy_from_slice(&104u16.to_le_bytes());
    stream[6..8].copy_from_slice(&language_id.to_le_bytes());
    stream[0x18..0x1C].copy_from_slice(&0x200u32.to_le_bytes());
    stream[0x1C..0x20].copy_from_slice(&(0x200 + text.len() as u32).to_le_bytes());
    stream[0x34..0x38].copy_from_slice(&(text.len() as u32).to_le_bytes());
    stream.extend_from_slice(text);
    let mut compound = cfb::CompoundFile::create_with_version(cfb::Version::V3, std::io::Cursor::new(Vec::new()))
        .expect("in-memory compound file");
    compound.create_stream("/WordDocument").expect("new stream").write_all(&stream).expect("in-memory write");
    compound.flush().expect("in-memory flush");
    compound.into_inner().into_inner()
}

fn read(bytes: &[u8], name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("dossier-legacy-word95-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir is writable");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("temp file is writable");
    let (result, _) = golden::run(dossier_legacy::read_doc, &path);
    let _ = std::fs::remove_dir_all(&dir);
    result.unwrap_or_else(|err| panic!("{name}: {err}")).text
}

#[test]
fn a_far_east_word95_fib_is_read_in_its_double_byte_codepage() {
    let (japanese, _, _) = encoding_rs::SHIFT_JIS.encode("東京の報告書 (2 pages)\r第二段落\r");
    let text = read(&word95_document(0xA699, 0x0411, &japanese), "japanese.doc");
    assert_eq!(text, "東京の報告書 (2 pages)\n第二段落\n");
}

#[test]
fn a_word95_fib_with_another_ident_is_read_in_its_8bit_codepage() {
    let (russian, _, _) = encoding_rs::WINDOWS_1251.encode("Служебная записка\r");
    let text = read(&word95_document(0xA697, 0x0419, &russian), "russian.doc");
    assert_eq!(text, "Служебная записка\n");
}
