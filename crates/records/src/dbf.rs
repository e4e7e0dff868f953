//! dBASE tables (`.dbf`: dBASE III/IV/V, FoxBASE, FoxPro, Visual FoxPro, and the attribute tables of shapefiles).
//!
//! The layout is a fixed header (version byte, last-update date, record count, header and record lengths, the
//! language driver byte that names the code page), 32-byte field descriptors ended by 0x0D, then fixed-length
//! records that start with a deletion flag. The output reads like the CSV reader's: a line of field names, then one
//! line per record with tab-separated cells. The file is streamed record by record, so a huge table costs the text
//! limit, not its size. Header counts come from a hostile file: they are checked against the file's real size.
//! Memo fields (`M`, and FoxPro's `G`/`P`) point into a `.dbt`/`.fpt` sidecar that is another file; they are
//! listed and said so, not read.

use std::fs::File;
use std::io::{BufReader, Read};

use dossier_document::{Context, ExtractError, Extraction, Source, TextBuilder};
use encoding_rs::Encoding;

const FORMAT: &str = "dbf";
const FIELD_DESCRIPTOR_BYTES: usize = 32;
const HEADER_PREFIX_BYTES: usize = 32;
/// How many bytes of character data are sampled to guess the code page when the header does not name one.
const CHARSET_SAMPLE_BYTES: usize = 64 * 1024;
/// Records held back while the sample is taken (wide records with little text must not pile up in memory).
const MAX_SAMPLED_RECORD_BYTES: usize = 4 << 20;

/// Reads a dBASE/FoxPro table.
pub fn read_dbf(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    let file = File::open(src.path).map_err(|err| ExtractError::io(&err))?;
    let file_size = file.metadata().map_err(|err| ExtractError::io(&err))?.len();
    if file_size == 0 {
        return Err(ExtractError::Empty);
    }
    let mut reader = BufReader::new(file);
    let mut prefix = [0u8; HEADER_PREFIX_BYTES];
    let got = read_up_to(&mut reader, &mut prefix)?;
    if got < HEADER_PREFIX_BYTES {
        return Err(ExtractError::truncated(FORMAT, format!("{got} bytes end inside the 32-byte header")));
    }
    let header = Header::parse(&prefix)?;
    if u64::from(header.header_length) > file_size {
        return Err(ExtractError::truncated(
            FORMAT,
            format!("header of {} bytes is longer than the file ({file_size} bytes)", header.header_length),
        ));
    }
    // The rest of the header (field descriptors, FoxPro's backlink) is at most 65535 bytes: u16 bounds it.
    let mut rest = vec![0u8; usize::from(header.header_length) - HEADER_PREFIX_BYTES];
    reader.read_exact(&mut rest).map_err(|err| ExtractError::io(&err))?;
    let fields = parse_fields(&rest)?;
    let mut diagnostics = Vec::new();
    let fields_length: usize = fields.iter().map(|field| usize::from(field.length)).sum::<usize>() + 1;
    if fields_length > usize::from(header.record_length) {
        return Err(ExtractError::malformed(
            FORMAT,
            format!("fields take {fields_length} bytes but records are {} bytes long", header.record_length),
        ));
    }

    // A hostile or damaged header may claim more records than the file holds: read what is there and say so.
    let room = file_size - u64::from(header.header_length);
    let records_in_file = room / u64::from(header.record_length);
    let records_to_read = u64::from(header.record_count).min(records_in_file);
    if records_to_read < u64::from(header.record_count) {
        diagnostics
            .push(format!("header claims {} records but the file holds only {records_in_file}", header.record_count));
    }

    let memo_fields: Vec<&str> =
        fields.iter().filter(|field| field.is_memo()).map(|field| field.name.as_str()).collect();
    if !memo_fields.is_empty() {
        diagnostics.push(format!(
            "memo field{} {} {} stored in a separate .dbt/.fpt file, which is not part of this file",
            if memo_fields.len() == 1 { "" } else { "s" },
            memo_fields.join(", "),
            if memo_fields.len() == 1 { "is" } else { "are" },
        ));
    }

    let mut table = TableWriter {
        fields: &fields,
        out: TextBuilder::new(ctx.limits.max_text_bytes),
        encoding: encoding_rs::WINDOWS_1252,
        had_errors: false,
        rows: 0,
        deleted: 0,
    };
    let names: Vec<&str> = fields.iter().map(|field| field.name.as_str()).collect();
    table.out.push(&names.join("\t"));
    table.out.push("\n");

    // The code page: what the language driver byte names, checked against a sample of the first records by the
    // text crate, which doubts declarations where real files are known to lie (windows-1252 on Cyrillic bytes,
    // one Cyrillic code page for another, a legacy label on UTF-8); guessed from the sample when the byte is 0 or
    // names nothing encoding_rs has. 0x57 is ESRI's "ANSI", the writer's Windows code page: only a hint.
    let record_length = usize::from(header.record_length);
    let mut pending: Vec<Vec<u8>> = Vec::new();
    let mut pending_bytes = 0usize;
    let mut read_records = 0u64;
    let mut sample = Vec::new();
    while read_records < records_to_read
        && sample.len() < CHARSET_SAMPLE_BYTES
        && pending_bytes < MAX_SAMPLED_RECORD_BYTES
    {
        let mut record = vec![0u8; record_length];
        if !read_record(&mut reader, &mut record, &mut diagnostics, read_records)? {
            break;
        }
        read_records += 1;
        append_character_bytes(&fields, &record, &mut sample);
        pending_bytes += record.len();
        pending.push(record);
    }
    let declared = match header.language_driver {
        0x57 => Some(encoding_rs::WINDOWS_1252),
        driver => code_page_encoding(driver),
    };
    let detected = dossier_text::decode(&sample, declared.map(Encoding::name));
    let encoding = Encoding::for_label(detected.charset.as_bytes()).unwrap_or(encoding_rs::WINDOWS_1252);
    let charset_source = match declared {
        _ if header.language_driver == 0x57 => "detected (the language driver says ANSI)".to_string(),
        Some(declared) if declared == encoding => "language driver".to_string(),
        Some(declared) => format!("detected (the language driver says {})", declared.name()),
        None => "detected".to_string(),
    };
    table.encoding = encoding;
    for record in &pending {
        table.record(record);
    }
    let mut record = vec![0u8; record_length];
    while read_records < records_to_read && !table.out.is_full() {
        if !read_record(&mut reader, &mut record, &mut diagnostics, read_records)? {
            break;
        }
        read_records += 1;
        table.record(&record);
    }

    let mut extraction = Extraction::default();
    let metadata = &mut extraction.metadata;
    metadata.set("dbf_version", version_name(header.version));
    if let Some(date) = header.last_update() {
        metadata.set("modified", date);
    }
    metadata.set("charset", encoding.name());
    metadata.set("charset_source", charset_source);
    metadata.set("language_driver", format!("0x{:02X}", header.language_driver));
    metadata.set("rows", table.rows.to_string());
    metadata.set("columns", fields.len().to_string());
    metadata.set("deleted_records", table.deleted.to_string());
    for field in &fields {
        metadata.push("fields", field.describe());
    }
    if table.out.is_full() {
        metadata.set("rows", format!("{} (counted before the text limit)", table.rows));
    }
    if table.had_errors {
        diagnostics.push(format!("some bytes are not valid {} and were replaced by U+FFFD", encoding.name()));
    }
    let (text, cut) = table.out.finish();
    extraction.text = text;
    diagnostics.extend(cut);
    extraction.diagnostics = diagnostics;
    Ok(extraction)
}

/// Fills `buf` as far as the stream allows; returns how many bytes were read.
fn read_up_to(reader: &mut impl Read, buf: &mut [u8]) -> Result<usize, ExtractError> {
    let mut got = 0;
    while got < buf.len() {
        match reader.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
            Err(err) => return Err(ExtractError::io(&err)),
        }
    }
    Ok(got)
}

/// Reads one record; false (with a diagnostic) when the file ends inside it or an end-of-file mark (0x1A) stands
/// where the header promised another record.
fn read_record(
    reader: &mut impl Read,
    record: &mut [u8],
    diagnostics: &mut Vec<String>,
    index: u64,
) -> Result<bool, ExtractError> {
    let got = read_up_to(reader, record)?;
    if got < record.len() {
        diagnostics.push(format!("the file ends inside record {}", index + 1));
        return Ok(false);
    }
    if record[0] == 0x1A {
        diagnostics.push(format!("end-of-file mark where the header promises record {}", index + 1));
        return Ok(false);
    }
    Ok(true)
}

/// The fixed 32 bytes at the start of every dBASE file.
#[derive(Debug)]
struct Header {
    version: u8,
    year: u8,
    month: u8,
    day: u8,
    record_count: u32,
    header_length: u16,
    record_length: u16,
    language_driver: u8,
}

impl Header {
    fn parse(prefix: &[u8; HEADER_PREFIX_BYTES]) -> Result<Header, ExtractError> {
        let header = Header {
            version: prefix[0],
            year: prefix[1],
            month: prefix[2],
            day: prefix[3],
            record_count: u32::from_le_bytes([prefix[4], prefix[5], prefix[6], prefix[7]]),
            header_length: u16::from_le_bytes([prefix[8], prefix[9]]),
            record_length: u16::from_le_bytes([prefix[10], prefix[11]]),
            language_driver: prefix[29],
        };
        if !is_known_version(header.version) {
            return Err(ExtractError::malformed(FORMAT, format!("unknown version byte 0x{:02X}", header.version)));
        }
        // The header holds the 32-byte prefix, at least one field descriptor and the 0x0D terminator.
        if usize::from(header.header_length) < HEADER_PREFIX_BYTES + FIELD_DESCRIPTOR_BYTES + 1 {
            return Err(ExtractError::malformed(
                FORMAT,
                format!("header length {} is too short", header.header_length),
            ));
        }
        if header.record_length < 2 {
            return Err(ExtractError::malformed(
                FORMAT,
                format!("record length {} is too short", header.record_length),
            ));
        }
        Ok(header)
    }

    /// The last-update date (years counted from 1900), if it is a real date.
    fn last_update(&self) -> Option<String> {
        if !(1..=12).contains(&self.month) || !(1..=31).contains(&self.day) {
            return None;
        }
        Some(format!("{:04}-{:02}-{:02}", 1900 + u32::from(self.year), self.month, self.day))
    }
}

/// Version bytes written by dBASE, FoxBASE, FoxPro, Visual FoxPro, Clipper, HiPer-Six and shapefile tools.
/// Detection should accept exactly these as a DBF's first byte.
pub const DBF_VERSION_BYTES: [u8; 15] =
    [0x02, 0x03, 0x04, 0x05, 0x30, 0x31, 0x32, 0x43, 0x63, 0x83, 0x8B, 0xCB, 0xE5, 0xF5, 0xFB];

/// Whether `head` (the file's first bytes: at least 64 for a sure answer) starts like a dBASE table of
/// `file_size` bytes: a known version byte, a real last-update month and day, header and record lengths that fit
/// the file, and a first field descriptor with a plain name and a field type letter. For detection, since a
/// DBF has no magic number beyond its version byte.
pub fn looks_like_dbf(head: &[u8], file_size: u64) -> bool {
    if head.len() < 64 || !is_known_version(head[0]) {
        return false;
    }
    let (month, day) = (head[2], head[3]);
    let header_length = u64::from(u16::from_le_bytes([head[8], head[9]]));
    let record_length = u16::from_le_bytes([head[10], head[11]]);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || record_length < 2 {
        return false;
    }
    if header_length < (HEADER_PREFIX_BYTES + FIELD_DESCRIPTOR_BYTES + 1) as u64 || header_length > file_size {
        return false;
    }
    let name = &head[32..43];
    let name_end = name.iter().position(|byte| *byte == 0).unwrap_or(name.len());
    let plain_name = name_end > 0 && name[..name_end].iter().all(|byte| byte.is_ascii_graphic());
    let kind = head[43];
    plain_name && (kind.is_ascii_uppercase() || matches!(kind, b'+' | b'@'))
}

fn is_known_version(version: u8) -> bool {
    DBF_VERSION_BYTES.contains(&version)
}

fn version_name(version: u8) -> &'static str {
    match version {
        0x02 => "FoxBASE",
        0x03 => "dBASE III",
        0x04 => "dBASE IV",
        0x05 => "dBASE V",
        0x30..=0x32 => "Visual FoxPro",
        0x43 | 0x63 | 0x8B | 0xCB => "dBASE IV with memo",
        0x83 => "dBASE III with memo",
        0xF5 => "FoxPro with memo",
        0xFB => "FoxBASE with memo",
        0xE5 => "HiPer-Six with memo",
        _ => "unknown",
    }
}

/// The encoding a language driver byte names; `None` for 0 (not recorded), 0x57 ("ANSI") and bytes we do not
/// know, which are guessed from the data instead.
fn code_page_encoding(language_driver: u8) -> Option<&'static Encoding> {
    use encoding_rs::*;
    Some(match language_driver {
        0x01 | 0x02 | 0x0A | 0x0B | 0x0D | 0x0E | 0x0F | 0x10 | 0x11 | 0x12 | 0x14 | 0x15 | 0x16 | 0x18 | 0x19
        | 0x1A | 0x1B | 0x37 => {
            // DOS Latin code pages (437, 850): encoding_rs has none; windows-1252 shares their ASCII and most
            // letters are lost either way, so these are left to detection too.
            return None;
        }
        0x03 | 0x58 | 0x59 => WINDOWS_1252,
        0x04 => MACINTOSH,
        0x13 | 0x7B => SHIFT_JIS,
        0x1F | 0x22 | 0x23 | 0x40 | 0x64 | 0x87 => {
            // Code page 852 (DOS Central European) is not in encoding_rs either.
            return None;
        }
        0x26 | 0x65 => IBM866,
        0x4D | 0x7A => GBK,
        0x4E | 0x79 => EUC_KR,
        0x4F | 0x78 => BIG5,
        0x50 | 0x7C => WINDOWS_874,
        0x7D => WINDOWS_1255,
        0x7E => WINDOWS_1256,
        0x96 => X_MAC_CYRILLIC,
        0xC8 => WINDOWS_1250,
        0xC9 => WINDOWS_1251,
        0xCA => WINDOWS_1254,
        0xCB => WINDOWS_1253,
        0xCC => WINDOWS_1257,
        _ => return None,
    })
}

/// One column of the table.
#[derive(Debug)]
struct Field {
    name: String,
    kind: u8,
    /// Where the field starts inside a record (after the deletion flag).
    offset: usize,
    length: u8,
    decimals: u8,
}

impl Field {
    fn is_memo(&self) -> bool {
        // In Visual FoxPro `B` is a binary double; in dBASE it is a binary memo. Length 8 with decimals tells them
        // apart only loosely, so only the unambiguous memo kinds count.
        matches!(self.kind, b'M' | b'G' | b'P')
    }

    fn describe(&self) -> String {
        let kind = char::from(self.kind);
        if self.decimals > 0 {
            format!("{} ({kind} {}.{})", self.name, self.length, self.decimals)
        } else {
            format!("{} ({kind} {})", self.name, self.length)
        }
    }
}

fn parse_fields(rest: &[u8]) -> Result<Vec<Field>, ExtractError> {
    let mut fields = Vec::new();
    let mut offset = 1;
    for descriptor in rest.chunks(FIELD_DESCRIPTOR_BYTES) {
        if descriptor[0] == 0x0D {
            break;
        }
        if descriptor.len() < FIELD_DESCRIPTOR_BYTES {
            break;
        }
        let name_bytes = &descriptor[..11];
        let name_end = name_bytes.iter().position(|byte| *byte == 0).unwrap_or(name_bytes.len());
        let name = String::from_utf8_lossy(&name_bytes[..name_end]).trim().to_string();
        let field = Field { name, kind: descriptor[11], offset, length: descriptor[16], decimals: descriptor[17] };
        offset += usize::from(field.length);
        fields.push(field);
    }
    if fields.is_empty() {
        return Err(ExtractError::malformed(FORMAT, "no field descriptors"));
    }
    Ok(fields)
}

/// Character data of a record, for guessing the code page.
fn append_character_bytes(fields: &[Field], record: &[u8], sample: &mut Vec<u8>) {
    for field in fields.iter().filter(|field| matches!(field.kind, b'C' | b'V')) {
        if let Some(bytes) = record.get(field.offset..field.offset + usize::from(field.length)) {
            sample.extend_from_slice(trim_spaces(bytes));
            sample.push(b'\n');
        }
    }
}

fn trim_spaces(bytes: &[u8]) -> &[u8] {
    let is_padding = |byte: &u8| *byte == b' ' || *byte == 0;
    let start = bytes.iter().position(|byte| !is_padding(byte)).unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|byte| !is_padding(byte)).map_or(start, |end| end + 1);
    &bytes[start..end]
}

/// Turns records into tab-separated lines.
struct TableWriter<'a> {
    fields: &'a [Field],
    out: TextBuilder,
    encoding: &'static Encoding,
    had_errors: bool,
    rows: u64,
    deleted: u64,
}

impl TableWriter<'_> {
    fn record(&mut self, record: &[u8]) {
        if record[0] == b'*' {
            self.deleted += 1;
            return;
        }
        let mut line = String::new();
        for (index, field) in self.fields.iter().enumerate() {
            if index > 0 {
                line.push('\t');
            }
            let Some(bytes) = record.get(field.offset..field.offset + usize::from(field.length)) else { continue };
            self.cell(field, bytes, &mut line);
        }
        let line = line.trim_end_matches(['\t', ' ']);
        if line.is_empty() {
            return;
        }
        self.rows += 1;
        self.out.push(line);
        self.out.push("\n");
    }

    fn cell(&mut self, field: &Field, bytes: &[u8], line: &mut String) {
        match field.kind {
            b'C' | b'V' | b'N' | b'F' => {
                let (text, had_errors) = self.encoding.decode_without_bom_handling(trim_spaces(bytes));
                self.had_errors |= had_errors;
                // A tab or line break inside a cell would break the one-record-per-line layout.
                line.extend(text.chars().map(|c| if c.is_control() { ' ' } else { c }));
            }
            b'D' => {
                let digits = trim_spaces(bytes);
                if digits.len() == 8 && digits.iter().all(u8::is_ascii_digit) {
                    let date = String::from_utf8_lossy(digits);
                    line.push_str(&format!("{}-{}-{}", &date[..4], &date[4..6], &date[6..]));
                }
            }
            b'L' => match bytes.first() {
                Some(b'T' | b't' | b'Y' | b'y') => line.push_str("true"),
                Some(b'F' | b'f' | b'N' | b'n') => line.push_str("false"),
                _ => {}
            },
            b'I' | b'+' if bytes.len() == 4 => {
                let value = i32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
                // Visual FoxPro stores autoincrement values with the sign bit flipped only in indexes, not here.
                line.push_str(&value.to_string());
            }
            b'Y' if bytes.len() == 8 => {
                let value = i64::from_le_bytes(eight(bytes));
                let sign = if value < 0 { "-" } else { "" };
                let magnitude = value.unsigned_abs();
                line.push_str(&format!("{sign}{}.{:04}", magnitude / 10_000, magnitude % 10_000));
            }
            b'B' | b'O' if bytes.len() == 8 => {
                let value = f64::from_le_bytes(eight(bytes));
                if value.is_finite() {
                    line.push_str(&value.to_string());
                }
            }
            b'T' | b'@' if bytes.len() == 8 => {
                if let Some(datetime) = foxpro_datetime(bytes) {
                    line.push_str(&datetime);
                }
            }
            b'M' | b'G' | b'P' | b'B' => {
                // A memo block number (ASCII digits in dBASE, a 4-byte integer in Visual FoxPro): the text lives
                // in the sidecar file.
                let has_block = match bytes.len() {
                    4 => bytes.iter().any(|byte| *byte != 0),
                    _ => trim_spaces(bytes).iter().any(|byte| byte.is_ascii_digit() && *byte != b'0'),
                };
                if has_block {
                    line.push_str("[memo]");
                }
            }
            _ => {}
        }
    }
}

fn eight(bytes: &[u8]) -> [u8; 8] {
    let mut out = [0u8; 8];
    out.copy_from_slice(&bytes[..8]);
    out
}

/// Visual FoxPro's `T` field: a Julian day number and milliseconds since midnight.
fn foxpro_datetime(bytes: &[u8]) -> Option<String> {
    let julian_day = i64::from(i32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]));
    let milliseconds = i64::from(i32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]));
    if julian_day <= 0 || !(0..86_400_000).contains(&milliseconds) {
        return None;
    }
    // Julian day 2440588 is 1970-01-01.
    let (year, month, day) = dossier_document::civil_from_days(julian_day - 2_440_588);
    let seconds = milliseconds / 1000;
    Some(format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_drivers_name_the_russian_code_pages() {
        assert_eq!(code_page_encoding(0x26), Some(encoding_rs::IBM866));
        assert_eq!(code_page_encoding(0x65), Some(encoding_rs::IBM866));
        assert_eq!(code_page_encoding(0xC9), Some(encoding_rs::WINDOWS_1251));
        assert_eq!(code_page_encoding(0x57), None);
        assert_eq!(code_page_encoding(0x00), None);
    }

    #[test]
    fn foxpro_datetimes_become_iso8601() {
        let mut bytes = [0u8; 8];
        bytes[..4].copy_from_slice(&2_451_545i32.to_le_bytes()); // 2000-01-01
        bytes[4..].copy_from_slice(&(13 * 3_600_000 + 5 * 60_000 + 9_000i32).to_le_bytes());
        assert_eq!(foxpro_datetime(&bytes).as_deref(), Some("2000-01-01T13:05:09"));
        assert_eq!(foxpro_datetime(&[0; 8]), None);
    }

    /// Every truncation and many single-byte corruptions of a fixture are read or refused, never a panic.
    #[test]
    fn damaged_tables_never_panic() {
        let fixture =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/dbf/0007_visual_foxpro_binary_types.dbf");
        let bytes = std::fs::read(fixture).expect("fixture");
        let dir = std::env::temp_dir().join(format!("dossier-records-dbf-damage-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp folder");
        let path = dir.join("x.dbf");
        let limits = dossier_document::Limits::default();
        let options = dossier_document::Options::default();
        let mut variants: Vec<Vec<u8>> = (1..bytes.len()).map(|end| bytes[..end].to_vec()).collect();
        for at in 0..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0xA5;
            variants.push(damaged);
        }
        for variant in variants {
            std::fs::write(&path, &variant).expect("write");
            let mut sink = dossier_document::MemorySink::new(&limits, 1);
            let mut ctx = Context { limits: &limits, options: &options, sink: &mut sink };
            let _ = read_dbf(&Source { path: &path, name: None }, &mut ctx);
        }
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn detection_accepts_tables_and_refuses_text() {
        let table = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/dbf/0001_dbase3_cp866_deleted.dbf"),
        )
        .expect("fixture");
        assert!(looks_like_dbf(&table, table.len() as u64));
        assert!(!looks_like_dbf(&table, 40), "header longer than the file");
        assert!(!looks_like_dbf(b"\x03 this is a text file that starts with a control byte, honestly.", 1000));
    }

    #[test]
    fn padding_is_trimmed_on_both_sides() {
        assert_eq!(trim_spaces(b"  12.50 "), b"12.50");
        assert_eq!(trim_spaces(b"   "), b"");
        assert_eq!(trim_spaces(b"a\0\0"), b"a");
    }
}
