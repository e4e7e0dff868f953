//! The abbreviations after which a full stop does not end a sentence, as razdel 0.5.0 lists them (MIT, natasha
//! project). Each list says where the abbreviation stands and so what may follow it.
//!
//! razdel's list of other two-part abbreviations also has "жен. р." and "муж. р.", but a missing comma there glues
//! them into one three-word entry that never matches; they are left out here so that we split exactly where razdel
//! does.

/// Abbreviations that usually end a phrase ("5 млн.", "в 1990 г.", "и др."): the sentence goes on only if a
/// lowercase word, a number or punctuation follows.
const TAIL: &[&str] = &[
    "дес", "тыс", "млн", "млрд", "дол", "долл", "коп", "руб", "р", "проц", "га", "барр", "куб", "кв", "км", "см",
    "час", "мин", "сек", "в", "вв", "г", "гг", "с", "стр", "co", "corp", "inc", "изд", "ed", "др", "al",
];

/// Abbreviations that stand before what they qualify ("ул. Ленина", "проф. Иванов", "т. 1"): the sentence always
/// goes on after them.
const HEAD: &[&str] = &[
    "букв",
    "ст",
    "трад",
    "лат",
    "венг",
    "исп",
    "кат",
    "укр",
    "нем",
    "англ",
    "фр",
    "итал",
    "греч",
    "евр",
    "араб",
    "яп",
    "слав",
    "кит",
    "рус",
    "русск",
    "латв",
    "словацк",
    "хорв",
    "mr",
    "mrs",
    "ms",
    "dr",
    "vs",
    "св",
    "арх",
    "зав",
    "зам",
    "проф",
    "акад",
    "кн",
    "корр",
    "ред",
    "гр",
    "ср",
    "чл",
    "корр",
    "им",
    "тов",
    "нач",
    "пол",
    "chap",
    "п",
    "пп",
    "ст",
    "ч",
    "чч",
    "гл",
    "стр",
    "абз",
    "пт",
    "no",
    "просп",
    "пр",
    "ул",
    "ш",
    "г",
    "гор",
    "д",
    "стр",
    "к",
    "корп",
    "пер",
    "корп",
    "обл",
    "эт",
    "пом",
    "ауд",
    "оф",
    "ком",
    "комн",
    "каб",
    "домовлад",
    "лит",
    "т",
    "рп",
    "пос",
    "с",
    "х",
    "пл",
    "bd",
    "о",
    "оз",
    "р",
    "а",
    "обр",
    "ум",
    "ок",
    "откр",
    "пс",
    "ps",
    "upd",
    "см",
    "напр",
    "доп",
    "юр",
    "физ",
    "тел",
    "сб",
    "внутр",
    "дифф",
    "гос",
    "отм",
];

/// Other abbreviations, which behave like the tail ones.
const OTHER: &[&str] = &["сокр", "рис", "искл", "прим", "яз", "устар", "шутл"];

/// Two-letter abbreviations that end a phrase ("и т. д.", "н. э.", "с. ш.").
const TAIL_PAIRS: &[(&str, &str)] = &[
    ("т", "п"),
    ("т", "д"),
    ("у", "е"),
    ("н", "э"),
    ("p", "m"),
    ("a", "m"),
    ("с", "г"),
    ("р", "х"),
    ("с", "ш"),
    ("з", "д"),
    ("л", "с"),
    ("ч", "т"),
];

/// Two-letter abbreviations that stand before what they qualify ("т. е.", "т. к.", "и. о.").
const HEAD_PAIRS: &[(&str, &str)] =
    &[("т", "е"), ("т", "к"), ("т", "н"), ("и", "о"), ("к", "н"), ("к", "п"), ("п", "н"), ("к", "т"), ("л", "д")];

/// Other two-part abbreviations ("мн. ч.").
const OTHER_PAIRS: &[(&str, &str)] = &[("ед", "ч"), ("мн", "ч"), ("повел", "накл")];

/// Short first names written with a full stop ("Дж. Буш", "Вс. Мейерхольд").
const INITIALS: &[&str] = &["дж", "ed", "вс"];

/// A full stop after it never ends the sentence.
pub(crate) fn is_head(word: &str) -> bool {
    HEAD.contains(&word)
}

/// Any listed abbreviation.
pub(crate) fn is_any(word: &str) -> bool {
    TAIL.contains(&word) || HEAD.contains(&word) || OTHER.contains(&word)
}

/// A two-part abbreviation after which the sentence always goes on.
pub(crate) fn is_head_pair(first: &str, second: &str) -> bool {
    HEAD_PAIRS.contains(&(first, second))
}

/// Any listed two-part abbreviation.
pub(crate) fn is_any_pair(first: &str, second: &str) -> bool {
    let pair = (first, second);
    TAIL_PAIRS.contains(&pair) || HEAD_PAIRS.contains(&pair) || OTHER_PAIRS.contains(&pair)
}

/// A first-name abbreviation.
pub(crate) fn is_initial(word: &str) -> bool {
    INITIALS.contains(&word)
}
