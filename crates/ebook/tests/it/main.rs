//! Integration tests of dossier-ebook: golden files per format.

mod golden;
