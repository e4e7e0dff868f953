//! What every fuzz target shares: running a reader over fuzzer bytes as the pipeline would, under small limits.
//!
//! Readers take a [`Source`] (a path) because they stream from disk; each input is written to one unnamed
//! temporary file per process and read through `/proc/self/fd`, so an execution costs a write, not a new file.
//! The limits are far smaller than the defaults so that a hostile input meets them within one execution: a reader
//! that then allocates or loops without bound shows as an out-of-memory or a timeout of libFuzzer (`-rss_limit_mb`,
//! `-timeout`), which is as much a finding as a panic.

use std::cell::RefCell;
use std::fs::File;
use std::io::{Seek, Write};
use std::os::fd::AsRawFd;
use std::path::PathBuf;

use dossier_document::{Context, Extraction, Limits, MemorySink, OcrOptions, Options, ReadFn, Source};

/// Limits for one fuzz execution: a few megabytes of children, 64 KiB of text, images of 16 megapixels.
pub fn limits() -> Limits {
    Limits {
        max_unpacked_bytes: 8 << 20,
        max_ratio: 100,
        ratio_floor_bytes: 1 << 20,
        max_entries: 1000,
        max_depth: 12,
        max_text_bytes: 64 << 10,
        max_in_memory_bytes: 4 << 20,
        max_image_pixels: 16 << 20,
    }
}

thread_local! {
    /// The file each input is written to, and the path readers open it by.
    static INPUT: RefCell<Option<(File, PathBuf)>> = const { RefCell::new(None) };
}

/// Runs `read` over `data` as a file named `name` (some readers take a hint from the name), and checks what every
/// reader promises whatever the input: the text stays within `max_text_bytes`. Errors are fine: a reader may refuse
/// any input, as long as it returns.
pub fn read_as_file(data: &[u8], name: &str, read: ReadFn) -> Option<Extraction> {
    INPUT.with_borrow_mut(|input| {
        let (file, path) = input.get_or_insert_with(|| {
            let file = tempfile::tempfile().expect("an unnamed temporary file for the fuzz input");
            let path = PathBuf::from(format!("/proc/self/fd/{}", file.as_raw_fd()));
            (file, path)
        });
        file.set_len(0).expect("truncating the fuzz input file");
        file.rewind().expect("rewinding the fuzz input file");
        file.write_all(data).expect("writing the fuzz input file");
        let limits = limits();
        // No OCR: no reader fuzzed here runs it, and a fuzz run must never start Tesseract.
        let options = Options { ocr: OcrOptions { enabled: false, ..OcrOptions::default() }, ..Options::default() };
        let mut sink = MemorySink::new(&limits, data.len() as u64);
        let mut context = Context { limits: &limits, options: &options, sink: &mut sink };
        let extraction = read(&Source { path, name: Some(name) }, &mut context).ok()?;
        assert!(
            extraction.text.len() <= limits.max_text_bytes,
            "text of {} bytes past max_text_bytes {}",
            extraction.text.len(),
            limits.max_text_bytes
        );
        Some(extraction)
    })
}
