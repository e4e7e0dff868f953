//! Quoted phrases are exact (no stemming), proximity allows gaps, prefixes and fuzzy words widen a word.

use crate::check;

#[test]
fn phrases_are_exact_and_ordered() {
    check(&[
        ("\"министерство обороны\"", &[1]),
        ("\"обороны министерство\"", &[]),
        // A quoted single word is not stemmed.
        ("\"министерству\"", &[]),
        ("\"министерство\"", &[1]),
        ("\"weekly reports\"", &[3]),
        // The title (the subject) says "Weekly report".
        ("\"weekly report\"", &[3]),
        ("\"reports weekly\"", &[]),
    ]);
}

#[test]
fn proximity() {
    check(&[
        ("\"министерство отчёт\"", &[]),
        ("\"министерство отчёт\"~4", &[1]),
        ("\"ministry figures\"~2", &[3]),
        ("\"ministry figures\"~1", &[]),
    ]);
}

#[test]
fn hyphenated_words_are_phrases_of_their_parts() {
    check(&[("Ростов-на-Дону", &[4]), ("\"ростов на дону\"", &[4]), ("ростов-дону", &[])]);
}

#[test]
fn prefix_and_fuzzy() {
    check(&[("минист*", &[1, 5]), ("мініст*", &[2]), ("кривенко~", &[1, 2]), ("kryvenka~", &[3]), ("krivenco~", &[5])]);
}

#[test]
fn boolean_operators() {
    check(&[
        ("министерство OR міністерство", &[1, 2]),
        ("кривенко AND звіт", &[2]),
        ("кривенко -звіт", &[1]),
        ("кривенко NOT звіт", &[1]),
        ("(министерство OR міністерство) AND кривенко", &[1, 2]),
        ("-кривенко", &[3, 4, 5]),
        ("+report +ministry", &[3]),
        ("смета бюджет", &[4]),
        // A dash typed as a word searches for nothing and is left out.
        ("смета — бюджет", &[4]),
    ]);
}
