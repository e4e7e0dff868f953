//! Identifiers: a number is given a kind by the label before it (ИНН, ОГРН, КПП, СНИЛС, ЄДРПОУ, РНОКПП, БИК, р/с,
//! паспорт, карта), in which case a wrong check digit is reported as [`Checksum::Invalid`]; or by a form strong
//! enough on its own (a valid 12-digit INN, a valid OGRN starting 1 or 5, a formatted SNILS, a grouped card number,
//! an IBAN), in which case only valid numbers are reported. Vehicle plates are recognised by their letters and
//! digits.

mod label;
mod plate;

use crate::checksum::{
    bik_is_well_formed, edrpou_is_valid, iban_is_valid, iban_shape, inn_is_valid, kpp_is_well_formed, luhn_is_valid,
    ogrn_is_valid, ogrnip_is_valid, rnokpp_is_valid, snils_is_valid,
};
use crate::scan::Found;
use crate::text::{char_at, char_before, digits_end, is_alnum, is_inline_space, skip_inline_spaces};
use crate::{Checksum, Detail, Kind};

pub(crate) use label::{Label, label_before};

/// A number with a label before it; several when the label names two (ИНН/КПП 7707083893/770701001).
pub(crate) fn labelled(text: &str, at: usize) -> Option<Vec<Found>> {
    let (label, written, _) = label_before(text, at)?;
    let written = Some(written);
    let one = |found: Found| Some(vec![found.label(written.clone())]);
    match label {
        Label::Inn => {
            let (end, digits) = digit_groups(text, at, &[10, 12])?;
            let valid = inn_is_valid(&digits);
            let inn = Found::new(Kind::Inn, at, end, digits).checksum(Some(Checksum::of(valid)));
            let mut out = vec![inn.label(written.clone())];
            if let Some(kpp) = kpp_after_slash(text, end) {
                out.push(kpp.label(written));
            }
            Some(out)
        }
        Label::UkrainianTaxNumber | Label::Rnokpp => {
            let (end, digits) = digit_groups(text, at, &[10])?;
            // ІПН of a VAT payer has 12 digits and no published check digit: not an RNOKPP.
            if label == Label::UkrainianTaxNumber && digits.len() != 10 {
                return None;
            }
            let valid = rnokpp_is_valid(&digits);
            one(Found::new(Kind::Rnokpp, at, end, digits).checksum(Some(Checksum::of(valid))))
        }
        Label::Ogrn | Label::Ogrnip => {
            let (end, digits) = digit_groups(text, at, &[13, 15])?;
            let (kind, valid) = match digits.len() {
                15 => (Kind::Ogrnip, ogrnip_is_valid(&digits)),
                13 => (Kind::Ogrn, ogrn_is_valid(&digits)),
                _ if label == Label::Ogrnip => (Kind::Ogrnip, false),
                _ => (Kind::Ogrn, false),
            };
            one(Found::new(kind, at, end, digits).checksum(Some(Checksum::of(valid))))
        }
        Label::Kpp => {
            let end =
                at + text[at..].bytes().take_while(|byte| byte.is_ascii_digit() || byte.is_ascii_uppercase()).count();
            if !boundary_after(text, end) {
                return None;
            }
            let kpp = text[at..end].to_string();
            let valid = kpp_is_well_formed(&kpp);
            one(Found::new(Kind::Kpp, at, end, kpp).checksum(Some(Checksum::of(valid))))
        }
        Label::Snils => {
            let (end, digits) = digit_groups(text, at, &[11])?;
            let checksum =
                if digits.len() == 11 { snils_is_valid(&digits).map(Checksum::of) } else { Some(Checksum::Invalid) };
            one(Found::new(Kind::Snils, at, end, digits).checksum(checksum))
        }
        Label::Edrpou => {
            let (end, digits) = digit_groups(text, at, &[8])?;
            let valid = edrpou_is_valid(&digits);
            one(Found::new(Kind::Edrpou, at, end, digits).checksum(Some(Checksum::of(valid))))
        }
        Label::Bik => {
            let (end, digits) = digit_groups(text, at, &[9])?;
            let valid = bik_is_well_formed(&digits);
            one(Found::new(Kind::Bik, at, end, digits).checksum(Some(Checksum::of(valid))))
        }
        Label::Account => {
            let (end, digits) = digit_groups(text, at, &[20])?;
            if digits.len() != 20 {
                return None;
            }
            let checksum = label::bik_near(text, at)
                .map(|bik| Checksum::of(crate::checksum::bank_account_is_valid(&bik, &digits)));
            one(Found::new(Kind::BankAccount, at, end, digits).checksum(checksum))
        }
        Label::Card => {
            let (end, digits) = card_digits(text, at)?;
            let valid = luhn_is_valid(&digits);
            one(Found::new(Kind::Card, at, end, digits).checksum(Some(Checksum::of(valid))))
        }
        Label::Passport => passport_digits(text, at).and_then(one),
        Label::Iban | Label::Phone => None,
    }
}

/// The KPP after "ИНН/КПП 7707083893/": a slash, then nine characters of a KPP's alphabet.
fn kpp_after_slash(text: &str, end: usize) -> Option<Found> {
    let slash = skip_inline_spaces(text, end);
    if !matches!(char_at(text, slash), Some('/' | '\\')) {
        return None;
    }
    let start = skip_inline_spaces(text, slash + 1);
    let kpp_end =
        start + text[start..].bytes().take_while(|byte| byte.is_ascii_digit() || byte.is_ascii_uppercase()).count();
    if kpp_end == start || !boundary_after(text, kpp_end) || !text.as_bytes()[start].is_ascii_digit() {
        return None;
    }
    let kpp = text[start..kpp_end].to_string();
    let valid = kpp_is_well_formed(&kpp);
    Some(Found::new(Kind::Kpp, start, kpp_end, kpp).checksum(Some(Checksum::of(valid))))
}

/// Nothing that continues a number or word after `end`.
fn boundary_after(text: &str, end: usize) -> bool {
    char_at(text, end).is_none_or(|c| !is_alnum(c))
}

/// Whether the digit run `start..end` stands alone: no letter or digit touches it, and no dot, comma, slash or
/// hyphen joins it to another number (`1234567890.5`, `12/2023`, `2019-2023`).
fn standalone(text: &str, start: usize, end: usize) -> bool {
    let joins = |c: char| matches!(c, '.' | ',' | '/' | '-' | '\\' | ':');
    let before_ok = match char_before(text, start) {
        None => true,
        Some(c) if is_alnum(c) => false,
        Some(c) if joins(c) => char_before(text, start - c.len_utf8()).is_none_or(|c| !c.is_ascii_digit()),
        Some(_) => true,
    };
    let after_ok = match char_at(text, end) {
        None => true,
        Some(c) if is_alnum(c) => false,
        Some(c) if joins(c) => char_at(text, end + c.len_utf8()).is_none_or(|c| !c.is_ascii_digit()),
        Some(_) => true,
    };
    before_ok && after_ok
}

/// The digits of a labelled number at `at`: one run, or runs joined by single spaces or hyphens until their total
/// reaches one of the `lengths` (`123-456-789 01`, `77 07 083893`). Without a join that fits, the first run alone
/// (which will fail its check, being of the wrong length). `None` if the number runs into letters.
fn digit_groups(text: &str, at: usize, lengths: &[usize]) -> Option<(usize, String)> {
    let first_end = digits_end(text, at);
    let mut digits = text[at..first_end].to_string();
    if !lengths.contains(&digits.len()) {
        let mut end = first_end;
        let mut joined = digits.clone();
        let longest = lengths.iter().copied().max().unwrap_or(0);
        while joined.len() < longest {
            let Some(c) = char_at(text, end).filter(|c| is_inline_space(*c) || *c == '-') else { break };
            let next = end + c.len_utf8();
            let next_end = digits_end(text, next);
            if next_end == next {
                break;
            }
            joined.push_str(&text[next..next_end]);
            end = next_end;
            if lengths.contains(&joined.len()) {
                if !char_at(text, end).is_some_and(|c| c.is_ascii_digit()) && boundary_after(text, end) {
                    return Some((end, joined));
                }
                break;
            }
        }
    }
    if !boundary_after(text, first_end) {
        return None;
    }
    digits.shrink_to_fit();
    Some((first_end, digits))
}

/// A card number: 13–19 digits in one run or in groups joined by single spaces or hyphens.
fn card_digits(text: &str, at: usize) -> Option<(usize, String)> {
    let mut end = digits_end(text, at);
    let mut digits = text[at..end].to_string();
    while digits.len() < 19 {
        let Some(c) = char_at(text, end).filter(|c| is_inline_space(*c) || *c == '-') else { break };
        let next = end + c.len_utf8();
        let next_end = digits_end(text, next);
        if next_end == next || digits.len() + (next_end - next) > 19 {
            break;
        }
        digits.push_str(&text[next..next_end]);
        end = next_end;
    }
    ((13..=19).contains(&digits.len()) && boundary_after(text, end)).then_some((end, digits))
}

/// A passport number after "паспорт"/"серия": Russian `45 08 123456`, `4508 123456`, `4508 № 123456`; a Russian
/// travel passport `75 1234567`; a Ukrainian ID card's nine digits.
fn passport_digits(text: &str, at: usize) -> Option<Found> {
    let first_end = digits_end(text, at);
    let first = &text[at..first_end];
    let next_number = |from: usize| -> Option<(usize, usize)> {
        let mut position = skip_inline_spaces(text, from);
        for marker in ["№", "номер", "N"] {
            if let Some(rest) = text[position..].strip_prefix(marker) {
                position = skip_inline_spaces(text, text.len() - rest.len());
                break;
            }
        }
        let end = digits_end(text, position);
        (end > position && boundary_after(text, end)).then_some((position, end))
    };
    let russian = |series: String, number_start: usize, number_end: usize| {
        let number = &text[number_start..number_end];
        (number.len() == 6).then(|| {
            Found::new(Kind::Passport, at, number_end, format!("{series} {number}"))
                .detail(Detail::Country { country: "RU" })
        })
    };
    match first.len() {
        2 => {
            let (second_start, second_end) = next_number(first_end)?;
            let second = &text[second_start..second_end];
            match second.len() {
                2 => {
                    let (number_start, number_end) = next_number(second_end)?;
                    russian(format!("{first}{second}"), number_start, number_end)
                }
                7 => Some(
                    Found::new(Kind::Passport, at, second_end, format!("{first} {second}"))
                        .detail(Detail::Country { country: "RU" }),
                ),
                _ => None,
            }
        }
        4 => {
            let (number_start, number_end) = next_number(first_end)?;
            russian(first.to_string(), number_start, number_end)
        }
        10 if boundary_after(text, first_end) => russian(first[..4].to_string(), at + 4, first_end),
        9 if boundary_after(text, first_end) => {
            Some(Found::new(Kind::Passport, at, first_end, first.to_string()).detail(Detail::Country { country: "UA" }))
        }
        _ => None,
    }
}

/// Numbers whose form alone says what they are: a SNILS written `123-456-789 01` and a card number in groups of four,
/// each only when its check passes.
pub(crate) fn formatted(text: &str, at: usize) -> Option<Found> {
    snils_formatted(text, at).or_else(|| card_grouped(text, at))
}

fn snils_formatted(text: &str, at: usize) -> Option<Found> {
    let bytes = text.as_bytes();
    let shape = b"ddd-ddd-ddd dd";
    let candidate = bytes.get(at..at + shape.len())?;
    let fits = candidate.iter().zip(shape).all(|(byte, want)| match want {
        b'd' => byte.is_ascii_digit(),
        b' ' => *byte == b' ' || *byte == b'-',
        other => byte == other,
    });
    let end = at + shape.len();
    if !fits || !standalone(text, at, end) {
        return None;
    }
    let digits: String = text[at..end].chars().filter(char::is_ascii_digit).collect();
    (snils_is_valid(&digits) == Some(true))
        .then(|| Found::new(Kind::Snils, at, end, digits).checksum(Some(Checksum::Valid)))
}

fn card_grouped(text: &str, at: usize) -> Option<Found> {
    if digits_end(text, at) - at != 4 || !standalone_start(text, at) {
        return None;
    }
    let (end, digits) = card_digits(text, at)?;
    let grouped_by_four =
        text[at..end].split(|c: char| !c.is_ascii_digit()).all(|group| group.len() == 4 || group.len() == 3);
    let separated = end - at > digits.len();
    let network = matches!(digits.as_bytes()[0], b'2'..=b'6' | b'9');
    (separated && grouped_by_four && network && luhn_is_valid(&digits) && standalone(text, at, end))
        .then(|| Found::new(Kind::Card, at, end, digits).checksum(Some(Checksum::Valid)))
}

fn standalone_start(text: &str, at: usize) -> bool {
    char_before(text, at).is_none_or(|c| !is_alnum(c) && !matches!(c, '.' | ',' | '/' | '-' | '+'))
}

/// Bare digit runs whose form is strong enough with a valid check: a 12-digit INN, a 13-digit OGRN of an
/// organisation (first digit 1 or 5), a 15-digit OGRNIP (first digit 3), a 16-digit card number.
pub(crate) fn bare(text: &str, at: usize) -> Option<Found> {
    let end = digits_end(text, at);
    if !standalone(text, at, end) {
        return None;
    }
    let digits = &text[at..end];
    let first = digits.as_bytes()[0];
    let kind = match digits.len() {
        12 if inn_is_valid(digits) => Kind::Inn,
        13 if matches!(first, b'1' | b'5') && ogrn_is_valid(digits) => Kind::Ogrn,
        15 if first == b'3' && ogrnip_is_valid(digits) => Kind::Ogrnip,
        16 if matches!(first, b'2' | b'4' | b'5' | b'6') && luhn_is_valid(digits) => Kind::Card,
        _ => return None,
    };
    Some(Found::new(kind, at, end, digits.to_string()).checksum(Some(Checksum::Valid)))
}

/// Identifiers that start with letters: an IBAN, a vehicle plate, a Ukrainian passport series (`МЕ 123456`).
pub(crate) fn at_word(text: &str, at: usize, word_end: usize) -> Option<Found> {
    iban(text, at, word_end).or_else(|| plate::plate(text, at)).or_else(|| ukrainian_passport(text, at, word_end))
}

/// An IBAN in electronic (`UA213223130000026007233566001`) or printed form (groups of four, single spaces).
fn iban(text: &str, at: usize, word_end: usize) -> Option<Found> {
    let bytes = text.as_bytes();
    if word_end != at + 2 || !bytes[at..word_end].iter().all(u8::is_ascii_uppercase) {
        return None;
    }
    if !bytes.get(at + 2..at + 4).is_some_and(|check| check.iter().all(u8::is_ascii_digit)) {
        return None;
    }
    let is_part = |byte: &u8| byte.is_ascii_digit() || byte.is_ascii_uppercase();
    let run_end = at + bytes[at..].iter().take_while(|byte| is_part(byte)).count();
    let (end, compact) = if run_end - at == 4 && bytes.get(run_end) == Some(&b' ') {
        // Printed form: groups of four after single spaces, the last one shorter or the end of the text.
        let mut end = run_end;
        let mut compact = text[at..run_end].to_string();
        while compact.len() < 34 && bytes.get(end) == Some(&b' ') {
            let group_end = end + 1 + bytes[end + 1..].iter().take_while(|byte| is_part(byte)).count();
            let group = end + 1..group_end;
            if group.is_empty() || group.len() > 4 {
                break;
            }
            compact.push_str(&text[group.clone()]);
            end = group_end;
            if group.len() < 4 {
                break;
            }
        }
        (end, compact)
    } else {
        (run_end, text[at..run_end].to_string())
    };
    if !iban_shape(&compact) || !boundary_after(text, end) || !crate::text::starts_word(text, at) {
        return None;
    }
    let valid = iban_is_valid(&compact);
    let labelled = label_before(text, at).is_some_and(|(label, _, _)| label == Label::Iban);
    if !valid && !labelled && !known_country_format(&compact) {
        return None;
    }
    let label = label_before(text, at).map(|(_, written, _)| written);
    Some(
        Found::new(Kind::Iban, at, end, compact.clone())
            .checksum(Some(Checksum::of(valid)))
            .label(label)
            .detail(Detail::Country { country: country_code(&compact) }),
    )
}

/// Whether the IBAN's country and BBAN follow the IBAN registry, whatever its check digits say: the check digits are
/// recomputed before asking the registry, so a mistyped digit still shows an IBAN-shaped number.
fn known_country_format(compact: &str) -> bool {
    let Some(check) = crate::checksum::iban_check_digits(&compact[..2], &compact[4..]) else { return false };
    let repaired = format!("{}{check}{}", &compact[..2], &compact[4..]);
    repaired.parse::<iban::Iban>().is_ok()
}

/// The static country code for the detail (the IBAN's own two letters, from a fixed list of those we name).
fn country_code(compact: &str) -> &'static str {
    match &compact[..2] {
        "UA" => "UA",
        "RU" => "RU",
        "DE" => "DE",
        "GB" => "GB",
        "CY" => "CY",
        "LV" => "LV",
        "LT" => "LT",
        "EE" => "EE",
        "CH" => "CH",
        "AT" => "AT",
        "FR" => "FR",
        "NL" => "NL",
        "PL" => "PL",
        "KZ" => "KZ",
        "BY" => "BY",
        "GE" => "GE",
        "MD" => "MD",
        "AE" => "AE",
        "TR" => "TR",
        _ => "",
    }
}

/// A Ukrainian passport booklet's series and number, `МЕ 123456`, after a passport label.
fn ukrainian_passport(text: &str, at: usize, word_end: usize) -> Option<Found> {
    let series = &text[at..word_end];
    if series.chars().count() != 2 || !series.chars().all(|c| c.is_uppercase() && is_cyrillic(c)) {
        return None;
    }
    let (label, written, _) = label_before(text, at)?;
    if label != Label::Passport {
        return None;
    }
    let mut position = skip_inline_spaces(text, word_end);
    if let Some(rest) = text[position..].strip_prefix('№') {
        position = skip_inline_spaces(text, text.len() - rest.len());
    }
    let end = digits_end(text, position);
    (end - position == 6 && boundary_after(text, end)).then(|| {
        Found::new(Kind::Passport, at, end, format!("{series}{}", &text[position..end]))
            .label(Some(written))
            .detail(Detail::Country { country: "UA" })
    })
}

pub(crate) fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}')
}
