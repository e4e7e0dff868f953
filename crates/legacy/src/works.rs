//! Microsoft Works word-processor documents (`.wps`). They share the OLE2 container and the summary information
//! with Word, not the format:
//!
//! - Works 5 to 9 (and Works Suite): a `CONTENTS` stream that starts `CHNK`, followed by an index of chunks (24-byte
//!   entries naming the chunk, its offset and its length, in blocks that may chain on); the document's text is the
//!   `TEXT` chunk, in UTF-16LE;
//! - Works 3 and 4 for Windows: an `MN0` stream whose header gives where the 8-bit text begins and ends (u32 at
//!   0x22 and 0x26), in the Windows codepage of the machine that wrote it: no codepage is stored, so cp1251 is told
//!   from cp1252 by its letters.
//!
//! Formatting, styles and fonts live in the other chunks; only the text is read.

use dossier_document::{Context, ExtractError, Extraction, Source, TextBuilder};

use crate::codepage::{decode_utf16le, looks_like_cp1251};
use crate::compound::{open_compound, read_stream, u16_at, u32_at};
use crate::ole_meta::ole_summary_metadata;

const FORMAT: &str = "Works";
/// The chunk index starts after the 24-byte header; each block of entries opens with 8 bytes of its own.
const FIRST_INDEX_BLOCK: usize = 0x18;
const INDEX_ENTRY_LEN: usize = 24;
/// More index blocks than any document has; bounds the walk over a hostile (or circular) chain.
const MAX_INDEX_BLOCKS: usize = 256;
/// Works 3/4: the text starts at this offset of `MN0` at the earliest; its start and end are at 0x22 and 0x26.
const WPS4_HEADER_LEN: u32 = 0x100;

/// Reads a Microsoft Works word-processor document: `Format::Works`.
pub fn read_works(source: &Source<'_>, context: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    let (mut compound, damage) = open_compound(source, FORMAT, context)?;
    let mut diagnostics: Vec<String> = damage.into_iter().collect();
    let metadata = ole_summary_metadata(&mut compound);
    let mut text = TextBuilder::new(context.limits.max_text_bytes);
    if let Some((contents, complete)) = read_stream(&mut compound, "/CONTENTS", context)? {
        if !complete {
            diagnostics.push("the CONTENTS stream is cut short".to_string());
        }
        let chunks = chunk_index(&contents, &mut diagnostics)?;
        let mut found = false;
        for chunk in chunks.iter().filter(|chunk| &chunk.name == b"TEXT") {
            found = true;
            let end = chunk.offset.saturating_add(chunk.length);
            let Some(bytes) = contents.get(chunk.offset..end.min(contents.len())) else {
                diagnostics.push(format!("the TEXT chunk at {} lies past the end of CONTENTS", chunk.offset));
                continue;
            };
            if end > contents.len() {
                diagnostics.push("the TEXT chunk runs past the end of CONTENTS".to_string());
            }
            push_works_text(&decode_utf16le(bytes), &mut text);
        }
        if !found {
            return Err(ExtractError::malformed(FORMAT, "the chunk index has no TEXT chunk"));
        }
    } else if let Some((mn0, complete)) = read_stream(&mut compound, "/MN0", context)? {
        if !complete {
            diagnostics.push("the MN0 stream is cut short".to_string());
        }
        let (Some(start), Some(end)) = (u32_at(&mn0, 0x22), u32_at(&mn0, 0x26)) else {
            return Err(ExtractError::truncated(FORMAT, "the MN0 header ends early"));
        };
        if start < WPS4_HEADER_LEN || end < start {
            return Err(ExtractError::malformed(FORMAT, format!("the text would run from {start} to {end}")));
        }
        let (start, end) = (start as usize, end as usize);
        if end > mn0.len() {
            diagnostics.push(format!("the text runs to {end}, past the end of MN0 ({} bytes)", mn0.len()));
        }
        let bytes = mn0.get(start..end.min(mn0.len())).unwrap_or_default();
        let encoding = if looks_like_cp1251(bytes) { encoding_rs::WINDOWS_1251 } else { encoding_rs::WINDOWS_1252 };
        let (decoded, _) = encoding.decode_without_bom_handling(bytes);
        push_works_text(&decoded, &mut text);
    } else {
        return Err(ExtractError::Unsupported(
            "OLE2 compound file with neither a CONTENTS nor an MN0 stream (not a Works document)".to_string(),
        ));
    }
    let (text, cut) = text.finish();
    diagnostics.extend(cut);
    Ok(Extraction { text, metadata, diagnostics })
}

/// One entry of the chunk index of a Works 5+ `CONTENTS` stream.
#[derive(Debug, PartialEq, Eq)]
struct Chunk {
    name: [u8; 4],
    offset: usize,
    length: usize,
}

/// Walks the chain of index blocks. Each block: u16 (unknown), u16 number of entries, u32 offset of the next block
/// (0xFFFFFFFF at the end), then the entries: u16 entry length (24), the chunk's name, u16 number, two u16, the
/// name again (or the kind of chunk), u32 offset and u32 length of the chunk within CONTENTS.
fn chunk_index(contents: &[u8], diagnostics: &mut Vec<String>) -> Result<Vec<Chunk>, ExtractError> {
    if !contents.starts_with(b"CHNK") {
        return Err(ExtractError::malformed(FORMAT, "CONTENTS does not start with a CHNK header"));
    }
    let mut chunks = Vec::new();
    let mut block = FIRST_INDEX_BLOCK;
    for _ in 0..MAX_INDEX_BLOCKS {
        let (Some(entries), Some(next)) = (u16_at(contents, block + 2), u32_at(contents, block + 4)) else {
            diagnostics.push("the chunk index ends early".to_string());
            break;
        };
        for number in 0..usize::from(entries) {
            let at = block + 8 + number * INDEX_ENTRY_LEN;
            let Some(entry) = contents.get(at..at + INDEX_ENTRY_LEN) else { break };
            // Unused slots of a block are zero (or otherwise not 24-byte entries).
            if u16_at(entry, 0) != Some(INDEX_ENTRY_LEN as u16) {
                continue;
            }
            let name = [entry[2], entry[3], entry[4], entry[5]];
            let offset = u32_at(entry, 16).unwrap_or(0) as usize;
            let length = u32_at(entry, 20).unwrap_or(0) as usize;
            chunks.push(Chunk { name, offset, length });
        }
        if next == u32::MAX {
            return Ok(chunks);
        }
        let next = next as usize;
        if next <= block || next >= contents.len() {
            diagnostics.push(format!("the chunk index points to a block at {next}, out of order or past the end"));
            return Ok(chunks);
        }
        block = next;
    }
    diagnostics.push("the chunk index has more blocks than a document has; the rest is ignored".to_string());
    Ok(chunks)
}

/// Works marks paragraphs with CR (or CR LF), line breaks with VT, page breaks with FF; other control characters and
/// the object placeholder stand for fields, pictures and footnote marks and carry no text.
fn push_works_text(decoded: &str, text: &mut TextBuilder) {
    let mut chars = decoded.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                text.push_char('\n');
            }
            '\n' | '\u{0B}' | '\u{0C}' => text.push_char('\n'),
            '\t' => text.push_char('\t'),
            '\u{1E}' => text.push_char('-'),
            c if c.is_control() || c == '\u{FFFC}' || c == '\u{FFFF}' => {}
            c => text.push_char(c),
        }
    }
    text.end_line();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index_entry(name: &[u8; 4], offset: u32, length: u32) -> Vec<u8> {
        let mut entry = vec![24, 0];
        entry.extend_from_slice(name);
        entry.extend_from_slice(&[0, 0, 1, 0, 0, 0]);
        entry.extend_from_slice(name);
        entry.extend_from_slice(&offset.to_le_bytes());
        entry.extend_from_slice(&length.to_le_bytes());
        entry
    }

    #[test]
    fn the_chunk_index_follows_its_chain_of_blocks() {
        let mut contents = b"CHNKWKS \x04\x00\x08\x00\x10\x00\x00\x03\x00\x02\x00\x00\x00\x10\x00\x00".to_vec();
        // First block: two slots, one used, then the next block at 0x60.
        contents.extend_from_slice(&[0xF8, 0x01, 2, 0, 0x60, 0, 0, 0]);
        contents.extend(index_entry(b"TEXT", 0x200, 8));
        contents.extend(vec![0u8; 24]);
        contents.resize(0x60, 0);
        contents.extend_from_slice(&[0xF8, 0x01, 1, 0, 0xFF, 0xFF, 0xFF, 0xFF]);
        contents.extend(index_entry(b"FONT", 0x300, 4));
        let mut diagnostics = Vec::new();
        let chunks = chunk_index(&contents, &mut diagnostics).expect("an index");
        assert_eq!(
            chunks,
            vec![
                Chunk { name: *b"TEXT", offset: 0x200, length: 8 },
                Chunk { name: *b"FONT", offset: 0x300, length: 4 }
            ]
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
    }

    #[test]
    fn a_chain_pointing_backwards_stops_with_a_diagnostic() {
        let mut contents = b"CHNKWKS \x04\x00\x08\x00\x10\x00\x00\x03\x00\x02\x00\x00\x00\x10\x00\x00".to_vec();
        contents.extend_from_slice(&[0xF8, 0x01, 1, 0, 0x18, 0, 0, 0]);
        contents.extend(index_entry(b"TEXT", 0x200, 8));
        let mut diagnostics = Vec::new();
        let chunks = chunk_index(&contents, &mut diagnostics).expect("an index");
        assert_eq!(chunks.len(), 1);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    }

    #[test]
    fn control_characters_become_line_breaks_or_nothing() {
        let mut text = TextBuilder::new(1 << 10);
        push_works_text("Заголовок\r\nстрока\u{0B}вторая\u{1}\u{FFFC}\rконец", &mut text);
        assert_eq!(text.finish().0, "Заголовок\nстрока\nвторая\nконец\n");
    }
}
