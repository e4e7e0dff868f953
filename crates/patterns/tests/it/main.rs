//! Integration tests of dossier-patterns: one binary, a module per feature.

mod corpus;
mod golden;
mod properties;
