//! Member names and dates as archives record them: legacy code pages and timestamps turned into text.

/// Decodes a file name stored without any declared encoding. UTF-8 is taken as is; otherwise, when the bytes
/// read as Cyrillic in CP866 (DOS, the usual case for Russian ZIP files) or Windows-1251, that reading is used.
/// Returns `None` when the name is neither, so that the caller can fall back to the format's own default.
pub(crate) fn decode_legacy_name(raw: &[u8]) -> Option<String> {
    if let Ok(name) = std::str::from_utf8(raw) {
        return Some(name.to_string());
    }
    let high_bytes = raw.iter().filter(|byte| **byte >= 0x80).count();
    if high_bytes == 0 {
        return None;
    }
    let cp866_letters = raw.iter().filter(|byte| is_cp866_letter(**byte)).count();
    let cp1251_letters = raw.iter().filter(|byte| is_cp1251_letter(**byte)).count();
    // Most high bytes must be letters in the chosen code page: a name of box-drawing characters or accented
    // Latin letters is not Cyrillic. CP866 wins ties because DOS code pages are what ZIP tools write.
    let (letters, encoding) = if cp866_letters >= cp1251_letters {
        (cp866_letters, encoding_rs::IBM866)
    } else {
        (cp1251_letters, encoding_rs::WINDOWS_1251)
    };
    // One lone high byte (CP437's "é" is CP866's "В") is too little to call a name Cyrillic.
    if letters < 2 || letters * 10 < high_bytes * 8 {
        return None;
    }
    let (name, _, _) = encoding.decode(raw);
    Some(name.into_owned())
}

/// А-Я, а-п, р-я, Ё/ё and the Ukrainian and Belarusian letters of CP866 (Є є Ї ї Ў ў).
fn is_cp866_letter(byte: u8) -> bool {
    matches!(byte, 0x80..=0xAF | 0xE0..=0xF7)
}

/// А-я, Ё/ё and the Ukrainian letters of Windows-1251 (Ґ ґ Є є І і Ї ї).
fn is_cp1251_letter(byte: u8) -> bool {
    matches!(byte, 0xC0..=0xFF | 0xA8 | 0xB8 | 0xA5 | 0xB4 | 0xAA | 0xBA | 0xB2 | 0xB3 | 0xAF | 0xBF)
}

/// Decodes a name from a format that stores raw bytes (TAR, the GZIP header): UTF-8, else Cyrillic, else lossy.
pub(crate) fn decode_raw_name(raw: &[u8]) -> String {
    decode_legacy_name(raw).unwrap_or_else(|| String::from_utf8_lossy(raw).into_owned())
}

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
    fn cp866_names_without_the_utf8_flag_read_as_cyrillic() {
        let (raw, _, _) = encoding_rs::IBM866.encode("Отчёт за 2015 год.doc");
        assert_eq!(decode_legacy_name(&raw).as_deref(), Some("Отчёт за 2015 год.doc"));
    }

    #[test]
    fn windows_1251_names_read_as_cyrillic() {
        let (raw, _, _) = encoding_rs::WINDOWS_1251.encode("Договір поставки.xlsx");
        assert_eq!(decode_legacy_name(&raw).as_deref(), Some("Договір поставки.xlsx"));
    }

    #[test]
    fn box_drawing_and_latin_names_are_left_to_the_format_default() {
        // "╔═╗" in CP437/CP866 box drawing: not letters in CP866, and 0xC9/0xCD/0xBB are letters in 1251, so
        // this one would read as 1251; a name of bytes that are letters in neither stays undecided.
        assert_eq!(decode_legacy_name(&[0xB0, 0xB1, 0xDB, b'.', b't']), None);
        assert_eq!(decode_legacy_name(b"plain.txt").as_deref(), Some("plain.txt"));
    }

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
