//! The Outlook item reader: one message (or contact, appointment, note) stored as an OLE2 compound file.
//!
//! The text reads like a printed e-mail, as the EML reader writes it: a From/To/Cc/Date/Subject block, a blank
//! line, then the body. The body is the plain-text property when there is one, else the HTML body rendered to
//! text, else the compressed RTF body. Attachments are handed to the sink; an attached Outlook item is copied into
//! a compound file of its own and handed over as `NAME.msg`, so that it is read (and searchable) as a message in
//! its own right rather than flattened into its parent's text.

use std::io::{Cursor, Read, Seek, Write};
use std::path::{Path, PathBuf};

use cfb::CompoundFile;
use dossier_document::{ChildKind, ChildMeta, Context, ExtractError, Extraction, Metadata, Source, TextBuilder};

use crate::lzfu;
use crate::properties::{
    Codepage, ObjectKind, PROPERTIES_STREAM, PT_BINARY, PT_STRING8, PT_UNICODE, Properties, decode_utf16le, display,
    read_bounded, read_string,
};

const FORMAT: &str = "application/vnd.ms-outlook";
/// Header fields are short; a "subject" of megabytes is hostile, not evidence worth holding twice.
const MAX_FIELD_BYTES: u64 = 1 << 20;
const NAMEID_STORAGE: &str = "__nameid_version1.0";

// Property ids (MS-OXPROPS).
const PR_MESSAGE_CLASS: u16 = 0x001A;
const PR_SUBJECT: u16 = 0x0037;
const PR_CLIENT_SUBMIT_TIME: u16 = 0x0039;
const PR_SENT_REPRESENTING_NAME: u16 = 0x0042;
const PR_SENT_REPRESENTING_EMAIL_ADDRESS: u16 = 0x0065;
const PR_TRANSPORT_MESSAGE_HEADERS: u16 = 0x007D;
const PR_SENDER_NAME: u16 = 0x0C1A;
const PR_SENDER_EMAIL_ADDRESS: u16 = 0x0C1F;
const PR_RECIPIENT_TYPE: u16 = 0x0C15;
const PR_DISPLAY_BCC: u16 = 0x0E02;
const PR_DISPLAY_CC: u16 = 0x0E03;
const PR_DISPLAY_TO: u16 = 0x0E04;
const PR_MESSAGE_DELIVERY_TIME: u16 = 0x0E06;
const PR_BODY: u16 = 0x1000;
const PR_RTF_COMPRESSED: u16 = 0x1009;
const PR_HTML: u16 = 0x1013;
const PR_INTERNET_MESSAGE_ID: u16 = 0x1035;
const PR_INTERNET_REFERENCES: u16 = 0x1039;
const PR_IN_REPLY_TO_ID: u16 = 0x1042;
const PR_DISPLAY_NAME: u16 = 0x3001;
const PR_EMAIL_ADDRESS: u16 = 0x3003;
const PR_CREATION_TIME: u16 = 0x3007;
const PR_LAST_MODIFICATION_TIME: u16 = 0x3008;
const PR_ATTACH_DATA: u16 = 0x3701;
const PR_ATTACH_FILENAME: u16 = 0x3704;
const PR_ATTACH_METHOD: u16 = 0x3705;
const PR_ATTACH_LONG_FILENAME: u16 = 0x3707;
const PR_SMTP_ADDRESS: u16 = 0x39FE;
const PR_INTERNET_CPID: u16 = 0x3FDE;
const PR_SENDER_SMTP_ADDRESS: u16 = 0x5D01;

const ATTACH_EMBEDDED_MESSAGE: u32 = 5;

/// Reads an Outlook `.msg` item.
pub fn read_msg(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    // A damaged compound file (a FAT longer than the file, a directory out of order) is read as far as it goes.
    let opened = dossier_compound::open_compound(src.path, FORMAT, ctx.limits)?;
    let (mut file, repairs) = (opened.compound, opened.diagnostics);
    // The compound-file library is not written for hostile input; a panic in it must cost this file, not the run.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read_message(&mut file, Path::new("/"), ObjectKind::TopMessage, ctx)
    }));
    match result {
        Ok(Ok(mut extraction)) => {
            extraction.diagnostics.splice(0..0, repairs);
            Ok(extraction)
        }
        Ok(Err(err)) => Err(err),
        Err(_) => Err(ExtractError::malformed(FORMAT, "compound file structure is inconsistent")),
    }
}

/// Reads the message stored at `storage` (the root, or an embedded message's storage).
fn read_message<F: Read + Seek>(
    file: &mut CompoundFile<F>,
    storage: &Path,
    kind: ObjectKind,
    ctx: &mut Context<'_>,
) -> Result<Extraction, ExtractError> {
    let mut diagnostics = Vec::new();
    let properties = Properties::load(file, storage, kind, &mut diagnostics)
        .map_err(|err| ExtractError::malformed(FORMAT, format!("storage unreadable: {err}")))?;
    if properties.streams.is_empty() && properties.fixed.is_empty() {
        return Err(ExtractError::malformed(FORMAT, "compound file holds no Outlook message properties"));
    }
    let codepage = Codepage::from_properties(&properties);
    let mut metadata = message_metadata(file, &properties, &codepage);
    read_recipients(file, &properties, &codepage, &mut metadata, &mut diagnostics);
    if let Some(label) = codepage.label {
        metadata.set("charset", label);
    }

    let mut text = TextBuilder::new(ctx.limits.max_text_bytes);
    write_header_block(&metadata, &mut text);
    let body = read_body(file, &properties, &codepage, ctx.limits.max_text_bytes, &mut diagnostics);
    if let Some(body) = body {
        text.push(body.trim_end());
        text.end_line();
    }
    hand_over_attachments(file, &properties, ctx, &mut diagnostics)?;

    let (text, cut_off) = text.finish();
    diagnostics.extend(cut_off);
    Ok(Extraction { text, metadata, diagnostics })
}

fn message_metadata<F: Read + Seek>(
    file: &mut CompoundFile<F>,
    properties: &Properties,
    codepage: &Codepage,
) -> Metadata {
    let mut metadata = Metadata::default();
    let string = |file: &mut CompoundFile<F>, id: u16| read_string(file, properties, id, codepage, MAX_FIELD_BYTES);

    if let Some(subject) = string(file, PR_SUBJECT) {
        metadata.set("subject", collapse_whitespace(&subject));
    }
    let sender_name = string(file, PR_SENDER_NAME).or_else(|| string(file, PR_SENT_REPRESENTING_NAME));
    // Exchange-internal senders carry an X.500 path ("/O=ORG/OU=..."), not an address; prefer any SMTP form.
    let sender_address = [PR_SENDER_SMTP_ADDRESS, PR_SENDER_EMAIL_ADDRESS, PR_SENT_REPRESENTING_EMAIL_ADDRESS]
        .into_iter()
        .filter_map(|id| string(file, id))
        .find(|address| address.contains('@'));
    if let Some(from) = format_address(sender_name.as_deref(), sender_address.as_deref()) {
        metadata.set("from", from);
    }
    let date = properties.time(PR_CLIENT_SUBMIT_TIME).or_else(|| properties.time(PR_MESSAGE_DELIVERY_TIME));
    if let Some(date) = date.and_then(filetime_to_iso_8601) {
        metadata.set("date", date);
    }
    for (key, id) in [("created", PR_CREATION_TIME), ("modified", PR_LAST_MODIFICATION_TIME)] {
        if let Some(time) = properties.time(id).and_then(filetime_to_iso_8601) {
            metadata.set(key, time);
        }
    }
    for (key, id) in [("message_id", PR_INTERNET_MESSAGE_ID), ("in_reply_to", PR_IN_REPLY_TO_ID)] {
        if let Some(value) = string(file, id) {
            metadata.set(key, value.trim());
        }
    }
    if let Some(references) = string(file, PR_INTERNET_REFERENCES) {
        for reference in references.split_whitespace() {
            metadata.push("references", reference);
        }
    }
    if let Some(class) = string(file, PR_MESSAGE_CLASS) {
        metadata.set("message_class", class);
    }
    if let Some(headers) = string(file, PR_TRANSPORT_MESSAGE_HEADERS) {
        transport_header_metadata(&headers, &mut metadata);
    }
    metadata
}

/// Received chain (newest hop first, raw, as the EML reader keeps it), and header fields MAPI may lack.
fn transport_header_metadata(headers: &str, metadata: &mut Metadata) {
    for (name, value) in unfold_headers(headers) {
        let value = collapse_whitespace(&value);
        match name.to_ascii_lowercase().as_str() {
            "received" => metadata.push("received", value),
            "message-id" if metadata.get("message_id").is_none() => metadata.set("message_id", value),
            "in-reply-to" if metadata.get("in_reply_to").is_none() => metadata.set("in_reply_to", value),
            "x-mailer" => metadata.set("x_mailer", value),
            "user-agent" => metadata.set("user_agent", value),
            "dkim-signature" => metadata.set("dkim_signed", "yes"),
            _ => {}
        }
    }
}

/// Header fields as (name, unfolded value), stopping at the first blank line.
fn unfold_headers(headers: &str) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in headers.lines() {
        if line.trim().is_empty() {
            if fields.is_empty() {
                continue;
            }
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = fields.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            fields.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
    fields
}

fn read_recipients<F: Read + Seek>(
    file: &mut CompoundFile<F>,
    properties: &Properties,
    codepage: &Codepage,
    metadata: &mut Metadata,
    diagnostics: &mut Vec<String>,
) {
    let mut storages: Vec<&String> =
        properties.substorages.iter().filter(|name| name.starts_with("__recip_version1.0_#")).collect();
    storages.sort();
    let mut found_any = false;
    for name in storages {
        let path = properties.storage.join(name);
        let recipient = match Properties::load(file, &path, ObjectKind::RecipientOrAttachment, diagnostics) {
            Ok(recipient) => recipient,
            Err(err) => {
                diagnostics.push(format!("recipient {} unreadable: {err}", display(&path)));
                continue;
            }
        };
        let string = |file: &mut CompoundFile<F>, id: u16| read_string(file, &recipient, id, codepage, MAX_FIELD_BYTES);
        let display_name = string(file, PR_DISPLAY_NAME);
        let address = [PR_SMTP_ADDRESS, PR_EMAIL_ADDRESS]
            .into_iter()
            .filter_map(|id| string(file, id))
            .find(|address| address.contains('@'));
        let key = match recipient.long(PR_RECIPIENT_TYPE).map(|kind| kind & 0x0F) {
            Some(2) => "cc",
            Some(3) => "bcc",
            _ => "to",
        };
        if let Some(formatted) = format_address(display_name.as_deref(), address.as_deref()) {
            metadata.push(key, formatted);
            found_any = true;
        }
    }
    if found_any {
        return;
    }
    // No recipient storages (drafts, some exports): the display strings are all there is.
    for (key, id) in [("to", PR_DISPLAY_TO), ("cc", PR_DISPLAY_CC), ("bcc", PR_DISPLAY_BCC)] {
        if let Some(list) = read_string(file, properties, id, codepage, MAX_FIELD_BYTES) {
            for name in list.split(';') {
                metadata.push(key, collapse_whitespace(name));
            }
        }
    }
}

fn format_address(name: Option<&str>, address: Option<&str>) -> Option<String> {
    let name = name.map(collapse_whitespace).filter(|name| !name.is_empty());
    let address = address.map(|address| address.trim().trim_matches(['<', '>', '\'']).to_string());
    match (name, address) {
        (Some(name), Some(address)) if name != address && !name.trim_matches('\'').eq(&address) => {
            Some(format!("{name} <{address}>"))
        }
        (_, Some(address)) => Some(address),
        (Some(name), None) => Some(name),
        (None, None) => None,
    }
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The lines a reader of a printed e-mail sees first (the same block as the EML reader's).
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

/// The body as text: plain, else HTML, else compressed RTF. Damage is a diagnostic, never a failure.
fn read_body<F: Read + Seek>(
    file: &mut CompoundFile<F>,
    properties: &Properties,
    codepage: &Codepage,
    max_text_bytes: usize,
    diagnostics: &mut Vec<String>,
) -> Option<String> {
    // Bodies may legitimately be large, but a body far beyond the text limit is cut rather than loaded whole.
    let max_body_bytes = (max_text_bytes as u64).saturating_mul(4).max(1 << 20);

    if let Some((property_type, path)) = properties.stream_of(PR_BODY, &[PT_UNICODE, PT_STRING8]) {
        match read_prefix(file, path, max_body_bytes) {
            Ok((bytes, cut)) => {
                if cut {
                    diagnostics.push(format!("plain-text body cut at {max_body_bytes} bytes"));
                }
                let body = if property_type == PT_UNICODE { decode_utf16le(&bytes) } else { codepage.decode(&bytes) };
                let body = body.trim_end_matches('\0').replace("\r\n", "\n");
                if !body.trim().is_empty() {
                    return Some(body);
                }
            }
            Err(err) => diagnostics.push(format!("plain-text body unreadable: {err}")),
        }
    }

    if let Some((property_type, path)) = properties.stream_of(PR_HTML, &[PT_BINARY, PT_UNICODE, PT_STRING8]) {
        match read_prefix(file, path, max_body_bytes) {
            Ok((bytes, cut)) => {
                if cut {
                    diagnostics.push(format!("HTML body cut at {max_body_bytes} bytes"));
                }
                let html = if property_type == PT_UNICODE {
                    decode_utf16le(&bytes)
                } else {
                    // The HTML body's bytes are in the Internet codepage, not the message codepage.
                    let declared = properties.long(PR_INTERNET_CPID).and_then(crate::properties::codepage_label);
                    dossier_text::decode(&bytes, declared.or(codepage.label)).text
                };
                let body = dossier_text::html_to_text(&html);
                if !body.trim().is_empty() {
                    return Some(body);
                }
            }
            Err(err) => diagnostics.push(format!("HTML body unreadable: {err}")),
        }
    }

    if let Some((_, path)) = properties.stream_of(PR_RTF_COMPRESSED, &[PT_BINARY]) {
        match read_prefix(file, path, max_body_bytes) {
            Ok((bytes, _)) => match lzfu::decompress(&bytes, usize::try_from(max_body_bytes).unwrap_or(usize::MAX)) {
                Ok(decompressed) => {
                    diagnostics.extend(decompressed.problems);
                    let body = rtf_body(&decompressed.rtf, max_text_bytes, diagnostics);
                    if !body.trim().is_empty() {
                        return Some(body);
                    }
                }
                Err(err) => diagnostics.push(format!("RTF body unreadable: {err}")),
            },
            Err(err) => diagnostics.push(format!("RTF body unreadable: {err}")),
        }
    }
    None
}

/// The text of an RTF body. RTF that merely wraps an HTML body (`\fromhtml1`) is unwrapped and read as HTML,
/// which keeps the sender's line structure better than reading the wrapper.
fn rtf_body(rtf: &[u8], max_text_bytes: usize, diagnostics: &mut Vec<String>) -> String {
    if contains(rtf, b"\\fromhtml1")
        && let Some(html) = crate::rtf_html::deencapsulate_html(rtf)
    {
        return dossier_text::html_to_text(&html);
    }
    let read = dossier_rtf::rtf_to_text(rtf, max_text_bytes);
    diagnostics.extend(read.diagnostics.into_iter().map(|diagnostic| format!("RTF body: {diagnostic}")));
    read.text.replace("\r\n", "\n")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle)
}

/// The first `max_bytes` of a stream, and whether it was longer.
fn read_prefix<F: Read + Seek>(
    file: &mut CompoundFile<F>,
    path: &Path,
    max_bytes: u64,
) -> std::io::Result<(Vec<u8>, bool)> {
    let stream = file.open_stream(path)?;
    let len = stream.len();
    let mut bytes = Vec::with_capacity(len.min(max_bytes) as usize);
    stream.take(max_bytes).read_to_end(&mut bytes)?;
    Ok((bytes, len > max_bytes))
}

fn hand_over_attachments<F: Read + Seek>(
    file: &mut CompoundFile<F>,
    properties: &Properties,
    ctx: &mut Context<'_>,
    diagnostics: &mut Vec<String>,
) -> Result<(), ExtractError> {
    let mut storages: Vec<&String> =
        properties.substorages.iter().filter(|name| name.starts_with("__attach_version1.0_#")).collect();
    storages.sort();
    for (index, name) in storages.into_iter().enumerate() {
        let path = properties.storage.join(name);
        let attachment = match Properties::load(file, &path, ObjectKind::RecipientOrAttachment, diagnostics) {
            Ok(attachment) => attachment,
            Err(err) => {
                diagnostics.push(format!("attachment {} unreadable: {err}", index + 1));
                continue;
            }
        };
        // Attachment names are stored in the message codepage too (Outlook writes them as PT_STRING8 when the
        // message is not Unicode).
        let codepage = Codepage::from_properties(properties);
        let string =
            |file: &mut CompoundFile<F>, id: u16| read_string(file, &attachment, id, &codepage, MAX_FIELD_BYTES);
        let file_name = string(file, PR_ATTACH_LONG_FILENAME)
            .or_else(|| string(file, PR_ATTACH_FILENAME))
            .map(|name| name.trim().to_string());
        let display_name = string(file, PR_DISPLAY_NAME).map(|name| name.trim().to_string());
        let modified = attachment.time(PR_LAST_MODIFICATION_TIME).and_then(filetime_to_iso_8601);

        let outcome = if let Some(object) = attachment.storage_of(PR_ATTACH_DATA) {
            let is_message = attachment.long(PR_ATTACH_METHOD) == Some(ATTACH_EMBEDDED_MESSAGE)
                || file.is_stream(object.join(PROPERTIES_STREAM));
            let base = file_name.or(display_name).unwrap_or_else(|| format!("attachment {}", index + 1));
            let child_name =
                if is_message && !base.to_ascii_lowercase().ends_with(".msg") { format!("{base}.msg") } else { base };
            match copy_storage(file, object, is_message, ctx.limits.max_in_memory_bytes) {
                Ok(bytes) => {
                    let meta = ChildMeta { name: child_name.clone(), kind: ChildKind::Attachment, modified };
                    ctx.sink.add(meta, &mut bytes.as_slice()).map_err(|err| (child_name, err))
                }
                Err(err) => {
                    diagnostics.push(format!("attachment {child_name} could not be copied out: {err}"));
                    continue;
                }
            }
        } else if let Some((_, data)) = attachment.stream_of(PR_ATTACH_DATA, &[PT_BINARY]) {
            let child_name = file_name.or(display_name).unwrap_or_else(|| format!("attachment {}", index + 1));
            match file.open_stream(data) {
                Ok(mut stream) => {
                    let meta = ChildMeta { name: child_name.clone(), kind: ChildKind::Attachment, modified };
                    ctx.sink.add(meta, &mut stream).map_err(|err| (child_name, err))
                }
                Err(err) => {
                    diagnostics.push(format!("attachment {child_name} unreadable: {err}"));
                    continue;
                }
            }
        } else {
            // Attachments by reference (a path or URL) carry no bytes; nothing to hand over.
            continue;
        };
        match outcome {
            Ok(()) => {}
            Err((_, err @ ExtractError::LimitExceeded(_))) => return Err(err),
            Err((child_name, err)) => diagnostics.push(format!("attachment {child_name} not kept: {err}")),
        }
    }
    Ok(())
}

/// Copies the storage at `source` into a new in-memory compound file. For an embedded message the result is a
/// standalone `.msg`: its property stream gets the top-level header (8 bytes longer than an embedded one) and the
/// named-property map, which Outlook keeps only at the root, is copied along.
fn copy_storage<F: Read + Seek>(
    file: &mut CompoundFile<F>,
    source: &Path,
    is_message: bool,
    max_bytes: u64,
) -> std::io::Result<Vec<u8>> {
    let mut entries: Vec<(PathBuf, PathBuf, bool)> = file
        .walk_storage(source)?
        .filter_map(|entry| {
            let relative = entry.path().strip_prefix(source).ok()?.to_path_buf();
            (!relative.as_os_str().is_empty()).then(|| (entry.path().to_path_buf(), relative, entry.is_stream()))
        })
        .collect();
    if is_message
        && !file.is_storage(source.join(NAMEID_STORAGE))
        && file.is_storage(Path::new("/").join(NAMEID_STORAGE))
    {
        let root_nameid = Path::new("/").join(NAMEID_STORAGE);
        entries.extend(file.walk_storage(&root_nameid)?.filter_map(|entry| {
            let relative = entry.path().strip_prefix("/").ok()?.to_path_buf();
            Some((entry.path().to_path_buf(), relative, entry.is_stream()))
        }));
    }
    let mut copy = CompoundFile::create(Cursor::new(Vec::new()))?;
    let mut budget = max_bytes;
    for (from, relative, is_stream) in entries {
        let target = Path::new("/").join(&relative);
        if !is_stream {
            copy.create_storage_all(&target)?;
            continue;
        }
        if let Some(parent) = target.parent()
            && parent != Path::new("/")
        {
            copy.create_storage_all(parent)?;
        }
        let mut bytes = read_bounded(file, &from, budget)?;
        budget -= bytes.len() as u64;
        if is_message && relative == Path::new(PROPERTIES_STREAM) && bytes.len() >= 24 {
            bytes.splice(24..24, [0u8; 8]);
        }
        let mut stream = copy.create_stream(&target)?;
        stream.write_all(&bytes)?;
    }
    copy.flush()?;
    let mut bytes = copy.into_inner().into_inner();
    // The child must be the same bytes on every run, and `cfb` stamps the storages it creates with the clock.
    dossier_document::clear_compound_storage_times(&mut bytes);
    Ok(bytes)
}

/// A FILETIME (100-nanosecond ticks since 1601-01-01 UTC) as ISO 8601 with an explicit offset.
pub fn filetime_to_iso_8601(filetime: u64) -> Option<String> {
    const TICKS_PER_SECOND: u64 = 10_000_000;
    const SECONDS_1601_TO_1970: i64 = 11_644_473_600;
    let seconds = (filetime / TICKS_PER_SECOND) as i64 - SECONDS_1601_TO_1970;
    let days = seconds.div_euclid(86_400);
    let second_of_day = seconds.rem_euclid(86_400);
    let (year, month, day) = dossier_document::civil_from_days(days);
    // Outlook writes 4501-01-01 ("never") and zeros for unset times; neither is a date worth showing.
    if !(1980..=2200).contains(&year) {
        return None;
    }
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}+00:00",
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filetimes_become_utc_dates() {
        // 2024-03-05 14:30:00 UTC is Unix time 1709649000.
        let filetime = (1_709_649_000 + 11_644_473_600) * 10_000_000;
        assert_eq!(filetime_to_iso_8601(filetime).as_deref(), Some("2024-03-05T14:30:00+00:00"));
        assert_eq!(
            filetime_to_iso_8601(filetime + 86_400 * 366 * 10_000_000).as_deref(),
            Some("2025-03-06T14:30:00+00:00")
        );
        assert_eq!(filetime_to_iso_8601(0), None);
        assert_eq!(filetime_to_iso_8601(u64::MAX), None);
    }

    #[test]
    fn folded_received_headers_are_unfolded() {
        let headers = "Received: from a.example\r\n\tby b.example; Mon, 1 Jan 2024\r\nReceived: from c\r\nX-Mailer: Test\r\n\r\nbody: no";
        let mut metadata = Metadata::default();
        transport_header_metadata(headers, &mut metadata);
        assert_eq!(
            metadata.get_str("received").as_deref(),
            Some("from a.example by b.example; Mon, 1 Jan 2024; from c")
        );
        assert_eq!(metadata.get_str("x_mailer").as_deref(), Some("Test"));
        assert_eq!(metadata.get("body"), None);
    }

    #[test]
    fn addresses_read_like_the_eml_reader() {
        assert_eq!(format_address(Some("Ann"), Some("ann@example.org")).as_deref(), Some("Ann <ann@example.org>"));
        assert_eq!(
            format_address(Some("'ann@example.org'"), Some("ann@example.org")).as_deref(),
            Some("ann@example.org")
        );
        assert_eq!(format_address(None, None), None);
    }
}
