//! Document metadata: the Info dictionary, the XMP packet's dates and tools, and structural facts (version,
//! encryption, forms) that help a journalist judge whether a file is what it claims to be.

use dossier_document::Metadata;
use mupdf::MetadataName;
use mupdf::pdf::PdfDocument;

use crate::file_markers::FileMarkers;
use crate::pdf_date::pdf_date_to_iso8601;
use crate::pdf_string::decode_pdf_text_string;

/// Bounds against hostile Info dictionaries and XMP packets.
const MAX_INFO_KEYS: usize = 64;
const MAX_INFO_VALUE_CHARS: usize = 4096;
const MAX_XMP_BYTES: usize = 1 << 20;

/// Info keys that have a shared dossier name; the rest are kept as `pdf_info_<key>`.
fn shared_key(info_key: &str) -> Option<&'static str> {
    Some(match info_key {
        "Title" => "title",
        "Author" => "author",
        "Subject" => "subject",
        "Creator" => "creator_tool",
        "Producer" => "producer",
        "CreationDate" => "created",
        "ModDate" => "modified",
        "Company" => "company",
        "Keywords" => "keywords",
        _ => return None,
    })
}

/// Fills `metadata` from the document; problems reading metadata never fail the document, they are reported.
pub fn read_metadata(doc: &PdfDocument, markers: &FileMarkers, metadata: &mut Metadata, diagnostics: &mut Vec<String>) {
    if let Ok(format) = doc.metadata(MetadataName::Format) {
        // MuPDF says "PDF 1.7".
        metadata.set("pdf_version", format.trim_start_matches("PDF").trim());
    } else if let Some(version) = &markers.header_version {
        metadata.set("pdf_version", version.as_str());
    }
    match doc.metadata(MetadataName::Encryption) {
        Ok(method) if !method.is_empty() && method != "None" => {
            metadata.set("encrypted", "yes");
            metadata.set("encryption", method);
        }
        _ => metadata.set("encrypted", "no"),
    }
    metadata.set("linearized", if markers.linearized { "yes" } else { "no" });
    metadata.set("incremental_updates", markers.incremental_updates().to_string());
    // Bytes before the header (a BOM, a mail or AppleSingle wrapper) do not stop reading, but say something
    // about where the file has been.
    if let Some(offset) = markers.header_offset.filter(|offset| *offset > 0) {
        metadata.set("pdf_header_offset", offset.to_string());
    }
    if let Err(err) = read_info_dictionary(doc, metadata) {
        diagnostics.push(format!("Info dictionary: {}", crate::mupdf_message(&err)));
    }
    if let Err(err) = read_catalog_facts(doc, metadata) {
        diagnostics.push(format!("document catalog: {}", crate::mupdf_message(&err)));
    }
}

fn read_info_dictionary(doc: &PdfDocument, metadata: &mut Metadata) -> Result<(), mupdf::Error> {
    let Some(info) = doc.trailer()?.get_dict("Info")? else {
        return Ok(());
    };
    if !info.is_dict()? {
        return Ok(());
    }
    for entry in info.dict_iter()?.take(MAX_INFO_KEYS) {
        let (key, value) = entry?;
        let key = String::from_utf8_lossy(&key.as_name()?).into_owned();
        if !value.is_string()? {
            // /Trapped is a name; nothing else in Info is meant to be anything but a text string.
            continue;
        }
        let text: String = decode_pdf_text_string(&value.as_bytes()?).chars().take(MAX_INFO_VALUE_CHARS).collect();
        match shared_key(&key) {
            Some(name @ ("created" | "modified")) => match pdf_date_to_iso8601(&text) {
                Some(iso) => metadata.set(name, iso),
                // A date nobody can parse is still evidence: keep it raw under its own name.
                None => metadata.set(&format!("{name}_raw"), text),
            },
            Some("keywords") => {
                for keyword in text.split([',', ';']) {
                    metadata.push("keywords", keyword);
                }
            }
            Some(name) => metadata.set(name, text),
            None => metadata.set(&format!("pdf_info_{}", snake_case(&key)), text),
        }
    }
    Ok(())
}

fn read_catalog_facts(doc: &PdfDocument, metadata: &mut Metadata) -> Result<(), mupdf::Error> {
    let catalog = doc.catalog()?;
    if doc.has_xfa_form()? {
        metadata.set("forms", "XFA");
    } else if doc.has_acro_form()? {
        metadata.set("forms", "AcroForm");
    }
    if let Some(names) = catalog.get_dict("Names")?
        && names.get_dict("JavaScript")?.is_some()
    {
        metadata.set("javascript", "yes");
    }
    let Some(xmp) = catalog.get_dict("Metadata")? else {
        metadata.set("xmp", "no");
        return Ok(());
    };
    if !xmp.is_stream()? {
        metadata.set("xmp", "no");
        return Ok(());
    }
    metadata.set("xmp", "yes");
    let mut bytes = xmp.read_stream()?;
    bytes.truncate(MAX_XMP_BYTES);
    let xml = String::from_utf8_lossy(&bytes);
    for (property, key) in [
        ("xmp:CreateDate", "xmp_created"),
        ("xmp:ModifyDate", "xmp_modified"),
        ("xmp:MetadataDate", "xmp_metadata_date"),
        ("xmp:CreatorTool", "xmp_creator_tool"),
        ("pdf:Producer", "xmp_producer"),
        ("xmpMM:DocumentID", "xmp_document_id"),
        ("xmpMM:InstanceID", "xmp_instance_id"),
    ] {
        if let Some(value) = xmp_simple_property(&xml, property) {
            metadata.set(key, value);
        }
    }
    Ok(())
}

/// Reads a simple XMP property written either as an attribute (`xmp:CreateDate="..."`) or as an element
/// (`<xmp:CreateDate>...</xmp:CreateDate>`). Namespace prefixes other than the customary ones are not
/// resolved: this is a cheap look, not an RDF parser.
fn xmp_simple_property(xml: &str, property: &str) -> Option<String> {
    let attribute = format!("{property}=");
    if let Some(start) = xml.find(&attribute) {
        let rest = &xml[start + attribute.len()..];
        let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let rest = &rest[1..];
        let end = rest.find(quote)?;
        return Some(unescape_xml(&rest[..end]));
    }
    let open = format!("<{property}>");
    let close = format!("</{property}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&close)? + start;
    let value = xml[start..end].trim();
    // A structured value (rdf:Alt, rdf:Seq) is not a simple property.
    if value.contains('<') {
        return None;
    }
    Some(unescape_xml(value))
}

fn unescape_xml(value: &str) -> String {
    value.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

fn snake_case(key: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in key.chars() {
        if c.is_ascii_uppercase() && previous_lower {
            out.push('_');
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xmp_properties_as_attributes_and_elements() {
        let xml = r#"<rdf:Description xmp:CreateDate="2021-03-04T05:06:07+02:00" pdf:Producer='A &amp; B'>
            <xmp:CreatorTool>Microsoft® Word 2016</xmp:CreatorTool>
            <dc:title><rdf:Alt><rdf:li xml:lang="x-default">T</rdf:li></rdf:Alt></dc:title>
        </rdf:Description>"#;
        assert_eq!(xmp_simple_property(xml, "xmp:CreateDate").as_deref(), Some("2021-03-04T05:06:07+02:00"));
        assert_eq!(xmp_simple_property(xml, "pdf:Producer").as_deref(), Some("A & B"));
        assert_eq!(xmp_simple_property(xml, "xmp:CreatorTool").as_deref(), Some("Microsoft® Word 2016"));
        assert_eq!(xmp_simple_property(xml, "dc:title"), None);
        assert_eq!(xmp_simple_property(xml, "xmp:ModifyDate"), None);
    }

    #[test]
    fn custom_info_keys_become_snake_case() {
        assert_eq!(snake_case("SourceModified"), "source_modified");
        assert_eq!(snake_case("PTEX.Fullbanner"), "ptex_fullbanner");
        assert_eq!(snake_case("AAPL:Keywords"), "aapl_keywords");
    }
}
