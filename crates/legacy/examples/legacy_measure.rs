//! Measures the legacy readers on the shared corpus (absent corpus: says so and exits).
//!
//! `cargo run --release -p dossier-legacy --example legacy_measure` prints, for every .doc/.xls/.ppt/.wps under
//! ../shared/corpus/formats, ok/partial/failed with reasons, and word recall/precision of the Cyrillic .doc files
//! against their `.expected.txt` truths.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use dossier_document::{Context, Limits, MemorySink, Options, ReadFn, Source};

fn corpus_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

/// Reads one file; the second value is how many children (embedded objects) reached the sink.
fn run(read: ReadFn, path: &Path) -> (Result<dossier_document::Extraction, dossier_document::ExtractError>, usize) {
    let limits = Limits::default();
    let options = Options::default();
    let mut sink = MemorySink::new(&limits, 0);
    let mut context = Context { limits: &limits, options: &options, sink: &mut sink };
    let outcome =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read(&Source { path, name: None }, &mut context)));
    let result = match outcome {
        Ok(result) => result,
        Err(_) => {
            println!("PANIC {}", path.display());
            Err(dossier_document::ExtractError::Malformed { format: "panic".into(), detail: String::new() })
        }
    };
    (result, sink.children.len())
}

fn words(text: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        *counts.entry(word.to_lowercase()).or_insert(0) += 1;
    }
    counts
}

fn main() {
    let root = corpus_root();
    if !root.exists() {
        println!("corpus absent at {}: nothing measured", root.display());
        return;
    }
    let cyrillic = root.join("cyrillic");
    let mut docs: Vec<PathBuf> = std::fs::read_dir(&cyrillic)
        .map(|dir| dir.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    docs.retain(|p| p.extension().is_some_and(|e| e == "doc"));
    docs.sort();
    let (mut total_truth, mut total_found, mut total_common) = (0usize, 0usize, 0usize);
    for doc in &docs {
        let truth_path = doc.with_extension("expected.txt");
        let Ok(truth) = std::fs::read_to_string(&truth_path) else { continue };
        let text = match run(dossier_legacy::read_doc, doc).0 {
            Ok(extraction) => extraction.text,
            Err(err) => {
                println!("cyrillic {}: failed {err}", doc.display());
                String::new()
            }
        };
        let (truth_words, found_words) = (words(&truth), words(&text));
        let common: usize = truth_words.iter().map(|(w, n)| (*n).min(found_words.get(w).copied().unwrap_or(0))).sum();
        let truth_n: usize = truth_words.values().sum();
        let found_n: usize = found_words.values().sum();
        if common < truth_n || common < found_n {
            println!("cyrillic {}: recall {}/{} precision {}/{}", doc.display(), common, truth_n, common, found_n);
        }
        total_truth += truth_n;
        total_found += found_n;
        total_common += common;
    }
    println!(
        "cyrillic .doc: {} files, word recall {:.4}, precision {:.4}",
        docs.len(),
        total_common as f64 / total_truth.max(1) as f64,
        total_common as f64 / total_found.max(1) as f64
    );

    let mut files: Vec<PathBuf> = Vec::new();
    let mut stack = vec![root.join("formats")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut tally: HashMap<(String, &str), usize> = HashMap::new();
    for path in files {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_lowercase();
        let read: ReadFn = match ext.as_str() {
            "doc" | "dot" | "wps" => dossier_legacy::read_doc,
            "xls" | "xlt" => dossier_legacy::read_xls,
            "ppt" | "pps" | "pot" => dossier_legacy::read_ppt,
            _ => continue,
        };
        let (result, children) = run(read, &path);
        let outcome = match result {
            Ok(extraction) if extraction.diagnostics.is_empty() => {
                println!("ok      {} ({} bytes text, {children} children)", path.display(), extraction.text.len());
                "ok"
            }
            Ok(extraction) => {
                println!("partial {} ({} bytes): {:?}", path.display(), extraction.text.len(), extraction.diagnostics);
                "partial"
            }
            Err(err) => {
                println!("failed  {}: {err}", path.display());
                "failed"
            }
        };
        *tally.entry((ext, outcome)).or_insert(0) += 1;
    }
    let mut tally: Vec<_> = tally.into_iter().collect();
    tally.sort();
    for ((ext, outcome), n) in tally {
        println!("{ext}\t{outcome}\t{n}");
    }
}
