//! XLSB (Excel binary workbook): the XLSX package layout, but every part is a stream of BIFF12 records instead
//! of XML ([MS-XLSB]). Same output as the XLSX reader: every sheet (hidden ones listed in `hidden_sheets`), one
//! line per row with tab-separated cells, shared and inline strings, cached formula values, dates as ISO 8601
//! where the cell's number format is a date format, and cell comments.
//!
//! Each part is read whole through [`Package::read`] (bounded by `max_in_memory_bytes` and the unpacking budget)
//! and walked record by record; a record's declared length is checked against the bytes that are there.

use dossier_document::{Context, ExtractError, Extraction, Source};
use dossier_sheetdate::{is_date_format, serial_to_iso};

use crate::output::{Document, Lines};
use crate::package::{Package, Part, Relationship};
use crate::{main_part, ooxml_meta};

/// Empty columns written out as tabs before a cell, at most (as in the XLSX reader).
const MAX_COLUMN_GAP: usize = 64;

/// Shared strings kept at most: far more than Excel writes (it caps a workbook's unique strings well below),
/// small enough that a part of empty records cannot multiply into gigabytes of table.
const MAX_SHARED_STRINGS: usize = 16 << 20;

// Record types of [MS-XLSB] 2.3.
const ROW_HEADER: u32 = 0;
const CELL_BLANK: u32 = 1;
const CELL_RK: u32 = 2;
const CELL_ERROR: u32 = 3;
const CELL_BOOL: u32 = 4;
const CELL_REAL: u32 = 5;
const CELL_STRING: u32 = 6;
const CELL_SHARED_STRING: u32 = 7;
const FORMULA_STRING: u32 = 8;
const FORMULA_NUMBER: u32 = 9;
const FORMULA_BOOL: u32 = 10;
const FORMULA_ERROR: u32 = 11;
const SHARED_STRING_ITEM: u32 = 19;
const NUMBER_FORMAT: u32 = 44;
const CELL_FORMAT: u32 = 47;
const CELL_RICH_STRING: u32 = 62;
const WORKBOOK_PROPERTIES: u32 = 153;
const SHEET_BUNDLE: u32 = 156;
const BEGIN_CELL_FORMATS: u32 = 617;
const END_CELL_FORMATS: u32 = 618;
const COMMENT_AUTHOR: u32 = 632;
const BEGIN_COMMENT: u32 = 635;
const COMMENT_TEXT: u32 = 637;

pub(crate) fn read(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    let package = Package::open(src, ctx, "xlsb")?;
    read_package(package, ctx)
}

/// Reads an opened package (from a file, or decrypted in memory).
pub(crate) fn read_package(mut package: Package, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    let main = main_part(&mut package, "officeDocument", "xl/workbook.bin")?;
    let workbook_bytes = match package.read(&main)? {
        Part::Found(bytes) => bytes,
        Part::Missing => return Err(ExtractError::malformed("xlsb", format!("main part {main} missing"))),
        Part::Unreadable(err) => return Err(err),
    };
    let workbook = parse_workbook(&workbook_bytes);
    drop(workbook_bytes);
    if workbook.sheets.is_empty() {
        return Err(ExtractError::malformed("xlsb", format!("{main}: no sheets")));
    }
    if let Some(err) = &workbook.error {
        package.diagnostics.push(format!("{main}: {err}"));
    }

    let relationships = package.relationships(&main)?;
    let part_of = |kind: &str, conventional: &str| -> String {
        relationships
            .iter()
            .find(|rel| !rel.external && rel.kind == kind)
            .map(|rel| rel.target.clone())
            .unwrap_or_else(|| conventional.to_string())
    };
    let shared_strings_part = part_of("sharedStrings", "xl/sharedStrings.bin");
    let styles_part = part_of("styles", "xl/styles.bin");
    let mut shared_strings = Vec::new();
    if let Some(bytes) = read_secondary(&mut package, &shared_strings_part)? {
        let mut dropped = 0usize;
        let result = walk(&bytes, |kind, data| {
            if kind == SHARED_STRING_ITEM {
                // A two-byte empty record would otherwise cost a 24-byte entry: cap the table.
                if shared_strings.len() < MAX_SHARED_STRINGS {
                    shared_strings.push(rich_string(data).map(|(text, _)| text).unwrap_or_default());
                } else {
                    dropped += 1;
                }
            }
        });
        if dropped > 0 {
            package.diagnostics.push(format!(
                "{shared_strings_part}: {dropped} shared strings past the first {MAX_SHARED_STRINGS} ignored"
            ));
        }
        if let Err(err) = result {
            package.diagnostics.push(format!("{shared_strings_part}: {err}"));
        }
    }
    let mut date_styles = Vec::new();
    if let Some(bytes) = read_secondary(&mut package, &styles_part)? {
        if let Err(err) = parse_date_styles(&bytes, &mut date_styles) {
            package.diagnostics.push(format!("{styles_part}: {err}"));
        }
    }

    let mut document = Document::new(ctx.limits.max_text_bytes);
    ooxml_meta::read(&mut package, &mut document.metadata)?;
    let cells = CellContext { shared_strings: &shared_strings, date_styles: &date_styles, date1904: workbook.date1904 };
    for (position, sheet) in workbook.sheets.iter().enumerate() {
        if sheet.hidden {
            document.metadata.push("hidden_sheets", sheet.name.as_str());
        }
        let target = sheet_target(&relationships, sheet, position);
        let mut text = format!("Sheet: {}", sheet.name);
        if let Some(target) = &target
            && let Some(bytes) = read_secondary(&mut package, target)?
        {
            let mut rows = Lines::default();
            let result = parse_sheet(&bytes, &cells, &mut rows);
            drop(bytes);
            if let Err(err) = result {
                package.diagnostics.push(format!("{target}: {err}"));
            }
            let rows = rows.finish();
            if !rows.is_empty() {
                text.push('\n');
                text.push_str(&rows);
            }
        } else {
            package.diagnostics.push(format!("sheet {:?}: part not found", sheet.name));
        }
        document.section(None, &text);
        if let Some(target) = &target {
            let comments = sheet_comments(&mut package, target)?;
            document.section(Some("[Comments]"), &comments);
            let drawings = crate::xlsx::sheet_drawings(&mut package, target)?;
            document.section(Some("[Drawing]"), &drawings);
        }
        if document.is_full() {
            break;
        }
    }
    package.emit_children(ctx, |name| name.starts_with("xl/embeddings/"))?;
    Ok(document.finish(package.diagnostics))
}

/// Reads a secondary binary part: missing is `None`, unreadable is a diagnostic and `None`.
fn read_secondary(package: &mut Package, name: &str) -> Result<Option<Vec<u8>>, ExtractError> {
    match package.read(name)? {
        Part::Found(bytes) => Ok(Some(bytes)),
        Part::Missing => Ok(None),
        Part::Unreadable(err) => {
            package.diagnostics.push(format!("{name} unreadable: {err}"));
            Ok(None)
        }
    }
}

/// Calls `handle` with the type and data of every record. A record cut off by the end of the part ends the walk
/// with an error (after the complete records before it were handled).
fn walk(bytes: &[u8], mut handle: impl FnMut(u32, &[u8])) -> Result<(), String> {
    let mut position = 0usize;
    while position < bytes.len() {
        let start = position;
        // The type is one or two bytes of 7 bits, the length one to four bytes of 7 bits, low bits first.
        let mut kind = 0u32;
        for shift in [0, 7] {
            let byte = *bytes.get(position).ok_or_else(|| format!("record header cut off at byte {start}"))?;
            position += 1;
            kind |= u32::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                break;
            }
        }
        let mut length = 0usize;
        for shift in [0, 7, 14, 21] {
            let byte = *bytes.get(position).ok_or_else(|| format!("record header cut off at byte {start}"))?;
            position += 1;
            length |= usize::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                break;
            }
        }
        let end = position.checked_add(length).filter(|&end| end <= bytes.len()).ok_or_else(|| {
            format!("record {kind} at byte {start} claims {length} bytes, only {} left", bytes.len() - position)
        })?;
        handle(kind, &bytes[position..end]);
        position = end;
    }
    Ok(())
}

fn u16_at(data: &[u8], offset: usize) -> Option<u16> {
    Some(u16::from_le_bytes(data.get(offset..offset.checked_add(2)?)?.try_into().ok()?))
}

fn u32_at(data: &[u8], offset: usize) -> Option<u32> {
    Some(u32::from_le_bytes(data.get(offset..offset.checked_add(4)?)?.try_into().ok()?))
}

fn f64_at(data: &[u8], offset: usize) -> Option<f64> {
    Some(f64::from_le_bytes(data.get(offset..offset.checked_add(8)?)?.try_into().ok()?))
}

/// An `XLWideString` (a 32-bit count of UTF-16 units, then the units) at `offset`, and the offset after it.
/// The null string of `XLNullableWideString` (count 0xFFFFFFFF) reads as empty.
fn wide_string(data: &[u8], offset: usize) -> Option<(String, usize)> {
    let count = u32_at(data, offset)?;
    if count == u32::MAX {
        return Some((String::new(), offset + 4));
    }
    let start = offset + 4;
    let end = start.checked_add(usize::try_from(count).ok()?.checked_mul(2)?)?;
    let units: Vec<u16> =
        data.get(start..end)?.chunks_exact(2).map(|pair| u16::from_le_bytes([pair[0], pair[1]])).collect();
    Some((String::from_utf16_lossy(&units), end))
}

/// A `RichStr`: a flags byte, then the string (the formatting runs after it are not text).
fn rich_string(data: &[u8]) -> Option<(String, usize)> {
    wide_string(data, 1)
}

struct SheetRef {
    name: String,
    relationship_id: String,
    hidden: bool,
}

#[derive(Default)]
struct Workbook {
    sheets: Vec<SheetRef>,
    date1904: bool,
    error: Option<String>,
}

fn parse_workbook(bytes: &[u8]) -> Workbook {
    let mut workbook = Workbook::default();
    let result = walk(bytes, |kind, data| match kind {
        WORKBOOK_PROPERTIES => workbook.date1904 = u32_at(data, 0).is_some_and(|flags| flags & 1 == 1),
        SHEET_BUNDLE => {
            let state = u32_at(data, 0).unwrap_or(0);
            // State and tab id, then the relationship id and the name. Files of the Excel 2007 beta have one more
            // 32-bit field before the strings: take the layout whose strings fill the record exactly.
            let strings_at = |offset: usize| -> Option<(String, String)> {
                let (relationship_id, after) = wide_string(data, offset)?;
                let (name, end) = wide_string(data, after)?;
                (end == data.len()).then_some((relationship_id, name))
            };
            let Some((relationship_id, name)) = strings_at(8).or_else(|| strings_at(12)) else {
                return;
            };
            workbook.sheets.push(SheetRef { name, relationship_id, hidden: state != 0 });
        }
        _ => {}
    });
    workbook.error = result.err();
    workbook
}

/// The sheet's part: through its relationship, or by the conventional name when relationships are missing.
fn sheet_target(relationships: &[Relationship], sheet: &SheetRef, position: usize) -> Option<String> {
    match relationships.iter().find(|rel| rel.id == sheet.relationship_id && !rel.external) {
        Some(rel) => Some(rel.target.clone()),
        None if relationships.is_empty() => Some(format!("xl/worksheets/sheet{}.bin", position + 1)),
        None => None,
    }
}

/// For each cell format (`BrtXF` between `BrtBeginCellXFs` and `BrtEndCellXFs`), whether it shows a date.
fn parse_date_styles(bytes: &[u8], date_styles: &mut Vec<bool>) -> Result<(), String> {
    let mut custom_formats: Vec<(u32, String)> = Vec::new();
    let mut format_ids: Vec<u32> = Vec::new();
    let mut in_cell_formats = false;
    let result = walk(bytes, |kind, data| match kind {
        NUMBER_FORMAT => {
            if let (Some(id), Some((code, _))) = (u16_at(data, 0), wide_string(data, 2)) {
                custom_formats.push((u32::from(id), code));
            }
        }
        BEGIN_CELL_FORMATS => in_cell_formats = true,
        END_CELL_FORMATS => in_cell_formats = false,
        CELL_FORMAT if in_cell_formats => format_ids.push(u16_at(data, 2).map(u32::from).unwrap_or(0)),
        _ => {}
    });
    date_styles.extend(format_ids.iter().map(|&id| {
        let code = custom_formats.iter().find(|(custom_id, _)| *custom_id == id).map(|(_, code)| code.as_str());
        is_date_format(id, code)
    }));
    result
}

struct CellContext<'a> {
    shared_strings: &'a [String],
    date_styles: &'a [bool],
    date1904: bool,
}

/// An `RkNumber`: a 30-bit integer or the top 30 bits of a double, optionally divided by 100.
fn rk_number(rk: u32) -> f64 {
    let value =
        if rk & 2 != 0 { f64::from((rk as i32) >> 2) } else { f64::from_bits(u64::from(rk & 0xffff_fffc) << 32) };
    if rk & 1 != 0 { value / 100.0 } else { value }
}

fn error_text(code: u8) -> &'static str {
    match code {
        0x00 => "#NULL!",
        0x07 => "#DIV/0!",
        0x0f => "#VALUE!",
        0x17 => "#REF!",
        0x1d => "#NAME?",
        0x24 => "#NUM!",
        0x2a => "#N/A",
        0x2b => "#GETTING_DATA",
        _ => "#ERROR!",
    }
}

/// A number as Excel's General format would show it, close enough: integers without a fraction, others in the
/// shortest form that reads back as the same double.
fn number_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 { format!("{}", value as i64) } else { format!("{value}") }
}

impl CellContext<'_> {
    fn number(&self, value: f64, style: usize) -> String {
        if self.date_styles.get(style).copied().unwrap_or(false)
            && let Some(date) = serial_to_iso(value, self.date1904)
        {
            return date;
        }
        number_text(value)
    }

    /// The text of a cell record (`None` for records that are not cells or hold nothing).
    fn cell(&self, kind: u32, data: &[u8]) -> Option<(usize, String)> {
        let column = usize::try_from(u32_at(data, 0)?).ok()?;
        // The style index is the low 24 bits of the second field.
        let style = (u32_at(data, 4)? & 0x00ff_ffff) as usize;
        let text = match kind {
            CELL_RK => self.number(rk_number(u32_at(data, 8)?), style),
            CELL_REAL | FORMULA_NUMBER => self.number(f64_at(data, 8)?, style),
            CELL_ERROR | FORMULA_ERROR => error_text(*data.get(8)?).to_string(),
            CELL_BOOL | FORMULA_BOOL => if *data.get(8)? != 0 { "TRUE" } else { "FALSE" }.to_string(),
            CELL_STRING | FORMULA_STRING => wide_string(data, 8)?.0,
            CELL_RICH_STRING => wide_string(data, 9)?.0,
            CELL_SHARED_STRING => {
                self.shared_strings.get(usize::try_from(u32_at(data, 8)?).ok()?).cloned().unwrap_or_default()
            }
            _ => return None,
        };
        // A line per row and a tab per cell: line breaks and tabs inside a cell would break that shape.
        Some((column, text.replace(['\t', '\n', '\r'], " ")))
    }
}

fn parse_sheet(bytes: &[u8], cells: &CellContext<'_>, out: &mut Lines) -> Result<(), String> {
    let mut row = String::new();
    let mut next_column = 0usize;
    let end_row = |row: &mut String, out: &mut Lines| {
        if !row.trim().is_empty() {
            out.push(row);
            out.end_line();
        }
        row.clear();
    };
    let result = walk(bytes, |kind, data| match kind {
        ROW_HEADER => {
            end_row(&mut row, out);
            next_column = 0;
        }
        CELL_BLANK => {}
        CELL_RK..=FORMULA_ERROR | CELL_RICH_STRING => {
            let Some((column, text)) = cells.cell(kind, data) else {
                return;
            };
            if text.trim().is_empty() {
                return;
            }
            let column = column.max(next_column);
            let tabs = if row.is_empty() { column } else { column - next_column + 1 };
            for _ in 0..tabs.min(MAX_COLUMN_GAP) {
                row.push('\t');
            }
            row.push_str(&text);
            next_column = column.saturating_add(1);
        }
        _ => {}
    });
    end_row(&mut row, out);
    result
}

/// The comments (notes) of a sheet, one per line: "A1 (author): text".
fn sheet_comments(package: &mut Package, sheet_part: &str) -> Result<String, ExtractError> {
    let relationships = package.relationships(sheet_part)?;
    let mut lines = Lines::default();
    for rel in relationships.iter().filter(|rel| !rel.external && rel.kind == "comments") {
        let Some(bytes) = read_secondary(package, &rel.target)? else {
            continue;
        };
        let mut authors: Vec<String> = Vec::new();
        let mut current: Option<(String, Option<usize>)> = None;
        let result = walk(&bytes, |kind, data| match kind {
            COMMENT_AUTHOR => authors.push(wide_string(data, 0).map(|(name, _)| name).unwrap_or_default()),
            BEGIN_COMMENT => {
                let author = u32_at(data, 0).and_then(|id| usize::try_from(id).ok());
                let reference = match (u32_at(data, 4), u32_at(data, 12)) {
                    (Some(row), Some(column)) => cell_reference(row, column),
                    _ => String::new(),
                };
                current = Some((reference, author));
            }
            COMMENT_TEXT => {
                let text = rich_string(data).map(|(text, _)| text).unwrap_or_default();
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                let (reference, author) = current.take().unwrap_or_default();
                match author.and_then(|id| authors.get(id)).map(|author| author.trim()) {
                    Some(author) if !author.is_empty() => lines.push(&format!("{reference} ({author}): {text}")),
                    _ => lines.push(&format!("{reference}: {text}")),
                }
                lines.end_line();
            }
            _ => {}
        });
        if let Err(err) = result {
            package.diagnostics.push(format!("{}: {err}", rel.target));
        }
    }
    Ok(lines.finish())
}

/// `A1`-style reference of a 0-based row and column.
fn cell_reference(row: u32, column: u32) -> String {
    let mut letters = Vec::new();
    let mut column = u64::from(column) + 1;
    while column > 0 {
        let remainder = (column - 1) % 26;
        letters.push(char::from(b'A' + remainder as u8));
        column = (column - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", letters.into_iter().collect::<String>(), u64::from(row) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One record: type and length as 7-bit varints, then the data.
    pub(crate) fn record(kind: u32, data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut varint = |mut value: usize, max_bytes: usize| {
            for _ in 0..max_bytes {
                let byte = (value & 0x7f) as u8;
                value >>= 7;
                if value == 0 {
                    out.push(byte);
                    return;
                }
                out.push(byte | 0x80);
            }
        };
        varint(kind as usize, 2);
        varint(data.len(), 4);
        out.extend_from_slice(data);
        out
    }

    fn cell(column: u32, style: u32, value: &[u8]) -> Vec<u8> {
        let mut data = column.to_le_bytes().to_vec();
        data.extend(style.to_le_bytes());
        data.extend_from_slice(value);
        data
    }

    fn wide(text: &str) -> Vec<u8> {
        let units: Vec<u16> = text.encode_utf16().collect();
        let mut out = (units.len() as u32).to_le_bytes().to_vec();
        out.extend(units.iter().flat_map(|unit| unit.to_le_bytes()));
        out
    }

    #[test]
    fn rk_numbers_decode_integers_doubles_and_hundredths() {
        assert_eq!(rk_number((42 << 2) | 2), 42.0);
        assert_eq!(rk_number((-7i32 << 2) as u32 | 2), -7.0);
        assert_eq!(rk_number((12345 << 2) | 3), 123.45);
        let one_and_half = (1.5f64.to_bits() >> 32) as u32;
        assert_eq!(rk_number(one_and_half), 1.5);
    }

    #[test]
    fn records_with_two_byte_types_and_cut_off_records() {
        let mut bytes = record(BEGIN_CELL_FORMATS, &[]);
        bytes.extend(record(CELL_FORMAT, &[0; 200]));
        let mut seen = Vec::new();
        walk(&bytes, |kind, data| seen.push((kind, data.len()))).expect("well-formed");
        assert_eq!(seen, vec![(BEGIN_CELL_FORMATS, 0), (CELL_FORMAT, 200)]);
        let err = walk(&bytes[..bytes.len() - 1], |_, _| {}).expect_err("cut off");
        assert!(err.contains("claims 200 bytes"), "{err}");
    }

    #[test]
    fn rows_keep_columns_and_render_every_cell_kind() {
        let shared = vec!["Имя".to_string()];
        let cells = CellContext { shared_strings: &shared, date_styles: &[false, true], date1904: false };
        let mut sheet = record(ROW_HEADER, &0u32.to_le_bytes());
        sheet.extend(record(CELL_SHARED_STRING, &cell(0, 0, &0u32.to_le_bytes())));
        sheet.extend(record(CELL_REAL, &cell(2, 1, &45352.0f64.to_le_bytes())));
        sheet.extend(record(ROW_HEADER, &1u32.to_le_bytes()));
        sheet.extend(record(CELL_BOOL, &cell(1, 0, &[1])));
        sheet.extend(record(CELL_STRING, &cell(2, 0, &wide("в\tстроке"))));
        sheet.extend(record(FORMULA_NUMBER, &cell(3, 0, &2.5f64.to_le_bytes())));
        sheet.extend(record(CELL_ERROR, &cell(4, 0, &[0x07])));
        sheet.extend(record(ROW_HEADER, &2u32.to_le_bytes()));
        sheet.extend(record(CELL_BLANK, &cell(0, 0, &[])));
        // A cell record too short for its value is skipped, not a panic.
        sheet.extend(record(CELL_REAL, &cell(1, 0, &[1, 2])));
        let mut out = Lines::default();
        parse_sheet(&sheet, &cells, &mut out).expect("well-formed");
        assert_eq!(out.finish(), "Имя\t\t2024-03-01\n\tTRUE\tв строке\t2.5\t#DIV/0!");
    }

    #[test]
    fn random_record_streams_never_panic() {
        let mut state = 0x9e37_79b9_u32;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state
        };
        let shared = vec!["x".to_string()];
        let cells = CellContext { shared_strings: &shared, date_styles: &[true], date1904: true };
        for _ in 0..2000 {
            let length = (next() % 96) as usize;
            // Small record types and lengths, so that the bytes often form records the parsers act on.
            let bytes: Vec<u8> = (0..length).map(|_| (next() % 24) as u8).collect();
            let mut out = Lines::default();
            let _ = parse_sheet(&bytes, &cells, &mut out);
            let _ = parse_workbook(&bytes);
            let _ = parse_date_styles(&bytes, &mut Vec::new());
        }
    }

    #[test]
    fn cell_references_use_letters_past_z() {
        assert_eq!(cell_reference(0, 0), "A1");
        assert_eq!(cell_reference(9, 27), "AB10");
    }
}
