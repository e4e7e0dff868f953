//! The label before a number: the word (ИНН, ОГРН, СНИЛС, ЄДРПОУ, паспорт, р/с...) that says what the number is.
//! It may be separated from the number by a colon, a dash, "№" or a line break, and by up to two words from a
//! short list of fillers ("ИНН организации", "паспорт гражданина Украины").

use crate::text::{
    ceil_boundary, char_before, digits_end, floor_boundary, is_inline_space, lower, skip_inline_spaces, word_start,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Label {
    Inn,
    /// ІНН / ІПН in Ukrainian: the 10-digit RNOKPP (a 12-digit ІПН is a VAT number, not ours).
    UkrainianTaxNumber,
    Rnokpp,
    Ogrn,
    Ogrnip,
    Kpp,
    Snils,
    Edrpou,
    Bik,
    Account,
    Passport,
    Card,
    Iban,
    Phone,
}

fn label_of(word: &str) -> Option<Label> {
    Some(match word {
        "инн" | "inn" => Label::Inn,
        "інн" | "іпн" | "iпн" | "iнн" => Label::UkrainianTaxNumber,
        "рнокпп" | "дрфо" => Label::Rnokpp,
        "огрн" | "огрнюл" | "ogrn" => Label::Ogrn,
        "огрнип" | "огрип" | "ogrnip" => Label::Ogrnip,
        "кпп" | "kpp" => Label::Kpp,
        "снилс" | "snils" => Label::Snils,
        "єдрпоу" | "едрпоу" | "егрпоу" | "edrpou" => Label::Edrpou,
        "бик" | "bik" => Label::Bik,
        "паспорт" | "паспорта" | "паспорті" | "паспорте" | "паспортом" | "серия" | "серии" | "серія" | "серії"
        | "passport" => Label::Passport,
        "карта" | "карты" | "карту" | "картой" | "картка" | "картки" | "картку" | "карткою" | "card" => {
            Label::Card
        }
        "iban" => Label::Iban,
        "тел" | "телефон" | "телефона" | "телефону" | "моб" | "мобильный" | "мобільний" | "факс" | "phone" | "tel"
        | "fax" | "тел/факс" => Label::Phone,
        "счет" | "счёт" | "счета" | "рахунок" | "рахунку" => Label::Account,
        _ => return None,
    })
}

/// Words that may stand between a label and its number.
fn is_filler(word: &str) -> bool {
    matches!(
        word,
        "организации"
            | "налогоплательщика"
            | "компании"
            | "предприятия"
            | "юридического"
            | "физического"
            | "лица"
            | "гражданина"
            | "громадянина"
            | "рф"
            | "россии"
            | "российской"
            | "федерации"
            | "украины"
            | "україни"
            | "номер"
            | "код"
            | "платника"
            | "получателя"
            | "отправителя"
            | "одержувача"
            | "отримувача"
            | "банка"
            | "банку"
            | "клиента"
            | "расчетный"
            | "расчётный"
            | "корреспондентский"
            | "поточний"
            | "розрахунковий"
            | "no"
    )
}

/// Account labels written with a slash: р/с, р/сч, к/с, к/сч, л/с, р/р.
fn slash_label(text: &str, end: usize) -> Option<usize> {
    let window_start = floor_boundary(text, end.saturating_sub(12));
    let window = lower(&text[window_start..end]);
    for label in ["р/сч", "к/сч", "р/с", "к/с", "л/с", "р/р"] {
        if window.ends_with(label) {
            let start = end - text[..end].chars().rev().take(label.chars().count()).map(char::len_utf8).sum::<usize>();
            let bounded = char_before(text, start).is_none_or(|c| !c.is_alphanumeric());
            if bounded {
                return Some(start);
            }
        }
    }
    None
}

/// The label before the number at `at`: what it says, how it was written, where it starts.
pub(crate) fn label_before(text: &str, at: usize) -> Option<(Label, String, usize)> {
    let mut position = at;
    for n_words in 0..3 {
        position = skip_separators_back(text, position)?;
        if let Some(start) = slash_label(text, position) {
            return Some((Label::Account, text[start..position].to_string(), start));
        }
        let start = word_start(text, position);
        if start == position {
            return None;
        }
        let word = lower(&text[start..position]);
        if let Some(label) = label_of(&word) {
            if label == Label::Kpp
                && let Some(compound) = inn_before_slash(text, start)
            {
                return Some((Label::Inn, text[compound..position].to_string(), compound));
            }
            return Some((label, text[start..position].to_string(), start));
        }
        if n_words == 2 || !is_filler(&word) {
            return None;
        }
        position = start;
    }
    None
}

/// In "ИНН/КПП", the start of "ИНН" before the slash at `kpp_start`.
fn inn_before_slash(text: &str, kpp_start: usize) -> Option<usize> {
    let slash = kpp_start.checked_sub(1).filter(|slash| text.as_bytes()[*slash] == b'/')?;
    let start = word_start(text, slash);
    (lower(&text[start..slash]) == "инн").then_some(start)
}

/// Steps back over what may stand between a label and its number: spaces, at most one line break, and the
/// punctuation of forms (`:`, `-`, `№`, `.`, `(`); at most 12 characters. `None` if the line breaks twice.
fn skip_separators_back(text: &str, at: usize) -> Option<usize> {
    let mut position = at;
    let mut n_newlines = 0;
    for _ in 0..12 {
        match char_before(text, position) {
            Some(c) if is_inline_space(c) || matches!(c, ':' | '-' | '–' | '—' | '№' | '.' | '=' | '(' | '#' | ',') =>
            {
                position -= c.len_utf8();
            }
            Some(c @ ('\n' | '\r')) => {
                n_newlines += usize::from(c == '\n');
                if n_newlines > 1 {
                    return None;
                }
                position -= 1;
            }
            _ => return Some(position),
        }
    }
    Some(position)
}

/// The BIK written nearest to `at` (within 2,000 bytes either side), to check a bank account against.
pub(crate) fn bik_near(text: &str, at: usize) -> Option<String> {
    let low = floor_boundary(text, at.saturating_sub(2000));
    let high = ceil_boundary(text, at + 2000);
    let window = &text[low..high];
    let mut best: Option<(usize, String)> = None;
    for needle in ["БИК", "бик", "Бик", "BIK"] {
        for (offset, _) in window.match_indices(needle) {
            let mut position = low + offset + needle.len();
            position = skip_inline_spaces(text, position);
            if text[position..].starts_with(':') {
                position = skip_inline_spaces(text, position + 1);
            }
            let end = digits_end(text, position);
            if end - position != 9 {
                continue;
            }
            let distance = (low + offset).abs_diff(at);
            if best.as_ref().is_none_or(|(best_distance, _)| distance < *best_distance) {
                best = Some((distance, text[position..end].to_string()));
            }
        }
    }
    best.map(|(_, bik)| bik)
}
