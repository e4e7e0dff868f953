//! Files embedded in a PDF (attachments, portfolio members, file-attachment annotations), handed to the sink.
//!
//! The `mupdf` crate's own listing reads only a flat /EmbeddedFiles name tree; real files (and portfolios with
//! many members) use /Kids, so the tree is walked here, with bounds on depth and node count against cycles and
//! fan-out bombs. File-attachment annotations on pages are collected too: they are how "see attached" documents
//! hide in scanned letters.

use std::collections::HashSet;

use dossier_document::{ChildKind, ChildMeta, Context, ExtractError};
use mupdf::pdf::{PdfDocument, PdfObject};

use crate::mupdf_message;
use crate::pdf_date::pdf_date_to_iso8601;
use crate::pdf_string::decode_pdf_text_string;

const MAX_TREE_DEPTH: usize = 32;
const MAX_TREE_NODES: usize = 10_000;

/// One embedded file found in the document: the name it is known by and its file specification.
struct FoundFile {
    tree_name: String,
    filespec: PdfObject,
}

/// Hands every embedded file to `ctx.sink`. Returns `Err` only for `LimitExceeded` from the sink, as the
/// sink contract asks; every other problem becomes a diagnostic.
pub fn hand_over_embedded_files(
    doc: &PdfDocument,
    page_count: i32,
    ctx: &mut Context<'_>,
    diagnostics: &mut Vec<String>,
) -> Result<usize, ExtractError> {
    let mut found = Vec::new();
    if let Err(err) = collect_name_tree_files(doc, &mut found) {
        diagnostics.push(format!("embedded files: {}", mupdf_message(&err)));
    }
    if let Err(err) = collect_annotation_files(doc, page_count, &mut found) {
        diagnostics.push(format!("file attachment annotations: {}", mupdf_message(&err)));
    }
    // The same file can be both named and annotated, and UF and F usually point to one stream: hand each
    // embedded stream over once.
    let mut seen = HashSet::new();
    let mut handed_over = 0;
    for file in found {
        let fallback_name =
            file_name(&file.filespec, "UF").or_else(|| file_name(&file.filespec, "F")).unwrap_or_else(|| {
                if file.tree_name.trim().is_empty() { "embedded file".to_string() } else { file.tree_name.clone() }
            });
        let streams = match embedded_streams(&file.filespec) {
            Ok(streams) => streams,
            Err(err) => {
                diagnostics.push(format!("embedded file {fallback_name}: {}", mupdf_message(&err)));
                continue;
            }
        };
        for (key, stream) in streams {
            if let Ok(true) = stream.is_indirect()
                && let Ok(number) = stream.as_indirect()
                && !seen.insert(number)
            {
                continue;
            }
            // Old files carry one stream per platform (/DOS, /Mac, /Unix), each under its own name.
            let name = file_name(&file.filespec, key).unwrap_or_else(|| fallback_name.clone());
            match load_stream(&stream, ctx.limits.max_in_memory_bytes) {
                Ok((content, modified)) => {
                    let meta = ChildMeta { name: name.clone(), kind: ChildKind::Embedded, modified };
                    match ctx.sink.add(meta, &mut content.as_slice()) {
                        Ok(()) => handed_over += 1,
                        Err(err @ ExtractError::LimitExceeded(_)) => return Err(err),
                        Err(err) => diagnostics.push(format!("embedded file {name}: {err}")),
                    }
                }
                Err(reason) => diagnostics.push(format!("embedded file {name}: {reason}")),
            }
        }
    }
    Ok(handed_over)
}

fn collect_name_tree_files(doc: &PdfDocument, found: &mut Vec<FoundFile>) -> Result<(), mupdf::Error> {
    let Some(names) = doc.catalog()?.get_dict("Names")? else {
        return Ok(());
    };
    let Some(tree) = names.get_dict("EmbeddedFiles")? else {
        return Ok(());
    };
    let mut visited = 0;
    walk_name_tree(&tree, 0, &mut visited, found)
}

fn walk_name_tree(
    node: &PdfObject,
    depth: usize,
    visited: &mut usize,
    found: &mut Vec<FoundFile>,
) -> Result<(), mupdf::Error> {
    *visited += 1;
    if depth > MAX_TREE_DEPTH || *visited > MAX_TREE_NODES || !node.is_dict()? {
        return Ok(());
    }
    if let Some(pairs) = node.get_dict("Names")?
        && pairs.is_array()?
    {
        let len = pairs.len()?;
        for index in (0..len.saturating_sub(1)).step_by(2) {
            let index = i32::try_from(index)?;
            let (Some(key), Some(filespec)) = (pairs.get_array(index)?, pairs.get_array(index + 1)?) else {
                continue;
            };
            let tree_name = if key.is_string()? { decode_pdf_text_string(&key.as_bytes()?) } else { String::new() };
            found.push(FoundFile { tree_name, filespec });
        }
    }
    if let Some(kids) = node.get_dict("Kids")?
        && kids.is_array()?
    {
        for index in 0..kids.len()? {
            if let Some(kid) = kids.get_array(i32::try_from(index)?)? {
                walk_name_tree(&kid, depth + 1, visited, found)?;
            }
        }
    }
    Ok(())
}

fn collect_annotation_files(
    doc: &PdfDocument,
    page_count: i32,
    found: &mut Vec<FoundFile>,
) -> Result<(), mupdf::Error> {
    for page_index in 0..page_count {
        let Ok(page) = doc.find_page(page_index) else {
            continue;
        };
        let Some(annots) = page.get_dict("Annots")? else {
            continue;
        };
        if !annots.is_array()? {
            continue;
        }
        for index in 0..annots.len()? {
            let Some(annot) = annots.get_array(i32::try_from(index)?)? else {
                continue;
            };
            let is_attachment = annot
                .get_dict("Subtype")?
                .map(|subtype| subtype.as_name().map(|name| name == b"FileAttachment"))
                .transpose()?
                .unwrap_or(false);
            if !is_attachment {
                continue;
            }
            if let Some(filespec) = annot.get_dict("FS")? {
                found.push(FoundFile {
                    tree_name: format!("page {} attachment {}", page_index + 1, index + 1),
                    filespec,
                });
            }
        }
    }
    Ok(())
}

/// The file name under `key` of a file specification, if it is a non-empty string. Only a label: the sink never
/// uses it as a path without sanitising.
fn file_name(filespec: &PdfObject, key: &str) -> Option<String> {
    let value = filespec.get_dict(key).ok()??;
    if !value.is_string().ok()? {
        return None;
    }
    let name = decode_pdf_text_string(&value.as_bytes().ok()?);
    (!name.trim().is_empty()).then_some(name)
}

/// The embedded streams of a file specification with the /EF key each sits under; empty for a specification
/// that only points to an external file.
fn embedded_streams(filespec: &PdfObject) -> Result<Vec<(&'static str, PdfObject)>, mupdf::Error> {
    let mut streams = Vec::new();
    if !filespec.is_dict()? {
        return Ok(streams);
    }
    let Some(ef) = filespec.get_dict("EF")? else {
        return Ok(streams);
    };
    for key in ["UF", "F", "DOS", "Mac", "Unix"] {
        if let Some(stream) = ef.get_dict(key)?
            && stream.is_stream()?
        {
            streams.push((key, stream));
        }
    }
    Ok(streams)
}

/// The embedded stream's decoded bytes and its modification date.
fn load_stream(stream: &PdfObject, max_bytes: u64) -> Result<(Vec<u8>, Option<String>), String> {
    let params = stream.get_dict("Params").ok().flatten();
    // MuPDF decodes the whole stream into memory; refuse what the file itself admits is too big. (A lying /Size
    // is caught by the worker's memory limit, which is why this runs in a sandbox.)
    let declared_size = params
        .as_ref()
        .and_then(|params| params.get_dict("Size").ok().flatten())
        .and_then(|size| size.as_int().ok())
        .and_then(|size| u64::try_from(size).ok());
    if let Some(size) = declared_size
        && size > max_bytes
    {
        return Err(format!("declared size {size} bytes is over the in-memory limit {max_bytes}"));
    }
    let modified = params
        .as_ref()
        .and_then(|params| params.get_dict("ModDate").ok().flatten())
        .and_then(|date| date.as_bytes().ok())
        .and_then(|bytes| pdf_date_to_iso8601(&decode_pdf_text_string(&bytes)));
    let content = stream.read_stream().map_err(|err| mupdf_message(&err))?;
    Ok((content, modified))
}
