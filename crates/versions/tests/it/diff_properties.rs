//! Property tests of the diff: whatever the texts, the operations cover both texts in order, applying them to `a`
//! gives `b`, an equal operation without hidden differences has the same characters on both sides, and the diff of
//! a text with itself is all equal.

use dossier_versions::{Diff, OpKind, diff};
use proptest::prelude::*;

/// Text mixing what the diff cares about: Cyrillic and Latin words, lookalikes, invisible characters, unusual
/// spaces, quotes and dashes of every style, line breaks, and arbitrary Unicode.
fn nasty_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        "[а-яё]{1,6}",
        "[a-z]{1,6}",
        Just("слово".to_string()),
        Just("сл\u{006F}во".to_string()),
        Just("сло\u{200B}во".to_string()),
        Just("и\u{306}".to_string()),
        Just("ﬁ".to_string()),
        Just(" ".to_string()),
        Just("  ".to_string()),
        Just("\u{00A0}".to_string()),
        Just("\n\n".to_string()),
        Just("«»\"—-,.".to_string()),
        Just("\u{202E}\u{FE0F}\u{00AD}".to_string()),
        any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(pieces, 0..30).prop_map(|pieces| pieces.concat())
}

fn check_cover(result: &Diff, a: &str, b: &str) -> Result<(), TestCaseError> {
    let (mut at_a, mut at_b) = (0, 0);
    let chars_a: Vec<char> = a.chars().collect();
    let chars_b: Vec<char> = b.chars().collect();
    for op in &result.ops {
        prop_assert_eq!(op.a.start, at_a);
        prop_assert_eq!(op.b.start, at_b);
        prop_assert!(op.a.end >= op.a.start && op.b.end >= op.b.start);
        match op.kind {
            OpKind::Inserted => prop_assert_eq!(op.a.start, op.a.end),
            OpKind::Deleted => prop_assert_eq!(op.b.start, op.b.end),
            OpKind::Equal | OpKind::Changed => {}
        }
        let slice_a: String = chars_a[op.a.start..op.a.end].iter().collect();
        let slice_b: String = chars_b[op.b.start..op.b.end].iter().collect();
        match (&op.a_text, &op.b_text) {
            (Some(text_a), Some(text_b)) => {
                prop_assert_eq!(text_a, &slice_a);
                prop_assert_eq!(text_b, &slice_b);
            }
            (None, None) => {
                prop_assert_eq!(op.kind, OpKind::Equal);
                prop_assert_eq!(&slice_a, &slice_b);
            }
            _ => prop_assert!(false, "one text without the other: {op:?}"),
        }
        for hidden in &op.hidden {
            prop_assert!(hidden.a.start >= op.a.start && hidden.a.end <= op.a.end);
            prop_assert!(hidden.b.start >= op.b.start && hidden.b.end <= op.b.end);
        }
        (at_a, at_b) = (op.a.end, op.b.end);
    }
    prop_assert_eq!(at_a, chars_a.len());
    prop_assert_eq!(at_b, chars_b.len());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn applying_the_diff_to_a_gives_b(a in nasty_text(), b in nasty_text()) {
        let result = diff(&a, &b);
        prop_assert_eq!(result.apply(&a), b.clone());
        check_cover(&result, &a, &b)?;
    }

    #[test]
    fn an_edited_text_is_rebuilt_from_its_diff(a in nasty_text(), edits in proptest::collection::vec((0usize..40, nasty_text()), 0..4)) {
        let mut b: Vec<char> = a.chars().collect();
        for (position, insert) in edits {
            let position = position.min(b.len());
            b.splice(position..position, insert.chars());
        }
        let b: String = b.into_iter().collect();
        let result = diff(&a, &b);
        prop_assert_eq!(result.apply(&a), b.clone());
        check_cover(&result, &a, &b)?;
    }

    #[test]
    fn the_diff_of_a_text_with_itself_is_all_equal(a in nasty_text()) {
        let result = diff(&a, &a);
        prop_assert!(result.is_identical());
        prop_assert!(result.ops.len() <= 1);
        prop_assert_eq!(result.summary.equal_words, result.summary.words_a);
        prop_assert_eq!(result.apply(&a), a.clone());
    }
}
