//! Readers for structured records: delimited tables ([`read_csv`], [`read_tsv`]), JSON and JSON Lines
//! ([`read_json`]), calendars ([`read_ics`]) and address books ([`read_vcf`]).
//!
//! Each turns records into lines a search can hit: a table row per line with tab-separated cells, `key: value` per
//! JSON member, labelled lines per event or contact. None of them has children.

mod contentline;
mod delimited;
mod ics;
mod json;
mod vcf;

use std::io::Read;

use dossier_document::{Context, ExtractError, Source};

pub use delimited::{read_csv, read_tsv};
pub use ics::read_ics;
pub use json::read_json;
pub use vcf::read_vcf;

/// Loads a whole file, refusing files over `limits.max_in_memory_bytes` (also when the file grows while being read)
/// and zero-byte files.
fn load(src: &Source<'_>, ctx: &Context<'_>) -> Result<Vec<u8>, ExtractError> {
    let limit = ctx.limits.max_in_memory_bytes;
    let file = std::fs::File::open(src.path).map_err(|err| ExtractError::io(&err))?;
    let size = file.metadata().map_err(|err| ExtractError::io(&err))?.len();
    let too_large = |size: u64| ExtractError::LimitExceeded(format!("file size {size} > max_in_memory_bytes {limit}"));
    if size > limit {
        return Err(too_large(size));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(|err| ExtractError::io(&err))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    if bytes.is_empty() {
        return Err(ExtractError::Empty);
    }
    Ok(bytes)
}
