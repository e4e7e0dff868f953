//! Transliteration-aware names, opt-in per word (`translit:`) or for the whole query.

use dossier_index::{SearchRequest, Sort};
use dossier_query::{ParseOptions, parse};

use crate::{check, corpus, index_of};

#[test]
fn names_across_scripts_and_schemes() {
    check(&[
        // Without translit: only the script typed.
        ("кривенко", &[1, 2]),
        ("kryvenko", &[3]),
        // With it: Cyrillic finds the Ukrainian (KMU 2010) and Russian (passport) spellings and back.
        ("translit:Кривенко", &[1, 2, 3, 5]),
        ("translit:Kryvenko", &[1, 2, 3]),
        ("translit:Krivenko", &[1, 2, 5]),
    ]);
}

#[test]
fn the_global_flag_transliterates_every_word() {
    let (_dir, index) = index_of(&corpus());
    let query = parse("Кривенко", &ParseOptions { translit: true }).expect("parse");
    let request = SearchRequest { query, limit: 10, offset: 0, sort: Sort::Relevance, snippets: 1, facets: false };
    let mut found: Vec<u64> = index.search(&request).expect("search").hits.iter().map(|hit| hit.id).collect();
    found.sort_unstable();
    assert_eq!(found, vec![1, 2, 3, 5]);
}
