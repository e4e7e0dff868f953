//! The query language (`dossier_query::parse`, its lexer, dates and field prefixes), with the property its render
//! documents: every tree the parser returns renders to text that parses back to the same tree.
#![no_main]

use dossier_query::{ParseOptions, parse, render};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    for options in [ParseOptions::default(), ParseOptions { translit: true }] {
        match parse(&input, &options) {
            Ok(tree) => {
                let text = render(&tree);
                assert_eq!(parse(&text, &ParseOptions::default()), Ok(tree), "{input:?} rendered as {text:?}");
            }
            Err(err) => {
                assert!(err.position <= input.chars().count(), "error position {} past the end", err.position);
            }
        }
    }
});
