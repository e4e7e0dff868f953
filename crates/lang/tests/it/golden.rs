//! Golden files: each `test_data/tokens/NNNN_name.txt` is tokenized by both tokenizers and each
//! `test_data/translit/NNNN_name.txt` (one word a line) transliterated; the dump must equal `NNNN_name.txt.expected`.
//! `DOSSIER_UPDATE_GOLDEN=1 cargo test -p dossier-lang` rewrites the expected files, to be read and checked by eye.

use std::fmt::Write as _;
use std::path::Path;

use dossier_lang::{StemTokenizer, WordTokenizer, detect_language, translit};

use crate::tokenizers::tokens;

fn check_dir(dir: &str, dump: fn(&str) -> String) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let update = std::env::var_os("DOSSIER_UPDATE_GOLDEN").is_some();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("test_data folder exists")
        .map(|entry| entry.expect("readable folder").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "txt"))
        .collect();
    entries.sort();
    assert!(!entries.is_empty(), "no fixtures in {}", dir.display());
    let mut failures = Vec::new();
    for path in entries {
        let text = std::fs::read_to_string(&path).expect("fixture is UTF-8");
        let actual = dump(&text);
        let expected_path = path.with_extension("txt.expected");
        if update {
            std::fs::write(&expected_path, &actual).expect("write expected file");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != actual {
            failures.push(format!("{}:\n--- expected\n{expected}\n--- actual\n{actual}", path.display()));
        }
    }
    assert!(failures.is_empty(), "golden mismatches (DOSSIER_UPDATE_GOLDEN=1 to rewrite):\n{}", failures.join("\n"));
}

fn dump_tokens(text: &str) -> String {
    let mut out = String::new();
    let lang = detect_language(text).map_or("none", |lang| lang.code());
    let _ = writeln!(out, "document language: {lang}");
    let _ = writeln!(out, "position\toffsets\toriginal\tword\tstem");
    let words = tokens(WordTokenizer, text);
    let stems = tokens(StemTokenizer, text);
    assert_eq!(words.len(), stems.len());
    for (word, stem) in words.iter().zip(&stems) {
        let original = &text[word.offset_from..word.offset_to];
        let _ = writeln!(
            out,
            "{}\t{}..{}\t{original}\t{}\t{}",
            word.position, word.offset_from, word.offset_to, word.text, stem.text
        );
    }
    out
}

fn dump_variants(text: &str) -> String {
    let mut out = String::new();
    for word in text.lines().filter(|line| !line.trim().is_empty()) {
        let _ = writeln!(out, "{word}: {}", translit::variants(word.trim()).join(" "));
    }
    out
}

#[test]
fn tokens_match_golden_files() {
    check_dir("test_data/tokens", dump_tokens);
}

#[test]
fn variants_match_golden_files() {
    check_dir("test_data/translit", dump_variants);
}
