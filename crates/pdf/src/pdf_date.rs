//! PDF date strings ("D:20230405123000+03'00'") to ISO 8601, the form every dossier date takes.
//!
//! PDF writers are sloppy: the "D:" prefix, the seconds, the time zone and even the apostrophes are often
//! missing, and some write a time zone like "+03'00" or "Z00'00'". We accept every prefix the specification
//! allows (from the year alone onwards) and refuse anything whose fields are out of range, so that a garbled
//! date is kept raw by the caller rather than turned into a plausible-looking wrong one.

/// Converts a PDF date to ISO 8601 (`2023-04-05T12:30:00+03:00`, `2023-04-05T12:30:00Z`, or without an offset
/// when the file gives none). Returns `None` if the string is not a PDF date.
pub fn pdf_date_to_iso8601(raw: &str) -> Option<String> {
    let s = raw.trim();
    let s = s.strip_prefix("D:").unwrap_or(s);
    let digits_len = s.bytes().take_while(u8::is_ascii_digit).count();
    // Only even-length digit runs from the year onwards are valid: YYYY, YYYYMM, ..., YYYYMMDDHHmmSS.
    if !(4..=14).contains(&digits_len) || digits_len % 2 != 0 {
        return None;
    }
    let (digits, zone) = s.split_at(digits_len);
    let field = |start: usize, default: u32| -> u32 {
        digits.get(start..start + 2).and_then(|two| two.parse().ok()).unwrap_or(default)
    };
    let year: u32 = digits[..4].parse().ok()?;
    let (month, day) = (field(4, 1), field(6, 1));
    let (hour, minute, second) = (field(8, 0), field(10, 0), field(12, 0));
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    // A leap second (60) is legal in ISO 8601; anything above is garbage.
    if second > 60 {
        return None;
    }
    let mut iso = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}");
    iso.push_str(&time_zone(zone)?);
    Some(iso)
}

/// The ISO 8601 offset for the part after the digits: "", "Z", "Z00'00'", "+03'00'", "-0500", "+03".
fn time_zone(zone: &str) -> Option<String> {
    let zone = zone.trim();
    let Some(sign) = zone.chars().next() else {
        return Some(String::new());
    };
    let rest = &zone[sign.len_utf8()..];
    match sign {
        'Z' | 'z' => Some("Z".to_string()),
        '+' | '-' => {
            let digits: String = rest.chars().filter(char::is_ascii_digit).take(4).collect();
            if rest.chars().any(|c| !(c.is_ascii_digit() || c == '\'' || c == ':')) {
                return None;
            }
            let hours: u32 = digits.get(..2)?.parse().ok()?;
            let minutes: u32 = digits.get(2..4).and_then(|m| m.parse().ok()).unwrap_or(0);
            if hours > 23 || minutes > 59 {
                return None;
            }
            if hours == 0 && minutes == 0 {
                return Some("Z".to_string());
            }
            Some(format!("{sign}{hours:02}:{minutes:02}"))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(raw: &str, expected: Option<&str>) {
        assert_eq!(pdf_date_to_iso8601(raw).as_deref(), expected, "for {raw:?}");
    }

    #[test]
    fn full_dates_with_offsets() {
        check("D:20230405123000+03'00'", Some("2023-04-05T12:30:00+03:00"));
        check("D:20230405123000-05'30'", Some("2023-04-05T12:30:00-05:30"));
        check("D:20230405123000+03'00", Some("2023-04-05T12:30:00+03:00"));
        check("D:20230405123000+0300", Some("2023-04-05T12:30:00+03:00"));
        check("D:20230405123000+03", Some("2023-04-05T12:30:00+03:00"));
        check("D:20230405123000Z", Some("2023-04-05T12:30:00Z"));
        check("D:20230405123000Z00'00'", Some("2023-04-05T12:30:00Z"));
        check("D:20230405123000+00'00'", Some("2023-04-05T12:30:00Z"));
    }

    #[test]
    fn partial_dates_and_missing_prefix() {
        check("D:2023", Some("2023-01-01T00:00:00"));
        check("D:202304", Some("2023-04-01T00:00:00"));
        check("20230405123000", Some("2023-04-05T12:30:00"));
        check(" D:20230405 ", Some("2023-04-05T00:00:00"));
    }

    #[test]
    fn garbage_is_refused_rather_than_guessed() {
        check("", None);
        check("D:", None);
        check("yesterday", None);
        check("D:202", None);
        check("D:2023041", None);
        check("D:20231305", None);
        check("D:20230405256000", None);
        check("D:20230405123000+3x", None);
        check("D:20230405123000+99'00'", None);
        check("Mon Apr 5 12:30:00 2023", None);
    }
}
