//! Measures the e-mail readers on the shared third-party corpus (never copied into the repository):
//!
//! 1. `email/mail-parser/resources/eml/**`: subject and From-address equality and body word recall against
//!    mail-parser's own expected parses (`NNN.json`);
//! 2. `cyrillic/*.eml`: body word recall against `NAME.expected.txt`, a correctly decoded subject, and the attached
//!    `NAME.docx` with the right name and exact bytes;
//! 3. every `.eml`, `.emlx` and `.mbox` under `formats/`: ok / partial / failed, with reasons.
//!
//! Run: `cargo run --release -p dossier-mail --example mail_measure [CORPUS_DIR]` (default `../shared/corpus` from the
//! repository root, found relative to this crate).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use dossier_document::{Context, ExtractError, Extraction, Limits, MemoryChild, MemorySink, Options, ReadFn, Source};
use serde_json::Value;

fn main() {
    let corpus = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"));
    if !corpus.is_dir() {
        eprintln!("corpus not found at {}: nothing measured", corpus.display());
        std::process::exit(2);
    }
    measure_mail_parser_suite(&corpus.join("email/mail-parser/resources/eml"));
    measure_cyrillic(&corpus.join("cyrillic"));
    measure_formats(&corpus.join("formats"));
}

struct Run {
    result: Result<Extraction, ExtractError>,
    children: Vec<MemoryChild>,
}

/// Runs a reader, turning a panic into `None` so that one panic is counted rather than ending the measurement.
fn run(read: ReadFn, path: &Path) -> Option<Run> {
    let limits = Limits::default();
    let options = Options::default();
    std::panic::catch_unwind(|| {
        let mut sink = MemorySink::new(&limits, 1 << 20);
        let result = {
            let mut ctx = Context { limits: &limits, options: &options, sink: &mut sink };
            read(&Source { path, name: path.file_name().and_then(|n| n.to_str()) }, &mut ctx)
        };
        Run { result, children: sink.children }
    })
    .ok()
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()).map(str::to_lowercase).collect()
}

/// (expected words found, expected words) counting repeated words as often as they occur.
fn recall(expected: &str, actual: &str) -> (usize, usize) {
    let mut available: HashMap<String, usize> = HashMap::new();
    for word in words(actual) {
        *available.entry(word).or_default() += 1;
    }
    let expected = words(expected);
    let mut found = 0;
    for word in &expected {
        if let Some(count) = available.get_mut(word)
            && *count > 0
        {
            *count -= 1;
            found += 1;
        }
    }
    (found, expected.len())
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn files_with_extension(dir: &Path, extensions: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_with_extension(&path, extensions, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| extensions.contains(&e.to_ascii_lowercase().as_str()))
        {
            out.push(path);
        }
    }
}

fn outcome(result: &Result<Extraction, ExtractError>) -> &'static str {
    match result {
        Ok(extraction) if extraction.is_partial() => "partial",
        Ok(_) => "ok",
        Err(_) => "failed",
    }
}

/// The address inside "Name <address>", or the value itself.
fn bare_address(value: &str) -> String {
    let inner = match (value.rfind('<'), value.rfind('>')) {
        (Some(open), Some(close)) if open < close => &value[open + 1..close],
        _ => value,
    };
    inner.trim().to_lowercase()
}

fn measure_mail_parser_suite(dir: &Path) {
    println!("== mail-parser suite: {}", dir.display());
    let mut files = Vec::new();
    files_with_extension(dir, &["eml"], &mut files);
    files.sort();
    let (mut n, mut panics, mut subject_ok, mut subject_n, mut from_ok, mut from_n) = (0, 0, 0, 0, 0, 0);
    let (mut found_total, mut expected_total, mut recall_sum, mut recall_n) = (0usize, 0usize, 0.0f64, 0usize);
    let mut outcomes: HashMap<&str, usize> = HashMap::new();
    let mut misses = Vec::new();
    for path in &files {
        let Some(json) = std::fs::read_to_string(path.with_extension("json"))
            .ok()
            .and_then(|text| serde_json::from_str::<Value>(&text).ok())
        else {
            continue;
        };
        n += 1;
        let Some(run) = run(dossier_mail::read_eml, path) else {
            panics += 1;
            misses.push(format!("PANIC {}", path.display()));
            continue;
        };
        *outcomes.entry(outcome(&run.result)).or_default() += 1;
        let extraction = run.result.clone().unwrap_or_default();
        let name = path.strip_prefix(dir).unwrap_or(path).display().to_string();
        match &run.result {
            Err(err) => misses.push(format!("failed {name}: {err}")),
            Ok(extraction) if extraction.is_partial() => {
                misses.push(format!("partial {name}: {}", extraction.diagnostics.join(" | ")))
            }
            Ok(_) => {}
        }

        let root_headers = json["parts"][0]["headers"].as_array().cloned().unwrap_or_default();
        let header = |name: &str| root_headers.iter().find(|h| h["name"] == name).map(|h| h["value"].clone());
        if let Some(subject) = header("subject").and_then(|v| v["Text"].as_str().map(collapse)) {
            subject_n += 1;
            let actual = extraction.metadata.get_str("subject").unwrap_or_default();
            if collapse(&actual) == subject {
                subject_ok += 1;
            } else {
                misses.push(format!("subject {name}: expected {subject:?}, got {actual:?}"));
            }
        }
        if let Some(from) = header("from").and_then(|v| {
            let address = &v["Address"];
            address["List"][0]["address"]
                .as_str()
                .or_else(|| address["Group"][0]["addresses"][0]["address"].as_str())
                .map(str::to_lowercase)
        }) {
            from_n += 1;
            let actual = extraction
                .metadata
                .get("from")
                .and_then(|value| match value {
                    dossier_document::MetaValue::One(one) => Some(one.clone()),
                    dossier_document::MetaValue::Many(many) => many.first().cloned(),
                })
                .map(|value| bare_address(&value))
                .unwrap_or_default();
            if actual == from {
                from_ok += 1;
            } else {
                misses.push(format!("from {name}: expected {from:?}, got {actual:?}"));
            }
        }

        let body_ids = |key: &str| -> Vec<usize> {
            json[key]
                .as_array()
                .map(|ids| ids.iter().filter_map(|id| id.as_u64().map(|id| id as usize)).collect())
                .unwrap_or_default()
        };
        let mut ids = body_ids("text_body");
        if ids.is_empty() {
            ids = body_ids("html_body");
        }
        let mut expected = String::new();
        for id in ids {
            let body = &json["parts"][id]["body"];
            if let Some(text) = body["Text"].as_str() {
                expected.push_str(text);
            } else if let Some(html) = body["Html"].as_str() {
                expected.push_str(&dossier_text::html_to_text(html));
            }
            expected.push('\n');
        }
        let (found, total) = recall(&expected, &extraction.text);
        if total > 0 {
            found_total += found;
            expected_total += total;
            recall_sum += found as f64 / total as f64;
            recall_n += 1;
            if (found as f64) < 0.9 * total as f64 {
                misses.push(format!("body {name}: recall {found}/{total}"));
            }
        }
    }
    for miss in &misses {
        println!("  {miss}");
    }
    println!(
        "messages {n}, panics {panics}, outcomes ok {} / partial {} / failed {}",
        outcomes.get("ok").unwrap_or(&0),
        outcomes.get("partial").unwrap_or(&0),
        outcomes.get("failed").unwrap_or(&0)
    );
    println!("subject equal {subject_ok}/{subject_n}, from address equal {from_ok}/{from_n}");
    println!(
        "body word recall: micro {:.4} ({found_total}/{expected_total} words), macro {:.4} over {recall_n} messages with a body",
        found_total as f64 / expected_total.max(1) as f64,
        recall_sum / recall_n.max(1) as f64
    );
}

fn measure_cyrillic(dir: &Path) {
    println!("\n== cyrillic: {}", dir.display());
    let mut files = Vec::new();
    files_with_extension(dir, &["eml"], &mut files);
    files.sort();
    let (mut n, mut panics, mut subject_ok, mut attachment_ok) = (0, 0, 0, 0);
    let (mut found_total, mut expected_total, mut worst) = (0usize, 0usize, 1.0f64);
    for path in &files {
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        let Ok(expected) = std::fs::read_to_string(dir.join(format!("{stem}.expected.txt"))) else {
            continue;
        };
        n += 1;
        let Some(run) = run(dossier_mail::read_eml, path) else {
            panics += 1;
            println!("  PANIC {stem}");
            continue;
        };
        let extraction = match run.result {
            Ok(extraction) => extraction,
            Err(err) => {
                println!("  {stem}: failed: {err}");
                continue;
            }
        };
        // The body is the expected text; the header block adds words but removes none.
        let (found, total) = recall(&expected, &extraction.text);
        found_total += found;
        expected_total += total;
        worst = worst.min(found as f64 / total.max(1) as f64);
        // The generator took the subject from the text's first line.
        let subject = extraction.metadata.get_str("subject").unwrap_or_default();
        let first_line = expected.lines().find(|line| !line.trim().is_empty()).unwrap_or_default();
        if !subject.is_empty() && !subject.contains('\u{FFFD}') && collapse(first_line).starts_with(&collapse(&subject))
        {
            subject_ok += 1;
        } else {
            println!("  {stem}: subject {subject:?} vs first line {first_line:?}");
        }
        let docx_name = format!("{stem}.docx");
        let original = std::fs::read(dir.join(&docx_name)).unwrap_or_default();
        if run.children.iter().any(|child| child.meta.name == docx_name && child.content == original) {
            attachment_ok += 1;
        } else {
            let names: Vec<_> = run.children.iter().map(|c| c.meta.name.as_str()).collect();
            println!("  {stem}: attachment {docx_name} missing or different; children {names:?}");
        }
        if !extraction.diagnostics.is_empty() {
            println!("  {stem}: diagnostics {:?}", extraction.diagnostics);
        }
    }
    println!(
        "messages {n}, panics {panics}, subject decoded {subject_ok}/{n}, docx attachment exact {attachment_ok}/{n}"
    );
    println!(
        "body word recall: micro {:.4} ({found_total}/{expected_total}), worst message {worst:.4}",
        found_total as f64 / expected_total.max(1) as f64
    );
}

fn measure_formats(dir: &Path) {
    println!("\n== formats: {}", dir.display());
    let mut files = Vec::new();
    files_with_extension(dir, &["eml", "emlx", "mbox"], &mut files);
    files.sort();
    let mut outcomes: HashMap<&str, usize> = HashMap::new();
    for path in &files {
        let is_mbox = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("mbox"));
        let read: ReadFn = if is_mbox { dossier_mail::read_mbox } else { dossier_mail::read_eml };
        let name = path.strip_prefix(dir).unwrap_or(path).display().to_string();
        let Some(run) = run(read, path) else {
            *outcomes.entry("panic").or_default() += 1;
            println!("  PANIC {name}");
            continue;
        };
        let verdict = outcome(&run.result);
        *outcomes.entry(verdict).or_default() += 1;
        let detail = match &run.result {
            Ok(extraction) => format!(
                "{} text bytes, {} children{}{}",
                extraction.text.len(),
                run.children.len(),
                extraction.metadata.get_str("messages").map(|m| format!(", {m} messages")).unwrap_or_default(),
                if extraction.diagnostics.is_empty() {
                    String::new()
                } else {
                    format!("; {}", extraction.diagnostics.join(" | "))
                }
            ),
            Err(err) => err.to_string(),
        };
        println!("  {verdict:7} {name}: {detail}");
    }
    println!(
        "files {}, ok {}, partial {}, failed {}, panics {}",
        files.len(),
        outcomes.get("ok").unwrap_or(&0),
        outcomes.get("partial").unwrap_or(&0),
        outcomes.get("failed").unwrap_or(&0),
        outcomes.get("panic").unwrap_or(&0)
    );
}
