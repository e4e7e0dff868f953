//! Measures the text readers on the shared third-party corpus (never copied into the repository).
//!
//! `cargo run --release -p dossier-text --example measure [CORPUS_DIR]` (default `../shared/corpus` from the
//! repository root). Reports charset detection accuracy per variant on `cyrillic/`, against chardetng alone
//! as a baseline; word recall and precision of `read_html` on `cyrillic/*.cp1251.html`; and the outcome of every
//! .html/.htm/.xml/.txt file under `formats/`.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use dossier_document::{Context, ExtractError, Extraction, Limits, MemorySink, Options, ReadFn, Source};

fn main() {
    let corpus = std::env::args().nth(1).map(PathBuf::from).unwrap_or_else(|| PathBuf::from("../shared/corpus"));
    if !corpus.is_dir() {
        println!("corpus not found at {} (pass its path as the first argument)", corpus.display());
        return;
    }
    measure_cyrillic(&corpus.join("cyrillic"));
    measure_formats(&corpus.join("formats"));
}

fn normalise_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn words(text: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()) {
        *counts.entry(word.to_lowercase()).or_insert(0) += 1;
    }
    counts
}

fn run(read: ReadFn, path: &Path) -> Result<Result<Extraction, ExtractError>, String> {
    let limits = Limits::default();
    let options = Options::default();
    let mut sink = MemorySink::new(&limits, 0);
    let name = path.file_name().and_then(|n| n.to_str());
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut ctx = Context { limits: &limits, options: &options, sink: &mut sink };
        read(&Source { path, name }, &mut ctx)
    }))
    .map_err(|panic| {
        panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()
    })
}

fn measure_cyrillic(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        println!("no cyrillic corpus at {}", dir.display());
        return;
    };
    let mut names: Vec<String> = entries
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| entry.file_name().to_str()?.strip_suffix(".expected.txt").map(str::to_string))
        .collect();
    names.sort();
    println!("== cyrillic: {} texts", names.len());
    let variants = ["utf8.txt", "cp1251.txt", "koi8r.txt", "utf16.txt"];
    let mut html_recall = (0usize, 0usize);
    let mut html_precision = (0usize, 0usize);
    let mut html_exact = 0usize;
    let mut html_total = 0usize;
    for variant in variants {
        let mut exact = 0usize;
        let mut baseline_exact = 0usize;
        let mut total = 0usize;
        let mut charsets: BTreeMap<&str, usize> = BTreeMap::new();
        let mut misses = Vec::new();
        let mut empty_in_corpus = 0usize;
        for name in &names {
            let path = dir.join(format!("{name}.{variant}"));
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            if bytes.is_empty() {
                // The corpus leaves a variant empty when the text cannot be written in that charset
                // (Ukrainian letters or "№" in KOI8-R).
                empty_in_corpus += 1;
                continue;
            }
            let Ok(expected) = std::fs::read_to_string(dir.join(format!("{name}.expected.txt"))) else {
                continue;
            };
            let expected = normalise_whitespace(&expected);
            total += 1;
            let decoded = dossier_text::decode(&bytes, None);
            *charsets.entry(decoded.charset).or_insert(0) += 1;
            if normalise_whitespace(&decoded.text) == expected {
                exact += 1;
            } else {
                misses.push(format!("{name} as {}", decoded.charset));
            }
            // Baseline: chardetng alone (after the BOM), as a browser would guess.
            let (baseline_encoding, body) = match encoding_rs::Encoding::for_bom(&bytes) {
                Some((encoding, length)) => (encoding, &bytes[length..]),
                None => {
                    let mut detector = chardetng::EncodingDetector::new();
                    detector.feed(&bytes, true);
                    (detector.guess(None, true), &bytes[..])
                }
            };
            let (baseline_text, _) = baseline_encoding.decode_without_bom_handling(body);
            if normalise_whitespace(&baseline_text) == expected {
                baseline_exact += 1;
            }
        }
        println!(
            "{variant:<11} exact {exact}/{total} (chardetng alone {baseline_exact}/{total}); charsets {charsets:?}; \
             {empty_in_corpus} empty in the corpus, skipped"
        );
        for miss in misses.iter().take(5) {
            println!("    miss: {miss}");
        }
    }
    for name in &names {
        let path = dir.join(format!("{name}.cp1251.html"));
        if !path.exists() {
            continue;
        }
        let Ok(expected) = std::fs::read_to_string(dir.join(format!("{name}.expected.txt"))) else {
            continue;
        };
        html_total += 1;
        let Ok(Ok(extraction)) = run(dossier_text::read_html, &path) else {
            println!("    html failed: {name}");
            continue;
        };
        if normalise_whitespace(&extraction.text) == normalise_whitespace(&expected) {
            html_exact += 1;
        }
        let expected_words = words(&expected);
        let actual_words = words(&extraction.text);
        for (word, &count) in &expected_words {
            html_recall.0 += count.min(actual_words.get(word).copied().unwrap_or(0));
            html_recall.1 += count;
        }
        for (word, &count) in &actual_words {
            html_precision.0 += count.min(expected_words.get(word).copied().unwrap_or(0));
            html_precision.1 += count;
        }
    }
    measure_short_prefixes(dir, &names);
    println!(
        "cp1251.html exact text {html_exact}/{html_total}; word recall {:.4} ({}/{}), precision {:.4} ({}/{})",
        html_recall.0 as f64 / html_recall.1.max(1) as f64,
        html_recall.0,
        html_recall.1,
        html_precision.0 as f64 / html_precision.1.max(1) as f64,
        html_precision.0,
        html_precision.1
    );
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(|entry| entry.ok()) {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn measure_formats(dir: &Path) {
    let mut files = Vec::new();
    collect_files(dir, &mut files);
    files.sort();
    println!("== formats: .html/.htm/.xml/.txt under {}", dir.display());
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut panics = Vec::new();
    for path in files {
        let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
        let (reader, label): (ReadFn, &str) = match extension.as_str() {
            "html" | "htm" => (dossier_text::read_html, "html"),
            "xml" => (dossier_text::read_xml, "xml"),
            "txt" => (dossier_text::read_text, "txt"),
            _ => continue,
        };
        let shown = path.strip_prefix(dir).unwrap_or(&path).display().to_string();
        let outcome = match run(reader, &path) {
            Err(panic) => {
                panics.push(format!("{shown}: {panic}"));
                "panicked".to_string()
            }
            Ok(Err(err)) => {
                failures.entry(format!("{label}: {err}")).or_default().push(shown);
                "failed".to_string()
            }
            Ok(Ok(extraction)) if extraction.text.trim().is_empty() => {
                failures
                    .entry(format!("{label}: ok but no text"))
                    .or_default()
                    .push(format!("{shown} {:?}", extraction.diagnostics));
                "no text".to_string()
            }
            Ok(Ok(extraction)) if extraction.is_partial() => {
                failures
                    .entry(format!("{label}: partial"))
                    .or_default()
                    .push(format!("{shown} {:?}", extraction.diagnostics));
                "partial (text)".to_string()
            }
            Ok(Ok(_)) => "ok (text)".to_string(),
        };
        *outcomes.entry(format!("{label} {outcome}")).or_insert(0) += 1;
    }
    for (outcome, count) in &outcomes {
        println!("{outcome:<20} {count}");
    }
    for (reason, files) in &failures {
        println!("  {reason}: {}", files.len());
        for file in files.iter().take(8) {
            println!("      {file}");
        }
    }
    println!("panics: {}", panics.len());
    for panic in panics {
        println!("  {panic}");
    }
}

/// Detection on short texts: the first words of each corpus text, encoded here into each Cyrillic charset, decoded
/// with no declaration by `decode` and by chardetng alone.
fn measure_short_prefixes(dir: &Path, names: &[String]) {
    use encoding_rs::{IBM866, ISO_8859_5, KOI8_R, KOI8_U, WINDOWS_1251, X_MAC_CYRILLIC};
    println!("-- short prefixes of each text (words), encoded here; exact decodes: ours / chardetng alone");
    let encodings = [WINDOWS_1251, KOI8_R, KOI8_U, IBM866, ISO_8859_5, X_MAC_CYRILLIC];
    for n_words in [1usize, 2, 3, 5, 10, 20] {
        let mut line = format!("{n_words:>2} words:");
        for encoding in encodings {
            let mut ours = 0usize;
            let mut baseline = 0usize;
            let mut total = 0usize;
            for name in names {
                let Ok(expected) = std::fs::read_to_string(dir.join(format!("{name}.expected.txt"))) else {
                    continue;
                };
                // Words with at least one Cyrillic letter, so that a prefix is not just a date or a number.
                let prefix: Vec<&str> = expected
                    .split_whitespace()
                    .skip_while(|word| !word.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c)))
                    .take(n_words)
                    .collect();
                let prefix = prefix.join(" ");
                let (bytes, _, unmappable) = encoding.encode(&prefix);
                if unmappable || prefix.is_empty() {
                    continue;
                }
                total += 1;
                let decoded = dossier_text::decode(&bytes, None);
                if decoded.text == prefix {
                    ours += 1;
                } else if std::env::var_os("MEASURE_SHOW_MISSES").is_some() {
                    println!("    miss {}: {prefix:?} read as {} {:?}", encoding.name(), decoded.charset, decoded.text);
                }
                let mut detector = chardetng::EncodingDetector::new();
                detector.feed(&bytes, true);
                let (guess_text, _) = detector.guess(None, true).decode_without_bom_handling(&bytes);
                if guess_text == prefix {
                    baseline += 1;
                }
            }
            line.push_str(&format!(" {} {ours}/{baseline}/{total}", encoding.name()));
        }
        println!("{line}");
    }
}
