//! Measures the RTF reader on the shared corpus: word recall and precision against the Cyrillic ground truth,
//! and ok/partial/failed over every `.rtf` under the formats corpus.
//!
//! `cargo run --release -p dossier-rtf --example measure [CORPUS_DIR]` (default ../../../shared/corpus relative
//! to this crate). Says so and exits when the corpus is absent.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use dossier_document::golden;

fn main() {
    let corpus = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"));
    if !corpus.is_dir() {
        println!("corpus not found at {}: nothing measured", corpus.display());
        return;
    }
    measure_cyrillic(&corpus.join("cyrillic"));
    measure_formats(&corpus.join("formats"));
}

fn words(text: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for word in text.split_whitespace() {
        *counts.entry(word.to_string()).or_insert(0) += 1;
    }
    counts
}

fn measure_cyrillic(dir: &Path) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|entry| entry.ok().map(|entry| entry.path())).collect())
        .unwrap_or_default();
    files.retain(|path| path.extension().is_some_and(|ext| ext == "rtf"));
    files.sort();
    let (mut matched, mut expected_total, mut actual_total) = (0usize, 0usize, 0usize);
    for path in &files {
        let expected_path = path.with_extension("expected.txt");
        let Ok(expected) = std::fs::read_to_string(&expected_path) else { continue };
        let (result, _) = golden::run(dossier_rtf::read_rtf, path);
        let text = match result {
            Ok(extraction) => extraction.text,
            Err(err) => {
                println!("FAILED {}: {err}", path.display());
                String::new()
            }
        };
        let expected_words = words(&expected);
        let actual_words = words(&text);
        let file_matched: usize =
            expected_words.iter().map(|(word, count)| (*count).min(actual_words.get(word).copied().unwrap_or(0))).sum();
        let file_expected: usize = expected_words.values().sum();
        let file_actual: usize = actual_words.values().sum();
        if file_matched < file_expected || file_matched < file_actual {
            println!(
                "{}: recall {:.4} precision {:.4}",
                path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(),
                file_matched as f64 / file_expected.max(1) as f64,
                file_matched as f64 / file_actual.max(1) as f64
            );
        }
        matched += file_matched;
        expected_total += file_expected;
        actual_total += file_actual;
    }
    println!(
        "cyrillic: {} files, word recall {:.4}, precision {:.4}",
        files.len(),
        matched as f64 / expected_total.max(1) as f64,
        matched as f64 / actual_total.max(1) as f64
    );
}

fn measure_formats(dir: &Path) {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("rtf")) {
                files.push(path);
            }
        }
    }
    files.sort();
    let (mut ok, mut partial, mut failed) = (0, 0, 0);
    for path in &files {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let (result, children) = golden::run(dossier_rtf::read_rtf, path);
        match result {
            Ok(extraction) if extraction.is_partial() => {
                partial += 1;
                println!("partial {name}: {:?}", extraction.diagnostics);
            }
            Ok(extraction) => {
                ok += 1;
                println!("ok      {name}: {} chars, {} children", extraction.text.chars().count(), children.len());
            }
            Err(err) => {
                failed += 1;
                println!("failed  {name}: {err}");
            }
        }
    }
    println!("formats: {} files: {ok} ok, {partial} partial, {failed} failed", files.len());
}
