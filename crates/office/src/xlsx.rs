//! stub
use dossier_document::{Context, ExtractError, Extraction, Source};
pub(crate) fn read(_src: &Source<'_>, _ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> { Err(ExtractError::Unsupported("xlsx".into())) }
