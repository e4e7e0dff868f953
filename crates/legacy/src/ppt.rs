//! PowerPoint 97-2003 presentations: records in the `PowerPoint Document` stream. The slides are found the way
//! PowerPoint finds them: `Current User` → the last UserEditAtom → the persist directory (merged along the chain
//! of earlier edits) → the Document container, whose slide list names each slide's container. A slide's text is
//! the placeholder text in the slide list plus the text atoms inside the slide's own drawing; its notes come from
//! the notes container it points to. When that chain is broken, the text atoms are read in stream order instead.

use std::collections::HashMap;

use dossier_document::{Context, ExtractError, Extraction, Source, TextBuilder};

use crate::codepage::decode_utf16le;
use crate::compound::{open_compound, read_stream, u16_at, u32_at};
use crate::doc::push_section;
use crate::embedded::hand_over_compound_object;
use crate::ole_meta::ole_summary_metadata;
use crate::pictures::blip_metafile_texts;

const FORMAT: &str = "PPT";
/// Containers nest a few levels deep in real files; a hostile file could nest them as deep as it is long.
const MAX_DEPTH: usize = 32;
/// Bounds the edits followed and the persist entries read on a hostile chain.
const MAX_EDITS: usize = 4096;
const MAX_PERSIST_ENTRIES: usize = 1 << 20;

const DOCUMENT: u16 = 0x03E8;
const SLIDE: u16 = 0x03EE;
const SLIDE_ATOM: u16 = 0x03EF;
const NOTES: u16 = 0x03F0;
const SLIDE_PERSIST_ATOM: u16 = 0x03F3;
const SLIDE_LIST_WITH_TEXT: u16 = 0x0FF0;
const TEXT_CHARS_ATOM: u16 = 0x0FA0;
const TEXT_BYTES_ATOM: u16 = 0x0FA8;
const USER_EDIT_ATOM: u16 = 0x0FF5;
const PERSIST_DIRECTORY_ATOM: u16 = 0x1772;
/// Master-slide and outline text that is not slide content, skipped by the drawing walk.
const PROG_TAGS: u16 = 0x1388;
/// An embedded OLE object's storage, as a compound file of its own (zlib-compressed when the instance is 1).
const EX_OLE_OBJ_STG: u16 = 0x1011;
/// More embedded objects than any real presentation holds: bounds the work on a hostile stream.
const MAX_OBJECTS: usize = 10_000;

/// Reads a PowerPoint 97-2003 `.ppt` file: `Format::Ppt`.
pub fn read_ppt(source: &Source<'_>, context: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    let (mut compound, damage) = open_compound(source, FORMAT, context)?;
    let mut diagnostics: Vec<String> = damage.into_iter().collect();
    let Some((stream, complete)) = read_stream(&mut compound, "/PowerPoint Document", context)? else {
        return Err(ExtractError::malformed(FORMAT, "no PowerPoint Document stream"));
    };
    if !complete {
        diagnostics.push("the PowerPoint Document stream is cut short".to_string());
    }
    if stream.is_empty() {
        return Err(ExtractError::truncated(FORMAT, "the PowerPoint Document stream is empty"));
    }
    let current_user = read_stream(&mut compound, "/Current User", context)?.map(|(bytes, _)| bytes);
    let metadata = ole_summary_metadata(&mut compound);
    // The encrypted-document header token; the stream itself is then RC4-encrypted.
    if current_user.as_deref().and_then(|bytes| u32_at(bytes, 12)) == Some(0xF3D1_C4DF) {
        return Err(ExtractError::Encrypted(Some("PowerPoint presentation encrypted with a password".to_string())));
    }
    if compound.is_stream("/EncryptedSummary") {
        return Err(ExtractError::Encrypted(Some("PowerPoint presentation encrypted with a password".to_string())));
    }

    let mut text = TextBuilder::new(context.limits.max_text_bytes);
    let slides = current_user.as_deref().and_then(|current_user| read_slides(&stream, current_user));
    match slides {
        Some(slides) if !slides.is_empty() => {
            for (number, slide) in slides.iter().enumerate() {
                text.end_paragraph();
                if number > 0 {
                    text.push("\u{c}");
                }
                text.push(&format!("Slide {}", number + 1));
                if !slide.text.is_empty() {
                    text.push("\n");
                    text.push(&slide.text);
                }
                if !slide.notes.is_empty() {
                    text.end_paragraph();
                    text.push("[Notes]\n");
                    text.push(&slide.notes);
                }
                if text.is_full() {
                    break;
                }
            }
        }
        _ => {
            diagnostics.push("no readable slide list: text read in stream order".to_string());
            let mut texts = Vec::new();
            collect_text_atoms(&stream, 0, &mut texts, context.limits.max_text_bytes);
            for atom in texts {
                text.end_line();
                text.push(&atom);
            }
        }
    }
    // Text drawn in vector pictures (EMF/WMF), all kept in the Pictures stream.
    if let Some((pictures, _)) = read_stream(&mut compound, "/Pictures", context)? {
        push_section(&mut text, "[Pictures]", &blip_metafile_texts(&pictures, &mut diagnostics));
    }
    let (mut text, cut) = text.finish();
    diagnostics.extend(cut);
    // The closing line break only where the limit leaves room: a text cut at the limit stays within it.
    if !text.is_empty() && !text.ends_with('\n') && text.len() < context.limits.max_text_bytes {
        text.push('\n');
    }
    // Embedded objects (a spreadsheet, a document, a packaged file) are top-level records of their own.
    let objects = children(&stream).into_iter().filter(|record| record.kind == EX_OLE_OBJ_STG);
    for (index, record) in objects.take(MAX_OBJECTS).enumerate() {
        let name = format!("object {}", index + 1);
        match object_storage_bytes(&record, context.limits.max_in_memory_bytes) {
            Ok(bytes) => hand_over_compound_object(bytes, &name, context, &mut diagnostics)?,
            Err(problem) => diagnostics.push(format!("embedded {name} not read: {problem}")),
        }
    }
    Ok(Extraction { text, metadata, diagnostics })
}

/// The compound file of an ExOleObjStg record: stored as it is, or (instance 1) its decompressed size then zlib data.
/// Decompression stops at the declared size and at the in-memory limit.
fn object_storage_bytes(record: &Record<'_>, max_bytes: u64) -> Result<Vec<u8>, String> {
    use std::io::Read as _;
    if record.instance != 1 {
        return Ok(record.data.to_vec());
    }
    let declared = u64::from(u32_at(record.data, 0).ok_or("the record is cut short")?);
    if declared > max_bytes {
        return Err(format!("{declared} bytes decompressed > {max_bytes}"));
    }
    let mut bytes = Vec::with_capacity(declared.min(1 << 24) as usize);
    let mut decoder = flate2::read::ZlibDecoder::new(&record.data[4..]).take(declared);
    match decoder.read_to_end(&mut bytes) {
        Ok(_) => Ok(bytes),
        Err(err) if !bytes.is_empty() => Err(format!("damaged compressed data after {} bytes: {err}", bytes.len())),
        Err(err) => Err(format!("damaged compressed data: {err}")),
    }
}

/// A record header and its payload (cut to the bytes that exist).
struct Record<'a> {
    is_container: bool,
    instance: u16,
    kind: u16,
    data: &'a [u8],
    /// Offset of the next record.
    end: usize,
}

fn record_at(stream: &[u8], offset: usize) -> Option<Record<'_>> {
    let version_instance = u16_at(stream, offset)?;
    let kind = u16_at(stream, offset + 2)?;
    let len = u32_at(stream, offset + 4)? as usize;
    let start = offset + 8;
    let end = start.saturating_add(len);
    let data = stream.get(start..end.min(stream.len()))?;
    Some(Record { is_container: version_instance & 0x0F == 0x0F, instance: version_instance >> 4, kind, data, end })
}

/// The records directly inside `data`.
fn children(data: &[u8]) -> Vec<Record<'_>> {
    let mut records = Vec::new();
    let mut at = 0usize;
    while let Some(record) = record_at(data, at) {
        at = record.end;
        records.push(record);
    }
    records
}

/// Text atoms anywhere below `data`, in order, skipping programmable tags (they repeat text in other forms).
fn collect_text_atoms(data: &[u8], depth: usize, out: &mut Vec<String>, max_bytes: usize) {
    let mut bytes = out.iter().map(String::len).sum();
    collect_text_atoms_within(data, depth, out, &mut bytes, max_bytes);
}

fn collect_text_atoms_within(data: &[u8], depth: usize, out: &mut Vec<String>, bytes: &mut usize, max_bytes: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    for record in children(data) {
        if *bytes > max_bytes {
            return;
        }
        match record.kind {
            TEXT_CHARS_ATOM | TEXT_BYTES_ATOM => {
                let text = atom_text(&record);
                *bytes += text.len();
                out.push(text);
            }
            PROG_TAGS => {}
            _ if record.is_container => collect_text_atoms_within(record.data, depth + 1, out, bytes, max_bytes),
            _ => {}
        }
    }
}

/// The text of a TextCharsAtom (UTF-16LE) or TextBytesAtom (the low bytes of UTF-16, i.e. Latin-1), with
/// PowerPoint's paragraph mark (CR) and vertical tab as line breaks.
fn atom_text(record: &Record<'_>) -> String {
    let text = if record.kind == TEXT_CHARS_ATOM {
        decode_utf16le(record.data)
    } else {
        record.data.iter().map(|&b| char::from(b)).collect()
    };
    text.chars()
        .map(|c| if c == '\r' || c == '\u{b}' { '\n' } else { c })
        .filter(|&c| c == '\n' || c == '\t' || !c.is_control())
        .collect::<String>()
        .trim()
        .to_string()
}

struct Slide {
    text: String,
    notes: String,
}

/// The slides in presentation order, or `None` when the persist chain cannot be followed.
fn read_slides(stream: &[u8], current_user: &[u8]) -> Option<Vec<Slide>> {
    let persist = persist_directory(stream, current_user)?;
    let last_edit = record_at(stream, u32_at(current_user, 16)? as usize)?;
    let document_ref = u32_at(last_edit.data, 16)?;
    let document = record_at(stream, *persist.get(&document_ref)? as usize)?;
    if document.kind != DOCUMENT {
        return None;
    }
    // Slide lists: instance 0 holds the slides, instance 2 the notes. Each SlidePersistAtom starts a slide; the
    // text atoms after it (until the next one) are that slide's placeholder text.
    let mut slide_entries: Vec<(u32, String)> = Vec::new();
    let mut notes_by_slide_id: HashMap<u32, (u32, String)> = HashMap::new();
    for list in children(document.data).into_iter().filter(|record| record.kind == SLIDE_LIST_WITH_TEXT) {
        let mut entries: Vec<(u32, u32, Vec<String>)> = Vec::new();
        for record in children(list.data) {
            match record.kind {
                SLIDE_PERSIST_ATOM => {
                    let persist_ref = u32_at(record.data, 0).unwrap_or(0);
                    let slide_id = u32_at(record.data, 12).unwrap_or(0);
                    entries.push((persist_ref, slide_id, Vec::new()));
                }
                TEXT_CHARS_ATOM | TEXT_BYTES_ATOM => {
                    if let Some(entry) = entries.last_mut() {
                        entry.2.push(atom_text(&record));
                    }
                }
                _ => {}
            }
        }
        match list.instance {
            0 => slide_entries.extend(entries.into_iter().map(|(persist_ref, _, texts)| (persist_ref, join(&texts)))),
            2 => {
                for (persist_ref, slide_id, texts) in entries {
                    notes_by_slide_id.insert(slide_id, (persist_ref, join(&texts)));
                }
            }
            _ => {}
        }
    }
    let mut slides = Vec::new();
    // A hostile slide list could name one big slide a million times: each container is walked once.
    let mut walked = std::collections::HashSet::new();
    for (persist_ref, list_text) in slide_entries {
        if !walked.insert(persist_ref) {
            continue;
        }
        let mut texts = vec![list_text];
        let mut notes = String::new();
        if let Some(container) = persist.get(&persist_ref).and_then(|&offset| record_at(stream, offset as usize))
            && container.kind == SLIDE
        {
            collect_text_atoms(container.data, 0, &mut texts, 1 << 26);
            let notes_id = children(container.data)
                .iter()
                .find(|record| record.kind == SLIDE_ATOM)
                .and_then(|atom| u32_at(atom.data, 16));
            if let Some((notes_ref, notes_list_text)) = notes_id.and_then(|id| notes_by_slide_id.get(&id)) {
                let mut note_texts = vec![notes_list_text.clone()];
                if let Some(notes_container) =
                    persist.get(notes_ref).and_then(|&offset| record_at(stream, offset as usize))
                    && notes_container.kind == NOTES
                {
                    collect_text_atoms(notes_container.data, 0, &mut note_texts, 1 << 26);
                }
                notes = join(&note_texts);
            }
        }
        slides.push(Slide { text: join(&texts), notes });
    }
    Some(slides)
}

/// Non-empty texts, one per line, a text repeated verbatim (slide number placeholders, "*") kept once.
fn join(texts: &[String]) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for text in texts {
        let text = text.trim();
        if !text.is_empty() && text != "*" && !seen.contains(&text) {
            seen.push(text);
        }
    }
    seen.join("\n")
}

/// Persist id → stream offset, merged from the last edit back to the first (newer entries win).
fn persist_directory(stream: &[u8], current_user: &[u8]) -> Option<HashMap<u32, u32>> {
    let mut persist = HashMap::new();
    let mut edit_offset = u32_at(current_user, 16)? as usize;
    let mut visited = Vec::new();
    for _ in 0..MAX_EDITS {
        if visited.contains(&edit_offset) {
            break;
        }
        visited.push(edit_offset);
        let edit = record_at(stream, edit_offset)?;
        if edit.kind != USER_EDIT_ATOM {
            return None;
        }
        let directory_offset = u32_at(edit.data, 12)? as usize;
        if let Some(directory) = record_at(stream, directory_offset)
            && directory.kind == PERSIST_DIRECTORY_ATOM
        {
            let mut at = 0usize;
            while let Some(header) = u32_at(directory.data, at) {
                let first_id = header & 0x000F_FFFF;
                let count = (header >> 20) as usize;
                at += 4;
                for index in 0..count {
                    let Some(offset) = u32_at(directory.data, at + index * 4) else { break };
                    if persist.len() < MAX_PERSIST_ENTRIES {
                        persist.entry(first_id + index as u32).or_insert(offset);
                    }
                }
                at += count * 4;
            }
        }
        let previous = u32_at(edit.data, 8)? as usize;
        if previous == 0 {
            break;
        }
        edit_offset = previous;
    }
    Some(persist)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(version_instance: u16, kind: u16, data: &[u8]) -> Vec<u8> {
        let mut bytes = version_instance.to_le_bytes().to_vec();
        bytes.extend_from_slice(&kind.to_le_bytes());
        bytes.extend_from_slice(&(data.len() as u32).to_le_bytes());
        bytes.extend_from_slice(data);
        bytes
    }

    #[test]
    fn stream_order_walk_finds_nested_atoms_and_survives_lies() {
        let chars: Vec<u8> = "Привет\r мир".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let inner = [record(0, TEXT_CHARS_ATOM, &chars), record(0, TEXT_BYTES_ATOM, b"Hello")].concat();
        let container = record(0x0F, SLIDE, &inner);
        let mut texts = Vec::new();
        collect_text_atoms(&container, 0, &mut texts, 1000);
        assert_eq!(texts, vec!["Привет\n мир".to_string(), "Hello".to_string()]);
        // A container claiming more bytes than exist, and every truncation of it.
        let mut lying = container.clone();
        lying[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        for cut in 0..lying.len() {
            let mut texts = Vec::new();
            collect_text_atoms(&lying[..cut], 0, &mut texts, 1000);
        }
    }

    #[test]
    fn deep_nesting_stops() {
        let mut data = record(0, TEXT_BYTES_ATOM, b"deep");
        for _ in 0..100 {
            data = record(0x0F, 0x1000, &data);
        }
        let mut texts = Vec::new();
        collect_text_atoms(&data, 0, &mut texts, 1000);
        assert!(texts.is_empty());
    }
}
