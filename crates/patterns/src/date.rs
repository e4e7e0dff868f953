//! Dates, date ranges and week numbers, normalised to ISO 8601.
//!
//! Numeric dates are read day first (`12.03.2023`, `12.03.23`, `12-03-2023`) or year first (`2023-03-12`); a slashed
//! date is read only when one part cannot be a month (`25/03/2023`, `03/25/2023`), since `03/04/2023` is the 3rd of
//! April in Kyiv and the 4th of March in New York. Written dates take month names in Russian, Ukrainian and English
//! in the cases dates use (`12 марта 2023 г.`, `12 березня 2023 року`, `March 12, 2023`, `березня 2023`). A weekday
//! written beside a date is kept, and its agreement with the date is the date's [`Checksum`].

mod range;

use serde::Serialize;

use crate::scan::Found;
use crate::text::{char_at, char_before, digits_end, ends_word, is_inline_space, lower, skip_inline_spaces, word_end};
use crate::vocab;
use crate::{Checksum, Detail, Kind};

pub(crate) use range::at_digit_range;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

/// A calendar date as written: to the day, to the month, or a day and month without a year. `weekday` is the one
/// written beside it, if any (compare it with [`Date::weekday_of_date`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Date {
    pub year: Option<i32>,
    pub month: Option<u8>,
    pub day: Option<u8>,
    pub weekday: Option<Weekday>,
}

impl Date {
    pub(crate) fn ymd(year: Option<i32>, month: u8, day: Option<u8>) -> Date {
        Date { year, month: Some(month), day, weekday: None }
    }

    /// ISO 8601: `2023-03-12`, `2023-03` (month precision), `--03-12` (no year).
    pub fn iso(&self) -> String {
        match (self.year, self.month, self.day) {
            (Some(year), Some(month), Some(day)) => format!("{year:04}-{month:02}-{day:02}"),
            (Some(year), Some(month), None) => format!("{year:04}-{month:02}"),
            (None, Some(month), Some(day)) => format!("--{month:02}-{day:02}"),
            (Some(year), None, _) => format!("{year:04}"),
            _ => String::new(),
        }
    }

    /// Whether such a day exists (the 30th of February does not; the 29th only in leap years, or with no year).
    pub fn exists(&self) -> bool {
        let Some(month) = self.month.filter(|month| (1..=12).contains(month)) else { return false };
        match self.day {
            None => true,
            Some(day) => day >= 1 && day <= days_in_month(self.year, month),
        }
    }

    /// The weekday this date fell on, for a full date that exists.
    pub fn weekday_of_date(&self) -> Option<Weekday> {
        let (year, month, day) = (self.year?, self.month?, self.day?);
        if !self.exists() {
            return None;
        }
        let days = days_from_civil(year, month, day);
        // 1970-01-01 was a Thursday: index 3 counting from Monday.
        Some(WEEKDAYS[(days + 3).rem_euclid(7) as usize])
    }

    /// Invalid when the day does not exist or disagrees with the weekday written beside it; valid when a written
    /// weekday agrees; `None` when there was nothing to check against.
    pub(crate) fn checksum(&self) -> Option<Checksum> {
        if !self.exists() {
            return Some(Checksum::Invalid);
        }
        let written = self.weekday?;
        self.weekday_of_date().map(|actual| Checksum::of(actual == written))
    }

    pub(crate) fn found(self, start: usize, end: usize) -> Found {
        Found::new(Kind::Date, start, end, self.iso()).checksum(self.checksum()).detail(Detail::Date(self))
    }
}

const WEEKDAYS: [Weekday; 7] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
    Weekday::Saturday,
    Weekday::Sunday,
];

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: Option<i32>, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        // Without a year the 29th of February may exist.
        _ => match year {
            Some(year) if !is_leap(year) => 28,
            _ => 29,
        },
    }
}

/// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's days_from_civil).
fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let year = i64::from(year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// A date read at a position: the date and where it ends. `complete` dates have a year or a month name; a bare
/// `25.09` (which could be a decimal) is only accepted as the first half of a range.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Read {
    pub(crate) date: Date,
    pub(crate) end: usize,
    pub(crate) complete: bool,
}

/// Reads a date whose first digit is at `at`: numeric, or a day and a month name.
pub(crate) fn read_at_digit(text: &str, at: usize) -> Option<Read> {
    if char_before(text, at).is_some_and(|c| c.is_ascii_digit() || c == '.' && preceded_by_digit(text, at - 1)) {
        return None;
    }
    read_numeric(text, at).or_else(|| read_day_month_name(text, at))
}

fn preceded_by_digit(text: &str, at: usize) -> bool {
    char_before(text, at).is_some_and(|c| c.is_ascii_digit())
}

fn number_at(text: &str, at: usize, min: usize, max: usize) -> Option<(u32, usize)> {
    let end = digits_end(text, at);
    let len = end - at;
    if !(min..=max).contains(&len) {
        return None;
    }
    text[at..end].parse().ok().map(|value| (value, end))
}

/// Nothing that continues a number after a date: not a digit, and not a dot or slash followed by a digit.
fn date_ends(text: &str, end: usize) -> bool {
    match char_at(text, end) {
        None => true,
        Some(c) if c.is_ascii_digit() || c.is_alphabetic() => false,
        Some('.' | '/' | '-' | ',') => !char_at(text, end + 1).is_some_and(|c| c.is_ascii_digit()),
        Some(_) => true,
    }
}

fn read_numeric(text: &str, at: usize) -> Option<Read> {
    let (first, first_end) = number_at(text, at, 1, 4)?;
    let separator = char_at(text, first_end).filter(|c| matches!(c, '.' | '/' | '-'))?;
    let (second, second_end) = number_at(text, first_end + 1, 1, 2)?;
    if first_end - at == 4 {
        // Year first: 2023-03-12 (or 2023.03.12).
        if separator == '/' || char_at(text, second_end) != Some(separator) {
            return None;
        }
        let (day, end) = number_at(text, second_end + 1, 2, 2)?;
        let date = Date::ymd(Some(first as i32), u8::try_from(second).ok()?, u8::try_from(day).ok());
        return (in_range(&date) && date_ends(text, end)).then(|| Read {
            date,
            end: year_suffix(text, end),
            complete: true,
        });
    }
    if first_end - at > 2 {
        return None;
    }
    if char_at(text, second_end) != Some(separator) {
        // `25.09` alone: only as the first half of a range.
        let date = Date::ymd(None, u8::try_from(second).ok()?, u8::try_from(first).ok());
        let partial_ok =
            separator == '.' && second_end - first_end == 3 && in_range(&date) && date_ends(text, second_end);
        return partial_ok.then_some(Read { date, end: second_end, complete: false });
    }
    let year_start = second_end + 1;
    let year_end = digits_end(text, year_start);
    let year = match year_end - year_start {
        4 => text[year_start..year_end].parse::<i32>().ok()?,
        // Two-digit years pivot like POSIX strptime's %y: 69–99 are 1969–1999, 00–68 are 2000–2068.
        2 if separator == '.' => {
            let short: i32 = text[year_start..year_end].parse().ok()?;
            if short >= 69 { 1900 + short } else { 2000 + short }
        }
        _ => return None,
    };
    if !date_ends(text, year_end) {
        return None;
    }
    let (day, month) = match separator {
        '.' | '-' => (first, second),
        // A slash: day first where the first cannot be a month, month first where the second cannot; else open.
        _ if first > 12 && second <= 12 => (first, second),
        _ if second > 12 && first <= 12 => (second, first),
        _ => return None,
    };
    let date = Date::ymd(Some(year), u8::try_from(month).ok()?, u8::try_from(day).ok());
    in_range(&date).then(|| Read { date, end: year_suffix(text, year_end), complete: true })
}

/// Day 1–31 and month 1–12: beyond that the numbers are not a date at all (a nonexistent day such as the 30th of
/// February is still a date, reported with an invalid check).
fn in_range(date: &Date) -> bool {
    date.month.is_some_and(|month| (1..=12).contains(&month)) && date.day.is_none_or(|day| (1..=31).contains(&day))
}

/// Ordinal endings after a day or week number: 1-го, 12-е, 40-я, 40-й, 12th.
fn skip_ordinal(text: &str, at: usize) -> usize {
    let rest = &text[at..];
    for suffix in ["-го", "-е", "-я", "-й", "-ая", "-ой", "-ий", "-ый", "-ого", "-му", "st", "nd", "rd", "th"]
    {
        if let Some(after) = rest.strip_prefix(suffix)
            && !after.chars().next().is_some_and(char::is_alphabetic)
        {
            return at + suffix.len();
        }
    }
    at
}

/// A month name at `at` (and its full stop where it is an abbreviation); the month and where the name ends.
pub(crate) fn month_name_at(text: &str, at: usize) -> Option<(u8, usize)> {
    let end = word_end(text, at);
    if end == at {
        return None;
    }
    let word = &text[at..end];
    let (month, abbreviated) = vocab::month(&lower(word))?;
    let latin = word.is_ascii();
    // English month names are capitalised; a lower-case "may" or "march" is a verb.
    if latin && !word.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    if char_at(text, end) == Some('.') && abbreviated {
        return Some((month, end + 1));
    }
    // Cyrillic abbreviations need their full stop: "лист" is a letter, "лист." the month.
    (!abbreviated || latin).then_some((month, end))
}

fn read_day_month_name(text: &str, at: usize) -> Option<Read> {
    let (day, day_end) = number_at(text, at, 1, 2)?;
    let after_ordinal = skip_ordinal(text, day_end);
    let month_start = skip_inline_spaces(text, after_ordinal);
    if month_start == after_ordinal {
        return None;
    }
    let (month, month_end) = month_name_at(text, month_start)?;
    let date = Date::ymd(None, month, u8::try_from(day).ok());
    if !in_range(&date) {
        return None;
    }
    // An optional comma and a four-digit year (12 March, 2023 is rare; 12 марта 2023 г. common).
    let mut year_start = skip_inline_spaces(text, month_end);
    if char_at(text, year_start) == Some(',') {
        year_start = skip_inline_spaces(text, year_start + 1);
    }
    if year_start > month_end
        && let Some((year, year_end)) = number_at(text, year_start, 4, 4)
        && date_ends(text, year_end)
    {
        let date = Date { year: Some(year as i32), ..date };
        return Some(Read { date, end: year_suffix(text, year_end), complete: true });
    }
    Some(Read { date, end: month_end, complete: true })
}

/// After a year: " г.", " года", " року", " р." belong to the date.
fn year_suffix(text: &str, year_end: usize) -> usize {
    let word_start = skip_inline_spaces(text, year_end);
    let end = word_end(text, word_start);
    if end == word_start || !vocab::is_year_word(&lower(&text[word_start..end])) {
        return year_end;
    }
    if char_at(text, end) == Some('.') {
        return end + 1;
    }
    if ends_word(text, end) { end } else { year_end }
}

/// A month name then a year (`березня 2023`, `March 2023`) or an English `March 12, 2023`, starting at `at`.
fn read_month_first(text: &str, at: usize) -> Option<Read> {
    let (month, month_end) = month_name_at(text, at)?;
    let next = skip_inline_spaces(text, month_end);
    if next == month_end {
        return None;
    }
    let (number, number_end) = number_at(text, next, 1, 4)?;
    if number_end - next == 4 {
        if !date_ends(text, number_end) {
            return None;
        }
        let date = Date { year: Some(number as i32), month: Some(month), day: None, weekday: None };
        return Some(Read { date, end: year_suffix(text, number_end), complete: true });
    }
    if number_end - next > 2 || !text[at..month_end].is_ascii() {
        return None;
    }
    let day_end = skip_ordinal(text, number_end);
    let date = Date::ymd(None, month, u8::try_from(number).ok());
    let mut year_start = day_end;
    if char_at(text, year_start) == Some(',') {
        year_start += 1;
    }
    let year_start = skip_inline_spaces(text, year_start);
    if let Some((year, year_end)) = number_at(text, year_start, 4, 4).filter(|_| year_start > day_end)
        && date_ends(text, year_end)
    {
        let date = Date { year: Some(year as i32), ..date };
        return in_range(&date).then_some(Read { date, end: year_end, complete: true });
    }
    (in_range(&date) && date_ends(text, day_end)).then_some(Read { date, end: day_end, complete: true })
}

/// A weekday written after a date: ", понедельник" or " (Monday)". Returns the weekday and the new end.
fn trailing_weekday(text: &str, end: usize) -> Option<(Weekday, usize)> {
    let mut position = end;
    let parenthesis = match char_at(text, position) {
        Some(',') => {
            position += 1;
            false
        }
        _ => {
            position = skip_inline_spaces(text, position);
            if char_at(text, position) != Some('(') {
                return None;
            }
            position += 1;
            true
        }
    };
    let word_start = skip_inline_spaces(text, position);
    let word_end = word_end(text, word_start);
    let weekday = vocab::weekday(&lower(&text[word_start..word_end]))?;
    if word_end - word_start < 4 && !parenthesis {
        // Two-letter abbreviations after a comma are too often something else.
        return None;
    }
    if parenthesis {
        return (char_at(text, word_end) == Some(')')).then_some((weekday, word_end + 1));
    }
    ends_word(text, word_end).then_some((weekday, word_end))
}

fn with_trailing_weekday(text: &str, read: Read) -> Read {
    if read.date.day.is_none() || read.date.weekday.is_some() {
        return read;
    }
    match trailing_weekday(text, read.end) {
        Some((weekday, end)) => {
            Read { date: Date { weekday: Some(weekday), ..read.date }, end, complete: read.complete }
        }
        None => read,
    }
}

/// A date, range or week whose first digit is at `at`.
pub(crate) fn at_digit(text: &str, at: usize) -> Option<Found> {
    if let Some(found) = at_digit_range(text, at) {
        return Some(found);
    }
    if let Some(found) = week_after_number(text, at) {
        return Some(found);
    }
    let read = read_at_digit(text, at).filter(|read| read.complete)?;
    let read = with_trailing_weekday(text, read);
    Some(read.date.found(at, read.end))
}

/// A weekday name then a date (`понедельник, 3 октября 2023`), or a month name first (`березня 2023`,
/// `March 12, 2023`), or a week number after its word (`неделя 40`), starting at the word at `at`.
pub(crate) fn at_word(text: &str, at: usize, end: usize) -> Option<Found> {
    let word = lower(&text[at..end]);
    if let Some(weekday) = vocab::weekday(&word) {
        let mut position = end;
        if char_at(text, position) == Some(',') {
            position += 1;
        }
        let date_start = skip_inline_spaces(text, position);
        if date_start == end {
            return None;
        }
        let read = read_at_digit(text, date_start)
            .or_else(|| read_month_first(text, date_start))
            .filter(|read| read.complete && read.date.day.is_some())?;
        let date = Date { weekday: Some(weekday), ..read.date };
        return Some(date.found(at, read.end));
    }
    if vocab::is_week_word(&word) {
        let number_start = skip_inline_spaces(text, end);
        let (week, week_end) = number_at(text, number_start, 1, 2).filter(|_| number_start > end)?;
        return ends_word(text, week_end).then(|| week_found(text, at, week, week_end)).flatten();
    }
    let read = read_month_first(text, at)?;
    let read = with_trailing_weekday(text, read);
    Some(read.date.found(at, read.end))
}

/// `40-я неделя`, `40-й тиждень 2023 року`, `40 week`.
fn week_after_number(text: &str, at: usize) -> Option<Found> {
    let (week, number_end) = number_at(text, at, 1, 2)?;
    let after_ordinal = skip_ordinal(text, number_end);
    let word_start = skip_inline_spaces(text, after_ordinal);
    if word_start == after_ordinal {
        return None;
    }
    let word_end = word_end(text, word_start);
    if !vocab::is_week_word(&lower(&text[word_start..word_end])) {
        return None;
    }
    week_found(text, at, week, word_end)
}

/// The week found from `start`; a year after it (`2023 года`) is taken in.
fn week_found(text: &str, start: usize, week: u32, end: usize) -> Option<Found> {
    let week = u8::try_from(week).ok().filter(|week| (1..=53).contains(week))?;
    let year_start = skip_inline_spaces(text, end);
    let year = number_at(text, year_start, 4, 4)
        .filter(|(_, year_end)| year_start > end && date_ends(text, *year_end))
        .map(|(year, year_end)| (year as i32, year_suffix(text, year_end)));
    let (value, end, year) = match year {
        Some((year, year_end)) => (format!("{year:04}-W{week:02}"), year_end, Some(year)),
        None => (format!("W{week:02}"), end, None),
    };
    Some(Found::new(Kind::Week, start, end, value).detail(Detail::Week { year, week }))
}

/// Parses a whole string as one date (with a weekday, if written): `12 марта 2023 г.`, `12.03.2023`, `2023-03-12`,
/// `березня 2023`, `March 12, 2023`, `понедельник, 3 октября 2023`. `None` for anything else or anything left over.
pub fn parse_date(input: &str) -> Option<Date> {
    let text = input.trim();
    let first = text.chars().next()?;
    let found = if first.is_ascii_digit() {
        let read = read_at_digit(text, 0).filter(|read| read.complete)?;
        let read = with_trailing_weekday(text, read);
        read.date.found(0, read.end)
    } else {
        at_word(text, 0, word_end(text, 0))?
    };
    let rest = text[found.end..].trim_end_matches(|c: char| c == '.' || is_inline_space(c));
    if !rest.is_empty() {
        return None;
    }
    match found.detail {
        Detail::Date(date) => Some(date),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays_of_known_dates() {
        let date = Date::ymd(Some(2023), 10, Some(3));
        assert_eq!(date.weekday_of_date(), Some(Weekday::Tuesday));
        assert_eq!(Date::ymd(Some(2000), 2, Some(29)).weekday_of_date(), Some(Weekday::Tuesday));
        assert_eq!(Date::ymd(Some(1970), 1, Some(1)).weekday_of_date(), Some(Weekday::Thursday));
        assert!(!Date::ymd(Some(2023), 2, Some(29)).exists());
        assert!(Date::ymd(None, 2, Some(29)).exists());
    }
}
