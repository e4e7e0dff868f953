//! Embedded objects: the OLE 1.0 wrapper that RTF's `\objdata` holds ([MS-OLEDS] 2.2.4 and 2.3.6).
//!
//! `\objdata` is an OLE1 `ObjectHeader` (version, format, class name, topic, item) followed by the native data: for
//! most classes an OLE2 compound file (a Word or Excel document), for the `Package` class a packaged file with its
//! original name. We unwrap it so that the embedded file is handed on as itself, named as well as we can.

/// An embedded file recovered from `\objdata`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbeddedObject {
    /// The OLE class ("Excel.Sheet.8", "Package"), if the header could be read.
    pub class_name: Option<String>,
    /// The packaged file's own name, for `Package` objects.
    pub file_name: Option<String>,
    pub content: Vec<u8>,
}

/// Unwraps one `\objdata` payload. Data that is not an embedded OLE1 object is returned as it is.
pub fn unwrap_object(data: Vec<u8>) -> EmbeddedObject {
    match read_header(&data) {
        Some((class_name, native)) => {
            if class_name.eq_ignore_ascii_case("Package")
                && let Some((file_name, content)) = read_package(native)
            {
                return EmbeddedObject { class_name: Some(class_name), file_name: Some(file_name), content };
            }
            EmbeddedObject { class_name: Some(class_name), file_name: None, content: native.to_vec() }
        }
        None => EmbeddedObject { class_name: None, file_name: None, content: data },
    }
}

struct Cursor<'a> {
    data: &'a [u8],
    pos: usize,
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
        Some(ansi(bytes))
    }

    fn nul_terminated(&mut self) -> Option<String> {
        let rest = self.data.get(self.pos..)?;
        let length = rest.iter().position(|b| *b == 0)?;
        self.pos += length + 1;
        Some(ansi(&rest[..length]))
    }
}

fn ansi(bytes: &[u8]) -> String {
    let bytes = bytes.split(|b| *b == 0).next().unwrap_or(&[]);
    encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned()
}

/// The class name and native data of an embedded (not linked) OLE1 object.
fn read_header(data: &[u8]) -> Option<(String, &[u8])> {
    let mut cursor = Cursor { data, pos: 0 };
    let _ole_version = cursor.u32()?;
    let format_id = cursor.u32()?;
    // 2 is an embedded object; 1 (linked) and 5 (presentation only) hold no file.
    if format_id != 2 {
        return None;
    }
    let class_name = cursor.prefixed_string()?;
    let _topic = cursor.prefixed_string()?;
    let _item = cursor.prefixed_string()?;
    let native_size = usize::try_from(cursor.u32()?).ok()?;
    let available = data.len() - cursor.pos;
    let native = cursor.take(native_size.min(available))?;
    Some((class_name, native))
}

/// The original file name and bytes of an OLE1 `Package` (a file dragged into a document).
fn read_package(native: &[u8]) -> Option<(String, Vec<u8>)> {
    let mut cursor = Cursor { data: native, pos: 0 };
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

    pub fn package_object(name: &str, content: &[u8]) -> Vec<u8> {
        let mut native = vec![2, 0];
        native.extend_from_slice(name.as_bytes());
        native.push(0);
        native.extend_from_slice(b"C:\\tmp\\");
        native.extend_from_slice(name.as_bytes());
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
        let object = unwrap_object(package_object("report.txt", b"hello"));
        assert_eq!(object.class_name.as_deref(), Some("Package"));
        assert_eq!(object.file_name.as_deref(), Some("report.txt"));
        assert_eq!(object.content, b"hello");
    }

    #[test]
    fn data_that_is_no_ole1_object_is_kept_whole() {
        let object = unwrap_object(b"\x01\x05\x00\x00garbage".to_vec());
        assert_eq!(object.class_name, None);
        assert_eq!(object.content, b"\x01\x05\x00\x00garbage");
    }
}
