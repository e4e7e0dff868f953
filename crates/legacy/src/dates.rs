//! Dates in the legacy formats: Windows FILETIMEs (OLE property sets) and Excel serial numbers, as ISO 8601.

fn format_seconds_since_epoch(seconds: i64) -> String {
    let (year, month, day) = dossier_document::civil_from_days(seconds.div_euclid(86_400));
    let second_of_day = seconds.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60
    )
}

/// A FILETIME (100-nanosecond ticks since 1601-01-01 UTC) as ISO 8601; `None` for zero (unset) and for values
/// outside 1980..=2100, which in these files are garbage or placeholders rather than dates.
pub(crate) fn filetime_to_iso(ticks: u64) -> Option<String> {
    const TICKS_PER_SECOND: u64 = 10_000_000;
    const SECONDS_1601_TO_1970: i64 = 11_644_473_600;
    if ticks == 0 {
        return None;
    }
    let seconds = (ticks / TICKS_PER_SECOND) as i64 - SECONDS_1601_TO_1970;
    // 1980-01-01 and 2101-01-01.
    if !(315_532_800..4_133_980_800).contains(&seconds) {
        return None;
    }
    Some(format_seconds_since_epoch(seconds))
}

/// An Excel serial date as ISO 8601: `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM:SS`, or `HH:MM:SS` for a bare time.
/// `None` for values no date format can show (negative, beyond 9999).
pub(crate) fn serial_to_iso(serial: f64, date1904: bool) -> Option<String> {
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
    // Serial 1 is 1900-01-01 in the 1900 system, which wrongly counts 1900-02-29 (serial 60): from 61 on, the
    // epoch is effectively 1899-12-30. The 1904 system counts from 1904-01-01.
    let days_since_1970 = if date1904 {
        days - 24_107
    } else if days < 61 {
        days - 25_568
    } else {
        days - 25_569
    };
    let (year, month, day) = dossier_document::civil_from_days(days_since_1970);
    let date = format!("{year:04}-{month:02}-{day:02}");
    if seconds == 0 { Some(date) } else { Some(format!("{date}T{time}")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filetime_of_a_known_instant() {
        // 2009-02-13T23:31:30Z is Unix time 1234567890.
        let ticks = (1_234_567_890u64 + 11_644_473_600) * 10_000_000;
        assert_eq!(filetime_to_iso(ticks).as_deref(), Some("2009-02-13T23:31:30Z"));
        assert_eq!(filetime_to_iso(0), None);
        assert_eq!(filetime_to_iso(u64::MAX), None);
    }

    #[test]
    fn excel_serials() {
        assert_eq!(serial_to_iso(1.0, false).as_deref(), Some("1900-01-01"));
        assert_eq!(serial_to_iso(59.0, false).as_deref(), Some("1900-02-28"));
        assert_eq!(serial_to_iso(61.0, false).as_deref(), Some("1900-03-01"));
        assert_eq!(serial_to_iso(45_000.5, false).as_deref(), Some("2023-03-15T12:00:00"));
        assert_eq!(serial_to_iso(0.25, false).as_deref(), Some("06:00:00"));
        assert_eq!(serial_to_iso(0.0, true).as_deref(), Some("1904-01-01"));
        assert_eq!(serial_to_iso(-1.0, false), None);
    }
}
