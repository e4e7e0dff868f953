//! Password-protected OOXML: an OLE2 compound file holding `EncryptionInfo` and `EncryptedPackage` streams
//! (ECMA-376 document encryption, [MS-OFFCRYPTO] 2.3.4). Decrypts the package with the user's passwords, then with
//! Excel's built-in "VelvetSweatshop" (which opens workbooks that are only write-protected), and reads the
//! decrypted DOCX/XLSX/XLSB/PPTX with the ordinary readers.
//!
//! Both the Standard (AES-ECB, SHA-1 key derivation) and the Agile (AES-CBC in 4096-byte segments, SHA-1/256/384/512
//! key derivation) schemes are implemented here on RustCrypto primitives, so that every size read from the hostile
//! file is checked before it is used and a wrong password is recognised by the verifier instead of by decrypting
//! garbage.

use std::io::Read;

use aes::cipher::block_padding::NoPadding;
use aes::cipher::{BlockDecryptMut, KeyInit, KeyIvInit};
use base64::Engine as _;
use dossier_document::{Context, ExtractError, Extraction, Source};

use crate::package::Package;
use crate::xml::{self, XmlEvent};

/// Excel encrypts a workbook that is only protected against writing with this fixed password; any reader can
/// open it, so it is tried after the user's passwords.
const EXCEL_DEFAULT_PASSWORD: &str = "VelvetSweatshop";

/// The `EncryptionInfo` stream is a small header (a few KB of XML at most); anything larger is not one.
const MAX_ENCRYPTION_INFO_BYTES: u64 = 1 << 20;

/// [MS-OFFCRYPTO] bounds the Agile spin count at 10,000,000; a hostile file must not make each password try
/// cost more than that.
const MAX_SPIN_COUNT: u32 = 10_000_000;

const SEGMENT_LENGTH: usize = 4096;

const NO_PASSWORD_OPENS: &str = "password-protected Office document; no given password opens it";

pub(crate) fn read(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    let file_len = std::fs::metadata(src.path).map_err(|err| ExtractError::io(&err))?.len();
    // A damaged container (a FAT longer than the file, as some encryptors write it) is read as far as it goes.
    let dossier_compound::Opened { mut compound, diagnostics: repairs } =
        dossier_compound::open_compound(src.path, "ooxml-encrypted", ctx.limits)?;
    let info_bytes = read_stream(&mut compound, "EncryptionInfo", MAX_ENCRYPTION_INFO_BYTES)?;
    let scheme = Scheme::parse(&info_bytes)?;

    let mut passwords: Vec<(&str, &str)> =
        ctx.options.passwords.iter().map(|password| (password.as_str(), "a given password")).collect();
    passwords.push((EXCEL_DEFAULT_PASSWORD, "Excel's default password (the file was only write-protected)"));
    let mut opened = None;
    for (password, kind) in passwords {
        if let Some(key) = scheme.key_for(password) {
            opened = Some((key, kind));
            break;
        }
    }
    let Some((key, opened_with)) = opened else {
        return Err(ExtractError::Encrypted(Some(NO_PASSWORD_OPENS.to_string())));
    };

    let limit = ctx.limits.max_in_memory_bytes;
    let encrypted = read_stream(&mut compound, "EncryptedPackage", limit)?;
    drop(compound);
    let mut diagnostics = repairs;
    let decrypted = scheme.decrypt_package(&key, encrypted, limit, &mut diagnostics)?;

    let mut package = Package::from_bytes(decrypted, file_len, ctx, "ooxml-encrypted").map_err(|err| match err {
        ExtractError::Malformed { .. } => {
            ExtractError::malformed("ooxml-encrypted", "the decrypted package is not a ZIP package")
        }
        other => other,
    })?;
    package.diagnostics.extend(diagnostics);
    let mut extraction = match package_kind(&mut package)? {
        PackageKind::Word => crate::docx::read_package(package, ctx)?,
        PackageKind::Excel => crate::xlsx::read_package(package, ctx)?,
        PackageKind::ExcelBinary => crate::xlsb::read_package(package, ctx)?,
        PackageKind::PowerPoint => crate::pptx::read_package(package, ctx)?,
    };
    extraction.metadata.set("encryption", scheme.describe());
    extraction.metadata.set("decrypted_with", opened_with);
    Ok(extraction)
}

/// Reads a whole stream of the compound file, refusing one longer than `limit` before reading it.
fn read_stream<F: Read + std::io::Seek>(
    compound: &mut cfb::CompoundFile<F>,
    name: &str,
    limit: u64,
) -> Result<Vec<u8>, ExtractError> {
    let path = format!("/{name}");
    let entry = compound.entry(&path).map_err(|_| {
        ExtractError::malformed("ooxml-encrypted", format!("OLE2 file without a {name} stream: not encrypted OOXML"))
    })?;
    if !entry.is_stream() {
        return Err(ExtractError::malformed("ooxml-encrypted", format!("{name} is not a stream")));
    }
    if entry.len() > limit {
        return Err(ExtractError::LimitExceeded(format!(
            "{name} stream of {} bytes > max_in_memory_bytes {limit}",
            entry.len()
        )));
    }
    let stream = compound
        .open_stream(&path)
        .map_err(|err| ExtractError::malformed("ooxml-encrypted", format!("{name} unreadable: {err}")))?;
    let mut bytes = Vec::new();
    stream
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|err| ExtractError::truncated("ooxml-encrypted", format!("{name} unreadable: {err}")))?;
    if bytes.len() as u64 > limit {
        return Err(ExtractError::LimitExceeded(format!("{name} stream > max_in_memory_bytes {limit}")));
    }
    Ok(bytes)
}

enum PackageKind {
    Word,
    Excel,
    ExcelBinary,
    PowerPoint,
}

/// Tells what the decrypted package is from the content type of its main part, falling back on the conventional
/// part names when `[Content_Types].xml` is missing or names nothing known.
fn package_kind(package: &mut Package) -> Result<PackageKind, ExtractError> {
    if let Some(types) = package.read_secondary("[Content_Types].xml")? {
        let types = types.to_lowercase();
        for (marker, kind) in [
            ("sheet.binary.macroenabled.main", PackageKind::ExcelBinary),
            ("spreadsheetml.sheet.main", PackageKind::Excel),
            ("spreadsheetml.template.main", PackageKind::Excel),
            ("ms-excel.sheet.macroenabled.main", PackageKind::Excel),
            ("ms-excel.template.macroenabled.main", PackageKind::Excel),
            ("wordprocessingml.document.main", PackageKind::Word),
            ("wordprocessingml.template.main", PackageKind::Word),
            ("ms-word.document.macroenabled.main", PackageKind::Word),
            ("ms-word.template.macroenabledtemplate.main", PackageKind::Word),
            ("presentationml.presentation.main", PackageKind::PowerPoint),
            ("presentationml.slideshow.main", PackageKind::PowerPoint),
            ("presentationml.template.main", PackageKind::PowerPoint),
            ("ms-powerpoint.presentation.macroenabled.main", PackageKind::PowerPoint),
            ("ms-powerpoint.slideshow.macroenabled.main", PackageKind::PowerPoint),
        ] {
            if types.contains(marker) {
                return Ok(kind);
            }
        }
    }
    for (part, kind) in [
        ("word/document.xml", PackageKind::Word),
        ("xl/workbook.xml", PackageKind::Excel),
        ("xl/workbook.bin", PackageKind::ExcelBinary),
        ("ppt/presentation.xml", PackageKind::PowerPoint),
    ] {
        if package.contains(part) {
            return Ok(kind);
        }
    }
    Err(ExtractError::malformed(
        "ooxml-encrypted",
        "decrypted package is neither a document, a workbook nor a presentation",
    ))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HashAlgorithm {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl HashAlgorithm {
    fn from_name(name: &str) -> Option<HashAlgorithm> {
        match name.to_ascii_uppercase().replace('-', "").as_str() {
            "SHA1" => Some(HashAlgorithm::Sha1),
            "SHA256" => Some(HashAlgorithm::Sha256),
            "SHA384" => Some(HashAlgorithm::Sha384),
            "SHA512" => Some(HashAlgorithm::Sha512),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            HashAlgorithm::Sha1 => "SHA-1",
            HashAlgorithm::Sha256 => "SHA-256",
            HashAlgorithm::Sha384 => "SHA-384",
            HashAlgorithm::Sha512 => "SHA-512",
        }
    }

    fn hash(self, parts: &[&[u8]]) -> Vec<u8> {
        fn with<D: sha1::Digest>(parts: &[&[u8]]) -> Vec<u8> {
            let mut hasher = D::new();
            for part in parts {
                hasher.update(part);
            }
            hasher.finalize().to_vec()
        }
        match self {
            HashAlgorithm::Sha1 => with::<sha1::Sha1>(parts),
            HashAlgorithm::Sha256 => with::<sha2::Sha256>(parts),
            HashAlgorithm::Sha384 => with::<sha2::Sha384>(parts),
            HashAlgorithm::Sha512 => with::<sha2::Sha512>(parts),
        }
    }
}

/// The parameters of one encrypted package, as read from `EncryptionInfo`.
enum Scheme {
    Standard(Standard),
    Agile(Agile),
}

struct Standard {
    key_bytes: usize,
    salt: Vec<u8>,
    encrypted_verifier: Vec<u8>,
    encrypted_verifier_hash: Vec<u8>,
}

/// `keyData` (how the package is encrypted) and the password `encryptedKey` (how the package key is wrapped).
struct Agile {
    data_hash: HashAlgorithm,
    data_salt: Vec<u8>,
    data_key_bytes: usize,
    data_block_size: usize,
    password_hash: HashAlgorithm,
    password_salt: Vec<u8>,
    password_key_bytes: usize,
    password_block_size: usize,
    spin_count: u32,
    encrypted_verifier_input: Vec<u8>,
    encrypted_verifier_value: Vec<u8>,
    encrypted_key_value: Vec<u8>,
}

fn u32_at(bytes: &[u8], offset: usize) -> Option<u32> {
    let slice = bytes.get(offset..offset.checked_add(4)?)?;
    Some(u32::from_le_bytes(slice.try_into().ok()?))
}

fn malformed_info(detail: &str) -> ExtractError {
    ExtractError::malformed("ooxml-encrypted", format!("EncryptionInfo: {detail}"))
}

impl Scheme {
    fn parse(info: &[u8]) -> Result<Scheme, ExtractError> {
        let (Some(major), Some(minor)) = (
            info.get(0..2).map(|b| u16::from_le_bytes([b[0], b[1]])),
            info.get(2..4).map(|b| u16::from_le_bytes([b[0], b[1]])),
        ) else {
            return Err(malformed_info("too short"));
        };
        match (major, minor) {
            (4, 4) => Agile::parse(info.get(8..).unwrap_or_default()).map(Scheme::Agile),
            (2..=4, 2) => Standard::parse(info).map(Scheme::Standard),
            (3 | 4, 3) => Err(ExtractError::Encrypted(Some(
                "Office document with ECMA-376 extensible encryption (a third-party cryptographic provider); not supported"
                    .to_string(),
            ))),
            _ => Err(malformed_info(&format!("unknown encryption version {major}.{minor}"))),
        }
    }

    fn describe(&self) -> String {
        match self {
            Scheme::Standard(standard) => format!("ECMA-376 Standard (AES-{}, SHA-1)", standard.key_bytes * 8),
            Scheme::Agile(agile) => {
                format!("ECMA-376 Agile (AES-{}, {})", agile.data_key_bytes * 8, agile.password_hash.name())
            }
        }
    }

    /// The package key if `password` is the right one (checked against the stored verifier).
    fn key_for(&self, password: &str) -> Option<Vec<u8>> {
        match self {
            Scheme::Standard(standard) => standard.key_for(password),
            Scheme::Agile(agile) => agile.key_for(password),
        }
    }

    /// Decrypts `EncryptedPackage` (an 8-byte plain size, then the ciphertext) in place.
    fn decrypt_package(
        &self,
        key: &[u8],
        mut stream: Vec<u8>,
        limit: u64,
        diagnostics: &mut Vec<String>,
    ) -> Result<Vec<u8>, ExtractError> {
        let Some(size_bytes) = stream.get(0..8) else {
            return Err(ExtractError::truncated("ooxml-encrypted", "EncryptedPackage shorter than its size field"));
        };
        let declared = u64::from_le_bytes(size_bytes.try_into().map_err(|_| malformed_info("size field"))?);
        // The size field is hostile: never allocate by it, only cut the decrypted bytes to it.
        if declared > limit {
            return Err(ExtractError::LimitExceeded(format!(
                "EncryptedPackage declares {declared} bytes > max_in_memory_bytes {limit}"
            )));
        }
        stream.drain(..8);
        let whole_blocks = stream.len() / 16 * 16;
        if whole_blocks < stream.len() {
            diagnostics.push(format!(
                "EncryptedPackage ends with {} bytes short of a cipher block",
                stream.len() - whole_blocks
            ));
            stream.truncate(whole_blocks);
        }
        let ok = match self {
            Scheme::Standard(_) => aes_ecb_decrypt(key, &mut stream),
            Scheme::Agile(agile) => agile.decrypt_segments(key, &mut stream),
        };
        if !ok {
            return Err(malformed_info("key length not usable with AES"));
        }
        let declared = usize::try_from(declared).unwrap_or(usize::MAX);
        if declared > stream.len() {
            diagnostics.push(format!("EncryptedPackage truncated: {} of {declared} bytes present", stream.len()));
        } else {
            stream.truncate(declared);
        }
        Ok(stream)
    }
}

impl Standard {
    /// [MS-OFFCRYPTO] 2.3.4.5-6: flags, header size, EncryptionHeader, then EncryptionVerifier.
    fn parse(info: &[u8]) -> Result<Standard, ExtractError> {
        let header_size = u32_at(info, 8).ok_or_else(|| malformed_info("too short"))? as usize;
        let header =
            info.get(12..12usize.saturating_add(header_size)).ok_or_else(|| malformed_info("header cut off"))?;
        let algorithm = u32_at(header, 8).ok_or_else(|| malformed_info("header too short"))?;
        let key_bits = u32_at(header, 16).ok_or_else(|| malformed_info("header too short"))?;
        // 0x6801 is RC4, which ECMA-376 Standard encryption does not allow; 0 means AES-128 by default.
        if algorithm == 0x6801 {
            return Err(ExtractError::Encrypted(Some("Office document encrypted with RC4; not supported".to_string())));
        }
        let key_bytes = match key_bits {
            0 | 128 => 16,
            192 => 24,
            256 => 32,
            other => return Err(malformed_info(&format!("AES key size {other} bits"))),
        };
        let verifier = &info[12 + header_size..];
        let salt_size = u32_at(verifier, 0).ok_or_else(|| malformed_info("verifier cut off"))? as usize;
        if salt_size != 16 {
            return Err(malformed_info(&format!("salt size {salt_size}")));
        }
        let salt = verifier.get(4..20).ok_or_else(|| malformed_info("salt cut off"))?.to_vec();
        let encrypted_verifier = verifier.get(20..36).ok_or_else(|| malformed_info("verifier cut off"))?.to_vec();
        // The verifier hash is 20 bytes of SHA-1, stored AES-encrypted and so padded to 32.
        let encrypted_verifier_hash =
            verifier.get(40..72).ok_or_else(|| malformed_info("verifier hash cut off"))?.to_vec();
        Ok(Standard { key_bytes, salt, encrypted_verifier, encrypted_verifier_hash })
    }

    /// [MS-OFFCRYPTO] 2.3.4.7: 50,000 rounds of SHA-1, then the CryptDeriveKey construction.
    fn key_for(&self, password: &str) -> Option<Vec<u8>> {
        let password = utf16le(password);
        let mut hash = HashAlgorithm::Sha1.hash(&[&self.salt, &password]);
        for iteration in 0u32..50_000 {
            hash = HashAlgorithm::Sha1.hash(&[&iteration.to_le_bytes(), &hash]);
        }
        let final_hash = HashAlgorithm::Sha1.hash(&[&hash, &0u32.to_le_bytes()]);
        let mut inner = [0x36u8; 64];
        let mut outer = [0x5cu8; 64];
        for (index, byte) in final_hash.iter().enumerate() {
            inner[index] ^= byte;
            outer[index] ^= byte;
        }
        let mut derived = HashAlgorithm::Sha1.hash(&[&inner]);
        derived.extend(HashAlgorithm::Sha1.hash(&[&outer]));
        derived.truncate(self.key_bytes);

        let mut verifier = self.encrypted_verifier.clone();
        let mut verifier_hash = self.encrypted_verifier_hash.clone();
        if !aes_ecb_decrypt(&derived, &mut verifier) || !aes_ecb_decrypt(&derived, &mut verifier_hash) {
            return None;
        }
        (HashAlgorithm::Sha1.hash(&[&verifier]) == verifier_hash[..20]).then_some(derived)
    }
}

impl Agile {
    /// [MS-OFFCRYPTO] 2.3.4.10: the XML descriptor after the 8-byte version and reserved fields.
    fn parse(xml_bytes: &[u8]) -> Result<Agile, ExtractError> {
        let text = xml::decode_part(xml_bytes);
        let mut key_data: Option<Vec<(String, String)>> = None;
        let mut password_key: Option<Vec<(String, String)>> = None;
        let mut other_encryptor = false;
        let result = xml::walk(&text, |event| {
            let XmlEvent::Start(tag) = event else {
                return;
            };
            let attributes = |names: &[&str]| -> Vec<(String, String)> {
                names.iter().filter_map(|name| tag.attr(name).map(|value| (name.to_string(), value))).collect()
            };
            const NAMES: [&str; 10] = [
                "saltValue",
                "hashAlgorithm",
                "keyBits",
                "blockSize",
                "spinCount",
                "encryptedVerifierHashInput",
                "encryptedVerifierHashValue",
                "encryptedKeyValue",
                "cipherAlgorithm",
                "cipherChaining",
            ];
            match tag.local() {
                b"keyData" if key_data.is_none() => key_data = Some(attributes(&NAMES)),
                b"encryptedKey" if tag.attr("encryptedVerifierHashInput").is_some() && password_key.is_none() => {
                    password_key = Some(attributes(&NAMES))
                }
                b"encryptedKey" => other_encryptor = true,
                _ => {}
            }
        });
        if let Err(err) = result
            && (key_data.is_none() || password_key.is_none())
        {
            return Err(malformed_info(&format!("descriptor XML: {err}")));
        }
        let (Some(key_data), Some(password_key)) = (key_data, password_key) else {
            if other_encryptor {
                return Err(ExtractError::Encrypted(Some(
                    "Office document encrypted to a certificate, not a password; not supported".to_string(),
                )));
            }
            return Err(malformed_info("descriptor without keyData or password key"));
        };
        let get = |attributes: &[(String, String)], name: &str| -> Result<String, ExtractError> {
            attributes
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.clone())
                .ok_or_else(|| malformed_info(&format!("{name} missing")))
        };
        let number = |attributes: &[(String, String)], name: &str| -> Result<u32, ExtractError> {
            get(attributes, name)?.trim().parse::<u32>().map_err(|_| malformed_info(&format!("{name} not a number")))
        };
        let base64 = |attributes: &[(String, String)], name: &str| -> Result<Vec<u8>, ExtractError> {
            let value: String = get(attributes, name)?.split_whitespace().collect();
            base64::engine::general_purpose::STANDARD
                .decode(value)
                .map_err(|_| malformed_info(&format!("{name} not base64")))
        };
        let hash = |attributes: &[(String, String)]| -> Result<HashAlgorithm, ExtractError> {
            let name = get(attributes, "hashAlgorithm")?;
            HashAlgorithm::from_name(&name).ok_or_else(|| {
                ExtractError::Encrypted(Some(format!("Office document encrypted with hash {name}; not supported")))
            })
        };
        for attributes in [&key_data, &password_key] {
            let cipher = get(attributes, "cipherAlgorithm").unwrap_or_else(|_| "AES".to_string());
            let chaining = get(attributes, "cipherChaining").unwrap_or_else(|_| "ChainingModeCBC".to_string());
            if !cipher.eq_ignore_ascii_case("AES") || !chaining.eq_ignore_ascii_case("ChainingModeCBC") {
                return Err(ExtractError::Encrypted(Some(format!(
                    "Office document encrypted with {cipher} in {chaining}; not supported"
                ))));
            }
        }
        let key_bytes = |attributes: &[(String, String)]| -> Result<usize, ExtractError> {
            match number(attributes, "keyBits")? {
                bits @ (128 | 192 | 256) => Ok(bits as usize / 8),
                bits => Err(malformed_info(&format!("AES key size {bits} bits"))),
            }
        };
        let block_size = |attributes: &[(String, String)]| -> Result<usize, ExtractError> {
            match number(attributes, "blockSize")? {
                16 => Ok(16),
                size => Err(malformed_info(&format!("AES block size {size}"))),
            }
        };
        let spin_count = number(&password_key, "spinCount")?;
        if spin_count > MAX_SPIN_COUNT {
            return Err(malformed_info(&format!("spin count {spin_count} > {MAX_SPIN_COUNT}")));
        }
        Ok(Agile {
            data_hash: hash(&key_data)?,
            data_salt: base64(&key_data, "saltValue")?,
            data_key_bytes: key_bytes(&key_data)?,
            data_block_size: block_size(&key_data)?,
            password_hash: hash(&password_key)?,
            password_salt: base64(&password_key, "saltValue")?,
            password_key_bytes: key_bytes(&password_key)?,
            password_block_size: block_size(&password_key)?,
            spin_count,
            encrypted_verifier_input: base64(&password_key, "encryptedVerifierHashInput")?,
            encrypted_verifier_value: base64(&password_key, "encryptedVerifierHashValue")?,
            encrypted_key_value: base64(&password_key, "encryptedKeyValue")?,
        })
    }

    /// [MS-OFFCRYPTO] 2.3.4.11-13: the iterated password hash, one derived key per block key, the verifier check,
    /// then the package key unwrapped.
    fn key_for(&self, password: &str) -> Option<Vec<u8>> {
        const VERIFIER_INPUT_BLOCK: [u8; 8] = [0xfe, 0xa7, 0xd2, 0x76, 0x3b, 0x4b, 0x9e, 0x79];
        const VERIFIER_VALUE_BLOCK: [u8; 8] = [0xd7, 0xaa, 0x0f, 0x6d, 0x30, 0x61, 0x34, 0x4e];
        const KEY_VALUE_BLOCK: [u8; 8] = [0x14, 0x6e, 0x0b, 0xe7, 0xab, 0xac, 0xd0, 0xd6];
        let hash = self.password_hash;
        let mut iterated = hash.hash(&[&self.password_salt, &utf16le(password)]);
        for iteration in 0..self.spin_count {
            iterated = hash.hash(&[&iteration.to_le_bytes(), &iterated]);
        }
        let derive = |block: &[u8]| fit(hash.hash(&[&iterated, block]), self.password_key_bytes);
        let iv = fit(self.password_salt.clone(), self.password_block_size);

        let mut verifier_input = self.encrypted_verifier_input.clone();
        let mut verifier_value = self.encrypted_verifier_value.clone();
        if !aes_cbc_decrypt(&derive(&VERIFIER_INPUT_BLOCK), &iv, &mut verifier_input)
            || !aes_cbc_decrypt(&derive(&VERIFIER_VALUE_BLOCK), &iv, &mut verifier_value)
        {
            return None;
        }
        let salt_size = self.password_salt.len().min(verifier_input.len());
        let expected = hash.hash(&[&verifier_input[..salt_size]]);
        if verifier_value.get(..expected.len()) != Some(&expected[..]) {
            return None;
        }
        let mut key = self.encrypted_key_value.clone();
        if !aes_cbc_decrypt(&derive(&KEY_VALUE_BLOCK), &iv, &mut key) || key.len() < self.data_key_bytes {
            return None;
        }
        key.truncate(self.data_key_bytes);
        Some(key)
    }

    /// Each 4096-byte segment is encrypted on its own, with an IV derived from the key data salt and its index.
    fn decrypt_segments(&self, key: &[u8], data: &mut [u8]) -> bool {
        for (index, segment) in data.chunks_mut(SEGMENT_LENGTH).enumerate() {
            let index = u32::try_from(index).unwrap_or(u32::MAX);
            let iv = fit(self.data_hash.hash(&[&self.data_salt, &index.to_le_bytes()]), self.data_block_size);
            if !aes_cbc_decrypt(key, &iv, segment) {
                return false;
            }
        }
        true
    }
}

/// Cuts or pads (with 0x36, as the specification says) a derived value to the length needed.
fn fit(mut bytes: Vec<u8>, length: usize) -> Vec<u8> {
    bytes.resize(length, 0x36);
    bytes
}

fn utf16le(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// Decrypts whole AES blocks in place; false when the key or IV length does not fit AES or the data is not a
/// whole number of blocks.
fn aes_cbc_decrypt(key: &[u8], iv: &[u8], data: &mut [u8]) -> bool {
    if data.len() % 16 != 0 {
        return false;
    }
    match key.len() {
        16 => cbc::Decryptor::<aes::Aes128>::new_from_slices(key, iv)
            .is_ok_and(|cipher| cipher.decrypt_padded_mut::<NoPadding>(data).is_ok()),
        24 => cbc::Decryptor::<aes::Aes192>::new_from_slices(key, iv)
            .is_ok_and(|cipher| cipher.decrypt_padded_mut::<NoPadding>(data).is_ok()),
        32 => cbc::Decryptor::<aes::Aes256>::new_from_slices(key, iv)
            .is_ok_and(|cipher| cipher.decrypt_padded_mut::<NoPadding>(data).is_ok()),
        _ => false,
    }
}

fn aes_ecb_decrypt(key: &[u8], data: &mut [u8]) -> bool {
    if data.len() % 16 != 0 {
        return false;
    }
    match key.len() {
        16 => ecb::Decryptor::<aes::Aes128>::new_from_slice(key)
            .is_ok_and(|cipher| cipher.decrypt_padded_mut::<NoPadding>(data).is_ok()),
        24 => ecb::Decryptor::<aes::Aes192>::new_from_slice(key)
            .is_ok_and(|cipher| cipher.decrypt_padded_mut::<NoPadding>(data).is_ok()),
        32 => ecb::Decryptor::<aes::Aes256>::new_from_slice(key)
            .is_ok_and(|cipher| cipher.decrypt_padded_mut::<NoPadding>(data).is_ok()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_values_are_cut_or_padded_with_0x36() {
        assert_eq!(fit(vec![1, 2, 3], 2), vec![1, 2]);
        assert_eq!(fit(vec![1], 3), vec![1, 0x36, 0x36]);
    }

    #[test]
    fn unknown_versions_and_short_headers_are_malformed_not_panics() {
        for info in
            [&b""[..], &[4, 0][..], &[9, 0, 9, 0, 0, 0, 0, 0][..], &[3, 0, 2, 0, 0, 0, 0, 0, 255, 255, 255, 255][..]]
        {
            assert!(matches!(Scheme::parse(info), Err(ExtractError::Malformed { .. })), "{info:?}");
        }
        assert!(matches!(Scheme::parse(&[4, 0, 3, 0, 0, 0, 0, 0]), Err(ExtractError::Encrypted(Some(_)))));
    }

    #[test]
    fn agile_descriptor_with_a_hostile_spin_count_is_refused() {
        let xml = br#"<encryption><keyData saltValue="AAAAAAAAAAAAAAAAAAAAAA==" hashAlgorithm="SHA512" keyBits="256" blockSize="16"/><keyEncryptors><keyEncryptor><p:encryptedKey xmlns:p="x" spinCount="4294967295" saltValue="AAAAAAAAAAAAAAAAAAAAAA==" hashAlgorithm="SHA512" keyBits="256" blockSize="16" encryptedVerifierHashInput="AA==" encryptedVerifierHashValue="AA==" encryptedKeyValue="AA=="/></keyEncryptor></keyEncryptors></encryption>"#;
        let err = Agile::parse(xml).err().expect("refused");
        assert!(err.to_string().contains("spin count"), "{err}");
    }
}
