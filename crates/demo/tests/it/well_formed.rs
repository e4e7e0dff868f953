//! Every file of the collection opens with an independent reader (the zip crate, quick-xml, mail-parser,
//! encoding_rs) and says that it is fictional.

use mail_parser::MimeHeaders as _;

use crate::support::{Collection, ZipMember, member, xml_text, zip_members};

/// Opens a zip-based file and, recursively, the zips inside it; every XML part must parse. Returns all members
/// found at any depth, as (path through the archives, member).
fn open_zip_recursively(name: &str, bytes: &[u8], found: &mut Vec<(String, ZipMember)>) {
    let members = zip_members(bytes).unwrap_or_else(|error| panic!("{name} does not open as zip: {error}"));
    for member in members {
        let path = format!("{name}!{}", member.name);
        if member.name.ends_with(".xml") || member.name.ends_with(".rels") {
            xml_text(&member.content, b"-").unwrap_or_else(|error| panic!("{path} is not well-formed: {error}"));
        }
        if [".zip", ".docx", ".xlsx"].iter().any(|extension| member.name.ends_with(extension)) {
            open_zip_recursively(&path, &member.content, found);
        }
        found.push((path, member));
    }
}

#[test]
fn zip_based_files_open_and_their_xml_parses() {
    let collection = Collection::generate();
    let mut n_containers = 0;
    for path in collection.paths.iter().filter(|path| {
        path.extension().is_some_and(|extension| ["docx", "xlsx", "zip"].iter().any(|known| extension == *known))
    }) {
        let mut found = Vec::new();
        open_zip_recursively(&collection.relative(path), &std::fs::read(path).expect("written"), &mut found);
        assert!(!found.is_empty());
        n_containers += 1;
    }
    assert!(n_containers >= 8, "{n_containers} zip-based files");
}

#[test]
fn every_office_file_carries_the_fiction_notice_in_text_and_properties() {
    let collection = Collection::generate();
    for path in collection.with_extension("docx").iter().chain(&collection.with_extension("xlsx")) {
        let name = collection.relative(path);
        let members = zip_members(&std::fs::read(path).expect("written")).expect("opens");
        let core = xml_text(member(&members, "docProps/core.xml"), b"-").expect("core.xml parses");
        assert!(core.contains(dossier_demo::DISCLAIMER), "{name}: properties lack the notice");
        let visible_part = if name.ends_with(".docx") { "word/footer1.xml" } else { "xl/sharedStrings.xml" };
        let visible = xml_text(member(&members, visible_part), b"-").expect("part parses");
        assert!(visible.contains("dossier"), "{name}: {visible_part} lacks the notice");
    }
}

#[test]
fn spreadsheet_has_date_cells_and_a_hidden_draft_sheet() {
    let collection = Collection::generate();
    let members = zip_members(&collection.read("reports/Сводка_платежей_2024.xlsx")).expect("XLSX opens");
    let workbook = String::from_utf8(member(&members, "xl/workbook.xml").to_vec()).expect("UTF-8");
    assert!(workbook.contains("name=\"черновик\"") && workbook.contains("state=\"hidden\""), "{workbook}");
    assert_eq!(workbook.matches("<sheet ").count(), 2);

    // The first data cell is a number (a date serial) whose style points at a date format.
    let sheet = String::from_utf8(member(&members, "xl/worksheets/sheet1.xml").to_vec()).expect("UTF-8");
    let cell_start = sheet.find("<c r=\"A2\"").expect("cell A2");
    let cell = &sheet[cell_start..cell_start + sheet[cell_start..].find("</c>").expect("cell closes")];
    assert!(!cell.contains("t=\"s\""), "A2 is a string, not a date: {cell}");
    let serial: f64 =
        cell.split("<v>").nth(1).and_then(|rest| rest.split("</v>").next()).expect("value").parse().expect("numeric");
    assert!((45_000.0..46_000.0).contains(&serial), "{serial} is not a 2023-2025 date");
    let style_index: usize =
        cell.split("s=\"").nth(1).and_then(|rest| rest.split('"').next()).expect("styled").parse().expect("index");
    let styles = String::from_utf8(member(&members, "xl/styles.xml").to_vec()).expect("UTF-8");
    let cell_formats = styles.split("<cellXfs").nth(1).expect("cellXfs");
    let number_format_id = cell_formats.split("<xf ").nth(style_index + 1).expect("style exists");
    let number_format_id = number_format_id.split("numFmtId=\"").nth(1).and_then(|rest| rest.split('"').next());
    let format_code = styles
        .split("<numFmt ")
        .find(|format| format.contains(&format!("numFmtId=\"{}\"", number_format_id.expect("numFmtId"))))
        .expect("custom format defined");
    assert!(format_code.contains("yyyy"), "{format_code}");
    assert!(member(&members, "xl/sharedStrings.xml").len() > 100);
}

#[test]
fn nested_archive_has_cp866_names_without_the_utf8_flag() {
    let collection = Collection::generate();
    let outer = zip_members(&collection.read("archive/leak_materials_2024-05.zip")).expect("archive opens");
    let nested_member = outer.iter().find(|member| member.name.ends_with(".zip")).expect("a zip inside the archive");
    let nested = zip_members(&nested_member.content).expect("nested zip opens");
    assert!(nested.len() >= 2);
    for member in &nested {
        assert!(std::str::from_utf8(&member.raw_name).is_err(), "{:?} looks like UTF-8", member.raw_name);
        let decoded = encoding_rs::IBM866.decode_without_bom_handling(&member.raw_name).0;
        assert!(decoded.starts_with("СМЕТЫ/"), "{decoded}");
        if !member.content.is_empty() {
            let (text, _, had_errors) = encoding_rs::WINDOWS_1251.decode(&member.content);
            assert!(!had_errors && text.contains("СМЕТНЫЙ РАСЧЁТ") && text.contains("dossier"), "{text}");
        }
    }
    // The outer archive names its Cyrillic members in UTF-8, as modern archivers do: both conventions side by side.
    assert!(outer.iter().any(|member| member.name.starts_with("Бухгалтерия/")));
}

#[test]
fn mails_parse_with_headers_attachments_and_notice() {
    let collection = Collection::generate();
    let mails = collection.with_extension("eml");
    assert_eq!(mails.len(), 3);
    let mut subjects = Vec::new();
    for path in &mails {
        let name = collection.relative(path);
        let raw = std::fs::read(path).expect("written");
        assert!(raw.windows(2).filter(|pair| pair == b"\r\n").count() > 20, "{name} uses CRLF");
        let message = mail_parser::MessageParser::default().parse(&raw).expect("mail parses");
        assert!(message.message_id().is_some_and(|id| id.contains('@')), "{name}: Message-ID");
        assert!(message.date().is_some(), "{name}: Date");
        assert!(message.received().is_some(), "{name}: Received");
        assert!(message.from().and_then(|from| from.first()).and_then(|from| from.address()).is_some());
        let body = message.body_text(0).expect("text body");
        assert!(body.contains("dossier"), "{name}: body lacks the notice: {body}");
        let mut n_attachments = 0;
        for attachment in message.attachments() {
            let file_name = attachment.attachment_name().expect("named attachment");
            assert!(file_name.ends_with(".docx") || file_name.ends_with(".xlsx"), "{file_name}");
            zip_members(attachment.contents()).unwrap_or_else(|error| panic!("{name}: {file_name}: {error}"));
            n_attachments += 1;
        }
        assert_eq!(n_attachments, 2, "{name}");
        subjects.push((name, message.subject().expect("subject").to_owned(), raw));
    }
    // The encodings the story is there to exercise: KOI8-R and UTF-8 encoded words that decode to Cyrillic,
    // a windows-1251 quoted-printable body, and RFC 2231 file names.
    let all_raw: Vec<u8> = subjects.iter().flat_map(|(_, _, raw)| raw.clone()).collect();
    let all_raw = String::from_utf8_lossy(&all_raw);
    for marker in ["=?KOI8-R?B?", "=?UTF-8?Q?", "charset=windows-1251", "quoted-printable", "filename*0*=UTF-8''"] {
        assert!(all_raw.contains(marker), "no mail contains {marker}");
    }
    let n_cyrillic_subjects =
        subjects.iter().filter(|(_, subject, _)| subject.chars().any(|c| ('а'..='я').contains(&c))).count();
    assert_eq!(n_cyrillic_subjects, 2, "{subjects:?}", subjects = subjects.iter().map(|s| &s.1).collect::<Vec<_>>());
}

#[test]
fn legacy_text_files_are_not_utf8_and_decode_in_their_code_page() {
    let collection = Collection::generate();
    let cases = [
        ("notes/заметки_ЛП.txt", encoding_rs::WINDOWS_1251),
        ("notes/zvonok_2024-04-05.txt", encoding_rs::KOI8_R),
        ("news/ozersky_vestnik_2024-03-14.html", encoding_rs::WINDOWS_1251),
    ];
    for (name, encoding) in cases {
        let bytes = collection.read(name);
        assert!(std::str::from_utf8(&bytes).is_err(), "{name} is UTF-8");
        assert!(!bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "{name} has a BOM");
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes);
        assert!(!had_errors, "{name}");
        let non_ascii: Vec<char> = text.chars().filter(|c| !c.is_ascii()).collect();
        let cyrillic = non_ascii.iter().filter(|c| ('\u{400}'..='\u{4FF}').contains(*c)).count();
        assert!(cyrillic * 10 >= non_ascii.len() * 9, "{name} decodes to {text}");
        assert!(text.contains("dossier"), "{name} lacks the notice");
    }
    let page_bytes = collection.read("news/ozersky_vestnik_2024-03-14.html");
    let page = encoding_rs::WINDOWS_1251.decode_without_bom_handling(&page_bytes).0;
    assert!(page.contains("charset=windows-1251"));
    let readme = String::from_utf8(collection.read("README.txt")).expect("README is UTF-8");
    assert!(readme.contains(dossier_demo::DISCLAIMER));
}
