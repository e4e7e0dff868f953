//! Property tests: whatever the text, tokens slice it at char boundaries, in order, and fold is idempotent.

use dossier_lang::{StemTokenizer, WordTokenizer, fold};
use proptest::prelude::*;
use tantivy_tokenizer_api::Tokenizer;

use crate::tokenizers::tokens;

/// Text mixing the characters that matter: Cyrillic of every language, Latin, digits, apostrophes of every kind,
/// combining marks, hyphens, line breaks, and arbitrary Unicode.
fn nasty_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("м'ясо ".to_string()),
        Just("’".to_string()),
        Just("ʼ".to_string()),
        Just("\u{301}".to_string()),
        Just("\u{308}".to_string()),
        Just("\n\n".to_string()),
        Just("-".to_string()),
        "[а-яёіїєґўА-ЯЁІЇЄҐЎ]{1,8}",
        "[a-zA-Z0-9']{1,8}",
        any::<char>().prop_map(String::from),
        "[ \n]{1,3}",
    ];
    proptest::collection::vec(pieces, 0..40).prop_map(|pieces| pieces.concat())
}

fn check_offsets<T: Tokenizer>(tokenizer: T, text: &str) -> Result<(), TestCaseError> {
    let mut previous_end = 0;
    let mut previous_position = None;
    for token in tokens(tokenizer, text) {
        prop_assert!(token.offset_from < token.offset_to);
        prop_assert!(token.offset_from >= previous_end, "tokens overlap or go back");
        prop_assert!(text.is_char_boundary(token.offset_from) && text.is_char_boundary(token.offset_to));
        prop_assert!(token.offset_to <= text.len());
        prop_assert!(previous_position.is_none_or(|position| token.position > position));
        prop_assert!(!token.text.is_empty());
        previous_end = token.offset_to;
        previous_position = Some(token.position);
    }
    Ok(())
}

proptest! {
    #[test]
    fn offsets_slice_at_char_boundaries_in_order(text in nasty_text()) {
        check_offsets(WordTokenizer, &text)?;
        check_offsets(StemTokenizer, &text)?;
    }

    #[test]
    fn both_tokenizers_agree_on_words(text in nasty_text()) {
        let words = tokens(WordTokenizer, &text);
        let stems = tokens(StemTokenizer, &text);
        prop_assert_eq!(words.len(), stems.len());
        for (word, stem) in words.iter().zip(&stems) {
            prop_assert_eq!((word.offset_from, word.offset_to, word.position), (stem.offset_from, stem.offset_to, stem.position));
            prop_assert_eq!(&word.text, &fold(&text[word.offset_from..word.offset_to]));
        }
    }

    #[test]
    fn fold_is_idempotent(word in "\\PC{0,12}") {
        let once = fold(&word);
        prop_assert_eq!(fold(&once), once);
    }
}
