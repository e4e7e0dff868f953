//! Excel 97-2003 workbooks encrypted with RC4: those only protected against writing are encrypted with Excel's
//! fixed password "VelvetSweatshop", which any reader may use; they failed as `encrypted`. The workbooks here are
//! the BIFF8 fixture encrypted by this test's own implementation of [MS-OFFCRYPTO] 2.3.5-2.3.6.

use std::io::{Read, Write};
use std::path::Path;

use dossier_document::{Context, ExtractError, Extraction, Limits, MemorySink, Options, Source};
use md5::{Digest as _, Md5};
use sha1::Sha1;

const FILEPASS: u16 = 0x002F;
const BOUNDSHEET: u16 = 0x0085;

/// The key stream of RC4 under `key`, `len` bytes of it.
fn rc4_keystream(key: &[u8], len: usize) -> Vec<u8> {
    let mut s: Vec<u8> = (0..=255).collect();
    let mut j = 0usize;
    for i in 0..256 {
        j = (j + s[i] as usize + key[i % key.len()] as usize) % 256;
        s.swap(i, j);
    }
    let (mut i, mut j) = (0usize, 0usize);
    (0..len)
        .map(|_| {
            i = (i + 1) % 256;
            j = (j + s[i] as usize) % 256;
            s.swap(i, j);
            s[(s[i] as usize + s[j] as usize) % 256]
        })
        .collect()
}

fn xor(data: &[u8], keystream: &[u8]) -> Vec<u8> {
    data.iter().zip(keystream).map(|(a, b)| a ^ b).collect()
}

enum Kind {
    /// Office 97 RC4, MD5-derived keys.
    Office97,
    /// CryptoAPI RC4 with a 40-bit SHA-1-derived key.
    CryptoApi40,
}

/// The per-block key of `password` under `salt`.
fn block_key(kind: &Kind, password: &str, salt: &[u8; 16], block: u32) -> Vec<u8> {
    let utf16: Vec<u8> = password.encode_utf16().flat_map(u16::to_le_bytes).collect();
    match kind {
        Kind::Office97 => {
            let h0 = Md5::digest(&utf16);
            let buffer: Vec<u8> = (0..16).flat_map(|_| h0[..5].iter().chain(salt.iter()).copied()).collect();
            let h1 = Md5::digest(&buffer);
            Md5::digest([&h1[..5], &block.to_le_bytes()[..]].concat()).to_vec()
        }
        Kind::CryptoApi40 => {
            let h0 = Sha1::digest([&salt[..], &utf16].concat());
            let hash = Sha1::digest([&h0[..], &block.to_le_bytes()[..]].concat());
            [&hash[..5], &[0u8; 11][..]].concat()
        }
    }
}

/// The FILEPASS payload that lets `password` open the workbook.
fn filepass(kind: &Kind, password: &str, salt: &[u8; 16]) -> Vec<u8> {
    let verifier: Vec<u8> = (0u8..16).map(|n| n.wrapping_mul(37).wrapping_add(11)).collect();
    let key = block_key(kind, password, salt, 0);
    match kind {
        Kind::Office97 => {
            let plain = [verifier.clone(), Md5::digest(&verifier).to_vec()].concat();
            let encrypted = xor(&plain, &rc4_keystream(&key, plain.len()));
            [&[1u8, 0, 1, 0, 1, 0][..], salt, &encrypted].concat()
        }
        Kind::CryptoApi40 => {
            let plain = [verifier.clone(), Sha1::digest(&verifier).to_vec()].concat();
            let encrypted = xor(&plain, &rc4_keystream(&key, plain.len()));
            let provider: Vec<u8> =
                "Microsoft Base Cryptographic Provider v1.0\0".encode_utf16().flat_map(u16::to_le_bytes).collect();
            let mut header = Vec::new();
            for field in [0x04u32, 0, 0x6801, 0x8004, 40, 1, 0, 0] {
                header.extend_from_slice(&field.to_le_bytes());
            }
            header.extend_from_slice(&provider);
            let mut out = vec![1u8, 0, 2, 0, 2, 0];
            out.extend_from_slice(&0x04u32.to_le_bytes());
            out.extend_from_slice(&(header.len() as u32).to_le_bytes());
            out.extend_from_slice(&header);
            out.extend_from_slice(&16u32.to_le_bytes());
            out.extend_from_slice(salt);
            out.extend_from_slice(&encrypted[..16]);
            out.extend_from_slice(&20u32.to_le_bytes());
            out.extend_from_slice(&encrypted[16..]);
            out
        }
    }
}

/// The records of a workbook stream: type, payload.
fn records(stream: &[u8]) -> Vec<(u16, Vec<u8>)> {
    let mut out = Vec::new();
    let mut at = 0;
    while at + 4 <= stream.len() {
        let kind = u16::from_le_bytes([stream[at], stream[at + 1]]);
        let len = u16::from_le_bytes([stream[at + 2], stream[at + 3]]) as usize;
        out.push((kind, stream[at + 4..at + 4 + len].to_vec()));
        at += 4 + len;
    }
    out
}

/// The fixture's workbook stream with a FILEPASS record after its BOF and every later record's payload encrypted
/// as Excel does (BOF, FILEPASS and a BOUNDSHEET's sheet offset left in clear).
fn encrypted_workbook(kind: &Kind, password: &str) -> Vec<u8> {
    let original = std::fs::read(fixture()).expect("the BIFF8 fixture exists");
    let mut compound = cfb::CompoundFile::open(std::io::Cursor::new(original)).expect("the fixture is a compound file");
    let mut stream = Vec::new();
    compound.open_stream("/Workbook").expect("a Workbook stream").read_to_end(&mut stream).expect("readable");
    let salt: [u8; 16] = std::array::from_fn(|n| (n as u8).wrapping_mul(13).wrapping_add(5));
    let filepass = filepass(kind, password, &salt);
    let shift = (4 + filepass.len()) as u32;
    let mut plain = Vec::new();
    let mut clear = Vec::new();
    for (index, (record_kind, mut data)) in records(&stream).into_iter().enumerate() {
        if record_kind == BOUNDSHEET {
            let offset = u32::from_le_bytes(data[0..4].try_into().expect("four bytes")) + shift;
            data[0..4].copy_from_slice(&offset.to_le_bytes());
        }
        let start = plain.len() + 4;
        plain.extend_from_slice(&record_kind.to_le_bytes());
        plain.extend_from_slice(&(data.len() as u16).to_le_bytes());
        plain.extend_from_slice(&data);
        let clear_bytes = match record_kind {
            0x0809 => data.len(),
            BOUNDSHEET => 4,
            _ => 0,
        };
        clear.push(start..start + clear_bytes);
        if index == 0 {
            clear.push(plain.len() + 4..plain.len() + 4 + filepass.len());
            plain.extend_from_slice(&FILEPASS.to_le_bytes());
            plain.extend_from_slice(&(filepass.len() as u16).to_le_bytes());
            plain.extend_from_slice(&filepass);
        }
    }
    // Headers stay in clear too: only payload bytes outside `clear` are encrypted, by their place in the stream.
    let mut headers = vec![false; plain.len()];
    let mut at = 0;
    while at + 4 <= plain.len() {
        headers[at..at + 4].fill(true);
        at += 4 + u16::from_le_bytes([plain[at + 2], plain[at + 3]]) as usize;
    }
    let mut encrypted = plain.clone();
    for (block, chunk) in encrypted.chunks_mut(1024).enumerate() {
        let keystream = rc4_keystream(&block_key(kind, password, &salt, block as u32), 1024);
        for (offset, byte) in chunk.iter_mut().enumerate() {
            let position = block * 1024 + offset;
            if !headers[position] && !clear.iter().any(|range| range.contains(&position)) {
                *byte ^= keystream[offset];
            }
        }
    }
    let mut out = cfb::CompoundFile::create_with_version(cfb::Version::V3, std::io::Cursor::new(Vec::new()))
        .expect("in-memory compound file");
    out.create_stream("/Workbook").expect("new stream").write_all(&encrypted).expect("in-memory write");
    out.flush().expect("in-memory flush");
    out.into_inner().into_inner()
}

fn fixture() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/xls/0001_payments_biff8.xls")
}

fn read(bytes: &[u8], name: &str, passwords: &[&str]) -> Result<Extraction, ExtractError> {
    let dir = std::env::temp_dir().join(format!("dossier-legacy-xls-encrypted-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir is writable");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("temp file is writable");
    let limits = Limits::default();
    let options = Options { passwords: passwords.iter().map(|p| p.to_string()).collect(), ..Options::default() };
    let mut sink = MemorySink::new(&limits, bytes.len() as u64);
    let mut context = Context { limits: &limits, options: &options, sink: &mut sink };
    let result = dossier_legacy::read_xls(&Source { path: &path, name: Some(name) }, &mut context);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn plain_text() -> String {
    let bytes = std::fs::read(fixture()).expect("the BIFF8 fixture exists");
    read(&bytes, "plain.xls", &[]).expect("the fixture reads").text
}

#[test]
fn a_workbook_encrypted_with_excels_default_password_is_read() {
    let extraction = read(&encrypted_workbook(&Kind::Office97, "VelvetSweatshop"), "velvet.xls", &[])
        .expect("the default password opens it");
    assert_eq!(extraction.text, plain_text());
    assert!(extraction.text.contains("ООО «Вектор»"));
    assert_eq!(extraction.metadata.get_str("encryption").as_deref(), Some("RC4 (Office 97)"));
    assert_eq!(
        extraction.metadata.get_str("decrypted_with").as_deref(),
        Some("Excel's default password (the file was only write-protected)")
    );
}

#[test]
fn a_cryptoapi_workbook_encrypted_with_excels_default_password_is_read() {
    let extraction = read(&encrypted_workbook(&Kind::CryptoApi40, "VelvetSweatshop"), "cryptoapi.xls", &[])
        .expect("the default password opens it");
    assert_eq!(extraction.text, plain_text());
    assert_eq!(extraction.metadata.get_str("encryption").as_deref(), Some("RC4 CryptoAPI"));
}

#[test]
fn a_workbook_encrypted_with_another_password_opens_only_with_it() {
    let bytes = encrypted_workbook(&Kind::Office97, "секрет");
    match read(&bytes, "secret.xls", &["wrong"]) {
        Err(ExtractError::Encrypted(Some(detail))) => assert!(detail.contains("no given password"), "{detail}"),
        other => panic!("expected encrypted, got {other:?}"),
    }
    let extraction = read(&bytes, "secret.xls", &["wrong", "секрет"]).expect("the given password opens it");
    assert_eq!(extraction.text, plain_text());
    assert_eq!(extraction.metadata.get_str("decrypted_with").as_deref(), Some("a given password"));
}
