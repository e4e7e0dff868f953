//! Charset detection and decoding (`dossier_text::decode`): byte-order marks, declared charsets that may lie, UTF-16
//! without a mark, the Cyrillic scorer. The first byte chooses the declaration (none, honest, lying, unknown).
#![no_main]

/// Declarations as mail headers and meta tags write them, including ones encoding_rs maps to "replacement" and ones
/// it does not know.
const DECLARED: [Option<&str>; 16] = [
    None,
    Some("utf-8"),
    Some("us-ascii"),
    Some("iso-8859-1"),
    Some("windows-1251"),
    Some("koi8-r"),
    Some("koi8-u"),
    Some("ibm866"),
    Some("iso-8859-5"),
    Some("x-mac-cyrillic"),
    Some("unicode"),
    Some("utf-16be"),
    Some("shift_jis"),
    Some("gb18030"),
    Some("iso-2022-kr"),
    Some(" \"no-such-charset\" "),
];

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&choice, bytes)) = data.split_first() else { return };
    let declared = DECLARED[usize::from(choice) % DECLARED.len()];
    let decoded = dossier_text::decode(bytes, declared);
    // Undeclared, unmarked UTF-8 without the control bytes that UTF-16 would have is read as itself.
    let has_bom = encoding_rs::Encoding::for_bom(bytes).is_some();
    let has_controls = bytes.iter().any(|b| *b < 0x09 || (0x0E..0x20).contains(b));
    if let (None, false, false, Ok(text)) = (declared, has_bom, has_controls, std::str::from_utf8(bytes)) {
        assert_eq!(decoded.text, text, "valid UTF-8 read as {}", decoded.charset);
    }
});
