//! Writes the RAR golden-test fixtures into `test_data/rar/` with a minimal RAR 2.9/4 writer of our own: stored
//! (uncompressed, method 0x30) members only, which is all a test needs, since unar does the decompressing.
//! Deterministic: run it again and nothing changes. Debian's `rar` (the only RAR compressor) is non-free, so no
//! compressed fixture is made; the corpus files cover compressed RAR in `tests/it/rar.rs`.
//! `cargo run -p dossier-archive --example archive_make_rar_fixtures`, then
//! `DOSSIER_UPDATE_GOLDEN=1 cargo test -p dossier-archive` and review the `.expected` files.

use std::path::PathBuf;

const MARKER: &[u8] = b"Rar!\x1a\x07\x00";
/// The end-of-archive block as WinRAR writes it.
const END_OF_ARCHIVE: &[u8] = &[0xC4, 0x3D, 0x7B, 0x00, 0x40, 0x07, 0x00];
const FLAG_LONG_BLOCK: u16 = 0x8000;
const FLAG_ENCRYPTED: u16 = 0x0004;
const FLAG_DIRECTORY: u16 = 0x00E0;

/// CRC-32 (IEEE), bit by bit: fixtures are tiny.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A block: the CRC (low 16 bits of the CRC-32 of everything after it) in front of `body`.
fn block(body: &[u8]) -> Vec<u8> {
    let mut out = ((crc32(body) & 0xFFFF) as u16).to_le_bytes().to_vec();
    out.extend_from_slice(body);
    out
}

fn main_header() -> Vec<u8> {
    let mut body = vec![0x73];
    body.extend_from_slice(&0u16.to_le_bytes());
    body.extend_from_slice(&13u16.to_le_bytes());
    body.extend_from_slice(&[0; 6]);
    block(&body)
}

/// DOS date and time of 2024-03-15 13:05:08.
const DOS_TIME: u32 = ((2024 - 1980) << 25) | (3 << 21) | (15 << 16) | (13 << 11) | (5 << 5) | 4;

/// A stored member (or a directory, with no data) written by a Unix host.
fn member(name: &str, data: &[u8], extra_flags: u16) -> Vec<u8> {
    let directory = extra_flags & FLAG_DIRECTORY == FLAG_DIRECTORY;
    let mode: u32 = if directory { 0o40755 } else { 0o100644 };
    // RAR stores paths with backslashes, whatever the host.
    member_bytes(name.replace('/', "\\").as_bytes(), data, extra_flags, 3, mode)
}

/// A stored member whose name is `name` as stored (backslashes, the host's code page), from host 2 (Windows, with
/// an attribute word) or 3 (Unix, with a mode).
fn member_bytes(name: &[u8], data: &[u8], extra_flags: u16, host: u8, attributes: u32) -> Vec<u8> {
    let mut body = vec![0x74];
    body.extend_from_slice(&(FLAG_LONG_BLOCK | extra_flags).to_le_bytes());
    body.extend_from_slice(&((32 + name.len()) as u16).to_le_bytes());
    body.extend_from_slice(&(data.len() as u32).to_le_bytes()); // packed size
    body.extend_from_slice(&(data.len() as u32).to_le_bytes()); // unpacked size
    body.push(host);
    body.extend_from_slice(&crc32(data).to_le_bytes());
    body.extend_from_slice(&DOS_TIME.to_le_bytes());
    body.push(20); // version needed: 2.0
    body.push(0x30); // stored
    body.extend_from_slice(&(name.len() as u16).to_le_bytes());
    body.extend_from_slice(&attributes.to_le_bytes());
    body.extend_from_slice(name);
    let mut out = block(&body);
    out.extend_from_slice(data);
    out
}

/// `text` in IBM866, the OEM code page a Russian Windows RAR writes names in when they fit (no Unicode flag).
fn cp866(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            'А'..='п' => (c as u32 - 'А' as u32 + 0x80) as u8,
            'р'..='я' => (c as u32 - 'р' as u32 + 0xE0) as u8,
            'Ё' => 0xF0,
            'ё' => 0xF1,
            '№' => 0xFC,
            c if c.is_ascii() => c as u8,
            other => panic!("{other} is not in this table of IBM866"),
        })
        .collect()
}

fn archive(members: &[Vec<u8>]) -> Vec<u8> {
    [MARKER.to_vec(), main_header(), members.concat(), END_OF_ARCHIVE.to_vec()].concat()
}

fn main() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test_data").join("rar");
    std::fs::create_dir_all(&dir).expect("create the fixture folder");
    let write = |file: &str, bytes: &[u8]| std::fs::write(dir.join(file), bytes).expect("write a fixture");

    let letter = "Уважаемый Иван Иванович!\nНаправляем договор поставки № 17.\n".as_bytes();
    let readme = b"# Readme\nA stored RAR member.\n";
    let stored = archive(&[
        member("docs", b"", FLAG_DIRECTORY),
        member("docs/letter.txt", letter, 0),
        member("readme.md", readme, 0),
    ]);
    write("0001_stored.rar", &stored);

    // Every member marked encrypted (the data is placeholder bytes: without the password nothing is read).
    write("0002_all_encrypted.rar", &archive(&[member("secret.txt", &[0x5A; 32], FLAG_ENCRYPTED)]));

    // Cut off inside the last member's data.
    write("0003_truncated.rar", &stored[..stored.len() - END_OF_ARCHIVE.len() - 10]);

    write("0004_not_rar.rar", b"This is a text file with a .rar name.\n");
    write("0005_signature_only.rar", b"Rar!\x1a\x07");
    let mut garbage = MARKER.to_vec();
    garbage.extend((0..2000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    write("0006_garbage_after_signature.rar", &garbage);

    // A member whose path climbs out of the extraction folder, next to a harmless one.
    write(
        "0007_path_escape.rar",
        &archive(&[member("../escape.txt", b"escaped\n", 0), member("ok.txt", b"fine\n", 0)]),
    );

    write("0008_empty_archive.rar", &archive(&[]));

    // Names in IBM866 without the Unicode flag, as WinRAR on a Russian Windows wrote them (file attribute 0x20).
    let text = "Приказ о проверке.\n".as_bytes();
    write(
        "0009_cp866_names.rar",
        &archive(&[
            member_bytes(&cp866("Приказ №1.txt"), text, 0, 2, 0x20),
            member_bytes(&cp866("Бухгалтерия\\Отчёт за 2015 год.txt"), text, 0, 2, 0x20),
        ]),
    );
    println!("fixtures written to {}", dir.display());
}
