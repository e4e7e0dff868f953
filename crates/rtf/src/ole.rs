//! Embedded objects: the OLE 1.0 wrapper that RTF's `\objdata` holds ([MS-OLEDS] 2.2.4 and 2.3.6).
//!
//! `\objdata` is an OLE1 `ObjectHeader` (version, format, class name, topic, item) followed by the native data: for
//! most classes an OLE2 compound file (a Word or Excel document), for the `Package` class a packaged file with its
//! original name. We unwrap it so that the embedded file is handed on as itself, named as well as we can.

use encoding_rs::Encoding;

/// An embedded file recovered from `\objdata`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbeddedObject {
    /// The OLE class ("Excel.Sheet.8", "Package"), if the header could be read.
    pub class_name: Option<String>,
    /// The packaged file's own name, for `Package` objects.
    pub file_name: Option<String>,
    pub content: Vec<u8>,
}

/// Unwraps one `\objdata` payload; names in it are decoded with `encoding`, the document's ANSI codepage. Data that is not an OLE1 object is returned as it is; a linked object (which
/// holds only the path of a file elsewhere, and whose content the RTF shows as a picture) gives `None`.
pub fn unwrap_object(data: Vec<u8>, encoding: &'static Encoding) -> Option<EmbeddedObject> {
    match read_header(&data, encoding) {
        Header::Embedded(class_name, native) => {
            if class_name.eq_ignore_ascii_case("Package")
                && let Some((file_name, content)) = read_package(native, encoding)
            {
                return Some(EmbeddedObject { class_name: Some(class_name), file_name: Some(file_name), content });
            }
            Some(EmbeddedObject { class_name: Some(class_name), file_name: None, content: native.to_vec() })
        }
        Header::WithoutFile => None,
        Header::NotOle1 => Some(EmbeddedObject { class_name: None, file_name: None, content: data }),
    }
}

/// What the OLE1 header of `\objdata` says.
enum Header<'a> {
    /// An embedded object: its class name and native data.
    Embedded(String, &'a [u8]),
    /// A linked or presentation-only object.
    WithoutFile,
    NotOle1,
}

struct Cursor<'a> {
    data: &'a [u8],
    pos: usize,
    encoding: &'static Encoding,
}

impl<'a> Cursor<'a> {
    fn u32(&mut self) -> Option<u32> {
        let bytes = self.take(4)?;
        Some(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
    }

    fn u16(&mut self) -> Option<u16> {
        let bytes = self.take(2)?;
        Some(u16::from_le_bytes([bytes[0], bytes[1]]))
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let bytes = self.data.get(self.pos..end)?;
        self.pos = end;
        Some(bytes)
    }

    /// A `LengthPrefixedAnsiString`: a 32-bit length that counts the terminating NUL.
    fn prefixed_string(&mut self) -> Option<String> {
        let length = usize::try_from(self.u32()?).ok()?;
        let bytes = self.take(length)?;
        Some(ansi(bytes, self.encoding))
    }

    fn nul_terminated(&mut self) -> Option<String> {
        let rest = self.data.get(self.pos..)?;
        let length = rest.iter().position(|b| *b == 0)?;
        self.pos += length + 1;
        Some(ansi(&rest[..length], self.encoding))
    }
}

fn ansi(bytes: &[u8], encoding: &'static Encoding) -> String {
    let bytes = bytes.split(|b| *b == 0).next().unwrap_or(&[]);
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

fn read_header<'a>(data: &'a [u8], encoding: &'static Encoding) -> Header<'a> {
    let mut cursor = Cursor { data, pos: 0, encoding };
    let (Some(_ole_version), Some(format_id)) = (cursor.u32(), cursor.u32()) else { return Header::NotOle1 };
    match format_id {
        2 => {}
        // 1 (linked) and 5 (presentation only) hold no file.
        1 | 5 => return Header::WithoutFile,
        _ => return Header::NotOle1,
    }
    match read_embedded(cursor) {
        Some((class_name, native)) => Header::Embedded(class_name, native),
        None => Header::NotOle1,
    }
}

/// The class name and native data that follow the header of an embedded OLE1 object.
fn read_embedded<'a>(mut cursor: Cursor<'a>) -> Option<(String, &'a [u8])> {
    let data = cursor.data;
    let class_name = cursor.prefixed_string()?;
    let _topic = cursor.prefixed_string()?;
    let _item = cursor.prefixed_string()?;
    let native_size = usize::try_from(cursor.u32()?).ok()?;
    let available = data.len() - cursor.pos;
    let native = cursor.take(native_size.min(available))?;
    Some((class_name, native))
}

/// The original file name and bytes of an OLE1 `Package` (a file dragged into a document).
fn read_package(native: &[u8], encoding: &'static Encoding) -> Option<(String, Vec<u8>)> {
    let mut cursor = Cursor { data: native, pos: 0, encoding };
    let _signature = cursor.u16()?;
    let label = cursor.nul_terminated()?;
    let original_path = cursor.nul_terminated()?;
    let _flags = cursor.u16()?;
    let _unknown = cursor.u16()?;
    let temp_path_length = usize::try_from(cursor.u32()?).ok()?;
    let _temp_path = cursor.take(temp_path_length)?;
    let data_length = usize::try_from(cursor.u32()?).ok()?;
    let content = cursor.take(data_length)?.to_vec();
    let name = if label.trim().is_empty() { original_path } else { label };
    Some((name, content))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefixed(s: &str) -> Vec<u8> {
        let mut out = ((s.len() + 1) as u32).to_le_bytes().to_vec();
        out.extend_from_slice(s.as_bytes());
        out.push(0);
        out
    }

    /// A `Package` object whose label and path hold `name`'s bytes as they are (an ANSI codepage's).
    pub fn package_object(name: &[u8], content: &[u8]) -> Vec<u8> {
        let mut native = vec![2, 0];
        native.extend_from_slice(name);
        native.push(0);
        native.extend_from_slice(b"C:\\tmp\\");
        native.extend_from_slice(name);
        native.push(0);
        native.extend_from_slice(&[0, 0, 3, 0]);
        native.extend_from_slice(&4u32.to_le_bytes());
        native.extend_from_slice(b"tmp\0");
        native.extend_from_slice(&(content.len() as u32).to_le_bytes());
        native.extend_from_slice(content);
        let mut data = 0x0501u32.to_le_bytes().to_vec();
        data.extend_from_slice(&2u32.to_le_bytes());
        data.extend(prefixed("Package"));
        data.extend(prefixed(""));
        data.extend(prefixed(""));
        data.extend_from_slice(&(native.len() as u32).to_le_bytes());
        data.extend(native);
        data
    }

    #[test]
    fn a_package_gives_the_file_and_its_name() {
        let object =
            unwrap_object(package_object(b"report.txt", b"hello"), encoding_rs::WINDOWS_1252).expect("embedded");
        assert_eq!(object.class_name.as_deref(), Some("Package"));
        assert_eq!(object.file_name.as_deref(), Some("report.txt"));
        assert_eq!(object.content, b"hello");
    }

    #[test]
    fn names_are_read_in_the_document_codepage() {
        let name = encoding_rs::WINDOWS_1251.encode("отчёт.txt").0.into_owned();
        let object = unwrap_object(package_object(&name, b"hello"), encoding_rs::WINDOWS_1251).expect("embedded");
        assert_eq!(object.file_name.as_deref(), Some("отчёт.txt"));
    }

    #[test]
    fn a_linked_object_holds_no_file() {
        let mut data = 0x0501u32.to_le_bytes().to_vec();
        data.extend_from_slice(&1u32.to_le_bytes());
        data.extend(prefixed("Word.Document.8"));
        assert_eq!(unwrap_object(data, encoding_rs::WINDOWS_1252), None);
    }

    #[test]
    fn data_that_is_no_ole1_object_is_kept_whole() {
        let object = unwrap_object(b"\x01\x05\x00\x00garbage".to_vec(), encoding_rs::WINDOWS_1252).expect("kept whole");
        assert_eq!(object.class_name, None);
        assert_eq!(object.content, b"\x01\x05\x00\x00garbage");
    }
}
