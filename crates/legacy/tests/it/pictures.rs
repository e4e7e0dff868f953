//! Text drawn in vector pictures: EMF and WMF files of their own, and the EMF/WMF pictures (OfficeArt BLIPs)
//! inside Word, Excel and PowerPoint files. Both were read as nothing: a metafile was `binary`, and a DOC's vector
//! drawing, a PPT's or XLS's pasted chart lost its labels.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use dossier_document::golden;

/// An EMF: its header, one EMR_EXTTEXTOUTW per (baseline, string), EMR_EOF.
fn emf(strings: &[(i32, &str)]) -> Vec<u8> {
    let mut data = vec![0u8; 88];
    data[0] = 1;
    data[4] = 88;
    data[40..44].copy_from_slice(b" EMF");
    for (baseline, string) in strings {
        let units: Vec<u8> = string.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let padded = units.len().next_multiple_of(4);
        let mut record = vec![0u8; 76];
        record[0] = 84;
        record[4..8].copy_from_slice(&((76 + padded) as u32).to_le_bytes());
        record[40..44].copy_from_slice(&baseline.to_le_bytes());
        record[44..48].copy_from_slice(&((units.len() / 2) as u32).to_le_bytes());
        record[48..52].copy_from_slice(&76u32.to_le_bytes());
        record.extend_from_slice(&units);
        record.resize(76 + padded, 0);
        data.extend_from_slice(&record);
    }
    data.extend_from_slice(&[14, 0, 0, 0, 20, 0, 0, 0]);
    data.extend_from_slice(&[0; 12]);
    data
}

/// A WMF with the 22-byte placeable header and one META_TEXTOUT of `string` (8-bit bytes).
fn placeable_wmf(string: &[u8]) -> Vec<u8> {
    let mut data = vec![0xD7, 0xCD, 0xC6, 0x9A];
    data.resize(22, 0);
    data.extend_from_slice(&[1, 0, 9, 0, 0, 3]);
    data.resize(22 + 18, 0);
    let padded = string.len().next_multiple_of(2);
    data.extend_from_slice(&(((6 + 2 + padded + 4) / 2) as u32).to_le_bytes());
    data.extend_from_slice(&0x0521u16.to_le_bytes());
    data.extend_from_slice(&(string.len() as u16).to_le_bytes());
    data.extend_from_slice(string);
    data.resize(data.len() + padded - string.len(), 0);
    data.extend_from_slice(&[40, 0, 10, 0]);
    data.extend_from_slice(&[3, 0, 0, 0, 0, 0]);
    data
}

/// An OfficeArt EMF BLIP record (one UID) holding `metafile` deflated, as Office stores it.
fn emf_blip(metafile: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(metafile).expect("in-memory deflate");
    let stored = encoder.finish().expect("in-memory deflate");
    let mut record = Vec::new();
    record.extend_from_slice(&(0x3D4u16 << 4).to_le_bytes());
    record.extend_from_slice(&0xF01Au16.to_le_bytes());
    record.extend_from_slice(&((16 + 34 + stored.len()) as u32).to_le_bytes());
    record.extend_from_slice(&[0x11; 16]);
    record.extend_from_slice(&(metafile.len() as u32).to_le_bytes());
    record.extend_from_slice(&[0; 24]);
    record.extend_from_slice(&(stored.len() as u32).to_le_bytes());
    record.extend_from_slice(&[0, 0xFE]);
    record.extend_from_slice(&stored);
    record
}

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data").join(path)
}

/// The fixture's compound file with `stream` written (over) with `bytes`; `edit` may change the old content.
fn with_stream(fixture_path: &str, stream: &str, edit: impl FnOnce(Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    let original = std::fs::read(fixture(fixture_path)).expect("the fixture exists");
    let mut compound = cfb::CompoundFile::open(std::io::Cursor::new(original)).expect("a compound file");
    let mut old = Vec::new();
    if compound.is_stream(stream) {
        compound.open_stream(stream).expect("the stream opens").read_to_end(&mut old).expect("readable");
    }
    let new = edit(old);
    compound.create_stream(stream).expect("the stream is written").write_all(&new).expect("in-memory write");
    compound.flush().expect("in-memory flush");
    compound.into_inner().into_inner()
}

fn read(read: dossier_document::ReadFn, bytes: &[u8], name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("dossier-legacy-pictures-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir is writable");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("temp file is writable");
    let (result, _) = golden::run(read, &path);
    let _ = std::fs::remove_dir_all(&dir);
    result.unwrap_or_else(|err| panic!("{name}: {err}")).text
}

#[test]
fn an_emf_file_gives_the_text_drawn_in_it() {
    let text = read(dossier_legacy::read_metafile, &emf(&[(10, "Схема поставок"), (30, "Склад № 3")]), "a.emf");
    assert_eq!(text, "Схема поставок\nСклад № 3\n");
}

#[test]
fn a_placeable_wmf_file_gives_its_cyrillic_text() {
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode("Приложение к договору");
    assert_eq!(read(dossier_legacy::read_metafile, &placeable_wmf(&cp1251), "a.wmf"), "Приложение к договору\n");
}

#[test]
fn a_vector_drawing_in_a_doc_gives_its_text() {
    let doc = with_stream("doc/0001_memo_cyrillic.doc", "/Data", |mut data| {
        data.extend_from_slice(&[0u8; 68]);
        data.extend(emf_blip(&emf(&[(10, "Организационная схема")])));
        data
    });
    let text = read(dossier_legacy::read_doc, &doc, "drawing.doc");
    assert!(text.ends_with("[Pictures]\nОрганизационная схема\n"), "{text}");
}

#[test]
fn a_vector_picture_in_a_ppt_gives_its_text() {
    let ppt = with_stream("ppt/0001_quarter_slides.ppt", "/Pictures", |mut pictures| {
        pictures.extend(emf_blip(&emf(&[(10, "Выручка по кварталам")])));
        pictures
    });
    let text = read(dossier_legacy::read_ppt, &ppt, "chart.ppt");
    assert!(text.ends_with("[Pictures]\nВыручка по кварталам\n"), "{text}");
}

#[test]
fn a_vector_picture_in_an_xls_drawing_group_gives_its_text() {
    let xls = with_stream("xls/0001_payments_biff8.xls", "/Workbook", |mut workbook| {
        // An MSODRAWINGGROUP record whose OfficeArt data (a BLIP store entry) runs on in a CONTINUE record.
        let blip = emf_blip(&emf(&[(10, "Диаграмма платежей")]));
        let (first, rest) = blip.split_at(40);
        for (kind, part) in [(0x00EBu16, first), (0x003C, rest)] {
            workbook.extend_from_slice(&kind.to_le_bytes());
            workbook.extend_from_slice(&(part.len() as u16).to_le_bytes());
            workbook.extend_from_slice(part);
        }
        workbook
    });
    let text = read(dossier_legacy::read_xls, &xls, "chart.xls");
    assert!(text.ends_with("[Pictures]\nДиаграмма платежей\n"), "{text}");
}
