//! Reads every CSV, TSV, JSON, ICS, VCF and DBF file of the shared corpus (`../shared/corpus` from the repository
//! root) and prints ok/partial/failed per format, panics, word recall against Tika's expected text where the
//! extractous set has one, and word counts beside the cached Tika run's (`target/tika-results.jsonl`) where it has
//! the file. `cargo run --release -p dossier-records --example records_measure [CORPUS]`.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use dossier_document::{ReadFn, golden};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// Words of Tika's text per file, from the lead's cached Tika run (`target/tika-results.jsonl`), if present.
fn tika_word_counts(path: &Path) -> std::collections::HashMap<PathBuf, usize> {
    let mut counts = std::collections::HashMap::new();
    let Ok(lines) = std::fs::read_to_string(path) else { return counts };
    for line in lines.lines() {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        let (Some(file), Some(text)) = (value["path"].as_str(), value["text"].as_str()) else { continue };
        let file = Path::new(file).canonicalize().unwrap_or_else(|_| PathBuf::from(file));
        counts.insert(file, words(text).len());
    }
    counts
}

fn main() {
    let corpus = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"));
    if !corpus.is_dir() {
        println!("corpus not found at {}: nothing measured", corpus.display());
        return;
    }
    let tika = tika_word_counts(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/tika-results.jsonl"));
    let readers: [(&str, ReadFn); 8] = [
        ("dbf", dossier_records::read_dbf),
        ("csv", dossier_records::read_csv),
        ("tsv", dossier_records::read_tsv),
        ("json", dossier_records::read_json),
        ("jsonl", dossier_records::read_json),
        ("ics", dossier_records::read_ics),
        ("ical", dossier_records::read_ics),
        ("vcf", dossier_records::read_vcf),
    ];
    let mut all = Vec::new();
    for sub in ["formats/tika", "formats/aleph", "formats/extractous", "email/mail-parser"] {
        files(&corpus.join(sub), &mut all);
    }
    all.sort();
    let mut tally: BTreeMap<&str, [usize; 4]> = BTreeMap::new();
    for path in &all {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_lowercase();
        let Some((name, read)) = readers.iter().find(|(name, _)| *name == ext) else { continue };
        let outcome = std::panic::catch_unwind(|| golden::run(*read, path));
        let counts = tally.entry(name).or_default();
        let short = path.strip_prefix(&corpus).unwrap_or(path).display().to_string();
        match outcome {
            Err(_) => {
                counts[3] += 1;
                println!("PANIC {short}");
            }
            Ok((Err(err), _)) => {
                counts[2] += 1;
                println!("failed {short}: {err}");
            }
            Ok((Ok(extraction), _)) => {
                if extraction.is_partial() {
                    counts[1] += 1;
                    println!("partial {short}: {}", extraction.diagnostics.join("; "));
                } else {
                    counts[0] += 1;
                }
                if let Some(tika_words) = path.canonicalize().ok().and_then(|p| tika.get(&p).copied()) {
                    println!("words {short}: tika {tika_words}, ours {}", words(&extraction.text).len());
                }
                let expected = corpus
                    .join("formats/extractous/test_files/expected_result")
                    .join(format!("{}.txt", path.file_name().and_then(|n| n.to_str()).unwrap_or("")));
                if short.starts_with("formats/extractous")
                    && let Ok(expected) = std::fs::read_to_string(&expected)
                {
                    let ours: HashSet<String> = words(&extraction.text).into_iter().collect();
                    let theirs = words(&expected);
                    let found = theirs.iter().filter(|w| ours.contains(*w)).count();
                    println!(
                        "recall {short}: {found}/{} = {:.3}",
                        theirs.len(),
                        found as f64 / theirs.len().max(1) as f64
                    );
                }
            }
        }
    }
    for (name, [ok, partial, failed, panics]) in tally {
        println!("{name}: ok {ok}, partial {partial}, failed {failed}, panics {panics}");
    }
}
