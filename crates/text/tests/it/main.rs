//! Integration tests of dossier-text: golden files per format, and limits.

mod golden;
mod limits;
