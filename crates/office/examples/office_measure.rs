//! Measures the office readers on the shared corpus: word-level recall and precision on the Cyrillic DOCX/ODT
//! renderings, and ok/partial/failed counts over every OOXML/ODF file of ../shared/corpus/formats.
//!
//! `cargo run --release -p dossier-office --example office_measure [corpus dir]`

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use dossier_document::{Context, ExtractError, Extraction, Limits, MemorySink, Options, ReadFn, Source, golden};

fn main() {
    let corpus = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"));
    if !corpus.is_dir() {
        eprintln!("corpus not found at {} (pass its path as the first argument)", corpus.display());
        std::process::exit(2);
    }
    cyrillic(&corpus.join("cyrillic"));
    formats(&corpus.join("formats"));
    against_tika(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/tika-results.jsonl"));
}

fn reader_for(path: &Path) -> Option<ReadFn> {
    let extension = path.extension()?.to_str()?.to_lowercase();
    let is_ooxml = matches!(extension.as_str(), "docx" | "docm" | "xlsx" | "xlsm" | "xlsb" | "pptx" | "pptm");
    if is_ooxml && is_ole(path) {
        return Some(dossier_office::read_encrypted_ooxml);
    }
    Some(match extension.as_str() {
        "xlsb" => dossier_office::read_xlsb,
        "docx" | "docm" => dossier_office::read_docx,
        "xlsx" | "xlsm" => dossier_office::read_xlsx,
        "pptx" | "pptm" => dossier_office::read_pptx,
        "odt" => dossier_office::read_odt,
        "ods" => dossier_office::read_ods,
        "odp" => dossier_office::read_odp,
        _ => return None,
    })
}

/// Password-protected OOXML files are OLE2 compound files whatever their extension says.
fn is_ole(path: &Path) -> bool {
    use std::io::Read;
    let mut magic = [0u8; 8];
    std::fs::File::open(path).and_then(|mut file| file.read_exact(&mut magic)).is_ok()
        && magic == [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
}

/// Reads `path` with the passwords of `MEASURE_PASSWORDS` (comma-separated), children collected in memory.
fn run(read: ReadFn, path: &Path) -> Result<Extraction, ExtractError> {
    let limits = Limits::default();
    let options = Options {
        passwords: std::env::var("MEASURE_PASSWORDS")
            .map(|list| list.split(',').map(str::to_string).collect())
            .unwrap_or_default(),
        ..Options::default()
    };
    let mut sink = MemorySink::new(&limits, std::fs::metadata(path).map(|m| m.len()).unwrap_or(0));
    let mut ctx = Context { limits: &limits, options: &options, sink: &mut sink };
    read(&Source { path, name: None }, &mut ctx)
}

/// Compares with Apache Tika's text per file (../../target/tika-results.jsonl, JSON lines `path`, `ok`, `text`):
/// on how many of the files where Tika yields words these readers yield words too, and the word totals.
fn against_tika(results: &Path) {
    let Ok(content) = std::fs::read_to_string(results) else {
        eprintln!("no {} (Tika comparison skipped)", results.display());
        return;
    };
    let (mut tika_files, mut both, mut tika_words, mut our_words) = (0, 0, 0usize, 0usize);
    let mut missing = Vec::new();
    let mut deficits: Vec<(usize, usize, String)> = Vec::new();
    let mut by_extension: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for line in content.lines() {
        let Ok(record) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let (Some(path), Some(text)) = (record["path"].as_str(), record["text"].as_str()) else {
            continue;
        };
        let path = Path::new(path);
        let Some(read) = reader_for(path) else {
            continue;
        };
        let tika = text.split_whitespace().count();
        if !record["ok"].as_bool().unwrap_or(false) || tika == 0 {
            continue;
        }
        let ours = std::panic::catch_unwind(|| run(read, path))
            .ok()
            .and_then(Result::ok)
            .map(|extraction| extraction.text.split_whitespace().count())
            .unwrap_or(0);
        tika_files += 1;
        if tika > ours {
            deficits.push((tika - ours, tika, path.display().to_string()));
        }
        tika_words += tika;
        our_words += ours;
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_lowercase();
        let entry = by_extension.entry(extension).or_default();
        entry.0 += 1;
        if ours > 0 {
            both += 1;
            entry.1 += 1;
        } else {
            missing.push(format!("{} (Tika {tika} words)", path.display()));
        }
    }
    println!(
        "tika: {both} of {tika_files} files where Tika yields words yield words here ({:.2}%); words {our_words} here, {tika_words} Tika",
        100.0 * both as f64 / tika_files.max(1) as f64
    );
    for (extension, (files, with_words)) in by_extension {
        println!("  .{extension}: {with_words}/{files}");
    }
    for file in missing {
        println!("  no words: {file}");
    }
    deficits.sort_by(|a, b| b.cmp(a));
    for (deficit, tika, file) in deficits.iter().take(12) {
        println!("  {deficit} fewer words than Tika's {tika}: {file}");
    }
}

fn words(text: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for word in text.split_whitespace() {
        *counts.entry(word.to_string()).or_insert(0) += 1;
    }
    counts
}

fn cyrillic(dir: &Path) {
    let mut by_extension: BTreeMap<String, (usize, usize, usize, usize)> = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        eprintln!("no {}", dir.display());
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        let Some(stem) = name.strip_suffix(".docx").or_else(|| name.strip_suffix(".odt")) else {
            continue;
        };
        let Ok(expected) = std::fs::read_to_string(dir.join(format!("{stem}.expected.txt"))) else {
            continue;
        };
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_string();
        let Some(read) = reader_for(&path) else {
            continue;
        };
        let (result, _) = golden::run(read, &path);
        let text = result.map(|e| e.text).unwrap_or_default();
        let truth = words(&expected);
        let got = words(&text);
        let matched: usize = truth.iter().map(|(word, &n)| n.min(got.get(word).copied().unwrap_or(0))).sum();
        let entry = by_extension.entry(extension).or_default();
        entry.0 += 1;
        entry.1 += matched;
        entry.2 += truth.values().sum::<usize>();
        entry.3 += got.values().sum::<usize>();
    }
    for (extension, (files, matched, truth, got)) in by_extension {
        println!(
            "cyrillic .{extension}: {files} files, word recall {:.4}, precision {:.4}",
            matched as f64 / truth.max(1) as f64,
            matched as f64 / got.max(1) as f64
        );
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else if reader_for(&path).is_some() {
            out.push(path);
        }
    }
}

fn formats(dir: &Path) {
    let mut paths = Vec::new();
    walk(dir, &mut paths);
    paths.sort();
    let (mut ok, mut partial, mut failed) = (0, 0, 0);
    let mut reasons: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let verbose = std::env::var_os("MEASURE_VERBOSE").is_some();
    for path in &paths {
        let read = reader_for(path).expect("filtered by reader_for");
        let outcome = std::panic::catch_unwind(|| (run(read, path), ()));
        let shown = path.strip_prefix(dir).unwrap_or(path).display().to_string();
        match outcome {
            Err(_) => {
                failed += 1;
                reasons.entry("PANIC".into()).or_default().push(shown);
            }
            Ok((Ok(Extraction { diagnostics, .. }), _)) if diagnostics.is_empty() => ok += 1,
            Ok((Ok(Extraction { diagnostics, .. }), _)) => {
                partial += 1;
                reasons.entry(format!("partial: {}", diagnostics[0])).or_default().push(shown);
            }
            Ok((Err(err), _)) => {
                failed += 1;
                let err: ExtractError = err;
                reasons
                    .entry(format!("failed: {}", if verbose { err.to_string() } else { err.summary() }))
                    .or_default()
                    .push(shown);
            }
        }
    }
    println!("formats: {} files: {ok} ok, {partial} partial, {failed} failed", paths.len());
    for (reason, files) in reasons {
        println!("  {reason}: {} ({})", files.len(), files.join(", "));
    }
}
