//! Format detection by content: magic numbers, container listings and text heuristics. File names are never trusted.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use dossier_document::Format;

/// How many leading bytes detection looks at.
const HEAD_LEN: usize = 8 * 1024;

/// Detects the format of the file at `path`.
pub fn detect_file(path: &Path) -> std::io::Result<Format> {
    let mut file = File::open(path)?;
    let mut head = Vec::with_capacity(HEAD_LEN);
    (&mut file).take(HEAD_LEN as u64).read_to_end(&mut head)?;
    Ok(match detect_magic(&head) {
        Some(Format::Zip) => classify_zip(&mut file, &head),
        Some(Format::Ole) => classify_ole(path),
        Some(format) => format,
        // Mail first: a message is headers then anything, including raw binary parts.
        None => match classify_mail(&head) {
            Some(format) => format,
            None if looks_like_text(&head) => classify_text(&head),
            // Browsers and Tika take a page that opens with its <html> tag as HTML even with stray binary bytes inside.
            None if opens_with_html_tag(&head) => Format::Html,
            // A web archive of text records is read as text above; one holding binary payloads is named.
            None if head.starts_with(b"WARC/") => Format::Warc,
            None if is_old_tar_header(&head) => Format::Tar,
            None if dossier_records::looks_like_dbf(&head, file.metadata()?.len()) => Format::Dbf,
            None => Format::Binary,
        },
    })
}

/// Formats recognisable from their first bytes alone.
fn detect_magic(head: &[u8]) -> Option<Format> {
    const MAGIC: &[(&[u8], Format)] = &[
        (b"PK\x03\x04", Format::Zip),
        (b"PK\x05\x06", Format::Zip),
        (b"PK\x07\x08", Format::Zip),
        (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", Format::Ole),
        (b"7z\xBC\xAF\x27\x1C", Format::SevenZip),
        (b"\x1F\x8B", Format::Gzip),
        (b"BZh", Format::Bzip2),
        (b"\xFD7zXZ\x00", Format::Xz),
        (b"Rar!\x1A\x07", Format::Rar),
        (b"!BDN", Format::Pst),
        (b"{\\rtf", Format::Rtf),
        (b"\xFF\xD8\xFF", Format::Jpeg),
        // Excel 3 and 4 saved their workbook as a bare BIFF stream, without an OLE2 container.
        (b"\x09\x02\x06\x00", Format::Xls),
        (b"\x09\x04\x06\x00", Format::Xls),
        (b"\x89PNG\r\n\x1A\n", Format::Png),
        (b"GIF87a", Format::Gif),
        (b"GIF89a", Format::Gif),
        (b"II*\x00", Format::Tiff),
        (b"MM\x00*", Format::Tiff),
        (b"\x00\x00\x00\x0CjP  \r\n\x87\n", Format::Jpeg2000),
        (b"\xFF\x4F\xFF\x51", Format::Jpeg2000),
        (b"\xFFWPC", Format::WordPerfect),
        (b"AT&TFORM", Format::Djvu),
        (b"\x00\x01\x00\x00Standard Jet DB", Format::Access),
        (b"\x00\x01\x00\x00Standard ACE DB", Format::Access),
        // ID3v2.2-2.4 tags open with a version byte and a zero revision: text that starts with "ID3" is not one.
        (b"ID3\x02\x00", Format::Mp3),
        (b"ID3\x03\x00", Format::Mp3),
        (b"ID3\x04\x00", Format::Mp3),
        (b"OggS\x00", Format::Ogg),
        (b"fLaC", Format::Flac),
        (b"#!AMR", Format::Amr),
        (b"\x00\x05\x16\x07", Format::AppleDouble),
    ];
    if let Some(&(_, format)) = MAGIC.iter().find(|(magic, _)| head.starts_with(magic)) {
        return Some(format);
    }
    // PDF readers accept the header anywhere in the first kilobyte; so do leaks.
    if find(&head[..head.len().min(1024)], b"%PDF-").is_some() {
        return Some(Format::Pdf);
    }
    if head.len() >= 12 && &head[..4] == b"RIFF" {
        match &head[8..12] {
            b"WEBP" => return Some(Format::Webp),
            b"WAVE" => return Some(Format::Wav),
            b"AVI " => return Some(Format::Avi),
            _ => {}
        }
    }
    // A bare MPEG audio frame header: sync bits, MPEG-1 layer III, a bitrate index and a sample rate that exist.
    if head.len() >= 4
        && head[0] == 0xFF
        && matches!(head[1], 0xFB | 0xFA)
        && head[2] >> 4 != 0xF
        && (head[2] >> 2) & 3 != 3
    {
        return Some(Format::Mp3);
    }
    if head.len() > 262 && &head[257..262] == b"ustar" {
        return Some(Format::Tar);
    }
    if head.len() >= 12 && &head[4..8] == b"ftyp" {
        return Some(Format::Mp4);
    }
    if is_pkcs7(head) || dossier_archive::looks_like_pkcs7(head) {
        return Some(Format::Pkcs7);
    }
    // EMF: an EMR_HEADER record (type 1) whose signature at 40 is " EMF". WMF: the 22-byte "placeable" header
    // of files on disk, or a bare header: type 1 or 2, a header of 9 words, version 1.0 or 3.0.
    if head.len() >= 44 && head[..4] == [1, 0, 0, 0] && &head[40..44] == b" EMF" {
        return Some(Format::Emf);
    }
    if head.starts_with(b"\xD7\xCD\xC6\x9A")
        || (head.len() >= 18
            && matches!(head[0..2], [1, 0] | [2, 0])
            && head[2..4] == [9, 0]
            && matches!(head[4..6], [0, 1] | [0, 3]))
    {
        return Some(Format::Wmf);
    }
    // BMP: "BM", then the declared file size and reserved zeros; "BM" alone is too common in text.
    if head.len() >= 26 && head.starts_with(b"BM") && head[6..10] == [0, 0, 0, 0] {
        return Some(Format::Bmp);
    }
    None
}

/// Tells Office Open XML, OpenDocument and EPUB packages from plain ZIP archives by their member names.
fn classify_zip(file: &mut File, head: &[u8]) -> Format {
    // OpenDocument and EPUB store an uncompressed "mimetype" member first, so its content is in the head.
    if head.len() > 38 && &head[30..38] == b"mimetype" {
        let rest = &head[38..head.len().min(38 + 80)];
        for (mime, format) in [
            (&b"application/vnd.oasis.opendocument.text"[..], Format::Odt),
            (b"application/vnd.oasis.opendocument.spreadsheet", Format::Ods),
            (b"application/vnd.oasis.opendocument.presentation", Format::Odp),
            (b"application/epub+zip", Format::Epub),
        ] {
            if rest.starts_with(mime) {
                return format;
            }
        }
    }
    let names = zip_member_names(file).unwrap_or_default();
    let has = |name: &str| names.iter().any(|n| n == name);
    if has("word/document.xml") {
        Format::Docx
    } else if has("xl/workbook.xml") {
        Format::Xlsx
    } else if has("xl/workbook.bin") {
        Format::Xlsb
    } else if has("ppt/presentation.xml") {
        Format::Pptx
    } else if has("content.xml") && has("META-INF/manifest.xml") {
        // An OpenDocument package whose mimetype member is missing or not first: look at the manifest's root entry.
        Format::Odt
    } else {
        Format::Zip
    }
}

/// The member names in a ZIP's central directory (up to a bound), or `None` if there is no readable directory.
fn zip_member_names(file: &mut File) -> Option<Vec<String>> {
    const MAX_NAMES: usize = 10_000;
    let len = file.seek(SeekFrom::End(0)).ok()?;
    // The end-of-central-directory record is 22 bytes plus a comment of at most 65535 bytes.
    let tail_len = len.min(22 + 65_535);
    file.seek(SeekFrom::Start(len - tail_len)).ok()?;
    let mut tail = vec![0u8; tail_len as usize];
    file.read_exact(&mut tail).ok()?;
    let eocd = (0..tail.len().saturating_sub(21)).rev().find(|&i| tail[i..].starts_with(b"PK\x05\x06"))?;
    let record = &tail[eocd..];
    let cd_size = u32::from_le_bytes(record[12..16].try_into().ok()?) as u64;
    let cd_offset = u32::from_le_bytes(record[16..20].try_into().ok()?) as u64;
    if cd_offset.checked_add(cd_size)? > len || cd_size > 64 << 20 {
        return None;
    }
    file.seek(SeekFrom::Start(cd_offset)).ok()?;
    let mut directory = vec![0u8; cd_size as usize];
    file.read_exact(&mut directory).ok()?;
    let mut names = Vec::new();
    let mut pos = 0usize;
    while pos + 46 <= directory.len() && directory[pos..].starts_with(b"PK\x01\x02") && names.len() < MAX_NAMES {
        let field = |at: usize| u16::from_le_bytes([directory[pos + at], directory[pos + at + 1]]) as usize;
        let (name_len, extra_len, comment_len) = (field(28), field(30), field(32));
        let name = directory.get(pos + 46..pos + 46 + name_len)?;
        names.push(String::from_utf8_lossy(name).into_owned());
        pos += 46 + name_len + extra_len + comment_len;
    }
    Some(names)
}

/// Names the kind of OLE2 compound file by its streams.
fn classify_ole(path: &Path) -> Format {
    let mut works_chunks = false;
    let names: Vec<String> = match cfb::open(path) {
        Ok(mut compound) => {
            // Works 5+ keeps its document in a CONTENTS stream of chunks; other classes use that name too.
            let mut head = [0u8; 4];
            works_chunks = compound
                .open_stream("/CONTENTS")
                .is_ok_and(|mut stream| stream.read_exact(&mut head).is_ok() && &head == b"CHNK");
            compound.read_root_storage().map(|entry| entry.name().to_string()).collect()
        }
        // Some writers produce allocation tables the cfb crate refuses although the readers cope: look for the
        // directory entries' UTF-16 names in the raw bytes instead.
        Err(_) => stream_names_in_raw_bytes(path),
    };
    let has = |name: &str| names.iter().any(|n| n.eq_ignore_ascii_case(name));
    if has("EncryptionInfo") && has("EncryptedPackage") {
        Format::EncryptedOoxml
    } else if has("WordDocument") {
        Format::Doc
    } else if has("Workbook") || has("Book") {
        Format::Xls
    } else if has("PowerPoint Document") {
        Format::Ppt
    } else if names.iter().any(|n| n.starts_with("__substg1.0_")) {
        Format::Msg
    } else if works_chunks || (has("MN0") && has("MatOST")) {
        Format::Works
    } else {
        Format::Ole
    }
}

/// The well-known stream names found as UTF-16LE directory entries in the first 16 MiB of an OLE2 file.
fn stream_names_in_raw_bytes(path: &Path) -> Vec<String> {
    const KNOWN: &[&str] = &[
        "WordDocument",
        "Workbook",
        "Book",
        "PowerPoint Document",
        "__substg1.0_",
        "EncryptionInfo",
        "EncryptedPackage",
    ];
    let mut bytes = Vec::new();
    let Ok(file) = File::open(path) else { return Vec::new() };
    if file.take(16 << 20).read_to_end(&mut bytes).is_err() {
        return Vec::new();
    }
    // Stream names are compared without regard to case, as OLE2 itself does.
    bytes.make_ascii_lowercase();
    KNOWN
        .iter()
        .filter(|name| {
            let needle: Vec<u8> = name.to_ascii_lowercase().encode_utf16().flat_map(u16::to_le_bytes).collect();
            find(&bytes, &needle).is_some()
        })
        .map(|name| name.to_string())
        .collect()
}

/// True when the head looks like text in some encoding: no NUL bytes (except in UTF-16) and few control characters.
fn looks_like_text(head: &[u8]) -> bool {
    if head.is_empty() {
        return false;
    }
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return true;
    }
    if looks_like_bomless_utf16(head) {
        return true;
    }
    let controls = head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C | 0x1B)).count();
    !head.contains(&0) && controls * 100 <= head.len()
}

/// UTF-16 without a byte-order mark: in Latin or Cyrillic text the high byte of every pair is mostly 0x00 or 0x04
/// while the low byte is mostly not zero (a run of zeros is not text in any encoding).
fn looks_like_bomless_utf16(head: &[u8]) -> bool {
    let pairs = head.len() / 2;
    if pairs < 8 {
        return false;
    }
    let count = |offset: usize, f: &dyn Fn(u8) -> bool| head.iter().skip(offset).step_by(2).filter(|&&b| f(b)).count();
    let mostly = |n: usize| n * 10 >= pairs * 7;
    let rarely = |n: usize| n * 20 <= pairs;
    let is_high = |b: u8| b == 0 || b == 4;
    let is_zero = |b: u8| b == 0;
    let little_endian = mostly(count(1, &is_high)) && rarely(count(0, &is_zero)) && count(1, &is_zero) > 0;
    let big_endian = mostly(count(0, &is_high)) && rarely(count(1, &is_zero)) && count(0, &is_zero) > 0;
    little_endian || big_endian
}

/// Sorts text into e-mail, mailbox, HTML, XML or plain text.
fn classify_text(head: &[u8]) -> Format {
    let start = skip_bom_and_space(head);
    let lower: Vec<u8> = head[start..head.len().min(start + 2048)].to_ascii_lowercase();
    if lower.starts_with(b"begin:vcalendar") {
        return Format::Ics;
    }
    if lower.starts_with(b"begin:vcard") {
        return Format::Vcf;
    }
    let html_markers: &[&[u8]] = &[b"<!doctype html", b"<html", b"<head", b"<body", b"<title", b"<meta "];
    if html_markers.iter().any(|marker| lower.starts_with(marker)) {
        return Format::Html;
    }
    if lower.starts_with(b"<?xml") || lower.starts_with(b"<!--") {
        // XHTML is HTML; other XML is XML.
        if find(&lower, b"<html").is_some() {
            return Format::Html;
        }
        if find(&lower, b"<fictionbook").is_some() {
            return Format::Fb2;
        }
        return Format::Xml;
    }
    if lower.starts_with(b"<") && html_markers.iter().any(|marker| find(&lower, marker).is_some()) {
        return Format::Html;
    }
    if looks_like_json(&head[start..]) {
        return Format::Json;
    }
    match delimiter_of_table(&head[start..]) {
        Some(b'\t') => Format::Tsv,
        Some(_) => Format::Csv,
        None => Format::Text,
    }
}

/// An object or array opening as JSON does: `{` then a key or `}`, or `[` then a value or `]`.
fn looks_like_json(text: &[u8]) -> bool {
    let mut bytes = text.iter().copied().filter(|b| !b.is_ascii_whitespace());
    match (bytes.next(), bytes.next()) {
        (Some(b'{'), Some(b'"' | b'}')) => true,
        (Some(b'['), Some(next)) => matches!(next, b'{' | b'[' | b'"' | b']' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n'),
        _ => false,
    }
}

/// The delimiter of a delimited table (tab, semicolon or comma), if every one of at least three sampled lines has
/// the same non-zero number of it outside quotes. Prose with commas rarely keeps the count from line to line.
fn delimiter_of_table(text: &[u8]) -> Option<u8> {
    // The last line of the head may be cut off: leave it out.
    let end = text.iter().rposition(|&b| b == b'\n')?;
    let lines: Vec<&[u8]> = text[..end]
        .split(|&b| b == b'\n')
        .map(|line| line.strip_suffix(b"\r").unwrap_or(line))
        .filter(|line| !line.is_empty())
        .take(50)
        .collect();
    if lines.len() < 3 {
        return None;
    }
    let count = |line: &[u8], delimiter: u8| {
        let mut in_quotes = false;
        line.iter()
            .filter(|&&b| {
                if b == b'"' {
                    in_quotes = !in_quotes;
                }
                b == delimiter && !in_quotes
            })
            .count()
    };
    [b'\t', b';', b','].into_iter().find(|&delimiter| {
        let first = count(lines[0], delimiter);
        first > 0 && lines.iter().all(|line| count(line, delimiter) == first)
    })
}

/// An mbox (a "From " separator line, then headers) or a single message (headers).
fn classify_mail(head: &[u8]) -> Option<Format> {
    let start = skip_bom_and_space(head);
    let text = &head[start..];
    if text.starts_with(b"From ") && looks_like_mail_headers(after_first_line(text)) {
        return Some(Format::Mbox);
    }
    looks_like_mail_headers(text).then_some(Format::Eml)
}

/// True when `text` opens with RFC 5322 header lines, including at least two that only e-mails have.
fn looks_like_mail_headers(text: &[u8]) -> bool {
    const MAIL_HEADERS: &[&str] = &[
        "from",
        "to",
        "cc",
        "subject",
        "date",
        "received",
        "message-id",
        "mime-version",
        "return-path",
        "delivered-to",
        "reply-to",
        "content-type",
        "x-mailer",
        "in-reply-to",
        "references",
        "sender",
    ];
    let mut known = 0;
    let mut lines = 0;
    for line in mail_lines(text).take(200) {
        if line.is_empty() {
            break;
        }
        lines += 1;
        if line[0] == b' ' || line[0] == b'\t' {
            continue; // a folded continuation of the previous header
        }
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            return false;
        };
        let name = &line[..colon];
        if name.is_empty() || !name.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
            return false;
        }
        let name = String::from_utf8_lossy(name).to_ascii_lowercase();
        if MAIL_HEADERS.contains(&name.as_str()) {
            known += 1;
        }
    }
    // A bare MIME entity (only a multipart Content-Type, as in test suites and extracted parts) is mail too.
    let mime_entity = {
        let lower = text[..text.len().min(200)].to_ascii_lowercase();
        lower.starts_with(b"content-type: multipart/") || lower.starts_with(b"content-type: message/")
    };
    lines > 0 && (known >= 2 || mime_entity)
}

/// A DER or BER `ContentInfo` (PKCS#7 / CMS): a SEQUENCE whose first element is the OID 1.2.840.113549.1.7.x.
fn is_pkcs7(head: &[u8]) -> bool {
    const PKCS7_OID_PREFIX: &[u8] = b"\x06\x09\x2A\x86\x48\x86\xF7\x0D\x01\x07";
    if head.first() != Some(&0x30) || head.len() < 2 {
        return false;
    }
    // The SEQUENCE's length: indefinite (0x80), short (< 0x80), or 1 to 4 length bytes.
    let length_bytes = match head[1] {
        0x80 => 0,
        short if short < 0x80 => 0,
        long => usize::from(long & 0x7F),
    };
    if length_bytes > 4 {
        return false;
    }
    let oid_at = 2 + length_bytes;
    head.get(oid_at..oid_at + PKCS7_OID_PREFIX.len()) == Some(PKCS7_OID_PREFIX)
}

/// A pre-POSIX tar header (no "ustar" magic): a plausible name and a header checksum that adds up.
fn is_old_tar_header(head: &[u8]) -> bool {
    let Some(header) = head.get(..512) else { return false };
    let name = &header[..100];
    let name_len = name.iter().position(|&b| b == 0).unwrap_or(100);
    if name_len == 0 || name[..name_len].iter().any(|&b| b < 0x20) {
        return false;
    }
    let Some(declared) = parse_octal(&header[148..156]) else { return false };
    // The checksum counts its own field as eight spaces.
    let sum: u64 =
        header.iter().enumerate().map(|(i, &b)| if (148..156).contains(&i) { 32 } else { u64::from(b) }).sum();
    declared == sum
}

fn parse_octal(field: &[u8]) -> Option<u64> {
    let text = field.iter().copied().skip_while(|&b| b == b' ').take_while(|&b| (b'0'..=b'7').contains(&b));
    let mut value = 0u64;
    let mut digits = 0;
    for digit in text {
        value = value * 8 + u64::from(digit - b'0');
        digits += 1;
    }
    (digits > 0).then_some(value)
}

fn after_first_line(text: &[u8]) -> &[u8] {
    match text.iter().position(|&b| b == b'\n' || b == b'\r') {
        Some(i) if text[i] == b'\r' && text.get(i + 1) == Some(&b'\n') => &text[i + 2..],
        Some(i) => &text[i + 1..],
        None => &[],
    }
}

/// The lines of `text`, each without its line break: LF, CRLF, or a CR alone (classic Mac OS mail programs ended
/// lines so, and their messages are still mail).
fn mail_lines(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest.iter().position(|&b| b == b'\n' || b == b'\r').unwrap_or(rest.len());
        let line = &rest[..end];
        rest = after_first_line(rest);
        Some(line)
    })
}

fn opens_with_html_tag(head: &[u8]) -> bool {
    let start = skip_bom_and_space(head);
    let lower = head[start..head.len().min(start + 16)].to_ascii_lowercase();
    lower.starts_with(b"<html") || lower.starts_with(b"<!doctype html")
}

fn skip_bom_and_space(head: &[u8]) -> usize {
    let mut start = if head.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    while start < head.len() && head[start].is_ascii_whitespace() {
        start += 1;
    }
    start
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(bytes: &[u8], expected: Format) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("input");
        std::fs::write(&path, bytes).expect("write input");
        assert_eq!(detect_file(&path).expect("detect"), expected, "{:?}", String::from_utf8_lossy(bytes));
    }

    /// Classic Mac OS mail programs ended lines with CR alone; such messages were taken for plain text and their
    /// MIME shown raw.
    #[test]
    fn a_message_with_cr_only_line_endings_is_mail() {
        check(b"From: a@example.org\rTo: b@example.org\rSubject: hi\r\rbody\r", Format::Eml);
        check(b"From a@example.org Mon Jan  1 00:00:00 2024\rFrom: a@example.org\rDate: x\r\rbody\r", Format::Mbox);
        // A text whose lines end so, with one header-like line, is still text.
        check(b"Note: bring the keys\rand the map\r", Format::Text);
    }

    /// Windows metafiles were `binary`, and the text drawn in them went unread.
    #[test]
    fn metafiles_are_detected_by_their_headers() {
        let mut emf = vec![1, 0, 0, 0, 108, 0, 0, 0];
        emf.resize(40, 0);
        emf.extend_from_slice(b" EMF\x00\x00\x01\x00");
        check(&emf, Format::Emf);
        check(b"\xD7\xCD\xC6\x9A\x00\x00\x00\x00\x00\x00\x10\x27\x10\x27\x60\x09\x00\x00\x00\x00\x01\x00", Format::Wmf);
        check(b"\x01\x00\x09\x00\x00\x03\x36\x00\x00\x00\x02\x00\x1c\x00\x00\x00\x00\x00", Format::Wmf);
        // The same first bytes without the EMF signature are not a metafile.
        check(&emf[..40], Format::Binary);
    }

    #[test]
    fn text_kinds() {
        check(b"Hello, world\n", Format::Text);
        check("Привет, мир".as_bytes(), Format::Text);
        check(b"\xcf\xf0\xe8\xe2\xe5\xf2 \xec\xe8\xf0", Format::Text); // cp1251
        check(b"\xFF\xFEH\x00i\x00", Format::Text);
        check(b"H\x00e\x00l\x00l\x00o\x00 \x00w\x00o\x00r\x00l\x00d\x00", Format::Text);
        check(b"  <!DOCTYPE html><html><body>x</body></html>", Format::Html);
        check(b"<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\"/>", Format::Html);
        check(b"<?xml version=\"1.0\"?><root/>", Format::Xml);
        check(b"From: a@example.org\r\nTo: b@example.org\r\nSubject: hi\r\n\r\nbody", Format::Eml);
        check(b"From a@example.org Mon Jan  1 00:00:00 2024\nFrom: a@example.org\nDate: x\n\nbody\n", Format::Mbox);
        check(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", Format::Ics);
        check(b"BEGIN:VCARD\r\nFN:Ivanov\r\n", Format::Vcf);
        check(
            "<?xml version=\"1.0\"?>\n<FictionBook xmlns=\"http://www.gribuser.ru/xml/fictionbook/2.0\">".as_bytes(),
            Format::Fb2,
        );
        check(b" {\"key\": [1, 2]}", Format::Json);
        check(b"[{\"a\": 1}]", Format::Json);
        check("неделя;район;сумма\n01.04.2024;Озёрский;\"1 200,50\"\n08.04.2024;Лесной;900\n".as_bytes(), Format::Csv);
        check(b"week\tdistrict\tkm\n1\tA\t2\n2\tB\t3\n", Format::Tsv);
        // Prose with commas whose count changes from line to line is text.
        check(b"Dear Sir, we write\nabout the bridge, the road, and the money\nSincerely\n", Format::Text);
        check(
            b"Content-Type: multipart/mixed; boundary=\"a\"\n\n--a\nContent-Type: text/plain\n\nhi\n--a--\n",
            Format::Eml,
        );
        check(
            b"Content-Type: multipart/mixed; boundary=\"1\"\nMIME-Version: 1.0\n\n--1\n\x00\x01\x02binary",
            Format::Eml,
        );
        // One header-like line is not an e-mail.
        check(b"Note: call the ministry\nabout the bridge\n", Format::Text);
    }

    #[test]
    fn binary_kinds() {
        check(b"%PDF-1.7\n", Format::Pdf);
        check(b"\x00\x00garbage%PDF-1.4", Format::Pdf);
        check(b"\x1F\x8B\x08\x00", Format::Gzip);
        check(b"\x00\x01\x02\x03\x04", Format::Binary);
        // Regression: a run of zeros looked like UTF-16 and was read as millions of NUL characters.
        check(&[0u8; 4096], Format::Binary);
        check("Привет, мир".encode_utf16().flat_map(u16::to_be_bytes).collect::<Vec<u8>>().as_slice(), Format::Text);
        check(b"{\\rtf1\\ansi}", Format::Rtf);
        // A page with stray control and NUL bytes (as in a mangled MHTML save) is still a page; other binary is not.
        check(b"<HTML><HEAD>\r\n<META content=\"MSHTML\x00\x07\x02\x00\x00\"></HEAD><BODY>Hi</BODY>", Format::Html);
        check(b"<b>\x00\x07\x02\x00\x00</b>", Format::Binary);
    }

    #[test]
    fn rare_formats_are_named() {
        check(b"\x00\x00\x00\x0CjP  \r\n\x87\n\x00\x00\x00\x14ftypjp2 ", Format::Jpeg2000);
        check(b"\xFFWPC\x10\x00\x00\x00\x01\x0A", Format::WordPerfect);
        check(b"AT&TFORM\x00\x00\x01\x00DJVU", Format::Djvu);
        check(b"\x00\x01\x00\x00Standard Jet DB\x00\x01\x00\x00", Format::Access);
        check(b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00", Format::Mp4);
        check(b"RIFF\x24\x08\x00\x00WAVEfmt \x10\x00\x00\x00", Format::Wav);
        check(b"RIFF\x24\x08\x00\x00AVI LIST", Format::Avi);
        check(b"ID3\x03\x00\x00\x00\x00\x00\x21", Format::Mp3);
        check(b"ID3 tags name the artist of a song.\n", Format::Text);
        check(b"\xFF\xFB\x90\x64\x00\x00\x00", Format::Mp3);
        check(b"\xFF\xFB\xF0\x64\x00\x00\x00", Format::Binary); // bitrate index 15 does not exist
        check(b"OggS\x00\x02\x00\x00\x00\x00", Format::Ogg);
        check(b"fLaC\x00\x00\x00\x22", Format::Flac);
        check(b"#!AMR\n\x3c", Format::Amr);
        check(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        ", Format::AppleDouble);
        // A web archive of text records is text (its pages are read); one with binary payloads is named.
        check(b"WARC/1.0\r\nWARC-Type: warcinfo\r\n", Format::Text);
        check(b"WARC/1.0\r\nWARC-Type: resource\r\n\r\n\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR", Format::Warc);
        // PKCS#7 signedData, definite and indefinite length.
        check(b"\x30\x82\x06\x22\x06\x09\x2A\x86\x48\x86\xF7\x0D\x01\x07\x02\xA0", Format::Pkcs7);
        check(b"\x30\x80\x06\x09\x2A\x86\x48\x86\xF7\x0D\x01\x07\x03\xA0\x80", Format::Pkcs7);
        // Some other DER structure is not PKCS#7.
        check(b"\x30\x82\x06\x22\x30\x82\x05\x0A\xA0\x03\x02\x01\x02", Format::Binary);
    }

    /// A tar header without the "ustar" magic, as tar wrote before POSIX.
    fn old_tar_header(name: &str, checksum_delta: i64) -> Vec<u8> {
        let mut header = vec![0u8; 1024];
        header[..name.len()].copy_from_slice(name.as_bytes());
        header[100..108].copy_from_slice(b"000644 \0");
        header[124..136].copy_from_slice(b"00000000005 ");
        header[156] = b'0';
        let sum: i64 = header[..512].iter().map(|&b| i64::from(b)).sum::<i64>() + 8 * 32 + checksum_delta;
        header[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
        header
    }

    #[test]
    fn tar_without_magic() {
        check(&old_tar_header("notes.txt", 0), Format::Tar);
        // A wrong checksum means it is not a tar header after all.
        check(&old_tar_header("notes.txt", 1), Format::Binary);
    }

    fn dbf(records: u32, record_len: u16, body_len: usize) -> Vec<u8> {
        let mut bytes = vec![0x03, 124, 5, 17];
        bytes.extend(records.to_le_bytes());
        bytes.extend(65u16.to_le_bytes()); // header: 32 bytes, one field descriptor, the terminator
        bytes.extend(record_len.to_le_bytes());
        bytes.resize(32, 0);
        let mut field = b"NAME\0\0\0\0\0\0\0C".to_vec();
        field.resize(32, 0);
        field[16] = 10;
        bytes.extend(field);
        bytes.push(0x0D);
        bytes.resize(bytes.len() + body_len, b' ');
        bytes
    }

    #[test]
    fn dbase_tables() {
        check(&dbf(2, 11, 22), Format::Dbf);
        // A table cut short is still a table (its reader says what is missing).
        check(&dbf(2_000_000, 11, 22), Format::Dbf);
        // A version byte and a date alone are not enough: the first field must have a name and a type letter.
        let mut nameless = dbf(2, 11, 22);
        nameless[32] = 0;
        check(&nameless, Format::Binary);
    }

    #[test]
    fn office_packages_by_members() {
        let dir = tempfile::tempdir().expect("temp dir");
        for (member, expected) in [("xl/workbook.bin", Format::Xlsb), ("xl/workbook.xml", Format::Xlsx)] {
            let path = dir.path().join("book");
            let mut writer = zip::ZipWriter::new(File::create(&path).expect("create"));
            writer.start_file(member, zip::write::SimpleFileOptions::default()).expect("member");
            std::io::Write::write_all(&mut writer, b"x").expect("write");
            writer.finish().expect("finish");
            assert_eq!(detect_file(&path).expect("detect"), expected);
        }
    }
}
