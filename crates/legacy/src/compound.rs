//! Opening an OLE2 compound file (leniently, through `dossier-compound`) and reading its streams with a size bound;
//! the little-endian readers every structure of these formats is read with.

use dossier_document::{Context, ExtractError, Source};

pub(crate) use dossier_compound::Compound;

/// Opens the compound file, telling an empty file, a non-OLE file and an I/O error apart. A damaged file (cut
/// short, a FAT or directory the `cfb` crate refuses) is read as far as its structures go; the second value says
/// what was repaired.
pub(crate) fn open_compound(
    source: &Source<'_>,
    format: &str,
    context: &Context<'_>,
) -> Result<(Compound, Vec<String>), ExtractError> {
    let opened = dossier_compound::open_compound(source.path, format, context.limits)?;
    Ok((opened.compound, opened.diagnostics))
}

/// Reads a whole stream, refusing streams larger than the in-memory limit. A stream that ends early yields what
/// could be read, with `complete == false`.
pub(crate) fn read_stream(
    compound: &mut Compound,
    path: &str,
    context: &Context<'_>,
) -> Result<Option<(Vec<u8>, bool)>, ExtractError> {
    dossier_compound::read_stream(compound, path, context.limits)
}

/// Little-endian integers at an offset, `None` past the end: every structure in these formats is read through
/// these so that a lying length or offset cannot cause a panic.
pub(crate) fn u16_at(bytes: &[u8], offset: usize) -> Option<u16> {
    let slice = bytes.get(offset..offset.checked_add(2)?)?;
    Some(u16::from_le_bytes([slice[0], slice[1]]))
}

pub(crate) fn u32_at(bytes: &[u8], offset: usize) -> Option<u32> {
    let slice = bytes.get(offset..offset.checked_add(4)?)?;
    Some(u32::from_le_bytes([slice[0], slice[1], slice[2], slice[3]]))
}

pub(crate) fn i32_at(bytes: &[u8], offset: usize) -> Option<i32> {
    u32_at(bytes, offset).map(|value| value as i32)
}

pub(crate) fn u64_at(bytes: &[u8], offset: usize) -> Option<u64> {
    let slice = bytes.get(offset..offset.checked_add(8)?)?;
    let mut array = [0u8; 8];
    array.copy_from_slice(slice);
    Some(u64::from_le_bytes(array))
}

pub(crate) fn f64_at(bytes: &[u8], offset: usize) -> Option<f64> {
    u64_at(bytes, offset).map(f64::from_bits)
}
