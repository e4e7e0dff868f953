//! Vehicle registration plates: Russian `А123ВС 77` / `А 123 ВС 777` (GOST R 50577: one letter, three digits, two
//! letters, a region of two or three digits) and Ukrainian `АА 1234 ВВ` (two letters, four digits, two letters).
//! Only the letters that look alike in Cyrillic and Latin are used on plates; Latin look-alikes are read as their
//! Cyrillic twins, and at least one letter must be Cyrillic (a Latin-only string is a part number more often).

use crate::identifier::is_cyrillic;
use crate::scan::Found;
use crate::text::{char_at, digits_end, is_alnum, starts_word};
use crate::{Detail, Kind};

/// The Cyrillic plate letter for a Cyrillic or Latin capital, if plates use it (Russian set; `І` only in Ukraine).
fn plate_letter(c: char, ukrainian: bool) -> Option<char> {
    let cyrillic = match c {
        'А' | 'A' => 'А',
        'В' | 'B' => 'В',
        'Е' | 'E' => 'Е',
        'К' | 'K' => 'К',
        'М' | 'M' => 'М',
        'Н' | 'H' => 'Н',
        'О' | 'O' => 'О',
        'Р' | 'P' => 'Р',
        'С' | 'C' => 'С',
        'Т' | 'T' => 'Т',
        'Х' | 'X' => 'Х',
        'У' | 'Y' if !ukrainian => 'У',
        'І' | 'I' if ukrainian => 'І',
        _ => return None,
    };
    Some(cyrillic)
}

/// Reads `count` plate letters at `at`; returns them in Cyrillic, where they end, and whether any was Cyrillic.
fn letters(text: &str, at: usize, count: usize, ukrainian: bool) -> Option<(String, usize, bool)> {
    let mut out = String::new();
    let mut end = at;
    let mut any_cyrillic = false;
    for _ in 0..count {
        let c = char_at(text, end)?;
        out.push(plate_letter(c, ukrainian)?);
        any_cyrillic |= is_cyrillic(c);
        end += c.len_utf8();
    }
    Some((out, end, any_cyrillic))
}

/// An optional single space (or no-break space) between plate parts.
fn optional_space(text: &str, at: usize) -> usize {
    match char_at(text, at) {
        Some(c @ (' ' | '\u{a0}')) => at + c.len_utf8(),
        _ => at,
    }
}

fn digits(text: &str, at: usize, min: usize, max: usize) -> Option<usize> {
    let end = digits_end(text, at);
    (min..=max).contains(&(end - at)).then_some(end)
}

fn ends_here(text: &str, end: usize) -> bool {
    char_at(text, end).is_none_or(|c| !is_alnum(c))
}

/// A Russian or Ukrainian plate starting at the letter at `at`.
pub(crate) fn plate(text: &str, at: usize) -> Option<Found> {
    if !starts_word(text, at) {
        return None;
    }
    russian(text, at).or_else(|| ukrainian(text, at))
}

fn russian(text: &str, at: usize) -> Option<Found> {
    let (first, after_first, cyrillic_first) = letters(text, at, 1, false)?;
    let number_start = optional_space(text, after_first);
    let number_end = digits(text, number_start, 3, 3)?;
    if &text[number_start..number_end] == "000" {
        return None;
    }
    let series_start = optional_space(text, number_end);
    let (series, series_end, cyrillic_series) = letters(text, series_start, 2, false)?;
    let region_start = optional_space(text, series_end);
    let region_end = digits(text, region_start, 2, 3)?;
    if !ends_here(text, region_end) || !(cyrillic_first || cyrillic_series) {
        return None;
    }
    let value = format!("{first}{}{series}{}", &text[number_start..number_end], &text[region_start..region_end]);
    Some(Found::new(Kind::VehiclePlate, at, region_end, value).detail(Detail::Country { country: "RU" }))
}

fn ukrainian(text: &str, at: usize) -> Option<Found> {
    let (region, after_region, cyrillic_region) = letters(text, at, 2, true)?;
    let number_start = optional_space(text, after_region);
    let number_end = digits(text, number_start, 4, 4)?;
    let series_start = optional_space(text, number_end);
    let (series, series_end, cyrillic_series) = letters(text, series_start, 2, true)?;
    if !ends_here(text, series_end) || !(cyrillic_region || cyrillic_series) {
        return None;
    }
    let value = format!("{region}{}{series}", &text[number_start..number_end]);
    Some(Found::new(Kind::VehiclePlate, at, series_end, value).detail(Detail::Country { country: "UA" }))
}
