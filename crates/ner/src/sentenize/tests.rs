//! Golden tests of the sentence splitter.
