//! Golden tests of the sentence splitter: each expected list is what razdel 0.5.0 gives for the same text
//! (checked with `examples/compare.rs --segments`, which also compares the 13,736 sentences of the NER corpora).

use super::sentenize;

fn check(text: &str, expected: &[&str]) {
    let sentences: Vec<&str> = sentenize(text).map(|sentence| sentence.text).collect();
    assert_eq!(sentences, expected, "{text}");
    for sentence in sentenize(text) {
        assert_eq!(&text[sentence.bytes.clone()], sentence.text);
    }
}

#[test]
fn abbreviations_do_not_end_sentences() {
    check("Это, т. е. пример, прост. Следующее предложение.", &["Это, т. е. пример, прост.", "Следующее предложение."]);
    check(
        "Дж. Буш и проф. Иванов встретились в г. Москве на ул. Ленина, д. 5. Было тепло.",
        &["Дж. Буш и проф. Иванов встретились в г. Москве на ул. Ленина, д. 5.", "Было тепло."],
    );
    check("ед. ч. и мн. ч. Конец. Т. е. конец.", &["ед. ч. и мн. ч. Конец.", "Т. е. конец."]);
    // "г." always qualifies what follows; "час.", "мин.", "млн." end a sentence before a capital letter.
    check("Родился в 1950 г. Умер в 2000 г. в Париже.", &["Родился в 1950 г. Умер в 2000 г. в Париже."]);
    check(
        "В 15 час. 13 мин. Поезд ушёл. Было 5 млн. Руб. не хватило.",
        &["В 15 час. 13 мин.", "Поезд ушёл.", "Было 5 млн.", "Руб. не хватило."],
    );
}

#[test]
fn initials_do_not_end_sentences() {
    check(
        "А. С. Пушкин родился в 1799 г. в Москве. Он поэт.",
        &["А. С. Пушкин родился в 1799 г. в Москве.", "Он поэт."],
    );
}

#[test]
fn numbers_urls_and_addresses() {
    check("Цена 1 000,5 руб. Это много? Да! Очень...", &["Цена 1 000,5 руб.", "Это много?", "Да!", "Очень..."]);
    check(
        "Сайт https://www.gov.ru. Почта ivan@mail.ru. Всё.",
        &["Сайт https://www.gov.ru.", "Почта ivan@mail.ru.", "Всё."],
    );
}

#[test]
fn quotes_and_dashes() {
    check(
        "«Я не знаю», — сказал он. «Может быть». Потом ушёл.",
        &["«Я не знаю», — сказал он.", "«Может быть».", "Потом ушёл."],
    );
    check("Он сказал: «Уходи!» Она ушла.", &["Он сказал: «Уходи!»", "Она ушла."]);
    check("Он сказал \"нет\". Потом \"да\" .", &["Он сказал \"нет\".", "Потом \"да\" ."]);
    check(
        "Это было в 90-х гг. Потом — тишина. — Правда? — Да.",
        &["Это было в 90-х гг.", "Потом — тишина.", "— Правда?", "— Да."],
    );
}

#[test]
fn list_items_and_brackets() {
    check(
        "1. Первый пункт. 2. Второй пункт.\n3) Третий пункт.",
        &["1. Первый пункт.", "2. Второй пункт.", "3) Третий пункт."],
    );
    check(
        "Он 1) пришёл; 2) ушёл. Всё (почти). Нет (совсем.) Да.",
        &["Он 1) пришёл;", "2) ушёл.", "Всё (почти).", "Нет (совсем.)", "Да."],
    );
}

#[test]
fn a_list_number_after_a_semicolon_is_not_taken_for_a_smiley() {
    // The rule "a smiley follows" once accepted any character before the bracket, so "; 2)" joined two sentences.
    check(
        "который 1) протестует против обвинений; 2) выпадет из жизни.",
        &["который 1) протестует против обвинений;", "2) выпадет из жизни."],
    );
}

#[test]
fn a_bullet_is_at_most_twenty_characters_long() {
    // Bullets only ("10. 2. ... 7", 20 characters) before a full stop make a list item that goes on; 21 characters
    // do not.
    check("10. 2. 3. 4. 5. 6. 7. Текст.", &["10. 2. 3. 4. 5. 6. 7. Текст."]);
    check("10. 20. 3. 4. 5. 6. 7. Текст.", &["10. 20. 3. 4. 5. 6. 7.", "Текст."]);
}

#[test]
fn smileys_end_sentences() {
    check("Я рад :) Ты тоже?", &["Я рад :)", "Ты тоже?"]);
}

#[test]
fn blank_text_has_no_sentences() {
    check("", &[]);
    check("  \n\n ", &[]);
}
