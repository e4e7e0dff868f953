//! Fixed points in time for the story, rendered the ways the different formats want them.
//!
//! The collection must be byte-identical on every run, so no code here ever asks the clock: every date inside a
//! zip entry, an OOXML property or a spreadsheet cell comes from a constant in `story.rs`.

use dossier_document::days_from_civil;

/// A wall-clock moment without a time zone (OOXML core properties state theirs as UTC with a `Z`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp {
    pub year: u16,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

impl Timestamp {
    pub const fn new(year: u16, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> Self {
        Timestamp { year, month, day, hour, minute, second }
    }

    /// The W3CDTF form used by `docProps/core.xml`, e.g. `2024-03-12T09:40:00Z`.
    pub fn w3cdtf(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }

    /// The MS-DOS date and time stored in zip headers (two-second resolution, years 1980 to 2107).
    pub fn zip_date_time(&self) -> Option<zip::DateTime> {
        zip::DateTime::from_date_and_time(self.year, self.month, self.day, self.hour, self.minute, self.second).ok()
    }

    /// The (date, time) words of an MS-DOS timestamp, for the hand-written legacy zip in `archive.rs`.
    pub fn dos_date_time_words(&self) -> (u16, u16) {
        let date = ((self.year.saturating_sub(1980)) << 9) | (u16::from(self.month) << 5) | u16::from(self.day);
        let time = (u16::from(self.hour) << 11) | (u16::from(self.minute) << 5) | u16::from(self.second / 2);
        (date, time)
    }
}

/// A calendar date as a spreadsheet serial number: days since 1899-12-30, the epoch Excel and LibreOffice share
/// for every date after February 1900.
pub fn spreadsheet_serial_date(year: i64, month: i64, day: i64) -> i64 {
    days_from_civil(year, month, day) - days_from_civil(1899, 12, 30)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreadsheet_serials_match_known_values() {
        // 45292 is what Excel shows for 2024-01-01; 61 is 1900-03-01 (after the fictitious 1900-02-29).
        assert_eq!(spreadsheet_serial_date(2024, 1, 1), 45292);
        assert_eq!(spreadsheet_serial_date(2024, 3, 4), 45355);
        assert_eq!(spreadsheet_serial_date(1900, 3, 1), 61);
    }

    #[test]
    fn dos_words_pack_fields() {
        let (date, time) = Timestamp::new(2024, 3, 12, 9, 40, 18).dos_date_time_words();
        assert_eq!(date >> 9, 44);
        assert_eq!((date >> 5) & 0xF, 3);
        assert_eq!(date & 0x1F, 12);
        assert_eq!(time >> 11, 9);
        assert_eq!((time >> 5) & 0x3F, 40);
        assert_eq!((time & 0x1F) * 2, 18);
    }

    #[test]
    fn w3cdtf_is_zero_padded() {
        assert_eq!(Timestamp::new(2024, 4, 3, 6, 5, 0).w3cdtf(), "2024-04-03T06:05:00Z");
    }
}
