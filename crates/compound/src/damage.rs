//! Damage done to a well-formed compound file the ways real files are damaged, for the tests and fixture
//! generators of the readers: they start from a file our own code wrote and break one structure, so that no
//! third-party file is needed to show that a reader copes. Each function panics on a file it cannot find its way
//! in (these are tools for known inputs, never for evidence).

/// A value the FAT uses for "this sector ends its chain".
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const FREE_SECTOR: u32 = 0xFFFF_FFFF;
const NO_STREAM: u32 = 0xFFFF_FFFF;

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().expect("four bytes inside the file"))
}

fn put_u32(bytes: &mut [u8], at: usize, value: u32) {
    bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
}

/// The sector size the header states.
pub fn sector_len(bytes: &[u8]) -> usize {
    1 << u16::from_le_bytes([bytes[0x1E], bytes[0x1F]])
}

/// Where sector `id` starts.
pub fn sector_offset(bytes: &[u8], id: u32) -> usize {
    (id as usize + 1) * sector_len(bytes)
}

/// The FAT sectors listed in the header (the first 109, all a small file has).
fn fat_sectors(bytes: &[u8]) -> Vec<u32> {
    let count = (u32_at(bytes, 0x2C) as usize).min(109);
    (0..count).map(|index| u32_at(bytes, 0x4C + index * 4)).collect()
}

/// The FAT, as far as the header lists it.
pub fn fat(bytes: &[u8]) -> Vec<u32> {
    let per_sector = sector_len(bytes) / 4;
    fat_sectors(bytes)
        .into_iter()
        .flat_map(|sector| {
            let start = sector_offset(bytes, sector);
            (0..per_sector).map(move |entry| u32_at(bytes, start + entry * 4))
        })
        .collect()
}

/// Sets FAT entry `index` to `value`.
pub fn set_fat_entry(bytes: &mut [u8], index: usize, value: u32) {
    let per_sector = sector_len(bytes) / 4;
    let sector = fat_sectors(bytes)[index / per_sector];
    let at = sector_offset(bytes, sector) + (index % per_sector) * 4;
    put_u32(bytes, at, value);
}

/// The byte offsets of the directory entries, in the directory's order.
pub fn directory_entries(bytes: &[u8]) -> Vec<usize> {
    let fat = fat(bytes);
    let per_sector = sector_len(bytes) / 128;
    let mut offsets = Vec::new();
    let mut sector = u32_at(bytes, 0x30);
    while (sector as usize) < fat.len() && offsets.len() < fat.len() * per_sector {
        offsets.extend((0..per_sector).map(|index| sector_offset(bytes, sector) + index * 128));
        sector = fat[sector as usize];
    }
    offsets
}

/// The offset of the directory entry named `name`.
pub fn entry_named(bytes: &[u8], name: &str) -> usize {
    let units: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
    directory_entries(bytes)
        .into_iter()
        .find(|&at| bytes[at..at + units.len()] == units[..] && bytes[at + units.len()..at + units.len() + 2] == [0, 0])
        .unwrap_or_else(|| panic!("no directory entry named {name:?}"))
}

/// The first sector and the size a directory entry gives.
pub fn entry_start_and_size(bytes: &[u8], entry: usize) -> (u32, u32) {
    (u32_at(bytes, entry + 0x74), u32_at(bytes, entry + 0x78))
}

/// Points a directory entry at another chain with another size.
pub fn set_entry_start_and_size(bytes: &mut [u8], entry: usize, start: u32, size: u32) {
    put_u32(bytes, entry + 0x74, start);
    put_u32(bytes, entry + 0x78, size);
}

/// Cuts the link from a directory entry to its children (for the root: to everything).
pub fn cut_child_link(bytes: &mut [u8], entry: usize) {
    put_u32(bytes, entry + 0x4C, NO_STREAM);
}

/// Marks the FAT's unused tail "end of chain" rather than "free", as some writers do: the FAT then describes
/// sectors the file does not have, which the `cfb` crate refuses ("FAT has 128 entries, but file has only N
/// sectors") although no stream uses them.
pub fn mark_unused_fat_tail_end_of_chain(bytes: &mut [u8]) {
    let fat = fat(bytes);
    let used = fat.iter().rposition(|&entry| entry != FREE_SECTOR).map_or(0, |last| last + 1);
    for index in used..fat.len() {
        set_fat_entry(bytes, index, END_OF_CHAIN);
    }
}

/// Puts the directory's red-black tree out of name order, as some writers leave it (the `cfb` crate refuses it:
/// "Malformed directory (name ordering)"): the first entry with a sibling gets its left and right siblings
/// swapped. Every entry stays reachable. Panics if no entry has a sibling (a file of one stream).
pub fn put_directory_out_of_order(bytes: &mut [u8]) {
    let entry = directory_entries(bytes)
        .into_iter()
        .find(|&at| {
            matches!(bytes[at + 0x42], 1 | 2)
                && (u32_at(bytes, at + 0x44) != NO_STREAM || u32_at(bytes, at + 0x48) != NO_STREAM)
        })
        .expect("an entry with a sibling");
    let (left, right) = (u32_at(bytes, entry + 0x44), u32_at(bytes, entry + 0x48));
    put_u32(bytes, entry + 0x44, right);
    put_u32(bytes, entry + 0x48, left);
}
