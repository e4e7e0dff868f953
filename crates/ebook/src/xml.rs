//! A thin layer over quick-xml shared by the EPUB package files and FictionBook: elements by local name (namespace
//! prefixes differ between producers: `dc:title`, `opf:item`, plain `item`), attributes as strings, text with the
//! predefined and numeric entities resolved, and the charset named in an XML declaration.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// One simplified XML event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum XmlEvent {
    /// An opening tag (`empty` for `<x/>`, which gets no matching `End`).
    Start {
        name: String,
        attributes: Vec<(String, String)>,
        empty: bool,
    },
    End {
        name: String,
    },
    Text(String),
}

/// Walks `xml` and calls `visit` for every event, stopping early when it returns false. Returns a description of
/// the first syntax error, if any: the events before it have been delivered, so callers keep what was read.
pub(crate) fn walk(xml: &str, mut visit: impl FnMut(XmlEvent) -> bool) -> Option<String> {
    let mut reader = Reader::from_str(xml);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    config.allow_dangling_amp = true;
    loop {
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(err) => {
                let position = reader.error_position();
                return Some(format!("XML error at byte {position}: {err}"));
            }
        };
        let simplified = match event {
            Event::Eof => return None,
            Event::Start(start) => start_event(&start, false),
            Event::Empty(start) => start_event(&start, true),
            Event::End(end) => XmlEvent::End { name: local_name(end.local_name().as_ref()) },
            Event::Text(text) => match text.xml_content() {
                Ok(text) => XmlEvent::Text(text.into_owned()),
                Err(_) => continue,
            },
            Event::CData(data) => match data.xml_content() {
                Ok(text) => XmlEvent::Text(text.into_owned()),
                Err(_) => continue,
            },
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    Ok(None) => predefined_entity(reference.as_ref()).map(str::to_string),
                    Err(_) => None,
                };
                match resolved {
                    Some(text) => XmlEvent::Text(text),
                    None => continue,
                }
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => continue,
        };
        if !visit(simplified) {
            return None;
        }
    }
}

fn start_event(start: &BytesStart<'_>, empty: bool) -> XmlEvent {
    let mut attributes = Vec::new();
    for attribute in start.attributes().with_checks(false).flatten() {
        let key = local_name(attribute.key.local_name().as_ref());
        let value = match attribute.unescape_value() {
            Ok(value) => value.into_owned(),
            Err(_) => String::from_utf8_lossy(&attribute.value).into_owned(),
        };
        attributes.push((key, value));
    }
    XmlEvent::Start { name: local_name(start.local_name().as_ref()), attributes, empty }
}

fn local_name(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_ascii_lowercase()
}

fn predefined_entity(name: &[u8]) -> Option<&'static str> {
    match name {
        b"amp" => Some("&"),
        b"lt" => Some("<"),
        b"gt" => Some(">"),
        b"quot" => Some("\""),
        b"apos" => Some("'"),
        b"nbsp" => Some("\u{a0}"),
        _ => None,
    }
}

/// The value of attribute `name` (local name, lower case) among `attributes`.
pub(crate) fn attribute<'a>(attributes: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attributes.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
}

/// The `encoding="..."` of an XML declaration at the start of `bytes` (after an optional UTF-8 byte-order mark).
pub(crate) fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(512)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let head = String::from_utf8_lossy(head);
    let head = head.trim_start();
    if !head.starts_with("<?xml") {
        return None;
    }
    let declaration = &head[..head.find("?>")?];
    let after = &declaration[declaration.find("encoding")? + "encoding".len()..];
    let after = after.trim_start().strip_prefix('=')?.trim_start();
    let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &after[1..];
    let value = &value[..value.find(quote)?];
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_declared_encoding_with_either_quote() {
        assert_eq!(
            declared_encoding(b"<?xml version=\"1.0\" encoding=\"windows-1251\"?><a/>").as_deref(),
            Some("windows-1251")
        );
        assert_eq!(declared_encoding(b"\xEF\xBB\xBF<?xml encoding = 'utf-8' ?>").as_deref(), Some("utf-8"));
        assert_eq!(declared_encoding(b"<?xml version=\"1.0\"?><a/>"), None);
        assert_eq!(declared_encoding(b"<a encoding=\"x\"/>"), None);
    }

    #[test]
    fn resolves_entities_and_drops_prefixes() {
        let mut events = Vec::new();
        let error = walk("<dc:t a='1&amp;2'>x &amp; &#1046;</dc:t>", |event| {
            events.push(event);
            true
        });
        assert_eq!(error, None);
        let text: String = events
            .iter()
            .filter_map(|event| match event {
                XmlEvent::Text(text) => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(text, "x & Ж");
        assert_eq!(
            events[0],
            XmlEvent::Start { name: "t".into(), attributes: vec![("a".into(), "1&2".into())], empty: false }
        );
    }

    #[test]
    fn reports_a_syntax_error_after_delivering_what_came_before() {
        let mut texts = Vec::new();
        let error = walk("<a>kept</a><b <<", |event| {
            if let XmlEvent::Text(text) = event {
                texts.push(text);
            }
            true
        });
        assert_eq!(texts, vec!["kept".to_string()]);
        assert!(error.is_some());
    }
}
