//! E-book readers: EPUB ([`read_epub`]) and FictionBook 2 ([`read_fb2`]).
//!
//! Both return the book's text in reading order and its bibliographic metadata (title, author, language, date,
//! publisher, identifier, description). Neither hands over children: images in a book are illustrations, not
//! evidence files of their own.

mod epub;
mod fb2;
mod xml;

use std::io::Read;

use dossier_document::{Context, ExtractError, Source};

pub use epub::read_epub;
pub use fb2::read_fb2;

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
