//! One RFC 5322 message: metadata from its header, text from its body parts, attachments to the sink.

use std::io::Read;
use std::path::Path;

use dossier_document::{ChildKind, ChildMeta, Context, ExtractError, Extraction, Metadata, TextBuilder};
use mail_parser::{
    Address, DateTime, HeaderName, HeaderValue, Message, MessageParser, MessagePart, MimeHeaders, PartType,
};

use crate::attachments;
use crate::line_endings::{crlf_for_lone_cr, ends_lines_with_cr_alone};

const FORMAT: &str = "eml";

pub fn read_eml(src: &dossier_document::Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    let bytes = read_whole_file(src.path, ctx.limits.max_in_memory_bytes, FORMAT)?;
    if bytes.is_empty() {
        return Err(ExtractError::Empty);
    }
    let message = strip_envelope(&bytes);
    if ends_lines_with_cr_alone(message) || ends_lines_with_cr_alone(&bytes) {
        let normalised = crlf_for_lone_cr(&bytes);
        return extract_message(strip_envelope(&normalised), ctx);
    }
    extract_message(message, ctx)
}

/// Loads a file that must be parsed in one piece, refusing files over the in-memory limit.
pub fn read_whole_file(path: &Path, max_in_memory_bytes: u64, format: &str) -> Result<Vec<u8>, ExtractError> {
    let file = std::fs::File::open(path).map_err(|err| ExtractError::io(&err))?;
    let len = file.metadata().map_err(|err| ExtractError::io(&err))?.len();
    if len > max_in_memory_bytes {
        return Err(ExtractError::LimitExceeded(format!(
            "{format} file of {len} bytes > in-memory limit {max_in_memory_bytes}"
        )));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    // `take` guards against a file that grows while it is read.
    file.take(max_in_memory_bytes).read_to_end(&mut bytes).map_err(|err| ExtractError::io(&err))?;
    Ok(bytes)
}

/// Drops what wraps a message in the files mail programs store: Apple Mail's EMLX starts with a line holding the
/// message's byte count (and ends with an XML property list after those bytes); a message saved from a mailbox
/// starts with the mbox `From ` separator line.
fn strip_envelope(bytes: &[u8]) -> &[u8] {
    let first_line_end = bytes.iter().position(|&b| b == b'\n').unwrap_or(bytes.len());
    let first_line = bytes[..first_line_end].trim_ascii();
    let rest = bytes.get(first_line_end + 1..).unwrap_or_default();
    if !first_line.is_empty() && first_line.len() <= 12 && first_line.iter().all(u8::is_ascii_digit) {
        let declared: usize =
            std::str::from_utf8(first_line).ok().and_then(|digits| digits.parse().ok()).unwrap_or(usize::MAX);
        return &rest[..declared.min(rest.len())];
    }
    if first_line.starts_with(b"From ") {
        return rest;
    }
    bytes
}

/// Parses `bytes` as a message and extracts it. Also used for each message of a mailbox.
pub fn extract_message(bytes: &[u8], ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    // mail-parser is lenient and well tested, but it carries `debug_assert!`s and index arithmetic on hostile
    // offsets; one bad message must cost a recorded failure, never the process.
    let parsed = std::panic::catch_unwind(|| MessageParser::default().parse(bytes));
    let message = match parsed {
        Ok(Some(message)) => message,
        Ok(None) => {
            return Err(ExtractError::malformed(FORMAT, "no header fields: not an e-mail message"));
        }
        Err(_) => {
            return Err(ExtractError::malformed(FORMAT, "the MIME parser failed on this message"));
        }
    };
    // mail-parser reads "name: value" lines out of anything; a message needs at least one header field that
    // e-mail defines (From, Date, Received, Content-Type...), which random bytes or a plain text never have.
    if !message.headers().iter().any(|header| !matches!(header.name, HeaderName::Other(_))) {
        return Err(ExtractError::malformed(FORMAT, "no header fields: not an e-mail message"));
    }

    let mut diagnostics = Vec::new();
    let metadata = header_metadata(&message);
    let mut text = TextBuilder::new(ctx.limits.max_text_bytes);
    write_header_block(&metadata, &mut text);
    write_body(&message, &mut text, &mut diagnostics);
    check_structure(&message, &mut diagnostics);
    hand_over_attachments(&message, ctx, &mut diagnostics)?;

    let (text, cut_off) = text.finish();
    diagnostics.extend(cut_off);
    // Nested multiparts cut off by the same truncation each report it; one line per distinct problem is enough.
    let mut seen = std::collections::HashSet::new();
    diagnostics.retain(|diagnostic| seen.insert(diagnostic.clone()));
    Ok(Extraction { text, metadata, diagnostics })
}

fn header_metadata(message: &Message<'_>) -> Metadata {
    let mut metadata = Metadata::default();
    for (key, address) in [
        ("from", message.from()),
        ("to", message.to()),
        ("cc", message.cc()),
        ("bcc", message.bcc()),
        ("reply_to", message.reply_to()),
        ("sender", message.sender()),
    ] {
        for formatted in address.map(format_addresses).unwrap_or_default() {
            metadata.push(key, formatted);
        }
    }
    if let Some(subject) = message.subject() {
        metadata.set("subject", collapse_whitespace(subject));
    }
    if let Some(date) = message.date() {
        if date.is_valid() {
            metadata.set("date", iso_8601(date));
        } else if let Some(raw) = raw_header(message, "Date") {
            // An unparseable date is still evidence: keep it as written.
            metadata.set("date", raw);
        }
    }
    if let Some(message_id) = message.message_id() {
        metadata.set("message_id", message_id);
    }
    if let [in_reply_to, ..] = text_values(message.in_reply_to()).as_slice() {
        metadata.set("in_reply_to", in_reply_to.as_str());
    }
    for reference in text_values(message.references()) {
        metadata.push("references", reference);
    }
    for (key, header_name) in [("x_mailer", "X-Mailer"), ("user_agent", "User-Agent")] {
        if let Some(value) = raw_header(message, header_name) {
            metadata.set(key, value);
        }
    }
    // The Received chain is kept raw, newest hop first as in the header, because verifying a leak's
    // authenticity means reading it hop by hop.
    for header in message.headers() {
        if header.name().eq_ignore_ascii_case("Received")
            && let Some(raw) = header_text(message, header.offset_start, header.offset_end)
        {
            metadata.push("received", raw);
        }
    }
    if message.headers().iter().any(|header| header.name().eq_ignore_ascii_case("DKIM-Signature")) {
        metadata.set("dkim_signed", "yes");
    }
    metadata
}

fn format_addresses(address: &Address<'_>) -> Vec<String> {
    address
        .iter()
        .filter_map(|addr| {
            let name = addr.name().map(collapse_whitespace).filter(|n| !n.is_empty());
            match (name, addr.address()) {
                (Some(name), Some(email)) if name != email => Some(format!("{name} <{email}>")),
                (_, Some(email)) => Some(email.to_string()),
                (Some(name), None) => Some(name),
                (None, None) => None,
            }
        })
        .collect()
}

fn text_values(value: &HeaderValue<'_>) -> Vec<String> {
    match value {
        HeaderValue::Text(text) => vec![text.to_string()],
        HeaderValue::TextList(list) => list.iter().map(|text| text.to_string()).collect(),
        _ => Vec::new(),
    }
}

/// ISO 8601 with an explicit offset (`+00:00` rather than `Z`, so every date reads the same way).
pub(crate) fn iso_8601(date: &DateTime) -> String {
    let sign = if date.tz_before_gmt && (date.tz_hour > 0 || date.tz_minute > 0) { '-' } else { '+' };
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        date.year, date.month, date.day, date.hour, date.minute, date.second, date.tz_hour, date.tz_minute
    )
}

/// The first header named `name`, unfolded, decoding RFC 2047 words when mail-parser parsed it as text.
fn raw_header(message: &Message<'_>, name: &str) -> Option<String> {
    let header = message.headers().iter().find(|header| header.name().eq_ignore_ascii_case(name))?;
    match header.value() {
        HeaderValue::Text(text) => Some(collapse_whitespace(text)),
        _ => header_text(message, header.offset_start, header.offset_end),
    }
}

fn header_text(message: &Message<'_>, start: u32, end: u32) -> Option<String> {
    let raw = message.raw_message.get(start as usize..end as usize)?;
    let text = collapse_whitespace(&String::from_utf8_lossy(raw));
    (!text.is_empty()).then_some(text)
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The lines a reader of a printed e-mail sees first.
fn write_header_block(metadata: &Metadata, text: &mut TextBuilder) {
    for (label, key) in [("From", "from"), ("To", "to"), ("Cc", "cc"), ("Date", "date"), ("Subject", "subject")] {
        if let Some(value) = metadata.get_str(key) {
            let value = if key == "subject" || key == "date" { value } else { value.replace("; ", ", ") };
            text.push(&format!("{label}: {value}"));
            text.end_line();
        }
    }
    text.end_paragraph();
}

/// The body: the plain-text parts chosen by mail-parser (for multipart/alternative, the text/plain one), or the
/// HTML parts rendered to text when there is no plain text worth the name.
fn write_body(message: &Message<'_>, text: &mut TextBuilder, diagnostics: &mut Vec<String>) {
    let mut pieces: Vec<String> = message
        .text_body
        .iter()
        .filter_map(|&id| message.parts.get(id as usize))
        .filter_map(|part| part_text(message, part, diagnostics))
        .collect();
    if pieces.iter().all(|piece| piece.trim().is_empty()) {
        pieces = message
            .html_body
            .iter()
            .filter_map(|&id| message.parts.get(id as usize))
            .filter_map(|part| part_text(message, part, diagnostics))
            .collect();
    }
    // A text part cut off by a truncated message is filed by mail-parser as an attachment; it is the end of the
    // body that arrived, so it belongs to the text.
    for &id in &message.attachments {
        if let Some(part) = message.parts.get(id as usize)
            && is_damaged_inline_text(part)
            && !message.text_body.contains(&id)
            && !message.html_body.contains(&id)
            && let Some(bytes) = attachments::transfer_decoded_bytes(message, part)
        {
            let charset = part.content_type().and_then(|ct| ct.attribute("charset"));
            let decoded = dossier_text::decode(&bytes, charset).text;
            pieces.push(match part.body {
                PartType::Html(_) => dossier_text::html_to_text(&decoded),
                _ => decoded,
            });
        }
    }
    for piece in pieces {
        let piece = piece.trim_end();
        if piece.trim().is_empty() {
            continue;
        }
        text.push(piece);
        text.end_paragraph();
    }
}

/// An inline text part without a file name that mail-parser could not decode (usually cut off by truncation).
pub fn is_damaged_inline_text(part: &MessagePart<'_>) -> bool {
    let is_text = matches!(part.body, PartType::Text(_) | PartType::Html(_));
    let content_type = attachments::content_type(part);
    let declared_attachment = part.content_disposition().is_some_and(|disposition| disposition.is_attachment());
    part.is_encoding_problem
        && is_text
        && (content_type == "text/plain" || content_type == "text/html")
        && part.attachment_name().is_none()
        && !declared_attachment
}

fn part_text(message: &Message<'_>, part: &MessagePart<'_>, diagnostics: &mut Vec<String>) -> Option<String> {
    match &part.body {
        PartType::Text(decoded) => Some(redecode_if_garbled(message, part, decoded, diagnostics)),
        PartType::Html(decoded) => {
            let html = redecode_if_garbled(message, part, decoded, diagnostics);
            Some(dossier_text::html_to_text(&html))
        }
        _ => None,
    }
}

/// A body decoded with a wrong or missing charset comes out as replacement characters; such a body is decoded
/// again from its bytes with charset detection, and the document says so.
fn redecode_if_garbled(
    message: &Message<'_>,
    part: &MessagePart<'_>,
    decoded: &str,
    diagnostics: &mut Vec<String>,
) -> String {
    if !is_mostly_replacement_characters(decoded) {
        return decoded.to_string();
    }
    let declared = part.content_type().and_then(|ct| ct.attribute("charset")).map(str::to_string);
    let Some(raw) = attachments::transfer_decoded_bytes(message, part) else {
        return decoded.to_string();
    };
    let redecoded = dossier_text::decode(&raw, None);
    if count_replacement_characters(&redecoded.text) >= count_replacement_characters(decoded) {
        return decoded.to_string();
    }
    diagnostics.push(format!(
        "body part declared as charset {} did not decode; re-read as {}",
        declared.as_deref().unwrap_or("(none)"),
        redecoded.charset
    ));
    redecoded.text
}

fn count_replacement_characters(text: &str) -> usize {
    text.chars().filter(|&c| c == '\u{FFFD}').count()
}

/// True when at least a fifth of the visible characters are U+FFFD: far more than the odd stray byte, which is
/// left alone, and what a Cyrillic body read as UTF-8 looks like.
fn is_mostly_replacement_characters(text: &str) -> bool {
    let replaced = count_replacement_characters(text);
    let visible = text.chars().filter(|c| !c.is_whitespace()).count();
    replaced >= 3 && replaced * 5 >= visible
}

/// Damage mail-parser recovers from silently: a multipart body without its closing boundary (a truncated message)
/// and parts whose transfer encoding could not be undone.
fn check_structure(message: &Message<'_>, diagnostics: &mut Vec<String>) {
    for part in &message.parts {
        if let PartType::Multipart(_) = part.body
            && let Some(boundary) = part.content_type().and_then(|ct| ct.attribute("boundary"))
        {
            let closing = format!("--{boundary}--");
            let body = message.raw_message.get(part.offset_body as usize..).unwrap_or_default();
            if !contains(body, closing.as_bytes()) {
                diagnostics.push(format!(
                    "{} has no closing boundary: the message is truncated or damaged, its last part may be incomplete",
                    attachments::content_type(part)
                ));
            }
        }
        if part.is_encoding_problem {
            diagnostics.push(format!(
                "a part of type {} could not be fully decoded (damaged or cut short)",
                attachments::content_type(part)
            ));
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|window| window == needle)
}

fn hand_over_attachments(
    message: &Message<'_>,
    ctx: &mut Context<'_>,
    diagnostics: &mut Vec<String>,
) -> Result<(), ExtractError> {
    for (index, &id) in message.attachments.iter().enumerate() {
        let Some(part) = message.parts.get(id as usize) else {
            continue;
        };
        if is_damaged_inline_text(part) {
            continue;
        }
        let Some(bytes) = attachments::attachment_bytes(message, part) else {
            continue;
        };
        let name = attachments::child_name(message, part, index + 1);
        match ctx.sink.add(ChildMeta::new(name.clone(), ChildKind::Attachment), &mut bytes.as_ref()) {
            Ok(()) => {}
            Err(err @ ExtractError::LimitExceeded(_)) => return Err(err),
            Err(err) => diagnostics.push(format!("attachment {name} not kept: {err}")),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emlx_byte_count_and_trailing_plist_are_dropped() {
        let emlx = b"12\nSubject: x\n\n<?xml version=\"1.0\"?><plist/>";
        assert_eq!(strip_envelope(emlx), b"Subject: x\n\n");
    }

    #[test]
    fn an_mbox_separator_line_in_front_of_a_message_is_dropped() {
        let saved = b"From someone@example.org Mon Jan  1 00:00:00 2024\nSubject: x\n\nbody\n";
        assert_eq!(strip_envelope(saved), b"Subject: x\n\nbody\n");
    }

    #[test]
    fn a_few_stray_replacement_characters_are_not_garbled_text() {
        assert!(!is_mostly_replacement_characters("Hello \u{FFFD} world, all fine here"));
        assert!(is_mostly_replacement_characters("\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD} \u{FFFD}\u{FFFD}\u{FFFD}"));
    }
}
