//! Writes the RTF golden fixtures that hold binary parts (metafile pictures, OLE1 objects), which are impractical
//! to write by hand: `cargo run -p dossier-rtf --example make_fixtures`. Deterministic; the `.expected` files
//! beside them are written by `DOSSIER_UPDATE_GOLDEN=1 cargo test -p dossier-rtf` and checked by eye.

use std::fmt::Write as _;
use std::path::Path;

/// An EMF picture drawing each (x, baseline, string) with EMR_EXTTEXTOUTW, each character 10 units wide.
fn emf_with_strings(strings: &[(i32, i32, &str)]) -> Vec<u8> {
    let mut data = vec![0u8; 88];
    data[0..4].copy_from_slice(&1u32.to_le_bytes());
    data[4..8].copy_from_slice(&88u32.to_le_bytes());
    data[40..44].copy_from_slice(b" EMF");
    for (x, y, string) in strings {
        let units: Vec<u16> = string.encode_utf16().collect();
        let string_size = units.len() * 2 + (units.len() * 2) % 4;
        let size = 76 + string_size + units.len() * 4;
        let mut record = vec![0u8; 76];
        record[0..4].copy_from_slice(&84u32.to_le_bytes());
        record[4..8].copy_from_slice(&(size as u32).to_le_bytes());
        record[36..40].copy_from_slice(&x.to_le_bytes());
        record[40..44].copy_from_slice(&y.to_le_bytes());
        record[44..48].copy_from_slice(&(units.len() as u32).to_le_bytes());
        record[48..52].copy_from_slice(&76u32.to_le_bytes());
        record[72..76].copy_from_slice(&((76 + string_size) as u32).to_le_bytes());
        for unit in &units {
            record.extend_from_slice(&unit.to_le_bytes());
        }
        record.resize(76 + string_size, 0);
        for _ in &units {
            record.extend_from_slice(&10u32.to_le_bytes());
        }
        data.extend(record);
    }
    // EMR_EOF.
    data.extend_from_slice(&14u32.to_le_bytes());
    data.extend_from_slice(&20u32.to_le_bytes());
    data.extend_from_slice(&[0; 12]);
    data
}

/// A WMF picture drawing each (baseline, 8-bit string) with META_TEXTOUT.
fn wmf_with_strings(strings: &[(i16, &[u8])]) -> Vec<u8> {
    let mut data = vec![1, 0, 9, 0, 0, 3];
    data.extend_from_slice(&[0; 12]);
    for (y, string) in strings {
        let padded = string.len() + string.len() % 2;
        let words = (6 + 2 + padded + 4) / 2;
        data.extend_from_slice(&(words as u32).to_le_bytes());
        data.extend_from_slice(&0x0521u16.to_le_bytes());
        data.extend_from_slice(&(string.len() as u16).to_le_bytes());
        data.extend_from_slice(string);
        data.resize(data.len() + padded - string.len(), 0);
        data.extend_from_slice(&y.to_le_bytes());
        data.extend_from_slice(&0i16.to_le_bytes());
    }
    data.extend_from_slice(&3u32.to_le_bytes());
    data.extend_from_slice(&0u16.to_le_bytes());
    data
}

fn hex_lines(bytes: &[u8]) -> String {
    let mut out = String::new();
    for (index, byte) in bytes.iter().enumerate() {
        if index > 0 && index % 64 == 0 {
            out.push('\n');
        }
        let _ = write!(out, "{byte:02x}");
    }
    out
}

/// A linked object's OLE1 header: version, format 1 (linked), class name. It holds no file.
fn linked_objdata(class_name: &str) -> Vec<u8> {
    let mut data = 0x0501u32.to_le_bytes().to_vec();
    data.extend_from_slice(&1u32.to_le_bytes());
    data.extend_from_slice(&((class_name.len() + 1) as u32).to_le_bytes());
    data.extend_from_slice(class_name.as_bytes());
    data.push(0);
    data
}

/// An embedded object's OLE1 header (format 2) around its native data.
fn embedded_objdata(class_name: &str, native: &[u8]) -> Vec<u8> {
    let mut data = 0x0501u32.to_le_bytes().to_vec();
    data.extend_from_slice(&2u32.to_le_bytes());
    for string in [class_name, "", ""] {
        data.extend_from_slice(&((string.len() + 1) as u32).to_le_bytes());
        data.extend_from_slice(string.as_bytes());
        data.push(0);
    }
    data.extend_from_slice(&(native.len() as u32).to_le_bytes());
    data.extend_from_slice(native);
    data
}

/// Objects shown by their pictures: a linked Word document whose text exists only in its EMF rendition (with the
/// WMF twin in \nonshppict, which must not be read twice), and a linked object whose WMF rendition is stored with
/// \bin and holds Cyrillic text in the document's codepage. The picture of an embedded object (whose file goes to
/// the sink, so the picture would repeat it) and a picture outside any object are not read.
fn objects_shown_as_pictures() -> Vec<u8> {
    let emf = emf_with_strings(&[
        (0, 100, "Linked report "),
        (140, 100, "BOLD"),
        (180, 100, " and "),
        (230, 100, "ITALIC"),
        (290, 100, "."),
        (0, 200, "Second paragraph of the linked file"),
    ]);
    let twin = wmf_with_strings(&[(100, b"Linked report BOLD and ITALIC.")]);
    let cyrillic = wmf_with_strings(&[(10, b"\xd1\xec\xe5\xf2\xe0 \xed\xe0 2026 \xe3\xee\xe4")]);
    let preview = emf_with_strings(&[(0, 0, "Preview of the embedded file")]);
    let logo = emf_with_strings(&[(0, 0, "Logo text that is not an object")]);
    let mut rtf = Vec::new();
    rtf.extend_from_slice(b"{\\rtf1\\ansi\\ansicpg1251\\deff0{\\fonttbl{\\f0 Arial;}}\n\\pard Before the link.\\par\n");
    rtf.extend_from_slice(b"{\\object\\objautlink\\rsltpict\\objw9476\\objh12867{\\*\\objclass Word.Document.8}");
    rtf.extend_from_slice(format!("{{\\*\\objdata {}}}", hex_lines(&linked_objdata("Word.Document.8"))).as_bytes());
    rtf.extend_from_slice(b"{\\result {\\*\\shppict{\\pict{\\*\\picprop\\shplid1025{\\sp{\\sn shapeType}{\\sv 75}}}");
    rtf.extend_from_slice(format!("\\emfblip\\bliptag-1{{\\*\\blipuid 00ff}}\n{}}}}}", hex_lines(&emf)).as_bytes());
    rtf.extend_from_slice(format!("{{\\nonshppict{{\\pict\\wmetafile8 {}}}}}}}}}\\par\n", hex_lines(&twin)).as_bytes());
    rtf.extend_from_slice(
        b"Between.\\par\n{\\object\\objlink{\\*\\objclass Paint.Picture}{\\result {\\pict\\wmetafile8 ",
    );
    rtf.extend_from_slice(format!("\\bin{} ", cyrillic.len()).as_bytes());
    rtf.extend_from_slice(&cyrillic);
    rtf.extend_from_slice(b"}}}\\par\n{\\object\\objemb{\\*\\objclass Package}");
    let objdata = embedded_objdata("Word.Document.8", b"the embedded file");
    rtf.extend_from_slice(format!("{{\\*\\objdata {}}}", hex_lines(&objdata)).as_bytes());
    rtf.extend_from_slice(format!("{{\\result {{\\pict\\emfblip {}}}}}}}\\par\n", hex_lines(&preview)).as_bytes());
    rtf.extend_from_slice(format!("{{\\pict\\emfblip {}}}\\par\nAfter.\\par\n}}\n", hex_lines(&logo)).as_bytes());
    rtf
}

fn main() -> std::io::Result<()> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/rtf");
    std::fs::write(dir.join("0016_objects_shown_as_pictures.rtf"), objects_shown_as_pictures())?;
    Ok(())
}
