//! Integration tests of dossier-rtf: golden files, embedded objects handed to the sink, hostile input.

mod embedded;
mod golden;
mod robustness;
