//! Compound files (OLE2) that readers write out as children must be the same bytes on every run: a child's hash
//! is cited as evidence and deduplicates a re-ingest. The `cfb` crate stamps every storage it creates with the
//! clock and offers no way to set the times, so the readers that rebuild an embedded object or an attached
//! message clear them afterwards, in the bytes. [MS-CFB] 2.6.3 allows zero for "not recorded", which is what
//! Office itself writes for most storages.

/// The directory entry's object type (offset 66): 1 a storage, 5 the root storage.
const OBJECT_TYPE_AT: usize = 66;
/// Creation time (8 bytes) then modification time (8 bytes).
const TIMES_AT: usize = 100;
const DIRECTORY_ENTRY_LEN: usize = 128;
/// FAT sector numbers at or above this mark the end of a chain, free or special sectors.
const MAX_REGULAR_SECTOR: u32 = 0xFFFF_FFFA;
const HEADER_DIFAT_ENTRIES: usize = 109;

/// Sets the creation and modification times of every storage in a compound file to zero, in place. Returns the
/// number of storages changed. Bytes that are not a readable compound file are left as they are (the function is
/// meant for files the `cfb` crate has just written, and never panics on others).
pub fn clear_compound_storage_times(bytes: &mut [u8]) -> usize {
    let Some(directory_sectors) = directory_sectors(bytes) else { return 0 };
    let sector_size = sector_size(bytes).unwrap_or(512);
    let mut changed = 0;
    for sector in directory_sectors {
        let start = (sector as usize + 1) * sector_size;
        for entry in (start..start + sector_size).step_by(DIRECTORY_ENTRY_LEN) {
            let Some(object_type) = bytes.get(entry + OBJECT_TYPE_AT) else { break };
            if !matches!(object_type, 1 | 5) {
                continue;
            }
            if let Some(times) = bytes.get_mut(entry + TIMES_AT..entry + TIMES_AT + 16)
                && times.iter().any(|byte| *byte != 0)
            {
                times.fill(0);
                changed += 1;
            }
        }
    }
    changed
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn sector_size(bytes: &[u8]) -> Option<usize> {
    let shift = u16::from_le_bytes(bytes.get(0x1E..0x20)?.try_into().ok()?);
    matches!(shift, 9 | 12).then(|| 1usize << shift)
}

/// The sectors of the directory stream, followed through the FAT, which is found through the header's DIFAT and
/// the DIFAT sectors after it. Every walk is bounded by the number of sectors the file can hold.
fn directory_sectors(bytes: &[u8]) -> Option<Vec<u32>> {
    const SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.get(..8)? != SIGNATURE {
        return None;
    }
    let sector_size = sector_size(bytes)?;
    let n_sectors = bytes.len() / sector_size;
    let sector_start = |sector: u32| (sector as usize + 1) * sector_size;

    let mut fat_sectors: Vec<u32> =
        (0..HEADER_DIFAT_ENTRIES).filter_map(|index| u32_at(bytes, 0x4C + index * 4)).collect();
    let mut difat_sector = u32_at(bytes, 0x44)?;
    let entries_per_sector = sector_size / 4;
    for _ in 0..n_sectors {
        if difat_sector >= MAX_REGULAR_SECTOR {
            break;
        }
        let start = sector_start(difat_sector);
        fat_sectors.extend((0..entries_per_sector - 1).filter_map(|index| u32_at(bytes, start + index * 4)));
        difat_sector = u32_at(bytes, start + (entries_per_sector - 1) * 4)?;
    }
    let fat: Vec<u32> = fat_sectors
        .iter()
        .filter(|sector| **sector < MAX_REGULAR_SECTOR)
        .flat_map(|sector| {
            let start = sector_start(*sector);
            (0..entries_per_sector).map(move |index| u32_at(bytes, start + index * 4).unwrap_or(u32::MAX))
        })
        .collect();

    let mut chain = Vec::new();
    let mut sector = u32_at(bytes, 0x30)?;
    while sector < MAX_REGULAR_SECTOR && chain.len() < n_sectors {
        chain.push(sector);
        sector = *fat.get(sector as usize)?;
    }
    Some(chain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_not_a_compound_file() {
        let mut bytes = b"not a compound file at all".to_vec();
        assert_eq!(clear_compound_storage_times(&mut bytes), 0);
        assert_eq!(bytes, b"not a compound file at all");
        let mut header_only = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        header_only.resize(600, 0xFF);
        assert_eq!(clear_compound_storage_times(&mut header_only), 0);
    }
}
