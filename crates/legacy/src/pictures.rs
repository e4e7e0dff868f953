//! Text drawn in vector pictures: a Windows metafile on its own (`.emf`, `.wmf`: a chart, a scanned form's
//! vector copy, a drawing exported from Visio), and the EMF/WMF pictures stored inside Word, Excel and PowerPoint
//! files (a DOC's vector drawing, a pasted chart). Office keeps these as OfficeArt BLIP records, their metafile
//! usually deflate-compressed; the text in them is nowhere else in the file.

use std::io::Read as _;

use crate::codepage::looks_like_cp1251;
use crate::compound::{u16_at, u32_at};
use crate::metafile::{is_metafile, metafile_text};
use dossier_document::{Context, ExtractError, Extraction, Metadata, Source, TextBuilder};

/// OfficeArt BLIP record types of an EMF and a WMF picture ([MS-ODRAW] 2.2.24, 2.2.25).
const BLIP_EMF: u16 = 0xF01A;
const BLIP_WMF: u16 = 0xF01B;
/// The BLIP instances that say whether a second 16-byte UID follows the first (odd: two UIDs).
const EMF_INSTANCES: [u16; 2] = [0x3D4, 0x3D5];
const WMF_INSTANCES: [u16; 2] = [0x216, 0x217];
/// A metafile inflated from a BLIP may be no larger than this: bounds a hostile compression ratio.
const MAX_METAFILE_BYTES: u64 = 64 << 20;
/// At most this many pictures of one file are read.
const MAX_PICTURES: usize = 4096;

/// Reads a standalone EMF or WMF file: `Format::Emf`, `Format::Wmf`. A picture without text is read, empty.
pub fn read_metafile(source: &Source<'_>, context: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    let file = std::fs::File::open(source.path).map_err(|err| ExtractError::io(&err))?;
    let limit = context.limits.max_in_memory_bytes;
    let mut data = Vec::new();
    file.take(limit.saturating_add(1)).read_to_end(&mut data).map_err(|err| ExtractError::io(&err))?;
    if data.len() as u64 > limit {
        return Err(ExtractError::LimitExceeded(format!("metafile larger than max_in_memory_bytes {limit}")));
    }
    if !is_metafile(&data) {
        return Err(ExtractError::malformed("metafile", "neither an EMF nor a WMF header"));
    }
    let drawn = picture_text(&data);
    let mut text = TextBuilder::new(context.limits.max_text_bytes);
    text.push(&drawn);
    let (mut text, cut) = text.finish();
    // The closing line break only where the limit leaves room: a text cut at the limit stays within it.
    if !text.is_empty() && text.len() < context.limits.max_text_bytes {
        text.push('\n');
    }
    Ok(Extraction { text, metadata: Metadata::default(), diagnostics: cut.into_iter().collect() })
}

/// The text of one metafile. Its 8-bit strings carry no codepage the reader follows (that is in the font's
/// charset), so they are read as windows-1251 when their bytes look Cyrillic, else windows-1252.
fn picture_text(data: &[u8]) -> String {
    let western = metafile_text(data, encoding_rs::WINDOWS_1252);
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&western);
    if looks_like_cp1251(&bytes) { metafile_text(data, encoding_rs::WINDOWS_1251) } else { western }
}

/// The text drawn in the EMF and WMF pictures whose BLIP records lie anywhere in `bytes` (a Word `Data` or
/// `WordDocument` stream, a PowerPoint `Pictures` stream, an Excel drawing group), in the order they are stored,
/// one entry per picture that has text. A record is taken only when its header, sizes and metafile all hold up.
pub(crate) fn blip_metafile_texts(bytes: &[u8], diagnostics: &mut Vec<String>) -> Vec<String> {
    let mut texts = Vec::new();
    let mut at = 0usize;
    let mut pictures = 0usize;
    while let Some(found) = find_blip(bytes, at) {
        at = found + 8;
        let Some(metafile) = blip_metafile(bytes, found, diagnostics) else { continue };
        pictures += 1;
        let drawn = picture_text(&metafile);
        if !drawn.is_empty() && !texts.contains(&drawn) {
            texts.push(drawn);
        }
        if pictures >= MAX_PICTURES {
            diagnostics.push(format!("only the first {MAX_PICTURES} pictures were read for their text"));
            break;
        }
    }
    texts
}

/// The offset of the next EMF or WMF BLIP record header at or after `from`.
fn find_blip(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while at + 8 <= bytes.len() {
        // The record type's high byte is 0xF0: look for it, then check the rest of the header.
        let next = bytes[at + 3..].iter().position(|&byte| byte == 0xF0)?;
        let start = at + next;
        let (Some(head), Some(kind)) = (u16_at(bytes, start), u16_at(bytes, start + 2)) else { return None };
        let instance = head >> 4;
        let known = match kind {
            BLIP_EMF => EMF_INSTANCES.contains(&instance),
            BLIP_WMF => WMF_INSTANCES.contains(&instance),
            _ => false,
        };
        if known && head & 0xF == 0 {
            return Some(start);
        }
        at = start + 1;
    }
    None
}

/// The metafile of the BLIP record at `at`: after the UIDs, an OfficeArtMetafileHeader (uncompressed size, bounds,
/// size in EMUs, stored size, compression 0 = deflate or 0xFE = none, filter), then the stored bytes.
fn blip_metafile(bytes: &[u8], at: usize, diagnostics: &mut Vec<String>) -> Option<Vec<u8>> {
    let instance = u16_at(bytes, at)? >> 4;
    let record_len = u32_at(bytes, at + 4)? as usize;
    let uids = if instance & 1 == 1 { 32 } else { 16 };
    let header = at + 8 + uids;
    let uncompressed = u64::from(u32_at(bytes, header)?);
    let stored = u32_at(bytes, header + 28)? as usize;
    let compression = *bytes.get(header + 32)?;
    if stored > record_len || uids + 34 + stored > record_len.saturating_add(8) {
        return None;
    }
    let data = bytes.get(header + 34..(header + 34).checked_add(stored)?)?;
    let metafile = match compression {
        0xFE => data.to_vec(),
        0 => {
            let mut inflated = Vec::new();
            let limit = uncompressed.min(MAX_METAFILE_BYTES);
            let read = flate2::read::ZlibDecoder::new(data).take(limit).read_to_end(&mut inflated);
            if read.is_err() && inflated.is_empty() {
                diagnostics.push(format!("a picture at byte {at} does not inflate"));
                return None;
            }
            inflated
        }
        _ => return None,
    };
    is_metafile(&metafile).then_some(metafile)
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use super::*;
    use crate::metafile::tests::{emf_with_strings, wmf_with_strings};

    fn blip(kind: u16, instance: u16, metafile: &[u8], compress: bool) -> Vec<u8> {
        let stored = if compress {
            let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            encoder.write_all(metafile).expect("in-memory deflate");
            encoder.finish().expect("in-memory deflate")
        } else {
            metafile.to_vec()
        };
        let uids = if instance & 1 == 1 { 32 } else { 16 };
        let mut record = Vec::new();
        record.extend_from_slice(&(instance << 4).to_le_bytes());
        record.extend_from_slice(&kind.to_le_bytes());
        record.extend_from_slice(&((uids + 34 + stored.len()) as u32).to_le_bytes());
        record.extend(std::iter::repeat_n(0xA5, uids));
        record.extend_from_slice(&(metafile.len() as u32).to_le_bytes());
        record.extend_from_slice(&[0; 24]);
        record.extend_from_slice(&(stored.len() as u32).to_le_bytes());
        record.push(if compress { 0 } else { 0xFE });
        record.push(0xFE);
        record.extend_from_slice(&stored);
        record
    }

    #[test]
    fn pictures_stored_as_blips_give_their_text_in_order() {
        let emf = emf_with_strings(&[(0, 10, "Схема "), (60, 10, "поставок")]);
        let (cyrillic, _, _) = encoding_rs::WINDOWS_1251.encode("Склад № 3");
        let wmf = wmf_with_strings(&[(5, &cyrillic)]);
        let mut stream = vec![0xF0; 37];
        stream.extend(blip(BLIP_EMF, 0x3D5, &emf, true));
        stream.extend([0u8, 0xF0, 0x1A, 0xF0, 1, 2]);
        stream.extend(blip(BLIP_WMF, 0x216, &wmf, false));
        let mut diagnostics = Vec::new();
        let texts = blip_metafile_texts(&stream, &mut diagnostics);
        assert_eq!(texts, ["Схема поставок", "Склад № 3"]);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
    }

    #[test]
    fn cut_short_blips_do_not_panic() {
        let emf = emf_with_strings(&[(0, 10, "cut short")]);
        let record = blip(BLIP_EMF, 0x3D4, &emf, true);
        for len in 0..record.len() {
            let _ = blip_metafile_texts(&record[..len], &mut Vec::new());
        }
    }
}
