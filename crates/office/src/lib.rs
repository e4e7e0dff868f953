//! Office Open XML and OpenDocument readers.

use dossier_document::{Context, ExtractError, Extraction, Source};

pub fn read_docx(_src: &Source<'_>, _ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    Err(ExtractError::Unsupported("docx".into()))
}

pub fn read_xlsx(_src: &Source<'_>, _ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    Err(ExtractError::Unsupported("xlsx".into()))
}

pub fn read_pptx(_src: &Source<'_>, _ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    Err(ExtractError::Unsupported("pptx".into()))
}

pub fn read_odt(_src: &Source<'_>, _ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    Err(ExtractError::Unsupported("odt".into()))
}

pub fn read_ods(_src: &Source<'_>, _ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    Err(ExtractError::Unsupported("ods".into()))
}

pub fn read_odp(_src: &Source<'_>, _ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    Err(ExtractError::Unsupported("odp".into()))
}
