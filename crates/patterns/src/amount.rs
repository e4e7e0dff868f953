//! Amounts of money, percentages, counts and multiplied numbers: `1 234,56 руб.`, `$5m`, `USD 1.2 bn`,
//! `1,5 млрд рублей`, `100 тис. грн`, `(1 234) руб.`, `−5,2 %`, `30 процентов`, `41 человек`, `5 млн`.
//!
//! The value is exact ([`Number`]) with the multiplier applied; where the numeral's separators leave it open
//! (`1,234 руб.`) the amount is still reported, with its currency, but without a value.

use serde::Serialize;

use crate::number::{Number, Numeral, read_numeral};
use crate::scan::Found;
use crate::text::{char_at, char_before, digits_end, ends_word, is_inline_space, lower, skip_inline_spaces, word_end};
use crate::vocab;
use crate::{Detail, Kind};

/// An amount as read: the exact value (multiplier applied; `None` when the numeral is ambiguous), the currency
/// (ISO 4217), the power of ten the multiplier stood for, and the unit of a count or percentage
/// (`percent`, `person`, `employee`, `piece`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Amount {
    pub value: Option<Number>,
    pub currency: Option<&'static str>,
    pub multiplier: Option<u32>,
    pub unit: Option<&'static str>,
}

struct Read {
    kind: Option<Kind>,
    amount: Amount,
    numeral_text: String,
    end: usize,
}

/// A currency written before the number at `at`: a sign (`$`, `€`...), `US$`, or a code and a space (`USD 100`).
fn currency_prefix(text: &str, at: usize) -> Option<(&'static str, usize)> {
    let c = char_at(text, at)?;
    if let Some(code) = vocab::currency_sign(c) {
        return Some((code, skip_inline_spaces(text, at + c.len_utf8())));
    }
    if text[at..].starts_with("US$") {
        return Some(("USD", skip_inline_spaces(text, at + 3)));
    }
    let end = word_end(text, at);
    let code = vocab::currency_code_before(&text[at..end])?;
    let next = skip_inline_spaces(text, end);
    (next > end).then_some((code, next))
}

/// Reads an amount from `start` (a currency prefix, a sign, an opening parenthesis or the first digit).
/// `standalone` for a whole string given to [`parse_amount`], where `(1 234)` alone is an accounting negative; in
/// running text parentheses hold asides, so there they count only with a currency.
fn read(text: &str, start: usize, standalone: bool) -> Option<Read> {
    let mut position = start;
    let mut currency = None;
    if let Some((code, after)) = currency_prefix(text, position) {
        currency = Some(code);
        position = after;
    }
    let mut negative = false;
    let mut parenthesised = false;
    match char_at(text, position)? {
        '-' | '\u{2212}' => {
            negative = true;
            position += char_at(text, position).map_or(1, char::len_utf8);
        }
        '(' => {
            parenthesised = true;
            position += 1;
        }
        _ => {}
    }
    let numeral_start = position;
    let numeral: Numeral = read_numeral(text, numeral_start)?;
    let numeral_text = text[numeral_start..numeral.end].to_string();
    position = numeral.end;
    if parenthesised {
        // Accounting negatives: `(1 234)` with nothing else inside.
        if char_at(text, position) != Some(')') {
            return None;
        }
        position += 1;
        negative = true;
    }
    let mut amount = Amount { value: numeral.value.clone(), currency, multiplier: None, unit: None };
    position = read_suffixes(text, position, &mut amount);
    if parenthesised && amount.currency.is_none() && !standalone {
        return None;
    }
    if negative {
        amount.value = amount.value.map(|value| value.negated());
    }
    let kind = if amount.currency.is_some() {
        Some(Kind::Amount)
    } else if amount.unit == Some("percent") {
        Some(Kind::Percent)
    } else if amount.unit.is_some() {
        Some(Kind::Count)
    } else if amount.multiplier.is_some() {
        Some(Kind::Number)
    } else {
        None
    };
    Some(Read { kind, amount, numeral_text, end: position })
}

/// Multiplier, currency (with kopecks), percent sign or unit noun after the numeral ending at `at`.
fn read_suffixes(text: &str, at: usize, amount: &mut Amount) -> usize {
    let mut end = at;
    // Single-letter multipliers only right after the digits and only for money ($5m, €3k).
    let attached = word_end(text, at);
    if attached > at
        && let Some((power, attached_only)) = vocab::multiplier(&lower(&text[at..attached]))
        && (!attached_only || amount.currency.is_some())
        && ends_word(text, attached)
    {
        amount.multiplier = Some(power);
        // "2727тыс. руб.": the abbreviation's full stop belongs to it, so the currency after it is still read.
        end = if attached_only { attached } else { past_dot(text, attached) };
    } else if let Some((power, after)) = multiplier_word(text, at) {
        amount.multiplier = Some(power);
        end = after;
    }
    if let Some(power) = amount.multiplier {
        amount.value = amount.value.take().map(|value| value.times_power_of_ten(power));
    }
    if amount.currency.is_none() {
        if let Some((code, after)) = currency_after(text, end) {
            amount.currency = Some(code);
            end = kopecks(text, after, amount);
        } else if let Some(after) = percent_after(text, end) {
            amount.unit = Some("percent");
            end = after;
        } else if let Some((unit, after)) = unit_after(text, end) {
            amount.unit = Some(unit);
            end = after;
        }
    }
    end
}

/// The word after `at` (past inline spaces), with where it starts and ends.
fn next_word(text: &str, at: usize) -> Option<(usize, usize, String)> {
    let start = skip_inline_spaces(text, at);
    let end = word_end(text, start);
    (end > start).then(|| (start, end, lower(&text[start..end])))
}

/// Past a full stop that belongs to an abbreviation (тыс., руб., шт.).
fn past_dot(text: &str, end: usize) -> usize {
    if char_at(text, end) == Some('.') { end + 1 } else { end }
}

fn multiplier_word(text: &str, at: usize) -> Option<(u32, usize)> {
    let (_, end, word) = next_word(text, at)?;
    let (power, attached_only) = vocab::multiplier(&word)?;
    (!attached_only && ends_word(text, end)).then(|| (power, past_dot(text, end)))
}

fn currency_after(text: &str, at: usize) -> Option<(&'static str, usize)> {
    let start = skip_inline_spaces(text, at);
    if let Some(c) = char_at(text, start)
        && let Some(code) = vocab::currency_sign(c)
    {
        return Some((code, start + c.len_utf8()));
    }
    let (_, mut end, mut word) = next_word(text, at)?;
    let mut adjective_code = None;
    if let Some(code) = vocab::currency_adjective(&word) {
        adjective_code = code;
        (_, end, word) = next_word(text, end)?;
    }
    let code = vocab::currency_word(&word)?;
    if !ends_word(text, end) {
        return None;
    }
    let code = if code == "RUB" { adjective_code.unwrap_or(code) } else { code };
    let mut after = past_dot(text, end);
    // "долларов США", "US dollars" name the country after the currency.
    if code == "USD"
        && let Some((_, country_end, country)) = next_word(text, after)
        && matches!(country.as_str(), "сша" | "us" | "usa")
    {
        after = country_end;
    }
    Some((code, after))
}

/// "56 коп." after roubles or hryvnias: added as hundredths.
fn kopecks(text: &str, at: usize, amount: &mut Amount) -> usize {
    let start = skip_inline_spaces(text, at);
    if start == at {
        return at;
    }
    let digits = digits_end(text, start);
    if !(1..=2).contains(&(digits - start)) {
        return at;
    }
    let Some((_, end, word)) = next_word(text, digits) else { return at };
    if !matches!(word.as_str(), "коп" | "копеек" | "копейки" | "копейка" | "копійок" | "копійки" | "копійка")
    {
        return at;
    }
    let hundredths: u32 = text[start..digits].parse().unwrap_or(0);
    amount.value = amount.value.take().map(|value| value.plus_hundredths(hundredths));
    past_dot(text, end)
}

fn percent_after(text: &str, at: usize) -> Option<usize> {
    let start = skip_inline_spaces(text, at);
    if char_at(text, start) == Some('%') {
        return Some(start + 1);
    }
    let (_, end, word) = next_word(text, at)?;
    if vocab::is_percent_word(&word) {
        return Some(end);
    }
    if word == "per"
        && let Some((_, cent_end, cent)) = next_word(text, end)
        && cent == "cent"
    {
        return Some(cent_end);
    }
    None
}

fn unit_after(text: &str, at: usize) -> Option<(&'static str, usize)> {
    let (start, end, word) = next_word(text, at)?;
    if start == at {
        return None;
    }
    let unit = vocab::unit_noun(&word)?;
    ends_word(text, end).then(|| (unit, past_dot(text, end)))
}

fn found(start: usize, read: Read) -> Option<Found> {
    let kind = read.kind?;
    let amount = read.amount;
    let number = amount.value.as_ref().map_or_else(|| read.numeral_text.clone(), Number::to_string);
    let value = match kind {
        Kind::Amount => format!("{number} {}", amount.currency.unwrap_or("")),
        Kind::Percent => format!("{number}%"),
        Kind::Count => format!("{number} {}", amount.unit.unwrap_or("")),
        _ => number,
    };
    Some(Found::new(kind, start, read.end, value).detail(Detail::Amount(amount)))
}

/// An amount whose first digit is at `at`.
pub(crate) fn at_number(text: &str, at: usize) -> Option<Found> {
    if char_before(text, at).is_some_and(|c| c.is_alphanumeric() || matches!(c, '.' | ',') && digit_before(text, at)) {
        return None;
    }
    found(at, read(text, at, false)?)
}

fn digit_before(text: &str, at: usize) -> bool {
    let Some(c) = char_before(text, at) else { return false };
    char_before(text, at - c.len_utf8()).is_some_and(|c| c.is_ascii_digit())
}

/// An amount starting with a sign: a currency sign, a minus, or an accounting parenthesis.
pub(crate) fn at_sign(text: &str, at: usize) -> Option<Found> {
    if char_before(text, at).is_some_and(char::is_alphanumeric) {
        return None;
    }
    found(at, read(text, at, false)?)
}

/// An amount starting with a currency code (`USD 100`, `US$5m`).
pub(crate) fn at_word(text: &str, at: usize, end: usize) -> Option<Found> {
    let word = &text[at..end];
    if vocab::currency_code_before(word).is_none() && word != "US" {
        return None;
    }
    found(at, read(text, at, false)?)
}

/// Parses a whole string as one amount, percentage, count or number: `1 234,56 руб.`, `$5m`, `30 %`,
/// `41 человек`, `(1 234)`, `5 млн`. A plain number gives an amount with no currency or unit. `None` when anything
/// is left over; `Some` with `value: None` when the numeral's separators leave it open (`1,234 руб.`).
pub fn parse_amount(input: &str) -> Option<Amount> {
    let text = input.trim();
    let read = read(text, 0, true)?;
    let rest = &text[read.end..];
    rest.chars().all(|c| is_inline_space(c) || c == '.').then_some(read.amount)
}
