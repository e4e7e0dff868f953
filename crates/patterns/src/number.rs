//! Exact decimal numbers as written in Russian, Ukrainian and English text, and the rules that decide what a run of
//! digits, spaces, dots and commas means. Nothing is guessed: `1,234` (a thousand-and-something in English, one and
//! a bit in Russian) is left unparsed, while `1 234,5`, `1,234.5`, `1.234,5`, `0,125` and `12,50` are not ambiguous.

use std::fmt;

use crate::text::{char_at, char_before, is_inline_space};

/// An exact decimal: sign, digits and the number of them after the decimal point. Normal form: no leading zeros in
/// the integer part (one zero for values below one), no trailing zeros in the fraction, no negative zero.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Number {
    negative: bool,
    digits: String,
    scale: u32,
}

impl Number {
    /// The number `integer.fraction` (ASCII digits each; either may be empty), negated when `negative`.
    pub fn new(negative: bool, integer: &str, fraction: &str) -> Option<Number> {
        let all_digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
        if (integer.is_empty() && fraction.is_empty()) || !all_digits(integer) || !all_digits(fraction) {
            return None;
        }
        let mut digits = String::with_capacity(integer.len() + fraction.len());
        digits.push_str(integer);
        digits.push_str(fraction);
        Some(Number { negative, digits, scale: fraction.len() as u32 }.normalised())
    }

    fn normalised(mut self) -> Number {
        while self.scale > 0 && self.digits.ends_with('0') {
            self.digits.pop();
            self.scale -= 1;
        }
        let keep = (self.scale as usize) + 1;
        let leading_zeros = self.digits.bytes().take_while(|byte| *byte == b'0').count();
        let removable = leading_zeros.min(self.digits.len().saturating_sub(keep));
        self.digits.drain(..removable);
        while self.digits.len() < keep {
            self.digits.insert(0, '0');
        }
        if self.digits.bytes().all(|byte| byte == b'0') {
            self.negative = false;
        }
        self
    }

    /// This number times 10^`power` (exact: the decimal point moves).
    pub fn times_power_of_ten(&self, power: u32) -> Number {
        let mut digits = self.digits.clone();
        let shift_in_fraction = power.min(self.scale);
        for _ in shift_in_fraction..power {
            digits.push('0');
        }
        Number { negative: self.negative, digits, scale: self.scale - shift_in_fraction }.normalised()
    }

    /// The sum of this number and a non-negative `cents / 100` (kopecks after roubles); exact.
    pub(crate) fn plus_hundredths(&self, hundredths: u32) -> Number {
        if self.negative || self.scale > 0 || hundredths > 99 {
            return self.clone();
        }
        Number { negative: false, digits: format!("{}{:02}", self.digits, hundredths), scale: 2 }.normalised()
    }

    /// The negated number.
    pub fn negated(&self) -> Number {
        Number { negative: !self.negative, ..self.clone() }.normalised()
    }

    pub fn is_negative(&self) -> bool {
        self.negative
    }

    /// The integer part's digits and the fraction's digits.
    pub fn parts(&self) -> (&str, &str) {
        self.digits.split_at(self.digits.len() - self.scale as usize)
    }

    /// A floating-point approximation, for convenience only (the exact value is [`Number::to_string`]).
    pub fn to_f64(&self) -> f64 {
        self.to_string().parse().unwrap_or(f64::NAN)
    }
}

impl fmt::Display for Number {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (integer, fraction) = self.parts();
        if self.negative {
            formatter.write_str("-")?;
        }
        formatter.write_str(integer)?;
        if !fraction.is_empty() {
            formatter.write_str(".")?;
            formatter.write_str(fraction)?;
        }
        Ok(())
    }
}

impl serde::Serialize for Number {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A numeral as it stands in the text: where it ends and what it means, if that is decided.
#[derive(Debug, Clone)]
pub(crate) struct Numeral {
    pub(crate) end: usize,
    /// `None` when the separators leave the value open (`1,234`, `1.234`).
    pub(crate) value: Option<Number>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Separator {
    Space,
    Dot,
    Comma,
}

/// Reads the numeral whose first digit is at `start` (the sign, if any, is the caller's). Digit groups are joined by
/// single separators: inline spaces (thousands only), dots and commas (thousands or decimal, decided by
/// [`decide`]). A separator counts only between digits, so `5, 6` is two numbers and `2023.` ends a sentence.
pub(crate) fn read_numeral(text: &str, start: usize) -> Option<Numeral> {
    let bytes = text.as_bytes();
    if !bytes.get(start).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut separators: Vec<Separator> = Vec::new();
    let mut at = start;
    loop {
        let group_end = at + bytes[at..].iter().take_while(|byte| byte.is_ascii_digit()).count();
        groups.push((at, group_end));
        let Some(c) = char_at(text, group_end) else { break };
        let separator = match c {
            '.' => Separator::Dot,
            ',' => Separator::Comma,
            c if is_inline_space(c) => Separator::Space,
            _ => break,
        };
        let next = group_end + c.len_utf8();
        if !bytes.get(next).is_some_and(u8::is_ascii_digit) {
            break;
        }
        if separator == Separator::Space {
            // A space joins only a group of exactly three digits that is not itself followed by more digits after a
            // dot or comma of a different number ("в 2019 году 150 000" must not glue 2019 to anything).
            let next_end = next + bytes[next..].iter().take_while(|byte| byte.is_ascii_digit()).count();
            let first_group_ok = groups.len() > 1 || (groups[0].1 - groups[0].0) <= 3;
            if next_end - next != 3 || !first_group_ok || separators.iter().any(|s| *s != Separator::Space) {
                break;
            }
        }
        separators.push(separator);
        at = next;
    }
    // Trim groups that cannot belong: a trailing punctuation group of a different length is read by `decide`.
    let (value, used) = decide(text, &groups, &separators);
    let end = groups[used - 1].1;
    Some(Numeral { end, value })
}

/// Decides what the groups mean; returns the value (if decided) and how many groups belong to the number.
fn decide(text: &str, groups: &[(usize, usize)], separators: &[Separator]) -> (Option<Number>, usize) {
    let group = |index: usize| &text[groups[index].0..groups[index].1];
    let len = |index: usize| groups[index].1 - groups[index].0;
    if separators.is_empty() {
        return (Number::new(false, group(0), ""), 1);
    }
    // Spaces group thousands; they come first. Then at most: thousands marks of one kind, and a decimal mark.
    let n_spaces = separators.iter().take_while(|s| **s == Separator::Space).count();
    let punctuation = &separators[n_spaces..];
    let integer_of = |count: usize| -> String { (0..count).map(group).collect() };
    if punctuation.is_empty() {
        return (Number::new(false, &integer_of(groups.len()), ""), groups.len());
    }
    let last = *punctuation.last().expect("punctuation is not empty");
    let n_last = punctuation.iter().filter(|s| **s == last).count();
    let mixed = punctuation.iter().any(|s| *s != last);
    let thousands_groups_ok = |from: usize, to: usize| (from..to).all(|index| len(index) == 3);
    if mixed {
        // 1,234.5 or 1.234,5: the last mark is decimal and occurs once; the other marks thousands, after spaces never.
        let other = punctuation[0];
        let consistent = n_spaces == 0
            && n_last == 1
            && punctuation[..punctuation.len() - 1].iter().all(|s| *s == other)
            && len(0) <= 3
            && thousands_groups_ok(1, groups.len() - 1);
        if !consistent {
            return (None, groups.len());
        }
        return (Number::new(false, &integer_of(groups.len() - 1), group(groups.len() - 1)), groups.len());
    }
    if n_last > 1 {
        // 1.234.567 or 1,234,567: thousands only (and only if no spaces came first).
        let ok = n_spaces == 0 && len(0) <= 3 && thousands_groups_ok(1, groups.len());
        return (ok.then(|| Number::new(false, &integer_of(groups.len()), "")).flatten(), groups.len());
    }
    // One dot or comma after the spaced integer part.
    let integer = integer_of(groups.len() - 1);
    let fraction = group(groups.len() - 1);
    let integer_is_grouped = n_spaces > 0;
    let fraction_not_thousands = fraction.len() != 3;
    let integer_cannot_lead_thousands = integer.len() > 3 || integer.starts_with('0');
    if integer_is_grouped || fraction_not_thousands || integer_cannot_lead_thousands {
        return (Number::new(false, &integer, fraction), groups.len());
    }
    // 1,234 or 1.234: a thousands mark in English, a decimal mark in Russian and Ukrainian; undecided.
    (None, groups.len())
}

/// Reads a signed numeral at `at`: an optional minus (`-`, `−`) right before the first digit. The minus counts only
/// where it cannot be a hyphen or a range dash (not after a letter or digit).
pub(crate) fn read_signed(text: &str, at: usize) -> Option<(bool, Numeral)> {
    let c = char_at(text, at)?;
    if c == '-' || c == '\u{2212}' {
        let digit_at = at + c.len_utf8();
        let before_ok = char_before(text, at).is_none_or(|before| !before.is_alphanumeric());
        if !before_ok {
            return None;
        }
        return read_numeral(text, digit_at).map(|numeral| (true, numeral));
    }
    read_numeral(text, at).map(|numeral| (false, numeral))
}

/// Parses a whole string as one number: digits with the separators [`read_numeral`] accepts, an optional minus
/// (`-` or U+2212) or accounting parentheses `(1 234)` for a negative. `None` for anything else, and for a value the
/// separators leave open (`1,234`).
pub fn parse_number(input: &str) -> Option<Number> {
    let trimmed = input.trim();
    if let Some(inner) = trimmed.strip_prefix('(').and_then(|rest| rest.strip_suffix(')')) {
        let inner = inner.trim();
        if inner.starts_with(['-', '\u{2212}']) {
            return None;
        }
        return parse_number(inner).map(|number| number.negated());
    }
    let (negative, numeral) = read_signed(trimmed, 0)?;
    if numeral.end != trimmed.len() {
        return None;
    }
    let value = numeral.value?;
    Some(if negative { value.negated() } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(input: &str) -> Option<String> {
        parse_number(input).map(|number| number.to_string())
    }

    #[test]
    fn separators_decide_only_where_unambiguous() {
        assert_eq!(parsed("1 234,5").as_deref(), Some("1234.5"));
        assert_eq!(parsed("1\u{a0}234\u{202f}567").as_deref(), Some("1234567"));
        assert_eq!(parsed("1,234.5").as_deref(), Some("1234.5"));
        assert_eq!(parsed("1.234,5").as_deref(), Some("1234.5"));
        assert_eq!(parsed("1,234,567").as_deref(), Some("1234567"));
        assert_eq!(parsed("0,125").as_deref(), Some("0.125"));
        assert_eq!(parsed("12,50").as_deref(), Some("12.5"));
        assert_eq!(parsed("1234,567").as_deref(), Some("1234.567"));
        assert_eq!(parsed("1,234"), None);
        assert_eq!(parsed("1.234"), None);
        assert_eq!(parsed("1,234.567,8"), None);
    }

    #[test]
    fn negatives_take_a_minus_sign_or_parentheses() {
        assert_eq!(parsed("-5").as_deref(), Some("-5"));
        assert_eq!(parsed("\u{2212}1 234,50").as_deref(), Some("-1234.5"));
        assert_eq!(parsed("(1 234)").as_deref(), Some("-1234"));
        assert_eq!(parsed("-0").as_deref(), Some("0"));
    }

    #[test]
    fn multiplying_by_a_power_of_ten_is_exact() {
        let number = Number::new(false, "1", "5").expect("digits");
        assert_eq!(number.times_power_of_ten(9).to_string(), "1500000000");
        let small = Number::new(false, "0", "0001").expect("digits");
        assert_eq!(small.times_power_of_ten(3).to_string(), "0.1");
    }
}
