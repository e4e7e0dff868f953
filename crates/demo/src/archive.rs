//! The leaked archive: a ZIP holding a memo, the spreadsheet, and a nested ZIP made the way Russian Windows
//! archivers made them for years: member names in the DOS code page cp866, without the UTF-8 flag.
//!
//! The outer archive goes through the `zip` crate. The nested one is written by hand below, because the `zip`
//! crate takes member names as Rust strings and always flags non-ASCII names as UTF-8; writing cp866 bytes with the
//! flag clear is exactly the legacy behaviour this file exists to reproduce.

use crate::GeneratedFile;
use crate::error::DemoError;
use crate::letters::{self, Letter};
use crate::mail::encode_strictly;
use crate::ooxml::{self, Compression};
use crate::timestamp::Timestamp;

/// A text file inside the legacy archive; its content is written in windows-1251 with CRLF line ends.
#[derive(Debug, Clone, Copy)]
pub struct LegacyMember {
    pub name: &'static str,
    pub text: &'static str,
}

#[derive(Debug, Clone, Copy)]
pub struct LegacyArchive {
    /// The nested archive's name inside the outer one.
    pub name: &'static str,
    /// A folder entry all members live in, written as its own entry as Windows archivers do.
    pub folder: &'static str,
    pub members: &'static [LegacyMember],
    pub entry_time: Timestamp,
}

#[derive(Debug, Clone, Copy)]
pub struct Archive {
    pub relative_path: &'static str,
    /// A letter that exists only inside this archive, and its member name.
    pub letter_member: (&'static str, &'static Letter),
    /// Files of the collection copied in byte for byte, as (member name, collection path).
    pub copied_members: &'static [(&'static str, &'static str)],
    pub nested: LegacyArchive,
    pub entry_time: Timestamp,
}

/// Renders the outer archive, taking copied members from the files generated before it.
pub fn render_zip(archive: &Archive, collection: &[GeneratedFile]) -> Result<Vec<u8>, DemoError> {
    let (letter_name, letter) = archive.letter_member;
    let letter_bytes = letters::render_docx(letter)?;
    let nested_bytes = render_legacy_zip(&archive.nested)?;

    let mut entries: Vec<(&str, &[u8], Compression)> = vec![(letter_name, &letter_bytes, Compression::Deflated)];
    for (member_name, collection_path) in archive.copied_members {
        let bytes = collection
            .iter()
            .find(|file| file.relative_path == *collection_path)
            .map(|file| file.bytes.as_slice())
            .ok_or_else(|| DemoError::MissingSource {
                name: archive.relative_path.to_owned(),
                source_path: (*collection_path).to_owned(),
            })?;
        entries.push((member_name, bytes, Compression::Deflated));
    }
    // Compressing a zip again gains nothing; archivers store it.
    entries.push((archive.nested.name, &nested_bytes, Compression::Stored));
    ooxml::write_zip(archive.relative_path, &entries, archive.entry_time)
}

/// Writes a stored (uncompressed) zip whose names are cp866 bytes with general-purpose flag bit 11 clear and
/// "made by" MS-DOS, which tells readers to decode the names with the OEM code page.
fn render_legacy_zip(archive: &LegacyArchive) -> Result<Vec<u8>, DemoError> {
    let (dos_date, dos_time) = archive.entry_time.dos_date_time_words();
    let mut entries: Vec<(Vec<u8>, Vec<u8>, u32)> = Vec::new();
    let folder_name = encode_strictly(archive.folder, encoding_rs::IBM866, archive.name)?;
    entries.push((folder_name, Vec::new(), MSDOS_ATTRIBUTE_DIRECTORY));
    for member in archive.members {
        let full_name = format!("{}{}", archive.folder, member.name);
        let name = encode_strictly(&full_name, encoding_rs::IBM866, archive.name)?;
        let content = encode_strictly(&member.text.replace('\n', "\r\n"), encoding_rs::WINDOWS_1251, member.name)?;
        entries.push((name, content, MSDOS_ATTRIBUTE_ARCHIVE));
    }

    let mut output = Vec::new();
    let mut central_directory = Vec::new();
    for (name, content, external_attributes) in &entries {
        let local_header_offset = output.len();
        let crc = crc32fast::hash(content);
        let name_length = u16_field(name.len(), archive.name)?;
        let size = u32_field(content.len(), archive.name)?;

        put_u32(&mut output, 0x0403_4b50);
        put_u16(&mut output, 10); // version needed: 1.0, stored
        put_u16(&mut output, 0); // flags: no UTF-8, no data descriptor
        put_u16(&mut output, 0); // method: stored
        put_u16(&mut output, dos_time);
        put_u16(&mut output, dos_date);
        put_u32(&mut output, crc);
        put_u32(&mut output, size);
        put_u32(&mut output, size);
        put_u16(&mut output, name_length);
        put_u16(&mut output, 0); // extra field length
        output.extend_from_slice(name);
        output.extend_from_slice(content);

        put_u32(&mut central_directory, 0x0201_4b50);
        put_u16(&mut central_directory, 20); // made by: MS-DOS (0), spec 2.0
        put_u16(&mut central_directory, 10);
        put_u16(&mut central_directory, 0);
        put_u16(&mut central_directory, 0);
        put_u16(&mut central_directory, dos_time);
        put_u16(&mut central_directory, dos_date);
        put_u32(&mut central_directory, crc);
        put_u32(&mut central_directory, size);
        put_u32(&mut central_directory, size);
        put_u16(&mut central_directory, name_length);
        put_u16(&mut central_directory, 0); // extra field length
        put_u16(&mut central_directory, 0); // comment length
        put_u16(&mut central_directory, 0); // disk number
        put_u16(&mut central_directory, 0); // internal attributes
        put_u32(&mut central_directory, *external_attributes);
        put_u32(&mut central_directory, u32_field(local_header_offset, archive.name)?);
        central_directory.extend_from_slice(name);
    }
    let central_directory_offset = u32_field(output.len(), archive.name)?;
    let central_directory_size = u32_field(central_directory.len(), archive.name)?;
    let n_entries = u16_field(entries.len(), archive.name)?;
    output.extend_from_slice(&central_directory);
    put_u32(&mut output, 0x0605_4b50);
    put_u16(&mut output, 0); // this disk
    put_u16(&mut output, 0); // disk with the central directory
    put_u16(&mut output, n_entries);
    put_u16(&mut output, n_entries);
    put_u32(&mut output, central_directory_size);
    put_u32(&mut output, central_directory_offset);
    put_u16(&mut output, 0); // comment length
    Ok(output)
}

const MSDOS_ATTRIBUTE_DIRECTORY: u32 = 0x10;
const MSDOS_ATTRIBUTE_ARCHIVE: u32 = 0x20;

fn put_u16(output: &mut Vec<u8>, value: u16) {
    output.extend_from_slice(&value.to_le_bytes());
}

fn put_u32(output: &mut Vec<u8>, value: u32) {
    output.extend_from_slice(&value.to_le_bytes());
}

fn u16_field(value: usize, name: &str) -> Result<u16, DemoError> {
    u16::try_from(value).map_err(|_| too_large(name))
}

fn u32_field(value: usize, name: &str) -> Result<u32, DemoError> {
    u32::try_from(value).map_err(|_| too_large(name))
}

/// The story's archive is tiny; this only guards the arithmetic should someone grow it past classic zip limits.
fn too_large(name: &str) -> DemoError {
    DemoError::Zip {
        name: name.to_owned(),
        source: zip::result::ZipError::InvalidArchive("too large for zip32".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MEMBERS: &[LegacyMember] = &[LegacyMember { name: "Смета.txt", text: "строка\nещё" }];
    const TEST_ARCHIVE: LegacyArchive = LegacyArchive {
        name: "test.zip",
        folder: "ПАПКА/",
        members: MEMBERS,
        entry_time: Timestamp::new(2021, 6, 1, 12, 0, 0),
    };

    #[test]
    fn legacy_names_are_cp866_without_utf8_flag() {
        let bytes = render_legacy_zip(&TEST_ARCHIVE).expect("small archive");
        // "Смета" in cp866 is 91 AC A5 E2 A0; in UTF-8 it would start with D0.
        let cp866_name = [0x91_u8, 0xAC, 0xA5, 0xE2, 0xA0];
        assert!(bytes.windows(cp866_name.len()).any(|window| window == cp866_name));
        assert!(!bytes.windows(2).any(|window| window == [0xD0, 0xA1]));
        // Flags of the first local header (offset 6) have bit 11 clear.
        assert_eq!(u16::from_le_bytes([bytes[6], bytes[7]]) & 0x0800, 0);
    }

    #[test]
    fn legacy_zip_is_readable_by_the_zip_crate() {
        let bytes = render_legacy_zip(&TEST_ARCHIVE).expect("small archive");
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("valid zip");
        assert_eq!(archive.len(), 2);
        let mut member = archive.by_index(1).expect("member");
        let mut content = Vec::new();
        std::io::Read::read_to_end(&mut member, &mut content).expect("stored data");
        assert_eq!(encoding_rs::WINDOWS_1251.decode_without_bom_handling(&content).0, "строка\r\nещё");
    }
}
