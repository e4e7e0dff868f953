//! The value of `date:`: a day, a month or a year (expanded to its first and last day), an inclusive range with
//! `..` (either end open), or a comparison (`>=`, `>`, `<=`, `<`). Every date is checked against the calendar.

use crate::ast::{Day, ParseError, Query};

const DATE_FORMS: &str = "2023-10-01, 2023-10, 2023 or 01.10.2023";

/// Turns the first and last day of a comparison's date into the range's open or closed ends.
type BoundsOf = fn(Day, Day) -> (Option<Day>, Option<Day>);

/// Parses a `date:` value whose first character is at `position` in the input.
pub(crate) fn parse_date_value(value: &str, position: usize) -> Result<Query, ParseError> {
    let comparisons: [(&str, BoundsOf); 4] = [
        (">=", |first, _| (Some(first), None)),
        ("<=", |_, last| (None, Some(last))),
        (">", |_, last| (Some(next_day(last)), None)),
        ("<", |first, _| (None, Some(previous_day(first)))),
    ];
    for (operator, bounds) in comparisons {
        if let Some(rest) = value.strip_prefix(operator) {
            let operator_length = operator.chars().count();
            let (first, last) = parse_partial_date(rest, position + operator_length)?;
            let (from, to) = bounds(first, last);
            if from.is_some_and(|day| day.year > 9999) || to.is_some_and(|day| day.year < 1) {
                return Err(ParseError {
                    position,
                    message: format!("\"{value}\" leaves no day between the years 1 and 9999"),
                });
            }
            return Ok(Query::DateRange { from, to });
        }
    }
    let Some((left, right)) = value.split_once("..") else {
        let (first, last) = parse_partial_date(value, position)?;
        return Ok(Query::DateRange { from: Some(first), to: Some(last) });
    };
    let right_position = position + left.chars().count() + 2;
    if left.is_empty() && right.is_empty() {
        return Err(ParseError {
            position,
            message: "a date range needs at least one end, e.g. date:2023-10-01..2023-10-31 or date:2023..".to_string(),
        });
    }
    let from = if left.is_empty() { None } else { Some(parse_partial_date(left, position)?.0) };
    let to = if right.is_empty() { None } else { Some(parse_partial_date(right, right_position)?.1) };
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        return Err(ParseError {
            position,
            message: format!(
                "bad date range \"{value}\": it starts ({}) after it ends ({}); put the earlier date first",
                format_day(from),
                format_day(to)
            ),
        });
    }
    Ok(Query::DateRange { from, to })
}

pub(crate) fn format_day(day: Day) -> String {
    format!("{:04}-{:02}-{:02}", day.year, day.month, day.day)
}

/// Parses `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or `DD.MM.YYYY` into its first and last day.
fn parse_partial_date(text: &str, position: usize) -> Result<(Day, Day), ParseError> {
    let bad = |why: String| ParseError { position, message: format!("bad date \"{text}\": {why}") };
    let unknown_form = || bad(format!("expected a date like {DATE_FORMS}"));
    let (year, month, day) = if text.contains('.') {
        // The Russian and Ukrainian way of writing a day: 01.10.2023.
        let parts: Vec<&str> = text.split('.').collect();
        match parts.as_slice() {
            [day, month, year] => (*year, Some(*month), Some(*day)),
            _ => return Err(unknown_form()),
        }
    } else {
        let parts: Vec<&str> = text.split('-').collect();
        match parts.as_slice() {
            [year] => (*year, None, None),
            [year, month] => (*year, Some(*month), None),
            [year, month, day] => (*year, Some(*month), Some(*day)),
            _ => return Err(unknown_form()),
        }
    };
    let is_number = |part: &str, max_digits: usize| {
        !part.is_empty() && part.len() <= max_digits && part.bytes().all(|b| b.is_ascii_digit())
    };
    if !is_number(year, 4) || year.len() != 4 {
        return Err(if is_number(year, 9) {
            bad(format!("the year must have four digits, e.g. {DATE_FORMS}"))
        } else {
            unknown_form()
        });
    }
    let year: i32 = year.parse().map_err(|_| unknown_form())?;
    if year == 0 {
        return Err(bad("there is no year 0".to_string()));
    }
    let month = match month {
        None => None,
        Some(month) if is_number(month, 2) => {
            let month: u8 = month.parse().map_err(|_| unknown_form())?;
            if !(1..=12).contains(&month) {
                return Err(bad(format!("month {month} is not between 1 and 12")));
            }
            Some(month)
        }
        Some(_) => return Err(unknown_form()),
    };
    let day = match day {
        None => None,
        Some(day) if is_number(day, 2) => {
            let day: u8 = day.parse().map_err(|_| unknown_form())?;
            let month = month.unwrap_or(1);
            let length = days_in_month(year, month);
            if day == 0 || day > length {
                return Err(bad(format!(
                    "{} {year} has {length} days, there is no day {day}",
                    MONTH_NAMES[usize::from(month - 1)]
                )));
            }
            Some(day)
        }
        Some(_) => return Err(unknown_form()),
    };
    Ok(match (month, day) {
        (None, _) => (Day { year, month: 1, day: 1 }, Day { year, month: 12, day: 31 }),
        (Some(month), None) => (Day { year, month, day: 1 }, Day { year, month, day: days_in_month(year, month) }),
        (Some(month), Some(day)) => (Day { year, month, day }, Day { year, month, day }),
    })
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn next_day(day: Day) -> Day {
    if day.day < days_in_month(day.year, day.month) {
        Day { day: day.day + 1, ..day }
    } else if day.month < 12 {
        Day { month: day.month + 1, day: 1, ..day }
    } else {
        Day { year: day.year + 1, month: 1, day: 1 }
    }
}

fn previous_day(day: Day) -> Day {
    if day.day > 1 {
        Day { day: day.day - 1, ..day }
    } else if day.month > 1 {
        let month = day.month - 1;
        Day { month, day: days_in_month(day.year, month), ..day }
    } else {
        Day { year: day.year - 1, month: 12, day: 31 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(year: i32, month: u8, day: u8) -> Day {
        Day { year, month, day }
    }

    #[test]
    fn leap_years_follow_the_gregorian_rule() {
        assert!(is_leap_year(2024));
        assert!(is_leap_year(2000));
        assert!(!is_leap_year(1900));
        assert!(!is_leap_year(2023));
    }

    #[test]
    fn day_arithmetic_crosses_months_and_years() {
        assert_eq!(next_day(day(2024, 2, 28)), day(2024, 2, 29));
        assert_eq!(next_day(day(2023, 2, 28)), day(2023, 3, 1));
        assert_eq!(next_day(day(2023, 12, 31)), day(2024, 1, 1));
        assert_eq!(previous_day(day(2024, 3, 1)), day(2024, 2, 29));
        assert_eq!(previous_day(day(2024, 1, 1)), day(2023, 12, 31));
    }

    #[test]
    fn partial_dates_expand_to_first_and_last_day() {
        assert_eq!(parse_partial_date("2024-02", 0), Ok((day(2024, 2, 1), day(2024, 2, 29))));
        assert_eq!(parse_partial_date("2023", 0), Ok((day(2023, 1, 1), day(2023, 12, 31))));
        assert_eq!(parse_partial_date("05.03.2022", 0), Ok((day(2022, 3, 5), day(2022, 3, 5))));
    }

    #[test]
    fn second_end_of_range_reports_its_own_position() {
        let error = parse_date_value("2023-01-01..2023-13", 5).expect_err("month 13");
        assert_eq!(error.position, 5 + 12);
    }
}
