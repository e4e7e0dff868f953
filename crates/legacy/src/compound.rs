//! Opening an OLE2 compound file and reading its streams with a size bound.

use std::fs::File;
use std::io::{Read, Seek};

use dossier_document::{Context, ExtractError, Source};

/// Anything a compound file can be read from: the file itself, or a padded copy of a truncated one in memory.
pub(crate) trait ReadSeek: Read + Seek {}
impl<T: Read + Seek> ReadSeek for T {}

pub(crate) type Compound = cfb::CompoundFile<Box<dyn ReadSeek>>;

/// Opens the compound file, telling an empty file, a non-OLE file and an I/O error apart. A file cut short (the
/// commonest damage in leaked collections) fails the `cfb` crate's FAT check; such a file is read again into
/// memory, padded with zeros to the size its header claims, so that the streams that survived can still be read.
/// The second value says whether that happened.
pub(crate) fn open_compound(
    source: &Source<'_>,
    format: &str,
    context: &Context<'_>,
) -> Result<(Compound, Option<String>), ExtractError> {
    let file = File::open(source.path).map_err(|err| ExtractError::io(&err))?;
    let len = file.metadata().map_err(|err| ExtractError::io(&err))?.len();
    if len == 0 {
        return Err(ExtractError::Empty);
    }
    let first_error = match cfb::CompoundFile::open(Box::new(file) as Box<dyn ReadSeek>) {
        Ok(compound) => return Ok((compound, None)),
        Err(err) => err,
    };
    let not_ole = || ExtractError::malformed(format, format!("not a readable OLE2 compound file: {first_error}"));
    if len > context.limits.max_in_memory_bytes {
        return Err(not_ole());
    }
    let mut bytes = Vec::new();
    File::open(source.path).and_then(|mut file| file.read_to_end(&mut bytes)).map_err(|err| ExtractError::io(&err))?;
    if bytes.len() < 512 || bytes[..8] != [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] {
        return Err(not_ole());
    }
    // The header's sector size and FAT sector count bound the file size the FAT describes.
    let sector_shift = u16_at(&bytes, 0x1E).unwrap_or(9);
    let sector_size = match sector_shift {
        9 => 512u64,
        12 => 4096,
        _ => return Err(not_ole()),
    };
    let fat_sectors = u64::from(u32_at(&bytes, 0x2C).unwrap_or(0));
    let claimed = (fat_sectors * (sector_size / 4) + 1).saturating_mul(sector_size);
    if claimed <= bytes.len() as u64 || claimed > context.limits.max_in_memory_bytes {
        return Err(not_ole());
    }
    let missing = claimed - bytes.len() as u64;
    let benign = fat_describes_only_free_sectors_past_the_end(&bytes, sector_size as usize);
    bytes.resize(claimed as usize, 0);
    match cfb::CompoundFile::open(Box::new(std::io::Cursor::new(bytes)) as Box<dyn ReadSeek>) {
        Ok(compound) if benign => Ok((compound, None)),
        Ok(compound) => Ok((
            compound,
            Some(format!(
                "the file is cut short or damaged ({first_error}); up to {missing} missing bytes read as zeros"
            )),
        )),
        Err(second_error) => Err(if missing > 0 {
            ExtractError::truncated(format, format!("compound file: {first_error}; padded: {second_error}"))
        } else {
            not_ole()
        }),
    }
}

/// Whether the FAT entries for sectors past the end of the file are all free or empty: then the file is whole and only
/// the `cfb` crate's check is stricter than the format (some writers leave the last FAT sector partly unused and
/// the file shorter than the FAT could describe).
fn fat_describes_only_free_sectors_past_the_end(bytes: &[u8], sector_size: usize) -> bool {
    const FREE_SECTOR: u32 = 0xFFFF_FFFF;
    // Some writers mark the unused tail of the FAT "end of chain" rather than "free".
    const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
    let sectors_in_file = (bytes.len() / sector_size).saturating_sub(1);
    let fat_sectors = u32_at(bytes, 0x2C).unwrap_or(0) as usize;
    let entries_per_sector = sector_size / 4;
    // The header's DIFAT lists the first 109 FAT sectors; larger files do not get a benign verdict.
    if fat_sectors > 109 {
        return false;
    }
    for index in 0..fat_sectors {
        let Some(fat_sector) = u32_at(bytes, 0x4C + index * 4) else { return false };
        let start = (fat_sector as usize + 1) * sector_size;
        for entry in 0..entries_per_sector {
            let sector = index * entries_per_sector + entry;
            if sector < sectors_in_file {
                continue;
            }
            match u32_at(bytes, start + entry * 4) {
                Some(FREE_SECTOR | END_OF_CHAIN) => {}
                _ => return false,
            }
        }
    }
    true
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
