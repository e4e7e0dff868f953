//! Integration tests of dossier-versions: one binary, a module per feature.

mod clustering;
mod diff_golden;
mod diff_properties;
mod fingerprints;
