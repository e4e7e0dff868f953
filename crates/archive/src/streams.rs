//! Reader adapters that make a member's stream honest about how it ended.

use std::io::{self, Read};

/// Passes reads through and remembers the last error, so that a reader can tell after the sink gave up whether
/// the stream was cut short (truncated) or garbled (malformed): the sink only reports the error's text. It also
/// counts the bytes that went through, for the listing.
pub(crate) struct ErrorSpy<R> {
    inner: R,
    pub(crate) last_error: Option<(io::ErrorKind, String)>,
    pub(crate) bytes_read: u64,
}

impl<R: Read> ErrorSpy<R> {
    pub(crate) fn new(inner: R) -> ErrorSpy<R> {
        ErrorSpy { inner, last_error: None, bytes_read: 0 }
    }
}

impl<R: Read> Read for ErrorSpy<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let result = self.inner.read(buf);
        match &result {
            Ok(n) => self.bytes_read += *n as u64,
            Err(err) if err.kind() != io::ErrorKind::Interrupted => {
                self.last_error = Some((err.kind(), err.to_string()));
            }
            Err(_) => {}
        }
        result
    }
}

/// Fails with `UnexpectedEof` when the inner stream ends before the length its header declared, so that a member
/// cut off by a truncated archive is reported rather than kept silently short.
pub(crate) struct ExactLength<R> {
    inner: R,
    remaining: u64,
}

impl<R: Read> ExactLength<R> {
    pub(crate) fn new(inner: R, declared_length: u64) -> ExactLength<R> {
        ExactLength { inner, remaining: declared_length }
    }
}

impl<R: Read> Read for ExactLength<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        if n == 0 && self.remaining > 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("member ends {} bytes before its declared size", self.remaining),
            ));
        }
        self.remaining = self.remaining.saturating_sub(n as u64);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_length_reports_a_short_member() {
        let mut reader = ExactLength::new(&b"abc"[..], 5);
        let mut out = Vec::new();
        let err = reader.read_to_end(&mut out).expect_err("short");
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
        assert_eq!(out, b"abc");

        let mut reader = ExactLength::new(&b"abc"[..], 3);
        let mut out = Vec::new();
        reader.read_to_end(&mut out).expect("exact");
        assert_eq!(out, b"abc");
    }

    #[test]
    fn error_spy_remembers_the_kind() {
        let mut spy = ErrorSpy::new(ExactLength::new(&b""[..], 1));
        let mut out = Vec::new();
        assert!(spy.read_to_end(&mut out).is_err());
        assert_eq!(spy.last_error.as_ref().map(|(kind, _)| *kind), Some(io::ErrorKind::UnexpectedEof));
    }
}
