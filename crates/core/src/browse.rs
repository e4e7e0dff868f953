//! Reading what is stored: one document, its children and the chain of its parents, its original in the vault,
//! a collection's make-up by format. What the web interface shows; nothing here writes.

use std::path::PathBuf;

use dossier_catalog::{DocId, DocRecord, FormatCount};

use crate::{CoreError, Dossier};

/// Where a document's original bytes are, and what to call them when handing them out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Original {
    pub path: PathBuf,
    /// The blob as recorded: what the bytes handed out must verify against.
    pub blob: dossier_vault::Blob,
    pub size: u64,
    /// The file name: the last component of the source path, or the child's name inside its parent.
    pub file_name: String,
    /// The media type of the detected format (`application/octet-stream` when unknown).
    pub media_type: &'static str,
}

/// The title a document is shown with, as search results show it: its title or subject, else its file name.
pub fn title_of(doc: &DocRecord) -> String {
    let derived = dossier_index::derive(&dossier_index::IndexDoc {
        id: doc.id as u64,
        parent_id: doc.parent_id.map(|id| id as u64),
        collection: &doc.collection,
        path: &doc.path,
        name: &doc.name,
        state: doc.state.as_str(),
        format: doc.format.as_deref(),
        metadata: &doc.metadata,
        text: "",
        entities: &[],
    });
    derived.title
}

impl Dossier {
    pub fn document(&mut self, doc: DocId) -> Result<Option<DocRecord>, CoreError> {
        Ok(self.catalog.document(doc)?)
    }

    /// The documents found inside `doc` (an archive's members, an e-mail's attachments), in the order found.
    pub fn children(&mut self, doc: DocId) -> Result<Vec<DocRecord>, CoreError> {
        Ok(self.catalog.children(doc)?)
    }

    /// The documents `doc` came out of, the top-level file first (empty for a top-level file).
    pub fn ancestors(&mut self, doc: &DocRecord) -> Result<Vec<DocRecord>, CoreError> {
        let mut chain = Vec::new();
        let mut parent = doc.parent_id;
        while let Some(id) = parent {
            // Parent links always point to smaller ids, so this ends; the bound guards against a damaged catalog.
            if chain.len() > 4096 {
                break;
            }
            let Some(record) = self.catalog.document(id)? else { break };
            parent = record.parent_id;
            chain.push(record);
        }
        chain.reverse();
        Ok(chain)
    }

    pub fn format_counts(&mut self, collection: &str) -> Result<Vec<FormatCount>, CoreError> {
        Ok(self.catalog.format_counts(collection)?)
    }

    /// The stored original of `doc`, or `None` when the file never reached the vault (it could not be read).
    pub fn original(&self, doc: &DocRecord) -> Option<Original> {
        let blake3 = doc.blake3.as_deref()?;
        let path = self.vault.path_of(blake3);
        let size = doc.size?;
        let blob = dossier_vault::Blob { blake3: blake3.to_string(), sha256: doc.sha256.clone()?, size };
        let file_name = if doc.parent_id.is_some() {
            doc.name.clone()
        } else {
            doc.path.rsplit(['/', '\\']).next().unwrap_or(&doc.path).to_string()
        };
        let media_type = doc
            .format
            .as_deref()
            .and_then(dossier_document::Format::from_name)
            .map_or("application/octet-stream", |format| format.mime());
        Some(Original { path, blob, size, file_name, media_type })
    }

    /// Opens the stored original for reading, checked against its record as it is read: a damaged blob fails the
    /// read before its end is handed out (see [`dossier_vault::VerifiedReader`]).
    pub fn open_original(&self, original: &Original) -> Result<dossier_vault::VerifiedReader, dossier_vault::Problem> {
        self.vault.open_verified(&original.blob)
    }
}
