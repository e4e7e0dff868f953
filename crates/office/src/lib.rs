//! Office Open XML (DOCX, XLSX, PPTX and their macro-enabled twins) and OpenDocument (ODT, ODS, ODP) readers.
//!
//! Both families are ZIP packages of XML parts. Every part is read through [`package::Package`], which bounds it by
//! `max_in_memory_bytes` (on the bytes actually inflated) and counts it against the file's unpacking budget, and
//! is then parsed event by event with quick-xml. Besides the visible text, the readers keep what matters as
//! evidence: comments with their authors, tracked deletions, hidden sheets, speaker notes, document properties.

mod docx;
mod encrypted;
mod odf;
mod ooxml_meta;
mod output;
mod package;
mod pptx;
mod xlsb;
mod xlsx;
mod xml;

use std::collections::BTreeSet;

use dossier_document::{Context, ExtractError, Extraction, Metadata, Source};

use package::Package;

/// Reads a DOCX or DOCM word-processing document.
pub fn read_docx(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    docx::read(src, ctx)
}

/// Reads an XLSX or XLSM workbook.
pub fn read_xlsx(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    xlsx::read(src, ctx)
}

/// Reads an XLSB (binary) workbook.
pub fn read_xlsb(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    xlsb::read(src, ctx)
}

/// Reads a password-protected DOCX, XLSX, XLSB or PPTX (an OLE2 file with `EncryptionInfo` and
/// `EncryptedPackage`): tries `ctx.options.passwords`, then Excel's default "VelvetSweatshop" (which opens
/// workbooks that are only write-protected). Metadata `encryption` names the scheme and `decrypted_with` the
/// kind of password that opened it (never the password). When none opens it: `ExtractError::Encrypted`.
pub fn read_encrypted_ooxml(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    encrypted::read(src, ctx)
}

/// Reads a PPTX or PPTM presentation.
pub fn read_pptx(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    pptx::read(src, ctx)
}

/// Reads an OpenDocument text.
pub fn read_odt(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    odf::read(src, ctx, odf::Kind::Text)
}

/// Reads an OpenDocument spreadsheet.
pub fn read_ods(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    odf::read(src, ctx, odf::Kind::Spreadsheet)
}

/// Reads an OpenDocument presentation.
pub fn read_odp(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    odf::read(src, ctx, odf::Kind::Presentation)
}

/// Finds an OOXML package's main part through the package relationships (`kind` is `officeDocument`), falling
/// back on the conventional name when the relationships are missing or point nowhere.
fn main_part(package: &mut Package, kind: &str, conventional: &str) -> Result<String, ExtractError> {
    let relationships = package.relationships("")?;
    let target = relationships
        .iter()
        .find(|rel| !rel.external && rel.kind == kind && package.contains(&rel.target))
        .map(|rel| rel.target.clone());
    Ok(target.unwrap_or_else(|| conventional.to_string()))
}

/// Records a set of names (revision authors, comment authors) as a metadata list.
fn authors_metadata(metadata: &mut Metadata, key: &str, authors: &BTreeSet<String>) {
    for author in authors {
        metadata.push(key, author.as_str());
    }
}
