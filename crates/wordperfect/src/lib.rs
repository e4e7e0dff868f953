//! WordPerfect documents, 5.x and 6 and later: `Format::WordPerfect` → [`read_wordperfect`].
//!
//! Every WordPerfect file opens with a 16-byte prefix: `FF 57 50 43`, the offset of the document area (u32), the
//! product type (1: WordPerfect) and file type (0x0A: a document), the major and minor version (major 0 is 5.x, 2 is
//! 6 and later) and an encryption key (0: none). The document area is 8-bit text interleaved with function codes,
//! which this reader skips or turns into spaces and line breaks:
//!
//! | version | text | single-byte codes | fixed-length groups | variable-length groups |
//! |---|---|---|---|---|
//! | 5.x | 0x20-0x7E | 0x0A hard return, 0x0D soft return, 0x80-0xBF | 0xC0-0xCF, closed by the same byte | 0xD0-0xFE: code, subcode, u16 length of the rest |
//! | 6+ | 0x20-0x7F | 0x80-0xCF (0xCC hard return) | 0xF0-0xFF, closed by the same byte | 0xD0-0xEF: code, subcode, u16 total length |
//!
//! A character outside ASCII is an "extended character" group (0xC0 in 5.x, 0xF0 in 6+) naming a character set and
//! a number within it; those of the ASCII set are kept, the others counted in a diagnostic.

use std::io::Read;

use dossier_document::{Context, ExtractError, Extraction, Metadata, Source, TextBuilder};

const FORMAT: &str = "WordPerfect";
const MAGIC: &[u8; 4] = b"\xFFWPC";
const PREFIX_LEN: usize = 16;
/// Product type 1 is WordPerfect itself (others: Shell, Notebook, Calculator...), file type 0x0A a document.
const PRODUCT_WORDPERFECT: u8 = 1;
const FILE_DOCUMENT: u8 = 0x0A;
/// A fixed-length group is closed by its own code within this many bytes; farther means the file is damaged.
const MAX_FIXED_GROUP: usize = 64;

/// Reads a WordPerfect document: `Format::WordPerfect`.
pub fn read_wordperfect(source: &Source<'_>, context: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    let file = std::fs::File::open(source.path).map_err(|err| ExtractError::io(&err))?;
    let length = file.metadata().map_err(|err| ExtractError::io(&err))?.len();
    if length == 0 {
        return Err(ExtractError::Empty);
    }
    if length > context.limits.max_in_memory_bytes {
        return Err(ExtractError::LimitExceeded(format!(
            "WordPerfect file bytes {length} > {}",
            context.limits.max_in_memory_bytes
        )));
    }
    let mut bytes = Vec::with_capacity(length as usize);
    file.take(length).read_to_end(&mut bytes).map_err(|err| ExtractError::io(&err))?;
    let prefix = Prefix::parse(&bytes)?;
    let mut diagnostics = Vec::new();
    if prefix.document_offset > bytes.len() {
        return Err(ExtractError::truncated(
            FORMAT,
            format!("the document area starts at {}, past the end ({} bytes)", prefix.document_offset, bytes.len()),
        ));
    }
    let area = &bytes[prefix.document_offset..];
    let mut text = TextBuilder::new(context.limits.max_text_bytes);
    let scan = if prefix.major_version == 0 { scan_wp5(area, &mut text) } else { scan_wp6(area, &mut text) };
    if let Some(problem) = scan.problem {
        diagnostics.push(problem);
    }
    if scan.unmapped > 0 {
        diagnostics.push(format!(
            "{} characters from WordPerfect character sets other than ASCII were left out",
            scan.unmapped
        ));
    }
    let (text, cut) = text.finish();
    diagnostics.extend(cut);
    let mut metadata = Metadata::default();
    let version = if prefix.major_version == 0 { "5.x".to_string() } else { format!("6+ ({})", prefix.major_version) };
    metadata.set("format_version", version);
    Ok(Extraction { text, metadata, diagnostics })
}

/// The 16-byte prefix every WordPerfect file opens with.
#[derive(Debug, PartialEq, Eq)]
struct Prefix {
    document_offset: usize,
    major_version: u8,
}

impl Prefix {
    fn parse(bytes: &[u8]) -> Result<Prefix, ExtractError> {
        if !bytes.starts_with(MAGIC) {
            return Err(ExtractError::malformed(FORMAT, "does not start with FF 57 50 43"));
        }
        if bytes.len() < PREFIX_LEN {
            return Err(ExtractError::truncated(FORMAT, "the file ends inside its 16-byte prefix"));
        }
        let document_offset = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
        let (product, file_type, major_version) = (bytes[8], bytes[9], bytes[10]);
        let encryption_key = u16::from_le_bytes([bytes[12], bytes[13]]);
        if product != PRODUCT_WORDPERFECT || file_type != FILE_DOCUMENT {
            return Err(ExtractError::Unsupported(format!(
                "WordPerfect product {product} file type 0x{file_type:02X} (not a WordPerfect document)"
            )));
        }
        if encryption_key != 0 {
            return Err(ExtractError::Encrypted(Some("WordPerfect document protected with a password".to_string())));
        }
        if document_offset < PREFIX_LEN {
            return Err(ExtractError::malformed(FORMAT, format!("the document area would start at {document_offset}")));
        }
        Ok(Prefix { document_offset, major_version })
    }
}

#[derive(Debug, Default)]
struct Scan {
    /// Extended characters of sets other than ASCII.
    unmapped: usize,
    /// Where the document area stopped making sense.
    problem: Option<String>,
}

/// WordPerfect 6 and later.
fn scan_wp6(area: &[u8], text: &mut TextBuilder) -> Scan {
    let mut scan = Scan::default();
    let mut at = 0;
    while at < area.len() && !text.is_full() {
        let code = area[at];
        match code {
            0x20..=0x7F => text.push_char(char::from(code)),
            // Soft and hard spaces.
            0x80 | 0x81 => text.push_char(' '),
            // Hard hyphen; soft hyphens (0x82, 0x83) only mark where a word may break.
            0x84 => text.push_char('-'),
            // Returns, page and column breaks.
            0xC7..=0xCF => text.push_char('\n'),
            0xD0..=0xEF => {
                let Some(size) = area.get(at + 2..at + 4).map(|b| usize::from(u16::from_le_bytes([b[0], b[1]]))) else {
                    scan.problem = Some(format!("the document ends inside a function group at {at}"));
                    break;
                };
                if size < 4 || area.get(at + size - 1) != Some(&code) {
                    scan.problem = Some(format!("a function group at {at} does not close where its length says"));
                    break;
                }
                // Group 0xD0 holds the end-of-line and end-of-page functions.
                if code == 0xD0 {
                    text.push_char('\n');
                }
                at += size;
                continue;
            }
            0xF0..=0xFE => {
                let Some(length) = fixed_group_length(area, at) else {
                    scan.problem = Some(format!("a function group at {at} is not closed"));
                    break;
                };
                if code == 0xF0 {
                    extended_character(area[at + 1], area[at + 2], text, &mut scan);
                }
                at += length;
                continue;
            }
            // 0x01-0x1F (characters of the default extended set) and the other single-byte functions.
            _ => {}
        }
        at += 1;
    }
    scan
}

/// WordPerfect 5.0 and 5.1.
fn scan_wp5(area: &[u8], text: &mut TextBuilder) -> Scan {
    let mut scan = Scan::default();
    let mut at = 0;
    while at < area.len() && !text.is_full() {
        let code = area[at];
        match code {
            0x20..=0x7E => text.push_char(char::from(code)),
            b'\t' => text.push_char('\t'),
            // Hard return, hard and soft page breaks.
            0x0A..=0x0C => text.push_char('\n'),
            // Soft return: where the line wrapped.
            0x0D => text.push_char(' '),
            // Hard space and hyphens.
            0xA0 => text.push_char(' '),
            0xA9..=0xAB => text.push_char('-'),
            0xC0..=0xCF => {
                let Some(length) = fixed_group_length(area, at) else {
                    scan.problem = Some(format!("a function group at {at} is not closed"));
                    break;
                };
                if code == 0xC0 {
                    extended_character(area[at + 1], area[at + 2], text, &mut scan);
                }
                at += length;
                continue;
            }
            0xD0..=0xFE => {
                let Some(rest) = area.get(at + 2..at + 4).map(|b| usize::from(u16::from_le_bytes([b[0], b[1]]))) else {
                    scan.problem = Some(format!("the document ends inside a function group at {at}"));
                    break;
                };
                let size = 4 + rest;
                if area.get(at + size - 1) != Some(&code) {
                    scan.problem = Some(format!("a function group at {at} does not close where its length says"));
                    break;
                }
                at += size;
                continue;
            }
            _ => {}
        }
        at += 1;
    }
    scan
}

/// The length of the fixed-length group opening at `at`, found by its closing code (the group's bytes in between are
/// never that code for the groups that carry characters, whose two data bytes come first).
fn fixed_group_length(area: &[u8], at: usize) -> Option<usize> {
    let code = area[at];
    // An extended character is always four bytes: code, character, set, code.
    if matches!(code, 0xC0 | 0xF0) {
        return (area.get(at + 3) == Some(&code)).then_some(4);
    }
    area.iter().skip(at + 1).take(MAX_FIXED_GROUP).position(|&b| b == code).map(|offset| offset + 2)
}

/// A character given as (number, character set): set 0 is ASCII.
fn extended_character(number: u8, set: u8, text: &mut TextBuilder, scan: &mut Scan) {
    if set == 0 && (0x20..0x7F).contains(&number) {
        text.push_char(char::from(number));
    } else {
        scan.unmapped += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(scan: fn(&[u8], &mut TextBuilder) -> Scan, area: &[u8]) -> (String, Scan) {
        let mut text = TextBuilder::new(1 << 10);
        let result = scan(area, &mut text);
        (text.finish().0, result)
    }

    #[test]
    fn wp6_functions_become_spaces_and_breaks() {
        let area = b"On\x80or\xD0\x01\x06\x00\x00\xD0the\xCCtest\x84case \xF0\x41\x00\xF0\xF0\x1C\x04\xF0\xF1\x00\x7F\x02\xF1.";
        let (text, scan) = text_of(scan_wp6, area);
        assert_eq!(text, "On or\nthe\ntest-case A.");
        assert_eq!(scan.unmapped, 1);
        assert!(scan.problem.is_none());
    }

    #[test]
    fn wp6_group_with_a_lying_length_stops_the_scan() {
        let (text, scan) = text_of(scan_wp6, b"kept\xD4\x10\x40\x00\xD4lost");
        assert_eq!(text, "kept");
        assert!(scan.problem.expect("a problem").contains("does not close"));
    }

    #[test]
    fn wp5_functions_become_spaces_and_breaks() {
        let area = b"First\x0Dline\x0ASecond \xC0\x42\x00\xC0\xC0\x05\x01\xC0\xD0\x01\x03\x00\xAA\xBB\xD0end";
        let (text, scan) = text_of(scan_wp5, area);
        assert_eq!(text, "First line\nSecond Bend");
        assert_eq!(scan.unmapped, 1);
    }

    #[test]
    fn the_prefix_tells_documents_from_the_rest() {
        let mut prefix = b"\xFFWPC\x10\x00\x00\x00\x01\x0A\x02\x01\x00\x00\x00\x00".to_vec();
        assert_eq!(Prefix::parse(&prefix).expect("a document"), Prefix { document_offset: 16, major_version: 2 });
        prefix[12] = 0x5A;
        assert!(matches!(Prefix::parse(&prefix), Err(ExtractError::Encrypted(_))));
        prefix[12] = 0;
        prefix[9] = 0x16;
        assert!(matches!(Prefix::parse(&prefix), Err(ExtractError::Unsupported(_))));
        assert!(matches!(Prefix::parse(&prefix[..9]), Err(ExtractError::Truncated { .. })));
    }
}
