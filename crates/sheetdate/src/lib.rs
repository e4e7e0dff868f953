//! Spreadsheet dates: which number formats show dates, and Excel serial numbers as ISO 8601.

/// Whether cells with this number format hold dates or times: the built-in date formats (14-22, 45-47) or a
/// custom format code with a date or time letter outside quoted text, brackets and escapes.
pub fn is_date_format(id: u32, code: Option<&str>) -> bool {
    if matches!(id, 14..=22 | 45..=47) {
        return true;
    }
    let Some(code) = code else {
        return false;
    };
    // Only the first section counts (the one for positive numbers).
    let mut chars = code.chars();
    let mut in_quotes = false;
    let mut in_brackets = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => in_quotes = !in_quotes,
            _ if in_quotes => {}
            '[' => in_brackets = true,
            ']' => in_brackets = false,
            _ if in_brackets => {}
            // An escaped character, or the fill/padding character after `*` and `_`.
            '\\' | '*' | '_' => {
                chars.next();
            }
            ';' => return false,
            'd' | 'D' | 'm' | 'M' | 'y' | 'Y' | 'h' | 'H' | 's' | 'S' => return true,
            _ => {}
        }
    }
    false
}

/// An Excel serial date as ISO 8601: `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM:SS`, or `HH:MM:SS` for a bare time.
/// `None` for values no date format can show (negative, beyond 9999).
pub fn serial_to_iso(serial: f64, date1904: bool) -> Option<String> {
    if !serial.is_finite() || !(0.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let mut days = serial.floor() as i64;
    let mut seconds = ((serial - serial.floor()) * 86_400.0).round() as i64;
    if seconds >= 86_400 {
        days += 1;
        seconds -= 86_400;
    }
    let time = format!("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
    if !date1904 && days == 0 {
        return Some(time);
    }
    let date = if date1904 {
        let (y, m, d) = dossier_document::civil_from_days(days - 24_107);
        format!("{y:04}-{m:02}-{d:02}")
    } else if days == 60 {
        // Lotus 1-2-3 believed 1900 was a leap year and Excel kept the phantom day for compatibility.
        "1900-02-29".to_string()
    } else {
        // Serial 1 is 1900-01-01; past the phantom 29 February the count is one day ahead.
        let unix_days = if days < 60 { days - 25_568 } else { days - 25_569 };
        let (y, m, d) = dossier_document::civil_from_days(unix_days);
        format!("{y:04}-{m:02}-{d:02}")
    };
    if seconds == 0 { Some(date) } else { Some(format!("{date}T{time}")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials_in_both_date_systems() {
        assert_eq!(serial_to_iso(1.0, false).as_deref(), Some("1900-01-01"));
        assert_eq!(serial_to_iso(59.0, false).as_deref(), Some("1900-02-28"));
        assert_eq!(serial_to_iso(60.0, false).as_deref(), Some("1900-02-29"));
        assert_eq!(serial_to_iso(61.0, false).as_deref(), Some("1900-03-01"));
        assert_eq!(serial_to_iso(45352.0, false).as_deref(), Some("2024-03-01"));
        assert_eq!(serial_to_iso(45352.75, false).as_deref(), Some("2024-03-01T18:00:00"));
        assert_eq!(serial_to_iso(0.5, false).as_deref(), Some("12:00:00"));
        // Carried over from the XLS reader's former copy of this function.
        assert_eq!(serial_to_iso(45_000.5, false).as_deref(), Some("2023-03-15T12:00:00"));
        assert_eq!(serial_to_iso(0.25, false).as_deref(), Some("06:00:00"));
        assert_eq!(serial_to_iso(0.0, true).as_deref(), Some("1904-01-01"));
        assert_eq!(serial_to_iso(43890.0, true).as_deref(), Some("2024-03-01"));
        assert_eq!(serial_to_iso(-1.0, false), None);
        assert_eq!(serial_to_iso(f64::NAN, false), None);
    }

    #[test]
    fn date_formats_ignore_quoted_and_bracketed_letters() {
        assert!(is_date_format(14, None));
        assert!(!is_date_format(2, None));
        assert!(is_date_format(164, Some("dd.mm.yyyy")));
        assert!(is_date_format(165, Some("[$-419]d mmmm yyyy \"г.\"")));
        assert!(!is_date_format(166, Some("#,##0.00 \"руб.\"")));
        assert!(!is_date_format(167, Some("[Red]0.00;[Blue]-0.00")));
        assert!(!is_date_format(168, Some("0.00\\h")));
        assert!(!is_date_format(169, Some("General")));
    }
}
