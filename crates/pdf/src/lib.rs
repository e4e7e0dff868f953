//! PDF text and metadata.

use dossier_document::{Context, ExtractError, Extraction, Source};

pub fn read_pdf(_src: &Source<'_>, _ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    Err(ExtractError::Unsupported("application/pdf".into()))
}
