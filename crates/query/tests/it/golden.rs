//! Golden tests: each `test_data/syntax/*.txt` holds one query per line (`#` starts a comment line; a line starting
//! with `@translit ` is parsed with the global transliteration option). Beside it, `*.txt.expected` shows each query
//! followed by its tree as an S-expression (and checks that `render` writes the tree back as text that parses to it), or by a caret under the error position and the message.
//! `DOSSIER_UPDATE_GOLDEN=1 cargo test -p dossier-query` rewrites the expected files for review.

use std::fmt::Write as _;
use std::path::Path;

use dossier_query::{ParseOptions, describe, parse, render};

const TRANSLIT_MARKER: &str = "@translit ";

fn dump_cases(cases: &str) -> String {
    let mut out = String::new();
    for line in cases.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (query, options) = match line.strip_prefix(TRANSLIT_MARKER) {
            Some(query) => (query, ParseOptions { translit: true }),
            None => (line, ParseOptions::default()),
        };
        let marker = if options.translit { TRANSLIT_MARKER } else { "" };
        let _ = writeln!(out, "> {marker}{query}");
        match parse(query, &options) {
            Ok(tree) => {
                // Every tree the parser makes must survive being written back as text.
                let rendered = render(&tree);
                assert_eq!(parse(&rendered, &ParseOptions::default()).as_ref(), Ok(&tree), "render gave {rendered:?}");
                let _ = writeln!(out, "{}", describe(&tree));
            }
            Err(error) => {
                let indent = " ".repeat(2 + marker.chars().count() + error.position);
                let _ = writeln!(out, "{indent}^ error at {}: {}", error.position, error.message);
            }
        }
        out.push('\n');
    }
    out
}

#[test]
fn syntax_golden_files() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/syntax");
    let update = std::env::var_os("DOSSIER_UPDATE_GOLDEN").is_some();
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .expect("test_data/syntax exists")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 5, "golden inputs missing in {}", dir.display());
    let mut mismatches = Vec::new();
    for input in inputs {
        let cases = std::fs::read_to_string(&input).expect("golden input is UTF-8");
        let actual = dump_cases(&cases);
        let expected_path = input.with_extension("txt.expected");
        if update {
            std::fs::write(&expected_path, &actual).expect("write expected file");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != actual {
            mismatches.push(format!("{}:\n{actual}", expected_path.display()));
        }
    }
    assert!(mismatches.is_empty(), "golden mismatch (DOSSIER_UPDATE_GOLDEN=1 to rewrite):\n{}", mismatches.join("\n"));
}
