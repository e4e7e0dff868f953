//! The messages between the parent and a worker: one JSON object per line, one response per request.

use std::path::PathBuf;

use dossier_document::{ChildMeta, ExtractError, Extraction, Format, Limits, Options};
use dossier_entities::Analysis;
use dossier_versions::Fingerprint;
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
    /// Set on the second attempt at a file whose first worker ran out of memory ([`Request::cheaper`]).
    #[serde(default)]
    pub cheaper: bool,
    /// Whether to find the names, identifiers, dates and amounts in the extracted text ([`Response::analysis`]).
    #[serde(default)]
    pub analyse: bool,
}

/// A text already extracted, to be analysed again (`dossier reanalyse`): the text is in a file, so that neither side
/// holds it twice in a protocol line.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AnalyseRequest {
    /// A UTF-8 file holding the text.
    pub text_path: PathBuf,
}

/// What the parent asks of a worker: one JSON object per line, `{"extract":{...}}` or `{"analyse":{...}}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Job {
    Extract(Box<Request>),
    Analyse(AnalyseRequest),
}

/// A request made cheaper, and what was given up, in words for a diagnostic.
#[derive(Debug, Clone)]
pub struct CheaperRequest {
    pub request: Request,
    pub description: String,
}

/// The cheaper mode divides the image and in-memory limits by this.
const CHEAPER_FACTOR: u64 = 4;
/// The cheaper mode renders pages for OCR at this resolution at most: still legible to Tesseract for ordinary
/// print, at a quarter of the pixels of 300 dpi.
const CHEAPER_OCR_DPI: u32 = 150;

impl Request {
    /// The same request in a cheaper mode, for a second attempt after the worker ran out of memory: pages rendered
    /// for OCR at a lower resolution, images over a quarter of the pixel limit skipped, and no file over a quarter
    /// of the worker's memory held whole. Readers say in diagnostics what they skipped because of it. `None` when
    /// this request already is the second attempt.
    pub fn cheaper(&self, worker_memory_limit: Option<u64>) -> Option<CheaperRequest> {
        if self.cheaper {
            return None;
        }
        let mut request = self.clone();
        request.cheaper = true;
        request.options.ocr.dpi = self.options.ocr.dpi.min(CHEAPER_OCR_DPI);
        request.limits.max_image_pixels = self.limits.max_image_pixels / CHEAPER_FACTOR;
        if let Some(limit) = worker_memory_limit {
            request.limits.max_in_memory_bytes = self.limits.max_in_memory_bytes.min(limit / CHEAPER_FACTOR);
        }
        let mut description = format!(
            "OCR at {} dpi, images over {} megapixels skipped, files over {} MiB not held in memory",
            request.options.ocr.dpi,
            request.limits.max_image_pixels / 1_000_000,
            request.limits.max_in_memory_bytes >> 20
        );
        if request.analyse {
            // The analysis holds its models and every mention beside the text: the text comes first.
            request.analyse = false;
            description.push_str(", names and identifiers not looked for (`dossier reanalyse` can)");
        }
        Some(CheaperRequest { request, description })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Response {
    pub format: Option<Format>,
    pub result: Result<Extraction, ExtractError>,
    /// Children written into the staging folder, in the order the reader found them. Empty when `result` is an error.
    pub children: Vec<StagedChild>,
    /// The extracted text's mentions, when asked for and the text was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analysis: Option<Result<Analysis, String>>,
    /// The fingerprint of the extracted text (which documents hold the same text): made whenever the text was read,
    /// analysis or not (it costs a hash of the text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<Fingerprint>,
}

/// What a worker makes of a text already extracted (`dossier reanalyse`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Analysed {
    pub analysis: Analysis,
    pub fingerprint: Fingerprint,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StagedChild {
    pub meta: ChildMeta,
    pub path: PathBuf,
    pub size: u64,
}
