//! Decoding PDF text strings (Info values, file names of attachments) to Rust strings.
//!
//! The specification allows UTF-16BE with a byte-order mark, UTF-8 with a byte-order mark (PDF 2.0) and
//! PDFDocEncoding. Real files add UTF-16LE with a mark and UTF-8 without one, so both are accepted too.

/// Decodes the raw bytes of a PDF text string.
pub fn decode_pdf_text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return decode_utf16(rest, u16::from_be_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return decode_utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    // Multi-byte UTF-8 sequences are very unlikely in genuine PDFDocEncoding text, so a string that decodes as
    // UTF-8 was written as UTF-8 by a careless producer.
    if !bytes.is_ascii()
        && let Ok(utf8) = std::str::from_utf8(bytes)
    {
        return utf8.to_string();
    }
    bytes.iter().map(|&byte| pdf_doc_encoding(byte)).collect()
}

fn decode_utf16(bytes: &[u8], to_unit: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|pair| to_unit([pair[0], pair[1]]));
    char::decode_utf16(units).map(|unit| unit.unwrap_or(char::REPLACEMENT_CHARACTER)).collect()
}

/// PDFDocEncoding (PDF 1.7, Annex D): Latin-1 except for a few typographic characters.
fn pdf_doc_encoding(byte: u8) -> char {
    const LOW: [char; 8] = ['˘', 'ˇ', 'ˆ', '˙', '˝', '˛', '˚', '˜'];
    const HIGH: [char; 33] = [
        '•', '†', '‡', '…', '—', '–', 'ƒ', '⁄', '‹', '›', '−', '‰', '„', '“', '”', '‘', '’', '‚', '™', 'ﬁ', 'ﬂ', 'Ł',
        'Œ', 'Š', 'Ÿ', 'Ž', 'ı', 'ł', 'œ', 'š', 'ž', '\u{FFFD}', '€',
    ];
    match byte {
        0x18..=0x1F => LOW[usize::from(byte - 0x18)],
        0x80..=0xA0 => HIGH[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_with_either_byte_order_mark() {
        assert_eq!(decode_pdf_text_string(&[0xFE, 0xFF, 0x04, 0x1F, 0x04, 0x40]), "Пр");
        assert_eq!(decode_pdf_text_string(&[0xFF, 0xFE, 0x1F, 0x04, 0x40, 0x04]), "Пр");
    }

    #[test]
    fn utf8_with_and_without_mark() {
        assert_eq!(decode_pdf_text_string("\u{FEFF}Київ".as_bytes()), "Київ");
        assert_eq!(decode_pdf_text_string("Київ".as_bytes()), "Київ");
    }

    #[test]
    fn pdf_doc_encoding_maps_its_typographic_characters() {
        assert_eq!(decode_pdf_text_string(b"a\x84b \xA0 caf\xE9"), "a—b € café");
    }

    #[test]
    fn odd_length_utf16_drops_the_dangling_byte() {
        assert_eq!(decode_pdf_text_string(&[0xFE, 0xFF, 0x00, 0x41, 0x00]), "A");
    }
}
