//! E-mail readers.

use dossier_document::{Context, ExtractError, Extraction, Source};

pub fn read_eml(_src: &Source<'_>, _ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    Err(ExtractError::Unsupported("eml".into()))
}

pub fn read_mbox(_src: &Source<'_>, _ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    Err(ExtractError::Unsupported("mbox".into()))
}
