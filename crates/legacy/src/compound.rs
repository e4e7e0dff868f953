//! Opening an OLE2 compound file and reading its streams with a size bound.

use std::fs::File;
use std::io::Read;

use dossier_document::{Context, ExtractError, Source};

pub(crate) type Compound = cfb::CompoundFile<File>;

/// Opens the compound file, telling an empty file, a non-OLE file and an I/O error apart.
pub(crate) fn open_compound(source: &Source<'_>, format: &str) -> Result<Compound, ExtractError> {
    let file = File::open(source.path).map_err(|err| ExtractError::io(&err))?;
    let len = file.metadata().map_err(|err| ExtractError::io(&err))?.len();
    if len == 0 {
        return Err(ExtractError::Empty);
    }
    cfb::CompoundFile::open(file).map_err(|err| {
        if err.kind() == std::io::ErrorKind::UnexpectedEof {
            ExtractError::truncated(format, format!("compound file: {err}"))
        } else {
            ExtractError::malformed(format, format!("not a readable OLE2 compound file: {err}"))
        }
    })
}

/// Reads a whole stream, refusing streams larger than the in-memory limit. A stream that ends early (a truncated
/// file) yields what could be read, with `complete == false`.
pub(crate) fn read_stream(
    compound: &mut Compound,
    path: &str,
    context: &Context<'_>,
) -> Result<Option<(Vec<u8>, bool)>, ExtractError> {
    if !compound.is_stream(path) {
        return Ok(None);
    }
    let declared = compound.entry(path).map(|entry| entry.len()).unwrap_or(0);
    if declared > context.limits.max_in_memory_bytes {
        return Err(ExtractError::LimitExceeded(format!(
            "stream {} bytes {declared} > {}",
            path.trim_start_matches('/'),
            context.limits.max_in_memory_bytes
        )));
    }
    let mut stream = match compound.open_stream(path) {
        Ok(stream) => stream,
        Err(_) => return Ok(Some((Vec::new(), false))),
    };
    let mut bytes = Vec::with_capacity(declared.min(64 << 20) as usize);
    let complete = match stream.by_ref().take(declared).read_to_end(&mut bytes) {
        Ok(_) => bytes.len() as u64 == declared,
        Err(_) => false,
    };
    Ok(Some((bytes, complete)))
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
