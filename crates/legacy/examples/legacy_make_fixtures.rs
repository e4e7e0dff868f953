//! Regenerates the golden-test fixtures in `test_data/{doc,xls,ppt,works}` (`... legacy_make_fixtures works`: only the
//! Works ones, which need no LibreOffice):
//! `cargo run -p dossier-legacy --example legacy_make_fixtures` (needs LibreOffice: `apt-get install -y
//! libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui`).
//!
//! The documents are flat OpenDocument files written here, converted by LibreOffice with
//! `soffice -env:UserInstallation=file:///tmp/dossier-legacy-lo --headless --convert-to doc:"MS Word 97" --outdir OUT IN.fodt`
//! (likewise `xls:"MS Excel 97"`, `xls:"MS Excel 95"` and `ppt:"MS PowerPoint 97"`). The damaged variants
//! (truncated, bit-flipped, encrypted flag set, empty, not OLE) are derived from those bytes in Rust.
//! LibreOffice stamps no time of its own into these files (the dates come from the flat files' meta), so the
//! output is stable for one LibreOffice version.

use std::path::{Path, PathBuf};
use std::process::Command;

const META: &str = r#"<office:meta>
  <meta:initial-creator>Ирина Петрова</meta:initial-creator>
  <dc:creator>Oleg Sidorov</dc:creator>
  <meta:creation-date>2024-03-01T10:00:00</meta:creation-date>
  <dc:date>2024-03-02T11:30:00</dc:date>
  <dc:title>Отчёт о закупках</dc:title>
  <dc:subject>Тендер 2024</dc:subject>
  <meta:keyword>закупки</meta:keyword>
  <dc:description>Служебная записка</dc:description>
 </office:meta>"#;

const NAMESPACES: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.2""#;

fn writer_document() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document {NAMESPACES} office:mimetype="application/vnd.oasis.opendocument.text">
 {META}
 <office:master-styles>
  <style:master-page style:name="Standard">
   <style:header><text:p>Колонтитул: ООО «Ромашка»</text:p></style:header>
  </style:master-page>
 </office:master-styles>
 <office:body><office:text>
  <text:h text:outline-level="1">Служебная записка</text:h>
  <text:p>Прошу согласовать закупку оборудования у поставщика<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>Договор № 17/2024 от 1 марта.</text:p></text:note-body></text:note> на сумму 1 250 000 рублей.</text:p>
  <text:p>Подробности: <text:a xlink:type="simple" xlink:href="https://example.org/tender">сайт тендера</text:a>.</text:p>
  <table:table table:name="Смета">
   <table:table-column table:number-columns-repeated="2"/>
   <table:table-row><table:table-cell><text:p>Позиция</text:p></table:table-cell><table:table-cell><text:p>Цена</text:p></table:table-cell></table:table-row>
   <table:table-row><table:table-cell><text:p>Сервер</text:p></table:table-cell><table:table-cell><text:p>900 000</text:p></table:table-cell></table:table-row>
  </table:table>
  <text:p>Mixed Latin text: café, naïve, Zürich.</text:p>
  <text:p>Українська: їжак, ґанок, Європа.</text:p>
 </office:text></office:body>
</office:document>
"#
    )
}

fn calc_document() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document {NAMESPACES} office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
 {META}
 <office:automatic-styles>
  <number:date-style style:name="N37"><number:year number:style="long"/><number:text>-</number:text><number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/></number:date-style>
  <style:style style:name="ce1" style:family="table-cell" style:data-style-name="N37"/>
 </office:automatic-styles>
 <office:body><office:spreadsheet>
  <table:table table:name="Платежи">
   <table:table-row><table:table-cell office:value-type="string"><text:p>Получатель</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Сумма</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Дата</text:p></table:table-cell></table:table-row>
   <table:table-row><table:table-cell office:value-type="string"><text:p>ООО «Вектор»</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="1250000.5"><text:p>1250000.5</text:p></table:table-cell><table:table-cell table:style-name="ce1" office:value-type="date" office:date-value="2024-03-15"><text:p>2024-03-15</text:p></table:table-cell></table:table-row>
   <table:table-row><table:table-cell office:value-type="string"><text:p>ИП Ковальчук</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="42"><text:p>42</text:p></table:table-cell><table:table-cell/><table:table-cell/><table:table-cell office:value-type="string"><text:p>далеко справа</text:p></table:table-cell></table:table-row>
   <table:table-row><table:table-cell office:value-type="string"><text:p>Итого</text:p></table:table-cell><table:table-cell table:formula="of:=SUM([.B2:.B3])" office:value-type="float" office:value="1250042.5"><text:p>1250042.5</text:p></table:table-cell><table:table-cell table:formula="of:=IF([.B4]&gt;0;&quot;да&quot;;&quot;нет&quot;)" office:value-type="string" office:string-value="да"><text:p>да</text:p></table:table-cell></table:table-row>
  </table:table>
  <table:table table:name="Notes">
   <table:table-row><table:table-cell office:value-type="string"><text:p>Checked by auditor</text:p></table:table-cell><table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>TRUE</text:p></table:table-cell></table:table-row>
  </table:table>
 </office:spreadsheet></office:body>
</office:document>
"#
    )
}

fn impress_document() -> String {
    let slide = |name: &str, title: &str, body: &str, notes: &str| {
        format!(
            r#"<draw:page draw:name="{name}" draw:master-page-name="Default">
   <draw:frame presentation:class="title" svg:x="2cm" svg:y="1cm" svg:width="20cm" svg:height="3cm"><draw:text-box><text:p>{title}</text:p></draw:text-box></draw:frame>
   <draw:frame presentation:class="outline" svg:x="2cm" svg:y="5cm" svg:width="20cm" svg:height="10cm"><draw:text-box><text:p>{body}</text:p></draw:text-box></draw:frame>
   <draw:frame svg:x="2cm" svg:y="16cm" svg:width="10cm" svg:height="2cm"><draw:text-box><text:p>Free text box on {name}</text:p></draw:text-box></draw:frame>
   <presentation:notes><draw:frame presentation:class="notes" svg:x="2cm" svg:y="14cm" svg:width="17cm" svg:height="10cm"><draw:text-box><text:p>{notes}</text:p></draw:text-box></draw:frame></presentation:notes>
  </draw:page>"#
        )
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document {NAMESPACES} office:mimetype="application/vnd.oasis.opendocument.presentation">
 {META}
 <office:master-styles><style:master-page style:name="Default"/></office:master-styles>
 <office:body><office:presentation>
  {}
  {}
 </office:presentation></office:body>
</office:document>
"#,
        slide("page1", "Итоги квартала", "Выручка выросла на 12%", "Заметка докладчика: не упоминать аудит"),
        slide("page2", "Second slide", "Plans for 2025", "Speaker notes in English"),
    )
}

fn convert(input: &Path, filter: &str, out_dir: &Path) -> PathBuf {
    let status = Command::new("soffice")
        .args(["-env:UserInstallation=file:///tmp/dossier-legacy-lo", "--headless", "--convert-to", filter, "--outdir"])
        .arg(out_dir)
        .arg(input)
        .status()
        .expect("soffice runs (install LibreOffice)");
    assert!(status.success(), "soffice failed on {}", input.display());
    let extension = filter.split(':').next().expect("filter has an extension");
    out_dir.join(input.with_extension(extension).file_name().expect("input has a file name"))
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::create_dir_all(dir).expect("fixture folder is writable");
    std::fs::write(dir.join(name), bytes).expect("fixture is writable");
}

fn biff_record(out: &mut Vec<u8>, kind: u16, data: &[u8]) {
    out.extend_from_slice(&kind.to_le_bytes());
    out.extend_from_slice(&(data.len() as u16).to_le_bytes());
    out.extend_from_slice(data);
}

/// A two-sheet Excel 95 (BIFF5) workbook with cp1251 strings, with or without its CODEPAGE record.
fn biff5_workbook(with_codepage: bool) -> Vec<u8> {
    let cp1251 = |text: &str| encoding_rs::WINDOWS_1251.encode(text).0.into_owned();
    let label = |row: u16, col: u16, text: &str| {
        let bytes = cp1251(text);
        let mut data = [row.to_le_bytes(), col.to_le_bytes(), 15u16.to_le_bytes()].concat();
        data.extend_from_slice(&(bytes.len() as u16).to_le_bytes());
        data.extend_from_slice(&bytes);
        data
    };
    let number = |row: u16, col: u16, xf: u16, value: f64| {
        let mut data = [row.to_le_bytes(), col.to_le_bytes(), xf.to_le_bytes()].concat();
        data.extend_from_slice(&value.to_le_bytes());
        data
    };
    let bof = |kind: u16| [0x0500u16.to_le_bytes(), kind.to_le_bytes(), [0, 0], [0, 0]].concat();
    let sheet = |cells: &[(u16, Vec<u8>)]| {
        let mut out = Vec::new();
        biff_record(&mut out, 0x0809, &bof(0x0010));
        for (kind, data) in cells {
            biff_record(&mut out, *kind, data);
        }
        biff_record(&mut out, 0x000A, &[]);
        out
    };
    let sheets = [
        (
            "Лист1",
            sheet(&[
                (0x0204, label(0, 0, "Получатель")),
                (0x0204, label(0, 1, "Сумма")),
                (0x0204, label(1, 0, "ЗАО «Прогресс»")),
                (0x0203, number(1, 1, 15, 1234.5)),
                (0x0203, number(1, 2, 16, 45366.0)),
            ]),
        ),
        ("Итоги", sheet(&[(0x0204, label(0, 0, "Всего")), (0x0203, number(0, 1, 15, 1234.5))])),
    ];
    let mut globals_head = Vec::new();
    biff_record(&mut globals_head, 0x0809, &bof(0x0005));
    if with_codepage {
        biff_record(&mut globals_head, 0x0042, &1251u16.to_le_bytes());
    }
    // XF records 0-15 with the General format, then XF 16 with built-in date format 14.
    for _ in 0..16 {
        biff_record(&mut globals_head, 0x00E0, &[0; 16]);
    }
    let mut date_xf = [0u8; 16];
    date_xf[2] = 14;
    biff_record(&mut globals_head, 0x00E0, &date_xf);
    let sheet_list_len: usize = sheets.iter().map(|(name, _)| 4 + 6 + 1 + cp1251(name).len()).sum();
    let mut offset = globals_head.len() + sheet_list_len + 4;
    let mut sheet_list = Vec::new();
    for (name, body) in &sheets {
        let bytes = cp1251(name);
        let mut data = (offset as u32).to_le_bytes().to_vec();
        data.extend_from_slice(&[0, 0, bytes.len() as u8]);
        data.extend_from_slice(&bytes);
        biff_record(&mut sheet_list, 0x0085, &data);
        offset += body.len();
    }
    let mut stream = globals_head;
    stream.extend_from_slice(&sheet_list);
    biff_record(&mut stream, 0x000A, &[]);
    for (_, body) in &sheets {
        stream.extend_from_slice(body);
    }
    compound_file("Book", &stream)
}

/// An OLE2 compound file holding one stream, built in memory with the `cfb` crate.
fn compound_file(stream_name: &str, bytes: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    let mut compound = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).expect("in-memory compound file");
    compound.create_stream(stream_name).expect("new stream").write_all(bytes).expect("in-memory write");
    compound.flush().expect("in-memory flush");
    compound.into_inner().into_inner()
}

/// Adds streams (path, bytes) and their storages to a compound file held in memory, with the `cfb` crate.
fn add_streams(compound_bytes: &[u8], streams: &[(String, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write as _;
    let mut compound =
        cfb::CompoundFile::open(std::io::Cursor::new(compound_bytes.to_vec())).expect("a readable compound file");
    for (path, bytes) in streams {
        if let Some((parent, _)) = path.rsplit_once('/')
            && !parent.is_empty()
        {
            compound.create_storage_all(parent).expect("new storage");
        }
        compound.create_stream(path).expect("new stream").write_all(bytes).expect("in-memory write");
    }
    compound.flush().expect("in-memory flush");
    let mut bytes = compound.into_inner().into_inner();
    // `cfb` stamps new storages with the clock; fixtures must come out the same on every run.
    dossier_document::clear_compound_storage_times(&mut bytes);
    bytes
}

/// The streams of a compound file, to copy them into another one's storage.
fn streams_of(compound_bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read as _;
    let mut compound =
        cfb::CompoundFile::open(std::io::Cursor::new(compound_bytes.to_vec())).expect("a readable compound file");
    let paths: Vec<String> = compound
        .walk()
        .filter(|entry| entry.is_stream())
        .map(|entry| entry.path().to_string_lossy().into_owned())
        .collect();
    paths
        .into_iter()
        .map(|path| {
            let mut bytes = Vec::new();
            compound.open_stream(&path).expect("a listed stream").read_to_end(&mut bytes).expect("in-memory read");
            (path, bytes)
        })
        .collect()
}

/// An OLE1 `\x01Ole10Native` stream for the `Package` class: the declared size, then the packaged file with its
/// label, original path and temporary path, in windows-1251 as the Packager of a Russian Windows writes them.
/// `declared` overrides the size (to make it lie).
fn ole10_native_package(label: &str, content: &[u8], declared: Option<u32>) -> Vec<u8> {
    let ansi = |s: &str| encoding_rs::WINDOWS_1251.encode(s).0.into_owned();
    let mut native = vec![2, 0];
    native.extend(ansi(label));
    native.push(0);
    native.extend(ansi(&format!("C:\\Users\\olga\\{label}")));
    native.push(0);
    native.extend_from_slice(&[0, 0, 3, 0]);
    let temp = ansi(&format!("C:\\Temp\\{label}\0"));
    native.extend_from_slice(&(temp.len() as u32).to_le_bytes());
    native.extend(temp);
    native.extend_from_slice(&(content.len() as u32).to_le_bytes());
    native.extend_from_slice(content);
    native.extend_from_slice(&[0; 6]);
    let mut stream = declared.unwrap_or(native.len() as u32).to_le_bytes().to_vec();
    stream.extend(native);
    stream
}

/// An EMF picture (as Office stores a linked object's presentation in `\x03EPRINT`) drawing each (x, baseline,
/// string) with EMR_EXTTEXTOUTW, each character 10 units wide.
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
    data.extend_from_slice(&14u32.to_le_bytes());
    data.extend_from_slice(&20u32.to_le_bytes());
    data.extend_from_slice(&[0; 12]);
    data
}

/// The memo with one object of each kind in its ObjectPool: a packaged text file, a Word document (the memo
/// itself), an Office 2007 package, a PDF in CONTENTS, a link shown only by its EMF picture, a package whose
/// declared size lies, and an object holding nothing readable.
fn doc_with_embedded_objects(doc: &[u8]) -> Vec<u8> {
    let pool = "/ObjectPool";
    let mut streams = vec![
        (
            format!("{pool}/_1001/\u{1}Ole10Native"),
            ole10_native_package("suppliers.txt", "Приложение: список поставщиков".as_bytes(), None),
        ),
        (format!("{pool}/_1003/package"), b"PK\x03\x04 not really a zip".to_vec()),
        (format!("{pool}/_1004/CONTENTS"), b"%PDF-1.4\n% an embedded PDF\n".to_vec()),
        (format!("{pool}/_1005/\u{3}LinkInfo"), b"C:\\Slides\\quarter.ppt\0".to_vec()),
        (
            format!("{pool}/_1005/\u{3}EPRINT"),
            emf_with_strings(&[(0, 100, "Квартальный отчёт "), (180, 100, "2024"), (0, 200, "Linked slide text")]),
        ),
        (format!("{pool}/_1006/\u{1}Ole10Native"), ole10_native_package("cut.txt", b"short", Some(1 << 30))),
        (format!("{pool}/_1007/\u{3}ObjInfo"), vec![0; 6]),
    ];
    for (path, bytes) in streams_of(doc) {
        streams.push((format!("{pool}/_1002{path}"), bytes));
    }
    add_streams(doc, &streams)
}

/// The memo with one of its paragraphs replaced (same length, UTF-16) by an EQ field without a result: ruby text.
fn doc_with_equation_field(doc: &[u8]) -> Vec<u8> {
    use std::io::{Read as _, Seek as _, Write as _};
    // LibreOffice writes the Ukrainian paragraph (not in cp1252) as UTF-16; the Latin one is 8-bit.
    let original = "Українська: їжак, ґанок, Європа.";
    let replacement = "\u{13}EQ \\o\\ad(\\s\\up 8(とうきょう),東京)\u{15}.  ";
    assert_eq!(original.chars().count(), replacement.chars().count(), "same length, so no table changes");
    let utf16 = |s: &str| s.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>();
    let mut compound = cfb::CompoundFile::open(std::io::Cursor::new(doc.to_vec())).expect("a readable compound file");
    let mut stream = Vec::new();
    compound.open_stream("/WordDocument").expect("a Word document").read_to_end(&mut stream).expect("read");
    let (original, replacement) = (utf16(original), utf16(replacement));
    let at = stream.windows(original.len()).position(|w| w == original).expect("the paragraph in UTF-16");
    stream[at..at + original.len()].copy_from_slice(&replacement);
    let mut writer = compound.open_stream("/WordDocument").expect("a Word document");
    writer.rewind().expect("seek");
    writer.write_all(&stream).expect("in-memory write");
    drop(writer);
    compound.flush().expect("in-memory flush");
    compound.into_inner().into_inner()
}

/// The presentation with three ExOleObjStg records appended to its `PowerPoint Document` stream (where nothing
/// points to them, which the reader does not need): a packaged text file in a zlib-compressed storage, the memo
/// Word document stored uncompressed, and a record whose compressed data is damaged.
fn ppt_with_embedded_objects(ppt: &[u8], doc: &[u8]) -> Vec<u8> {
    use std::io::{Seek as _, Write as _};
    let record = |instance: u16, payload: &[u8]| {
        let mut record = (instance << 4).to_le_bytes().to_vec();
        record.extend_from_slice(&0x1011u16.to_le_bytes());
        record.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        record.extend_from_slice(payload);
        record
    };
    let compressed = |bytes: &[u8]| {
        let mut payload = (bytes.len() as u32).to_le_bytes().to_vec();
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(bytes).expect("in-memory write");
        payload.extend(encoder.finish().expect("in-memory zlib"));
        payload
    };
    let package = ole10_native_package("протокол.txt", "Протокол заседания".as_bytes(), None);
    let package_storage =
        add_streams(&compound_file("\u{1}CompObj", &[0; 16]), &[("/\u{1}Ole10Native".to_string(), package)]);
    let mut damaged = compressed(b"never read");
    // After the two-byte zlib header, blocks of the reserved type 3: the inflater refuses them.
    damaged[4 + 2..].fill(0xFF);
    let mut appended = record(1, &compressed(&package_storage));
    appended.extend(record(0, doc));
    appended.extend(record(1, &damaged));

    let mut compound = cfb::CompoundFile::open(std::io::Cursor::new(ppt.to_vec())).expect("a readable compound file");
    let mut stream = compound.open_stream("/PowerPoint Document").expect("a presentation");
    stream.seek(std::io::SeekFrom::End(0)).expect("seek");
    stream.write_all(&appended).expect("in-memory write");
    drop(stream);
    compound.flush().expect("in-memory flush");
    compound.into_inner().into_inner()
}

/// A Works 5+ `CONTENTS` stream: the CHNK header, one index block (the TEXT and a FONT chunk), the UTF-16LE text at
/// 0x200 as Works places it.
fn works8_contents(text: &str) -> Vec<u8> {
    let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let mut contents = b"CHNKWKS \x04\x00\x02\x00\x10\x00\x00\x03\x00\x02\x00\x00\x00\x10\x00\x00".to_vec();
    contents.extend_from_slice(&[0xF8, 0x01, 0x10, 0x00, 0xFF, 0xFF, 0xFF, 0xFF]);
    for (name, offset, length) in [(b"TEXT", 0x200u32, utf16.len() as u32), (b"FONT", 0x200 + utf16.len() as u32, 4)] {
        contents.extend_from_slice(&[24, 0]);
        contents.extend_from_slice(name);
        contents.extend_from_slice(&[0, 0, 1, 0, 0, 0]);
        contents.extend_from_slice(name);
        contents.extend_from_slice(&offset.to_le_bytes());
        contents.extend_from_slice(&length.to_le_bytes());
    }
    contents.resize(0x200, 0);
    contents.extend_from_slice(&utf16);
    contents.extend_from_slice(&[0; 4]);
    contents
}

/// A Works 3/4 `MN0` stream: a 256-byte header with the text's start and end at 0x22 and 0x26, then the 8-bit text.
fn works4_mn0(text: &[u8]) -> Vec<u8> {
    let mut mn0 = vec![0u8; 0x100];
    mn0[..4].copy_from_slice(&[0x06, 0xFE, 0x01, 0x50]);
    mn0[0x22..0x26].copy_from_slice(&0x100u32.to_le_bytes());
    mn0[0x26..0x2A].copy_from_slice(&(0x100 + text.len() as u32).to_le_bytes());
    mn0.extend_from_slice(text);
    mn0.extend_from_slice(&[0; 64]);
    mn0
}

/// Microsoft Works word-processor files, built here (no Works to convert with): they need no LibreOffice, and
/// `legacy_make_fixtures works` writes only them.
fn works_fixtures(crate_dir: &Path) {
    let dir = crate_dir.join("test_data/works");
    let letter =
        "Письмо № 12/4\r\rУважаемый Иван Петрович!\rПрошу сообщить\u{0B}до 1 марта.\u{1}\r\u{0C}Додаток: їжак.\r";
    let works8 = add_streams(&compound_file("CONTENTS", &works8_contents(letter)), &[]);
    write(&dir, "0001_letter_works8.wps", &works8);
    let memo = encoding_rs::WINDOWS_1251.encode("Служебная записка\r\nСрок: 5 апреля.\r\n").0.into_owned();
    let works4 = add_streams(
        &compound_file("MN0", &works4_mn0(&memo)),
        &[("/MatOST".to_string(), vec![0; 16]), ("/MM".to_string(), b"ND\0\0\x01\0\0\0\0\0\0\0\0\0".to_vec())],
    );
    write(&dir, "0002_memo_works4.wps", &works4);
    write(&dir, "0003_works4_latin.wps", &add_streams(&compound_file("MN0", &works4_mn0(b"Caf\xe9 menu\r\n")), &[]));
    // A CONTENTS stream of another class (no CHNK header), and a text said to run 4 GB.
    write(&dir, "0004_contents_not_works.wps", &add_streams(&compound_file("CONTENTS", b"%PDF-1.4 not works"), &[]));
    let mut lying = works4_mn0(&memo);
    lying[0x26..0x2A].copy_from_slice(&u32::MAX.to_le_bytes());
    write(&dir, "0005_text_end_lies.wps", &add_streams(&compound_file("MN0", &lying), &[]));
}

fn main() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    works_fixtures(crate_dir);
    if std::env::args().nth(1).as_deref() == Some("works") {
        return;
    }
    let work = std::env::temp_dir().join("dossier-legacy-fixtures");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).expect("temp dir is writable");
    std::fs::write(work.join("memo.fodt"), writer_document()).expect("temp dir is writable");
    std::fs::write(work.join("payments.fods"), calc_document()).expect("temp dir is writable");
    std::fs::write(work.join("quarter.fodp"), impress_document()).expect("temp dir is writable");

    let doc_dir = crate_dir.join("test_data/doc");
    let doc = std::fs::read(convert(&work.join("memo.fodt"), "doc:MS Word 97", &work)).expect("doc written");
    write(&doc_dir, "0001_memo_cyrillic.doc", &doc);
    write(&doc_dir, "0002_truncated_half.doc", &doc[..doc.len() / 2]);
    write(&doc_dir, "0003_truncated_header.doc", &doc[..300]);
    // A piece table said to be 2 GB long, and a main text said to be 2 G characters long (LibreOffice writes a
    // Word 97 FIB with csw 14 and cslw 22, so ccpText is at 76 and lcbClx at 422 from its start).
    let fib_at = doc.windows(2).position(|pair| pair == [0xEC, 0xA5]).expect("the FIB magic is in the file");
    let mut lying = doc.clone();
    lying[fib_at + 422..fib_at + 426].copy_from_slice(&0x7FFF_FFFFu32.to_le_bytes());
    write(&doc_dir, "0004_piece_table_too_long.doc", &lying);
    let mut lying = doc.clone();
    lying[fib_at + 76..fib_at + 80].copy_from_slice(&0x7FFF_FFFFu32.to_le_bytes());
    write(&doc_dir, "0008_main_text_too_long.doc", &lying);
    // Set fEncrypted (bit 8 of the FIB flags at offset 10) in the WordDocument stream, found by its magic.
    let fib = doc.windows(2).position(|pair| pair == [0xEC, 0xA5]).expect("the FIB magic is in the file");
    let mut encrypted = doc.clone();
    encrypted[fib + 11] |= 0x01;
    write(&doc_dir, "0005_encrypted_flag.doc", &encrypted);
    write(&doc_dir, "0006_empty.doc", b"");
    write(&doc_dir, "0007_not_ole.doc", b"{\\rtf1 this is an RTF file with a .doc name}");
    write(&doc_dir, "0009_embedded_objects.doc", &doc_with_embedded_objects(&doc));
    write(&doc_dir, "0010_equation_field.doc", &doc_with_equation_field(&doc));

    let xls_dir = crate_dir.join("test_data/xls");
    let xls = std::fs::read(convert(&work.join("payments.fods"), "xls:MS Excel 97", &work)).expect("xls written");
    write(&xls_dir, "0001_payments_biff8.xls", &xls);
    // LibreOffice reads Excel 95 but cannot write it: the BIFF5 workbooks are built record by record here.
    let biff5 = biff5_workbook(true);
    write(&xls_dir, "0002_payments_biff5.xls", &biff5);
    write(&xls_dir, "0003_truncated_half.xls", &xls[..xls.len() / 2]);
    // A shared string table claiming 4 billion strings: walk the records from the BIFF8 BOF to the SST.
    let mut lying = xls.clone();
    let mut at = xls.windows(6).position(|w| w == [0x09, 0x08, 0x10, 0x00, 0x00, 0x06]).expect("BIFF8 BOF");
    while u16::from_le_bytes([xls[at], xls[at + 1]]) != 0x00FC {
        at += 4 + usize::from(u16::from_le_bytes([xls[at + 2], xls[at + 3]]));
    }
    lying[at + 8..at + 12].copy_from_slice(&u32::MAX.to_le_bytes());
    write(&xls_dir, "0004_sst_count_lies.xls", &lying);
    // The same BIFF5 workbook without a CODEPAGE record: the reader must guess windows-1251 from the strings.
    write(&xls_dir, "0005_biff5_no_codepage.xls", &biff5_workbook(false));
    // A workbook with a FILEPASS record (password protection) right after the first BOF.
    let mut protected = Vec::new();
    biff_record(&mut protected, 0x0809, &[0x00, 0x05, 0x05, 0x00, 0, 0, 0, 0]);
    biff_record(&mut protected, 0x002F, &[0; 6]);
    biff_record(&mut protected, 0x000A, &[]);
    write(&xls_dir, "0006_filepass.xls", &compound_file("Book", &protected));

    // An Excel 4 worksheet: no OLE container, the file is the record stream (BOF 0x0409, LABEL, NUMBER, EOF).
    let mut biff4 = Vec::new();
    biff_record(&mut biff4, 0x0409, &[0x00, 0x00, 0x10, 0x00, 0x00, 0x00]);
    biff_record(&mut biff4, 0x0042, &1251u16.to_le_bytes());
    let mut label = [0u16.to_le_bytes(), 0u16.to_le_bytes(), 0u16.to_le_bytes()].concat();
    let name = encoding_rs::WINDOWS_1251.encode("Остаток на складе").0.into_owned();
    label.extend_from_slice(&(name.len() as u16).to_le_bytes());
    label.extend_from_slice(&name);
    biff_record(&mut biff4, 0x0204, &label);
    let mut number = [0u16.to_le_bytes(), 1u16.to_le_bytes(), 0u16.to_le_bytes()].concat();
    number.extend_from_slice(&17.25f64.to_le_bytes());
    biff_record(&mut biff4, 0x0203, &number);
    biff_record(&mut biff4, 0x000A, &[]);
    write(&xls_dir, "0007_excel4_bare_biff.xls", &biff4);
    // A file pasted into the workbook: Excel keeps embedded objects in root storages named MBD<hex>.
    let pasted = ole10_native_package("накладная.txt", "Накладная № 5".as_bytes(), None);
    write(
        &xls_dir,
        "0008_embedded_object.xls",
        &add_streams(&xls, &[("/MBD0012AB34/\u{1}Ole10Native".to_string(), pasted)]),
    );

    let ppt_dir = crate_dir.join("test_data/ppt");
    let ppt = std::fs::read(convert(&work.join("quarter.fodp"), "ppt:MS PowerPoint 97", &work)).expect("ppt");
    write(&ppt_dir, "0001_quarter_slides.ppt", &ppt);
    write(&ppt_dir, "0002_truncated_half.ppt", &ppt[..ppt.len() / 2]);
    // The first text atom (TextCharsAtom, type 0x0FA0) claims to run 4 GB.
    let mut lying = ppt.clone();
    let atom_at = ppt.windows(4).position(|w| w == [0x00, 0x00, 0xA0, 0x0F]).expect("a TextCharsAtom");
    lying[atom_at + 4..atom_at + 8].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
    write(&ppt_dir, "0003_text_atom_too_long.ppt", &lying);
    write(&ppt_dir, "0004_embedded_objects.ppt", &ppt_with_embedded_objects(&ppt, &doc));
    println!("fixtures written under {}", crate_dir.join("test_data").display());
}
