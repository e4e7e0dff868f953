//! Language detection on short and long texts, and its accuracy on the real corpus when it is present.

use dossier_lang::{Lang, detect_language};

fn check(text: &str, expected: Option<Lang>) {
    assert_eq!(detect_language(text), expected, "{text:?}");
}

#[test]
fn short_texts() {
    check("Привіт", Some(Lang::Ukrainian));
    check("Добрий день, як справи?", Some(Lang::Ukrainian));
    check("Быстро", Some(Lang::Russian));
    check("Добрый день, как дела?", Some(Lang::Russian));
    check("Дзякуй, як справы ў цябе?", Some(Lang::Belarusian));
    check("Hello, world", Some(Lang::English));
    check("", None);
    check("   42 — 17 %", None);
}

#[test]
fn short_texts_without_decisive_letters_go_to_the_ngram_detector() {
    check("Что происходит с ценами на газ", Some(Lang::Russian));
    check("Що відбувається", Some(Lang::Ukrainian));
    check("Що робити далі з цими грошима", Some(Lang::Ukrainian));
}

#[test]
fn long_texts() {
    let russian = "Министерство финансов сообщило, что бюджет будет исполнен в срок. ".repeat(20_000);
    check(&russian, Some(Lang::Russian));
    let ukrainian = "Міністерство фінансів повідомило, що бюджет буде виконано вчасно. ".repeat(20_000);
    check(&ukrainian, Some(Lang::Ukrainian));
    // A Ukrainian document quoting Russian now and then is still Ukrainian.
    let mixed = format!("{ukrainian}\n\nОн сказал: «Мы это обсудим».\n\n{ukrainian}");
    check(&mixed, Some(Lang::Ukrainian));
}

#[test]
fn english_with_a_cyrillic_name_is_english() {
    check("The contract was signed by Кривенко in Kyiv on Monday morning.", Some(Lang::English));
}
