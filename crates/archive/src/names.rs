//! Dates as archives record them, and the names of compressed files' contents. Member names are decoded by
//! `dossier_text::NameCharset`, over all the names of an archive at once.

/// Formats seconds since 1970 (UTC) as ISO 8601, e.g. `2024-02-29T13:05:09Z`.
pub(crate) fn iso8601_from_unix_seconds(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let seconds_of_day = seconds.rem_euclid(86_400);
    let (year, month, day) = dossier_document::civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        seconds_of_day / 3600,
        seconds_of_day / 60 % 60,
        seconds_of_day % 60
    )
}

/// Formats a local date and time without a time zone (ZIP's DOS timestamps carry none).
pub(crate) fn iso8601_local(year: u16, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> String {
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}")
}

/// The name of the single stream inside a compressed file, from the compressed file's own name:
/// `report.doc.gz` holds `report.doc`, `backup.tgz` holds `backup.tar`.
pub(crate) fn strip_compression_suffix(name: &str, suffixes: &[(&str, &str)]) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    for (suffix, replacement) in suffixes {
        if lower.len() > suffix.len() && lower.ends_with(suffix) {
            let stem = &name[..name.len() - suffix.len()];
            return Some(format!("{stem}{replacement}"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_seconds_become_iso8601() {
        assert_eq!(iso8601_from_unix_seconds(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601_from_unix_seconds(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(iso8601_from_unix_seconds(1_709_211_909), "2024-02-29T13:05:09Z");
        assert_eq!(iso8601_from_unix_seconds(-86_400), "1969-12-31T00:00:00Z");
    }

    #[test]
    fn compression_suffixes_are_stripped_case_insensitively() {
        let suffixes = [(".tgz", ".tar"), (".gz", "")];
        assert_eq!(strip_compression_suffix("Report.DOC.GZ", &suffixes).as_deref(), Some("Report.DOC"));
        assert_eq!(strip_compression_suffix("backup.tgz", &suffixes).as_deref(), Some("backup.tar"));
        assert_eq!(strip_compression_suffix(".gz", &suffixes), None);
        assert_eq!(strip_compression_suffix("notes.txt", &suffixes), None);
    }
}
