//! iCalendar (RFC 5545) and vCalendar 1.0: each event, to-do and journal entry becomes a block of labelled lines
//! (summary, start and end as ISO 8601, location, organizer, attendees, description), blocks separated by blank
//! lines. Alarms nested inside an event are skipped (their DESCRIPTION would overwrite the event's).

use dossier_document::{Context, ExtractError, Extraction, Source, TextBuilder};

use crate::contentline::{self, Property};

/// Properties of one calendar component worth reading, in output order, with their labels.
const LABELS: [(&str, &str); 14] = [
    ("SUMMARY", "Summary"),
    ("DTSTART", "Start"),
    ("DTEND", "End"),
    ("DUE", "Due"),
    ("DURATION", "Duration"),
    ("LOCATION", "Location"),
    ("ORGANIZER", "Organizer"),
    ("ATTENDEE", "Attendee"),
    ("CONTACT", "Contact"),
    ("CATEGORIES", "Categories"),
    ("STATUS", "Status"),
    ("URL", "URL"),
    ("COMMENT", "Comment"),
    ("DESCRIPTION", "Description"),
];

/// Reads an iCalendar file.
pub fn read_ics(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    let bytes = dossier_document::load_whole(src, ctx)?;
    let charset = contentline::file_charset(&bytes);
    let lines = contentline::unfold(&bytes);
    drop(bytes);
    let mut extraction = Extraction::default();
    let mut text = TextBuilder::new(ctx.limits.max_text_bytes);
    // Open components, innermost last; bounded so that a file of a million BEGIN lines costs little.
    let mut components: Vec<String> = Vec::new();
    let mut current: Vec<Property> = Vec::new();
    let mut counts = [0usize; 3];
    let mut saw_calendar = false;
    let mut unknown_lines = 0usize;
    for line in &lines {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let Some(property) = contentline::parse(line) else {
            unknown_lines += 1;
            continue;
        };
        match property.name.as_str() {
            "BEGIN" => {
                let component = property.text(charset).trim().to_ascii_uppercase();
                if component == "VCALENDAR" {
                    saw_calendar = true;
                }
                if is_entry(&component) {
                    current.clear();
                }
                if components.len() < 64 {
                    components.push(component);
                }
            }
            "END" => {
                let component = property.text(charset).trim().to_ascii_uppercase();
                if let Some(index) = components.iter().rposition(|open| *open == component) {
                    components.truncate(index);
                    if let Some(kind) = entry_kind(&component) {
                        counts[kind] += 1;
                        write_entry(&mut text, kind, &current, charset);
                        current.clear();
                    }
                }
            }
            _ => match components.last().map(String::as_str) {
                Some(component) if is_entry(component) && current.len() < 10_000 && !property.is_binary() => {
                    current.push(property);
                }
                Some(component) if is_entry(component) => {}
                Some("VCALENDAR") => match property.name.as_str() {
                    "PRODID" => extraction.metadata.set("producer", property.text(charset)),
                    "X-WR-CALNAME" => extraction.metadata.set("title", contentline::unescape(&property.text(charset))),
                    "X-WR-CALDESC" => {
                        extraction.metadata.set("description", contentline::unescape(&property.text(charset)))
                    }
                    _ => {}
                },
                _ => {}
            },
        }
        if text.is_full() {
            break;
        }
    }
    if let Some(open) = components.iter().rev().find(|component| is_entry(component)) {
        // The file ends inside an entry: keep what it had.
        if let Some(kind) = entry_kind(open) {
            counts[kind] += 1;
            write_entry(&mut text, kind, &current, charset);
        }
    }
    if !components.is_empty() {
        extraction.diagnostics.push(format!("calendar truncated: {} not closed", components.join(" > ")));
    }
    if !saw_calendar {
        if counts.iter().sum::<usize>() == 0 {
            return Err(ExtractError::malformed("ics", "no BEGIN:VCALENDAR and no event"));
        }
        extraction.diagnostics.push("no BEGIN:VCALENDAR".to_string());
    }
    if unknown_lines > 0 {
        extraction.diagnostics.push(format!("{unknown_lines} lines are not calendar properties and were skipped"));
    }
    let names = ["events", "todos", "journals"];
    for (name, count) in names.iter().zip(counts) {
        if count > 0 || *name == "events" {
            extraction.metadata.set(name, count.to_string());
        }
    }
    if charset != encoding_rs::UTF_8 {
        extraction.metadata.set("charset", charset.name());
    }
    let (text, cut) = text.finish();
    extraction.text = text;
    extraction.diagnostics.extend(cut);
    Ok(extraction)
}

fn entry_kind(component: &str) -> Option<usize> {
    match component {
        "VEVENT" => Some(0),
        "VTODO" => Some(1),
        "VJOURNAL" => Some(2),
        _ => None,
    }
}

fn is_entry(component: &str) -> bool {
    entry_kind(component).is_some()
}

fn write_entry(text: &mut TextBuilder, kind: usize, properties: &[Property], charset: &'static encoding_rs::Encoding) {
    text.end_paragraph();
    text.push(["Event", "To-do", "Journal"][kind]);
    text.push("\n");
    for (name, label) in LABELS {
        for property in properties.iter().filter(|property| property.name == name) {
            let value = property.text(charset);
            let value = match name {
                "DTSTART" | "DTEND" | "DUE" => iso_date(value.trim(), property.param("TZID")),
                "ORGANIZER" | "ATTENDEE" => person(&value, property),
                _ => contentline::unescape(&value).trim().to_string(),
            };
            if value.is_empty() {
                continue;
            }
            text.push(label);
            text.push(": ");
            text.push(&value);
            text.push("\n");
        }
    }
}

/// `20240315T093000Z` as `2024-03-15T09:30:00Z`, `20240315` as `2024-03-15`, with a named time zone after it.
pub(crate) fn iso_date(value: &str, time_zone: Option<&str>) -> String {
    let bytes = value.as_bytes();
    let digits = |range: std::ops::Range<usize>| bytes.get(range).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let iso = if bytes.len() >= 8 && digits(0..8) {
        let date = format!("{}-{}-{}", &value[0..4], &value[4..6], &value[6..8]);
        if bytes.len() >= 15 && bytes[8] == b'T' && digits(9..15) {
            let suffix = if value[15..].eq_ignore_ascii_case("z") { "Z" } else { "" };
            format!("{date}T{}:{}:{}{suffix}", &value[9..11], &value[11..13], &value[13..15])
        } else {
            date
        }
    } else {
        value.to_string()
    };
    match time_zone {
        Some(zone) if !zone.is_empty() => format!("{iso} ({zone})"),
        _ => iso,
    }
}

/// An organizer or attendee as `Name <address>` from its CN parameter and `mailto:` value.
fn person(value: &str, property: &Property) -> String {
    let address = value.trim();
    let address =
        if address.len() >= 7 && address[..7].eq_ignore_ascii_case("mailto:") { &address[7..] } else { address };
    match property.param("CN").map(str::trim) {
        Some(name) if !name.is_empty() && !address.is_empty() && name != address => format!("{name} <{address}>"),
        Some(name) if !name.is_empty() => name.to_string(),
        _ => address.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_become_iso() {
        assert_eq!(iso_date("20240315T093000Z", None), "2024-03-15T09:30:00Z");
        assert_eq!(iso_date("20240315", None), "2024-03-15");
        assert_eq!(iso_date("20240315T093000", Some("Europe/Moscow")), "2024-03-15T09:30:00 (Europe/Moscow)");
        assert_eq!(iso_date("soon", None), "soon");
    }
}
