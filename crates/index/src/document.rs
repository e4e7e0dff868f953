//! Turns a catalog document into an index document: title, dates, people, language and the text in its analysed forms.

use tantivy::TantivyDocument;

use dossier_document::days_from_civil;

use crate::schema::Fields;

/// A document as the index receives it (the core converts catalog records into this).
#[derive(Debug, Clone)]
pub struct IndexDoc<'a> {
    pub id: u64,
    pub parent_id: Option<u64>,
    pub collection: &'a str,
    pub path: &'a str,
    /// The file name, or the member / attachment name of a child.
    pub name: &'a str,
    /// `ok`, `partial` or `failed`.
    pub state: &'a str,
    /// The detected format's short name (`pdf`), when known.
    pub format: Option<&'a str>,
    /// The catalog's metadata object (shared key names, see dossier-document's metadata.rs).
    pub metadata: &'a serde_json::Value,
    pub text: &'a str,
    /// The kind and normal value of each entity the text mentions (`("person", "Соколов-Ветров Игорь Петрович")`).
    pub entities: &'a [(String, String)],
}

/// What the index derives from a document before writing it; also what tests look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derived {
    pub title: String,
    pub lang: Option<&'static str>,
    pub date: Option<i64>,
    pub year: Option<u64>,
    pub ext: Option<String>,
    pub authors: Vec<String>,
    pub from: Vec<String>,
    pub to: Vec<String>,
    pub sender_domain: Option<String>,
}

pub fn derive(doc: &IndexDoc<'_>) -> Derived {
    let meta = |key: &str| metadata_values(doc.metadata, key);
    let title = meta("title")
        .into_iter()
        .chain(meta("subject"))
        .find(|value| !value.trim().is_empty())
        .unwrap_or_else(|| doc.name.rsplit('/').next().unwrap_or(doc.name).to_string());
    let date =
        ["date", "created", "modified"].iter().find_map(|key| meta(key).iter().find_map(|value| parse_date(value)));
    let from = meta("from");
    let sender_domain = from.iter().find_map(|address| email_domain(address));
    let mut to = meta("to");
    to.extend(meta("cc"));
    to.extend(meta("bcc"));
    let mut authors = meta("author");
    authors.extend(meta("last_modified_by"));
    Derived {
        title,
        lang: dossier_lang::detect_language(doc.text).map(|lang| lang.code()),
        date,
        year: date.map(year_of),
        ext: extension(doc.name),
        authors,
        from,
        to,
        sender_domain,
    }
}

/// A document's text is indexed in parts of at most this many bytes, each an index document of its own: it bounds
/// the indexer's memory for one index document, whatever the length of the text (up to the readers' text limit).
pub const PART_TEXT_BYTES: usize = 16 << 20;

/// The index documents of one document: the document itself with the first part of its text, then one per further
/// part of the text, with the same fields for filters (collection, type, date...).
pub fn to_tantivy_parts<'a>(doc: &'a IndexDoc<'a>, fields: &'a Fields) -> impl Iterator<Item = TantivyDocument> + 'a {
    let derived = derive(doc);
    text_parts(doc.text, PART_TEXT_BYTES)
        .enumerate()
        .map(move |(part, text)| to_tantivy(doc, &derived, fields, part, text))
}

/// `text` cut into consecutive parts of at most `max` bytes (at least one part, empty for an empty text), each
/// ending at a character boundary and, where one is near, after white space, so that no word is cut in two.
pub fn text_parts(text: &str, max: usize) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        if current.len() <= max {
            rest = None;
            return Some(current);
        }
        let mut end = max;
        while !current.is_char_boundary(end) {
            end -= 1;
        }
        let window = end.saturating_sub(4096);
        if let Some(space) = current[window..end].rfind(char::is_whitespace) {
            let at = window + space;
            end = at + current[at..].chars().next().map_or(1, char::len_utf8);
        }
        rest = Some(&current[end..]);
        Some(&current[..end])
    })
}

fn to_tantivy(doc: &IndexDoc<'_>, derived: &Derived, fields: &Fields, part: usize, text: &str) -> TantivyDocument {
    let mut out = TantivyDocument::default();
    out.add_u64(fields.id, doc.id);
    out.add_u64(fields.part, part as u64);
    if part > 0 {
        out.add_u64(fields.continued, 1);
    }
    if let Some(parent) = doc.parent_id {
        out.add_u64(fields.parent_id, parent);
    }
    out.add_text(fields.collection, doc.collection);
    out.add_text(fields.path, doc.path);
    out.add_text(fields.title, &derived.title);
    out.add_text(fields.title_stem, &derived.title);
    out.add_text(fields.title_exact, &derived.title);
    out.add_text(fields.text_stem, text);
    out.add_text(fields.text_exact, text);
    out.add_text(fields.text, text);
    for author in &derived.authors {
        out.add_text(fields.author, author);
    }
    for from in &derived.from {
        out.add_text(fields.from, from);
    }
    for to in &derived.to {
        out.add_text(fields.to, to);
    }
    for (kind, value) in doc.entities {
        let (field, facet) = match kind.as_str() {
            "person" => (fields.person, Some(fields.person_facet)),
            "organization" => (fields.org, Some(fields.org_facet)),
            "location" => (fields.loc, Some(fields.loc_facet)),
            "inn" => (fields.inn, None),
            "phone" => (fields.phone, None),
            "email" => (fields.email, None),
            _ => continue,
        };
        out.add_text(field, value);
        if let Some(facet) = facet {
            out.add_text(facet, value);
        }
    }
    if let Some(format) = doc.format {
        out.add_text(fields.format, format);
    }
    out.add_text(fields.lang, derived.lang.unwrap_or("none"));
    if let Some(ext) = &derived.ext {
        out.add_text(fields.ext, ext);
    }
    out.add_text(fields.state, doc.state);
    if let Some(domain) = &derived.sender_domain {
        out.add_text(fields.sender_domain, domain);
    }
    if let Some(date) = derived.date {
        out.add_i64(fields.date, date);
    }
    if let Some(year) = derived.year {
        out.add_u64(fields.year, year);
    }
    out
}

/// A metadata value as a list of strings, whether it was stored as one value or many.
fn metadata_values(metadata: &serde_json::Value, key: &str) -> Vec<String> {
    match metadata.get(key) {
        Some(serde_json::Value::String(value)) => vec![value.clone()],
        Some(serde_json::Value::Array(values)) => {
            values.iter().filter_map(|value| value.as_str().map(str::to_string)).collect()
        }
        _ => Vec::new(),
    }
}

/// Seconds since the epoch of an ISO 8601 date or date-time (the time of day, when present, is kept; a zone offset
/// is applied). Returns `None` for anything else.
pub fn parse_date(value: &str) -> Option<i64> {
    let value = value.trim();
    let bytes = value.as_bytes();
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = bytes.get(range)?;
        if !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(digits).ok()?.parse().ok()
    };
    let year = number(0..4)?;
    if bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
        return None;
    }
    let (month, day) = (number(5..7)?, number(8..10)?);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let mut seconds = days_from_civil(year, month, day) * 86_400;
    if matches!(bytes.get(10), Some(b'T' | b' ')) {
        if let (Some(hour), Some(minute)) = (number(11..13), number(14..16)) {
            seconds += hour * 3600 + minute * 60 + number(17..19).unwrap_or(0);
            // A zone offset after the seconds (fractions skipped): +03:00 or -0500; Z is UTC.
            let rest = &value[value.len().min(19)..];
            let rest = rest.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
            if let Some(sign) = rest.chars().next().filter(|c| *c == '+' || *c == '-') {
                let digits: String = rest[1..].chars().filter(char::is_ascii_digit).take(4).collect();
                if digits.len() == 4 {
                    let offset = digits[..2].parse::<i64>().ok()? * 3600 + digits[2..].parse::<i64>().ok()? * 60;
                    seconds -= if sign == '+' { offset } else { -offset };
                }
            }
        }
    }
    Some(seconds)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn year_of(seconds: i64) -> u64 {
    let (year, _, _) = dossier_document::civil_from_days(seconds.div_euclid(86_400));
    u64::try_from(year).unwrap_or(0)
}

/// The lower-cased extension of a file name (`letter.PDF` → `pdf`); none for names without one.
fn extension(name: &str) -> Option<String> {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let (stem, ext) = file.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty() && ext.len() <= 10 && ext.chars().all(char::is_alphanumeric))
        .then(|| ext.to_lowercase())
}

/// The domain of the first e-mail address in a header value (`"Ivanov" <i.ivanov@minoborony.example>`).
fn email_domain(value: &str) -> Option<String> {
    let at = value.find('@')?;
    let domain: String = value[at + 1..]
        .chars()
        .take_while(|c| c.is_alphanumeric() || matches!(c, '.' | '-'))
        .collect::<String>()
        .trim_end_matches('.')
        .to_lowercase();
    domain.contains('.').then_some(domain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_iso_forms() {
        assert_eq!(parse_date("1970-01-02"), Some(86_400));
        assert_eq!(parse_date("2024-03-12T10:30:00Z"), Some(days_from_civil(2024, 3, 12) * 86_400 + 37_800));
        assert_eq!(parse_date("2024-03-12T10:30:00+03:00"), Some(days_from_civil(2024, 3, 12) * 86_400 + 27_000));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("12.03.2024"), None);
        assert_eq!(parse_date(""), None);
    }

    #[test]
    fn names_and_addresses() {
        assert_eq!(extension("a/b/Letter.PDF").as_deref(), Some("pdf"));
        assert_eq!(extension(".bashrc"), None);
        assert_eq!(extension("README"), None);
        assert_eq!(email_domain("\"Иванов\" <ivanov@Mil.Example.org>").as_deref(), Some("mil.example.org"));
        assert_eq!(email_domain("nobody"), None);
    }

    #[test]
    fn title_falls_back_to_subject_then_name() {
        let metadata = serde_json::json!({"subject": "О наборе", "from": "a@b.example", "date": "2024-03-12"});
        let doc = IndexDoc {
            id: 1,
            parent_id: None,
            collection: "leak",
            path: "/x/mail.eml",
            name: "/x/mail.eml",
            state: "ok",
            format: Some("eml"),
            metadata: &metadata,
            text: "",
            entities: &[],
        };
        let derived = derive(&doc);
        assert_eq!(derived.title, "О наборе");
        assert_eq!(derived.year, Some(2024));
        assert_eq!(derived.sender_domain.as_deref(), Some("b.example"));
        let empty = serde_json::json!({});
        assert_eq!(derive(&IndexDoc { metadata: &empty, ..doc }).title, "mail.eml");
    }
}
