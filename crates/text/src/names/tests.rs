//! Name decoding: the charset decided over a set of names, and a rendering that keeps every name distinct.

use encoding_rs::{IBM866, KOI8_R, WINDOWS_1251};
use proptest::prelude::*;

use super::*;

fn encode(text: &str, encoding: &'static Encoding) -> Vec<u8> {
    let (bytes, _, had_errors) = encoding.encode(text);
    assert!(!had_errors, "{text} is encodable in {}", encoding.name());
    bytes.into_owned()
}

/// Encodes every name, decodes the set as one, and compares with the originals and the expected charset.
fn check_set(names: &[&str], encoding: &'static Encoding, fallback: NameFallback, expected_charset: &str) {
    let raw: Vec<Vec<u8>> = names.iter().map(|name| encode(name, encoding)).collect();
    let charset = NameCharset::detect(&raw, fallback);
    assert_eq!(charset.name(), expected_charset, "{names:?} in {}", encoding.name());
    for (name, bytes) in names.iter().zip(&raw) {
        let decoded = charset.decode(bytes);
        assert_eq!(decoded.text, *name);
        assert!(decoded.exact);
        let expected_encoding = (!name.is_ascii() && expected_charset != "UTF-8").then_some(expected_charset);
        assert_eq!(decoded.encoding, expected_encoding, "{name}");
    }
}

const RUSSIAN_NAMES: [&str; 5] =
    ["Приказ №1.txt", "Отчёт за 2015 год.doc", "Договор поставки/смета.xls", "readme.txt", "План.pdf"];

#[test]
fn cp866_member_names_are_not_read_as_cp437() {
    check_set(&RUSSIAN_NAMES, IBM866, NameFallback::Cp437, "IBM866");
    check_set(&RUSSIAN_NAMES, IBM866, NameFallback::Detected, "IBM866");
}

#[test]
fn cp1251_and_koi8_r_member_names_are_recognised() {
    check_set(&RUSSIAN_NAMES[1..], WINDOWS_1251, NameFallback::Cp437, "windows-1251");
    check_set(&RUSSIAN_NAMES[1..], KOI8_R, NameFallback::Cp437, "KOI8-R");
    check_set(&["Договір поставки.xlsx", "Їжачок і єнот.doc"], WINDOWS_1251, NameFallback::Cp437, "windows-1251");
}

#[test]
fn one_short_cyrillic_name_is_enough() {
    for name in ["Отчёт.doc", "План.xls", "Договор.pdf", "Приказ №1.txt", "смета 2015.xls"]
    {
        for encoding in [IBM866, WINDOWS_1251, KOI8_R] {
            // KOI8-R has no "№".
            if encoding == KOI8_R && name.contains('№') {
                continue;
            }
            check_set(&[name], encoding, NameFallback::Cp437, encoding.name());
            let decoded = decode_name(&encode(name, encoding));
            assert_eq!((decoded.text.as_str(), decoded.encoding), (name, Some(encoding.name())));
        }
    }
}

#[test]
fn utf8_and_ascii_names_have_no_legacy_encoding() {
    check_set(&["Приказ №1.txt", "notes.txt"], UTF_8, NameFallback::Cp437, "UTF-8");
    check_set(&["notes.txt", "a/b.doc"], WINDOWS_1251, NameFallback::Cp437, "UTF-8");
    let decoded = decode_name("Київ.doc".as_bytes());
    assert_eq!(decoded, DecodedName { text: "Київ.doc".to_string(), encoding: None, exact: true });
}

#[test]
fn chinese_and_japanese_names_are_read_in_their_code_pages() {
    let chinese = ["审计压缩包文件检索测试/", "审计压缩包文件检索测试/集团邮件审计系统2021年自动巡检需求文档_V4.0.doc"];
    check_set(&chinese, GBK, NameFallback::Cp437, "GBK");
    check_set(&["文章1.txt", "文章2.txt"], SHIFT_JIS, NameFallback::Cp437, "Shift_JIS");
}

#[test]
fn latin_names_fall_back_to_the_format_code_page() {
    let names = ["Résumé.doc", "Café crème.txt", "Zürich Übersicht.xls"];
    let raw: Vec<Vec<u8>> = names.iter().map(|name| encode_cp437(name)).collect();
    let charset = NameCharset::detect(&raw, NameFallback::Cp437);
    assert_eq!(charset.name(), "IBM437");
    let decoded: Vec<String> = raw.iter().map(|bytes| charset.decode(bytes).text).collect();
    assert_eq!(decoded, names);
    check_set(&names, WINDOWS_1252, NameFallback::Detected, "windows-1252");
}

fn encode_cp437(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match u8::try_from(c) {
            Ok(byte) if byte.is_ascii() => byte,
            _ => {
                let index = CP437_UPPER.iter().position(|upper| *upper == c).expect("a CP437 character");
                0x80 + u8::try_from(index).expect("128 entries")
            }
        })
        .collect()
}

#[test]
fn cp437_table_matches_the_known_mojibake() {
    // What CP437 makes of "Приказ №1.txt" written in CP866: the symptom reported against ZIP names.
    let decoded = NameCharset(Charset::Cp437).decode(&encode("Приказ №1.txt", IBM866));
    assert_eq!(decoded.text, "Åα¿¬áº ⁿ1.txt");
    assert_eq!(decoded.encoding, Some("IBM437"));
}

#[test]
fn undecodable_bytes_are_escaped_not_replaced() {
    let decoded = NameCharset::UTF_8.decode(b"a\xFFb\xE2\x82.txt");
    assert_eq!(decoded, DecodedName { text: "a\\xFFb\\xE2\\x82.txt".to_string(), encoding: None, exact: false });
    // Two names that U+FFFD would merge stay apart.
    assert_ne!(NameCharset::UTF_8.decode(b"\xFE.doc").text, NameCharset::UTF_8.decode(b"\xFF.doc").text);
    // In GBK 0x81 must be followed by a second byte of 0x40 or more: the space after it is read on its own.
    let decoded = NameCharset(Charset::Legacy(GBK)).decode(b"\xCE\xC4\x81 .txt");
    assert_eq!((decoded.text.as_str(), decoded.exact), ("文\\x81 .txt", false));
}

/// Control characters stay in the name (the outputs for people escape them); a backslash before `x` is escaped.
#[test]
fn control_characters_are_kept_and_backslash_x_is_escaped() {
    let decoded = NameCharset::UTF_8.decode(b"line\nbreak\x7F.txt");
    assert_eq!((decoded.text.as_str(), decoded.exact), ("line\nbreak\u{7f}.txt", true));
    assert_eq!(NameCharset::UTF_8.decode(b"dir\\xray\\file").text, "dir\\x5Cxray\\file");
    // A literal "\xFF" and the byte 0xFF render differently.
    assert_ne!(NameCharset::UTF_8.decode(b"\\xFF").text, NameCharset::UTF_8.decode(b"\xFF").text);
}

/// Reads a rendered name back into bytes: `\xHH` is the byte HH, anything else is `encode`d.
fn unrender(text: &str, encode: impl Fn(&str) -> Vec<u8>) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(hex) = rest.strip_prefix("\\x").and_then(|after| after.get(..2)) {
            bytes.extend(encode(&literal));
            literal.clear();
            bytes.push(u8::from_str_radix(hex, 16).expect("two hex digits"));
            rest = &rest[4..];
        } else {
            let c = rest.chars().next().expect("not empty");
            literal.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    bytes.extend(encode(&literal));
    bytes
}

fn read_back(charset: NameCharset, text: &str) -> Vec<u8> {
    unrender(text, |literal| match charset.0 {
        Charset::Utf8 => literal.as_bytes().to_vec(),
        Charset::Cp437 => encode_cp437(literal),
        Charset::Legacy(encoding) => encoding.encode(literal).0.into_owned(),
    })
}

fn charsets() -> Vec<NameCharset> {
    let mut charsets = vec![NameCharset::UTF_8, NameCharset(Charset::Cp437)];
    for encoding in [IBM866, WINDOWS_1251, KOI8_R, WINDOWS_1252, GBK, SHIFT_JIS, BIG5, EUC_KR, EUC_JP, GB18030] {
        charsets.push(NameCharset(Charset::Legacy(encoding)));
    }
    charsets
}

proptest! {
    /// Any bytes render to text from which they can be read back, in every charset a name can be read in: so two
    /// different names never look the same.
    #[test]
    fn every_name_can_be_read_back_from_its_rendering(bytes in proptest::collection::vec(any::<u8>(), 0..24)) {
        for charset in charsets() {
            let decoded = charset.decode(&bytes);
            prop_assert_eq!(&read_back(charset, &decoded.text), &bytes, "{} rendered {:?}", charset.name(), decoded.text);
        }
    }

    /// Whatever the bytes, detection names a charset in which every name of the set reads back to its bytes.
    #[test]
    fn detection_takes_any_bytes(names in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..16), 0..8)) {
        let charset = NameCharset::detect(&names, NameFallback::Cp437);
        for name in &names {
            let decoded = charset.decode(name);
            prop_assert_eq!(&read_back(charset, &decoded.text), name, "{} rendered {:?}", charset.name(), decoded.text);
        }
    }
}

/// Thirty names of the kind leaks are full of, each alone (the hardest case: one archive, one member), in each
/// code page Russian files get named in. Not here: a two-letter capital abbreviation alone ("КС-2.xls"), which in
/// KOI8-R reads as lower-case windows-1251 ("лу-2.xls") just as well.
#[test]
fn typical_single_names_are_read_in_their_code_page() {
    let names = [
        "Отчёт.doc",
        "План.xls",
        "Договор.pdf",
        "смета 2015.xls",
        "Приказ.doc",
        "Акт сверки.xlsx",
        "Счет-фактура.pdf",
        "Протокол.docx",
        "Письмо.txt",
        "Справка.doc",
        "Паспорт.jpg",
        "Устав ООО.pdf",
        "Выписка.xls",
        "Реестр.xlsx",
        "Накладная 15.pdf",
        "Доверенность.doc",
        "ЗАЯВЛЕНИЕ.doc",
        "Копия.jpg",
        "Фото 001.jpg",
        "Новая папка/",
        "Иванов И.И..doc",
        "Ведомость.xls",
        "Баланс 2019.xls",
        "Отчет ФНС.xml",
        "Лист1.txt",
        "Зарплата.xls",
        "Юрист.doc",
        "Чек.pdf",
        "Эскиз.dwg",
    ];
    for name in names {
        for encoding in [IBM866, WINDOWS_1251, KOI8_R] {
            let bytes = encode(name, encoding);
            let in_zip = NameCharset::detect([&bytes], NameFallback::Cp437);
            assert_eq!(in_zip.name(), encoding.name(), "{name}");
            assert_eq!(decode_name(&bytes).text, name);
        }
    }
}

#[test]
fn single_latin_names_are_not_taken_for_east_asian_or_cyrillic() {
    let names = [
        "Übersicht Größe.xls",
        "Résumé.doc",
        "Café.txt",
        "Señor.pdf",
        "Mañana año.doc",
        "Français.txt",
        "naïve.doc",
        "Zürich.doc",
        "Straße.doc",
        "Ärger.doc",
    ];
    for name in names {
        let in_zip = NameCharset::detect([encode_cp437(name)], NameFallback::Cp437);
        assert_eq!((in_zip.name(), in_zip.decode(&encode_cp437(name)).text.as_str()), ("IBM437", name));
        let on_disk = decode_name(&encode(name, WINDOWS_1252));
        assert_eq!((on_disk.encoding, on_disk.text.as_str()), (Some("windows-1252"), name));
    }
}

/// File names written by a Russian Windows tool on a UTF-8 file system showed as `\xCF\xF0...`; they are read as
/// Cyrillic when the bytes make the case, and left to be shown escaped when they do not.
#[test]
fn cyrillic_file_names_are_read_only_on_strong_evidence() {
    for name in ["Приказ.txt", "Отчёт о ходе работ.doc", "ЗАЯВЛЕНИЕ.doc", "Лист1.txt"]
    {
        for encoding in [WINDOWS_1251, IBM866, KOI8_R] {
            assert_eq!(
                cyrillic_file_name(&encode(name, encoding)).as_deref(),
                Some(name),
                "{name} in {}",
                encoding.name()
            );
        }
    }
    // One or two stray bytes, UTF-8, Latin code pages and East Asian names are not evidence of Cyrillic.
    for bytes in
        [&b"a\xff.txt"[..], b"a\xfe\xfd.txt", "Приказ.txt".as_bytes(), &encode("Résumé Größe.doc", WINDOWS_1252)]
    {
        assert_eq!(cyrillic_file_name(bytes), None, "{bytes:?}");
    }
    // A control byte is kept as the character it is (the outputs for people escape it).
    let mut with_control = encode("Приказ", WINDOWS_1251);
    with_control.extend_from_slice(b"\x1b.txt");
    assert_eq!(cyrillic_file_name(&with_control).as_deref(), Some("Приказ\u{1b}.txt"));
}
