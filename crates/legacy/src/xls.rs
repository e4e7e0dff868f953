//! Excel workbooks (placeholder until the record walker lands).

use dossier_document::{Context, ExtractError, Extraction, Source};

/// Reads a Excel 97-2003 `.xls` file: `Format::Xls`.
pub fn read_xls(_source: &Source<'_>, _context: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    Err(ExtractError::Unsupported("XLS".to_string()))
}
