//! How readers hand over the files they find inside a file, as bounded streams.

use std::io::{Read, Write};

use serde::{Deserialize, Serialize};

use crate::{ExtractError, Limits};

/// How a child relates to its parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChildKind {
    /// A member of an archive (ZIP, TAR, 7z).
    Member,
    /// The single stream inside a compressed file (GZ, BZ2, XZ).
    Decompressed,
    /// An e-mail attachment.
    Attachment,
    /// A message of a mailbox (MBOX, PST).
    Message,
    /// A file embedded in a document (an OLE object in a DOCX, an image in a PDF).
    Embedded,
}

impl ChildKind {
    pub fn name(self) -> &'static str {
        match self {
            ChildKind::Member => "member",
            ChildKind::Decompressed => "decompressed",
            ChildKind::Attachment => "attachment",
            ChildKind::Message => "message",
            ChildKind::Embedded => "embedded",
        }
    }
}

/// What a reader knows about a child besides its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildMeta {
    /// Path inside the parent (archive member path, attachment file name, "message 12"). Never used as a file
    /// system path without sanitising: it comes from the hostile file.
    pub name: String,
    pub kind: ChildKind,
    /// Modification time recorded in the parent (ISO 8601), if any.
    pub modified: Option<String>,
}

impl ChildMeta {
    pub fn new(name: impl Into<String>, kind: ChildKind) -> ChildMeta {
        ChildMeta { name: name.into(), kind, modified: None }
    }
}

/// Receives the children of a file.
///
/// Contract for readers: when [`ChildSink::add`] returns [`ExtractError::LimitExceeded`], stop and return that
/// error (the file is a bomb or too large); on any other error that child was not kept, so record a diagnostic
/// naming it and go on with the next one.
pub trait ChildSink {
    fn add(&mut self, meta: ChildMeta, content: &mut dyn Read) -> Result<(), ExtractError>;
}

/// Counts what one file unpacks against [`Limits`]: entries, total bytes and compression ratio.
#[derive(Debug, Clone)]
pub struct Budget {
    limits: Limits,
    packed_bytes: u64,
    unpacked_bytes: u64,
    entries: u64,
}

impl Budget {
    /// `packed_bytes` is the size of the parent file, against which the ratio is measured.
    pub fn new(limits: &Limits, packed_bytes: u64) -> Budget {
        Budget { limits: limits.clone(), packed_bytes: packed_bytes.max(1), unpacked_bytes: 0, entries: 0 }
    }

    pub fn unpacked_bytes(&self) -> u64 {
        self.unpacked_bytes
    }

    /// Counts one more child.
    pub fn start_entry(&mut self) -> Result<(), ExtractError> {
        self.entries += 1;
        if self.entries > self.limits.max_entries {
            return Err(ExtractError::LimitExceeded(format!("entries {} > {}", self.entries, self.limits.max_entries)));
        }
        Ok(())
    }

    fn count(&mut self, n: u64) -> Result<(), ExtractError> {
        self.unpacked_bytes += n;
        if self.unpacked_bytes > self.limits.max_unpacked_bytes {
            return Err(ExtractError::LimitExceeded(format!(
                "total unpacked bytes {} > {}",
                self.unpacked_bytes, self.limits.max_unpacked_bytes
            )));
        }
        if self.unpacked_bytes > self.limits.ratio_floor_bytes
            && self.unpacked_bytes / self.packed_bytes > self.limits.max_ratio
        {
            return Err(ExtractError::LimitExceeded(format!(
                "compression ratio {} > {} ({} bytes from {})",
                self.unpacked_bytes / self.packed_bytes,
                self.limits.max_ratio,
                self.unpacked_bytes,
                self.packed_bytes
            )));
        }
        Ok(())
    }

    /// Copies `reader` into `writer`, counting every byte; stops as soon as a limit is exceeded, so a bomb is
    /// refused after at most one buffer past the limit.
    pub fn copy(&mut self, reader: &mut dyn Read, writer: &mut dyn Write) -> Result<u64, ExtractError> {
        let mut buf = vec![0u8; 64 * 1024];
        let mut total = 0u64;
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => return Ok(total),
                Ok(n) => n,
                Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(err) => return Err(ExtractError::io(&err)),
            };
            self.count(n as u64)?;
            writer.write_all(&buf[..n]).map_err(|err| ExtractError::io(&err))?;
            total += n as u64;
        }
    }
}

/// A child held in memory, as collected by [`MemorySink`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoryChild {
    pub meta: ChildMeta,
    pub content: Vec<u8>,
}

/// A sink that keeps children in memory: for tests and for `dossier extract` of small files.
#[derive(Debug)]
pub struct MemorySink {
    budget: Budget,
    pub children: Vec<MemoryChild>,
}

impl MemorySink {
    pub fn new(limits: &Limits, packed_bytes: u64) -> MemorySink {
        MemorySink { budget: Budget::new(limits, packed_bytes), children: Vec::new() }
    }
}

impl ChildSink for MemorySink {
    fn add(&mut self, meta: ChildMeta, content: &mut dyn Read) -> Result<(), ExtractError> {
        self.budget.start_entry()?;
        let mut bytes = Vec::new();
        self.budget.copy(content, &mut bytes)?;
        self.children.push(MemoryChild { meta, content: bytes });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tight_limits() -> Limits {
        Limits { max_unpacked_bytes: 1000, max_ratio: 10, ratio_floor_bytes: 100, max_entries: 2, ..Limits::default() }
    }

    #[test]
    fn ratio_is_checked_only_past_the_floor() {
        let mut sink = MemorySink::new(&tight_limits(), 5);
        // 100 bytes from 5 packed is a ratio of 20, but still under the floor.
        sink.add(ChildMeta::new("a", ChildKind::Member), &mut &[0u8; 100][..]).expect("under the floor");
        let err = sink.add(ChildMeta::new("b", ChildKind::Member), &mut &[0u8; 1][..]).expect_err("ratio");
        assert_eq!(err.summary(), "limit exceeded: compression ratio");
    }

    #[test]
    fn entries_and_total_bytes_are_bounded() {
        let mut sink = MemorySink::new(&tight_limits(), 1000);
        let err = sink.add(ChildMeta::new("a", ChildKind::Member), &mut &[0u8; 1001][..]).expect_err("bytes");
        assert_eq!(err.summary(), "limit exceeded: total unpacked bytes");

        let mut sink = MemorySink::new(&tight_limits(), 1000);
        for name in ["a", "b"] {
            sink.add(ChildMeta::new(name, ChildKind::Member), &mut &b"x"[..]).expect("within limits");
        }
        let err = sink.add(ChildMeta::new("c", ChildKind::Member), &mut &b"x"[..]).expect_err("entries");
        assert_eq!(err.to_string(), "limit exceeded: entries 3 > 2");
    }
}
