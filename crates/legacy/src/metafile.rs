//! The text drawn in a Windows metafile picture (EMF or WMF): the strings of its text-output records.
//!
//! A linked object in a Word document (a PowerPoint slide or a document linked from elsewhere) keeps no file, only
//! its presentation: an EMF picture in the object's `\x03EPRINT` stream, into which Office drew the linked
//! content's text with text-output records. That text is the only copy of the content in the file, so it is read.
//! Strings drawn on the same baseline are joined into one line, in drawing order. (The RTF reader has its own copy
//! of this module for the pictures of RTF objects: format crates do not depend on each other.)

use encoding_rs::Encoding;

/// EMF record types ([MS-EMF] 2.1.1).
const EMR_HEADER: u32 = 1;
const EMR_EOF: u32 = 14;
const EMR_EXTTEXTOUTA: u32 = 83;
const EMR_EXTTEXTOUTW: u32 = 84;
/// The string of an EMF text record holds glyph indices, not characters: nothing readable.
const ETO_GLYPH_INDEX: u32 = 0x10;
/// The advances of an EMF text record hold a vertical value after each horizontal one.
const ETO_PDY: u32 = 0x2000;
/// WMF record functions ([MS-WMF] 2.1.1.1).
const META_EOF: u16 = 0x0000;
const META_TEXTOUT: u16 = 0x0521;
const META_EXTTEXTOUT: u16 = 0x0A32;
/// WMF ExtTextOut options after which a clipping rectangle is stored.
const ETO_OPAQUE: u16 = 0x0002;
const ETO_CLIPPED: u16 = 0x0004;
/// A metafile with more records than this is hostile or not worth more work.
const MAX_RECORDS: usize = 1 << 20;

/// The text of an EMF or WMF picture (told apart by their headers); empty for anything else. 8-bit strings are
/// decoded with `encoding` (the document's codepage).
pub fn metafile_text(data: &[u8], encoding: &'static Encoding) -> String {
    let mut lines = Lines::default();
    if is_emf(data) {
        emf_strings(data, encoding, &mut lines);
    } else {
        wmf_strings(data, encoding, &mut lines);
    }
    lines.finish()
}

fn u16_at(data: &[u8], offset: usize) -> Option<u16> {
    let bytes = data.get(offset..offset.checked_add(2)?)?;
    Some(u16::from_le_bytes([bytes[0], bytes[1]]))
}

fn u32_at(data: &[u8], offset: usize) -> Option<u32> {
    let bytes = data.get(offset..offset.checked_add(4)?)?;
    Some(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
}

/// Whether `data` starts with an EMF header or a WMF one (placeable or not).
pub(crate) fn is_metafile(data: &[u8]) -> bool {
    let start = if u32_at(data, 0) == Some(0x9AC6_CDD7) { 22 } else { 0 };
    is_emf(data) || (matches!(u16_at(data, start), Some(1 | 2)) && u16_at(data, start + 2) == Some(9))
}

fn is_emf(data: &[u8]) -> bool {
    u32_at(data, 0) == Some(EMR_HEADER) && data.get(40..44) == Some(b" EMF")
}

/// Where a string was drawn: its baseline and, when the record says (EMF character advances), the horizontal
/// span it covers.
#[derive(Debug, Clone, Copy)]
struct Placement {
    baseline: i32,
    span: Option<(i64, i64)>,
}

/// Strings gathered into lines by their baseline.
#[derive(Default)]
struct Lines {
    text: String,
    last: Option<Placement>,
}

impl Lines {
    fn add(&mut self, placement: Placement, string: &str) {
        let string: String = string.chars().filter(|c| !c.is_control()).collect();
        if string.trim().is_empty() {
            return;
        }
        let last = self.last.replace(placement);
        match last {
            Some(previous) if previous.baseline == placement.baseline => {
                // Word draws a line in runs (one per change of formatting) that carry their own spaces. A run that
                // starts where the previous one ended continues its word ("ITALIC" then "."); otherwise runs
                // without spaces of their own are separate words.
                let adjacent = match (previous.span, placement.span) {
                    (Some((_, previous_end)), Some((start, end))) => {
                        let average_advance = (end - start) / string.chars().count().max(1) as i64;
                        (start - previous_end).abs() <= average_advance.abs() / 4
                    }
                    _ => false,
                };
                if !adjacent && !self.text.ends_with(' ') && !string.starts_with(' ') {
                    self.text.push(' ');
                }
            }
            Some(_) => self.text.push('\n'),
            None => {}
        }
        self.text.push_str(&string);
    }

    fn finish(self) -> String {
        let lines: Vec<&str> = self.text.lines().map(str::trim).filter(|line| !line.is_empty()).collect();
        lines.join("\n")
    }
}

fn emf_strings(data: &[u8], encoding: &'static Encoding, lines: &mut Lines) {
    let mut at = 0usize;
    for _ in 0..MAX_RECORDS {
        let (Some(kind), Some(size)) = (u32_at(data, at), u32_at(data, at + 4)) else { return };
        let size = size as usize;
        if size < 8 || kind == EMR_EOF {
            return;
        }
        let Some(record) = data.get(at..at.saturating_add(size)) else { return };
        if kind == EMR_EXTTEXTOUTA || kind == EMR_EXTTEXTOUTW {
            emf_text_record(record, kind == EMR_EXTTEXTOUTW, encoding, lines);
        }
        at += size;
    }
}

/// An EMR_EXTTEXTOUTA/W record: bounds (16 bytes), graphics mode and scales (12), then an EmrText: reference
/// point (8), character count, string offset from the record's start, options, rectangle (16), and the offset of
/// the character advances.
fn emf_text_record(record: &[u8], wide: bool, encoding: &'static Encoding, lines: &mut Lines) {
    let (Some(x), Some(y), Some(count), Some(offset), Some(options)) =
        (u32_at(record, 36), u32_at(record, 40), u32_at(record, 44), u32_at(record, 48), u32_at(record, 52))
    else {
        return;
    };
    if options & ETO_GLYPH_INDEX != 0 {
        return;
    }
    let (count, offset) = (count as usize, offset as usize);
    let byte_count = if wide { count.saturating_mul(2) } else { count };
    let Some(bytes) = record.get(offset..offset.saturating_add(byte_count)) else { return };
    let string = if wide {
        let units: Vec<u16> = bytes.chunks_exact(2).map(|pair| u16::from_le_bytes([pair[0], pair[1]])).collect();
        String::from_utf16_lossy(&units)
    } else {
        encoding.decode_without_bom_handling(bytes).0.into_owned()
    };
    // The advances are one 32-bit value per character (two with ETO_PDY, which adds vertical ones).
    let step = if options & ETO_PDY != 0 { 8 } else { 4 };
    let span = u32_at(record, 72).filter(|&at| at != 0).and_then(|at| {
        let advances = record.get(at as usize..(at as usize).saturating_add(count.saturating_mul(step)))?;
        let width: i64 = advances
            .chunks_exact(step)
            .map(|advance| i64::from(i32::from_le_bytes([advance[0], advance[1], advance[2], advance[3]])))
            .sum();
        Some((i64::from(x as i32), i64::from(x as i32) + width))
    });
    lines.add(Placement { baseline: y as i32, span }, &string);
}

fn wmf_strings(data: &[u8], encoding: &'static Encoding, lines: &mut Lines) {
    // An optional "placeable" header (magic 0x9AC6CDD7, 22 bytes) precedes the WMF header of files on disk.
    let start = if u32_at(data, 0) == Some(0x9AC6_CDD7) { 22 } else { 0 };
    // The header: type 1 (memory) or 2 (disk), then its own size in 16-bit words, which is 9.
    let (Some(kind), Some(header_words)) = (u16_at(data, start), u16_at(data, start + 2)) else { return };
    if !(kind == 1 || kind == 2) || header_words != 9 {
        return;
    }
    let mut at = start + 18;
    for _ in 0..MAX_RECORDS {
        let (Some(words), Some(function)) = (u32_at(data, at), u16_at(data, at + 4)) else { return };
        let size = (words as usize).saturating_mul(2);
        if size < 6 || function == META_EOF {
            return;
        }
        let Some(record) = data.get(at..at.saturating_add(size)) else { return };
        let params = &record[6..];
        match function {
            META_TEXTOUT => {
                // StringLength, the string padded to an even length, then YStart and XStart.
                let Some(length) = u16_at(params, 0).map(usize::from) else { return };
                let padded = length + length % 2;
                if let Some(bytes) = params.get(2..2 + length) {
                    let y = u16_at(params, 2 + padded).unwrap_or(0) as i16;
                    lines.add(
                        Placement { baseline: i32::from(y), span: None },
                        &encoding.decode_without_bom_handling(bytes).0,
                    );
                }
            }
            META_EXTTEXTOUT => {
                // Y, X, StringLength, options, an optional rectangle, then the string.
                let (Some(y), Some(length), Some(options)) = (u16_at(params, 0), u16_at(params, 4), u16_at(params, 6))
                else {
                    return;
                };
                let string_at = if options & (ETO_OPAQUE | ETO_CLIPPED) != 0 { 16 } else { 8 };
                if let Some(bytes) = params.get(string_at..string_at + usize::from(length)) {
                    lines.add(
                        Placement { baseline: i32::from(y as i16), span: None },
                        &encoding.decode_without_bom_handling(bytes).0,
                    );
                }
            }
            _ => {}
        }
        at += size;
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An EMF with a header and one EMR_EXTTEXTOUTW per (x, baseline, string), each character 10 units wide.
    pub fn emf_with_strings(strings: &[(i32, i32, &str)]) -> Vec<u8> {
        let mut header = vec![0u8; 88];
        header[0..4].copy_from_slice(&EMR_HEADER.to_le_bytes());
        header[4..8].copy_from_slice(&88u32.to_le_bytes());
        header[40..44].copy_from_slice(b" EMF");
        let mut data = header;
        for (x, y, string) in strings {
            let units: Vec<u16> = string.encode_utf16().collect();
            let mut record = vec![0u8; 76];
            let string_size = units.len() * 2 + (units.len() * 2) % 4;
            let size = 76 + string_size + units.len() * 4;
            record[0..4].copy_from_slice(&EMR_EXTTEXTOUTW.to_le_bytes());
            record[4..8].copy_from_slice(&(size as u32).to_le_bytes());
            record[36..40].copy_from_slice(&x.to_le_bytes());
            record[40..44].copy_from_slice(&y.to_le_bytes());
            record[72..76].copy_from_slice(&((76 + string_size) as u32).to_le_bytes());
            record[44..48].copy_from_slice(&(units.len() as u32).to_le_bytes());
            record[48..52].copy_from_slice(&76u32.to_le_bytes());
            for unit in &units {
                record.extend_from_slice(&unit.to_le_bytes());
            }
            record.resize(76 + string_size, 0);
            for _ in &units {
                record.extend_from_slice(&10u32.to_le_bytes());
            }
            data.extend(record);
        }
        data.extend_from_slice(&EMR_EOF.to_le_bytes());
        data.extend_from_slice(&20u32.to_le_bytes());
        data.extend_from_slice(&[0; 12]);
        data
    }

    /// A WMF (no placeable header) with one META_TEXTOUT per (baseline, string).
    pub fn wmf_with_strings(strings: &[(i16, &[u8])]) -> Vec<u8> {
        let mut data = vec![1, 0, 9, 0, 0, 3];
        data.extend_from_slice(&[0; 12]);
        for (y, string) in strings {
            let padded = string.len() + string.len() % 2;
            let words = (6 + 2 + padded + 4) / 2;
            data.extend_from_slice(&(words as u32).to_le_bytes());
            data.extend_from_slice(&META_TEXTOUT.to_le_bytes());
            data.extend_from_slice(&(string.len() as u16).to_le_bytes());
            data.extend_from_slice(string);
            data.resize(data.len() + padded - string.len(), 0);
            data.extend_from_slice(&y.to_le_bytes());
            data.extend_from_slice(&0i16.to_le_bytes());
        }
        data.extend_from_slice(&3u32.to_le_bytes());
        data.extend_from_slice(&META_EOF.to_le_bytes());
        data
    }

    #[test]
    fn emf_strings_on_one_baseline_make_one_line() {
        let emf = emf_with_strings(&[
            (0, 10, "Linked "),
            (70, 10, "report"),
            (200, 10, "text"),
            (240, 10, "."),
            (0, 30, "Второй абзац"),
        ]);
        assert_eq!(metafile_text(&emf, encoding_rs::WINDOWS_1252), "Linked report text.\nВторой абзац");
    }

    #[test]
    fn wmf_strings_are_decoded_with_the_given_codepage() {
        let wmf = wmf_with_strings(&[(5, b"\xcf\xf0\xe8\xe2\xe5\xf2"), (20, b"odd")]);
        assert_eq!(metafile_text(&wmf, encoding_rs::WINDOWS_1251), "Привет\nodd");
    }

    #[test]
    fn garbage_and_truncated_metafiles_give_nothing_and_do_not_panic() {
        assert_eq!(metafile_text(b"", encoding_rs::WINDOWS_1252), "");
        assert_eq!(metafile_text(&[0xff; 300], encoding_rs::WINDOWS_1252), "");
        let emf = emf_with_strings(&[(0, 1, "cut short")]);
        for len in 0..emf.len() {
            let _ = metafile_text(&emf[..len], encoding_rs::WINDOWS_1252);
        }
        let wmf = wmf_with_strings(&[(1, b"cut short")]);
        for len in 0..wmf.len() {
            let _ = metafile_text(&wmf[..len], encoding_rs::WINDOWS_1252);
        }
    }
}
