//! `dossier extract`: files and everything inside them, read in the sandbox, without a collection: one file, or
//! every file under folders with a pool of workers (as a batch `tika` would), results in completion order.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, mpsc};

use dossier_document::{Limits, Metadata, Options};
use dossier_sandbox::{Request, Response, Sandbox, SandboxConfig};

use crate::CoreError;

/// One file's extraction, with its children read the same way.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ExtractedNode {
    pub name: String,
    /// `ok`, `partial` or `failed`.
    pub outcome: &'static str,
    pub format: Option<String>,
    pub mime: Option<String>,
    pub size: u64,
    pub text: String,
    pub metadata: Metadata,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child_kind: Option<&'static str>,
    /// The names, identifiers, dates and amounts in `text`, when analysed (offsets in chars into `text`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entities: Option<Vec<dossier_entities::Mention>>,
    /// The version of the analysis that found `entities`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analyser: Option<String>,
    /// The fingerprint of `text` (hex), by which versions of one text are found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<dossier_versions::Fingerprint>,
    pub children: Vec<ExtractedNode>,
}

/// Reads `path` and, recursively, its children, in one sandboxed worker; with `analyse`, finds the entities in each
/// text too.
pub fn extract_file(
    path: &Path,
    sandbox: &SandboxConfig,
    limits: &Limits,
    options: &Options,
    analyse: bool,
) -> Result<ExtractedNode, CoreError> {
    if !path.is_file() {
        return Err(CoreError::NoSuchPath(path.to_path_buf()));
    }
    let staging = tempfile::Builder::new()
        .prefix("dossier-extract-")
        .tempdir()
        .map_err(|source| CoreError::Io { path: std::env::temp_dir(), source })?;
    let mut sandbox = Sandbox::new(with_private_scratch(sandbox, staging.path()));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut walk = Walk { sandbox: &mut sandbox, limits, options, analyse, staging: staging.path(), n_requests: 0 };
    Ok(walk.read_node(path, name, None, 0))
}

/// Reads every regular file under `paths` (files or folders, walked in name order without following links) with
/// `workers` sandboxed workers, and calls `on_file` with each file's path and tree as soon as it is read. A path
/// that is not a regular file is reported as a failed node saying what it is.
pub fn extract_files(
    paths: &[PathBuf],
    workers: usize,
    sandbox: &SandboxConfig,
    limits: &Limits,
    options: &Options,
    analyse: bool,
    on_file: &mut dyn FnMut(&Path, ExtractedNode),
) -> Result<u64, CoreError> {
    let mut queue = VecDeque::new();
    let mut n_files = 0;
    for path in paths {
        if !path.exists() && std::fs::symlink_metadata(path).is_err() {
            return Err(CoreError::NoSuchPath(path.clone()));
        }
        for entry in walkdir::WalkDir::new(path).follow_links(false).sort_by_file_name() {
            match entry {
                Ok(entry) if entry.file_type().is_dir() => {}
                Ok(entry) if entry.file_type().is_file() => queue.push_back(entry.into_path()),
                Ok(entry) => {
                    let what =
                        if entry.path_is_symlink() { "symbolic link (not followed)" } else { "not a regular file" };
                    n_files += 1;
                    on_file(entry.path(), failed_node(entry.path(), what.to_string()));
                }
                Err(err) => {
                    if let Some(path) = err.path() {
                        n_files += 1;
                        on_file(path, failed_node(path, format!("I/O error: {err}")));
                    }
                }
            }
        }
    }
    let staging = tempfile::Builder::new()
        .prefix("dossier-extract-")
        .tempdir()
        .map_err(|source| CoreError::Io { path: std::env::temp_dir(), source })?;
    let queue = Arc::new(Mutex::new(queue));
    let (sender, receiver) = mpsc::channel::<(PathBuf, ExtractedNode)>();
    std::thread::scope(|scope| {
        for worker in 0..workers.max(1) {
            let queue = Arc::clone(&queue);
            let sender = sender.clone();
            let sandbox = with_private_scratch(sandbox, staging.path());
            let staging = staging.path().join(worker.to_string());
            scope.spawn(move || {
                let mut sandbox = Sandbox::new(sandbox);
                let mut walk =
                    Walk { sandbox: &mut sandbox, limits, options, analyse, staging: &staging, n_requests: 0 };
                loop {
                    let next = queue.lock().ok().and_then(|mut queue| queue.pop_front());
                    let Some(path) = next else { break };
                    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                    let node = walk.read_node(&path, name, None, 0);
                    if sender.send((path, node)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        for (path, node) in receiver {
            n_files += 1;
            on_file(&path, node);
        }
    });
    Ok(n_files)
}

/// Without a data folder, workers keep their temporary files in this run's own temporary folder (removed when the
/// run ends), unless the caller chose a place.
fn with_private_scratch(sandbox: &SandboxConfig, staging: &Path) -> SandboxConfig {
    let scratch_dir = sandbox.scratch_dir.clone().or_else(|| Some(staging.join("tmp")));
    SandboxConfig { scratch_dir, ..sandbox.clone() }
}

fn failed_node(path: &Path, error: String) -> ExtractedNode {
    ExtractedNode {
        name: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        outcome: "failed",
        format: None,
        mime: None,
        size: 0,
        text: String::new(),
        metadata: Metadata::default(),
        diagnostics: Vec::new(),
        error: Some(error),
        child_kind: None,
        entities: None,
        analyser: None,
        fingerprint: None,
        children: Vec::new(),
    }
}

struct Walk<'a> {
    sandbox: &'a mut Sandbox,
    limits: &'a Limits,
    options: &'a Options,
    analyse: bool,
    staging: &'a Path,
    n_requests: u64,
}

impl Walk<'_> {
    fn read_node(&mut self, path: &Path, name: String, child_kind: Option<&'static str>, depth: u32) -> ExtractedNode {
        let size = std::fs::metadata(path).map_or(0, |m| m.len());
        let mut node = ExtractedNode {
            name: name.clone(),
            outcome: "failed",
            format: None,
            mime: None,
            size,
            text: String::new(),
            metadata: Metadata::default(),
            diagnostics: Vec::new(),
            error: None,
            child_kind,
            entities: None,
            analyser: None,
            fingerprint: None,
            children: Vec::new(),
        };
        if depth > self.limits.max_depth {
            node.error = Some(format!("limit exceeded: nesting depth {depth} > {}", self.limits.max_depth));
            return node;
        }
        self.n_requests += 1;
        let staging_dir = self.staging.join(self.n_requests.to_string());
        let request = Request {
            path: path.to_path_buf(),
            name: Some(name),
            staging_dir: staging_dir.clone(),
            limits: self.limits.clone(),
            options: self.options.clone(),
            cheaper: false,
            analyse: self.analyse,
        };
        match self.sandbox.run_with_fallback(&request) {
            Err(failure) => node.error = Some(failure.reason(self.sandbox.config()).1),
            Ok(Response { format, result, children, analysis, fingerprint }) => {
                node.format = format.map(|f| f.name().to_string());
                node.mime = format.map(|f| f.mime().to_string());
                match result {
                    Err(err) => node.error = Some(err.to_string()),
                    Ok(extraction) => {
                        node.outcome = if extraction.is_partial() { "partial" } else { "ok" };
                        node.text = extraction.text;
                        node.metadata = extraction.metadata;
                        node.diagnostics = extraction.diagnostics;
                        node.fingerprint = fingerprint;
                        match analysis {
                            Some(Ok(analysis)) => {
                                node.entities = Some(analysis.mentions);
                                node.analyser = Some(analysis.version);
                            }
                            Some(Err(error)) => node.diagnostics.push(error),
                            None => {}
                        }
                        for child in children {
                            let kind = child.meta.kind.name();
                            let child_node = self.read_node(&child.path, child.meta.name, Some(kind), depth + 1);
                            node.children.push(child_node);
                        }
                    }
                }
            }
        }
        let _ = std::fs::remove_dir_all(&staging_dir);
        node
    }
}
