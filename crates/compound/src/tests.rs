//! Compound files written with the `cfb` crate, then damaged the ways real files are: each must open with what
//! survived, saying what was repaired, or fail with a precise reason; none may panic.

use std::io::{Read, Write};

use dossier_document::{ExtractError, Limits};

use super::*;
use crate::damage::*;

const SECTOR: usize = 512;

/// A version 3 compound file with a small stream (in the mini stream), a storage, and a large stream (regular
/// sectors) written last, so that its sectors end the file.
fn sample() -> Vec<u8> {
    let mut compound =
        cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new())).expect("in memory");
    compound.create_stream("/Small").expect("new stream").write_all(b"a small stream's text").expect("in memory");
    compound.create_storage("/ObjectPool").expect("new storage");
    compound.create_stream("/ObjectPool/Inner").expect("new stream").write_all(b"inner").expect("in memory");
    compound.create_stream("/WordDocument").expect("new stream").write_all(&large_content()).expect("in memory");
    compound.flush().expect("in memory");
    compound.into_inner().into_inner()
}

fn large_content() -> Vec<u8> {
    (0..20_000u32).map(|i| (i % 251) as u8).collect()
}

fn open(bytes: Vec<u8>) -> Result<Opened, ExtractError> {
    open_compound_bytes(bytes, "TEST", &Limits::default())
}

fn stream(opened: &mut Opened, path: &str) -> Vec<u8> {
    let mut bytes = Vec::new();
    opened.compound.open_stream(path).expect("the stream exists").read_to_end(&mut bytes).expect("in memory");
    bytes
}

#[test]
fn a_well_formed_file_opens_without_diagnostics() {
    let mut opened = open(sample()).expect("opens");
    assert!(opened.diagnostics.is_empty(), "{:?}", opened.diagnostics);
    assert_eq!(stream(&mut opened, "/WordDocument"), large_content());
}

#[test]
fn a_directory_out_of_name_order_is_read_whole() {
    // Swapped siblings break the red-black tree's order, which `cfb` refuses ("Malformed directory (name
    // ordering)") although every link still leads to its entry.
    let mut bytes = sample();
    put_directory_out_of_order(&mut bytes);
    let refused =
        cfb::CompoundFile::open(Cursor::new(bytes.clone())).map(drop).expect_err("cfb refuses it").to_string();
    assert!(refused.contains("name ordering"), "{refused}");

    let mut opened = open(bytes).expect("opens");
    // Nothing was lost or guessed: the order only speeds up lookups.
    assert!(opened.diagnostics.is_empty(), "{:?}", opened.diagnostics);
    assert_eq!(stream(&mut opened, "/Small"), b"a small stream's text");
    assert_eq!(stream(&mut opened, "/WordDocument"), large_content());
    assert_eq!(stream(&mut opened, "/ObjectPool/Inner"), b"inner");
}

#[test]
fn a_fat_longer_than_the_file_keeps_the_streams_that_are_whole() {
    // The file loses its last sectors, which held the end of the large stream: the FAT now describes sectors
    // that are not there ("FAT has 128 entries, but file has only N sectors").
    let whole = sample();
    let fat = fat(&whole);
    let at = entry_named(&whole, "WordDocument");
    let (start, _) = entry_start_and_size(&whole, at);
    let mut chain = vec![start];
    while fat[*chain.last().expect("not empty") as usize] < 0xFFFF_FFFA {
        chain.push(fat[*chain.last().expect("not empty") as usize]);
    }
    let last = *chain.last().expect("not empty");
    let cut_at = sector_offset(&whole, last);
    // The stream's last sector is the file's last: only it is lost.
    assert_eq!(cut_at + SECTOR, whole.len());
    let bytes = whole[..cut_at].to_vec();
    let refused =
        cfb::CompoundFile::open(Cursor::new(bytes.clone())).map(drop).expect_err("cfb refuses it").to_string();
    assert!(refused.contains("but file has only"), "{refused}");

    let mut opened = open(bytes).expect("opens");
    let recovered = stream(&mut opened, "/WordDocument");
    assert_eq!(recovered.len(), (chain.len() - 1) * SECTOR);
    assert_eq!(recovered[..], large_content()[..recovered.len()]);
    assert_eq!(stream(&mut opened, "/Small"), b"a small stream's text");
    let said = opened.diagnostics.join("\n");
    assert!(said.contains("past the end of the file: WordDocument (19968 of 20000 bytes)"), "{said}");
}

#[test]
fn unused_fat_entries_past_the_end_of_the_file_are_not_damage() {
    let mut bytes = sample();
    mark_unused_fat_tail_end_of_chain(&mut bytes);
    let refused =
        cfb::CompoundFile::open(Cursor::new(bytes.clone())).map(drop).expect_err("cfb refuses it").to_string();
    assert!(refused.contains("but file has only"), "{refused}");
    let mut opened = open(bytes).expect("opens");
    assert!(opened.diagnostics.is_empty(), "{:?}", opened.diagnostics);
    assert_eq!(stream(&mut opened, "/WordDocument"), large_content());
}

#[test]
fn a_chain_that_loops_is_cut_at_the_loop() {
    let mut bytes = sample();
    let at = entry_named(&bytes, "WordDocument");
    let (start, _) = entry_start_and_size(&bytes, at);
    // The stream's third sector points back at its second, which its first points at too.
    let second = fat(&bytes)[start as usize];
    let third = fat(&bytes)[second as usize];
    set_fat_entry(&mut bytes, third as usize, second);
    let refused =
        cfb::CompoundFile::open(Cursor::new(bytes.clone())).map(drop).expect_err("cfb refuses it").to_string();
    assert!(refused.contains("pointed to twice"), "{refused}");
    let mut opened = open(bytes).expect("opens");
    assert_eq!(stream(&mut opened, "/WordDocument"), large_content()[..3 * SECTOR]);
    assert!(opened.diagnostics.iter().any(|line| line.contains("loops")), "{:?}", opened.diagnostics);
}

#[test]
fn a_directory_past_the_end_of_the_file_is_a_truncated_file() {
    let mut bytes = sample();
    bytes[0x30..0x34].copy_from_slice(&5000u32.to_le_bytes());
    match open(bytes) {
        Err(ExtractError::Truncated { detail, .. }) => assert!(detail.contains("past the end"), "{detail}"),
        other => panic!("expected a truncated file, got {:?}", other.map(|opened| opened.diagnostics)),
    }
}

/// A signature followed by zeros was reported as a truncated compound file (its directory "past the end"): it is
/// no compound file at all, and says so.
#[test]
fn a_header_without_its_byte_order_mark_is_not_a_compound_file() {
    let mut bytes = vec![0u8; 512];
    bytes[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    match open(bytes) {
        Err(ExtractError::Malformed { detail, .. }) => assert!(detail.contains("byte order mark"), "{detail}"),
        other => panic!("expected a malformed file, got {:?}", other.map(|opened| opened.diagnostics)),
    }
}

#[test]
fn entries_cut_off_from_the_root_are_recovered_at_the_top_level() {
    let mut bytes = sample();
    // The root's child link is the only way down the tree; breaking it orphans every entry.
    let root = directory_entries(&bytes)[0];
    cut_child_link(&mut bytes, root);
    // (A root without children is a valid empty file to `cfb`; the recovery runs on files it refuses.)
    mark_unused_fat_tail_end_of_chain(&mut bytes);
    let mut opened = open(bytes).expect("opens");
    assert_eq!(stream(&mut opened, "/WordDocument"), large_content());
    assert!(
        opened.diagnostics.iter().any(|line| line.contains("not linked from the root")),
        "{:?}",
        opened.diagnostics
    );
}

#[test]
fn many_entries_sharing_one_chain_cost_bounded_work() {
    // Forty entries all claim the large stream's sectors: the sectors followed are bounded by a few passes over
    // the file, whatever the entries claim.
    let mut compound =
        cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new())).expect("in memory");
    for index in 0..40 {
        compound.create_stream(format!("/s{index:02}")).expect("new stream").write_all(b"x").expect("in memory");
    }
    compound.create_stream("/WordDocument").expect("new stream").write_all(&large_content()).expect("in memory");
    compound.flush().expect("in memory");
    let mut bytes = compound.into_inner().into_inner();
    let large = entry_named(&bytes, "WordDocument");
    let (start, size) = entry_start_and_size(&bytes, large);
    for index in 0..40 {
        let at = entry_named(&bytes, &format!("s{index:02}"));
        set_entry_start_and_size(&mut bytes, at, start, size);
    }
    mark_unused_fat_tail_end_of_chain(&mut bytes);
    let opened = open(bytes).expect("opens");
    assert!(
        opened.diagnostics.iter().any(|line| line.contains("too many sectors were followed")),
        "{:?}",
        opened.diagnostics
    );
}

#[test]
fn every_truncation_and_bit_flip_gives_a_result_or_an_error() {
    let original = sample();
    for cut in (0..original.len()).step_by(97) {
        let _ = open(original[..cut].to_vec());
    }
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    for _ in 0..300 {
        let mut bytes = original.clone();
        for _ in 0..6 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let at = (state as usize) % bytes.len();
            bytes[at] ^= 1 << ((state >> 59) as u8 % 8);
        }
        if let Ok(mut opened) = open(bytes) {
            let paths: Vec<String> =
                opened.compound.walk().map(|entry| entry.path().to_string_lossy().into_owned()).collect();
            for path in paths {
                let _ = read_stream(&mut opened.compound, &path, &Limits::default());
            }
        }
    }
}

/// A name filling all 32 slots of its entry without a NUL (its length field saying nothing) made the rebuild panic
/// inside `cfb`, which writes at most 31 units (found by the fuzz targets doc, xls, ppt, msg and works). The name is
/// cut to what the rebuilt file can hold.
#[test]
fn a_name_without_its_nul_is_cut_to_what_the_rebuilt_file_holds() {
    let mut bytes = sample();
    let small: Vec<u8> = "Small".encode_utf16().flat_map(u16::to_le_bytes).collect();
    let at = bytes.windows(small.len()).position(|window| window == small).expect("the entry of /Small");
    let name: Vec<u8> = std::iter::repeat_n(u16::from(b'S'), 32).flat_map(u16::to_le_bytes).collect();
    bytes[at..at + 64].copy_from_slice(&name);
    bytes[at + 0x40..at + 0x42].copy_from_slice(&0u16.to_le_bytes());
    // Out of name order as well, so that `cfb` refuses the file and it is rebuilt.
    put_directory_out_of_order(&mut bytes);
    let mut opened = open(bytes).expect("opens");
    assert_eq!(stream(&mut opened, &format!("/{}", "S".repeat(31))), b"a small stream's text");
}
