//! Compares word counts with the cached Tika run (`target/tika-results.jsonl`) for RAR and PKCS#7 files:
//! our own text plus the text of children that are plain text or markup (tags dropped). Children in binary
//! formats (PDF, DOC...) are only counted, since other crates read them in the pipeline.
//! `cargo run -p dossier-archive --example archive_tika_words -- FILE...`

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use dossier_document::{ReadFn, golden};

fn words(text: &str) -> usize {
    text.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()).count()
}

/// Text with `<...>` markup removed.
fn without_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Tika's word count per file; `None` where Tika failed on it.
fn tika_words() -> HashMap<PathBuf, Option<usize>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/tika-results.jsonl");
    let mut counts = HashMap::new();
    let Ok(lines) = std::fs::read_to_string(path) else { return counts };
    for line in lines.lines() {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        let Some(file) = value["path"].as_str() else { continue };
        counts.insert(PathBuf::from(file), value["text"].as_str().map(words));
    }
    counts
}

fn main() {
    let tika = tika_words();
    for arg in std::env::args().skip(1) {
        let path = PathBuf::from(&arg);
        let lower = arg.to_lowercase();
        let read: ReadFn =
            if lower.ends_with(".rar") { dossier_archive::read_rar } else { dossier_archive::read_pkcs7 };
        let (result, children) = golden::run(read, &path);
        let tika_count = std::fs::canonicalize(&path).ok().and_then(|full| tika.get(&full).copied());
        let tika_shown = match tika_count {
            None => "not run".to_string(),
            Some(None) => "failed".to_string(),
            Some(Some(count)) => count.to_string(),
        };
        match result {
            Err(err) => println!("{arg}: tika {tika_shown}, ours failed: {err}"),
            Ok(extraction) => {
                let mut ours = words(&extraction.text);
                let mut binary = 0;
                for child in &children {
                    match std::str::from_utf8(&child.content) {
                        Ok(text) => ours += words(&without_tags(text)),
                        Err(_) => binary += 1,
                    }
                }
                println!(
                    "{arg}: tika {tika_shown}, ours {ours} (own text + {} text children; {binary} binary children \
                     left to their readers)",
                    children.len() - binary
                );
            }
        }
    }
}
