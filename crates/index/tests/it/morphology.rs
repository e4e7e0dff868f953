//! Unquoted words match every inflected form, in Russian, Ukrainian and English, with ё folded to е.

use crate::check;

#[test]
fn russian_forms() {
    check(&[
        ("министерство", &[1]),
        ("министерства", &[1]),
        ("министерству", &[1]),
        ("отчётов", &[1]),
        ("отчетов", &[1]),
        ("еженедельные", &[1]),
    ]);
}

#[test]
fn ukrainian_forms() {
    check(&[("міністерство", &[2]), ("міністерству", &[2]), ("звітів", &[2]), ("щотижневого", &[2])]);
}

#[test]
fn ukrainian_apostrophe_words_are_whole_in_any_spelling() {
    check(&[("м'ясо", &[2]), ("м’ясо", &[2]), ("мʼясо", &[2]), ("щоп'ятниці", &[2])]);
}

#[test]
fn english_forms_and_case() {
    check(&[("report", &[3]), ("Reports", &[3]), ("MINISTRY", &[3]), ("expected", &[3])]);
}

#[test]
fn yo_folds_to_ye_both_ways() {
    check(&[("елка", &[5]), ("ёлка", &[5]), ("приемной", &[5])]);
}
