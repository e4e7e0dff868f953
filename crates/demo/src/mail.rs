//! E-mails as EML (RFC 5322 + MIME) with the encodings Russian mail actually arrives in: RFC 2047 encoded-word
//! subjects in KOI8-R and UTF-8, a windows-1251 quoted-printable body, base64 attachments whose names are encoded
//! the Outlook way (RFC 2047 inside a quoted parameter) or the standard way (RFC 2231 continuations).
//!
//! Everything is written with `\n` and turned into CRLF at the end, as mail on the wire is.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use encoding_rs::Encoding;

use crate::GeneratedFile;
use crate::error::DemoError;

/// How the non-ASCII header texts (sender's display name, subject) are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderEncoding {
    /// Plain ASCII, written as is.
    Ascii,
    /// `=?KOI8-R?B?...?=`, as older Russian mail clients and webmails send.
    Koi8rBase64,
    /// `=?UTF-8?Q?...?=` for the subject. Display names use `=?UTF-8?B?...?=` all the same: in Q a Cyrillic
    /// name does not fit one encoded word, and splitting a name inside a word trips address parsers that keep
    /// the white space between encoded words (Python's among them).
    Utf8QuotedPrintable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    AsciiSevenBit,
    Windows1251QuotedPrintable,
    Utf8Base64,
}

/// How an attachment's file name is written in the MIME headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentNameEncoding {
    /// `filename="=?windows-1251?B?...?="`: not allowed by the RFCs, written by Outlook all the same.
    Rfc2047Windows1251,
    /// `filename*0*=UTF-8''%D0%A1...; filename*1*=...`: RFC 2231 with continuations.
    Rfc2231Utf8,
}

#[derive(Debug, Clone, Copy)]
pub struct Attachment {
    /// The collection file whose bytes are attached.
    pub collection_path: &'static str,
    pub file_name: &'static str,
    pub name_encoding: AttachmentNameEncoding,
}

#[derive(Debug, Clone, Copy)]
pub struct Mail {
    pub relative_path: &'static str,
    /// Values of the `Received` headers, newest first as relays prepend them; `\n\t` folds a long one.
    pub received: &'static [&'static str],
    pub date: &'static str,
    pub message_id: &'static str,
    pub from_name: &'static str,
    pub from_address: &'static str,
    pub to_name: &'static str,
    pub to_address: &'static str,
    pub subject: &'static str,
    pub header_encoding: HeaderEncoding,
    pub user_agent: &'static str,
    pub body: &'static str,
    pub body_encoding: BodyEncoding,
    pub attachments: &'static [Attachment],
    pub boundary: &'static str,
}

/// RFC 2047 caps an encoded word at 75 characters.
const MAX_ENCODED_WORD_LENGTH: usize = 75;
/// RFC 2045 caps quoted-printable and base64 lines at 76 characters.
const MAX_BODY_LINE_LENGTH: usize = 76;

/// Renders a mail as the bytes of an EML file, taking attachment bytes from the files generated before it.
pub fn render_eml(mail: &Mail, collection: &[GeneratedFile]) -> Result<Vec<u8>, DemoError> {
    let mut message = String::new();
    for received in mail.received {
        message.push_str(&format!("Received: {received}\n"));
    }
    message.push_str(&format!("Date: {}\n", mail.date));
    message.push_str(&format!(
        "From: {} <{}>\n",
        encode_display_name(mail.from_name, mail.header_encoding, mail.relative_path)?,
        mail.from_address
    ));
    message.push_str(&format!(
        "To: {} <{}>\n",
        encode_display_name(mail.to_name, mail.header_encoding, mail.relative_path)?,
        mail.to_address
    ));
    message.push_str(&format!(
        "Subject: {}\n",
        encode_header_text(mail.subject, mail.header_encoding, mail.relative_path)?
    ));
    message.push_str(&format!("Message-ID: <{}>\n", mail.message_id));
    message.push_str(&format!("User-Agent: {}\n", mail.user_agent));
    message.push_str("MIME-Version: 1.0\n");

    let body_part = body_part(mail)?;
    if mail.attachments.is_empty() {
        message.push_str(&body_part);
    } else {
        message.push_str(&format!("Content-Type: multipart/mixed;\n\tboundary=\"{}\"\n\n", mail.boundary));
        message.push_str("This is a multi-part message in MIME format.\n");
        message.push_str(&format!("--{}\n{body_part}", mail.boundary));
        for attachment in mail.attachments {
            let bytes = collection
                .iter()
                .find(|file| file.relative_path == attachment.collection_path)
                .map(|file| file.bytes.as_slice())
                .ok_or_else(|| DemoError::MissingSource {
                    name: mail.relative_path.to_owned(),
                    source_path: attachment.collection_path.to_owned(),
                })?;
            message.push_str(&format!("--{}\n", mail.boundary));
            message.push_str(&attachment_part(attachment, bytes, mail.relative_path)?);
        }
        message.push_str(&format!("--{}--\n", mail.boundary));
    }
    Ok(message.replace('\n', "\r\n").into_bytes())
}

/// The headers and content of the text part, ending with a newline.
fn body_part(mail: &Mail) -> Result<String, DemoError> {
    let body_with_crlf = mail.body.replace('\n', "\r\n");
    Ok(match mail.body_encoding {
        BodyEncoding::AsciiSevenBit => {
            if !mail.body.is_ascii() {
                return Err(DemoError::Unencodable { name: mail.relative_path.to_owned(), encoding: "US-ASCII" });
            }
            format!("Content-Type: text/plain; charset=us-ascii\nContent-Transfer-Encoding: 7bit\n\n{}\n", mail.body)
        }
        BodyEncoding::Windows1251QuotedPrintable => {
            let bytes = encode_strictly(mail.body, encoding_rs::WINDOWS_1251, mail.relative_path)?;
            format!(
                "Content-Type: text/plain; charset=windows-1251\nContent-Transfer-Encoding: quoted-printable\n\n{}\n",
                quoted_printable(&bytes)
            )
        }
        BodyEncoding::Utf8Base64 => format!(
            "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n{}",
            wrapped_base64(body_with_crlf.as_bytes())
        ),
    })
}

fn attachment_part(attachment: &Attachment, bytes: &[u8], mail_name: &str) -> Result<String, DemoError> {
    let content_type = content_type_for(attachment.file_name);
    let (type_name, disposition_name) = match attachment.name_encoding {
        AttachmentNameEncoding::Rfc2047Windows1251 => {
            let encoded = encoded_words(attachment.file_name, encoding_rs::WINDOWS_1251, 'B', mail_name)?.join("\n\t");
            (format!("name=\"{encoded}\""), format!("filename=\"{encoded}\""))
        }
        AttachmentNameEncoding::Rfc2231Utf8 => {
            // Mail clients that write RFC 2231 in Content-Disposition still put an encoded word in the older
            // Content-Type `name` parameter for readers that only look there.
            let encoded_word = encoded_words(attachment.file_name, encoding_rs::UTF_8, 'B', mail_name)?.join("\n\t");
            (format!("name=\"{encoded_word}\""), rfc2231_continuations("filename", attachment.file_name))
        }
    };
    Ok(format!(
        "Content-Type: {content_type};\n\t{type_name}\nContent-Transfer-Encoding: base64\nContent-Disposition: attachment;\n\t{disposition_name}\n\n{}",
        wrapped_base64(bytes)
    ))
}

fn content_type_for(file_name: &str) -> &'static str {
    if file_name.ends_with(".docx") {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    } else if file_name.ends_with(".xlsx") {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    } else {
        "application/octet-stream"
    }
}

fn encode_display_name(name: &str, encoding: HeaderEncoding, mail_name: &str) -> Result<String, DemoError> {
    match encoding {
        HeaderEncoding::Utf8QuotedPrintable => Ok(encoded_words(name, encoding_rs::UTF_8, 'B', mail_name)?.join("\n ")),
        HeaderEncoding::Ascii | HeaderEncoding::Koi8rBase64 => encode_header_text(name, encoding, mail_name),
    }
}

fn encode_header_text(text: &str, encoding: HeaderEncoding, mail_name: &str) -> Result<String, DemoError> {
    match encoding {
        HeaderEncoding::Ascii if text.is_ascii() => Ok(text.to_owned()),
        HeaderEncoding::Ascii => Err(DemoError::Unencodable { name: mail_name.to_owned(), encoding: "US-ASCII" }),
        HeaderEncoding::Koi8rBase64 => Ok(encoded_words(text, encoding_rs::KOI8_R, 'B', mail_name)?.join("\n ")),
        HeaderEncoding::Utf8QuotedPrintable => Ok(encoded_words(text, encoding_rs::UTF_8, 'Q', mail_name)?.join("\n ")),
    }
}

/// Splits `text` into RFC 2047 encoded words no longer than `MAX_ENCODED_WORD_LENGTH`, never cutting a character
/// in two (a decoder must be able to decode each word alone).
fn encoded_words(text: &str, encoding: &'static Encoding, method: char, name: &str) -> Result<Vec<String>, DemoError> {
    let charset = encoding.name();
    let encode_word = |chunk: &str| -> Result<String, DemoError> {
        let bytes = encode_strictly(chunk, encoding, name)?;
        let payload = if method == 'B' { BASE64.encode(&bytes) } else { q_encode(&bytes) };
        Ok(format!("=?{charset}?{method}?{payload}?="))
    };
    let mut words = Vec::new();
    let mut chunk = String::new();
    for character in text.chars() {
        let mut candidate = chunk.clone();
        candidate.push(character);
        if !chunk.is_empty() && encode_word(&candidate)?.len() > MAX_ENCODED_WORD_LENGTH {
            // Break after the last space of the chunk when there is one: decoders are supposed to drop the
            // folding white space between encoded words, but some (Python's address parser among them) keep it,
            // and a stray space between two words does less harm than one inside a word.
            let carried_over = match chunk.rfind(' ') {
                Some(space) if space + 1 < chunk.len() => chunk.split_off(space + 1),
                _ => String::new(),
            };
            words.push(encode_word(&chunk)?);
            chunk = carried_over;
        }
        chunk.push(character);
    }
    if !chunk.is_empty() || words.is_empty() {
        words.push(encode_word(&chunk)?);
    }
    Ok(words)
}

/// The "Q" encoding of RFC 2047: like quoted-printable, with `_` for space and a stricter set of literal bytes.
fn q_encode(bytes: &[u8]) -> String {
    let mut encoded = String::new();
    for &byte in bytes {
        match byte {
            b' ' => encoded.push('_'),
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'!' | b'*' | b'+' | b'-' | b'/' => {
                encoded.push(char::from(byte))
            }
            other => encoded.push_str(&format!("={other:02X}")),
        }
    }
    encoded
}

/// RFC 2231 parameter value continuations: `name*0*=UTF-8''...; name*1*=...`, percent-encoding every byte
/// outside the unreserved set.
fn rfc2231_continuations(parameter: &str, value: &str) -> String {
    let mut percent_encoded_pieces = Vec::new();
    let mut piece = String::new();
    for character in value.chars() {
        let mut buffer = [0_u8; 4];
        let mut encoded_character = String::new();
        for &byte in character.encode_utf8(&mut buffer).as_bytes() {
            if byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'-' | b'_') {
                encoded_character.push(char::from(byte));
            } else {
                encoded_character.push_str(&format!("%{byte:02X}"));
            }
        }
        if piece.len() + encoded_character.len() > 54 {
            percent_encoded_pieces.push(std::mem::take(&mut piece));
        }
        piece.push_str(&encoded_character);
    }
    percent_encoded_pieces.push(piece);
    percent_encoded_pieces
        .iter()
        .enumerate()
        .map(|(index, piece)| {
            let charset = if index == 0 { "UTF-8''" } else { "" };
            format!("{parameter}*{index}*={charset}{piece}")
        })
        .collect::<Vec<_>>()
        .join(";\n\t")
}

/// Quoted-printable (RFC 2045) of text whose lines end in `\n`; output lines are joined with `\n` too.
fn quoted_printable(bytes: &[u8]) -> String {
    let mut output_lines = Vec::new();
    for line in bytes.split(|&byte| byte == b'\n') {
        let mut output_line = String::new();
        for (index, &byte) in line.iter().enumerate() {
            let is_last = index + 1 == line.len();
            let token = match byte {
                b' ' | b'\t' if is_last => format!("={byte:02X}"),
                b'=' => "=3D".to_owned(),
                b' ' | b'\t' | 33..=126 => char::from(byte).to_string(),
                other => format!("={other:02X}"),
            };
            // A soft line break ("=" at the end) keeps every line within 76 characters.
            if output_line.len() + token.len() > MAX_BODY_LINE_LENGTH - 1 {
                output_line.push('=');
                output_lines.push(std::mem::take(&mut output_line));
            }
            output_line.push_str(&token);
        }
        output_lines.push(output_line);
    }
    output_lines.join("\n")
}

/// Base64 in lines of 76 characters, each ending with `\n`.
fn wrapped_base64(bytes: &[u8]) -> String {
    let encoded = BASE64.encode(bytes);
    let mut wrapped = String::with_capacity(encoded.len() + encoded.len() / MAX_BODY_LINE_LENGTH + 1);
    for line in encoded.as_bytes().chunks(MAX_BODY_LINE_LENGTH) {
        // Base64 output is ASCII, so every chunk is valid UTF-8.
        wrapped.push_str(&String::from_utf8_lossy(line));
        wrapped.push('\n');
    }
    wrapped
}

/// Encodes text in a legacy character set, refusing rather than silently writing `&#NNNN;` for characters the
/// set lacks (encoding_rs's behaviour for unmappable characters).
pub fn encode_strictly(text: &str, encoding: &'static Encoding, name: &str) -> Result<Vec<u8>, DemoError> {
    let (bytes, _, had_unmappable_characters) = encoding.encode(text);
    if had_unmappable_characters {
        return Err(DemoError::Unencodable { name: name.to_owned(), encoding: encoding.name() });
    }
    Ok(bytes.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_words_stay_short_and_decode_back() {
        let subject = "Документы по мосту через Студёную и сводка платежей за март и апрель";
        let words = encoded_words(subject, encoding_rs::KOI8_R, 'B', "test").expect("KOI8-R has these letters");
        assert!(words.len() > 1);
        let mut decoded = String::new();
        for word in &words {
            assert!(word.len() <= MAX_ENCODED_WORD_LENGTH, "{word}");
            let payload = word.trim_start_matches("=?KOI8-R?B?").trim_end_matches("?=");
            let bytes = BASE64.decode(payload).expect("valid base64");
            decoded.push_str(&encoding_rs::KOI8_R.decode_without_bom_handling(&bytes).0);
        }
        assert_eq!(decoded, subject);
    }

    #[test]
    fn encoded_words_break_between_words_when_they_can() {
        let words = encoded_words("Соколов-Ветров Игорь Павлович", encoding_rs::UTF_8, 'B', "test").expect("UTF-8");
        assert!(words.len() > 1);
        for word in &words[..words.len() - 1] {
            let payload = word.trim_start_matches("=?UTF-8?B?").trim_end_matches("?=");
            let decoded = BASE64.decode(payload).expect("valid base64");
            assert!(decoded.ends_with(b" "), "{words:?}");
        }
    }

    #[test]
    fn q_encoding_escapes_specials() {
        assert_eq!(q_encode("a b=?_".as_bytes()), "a_b=3D=3F=5F");
    }

    #[test]
    fn quoted_printable_breaks_long_lines_and_protects_trailing_space() {
        let encoded = quoted_printable(&[0xC0; 60]);
        assert!(encoded.lines().all(|line| line.len() <= MAX_BODY_LINE_LENGTH), "{encoded}");
        assert!(encoded.lines().next().is_some_and(|line| line.ends_with('=')));
        assert_eq!(quoted_printable(b"end \nx=1"), "end=20\nx=3D1");
    }

    #[test]
    fn rfc2231_splits_into_numbered_pieces() {
        let parameter = rfc2231_continuations("filename", "Сводка_платежей_2024.xlsx");
        assert!(parameter.starts_with("filename*0*=UTF-8''%D0%A1"), "{parameter}");
        assert!(parameter.contains("filename*1*="), "{parameter}");
        assert!(parameter.ends_with("_2024.xlsx"), "{parameter}");
    }

    #[test]
    fn unmappable_characters_are_refused() {
        assert!(encode_strictly("«кавычки»", encoding_rs::KOI8_R, "test").is_err());
        assert!(encode_strictly("«кавычки»", encoding_rs::WINDOWS_1251, "test").is_ok());
    }
}
