//! Golden tests of the tokenizer: each expected list is what razdel 0.5.0 gives for the same text (checked with
//! `examples/compare.rs --segments`, which also compares all 296,401 tokens of the NER corpora).

use super::tokenize;

fn check(text: &str, expected: &[&str]) {
    let tokens: Vec<&str> = tokenize(text).map(|token| token.text).collect();
    assert_eq!(tokens, expected, "{text}");
    for token in tokenize(text) {
        assert_eq!(&text[token.bytes.clone()], token.text);
    }
}

#[test]
fn abbreviations_initials_and_numbers() {
    // A full stop is always a token of its own; a decimal comma joins digits, a space between thousands does not.
    check(
        "Т. е. всё, что г. Москва выделила в 2023 г., — 1 000,5 млн руб.",
        &[
            "Т",
            ".",
            "е",
            ".",
            "всё",
            ",",
            "что",
            "г",
            ".",
            "Москва",
            "выделила",
            "в",
            "2023",
            "г",
            ".",
            ",",
            "—",
            "1",
            "000,5",
            "млн",
            "руб",
            ".",
        ],
    );
    check(
        "А. С. Пушкин родился в 1799 г. в Москве.",
        &["А", ".", "С", ".", "Пушкин", "родился", "в", "1799", "г", ".", "в", "Москве", "."],
    );
}

#[test]
fn urls_and_addresses_fall_apart_at_punctuation() {
    check(
        "Пишите на ivan.petrov@mail.ru или заходите на https://www.gov.ru/ru/docs?id=5&x=1",
        &[
            "Пишите",
            "на",
            "ivan",
            ".",
            "petrov",
            "@",
            "mail",
            ".",
            "ru",
            "или",
            "заходите",
            "на",
            "https",
            ":",
            "/",
            "/",
            "www",
            ".",
            "gov",
            ".",
            "ru",
            "/",
            "ru",
            "/",
            "docs",
            "?",
            "id",
            "=",
            "5",
            "&",
            "x",
            "=",
            "1",
        ],
    );
}

#[test]
fn quotes_dashes_fractions_and_percentages() {
    check(
        "«Газпром» — крупнейшая компания; цена — 3/4 от 12,5%.",
        &["«", "Газпром", "»", "—", "крупнейшая", "компания", ";", "цена", "—", "3/4", "от", "12,5", "%", "."],
    );
    check(
        "ООО «Рога и копыта» (г. Ростов-на-Дону), ИНН 7701234567, тел. +7 (495) 123-45-67",
        &[
            "ООО",
            "«",
            "Рога",
            "и",
            "копыта",
            "»",
            "(",
            "г",
            ".",
            "Ростов-на-Дону",
            ")",
            ",",
            "ИНН",
            "7701234567",
            ",",
            "тел",
            ".",
            "+",
            "7",
            "(",
            "495",
            ")",
            "123-45-67",
        ],
    );
}

#[test]
fn hyphenated_words_final_punctuation_and_smileys() {
    check(
        "Кто-то из Санкт-Петербурга сказал: ну и что?! А потом... :-) ;)",
        &[
            "Кто-то",
            "из",
            "Санкт-Петербурга",
            "сказал",
            ":",
            "ну",
            "и",
            "что",
            "?!",
            "А",
            "потом",
            "...",
            ":",
            "-",
            ")",
            ";)",
        ],
    );
    check("Вот так--то *** и **всё** ---", &["Вот", "так", "--", "то", "***", "и", "**", "всё", "**", "---"]);
}

#[test]
fn a_dash_joins_across_a_space_when_the_word_beyond_qualifies() {
    // razdel looks one atom past the dash, across the space: "-b" and "c-" stay whole, "−" before "5" does not
    // (its left neighbour "." is punctuation).
    check(
        "2011-2020 гг. XVIII—XIX вв. −5 °C, -10, a -b, c- d",
        &[
            "2011-2020",
            "гг",
            ".",
            "XVIII—XIX",
            "вв",
            ".",
            "−",
            "5",
            "°C",
            ",",
            "-",
            "10",
            ",",
            "a",
            "-b",
            ",",
            "c-",
            "d",
        ],
    );
}

#[test]
fn other_symbols_stick_to_letters_and_yahoo_keeps_its_bang() {
    // "{" is not punctuation in razdel 0.5.0 (a typo there), so it sticks to the word after it.
    check(
        "Yahoo! Inc. и foo_bar_baz, m² и ΔP, {x} [y]",
        &["Yahoo!", "Inc", ".", "и", "foo_bar_baz", ",", "m²", "и", "ΔP", ",", "{x", "}", "[", "y", "]"],
    );
}

#[test]
fn apostrophes_split_words() {
    check("м'ясо, п’ять, д’Артаньян", &["м", "'", "ясо", ",", "п", "’", "ять", ",", "д", "’", "Артаньян"]);
}

#[test]
fn blank_text_has_no_tokens() {
    check("", &[]);
    check(" \n\t\u{a0}\u{1c}", &[]);
}
