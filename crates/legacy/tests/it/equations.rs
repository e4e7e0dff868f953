//! Equation objects (Microsoft Equation 3.0) give their formula as text: nothing else in the file holds it as text.

use std::io::Write;
use std::path::Path;

use dossier_document::golden;

/// An `Equation Native` stream: the OLE header, then MTEF 3 holding one line of `records`.
fn equation_native(records: &[u8]) -> Vec<u8> {
    let mut mtef = vec![3, 1, 1, 3, 0, 1];
    mtef.extend_from_slice(records);
    mtef.extend_from_slice(&[0, 0]);
    let mut stream = 28u16.to_le_bytes().to_vec();
    stream.extend_from_slice(&0x0002_0000u32.to_le_bytes());
    stream.extend_from_slice(&0xC1C6u16.to_le_bytes());
    stream.extend_from_slice(&(mtef.len() as u32).to_le_bytes());
    stream.extend_from_slice(&[0; 16]);
    stream.extend_from_slice(&mtef);
    stream
}

/// CHAR records in the variable typeface (3, stored plus 128).
fn characters(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(|unit| [2, 128 + 3, unit.to_le_bytes()[0], unit.to_le_bytes()[1]]).collect()
}

/// The DOC fixture with embedded objects, plus an equation object in its ObjectPool.
fn doc_with_equation(records: &[u8]) -> Vec<u8> {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/doc/0009_embedded_objects.doc");
    let original = std::fs::read(fixture).expect("the fixture exists");
    let mut compound = cfb::CompoundFile::open(std::io::Cursor::new(original)).expect("a compound file");
    compound.create_storage_all("/ObjectPool/_1034567890").expect("a new storage");
    compound
        .create_stream("/ObjectPool/_1034567890/Equation Native")
        .expect("a new stream")
        .write_all(&equation_native(records))
        .expect("in-memory write");
    compound.flush().expect("in-memory flush");
    compound.into_inner().into_inner()
}

/// An equation object gave no text at all: its formula is read into an "[Equations]" section.
#[test]
fn an_equation_in_a_doc_gives_its_formula() {
    let mut records = characters("S=vt");
    // A superscript template (selector 27) holding the exponent's line.
    records.extend([3, 27, 0, 0, 1]);
    records.extend(characters("2"));
    records.extend([0, 0]);
    let dir = std::env::temp_dir().join(format!("dossier-legacy-equation-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir is writable");
    let path = dir.join("equation.doc");
    std::fs::write(&path, doc_with_equation(&records)).expect("write");
    let (result, _) = golden::run(dossier_legacy::read_doc, &path);
    let _ = std::fs::remove_dir_all(&dir);
    let text = result.expect("the document reads").text;
    let section = text.split("[Equations]\n").nth(1).unwrap_or_else(|| panic!("no equations section in {text:?}"));
    assert!(section.starts_with("S=vt 2\n"), "{section:?}");
}
