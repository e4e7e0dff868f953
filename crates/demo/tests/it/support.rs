//! Helpers shared by the integration tests: generating the collection, reading zip members and XML text.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use quick_xml::events::Event;

/// A freshly generated collection in its own temporary folder.
pub struct Collection {
    pub dir: tempfile::TempDir,
    pub paths: Vec<PathBuf>,
}

impl Collection {
    pub fn generate() -> Collection {
        let dir = tempfile::tempdir().expect("temporary folder");
        let paths = dossier_demo::write_demo_collection(dir.path()).expect("demo collection is written");
        Collection { dir, paths }
    }

    /// The `/`-separated path of a file relative to the collection root.
    pub fn relative(&self, path: &Path) -> String {
        let relative = path.strip_prefix(self.dir.path()).expect("written inside the folder");
        relative.components().map(|component| component.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
    }

    pub fn read(&self, relative_path: &str) -> Vec<u8> {
        std::fs::read(self.dir.path().join(relative_path)).expect("collection file exists")
    }

    pub fn with_extension(&self, extension: &str) -> Vec<PathBuf> {
        self.paths.iter().filter(|path| path.extension().is_some_and(|found| found == extension)).cloned().collect()
    }
}

/// One member of a zip archive as stored: raw name bytes, whether the UTF-8 flag is set, and the content.
pub struct ZipMember {
    pub raw_name: Vec<u8>,
    pub name: String,
    pub content: Vec<u8>,
}

/// Opens a zip from memory and reads every member, checking CRCs on the way (the zip crate verifies them while
/// reading to the end).
pub fn zip_members(bytes: &[u8]) -> Result<Vec<ZipMember>, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|error| error.to_string())?;
    let mut members = Vec::new();
    for index in 0..archive.len() {
        let mut file = archive.by_index(index).map_err(|error| error.to_string())?;
        let mut content = Vec::new();
        file.read_to_end(&mut content).map_err(|error| format!("{}: {error}", file.name()))?;
        members.push(ZipMember { raw_name: file.name_raw().to_vec(), name: file.name().to_owned(), content });
    }
    Ok(members)
}

pub fn member<'a>(members: &'a [ZipMember], name: &str) -> &'a [u8] {
    &members.iter().find(|member| member.name == name).unwrap_or_else(|| panic!("member {name} present")).content
}

/// Parses an XML document to the end, requiring matching end tags and exactly one root element, and returns its
/// character data with a newline after every element named `paragraph_tag`.
pub fn xml_text(xml: &[u8], paragraph_tag: &[u8]) -> Result<String, String> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buffer = Vec::new();
    let mut text = String::new();
    let mut depth = 0_usize;
    let mut n_roots = 0;
    loop {
        let event = reader.read_event_into(&mut buffer).map_err(|error| error.to_string())?;
        match event {
            Event::Start(_) => {
                if depth == 0 {
                    n_roots += 1;
                }
                depth += 1;
            }
            Event::Empty(_) if depth == 0 => n_roots += 1,
            Event::End(end) => {
                depth = depth.checked_sub(1).ok_or("end tag without start")?;
                if end.name().as_ref() == paragraph_tag {
                    text.push('\n');
                }
            }
            Event::Text(characters) => text.push_str(&characters.decode().map_err(|error| error.to_string())?),
            Event::GeneralRef(reference) => {
                if let Some(character) = reference.resolve_char_ref().map_err(|error| error.to_string())? {
                    text.push(character);
                } else {
                    let name = reference.decode().map_err(|error| error.to_string())?;
                    let resolved = quick_xml::escape::resolve_predefined_entity(&name)
                        .ok_or_else(|| format!("unknown entity &{name};"))?;
                    text.push_str(resolved);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buffer.clear();
    }
    if depth != 0 {
        return Err(format!("{depth} elements left open"));
    }
    if n_roots != 1 {
        return Err(format!("{n_roots} root elements"));
    }
    Ok(text)
}

/// The body text of a DOCX file, one line per paragraph.
pub fn docx_text(docx: &[u8]) -> String {
    let members = zip_members(docx).expect("DOCX opens as zip");
    xml_text(member(&members, "word/document.xml"), b"w:p").expect("document.xml parses")
}

/// How many words must be deleted or inserted to turn `before` into `after` (via the longest common subsequence
/// of whitespace-separated words; no-break spaces count as spaces).
pub fn word_edit_count(before: &str, after: &str) -> usize {
    let before: Vec<&str> = before.split_whitespace().collect();
    let after: Vec<&str> = after.split_whitespace().collect();
    let mut lengths = vec![vec![0_usize; after.len() + 1]; before.len() + 1];
    for (i, word_before) in before.iter().enumerate() {
        for (j, word_after) in after.iter().enumerate() {
            lengths[i + 1][j + 1] =
                if word_before == word_after { lengths[i][j] + 1 } else { lengths[i][j + 1].max(lengths[i + 1][j]) };
        }
    }
    let common = lengths[before.len()][after.len()];
    (before.len() - common) + (after.len() - common)
}

#[test]
fn word_edit_count_counts_replacements_as_two() {
    assert_eq!(word_edit_count("a b c", "a b c"), 0);
    assert_eq!(word_edit_count("a b c", "a x c"), 2);
    assert_eq!(word_edit_count("a b", "СРОЧНО a b"), 1);
    assert_eq!(word_edit_count("14\u{a0}625", "19 625"), 2);
}

#[test]
fn xml_text_rejects_broken_documents() {
    assert!(xml_text(b"<a><b></a>", b"p").is_err());
    assert!(xml_text(b"<a>", b"p").is_err());
    assert!(xml_text(b"<a/><b/>", b"p").is_err());
    assert_eq!(xml_text(b"<a><p>x &amp; &#1046;</p></a>", b"p").as_deref(), Ok("x & \u{416}\n"));
}
