//! Which text encoding an RTF codepage number or font charset means.
//!
//! RTF names encodings two ways: Windows codepage numbers (`\ansicpgN`, `\cpgN`) and GDI charset numbers
//! (`\fcharsetN` in the font table). Both are mapped onto `encoding_rs` encodings here; numbers we cannot decode
//! return `None` so the caller falls back to the document's codepage.

use encoding_rs::Encoding;

/// The encoding for a Windows codepage number.
pub fn encoding_for_codepage(codepage: i32) -> Option<&'static Encoding> {
    let encoding = match codepage {
        437 | 850 | 1252 => encoding_rs::WINDOWS_1252,
        866 => encoding_rs::IBM866,
        874 => encoding_rs::WINDOWS_874,
        932 => encoding_rs::SHIFT_JIS,
        936 => encoding_rs::GBK,
        949 => encoding_rs::EUC_KR,
        950 => encoding_rs::BIG5,
        1250 => encoding_rs::WINDOWS_1250,
        1251 => encoding_rs::WINDOWS_1251,
        1253 => encoding_rs::WINDOWS_1253,
        1254 => encoding_rs::WINDOWS_1254,
        1255 => encoding_rs::WINDOWS_1255,
        1256 => encoding_rs::WINDOWS_1256,
        1257 => encoding_rs::WINDOWS_1257,
        1258 => encoding_rs::WINDOWS_1258,
        10000 => encoding_rs::MACINTOSH,
        10007 | 10017 => encoding_rs::X_MAC_CYRILLIC,
        20866 => encoding_rs::KOI8_R,
        21866 => encoding_rs::KOI8_U,
        28591 => encoding_rs::WINDOWS_1252,
        28592 => encoding_rs::ISO_8859_2,
        28595 => encoding_rs::ISO_8859_5,
        28597 => encoding_rs::ISO_8859_7,
        65001 => encoding_rs::UTF_8,
        _ => return None,
    };
    Some(encoding)
}

/// What a font's `\fcharsetN` says about the bytes written in that font.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FontEncoding {
    /// ANSI or "default" charset: the document's own codepage (`\ansicpgN`) applies.
    Document,
    /// The Symbol font: bytes are glyph numbers, not letters.
    Symbol,
    Fixed(&'static Encoding),
}

/// The encoding for a GDI charset number, as written by `\fcharsetN`.
pub fn encoding_for_charset(charset: i32) -> FontEncoding {
    let encoding = match charset {
        // 0 is ANSI_CHARSET and 1 DEFAULT_CHARSET; Russian documents often say 0 while meaning \ansicpg1251.
        0 | 1 => return FontEncoding::Document,
        2 => return FontEncoding::Symbol,
        77 => encoding_rs::MACINTOSH,
        128 => encoding_rs::SHIFT_JIS,
        129 | 130 => encoding_rs::EUC_KR,
        134 => encoding_rs::GBK,
        136 => encoding_rs::BIG5,
        161 => encoding_rs::WINDOWS_1253,
        162 => encoding_rs::WINDOWS_1254,
        163 => encoding_rs::WINDOWS_1258,
        177 => encoding_rs::WINDOWS_1255,
        178 => encoding_rs::WINDOWS_1256,
        186 => encoding_rs::WINDOWS_1257,
        204 => encoding_rs::WINDOWS_1251,
        222 => encoding_rs::WINDOWS_874,
        238 => encoding_rs::WINDOWS_1250,
        255 => encoding_rs::IBM866,
        _ => return FontEncoding::Document,
    };
    FontEncoding::Fixed(encoding)
}

/// The Unicode character the Symbol font draws for a byte, for the glyphs that carry meaning in text
/// (bullets, arrows, Greek letters, maths); other bytes are dropped by returning `None`.
pub fn symbol_font_char(byte: u8) -> Option<char> {
    const GREEK_UPPER: &str = "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ";
    const GREEK_LOWER: &str = "αβχδεφγηιϕκλμνοπθρστυϖωξψζ";
    let c = match byte {
        0x20..=0x40 => byte as char,
        0x41..=0x5a => GREEK_UPPER.chars().nth(usize::from(byte - 0x41))?,
        0x61..=0x7a => GREEK_LOWER.chars().nth(usize::from(byte - 0x61))?,
        0xb7 => '•',
        0xa8 => '♣',
        0xae => '→',
        0xac => '←',
        0xad => '↑',
        0xaf => '↓',
        0xb0 => '°',
        0xb1 => '±',
        0xb4 => '×',
        0xb8 => '÷',
        0xb9 => '≠',
        0xba => '≡',
        0xbb => '≈',
        0xa3 => '≤',
        0xb3 => '≥',
        0xa5 => '∞',
        0xd6 => '√',
        0xe5 => '∑',
        0xd3 | 0xe3 => '©',
        0xd2 | 0xe2 => '®',
        0xd4 | 0xe4 => '™',
        _ => return None,
    };
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_charset_and_codepage_agree() {
        assert_eq!(encoding_for_charset(204), FontEncoding::Fixed(encoding_rs::WINDOWS_1251));
        assert_eq!(encoding_for_codepage(1251), Some(encoding_rs::WINDOWS_1251));
        assert_eq!(encoding_for_charset(0), FontEncoding::Document);
        assert_eq!(encoding_for_codepage(12345), None);
    }

    #[test]
    fn symbol_font_maps_bullets_and_greek() {
        assert_eq!(symbol_font_char(0xb7), Some('•'));
        assert_eq!(symbol_font_char(b'a'), Some('α'));
        assert_eq!(symbol_font_char(0x01), None);
    }
}
