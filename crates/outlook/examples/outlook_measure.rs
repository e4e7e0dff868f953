//! Reads every .msg and .pst of the shared corpus and prints one line per file plus totals.
//!
//! `cargo run --release -p dossier-outlook --example outlook_measure [CORPUS_DIR]` (default ../shared/corpus/formats
//! relative to the repository root). Says so and exits when the corpus is absent.

use std::path::{Path, PathBuf};

use dossier_document::golden;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if let Some(ext) = path.extension().and_then(|e| e.to_str())
            && matches!(ext.to_ascii_lowercase().as_str(), "msg" | "pst")
        {
            out.push(path);
        }
    }
}

/// Reads an attached Outlook item handed over as a standalone .msg, to show that it reads as a message.
fn read_back(bytes: &[u8]) {
    let Ok(dir) = tempfile::tempdir() else { return };
    let path = dir.path().join("child.msg");
    if std::fs::write(&path, bytes).is_err() {
        return;
    }
    match golden::run(dossier_outlook::read_msg, &path) {
        (Ok(extraction), children) => println!(
            "             reads back: subject {:?}, {} chars, {} children, {:?}",
            extraction.metadata.get_str("subject").unwrap_or_default(),
            extraction.text.chars().count(),
            children.len(),
            extraction.diagnostics
        ),
        (Err(err), _) => println!("             does not read back: {err}"),
    }
}

fn main() {
    let default = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/formats");
    let root = std::env::args().nth(1).map(PathBuf::from).unwrap_or(default);
    if !root.is_dir() {
        println!("corpus absent at {}: nothing measured", root.display());
        return;
    }
    let mut paths = Vec::new();
    files(&root, &mut paths);
    paths.sort();
    let (mut ok, mut partial, mut failed) = (0, 0, 0);
    for path in &paths {
        let is_pst = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("pst"));
        let read = if is_pst { dossier_outlook::read_pst } else { dossier_outlook::read_msg };
        let (result, children) = golden::run(read, path);
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        match result {
            Ok(extraction) => {
                let outcome = if extraction.is_partial() {
                    partial += 1;
                    "partial"
                } else {
                    ok += 1;
                    "ok"
                };
                let subject = extraction.metadata.get_str("subject").unwrap_or_default();
                let first_body_line = extraction
                    .text
                    .split("\n\n")
                    .nth(1)
                    .unwrap_or("")
                    .lines()
                    .find(|line| !line.trim().is_empty())
                    .unwrap_or("")
                    .chars()
                    .take(60)
                    .collect::<String>();
                println!(
                    "{outcome:8} {name}: {} chars, {} children, subject {subject:?}, body {first_body_line:?} {:?}",
                    extraction.text.chars().count(),
                    children.len(),
                    extraction.diagnostics
                );
                for child in &children {
                    println!("           child {} ({} bytes)", child.meta.name, child.content.len());
                    if child.meta.name.to_ascii_lowercase().ends_with(".msg") {
                        read_back(&child.content);
                    }
                }
            }
            Err(err) => {
                failed += 1;
                println!("failed   {name}: {err}");
            }
        }
    }
    println!("{} files: {ok} ok, {partial} partial, {failed} failed", paths.len());
}
