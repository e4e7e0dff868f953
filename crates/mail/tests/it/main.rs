//! Integration tests of the e-mail readers: golden dumps of hand-written messages and mailboxes, and the
//! behaviours a golden dump cannot show on its own (exact attachment bytes, limits).

mod eml;
mod mbox;

use std::path::{Path, PathBuf};

use dossier_document::{Context, ExtractError, Extraction, Limits, MemoryChild, MemorySink, Options, ReadFn, Source};

fn test_data(format: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data").join(format)
}

/// Runs `read` on `path` with the given limits, collecting children in memory.
fn run_with(read: ReadFn, path: &Path, limits: &Limits) -> (Result<Extraction, ExtractError>, Vec<MemoryChild>) {
    let options = Options::default();
    let mut sink = MemorySink::new(limits, 1 << 20);
    let result = {
        let mut ctx = Context { limits, options: &options, sink: &mut sink };
        read(&Source { path, name: None }, &mut ctx)
    };
    (result, sink.children)
}

/// `bytes` with every line ending (CRLF or LF) turned into a CR alone, as classic Mac OS mail programs wrote them.
fn with_cr_only_line_endings(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    for (at, &byte) in bytes.iter().enumerate() {
        match byte {
            b'\r' if bytes.get(at + 1) == Some(&b'\n') => {}
            b'\n' => out.push(b'\r'),
            other => out.push(other),
        }
    }
    out
}

/// Reads `bytes` written to a temporary file named `name`.
fn run_bytes(read: ReadFn, name: &str, bytes: &[u8]) -> (Result<Extraction, ExtractError>, Vec<MemoryChild>) {
    let dir = std::env::temp_dir().join(format!("dossier-mail-it-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir is writable");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("temp file is writable");
    let result = run_with(read, &path, &Limits::default());
    let _ = std::fs::remove_dir_all(&dir);
    result
}
