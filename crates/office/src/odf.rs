//! stub
use dossier_document::{Context, ExtractError, Extraction, Source};
pub(crate) enum Kind { Text, Spreadsheet, Presentation }
pub(crate) fn read(_src: &Source<'_>, _ctx: &mut Context<'_>, _kind: Kind) -> Result<Extraction, ExtractError> { Err(ExtractError::Unsupported("odf".into())) }
