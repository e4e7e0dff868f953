//! Windows codepage numbers (as found in OLE property sets, BIFF CODEPAGE records and the Word FIB) to decoders.

use encoding_rs::Encoding;

/// The decoder for a Windows codepage number, or `None` for codepages we do not know (callers fall back).
pub(crate) fn encoding_for_codepage(codepage: u16) -> Option<&'static Encoding> {
    let label: &[u8] = match codepage {
        874 => b"windows-874",
        866 => b"ibm866",
        932 => b"shift_jis",
        936 => b"gbk",
        949 => b"euc-kr",
        950 => b"big5",
        1200 => b"utf-16le",
        1201 => b"utf-16be",
        1250 => b"windows-1250",
        1251 => b"windows-1251",
        // Excel writes 0x8000 ("Apple Roman") and 32769 (0x8001, "ANSI Latin I" in BIFF2-4) for Western text.
        1252 | 0x8001 => b"windows-1252",
        0x8000 | 10000 => b"macintosh",
        1253 => b"windows-1253",
        1254 => b"windows-1254",
        1255 => b"windows-1255",
        1256 => b"windows-1256",
        1257 => b"windows-1257",
        1258 => b"windows-1258",
        10007 => b"x-mac-cyrillic",
        20866 => b"koi8-r",
        21866 => b"koi8-u",
        28591 => b"windows-1252",
        28592 => b"iso-8859-2",
        28595 => b"iso-8859-5",
        65001 => b"utf-8",
        _ => return None,
    };
    Encoding::for_label(label)
}

/// Decodes 8-bit text with `encoding`, dropping the NULs that pad fixed-size strings.
pub(crate) fn decode_8bit(bytes: &[u8], encoding: &'static Encoding) -> String {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    let (text, _, _) = encoding.decode(&bytes[..end]);
    text.into_owned()
}

/// Decodes UTF-16LE, replacing unpaired surrogates; an odd trailing byte is ignored.
pub(crate) fn decode_utf16le(bytes: &[u8]) -> String {
    let units = bytes.chunks_exact(2).map(|pair| u16::from_le_bytes([pair[0], pair[1]]));
    char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect()
}

/// How much 8-bit text looks like Russian/Ukrainian in cp1251 rather than Western text in cp1252: the share of
/// bytes 0xC0-0xFF (letters in both, Cyrillic in cp1251) among the bytes above 0x7F. Western European text has few
/// high bytes and many of them are not in that range; cp1251 Cyrillic text is nearly all in it.
pub(crate) fn looks_like_cp1251(bytes: &[u8]) -> bool {
    let high = bytes.iter().filter(|&&b| b >= 0x80).count();
    let letters = bytes.iter().filter(|&&b| b >= 0xC0).count();
    let ascii_letters = bytes.iter().filter(|b| b.is_ascii_alphabetic()).count();
    // Cyrillic text is mostly high letters; a French or German text is mostly ASCII letters with a few accents.
    high >= 4 && letters * 10 >= high * 8 && letters * 2 >= ascii_letters
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cp1251_decodes_russian() {
        let encoding = encoding_for_codepage(1251).expect("known codepage");
        assert_eq!(decode_8bit(b"\xcf\xf0\xe8\xe2\xe5\xf2\0\0", encoding), "Привет");
    }

    #[test]
    fn cyrillic_plausibility_tells_russian_from_french() {
        assert!(looks_like_cp1251(b"\xcf\xf0\xe8\xe2\xe5\xf2 \xec\xe8\xf0"));
        assert!(!looks_like_cp1251("Le caf\u{e9} est tr\u{e8}s bon, d\u{e9}j\u{e0} vu".as_bytes()));
        assert!(!looks_like_cp1251(b"Le caf\xe9 est tr\xe8s bon, d\xe9j\xe0 vu, \xe9t\xe9"));
    }
}
