//! Integration tests of dossier-records: golden files per format, and limits.

mod golden;
mod limits;
