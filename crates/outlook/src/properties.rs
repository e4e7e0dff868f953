//! MAPI properties of one object (message, recipient, attachment) in an Outlook MSG compound file.
//!
//! Variable-size values live in streams named `__substg1.0_IIIITTTT` (property id, property type, in hex); fixed-size
//! values live in the 16-byte entries of the object's `__properties_version1.0` stream, after a header whose size
//! depends on the object (32 bytes for the top-level message, 8 for recipients and attachments; an embedded
//! message's 24-byte header is widened when it is copied out, so this reader only ever meets top-level messages). Every stream read here is bounded: a hostile file cannot make us hold more than the caller allows.

use std::collections::BTreeMap;
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};

use cfb::CompoundFile;

pub const PT_LONG: u16 = 0x0003;
pub const PT_STRING8: u16 = 0x001E;
pub const PT_UNICODE: u16 = 0x001F;
pub const PT_SYSTIME: u16 = 0x0040;
pub const PT_BINARY: u16 = 0x0102;

pub const PROPERTIES_STREAM: &str = "__properties_version1.0";

/// Which kind of object a property stream belongs to, which fixes its header size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectKind {
    TopMessage,
    RecipientOrAttachment,
}

impl ObjectKind {
    fn header_size(self) -> usize {
        match self {
            ObjectKind::TopMessage => 32,
            ObjectKind::RecipientOrAttachment => 8,
        }
    }
}

/// The properties of one object: which variable-size streams exist, and the fixed-size values.
#[derive(Debug, Default)]
pub struct Properties {
    /// The storage holding the object.
    pub storage: PathBuf,
    /// Property id → (type, stream path) for `__substg1.0_` streams and storages.
    pub streams: BTreeMap<u16, Vec<(u16, PathBuf, bool)>>,
    /// Property id → (type, 8 value bytes) from the fixed-size property stream.
    pub fixed: BTreeMap<u16, (u16, [u8; 8])>,
    /// Sub-storages of the object (recipients, attachments), by name.
    pub substorages: Vec<String>,
}

impl Properties {
    /// Lists the object stored at `storage`; damage to the fixed-size stream is reported in `problems`.
    pub fn load<F: Read + Seek>(
        file: &mut CompoundFile<F>,
        storage: &Path,
        kind: ObjectKind,
        problems: &mut Vec<String>,
    ) -> std::io::Result<Properties> {
        let mut properties = Properties { storage: storage.to_path_buf(), ..Properties::default() };
        let entries: Vec<(String, bool)> =
            file.read_storage(storage)?.map(|entry| (entry.name().to_string(), entry.is_stream())).collect();
        let mut has_fixed_stream = false;
        for (name, is_stream) in entries {
            if let Some(tag) = name.strip_prefix("__substg1.0_") {
                if let Some((id, property_type)) = parse_tag(tag) {
                    properties.streams.entry(id).or_default().push((property_type, storage.join(&name), is_stream));
                }
            } else if name == PROPERTIES_STREAM && is_stream {
                has_fixed_stream = true;
            } else if !is_stream {
                properties.substorages.push(name);
            }
        }
        if has_fixed_stream {
            // 16 bytes per property; a real object has a few hundred at most.
            match read_bounded(file, &storage.join(PROPERTIES_STREAM), 1 << 20) {
                Ok(bytes) => properties.parse_fixed(&bytes, kind, problems),
                Err(err) => problems.push(format!("property stream of {} unreadable: {err}", display(storage))),
            }
        }
        Ok(properties)
    }

    fn parse_fixed(&mut self, bytes: &[u8], kind: ObjectKind, problems: &mut Vec<String>) {
        let header = kind.header_size();
        let Some(entries) = bytes.get(header..) else {
            problems.push(format!("property stream of {} is shorter than its header", display(&self.storage)));
            return;
        };
        if entries.len() % 16 != 0 {
            problems.push(format!("property stream of {} ends inside an entry", display(&self.storage)));
        }
        for entry in entries.chunks_exact(16) {
            let property_type = u16::from_le_bytes([entry[0], entry[1]]);
            let id = u16::from_le_bytes([entry[2], entry[3]]);
            let mut value = [0u8; 8];
            value.copy_from_slice(&entry[8..16]);
            self.fixed.insert(id, (property_type, value));
        }
    }

    pub fn long(&self, id: u16) -> Option<u32> {
        match self.fixed.get(&id) {
            Some((PT_LONG, value)) => Some(u32::from_le_bytes([value[0], value[1], value[2], value[3]])),
            _ => None,
        }
    }

    pub fn time(&self, id: u16) -> Option<u64> {
        match self.fixed.get(&id) {
            Some((PT_SYSTIME, value)) => Some(u64::from_le_bytes(*value)).filter(|&t| t != 0),
            _ => None,
        }
    }

    /// The stream holding property `id` with one of the given types, preferring the earlier types.
    pub fn stream_of(&self, id: u16, types: &[u16]) -> Option<(u16, &Path)> {
        let candidates = self.streams.get(&id)?;
        types.iter().find_map(|&wanted| {
            candidates
                .iter()
                .find(|(property_type, _, is_stream)| *property_type == wanted && *is_stream)
                .map(|(property_type, path, _)| (*property_type, path.as_path()))
        })
    }

    /// A storage (not stream) holding property `id`, such as an embedded message's PR_ATTACH_DATA_OBJ.
    pub fn storage_of(&self, id: u16) -> Option<&Path> {
        self.streams.get(&id)?.iter().find(|(_, _, is_stream)| !is_stream).map(|(_, path, _)| path.as_path())
    }
}

/// A property's text: UTF-16LE for PT_UNICODE, the message codepage for PT_STRING8.
pub fn read_string<F: Read + Seek>(
    file: &mut CompoundFile<F>,
    properties: &Properties,
    id: u16,
    codepage: &Codepage,
    max_bytes: u64,
) -> Option<String> {
    let (property_type, path) = properties.stream_of(id, &[PT_UNICODE, PT_STRING8])?;
    let bytes = read_bounded(file, path, max_bytes).ok()?;
    let text = match property_type {
        PT_UNICODE => decode_utf16le(&bytes),
        _ => codepage.decode(&bytes),
    };
    let text = text.trim_end_matches('\0').to_string();
    (!text.trim().is_empty()).then_some(text)
}

pub fn decode_utf16le(bytes: &[u8]) -> String {
    let units = bytes.chunks_exact(2).map(|pair| u16::from_le_bytes([pair[0], pair[1]]));
    char::decode_utf16(units).map(|unit| unit.unwrap_or(char::REPLACEMENT_CHARACTER)).collect()
}

/// Reads at most `max_bytes` of a stream; longer streams are an error rather than a silent cut.
pub fn read_bounded<F: Read + Seek>(
    file: &mut CompoundFile<F>,
    path: &Path,
    max_bytes: u64,
) -> std::io::Result<Vec<u8>> {
    let stream = file.open_stream(path)?;
    let len = stream.len();
    if len > max_bytes {
        return Err(std::io::Error::other(format!("stream of {len} bytes exceeds the {max_bytes}-byte limit")));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    stream.take(max_bytes).read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn parse_tag(tag: &str) -> Option<(u16, u16)> {
    // "0037001F", sometimes followed by "-00000000" for multi-valued entries, which we do not need.
    let tag = tag.get(..8)?;
    // The name comes from the file: eight bytes need not be eight ASCII characters, so it is split with `get`.
    let id = u16::from_str_radix(tag.get(..4)?, 16).ok()?;
    let property_type = u16::from_str_radix(tag.get(4..)?, 16).ok()?;
    Some((id, property_type))
}

pub fn display(path: &Path) -> String {
    let shown = path.to_string_lossy();
    if shown.is_empty() || shown == "/" { "the message".to_string() } else { shown.into_owned() }
}

/// The charset of a message's 8-bit strings, from its codepage properties.
#[derive(Debug, Clone)]
pub struct Codepage {
    pub label: Option<&'static str>,
}

impl Codepage {
    pub fn from_properties(properties: &Properties) -> Codepage {
        // PR_MESSAGE_CODEPAGE first (what Outlook used for PT_STRING8), then PR_INTERNET_CPID.
        for id in [0x3FFD, 0x3FDE] {
            if let Some(number) = properties.long(id)
                && let Some(label) = codepage_label(number)
            {
                return Codepage { label: Some(label) };
            }
        }
        Codepage { label: None }
    }

    /// Decodes PT_STRING8 bytes. A declared codepage is trusted; without one, the shared detector decides, with
    /// windows-1252 as the declaration it may overrule (Russian items written without a codepage are common).
    pub fn decode(&self, bytes: &[u8]) -> String {
        match self.label.and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes())) {
            Some(encoding) => encoding.decode_without_bom_handling(bytes).0.into_owned(),
            None => dossier_text::decode(bytes, Some("windows-1252")).text,
        }
    }
}

/// The WHATWG label of a Windows codepage number, for the codepages Outlook writes.
pub fn codepage_label(codepage: u32) -> Option<&'static str> {
    Some(match codepage {
        437 | 850 | 1252 | 20127 | 28591 => "windows-1252",
        866 => "ibm866",
        874 => "windows-874",
        932 => "shift_jis",
        936 => "gbk",
        949 => "euc-kr",
        950 => "big5",
        1200 => "utf-16le",
        1201 => "utf-16be",
        1250 => "windows-1250",
        1251 => "windows-1251",
        1253 => "windows-1253",
        1254 => "windows-1254",
        1255 => "windows-1255",
        1256 => "windows-1256",
        1257 => "windows-1257",
        1258 => "windows-1258",
        10000 => "macintosh",
        10007 => "x-mac-cyrillic",
        20866 => "koi8-r",
        21866 => "koi8-u",
        28592 => "iso-8859-2",
        28593 => "iso-8859-3",
        28594 => "iso-8859-4",
        28595 => "iso-8859-5",
        28596 => "iso-8859-6",
        28597 => "iso-8859-7",
        28598 => "iso-8859-8",
        28599 => "windows-1254",
        28603 => "iso-8859-13",
        28605 => "iso-8859-15",
        50220..=50222 => "iso-2022-jp",
        51932 => "euc-jp",
        51936 => "gbk",
        51949 => "euc-kr",
        52936 => "gbk",
        54936 => "gb18030",
        65001 => "utf-8",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_parse_id_and_type() {
        assert_eq!(parse_tag("0037001F"), Some((0x0037, PT_UNICODE)));
        assert_eq!(parse_tag("10090102"), Some((0x1009, PT_BINARY)));
        assert_eq!(parse_tag("0037"), None);
        assert_eq!(parse_tag("XYZW001F"), None);
    }

    /// A stream named "0E0\u{834}00" (eight bytes, the fourth inside a character) panicked in the split, which
    /// failed the whole message. Found by the fuzz target `msg`.
    #[test]
    fn a_stream_name_with_a_character_across_the_split_is_not_a_tag() {
        assert_eq!(parse_tag("0E0\u{834}00"), None);
        assert_eq!(parse_tag("0037\u{834}1F"), None);
    }

    #[test]
    fn cp1251_strings_decode() {
        let codepage = Codepage { label: codepage_label(1251) };
        assert_eq!(codepage.decode(b"\xcf\xf0\xe8\xe2\xe5\xf2"), "Привет");
    }

    #[test]
    fn odd_utf16_bytes_do_not_panic() {
        assert_eq!(decode_utf16le(b"a\0b"), "a");
        assert_eq!(decode_utf16le(&[0x00, 0xD8]), "\u{FFFD}");
    }
}
