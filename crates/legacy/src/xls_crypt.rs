//! Password-protected Excel 97-2003 workbooks ([MS-XLS] 2.2.10, [MS-OFFCRYPTO] 2.3.5 and 2.3.6): a `FILEPASS`
//! record near the start of the workbook stream says the bytes of every later record (not their headers) are
//! encrypted with RC4, keyed per 1024-byte block of the stream from the password. Excel encrypts a workbook that
//! is only protected against writing with its fixed password "VelvetSweatshop", which any reader can use: such a
//! file is not secret, and is read. The user's passwords are tried first, then that one; a password is recognised
//! by the verifier in `FILEPASS`, not by decrypting garbage.
//!
//! Both RC4 schemes are read: Office 97 (MD5 key derivation) and CryptoAPI (SHA-1, Excel 2002-2003). The XOR
//! obfuscation of older workbooks is not.

use md5::{Digest as _, Md5};
use sha1::Sha1;

use crate::compound::{u16_at, u32_at};

/// Excel encrypts a workbook that is only protected against writing with this password.
pub(crate) const EXCEL_DEFAULT_PASSWORD: &str = "VelvetSweatshop";
/// The RC4 key changes every this many bytes of the workbook stream.
const BLOCK_LEN: usize = 1024;
/// Records Excel never encrypts ([MS-XLS] 2.2.10): BOF, FILEPASS, UsrExcl, FileLock, InterfaceHdr, RRDInfo,
/// RRDHead.
const NEVER_ENCRYPTED: [u16; 7] = [0x0809, 0x002F, 0x0194, 0x0195, 0x00E1, 0x0196, 0x0138];
/// A BOUNDSHEET record's first four bytes (the offset of the sheet's BOF) are not encrypted.
const BOUNDSHEET: u16 = 0x0085;

/// How a workbook's records are encrypted, as its `FILEPASS` record says.
pub(crate) enum Scheme {
    /// RC4 with MD5 key derivation (Office 97/2000 compatible).
    Office97 { salt: [u8; 16], verifier: [u8; 16], verifier_hash: [u8; 16] },
    /// RC4 with SHA-1 key derivation through the CryptoAPI, `key_bytes` long.
    CryptoApi { salt: Vec<u8>, verifier: [u8; 16], verifier_hash: [u8; 20], key_bytes: usize },
}

impl Scheme {
    /// The scheme of a BIFF8 `FILEPASS` record's payload, or why it is one we do not read.
    pub(crate) fn parse(filepass: &[u8]) -> Result<Scheme, String> {
        let cut = || "the FILEPASS record is cut short".to_string();
        match u16_at(filepass, 0) {
            Some(0) => return Err("Excel workbook obfuscated with XOR".to_string()),
            Some(1) => {}
            Some(other) => return Err(format!("Excel encryption type {other}")),
            None => return Err(cut()),
        }
        let (major, minor) = (u16_at(filepass, 2).ok_or_else(cut)?, u16_at(filepass, 4).ok_or_else(cut)?);
        match (major, minor) {
            (1, 1) => {
                let array = |at: usize| -> Result<[u8; 16], String> {
                    filepass.get(at..at + 16).and_then(|bytes| bytes.try_into().ok()).ok_or_else(cut)
                };
                Ok(Scheme::Office97 { salt: array(6)?, verifier: array(22)?, verifier_hash: array(38)? })
            }
            (2..=4, 2) => {
                // Flags, header size, the EncryptionHeader, then the EncryptionVerifier.
                let header_len = u32_at(filepass, 10).ok_or_else(cut)? as usize;
                let header = filepass.get(14..14usize.saturating_add(header_len)).ok_or_else(cut)?;
                let key_bits = match u32_at(header, 16).ok_or_else(cut)? {
                    0 => 40,
                    bits => bits as usize,
                };
                if !(40..=128).contains(&key_bits) || key_bits % 8 != 0 {
                    return Err(format!("RC4 key of {key_bits} bits"));
                }
                let verifier_at = 14 + header_len;
                let salt_len = u32_at(filepass, verifier_at).ok_or_else(cut)? as usize;
                if salt_len != 16 {
                    return Err(format!("a salt of {salt_len} bytes"));
                }
                let salt = filepass.get(verifier_at + 4..verifier_at + 20).ok_or_else(cut)?.to_vec();
                let verifier = filepass
                    .get(verifier_at + 20..verifier_at + 36)
                    .and_then(|bytes| bytes.try_into().ok())
                    .ok_or_else(cut)?;
                let verifier_hash = filepass
                    .get(verifier_at + 40..verifier_at + 60)
                    .and_then(|bytes| bytes.try_into().ok())
                    .ok_or_else(cut)?;
                Ok(Scheme::CryptoApi { salt, verifier, verifier_hash, key_bytes: key_bits / 8 })
            }
            _ => Err(format!("Excel encryption version {major}.{minor}")),
        }
    }

    /// What the `encryption` metadata says.
    pub(crate) fn describe(&self) -> &'static str {
        match self {
            Scheme::Office97 { .. } => "RC4 (Office 97)",
            Scheme::CryptoApi { .. } => "RC4 CryptoAPI",
        }
    }

    /// The key material of `password` when the verifier accepts it.
    pub(crate) fn key_for(&self, password: &str) -> Option<KeyMaterial> {
        let utf16: Vec<u8> = password.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let key = match self {
            Scheme::Office97 { salt, .. } => {
                let first = Md5::digest(&utf16);
                let mut repeated = Vec::with_capacity(16 * 21);
                for _ in 0..16 {
                    repeated.extend_from_slice(&first[..5]);
                    repeated.extend_from_slice(salt);
                }
                let second = Md5::digest(&repeated);
                KeyMaterial { base: second[..5].to_vec(), crypto_api: None }
            }
            Scheme::CryptoApi { salt, key_bytes, .. } => {
                let mut hasher = Sha1::new();
                hasher.update(salt);
                hasher.update(&utf16);
                KeyMaterial { base: hasher.finalize().to_vec(), crypto_api: Some(*key_bytes) }
            }
        };
        let mut cipher = Rc4::new(&key.block_key(0));
        let accepted = match self {
            Scheme::Office97 { verifier, verifier_hash, .. } => {
                let (mut verifier, mut hash) = (*verifier, *verifier_hash);
                cipher.apply(&mut verifier);
                cipher.apply(&mut hash);
                Md5::digest(verifier)[..] == hash[..]
            }
            Scheme::CryptoApi { verifier, verifier_hash, .. } => {
                let (mut verifier, mut hash) = (*verifier, *verifier_hash);
                cipher.apply(&mut verifier);
                cipher.apply(&mut hash);
                Sha1::digest(verifier)[..] == hash[..]
            }
        };
        accepted.then_some(key)
    }
}

/// What the key of each block is derived from.
pub(crate) struct KeyMaterial {
    /// Office 97: the 5-byte truncated second hash; CryptoAPI: SHA-1 of salt and password.
    base: Vec<u8>,
    /// CryptoAPI: the key length in bytes.
    crypto_api: Option<usize>,
}

impl KeyMaterial {
    fn block_key(&self, block: u32) -> Vec<u8> {
        match self.crypto_api {
            None => {
                let mut hasher = Md5::new();
                hasher.update(&self.base);
                hasher.update(block.to_le_bytes());
                hasher.finalize().to_vec()
            }
            Some(key_bytes) => {
                let mut hasher = Sha1::new();
                hasher.update(&self.base);
                hasher.update(block.to_le_bytes());
                let mut key = hasher.finalize()[..key_bytes.min(20)].to_vec();
                // A 40-bit CryptoAPI key is used as 128 bits, the rest zeros ([MS-OFFCRYPTO] 2.3.5.2).
                if key_bytes == 5 {
                    key.resize(16, 0);
                }
                key
            }
        }
    }
}

/// Decrypts the workbook stream in place: the payload of every record but those Excel leaves in clear, each byte
/// with the key stream of its block at its place in the block (the record headers take their places too).
pub(crate) fn decrypt_stream(stream: &mut [u8], key: &KeyMaterial) {
    let mut keystream = BlockKeystream::default();
    let mut at = 0usize;
    while let (Some(kind), Some(len)) = (u16_at(stream, at), u16_at(stream, at + 2)) {
        let start = at + 4;
        let end = (start + len as usize).min(stream.len());
        let clear_until = match kind {
            kind if NEVER_ENCRYPTED.contains(&kind) => end,
            BOUNDSHEET => (start + 4).min(end),
            _ => start,
        };
        for (position, byte) in stream[clear_until..end].iter_mut().enumerate() {
            *byte ^= keystream.byte_at(key, clear_until + position);
        }
        at = start + len as usize;
    }
}

/// The key stream of the block last asked for.
#[derive(Default)]
struct BlockKeystream {
    block: Option<usize>,
    bytes: Vec<u8>,
}

impl BlockKeystream {
    fn byte_at(&mut self, key: &KeyMaterial, position: usize) -> u8 {
        let block = position / BLOCK_LEN;
        if self.block != Some(block) {
            let mut bytes = vec![0u8; BLOCK_LEN];
            // The block number is a 32-bit field; a stream is far shorter than 4 TiB.
            Rc4::new(&key.block_key(block as u32)).apply(&mut bytes);
            self.bytes = bytes;
            self.block = Some(block);
        }
        self.bytes[position % BLOCK_LEN]
    }
}

/// The RC4 stream cipher (a few lines, on which the whole scheme rests; no crate is needed for it).
struct Rc4 {
    state: [u8; 256],
    i: u8,
    j: u8,
}

impl Rc4 {
    fn new(key: &[u8]) -> Rc4 {
        let mut state = [0u8; 256];
        for (index, value) in state.iter_mut().enumerate() {
            *value = index as u8;
        }
        let mut j = 0u8;
        for index in 0..256 {
            j = j.wrapping_add(state[index]).wrapping_add(key[index % key.len()]);
            state.swap(index, j as usize);
        }
        Rc4 { state, i: 0, j: 0 }
    }

    fn apply(&mut self, data: &mut [u8]) {
        for byte in data {
            self.i = self.i.wrapping_add(1);
            self.j = self.j.wrapping_add(self.state[self.i as usize]);
            self.state.swap(self.i as usize, self.j as usize);
            let index = self.state[self.i as usize].wrapping_add(self.state[self.j as usize]);
            *byte ^= self.state[index as usize];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rc4_matches_the_published_test_vector() {
        // The "Key"/"Plaintext" vector of the RC4 article that every implementation is checked against.
        let mut data = *b"Plaintext";
        Rc4::new(b"Key").apply(&mut data);
        assert_eq!(data, [0xBB, 0xF3, 0x16, 0xE8, 0xD9, 0x40, 0xAF, 0x0A, 0xD3]);
    }
}
