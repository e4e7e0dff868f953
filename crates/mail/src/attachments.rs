//! Names and bytes of the parts of a message that become children (attachments, forwarded messages).

use mail_parser::decoders::base64::base64_decode;
use mail_parser::decoders::quoted_printable::quoted_printable_decode;
use mail_parser::{Encoding, Message, MessagePart, MimeHeaders, PartType};

/// The name an attachment is handed over with. The declared name (already decoded from RFC 2231 / RFC 2047 by
/// mail-parser) is kept as data: only path separators are replaced, so that nothing downstream can mistake it for a
/// path. Unnamed parts get `attachment-N.<extension for the content type>`.
pub fn child_name(message: &Message<'_>, part: &MessagePart<'_>, position: usize) -> String {
    let declared =
        declared_name(message, part).map(|name| remove_path_separators(&name)).filter(|name| !name.trim().is_empty());
    let is_message = matches!(part.body, PartType::Message(_)) || content_type(part) == "message/rfc822";
    match declared {
        Some(name) if is_message && !name.to_ascii_lowercase().ends_with(".eml") => {
            format!("{name}.eml")
        }
        Some(name) => name,
        None => {
            // A forwarded message without a file name is best named after its subject, as mail clients do.
            if let PartType::Message(nested) = &part.body
                && let Some(subject) = nested.subject().map(remove_path_separators)
                && !subject.trim().is_empty()
            {
                return format!("{}.eml", subject.trim());
            }
            format!("attachment-{position}.{}", extension_for(&content_type(part)))
        }
    }
}

/// The file name a part declares. mail-parser decodes RFC 2231 sections one by one, so a UTF-8 character split
/// across two `filename*N*` sections (which RFC 2231 allows and real mailers do) comes out as U+FFFD; such names
/// are re-assembled from the raw header, joining the sections' bytes before decoding them.
fn declared_name(message: &Message<'_>, part: &MessagePart<'_>) -> Option<String> {
    let parsed = part.attachment_name()?;
    if !parsed.contains('\u{FFFD}') {
        return Some(parsed.to_string());
    }
    for (header_name, parameter) in [("Content-Disposition", "filename"), ("Content-Type", "name")] {
        let Some(header) = part.headers.iter().find(|header| header.name().eq_ignore_ascii_case(header_name)) else {
            continue;
        };
        let Some(raw) = message.raw_message.get(header.offset_start as usize..header.offset_end as usize) else {
            continue;
        };
        if let Some(name) = rfc2231_parameter(&String::from_utf8_lossy(raw), parameter)
            && !name.contains('\u{FFFD}')
        {
            return Some(name);
        }
    }
    Some(parsed.to_string())
}

/// The value of an RFC 2231 parameter (`name*=charset'lang'%XX..` or `name*0*=...; name*1*=...`) in a raw
/// header value, its sections' bytes joined before the charset is applied.
fn rfc2231_parameter(raw_value: &str, parameter: &str) -> Option<String> {
    let mut sections: Vec<(u32, bool, &str)> = Vec::new();
    for item in split_parameters(raw_value) {
        let Some((key, value)) = item.split_once('=') else {
            continue;
        };
        let key = key.trim().to_ascii_lowercase();
        let Some(rest) = key.strip_prefix(parameter).and_then(|rest| rest.strip_prefix('*')) else {
            continue;
        };
        let (number, extended) = match rest.strip_suffix('*') {
            Some(number) => (number, true),
            None if rest.is_empty() => ("", true),
            None => (rest, false),
        };
        let number = if number.is_empty() { 0 } else { number.parse().ok()? };
        let value = value.trim();
        let value = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(value);
        sections.push((number, extended, value));
    }
    if sections.is_empty() {
        return None;
    }
    sections.sort_by_key(|section| section.0);
    let mut charset = None;
    let mut bytes = Vec::new();
    for (index, (_, extended, value)) in sections.into_iter().enumerate() {
        let mut value = value;
        if extended && index == 0 {
            let mut fields = value.splitn(3, '\'');
            if let (Some(declared), Some(_language), Some(encoded)) = (fields.next(), fields.next(), fields.next()) {
                charset = Some(declared.to_string()).filter(|c| !c.is_empty());
                value = encoded;
            }
        }
        if extended {
            percent_decode_into(value, &mut bytes);
        } else {
            bytes.extend_from_slice(value.as_bytes());
        }
    }
    Some(dossier_text::decode(&bytes, charset.as_deref()).text)
}

/// Splits a header value at `;` outside quoted strings.
fn split_parameters(value: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let mut in_quotes = false;
    let mut start = 0;
    for (position, c) in value.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            ';' if !in_quotes => {
                items.push(&value[start..position]);
                start = position + 1;
            }
            _ => {}
        }
    }
    items.push(&value[start..]);
    items
}

fn percent_decode_into(value: &str, bytes: &mut Vec<u8>) {
    let raw = value.as_bytes();
    let mut position = 0;
    while position < raw.len() {
        if raw[position] == b'%'
            && let Some(hex) = raw.get(position + 1..position + 3)
            && let Ok(hex) = std::str::from_utf8(hex)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            bytes.push(byte);
            position += 3;
        } else {
            bytes.push(raw[position]);
            position += 1;
        }
    }
}

/// The lower-case `type/subtype` of a part, `text/plain` when it has none (the RFC 2045 default).
pub fn content_type(part: &MessagePart<'_>) -> String {
    match part.content_type() {
        Some(ct) => match ct.subtype() {
            Some(subtype) => format!("{}/{}", ct.ctype(), subtype).to_ascii_lowercase(),
            None => ct.ctype().to_ascii_lowercase(),
        },
        None => "text/plain".to_string(),
    }
}

fn remove_path_separators(name: &str) -> String {
    name.chars().map(|c| if matches!(c, '/' | '\\' | '\0') { '_' } else { c }).collect()
}

/// A file extension for a content type, so that an unnamed attachment can still be recognised by its name.
pub fn extension_for(content_type: &str) -> &'static str {
    match content_type {
        "text/plain" => "txt",
        "text/html" => "html",
        "text/calendar" => "ics",
        "text/csv" => "csv",
        "text/xml" | "application/xml" => "xml",
        "text/rtf" | "application/rtf" => "rtf",
        "text/vcard" | "text/x-vcard" => "vcf",
        "message/rfc822" | "message/global" => "eml",
        "message/delivery-status" => "txt",
        "application/pdf" => "pdf",
        "application/msword" => "doc",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => "docx",
        "application/vnd.ms-excel" => "xls",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "xlsx",
        "application/vnd.ms-powerpoint" => "ppt",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation" => "pptx",
        "application/vnd.oasis.opendocument.text" => "odt",
        "application/vnd.oasis.opendocument.spreadsheet" => "ods",
        "application/vnd.ms-outlook" => "msg",
        "application/ms-tnef" | "application/vnd.ms-tnef" => "dat",
        "application/zip" | "application/x-zip-compressed" => "zip",
        "application/gzip" | "application/x-gzip" => "gz",
        "application/x-7z-compressed" => "7z",
        "application/x-rar-compressed" | "application/vnd.rar" => "rar",
        "application/json" => "json",
        "application/pgp-signature" => "asc",
        "application/pkcs7-signature" | "application/x-pkcs7-signature" => "p7s",
        "application/pkcs7-mime" | "application/x-pkcs7-mime" => "p7m",
        "image/jpeg" | "image/jpg" | "image/pjpeg" => "jpg",
        "image/png" => "png",
        "image/gif" => "gif",
        "image/tiff" => "tif",
        "image/bmp" => "bmp",
        "image/webp" => "webp",
        "image/svg+xml" => "svg",
        "audio/mpeg" => "mp3",
        "audio/wav" | "audio/x-wav" => "wav",
        "video/mp4" => "mp4",
        _ => "bin",
    }
}

/// The bytes of a part as they were sent, with only the transfer encoding (base64, quoted-printable) undone: the
/// original bytes of an attached file, or a text part in its own charset. Returns `None` when the part's offsets do
/// not lie inside the message (which would be a parser bug, not something to crash on).
pub fn transfer_decoded_bytes(message: &Message<'_>, part: &MessagePart<'_>) -> Option<Vec<u8>> {
    let raw = message.raw_message.get(part.offset_body as usize..part.offset_end as usize)?;
    // mail-parser resets the encoding of a part it could not decode (typically base64 cut off by a truncated
    // message); the header still says what the bytes are, and a lenient decode keeps what was received.
    let declared = part.content_transfer_encoding().map(str::to_ascii_lowercase);
    let decoded = match (part.encoding, declared.as_deref()) {
        (Encoding::Base64, _) => base64_decode(raw).or_else(|| lenient_base64_decode(raw)),
        (Encoding::QuotedPrintable, _) => quoted_printable_decode(raw),
        (Encoding::None, Some("base64")) => lenient_base64_decode(raw),
        (Encoding::None, Some("quoted-printable")) => quoted_printable_decode(raw),
        (Encoding::None, _) => None,
    };
    Some(decoded.unwrap_or_else(|| raw.to_vec()))
}

/// Decodes the complete base64 quanta of `raw`, ignoring anything outside the alphabet and a cut-off tail.
fn lenient_base64_decode(raw: &[u8]) -> Option<Vec<u8>> {
    let mut clean: Vec<u8> = raw
        .iter()
        .copied()
        .take_while(|&b| b != b'=')
        .filter(|b| b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/')
        .collect();
    match clean.len() % 4 {
        0 => {}
        1 => clean.truncate(clean.len() - 1),
        remainder => clean.extend(std::iter::repeat_n(b'=', 4 - remainder)),
    }
    base64_decode(&clean)
}

/// The bytes handed to the sink for an attachment part.
pub fn attachment_bytes<'m>(message: &'m Message<'_>, part: &'m MessagePart<'_>) -> Option<std::borrow::Cow<'m, [u8]>> {
    use std::borrow::Cow;
    match &part.body {
        PartType::Binary(bytes) | PartType::InlineBinary(bytes) => Some(Cow::Borrowed(bytes.as_ref())),
        // The parsed nested message's `raw_message` may be the whole outer message; the part's own offsets are
        // what delimit it.
        PartType::Message(_) => transfer_decoded_bytes(message, part).map(Cow::Owned),
        // Text attachments are handed over in their original charset, not as mail-parser's UTF-8 rendering.
        PartType::Text(_) | PartType::Html(_) => transfer_decoded_bytes(message, part).map(Cow::Owned),
        PartType::Multipart(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_separators_are_replaced_but_the_rest_of_the_name_is_kept() {
        assert_eq!(remove_path_separators("..\\..//etc/passwd"), ".._..__etc_passwd");
        assert_eq!(remove_path_separators("Отчёт 2023.docx"), "Отчёт 2023.docx");
    }

    #[test]
    fn rfc2231_sections_are_joined_before_decoding() {
        let raw = " attachment;\r\n filename*0*=utf-8''%D0%94%D0; filename*1*=%B0.txt";
        assert_eq!(rfc2231_parameter(raw, "filename").as_deref(), Some("Да.txt"));
        let raw = "attachment; filename*=koi8-r''%F0%D2%C9%D7%C5%D4.doc";
        assert_eq!(rfc2231_parameter(raw, "filename").as_deref(), Some("Привет.doc"));
        assert_eq!(rfc2231_parameter("attachment; filename=\"a.txt\"", "filename"), None);
    }

    #[test]
    fn cut_off_base64_keeps_its_complete_quanta() {
        assert_eq!(lenient_base64_decode(b"SGVsbG8sIHdv\ncmxk").as_deref(), Some(&b"Hello, world"[..]));
        assert_eq!(lenient_base64_decode(b"SGVsbG8sIHdvc").as_deref(), Some(&b"Hello, wo"[..]));
    }

    #[test]
    fn unknown_content_types_get_a_neutral_extension() {
        assert_eq!(extension_for("application/x-something"), "bin");
        assert_eq!(extension_for("image/jpeg"), "jpg");
    }
}
