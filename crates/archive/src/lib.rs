//! Archive readers.

use dossier_document::{Context, ExtractError, Extraction, Source};

pub fn read_zip(_src: &Source<'_>, _ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    Err(ExtractError::Unsupported("zip".into()))
}

pub fn read_tar(_src: &Source<'_>, _ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    Err(ExtractError::Unsupported("tar".into()))
}

pub fn read_gzip(_src: &Source<'_>, _ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    Err(ExtractError::Unsupported("gz".into()))
}

pub fn read_bzip2(_src: &Source<'_>, _ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    Err(ExtractError::Unsupported("bz2".into()))
}

pub fn read_xz(_src: &Source<'_>, _ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    Err(ExtractError::Unsupported("xz".into()))
}

pub fn read_7z(_src: &Source<'_>, _ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    Err(ExtractError::Unsupported("7z".into()))
}
