//! Integration tests of dossier-patterns: one binary, a module per feature.

mod corpus;
mod corpus_texts;
mod golden;
mod properties;
