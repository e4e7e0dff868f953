//! Integration tests of the archive readers: golden files per format, bomb limits, member names in legacy code
//! pages, and RAR through unar.

mod golden;
mod limits;
mod names;
mod rar;

use std::path::{Path, PathBuf};

use dossier_document::{Context, ExtractError, Extraction, Limits, MemoryChild, MemorySink, Options, ReadFn, Source};

fn fixture(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test_data").join(relative)
}

fn read_with(
    read: ReadFn,
    path: &Path,
    limits: &Limits,
    options: &Options,
) -> (Result<Extraction, ExtractError>, Vec<MemoryChild>) {
    let len = std::fs::metadata(path).expect("fixture exists").len();
    let mut sink = MemorySink::new(limits, len);
    let result = read(&Source { path, name: None }, &mut Context { limits, options, sink: &mut sink });
    (result, sink.children)
}
