//! MBOX mailboxes, streamed line by line: each message goes to the sink as `message-NNNN.eml`, and the mailbox's
//! own text is an index of its messages.

use std::io::{BufRead, BufReader, Read, Seek};

use dossier_document::{ChildKind, ChildMeta, Context, ExtractError, Extraction, Metadata, Source, TextBuilder};
use mail_parser::MessageParser;

use crate::line_endings::{CrlfForLoneCr, ends_lines_with_cr_alone};

const FORMAT: &str = "mbox";

/// Lines are read in pieces of at most this many bytes, so that a file without line breaks cannot grow a buffer.
const MAX_LINE_PIECE: usize = 64 * 1024;

pub fn read_mbox(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    let mut file = std::fs::File::open(src.path).map_err(|err| ExtractError::io(&err))?;
    let len = file.metadata().map_err(|err| ExtractError::io(&err))?.len();
    if len == 0 {
        return Err(ExtractError::Empty);
    }
    let mut head = Vec::new();
    (&mut file).take(8192).read_to_end(&mut head).map_err(|err| ExtractError::io(&err))?;
    file.rewind().map_err(|err| ExtractError::io(&err))?;
    // A mailbox of classic Mac OS line endings is read as if its lines ended in CRLF.
    let source: Box<dyn Read> =
        if ends_lines_with_cr_alone(&head) { Box::new(CrlfForLoneCr::new(file)) } else { Box::new(file) };
    let mut splitter = Splitter::new(ctx.limits.max_in_memory_bytes, ctx.limits.max_text_bytes);
    let mut reader = LineReader::new(BufReader::with_capacity(64 * 1024, source));
    loop {
        match reader.next_piece() {
            Ok(Some(piece)) => splitter.feed(piece, ctx)?,
            Ok(None) => break,
            Err(err) if splitter.n_messages > 0 => {
                splitter.diagnostics.push(format!("reading stopped after message {}: {err}", splitter.n_messages));
                break;
            }
            Err(err) => return Err(ExtractError::io(&err)),
        }
    }
    splitter.finish(ctx)
}

/// A piece of a line: the whole line with its line break, or, for very long lines, a part of it.
struct Piece<'a> {
    bytes: &'a [u8],
    at_line_start: bool,
}

/// Reads a stream in line pieces of bounded length.
struct LineReader<R> {
    reader: R,
    buffer: Vec<u8>,
    at_line_start: bool,
}

impl<R: BufRead> LineReader<R> {
    fn new(reader: R) -> Self {
        LineReader { reader, buffer: Vec::with_capacity(MAX_LINE_PIECE), at_line_start: true }
    }

    fn next_piece(&mut self) -> std::io::Result<Option<Piece<'_>>> {
        self.buffer.clear();
        let at_line_start = self.at_line_start;
        (&mut self.reader).take(MAX_LINE_PIECE as u64).read_until(b'\n', &mut self.buffer)?;
        if self.buffer.is_empty() {
            return Ok(None);
        }
        self.at_line_start = self.buffer.ends_with(b"\n");
        Ok(Some(Piece { bytes: &self.buffer, at_line_start }))
    }
}

/// Cuts the stream into messages at `From ` separator lines.
struct Splitter {
    max_message_bytes: u64,
    message: Vec<u8>,
    message_cut_off: bool,
    /// Whether a separator opened the message being collected (bytes before the first one are a stray preamble).
    message_has_separator: bool,
    n_messages: usize,
    index: TextBuilder,
    diagnostics: Vec<String>,
}

impl Splitter {
    fn new(max_message_bytes: u64, max_text_bytes: usize) -> Self {
        Splitter {
            max_message_bytes,
            message: Vec::new(),
            message_cut_off: false,
            message_has_separator: false,
            n_messages: 0,
            index: TextBuilder::new(max_text_bytes),
            diagnostics: Vec::new(),
        }
    }

    fn feed(&mut self, piece: Piece<'_>, ctx: &mut Context<'_>) -> Result<(), ExtractError> {
        let mut bytes = piece.bytes;
        if piece.at_line_start {
            if is_separator_line(bytes) {
                self.end_message(ctx)?;
                self.message_has_separator = true;
                return Ok(());
            }
            // mboxrd escapes every ">*From " line in a body with one more '>', mboxo only "From "; removing one
            // '>' undoes both.
            let unquoted = bytes.iter().position(|&b| b != b'>').unwrap_or(bytes.len());
            if unquoted > 0 && bytes[unquoted..].starts_with(b"From ") {
                bytes = &bytes[1..];
            }
        }
        if self.message.len() as u64 + bytes.len() as u64 > self.max_message_bytes {
            self.message_cut_off = true;
        } else {
            self.message.extend_from_slice(bytes);
        }
        Ok(())
    }

    fn end_message(&mut self, ctx: &mut Context<'_>) -> Result<(), ExtractError> {
        let mut message = std::mem::take(&mut self.message);
        let cut_off = std::mem::replace(&mut self.message_cut_off, false);
        if !self.message_has_separator {
            if message.iter().all(u8::is_ascii_whitespace) {
                return Ok(());
            }
            self.diagnostics.push(format!(
                "{} bytes before the first \"From \" separator line were read as a message",
                message.len()
            ));
        }
        // The blank line before the next separator belongs to the mailbox, not to the message.
        if message.ends_with(b"\r\n\r\n") {
            message.truncate(message.len() - 2);
        } else if message.ends_with(b"\n\n") {
            message.truncate(message.len() - 1);
        }
        self.n_messages += 1;
        let name = format!("message-{:04}.eml", self.n_messages);
        if cut_off {
            self.diagnostics.push(format!(
                "{name} is larger than the in-memory limit of {} bytes and was cut off",
                self.max_message_bytes
            ));
        }
        let summary = summarise(&message);
        self.index.push(&format!(
            "{:04}  {}  {}  {}",
            self.n_messages,
            summary.date.as_deref().unwrap_or("-"),
            summary.from.as_deref().unwrap_or("-"),
            summary.subject.as_deref().unwrap_or("-")
        ));
        self.index.end_line();
        let mut meta = ChildMeta::new(name.clone(), ChildKind::Message);
        meta.modified = summary.date;
        match ctx.sink.add(meta, &mut message.as_slice()) {
            Ok(()) => Ok(()),
            Err(err @ ExtractError::LimitExceeded(_)) => Err(err),
            Err(err) => {
                self.diagnostics.push(format!("{name} not kept: {err}"));
                Ok(())
            }
        }
    }

    fn finish(mut self, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
        self.end_message(ctx)?;
        if self.n_messages == 0 {
            return Err(ExtractError::malformed(FORMAT, "no message in the mailbox"));
        }
        let mut metadata = Metadata::default();
        metadata.set("messages", self.n_messages.to_string());
        let (text, cut_off) = self.index.finish();
        self.diagnostics.extend(cut_off);
        Ok(Extraction { text, metadata, diagnostics: self.diagnostics })
    }
}

/// An mbox separator: `From ` at the start of a line followed by an envelope sender and a date
/// (`From alice@example.org Thu Nov  2 10:00:00 2023`). Requiring the time of day keeps an unescaped
/// "From the start..." line inside a body (mboxo writers do not always escape) from splitting a message.
fn is_separator_line(line: &[u8]) -> bool {
    let Some(rest) = line.strip_prefix(b"From ") else {
        return false;
    };
    let has_time = rest.windows(5).any(|w| {
        w[0].is_ascii_digit() && w[1].is_ascii_digit() && w[2] == b':' && w[3].is_ascii_digit() && w[4].is_ascii_digit()
    });
    let has_year = rest.windows(4).any(|w| w.iter().all(u8::is_ascii_digit));
    has_time && has_year
}

/// What the mailbox index says about one message.
struct Summary {
    date: Option<String>,
    from: Option<String>,
    subject: Option<String>,
}

fn summarise(message: &[u8]) -> Summary {
    // Only the header block is parsed here: the full message is parsed again when the sink's consumer reads it.
    // The block keeps its final line break: without it mail-parser drops the last header field.
    let header_end = find(message, b"\n\n")
        .map(|end| end + 2)
        .or_else(|| find(message, b"\r\n\r\n").map(|end| end + 4))
        .unwrap_or(message.len());
    let header_block = &message[..header_end.min(message.len())];
    let parsed = std::panic::catch_unwind(|| MessageParser::default().parse_headers(header_block));
    let Ok(Some(parsed)) = parsed else {
        return Summary { date: None, from: None, subject: None };
    };
    let date = parsed.date().filter(|date| date.is_valid()).map(crate::eml::iso_8601);
    let from = parsed.from().and_then(|from| from.first()).and_then(|addr| match (addr.name(), addr.address()) {
        (Some(name), Some(address)) => Some(format!("{name} <{address}>")),
        (None, Some(address)) => Some(address.to_string()),
        (Some(name), None) => Some(name.to_string()),
        (None, None) => None,
    });
    let subject = parsed.subject().map(|subject| subject.split_whitespace().collect::<Vec<_>>().join(" "));
    Summary { date, from, subject }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separator_needs_an_envelope_date() {
        assert!(is_separator_line(b"From alice@example.org Thu Nov  2 10:00:00 2023\n"));
        assert!(is_separator_line(b"From MAILER-DAEMON Fri Jul  8 12:08:34 2011\r\n"));
        assert!(!is_separator_line(b"From the start we knew.\n"));
        assert!(!is_separator_line(b">From alice Thu Nov  2 10:00:00 2023\n"));
    }

    #[test]
    fn long_lines_come_in_bounded_pieces() {
        let long = vec![b'x'; MAX_LINE_PIECE * 2 + 10];
        let mut reader = LineReader::new(&long[..]);
        let mut pieces = Vec::new();
        while let Some(piece) = reader.next_piece().expect("in-memory read") {
            pieces.push((piece.bytes.len(), piece.at_line_start));
        }
        assert_eq!(pieces, vec![(MAX_LINE_PIECE, true), (MAX_LINE_PIECE, false), (10, false)]);
    }
}
