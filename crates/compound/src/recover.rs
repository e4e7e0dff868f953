//! Our own reader of the compound-file structures ([MS-CFB]), for the files the `cfb` crate refuses.
//!
//! Where `cfb` checks the whole file before it reads a byte (a FAT that describes more sectors than the file has, a
//! directory whose red-black tree is not in name order, a chain that points twice at one sector), this reader
//! follows each structure only as far as it is consistent: the header's DIFAT and the DIFAT chain give the FAT
//! sectors that exist, the FAT gives each chain until it ends, loops, leaves the file or meets a free sector, and
//! the directory is read as a flat array whose child and sibling links are followed without regard to their order.
//! Every repair that loses or guesses something is noted (`repairs`); every loop is bounded by the file's size.

use std::collections::HashSet;

/// The first eight bytes of every compound file.
pub(crate) const SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const HEADER_LEN: usize = 512;
const MAX_REGULAR_SECTOR: u32 = 0xFFFF_FFFA;
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const NO_STREAM: u32 = 0xFFFF_FFFF;
const DIR_ENTRY_LEN: usize = 128;
const MINI_SECTOR_LEN: usize = 64;
/// The header's share of the DIFAT: the first 109 FAT sectors.
const HEADER_DIFAT_ENTRIES: usize = 109;
/// Object types of directory entries.
const TYPE_STORAGE: u8 = 1;
const TYPE_STREAM: u8 = 2;
const TYPE_ROOT: u8 = 5;
/// Storages nested deeper than this are not followed (no real file comes near).
const MAX_DEPTH: usize = 64;

/// Why nothing could be recovered.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// Not a compound file at all (no signature, or shorter than its header).
    NotCompound(String),
    /// The structures needed to find any stream lie past the end of the file.
    Truncated(String),
    /// The structures are there but make no sense.
    Malformed(String),
}

/// A storage or a stream found in the directory, with its path from the root.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub path: Vec<String>,
    pub is_storage: bool,
    pub clsid: [u8; 16],
    entry: usize,
}

/// One directory entry as stored.
#[derive(Debug, Clone)]
struct DirEntry {
    name: String,
    object_type: u8,
    left: u32,
    right: u32,
    child: u32,
    clsid: [u8; 16],
    start: u32,
    size: u64,
}

/// A compound file's structures, recovered as far as they go, and its streams on demand.
pub(crate) struct Recovery<'a> {
    bytes: &'a [u8],
    sector_len: usize,
    /// Sectors present in the file, the last one possibly partial.
    sectors_in_file: u32,
    pub major_version: u16,
    fat: Vec<u32>,
    mini_fat: Vec<u32>,
    mini_stream: Vec<u8>,
    mini_cutoff: u64,
    entries: Vec<DirEntry>,
    root: usize,
    pub root_clsid: [u8; 16],
    /// Storages before what they hold.
    pub nodes: Vec<Node>,
    /// What was lost or guessed, in plain words.
    pub repairs: Vec<String>,
    /// Streams read short: (path, bytes recovered, bytes declared, why).
    cut_streams: Vec<(String, usize, u64, &'static str)>,
    /// Whether a chain was found to run past the end of the file (the file was cut short).
    pub ran_past_end: bool,
    /// (storage path, upper-case name) of every node, so that two entries of one name in a storage are kept once.
    taken: HashSet<(Vec<String>, String)>,
    /// Sectors that may still be followed: chains that loop into each other or many entries that share one chain
    /// cannot make the work grow beyond a few passes over the file.
    sector_budget: usize,
    mini_sector_budget: usize,
}

fn u16_at(bytes: &[u8], offset: usize) -> Option<u16> {
    let slice = bytes.get(offset..offset.checked_add(2)?)?;
    Some(u16::from_le_bytes([slice[0], slice[1]]))
}

fn u32_at(bytes: &[u8], offset: usize) -> Option<u32> {
    let slice = bytes.get(offset..offset.checked_add(4)?)?;
    Some(u32::from_le_bytes([slice[0], slice[1], slice[2], slice[3]]))
}

fn u64_at(bytes: &[u8], offset: usize) -> Option<u64> {
    let slice = bytes.get(offset..offset.checked_add(8)?)?;
    let mut array = [0u8; 8];
    array.copy_from_slice(slice);
    Some(u64::from_le_bytes(array))
}

/// How a chain ended before it should have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Break {
    PastEnd,
    Loop,
    Unallocated,
    OutsideTable,
    Budget,
}

impl Break {
    fn describe(self) -> &'static str {
        match self {
            Break::PastEnd => "its sectors run past the end of the file",
            Break::Loop => "its sector chain loops",
            Break::Unallocated => "its sector chain meets a free or reserved sector",
            Break::OutsideTable => "its sector chain points outside the allocation table",
            Break::Budget => "too many sectors were followed in this file",
        }
    }
}

/// Which allocation table a chain runs through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    Fat,
    MiniFat,
}

impl<'a> Recovery<'a> {
    /// Reads the header, the FAT, the directory and the mini stream.
    pub(crate) fn new(bytes: &'a [u8]) -> Result<Recovery<'a>, Failure> {
        if bytes.len() < 8 || bytes[..8] != SIGNATURE {
            return Err(Failure::NotCompound("no compound-file signature".to_string()));
        }
        if bytes.len() < HEADER_LEN {
            return Err(Failure::Truncated(format!("{} bytes end inside the 512-byte header", bytes.len())));
        }
        // Every compound-file writer puts the byte order mark here; a header without it (a signature followed by
        // zeros, say) is not a damaged compound file but no compound file at all.
        if u16_at(bytes, 0x1C) != Some(0xFFFE) {
            return Err(Failure::Malformed("the header has no byte order mark (0xFFFE at offset 28)".to_string()));
        }
        let major_version = u16_at(bytes, 0x1A).unwrap_or(3);
        // The sector size follows from the version; a header that contradicts itself is read by the shift it states
        // when that is one of the two sizes the format knows.
        let sector_len = match (u16_at(bytes, 0x1E), major_version) {
            (Some(9), _) => 512,
            (Some(12), _) => 4096,
            (_, 4) => 4096,
            _ => 512,
        };
        let sectors_in_file = (bytes.len().saturating_sub(sector_len)).div_ceil(sector_len);
        let sectors_in_file = u32::try_from(sectors_in_file).unwrap_or(MAX_REGULAR_SECTOR).min(MAX_REGULAR_SECTOR);
        let mut recovery = Recovery {
            bytes,
            sector_len,
            sectors_in_file,
            major_version,
            fat: Vec::new(),
            mini_fat: Vec::new(),
            mini_stream: Vec::new(),
            mini_cutoff: u64::from(u32_at(bytes, 0x38).unwrap_or(4096)),
            entries: Vec::new(),
            root: 0,
            root_clsid: [0; 16],
            nodes: Vec::new(),
            repairs: Vec::new(),
            cut_streams: Vec::new(),
            ran_past_end: false,
            taken: HashSet::new(),
            sector_budget: (sectors_in_file as usize).saturating_mul(4).saturating_add(64),
            mini_sector_budget: 0,
        };
        if recovery.mini_cutoff != 4096 {
            recovery.repairs.push(format!(
                "the header gives a mini stream cutoff of {} bytes instead of 4096; 4096 was used",
                recovery.mini_cutoff
            ));
            recovery.mini_cutoff = 4096;
        }
        recovery.read_fat();
        recovery.read_directory()?;
        recovery.read_mini_stream();
        recovery.build_tree();
        if recovery.nodes.is_empty() {
            return Err(Failure::Malformed("the directory lists no storage or stream".to_string()));
        }
        Ok(recovery)
    }

    fn sector(&self, id: u32) -> &'a [u8] {
        let start = (id as usize).saturating_add(1).saturating_mul(self.sector_len);
        let end = start.saturating_add(self.sector_len).min(self.bytes.len());
        self.bytes.get(start..end).unwrap_or(&[])
    }

    /// The FAT sectors named by the header's DIFAT and the DIFAT chain, and the FAT they hold.
    fn read_fat(&mut self) {
        let per_sector = self.sector_len / 4;
        let mut fat_sectors: Vec<u32> = Vec::new();
        for index in 0..HEADER_DIFAT_ENTRIES {
            match u32_at(self.bytes, 0x4C + index * 4) {
                Some(id) if id <= MAX_REGULAR_SECTOR => fat_sectors.push(id),
                _ => break,
            }
        }
        let mut difat_sector = u32_at(self.bytes, 0x44).unwrap_or(END_OF_CHAIN);
        let mut seen = HashSet::new();
        while difat_sector <= MAX_REGULAR_SECTOR && fat_sectors.len() < self.sectors_in_file as usize {
            if difat_sector >= self.sectors_in_file {
                self.repairs.push(format!(
                    "a DIFAT sector lies past the end of the file: FAT sectors listed after {} are lost",
                    fat_sectors.len()
                ));
                break;
            }
            if !seen.insert(difat_sector) {
                self.repairs.push("the DIFAT chain loops; it was followed up to the loop".to_string());
                break;
            }
            let sector = self.sector(difat_sector);
            for index in 0..per_sector - 1 {
                match u32_at(sector, index * 4) {
                    Some(id) if id <= MAX_REGULAR_SECTOR => fat_sectors.push(id),
                    _ => break,
                }
            }
            difat_sector = u32_at(sector, (per_sector - 1) * 4).unwrap_or(END_OF_CHAIN);
        }
        // More FAT sectors than sectors in the file can only be garbage; the FAT is bounded by the file's size.
        fat_sectors.truncate(self.sectors_in_file as usize);
        let declared = u32_at(self.bytes, 0x2C).unwrap_or(0) as usize;
        if declared > fat_sectors.len() {
            self.repairs
                .push(format!("the header counts {declared} FAT sectors but only {} are listed", fat_sectors.len()));
        }
        let mut missing = 0usize;
        self.fat.reserve(fat_sectors.len() * per_sector);
        for id in fat_sectors {
            let sector = if id < self.sectors_in_file { self.sector(id) } else { &[] };
            if sector.len() < self.sector_len {
                missing += 1;
            }
            // Entries of a FAT sector that is not in the file are unknown: free, so that chains through them end.
            self.fat.extend((0..per_sector).map(|index| u32_at(sector, index * 4).unwrap_or(NO_STREAM)));
        }
        if missing > 0 {
            self.repairs
                .push(format!("{missing} FAT sector(s) lie past the end of the file: chains through them are cut"));
        }
    }

    /// Follows a chain from `start` through the FAT or the MiniFAT, at most `max_sectors` long. Returns the sector
    /// ids and, when it ended before `max_sectors` without an end-of-chain mark, why.
    fn chain(&mut self, table: Table, start: u32, max_sectors: usize) -> (Vec<u32>, Option<Break>) {
        let (entries, in_file): (&[u32], u32) = match table {
            Table::Fat => (&self.fat, self.sectors_in_file),
            Table::MiniFat => {
                (&self.mini_fat, u32::try_from(self.mini_stream.len() / MINI_SECTOR_LEN).unwrap_or(MAX_REGULAR_SECTOR))
            }
        };
        let mut sectors = Vec::new();
        let mut seen = HashSet::new();
        let mut next = start;
        let mut broken = None;
        while sectors.len() < max_sectors {
            if next == END_OF_CHAIN {
                break;
            }
            if next > MAX_REGULAR_SECTOR {
                broken = Some(Break::Unallocated);
                break;
            }
            if next >= in_file {
                broken = Some(Break::PastEnd);
                self.ran_past_end = true;
                break;
            }
            if !seen.insert(next) {
                broken = Some(Break::Loop);
                break;
            }
            let budget = match table {
                Table::Fat => &mut self.sector_budget,
                Table::MiniFat => &mut self.mini_sector_budget,
            };
            if *budget == 0 {
                broken = Some(Break::Budget);
                break;
            }
            *budget -= 1;
            sectors.push(next);
            match entries.get(next as usize) {
                Some(&following) => next = following,
                None => {
                    // The last sector of a chain whose FAT entry is missing: what it holds is kept, the chain ends.
                    if sectors.len() < max_sectors {
                        broken = Some(Break::OutsideTable);
                    }
                    break;
                }
            }
        }
        (sectors, broken)
    }

    fn read_directory(&mut self) -> Result<(), Failure> {
        let first = u32_at(self.bytes, 0x30).unwrap_or(END_OF_CHAIN);
        if first > MAX_REGULAR_SECTOR {
            return Err(Failure::Malformed(format!("the header names no directory sector ({first:#x})")));
        }
        if first >= self.sectors_in_file {
            return Err(Failure::Truncated(format!(
                "the directory starts at sector {first}, past the end of the file ({} sectors)",
                self.sectors_in_file
            )));
        }
        let (sectors, broken) = self.chain(Table::Fat, first, self.sectors_in_file as usize);
        if let Some(broken) = broken {
            self.repairs.push(format!(
                "the directory is cut after {} sector(s): {}; the entries after that are lost",
                sectors.len(),
                broken.describe()
            ));
        }
        for id in sectors {
            let sector = self.sector(id);
            for entry in sector.chunks_exact(DIR_ENTRY_LEN) {
                self.entries.push(parse_entry(entry, self.major_version));
            }
        }
        if self.entries.is_empty() {
            return Err(Failure::Truncated("the directory sector is cut short".to_string()));
        }
        self.root = self.root_index();
        Ok(())
    }

    /// The root entry is the first one; a damaged first entry is replaced by the first entry typed as a root.
    fn root_index(&mut self) -> usize {
        if self.entries[0].object_type == TYPE_ROOT {
            return 0;
        }
        match self.entries.iter().position(|entry| entry.object_type == TYPE_ROOT) {
            Some(index) => {
                self.repairs.push(format!("the first directory entry is not the root; entry {index} is used"));
                index
            }
            None => {
                self.repairs.push("the directory has no root entry; the first entry is used as the root".to_string());
                0
            }
        }
    }

    fn read_mini_stream(&mut self) {
        let root = self.entries[self.root].clone();
        self.root_clsid = root.clsid;
        let declared = root.size;
        if declared > 0 {
            let wanted = declared.div_ceil(self.sector_len as u64).min(u64::from(self.sectors_in_file)) as usize;
            let (sectors, broken) = self.chain(Table::Fat, root.start, wanted);
            for id in &sectors {
                self.mini_stream.extend_from_slice(self.sector(*id));
            }
            self.mini_stream.truncate(usize::try_from(declared).unwrap_or(usize::MAX));
            if let Some(broken) = broken {
                self.repairs.push(format!(
                    "the mini stream (small streams) is cut to {} of {declared} bytes: {}",
                    self.mini_stream.len(),
                    broken.describe()
                ));
            }
        }
        let mini_sectors = self.mini_stream.len() / MINI_SECTOR_LEN;
        self.mini_sector_budget = mini_sectors.saturating_mul(4).saturating_add(64);
        let first = u32_at(self.bytes, 0x3C).unwrap_or(END_OF_CHAIN);
        if first <= MAX_REGULAR_SECTOR {
            let (sectors, broken) = self.chain(Table::Fat, first, self.sectors_in_file as usize);
            for id in &sectors {
                let sector = self.sector(*id);
                self.mini_fat.extend(
                    sector
                        .chunks_exact(4)
                        .map(|entry| u32::from_le_bytes(entry.try_into().expect("chunks_exact gives four bytes"))),
                );
            }
            if let Some(broken) = broken {
                self.repairs.push(format!(
                    "the MiniFAT is cut after {} sector(s): {}; small streams beyond it are cut",
                    sectors.len(),
                    broken.describe()
                ));
            }
        }
    }

    /// Walks the directory from the root: each storage's children are the nodes of the sibling tree under its
    /// `child`, whatever their order. Entries the walk does not reach are recovered at the top level.
    fn build_tree(&mut self) {
        let root = self.root;
        let mut visited = vec![false; self.entries.len()];
        visited[root] = true;
        let mut bad_links = 0usize;
        let mut stack: Vec<(u32, Vec<String>)> = vec![(self.entries[root].child, Vec::new())];
        self.walk_siblings(&mut stack, &mut visited, &mut bad_links);
        let reached = visited.iter().filter(|&&seen| seen).count();
        // Entries no link reaches: a damaged link above them cut them off.
        let mut orphans = 0usize;
        for index in 0..self.entries.len() {
            let kind = self.entries[index].object_type;
            if visited[index] || !(kind == TYPE_STORAGE || kind == TYPE_STREAM) {
                continue;
            }
            let before = self.nodes.len();
            let mut stack = vec![(index as u32, Vec::new())];
            self.walk_siblings(&mut stack, &mut visited, &mut bad_links);
            orphans += self.nodes.len() - before;
        }
        if bad_links > 0 {
            self.repairs.push(format!(
                "{bad_links} link(s) of the directory tree point to missing or invalid entries, or loop"
            ));
        }
        if orphans > 0 {
            self.repairs.push(format!(
                "{orphans} directory entr{} not linked from the root (of {reached} linked) recovered at the top level",
                if orphans == 1 { "y" } else { "ies" }
            ));
        }
    }

    /// Visits sibling trees: each stack item is the first entry of a sibling tree and the path of the storage
    /// that holds it. Storages found push their own children.
    fn walk_siblings(&mut self, stack: &mut Vec<(u32, Vec<String>)>, visited: &mut [bool], bad_links: &mut usize) {
        while let Some((first, parent)) = stack.pop() {
            let mut siblings = vec![first];
            while let Some(id) = siblings.pop() {
                if id == NO_STREAM {
                    continue;
                }
                let index = id as usize;
                if index >= self.entries.len() || visited[index] {
                    *bad_links += 1;
                    continue;
                }
                visited[index] = true;
                let entry = self.entries[index].clone();
                siblings.push(entry.left);
                siblings.push(entry.right);
                let is_storage = match entry.object_type {
                    TYPE_STORAGE => true,
                    TYPE_STREAM => false,
                    _ => {
                        *bad_links += 1;
                        continue;
                    }
                };
                let Some(name) = usable_name(&entry.name) else {
                    self.repairs.push(format!("directory entry {index} has no usable name and was skipped"));
                    continue;
                };
                // Names compare as the `cfb` crate compares them (upper case): two it would take for one are kept once.
                if !self.taken.insert((parent.clone(), name.to_uppercase())) {
                    self.repairs.push(format!("a second entry named {name:?} in one storage was skipped"));
                    continue;
                }
                let mut path = parent.clone();
                path.push(name);
                if is_storage && path.len() < MAX_DEPTH {
                    stack.push((entry.child, path.clone()));
                }
                self.nodes.push(Node { path, is_storage, clsid: entry.clsid, entry: index });
            }
        }
    }

    /// A stream's bytes, as many as its chain holds (at most its declared size and `max_bytes`). A stream cut short
    /// is noted in `repairs`.
    pub(crate) fn stream(&mut self, node: &Node, max_bytes: u64) -> Vec<u8> {
        let entry = self.entries[node.entry].clone();
        let size = entry.size;
        if size == 0 {
            return Vec::new();
        }
        let wanted = size.min(max_bytes);
        let mini = size < self.mini_cutoff;
        let path = node.path.join("/");
        if mini && self.mini_stream.is_empty() {
            self.cut_streams.push((path, 0, size, "the mini stream that holds small streams is lost"));
            return Vec::new();
        }
        let (unit, table, available) = if mini {
            (MINI_SECTOR_LEN, Table::MiniFat, self.mini_stream.len() / MINI_SECTOR_LEN)
        } else {
            (self.sector_len, Table::Fat, self.sectors_in_file as usize)
        };
        let max_sectors = usize::try_from(wanted.div_ceil(unit as u64)).unwrap_or(usize::MAX).min(available);
        let (sectors, broken) = self.chain(table, entry.start, max_sectors);
        let mut data = Vec::with_capacity(sectors.len().saturating_mul(unit));
        for id in sectors {
            if mini {
                let start = id as usize * MINI_SECTOR_LEN;
                data.extend_from_slice(self.mini_stream.get(start..start + MINI_SECTOR_LEN).unwrap_or(&[]));
            } else {
                data.extend_from_slice(self.sector(id));
            }
        }
        data.truncate(usize::try_from(wanted).unwrap_or(usize::MAX));
        if (data.len() as u64) < size {
            let why = match broken {
                Some(broken) => broken.describe(),
                None if data.len() as u64 == max_bytes => "the rest is beyond the memory limit",
                None if max_sectors == available => {
                    self.ran_past_end = true;
                    "its sectors run past the end of the file"
                }
                None => "its sector chain ends before its declared size",
            };
            self.cut_streams.push((path, data.len(), size, why));
        }
        data
    }

    /// The size a stream's directory entry declares.
    pub(crate) fn declared_size(&self, node: &Node) -> u64 {
        self.entries[node.entry].size
    }

    /// The streams read short, one line per reason, naming the first few.
    pub(crate) fn stream_repairs(&self) -> Vec<String> {
        const NAMED: usize = 8;
        let mut reasons: Vec<&'static str> = self.cut_streams.iter().map(|(_, _, _, why)| *why).collect();
        reasons.dedup();
        reasons.sort_unstable();
        reasons.dedup();
        reasons
            .into_iter()
            .map(|why| {
                let cut: Vec<_> = self.cut_streams.iter().filter(|(_, _, _, reason)| *reason == why).collect();
                let mut named: Vec<String> = cut
                    .iter()
                    .take(NAMED)
                    .map(|(path, got, size, _)| format!("{path} ({got} of {size} bytes)"))
                    .collect();
                if cut.len() > NAMED {
                    named.push(format!("{} more", cut.len() - NAMED));
                }
                format!("{} stream(s) read short, {why}: {}", cut.len(), named.join(", "))
            })
            .collect()
    }
}

/// A name the rebuilt file can hold: not empty, not a path component of its own, without the characters the
/// `cfb` crate refuses in names, and at most 31 UTF-16 units (a stored name may fill all 32 slots without its NUL,
/// which `cfb` asserts against when it writes the entry).
fn usable_name(name: &str) -> Option<String> {
    if name.is_empty() || name == "." || name == ".." {
        return None;
    }
    let mut units = 0;
    let usable: String = name
        .chars()
        .take_while(|c| {
            units += c.len_utf16();
            units <= MAX_NAME_UNITS
        })
        .map(|c| if matches!(c, '/' | '\\' | ':' | '!') { '_' } else { c })
        .collect();
    Some(usable)
}

/// The longest name the `cfb` crate writes, in UTF-16 code units.
const MAX_NAME_UNITS: usize = 31;

fn parse_entry(entry: &[u8], major_version: u16) -> DirEntry {
    let name_bytes = u16_at(entry, 0x40).unwrap_or(0) as usize;
    let units: Vec<u16> = entry[..64].chunks_exact(2).map(|pair| u16::from_le_bytes([pair[0], pair[1]])).collect();
    // The length counts the terminating NUL; a length that lies is replaced by the position of the first NUL.
    let count = if (2..=64).contains(&name_bytes) && name_bytes % 2 == 0 {
        name_bytes / 2 - 1
    } else {
        units.iter().position(|&unit| unit == 0).unwrap_or(units.len())
    };
    let name = String::from_utf16_lossy(&units[..count.min(units.len())]);
    let mut clsid = [0u8; 16];
    clsid.copy_from_slice(&entry[0x50..0x60]);
    let size = u64_at(entry, 0x78).unwrap_or(0);
    // Version 3 files have 32-bit sizes; writers leave garbage in the high half.
    let size = if major_version == 4 { size } else { size & 0xFFFF_FFFF };
    DirEntry {
        name,
        object_type: entry[0x42],
        left: u32_at(entry, 0x44).unwrap_or(NO_STREAM),
        right: u32_at(entry, 0x48).unwrap_or(NO_STREAM),
        child: u32_at(entry, 0x4C).unwrap_or(NO_STREAM),
        clsid,
        start: u32_at(entry, 0x74).unwrap_or(END_OF_CHAIN),
        size,
    }
}
