//! Versions of one text: which documents hold the same text (converted to another format, OCR'd from a scan,
//! retyped with a few words changed), and what exactly differs between two of them.
//!
//! - [`Fingerprint::of`] reduces a text to an exact hash of its normal form and a MinHash signature; the pipeline
//!   stores it per document (bytes or hex, versioned).
//! - [`Clusterer`] groups fingerprints by LSH over the signatures, without comparing all pairs, in time and memory
//!   linear in the number of documents.
//! - [`diff()`] aligns two texts word by word and shows what the eye does not see: spacing, punctuation variants,
//!   lookalike letters of another script, invisible characters.
//! - [`suspicious_characters`] finds those same hidden characters in one text.
//!
//! The crate knows text only: no storage, no processes, no other dossier crate.

pub mod chars;
mod cluster;
mod diff;
mod error;
mod fingerprint;
pub mod normalize;
mod scan;

pub use cluster::{Cluster, ClusterOptions, ClusterStats, Clusterer, Clustering, DocId, PairSimilarity, ROWS_PER_BAND};
pub use diff::{CharInfo, Diff, DiffSummary, Hidden, HiddenKind, Op, OpKind, Span, diff};
pub use error::FingerprintError;
pub use fingerprint::{Fingerprint, MIN_WORDS, N_HASHES, SHINGLE_WORDS, text_similarity};
pub use scan::{Finding, FindingKind, suspicious_characters};
