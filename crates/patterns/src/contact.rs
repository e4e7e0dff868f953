//! Phones, e-mail addresses and URLs.
//!
//! A phone is first recognised by its shape as people write it in Russia and Ukraine (`+7 (495) 123-45-67`,
//! `8 800 555-35-35`, `+380 44 123 45 67`, `044-123-45-67`, `(044) 123 45 67`), then checked against
//! libphonenumber's numbering plans (the `phonenumber` crate) and written in E.164. A shape the plan rejects is kept
//! only after a label (тел., факс, phone), as [`Checksum::Invalid`].

use phonenumber::Type;
use phonenumber::metadata::DATABASE;

use crate::identifier::{Label, label_before};
use crate::scan::Found;
use crate::text::{char_at, char_before, is_alnum, lower, skip_inline_spaces_back};
use crate::{Checksum, Detail, Kind};

/// A phone number starting at `at` (a digit, `+` or `(`).
pub(crate) fn phone(text: &str, at: usize) -> Option<Found> {
    if char_before(text, at).is_some_and(|c| is_alnum(c) || matches!(c, '+' | '-' | '.' | '/' | ',')) {
        return None;
    }
    // Nor the tail of a longer number: "+7 (095) …" that failed as a whole is not re-read from its parenthesis.
    if char_before(text, skip_inline_spaces_back(text, at)).is_some_and(|c| c.is_ascii_digit() || c == '+') {
        return None;
    }
    let shape = read_shape(text, at)?;
    let digits = shape.digits.as_str();
    // The country code and the national significant number, from the way the number is written.
    let (code, national): (Option<u16>, &str) = if shape.plus {
        (None, digits)
    } else if digits.len() == 11
        && ((digits.starts_with('8') && shape.first_group == "8")
            || (digits.starts_with('7') && shape.first_group == "7" && shape.parentheses))
    {
        (Some(7), &digits[1..])
    } else if digits.len() == 10 && digits.starts_with('0') && shape.first_group.len() <= 4 {
        (Some(380), &digits[1..])
    } else if digits.len() == 12 && digits.starts_with("380") && shape.first_group == "380" {
        (Some(380), &digits[3..])
    } else if digits.len() == 10 && shape.parentheses && shape.first_group.len() == 3 {
        (Some(7), digits)
    } else {
        return None;
    };
    if !shape.plus && shape.n_separators < 2 {
        return None;
    }
    let checked = match code {
        Some(code) => plan_region(code, national).map(|region| (code, national, region)),
        None => split_country_code(digits),
    };
    let label = label_before(text, at).filter(|(label, _, _)| *label == Label::Phone).map(|(_, written, _)| written);
    let found = match checked {
        Some((code, national, region)) => Found::new(Kind::Phone, at, shape.end, format!("+{code}{national}"))
            .checksum(Some(Checksum::Valid))
            .detail(Detail::Country { country: region }),
        // A shape the numbering plan rejects is a phone only where a label says so.
        None if label.is_some() => {
            let value = match code {
                Some(code) => format!("+{code}{national}"),
                None => format!("+{digits}"),
            };
            Found::new(Kind::Phone, at, shape.end, value).checksum(Some(Checksum::Invalid))
        }
        None => return None,
    };
    Some(found.label(label))
}

/// The kinds of number a valid phone number is one of (libphonenumber's notion of "valid").
const NUMBER_TYPES: [Type; 10] = [
    Type::FixedLine,
    Type::Mobile,
    Type::TollFree,
    Type::PremiumRate,
    Type::SharedCost,
    Type::PersonalNumber,
    Type::Voip,
    Type::Pager,
    Type::Uan,
    Type::Voicemail,
];

/// The region whose numbering plan has `national` under country code `code`, from libphonenumber's metadata. We
/// match the metadata's patterns ourselves instead of calling `phonenumber::parse`, which strips a leading 8 from
/// Russian national numbers (+7 800…, +7 812…) as if it were the trunk prefix (rust-phonenumber issue 76).
fn plan_region(code: u16, national: &str) -> Option<&'static str> {
    let database: &'static phonenumber::metadata::Database = &DATABASE;
    for meta in database.by_code(&code)? {
        let descriptors = meta.descriptors();
        if !descriptors.general().is_match(national) {
            continue;
        }
        let typed = NUMBER_TYPES.iter().any(|kind| descriptors.get(*kind).is_some_and(|d| d.is_match(national)));
        if typed {
            return Some(meta.id());
        }
    }
    None
}

/// Splits an international number (digits after `+`) into a country code of one to three digits and a national
/// number that the code's plan accepts.
fn split_country_code(digits: &str) -> Option<(u16, &str, &'static str)> {
    (1..=3).filter(|len| *len < digits.len()).find_map(|len| {
        let code: u16 = digits[..len].parse().ok()?;
        let national = &digits[len..];
        plan_region(code, national).map(|region| (code, national, region))
    })
}

struct Shape {
    plus: bool,
    digits: String,
    first_group: String,
    parentheses: bool,
    n_separators: usize,
    end: usize,
}

/// Reads digits with single separators (space, no-break space, hyphen) and at most one pair of parentheses
/// around 2–5 digits. Stops at anything else; a phone has 10–15 digits, so reading stops after 15.
fn read_shape(text: &str, at: usize) -> Option<Shape> {
    let mut shape = Shape {
        plus: false,
        digits: String::new(),
        first_group: String::new(),
        parentheses: false,
        n_separators: 0,
        end: at,
    };
    let mut position = at;
    if text[at..].starts_with('+') {
        shape.plus = true;
        position += 1;
    }
    let mut previous_separator = true;
    let mut open_parenthesis: Option<usize> = None;
    let mut first_group_done = false;
    while let Some(c) = char_at(text, position) {
        match c {
            '0'..='9' => {
                shape.digits.push(c);
                if !first_group_done {
                    shape.first_group.push(c);
                }
                previous_separator = false;
                position += 1;
                shape.end = position;
                if shape.digits.len() > 15 {
                    return None;
                }
            }
            '(' if open_parenthesis.is_none() && !shape.parentheses => {
                open_parenthesis = Some(shape.digits.len());
                first_group_done |= !shape.digits.is_empty();
                previous_separator = true;
                position += 1;
            }
            ')' if open_parenthesis.is_some() => {
                let inside = shape.digits.len() - open_parenthesis.take().unwrap_or(0);
                if !(2..=5).contains(&inside) {
                    return None;
                }
                shape.parentheses = true;
                shape.n_separators += 1;
                first_group_done = true;
                previous_separator = true;
                position += 1;
                shape.end = position;
            }
            ' ' | '\u{a0}' | '-' | '\u{2011}' if !previous_separator || char_before(text, position) == Some(')') => {
                if !char_at(text, position + c.len_utf8()).is_some_and(|next| next.is_ascii_digit() || next == '(') {
                    break;
                }
                first_group_done = true;
                shape.n_separators += 1;
                previous_separator = true;
                position += c.len_utf8();
            }
            _ => break,
        }
    }
    if open_parenthesis.is_some() || shape.digits.len() < 10 {
        return None;
    }
    // The number must end where the text does not go on with a letter or digit.
    if char_at(text, shape.end).is_some_and(is_alnum) {
        return None;
    }
    Some(shape)
}

/// Every e-mail address and URL in `text`, in order, without overlaps (a URL wins over an address inside it).
pub(crate) fn find_links(text: &str) -> Vec<Found> {
    let mut links: Vec<Found> = Vec::new();
    for (at, _) in text.match_indices('@') {
        if let Some(found) = email_around(text, at) {
            links.push(found);
        }
    }
    for scheme in ["http://", "https://", "ftp://", "HTTP://", "HTTPS://", "www.", "WWW."] {
        for (at, _) in text.match_indices(scheme) {
            if let Some(found) = url_at(text, at, scheme) {
                links.push(found);
            }
        }
    }
    links.sort_by_key(|link| (link.start, std::cmp::Reverse(link.end), link.kind != Kind::Url));
    let mut kept: Vec<Found> = Vec::with_capacity(links.len());
    for link in links {
        if kept.last().is_none_or(|last| link.start >= last.end) {
            kept.push(link);
        }
    }
    kept
}

fn is_local_part(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

fn email_around(text: &str, at: usize) -> Option<Found> {
    let mut start = at;
    for c in text[..at].chars().rev() {
        if !is_local_part(c) {
            break;
        }
        start -= c.len_utf8();
    }
    while text[start..at].starts_with('.') {
        start += 1;
    }
    if start == at || text[start..at].ends_with('.') {
        return None;
    }
    let domain_start = at + 1;
    let mut end = domain_start;
    for c in text[domain_start..].chars() {
        if !(c.is_alphanumeric() || c == '.' || c == '-') {
            break;
        }
        end += c.len_utf8();
    }
    while text[domain_start..end].ends_with(['.', '-']) {
        end -= 1;
    }
    let domain = &text[domain_start..end];
    let labels: Vec<&str> = domain.split('.').collect();
    let top = labels.last()?;
    let well_formed = labels.len() >= 2
        && labels.iter().all(|label| !label.is_empty() && !label.starts_with('-'))
        && top.chars().count() >= 2
        && top.chars().all(char::is_alphabetic);
    if !well_formed {
        return None;
    }
    let value = lower(&text[start..end]);
    Some(Found::new(Kind::Email, start, end, value))
}

fn url_at(text: &str, at: usize, scheme: &str) -> Option<Found> {
    if char_before(text, at).is_some_and(|c| c.is_alphanumeric() || c == '/' || c == '.') {
        return None;
    }
    let mut end = at;
    for c in text[at..].chars() {
        if c.is_whitespace() || matches!(c, '<' | '>' | '"' | '«' | '»' | '{' | '}' | '|' | '\\' | '^' | '`') {
            break;
        }
        end += c.len_utf8();
    }
    // Punctuation that ends a sentence is not part of the address; a closing parenthesis only when unbalanced.
    while let Some(last) = text[at..end].chars().next_back() {
        let unbalanced_parenthesis =
            last == ')' && text[at..end].matches('(').count() < text[at..end].matches(')').count();
        if !(matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '”' | '“') || unbalanced_parenthesis) {
            break;
        }
        end -= last.len_utf8();
    }
    let host_start = at + scheme.len();
    let host_end = text[host_start..end].find(['/', '?', '#']).map_or(end, |offset| host_start + offset);
    let host = &text[host_start..host_end];
    if host.is_empty() || !host.contains('.') && !scheme.starts_with("www") && host != "localhost" {
        return None;
    }
    if scheme.eq_ignore_ascii_case("www.") && !host.contains('.') {
        return None;
    }
    let lowered_scheme = lower(scheme);
    let value = if lowered_scheme == "www." {
        format!("http://www.{}{}", lower(host), &text[host_end..end])
    } else {
        format!("{lowered_scheme}{}{}", lower(host), &text[host_end..end])
    };
    Some(Found::new(Kind::Url, at, end, value))
}
