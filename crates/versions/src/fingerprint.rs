//! The fingerprint of a text: an exact hash of its normal form (see [`crate::normalize`]) and a MinHash signature of
//! its word shingles, which estimates how much two texts share without comparing them.
//!
//! The signature holds [`N_HASHES`] 16-bit minima. For slot `i`, every shingle (run of [`SHINGLE_WORDS`] normalised
//! words) is hashed to 64 bits, put through the slot's own multiply-add permutation, and the slot keeps the low
//! 16 bits of the smallest value: two texts agree in a slot with probability equal to the Jaccard similarity of
//! their shingle sets (plus 2^-16 for unrelated minima that happen to share their low bits).
//! Texts of fewer than [`MIN_WORDS`] words get no signature: too few shingles to say anything about similarity.
//!
//! The parameters were chosen by measurement on the Cyrillic corpus (see the crate README): changing any of them,
//! the normal form or the hash changes every fingerprint, so each such change bumps [`Fingerprint::VERSION`].

use std::collections::HashSet;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::FingerprintError;
use crate::normalize::for_each_word;

/// Words per shingle.
pub const SHINGLE_WORDS: usize = 3;
/// MinHash slots in a signature.
pub const N_HASHES: usize = 64;
/// Texts with fewer normalised words than this are only compared by their exact hash.
pub const MIN_WORDS: u32 = 20;

/// The fingerprint of one text. Compact (150 bytes, 22 for a short text) and serialisable as bytes or hex.
#[derive(Clone, PartialEq, Eq)]
pub struct Fingerprint {
    n_words: u32,
    exact: [u8; 16],
    minhash: Option<[u16; N_HASHES]>,
}

impl std::fmt::Debug for Fingerprint {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Fingerprint")
            .field("n_words", &self.n_words)
            .field("exact", &hex::encode(self.exact))
            .field("short", &self.minhash.is_none())
            .finish()
    }
}

/// Byte layout: version, flags (bit 0: has a signature), word count (u32 LE), exact hash, then the signature's
/// minima (u16 LE each) when it has one.
const HEADER_BYTES: usize = 1 + 1 + 4 + 16;
const FLAG_SIGNATURE: u8 = 1;

impl Fingerprint {
    /// The version of the algorithm (normal form, shingles, hashes). A stored fingerprint of another version cannot be
    /// compared with new ones: [`Fingerprint::from_bytes`] refuses it and the caller computes it again from the text.
    pub const VERSION: u8 = 1;

    /// The fingerprint of `text`. Linear in the text's length, constant memory (the words are streamed).
    pub fn of(text: &str) -> Fingerprint {
        let mut exact = blake3::Hasher::new();
        let mut minima = [u64::MAX; N_HASHES];
        let mut window = [0u64; SHINGLE_WORDS];
        let mut n_words: u64 = 0;
        for_each_word(text, |word| {
            if n_words > 0 {
                exact.update(b" ");
            }
            exact.update(word.as_bytes());
            window.rotate_left(1);
            window[SHINGLE_WORDS - 1] = hash_word(word);
            n_words += 1;
            if n_words >= SHINGLE_WORDS as u64 {
                update_minima(&mut minima, shingle_hash(&window));
            }
        });
        let n_words = u32::try_from(n_words).unwrap_or(u32::MAX);
        let minhash = (n_words >= MIN_WORDS).then(|| minima.map(|minimum| minimum as u16));
        let mut exact_bytes = [0u8; 16];
        exact_bytes.copy_from_slice(&exact.finalize().as_bytes()[..16]);
        Fingerprint { n_words, exact: exact_bytes, minhash }
    }

    /// Normalised words in the text.
    pub fn n_words(&self) -> u32 {
        self.n_words
    }

    /// The first 16 bytes of the BLAKE3 hash of the normalised words joined by single spaces: equal for texts whose
    /// words are equal after normalisation (the same text in DOCX, PDF and HTML, usually).
    pub fn exact_hash(&self) -> &[u8; 16] {
        &self.exact
    }

    /// Whether the text was too short for a signature (fewer than [`MIN_WORDS`] words): it is only ever matched by
    /// its exact hash.
    pub fn is_short(&self) -> bool {
        self.minhash.is_none()
    }

    /// The MinHash signature, `None` for a short text.
    pub fn signature(&self) -> Option<&[u16; N_HASHES]> {
        self.minhash.as_ref()
    }

    /// The estimated Jaccard similarity of the two texts' shingle sets, in [0, 1]: 1 when the normalised texts are
    /// identical, 0 when they differ and either is short. The standard error is about sqrt(J(1-J)/64): ±0.06 at 0.5.
    pub fn similarity(&self, other: &Fingerprint) -> f32 {
        if self.exact == other.exact {
            return 1.0;
        }
        match (&self.minhash, &other.minhash) {
            (Some(a), Some(b)) => signature_similarity(a, b),
            _ => 0.0,
        }
    }

    /// The compact binary form (see the layout above); [`Fingerprint::from_bytes`] reads it back.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(HEADER_BYTES + 2 * N_HASHES);
        bytes.push(Self::VERSION);
        bytes.push(if self.minhash.is_some() { FLAG_SIGNATURE } else { 0 });
        bytes.extend_from_slice(&self.n_words.to_le_bytes());
        bytes.extend_from_slice(&self.exact);
        if let Some(minhash) = &self.minhash {
            for minimum in minhash {
                bytes.extend_from_slice(&minimum.to_le_bytes());
            }
        }
        bytes
    }

    /// Reads [`Fingerprint::to_bytes`]; a fingerprint of another [`Fingerprint::VERSION`] is refused so that the
    /// caller recomputes it.
    pub fn from_bytes(bytes: &[u8]) -> Result<Fingerprint, FingerprintError> {
        let (&version, rest) = bytes.split_first().ok_or(FingerprintError::Length { found: 0 })?;
        if version != Self::VERSION {
            return Err(FingerprintError::Version { found: version, expected: Self::VERSION });
        }
        if bytes.len() < HEADER_BYTES {
            return Err(FingerprintError::Length { found: bytes.len() });
        }
        let flags = rest[0];
        let n_words = u32::from_le_bytes(bytes[2..6].try_into().expect("four bytes"));
        let exact: [u8; 16] = bytes[6..HEADER_BYTES].try_into().expect("sixteen bytes");
        let body = &bytes[HEADER_BYTES..];
        let minhash = if flags & FLAG_SIGNATURE != 0 {
            if body.len() != 2 * N_HASHES {
                return Err(FingerprintError::Length { found: bytes.len() });
            }
            let mut minhash = [0u16; N_HASHES];
            for (slot, pair) in minhash.iter_mut().zip(body.chunks_exact(2)) {
                *slot = u16::from_le_bytes([pair[0], pair[1]]);
            }
            Some(minhash)
        } else {
            if !body.is_empty() {
                return Err(FingerprintError::Length { found: bytes.len() });
            }
            None
        };
        Ok(Fingerprint { n_words, exact, minhash })
    }

    /// [`Fingerprint::to_bytes`] in lowercase hex (300 characters, 44 for a short text).
    pub fn to_hex(&self) -> String {
        hex::encode(self.to_bytes())
    }

    /// Reads [`Fingerprint::to_hex`].
    pub fn from_hex(text: &str) -> Result<Fingerprint, FingerprintError> {
        let bytes = hex::decode(text.trim()).map_err(|_| FingerprintError::Hex)?;
        Fingerprint::from_bytes(&bytes)
    }
}

impl Serialize for Fingerprint {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Fingerprint {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Fingerprint::from_hex(&text).map_err(serde::de::Error::custom)
    }
}

/// The fraction of slots in which two signatures agree.
pub(crate) fn signature_similarity(a: &[u16; N_HASHES], b: &[u16; N_HASHES]) -> f32 {
    let agreeing = a.iter().zip(b).filter(|(x, y)| x == y).count();
    agreeing as f32 / N_HASHES as f32
}

/// The exact Jaccard similarity of two texts' shingle sets under the fingerprint's normal form: what
/// [`Fingerprint::similarity`] estimates, computed from the texts (linear time, memory for both shingle sets). Texts
/// shorter than a shingle are compared by their sets of words. Two empty texts are identical (1.0).
pub fn text_similarity(a: &str, b: &str) -> f64 {
    let words_a = crate::normalize::normalized_words(a);
    let words_b = crate::normalize::normalized_words(b);
    let width = if words_a.len() < SHINGLE_WORDS || words_b.len() < SHINGLE_WORDS { 1 } else { SHINGLE_WORDS };
    let set_a = shingle_set(&words_a, width);
    let set_b = shingle_set(&words_b, width);
    if set_a.is_empty() && set_b.is_empty() {
        return 1.0;
    }
    let common = set_a.intersection(&set_b).count();
    common as f64 / (set_a.len() + set_b.len() - common) as f64
}

fn shingle_set(words: &[String], width: usize) -> HashSet<u64> {
    let hashes: Vec<u64> = words.iter().map(|word| hash_word(word)).collect();
    hashes.windows(width).map(shingle_hash).collect()
}

/// FNV-1a over the word's bytes, then a finalising mix: our own, so that it never changes under us (a stored
/// fingerprint must be reproducible by any later build of the same [`Fingerprint::VERSION`]).
fn hash_word(word: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in word.as_bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    mix(hash)
}

fn shingle_hash(words: &[u64]) -> u64 {
    words.iter().fold(0x9e37_79b9_7f4a_7c15, |hash, &word| mix(hash.rotate_left(23) ^ word))
}

/// The SplitMix64 finaliser: every input bit reaches every output bit.
fn mix(mut value: u64) -> u64 {
    value = (value ^ (value >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    value = (value ^ (value >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    value ^ (value >> 31)
}

/// Each slot's permutation `x → a·x + b (mod 2^64)`, `a` odd, from a fixed SplitMix64 sequence.
const PERMUTATIONS: [(u64, u64); N_HASHES] = {
    let mut table = [(0u64, 0u64); N_HASHES];
    let mut state: u64 = 0x5eed_d055_1e70_0001;
    let mut index = 0;
    while index < N_HASHES {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let a = splitmix_const(state) | 1;
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let b = splitmix_const(state);
        table[index] = (a, b);
        index += 1;
    }
    table
};

const fn splitmix_const(mut value: u64) -> u64 {
    value = (value ^ (value >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    value = (value ^ (value >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    value ^ (value >> 31)
}

fn update_minima(minima: &mut [u64; N_HASHES], shingle: u64) {
    for (minimum, &(a, b)) in minima.iter_mut().zip(&PERMUTATIONS) {
        let value = shingle.wrapping_mul(a).wrapping_add(b);
        if value < *minimum {
            *minimum = value;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(n: usize, seed: u64) -> String {
        (0..n).map(|i| format!("w{}", mix(seed ^ i as u64) % 5000)).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn a_fingerprint_survives_bytes_and_hex() {
        for text in [words(200, 1), "коротко".to_string(), String::new()] {
            let fingerprint = Fingerprint::of(&text);
            assert_eq!(Fingerprint::from_bytes(&fingerprint.to_bytes()).expect("reads back"), fingerprint);
            assert_eq!(Fingerprint::from_hex(&fingerprint.to_hex()).expect("reads back"), fingerprint);
        }
        assert_eq!(Fingerprint::of(&words(200, 1)).to_bytes().len(), 150);
        assert_eq!(Fingerprint::of("коротко").to_bytes().len(), 22);
    }

    #[test]
    fn a_fingerprint_of_another_version_is_refused() {
        let mut bytes = Fingerprint::of(&words(100, 2)).to_bytes();
        bytes[0] = Fingerprint::VERSION.wrapping_add(1);
        assert!(matches!(Fingerprint::from_bytes(&bytes), Err(FingerprintError::Version { .. })));
        assert!(matches!(Fingerprint::from_bytes(&bytes[..0]), Err(FingerprintError::Length { .. })));
    }

    #[test]
    fn a_truncated_fingerprint_is_refused() {
        let bytes = Fingerprint::of(&words(100, 2)).to_bytes();
        for length in 1..bytes.len() {
            assert!(Fingerprint::from_bytes(&bytes[..length]).is_err(), "{length}");
        }
    }

    #[test]
    fn a_short_text_has_no_signature_and_matches_only_itself() {
        let short = Fingerprint::of("Договор подписан");
        assert!(short.is_short());
        assert_eq!(short.similarity(&Fingerprint::of("ДОГОВОР — подписан!")), 1.0);
        assert_eq!(short.similarity(&Fingerprint::of("Договор не подписан")), 0.0);
    }

    #[test]
    fn the_estimate_is_close_to_the_exact_similarity() {
        let base: Vec<String> = words(600, 3).split(' ').map(str::to_string).collect();
        for changed_every in [2usize, 3, 5, 10, 40] {
            let edited: Vec<String> = base
                .iter()
                .enumerate()
                .map(|(i, word)| if i % changed_every == 0 { format!("x{i}") } else { word.clone() })
                .collect();
            let (a, b) = (base.join(" "), edited.join(" "));
            let exact = text_similarity(&a, &b);
            let estimate = f64::from(Fingerprint::of(&a).similarity(&Fingerprint::of(&b)));
            // Four standard errors of a 64-slot estimate at worst (J = 0.5).
            assert!((exact - estimate).abs() < 0.25, "every {changed_every}: exact {exact} estimate {estimate}");
        }
        assert_eq!(text_similarity(&words(300, 4), &words(300, 4)), 1.0);
        assert!(text_similarity(&words(300, 4), &words(300, 5)) < 0.01);
    }
}
