//! Generic XML: the text nodes in document order.
//!
//! The charset comes from a byte-order mark or the XML declaration (doubted like any declaration, see
//! [`crate::charset`]). The document type declaration is skipped unread, so external entities are never fetched
//! and internal entities never expanded: a "billion laughs" costs nothing. References to undeclared entities are
//! kept verbatim. On malformed XML the text read so far is kept, the rest is salvaged by stripping tags, and a
//! diagnostic says where the structure broke.

use dossier_document::TextBuilder;
use quick_xml::Reader;
use quick_xml::events::Event;

/// How far into the file the XML declaration is looked for (it must come first, but may follow a BOM or, in
/// UTF-16, be spread over twice the bytes).
const DECLARATION_PRESCAN_BYTES: usize = 1024;

/// The `encoding` of an XML declaration at the start of `bytes`, read as ASCII (UTF-16 declarations are told by
/// their NUL bytes, which are simply dropped).
pub(crate) fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(DECLARATION_PRESCAN_BYTES)];
    let ascii: String = head.iter().filter(|b| **b != 0).map(|b| char::from(*b)).collect();
    let start = ascii.find("<?xml")?;
    let declaration = &ascii[start..];
    let declaration = &declaration[..declaration.find("?>")?];
    let position = declaration.find("encoding")?;
    let value = declaration[position + 8..].trim_start().strip_prefix('=')?.trim_start();
    let quote = value.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let value = &value[1..];
    let end = value.find(quote)?;
    Some(value[..end].to_string())
}

/// Adds text nodes to the builder. Text nodes of sibling elements (`<name>Ivan</name><city>Kyiv</city>`) go on
/// separate lines; text interrupted by a child element (`Перша <b>важлива</b> подія`) stays on one line.
struct XmlTextWriter {
    text: TextBuilder,
    /// Tags seen since the last text node.
    starts_since_text: usize,
    ends_since_text: usize,
    /// Whitespace was seen since the last word.
    space_pending: bool,
}

impl XmlTextWriter {
    fn new(limit: usize) -> XmlTextWriter {
        XmlTextWriter { text: TextBuilder::new(limit), starts_since_text: 0, ends_since_text: 0, space_pending: false }
    }

    fn start(&mut self) {
        self.starts_since_text += 1;
    }

    fn end(&mut self) {
        self.ends_since_text += 1;
    }

    /// A separation that always means a new line (an empty element, a damaged stretch).
    fn hard_break(&mut self) {
        self.starts_since_text += 1;
        self.ends_since_text += 1;
    }

    fn push(&mut self, raw: &str) {
        let mut words = raw.split_whitespace().peekable();
        if words.peek().is_none() {
            self.space_pending |= !raw.is_empty();
            return;
        }
        if !self.text.as_str().is_empty() {
            let sibling = self.starts_since_text > 0 && self.ends_since_text > 0;
            if sibling || self.ends_since_text >= 2 {
                self.text.end_line();
            } else if self.space_pending || raw.starts_with(char::is_whitespace) {
                self.text.push_char(' ');
            }
        }
        let mut first = true;
        for word in words {
            if !first {
                self.text.push_char(' ');
            }
            self.text.push(word);
            first = false;
        }
        self.space_pending = raw.ends_with(char::is_whitespace);
        self.starts_since_text = 0;
        self.ends_since_text = 0;
    }
}

/// What [`read_xml_text`] found.
pub(crate) struct XmlContent {
    pub text: String,
    pub diagnostics: Vec<String>,
    /// False when the document was not well-formed XML.
    pub well_formed: bool,
}

/// The text of a decoded XML document, at most `limit` bytes.
pub(crate) fn read_xml_text(xml: &str, limit: usize) -> XmlContent {
    let mut writer = XmlTextWriter::new(limit);
    let mut diagnostics = Vec::new();
    let mut well_formed = true;
    let mut reader = Reader::from_str(xml);
    let mut depth = 0usize;
    loop {
        let event_start = reader.buffer_position();
        match reader.read_event() {
            Ok(Event::Start(_)) => {
                depth += 1;
                writer.start();
            }
            Ok(Event::End(_)) => {
                depth = depth.saturating_sub(1);
                writer.end();
            }
            Ok(Event::Empty(_)) => writer.hard_break(),
            Ok(Event::Text(text)) => {
                let raw = String::from_utf8_lossy(&text);
                writer.push(&unescape(&raw));
            }
            Ok(Event::CData(data)) => writer.push(&String::from_utf8_lossy(&data)),
            Ok(Event::Eof) => {
                if depth > 0 {
                    well_formed = false;
                    diagnostics.push(format!("XML ends inside {depth} unclosed element(s): the file may be truncated"));
                }
                break;
            }
            Ok(_) => {}
            Err(err) => {
                well_formed = false;
                let position = usize::try_from(event_start).unwrap_or(xml.len()).min(xml.len());
                diagnostics
                    .push(format!("malformed XML at byte {position}: {err}; the rest was read by stripping tags"));
                let rest = xml.get(position..).unwrap_or_default();
                writer.hard_break();
                writer.push(&unescape(&strip_tags(rest)));
                break;
            }
        }
        if writer.text.is_full() {
            break;
        }
    }
    let (mut text, cut) = writer.text.finish();
    diagnostics.extend(cut);
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    XmlContent { text, diagnostics, well_formed }
}

/// Drops markup from a damaged tail: tags, comments and declarations, keeping what lies between them.
fn strip_tags(xml: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Replaces the five predefined entities and character references; anything else (an entity that only a DTD
/// could define) is kept as written, because DTDs are never read.
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let reference = after.find(';').filter(|end| *end <= 32).map(|end| &after[..end]);
        let replacement = reference.and_then(resolve_reference);
        match (reference, replacement) {
            (Some(reference), Some(c)) => {
                out.push(c);
                rest = &after[reference.len() + 1..];
            }
            _ => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn resolve_reference(reference: &str) -> Option<char> {
    match reference {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        // Common in XHTML exported from word processors; harmless to resolve.
        "nbsp" => Some('\u{a0}'),
        _ => {
            let number = reference.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_in_both_quotes_and_in_utf16() {
        assert_eq!(
            declared_encoding(b"<?xml version=\"1.0\" encoding=\"windows-1251\"?><a/>").as_deref(),
            Some("windows-1251")
        );
        assert_eq!(declared_encoding(b"<?xml version='1.0' encoding = 'KOI8-R' ?>").as_deref(), Some("KOI8-R"));
        let utf16: Vec<u8> =
            "<?xml version=\"1.0\" encoding=\"UTF-16\"?>".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(declared_encoding(&utf16).as_deref(), Some("UTF-16"));
        assert_eq!(declared_encoding(b"<a/>"), None);
    }

    #[test]
    fn text_nodes_in_order_with_entities_and_cdata() {
        let content = read_xml_text(
            "<r><t>один &amp; два</t><t><![CDATA[<три>]]></t><p>mixed <b>bold</b> end &#x41;&unknown;</p></r>",
            1000,
        );
        assert!(content.well_formed);
        assert_eq!(content.text, "один & два\n<три>\nmixed bold end A&unknown;\n");
    }

    #[test]
    fn entity_bombs_are_never_expanded() {
        let xml = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">\
            <!ENTITY lol2 \"&lol;&lol;&lol;&lol;\"><!ENTITY ext SYSTEM \"file:///etc/passwd\">]>\
            <lolz>&lol2; &ext;</lolz>";
        let content = read_xml_text(xml, 1000);
        assert_eq!(content.text, "&lol2; &ext;\n");
    }

    #[test]
    fn malformed_xml_keeps_what_was_read() {
        let content = read_xml_text("<a><b>first</b><c>second</x><d>third</d>", 1000);
        assert!(!content.well_formed);
        assert_eq!(content.diagnostics.len(), 1, "{:?}", content.diagnostics);
        assert!(content.text.contains("first"));
        assert!(content.text.contains("third"));
        let truncated = read_xml_text("<a><b>first</b><c>sec", 1000);
        assert!(!truncated.well_formed);
        assert!(truncated.text.contains("sec"), "{}", truncated.text);
    }
}
