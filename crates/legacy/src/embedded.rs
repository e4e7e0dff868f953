//! Embedded OLE objects: the files that a Word document keeps in its `ObjectPool` storage (and an Excel workbook
//! in its `MBD...` storages), handed to the child sink as files of their own so that the pipeline reads them.
//!
//! Each object is a storage. What it holds decides what the file is ([MS-OLEDS]):
//! - `\x01Ole10Native`: an OLE1 object; for the `Package` class (a file dragged into the document) the packaged
//!   file with its original name, otherwise the native data as it is;
//! - `package`: an Office 2007+ document (DOCX, XLSX, PPTX), stored whole;
//! - `CONTENTS`: the native data of some classes (Acrobat's PDF, among others);
//! - `WordDocument`, `Workbook`, `Book`, `PowerPoint Document`: an OLE2 document, whose storage is written out as
//!   a compound file of its own.
//!
//! Links (`\x03LinkInfo`, a file elsewhere) and objects that hold only their picture (`\x03EPRINT`) have no file;
//! the text drawn in that picture, the only copy of their content here, is returned for the document's text.

use std::io::{Cursor, Write};

use dossier_document::{ChildKind, ChildMeta, Context, ExtractError};

use crate::codepage::looks_like_cp1251;
use crate::compound::{Compound, read_stream, u16_at, u32_at};
use crate::equation::equation_text;
use crate::metafile::metafile_text;

/// Storages holding an OLE2 document of a kind we know, and the extension of such a file.
const DOCUMENT_STREAMS: [(&str, &str); 4] =
    [("WordDocument", "doc"), ("Workbook", "xls"), ("Book", "xls"), ("PowerPoint Document", "ppt")];
/// More objects than any real document embeds: bounds the work on a hostile directory.
const MAX_OBJECTS: usize = 10_000;
/// Nested storages deeper than this are not copied into a rebuilt compound file.
const MAX_STORAGE_DEPTH: usize = 16;

/// Hands every object storage inside `parent` (`/ObjectPool` of a Word document) to the sink, and returns the
/// text of the objects that hold no file (see [`hand_over_storages`]).
pub(crate) fn hand_over_objects_in(
    compound: &mut Compound,
    parent: &str,
    context: &mut Context<'_>,
    diagnostics: &mut Vec<String>,
) -> Result<ObjectTexts, ExtractError> {
    if !compound.is_storage(parent) {
        return Ok(ObjectTexts::default());
    }
    let storages: Vec<String> = match compound.read_storage(parent) {
        Ok(entries) => entries.filter(|entry| entry.is_storage()).map(|entry| entry.name().to_string()).collect(),
        Err(err) => {
            diagnostics.push(format!("the embedded objects in {parent} could not be listed: {err}"));
            return Ok(ObjectTexts::default());
        }
    };
    let parent = parent.trim_end_matches('/');
    hand_over_storages(compound, parent, &storages, context, diagnostics)
}

/// The text of the objects that hold no file of their own, for the document's text.
#[derive(Debug, Default)]
pub(crate) struct ObjectTexts {
    /// The text drawn in the presentation picture of each link, one string per object.
    pub linked: Vec<String>,
    /// The text of each equation (Equation Editor 3.0), one string per object.
    pub equations: Vec<String>,
}

/// Hands the object storages named `names` directly under `parent` ("" for the root) to the sink. Returns
/// `LimitExceeded` when the sink does (the caller stops); other failures become diagnostics. Objects that hold no
/// file give their text instead: an equation its formula, a link the text drawn in its presentation picture.
pub(crate) fn hand_over_storages(
    compound: &mut Compound,
    parent: &str,
    names: &[String],
    context: &mut Context<'_>,
    diagnostics: &mut Vec<String>,
) -> Result<ObjectTexts, ExtractError> {
    let mut texts = ObjectTexts::default();
    for name in names.iter().take(MAX_OBJECTS) {
        let path = format!("{parent}/{name}");
        let object = match read_object(compound, &path, name, context) {
            Ok(Some(object)) => object,
            Ok(None) => {
                if let Some(equation) = equation_of(compound, &path, context)? {
                    texts.equations.push(equation);
                } else if let Some(drawn) = presentation_text(compound, &path, context)? {
                    texts.linked.push(drawn);
                }
                continue;
            }
            // A stream too large to hold is this object's problem, not the document's: the others are still read.
            Err(err) => {
                diagnostics.push(format!("embedded object {name} not read: {err}"));
                continue;
            }
        };
        if !object.complete {
            diagnostics.push(format!("embedded object {name} is cut short"));
        }
        let meta = ChildMeta::new(object.name.clone(), ChildKind::Embedded);
        match context.sink.add(meta, &mut object.content.as_slice()) {
            Ok(()) => {}
            Err(err @ ExtractError::LimitExceeded(_)) => return Err(err),
            Err(err) => diagnostics.push(format!("embedded object {}: {err}", object.name)),
        }
    }
    if names.len() > MAX_OBJECTS {
        diagnostics.push(format!("only the first {MAX_OBJECTS} of {} embedded objects were read", names.len()));
    }
    Ok(texts)
}

/// The formula of an equation object (its `Equation Native` stream), if it is one and has any text.
fn equation_of(compound: &mut Compound, path: &str, context: &Context<'_>) -> Result<Option<String>, ExtractError> {
    match read_stream(compound, &format!("{path}/Equation Native"), context) {
        Ok(Some((native, _))) => Ok(equation_text(&native)),
        Ok(None) | Err(ExtractError::LimitExceeded(_)) => Ok(None),
        Err(err) => Err(err),
    }
}

/// The text drawn in an object's presentation picture (`\x03EPRINT`, an EMF), if it has any. A picture too large
/// to hold is passed over: it is a rendition, not the evidence itself.
fn presentation_text(
    compound: &mut Compound,
    path: &str,
    context: &Context<'_>,
) -> Result<Option<String>, ExtractError> {
    let picture = match read_stream(compound, &format!("{path}/\u{3}EPRINT"), context) {
        Ok(Some((picture, _))) => picture,
        Ok(None) | Err(ExtractError::LimitExceeded(_)) => return Ok(None),
        Err(err) => return Err(err),
    };
    // The strings of an EMF are UTF-16 (EMR_EXTTEXTOUTW) as Office writes them; 8-bit ones are rare.
    let drawn = metafile_text(&picture, encoding_rs::WINDOWS_1252);
    Ok((!drawn.trim().is_empty()).then_some(drawn))
}

/// Hands one embedded object stored as a compound file of its own (PowerPoint's ExOleObjStg) to the sink: what it
/// holds decides the file, as for a storage (an OLE2 document is handed as it is). Returns `LimitExceeded` when the
/// sink does; other failures become diagnostics.
pub(crate) fn hand_over_compound_object(
    bytes: Vec<u8>,
    name: &str,
    context: &mut Context<'_>,
    diagnostics: &mut Vec<String>,
) -> Result<(), ExtractError> {
    let object = match dossier_compound::open_compound_bytes(bytes.clone(), "OLE", context.limits) {
        Err(_) => Object { name: format!("{name}.bin"), content: bytes, complete: true },
        Ok(dossier_compound::Opened { mut compound, .. }) => {
            let document = DOCUMENT_STREAMS.iter().find(|(stream, _)| compound.is_stream(format!("/{stream}")));
            match document {
                Some((_, extension)) => Object { name: format!("{name}.{extension}"), content: bytes, complete: true },
                None => match read_object(&mut compound, "", name, context) {
                    Ok(Some(object)) => object,
                    Ok(None) => return Ok(()),
                    Err(err) => {
                        diagnostics.push(format!("embedded object {name} not read: {err}"));
                        return Ok(());
                    }
                },
            }
        }
    };
    if !object.complete {
        diagnostics.push(format!("embedded object {name} is cut short"));
    }
    let meta = ChildMeta::new(object.name.clone(), ChildKind::Embedded);
    match context.sink.add(meta, &mut object.content.as_slice()) {
        Ok(()) => Ok(()),
        Err(err @ ExtractError::LimitExceeded(_)) => Err(err),
        Err(err) => {
            diagnostics.push(format!("embedded object {}: {err}", object.name));
            Ok(())
        }
    }
}

/// One embedded file, ready for the sink.
struct Object {
    name: String,
    content: Vec<u8>,
    /// Whether every stream it was made of read in full.
    complete: bool,
}

fn read_object(
    compound: &mut Compound,
    path: &str,
    storage_name: &str,
    context: &Context<'_>,
) -> Result<Option<Object>, ExtractError> {
    if let Some((native, complete)) = read_stream(compound, &format!("{path}/\u{1}Ole10Native"), context)? {
        // The stream starts with the size of the native data that follows.
        let declared = u32_at(&native, 0).unwrap_or(0) as usize;
        let data = native.get(4..).unwrap_or(&[]);
        let data = &data[..declared.min(data.len())];
        let complete = complete && declared <= data.len();
        if let Some((file_name, content)) = read_package(data) {
            return Ok(Some(Object { name: format!("{storage_name}/{file_name}"), content, complete }));
        }
        return Ok(Some(Object { name: format!("{storage_name}.bin"), content: data.to_vec(), complete }));
    }
    if let Some((content, complete)) = read_stream(compound, &format!("{path}/package"), context)? {
        let extension = ooxml_extension(compound, path);
        return Ok(Some(Object { name: format!("{storage_name}.{extension}"), content, complete }));
    }
    if let Some((content, complete)) = read_stream(compound, &format!("{path}/CONTENTS"), context)? {
        let name = match content.get(..5) {
            Some(b"%PDF-") => format!("{storage_name}.pdf"),
            _ => format!("{storage_name}.bin"),
        };
        return Ok(Some(Object { name, content, complete }));
    }
    for (stream, extension) in DOCUMENT_STREAMS {
        if compound.is_stream(format!("{path}/{stream}")) {
            let (content, complete) = rebuild_compound_file(compound, path, context)?;
            return Ok(Some(Object { name: format!("{storage_name}.{extension}"), content, complete }));
        }
    }
    Ok(None)
}

/// The extension of an Office 2007+ `package` stream, from the class of its storage.
fn ooxml_extension(compound: &Compound, path: &str) -> &'static str {
    let clsid = compound.entry(path).map(|entry| entry.clsid().to_string().to_ascii_lowercase()).unwrap_or_default();
    match clsid.as_str() {
        // Excel.Sheet.12, Excel.SheetMacroEnabled.12, Excel.SheetBinaryMacroEnabled.12.
        "00020830-0000-0000-c000-000000000046"
        | "00020832-0000-0000-c000-000000000046"
        | "00020833-0000-0000-c000-000000000046" => "xlsx",
        // PowerPoint.Show.12, PowerPoint.ShowMacroEnabled.12.
        "cf4f55f4-8f87-4d47-80bb-5808164bb3f8" | "dc020317-e6e2-4a62-b9fa-b3efe16626f4" => "pptx",
        // Word.Document.12 and anything else: the content decides in the end.
        _ => "docx",
    }
}

/// Writes the storage at `path` out as a compound file of its own: its streams and storages, copied under the
/// root, with the storage's class. The bytes copied are bounded by the in-memory limit.
fn rebuild_compound_file(
    compound: &mut Compound,
    path: &str,
    context: &Context<'_>,
) -> Result<(Vec<u8>, bool), ExtractError> {
    let build_error = |err: std::io::Error| ExtractError::malformed("OLE", format!("rebuilding {path}: {err}"));
    let mut entries: Vec<(String, bool, u64)> = Vec::new();
    let mut total: u64 = 0;
    let walk = compound.walk_storage(path).map_err(build_error)?;
    for entry in walk {
        let full = entry.path().to_string_lossy().into_owned();
        let Some(relative) = full.strip_prefix(path).filter(|relative| !relative.is_empty()) else { continue };
        if relative.matches('/').count() > MAX_STORAGE_DEPTH {
            continue;
        }
        total = total.saturating_add(entry.len());
        entries.push((relative.to_string(), entry.is_storage(), entry.len()));
    }
    if total > context.limits.max_in_memory_bytes {
        return Err(ExtractError::LimitExceeded(format!(
            "embedded storage {path}: {total} bytes > {}",
            context.limits.max_in_memory_bytes
        )));
    }
    let clsid = compound.entry(path).map(|entry| *entry.clsid()).ok();
    let mut rebuilt =
        cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new())).map_err(build_error)?;
    if let Some(clsid) = clsid {
        rebuilt.set_storage_clsid("/", clsid).map_err(build_error)?;
    }
    let mut complete = true;
    for (relative, is_storage, _) in entries {
        if is_storage {
            rebuilt.create_storage(&relative).map_err(build_error)?;
            continue;
        }
        let Some((bytes, stream_complete)) = read_stream(compound, &format!("{path}{relative}"), context)? else {
            continue;
        };
        complete &= stream_complete;
        let mut stream = rebuilt.create_stream(&relative).map_err(build_error)?;
        stream.write_all(&bytes).map_err(build_error)?;
    }
    rebuilt.flush().map_err(build_error)?;
    let mut bytes = rebuilt.into_inner().into_inner();
    // The child must be the same bytes on every run, and `cfb` stamps the storages it creates with the clock.
    dossier_document::clear_compound_storage_times(&mut bytes);
    Ok((bytes, complete))
}

/// The original file name and bytes of an OLE1 `Package` ([MS-OLEDS] 2.3.6 as written by the Packager): a
/// signature, the label and original path as NUL-terminated strings, two 16-bit values, the temporary path with
/// its 32-bit length, then the data with its 32-bit length. Anything else gives `None`.
fn read_package(native: &[u8]) -> Option<(String, Vec<u8>)> {
    if u16_at(native, 0)? != 2 {
        return None;
    }
    let mut at = 2usize;
    let nul_terminated = |at: &mut usize| -> Option<String> {
        let rest = native.get(*at..)?;
        let length = rest.iter().take(4096).position(|byte| *byte == 0)?;
        *at += length + 1;
        Some(decode_file_name(&rest[..length]))
    };
    let label = nul_terminated(&mut at)?;
    let original_path = nul_terminated(&mut at)?;
    at += 4;
    let temp_path_length = u32_at(native, at)? as usize;
    at = at.checked_add(4)?.checked_add(temp_path_length)?;
    let data_length = u32_at(native, at)? as usize;
    at += 4;
    let content = native.get(at..at.checked_add(data_length)?)?.to_vec();
    let name = if label.trim().is_empty() { original_path } else { label };
    // The label is what the author saw; a path in it is reduced to its last part, as the file name.
    let name = name.rsplit(['\\', '/']).next().unwrap_or("").trim().to_string();
    let name = if name.is_empty() { "package".to_string() } else { name };
    Some((name, content))
}

/// A packaged file's name is in the writer's ANSI codepage, which the package does not record: UTF-8 when it is
/// valid UTF-8 (WPS Office writes that), windows-1251 when the bytes read as Russian or Ukrainian, else windows-1252.
fn decode_file_name(bytes: &[u8]) -> String {
    if let Ok(utf8) = std::str::from_utf8(bytes) {
        return utf8.to_string();
    }
    let encoding = if looks_like_cp1251(bytes) { encoding_rs::WINDOWS_1251 } else { encoding_rs::WINDOWS_1252 };
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(label: &str, content: &[u8]) -> Vec<u8> {
        let mut native = vec![2, 0];
        native.extend_from_slice(label.as_bytes());
        native.push(0);
        native.extend_from_slice(b"C:\\Users\\x\\");
        native.extend_from_slice(label.as_bytes());
        native.push(0);
        native.extend_from_slice(&[0, 0, 3, 0]);
        native.extend_from_slice(&5u32.to_le_bytes());
        native.extend_from_slice(b"C:\\t\0");
        native.extend_from_slice(&(content.len() as u32).to_le_bytes());
        native.extend_from_slice(content);
        native
    }

    #[test]
    fn a_package_gives_its_file_and_name() {
        assert_eq!(read_package(&package("notes.txt", b"hello")), Some(("notes.txt".to_string(), b"hello".to_vec())));
    }

    #[test]
    fn file_names_are_decoded_in_the_codepage_they_read_in() {
        assert_eq!(decode_file_name("накладная.txt".as_bytes()), "накладная.txt");
        assert_eq!(decode_file_name(b"\xed\xe0\xea\xeb\xe0\xe4\xed\xe0\xff.txt"), "накладная.txt");
        assert_eq!(decode_file_name(b"caf\xe9.txt"), "café.txt");
    }

    #[test]
    fn a_damaged_package_gives_nothing_and_does_not_panic() {
        let whole = package("notes.txt", b"hello");
        for len in 0..whole.len() {
            assert_eq!(read_package(&whole[..len]), None, "at {len}");
        }
        assert_eq!(read_package(b"\x02\x00no terminator"), None);
    }
}
