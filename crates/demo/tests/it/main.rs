//! Integration tests of the demo collection: it is deterministic, every file opens with an independent reader,
//! and the material the story promises (a near-identical pair, contradictory metadata, legacy encodings) is there.

mod determinism;
mod near_duplicates;
mod support;
mod well_formed;
