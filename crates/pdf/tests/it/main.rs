//! Integration tests of the PDF reader: golden fixtures, passwords, and limits.

mod content;
mod golden;
mod limits;
mod ocr;
mod passwords;
mod sections;

use std::path::{Path, PathBuf};

use dossier_document::{Context, ExtractError, Extraction, Limits, MemorySink, Options, Source};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/pdf").join(name)
}

/// Reads a fixture with the given limits and options; returns the result and the number of children.
fn read(name: &str, limits: &Limits, options: &Options) -> (Result<Extraction, ExtractError>, usize) {
    let path = fixture(name);
    let mut sink = MemorySink::new(limits, 1 << 20);
    let result = {
        let mut ctx = Context { limits, options, sink: &mut sink };
        dossier_pdf::read_pdf(&Source { path: &path, name: None }, &mut ctx)
    };
    (result, sink.children.len())
}
