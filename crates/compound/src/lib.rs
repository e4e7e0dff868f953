//! OLE2 compound files ("structured storage": Word, Excel and PowerPoint 97-2003, Outlook MSG, Works, encrypted
//! OOXML) opened as leniently as their readers need.
//!
//! The `cfb` crate reads well-formed files and refuses the rest whole: a FAT that describes more sectors than the
//! file has, a directory whose red-black tree is out of name order, a chain that loops. Apache POI reads many such
//! files, and so must we. A file `cfb` refuses is read by our own reader of the structures ([`recover`]) as far as
//! they are consistent, and its storages and streams are written into a well-formed compound file in memory, which
//! `cfb` then opens: every reader keeps one API, and each repair that lost or guessed something becomes a
//! diagnostic. Only a file whose directory cannot be found at all is an error.

pub mod damage;
mod recover;

use std::fs::File;
use std::io::{Cursor, Read, Seek, Write};
use std::path::Path;
use std::sync::Arc;

use dossier_document::{ExtractError, Limits};

use crate::recover::{Failure, Recovery, SIGNATURE};

/// Anything a compound file can be read from: the file itself, or bytes in memory.
pub trait ReadSeek: Read + Seek {}
impl<T: Read + Seek> ReadSeek for T {}

/// An open compound file.
pub type Compound = cfb::CompoundFile<Box<dyn ReadSeek>>;

/// At most this many repairs are listed one by one; the rest are counted.
const MAX_LISTED_REPAIRS: usize = 20;

/// A compound file and what had to be repaired to open it (empty for a well-formed file).
pub struct Opened {
    pub compound: Compound,
    pub diagnostics: Vec<String>,
}

/// Bytes shared between a first attempt with `cfb` and the recovery that follows its refusal.
#[derive(Clone)]
struct SharedBytes(Arc<Vec<u8>>);

impl AsRef<[u8]> for SharedBytes {
    fn as_ref(&self) -> &[u8] {
        self.0.as_slice()
    }
}

/// Opens the compound file at `path`. `format` names the file's format in errors ("DOC", "MSG"). A file `cfb`
/// refuses is recovered in memory when it fits in `limits.max_in_memory_bytes`.
pub fn open_compound(path: &Path, format: &str, limits: &Limits) -> Result<Opened, ExtractError> {
    let mut file = File::open(path).map_err(|err| ExtractError::io(&err))?;
    let len = file.metadata().map_err(|err| ExtractError::io(&err))?.len();
    if len == 0 {
        return Err(ExtractError::Empty);
    }
    let mut magic = [0u8; 8];
    let got = file.read(&mut magic).map_err(|err| ExtractError::io(&err))?;
    if got < 8 || magic != SIGNATURE {
        return Err(ExtractError::malformed(format, "not an OLE2 compound file"));
    }
    file.rewind().map_err(|err| ExtractError::io(&err))?;
    let first_error = match open_with_cfb(Box::new(file)) {
        Ok(compound) => return Ok(Opened { compound, diagnostics: Vec::new() }),
        Err(err) => err,
    };
    if len > limits.max_in_memory_bytes {
        return Err(ExtractError::malformed(
            format,
            format!("not a readable OLE2 compound file: {first_error}; too large ({len} bytes) to recover in memory"),
        ));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    File::open(path)
        .and_then(|file| file.take(limits.max_in_memory_bytes).read_to_end(&mut bytes))
        .map_err(|err| ExtractError::io(&err))?;
    recover_and_rebuild(&bytes, &first_error, format, limits)
}

/// Opens a compound file held in memory (an embedded object), like [`open_compound`].
pub fn open_compound_bytes(bytes: Vec<u8>, format: &str, limits: &Limits) -> Result<Opened, ExtractError> {
    if bytes.is_empty() {
        return Err(ExtractError::Empty);
    }
    if bytes.len() < 8 || bytes[..8] != SIGNATURE {
        return Err(ExtractError::malformed(format, "not an OLE2 compound file"));
    }
    let shared = SharedBytes(Arc::new(bytes));
    let first_error = match open_with_cfb(Box::new(Cursor::new(shared.clone()))) {
        Ok(compound) => return Ok(Opened { compound, diagnostics: Vec::new() }),
        Err(err) => err,
    };
    recover_and_rebuild(&shared.0, &first_error, format, limits)
}

/// `cfb`'s own reading. It is not written for hostile input: a panic in it must cost this file, not the run.
fn open_with_cfb(reader: Box<dyn ReadSeek>) -> Result<Compound, String> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| cfb::CompoundFile::open(reader))) {
        Ok(Ok(compound)) => Ok(compound),
        Ok(Err(err)) => Err(err.to_string()),
        Err(_) => Err("the compound file structure is inconsistent".to_string()),
    }
}

fn recover_and_rebuild(bytes: &[u8], first_error: &str, format: &str, limits: &Limits) -> Result<Opened, ExtractError> {
    let mut recovery = match Recovery::new(bytes) {
        Ok(recovery) => recovery,
        Err(Failure::NotCompound(reason)) => return Err(ExtractError::malformed(format, reason)),
        Err(Failure::Truncated(reason)) => {
            return Err(ExtractError::truncated(format, format!("compound file: {first_error}; {reason}")));
        }
        Err(Failure::Malformed(reason)) => {
            return Err(ExtractError::malformed(
                format,
                format!("not a readable OLE2 compound file: {first_error}; {reason}"),
            ));
        }
    };
    let compound = match rebuild(&mut recovery, limits) {
        Ok(compound) => compound,
        Err(Rebuild::NothingRecovered) if recovery.ran_past_end => {
            return Err(ExtractError::truncated(
                format,
                format!("compound file: {first_error}; every stream lies past the end of the file"),
            ));
        }
        Err(Rebuild::NothingRecovered) => {
            return Err(ExtractError::malformed(
                format,
                format!("not a readable OLE2 compound file: {first_error}; no stream could be recovered"),
            ));
        }
        Err(Rebuild::Io(err)) => {
            return Err(ExtractError::malformed(format, format!("rebuilding the damaged compound file: {err}")));
        }
    };
    recovery.repairs.extend(recovery.stream_repairs());
    let mut diagnostics = Vec::new();
    if !recovery.repairs.is_empty() {
        diagnostics
            .push(format!("the compound file is damaged ({first_error}); it was read as far as it is consistent"));
        let total = recovery.repairs.len();
        diagnostics.extend(recovery.repairs.into_iter().take(MAX_LISTED_REPAIRS));
        if total > MAX_LISTED_REPAIRS {
            diagnostics.push(format!("... and {} more repairs", total - MAX_LISTED_REPAIRS));
        }
    }
    Ok(Opened { compound, diagnostics })
}

/// Why no compound file came of a recovery.
enum Rebuild {
    /// Streams were listed but not one byte of them could be read: nothing readable.
    NothingRecovered,
    Io(std::io::Error),
}

impl From<std::io::Error> for Rebuild {
    fn from(err: std::io::Error) -> Rebuild {
        Rebuild::Io(err)
    }
}

/// Writes the recovered storages and streams into a well-formed compound file in memory and opens it. The stream
/// bytes copied are bounded by the in-memory limit; the streams past it are left out, with a repair noted.
fn rebuild(recovery: &mut Recovery<'_>, limits: &Limits) -> Result<Compound, Rebuild> {
    let version = if recovery.major_version == 4 { cfb::Version::V4 } else { cfb::Version::V3 };
    let mut rebuilt = cfb::CompoundFile::create_with_version(version, Cursor::new(Vec::new()))?;
    rebuilt.set_storage_clsid("/", clsid(&recovery.root_clsid))?;
    let mut budget = limits.max_in_memory_bytes;
    let mut skipped_storages: Vec<Vec<String>> = Vec::new();
    let mut left_out = 0usize;
    let (mut declared, mut recovered) = (0u64, 0u64);
    let nodes = recovery.nodes.clone();
    for node in &nodes {
        if skipped_storages.iter().any(|storage| node.path.starts_with(storage)) {
            continue;
        }
        let path = format!("/{}", node.path.join("/"));
        if node.is_storage {
            if rebuilt.create_storage(&path).is_err() {
                skipped_storages.push(node.path.clone());
                recovery.repairs.push(format!("storage {} could not be kept", node.path.join("/")));
                continue;
            }
            rebuilt.set_storage_clsid(&path, clsid(&node.clsid))?;
            continue;
        }
        if budget == 0 {
            left_out += 1;
            continue;
        }
        let data = recovery.stream(node, budget);
        declared = declared.saturating_add(recovery.declared_size(node));
        recovered += data.len() as u64;
        budget -= data.len() as u64;
        match rebuilt.create_stream(&path) {
            Ok(mut stream) => stream.write_all(&data)?,
            Err(_) => recovery.repairs.push(format!("stream {} could not be kept", node.path.join("/"))),
        }
    }
    if left_out > 0 {
        recovery.repairs.push(format!("{left_out} stream(s) past the memory limit were left out"));
    }
    if recovered == 0 && declared > 0 {
        return Err(Rebuild::NothingRecovered);
    }
    rebuilt.flush()?;
    let bytes = rebuilt.into_inner().into_inner();
    Ok(cfb::CompoundFile::open(Box::new(Cursor::new(bytes)) as Box<dyn ReadSeek>)?)
}

/// A class id as stored (little-endian fields) in the `cfb` crate's type.
fn clsid(bytes: &[u8; 16]) -> uuid::Uuid {
    let d1 = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    let d2 = u16::from_le_bytes([bytes[4], bytes[5]]);
    let d3 = u16::from_le_bytes([bytes[6], bytes[7]]);
    let mut d4 = [0u8; 8];
    d4.copy_from_slice(&bytes[8..16]);
    uuid::Uuid::from_fields(d1, d2, d3, &d4)
}

/// Reads a whole stream, refusing streams larger than the in-memory limit. A stream that ends early (a truncated
/// file) yields what could be read, with `complete == false`.
pub fn read_stream(
    compound: &mut Compound,
    path: &str,
    limits: &Limits,
) -> Result<Option<(Vec<u8>, bool)>, ExtractError> {
    if !compound.is_stream(path) {
        return Ok(None);
    }
    let declared = compound.entry(path).map(|entry| entry.len()).unwrap_or(0);
    if declared > limits.max_in_memory_bytes {
        return Err(ExtractError::LimitExceeded(format!(
            "stream {} bytes {declared} > {}",
            path.trim_start_matches('/'),
            limits.max_in_memory_bytes
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

#[cfg(test)]
mod tests;
