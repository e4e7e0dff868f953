//! A small Office Open XML package writer shared by the letters (DOCX) and the spreadsheet (XLSX).
//!
//! It knows only what every OOXML package has: a zip container with fixed entry times, `[Content_Types].xml`,
//! relationship parts and the core/extended document properties. The word-processing and spreadsheet markup live
//! in `letters.rs` and `spreadsheet.rs`. The zip helper is also used by `archive.rs` for the outer archive.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;

use crate::error::DemoError;
use crate::timestamp::Timestamp;

pub const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

pub const RELATIONSHIP_OFFICE_DOCUMENT: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument";
const RELATIONSHIP_CORE_PROPERTIES: &str =
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties";
const RELATIONSHIP_EXTENDED_PROPERTIES: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties";
const CONTENT_TYPE_CORE_PROPERTIES: &str = "application/vnd.openxmlformats-package.core-properties+xml";
const CONTENT_TYPE_EXTENDED_PROPERTIES: &str = "application/vnd.openxmlformats-officedocument.extended-properties+xml";

/// What `docProps/core.xml` and `docProps/app.xml` say about a document. The story sets these by hand so that
/// some of them can contradict the document's own text, as material for authenticity checks.
#[derive(Debug, Clone, Copy)]
pub struct DocumentProperties {
    pub title: &'static str,
    pub author: &'static str,
    pub last_modified_by: &'static str,
    pub company: &'static str,
    pub created: Timestamp,
    pub modified: Timestamp,
    pub revision: u32,
    /// Minutes of editing, `TotalTime` in app.xml.
    pub total_editing_minutes: u32,
    pub language: &'static str,
    pub description: &'static str,
}

/// One relationship in a `.rels` part.
pub struct Relationship<'a> {
    pub id: &'a str,
    pub kind: &'a str,
    pub target: &'a str,
}

/// Escapes text for use in XML character data and attribute values.
pub fn escape_xml(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// `[Content_Types].xml` with the defaults every package needs plus one override per listed part.
pub fn content_types_xml(overrides: &[(&str, &str)]) -> String {
    let mut xml = String::from(XML_DECLARATION);
    xml.push_str("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">");
    xml.push_str(
        "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>",
    );
    xml.push_str("<Default Extension=\"xml\" ContentType=\"application/xml\"/>");
    let property_overrides =
        [("/docProps/core.xml", CONTENT_TYPE_CORE_PROPERTIES), ("/docProps/app.xml", CONTENT_TYPE_EXTENDED_PROPERTIES)];
    for (part_name, content_type) in overrides.iter().chain(property_overrides.iter()) {
        xml.push_str(&format!("<Override PartName=\"{part_name}\" ContentType=\"{content_type}\"/>"));
    }
    xml.push_str("</Types>");
    xml
}

/// A `.rels` part listing the given relationships.
pub fn relationships_xml(relationships: &[Relationship<'_>]) -> String {
    let mut xml = String::from(XML_DECLARATION);
    xml.push_str("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
    for relationship in relationships {
        xml.push_str(&format!(
            "<Relationship Id=\"{}\" Type=\"{}\" Target=\"{}\"/>",
            relationship.id, relationship.kind, relationship.target
        ));
    }
    xml.push_str("</Relationships>");
    xml
}

/// The package-level `_rels/.rels`: the main part plus the two property parts.
pub fn package_relationships_xml(main_part: &str) -> String {
    relationships_xml(&[
        Relationship { id: "rId1", kind: RELATIONSHIP_OFFICE_DOCUMENT, target: main_part },
        Relationship { id: "rId2", kind: RELATIONSHIP_CORE_PROPERTIES, target: "docProps/core.xml" },
        Relationship { id: "rId3", kind: RELATIONSHIP_EXTENDED_PROPERTIES, target: "docProps/app.xml" },
    ])
}

/// `docProps/core.xml`: title, author, last editor, revision, dates and language.
pub fn core_properties_xml(properties: &DocumentProperties) -> String {
    let mut xml = String::from(XML_DECLARATION);
    xml.push_str(concat!(
        "<cp:coreProperties",
        " xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\"",
        " xmlns:dc=\"http://purl.org/dc/elements/1.1/\"",
        " xmlns:dcterms=\"http://purl.org/dc/terms/\"",
        " xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\"",
        " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
    ));
    xml.push_str(&format!("<dc:title>{}</dc:title>", escape_xml(properties.title)));
    xml.push_str(&format!("<dc:creator>{}</dc:creator>", escape_xml(properties.author)));
    xml.push_str(&format!("<dc:description>{}</dc:description>", escape_xml(properties.description)));
    xml.push_str(&format!("<cp:lastModifiedBy>{}</cp:lastModifiedBy>", escape_xml(properties.last_modified_by)));
    xml.push_str(&format!("<cp:revision>{}</cp:revision>", properties.revision));
    xml.push_str(&format!("<dc:language>{}</dc:language>", escape_xml(properties.language)));
    xml.push_str(&format!(
        "<dcterms:created xsi:type=\"dcterms:W3CDTF\">{}</dcterms:created>",
        properties.created.w3cdtf()
    ));
    xml.push_str(&format!(
        "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">{}</dcterms:modified>",
        properties.modified.w3cdtf()
    ));
    xml.push_str("</cp:coreProperties>");
    xml
}

/// `docProps/app.xml`. The application is named honestly: these files come from dossier, not from an office suite.
pub fn extended_properties_xml(properties: &DocumentProperties) -> String {
    let mut xml = String::from(XML_DECLARATION);
    xml.push_str(concat!(
        "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"",
        " xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">"
    ));
    xml.push_str(&format!("<TotalTime>{}</TotalTime>", properties.total_editing_minutes));
    xml.push_str("<Application>dossier demo generator</Application>");
    xml.push_str("<DocSecurity>0</DocSecurity>");
    xml.push_str(&format!("<Company>{}</Company>", escape_xml(properties.company)));
    xml.push_str("</Properties>");
    xml
}

/// How a zip entry's bytes are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    Stored,
    Deflated,
}

/// Writes a zip container in memory. Every entry carries `entry_time` and the same permissions so that the bytes
/// never depend on the clock or the umask; deflate runs at a fixed level for the same reason.
pub fn write_zip(
    container_name: &str,
    entries: &[(&str, &[u8], Compression)],
    entry_time: Timestamp,
) -> Result<Vec<u8>, DemoError> {
    let zip_error = |source| DemoError::Zip { name: container_name.to_owned(), source };
    let date_time = entry_time
        .zip_date_time()
        .ok_or_else(|| DemoError::Timestamp { name: container_name.to_owned(), timestamp: entry_time.w3cdtf() })?;
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (entry_name, bytes, compression) in entries {
        let options = SimpleFileOptions::default().last_modified_time(date_time).unix_permissions(0o644);
        let options = match compression {
            Compression::Stored => options.compression_method(zip::CompressionMethod::Stored),
            Compression::Deflated => {
                options.compression_method(zip::CompressionMethod::Deflated).compression_level(Some(6))
            }
        };
        writer.start_file(*entry_name, options).map_err(zip_error)?;
        writer
            .write_all(bytes)
            .map_err(|source| DemoError::Zip { name: container_name.to_owned(), source: source.into() })?;
    }
    let cursor = writer.finish().map_err(zip_error)?;
    Ok(cursor.into_inner())
}

/// Writes a complete OOXML package: content types first (some readers insist), then the given parts, all deflated.
pub fn write_package(
    package_name: &str,
    content_types: &str,
    parts: &[(&str, String)],
    modified: Timestamp,
) -> Result<Vec<u8>, DemoError> {
    let mut entries: Vec<(&str, &[u8], Compression)> =
        vec![("[Content_Types].xml", content_types.as_bytes(), Compression::Deflated)];
    for (part_name, content) in parts {
        entries.push((part_name, content.as_bytes(), Compression::Deflated));
    }
    write_zip(package_name, &entries, modified)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_characters() {
        assert_eq!(escape_xml("ООО «A&B» <x> \"q\" 'a'"), "ООО «A&amp;B» &lt;x&gt; &quot;q&quot; &apos;a&apos;");
    }

    #[test]
    fn zip_bytes_do_not_depend_on_when_they_are_written() {
        let entries: [(&str, &[u8], Compression); 2] =
            [("a.txt", b"alpha", Compression::Stored), ("b.txt", b"beta beta beta", Compression::Deflated)];
        let time = Timestamp::new(2024, 3, 12, 9, 40, 0);
        let first = write_zip("test", &entries, time).expect("in-memory zip");
        let second = write_zip("test", &entries, time).expect("in-memory zip");
        assert_eq!(first, second);
    }
}
