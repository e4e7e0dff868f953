//! Integration tests of dossier-lang: one binary, a module per feature.

mod detection;
mod golden;
mod morphology;
mod properties;
mod tantivy_search;
mod tokenizers;
mod translit;
