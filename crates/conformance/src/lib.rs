//! The parts of the conformance suite that other measuring tools share: word-level comparison with ground truth
//! (`words`) and where the corpus keeps its ground truth (`truth`). The suite itself is the binary.

pub mod truth;
pub mod words;
