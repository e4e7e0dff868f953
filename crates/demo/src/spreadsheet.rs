//! The weekly payments report as XLSX: real date cells with a date number format, money and kilometre formats,
//! shared strings, SUM formulas with cached results, and a second, hidden sheet with different figures.
//!
//! The hidden "черновик" (draft) sheet is the point of this file for an investigator: the published sheet and the
//! draft disagree, and a reader that skips hidden sheets would hide that.

use crate::error::DemoError;
use crate::ooxml::{self, DocumentProperties, Relationship, XML_DECLARATION, escape_xml};
use crate::timestamp::spreadsheet_serial_date;

/// One district's figures for one week.
#[derive(Debug, Clone, Copy)]
pub struct WeeklyRow {
    /// Monday of the week as (year, month, day).
    pub week_starting: (u16, u8, u8),
    pub district: &'static str,
    pub paid_roubles: u64,
    /// Kilometres of road repaired, in tenths so that the figures stay exact.
    pub repaired_tenths_of_km: u32,
    pub note: &'static str,
}

#[derive(Debug, Clone, Copy)]
pub struct Sheet {
    pub name: &'static str,
    pub hidden: bool,
    pub rows: &'static [WeeklyRow],
}

#[derive(Debug, Clone, Copy)]
pub struct Workbook {
    pub relative_path: &'static str,
    /// Column headings: week, district, paid, kilometres, note.
    pub headings: [&'static str; 5],
    pub total_label: &'static str,
    /// Printed below the table on every sheet.
    pub footer: &'static str,
    pub sheets: &'static [Sheet],
    pub properties: DocumentProperties,
}

const SPREADSHEET_NAMESPACE: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const RELATIONSHIPS_NAMESPACE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const RELATIONSHIP_WORKSHEET: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet";
const RELATIONSHIP_STYLES: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles";
const RELATIONSHIP_SHARED_STRINGS: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings";

/// Indexes into `cellXfs` of `styles_xml`.
const STYLE_DATE: u32 = 1;
const STYLE_MONEY: u32 = 2;
const STYLE_KILOMETRES: u32 = 3;
const STYLE_HEADING: u32 = 4;

/// Renders the workbook as the bytes of an XLSX file.
pub fn render_xlsx(workbook: &Workbook) -> Result<Vec<u8>, DemoError> {
    let mut shared_strings = SharedStrings::default();
    let sheet_parts: Vec<(String, String)> = workbook
        .sheets
        .iter()
        .enumerate()
        .map(|(index, sheet)| {
            (format!("xl/worksheets/sheet{}.xml", index + 1), worksheet_xml(workbook, sheet, &mut shared_strings))
        })
        .collect();

    let mut overrides: Vec<(String, &str)> = vec![
        ("/xl/workbook.xml".to_owned(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
        ("/xl/styles.xml".to_owned(), "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"),
        (
            "/xl/sharedStrings.xml".to_owned(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml",
        ),
    ];
    for (part_name, _) in &sheet_parts {
        overrides.push((
            format!("/{part_name}"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
        ));
    }
    let overrides: Vec<(&str, &str)> = overrides.iter().map(|(name, kind)| (name.as_str(), *kind)).collect();
    let content_types = ooxml::content_types_xml(&overrides);

    let mut parts: Vec<(&str, String)> = vec![
        ("_rels/.rels", ooxml::package_relationships_xml("xl/workbook.xml")),
        ("xl/workbook.xml", workbook_xml(workbook)),
        ("xl/_rels/workbook.xml.rels", workbook_relationships_xml(workbook.sheets.len())),
        ("xl/styles.xml", styles_xml()),
        ("xl/sharedStrings.xml", shared_strings.to_xml()),
    ];
    for (part_name, xml) in &sheet_parts {
        parts.push((part_name.as_str(), xml.clone()));
    }
    parts.push(("docProps/core.xml", ooxml::core_properties_xml(&workbook.properties)));
    parts.push(("docProps/app.xml", ooxml::extended_properties_xml(&workbook.properties)));
    ooxml::write_package(workbook.relative_path, &content_types, &parts, workbook.properties.modified)
}

/// The shared string table, in order of first use as spreadsheet programs write it.
#[derive(Default)]
struct SharedStrings {
    unique: Vec<String>,
    n_references: usize,
}

impl SharedStrings {
    fn index_of(&mut self, text: &str) -> usize {
        self.n_references += 1;
        match self.unique.iter().position(|known| known == text) {
            Some(index) => index,
            None => {
                self.unique.push(text.to_owned());
                self.unique.len() - 1
            }
        }
    }

    fn to_xml(&self) -> String {
        let mut xml = String::from(XML_DECLARATION);
        xml.push_str(&format!(
            "<sst xmlns=\"{SPREADSHEET_NAMESPACE}\" count=\"{}\" uniqueCount=\"{}\">",
            self.n_references,
            self.unique.len()
        ));
        for text in &self.unique {
            xml.push_str(&format!("<si><t xml:space=\"preserve\">{}</t></si>", escape_xml(text)));
        }
        xml.push_str("</sst>");
        xml
    }
}

fn workbook_xml(workbook: &Workbook) -> String {
    let mut xml = String::from(XML_DECLARATION);
    xml.push_str(&format!("<workbook xmlns=\"{SPREADSHEET_NAMESPACE}\" xmlns:r=\"{RELATIONSHIPS_NAMESPACE}\">"));
    xml.push_str("<bookViews><workbookView activeTab=\"0\"/></bookViews><sheets>");
    for (index, sheet) in workbook.sheets.iter().enumerate() {
        let state = if sheet.hidden { " state=\"hidden\"" } else { "" };
        xml.push_str(&format!(
            "<sheet name=\"{}\" sheetId=\"{}\"{state} r:id=\"rId{}\"/>",
            escape_xml(sheet.name),
            index + 1,
            index + 1
        ));
    }
    xml.push_str("</sheets></workbook>");
    xml
}

fn workbook_relationships_xml(n_sheets: usize) -> String {
    let ids: Vec<String> = (1..=n_sheets + 2).map(|number| format!("rId{number}")).collect();
    let targets: Vec<String> = (1..=n_sheets).map(|number| format!("worksheets/sheet{number}.xml")).collect();
    let mut relationships: Vec<Relationship<'_>> = targets
        .iter()
        .zip(&ids)
        .map(|(target, id)| Relationship { id, kind: RELATIONSHIP_WORKSHEET, target })
        .collect();
    relationships.push(Relationship { id: &ids[n_sheets], kind: RELATIONSHIP_STYLES, target: "styles.xml" });
    relationships.push(Relationship {
        id: &ids[n_sheets + 1],
        kind: RELATIONSHIP_SHARED_STRINGS,
        target: "sharedStrings.xml",
    });
    ooxml::relationships_xml(&relationships)
}

fn worksheet_xml(workbook: &Workbook, sheet: &Sheet, shared_strings: &mut SharedStrings) -> String {
    let first_data_row = 2;
    let last_data_row = first_data_row + sheet.rows.len() - 1;
    let total_row = last_data_row + 1;
    let footer_row = total_row + 2;

    let mut rows = String::new();
    let mut heading_cells = String::new();
    for (column, heading) in ["A", "B", "C", "D", "E"].iter().zip(workbook.headings) {
        heading_cells.push_str(&string_cell(&format!("{column}1"), heading, Some(STYLE_HEADING), shared_strings));
    }
    rows.push_str(&format!("<row r=\"1\">{heading_cells}</row>"));

    for (offset, row) in sheet.rows.iter().enumerate() {
        let number = first_data_row + offset;
        let (year, month, day) = row.week_starting;
        let serial = spreadsheet_serial_date(i64::from(year), i64::from(month), i64::from(day));
        let mut cells = format!("<c r=\"A{number}\" s=\"{STYLE_DATE}\"><v>{serial}</v></c>");
        cells.push_str(&string_cell(&format!("B{number}"), row.district, None, shared_strings));
        cells.push_str(&format!("<c r=\"C{number}\" s=\"{STYLE_MONEY}\"><v>{}</v></c>", row.paid_roubles));
        cells.push_str(&format!(
            "<c r=\"D{number}\" s=\"{STYLE_KILOMETRES}\"><v>{}</v></c>",
            tenths_as_decimal(u64::from(row.repaired_tenths_of_km))
        ));
        if !row.note.is_empty() {
            cells.push_str(&string_cell(&format!("E{number}"), row.note, None, shared_strings));
        }
        rows.push_str(&format!("<row r=\"{number}\">{cells}</row>"));
    }

    // Formulas carry their cached results so that readers which do not calculate still see the totals.
    let total_paid: u64 = sheet.rows.iter().map(|row| row.paid_roubles).sum();
    let total_tenths: u64 = sheet.rows.iter().map(|row| u64::from(row.repaired_tenths_of_km)).sum();
    let mut total_cells =
        string_cell(&format!("A{total_row}"), workbook.total_label, Some(STYLE_HEADING), shared_strings);
    total_cells.push_str(&format!(
        "<c r=\"C{total_row}\" s=\"{STYLE_MONEY}\"><f>SUM(C{first_data_row}:C{last_data_row})</f><v>{total_paid}</v></c>"
    ));
    total_cells.push_str(&format!(
        "<c r=\"D{total_row}\" s=\"{STYLE_KILOMETRES}\"><f>SUM(D{first_data_row}:D{last_data_row})</f><v>{}</v></c>",
        tenths_as_decimal(total_tenths)
    ));
    rows.push_str(&format!("<row r=\"{total_row}\">{total_cells}</row>"));
    rows.push_str(&format!(
        "<row r=\"{footer_row}\">{}</row>",
        string_cell(&format!("A{footer_row}"), workbook.footer, None, shared_strings)
    ));

    let mut xml = String::from(XML_DECLARATION);
    xml.push_str(&format!("<worksheet xmlns=\"{SPREADSHEET_NAMESPACE}\" xmlns:r=\"{RELATIONSHIPS_NAMESPACE}\">"));
    xml.push_str(&format!("<dimension ref=\"A1:E{footer_row}\"/>"));
    xml.push_str(concat!(
        "<cols>",
        "<col min=\"1\" max=\"1\" width=\"12\" customWidth=\"1\"/>",
        "<col min=\"2\" max=\"2\" width=\"18\" customWidth=\"1\"/>",
        "<col min=\"3\" max=\"3\" width=\"18\" customWidth=\"1\"/>",
        "<col min=\"4\" max=\"4\" width=\"16\" customWidth=\"1\"/>",
        "<col min=\"5\" max=\"5\" width=\"36\" customWidth=\"1\"/>",
        "</cols>"
    ));
    xml.push_str(&format!("<sheetData>{rows}</sheetData></worksheet>"));
    xml
}

fn string_cell(reference: &str, text: &str, style: Option<u32>, shared_strings: &mut SharedStrings) -> String {
    let style = style.map(|style| format!(" s=\"{style}\"")).unwrap_or_default();
    format!("<c r=\"{reference}\"{style} t=\"s\"><v>{}</v></c>", shared_strings.index_of(text))
}

fn tenths_as_decimal(tenths: u64) -> String {
    format!("{}.{}", tenths / 10, tenths % 10)
}

fn styles_xml() -> String {
    let mut xml = String::from(XML_DECLARATION);
    xml.push_str(&format!("<styleSheet xmlns=\"{SPREADSHEET_NAMESPACE}\">"));
    // 164 and 165 are the first ids free for custom formats; 4 is the built-in "#,##0.00".
    xml.push_str(concat!(
        "<numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"dd\\.mm\\.yyyy\"/>",
        "<numFmt numFmtId=\"165\" formatCode=\"0.0\"/></numFmts>",
        "<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font>",
        "<font><b/><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>",
        "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>",
        "<fill><patternFill patternType=\"gray125\"/></fill></fills>",
        "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>",
        "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>",
        "<cellXfs count=\"5\">",
        "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>",
        "<xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>",
        "<xf numFmtId=\"4\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>",
        "<xf numFmtId=\"165\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>",
        "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>",
        "</cellXfs>",
        "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>",
        "</styleSheet>"
    ));
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_strings_are_deduplicated_but_every_use_is_counted() {
        let mut table = SharedStrings::default();
        assert_eq!(table.index_of("Озёрский"), 0);
        assert_eq!(table.index_of("Белоборский"), 1);
        assert_eq!(table.index_of("Озёрский"), 0);
        let xml = table.to_xml();
        assert!(xml.contains("count=\"3\" uniqueCount=\"2\""), "{xml}");
    }

    #[test]
    fn tenths_keep_one_decimal() {
        assert_eq!(tenths_as_decimal(32), "3.2");
        assert_eq!(tenths_as_decimal(0), "0.0");
    }
}
