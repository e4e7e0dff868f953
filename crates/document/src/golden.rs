//! Golden-file tests shared by the format crates.
//!
//! Each fixture `test_data/<format>/NNNN_name.ext` sits next to `NNNN_name.ext.expected`, a stable text dump of
//! what the reader made of it (outcome, metadata, diagnostics, children, text). A test calls [`check_dir`]; after
//! an intended change, `DOSSIER_UPDATE_GOLDEN=1 cargo test` rewrites the expected files for review in the diff.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::{Context, ExtractError, Extraction, Limits, MemoryChild, MemorySink, MetaValue, Options, ReadFn, Source};

const EXPECTED_SUFFIX: &str = ".expected";

/// Reads `path` with `read` and default limits, collecting children in memory.
pub fn run(read: ReadFn, path: &Path) -> (Result<Extraction, ExtractError>, Vec<MemoryChild>) {
    let limits = Limits::default();
    let options = Options::default();
    let len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let mut sink = MemorySink::new(&limits, len);
    let name = path.file_name().and_then(|n| n.to_str());
    let result = {
        let mut ctx = Context { limits: &limits, options: &options, sink: &mut sink };
        read(&Source { path, name }, &mut ctx)
    };
    (result, sink.children)
}

/// A stable, human-readable dump of a reader's result.
pub fn dump(result: &Result<Extraction, ExtractError>, children: &[MemoryChild]) -> String {
    let mut out = String::new();
    match result {
        Err(err) => {
            let _ = writeln!(out, "outcome: failed");
            let _ = writeln!(out, "error: {err}");
        }
        Ok(extraction) => {
            let outcome = if extraction.is_partial() { "partial" } else { "ok" };
            let _ = writeln!(out, "outcome: {outcome}");
            if !extraction.metadata.is_empty() {
                let _ = writeln!(out, "metadata:");
                for (key, value) in extraction.metadata.iter() {
                    match value {
                        MetaValue::One(value) => {
                            let _ = writeln!(out, "  {key}: {value}");
                        }
                        MetaValue::Many(values) => {
                            let _ = writeln!(out, "  {key}:");
                            for value in values {
                                let _ = writeln!(out, "    - {value}");
                            }
                        }
                    }
                }
            }
            if !extraction.diagnostics.is_empty() {
                let _ = writeln!(out, "diagnostics:");
                for diagnostic in &extraction.diagnostics {
                    let _ = writeln!(out, "  - {diagnostic}");
                }
            }
        }
    }
    if !children.is_empty() {
        let _ = writeln!(out, "children:");
        for child in children {
            let kind = child.meta.kind.name();
            let _ = write!(out, "  - {} ({kind}, {} bytes", child.meta.name, child.content.len());
            if let Some(modified) = &child.meta.modified {
                let _ = write!(out, ", modified {modified}");
            }
            let _ = writeln!(out, ")");
        }
    }
    if let Ok(extraction) = result {
        let _ = writeln!(out, "text:");
        out.push_str(&extraction.text);
        if !extraction.text.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// Checks every fixture in `dir` against its golden dump; panics with a readable report listing every mismatch.
/// Panics too when the folder holds no fixture, so a misplaced folder cannot pass silently.
pub fn check_dir(dir: &Path, read: ReadFn) {
    let update = std::env::var_os("DOSSIER_UPDATE_GOLDEN").is_some();
    let fixtures = fixtures(dir);
    assert!(!fixtures.is_empty(), "no fixtures in {}", dir.display());
    let mut failures = Vec::new();
    for fixture in &fixtures {
        let (result, children) = run(read, fixture);
        let actual = dump(&result, &children);
        let expected_path = PathBuf::from(format!("{}{EXPECTED_SUFFIX}", fixture.display()));
        if update {
            std::fs::write(&expected_path, &actual).expect("golden file is writable");
            continue;
        }
        match std::fs::read_to_string(&expected_path) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => {
                failures.push(format!("{}:\n--- expected\n{expected}\n--- actual\n{actual}", fixture.display()))
            }
            Err(_) => failures.push(format!(
                "{}: no {EXPECTED_SUFFIX} file (run with DOSSIER_UPDATE_GOLDEN=1 and review it)",
                fixture.display()
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} golden files differ:\n\n{}",
        failures.len(),
        fixtures.len(),
        failures.join("\n\n")
    );
}

fn fixtures(dir: &Path) -> Vec<PathBuf> {
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", dir.display()))
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.is_file() && !path.to_string_lossy().ends_with(EXPECTED_SUFFIX))
        .collect();
    fixtures.sort();
    fixtures
}
