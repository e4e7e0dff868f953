//! Readers for structured records: delimited tables ([`read_csv`], [`read_tsv`]), JSON and JSON Lines
//! ([`read_json`]), calendars ([`read_ics`]), address books ([`read_vcf`]) and dBASE tables
//! ([`read_dbf`]).
//!
//! Each turns records into lines a search can hit: a table row per line with tab-separated cells, `key: value` per
//! JSON member, labelled lines per event or contact. None of them has children.

mod contentline;
mod dbf;
mod delimited;
mod ics;
mod json;
mod vcf;

pub use dbf::{DBF_VERSION_BYTES, looks_like_dbf, read_dbf};
pub use delimited::{read_csv, read_tsv};
pub use ics::read_ics;
pub use json::read_json;
pub use vcf::read_vcf;
