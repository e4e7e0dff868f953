//! Date ranges: `с 25.09 по 01.10.2023`, `25.09–01.10.2023`, `10–15 марта 2023 г.`, `з 1 по 7 квітня`. The first
//! date takes the month and year it lacks from the second; the year steps back when the range crosses New Year
//! (`с 28.12 по 03.01.2024` starts in 2023).

use crate::date::{Date, read_at_digit};
use crate::scan::Found;
use crate::text::{char_at, digits_end, lower, skip_inline_spaces, word_end};
use crate::{Checksum, Detail, Kind};

/// Where the second date starts after a range connector at `end`: a dash, or по/до/to/till/until/through.
fn connector(text: &str, end: usize) -> Option<usize> {
    let position = skip_inline_spaces(text, end);
    let after = match char_at(text, position)? {
        c @ ('-' | '–' | '—') => position + c.len_utf8(),
        c if c.is_alphabetic() && position > end => {
            let word_end = word_end(text, position);
            let word = lower(&text[position..word_end]);
            if !matches!(word.as_str(), "по" | "до" | "to" | "till" | "until" | "through") {
                return None;
            }
            word_end
        }
        _ => return None,
    };
    let second = skip_inline_spaces(text, after);
    char_at(text, second).is_some_and(|c| c.is_ascii_digit()).then_some(second)
}

/// A range whose first date (or bare day) starts at `at`.
pub(crate) fn at_digit_range(text: &str, at: usize) -> Option<Found> {
    let (first, first_end) = match read_at_digit(text, at) {
        Some(read) => (read.date, read.end),
        None => {
            let end = digits_end(text, at);
            let day: u8 = text[at..end].parse().ok().filter(|day| (1..=31).contains(day) && end - at <= 2)?;
            (Date { year: None, month: None, day: Some(day), weekday: None }, end)
        }
    };
    let second_start = connector(text, first_end)?;
    let second = read_at_digit(text, second_start).filter(|read| read.complete && read.date.day.is_some())?;
    let to = second.date;
    let mut from = first;
    if from.month.is_none() {
        from.month = to.month;
    }
    if from.year.is_none() {
        from.year = to.year.map(|year| if from.month > to.month { year - 1 } else { year });
    }
    let mut to = to;
    if to.year.is_none() {
        to.year = from.year;
    }
    // A range runs forwards; otherwise these are two dates that happen to stand together.
    let key = |date: &Date| (date.year, date.month, date.day);
    if from.year.is_some() && to.year.is_some() && key(&from) > key(&to) {
        return None;
    }
    let checksum = (!from.exists() || !to.exists()).then_some(Checksum::Invalid);
    let value = format!("{}/{}", from.iso(), to.iso());
    Some(Found::new(Kind::DateRange, at, second.end, value).checksum(checksum).detail(Detail::Range { from, to }))
}
