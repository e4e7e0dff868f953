//! Messages whose lines end in a carriage return alone, as classic Mac OS mail programs wrote them. RFC 5322 and
//! the MIME parser expect CRLF: read as they are, such a message is one long header line, its MIME never decoded.
//! Whether a file ends its lines so is told from its first line break; then every lone CR is read as CRLF.

use std::io::Read;

/// Whether the first line break in `head` is a CR not followed by LF.
pub(crate) fn ends_lines_with_cr_alone(head: &[u8]) -> bool {
    match head.iter().position(|&b| b == b'\r' || b == b'\n') {
        Some(at) => head[at] == b'\r' && head.get(at + 1).is_some_and(|&next| next != b'\n'),
        None => false,
    }
}

/// `bytes` with every CR that no LF follows turned into CRLF.
pub(crate) fn crlf_for_lone_cr(bytes: &[u8]) -> Vec<u8> {
    let lone = bytes.iter().enumerate().filter(|&(at, &b)| b == b'\r' && bytes.get(at + 1) != Some(&b'\n')).count();
    let mut out = Vec::with_capacity(bytes.len() + lone);
    for (at, &b) in bytes.iter().enumerate() {
        out.push(b);
        if b == b'\r' && bytes.get(at + 1) != Some(&b'\n') {
            out.push(b'\n');
        }
    }
    out
}

/// A reader that turns every CR that no LF follows into CRLF, for streaming a mailbox of such lines.
pub(crate) struct CrlfForLoneCr<R> {
    inner: R,
    /// The last byte handed out was a CR whose following byte is not known yet.
    after_cr: bool,
    /// A LF owed after a CR that filled the caller's buffer.
    owed_lf: bool,
    chunk: Vec<u8>,
}

impl<R: Read> CrlfForLoneCr<R> {
    pub(crate) fn new(inner: R) -> Self {
        CrlfForLoneCr { inner, after_cr: false, owed_lf: false, chunk: Vec::new() }
    }
}

impl<R: Read> Read for CrlfForLoneCr<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        if self.owed_lf {
            self.owed_lf = false;
            out[0] = b'\n';
            return Ok(1);
        }
        loop {
            // Each byte read becomes at most two: read no more than half the room (one byte into a room of one,
            // whose CR then owes its LF to the next call).
            self.chunk.resize((out.len() / 2).max(1), 0);
            let read = self.inner.read(&mut self.chunk)?;
            if read == 0 {
                return Ok(0);
            }
            let mut written = 0;
            for &byte in &self.chunk[..read] {
                // A CR is written as CRLF at once; a LF that follows it was already written.
                if byte == b'\n' && self.after_cr {
                    self.after_cr = false;
                    continue;
                }
                self.after_cr = byte == b'\r';
                if written < out.len() {
                    out[written] = byte;
                    written += 1;
                }
                if byte == b'\r' {
                    if written < out.len() {
                        out[written] = b'\n';
                        written += 1;
                    } else {
                        self.owed_lf = true;
                    }
                }
            }
            // A chunk of nothing but LFs after CRs gives no byte: read on rather than signal the end.
            if written > 0 {
                return Ok(written);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cr_alone_is_told_from_crlf_and_lf() {
        assert!(ends_lines_with_cr_alone(b"From: a\rTo: b\r"));
        assert!(!ends_lines_with_cr_alone(b"From: a\r\nTo: b\r\n"));
        assert!(!ends_lines_with_cr_alone(b"From: a\nTo: b\n"));
        assert!(!ends_lines_with_cr_alone(b"no line break"));
    }

    #[test]
    fn lone_crs_become_crlf_and_crlf_stays() {
        assert_eq!(crlf_for_lone_cr(b"a\rb\r\nc\r"), b"a\r\nb\r\nc\r\n");
    }

    #[test]
    fn the_streaming_reader_agrees_with_the_whole_conversion_at_every_buffer_size() {
        let input = b"From: a\r\rBody line\rsecond\r\nthird\r\r".to_vec();
        for size in 1..8 {
            let mut reader = CrlfForLoneCr::new(&input[..]);
            let mut out = Vec::new();
            let mut buffer = vec![0u8; size];
            loop {
                let read = reader.read(&mut buffer).expect("in memory");
                if read == 0 {
                    break;
                }
                out.extend_from_slice(&buffer[..read]);
            }
            assert_eq!(out, crlf_for_lone_cr(&input), "buffer of {size}");
        }
    }
}
