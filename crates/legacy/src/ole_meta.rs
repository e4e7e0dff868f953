//! The OLE property sets every legacy Office file carries: `\u{5}SummaryInformation` (title, author, dates,
//! counts) and `\u{5}DocumentSummaryInformation` (company, manager, category), as shared metadata keys.

use std::io::{Read, Seek};

use dossier_document::Metadata;

use crate::codepage::{decode_8bit, decode_utf16le, encoding_for_codepage};
use crate::compound::{u16_at, u32_at, u64_at};
use crate::dates::filetime_to_iso;

/// Property sets are a few kilobytes; anything bigger is not worth reading for metadata.
const MAX_PROPERTY_STREAM_BYTES: u64 = 1 << 20;
/// More properties than any writer produces: bounds the work on a hostile count.
const MAX_PROPERTIES: usize = 1024;

const VT_I2: u32 = 2;
const VT_I4: u32 = 3;
const VT_BOOL: u32 = 11;
const VT_UI4: u32 = 19;
const VT_LPSTR: u32 = 30;
const VT_LPWSTR: u32 = 31;
const VT_FILETIME: u32 = 64;

/// Which property set a stream holds: the property ids mean different things in each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PropertySetKind {
    Summary,
    DocumentSummary,
}

/// The metadata in a compound file's two summary property sets. Missing or damaged sets give no keys (metadata is
/// a bonus: its absence never makes a document fail).
pub fn ole_summary_metadata<F: Read + Seek>(compound: &mut cfb::CompoundFile<F>) -> Metadata {
    let mut metadata = Metadata::default();
    for (path, kind) in [
        ("/\u{5}SummaryInformation", PropertySetKind::Summary),
        ("/\u{5}DocumentSummaryInformation", PropertySetKind::DocumentSummary),
    ] {
        if !compound.is_stream(path) {
            continue;
        }
        let Ok(stream) = compound.open_stream(path) else { continue };
        let mut bytes = Vec::new();
        if stream.take(MAX_PROPERTY_STREAM_BYTES).read_to_end(&mut bytes).is_err() {
            continue;
        }
        property_set_metadata(&bytes, kind, &mut metadata);
    }
    metadata
}

/// A property value we know how to show.
enum Value {
    Int(i64),
    Text(String),
    Time(u64),
}

/// Adds the properties of one property-set stream to `metadata`. Only the first property set of the stream is read
/// (the second one of DocumentSummaryInformation holds user-defined properties, with names in a dictionary).
pub fn property_set_metadata(stream: &[u8], kind: PropertySetKind, metadata: &mut Metadata) {
    // Stream header: byte order, version, system id, CLSID (16), number of sets, then FMTID (16) + offset per set.
    if u16_at(stream, 0) != Some(0xFFFE) {
        return;
    }
    let Some(set_offset) = u32_at(stream, 44) else { return };
    let set_offset = set_offset as usize;
    let Some(set_size) = u32_at(stream, set_offset) else { return };
    let set_end = set_offset.saturating_add(set_size as usize).min(stream.len());
    let Some(set) = stream.get(set_offset..set_end) else { return };
    let count = u32_at(set, 4).unwrap_or(0) as usize;
    let entries: Vec<(u32, usize)> = (0..count.min(MAX_PROPERTIES))
        .map_while(|index| {
            let id = u32_at(set, 8 + index * 8)?;
            let offset = u32_at(set, 12 + index * 8)? as usize;
            Some((id, offset))
        })
        .collect();
    // The codepage (property 1) decides how every 8-bit string in the set is decoded.
    let codepage =
        entries.iter().find(|(id, _)| *id == 1).and_then(|(_, offset)| match read_value(set, *offset, None) {
            Some(Value::Int(codepage)) => Some(codepage as u16),
            _ => None,
        });
    for (id, offset) in entries {
        let Some(value) = read_value(set, offset, codepage) else { continue };
        apply(kind, id, value, metadata);
    }
}

fn read_value(set: &[u8], offset: usize, codepage: Option<u16>) -> Option<Value> {
    let value_type = u32_at(set, offset)? & 0xFFFF;
    let data = offset + 4;
    match value_type {
        VT_I2 => Some(Value::Int(i64::from(u16_at(set, data)? as i16))),
        VT_I4 => Some(Value::Int(i64::from(u32_at(set, data)? as i32))),
        VT_UI4 => Some(Value::Int(i64::from(u32_at(set, data)?))),
        VT_BOOL => Some(Value::Int(i64::from(u16_at(set, data)? != 0))),
        VT_LPSTR => {
            let len = u32_at(set, data)? as usize;
            let bytes = set.get(data + 4..(data + 4).checked_add(len)?.min(set.len()))?;
            // Codepage 1200 marks a set whose "8-bit" strings are in fact UTF-16LE.
            if codepage == Some(1200) {
                let text = decode_utf16le(bytes);
                return Some(Value::Text(text.trim_end_matches('\0').to_string()));
            }
            let encoding = codepage.and_then(encoding_for_codepage).unwrap_or(encoding_rs::WINDOWS_1252);
            Some(Value::Text(decode_8bit(bytes, encoding)))
        }
        VT_LPWSTR => {
            let chars = u32_at(set, data)? as usize;
            let end = (data + 4).checked_add(chars.checked_mul(2)?)?.min(set.len());
            let text = decode_utf16le(set.get(data + 4..end)?);
            Some(Value::Text(text.split('\0').next().unwrap_or("").to_string()))
        }
        VT_FILETIME => Some(Value::Time(u64_at(set, data)?)),
        _ => None,
    }
}

fn apply(kind: PropertySetKind, id: u32, value: Value, metadata: &mut Metadata) {
    match (kind, id, value) {
        (PropertySetKind::Summary, 2, Value::Text(text)) => metadata.set("title", text),
        (PropertySetKind::Summary, 3, Value::Text(text)) => metadata.set("subject", text),
        (PropertySetKind::Summary, 4, Value::Text(text)) => metadata.set("author", text),
        (PropertySetKind::Summary, 5, Value::Text(text)) => {
            for keyword in text.split([';', ',']) {
                metadata.push("keywords", keyword);
            }
        }
        (PropertySetKind::Summary, 6, Value::Text(text)) => metadata.set("description", text),
        (PropertySetKind::Summary, 7, Value::Text(text)) => metadata.set("template", text),
        (PropertySetKind::Summary, 8, Value::Text(text)) => metadata.set("last_modified_by", text),
        (PropertySetKind::Summary, 9, Value::Text(text)) => metadata.set("revision", text),
        // Total edit time is a FILETIME used as a duration.
        (PropertySetKind::Summary, 10, Value::Time(ticks)) if ticks > 0 => {
            metadata.set("total_edit_time", (ticks / 600_000_000).to_string())
        }
        (PropertySetKind::Summary, 11, Value::Time(ticks)) => set_time(metadata, "last_printed", ticks),
        (PropertySetKind::Summary, 12, Value::Time(ticks)) => set_time(metadata, "created", ticks),
        (PropertySetKind::Summary, 13, Value::Time(ticks)) => set_time(metadata, "modified", ticks),
        (PropertySetKind::Summary, 14, Value::Int(count)) if count > 0 => metadata.set("pages", count.to_string()),
        (PropertySetKind::Summary, 15, Value::Int(count)) if count > 0 => metadata.set("words", count.to_string()),
        (PropertySetKind::Summary, 16, Value::Int(count)) if count > 0 => metadata.set("characters", count.to_string()),
        (PropertySetKind::Summary, 18, Value::Text(text)) => metadata.set("application", text),
        (PropertySetKind::Summary, 19, Value::Int(security)) if security > 0 => {
            metadata.set("security", security_name(security))
        }
        (PropertySetKind::DocumentSummary, 2, Value::Text(text)) => metadata.set("category", text),
        (PropertySetKind::DocumentSummary, 14, Value::Text(text)) => metadata.set("manager", text),
        (PropertySetKind::DocumentSummary, 15, Value::Text(text)) => metadata.set("company", text),
        _ => {}
    }
}

fn set_time(metadata: &mut Metadata, key: &str, ticks: u64) {
    if let Some(iso) = filetime_to_iso(ticks) {
        metadata.set(key, iso);
    }
}

/// The security property is a bit set.
fn security_name(security: i64) -> String {
    let mut names = Vec::new();
    for (bit, name) in [
        (1, "password protected"),
        (2, "read-only recommended"),
        (4, "read-only enforced"),
        (8, "locked for annotations"),
    ] {
        if security & bit != 0 {
            names.push(name);
        }
    }
    if names.is_empty() { security.to_string() } else { names.join(", ") }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a one-set property stream from (id, type, value bytes).
    fn property_stream(properties: &[(u32, u32, Vec<u8>)]) -> Vec<u8> {
        let mut set = Vec::new();
        let header_len = 8 + properties.len() * 8;
        let mut values = Vec::new();
        let mut index = Vec::new();
        for (id, value_type, bytes) in properties {
            index.extend_from_slice(&id.to_le_bytes());
            index.extend_from_slice(&((header_len + values.len()) as u32).to_le_bytes());
            values.extend_from_slice(&value_type.to_le_bytes());
            values.extend_from_slice(bytes);
            while values.len() % 4 != 0 {
                values.push(0);
            }
        }
        set.extend_from_slice(&((header_len + values.len()) as u32).to_le_bytes());
        set.extend_from_slice(&(properties.len() as u32).to_le_bytes());
        set.extend_from_slice(&index);
        set.extend_from_slice(&values);
        let mut stream = vec![0xFE, 0xFF, 0, 0, 0, 0, 0, 0];
        stream.extend_from_slice(&[0; 16]);
        stream.extend_from_slice(&1u32.to_le_bytes());
        stream.extend_from_slice(&[0; 16]);
        stream.extend_from_slice(&48u32.to_le_bytes());
        stream.extend_from_slice(&set);
        stream
    }

    fn lpstr(bytes: &[u8]) -> Vec<u8> {
        let mut value = ((bytes.len() + 1) as u32).to_le_bytes().to_vec();
        value.extend_from_slice(bytes);
        value.push(0);
        value
    }

    #[test]
    fn cp1251_strings_follow_the_codepage_property() {
        let stream = property_stream(&[
            (1, VT_I2, 1251u16.to_le_bytes().to_vec()),
            (2, VT_LPSTR, lpstr(b"\xce\xf2\xf7\xe5\xf2")),
            (4, VT_LPSTR, lpstr(b"\xc8\xe2\xe0\xed\xee\xe2")),
            (10, VT_FILETIME, (90u64 * 600_000_000).to_le_bytes().to_vec()),
            (14, VT_I4, 3u32.to_le_bytes().to_vec()),
        ]);
        let mut metadata = Metadata::default();
        property_set_metadata(&stream, PropertySetKind::Summary, &mut metadata);
        assert_eq!(metadata.get_str("title").as_deref(), Some("Отчет"));
        assert_eq!(metadata.get_str("author").as_deref(), Some("Иванов"));
        assert_eq!(metadata.get_str("total_edit_time").as_deref(), Some("90"));
        assert_eq!(metadata.get_str("pages").as_deref(), Some("3"));
    }

    #[test]
    fn hostile_offsets_and_counts_give_nothing_rather_than_panicking() {
        let mut stream = property_stream(&[(2, VT_LPSTR, lpstr(b"Title"))]);
        let mut metadata = Metadata::default();
        property_set_metadata(&stream, PropertySetKind::Summary, &mut metadata);
        assert_eq!(metadata.get_str("title").as_deref(), Some("Title"));
        // A string length far past the end, a huge property count, a set offset past the end.
        let string_len_at = 48 + 16 + 4;
        stream[string_len_at..string_len_at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        stream[52..56].copy_from_slice(&u32::MAX.to_le_bytes());
        let mut metadata = Metadata::default();
        property_set_metadata(&stream, PropertySetKind::Summary, &mut metadata);
        for cut in 0..stream.len() {
            property_set_metadata(&stream[..cut], PropertySetKind::Summary, &mut metadata);
        }
        stream[44..48].copy_from_slice(&u32::MAX.to_le_bytes());
        property_set_metadata(&stream, PropertySetKind::DocumentSummary, &mut metadata);
    }
}
