//! XLSX (and XLSM): every sheet, hidden ones included, with shared and inline strings, dates as ISO 8601, cached
//! formula values, and cell comments.

use dossier_document::{Context, ExtractError, Extraction, Source};

use crate::output::{Document, Lines};
use crate::package::{Package, Relationship};
use crate::xml::{self, XmlEvent};
use crate::{main_part, ooxml_meta};
use dossier_sheetdate::{is_date_format, serial_to_iso};

/// Empty columns written out as tabs before a cell, at most: alignment of a cell in column XFD is not worth
/// 16,383 tabs.
const MAX_COLUMN_GAP: usize = 64;

pub(crate) fn read(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    let package = Package::open(src, ctx, "xlsx")?;
    read_package(package, ctx)
}

/// Reads an opened package (from a file, or decrypted in memory).
pub(crate) fn read_package(mut package: Package, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    let main = main_part(&mut package, "officeDocument", "xl/workbook.xml")?;
    let workbook_xml = package.read_main(&main)?;
    let mut workbook = Workbook::default();
    if let Err(err) = parse_workbook(&workbook_xml, &mut workbook) {
        if workbook.sheets.is_empty() {
            return Err(ExtractError::malformed("xlsx", format!("{main}: {err}")));
        }
        package.diagnostics.push(format!("{main}: {err}"));
    }
    drop(workbook_xml);

    let relationships = package.relationships(&main)?;
    let part_of = |kind: &str, conventional: &str| -> String {
        relationships
            .iter()
            .find(|rel| !rel.external && rel.kind == kind)
            .map(|rel| rel.target.clone())
            .unwrap_or_else(|| conventional.to_string())
    };
    let shared_strings_part = part_of("sharedStrings", "xl/sharedStrings.xml");
    let styles_part = part_of("styles", "xl/styles.xml");

    let mut shared_strings = Vec::new();
    if let Some(xml) = package.read_secondary(&shared_strings_part)? {
        if let Err(err) = parse_shared_strings(&xml, &mut shared_strings) {
            package.diagnostics.push(format!("{shared_strings_part}: {err}"));
        }
    }
    let mut date_styles = Vec::new();
    if let Some(xml) = package.read_secondary(&styles_part)? {
        if let Err(err) = parse_date_styles(&xml, &mut date_styles) {
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
            && let Some(xml) = package.read_secondary(target)?
        {
            let mut rows = Lines::default();
            let result = parse_sheet(&xml, &cells, &mut rows);
            drop(xml);
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
            let drawings = sheet_drawings(&mut package, target)?;
            document.section(Some("[Drawing]"), &drawings);
        }
        if document.is_full() {
            break;
        }
    }
    package.emit_children(ctx, |name| name.starts_with("xl/embeddings/"))?;
    Ok(document.finish(package.diagnostics))
}

#[derive(Default)]
struct Workbook {
    sheets: Vec<SheetRef>,
    date1904: bool,
}

struct SheetRef {
    name: String,
    relationship_id: String,
    hidden: bool,
}

fn parse_workbook(xml: &str, workbook: &mut Workbook) -> Result<(), String> {
    xml::walk(xml, |event| {
        let XmlEvent::Start(tag) = event else {
            return;
        };
        match tag.local() {
            b"workbookPr" => {
                workbook.date1904 =
                    tag.attr("date1904").is_some_and(|value| value == "1" || value.eq_ignore_ascii_case("true"));
            }
            b"sheet" => workbook.sheets.push(SheetRef {
                name: tag.attr("name").unwrap_or_default(),
                relationship_id: tag.attr("id").unwrap_or_default(),
                hidden: tag.attr("state").is_some_and(|state| state == "hidden" || state == "veryHidden"),
            }),
            _ => {}
        }
    })
}

/// The sheet's part: through its relationship, or by the conventional name when relationships are missing.
fn sheet_target(relationships: &[Relationship], sheet: &SheetRef, position: usize) -> Option<String> {
    match relationships.iter().find(|rel| rel.id == sheet.relationship_id && !rel.external) {
        Some(rel) => Some(rel.target.clone()),
        None if relationships.is_empty() => Some(format!("xl/worksheets/sheet{}.xml", position + 1)),
        None => None,
    }
}

fn parse_shared_strings(xml: &str, strings: &mut Vec<String>) -> Result<(), String> {
    let mut current = String::new();
    let mut in_text = false;
    // Phonetic runs (`rPh`) repeat the reading of Japanese text; they are not part of the value.
    let mut in_phonetic = false;
    xml::walk(xml, |event| match event {
        XmlEvent::Start(tag) => match tag.local() {
            b"si" => current.clear(),
            b"rPh" => in_phonetic = true,
            b"t" if !in_phonetic => in_text = true,
            _ => {}
        },
        XmlEvent::Text(text) if in_text => current.push_str(text),
        XmlEvent::Text(_) => {}
        XmlEvent::End(name) => match name {
            b"t" => in_text = false,
            b"rPh" => in_phonetic = false,
            b"si" => strings.push(std::mem::take(&mut current)),
            _ => {}
        },
    })
}

/// For each cell format (`cellXfs/xf`, indexed by a cell's `s`), whether it shows a date.
fn parse_date_styles(xml: &str, date_styles: &mut Vec<bool>) -> Result<(), String> {
    let mut custom_formats: Vec<(u32, String)> = Vec::new();
    let mut in_cell_xfs = false;
    let mut xf_format_ids: Vec<u32> = Vec::new();
    let result = xml::walk(xml, |event| match event {
        XmlEvent::Start(tag) => match tag.local() {
            b"numFmt" => {
                if let (Some(id), Some(code)) =
                    (tag.attr("numFmtId").and_then(|id| id.trim().parse().ok()), tag.attr("formatCode"))
                {
                    custom_formats.push((id, code));
                }
            }
            b"cellXfs" => in_cell_xfs = true,
            b"xf" if in_cell_xfs => {
                xf_format_ids.push(tag.attr("numFmtId").and_then(|id| id.trim().parse().ok()).unwrap_or(0))
            }
            _ => {}
        },
        XmlEvent::End(b"cellXfs") => in_cell_xfs = false,
        _ => {}
    });
    date_styles.extend(xf_format_ids.iter().map(|&id| {
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

#[derive(Default)]
struct Cell {
    column: Option<usize>,
    kind: String,
    style: usize,
    value: String,
    inline: String,
}

impl Cell {
    fn display(&self, cells: &CellContext<'_>) -> String {
        let value = self.value.trim();
        let text = match self.kind.as_str() {
            "s" => value
                .parse::<usize>()
                .ok()
                .and_then(|index| cells.shared_strings.get(index))
                .cloned()
                .unwrap_or_default(),
            "inlineStr" => self.inline.clone(),
            "b" => match value {
                "1" | "true" => "TRUE".to_string(),
                "" => String::new(),
                _ => "FALSE".to_string(),
            },
            "e" | "str" | "d" => self.value.clone(),
            _ => {
                let is_date = cells.date_styles.get(self.style).copied().unwrap_or(false);
                match value.parse::<f64>() {
                    Ok(serial) if is_date => serial_to_iso(serial, cells.date1904).unwrap_or_else(|| value.to_string()),
                    _ if value.is_empty() => self.inline.clone(),
                    _ => value.to_string(),
                }
            }
        };
        // A line per row and a tab per cell: line breaks and tabs inside a cell would break that shape.
        text.replace(['\t', '\n', '\r'], " ")
    }
}

/// Column index (0-based) of a cell reference such as `C5`.
fn column_index(reference: &str) -> Option<usize> {
    let mut index = 0usize;
    let mut letters = 0;
    for c in reference.chars().take_while(char::is_ascii_alphabetic) {
        index = index.checked_mul(26)?.checked_add((c.to_ascii_uppercase() as usize) - ('A' as usize) + 1)?;
        letters += 1;
    }
    (letters > 0).then(|| index - 1)
}

enum Capture {
    None,
    Value,
    Inline,
}

fn parse_sheet(xml: &str, cells: &CellContext<'_>, out: &mut Lines) -> Result<(), String> {
    let mut row = String::new();
    let mut next_column = 0usize;
    let mut cell: Option<Cell> = None;
    let mut capture = Capture::None;
    let mut in_phonetic = false;
    xml::walk(xml, |event| match event {
        XmlEvent::Start(tag) => match tag.local() {
            b"row" => {
                row.clear();
                next_column = 0;
            }
            b"c" => {
                cell = Some(Cell {
                    column: tag.attr("r").as_deref().and_then(column_index),
                    kind: tag.attr("t").unwrap_or_default(),
                    style: tag.attr("s").and_then(|s| s.trim().parse().ok()).unwrap_or(0),
                    ..Cell::default()
                });
            }
            b"v" => capture = Capture::Value,
            b"rPh" => in_phonetic = true,
            b"t" if !in_phonetic => capture = Capture::Inline,
            _ => {}
        },
        XmlEvent::Text(text) => {
            if let Some(cell) = &mut cell {
                match capture {
                    Capture::Value => cell.value.push_str(text),
                    Capture::Inline => cell.inline.push_str(text),
                    Capture::None => {}
                }
            }
        }
        XmlEvent::End(name) => match name {
            b"v" | b"t" => capture = Capture::None,
            b"rPh" => in_phonetic = false,
            b"c" => {
                if let Some(cell) = cell.take() {
                    let text = cell.display(cells);
                    let column = cell.column.unwrap_or(next_column).max(next_column);
                    if !text.trim().is_empty() {
                        let first_in_row = row.is_empty();
                        let tabs = if first_in_row { column } else { column - next_column + 1 };
                        for _ in 0..tabs.min(MAX_COLUMN_GAP) {
                            row.push('\t');
                        }
                        row.push_str(&text);
                        next_column = column + 1;
                    }
                }
            }
            b"row" => {
                if !row.trim().is_empty() {
                    out.push(&row);
                    out.end_line();
                }
                row.clear();
            }
            _ => {}
        },
    })
}

/// The text boxes, shapes and picture alt text of a sheet's drawing layer (XML in XLSX and XLSB alike).
pub(crate) fn sheet_drawings(package: &mut Package, sheet_part: &str) -> Result<String, ExtractError> {
    let relationships = package.relationships(sheet_part)?;
    let mut texts = Vec::new();
    for rel in relationships.iter().filter(|rel| !rel.external && rel.kind == "drawing") {
        if let Some(xml) = package.read_secondary(&rel.target)? {
            let text = crate::pptx::drawing_text(package, &rel.target, &xml, false);
            if !text.trim().is_empty() {
                texts.push(text);
            }
        }
    }
    Ok(texts.join("\n"))
}

/// The comments (notes) of a sheet, one per line: "A1 (author): text".
fn sheet_comments(package: &mut Package, sheet_part: &str) -> Result<String, ExtractError> {
    let relationships = package.relationships(sheet_part)?;
    let mut lines = Lines::default();
    for rel in relationships.iter().filter(|rel| !rel.external && rel.kind == "comments") {
        let Some(xml) = package.read_secondary(&rel.target)? else {
            continue;
        };
        let mut authors: Vec<String> = Vec::new();
        let mut comments: Vec<(String, usize, String)> = Vec::new();
        let mut in_author = false;
        let mut in_text = false;
        let mut in_phonetic = false;
        let result = xml::walk(&xml, |event| match event {
            XmlEvent::Start(tag) => match tag.local() {
                b"author" => {
                    in_author = true;
                    authors.push(String::new());
                }
                b"comment" => comments.push((
                    tag.attr("ref").unwrap_or_default(),
                    tag.attr("authorId").and_then(|id| id.trim().parse().ok()).unwrap_or(usize::MAX),
                    String::new(),
                )),
                b"rPh" => in_phonetic = true,
                b"t" if !in_phonetic => in_text = true,
                _ => {}
            },
            XmlEvent::Text(text) => {
                if in_author {
                    if let Some(author) = authors.last_mut() {
                        author.push_str(text);
                    }
                } else if in_text && let Some((_, _, comment)) = comments.last_mut() {
                    comment.push_str(text);
                }
            }
            XmlEvent::End(name) => match name {
                b"author" => in_author = false,
                b"t" => in_text = false,
                b"rPh" => in_phonetic = false,
                _ => {}
            },
        });
        if let Err(err) = result {
            package.diagnostics.push(format!("{}: {err}", rel.target));
        }
        for (reference, author_id, text) in comments {
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            match authors.get(author_id).map(|author| author.trim()) {
                Some(author) if !author.is_empty() => {
                    lines.push(&format!("{reference} ({author}): {text}"));
                }
                _ => lines.push(&format!("{reference}: {text}")),
            }
            lines.end_line();
        }
    }
    Ok(lines.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(column_index("A1"), Some(0));
        assert_eq!(column_index("AA10"), Some(26));
        assert_eq!(column_index("XFD1"), Some(16383));
        assert_eq!(column_index("15"), None);
    }

    #[test]
    fn rows_keep_columns_and_render_every_cell_kind() {
        let shared = vec!["Имя".to_string()];
        let cells = CellContext { shared_strings: &shared, date_styles: &[false, true], date1904: false };
        let mut out = Lines::default();
        parse_sheet(
            r#"<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" s="1"><v>45352</v></c></row>
            <row r="2"><c r="B2" t="b"><v>1</v></c><c r="C2" t="inlineStr"><is><t>в строке</t></is></c><c r="D2"><f>1+1</f><v>2</v></c></row>
            <row r="3"><c r="A3"/></row></sheetData>"#,
            &cells,
            &mut out,
        )
        .expect("well-formed");
        assert_eq!(out.finish(), "Имя\t\t2024-03-01\n\tTRUE\tв строке\t2");
    }
}
