//! Document registration numbers: `Исх. № 14-07/2298`, `№ 123-п`, `вих. № 01-12/345`, `No. 45/2023`,
//! `от 12.03.2023 № 45`, `№ 45 від 12.03.2023`. The span is the sign and the number; the value is the number. The
//! word before the sign (приказ, письмо, Исх.) is the label; Исх./вих. and Вх./вхід. give the direction; a date
//! written right before (`от 12.03.2023 №`) or right after (`№ 45 от 12.03.2023`) is attached.

use crate::date::{Date, read_at_digit};
use crate::scan::Found;
use crate::text::{char_at, char_before, is_inline_space, lower, skip_inline_spaces, word_end, word_start};
use crate::{Detail, Direction, Kind};

/// The longest document number we read: longer runs are something else (a path, a hash).
const MAX_NUMBER_BYTES: usize = 60;

/// A number after `№` or `#` at `at`.
pub(crate) fn at_sign(text: &str, at: usize, found: &[Found]) -> Option<Found> {
    let sign_end = at + char_at(text, at)?.len_utf8();
    // "№№ 5, 6" lists numbers; read the first.
    let sign_end = if char_at(text, sign_end) == Some('№') { sign_end + '№'.len_utf8() } else { sign_end };
    number_after(text, at, sign_end, found)
}

/// A number after a Latin `N`, `No`, `No.`, `Nº`, `Nr.` at the word starting at `at`.
pub(crate) fn at_word(text: &str, at: usize, end: usize, found: &[Found]) -> Option<Found> {
    let word = &text[at..end];
    let mut sign_end = match word {
        "No" | "no" | "Nr" | "nr" | "NO" => end,
        // A bare "N" stands for № in Russian legal texts (N 131-ФЗ); in English it is more often north.
        "N" if previous_word_is_cyrillic(text, at) => end,
        "N" if char_at(text, end) == Some('º') => end + 'º'.len_utf8(),
        _ => return None,
    };
    if char_at(text, sign_end) == Some('.') {
        sign_end += 1;
    }
    let number = number_after(text, at, sign_end, found)?;
    // "no 5" in English prose is not a number sign; demand the full stop or a capital for "No".
    let dotted = text[end..sign_end].contains('.');
    (word != "no" || dotted).then_some(number)
}

fn previous_word_is_cyrillic(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end_matches(|c: char| is_inline_space(c) || c == ',');
    before.chars().next_back().is_some_and(|c| matches!(c, '\u{0400}'..='\u{04FF}'))
}

fn number_after(text: &str, sign_start: usize, sign_end: usize, found: &[Found]) -> Option<Found> {
    let start = skip_inline_spaces(text, sign_end);
    let mut end = start;
    for c in text[start..].chars() {
        if !(c.is_alphanumeric() || matches!(c, '-' | '/' | '.' | '_' | '\\')) {
            break;
        }
        end += c.len_utf8();
        if end - start > MAX_NUMBER_BYTES {
            return None;
        }
    }
    while let Some(last) = text[start..end].chars().next_back().filter(|c| matches!(c, '.' | '-' | '/' | '_' | '\\')) {
        end -= last.len_utf8();
    }
    let number = &text[start..end];
    if !number.chars().next().is_some_and(char::is_alphanumeric) || !number.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let (label, direction) = label_before(text, sign_start);
    let date = date_before(text, sign_start, found).or_else(|| date_after(text, end));
    Some(
        Found::new(Kind::DocumentNumber, sign_start, end, number.to_string())
            .label(label)
            .detail(Detail::Document { direction, date }),
    )
}

/// The word right before the sign (past a full stop and spaces), and the direction it gives.
fn label_before(text: &str, sign_start: usize) -> (Option<String>, Option<Direction>) {
    let mut end = sign_start;
    while let Some(c) = char_before(text, end).filter(|c| is_inline_space(*c)) {
        end -= c.len_utf8();
    }
    let with_dot = end;
    if char_before(text, end) == Some('.') {
        end -= 1;
    }
    let start = word_start(text, end);
    if start == end {
        return (None, None);
    }
    let word = lower(&text[start..end]);
    let direction = match word.as_str() {
        "исх" | "исходящий" | "вих" | "вихідний" | "out" => Some(Direction::Outgoing),
        "вх" | "входящий" | "вхід" | "вхідний" | "in" => Some(Direction::Incoming),
        _ => None,
    };
    (Some(text[start..with_dot].to_string()), direction)
}

/// A date found just before: `от 12.03.2023 № 45` (only spaces or a comma between the date and the sign or label).
fn date_before(text: &str, sign_start: usize, found: &[Found]) -> Option<Date> {
    let last = found.last().filter(|last| last.kind == Kind::Date)?;
    let between = text.get(last.end..sign_start)?;
    let only_gap = between.chars().all(|c| is_inline_space(c) || c == ',');
    match (&last.detail, only_gap) {
        (Detail::Date(date), true) if date.day.is_some() => Some(*date),
        _ => None,
    }
}

/// A date just after: `№ 45 от 12.03.2023`, `№ 45 від 12 березня 2023 року`, `No. 45 of 12.03.2023`, `dated`.
fn date_after(text: &str, number_end: usize) -> Option<Date> {
    let word_start = skip_inline_spaces(text, number_end);
    let end = word_end(text, word_start);
    if !matches!(lower(&text[word_start..end]).as_str(), "от" | "від" | "of" | "dated" | "from") {
        return None;
    }
    let date_start = skip_inline_spaces(text, end);
    read_at_digit(text, date_start).filter(|read| read.complete && read.date.day.is_some()).map(|read| read.date)
}
