//! A thin streaming layer over quick-xml: element starts and ends by local name, and text with entities resolved.
//!
//! Office formats use many namespace prefixes (`w:`, `a:`, `text:`), but producers always bind them to the same
//! namespaces, and the local names the readers look for do not collide in practice, so matching on local names
//! keeps the readers short and tolerant of odd prefixes. Parsing is event by event: no tree of a hostile file is
//! ever built, and every buffer the readers keep grows at most with the (already bounded) size of the part.

use std::borrow::Cow;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// One XML event as the readers see it.
pub(crate) enum XmlEvent<'a, 'b> {
    Start(&'b Tag<'a>),
    End(&'b [u8]),
    Text(&'b str),
}

/// An element start tag.
pub(crate) struct Tag<'a> {
    start: BytesStart<'a>,
}

impl Tag<'_> {
    /// The element name without its namespace prefix.
    pub(crate) fn local(&self) -> &[u8] {
        local_part(self.start.name().into_inner())
    }

    /// The value of the first attribute whose local name is `local`, unescaped.
    pub(crate) fn attr(&self, local: &str) -> Option<String> {
        self.start
            .attributes()
            .with_checks(false)
            .flatten()
            .find(|attribute| local_part(attribute.key.into_inner()) == local.as_bytes())
            .map(|attribute| match attribute.unescape_value() {
                Ok(value) => value.into_owned(),
                Err(_) => String::from_utf8_lossy(&attribute.value).into_owned(),
            })
    }
}

fn local_part(name: &[u8]) -> &[u8] {
    match name.iter().rposition(|&b| b == b':') {
        Some(colon) => &name[colon + 1..],
        None => name,
    }
}

/// Decodes an XML part to text: UTF-8 (with or without BOM) or UTF-16 with a BOM; invalid bytes become U+FFFD.
pub(crate) fn decode_part(bytes: &[u8]) -> Cow<'_, str> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest);
    }
    let utf16 = |rest: &[u8], little_endian: bool| {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|pair| {
                if little_endian {
                    u16::from_le_bytes([pair[0], pair[1]])
                } else {
                    u16::from_be_bytes([pair[0], pair[1]])
                }
            })
            .collect();
        Cow::Owned(String::from_utf16_lossy(&units))
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, false);
    }
    String::from_utf8_lossy(bytes)
}

/// Walks `xml`, calling `handle` for every element start, element end and piece of text, in document order.
/// Empty elements (`<w:tab/>`) are reported as a start followed by an end. On malformed XML the walk stops and
/// returns a message saying where; everything before that point has already been handed to `handle`.
pub(crate) fn walk(xml: &str, mut handle: impl FnMut(XmlEvent<'_, '_>)) -> Result<(), String> {
    let mut reader = Reader::from_str(xml);
    let config = reader.config_mut();
    config.expand_empty_elements = true;
    // Producers write slightly broken XML (and truncated parts end mid-element): be lenient where leniency
    // cannot change the meaning of the text.
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    config.allow_dangling_amp = true;
    let mut text = String::new();
    // Open elements, to tell a complete part from one cut off (quick-xml accepts an end of input inside them).
    let mut depth = 0usize;
    loop {
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(err) => {
                return Err(format!("XML error at byte {}: {err}", reader.error_position()));
            }
        };
        match event {
            Event::Text(content) => match content.decode() {
                Ok(decoded) => text.push_str(&decoded),
                Err(_) => text.push('\u{FFFD}'),
            },
            Event::CData(content) => text.push_str(&String::from_utf8_lossy(&content)),
            Event::GeneralRef(reference) => {
                if let Ok(Some(c)) = reference.resolve_char_ref() {
                    text.push(c);
                } else {
                    match reference.decode().as_deref() {
                        Ok("lt") => text.push('<'),
                        Ok("gt") => text.push('>'),
                        Ok("amp") => text.push('&'),
                        Ok("quot") => text.push('"'),
                        Ok("apos") => text.push('\''),
                        _ => {}
                    }
                }
            }
            Event::Start(start) => {
                depth += 1;
                flush_text(&mut text, &mut handle);
                let tag = Tag { start };
                handle(XmlEvent::Start(&tag));
            }
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                flush_text(&mut text, &mut handle);
                handle(XmlEvent::End(local_part(end.name().into_inner())));
            }
            Event::Empty(start) => {
                // Not produced with `expand_empty_elements`, but handled the same way for safety.
                flush_text(&mut text, &mut handle);
                let tag = Tag { start };
                handle(XmlEvent::Start(&tag));
                handle(XmlEvent::End(tag.local()));
            }
            Event::Eof => {
                flush_text(&mut text, &mut handle);
                if depth > 0 {
                    return Err(format!("XML ends inside {depth} open elements (truncated part)"));
                }
                return Ok(());
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
}

fn flush_text(text: &mut String, handle: &mut impl FnMut(XmlEvent<'_, '_>)) {
    if !text.is_empty() {
        let normalised;
        let content: &str = if text.contains('\r') {
            normalised = text.replace("\r\n", "\n").replace('\r', "\n");
            &normalised
        } else {
            text
        };
        handle(XmlEvent::Text(content));
        text.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(xml: &str) -> (Vec<String>, Result<(), String>) {
        let mut seen = Vec::new();
        let result = walk(xml, |event| match event {
            XmlEvent::Start(tag) => seen.push(format!(
                "<{}{}>",
                String::from_utf8_lossy(tag.local()),
                tag.attr("val").map(|v| format!(" val={v}")).unwrap_or_default()
            )),
            XmlEvent::End(name) => seen.push(format!("</{}>", String::from_utf8_lossy(name))),
            XmlEvent::Text(text) => seen.push(text.to_string()),
        });
        (seen, result)
    }

    #[test]
    fn local_names_entities_and_empty_elements() {
        let (seen, result) = events(r#"<w:p><w:t>a &amp; &#x416;&lt;</w:t><w:tab w:val="x&amp;y"/></w:p>"#);
        assert_eq!(result, Ok(()));
        assert_eq!(seen, ["<p>", "<t>", "a & Ж<", "</t>", "<tab val=x&y>", "</tab>", "</p>"]);
    }

    #[test]
    fn malformed_xml_stops_with_a_position_after_reporting_what_came_before() {
        let (seen, result) = events("<a>text</a><b");
        assert_eq!(seen[..3], ["<a>", "text", "</a>"]);
        assert!(result.expect_err("broken attribute").starts_with("XML error at byte"));
    }

    #[test]
    fn utf16_parts_are_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "<a>Ж</a>".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode_part(&bytes), "<a>Ж</a>");
    }
}
