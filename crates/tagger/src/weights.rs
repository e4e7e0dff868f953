//! The trained weights: a row of tag scores per feature hash, the scores of each tag at a sentence's start and of
//! each tag after each other, and the file they are kept in (`weights.bin`, little-endian):
//!
//! ```text
//! "dossier-tagger\n"   magic
//! u32                  format version (1)
//! u32                  feature templates version (features::FEATURES_VERSION)
//! u32                  number of tags (7)
//! f32 × tags           start scores
//! f32 × tags × tags    transition scores, [previous][next]
//! u64                  number of features
//! (u64 hash, f32 × tags) × features, by hash
//! ```

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::Path;

use crate::error::TaggerError;
use crate::features::FEATURES_VERSION;
use crate::tags::TAGS;

const MAGIC: &[u8] = b"dossier-tagger\n";
const FORMAT_VERSION: u32 = 1;

pub type Row = [f32; TAGS];

/// Feature hashes are already uniform 64-bit values: the map uses them as they are.
#[derive(Default)]
pub struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

pub type HashIndex<V> = HashMap<u64, V, BuildHasherDefault<IdentityHasher>>;

/// Scores of a linear model over feature hashes, with first-order tag transitions.
#[derive(Debug, Clone, Default)]
pub struct Weights {
    pub(crate) rows: HashIndex<Row>,
    pub(crate) start: Row,
    pub(crate) transitions: [Row; TAGS],
}

impl Weights {
    /// The tag scores of one token: the sum of its features' rows.
    pub fn emissions(&self, features: &[u64]) -> Row {
        let mut scores = [0.0; TAGS];
        for hash in features {
            if let Some(row) = self.rows.get(hash) {
                for (score, weight) in scores.iter_mut().zip(row) {
                    *score += weight;
                }
            }
        }
        scores
    }

    pub fn n_features(&self) -> usize {
        self.rows.len()
    }

    /// The file's bytes (features in hash order, so that the same weights give the same file).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64 + self.rows.len() * (8 + 4 * TAGS));
        out.extend_from_slice(MAGIC);
        for value in [FORMAT_VERSION, FEATURES_VERSION, TAGS as u32] {
            out.extend_from_slice(&value.to_le_bytes());
        }
        let put_row = |out: &mut Vec<u8>, row: &Row| row.iter().for_each(|w| out.extend_from_slice(&w.to_le_bytes()));
        put_row(&mut out, &self.start);
        for row in &self.transitions {
            put_row(&mut out, row);
        }
        out.extend_from_slice(&(self.rows.len() as u64).to_le_bytes());
        let mut hashes: Vec<u64> = self.rows.keys().copied().collect();
        hashes.sort_unstable();
        for hash in hashes {
            out.extend_from_slice(&hash.to_le_bytes());
            put_row(&mut out, &self.rows[&hash]);
        }
        out
    }

    /// Reads the file's bytes; `path` names it in errors.
    pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Weights, TaggerError> {
        let bad = |reason: String| TaggerError::Format { path: path.to_path_buf(), reason };
        let mut reader = Reader { bytes, at: 0 };
        if reader.take(MAGIC.len()).ok_or_else(|| bad("too short".into()))? != MAGIC {
            return Err(bad("no dossier-tagger header".into()));
        }
        let mut header = [0u32; 3];
        for value in &mut header {
            *value = reader.u32().ok_or_else(|| bad("truncated header".into()))?;
        }
        if header != [FORMAT_VERSION, FEATURES_VERSION, TAGS as u32] {
            return Err(bad(format!(
                "format {}, features {}, {} tags; this build reads format {FORMAT_VERSION}, features \
                 {FEATURES_VERSION}, {TAGS} tags (train the model again)",
                header[0], header[1], header[2]
            )));
        }
        let truncated = || bad("truncated".into());
        let mut weights = Weights { start: reader.row().ok_or_else(truncated)?, ..Weights::default() };
        for row in &mut weights.transitions {
            *row = reader.row().ok_or_else(truncated)?;
        }
        let n = reader.u64().ok_or_else(truncated)?;
        let n = usize::try_from(n).map_err(|_| truncated())?;
        if bytes.len() - reader.at != n * (8 + 4 * TAGS) {
            return Err(bad(format!("{n} features do not fill the rest of the file")));
        }
        weights.rows.reserve(n);
        for _ in 0..n {
            let hash = reader.u64().ok_or_else(truncated)?;
            weights.rows.insert(hash, reader.row().ok_or_else(truncated)?);
        }
        Ok(weights)
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let slice = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(slice)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn row(&mut self) -> Option<Row> {
        let mut row = [0.0; TAGS];
        for weight in &mut row {
            *weight = f32::from_le_bytes(self.take(4)?.try_into().ok()?);
        }
        Some(row)
    }
}
