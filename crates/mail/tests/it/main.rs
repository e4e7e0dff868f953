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
