//! The messages between the parent and a worker: one JSON object per line, one response per request.

use std::path::PathBuf;

use dossier_document::{ChildMeta, ExtractError, Extraction, Format, Limits, Options};
use serde::{Deserialize, Serialize};

/// Before its response, a worker may send lines `{"extend_secs":N}`: the reader started slow work (OCR) and asks for
/// N more seconds of wall-clock time. The parent caps the total it grants.
pub(crate) const EXTEND_PREFIX: &str = "{\"extend_secs\":";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Request {
    /// The file to read (a blob in the vault, or a file named on the command line).
    pub path: PathBuf,
    /// The name the file had where it was found.
    pub name: Option<String>,
    /// Where this request's children go: a folder that does not exist yet, made by the worker when it writes the
    /// first child (most files have none, and making and removing a folder per file is dear on a disk mounted with
    /// `discard`). The parent owns it and removes it afterwards.
    pub staging_dir: PathBuf,
    pub limits: Limits,
    pub options: Options,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Response {
    pub format: Option<Format>,
    pub result: Result<Extraction, ExtractError>,
    /// Children written into the staging folder, in the order the reader found them. Empty when `result` is an error.
    pub children: Vec<StagedChild>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StagedChild {
    pub meta: ChildMeta,
    pub path: PathBuf,
    pub size: u64,
}
