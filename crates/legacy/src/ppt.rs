//! PowerPoint 97-2003 presentations (placeholder until the record walker lands).

use dossier_document::{Context, ExtractError, Extraction, Source};

/// Reads a PowerPoint 97-2003 `.ppt` file: `Format::Ppt`.
pub fn read_ppt(_source: &Source<'_>, _context: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    Err(ExtractError::Unsupported("PPT".to_string()))
}
