//! XMP packets (Adobe's XML metadata that editors embed): which tool made or edited the image, and when.
//!
//! The packet is found by its `<x:xmpmeta` element anywhere in the bytes read (JPEG APP1, PNG iTXt, TIFF tag 700
//! and WebP's XMP chunk all hold it uncompressed) and read with plain string searches: the few properties we want
//! appear either as attributes (`xmp:CreatorTool="..."`) or as elements, and a tolerant search keeps working on
//! packets that are not quite well-formed XML.

use dossier_document::Metadata;

/// A packet larger than this is cut: real ones are a few kilobytes, photo-editor histories rarely exceed 100 KB.
const MAX_PACKET_BYTES: usize = 1 << 20;

pub(crate) fn find_packet(bytes: &[u8]) -> Option<&str> {
    let start = find(bytes, b"<x:xmpmeta")?;
    let rest = &bytes[start..bytes.len().min(start + MAX_PACKET_BYTES)];
    let end = find(rest, b"</x:xmpmeta>").map_or(rest.len(), |end| end + b"</x:xmpmeta>".len());
    let packet = &rest[..end];
    // A packet cut in the middle of a UTF-8 sequence keeps its valid prefix.
    Some(match std::str::from_utf8(packet) {
        Ok(text) => text,
        Err(err) => std::str::from_utf8(&packet[..err.valid_up_to()]).unwrap_or_default(),
    })
}

pub(crate) fn read_into(packet: &str, metadata: &mut Metadata) {
    let creator_tool = property(packet, "xmp:CreatorTool");
    if let Some(tool) = &creator_tool {
        metadata.set("creator_tool", tool.clone());
    }
    // EXIF dates win when both exist: they are what the camera wrote; XMP dates are often rewritten on export.
    if metadata.get("created").is_none()
        && let Some(created) = property(packet, "xmp:CreateDate")
    {
        metadata.set("created", created);
    }
    if metadata.get("modified").is_none()
        && let Some(modified) = property(packet, "xmp:ModifyDate")
    {
        metadata.set("modified", modified);
    }
    let has_history = packet.contains("<xmpMM:History") || packet.contains("photoshop:History");
    if has_history {
        let mut agents: Vec<String> = Vec::new();
        for agent in all_properties(packet, "stEvt:softwareAgent") {
            if !agents.contains(&agent) {
                agents.push(agent);
            }
        }
        if agents.is_empty() {
            agents.push(creator_tool.unwrap_or_else(|| "unknown editor (XMP edit history present)".to_string()));
        }
        for agent in agents {
            metadata.push("edited_with", agent);
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

/// The first value of `name`, as an attribute or as an element (with any nested `rdf:Alt`/`rdf:li` stripped).
fn property(packet: &str, name: &str) -> Option<String> {
    all_properties(packet, name).into_iter().next()
}

fn all_properties(packet: &str, name: &str) -> Vec<String> {
    let mut values = Vec::new();
    let mut rest = packet;
    while let Some(at) = rest.find(name) {
        let after = &rest[at + name.len()..];
        let preceded_by_tag_or_space = rest[..at].ends_with(['<', ' ', '\t', '\n', '\r']);
        if preceded_by_tag_or_space {
            if rest[..at].ends_with('<') {
                // Element form: <name ...>value</name>
                if let Some(open_end) = after.find('>')
                    && !after[..open_end].ends_with('/')
                {
                    let content = &after[open_end + 1..];
                    let close = format!("</{name}>");
                    if let Some(end) = content.find(&close) {
                        values.push(decode(&strip_tags(&content[..end])));
                    }
                }
            } else if let Some(value) = after.trim_start().strip_prefix('=') {
                // Attribute form: name="value" or name='value'
                let value = value.trim_start();
                if let Some(quote) = value.chars().next().filter(|c| *c == '"' || *c == '\'')
                    && let Some(end) = value[1..].find(quote)
                {
                    values.push(decode(&value[1..1 + end]));
                }
            }
        }
        rest = after;
        if values.len() >= 100 {
            break;
        }
    }
    values.retain(|value| !value.trim().is_empty());
    values.iter_mut().for_each(|value| *value = value.trim().to_string());
    values
}

/// The text of an element's content with nested tags removed ("<rdf:Alt><rdf:li>x</rdf:li></rdf:Alt>" → "x").
fn strip_tags(content: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in content.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn decode(value: &str) -> String {
    value
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#xA;", "\n")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PACKET: &str = r#"<?xpacket begin=""?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>
 <rdf:Description xmp:CreatorTool="Adobe Photoshop CS6 (Windows)" xmp:CreateDate="2014-05-06T07:08:09+03:00">
  <xmp:ModifyDate>2014-05-07T10:00:00+03:00</xmp:ModifyDate>
  <xmpMM:History><rdf:Seq>
   <rdf:li stEvt:action="saved" stEvt:softwareAgent="Adobe Photoshop CS6 (Windows)"/>
   <rdf:li stEvt:action="saved" stEvt:softwareAgent="GIMP 2.10 &amp; friends"/>
   <rdf:li stEvt:action="saved" stEvt:softwareAgent="Adobe Photoshop CS6 (Windows)"/>
  </rdf:Seq></xmpMM:History>
 </rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"#;

    #[test]
    fn attributes_elements_and_history_are_read() {
        let bytes = [b"\xFF\xD8\xFF\xE1junk".as_slice(), PACKET.as_bytes()].concat();
        let packet = find_packet(&bytes).expect("packet found");
        assert!(packet.ends_with("</x:xmpmeta>"));
        let mut metadata = Metadata::default();
        read_into(packet, &mut metadata);
        assert_eq!(metadata.get_str("creator_tool").as_deref(), Some("Adobe Photoshop CS6 (Windows)"));
        assert_eq!(metadata.get_str("created").as_deref(), Some("2014-05-06T07:08:09+03:00"));
        assert_eq!(metadata.get_str("modified").as_deref(), Some("2014-05-07T10:00:00+03:00"));
        assert_eq!(
            metadata.get_str("edited_with").as_deref(),
            Some("Adobe Photoshop CS6 (Windows); GIMP 2.10 & friends")
        );
    }

    #[test]
    fn an_unterminated_packet_is_read_up_to_where_it_stops() {
        let bytes = "<x:xmpmeta><rdf:Description xmp:CreatorTool='Scanner 1.0'".as_bytes();
        let mut metadata = Metadata::default();
        read_into(find_packet(bytes).expect("packet"), &mut metadata);
        assert_eq!(metadata.get_str("creator_tool").as_deref(), Some("Scanner 1.0"));
        assert_eq!(metadata.get("edited_with"), None);
    }
}
