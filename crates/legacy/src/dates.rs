//! Dates in the legacy formats: Windows FILETIMEs (OLE property sets) as ISO 8601. Excel serial dates are in dossier-sheetdate.

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
}
