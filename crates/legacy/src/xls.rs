//! Excel 5-2003 workbooks: our own reader of BIFF5 and BIFF8 records in the `Book` / `Workbook` stream. Cells come
//! out like the XLSX reader's: "Sheet: name", then one line per row with tab-separated cells, dates as ISO 8601.
//! BIFF5 strings are 8-bit in the workbook's CODEPAGE; an old workbook that declares none is read as windows-1251
//! when its strings look Cyrillic (Russian Excel 95 files written by other tools), else windows-1252.

use std::collections::{BTreeMap, HashMap};

use dossier_document::{Context, ExtractError, Extraction, Source, TextBuilder};
use encoding_rs::Encoding;

use crate::codepage::{decode_8bit, encoding_for_codepage, looks_like_cp1251};
use crate::compound::{f64_at, open_compound, read_stream, u16_at, u32_at};
use crate::doc::{push_linked_object_texts, push_section};
use crate::embedded::hand_over_storages;
use crate::ole_meta::ole_summary_metadata;
use crate::pictures::blip_metafile_texts;
use crate::xls_crypt::{EXCEL_DEFAULT_PASSWORD, Scheme, decrypt_stream};
use dossier_sheetdate::serial_to_iso;

const FORMAT: &str = "XLS";
/// At most this many empty cells in a row become tabs: a value in column XFD must not cost 16 000 tabs.
const MAX_COLUMN_GAP: u16 = 16;
/// More unique strings than any real workbook has; bounds the shared string table on a hostile count.
const MAX_SHARED_STRINGS: usize = 1 << 22;

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const FILEPASS: u16 = 0x002F;
const CODEPAGE: u16 = 0x0042;
const DATEMODE: u16 = 0x0022;
const BOUNDSHEET: u16 = 0x0085;
const FORMAT_RECORD: u16 = 0x041E;
const XF: u16 = 0x00E0;
const SST: u16 = 0x00FC;
const CONTINUE: u16 = 0x003C;
const MSODRAWINGGROUP: u16 = 0x00EB;
const LABELSST: u16 = 0x00FD;
const LABEL: u16 = 0x0204;
const RSTRING: u16 = 0x00D6;
const RK: u16 = 0x027E;
const MULRK: u16 = 0x00BD;
const NUMBER: u16 = 0x0203;
const FORMULA: u16 = 0x0006;
const FORMULA_BIFF3: u16 = 0x0206;
const FORMULA_BIFF4: u16 = 0x0406;
const XF_BIFF3: u16 = 0x0243;
const XF_BIFF4: u16 = 0x0443;
const STRING: u16 = 0x0207;
const BOOLERR: u16 = 0x0205;

/// Reads an Excel 97-2003 (BIFF8) or Excel 5/95 (BIFF5) `.xls` file: `Format::Xls`.
pub fn read_xls(source: &Source<'_>, context: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    if let Some(extraction) = read_bare_biff34(source, context)? {
        return Ok(extraction);
    }
    let (mut compound, damage) = open_compound(source, FORMAT, context)?;
    let mut diagnostics: Vec<String> = damage.into_iter().collect();
    let stream = match read_stream(&mut compound, "/Workbook", context)? {
        Some(stream) => stream,
        None => match read_stream(&mut compound, "/Book", context)? {
            Some(stream) => stream,
            None => return Err(ExtractError::malformed(FORMAT, "no Workbook or Book stream")),
        },
    };
    let (mut stream, complete) = stream;
    if !complete {
        diagnostics.push("the workbook stream is cut short".to_string());
    }
    let (biff8, filepass) = {
        let records = split_records(&stream);
        let Some(first) = records.first() else {
            return Err(ExtractError::truncated(FORMAT, "the workbook stream holds no record"));
        };
        if first.kind != BOF {
            return Err(ExtractError::Unsupported(format!(
                "Excel workbook not in BIFF5/BIFF8 (first record {:#06x})",
                first.kind
            )));
        }
        let biff8 = u16_at(first.data, 0) == Some(0x0600);
        (biff8, records.iter().find(|record| record.kind == FILEPASS).map(|record| record.data.to_vec()))
    };
    let decryption = match filepass {
        Some(filepass) if biff8 => Some(decrypt(&mut stream, &filepass, context)?),
        Some(_) => return Err(ExtractError::Encrypted(Some("Excel 5/95 workbook obfuscated with a password".into()))),
        None => None,
    };
    let records = split_records(&stream);
    let mut workbook = Workbook::read_globals(&records, biff8);
    if !biff8 && workbook.codepage.is_none() {
        // No declared codepage: guess between Western and Cyrillic from the 8-bit strings themselves.
        let sample: Vec<u8> = records
            .iter()
            .filter(|record| matches!(record.kind, LABEL | RSTRING | STRING))
            .flat_map(|record| record.data.iter().skip(6).copied())
            .take(1 << 20)
            .collect();
        if looks_like_cp1251(&sample) {
            workbook.encoding = encoding_rs::WINDOWS_1251;
        }
        workbook.reread_names(&records);
    }

    let mut metadata = ole_summary_metadata(&mut compound);
    if let Some((scheme, opened_with)) = decryption {
        metadata.set("encryption", scheme);
        metadata.set("decrypted_with", opened_with);
    }
    if !biff8 {
        // BIFF5 text is 8-bit: say which codepage it was read with (declared or guessed).
        metadata.set("charset", workbook.encoding.name());
    }
    let mut text = TextBuilder::new(context.limits.max_text_bytes);
    let mut hidden_sheets = Vec::new();
    let mut sheets_read = std::collections::HashSet::new();
    let record_index_by_offset: HashMap<usize, usize> =
        records.iter().enumerate().filter(|(_, record)| record.kind == BOF).map(|(i, r)| (r.offset, i)).collect();
    for sheet in &workbook.sheets {
        if sheet.kind != 0 {
            continue; // charts and macro sheets hold no cells.
        }
        if sheet.hidden {
            hidden_sheets.push(sheet.name.clone());
        }
        // A hostile sheet list could name one sheet's records many times: each is read once.
        if !sheets_read.insert(sheet.offset) {
            continue;
        }
        let Some(&index) = record_index_by_offset.get(&(sheet.offset as usize)) else {
            diagnostics.push(format!("sheet {:?}: its records are missing", sheet.name));
            continue;
        };
        let cells = workbook.read_cells(&records[index..], context.limits.max_text_bytes);
        text.end_paragraph();
        text.push("Sheet: ");
        text.push(&sheet.name);
        text.push("\n");
        text.push(&render_rows(&cells));
        if text.is_full() {
            break;
        }
    }
    for name in hidden_sheets {
        metadata.push("hidden_sheets", name);
    }
    // Text drawn in vector pictures (EMF/WMF): their BLIPs are in the drawing group, whose records and their
    // CONTINUE records are one OfficeArt stream.
    let mut drawing_group = Vec::new();
    let mut in_drawing_group = false;
    for record in &records {
        match record.kind {
            MSODRAWINGGROUP => in_drawing_group = true,
            CONTINUE if in_drawing_group => {}
            _ => in_drawing_group = false,
        }
        if in_drawing_group && drawing_group.len() < context.limits.max_in_memory_bytes as usize {
            drawing_group.extend_from_slice(record.data);
        }
    }
    let mut picture_texts = blip_metafile_texts(&drawing_group, &mut diagnostics);
    // Embedded objects (a Word document or a file pasted into the sheet) live in root storages named MBD<hex>.
    let object_storages: Vec<String> = compound
        .read_root_storage()
        .filter(|entry| entry.is_storage() && entry.name().starts_with("MBD"))
        .map(|entry| entry.name().to_string())
        .collect();
    let objects = hand_over_storages(&mut compound, "", &object_storages, context, &mut diagnostics)?;
    let linked_texts = objects.linked;
    picture_texts.retain(|drawn| !linked_texts.contains(drawn));
    push_section(&mut text, "[Pictures]", &picture_texts);
    push_linked_object_texts(&mut text, &linked_texts);
    push_section(&mut text, "[Equations]", &objects.equations);
    let (mut text, cut) = text.finish();
    diagnostics.extend(cut);
    // The closing line break only where the limit leaves room: a text cut at the limit stays within it.
    if !text.is_empty() && !text.ends_with('\n') && text.len() < context.limits.max_text_bytes {
        text.push('\n');
    }
    Ok(Extraction { text, metadata, diagnostics })
}

/// Decrypts a BIFF8 workbook stream in place with the user's passwords, then Excel's default one; says which
/// scheme it was and what kind of password opened it. A workbook no password opens is refused as encrypted.
fn decrypt(
    stream: &mut [u8],
    filepass: &[u8],
    context: &Context<'_>,
) -> Result<(&'static str, &'static str), ExtractError> {
    let refused =
        |detail: String| ExtractError::Encrypted(Some(format!("Excel workbook encrypted with a password: {detail}")));
    let scheme = Scheme::parse(filepass).map_err(refused)?;
    let passwords = context.options.passwords.iter().map(|password| (password.as_str(), "a given password"));
    let default = (EXCEL_DEFAULT_PASSWORD, "Excel's default password (the file was only write-protected)");
    for (password, kind) in passwords.chain(std::iter::once(default)) {
        if let Some(key) = scheme.key_for(password) {
            decrypt_stream(stream, &key);
            return Ok((scheme.describe(), kind));
        }
    }
    Err(refused("no given password opens it".to_string()))
}

/// Excel 3 and 4 worksheets are not OLE files: the file is the record stream itself, one sheet, no sheet list.
/// `None` when the file does not start with a BIFF3/BIFF4 BOF record.
fn read_bare_biff34(source: &Source<'_>, context: &Context<'_>) -> Result<Option<Extraction>, ExtractError> {
    use std::io::Read as _;
    let mut file = std::fs::File::open(source.path).map_err(|err| ExtractError::io(&err))?;
    let mut head = [0u8; 2];
    if file.read_exact(&mut head).is_err() || !matches!(u16::from_le_bytes(head), 0x0209 | 0x0409) {
        return Ok(None);
    }
    let mut stream = head.to_vec();
    file.take(context.limits.max_in_memory_bytes).read_to_end(&mut stream).map_err(|err| ExtractError::io(&err))?;
    let records = split_records(&stream);
    let workbook = Workbook::read_globals(&records, false);
    let cells = workbook.read_cells(&records, context.limits.max_text_bytes);
    let mut text = TextBuilder::new(context.limits.max_text_bytes);
    text.push("Sheet: Sheet1\n");
    text.push(&render_rows(&cells));
    let (mut text, cut) = text.finish();
    if text.len() < context.limits.max_text_bytes {
        text.push('\n');
    }
    let mut metadata = dossier_document::Metadata::default();
    metadata.set("charset", workbook.encoding.name());
    Ok(Some(Extraction { text, metadata, diagnostics: cut.into_iter().collect() }))
}

/// One BIFF record: its type, payload and offset in the stream (sheets are found by the offset of their BOF).
struct Record<'a> {
    kind: u16,
    data: &'a [u8],
    offset: usize,
}

/// Splits the stream into records; a record whose length runs past the end is cut to what is there and ends the walk.
fn split_records(stream: &[u8]) -> Vec<Record<'_>> {
    let mut records = Vec::new();
    let mut at = 0usize;
    while let (Some(kind), Some(len)) = (u16_at(stream, at), u16_at(stream, at + 2)) {
        let start = at + 4;
        let end = (start + len as usize).min(stream.len());
        records.push(Record { kind, data: &stream[start..end], offset: at });
        at = start + len as usize;
    }
    records
}

struct Sheet {
    name: String,
    offset: u32,
    kind: u8,
    hidden: bool,
}

struct Workbook {
    biff8: bool,
    codepage: Option<u16>,
    encoding: &'static Encoding,
    date1904: bool,
    sheets: Vec<Sheet>,
    /// Number format id of each XF (cell style), by XF index.
    xf_formats: Vec<u16>,
    formats: HashMap<u16, String>,
    shared_strings: Vec<String>,
}

impl Workbook {
    fn read_globals(records: &[Record<'_>], biff8: bool) -> Workbook {
        let mut workbook = Workbook {
            biff8,
            codepage: None,
            encoding: encoding_rs::WINDOWS_1252,
            date1904: false,
            sheets: Vec::new(),
            xf_formats: Vec::new(),
            formats: HashMap::new(),
            shared_strings: Vec::new(),
        };
        // The codepage comes first in practice, but read it before any string in case it does not.
        if let Some(record) = records.iter().take_while(|record| record.kind != EOF).find(|r| r.kind == CODEPAGE)
            && let Some(codepage) = u16_at(record.data, 0)
        {
            workbook.codepage = Some(codepage);
            if let Some(encoding) = encoding_for_codepage(codepage).filter(|_| codepage != 1200) {
                workbook.encoding = encoding;
            }
        }
        for (index, record) in records.iter().enumerate() {
            match record.kind {
                EOF => break,
                DATEMODE => workbook.date1904 = u16_at(record.data, 0) == Some(1),
                XF => workbook.xf_formats.push(u16_at(record.data, 2).unwrap_or(0)),
                XF_BIFF3 | XF_BIFF4 => workbook.xf_formats.push(u16::from(record.data.get(1).copied().unwrap_or(0))),
                FORMAT_RECORD => {
                    if let Some(id) = u16_at(record.data, 0) {
                        let code = if biff8 {
                            read_unicode_string(record.data, 2, true).map(|(s, _)| s)
                        } else {
                            read_byte_string(record.data, 2, workbook.encoding)
                        };
                        if let Some(code) = code {
                            workbook.formats.insert(id, code);
                        }
                    }
                }
                SST if biff8 => workbook.shared_strings = read_shared_strings(&records[index..]),
                _ => {}
            }
        }
        workbook.reread_names(records);
        workbook
    }

    /// (Re)reads the sheet list, whose names depend on the codepage chosen.
    fn reread_names(&mut self, records: &[Record<'_>]) {
        self.sheets.clear();
        for record in records.iter().take_while(|record| record.kind != EOF).filter(|r| r.kind == BOUNDSHEET) {
            let (Some(offset), Some(flags)) = (u32_at(record.data, 0), u16_at(record.data, 4)) else { continue };
            let name = if self.biff8 {
                read_short_unicode_string(record.data, 6)
            } else {
                read_byte_string(record.data, 6, self.encoding)
            };
            let name = name.unwrap_or_else(|| format!("Sheet{}", self.sheets.len() + 1));
            self.sheets.push(Sheet { name, offset, kind: (flags >> 8) as u8, hidden: flags & 0x03 != 0 });
        }
    }

    fn is_date_xf(&self, xf: u16) -> bool {
        let Some(&format_id) = self.xf_formats.get(xf as usize) else { return false };
        dossier_sheetdate::is_date_format(u32::from(format_id), self.formats.get(&format_id).map(String::as_str))
    }

    fn number(&self, value: f64, xf: u16) -> String {
        if self.is_date_xf(xf)
            && let Some(iso) = serial_to_iso(value, self.date1904)
        {
            return iso;
        }
        format_number(value)
    }

    fn string(&self, data: &[u8], offset: usize) -> Option<String> {
        if self.biff8 {
            read_unicode_string(data, offset, true).map(|(s, _)| s)
        } else {
            let len = u16_at(data, offset)? as usize;
            let bytes = data.get(offset + 2..(offset + 2 + len).min(data.len()))?;
            Some(self.encoding.decode_without_bom_handling(bytes).0.into_owned())
        }
    }

    /// The non-empty cells of one sheet substream (from its BOF to its EOF), bounded by `max_bytes` of text.
    fn read_cells(&self, records: &[Record<'_>], max_bytes: usize) -> BTreeMap<(u16, u16), String> {
        let mut cells = BTreeMap::new();
        let mut bytes = 0usize;
        let mut pending_formula: Option<(u16, u16)> = None;
        for record in records.iter().skip(1) {
            if record.kind == EOF || record.kind == BOF || bytes > max_bytes {
                break;
            }
            let data = record.data;
            let (Some(row), Some(col), Some(xf)) = (u16_at(data, 0), u16_at(data, 2), u16_at(data, 4)) else {
                if record.kind == STRING
                    && let Some(position) = pending_formula.take()
                    && let Some(text) = self.string(data, 0)
                {
                    bytes += text.len();
                    cells.insert(position, text);
                }
                continue;
            };
            let value = match record.kind {
                LABELSST => u32_at(data, 6).and_then(|index| self.shared_strings.get(index as usize).cloned()),
                LABEL | RSTRING => self.string(data, 6),
                NUMBER => f64_at(data, 6).map(|value| self.number(value, xf)),
                RK => u32_at(data, 6).map(|rk| self.number(decode_rk(rk), xf)),
                MULRK => {
                    let mut at = 4;
                    let mut column = col;
                    while let (Some(xf), Some(rk)) = (u16_at(data, at), u32_at(data, at + 2)) {
                        if at + 6 > data.len().saturating_sub(2) {
                            break;
                        }
                        let text = self.number(decode_rk(rk), xf);
                        bytes += text.len();
                        cells.insert((row, column), text);
                        column = column.saturating_add(1);
                        at += 6;
                    }
                    None
                }
                BOOLERR => match (data.get(6), data.get(7)) {
                    (Some(&value), Some(0)) => Some(if value != 0 { "TRUE" } else { "FALSE" }.to_string()),
                    (Some(&code), Some(_)) => Some(error_name(code).to_string()),
                    _ => None,
                },
                FORMULA | FORMULA_BIFF3 | FORMULA_BIFF4 => {
                    let result = data.get(6..14);
                    match result {
                        Some(result) if result[6] == 0xFF && result[7] == 0xFF => match result[0] {
                            0 => {
                                pending_formula = Some((row, col));
                                None
                            }
                            1 => Some(if result[2] != 0 { "TRUE" } else { "FALSE" }.to_string()),
                            2 => Some(error_name(result[2]).to_string()),
                            _ => None,
                        },
                        Some(_) => f64_at(data, 6).map(|value| self.number(value, xf)),
                        None => None,
                    }
                }
                STRING => {
                    if let Some(position) = pending_formula.take()
                        && let Some(text) = self.string(data, 0)
                    {
                        bytes += text.len();
                        cells.insert(position, text);
                    }
                    None
                }
                _ => None,
            };
            if let Some(value) = value
                && !value.trim().is_empty()
            {
                bytes += value.len();
                cells.insert((row, col), value);
            }
        }
        cells
    }
}

/// Rows as lines, cells separated by tabs (runs of empty cells capped), line breaks inside cells as spaces.
fn render_rows(cells: &BTreeMap<(u16, u16), String>) -> String {
    let mut out = String::new();
    let mut current_row = None;
    let mut next_column = 0u16;
    for (&(row, column), value) in cells {
        if current_row != Some(row) {
            if current_row.is_some() {
                out.push('\n');
            }
            current_row = Some(row);
            next_column = 0;
        }
        // At a row's start every column before this one is a gap; after a cell, the gap since it plus one separator
        // (computed only then: for the row's first cell in column 65535 the sum would overflow).
        let tabs = if next_column == 0 { column } else { column.saturating_sub(next_column) + 1 };
        for _ in 0..tabs.min(MAX_COLUMN_GAP) {
            out.push('\t');
        }
        let value = value.trim().replace(['\r', '\n'], " ");
        out.push_str(&value);
        next_column = column.saturating_add(1);
    }
    out
}

fn decode_rk(rk: u32) -> f64 {
    let value =
        if rk & 0x02 != 0 { f64::from((rk as i32) >> 2) } else { f64::from_bits(u64::from(rk & 0xFFFF_FFFC) << 32) };
    if rk & 0x01 != 0 { value / 100.0 } else { value }
}

fn format_number(value: f64) -> String {
    if value.is_finite() && value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

fn error_name(code: u8) -> &'static str {
    match code {
        0x00 => "#NULL!",
        0x07 => "#DIV/0!",
        0x0F => "#VALUE!",
        0x17 => "#REF!",
        0x1D => "#NAME?",
        0x24 => "#NUM!",
        0x2A => "#N/A",
        _ => "#ERROR!",
    }
}

/// A BIFF5 string: one length byte, then 8-bit characters in the workbook's codepage.
fn read_byte_string(data: &[u8], offset: usize, encoding: &'static Encoding) -> Option<String> {
    let len = *data.get(offset)? as usize;
    let bytes = data.get(offset + 1..(offset + 1 + len).min(data.len()))?;
    Some(decode_8bit(bytes, encoding))
}

/// A BIFF8 ShortXLUnicodeString: one length byte, a flags byte, characters.
fn read_short_unicode_string(data: &[u8], offset: usize) -> Option<String> {
    let len = *data.get(offset)? as usize;
    let flags = *data.get(offset + 1)?;
    Some(decode_chars(data.get(offset + 2..)?, len, flags & 1 != 0).0)
}

/// A BIFF8 XLUnicodeString (two length bytes, flags, optional rich-text and phonetic counts, characters, their
/// trailing data). Returns the string and the offset after it.
fn read_unicode_string(data: &[u8], offset: usize, skip_extras: bool) -> Option<(String, usize)> {
    let len = u16_at(data, offset)? as usize;
    let flags = *data.get(offset + 2)?;
    let mut at = offset + 3;
    let mut runs = 0usize;
    let mut ext = 0usize;
    if flags & 0x08 != 0 {
        runs = u16_at(data, at)? as usize;
        at += 2;
    }
    if flags & 0x04 != 0 {
        ext = u32_at(data, at)? as usize;
        at += 4;
    }
    let (text, used) = decode_chars(data.get(at..)?, len, flags & 1 != 0);
    at += used;
    if skip_extras {
        at = at.saturating_add(runs * 4).saturating_add(ext);
    }
    Some((text, at))
}

/// `len` characters, 16-bit or "compressed" (the low bytes of UTF-16, that is Latin-1); returns bytes consumed.
fn decode_chars(data: &[u8], len: usize, wide: bool) -> (String, usize) {
    if wide {
        let bytes = &data[..(len * 2).min(data.len() & !1)];
        (crate::codepage::decode_utf16le(bytes), bytes.len())
    } else {
        let bytes = &data[..len.min(data.len())];
        (bytes.iter().map(|&b| char::from(b)).collect(), bytes.len())
    }
}

/// The shared string table: the SST record and its CONTINUE records. A string split across a CONTINUE boundary
/// restarts with a fresh flags byte saying whether the rest is 8-bit or 16-bit.
fn read_shared_strings(records: &[Record<'_>]) -> Vec<String> {
    let mut buffer = Vec::new();
    let mut boundaries = Vec::new();
    buffer.extend_from_slice(records[0].data);
    for record in records.iter().skip(1).take_while(|record| record.kind == CONTINUE) {
        boundaries.push(buffer.len());
        buffer.extend_from_slice(record.data);
    }
    let unique = u32_at(&buffer, 4).unwrap_or(0) as usize;
    let mut strings = Vec::with_capacity(unique.min(1 << 16));
    let mut at = 8usize;
    while strings.len() < unique.min(MAX_SHARED_STRINGS) {
        let Some(len) = u16_at(&buffer, at) else { break };
        let Some(&flags) = buffer.get(at + 2) else { break };
        at += 3;
        let mut runs = 0usize;
        let mut ext = 0usize;
        if flags & 0x08 != 0 {
            runs = u16_at(&buffer, at).unwrap_or(0) as usize;
            at += 2;
        }
        if flags & 0x04 != 0 {
            ext = u32_at(&buffer, at).unwrap_or(0) as usize;
            at += 4;
        }
        let mut wide = flags & 1 != 0;
        let mut remaining = len as usize;
        let mut text = String::new();
        while remaining > 0 && at < buffer.len() {
            let next_boundary = boundaries.iter().copied().find(|&b| b > at).unwrap_or(buffer.len());
            let width = if wide { 2 } else { 1 };
            let available = (next_boundary - at) / width;
            let take = remaining.min(available);
            let (part, used) = decode_chars(&buffer[at..next_boundary], take, wide);
            text.push_str(&part);
            at += used;
            remaining -= take;
            if remaining > 0 {
                if at != next_boundary || next_boundary >= buffer.len() {
                    break;
                }
                // The continuation's own flags byte.
                wide = buffer[at] & 1 != 0;
                at += 1;
            }
        }
        at = at.saturating_add(runs * 4).saturating_add(ext);
        strings.push(text);
    }
    strings
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row whose first cell is in the last column (65535) overflowed the tab count before it was discarded.
    /// Found by the fuzz target `xls`.
    #[test]
    fn a_first_cell_in_the_last_column_renders_without_overflow() {
        let cells = BTreeMap::from([((0u16, u16::MAX), "last".to_string())]);
        let text = render_rows(&cells);
        assert!(text.ends_with("\tlast") && text.starts_with('\t'), "{text:?}");
    }

    #[test]
    fn rk_numbers() {
        assert_eq!(decode_rk((123 << 2) | 2), 123.0);
        assert_eq!(decode_rk((12345 << 2) | 3), 123.45);
        assert_eq!(decode_rk((1.5f64.to_bits() >> 32) as u32), 1.5);
    }

    #[test]
    fn shared_strings_across_a_continue_boundary() {
        let mut sst = vec![0u8; 8];
        sst[4] = 2;
        sst.extend_from_slice(&[3, 0, 0, b'a', b'b']); // "abc" split after "ab"
        let continuation = [1u8, b'c', 0, 2, 0, 0, b'x', b'y'];
        let records =
            [Record { kind: SST, data: &sst, offset: 0 }, Record { kind: CONTINUE, data: &continuation, offset: 0 }];
        assert_eq!(read_shared_strings(&records), vec!["abc".to_string(), "xy".to_string()]);
    }

    #[test]
    fn rows_cap_empty_runs() {
        let mut cells = BTreeMap::new();
        cells.insert((0, 0), "a".to_string());
        cells.insert((0, 2), "b".to_string());
        cells.insert((1, 1000), "c".to_string());
        assert_eq!(render_rows(&cells), format!("a\t\tb\n{}c", "\t".repeat(16)));
    }
}
