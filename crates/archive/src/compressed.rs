//! Single-stream compressed files: GZIP (several members concatenated read as one stream), BZIP2 (multistream)
//! and XZ (multistream). The one decompressed stream is the only child.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};

use dossier_document::{ChildKind, ChildMeta, Context, ExtractError, Extraction, Source};

use crate::names::{iso8601_from_unix_seconds, strip_compression_suffix};
use crate::report::{Offer, Report};
use crate::streams::ErrorSpy;
use crate::zip::open_non_empty;

const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];
const BZIP2_MAGIC: &[u8] = b"BZh";
const XZ_MAGIC: &[u8] = &[0xfd, b'7', b'z', b'X', b'Z', 0x00];

const GZIP_SUFFIXES: &[(&str, &str)] = &[(".tgz", ".tar"), (".gz", ""), (".z", "")];
const BZIP2_SUFFIXES: &[(&str, &str)] = &[(".tbz2", ".tar"), (".tbz", ".tar"), (".bz2", ""), (".bz", "")];
const XZ_SUFFIXES: &[(&str, &str)] = &[(".txz", ".tar"), (".xz", "")];

/// The GZIP header fields worth keeping: the original file name and modification time.
#[derive(Debug, Default, PartialEq, Eq)]
struct GzipHeader {
    name: Option<String>,
    modified: Option<String>,
}

/// Reads a GZIP file. The child is named after the name stored in the header, else after the file itself without
/// `.gz`, else "decompressed".
pub fn read_gzip(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    let mut input = BufReader::new(open_non_empty(src)?);
    let header = parse_gzip_header(&mut input)?;
    let name = header
        .name
        .clone()
        .or_else(|| name_from_source(src, GZIP_SUFFIXES))
        .unwrap_or_else(|| "decompressed".to_string());
    let mut members = GzipMembers::new(input);
    let mut report = Report::new(ctx);
    report.note_compression("gzip");
    decompress_one(ctx, &mut report, "gz", &name, header.modified, &mut members)?;
    if members.trailing_data {
        report.diagnose("data after the last gzip member is not gzip; ignored");
    }
    report.metadata.set("gzip_members", members.n_members.to_string());
    Ok(report.finish())
}

/// Reads a BZIP2 file (several concatenated streams, as `pbzip2` and `lbzip2` write, read as one).
pub fn read_bzip2(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    let mut input = BufReader::new(open_non_empty(src)?);
    check_magic(&mut input, BZIP2_MAGIC, "bz2")?;
    let name = name_from_source(src, BZIP2_SUFFIXES).unwrap_or_else(|| "decompressed".to_string());
    let mut decoder = bzip2::bufread::MultiBzDecoder::new(input);
    let mut report = Report::new(ctx);
    report.note_compression("bzip2");
    decompress_one(ctx, &mut report, "bz2", &name, None, &mut decoder)?;
    Ok(report.finish())
}

/// Reads an XZ file (several concatenated streams read as one).
pub fn read_xz(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    let mut input = BufReader::new(open_non_empty(src)?);
    check_magic(&mut input, XZ_MAGIC, "xz")?;
    let name = name_from_source(src, XZ_SUFFIXES).unwrap_or_else(|| "decompressed".to_string());
    let mut decoder = lzma_rust2::XzReader::new(input, true);
    let mut report = Report::new(ctx);
    report.note_compression("xz");
    decompress_one(ctx, &mut report, "xz", &name, None, &mut decoder)?;
    Ok(report.finish())
}

fn name_from_source(src: &Source<'_>, suffixes: &[(&str, &str)]) -> Option<String> {
    let file_name = src
        .name
        .map(str::to_string)
        .or_else(|| src.path.file_name().map(|name| name.to_string_lossy().into_owned()))?;
    // Only the last path component: the child's name is relative to its parent.
    let file_name = file_name.rsplit(['/', '\\']).next().unwrap_or(&file_name).to_string();
    strip_compression_suffix(&file_name, suffixes)
}

fn check_magic(input: &mut BufReader<File>, magic: &[u8], format: &str) -> Result<(), ExtractError> {
    let start = input.fill_buf().map_err(|err| ExtractError::io(&err))?;
    if start.len() < magic.len() && magic.starts_with(start) {
        return Err(ExtractError::truncated(format, "file ends inside the header"));
    }
    if !start.starts_with(magic) {
        return Err(ExtractError::malformed(format, "no signature at the start"));
    }
    Ok(())
}

/// Streams the single decompressed child to the sink. A stream that breaks part-way loses the child (the sink
/// keeps no half-written child) and fails the file: truncated when the input ended early, malformed otherwise.
fn decompress_one(
    ctx: &mut Context<'_>,
    report: &mut Report,
    format: &str,
    name: &str,
    modified: Option<String>,
    decoder: &mut dyn Read,
) -> Result<(), ExtractError> {
    let meta = ChildMeta { name: name.to_string(), kind: ChildKind::Decompressed, modified };
    let mut spy = ErrorSpy::new(decoder);
    match Report::offer(ctx, meta, &mut spy)? {
        Offer::Kept => {
            report.list_file(name, Some(spy.bytes_read), None);
            Ok(())
        }
        Offer::Refused(err) => Err(match spy.last_error {
            Some((io::ErrorKind::UnexpectedEof, detail)) => {
                ExtractError::truncated(format, format!("{detail} (after {} decompressed bytes)", spy.bytes_read))
            }
            Some((_, detail)) => {
                ExtractError::malformed(format, format!("{detail} (after {} decompressed bytes)", spy.bytes_read))
            }
            None => err,
        }),
    }
}

/// Parses the first member's header (RFC 1952) without consuming it: the decoder reads it again.
fn parse_gzip_header(input: &mut BufReader<File>) -> Result<GzipHeader, ExtractError> {
    let start = input.fill_buf().map_err(|err| ExtractError::io(&err))?;
    if start.len() < GZIP_MAGIC.len() || !start.starts_with(GZIP_MAGIC) {
        if GZIP_MAGIC.starts_with(start) {
            return Err(ExtractError::truncated("gz", "file ends inside the header"));
        }
        return Err(ExtractError::malformed("gz", "no gzip signature at the start"));
    }
    Ok(parse_gzip_header_bytes(start))
}

/// Best effort over the buffered start of the file: a header longer than the buffer just loses its name.
fn parse_gzip_header_bytes(bytes: &[u8]) -> GzipHeader {
    const FEXTRA: u8 = 0x04;
    const FNAME: u8 = 0x08;
    let mut header = GzipHeader::default();
    if bytes.len() < 10 {
        return header;
    }
    let flags = bytes[3];
    let mtime = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]);
    if mtime != 0 {
        header.modified = Some(iso8601_from_unix_seconds(i64::from(mtime)));
    }
    let mut position = 10usize;
    if flags & FEXTRA != 0 {
        let Some(length) = bytes.get(position..position + 2) else {
            return header;
        };
        position += 2 + usize::from(u16::from_le_bytes([length[0], length[1]]));
    }
    if flags & FNAME != 0
        && let Some(rest) = bytes.get(position..)
        && let Some(end) = rest.iter().position(|byte| *byte == 0)
    {
        let raw = &rest[..end];
        // The name is the original file's, possibly with a directory: keep only its last component.
        let name = dossier_text::decode_name(raw).text;
        let name = name.rsplit(['/', '\\']).next().unwrap_or("").trim().to_string();
        if !name.is_empty() {
            header.name = Some(name);
        }
    }
    header
}

/// Concatenated GZIP members read as one stream, like `gunzip`. Unlike `flate2::MultiGzDecoder`, data after the
/// last member that is not another member (tape padding, junk) ends the stream instead of failing it.
struct GzipMembers {
    current: Option<flate2::bufread::GzDecoder<BufReader<File>>>,
    n_members: u64,
    trailing_data: bool,
}

impl GzipMembers {
    fn new(input: BufReader<File>) -> GzipMembers {
        GzipMembers { current: Some(flate2::bufread::GzDecoder::new(input)), n_members: 1, trailing_data: false }
    }

    /// After a member: starts the next one, or notes non-zero trailing data and ends.
    fn next_member(&mut self, mut input: BufReader<File>) -> io::Result<bool> {
        let rest = input.fill_buf()?;
        if rest.is_empty() {
            return Ok(false);
        }
        if rest.starts_with(GZIP_MAGIC) || rest == [GZIP_MAGIC[0]] {
            self.current = Some(flate2::bufread::GzDecoder::new(input));
            self.n_members += 1;
            return Ok(true);
        }
        // Zero padding after the last member is normal (tape blocks); anything else is worth a diagnostic.
        loop {
            let rest = input.fill_buf()?;
            if rest.is_empty() {
                return Ok(false);
            }
            if rest.iter().any(|byte| *byte != 0) {
                self.trailing_data = true;
                return Ok(false);
            }
            let n = rest.len();
            input.consume(n);
        }
    }
}

impl Read for GzipMembers {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            let Some(decoder) = self.current.as_mut() else {
                return Ok(0);
            };
            let n = decoder.read(buf)?;
            if n > 0 {
                return Ok(n);
            }
            let Some(decoder) = self.current.take() else {
                return Ok(0);
            };
            if !self.next_member(decoder.into_inner())? {
                return Ok(0);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_header_gives_name_and_date() {
        let mut bytes = vec![0x1f, 0x8b, 8, 0x08 | 0x04, 0x00, 0x5e, 0xd0, 0x5e, 0, 3];
        bytes.extend_from_slice(&[3, 0, b'a', b'b', b'c']);
        bytes.extend_from_slice(b"dir/report.doc\0");
        let header = parse_gzip_header_bytes(&bytes);
        assert_eq!(header.name.as_deref(), Some("report.doc"));
        assert_eq!(header.modified.as_deref(), Some("2020-05-29T00:57:36Z"));
    }

    #[test]
    fn gzip_header_without_name_or_date() {
        let bytes = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3];
        assert_eq!(parse_gzip_header_bytes(&bytes), GzipHeader::default());
    }
}
