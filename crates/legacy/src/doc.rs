//! Word 97-2003 (and, in the simple cases, Word 6/95) documents: the File Information Block (FIB) at the start of
//! the `WordDocument` stream gives the character counts of each story and where the piece table (CLX) lies; the
//! piece table maps character positions to runs of 8-bit or UTF-16LE text in `WordDocument`.

use dossier_document::{Context, ExtractError, Extraction, Source, TextBuilder};
use encoding_rs::Encoding;

use crate::codepage::{decode_utf16le, encoding_for_codepage, looks_like_cp1251};
use crate::compound::{i32_at, open_compound, read_stream, u16_at, u32_at};
use crate::embedded::hand_over_objects_in;
use crate::ole_meta::ole_summary_metadata;
use crate::pictures::blip_metafile_texts;

const FORMAT: &str = "DOC";
/// More pieces than any real document has; bounds the work on a hostile piece table.
const MAX_PIECES: usize = 1 << 20;
/// The first nFib of Word 97; lower values are Word 6 and Word 95, which have a different FIB and no table stream.
const FIRST_WORD97_NFIB: u16 = 0xC0;
/// The wIdent values a Word FIB starts with: Word 97 and later, Word 6/95, and the Far East editions of Word 95
/// (Japanese, Chinese, Korean), whose FIB has the Word 95 layout. The layout follows from nFib, not from these.
const WORD_IDENTS: [u16; 6] = [0xA5EC, 0xA5DC, 0xA697, 0xA699, 0x8098, 0x8099];

/// The stories of a document in character-position order, with the heading each gets in the text.
const STORIES: [Option<&str>; 8] = [
    None,
    Some("[Footnotes]"),
    Some("[Headers and footers]"),
    Some("[Macros]"),
    Some("[Comments]"),
    Some("[Endnotes]"),
    Some("[Text boxes]"),
    Some("[Header text boxes]"),
];

/// Reads a Word 97-2003 `.doc` file: `Format::Doc`.
pub fn read_doc(source: &Source<'_>, context: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    let (mut compound, damage) = open_compound(source, FORMAT, context)?;
    let mut diagnostics: Vec<String> = damage.into_iter().collect();
    let Some((word_document, complete)) = read_stream(&mut compound, "/WordDocument", context)? else {
        // Microsoft Works word-processor files share the .wps/.doc names and the OLE container, not the format.
        if compound.is_stream("/MatOST") || compound.is_stream("/CONTENTS") {
            return Err(ExtractError::Unsupported("Microsoft Works word processor".to_string()));
        }
        return Err(ExtractError::Unsupported(
            "OLE2 compound file without a WordDocument stream (not a Word 97-2003 document)".to_string(),
        ));
    };
    if !complete {
        diagnostics.push("the WordDocument stream is cut short".to_string());
    }
    let fib = Fib::parse(&word_document)?;
    if fib.encrypted {
        return Err(ExtractError::Encrypted(Some("Word document encrypted with a password".to_string())));
    }
    let metadata = ole_summary_metadata(&mut compound);

    let pieces = if fib.word97 {
        let table_name = if fib.which_table_1 { "/1Table" } else { "/0Table" };
        let Some((table, table_complete)) = read_stream(&mut compound, table_name, context)? else {
            return Err(ExtractError::malformed(FORMAT, format!("no {} stream", &table_name[1..])));
        };
        if !table_complete {
            diagnostics.push(format!("the {} stream is cut short", &table_name[1..]));
        }
        if u64::from(fib.fc_clx) + u64::from(fib.lcb_clx) > table.len() as u64 {
            diagnostics.push(format!("the piece table runs past the end of the {} stream", &table_name[1..]));
        }
        match clipped_slice(&table, fib.fc_clx, fib.lcb_clx).map(|clx| parse_clx(clx, true)) {
            Some(Ok(pieces)) => pieces,
            Some(Err(detail)) => return Err(ExtractError::malformed(FORMAT, detail)),
            None => return Err(ExtractError::truncated(FORMAT, "the piece table lies past the table stream")),
        }
    } else if fib.complex {
        match clipped_slice(&word_document, fib.fc_clx, fib.lcb_clx).map(|clx| parse_clx(clx, false)) {
            Some(Ok(pieces)) => pieces,
            Some(Err(detail)) => return Err(ExtractError::malformed(FORMAT, detail)),
            None => return Err(ExtractError::truncated(FORMAT, "the piece table lies past the WordDocument stream")),
        }
    } else {
        // Word 6/95 without fast saves: the text is one 8-bit run starting at fcMin.
        let total: u32 = fib.story_lengths.iter().fold(0u32, |sum, len| sum.saturating_add(*len));
        vec![Piece { cp_start: 0, cp_end: total, fc: fib.fc_min, compressed: true }]
    };

    let encoding = choose_8bit_encoding(&fib, &pieces, &word_document);
    // Only characters inside the stories are shown, so no more are decoded (nor more than the text limit).
    let story_total = fib.story_lengths.iter().fold(0usize, |sum, len| sum.saturating_add(*len as usize));
    let max_characters = story_total.min(context.limits.max_text_bytes);
    let characters = piece_characters(&pieces, &word_document, encoding, max_characters);
    if characters.len() < fib.main_text_len() as usize {
        diagnostics.push(format!(
            "the piece table covers {} of {} characters of the main text",
            characters.len(),
            fib.main_text_len()
        ));
    }

    let mut text = TextBuilder::new(context.limits.max_text_bytes);
    let mut story_start = 0usize;
    for (heading, len) in STORIES.iter().zip(fib.story_lengths) {
        let story_end = story_start.saturating_add(len as usize).min(characters.len());
        let story = characters.get(story_start..story_end).unwrap_or(&[]);
        story_start = story_end;
        let story_text = render_story(story);
        let story_text = story_text.trim_matches(['\n', ' ', '\t', '\u{c}']);
        if story_text.trim().is_empty() {
            continue;
        }
        text.end_paragraph();
        if let Some(heading) = heading {
            text.push(heading);
            text.push("\n");
        }
        text.push(story_text);
    }
    // Text drawn in vector pictures (EMF/WMF): inline ones in the Data stream, floating ones in WordDocument.
    let mut picture_texts = blip_metafile_texts(&word_document, &mut diagnostics);
    if let Some((data, _)) = read_stream(&mut compound, "/Data", context)? {
        for drawn in blip_metafile_texts(&data, &mut diagnostics) {
            if !picture_texts.contains(&drawn) {
                picture_texts.push(drawn);
            }
        }
    }
    // Embedded objects (a spreadsheet, a PDF, another document) are files of their own; linked ones show their
    // content only as a picture, whose text comes after the stories (and is not repeated among the pictures).
    let objects = hand_over_objects_in(&mut compound, "/ObjectPool", context, &mut diagnostics)?;
    let linked_texts = objects.linked;
    picture_texts.retain(|drawn| !linked_texts.contains(drawn));
    push_section(&mut text, "[Pictures]", &picture_texts);
    push_linked_object_texts(&mut text, &linked_texts);
    push_section(&mut text, "[Equations]", &objects.equations);
    let (mut text, cut) = text.finish();
    diagnostics.extend(cut);
    // The closing line break only where the limit leaves room: a text cut at the limit stays within it.
    if !text.is_empty() && text.len() < context.limits.max_text_bytes {
        text.push('\n');
    }
    Ok(Extraction { text, metadata, diagnostics })
}

/// The text drawn in the pictures of linked objects, under a heading of its own like the other stories.
pub(crate) fn push_linked_object_texts(text: &mut TextBuilder, linked_texts: &[String]) {
    push_section(text, "[Linked objects]", linked_texts);
}

/// Texts under a heading of their own like the other stories, a paragraph each; nothing when there are none.
pub(crate) fn push_section(text: &mut TextBuilder, heading: &str, texts: &[String]) {
    if texts.is_empty() {
        return;
    }
    text.end_paragraph();
    text.push(heading);
    text.push("\n");
    for (index, drawn) in texts.iter().enumerate() {
        if index > 0 {
            text.end_paragraph();
        }
        text.push(drawn);
    }
}

/// What the reader needs from the FIB.
#[derive(Debug)]
struct Fib {
    word97: bool,
    language_id: u16,
    complex: bool,
    encrypted: bool,
    which_table_1: bool,
    fc_min: u32,
    /// ccpText, ccpFtn, ccpHdd, ccpMcr, ccpAtn, ccpEdn, ccpTxbx, ccpHdrTxbx.
    story_lengths: [u32; 8],
    fc_clx: u32,
    lcb_clx: u32,
}

impl Fib {
    fn parse(stream: &[u8]) -> Result<Fib, ExtractError> {
        let truncated = || ExtractError::truncated(FORMAT, "the File Information Block is cut short");
        let ident = u16_at(stream, 0).ok_or_else(truncated)?;
        if !WORD_IDENTS.contains(&ident) {
            return Err(ExtractError::malformed(FORMAT, format!("not a Word FIB (wIdent {ident:#06x})")));
        }
        let nfib = u16_at(stream, 2).ok_or_else(truncated)?;
        let language_id = u16_at(stream, 6).ok_or_else(truncated)?;
        let flags = u16_at(stream, 10).ok_or_else(truncated)?;
        let fc_min = u32_at(stream, 24).ok_or_else(truncated)?;
        let complex = flags & 0x0004 != 0;
        let encrypted = flags & 0x0100 != 0;
        let which_table_1 = flags & 0x0200 != 0;
        let count = |value: Option<i32>| value.map(|value| value.max(0) as u32);
        if nfib < FIRST_WORD97_NFIB {
            // Word 6/95: fixed offsets, no table stream.
            let mut story_lengths = [0u32; 8];
            for (index, len) in story_lengths.iter_mut().enumerate() {
                *len = count(i32_at(stream, 0x34 + index * 4)).ok_or_else(truncated)?;
            }
            return Ok(Fib {
                word97: false,
                language_id,
                complex,
                encrypted,
                which_table_1,
                fc_min,
                story_lengths,
                fc_clx: u32_at(stream, 0x160).unwrap_or(0),
                lcb_clx: u32_at(stream, 0x164).unwrap_or(0),
            });
        }
        // FibBase (32 bytes), csw + FibRgW, cslw + FibRgLw, cbRgFcLcb + FibRgFcLcb.
        let csw = u16_at(stream, 32).ok_or_else(truncated)? as usize;
        let rg_lw_count_at = 34 + csw * 2;
        let cslw = u16_at(stream, rg_lw_count_at).ok_or_else(truncated)? as usize;
        let rg_lw = rg_lw_count_at + 2;
        let mut story_lengths = [0u32; 8];
        for (index, len) in story_lengths.iter_mut().enumerate() {
            // ccpText is the fourth long of FibRgLw97; the other counts follow it.
            *len = if index + 3 < cslw { count(i32_at(stream, rg_lw + (index + 3) * 4)).unwrap_or(0) } else { 0 };
        }
        let rg_fc_lcb_count_at = rg_lw + cslw * 4;
        let rg_fc_lcb_count = u16_at(stream, rg_fc_lcb_count_at).ok_or_else(truncated)? as usize;
        // fcClx/lcbClx is pair 33 of FibRgFcLcb97.
        if rg_fc_lcb_count <= 33 {
            return Err(ExtractError::malformed(FORMAT, "the FIB has no piece table entry"));
        }
        let clx_at = rg_fc_lcb_count_at + 2 + 33 * 8;
        Ok(Fib {
            word97: true,
            language_id,
            complex,
            encrypted,
            which_table_1,
            fc_min,
            story_lengths,
            fc_clx: u32_at(stream, clx_at).ok_or_else(truncated)?,
            lcb_clx: u32_at(stream, clx_at + 4).ok_or_else(truncated)?,
        })
    }

    fn main_text_len(&self) -> u32 {
        self.story_lengths[0]
    }
}

fn slice(bytes: &[u8], offset: u32, len: u32) -> Option<&[u8]> {
    let start = offset as usize;
    bytes.get(start..start.checked_add(len as usize)?)
}

/// Like [`slice`], but a length running past the end is cut to what is there (a damaged FIB, a truncated stream):
/// the piece table parser stops at the last whole entry.
fn clipped_slice(bytes: &[u8], offset: u32, len: u32) -> Option<&[u8]> {
    let start = offset as usize;
    bytes.get(start..start.saturating_add(len as usize).min(bytes.len()))
}

/// One run of text: character positions `cp_start..cp_end` stored from byte `fc` of `WordDocument`.
#[derive(Debug, Clone, Copy)]
struct Piece {
    cp_start: u32,
    cp_end: u32,
    fc: u32,
    compressed: bool,
}

/// Parses the CLX: property modifiers (`Prc`, skipped) then the piece table (`Pcdt`). In Word 97 a piece's fc
/// carries the "compressed" (8-bit) flag in bit 30 and, when set, is a doubled byte offset; in Word 6/95 all
/// pieces are 8-bit and the fc is a plain byte offset.
fn parse_clx(clx: &[u8], word97: bool) -> Result<Vec<Piece>, String> {
    let mut at = 0usize;
    loop {
        match clx.get(at) {
            Some(1) => {
                let len = u16_at(clx, at + 1).ok_or("the CLX is cut short")? as usize;
                at += 3 + len;
            }
            Some(2) => break,
            Some(other) => return Err(format!("unexpected CLX entry type {other}")),
            None => return Err("the CLX has no piece table".to_string()),
        }
    }
    let len = u32_at(clx, at + 1).ok_or("the piece table is cut short")? as usize;
    let plc = clx.get(at + 5..).ok_or("the piece table is cut short")?;
    let plc = &plc[..len.min(plc.len())];
    if plc.len() < 4 {
        return Err("the piece table is empty".to_string());
    }
    let count = ((plc.len() - 4) / 12).min(MAX_PIECES);
    let mut pieces = Vec::with_capacity(count);
    for index in 0..count {
        let (Some(cp_start), Some(cp_end)) = (u32_at(plc, index * 4), u32_at(plc, index * 4 + 4)) else { break };
        let descriptor = (count + 1) * 4 + index * 8;
        let Some(raw_fc) = u32_at(plc, descriptor + 2) else { break };
        let (fc, compressed) = if word97 {
            let compressed = raw_fc & 0x4000_0000 != 0;
            let fc = raw_fc & 0x3FFF_FFFF;
            if compressed { (fc / 2, true) } else { (fc, false) }
        } else {
            (raw_fc, true)
        };
        if cp_end > cp_start {
            pieces.push(Piece { cp_start, cp_end, fc, compressed });
        }
    }
    Ok(pieces)
}

/// Language ids of documents whose 8-bit text is Cyrillic: Russian, Ukrainian, Belarusian, Bulgarian, Serbian
/// (Cyrillic) and Kazakh.
fn is_cyrillic_language(language_id: u16) -> bool {
    matches!(language_id, 0x0419 | 0x0422 | 0x0423 | 0x0402 | 0x0C1A | 0x043F)
}

/// The codepage of 8-bit pieces. The spec says cp1252, but Russian Word writes cp1251 bytes there; the language id
/// says so for most such files, and a plausibility check on the bytes themselves catches the rest.
fn choose_8bit_encoding(fib: &Fib, pieces: &[Piece], word_document: &[u8]) -> &'static Encoding {
    if is_cyrillic_language(fib.language_id) {
        return encoding_rs::WINDOWS_1251;
    }
    if let Some(encoding) = double_byte_encoding(fib.language_id) {
        return encoding;
    }
    let mut sample = Vec::new();
    for piece in pieces.iter().filter(|piece| piece.compressed) {
        let len = (piece.cp_end - piece.cp_start) as usize;
        if let Some(bytes) = slice(word_document, piece.fc, len.min(1 << 20) as u32) {
            sample.extend_from_slice(bytes);
        }
        if sample.len() > 1 << 20 {
            break;
        }
    }
    if looks_like_cp1251(&sample) {
        return encoding_rs::WINDOWS_1251;
    }
    encoding_for_codepage(1252).unwrap_or(encoding_rs::WINDOWS_1252)
}

/// The double-byte codepage of a Japanese, Chinese or Korean document's 8-bit text (Far East Word 95 writes its
/// text in the system's ANSI codepage, one character position per byte).
fn double_byte_encoding(language_id: u16) -> Option<&'static Encoding> {
    match language_id {
        0x0411 => Some(encoding_rs::SHIFT_JIS),
        0x0804 | 0x1004 => Some(encoding_rs::GBK),
        0x0404 | 0x0C04 | 0x1404 => Some(encoding_rs::BIG5),
        0x0412 => Some(encoding_rs::EUC_KR),
        _ => None,
    }
}

/// Whether `byte` starts a two-byte character in `encoding` (all four double-byte codepages use 0x81-0xFE, Shift_JIS
/// leaves out 0xA0-0xDF, its one-byte katakana).
fn is_lead_byte(encoding: &'static Encoding, byte: u8) -> bool {
    if encoding == encoding_rs::SHIFT_JIS {
        matches!(byte, 0x81..=0x9F | 0xE0..=0xFC)
    } else {
        matches!(byte, 0x81..=0xFE)
    }
}

/// Decodes 8-bit text in which each byte is a character position: a double-byte character is followed by a NUL
/// (dropped when the story is rendered), so that positions keep their place.
fn decode_by_position(bytes: &[u8], encoding: &'static Encoding, characters: &mut Vec<char>) {
    if double_byte_encoding_of(encoding) {
        let mut at = 0;
        while at < bytes.len() {
            if is_lead_byte(encoding, bytes[at]) && at + 1 < bytes.len() {
                let (decoded, _) = encoding.decode_without_bom_handling(&bytes[at..at + 2]);
                characters.extend(decoded.chars().take(1));
                characters.push('\0');
                at += 2;
            } else {
                let (decoded, _) = encoding.decode_without_bom_handling(&bytes[at..at + 1]);
                characters.extend(decoded.chars().take(1));
                at += 1;
            }
        }
        return;
    }
    let (decoded, _) = encoding.decode_without_bom_handling(bytes);
    characters.extend(decoded.chars());
}

fn double_byte_encoding_of(encoding: &'static Encoding) -> bool {
    [encoding_rs::SHIFT_JIS, encoding_rs::GBK, encoding_rs::BIG5, encoding_rs::EUC_KR].contains(&encoding)
}

/// The document's characters in character-position order, bounded by what the text limit can hold.
fn piece_characters(
    pieces: &[Piece],
    word_document: &[u8],
    encoding: &'static Encoding,
    max_characters: usize,
) -> Vec<char> {
    let mut ordered: Vec<Piece> = pieces.to_vec();
    ordered.sort_by_key(|piece| piece.cp_start);
    let mut characters = Vec::new();
    for piece in ordered {
        if characters.len() >= max_characters {
            break;
        }
        // Gaps (a hostile or damaged table) are skipped; overlaps are cut.
        let cp_start = (piece.cp_start as usize).max(characters.len());
        if cp_start >= piece.cp_end as usize {
            continue;
        }
        let skip = cp_start - piece.cp_start as usize;
        let len = piece.cp_end as usize - cp_start;
        if piece.compressed {
            let start = piece.fc as usize + skip;
            let end = start.saturating_add(len).min(word_document.len());
            let Some(bytes) = word_document.get(start..end) else { break };
            decode_by_position(bytes, encoding, &mut characters);
            if end - start < len {
                break;
            }
        } else {
            let start = piece.fc as usize + skip * 2;
            let end = start.saturating_add(len * 2).min(word_document.len());
            let Some(bytes) = word_document.get(start..end) else { break };
            characters.extend(decode_utf16le(bytes).chars());
            if end - start < len * 2 {
                break;
            }
        }
    }
    characters.truncate(max_characters);
    characters
}

/// Field instructions longer than this are not kept (only an EQ field's instruction is ever shown).
const MAX_FIELD_INSTRUCTION_CHARS: usize = 4096;

/// A field being read: whether we are still in its instruction (before the separator), and the instruction.
struct OpenField {
    in_instruction: bool,
    instruction: String,
}

/// Turns one story's characters into plain text: field instructions dropped (their results kept), Word's control
/// characters turned into line breaks, tabs and page breaks, object anchors dropped. A field with no result whose
/// instruction is the text itself (EQ: ruby text, fractions, overstrikes) shows that text.
fn render_story(characters: &[char]) -> String {
    let mut out = String::with_capacity(characters.len());
    let mut fields: Vec<OpenField> = Vec::new();
    let mut last_was_cell_end = false;
    for &c in characters {
        match c {
            '\u{13}' => {
                if fields.len() < 64 {
                    fields.push(OpenField { in_instruction: true, instruction: String::new() });
                }
                continue;
            }
            '\u{14}' => {
                if let Some(field) = fields.last_mut() {
                    field.in_instruction = false;
                }
                continue;
            }
            '\u{15}' => {
                if let Some(field) = fields.pop()
                    && field.in_instruction
                    && !fields.iter().any(|outer| outer.in_instruction)
                    && let Some(shown) = equation_text(&field.instruction)
                {
                    out.push_str(&shown);
                }
                continue;
            }
            _ => {}
        }
        if let Some(field) = fields.iter_mut().rev().find(|field| field.in_instruction) {
            // A NUL holds the second position of a double-byte character: it is no part of the text.
            if field.instruction.len() < MAX_FIELD_INSTRUCTION_CHARS && c != '\0' {
                field.instruction.push(c);
            }
            continue;
        }
        let cell_end = c == '\u{7}';
        match c {
            '\u{7}' if last_was_cell_end => {
                // A cell mark right after a cell mark ends the row.
                out.pop();
                out.push('\n');
            }
            '\u{7}' => out.push('\t'),
            '\r' | '\u{b}' | '\u{e}' => out.push('\n'),
            '\u{c}' => out.push('\u{c}'),
            '\t' => out.push('\t'),
            '\u{1e}' => out.push('-'),
            '\u{a0}' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{1f}' => {}
            c => out.push(c),
        }
        last_was_cell_end = cell_end && !last_was_cell_end;
    }
    // Lines end without trailing blanks (left by cell separators), and empty paragraphs (spacing, empty table
    // cells) leave at most one blank line.
    let mut tidy = String::with_capacity(out.len());
    let mut blank_lines = 0;
    for line in out.split('\n') {
        let line = line.trim_end_matches([' ', '\t']);
        blank_lines = if line.is_empty() { blank_lines + 1 } else { 0 };
        if blank_lines <= 1 {
            tidy.push_str(line);
            tidy.push('\n');
        }
    }
    tidy.pop();
    tidy
}

/// The readable text of an `EQ` field's instruction: its arguments without the switches. `EQ \\* jc2 \\* "Font:MS
/// Mincho" \\o\\ad(\\s\\up 10(とうきょう),東京)` (ruby text over a word) gives "とうきょう 東京"; other fields give `None`.
fn equation_text(instruction: &str) -> Option<String> {
    let rest = instruction.trim_start();
    let keyword: String = rest.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    if !keyword.eq_ignore_ascii_case("EQ") {
        return None;
    }
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut chars = rest[keyword.len()..].chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                // `\*` takes one argument (a format switch such as `jc2` or a quoted font); other switches are
                // letters with an optional number (`\up 10`, `\ad`). An escaped character (`\(`) is text.
                match chars.peek().copied() {
                    Some('*') => {
                        chars.next();
                        while chars.peek().is_some_and(|c| c.is_whitespace()) {
                            chars.next();
                        }
                        if chars.peek() == Some(&'"') {
                            chars.next();
                            for c in chars.by_ref() {
                                if c == '"' {
                                    break;
                                }
                            }
                        } else {
                            while chars.peek().is_some_and(|c| !c.is_whitespace() && *c != '\\') {
                                chars.next();
                            }
                        }
                    }
                    Some(letter) if letter.is_ascii_alphabetic() => {
                        while chars.peek().is_some_and(char::is_ascii_alphabetic) {
                            chars.next();
                        }
                        while chars.peek().is_some_and(|c| *c == ' ') {
                            chars.next();
                        }
                        while chars.peek().is_some_and(|c| c.is_ascii_digit() || *c == '-') {
                            chars.next();
                        }
                    }
                    Some(escaped) => {
                        chars.next();
                        word.push(escaped);
                    }
                    None => {}
                }
            }
            '(' | ')' | ',' | ';' => words.push(std::mem::take(&mut word)),
            c if c.is_whitespace() => words.push(std::mem::take(&mut word)),
            c => word.push(c),
        }
    }
    words.push(word);
    let shown: Vec<String> = words.into_iter().filter(|word| !word.is_empty()).collect();
    (!shown.is_empty()).then(|| shown.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(text: &str) -> String {
        render_story(&text.chars().collect::<Vec<char>>())
    }

    #[test]
    fn field_instructions_are_dropped_and_results_kept() {
        assert_eq!(render("See \u{13} HYPERLINK \"x\" \u{14}the site\u{15}.\r"), "See the site.\n");
        assert_eq!(render("\u{13}PAGE\u{15}x"), "x");
        assert_eq!(render("a\u{13}IF \u{13}REF b\u{14}1\u{15} = 1 \u{14}yes\u{15}z"), "ayesz");
    }

    #[test]
    fn an_equation_field_without_result_shows_its_text() {
        let ruby = "\u{13}EQ \\* jc2 \\* \"Font:MS Mincho\" \\* hps11 \\o\\ad(\\s\\up 10(とうきょう),東京)\u{15}へ\r";
        assert_eq!(render(ruby), "とうきょう 東京へ\n");
        assert_eq!(render("x \u{13}EQ \\f(1,2)\u{15} y"), "x 1 2 y");
        // Fields without a result that are not equations stay hidden, and so does a result-less EQ inside the
        // instruction of another field.
        assert_eq!(render("a\u{13} EMBED Word.Document.8 \\s \u{15}b"), "ab");
        assert_eq!(render("a\u{13}IF \u{13}EQ x\u{15} \u{14}r\u{15}b"), "arb");
    }

    #[test]
    fn table_cells_become_tabs_and_rows_lines() {
        assert_eq!(render("a\u{7}b\u{7}\u{7}c\u{7}d\u{7}\u{7}"), "a\tb\nc\td\n");
    }

    #[test]
    fn unbalanced_fields_do_not_panic() {
        assert_eq!(render("\u{15}\u{14}a"), "a");
        let many_opens: String = std::iter::repeat_n('\u{13}', 10_000).collect();
        assert_eq!(render(&many_opens), "");
    }
}
