//! Tests of the segmentation the tagger reads and, with the trained model (made by `cargo xtask setup` or
//! `cargo xtask train-ner-uk`), of what it finds.

use std::path::PathBuf;

use super::*;

fn check_pieces(text: &str, expected: &[&[&str]]) {
    let pieces: Vec<Vec<&str>> =
        pieces(text).map(|piece| piece.into_iter().map(|range| &text[range]).collect()).collect();
    assert_eq!(pieces, expected, "{text:?}");
}

#[test]
fn pieces_are_sentences_of_razdel_tokens() {
    check_pieces("Іван прийшов. Марія ні!", &[&["Іван", "прийшов", "."], &["Марія", "ні", "!"]]);
}

#[test]
fn words_with_an_apostrophe_stay_whole() {
    check_pieces("Мар'яна з'їла м’ясо", &[&["Мар'яна", "з'їла", "м’ясо"]]);
    check_pieces("сімʼя 'так' й ' ні", &[&["сімʼя", "'", "так", "'", "й", "'", "ні"]]);
}
