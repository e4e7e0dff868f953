//! Drives the real `dossier` binary as a user would: `ingest` one corpus set into a fresh data dir, then `list`.
//!
//! The suite must end even when dossier does not (a nested zip bomb that keeps queueing children, a deadlock), so the
//! ingest runs in its own process group under a wall-clock limit for the whole set; on expiry the whole group (dossier
//! and its workers) is killed and whatever the catalog holds is listed, so that the unfinished documents show up as
//! `pending` in the accounting.

use std::fs::File;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::documents::{Document, parse_list};

pub struct RunOptions<'a> {
    pub dossier: &'a Path,
    pub workers: u32,
    pub file_timeout_seconds: u64,
    pub set_timeout: Duration,
    /// OCR costs seconds a page: it is switched on only for the sets that measure it (the cyrillic scans).
    pub ocr: bool,
}

pub struct SetRun {
    pub documents: Vec<Document>,
    pub ingest_seconds: f64,
    /// `None` when the set limit expired and the ingest was killed.
    pub ingest_status: Option<ExitStatus>,
    /// The last lines dossier wrote to stderr, to explain a failed ingest.
    pub ingest_stderr_tail: String,
}

pub fn ingest_and_list(
    options: &RunOptions<'_>,
    data_dir: &Path,
    folder: &Path,
    collection: &str,
) -> anyhow::Result<SetRun> {
    let stderr_path = data_dir.join("ingest.stderr");
    let stdout_path = data_dir.join("ingest.stdout");
    let started = Instant::now();
    let mut child = Command::new(options.dossier)
        .arg("--data-dir")
        .arg(data_dir)
        .arg("ingest")
        .arg(folder)
        .args(["-c", collection, "--json"])
        .args(["--workers", &options.workers.to_string()])
        .args(["--timeout", &options.file_timeout_seconds.to_string()])
        .args(if options.ocr { &[][..] } else { &["--no-ocr"][..] })
        .stdin(Stdio::null())
        .stdout(File::create(&stdout_path).context("creating the ingest stdout file")?)
        .stderr(File::create(&stderr_path).context("creating the ingest stderr file")?)
        // Its own process group, so that killing it on expiry also kills the worker processes it started.
        .process_group(0)
        .spawn()
        .with_context(|| format!("starting {}", options.dossier.display()))?;
    let ingest_status = loop {
        if let Some(status) = child.try_wait().context("waiting for dossier ingest")? {
            break Some(status);
        }
        if started.elapsed() >= options.set_timeout {
            kill_process_group(child.id());
            // Reap it; its exit status (killed) says nothing more than `None` does.
            let _ = child.wait();
            break None;
        }
        // Polling keeps this free of extra dependencies; a quarter second is nothing next to an ingest.
        std::thread::sleep(Duration::from_millis(250));
    };
    let ingest_seconds = started.elapsed().as_secs_f64();
    let ingest_stderr_tail = tail_of_file(&stderr_path, 5);

    let output = Command::new(options.dossier)
        .arg("--data-dir")
        .arg(data_dir)
        .args(["list", "-c", collection, "--json", "--text"])
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .context("running dossier list")?;
    if !output.status.success() {
        bail!("dossier list failed ({}): {}", output.status, String::from_utf8_lossy(&output.stderr).trim());
    }
    let documents = parse_list(&output.stdout).context("parsing the output of dossier list --json --text")?;
    Ok(SetRun { documents, ingest_seconds, ingest_status, ingest_stderr_tail })
}

fn kill_process_group(process_group_id: u32) {
    // `kill` from procps rather than libc, to keep this crate free of unsafe code.
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{process_group_id}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

fn tail_of_file(path: &Path, n_lines: usize) -> String {
    let content = std::fs::read(path).unwrap_or_default();
    let content = String::from_utf8_lossy(&content);
    // Progress lines are redrawn with carriage returns; treat them as line ends.
    let lines: Vec<&str> = content.split(['\n', '\r']).filter(|line| !line.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(n_lines)..].join("\n")
}

/// Every regular file under `folder`, as absolute paths, without following symbolic links.
pub fn regular_files(folder: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(folder).follow_links(false) {
        let entry = entry.with_context(|| format!("walking {}", folder.display()))?;
        if entry.file_type().is_file() {
            files.push(entry.into_path());
        }
    }
    files.sort();
    Ok(files)
}
