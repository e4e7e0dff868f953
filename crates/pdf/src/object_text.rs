//! Reading text out of PDF objects (annotation contents, form field values, bookmark titles), bounded against
//! hostile files, and turning the XHTML of rich-text values (/RC, /RV) into plain text.

use mupdf::pdf::PdfObject;

use crate::pdf_string::decode_pdf_text_string;

/// The longest value kept from one text string or text stream; a form field or comment longer than this is a
/// hostile file or a pasted book, and the rest is dropped.
pub const MAX_VALUE_CHARS: usize = 20_000;
/// Text streams (rich text, multi-line field values) larger than this, as declared by /Length, are not
/// decoded at all.
const MAX_TEXT_STREAM_BYTES: i32 = 4 << 20;

/// `dict[key]` as text: a text string, or a text stream (PDF allows both for /V, /RC, /RV).
pub fn text_entry(dict: &PdfObject, key: &str) -> Option<String> {
    let value = dict.get_dict(key).ok()??;
    object_text(&value)
}

/// A text string or text stream's text with line ends made `\n`, cut at [`MAX_VALUE_CHARS`]; `None` when the
/// object is neither or is blank.
pub fn object_text(value: &PdfObject) -> Option<String> {
    let bytes = if value.is_string().ok()? {
        value.as_bytes().ok()?
    } else if value.is_stream().ok()? {
        let declared = value.get_dict("Length").ok().flatten().and_then(|length| length.as_int().ok()).unwrap_or(0);
        if declared > MAX_TEXT_STREAM_BYTES {
            return None;
        }
        value.read_stream().ok()?
    } else {
        return None;
    };
    let text = normalise_line_ends(&decode_pdf_text_string(&bytes));
    let text = text.trim();
    (!text.is_empty()).then(|| text.chars().take(MAX_VALUE_CHARS).collect())
}

/// `dict[key]` as a name, if it is one.
pub fn name_entry(dict: &PdfObject, key: &str) -> Option<String> {
    let value = dict.get_dict(key).ok()??;
    if !value.is_name().ok()? {
        return None;
    }
    Some(String::from_utf8_lossy(&value.as_name().ok()?).into_owned())
}

/// The object number of an indirect reference, for cycle detection; `None` for a direct object (which cannot
/// be part of a cycle by itself).
pub fn object_number(value: &PdfObject) -> Option<i32> {
    if value.is_indirect().ok()? { value.as_indirect().ok().filter(|number| *number > 0) } else { None }
}

/// PDF text uses CR (Mac heritage, form fields), CR LF or LF; the extracted text uses LF.
pub fn normalise_line_ends(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// The text of rich-text XHTML (an annotation's /RC, a field's /RV): tags removed, paragraph and line-break
/// tags turned into line ends, entities decoded. Not an XML parser: malformed markup still yields its text.
pub fn strip_rich_text(xhtml: &str) -> String {
    let mut out = String::new();
    let mut rest = xhtml;
    while let Some(open) = rest.find('<') {
        push_unescaped(&mut out, &rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[open + 1..open + close];
        let name = tag.trim_start_matches('/').split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or("");
        let local = name.rsplit(':').next().unwrap_or(name).to_ascii_lowercase();
        let is_closing = tag.starts_with('/');
        if local == "br" || (is_closing && matches!(local.as_str(), "p" | "div" | "li")) {
            out.push('\n');
        }
        rest = &rest[open + close + 1..];
    }
    push_unescaped(&mut out, rest);
    let lines: Vec<&str> = out.lines().map(str::trim_end).collect();
    lines.join("\n").trim().to_string()
}

/// Appends `text` with XML character and entity references decoded; an unknown entity is kept as written.
fn push_unescaped(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let Some(semicolon) = after.find(';').filter(|end| *end <= 10) else {
            out.push('&');
            rest = after;
            continue;
        };
        let entity = &after[..semicolon];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|decimal| decimal.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            // A no-break space from "xfa-spacerun" is an ordinary space to a reader and to search.
            Some('\u{a0}') => out.push(' '),
            Some(c) => out.push(c),
            None => {
                out.push('&');
                out.push_str(entity);
                out.push(';');
            }
        }
        rest = &after[semicolon + 1..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rich_text_keeps_words_and_paragraphs() {
        let xhtml = r#"<?xml version="1.0"?><body xmlns="http://www.w3.org/1999/xhtml"><p dir="ltr">Formatted<span>&#160;</span><i>Richttext</i></p><p>In a&#xA0;multi-Line <b>field</b> &amp; more</p></body>"#;
        assert_eq!(strip_rich_text(xhtml), "Formatted Richttext\nIn a multi-Line field & more");
    }

    #[test]
    fn broken_markup_and_unknown_entities_keep_their_text() {
        assert_eq!(strip_rich_text("a &bogus; b<br/>c <unclosed"), "a &bogus; b\nc");
        assert_eq!(strip_rich_text("R&D & Co"), "R&D & Co");
    }

    #[test]
    fn line_ends_become_line_feeds() {
        assert_eq!(normalise_line_ends("a\rb\r\nc\nd"), "a\nb\nc\nd");
    }
}
