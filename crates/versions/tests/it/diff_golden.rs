//! Golden tests of the diff: each case is two texts and the diff rendered for a terminal (`Diff::render`), which
//! shows every kind of operation and every hidden difference with its characters named.

use dossier_versions::{HiddenKind, OpKind, diff};

fn check(a: &str, b: &str, expected: &str) {
    let result = diff(a, b);
    assert_eq!(result.render(a), expected, "\na: {a:?}\nb: {b:?}");
    assert_eq!(result.apply(a), b);
}

#[test]
fn a_latin_letter_in_a_cyrillic_word_is_shown_as_a_homoglyph() {
    check(
        "Договор подписан.",
        "Дог\u{006F}вор подписан.",
        "{~Договор~>Дог\u{006F}вор~}⟨homoglyph: U+043E CYRILLIC SMALL LETTER O → U+006F LATIN SMALL LETTER O⟩ подписан.",
    );
    let result = diff("Договор подписан.", "Дог\u{006F}вор подписан.");
    let hidden = &result.ops[0].hidden[0];
    assert_eq!(hidden.kind, HiddenKind::Homoglyph);
    assert_eq!((hidden.a.start, hidden.b.start), (3, 3));
    assert_eq!(result.summary.homoglyphs, 1);
    assert_eq!(result.summary.equal_words, 2);
}

#[test]
fn a_zero_width_space_is_shown_where_it_is() {
    check(
        "передать деньги",
        "пере\u{200B}дать деньги",
        "{~передать~>пере⟨U+200B⟩дать~}⟨invisible: nothing → U+200B ZERO WIDTH SPACE⟩ деньги",
    );
    let result = diff("передать деньги", "пере\u{200B}дать деньги");
    let hidden = &result.ops[0].hidden[0];
    assert_eq!((hidden.a.start, hidden.a.end, hidden.b.start, hidden.b.end), (4, 4, 4, 5));
}

#[test]
fn a_no_break_space_is_not_a_space() {
    check(
        "100 000 рублей",
        "100\u{00A0}000 рублей",
        "100{~ ~>⟨U+00A0⟩~}⟨whitespace: U+0020 SPACE → U+00A0 NO-BREAK SPACE⟩000 рублей",
    );
}

#[test]
fn a_double_space_is_shown() {
    check("один два", "один  два", "один{~ ~>  ~}⟨whitespace: U+0020 SPACE → U+0020 SPACE + U+0020 SPACE⟩два");
}

#[test]
fn quotes_and_dashes_of_another_style_are_punctuation_variants() {
    check(
        "«Да» - сказал он",
        "\"Да\" — сказал он",
        "{~«~>\"~}⟨punctuation: U+00AB LEFT-POINTING DOUBLE ANGLE QUOTATION MARK → U+0022 QUOTATION MARK⟩Да\
         {~» -~>\" —~}⟨punctuation: U+00BB RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK → U+0022 QUOTATION MARK⟩\
         ⟨punctuation: U+002D HYPHEN-MINUS → U+2014 EM DASH⟩ сказал он",
    );
}

#[test]
fn a_changed_word_is_a_change() {
    check("Сумма: 100 рублей.", "Сумма: 900 рублей.", "Сумма: [-100-]{+900+} рублей.");
    let result = diff("Сумма: 100 рублей.", "Сумма: 900 рублей.");
    assert_eq!((result.summary.changed_words_a, result.summary.changed_words_b), (1, 1));
    assert_eq!(result.summary.equal_words, 2);
}

#[test]
fn inserted_and_deleted_words_are_shown_as_such() {
    check("он не пришёл вчера", "он пришёл вчера утром", "он [-не -]пришёл вчера{+ утром+}");
}

#[test]
fn a_changed_comma_is_a_visible_change() {
    check("казнить, нельзя помиловать", "казнить нельзя, помиловать", "казнить[-, -]{+ +}нельзя[- -]{+, +}помиловать");
}

#[test]
fn a_moved_paragraph_is_marked_as_moved() {
    let a = "Первый абзац текста.\n\nВторой абзац о деньгах.\n\nТретий абзац в конце.";
    let b = "Первый абзац текста.\n\nТретий абзац в конце.\n\nВторой абзац о деньгах.";
    let result = diff(a, b);
    assert_eq!(result.apply(a), b);
    let moved: Vec<_> = result.ops.iter().filter(|op| op.moved.is_some()).collect();
    assert_eq!(moved.len(), 2, "{}", result.render(a));
    assert_eq!(moved[0].moved, moved[1].moved);
    let kinds: Vec<OpKind> = moved.iter().map(|op| op.kind).collect();
    assert!(kinds.contains(&OpKind::Deleted) && kinds.contains(&OpKind::Inserted));
    assert_eq!(result.summary.moved_words, 4);
    assert_eq!(
        result.render(a),
        "Первый абзац текста.\n\n[-Второй абзац о деньгах.\n\n-]⟨moved 1⟩Третий абзац в конце.{+\n\nВторой абзац о деньгах.+}⟨moved 1⟩"
    );
}

#[test]
fn the_diff_is_json_with_offsets_and_named_characters() {
    let result = diff("сл\u{043E}во", "сл\u{006F}во");
    let json = serde_json::to_value(&result).expect("serialisable");
    let hidden = &json["ops"][0]["hidden"][0];
    assert_eq!(hidden["kind"], "homoglyph");
    assert_eq!(hidden["a"]["start"], 2);
    assert_eq!(hidden["a_chars"][0]["script"], "cyrillic");
    assert_eq!(hidden["b_chars"][0]["script"], "latin");
    assert_eq!(hidden["b_chars"][0]["name"], "LATIN SMALL LETTER O");
    assert_eq!(json["summary"]["homoglyphs"], 1);
}

#[test]
fn an_added_sentence_takes_its_own_punctuation_not_its_neighbours() {
    check("Раз. Три.", "Раз. Два. Три.", "Раз. {+Два. +}Три.");
    check("Конец.", "Конец. Ещё одно.", "Конец.{+ Ещё одно.+}");
    check("он пришёл", "он, конечно, пришёл", "он{+, конечно,+} пришёл");
    check("«Вставка» текст", "текст", "[-«Вставка» -]текст");
}
