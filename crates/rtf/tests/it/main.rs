//! Integration tests of dossier-rtf: golden files, and embedded objects handed to the sink.

mod embedded;
mod golden;
